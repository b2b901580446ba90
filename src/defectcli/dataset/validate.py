"""Check parsed files against the JSON Schema and each other; report every problem at once.

The schema (draft 2020-12, in ``data/schema/``) is the one editors and ``check-jsonschema``
use, so our checks and theirs cannot drift apart. ``jsonschema`` is imported here only: the
validator runs when the dataset is read, never for ``--help`` or completion.
"""

from __future__ import annotations

import datetime
import difflib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

import fastjsonschema

from ..errors import Problem
from .load import LoadedFile, PathKey
from .locate import FOLDER_KINDS, schema_root

_TYPE_NAMES = {
    "string": "text",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
}


def _schema_documents() -> dict[str, Any]:
    """The bundled JSON Schemas by file name, the name each one's ``$ref`` uses."""
    return {
        entry.name: json.loads(entry.read_text(encoding="utf-8"))
        for entry in schema_root().iterdir()
        if entry.name.endswith(".schema.json")
    }


@cache
def _validators() -> dict[str, Any]:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    documents = _schema_documents()
    resources = [(name, Resource.from_contents(doc)) for name, doc in documents.items()]
    # Crawled once here: an uncrawled registry is crawled again at every "$ref" it follows.
    registry: Registry[Any] = Registry().with_resources(resources).crawl()
    # Each kind of file is checked by the schema of its name: person.schema.json...
    return {
        kind: Draft202012Validator({"$ref": f"{kind}.schema.json"}, registry=registry)
        for kind in (*FOLDER_KINDS.values(), "dataset")
    }


