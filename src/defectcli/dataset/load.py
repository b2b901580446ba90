"""Parse data files into plain Python data, remembering where every value stood.

YAML is parsed with PyYAML's C loader where it exists (``CSafeLoader``), else the pure-Python
``SafeLoader``; never an unsafe loader, so a file cannot make us run code. We compose the node
tree first and walk it, which gives every value a line and column for error messages and lets
us refuse what a data file has no business holding (duplicate keys, aliases) before we build it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Problem
from .locate import DataFile

PathKey = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64  # no record nests deeper than a handful of levels; deeper is an attack or a typo


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as the strings they were written as.

    The schema describes dates as text at their known precision (``2019``, ``2019-07``,
    ``2019-07-14``); PyYAML would turn only the last form into a ``datetime.date``.
    """


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


@dataclass
class LoadedFile:
    """A parsed file: its data and the position of every value (and every mapping key)."""

    source: DataFile
    data: Any
    positions: dict[PathKey, Position] = field(default_factory=dict)
    key_positions: dict[PathKey, Position] = field(default_factory=dict)

    def position(self, path: PathKey, *, key: bool = False) -> Position | None:
        """Where ``path`` stands in the file, or the nearest enclosing value that has one."""
        table = self.key_positions if key else self.positions
        probe = path
        while True:
            if probe in table:
                return table[probe]
            if key and probe in self.positions:
                return self.positions[probe]
            if not probe:
                return None
            probe = probe[:-1]

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        where = self.position(path, key=key)
        line, column = where if where else (None, None)
        return Problem(self.source.display, line, column, format_path(path), message)


def format_path(path: PathKey) -> str:
    """``('postings', 0, 'title')`` -> ``postings[0].title``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def load_file(source: DataFile) -> tuple[LoadedFile | None, list[Problem]]:
    """Parse one file. Returns the loaded file, or None and the problems that stopped it."""
    try:
        raw = source.resource.read_bytes()
    except OSError as exc:
        return None, [Problem(source.display, None, None, "", f"cannot read: {exc.strerror}")]
    try:
        # utf-8-sig: a byte-order mark written by some editors is fine.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(source.display, line, None, "", "not valid UTF-8 text")]
    if "\x00" in text:
        return None, [Problem(source.display, None, None, "", "binary file, not text")]
    if source.is_json:
        return _load_json(source, text)
    return _load_yaml(source, text)


def _load_json(source: DataFile, text: str) -> tuple[LoadedFile | None, list[Problem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(source.display, exc.lineno, exc.colno, "", exc.msg)]
    return LoadedFile(source, data), []


def _load_yaml(source: DataFile, text: str) -> tuple[LoadedFile | None, list[Problem]]:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            return None, [_yaml_problem(source, exc)]
        except yaml.YAMLError as exc:
            return None, [Problem(source.display, None, None, "", str(exc))]
        if node is None:
            return None, [Problem(source.display, None, None, "", "the file is empty")]
        loaded = LoadedFile(source, None)
        problems = _walk(node, (), loaded, set(), 0)
        if problems:
            return None, problems
        try:
            loaded.data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            return None, [_yaml_problem(source, exc)]
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            return None, [Problem(source.display, None, None, "", f"cannot read value: {exc}")]
        return loaded, []
    finally:
        loader.dispose()


def _yaml_problem(source: DataFile, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "invalid YAML"
    if mark is None:
        return Problem(source.display, None, None, "", f"invalid YAML: {message}")
    return Problem(source.display, mark.line + 1, mark.column + 1, "", f"invalid YAML: {message}")


def _mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _walk(
    node: yaml.Node, path: PathKey, out: LoadedFile, seen: set[int], depth: int
) -> list[Problem]:
    """Record positions; report duplicate keys, aliases and absurd nesting."""
    out.positions[path] = _mark(node)
    if depth > MAX_DEPTH:
        return [out.problem(path, f"nested more than {MAX_DEPTH} levels deep")]
    if isinstance(node, yaml.ScalarNode):
        return []
    if id(node) in seen:
        # An alias: the same node reached twice. Data files never need them, and
        # "billion laughs" files use them to blow up memory.
        # Point at the key that holds the alias: the node's own mark is the anchor's.
        message = "YAML anchors and aliases (&name, *name) are not allowed"
        return [out.problem(path, message, key=True)]
    seen.add(id(node))
    problems: list[Problem] = []
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _walk(item, (*path, index), out, seen, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(out.problem(path, "mapping keys must be plain text"))
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(out.problem(path, "YAML merge keys (<<) are not allowed"))
                continue
            key = key_node.value
            if key in first_seen:
                problems.append(
                    Problem(
                        out.source.display,
                        *_mark(key_node),
                        format_path((*path, key)),
                        f"duplicate key (first given on line {first_seen[key]}); "
                        "only one value can be kept, so this is an error",
                    )
                )
                continue
            first_seen[key] = _mark(key_node)[0]
            key_path = (*path, key)
            out.key_positions[key_path] = _mark(key_node)
            problems += _walk(value_node, key_path, out, seen, depth + 1)
    return problems
