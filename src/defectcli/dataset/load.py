"""Parse data files into plain Python data, remembering where every value stood.

YAML is parsed with PyYAML's C loader where it exists (``CSafeLoader``), else the pure-Python
``SafeLoader``; never an unsafe loader, so a file cannot make us run code. We compose the node
tree first and build the data from it in one walk that refuses what a data file has no
business holding (duplicate keys, aliases, deep nesting), giving every problem a line and
column.
"""

from __future__ import annotations

import json
import os
import stat
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from ..files import reason
from .locate import DataFile, kind_of

PathKey = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64  # no record nests deeper than a handful of levels; deeper is an attack or a typo
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as the strings they were written as: the schema describes
    dates as text at their known precision (``2019``, ``2019-07``, ``2019-07-14``); PyYAML
    would turn only the last form into a ``datetime.date``."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


@dataclass
class LoadedFile:
    """A parsed file: its data and the position of every value (and every mapping key)."""

    source: DataFile
    data: Any
    positions: dict[PathKey, Position] = field(default_factory=dict)
    key_positions: dict[PathKey, Position] = field(default_factory=dict)
    located: bool = False  # positions are found only when a problem needs them
    # Where ``data`` stands in the file: () for the whole file, ("dataset",) for the dataset
    # inside an export (``as_dataset``). Paths given to the methods below are within ``data``.
    base: PathKey = ()

    def position(self, path: PathKey, *, key: bool = False) -> Position | None:
        """Where ``path`` stands in the file, or the nearest enclosing value that has one."""
        path = (*self.base, *path)
        if not self.located:
            # Valid files never need positions, which cost much memory in bulk: a problem to
            # locate reads its file once more (one no longer readable, or too deep, gives none).
            self.located = True
            with suppress(OSError, UnicodeDecodeError, RecursionError):
                _load_yaml(self.source, read_bytes(self.source).decode("utf-8-sig"), self)
        table = self.key_positions if key else self.positions
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.positions.get(path[:end])
            if found:
                return found
        return None

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        line, column = self.position(path, key=key) or (None, None)
        return Problem(self.source.display, line, column, self.shown_path(path), message)

    def shown_path(self, path: PathKey) -> str:
        """``path`` as a person reading the file finds it (from the top of the file)."""
        return format_path((*self.base, *path))


# The keys of a JSON export (``defect export --format json``): the commands' views, and the
# dataset itself under "dataset", which is what a dataset read from the file is made of.
EXPORT_KEYS = frozenset({"people", "quotes", "sources", "statistics", "events", "dataset"})


def as_dataset(loaded: LoadedFile) -> LoadedFile:
    """A one-file dataset as its records: the file itself, or, for an export, the dataset
    under its "dataset" key (the other keys are views of it, made again from the index)."""
    data = loaded.data
    export = isinstance(data, dict) and data.keys() <= EXPORT_KEYS
    if export and isinstance(data.get("dataset"), dict):
        loaded.data = data["dataset"]
        loaded.base = ("dataset",)
    return loaded


def format_path(path: PathKey) -> str:
    """``('postings', 0, 'title')`` -> ``postings[0].title``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class NotAFile(OSError):
    """A data file's name holds something else now: a pipe, a device, a folder."""


