"""The JSON contract: the objects every machine format (JSON, NDJSON, CSV) is made of, and
the columns of each kind of record in CSV and Markdown tables.

Scripts depend on these keys; change them only with a note in CHANGELOG.md.
"""

from __future__ import annotations

from typing import Any

from ..dataset.model import Claim, Person, Quote, Source, YearFigures, as_data
from ..dataset.timeline import TimelineEntry
from ..query.results import HIT_END, HIT_START, Facets, Profile, SearchHit, SourceEntry
from ..text.romanize import romanizations

Record = dict[str, Any]

PERSON_COLUMNS = tuple(
    "id name hangul category country post year years destination confirmed confirmation "
    "status disputed sources".split()
)
QUOTE_COLUMNS = ("id", "person", "speaker", "text", "date", "venue", "source")
STATS_COLUMNS = ("year", "total", "men", "women", "women_percent", "elite", "sources", "note")
FACET_COLUMNS = ("by", "value", "count", "people")
TIMELINE_COLUMNS = ("date", "kind", "person", "summary", "source", "sources")
SOURCE_COLUMNS = ("id", "kind", "outlet", "via", "title", "date", "author", "url", "language")
SEARCH_COLUMNS = ("kind", "id", "person", "title", "snippet")


def _attributes(value: Any, names: str) -> Record:
    """``value``'s attributes named in ``names`` (space-separated), each under its own name,
    in that order, as plain data (``as_data``: tuples as lists, records as objects)."""
    return {name: as_data(getattr(value, name)) for name in names.split()}


def person_record(person: Person) -> Record:
    """A person as ``defect list`` prints it."""
    return {
        **_attributes(person, "id name hangul category country"),
        "post": person.defection.post,
        **_attributes(person, "year years destination confirmed"),
        "confirmation": person.confirmation.status,
        "status": person.status.value,
        "disputed": list(person.disputed_fields),
        "sources": list(person.sources),
    }


def quote_record(quote: Quote) -> Record:
    keys = "id person speaker speaker_id text date venue source language translation note"
    return _attributes(quote, keys)


def source_record(source: Source, number: int | None = None) -> Record:
    numbered: Record = {"n": number} if number is not None else {}
    return {**numbered, **as_data(source)}


def profile_record(profile: Profile) -> Record:
    """A person as ``defect show`` prints it: the list record and everything else."""
    person = profile.person
    return {
        **person_record(person),
        **_attributes(person, "named hanja"),
        # Derived by defect from the Hangul (no source): every standard romanization.
        "romanizations": romanizations(person.hangul) if person.hangul else {},
        **_attributes(person, "summary aliases born postings defection disclosure"),
        "confirmation_detail": as_data(person.confirmation),
        "status_detail": as_data(person.status),
        "related": [
            {"id": link.person, "name": name, **_attributes(link, "relation sources")}
            for link, name in profile.related
        ],
        **_attributes(person, "relatives events"),
        "claims": [claim_record(c) for c in person.claims],
        "quotes": [quote_record(q) for q in profile.quotes],
        "notes": person.notes,
        "sources": [source_record(s, n) for n, s in enumerate(profile.sources, start=1)],
    }


def year_record(row: YearFigures) -> Record:
    """A year of arrivals; null is unknown; every other value a source gives is a claim."""
    return {
        **_attributes(row, "year total men women women_percent elite sources note"),
        "claims": [claim_record(c) for c in row.claims],
    }


def claim_record(claim: Claim) -> Record:
    """One sourced value of a disputed field (``source`` is the first of ``sources``)."""
    return {
        **_attributes(claim, "field value"),
        "source": claim.sources[0],
        **_attributes(claim, "sources status note"),
    }


def facet_records(facets: Facets) -> list[Record]:
    """Each value with its people (counted with them: ``Catalog.count(people=True)``)."""
    if any(r.people is None for r in facets.rows):
        raise ValueError("facet records list their people: count with people=True")
    return [
        {"by": facets.by, "value": r.value, "count": r.size, "people": list(r.people or ())}
        for r in facets.rows
    ]


def timeline_record(entry: TimelineEntry) -> Record:
    return {
        **_attributes(entry, "date kind person summary"),
        "source": entry.sources[0],
        **_attributes(entry, "sources country people"),
    }


def source_entry_record(entry: SourceEntry) -> Record:
    return {**source_record(entry.source), "cited_by": [c._asdict() for c in entry.cited_by]}


def marked(text: str, mark: str = "**") -> str:
    """A snippet with its matched words between ``mark``s (Markdown bold by default)."""
    return text.replace(HIT_START, mark).replace(HIT_END, mark)


def search_record(hit: SearchHit) -> Record:
    return {
        **_attributes(hit, "kind id person"),
        "title": marked(hit.title, ""),
        "snippet": marked(hit.snippet),
        "rank": round(hit.rank, 4),
    }
