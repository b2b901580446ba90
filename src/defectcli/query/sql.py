"""Helpers of the query layer: SQL placeholders and limits, search terms, facets, the
stored form of a record."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..dataset.model import Person


def _marks(values: Sequence[object]) -> str:
    """The placeholders of an ``IN (...)`` list of ``values``."""
    return ", ".join("?" * len(values))


def _limited(sql: str, params: list[object], limit: int | None) -> tuple[str, list[object]]:
    """``sql`` (which ends with its ORDER BY) cut to its first ``limit`` rows."""
    if limit is None:
        return sql, params
    return f"{sql} LIMIT ?", [*params, limit]


def _country_key(name: str) -> str:
    from ..text.countries import country_key  # its alias tables load only for a country filter

    return country_key(name)


def _region_keys(regions: tuple[str, ...]) -> list[str]:
    """The country keys of every country in any of ``regions``: none when none is asked
    for; a key no country has ("") when the regions hold no country, so nothing matches."""
    if not regions:
        return []
    from ..text.regions import country_keys  # the M49 table loads only for a region filter

    keys = sorted(set().union(*(country_keys(region) for region in regions)))
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
    from ..text.names import fold_text

    terms: list[str] = []
    # SQLite reads a query only up to a NUL character ("unterminated string"): a space.
    text = text.replace("\x00", " ")
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        folded = fold_text(phrase or word)
        if folded:
            terms.append(folded)
    return terms


def _facet_value(by: str, year: int | None, country: str, category: str, destination: str) -> str:
    if by == "year":
        return str(year) if year is not None else "unknown"
    if by == "decade":
        return f"{year // 10 * 10}s" if year is not None else "unknown"
    return {"country": country, "category": category, "destination": destination}[by]


def _facet_order(by: str, value: str, size: int) -> tuple[int, str]:
    """Years and decades in time order (unknown last); other facets largest first."""
    if by in {"year", "decade"}:
        return (1 if value == "unknown" else 0, value)
    return (-size, value)


def _schema_form(value: Any) -> Any:
    """A stored record without its unknown (null) values, as a data file would hold it."""
    if isinstance(value, dict):
        return {k: _schema_form(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_schema_form(v) for v in value]
    return value


def _person(doc: str) -> Person:
    from ..dataset.model import Person, build

    return build(Person, json.loads(doc))
