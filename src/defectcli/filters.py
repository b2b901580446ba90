"""What a query can ask for. Kept free of heavy imports: the CLI's options use it at start-up."""

from __future__ import annotations

from dataclasses import dataclass

SORT_FIELDS = ("year", "name", "country", "category", "destination", "id")
CATEGORIES = ("diplomat", "official", "family", "other")
FACETS = ("year", "decade", "country", "category", "destination")
SOURCE_KINDS = (
    "news", "broadcast", "interview", "book", "government", "statistics",
    "library", "blog", "forum", "wiki", "report", "other",
)  # fmt: skip
CITE_STYLES = ("text", "bibtex", "csl-json")
SEARCH_KINDS = ("person", "quote", "event", "claim", "source")


@dataclass(frozen=True)
class PersonFilter:
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
    sort: str = "year"
