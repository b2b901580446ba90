"""Helpers of the query layer: WHERE clauses, search terms, facets, the stored form of a
record."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..text.names import words


def marks(values: Sequence[object]) -> str:
    """The placeholders of an ``IN (...)`` list of ``values``."""
    return ", ".join("?" * len(values))


class Where:
    """The conditions of a WHERE clause, every one required, with their parameters."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[object] = []

    def add(self, clause: str, *params: object) -> None:
        self.clauses.append(clause)
        self.params += params

    def any_of(self, column: str, values: Sequence[object]) -> None:
        """``column`` is one of ``values``; no condition when there are none."""
        if values:
            self.add(f"{column} IN ({marks(values)})", *values)

    def sql(
        self, select: str, order: str = "", limit: int | None = None
    ) -> tuple[str, list[object]]:
        """``select`` under these conditions, then ``order`` and the first ``limit`` rows."""
        sql = select + (" WHERE " + " AND ".join(self.clauses) if self.clauses else "") + order
        if limit is None:
            return sql, list(self.params)
        return f"{sql} LIMIT ?", [*self.params, limit]


def country_keys(names: Sequence[str]) -> list[str]:
    if not names:
        return []
    from ..text.countries import country_key  # its alias tables load only for a country filter

    return [country_key(name) for name in names]


def region_keys(regions: tuple[str, ...]) -> list[str]:
    """The country keys of every country in any of ``regions``: none when none is asked
    for; a key no country has ("") when the regions hold no country, so nothing matches."""
    if not regions:
        return []
    from ..text import regions as m49  # the M49 table loads only for a region filter

    keys = sorted(set().union(*(m49.country_keys(region) for region in regions)))
    return keys or [""]


def fts_query(text: str) -> str:
    """An FTS5 query for what a person typed: each word as a prefix, phrases whole, all
    required. Raises ``ValueError`` when there is nothing to search for."""
    parts = []
    for term in search_terms(text):
        quoted = '"' + term.replace('"', '""') + '"'
        parts.append(quoted if " " in term else quoted + "*")
    if not parts:
        raise ValueError("nothing to search for: give a word or a phrase")
    return " AND ".join(parts)


def search_terms(text: str) -> list[str]:
    """Folded search terms: quoted phrases stay whole, other words stand alone."""
    # SQLite reads a query only up to a NUL character ("unterminated string"): a space.
    found = re.findall(r'"([^"]*)"|(\S+)', text.replace("\x00", " "))
    return [term for phrase, word in found if (term := " ".join(words(phrase or word)))]


# The value of a time facet of ``count --by`` in a person's row; any other is a column.
TIME_FACETS = {
    "year": "coalesce(CAST(year AS TEXT), 'unknown')",
    "decade": "coalesce((year / 10 * 10) || 's', 'unknown')",
}


def schema_form(value: Any) -> Any:
    """A stored record without its unknown (null) values, as a data file would hold it."""
    if isinstance(value, dict):
        return {k: schema_form(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [schema_form(v) for v in value]
    return value
