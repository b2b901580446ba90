"""What a query can ask for (the vocabularies themselves live in ``choices.py``)."""

from __future__ import annotations

from typing import NamedTuple


class PersonFilter(NamedTuple):
    """Which people ``Catalog.people`` returns: any value of a field matches, every field
    given must match (``countries`` and ``regions`` too). The years match when *one* year a
    source gives is one of ``years`` and within ``since``..``until`` (Jo Song Gil left Rome
    in 2018 and arrived in 2019: both match). ``regions`` are UN M49 regions, each holding
    its sub-regions' countries. ``sort``: a field of ``SORT_FIELDS``, a leading minus reverses.
    """

    years: tuple[int, ...] = ()
    since: int | None = None
    until: int | None = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # choices.STATUSES
    confirmed: bool = False
    sort: str = "year"


class YearFilter(NamedTuple):
    """Years asked for: any of ``years`` (all when empty), within ``since``..``until``."""

    years: tuple[int, ...] = ()
    since: int | None = None
    until: int | None = None

    def matches(self, year: int | None) -> bool:
        if year is None:
            return not (self.years or self.since is not None or self.until is not None)
        return (
            (not self.years or year in self.years)
            and (self.since is None or year >= self.since)
            and (self.until is None or year <= self.until)
        )


class TimelineFilter(NamedTuple):
    """Which entries ``Catalog.timeline`` returns: of ``dates``, about any of ``people`` (any
    spelling, or ids), tied to any of ``countries`` and ``regions``, of any of ``kinds``
    (``TIMELINE_KINDS``); an empty field is no condition."""

    dates: YearFilter = YearFilter()
    people: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


class QuoteFilter(NamedTuple):
    """Which quotations ``Catalog.quotes`` returns: said by (or filed under) any of
    ``people``, printed by any of ``sources``, holding every word of ``search``."""

    people: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    search: str | None = None


class SourceFilter(NamedTuple):
    """Which sources ``Catalog.sources_cited`` returns: cited by the profile of any of
    ``people``, of any of ``kinds``."""

    people: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
