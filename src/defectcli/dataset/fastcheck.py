"""A fast yes/no check of data against our JSON Schemas, compiled into Python closures.

``jsonschema`` explains *why* a record is invalid, with the path of every error; that is
what a person editing YAML needs, but it costs about a millisecond per record, which is two
minutes for 100,000 people. Valid data is the common case, so we first ask this compiled
check (tens of microseconds a record) and call ``jsonschema`` only for a record it rejects.

It understands the keywords our schemas use and refuses to compile any other, so the schema
cannot grow a rule that this check would silently ignore; a test compares its verdicts with
``jsonschema``'s on valid and mutated records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "title", "description", "default", "$defs", "examples"}

_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


class Compiler:
    """Compiles schemas that may ``$ref`` each other by file name (``person.schema.json``)."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self.documents = documents
        self._cache: dict[tuple[str, str], Check] = {}

    def compile_file(self, name: str) -> Check:
        return self._ref(name, "")

    def _ref(self, base: str, ref: str) -> Check:
        document_name, _, pointer = ref.partition("#")
        document_name = document_name or base
        key = (document_name, pointer)
        if key not in self._cache:
            # A placeholder first: a schema that refers to itself still compiles.
            self._cache[key] = lambda value: resolved(value)
            node = self.documents[document_name]
            for part in [p for p in pointer.split("/") if p]:
                node = node[part]
            resolved = self._compile(node, document_name)
            self._cache[key] = resolved
        return self._cache[key]

    def _compile(self, schema: Mapping[str, Any], base: str) -> Check:
        checks: list[Check] = []
        for keyword, value in schema.items():
            if keyword in _IGNORED:
                continue
            maker = getattr(self, "_kw_" + keyword.lstrip("$"), None)
            if maker is None:
                raise ValueError(f"fastcheck does not know the keyword {keyword!r}")
            checks.append(maker(value, schema, base))
        return _all_of(checks)

    # --- keywords (each returns a check of one aspect) ------------------------------------

    def _kw_ref(self, value: str, schema: Any, base: str) -> Check:
        return self._ref(base, value)

    def _kw_type(self, value: Any, schema: Any, base: str) -> Check:
        names = [value] if isinstance(value, str) else list(value)
        tests = [_TYPES[n] for n in names]
        if len(tests) == 1:
            return tests[0]
        return lambda v: any(t(v) for t in tests)

    def _kw_enum(self, value: list[Any], schema: Any, base: str) -> Check:
        allowed = list(value)
        return lambda v: any(v == a and type(v) is type(a) for a in allowed)

    def _kw_pattern(self, value: str, schema: Any, base: str) -> Check:
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    def _kw_minLength(self, value: int, schema: Any, base: str) -> Check:
        return lambda v: not isinstance(v, str) or len(v) >= value

    def _kw_minItems(self, value: int, schema: Any, base: str) -> Check:
        return lambda v: not isinstance(v, list) or len(v) >= value

    def _kw_uniqueItems(self, value: bool, schema: Any, base: str) -> Check:
        if not value:
            return lambda v: True
        return lambda v: not isinstance(v, list) or _unique(v)

    def _kw_minimum(self, value: float, schema: Any, base: str) -> Check:
        return lambda v: not _is_number(v) or v >= value

    def _kw_maximum(self, value: float, schema: Any, base: str) -> Check:
        return lambda v: not _is_number(v) or v <= value

    def _kw_required(self, value: list[str], schema: Any, base: str) -> Check:
        keys = frozenset(value)
        return lambda v: not isinstance(v, dict) or keys <= v.keys()

    def _kw_properties(self, value: Mapping[str, Any], schema: Any, base: str) -> Check:
        props = {k: self._compile(s, base) for k, s in value.items()}

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, item in v.items():
                sub = props.get(key)
                if sub is not None and not sub(item):
                    return False
            return True

        return check

    def _kw_additionalProperties(self, value: Any, schema: Any, base: str) -> Check:
        if value is not False:
            raise ValueError("fastcheck supports only additionalProperties: false")
        known = frozenset(schema.get("properties", {}))
        return lambda v: not isinstance(v, dict) or known.issuperset(v)

    def _kw_items(self, value: Mapping[str, Any], schema: Any, base: str) -> Check:
        item = self._compile(value, base)

        def check(v: Any) -> bool:
            if isinstance(v, list):
                for i in v:
                    if not item(i):
                        return False
            return True

        return check

    def _kw_not(self, value: Mapping[str, Any], schema: Any, base: str) -> Check:
        inner = self._compile(value, base)
        return lambda v: not inner(v)


def _all_of(checks: list[Check]) -> Check:
    """One check from several, each tried in turn until one fails."""
    if len(checks) == 1:
        return checks[0]

    def check(v: Any) -> bool:
        for one in checks:  # noqa: SIM110 - a loop beats all() over a generator here
            if not one(v):
                return False
        return True

    return check


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _unique(items: list[Any]) -> bool:
    try:
        return len({repr(i) for i in items}) == len(items)
    except TypeError:  # pragma: no cover - repr never raises on plain data
        return False
