"""The index: the dataset compiled into SQLite tables that every query reads.

Each record is stored whole as JSON (``doc``) beside the columns queries filter and sort on,
so a query never needs the YAML again. ``cache.build_file`` writes it to the user's cache
folder (or, where that cannot be written, it is built in memory); ``query.Catalog`` reads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from ..dataset.model import Person, Quote, as_data, build, cites
from ..dataset.read import Dataset, build_quotes, build_shared, speaker_names
from ..dataset.timeline import TimelineEntry, context_entries, person_entries
from ..dataset.validate import Collected
from ..progress import Stage
from ..text.countries import country_key
from ..text.names import letter_words, name_term
from ..text.romanize import (
    is_hangul,
    joined_key,
    phonetic_words,
    romanizations,
    written_phonetic_words,
)

SCHEMA = """
CREATE TABLE people (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, hangul TEXT, category TEXT NOT NULL,
    country TEXT NOT NULL, country_key TEXT NOT NULL,
    destination TEXT NOT NULL, destination_key TEXT NOT NULL,
    year INTEGER, confirmed INTEGER NOT NULL, status TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE TABLE person_years (person_id TEXT NOT NULL, year INTEGER NOT NULL);
CREATE TABLE person_names (
    person_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    key TEXT NOT NULL, pkey TEXT NOT NULL, terms TEXT NOT NULL
);
-- The words of each name (``terms``, see _name_row), for lookups by words and word
-- beginnings. One full-text row a name, so "every word typed is in one name" is the table's
-- own AND. It indexes ``person_names`` (external content) and stores no text of its own;
-- rows only, no positions (detail = none): a lookup asks which names hold a word, never
-- where (a row a word and name would be several times as long to fill, and larger).
CREATE VIRTUAL TABLE name_terms USING fts5(
    terms, content = 'person_names', detail = none, columnsize = 0, tokenize = 'ascii'
);
CREATE VIRTUAL TABLE search USING fts5(
    kind UNINDEXED, ref UNINDEXED, person UNINDEXED, title, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- The quotations' words alone, one row a quotation whose rowid is its rank: `quotes
-- --search` finds its rows here and walks `quotes` in order, without reading the kind of
-- every other match in `search`. Contentless: the text itself is in `search`.
CREATE VIRTUAL TABLE quote_terms USING fts5(
    title, body, content = '', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, doc TEXT NOT NULL
);
-- label: what a listing shows for the record (a person's name, else the record's id).
CREATE TABLE citations (
    source_id TEXT NOT NULL, record_kind TEXT NOT NULL, record_id TEXT NOT NULL,
    label TEXT NOT NULL
);
CREATE TABLE events (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE arrivals (year INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE cumulative (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE figures (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
-- What is counted as the rows are written, for `defect validate`: "claims" (people's and
-- the statistics'), so that it need not read every stored record to count them.
CREATE TABLE totals (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE quotes (
    rank INTEGER PRIMARY KEY, id TEXT NOT NULL, person TEXT NOT NULL, speaker_id TEXT,
    source TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE TABLE timeline (
    seq INTEGER NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, person TEXT,
    country_key TEXT, people TEXT NOT NULL, doc TEXT NOT NULL
);
"""
# Created once the rows are in: building an index from all the rows at once is faster
# than keeping it in order through every insert.
INDEXES = """
CREATE INDEX person_years_year ON person_years (year);
CREATE INDEX person_names_key ON person_names (key);
CREATE INDEX person_names_pkey ON person_names (pkey);
CREATE INDEX people_country ON people (country_key);
-- In the order `defect sources` lists a source's citations, the label included so that
-- listing them never reads the table itself.
CREATE INDEX citations_source ON citations (source_id, record_kind, record_id, label);
-- Unique (as the checks have made sure); created here rather than as a UNIQUE column,
-- which would be kept in order through every insert.
CREATE UNIQUE INDEX quotes_id ON quotes (id);
CREATE INDEX quotes_person ON quotes (person);
CREATE INDEX quotes_speaker ON quotes (speaker_id);
CREATE INDEX timeline_person ON timeline (person);
-- For the years of `timeline --year/--since/--until` (see Catalog._timeline_sql).
CREATE INDEX timeline_date ON timeline (date);
-- The few entries (context events) that concern people other than their own person.
CREATE INDEX timeline_concerns ON timeline (people) WHERE people != '[]';
"""


# One encoder made once (``json.dumps`` makes a new one on every call); the output is the same.
encode = json.JSONEncoder(ensure_ascii=False).encode


def dumps(record: Any) -> str:
    return encode(as_data(record))


_INSERT_SEARCH = "INSERT INTO search (kind, ref, person, title, body) VALUES (?,?,?,?,?)"
SearchRow = tuple[str, str, str | None, str, str]  # the values _INSERT_SEARCH takes
Citation = tuple[str, str, str, str]  # source id, kind of record, record id, label

# People are built and written a run at a time, so that rows are written, and the bar
# moves, as they come, and a large build never holds every person's rows at once.
RUN = 1_000


def build_index_from_records(
    records: Collected, db: sqlite3.Connection, stage: Stage | None = None
) -> None:
    """Create the tables in ``db`` and fill them from checked and cross-checked records
    (``read.check_records``). ``stage``: the progress bar's, if one is shown."""
    names = speaker_names(records)
    shared = build_shared(records)
    advance = stage("writing people", len(records.people)) if stage else None
    db.executescript(SCHEMA)
    quotes: list[Quote] = []
    timeline: list[TimelineEntry] = []
    citations: list[Citation] = []
    claims = sum(len(year.claims) for year in shared.arrivals)
    for start in range(0, len(records.people), RUN):
        run = records.people[start : start + RUN]
        people = [build(Person, r.data) for r in run]
        _write_people(db, people, [r.data for r in run])
        claims += sum(len(person.claims) for person in people)
        quotes += [q for person in people for q in build_quotes(person, names)]
        timeline += [entry for person in people for entry in person_entries(person)]
        for person in people:
            citations += _cited("person", person.id, person.cited_sources(), person.name)
        if advance is not None:
            advance(start + len(run))
    if stage:
        stage("sorting and indexing", None)
    # The names' words, indexed from their rows inside SQLite: no value crosses from Python.
    db.execute("INSERT INTO name_terms (rowid, terms) SELECT rowid, terms FROM person_names")
    # Quotations are stored in the order every listing shows them (dated first, by date,
    # then as read), and that position (their rank) is also their rowid in `quote_terms`:
    # a search is then one full-text lookup and a walk of the quotes table in order.
    ranked = sorted(quotes, key=lambda q: (q.date is None, q.date or ""))
    texts = [
        (f"{q.speaker}, {q.venue}", " ".join(filter(None, [q.text, q.translation]))) for q in ranked
    ]
    db.executemany(
        _INSERT_SEARCH,
        (("quote", q.id, q.person, *text) for q, text in zip(ranked, texts, strict=True)),
    )
    db.executemany(
        "INSERT INTO quote_terms (rowid, title, body) VALUES (?,?,?)",
        ((rank, *text) for rank, text in enumerate(texts, start=1)),
    )
    db.executemany(
        "INSERT INTO quotes VALUES (?,?,?,?,?,?)",
        (
            (rank, q.id, q.person, q.speaker_id, q.source, dumps(q))
            for rank, q in enumerate(ranked, start=1)
        ),
    )
    _write_shared(db, shared, citations)
    db.execute("INSERT INTO totals VALUES ('claims', ?)", (claims,))
    # Stable sort: within one key, people's entries (as read), then context events.
    timeline += [entry for event in shared.events for entry in context_entries(event)]
    timeline.sort(key=lambda entry: entry.sort_key)
    db.executemany(
        "INSERT INTO timeline VALUES (?,?,?,?,?,?,?)",
        ((seq, *_timeline_row(entry)) for seq, entry in enumerate(timeline)),
    )
    db.executescript(INDEXES)


def _write_people(db: sqlite3.Connection, people: list[Person], docs: list[Any]) -> None:
    """The rows of a run of people (``docs``: their data as read, stored as it is), their
    years, names and full-text rows."""
    db.executemany(
        "INSERT INTO people VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (_person_row(person, doc) for person, doc in zip(people, docs, strict=True)),
    )
    db.executemany(
        "INSERT INTO person_years VALUES (?,?)",
        ((person.id, year) for person in people for year in person.years),
    )
    name_rows: list[tuple[str, ...]] = []
    search_rows: list[SearchRow] = []
    for person in people:
        names = person_names(person)
        name_rows += [_name_row(person, name, kind) for name, kind in names.items()]
        search_rows += _person_search(person, names)
    db.executemany("INSERT INTO person_names VALUES (?,?,?,?,?,?)", name_rows)
    # Within a kind, full-text rows keep the order they are written in, which is the order
    # of equal ranks in a search.
    db.executemany(_INSERT_SEARCH, search_rows)


def _write_shared(db: sqlite3.Connection, shared: Dataset, citations: list[Citation]) -> None:
    """Sources, events and statistics, their full-text rows, and every citation, each once
    (``citations``: the people's, before those of events and statistics)."""
    db.executemany(
        "INSERT INTO sources VALUES (?,?,?,?)",
        [(s.id, i, s.kind, dumps(s)) for i, s in enumerate(shared.sources)],
    )
    db.executemany(
        _INSERT_SEARCH,
        [("event", e.id, None, f"{e.date} {e.kind}", e.summary) for e in shared.events]
        + [
            ("source", s.id, None, s.outlet, " ".join(filter(None, [s.title, s.author, s.via])))
            for s in shared.sources
        ],
    )
    for event in shared.events:
        citations += _cited("event", event.id, event.sources)
    for year in shared.arrivals:
        citations += _cited("statistics", f"arrivals {year.year}", cites(year))
    for total in shared.cumulative:
        citations += _cited("statistics", f"cumulative {total.as_of}", total.sources)
    for figure in shared.figures:
        citations += _cited("statistics", figure.id, figure.sources)
    db.executemany("INSERT INTO citations VALUES (?,?,?,?)", list(dict.fromkeys(citations)))
    db.executemany(
        "INSERT INTO arrivals VALUES (?,?)", [(y.year, dumps(y)) for y in shared.arrivals]
    )
    for table, rows in (
        ("events", shared.events),
        ("cumulative", shared.cumulative),
        ("figures", shared.figures),
    ):
        db.executemany(f"INSERT INTO {table} VALUES (?,?)", list(enumerate(map(dumps, rows))))


def _cited(
    kind: str, record_id: str, source_ids: Iterable[str], label: str | None = None
) -> list[Citation]:
    return [(source_id, kind, record_id, label or record_id) for source_id in source_ids]


def _person_row(person: Person, doc: Any) -> tuple[Any, ...]:
    return (
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
        person.status.value,
        encode(doc),
    )


def _name_row(person: Person, name: str, kind: str) -> tuple[str, str, str, str, str, str]:
    # The name is folded into words once: its key is those words joined (an apostrophe
    # separates words in ``words`` and is dropped in ``letter_words``: the same letters),
    # and a romanized name's phonetic words are made from them, as ``phonetic_words``
    # would.
    written = letter_words(name)
    keys: tuple[str, ...] = ()
    # A descriptive label ("Unnamed diplomat family, DPRK mission in Paris") is not a
    # Korean name: its words match as written, never through the phonetic key.
    if kind != "name" or person.named:
        keys = phonetic_words(name) if is_hangul(name) else written_phonetic_words(written)
    # Its terms: the phonetic words, then the words as written (which let a beginning typed
    # letter by letter match: "tha" for Thae, whose phonetic word is "tE"), each once, in
    # the order of the name (not a set's: the index is the same file on every build).
    terms = [name_term(word, written=False) for word in keys]
    terms += [name_term(word, written=True) for word in written]
    terms_text = " ".join(dict.fromkeys(terms))
    return (person.id, name, kind, "".join(written), joined_key(keys), terms_text)


def person_names(person: Person) -> dict[str, str]:
    """Every name a person can be looked up by -> what kind of name it is: the id, the
    display name, the Hangul, every stored alias, and the standard romanizations derived
    from each Hangul form (so a spelling nobody stored still matches)."""
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


def _person_search(person: Person, names: dict[str, str]) -> list[SearchRow]:
    """The person's rows of the full-text table; ``names``: ``person_names(person)``."""
    spellings = " · ".join(n for n, kind in names.items() if kind != "id")
    posts = [f"{p.title}, {p.mission or ''} {p.city or ''} {p.country}" for p in person.postings]
    body = " ".join([spellings, person.summary, person.defection.post or "", *posts])
    rows: list[SearchRow] = [("person", person.id, person.id, person.name, body)]
    for event in person.events:
        rows.append(("event", person.id, person.id, f"{event.date} {event.kind}", event.summary))
    for claim in person.claims:
        body = f"{claim.value} {claim.note or ''}"
        rows.append(("claim", person.id, person.id, f"{person.name}: {claim.field}", body))
    return rows


def _timeline_row(entry: TimelineEntry) -> tuple[object, ...]:
    """The timeline table's columns after ``seq``."""
    return (
        entry.date,
        entry.kind,
        entry.person,
        country_key(entry.country) if entry.country else None,
        json.dumps(entry.people),  # a tuple is written as a list, non-ASCII escaped
        encode(entry._asdict()),
    )
