"""What queries return beyond single records: shapes the renderers draw."""

from __future__ import annotations

from typing import NamedTuple

from ..dataset.model import Cumulative, Figure, Person, Quote, Related, Source, YearFigures
from ..dataset.timeline import TimelineEntry


class Profile(NamedTuple):
    """Everything ``defect show`` prints about one person. ``sources``, numbered from 1 for
    citing: every source the record or its quotations cite, the record's main sources first."""

    person: Person
    quotes: tuple[Quote, ...]
    related: tuple[tuple[Related, str], ...]
    sources: tuple[Source, ...]

    def number(self, source_id: str) -> int:
        return [source.id for source in self.sources].index(source_id) + 1


class QuoteSet(NamedTuple):
    """Quotations with the sources they cite, for rendering."""

    quotes: tuple[Quote, ...]
    sources: dict[str, Source]


class Statistics(NamedTuple):
    """The arrivals series (rows sorted by year), cumulative totals and other counts."""

    arrivals: tuple[YearFigures, ...]
    cumulative: tuple[Cumulative, ...]
    figures: tuple[Figure, ...]
    sources: dict[str, Source]


class FacetRow(NamedTuple):
    """One value of a facet (``count --by``) with the people it counts."""

    value: str
    size: int  # how many people have this value ("count" would hide tuple.count)
    people: tuple[str, ...] | None  # None when only the size was asked for


class CitedBy(NamedTuple):
    kind: str  # person | event | statistics
    id: str
    label: str


class SourceEntry(NamedTuple):
    """A source with the records that cite it."""

    source: Source
    cited_by: tuple[CitedBy, ...]


class Facets(NamedTuple):
    """``count --by``: the facet, its rows, and how many people were counted."""

    by: str
    rows: tuple[FacetRow, ...]
    total: int


class Timeline(NamedTuple):
    entries: tuple[TimelineEntry, ...]
    sources: dict[str, Source]


# Marks around the matched words in a search snippet (private-use characters: they cannot
# occur in the data, and every renderer turns them into its own kind of highlight).
HIT_START, HIT_END = "\ue000", "\ue001"


class SearchHit(NamedTuple):
    kind: str  # one of SEARCH_KINDS
    id: str  # the record: a person id, quote id, event id or source id
    person: str | None  # the person it belongs to, if any
    title: str
    snippet: str  # with HIT_START/HIT_END around the matched words
    rank: float  # lower is better (SQLite FTS5 bm25)


class SearchResult(NamedTuple):
    query: str
    hits: tuple[SearchHit, ...]  # grouped by kind in SEARCH_KINDS order, best first