@cache
def _fast_check(kind: str) -> Callable[[Any], bool]:
    """A yes/no check of a kind of file by ``fastjsonschema``: valid data, the usual case,
    needs none of ``jsonschema``'s explanations, which cost far more a record. It knows drafts
    4 to 7, where each keyword our schemas use means what it means in 2020-12 (a test compares
    the verdicts); ``use_default=False`` keeps the data as written."""
    validate = fastjsonschema.compile(
        {"$ref": f"{kind}.schema.json"},
        handlers={"": _schema_documents().__getitem__},
        use_default=False,
    )

    def valid(data: Any) -> bool:
        try:
            validate(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return valid


def schema_problems(loaded: LoadedFile) -> list[Problem]:
    """Every way ``loaded.data`` breaks the schema for its kind of file."""
    if _fast_check(loaded.source.kind)(loaded.data):
        return []  # valid: no need to ask jsonschema for explanations
    validator = _validators()[loaded.source.kind]
    problems = [_describe(loaded, error) for error in validator.iter_errors(loaded.data)]
    return sorted(set(problems), key=lambda p: (p.line or 0, p.column or 0, p.path, p.message))


def _describe(loaded: LoadedFile, error: Any) -> Problem:
    """Turn a jsonschema error into a message a person editing YAML understands."""
    path: PathKey = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema
    instance = error.instance
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        key = next((k for k in instance if k not in allowed), "?")  # instance: a mapping
        message = f"unknown key {key!r}"
        close = difflib.get_close_matches(str(key), allowed, n=1)
        message += f" (did you mean {close[0]!r}?)" if close else f"; allowed: {', '.join(allowed)}"
        # Located at the key itself, reported under the mapping that holds it.
        located = loaded.problem((*path, key), message, key=True)
        return located._replace(path=loaded.shown_path(path))
    if kind == "required":
        names = ", ".join(repr(k) for k in error.validator_value if k not in instance)
        return loaded.problem(path, f"missing required key {names}")
    if kind == "type":
        expected = error.validator_value
        wanted = [expected] if isinstance(expected, str) else list(expected)
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
        return loaded.problem(path, f"expected {names}, got {_show(instance)}")
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return loaded.problem(path, f"expected one of: {choices}; got {_show(instance)}")
    if kind == "pattern":
        what = (schema.get("description") or f"text matching {error.validator_value}").rstrip(".")
        return loaded.problem(path, f"expected {what[:1].lower()}{what[1:]}, got {_show(instance)}")
    if kind == "minLength":
        return loaded.problem(path, "must not be empty")
    if kind == "minItems":
        return loaded.problem(path, f"needs at least {error.validator_value} item(s)")
    if kind == "uniqueItems":
        return loaded.problem(path, "lists the same item twice")
    both = isinstance(instance, dict) and {"speaker", "speaker_name"} <= set(instance)
    if kind == "not" and both:
        return loaded.problem(path, "give either 'speaker' or 'speaker_name', not both")
    if kind in {"minimum", "maximum"}:
        bound = "at least" if kind == "minimum" else "at most"
        return loaded.problem(path, f"must be {bound} {error.validator_value}, got {instance!r}")
    return loaded.problem(path, error.message)


def _show(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)  # as YAML and JSON write it: null, true, false
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


# --- Cross-references -------------------------------------------------------------------


@dataclass
class Located:
    """A record from some file, with the file and the path where it stands."""

    data: dict[str, Any]
    file: LoadedFile
    path: PathKey


@dataclass
class Collected:
    """The records of every file, gathered by kind (each under its own key in a file),
    each remembering where it came from."""

    people: list[Located]
    sources: list[Located]
    events: list[Located]
    arrivals: list[Located]
    cumulative: list[Located]
    figures: list[Located]


def collect(files: Iterable[LoadedFile]) -> Collected:
    """Gather records by kind from schema-valid files of any layout."""
    lists: dict[str, list[Located]] = {f.name: [] for f in fields(Collected)}
    for loaded in files:
        data = loaded.data
        if loaded.source.kind == "person":
            lists["people"].append(Located(data, loaded, ()))
            continue
        # Any other file holds lists of records under their names; a dataset file holds its
        # statistics' under "statistics" (the schemas allow no other keys).
        for base, holder in (((), data), (("statistics",), data.get("statistics", {}))):
            for name, bucket in lists.items():
                items = enumerate(holder.get(name, []))
                bucket.extend(Located(item, loaded, (*base, name, i)) for i, item in items)
    return Collected(**lists)


def reference_problems(records: Collected) -> list[Problem]:
    """Ids unique, file names match ids, every cited source and person exists, every full
    date a day of the calendar (2023-02-30 passes the schema's pattern)."""
    problems: list[Problem] = []
    people = _unique_values(records.people, "id", "person", problems)
    sources = _unique_values(records.sources, "id", "source", problems)
    _unique_values(records.events, "id", "event", problems)
    _unique_values(records.figures, "id", "figure", problems)
    _unique_values(records.arrivals, "year", "statistics year", problems)
    quote_ids: set[str] = set()

    for person in records.people:
        data, loaded = person.data, person.file
        if loaded.source.kind == "person" and data["id"] != loaded.source.stem:
            message = f"id {data['id']!r} must match the file name {loaded.source.stem!r}"
            problems.append(loaded.problem((*person.path, "id"), message))
        for i, link in enumerate(data.get("related", [])):
            where = (*person.path, "related", i, "person")
            if link["person"] not in people:
                problems.append(loaded.problem(where, _unknown("person", link["person"], people)))
            elif link["person"] == data["id"]:
                problems.append(loaded.problem(where, "a person cannot be related to themself"))
        for i, quote in enumerate(data.get("quotes", [])):
            where = (*person.path, "quotes", i)
            if quote["id"] in quote_ids:
                message = f"duplicate quote id {quote['id']!r}"
                problems.append(loaded.problem((*where, "id"), message))
            quote_ids.add(quote["id"])
            speaker = quote.get("speaker")
            if speaker is not None and speaker not in people:
                message = _unknown("person", speaker, people)
                problems.append(loaded.problem((*where, "speaker"), message))

    every: list[Located] = [record for f in fields(records) for record in getattr(records, f.name)]
    # One quick scan of each record serves both the date and the source checks; only a
    # record with a problem is walked again, with paths, to say where it is.
    scans = [(record, *_scan(record.data)) for record in every]
    for record, _, dates in scans:
        if all(_is_day(value) for value in dates):
            continue
        for where, key, value in _entries(record.data, record.path):
            if key in _DATE_KEYS and isinstance(value, str) and not _is_day(value):
                message = f"{value!r} is not a day of the calendar"
                problems.append(record.file.problem(where, message))

    for event in records.events:
        for i, pid in enumerate(event.data.get("people", [])):
            if pid not in people:
                where = (*event.path, "people", i)
                problems.append(event.file.problem(where, _unknown("person", pid, people)))

    for record, cited, _ in scans:
        if all(source_id in sources for source_id in cited):
            continue
        for where, key, value in _entries(record.data, record.path):
            # A source id: the value of a "source" key, or an item of a "sources" list.
            cites = key == "source" or (isinstance(key, int) and where[-2] == "sources")
            if cites and isinstance(value, str) and value not in sources:
                problems.append(record.file.problem(where, _unknown("source", value, sources)))
    return problems


_DATE_KEYS = {"date", "start", "end", "as_of"}


def _is_day(value: str) -> bool:
    """Not a full date, or a day the calendar has."""
    if len(value) != 10:
        return True
    try:
        datetime.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        return False
    return True


def _scan(data: Any) -> tuple[list[str], list[str]]:
    """The source ids cited and the dates given anywhere inside a record, without their
    paths (a path tuple for every value of a large dataset would cost most of the check)."""
    cited: list[str] = []
    dates: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "sources" and isinstance(value, list):
                    cited.extend(value)
                elif key == "source" and isinstance(value, str):
                    cited.append(value)
                elif key in _DATE_KEYS and isinstance(value, str):
                    dates.append(value)
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return cited, dates


def _unique_values(
    records: list[Located], key: str, what: str, problems: list[Problem]
) -> dict[Any, Located]:
    seen: dict[Any, Located] = {}
    for record in records:
        value = record.data[key]
        first = seen.setdefault(value, record)
        if first is not record:
            line = first.file.position((*first.path, key))
            at = first.file.source.display + (f":{line[0]}" if line else "")
            message = f"duplicate {what} {value!r} (also in {at})"
            problems.append(record.file.problem((*record.path, key), message))
    return seen


def _entries(data: Any, path: PathKey) -> Iterator[tuple[PathKey, Any, Any]]:
    """Every (path, key, value) inside ``data``, at any depth (a list item's key: its index)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key), key, value
            yield from _entries(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield (*path, i), i, item
            yield from _entries(item, (*path, i))


def _unknown(what: str, value: str, known: dict[str, Any]) -> str:
    message = f"no {what} with id {value!r}"
    close = difflib.get_close_matches(value, list(known), n=1)
    return message + (f" (did you mean {close[0]!r}?)" if close else "")