def read_bytes(source: DataFile) -> bytes:
    """The bytes of a data file. A file on disk is opened without waiting (a named pipe put
    in its place would block forever) and read only if it is a regular file (``NotAFile``
    otherwise); ``OSError`` says what else went wrong."""
    resource = source.resource
    if not isinstance(resource, Path):
        return bytes(resource.read_bytes())
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(resource, flags)
    try:
        # Checked before a file object is made of it: one would refuse a folder with an
        # error of its own and leave the descriptor open.
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFile(f"not a regular file ({kind_of(mode)})")
        with open(handle, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(handle)


def load_file(source: DataFile) -> tuple[LoadedFile | None, list[Problem]]:
    """Parse one file. Returns the loaded file, or None and the problems that stopped it."""
    try:
        raw = read_bytes(source)
    except NotAFile as exc:
        return None, [Problem(source.display, None, None, "", str(exc))]
    except OSError as exc:  # no permission, a link loop, an I/O error...
        return None, [Problem(source.display, None, None, "", f"cannot read: {reason(exc)}")]
    try:
        # utf-8-sig: a byte-order mark written by some editors is fine.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(source.display, line, None, "", "not valid UTF-8 text")]
    if "\x00" in text:
        return None, [Problem(source.display, None, None, "", "binary file, not text")]
    try:
        if source.resource.name.lower().endswith(".json"):
            return _load_json(source, text)
        return _load_yaml(source, text)
    except RecursionError:
        # The pure-Python YAML parser and the json module recurse once per level.
        return None, [Problem(source.display, _deep_line(text), None, "", _TOO_DEEP)]


def _deep_line(text: str) -> int:
    """The line where nesting first goes past ``MAX_DEPTH`` (brackets, indentation or
    "- - -" sequences), found by counting rather than parsing: parsing is what failed."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        dashes = len(stripped) - len(stripped.lstrip("- ")) if stripped.startswith("- ") else 0
        if (len(line) - len(stripped)) // 2 + dashes // 2 > MAX_DEPTH:
            return number
        for char in line:
            depth += char in "[{"
            depth -= char in "]}"
            if depth > MAX_DEPTH:
                return number
    return 1


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _load_json(source: DataFile, text: str) -> tuple[LoadedFile | None, list[Problem]]:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        return None, [Problem(source.display, exc.lineno, exc.colno, "", exc.msg)]
    except _DuplicateKey:
        # JSON is YAML's flow syntax: the YAML walk finds the duplicate and its line.
        found = LoadedFile(source, None)
        problems: list[Problem] = []
        with suppress(RecursionError):
            problems = _load_yaml(source, text, found)[1]
        if found.positions and problems:  # read as YAML, which not every JSON file is
            return None, problems
        return None, [Problem(source.display, None, None, "", "duplicate key in a mapping")]
    if not isinstance(data, dict) and _nested_deeper_than(data, MAX_DEPTH):
        # Python 3.13's json module parses thousands of levels that older versions refuse
        # with a RecursionError; say the same thing on every version. Only a file that is not
        # a mapping is walked: deep values inside a record are refused by the checks anyway.
        raise RecursionError
    return LoadedFile(source, data), []


def _nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and mappings nest more than ``limit`` levels (without recursing)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _load_yaml(
    source: DataFile, text: str, located: LoadedFile | None = None
) -> tuple[LoadedFile | None, list[Problem]]:
    """Parse YAML (or JSON, YAML's flow syntax); with ``located``, record in it where every
    value stands (only when needed: an error to locate)."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            return None, [_yaml_problem(source, exc, text)]
        except yaml.reader.ReaderError as exc:
            return None, [_reader_problem(source, exc, text)]
        except yaml.YAMLError as exc:
            return None, [Problem(source.display, None, None, "", f"invalid YAML: {exc}")]
        if node is None:
            return None, [Problem(source.display, None, None, "", "the file is empty")]
        walk = _Walk(loader, source.display, located)
        try:
            data = _build(node, (), 0, walk)
        except _AliasFound:
            return None, [_alias_problem(source, text)]
        if walk.problems:
            return None, walk.problems
        if isinstance(walk.failed, yaml.MarkedYAMLError):
            return None, [_yaml_problem(source, walk.failed, text)]
        if walk.failed is not None:
            message = f"cannot read value: {walk.failed}"
            return None, [Problem(source.display, None, None, "", message)]
        return LoadedFile(source, data), []
    finally:
        loader.dispose()


def _alias_problem(source: DataFile, text: str) -> Problem:
    """One message for the first alias (a "billion laughs" file has thousands)."""
    message = "YAML anchors and aliases (&name, *name) are not allowed"
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) and mark is not None:
            return Problem(source.display, mark.line + 1, mark.column + 1, "", message)
    return Problem(source.display, None, None, "", message)  # pragma: no cover


def _yaml_problem(source: DataFile, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = f"invalid YAML: {exc.problem or exc.context or 'invalid YAML'}"
    if "nesting depth" in message:
        # Newer libyaml builds stop at 1,000 levels themselves; say it as we do.
        message = _TOO_DEEP
    if mark is None:
        return Problem(source.display, None, None, "", message)
    line, column = mark.line + 1, mark.column + 1
    lines = text.splitlines() or [""]
    if line > len(lines):  # libyaml may report the line after a last, unterminated one
        line, column = len(lines), len(lines[-1]) + 1
    return Problem(source.display, line, column, "", message)


def _reader_problem(source: DataFile, exc: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML does not accept in a file (a control character, say)."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    message = f"invalid YAML: the character {character!r} is not allowed in a data file"
    return Problem(source.display, line, column, "", message)


def _mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _AliasFound(Exception):
    """The walk reached a node twice: an alias. Stop at the first one."""


class _Walk:
    """What one walk over a document's nodes shares: the problems found, the nodes seen, the
    first value that could not be built, and (when given) where every value stands."""

    def __init__(self, loader: yaml.SafeLoader, display: str, located: LoadedFile | None = None):
        self.loader = loader
        self.display = display
        self.located = located
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.failed: Exception | None = None

    def problem(self, node: yaml.Node, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.display, *_mark(node), format_path(path), message))

    def construct(self, node: yaml.Node) -> Any:
        """A value by the loader's own constructors (a scalar that is not plain text, a tagged
        collection). One that cannot be built is reported only when the file has no other
        problem: a duplicate key or an alias says more."""
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            self.failed = self.failed or exc
            return None


def _build(node: yaml.Node, path: PathKey, depth: int, walk: _Walk) -> Any:
    """The data of ``node``, as PyYAML's safe construction gives it (dates kept as text),
    reporting in ``walk`` what a data file has no business holding: duplicate keys, deep
    nesting, keys that are not text, merge keys; an alias stops the walk (``_AliasFound``)."""
    if walk.located is not None:
        walk.located.positions[path] = _mark(node)
    if depth > MAX_DEPTH:
        walk.problem(node, path, _TOO_DEEP)
        return None
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else walk.construct(node)
    if id(node) in walk.seen:
        # An alias: the same node reached twice. Data files never need them, and
        # "billion laughs" files use them to blow up memory.
        raise _AliasFound
    walk.seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        items = [_build(item, (*path, i), depth + 1, walk) for i, item in enumerate(node.value)]
        return items if node.tag == _SEQ else walk.construct(node)
    data: dict[Any, Any] = {}
    first_lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            walk.problem(key_node, path, "mapping keys must be plain text")
            continue
        if key_node.tag == "tag:yaml.org,2002:merge":
            walk.problem(node, path, "YAML merge keys (<<) are not allowed")
            continue
        # The key as the data will hold it: 2019 is an int and ~ is None, not text.
        key = key_node.value if key_node.tag == _STR else walk.construct(key_node)
        key_path = (*path, key)
        if key in first_lines:
            message = (
                f"duplicate key (first given on line {first_lines[key]}); "
                "only one value can be kept, so this is an error"
            )
            walk.problem(key_node, key_path, message)
            continue
        first_lines[key] = _mark(key_node)[0]
        if walk.located is not None:
            walk.located.key_positions[key_path] = _mark(key_node)
        data[key] = _build(value_node, key_path, depth + 1, walk)
    return data if node.tag == _MAP else walk.construct(node)
