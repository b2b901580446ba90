"""What a query can ask for (the vocabularies themselves live in ``choices.py``)."""

from __future__ import annotations

from typing import NamedTuple


class PersonFilter(NamedTuple):
    """Which people ``Catalog.people`` returns. The values of one field are alternatives
    (any of them matches); every field given must match.

    A person matches the years when *one* year a source gives for the defection is one of
    ``years`` and within ``since``..``until`` (Jo Song Gil left Rome in 2018 and arrived in
    2019: both years match). ``sort`` is a field of ``SORT_FIELDS``, or one with a leading
    minus for the reverse order (``-year``: newest first).

    ``regions`` are UN M49 regions (``regions.py``): one matches a posting in any country
    it or its sub-regions hold. Like any two fields, ``countries`` and ``regions`` must both
    match when both are given.
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
    """Which entries ``Catalog.timeline`` returns: dated in ``dates`` years, about any of
    ``people`` (names in any spelling, or ids), tied to any of ``countries`` and to a
    country in any of ``regions`` (UN M49 regions), of any of ``kinds``
    (``TIMELINE_KINDS``). Empty: no condition."""

    dates: YearFilter = YearFilter()
    people: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


class QuoteFilter(NamedTuple):
    """Which quotations ``Catalog.quotes`` returns: said by (or filed under) any of
    ``people``, printed by any of ``sources``, holding every word of ``search`` ("a
    phrase" in double quotes as a phrase)."""

    people: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    search: str | None = None


class SourceFilter(NamedTuple):
    """Which sources ``Catalog.sources_cited`` returns: cited by the profile of any of
    ``people``, of any of ``kinds`` (``SOURCE_KINDS``)."""

    people: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
