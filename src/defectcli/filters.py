"""What a query can ask for (the vocabularies themselves live in ``choices.py``)."""

from __future__ import annotations

from typing import NamedTuple

from .choices import CATEGORIES, CITE_STYLES, FACETS, SEARCH_KINDS, SORT_FIELDS, SOURCE_KINDS

__all__ = [
    "CATEGORIES",
    "CITE_STYLES",
    "FACETS",
    "SEARCH_KINDS",
    "SORT_FIELDS",
    "SOURCE_KINDS",
    "PersonFilter",
]


class PersonFilter(NamedTuple):
    """Which people ``Catalog.people`` returns. Every filter given must match.

    A person matches a year filter when *any* year a source gives for the defection
    matches (Jo Song Gil left Rome in 2018 and arrived in 2019: both years match).
    """

    year: int | None = None
    since: int | None = None
    until: int | None = None
    country: str | None = None
    category: str | None = None
    destination: str | None = None
    confirmed: bool = False
    statuses: tuple[str, ...] = ()  # any of these (choices.STATUSES); empty: every status
    sort: str = "year"
