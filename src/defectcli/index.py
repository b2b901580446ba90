"""The index: the dataset compiled into SQLite tables that every query reads.

Each record is stored whole as JSON (``doc``) beside the columns queries filter and sort on,
so a query never needs the YAML again. Today the database is built in memory when a
``Catalog`` opens; it is plain SQLite, so it can be written to disk as a cache unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from .countries import country_key
from .dataset.model import Person, Quote, as_data
from .dataset.read import Dataset
from .names import name_key, words
from .render.records import person_record, quote_record
from .romanize import is_hangul, phonetic_key, phonetic_words, romanizations
from .timeline import TimelineEntry, context_entries, person_entries

SCHEMA = """
CREATE TABLE people (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, hangul TEXT, category TEXT NOT NULL,
    country TEXT NOT NULL, country_key TEXT NOT NULL,
    destination TEXT NOT NULL, destination_key TEXT NOT NULL,
    year INTEGER, confirmed INTEGER NOT NULL, doc TEXT NOT NULL, record TEXT NOT NULL
);
CREATE TABLE person_years (person_id TEXT NOT NULL, year INTEGER NOT NULL);
CREATE INDEX person_years_year ON person_years (year);
CREATE TABLE person_names (
    person_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    key TEXT NOT NULL, pkey TEXT NOT NULL, pwords TEXT NOT NULL
);
CREATE INDEX person_names_key ON person_names (key);
CREATE INDEX person_names_pkey ON person_names (pkey);
CREATE VIRTUAL TABLE search USING fts5(
    kind UNINDEXED, ref UNINDEXED, person UNINDEXED, title, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE quotes (
    rank INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL,
    person TEXT NOT NULL, speaker_id TEXT, source TEXT NOT NULL, date TEXT,
    doc TEXT NOT NULL, record TEXT NOT NULL
);
CREATE INDEX quotes_person ON quotes (person);
CREATE INDEX quotes_speaker ON quotes (speaker_id);
CREATE INDEX people_country ON people (country_key);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE TABLE citations (
    source_id TEXT NOT NULL, record_kind TEXT NOT NULL, record_id TEXT NOT NULL
);
CREATE INDEX citations_source ON citations (source_id);
CREATE TABLE timeline (
    seq INTEGER NOT NULL, date TEXT NOT NULL, kind_order INTEGER NOT NULL, kind TEXT NOT NULL,
    person TEXT, person_name TEXT, country_key TEXT, people TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE TABLE events (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE arrivals (year INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE cumulative (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE figures (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
"""


def _quote_text(quote: Quote) -> str:
    return " ".join(filter(None, [quote.text, quote.translation]))


def dumps(record: Any) -> str:
    return json.dumps(as_data(record), ensure_ascii=False)


def build_index(dataset: Dataset, db: sqlite3.Connection) -> None:
    """Create the tables in ``db`` and fill them from ``dataset``."""
    db.executescript(SCHEMA)
    # Quotations are stored in the order every listing shows them (dated first, by date,
    # then as read), and that position is also their rowid in the full-text table: a
    # search is then one FTS lookup of rowids and a walk of the quotes table in order,
    # with no sort and no reading of the FTS table's stored text (4x faster at 300,000).
    # So they go into the search table first; every other row is numbered after them.
    ordered = sorted(
        enumerate(dataset.quotes), key=lambda sq: (sq[1].date is None, sq[1].date or "", sq[0])
    )
    db.executemany(
        "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (
                rank,
                q.id,
                seq,
                q.person,
                q.speaker_id,
                q.source,
                q.date,
                dumps(q),
                json.dumps(quote_record(q), ensure_ascii=False),
            )
            for rank, (seq, q) in enumerate(ordered, start=1)
        ],
    )
    db.executemany(
        "INSERT INTO search (rowid, kind, ref, person, title, body) VALUES (?,?,?,?,?,?)",
        [
            (rank, "quote", q.id, q.person, f"{q.speaker}, {q.venue}", _quote_text(q))
            for rank, (_, q) in enumerate(ordered, start=1)
        ],
    )
    docs: list[Any] = list(dataset.person_docs) or [None] * len(dataset.people)
    for person, doc in zip(dataset.people, docs, strict=True):
        _add_person(db, person, doc)
    db.executemany(
        "INSERT INTO sources VALUES (?,?,?,?)",
        [(s.id, i, s.kind, dumps(s)) for i, s in enumerate(dataset.sources)],
    )
    db.executemany(
        "INSERT INTO search VALUES (?,?,?,?,?)",
        [("event", e.id, None, f"{e.date} {e.kind}", e.summary) for e in dataset.events]
        + [
            ("source", s.id, None, s.outlet, " ".join(filter(None, [s.title, s.author, s.via])))
            for s in dataset.sources
        ],
    )
    db.executemany("INSERT INTO citations VALUES (?,?,?)", list(_citations(dataset)))
    entries = [e for p in dataset.people for e in person_entries(p)]
    entries += [e for ev in dataset.events for e in context_entries(ev)]
    entries.sort(key=lambda e: e.sort_key)
    db.executemany(
        "INSERT INTO timeline VALUES (?,?,?,?,?,?,?,?,?)",
        [_timeline_row(i, e) for i, e in enumerate(entries)],
    )
    db.executemany(
        "INSERT INTO arrivals VALUES (?,?)", [(y.year, dumps(y)) for y in dataset.arrivals]
    )
    tabled = (
        ("events", dataset.events),
        ("cumulative", dataset.cumulative),
        ("figures", dataset.figures),
    )
    for table, records in tabled:
        rows = [(i, dumps(r)) for i, r in enumerate(records)]
        db.executemany(f"INSERT INTO {table} VALUES (?,?)", rows)


def _add_person(db: sqlite3.Connection, person: Person, doc: Any) -> None:
    db.execute(
        "INSERT INTO people VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            person.id,
            person.name,
            person.hangul,
            person.category,
            person.country,
            country_key(person.country),
            person.destination,
            country_key(person.destination),
            person.year,
            int(person.confirmed),
            json.dumps(doc, ensure_ascii=False) if doc is not None else dumps(person),
            # What `defect list --json` prints, rendered once here rather than per query.
            json.dumps(person_record(person), ensure_ascii=False),
        ),
    )
    db.executemany("INSERT INTO person_years VALUES (?,?)", [(person.id, y) for y in person.years])
    db.executemany(
        "INSERT INTO person_names VALUES (?,?,?,?,?,?)",
        [_name_row(person, name, kind) for name, kind in person_names(person).items()],
    )
    _add_person_search(db, person)


def _name_row(person: Person, name: str, kind: str) -> tuple[str, str, str, str, str, str]:
    if kind == "name" and not person.named:
        # A descriptive label ("Unnamed diplomat family, DPRK mission in Paris") is not a
        # Korean name: its words match as written, never through the phonetic key.
        return (person.id, name, kind, name_key(name), "", " ".join(words(name)))
    pwords = " ".join(phonetic_words(name))
    return (person.id, name, kind, name_key(name), phonetic_key(name), pwords)


def person_names(person: Person) -> dict[str, str]:
    """Every name a person can be looked up by -> what kind of name it is.

    The id, the display name, the Hangul, every stored alias, and the standard
    romanizations derived from each Hangul form (so a spelling nobody stored still matches).
    """
    names: dict[str, str] = {person.id: "id", person.name: "name"}
    hangul = [person.hangul] if person.hangul else []
    for alias in person.aliases:
        names.setdefault(alias.name, alias.kind)
        if is_hangul(alias.name):
            hangul.append(alias.name)
    for form in hangul:
        names.setdefault(form, "hangul")
        for spelling in romanizations(form).values():
            names.setdefault(spelling, "derived")
    return names


def _add_person_search(db: sqlite3.Connection, person: Person) -> None:
    rows: list[tuple[str, str, str | None, str, str]] = []
    names = " · ".join(n for n, kind in person_names(person).items() if kind != "id")
    posts = [f"{p.title}, {p.mission or ''} {p.city or ''} {p.country}" for p in person.postings]
    body = " ".join([names, person.summary, person.defection.post or "", *posts])
    rows.append(("person", person.id, person.id, person.name, body))
    for event in person.events:
        rows.append(("event", person.id, person.id, f"{event.date} {event.kind}", event.summary))
    for claim in person.claims:
        body = f"{claim.value} {claim.note or ''}"
        rows.append(("claim", person.id, person.id, f"{person.name}: {claim.field}", body))
    db.executemany("INSERT INTO search VALUES (?,?,?,?,?)", rows)


def _citations(dataset: Dataset) -> Iterator[tuple[str, str, str]]:
    """(source id, kind of record, record id) for every citation, each pair once."""
    seen: set[tuple[str, str, str]] = set()

    def emit(source_ids: Any, kind: str, record_id: str) -> Iterator[tuple[str, str, str]]:
        for source_id in source_ids:
            row = (source_id, kind, record_id)
            if row not in seen:
                seen.add(row)
                yield row

    for person in dataset.people:
        yield from emit(person.cited_sources(), "person", person.id)
    for quote in dataset.quotes:
        yield from emit([quote.source], "person", quote.person)
    for event in dataset.events:
        yield from emit(event.sources, "event", event.id)
    for row in dataset.arrivals:
        cited = [*row.sources, *(s for c in row.claims for s in c.sources)]
        yield from emit(cited, "statistics", f"arrivals {row.year}")
    for total in dataset.cumulative:
        yield from emit(total.sources, "statistics", f"cumulative {total.as_of}")
    for figure in dataset.figures:
        yield from emit(figure.sources, "statistics", figure.id)


def _timeline_row(seq: int, entry: TimelineEntry) -> tuple[object, ...]:
    return (
        seq,
        entry.date,
        entry.sort_key[1],
        entry.kind,
        entry.person,
        entry.person_name,
        country_key(entry.country) if entry.country else None,
        json.dumps(list(entry.people)),
        dumps(entry),
    )
