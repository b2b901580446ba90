"""The index: the dataset compiled into SQLite tables that every query reads.

Each record is stored whole as JSON (``doc``) beside the columns queries filter and sort on,
so a query never needs the YAML again. ``cache.build_file`` writes it to the user's cache
folder (or, where that cannot be written, it is built in memory); ``query.Catalog`` reads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..dataset.model import Person, Quote, as_data
from ..dataset.read import Dataset
from ..dataset.timeline import TimelineEntry, context_entries, person_entries
from ..dataset.validate import Collected, Located
from ..text.countries import country_key
from ..text.names import letter_words, name_terms_of
from ..text.romanize import (
    is_hangul,
    joined_key,
    phonetic_words,
    romanizations,
    written_phonetic_words,
)

if TYPE_CHECKING:
    from ..dataset.model import Event
    from ..progress import Stage

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
-- The words of each name, for lookups by words and word beginnings: ``terms`` holds a
-- Korean name's phonetic words and its words as written; a descriptive label's words as
-- written only (see names.name_term). One full-text row a name, so "every word typed is
-- in one name" is the table's own AND. It indexes ``person_names`` (external content)
-- and stores no text of its own; rows only, no positions (detail = none): a lookup asks
-- which names hold a word, never where: a table of one row a word and name would be several
-- times as long to fill, and larger.
CREATE VIRTUAL TABLE name_terms USING fts5(
    terms, content = 'person_names', detail = none, columnsize = 0, tokenize = 'ascii'
);
CREATE VIRTUAL TABLE search USING fts5(
    kind UNINDEXED, ref UNINDEXED, person UNINDEXED, title, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- The quotations' words alone, one row a quotation whose rowid is its rank: `quotes
-- --search` finds its rows here and walks `quotes` in order, without reading the stored
-- kind of every other match in `search`. Contentless: the text itself is in `search`.
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
    rank INTEGER PRIMARY KEY, id TEXT NOT NULL, seq INTEGER NOT NULL,
    person TEXT NOT NULL, speaker_id TEXT, source TEXT NOT NULL, date TEXT, doc TEXT NOT NULL
);
CREATE TABLE timeline (
    seq INTEGER NOT NULL, date TEXT NOT NULL, kind_order INTEGER NOT NULL, kind TEXT NOT NULL,
    person TEXT, person_name TEXT, country_key TEXT, people TEXT NOT NULL, doc TEXT NOT NULL
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
"""
LATE_INDEXES = """
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


def _quote_text(quote: Quote) -> str:
    return " ".join(filter(None, [quote.text, quote.translation]))


# One encoder made once (``json.dumps`` makes a new one on every call); the output is the same.
encode = json.JSONEncoder(ensure_ascii=False).encode
# The same for the few columns stored as ``json.dumps`` writes them (non-ASCII escaped).
_encode_ascii = json.JSONEncoder().encode


def dumps(record: Any) -> str:
    return encode(as_data(record))


class PersonRows(NamedTuple):
    """Every row a run of people contributes (see ``build_index_from_records``)."""

    people: list[tuple[Any, ...]]
    years: list[tuple[str, int]]
    names: list[tuple[str, str, str, str, str, str]]
    search: list[tuple[str, str, str | None, str, str]]
    # (id, person, speaker id, source, date, stored quote, search title, search body)
    quotes: list[tuple[Any, ...]]
    # (date, kind order, person name) to sort on, then the timeline row without its seq
    timeline: list[tuple[Any, ...]]
    cited: list[tuple[str, str, str, str]]
    quote_cited: list[tuple[str, str, str, str]]


def person_rows(
    people: Sequence[Person], docs: Sequence[Any], quotes: Sequence[Quote]
) -> PersonRows:
    """The rows of these people and of their quotations (``quotes``: theirs, in order)."""
    rows = PersonRows([], [], [], [], [], [], [], [])
    for person, doc in zip(people, docs, strict=True):
        rows.people.append(_person_row(person, doc))
        rows.years.extend((person.id, y) for y in person.years)
        spellings = person_names(person)
        rows.names.extend(_name_row(person, name, kind) for name, kind in spellings.items())
        rows.search.extend(_person_search(person, spellings))
        for entry in person_entries(person):
            rows.timeline.append((*entry.sort_key, *_timeline_row(entry)))
    for q in quotes:
        rows.quotes.append(
            (
                q.id,
                q.person,
                q.speaker_id,
                q.source,
                q.date,
                dumps(q),
                f"{q.speaker}, {q.venue}",
                _quote_text(q),
            )
        )
    # Each (source, kind, record) once, people's citations before their quotations'.
    seen: set[tuple[str, str, str, str]] = set()
    names = {person.id: person.name for person in people}
    for person in people:
        cited = person.cited_sources()
        rows.cited.extend(_once(seen, cited, "person", person.id, person.name))
    for q in quotes:
        rows.quote_cited.extend(_once(seen, [q.source], "person", q.person, names[q.person]))
    return rows


# People are turned into rows a run at a time, so that rows are written, and the bar
# moves, as they come, and a large build never holds every row twice.
RUN = 1_000


def build_index_from_records(
    records: Collected,
    db: sqlite3.Connection,
    stage: Stage | None = None,
    *,
    checked: bool = True,
) -> None:
    """Create the tables in ``db`` and fill them from checked records
    (``read.check_records``). ``stage``: the progress bar's, if one is shown.
    ``checked=False``: the records are not cross-checked yet (``check_records(...,
    cross_check=False)``); the build makes ``read.cross_check`` before any row is written,
    and its ``DataError`` stops it."""
    from ..dataset.model import Person, build
    from ..dataset.read import build_quotes, build_shared, cross_check_records, speaker_names

    if not checked:
        cross_check_records(records)
    names = speaker_names(records)
    shared = build_shared(records)
    people = records.people
    advance = stage("writing people", len(people)) if stage else None

    def rows_of(run: Sequence[Located]) -> PersonRows:
        built = [build(Person, r.data) for r in run]
        quotes = [q for person in built for q in build_quotes(person, names)]
        return person_rows(built, [r.data for r in run], quotes)

    def sort_stage() -> None:
        if stage:
            stage("sorting and indexing", None)

    runs = (people[i : i + RUN] for i in range(0, len(people), RUN))
    write_index(db, (rows_of(run) for run in runs), shared, advance, sort_stage)


def write_index(
    db: sqlite3.Connection,
    parts: Iterable[PersonRows],
    shared: Dataset,
    advance: Callable[[int], None] | None = None,
    sorting: Callable[[], None] | None = None,
) -> None:
    """Create the tables and fill them: people and quotations from ``parts`` (in order;
    each written as it comes), sources, events and statistics from ``shared`` (whose
    people are not read). ``advance(n)`` after each part (n people written so far);
    ``sorting()`` once every part is in.

    ``parts`` are used up: each list is emptied once written, so that a large build does
    not hold every row twice (as computed, and as handed to SQLite). The people's rows
    are written as they come; the quotations and the timeline, which need every part,
    at the end."""
    db.executescript(SCHEMA)
    quotes: list[tuple[Any, ...]] = []
    timeline: list[tuple[Any, ...]] = []
    cited: list[tuple[str, str, str, str]] = []
    quote_cited: list[tuple[str, str, str, str]] = []
    name_row = 0
    claims = 0
    written_people = 0
    for part in parts:
        db.executemany("INSERT INTO people VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", part.people)
        db.executemany("INSERT INTO person_years VALUES (?,?)", part.years)
        first = name_row + 1
        db.executemany(
            "INSERT INTO person_names (rowid, person_id, name, kind, key, pkey, terms)"
            " VALUES (?,?,?,?,?,?,?)",
            ((first + i, *row) for i, row in enumerate(part.names)),
        )
        name_row += len(part.names)
        # Indexed from the rows just written, inside SQLite: no value crosses from Python.
        db.execute(
            "INSERT INTO name_terms (rowid, terms) SELECT rowid, terms FROM person_names"
            " WHERE rowid BETWEEN ? AND ?",
            (first, name_row),
        )
        _write_search_rows(db, part.search)
        claims += sum(row[0] == "claim" for row in part.search)  # one full-text row a claim
        quotes += part.quotes
        timeline += part.timeline
        cited += part.cited
        quote_cited += part.quote_cited
        written_people += len(part.people)
        for written in (part.people, part.years, part.names, part.search):
            written.clear()
        if advance is not None:
            advance(written_people)
    if sorting is not None:
        sorting()
    # Quotations are stored in the order every listing shows them (dated first, by date,
    # then as read), and that position (their rank) is also their rowid in `quote_terms`:
    # a search is then one full-text lookup and a walk of the quotes table in order.
    dated_first = [(q[4] is None, q[4] or "") for q in quotes]
    order = sorted(range(len(quotes)), key=dated_first.__getitem__)  # stable: as read
    del dated_first

    _write_remaining_tables(db, quotes, order, cited + quote_cited, shared)
    claims_in_statistics = sum(len(year.claims) for year in shared.arrivals)
    db.execute("INSERT INTO totals VALUES ('claims', ?)", (claims + claims_in_statistics,))
    _write_late_tables(db, quotes, order, timeline, shared.events)


def _write_search_rows(
    db: sqlite3.Connection, rows: Iterable[tuple[str, str, str | None, str, str]]
) -> None:
    """Full-text rows: (kind, ref, person, title, body). Within a kind, rows keep the order
    they are written in, which is the order of equal ranks in a search."""
    db.executemany("INSERT INTO search (kind, ref, person, title, body) VALUES (?,?,?,?,?)", rows)


def _write_remaining_tables(
    db: sqlite3.Connection,
    quotes: list[tuple[Any, ...]],
    order: list[int],
    cited: list[tuple[str, str, str, str]],
    shared: Dataset,
) -> None:
    """The quotations' full-text rows (in ``order``, in ``search`` and ``quote_terms``),
    sources, events, citations and statistics, and the indexes of the tables written as
    people came."""
    _write_search_rows(
        db, (("quote", quotes[i][0], quotes[i][1], quotes[i][6], quotes[i][7]) for i in order)
    )
    db.executemany(
        "INSERT INTO quote_terms (rowid, title, body) VALUES (?,?,?)",
        ((rank, quotes[i][6], quotes[i][7]) for rank, i in enumerate(order, start=1)),
    )
    db.executemany(
        "INSERT INTO sources VALUES (?,?,?,?)",
        [(s.id, i, s.kind, dumps(s)) for i, s in enumerate(shared.sources)],
    )
    shared_search = [
        ("event", e.id, None, f"{e.date} {e.kind}", e.summary) for e in shared.events
    ] + [
        ("source", s.id, None, s.outlet, " ".join(filter(None, [s.title, s.author, s.via])))
        for s in shared.sources
    ]
    _write_search_rows(db, shared_search)
    db.executemany("INSERT INTO citations VALUES (?,?,?,?)", cited)
    db.executemany("INSERT INTO citations VALUES (?,?,?,?)", _shared_citations(shared))
    db.executemany(
        "INSERT INTO arrivals VALUES (?,?)", [(y.year, dumps(y)) for y in shared.arrivals]
    )
    tabled = (
        ("events", shared.events),
        ("cumulative", shared.cumulative),
        ("figures", shared.figures),
    )
    for table, records in tabled:
        rows = [(i, dumps(r)) for i, r in enumerate(records)]
        db.executemany(f"INSERT INTO {table} VALUES (?,?)", rows)
    db.executescript(INDEXES)


def _write_late_tables(
    db: sqlite3.Connection,
    quotes: list[tuple[Any, ...]],
    order: list[int],
    timeline: list[tuple[Any, ...]],
    events: Sequence[Event],
) -> None:
    """The quotations (in ``order``) and the timeline (with the context events), indexed."""
    db.executemany(
        "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?)",
        ((rank, quotes[i][0], i, *quotes[i][1:6]) for rank, i in enumerate(order, start=1)),
    )
    # Stable sort: within one key, people's entries (as read), then context events.
    timeline += [(*e.sort_key, *_timeline_row(e)) for ev in events for e in context_entries(ev)]
    timeline.sort(key=lambda row: row[:3])
    db.executemany(
        "INSERT INTO timeline VALUES (?,?,?,?,?,?,?,?,?)",
        ((seq, *row[3:]) for seq, row in enumerate(timeline)),
    )
    db.executescript(LATE_INDEXES)


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
        encode(doc) if doc is not None else dumps(person),
    )


def _name_row(person: Person, name: str, kind: str) -> tuple[str, str, str, str, str, str]:
    # The name is folded into words once: its key is those words joined (an apostrophe
    # separates words in ``words`` and is dropped in ``letter_words``: the same letters),
    # and a romanized name's phonetic words are made from them, as ``phonetic_words``
    # would. At 100,000 people this was 3 foldings of 750,000 names.
    written = letter_words(name)
    key = "".join(written)
    if kind == "name" and not person.named:
        # A descriptive label ("Unnamed diplomat family, DPRK mission in Paris") is not a
        # Korean name: its words match as written, never through the phonetic key.
        return (person.id, name, kind, key, "", name_terms((), written))
    keys = phonetic_words(name) if is_hangul(name) else written_phonetic_words(written)
    return (person.id, name, kind, key, joined_key(keys), name_terms(keys, written))


def name_terms(phonetic: Sequence[str], written: Sequence[str]) -> str:
    """The ``name_terms`` text of one name: its phonetic words, then its words as written
    (which let a beginning typed letter by letter match: "tha" for Thae, whose phonetic
    word is "tE"), each term once, in the order of the name (not a set's: the index is
    the same file on every build)."""
    terms = name_terms_of(phonetic, written=False) + name_terms_of(written, written=True)
    return " ".join(dict.fromkeys(terms))


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


def _person_search(
    person: Person, names: dict[str, str]
) -> list[tuple[str, str, str | None, str, str]]:
    """The person's rows of the full-text table; ``names``: ``person_names(person)``."""
    rows: list[tuple[str, str, str | None, str, str]] = []
    spellings = " · ".join(n for n, kind in names.items() if kind != "id")
    posts = [f"{p.title}, {p.mission or ''} {p.city or ''} {p.country}" for p in person.postings]
    body = " ".join([spellings, person.summary, person.defection.post or "", *posts])
    rows.append(("person", person.id, person.id, person.name, body))
    for event in person.events:
        rows.append(("event", person.id, person.id, f"{event.date} {event.kind}", event.summary))
    for claim in person.claims:
        body = f"{claim.value} {claim.note or ''}"
        rows.append(("claim", person.id, person.id, f"{person.name}: {claim.field}", body))
    return rows


def _once(
    seen: set[tuple[str, str, str, str]],
    source_ids: Iterable[str],
    kind: str,
    record_id: str,
    label: str | None = None,
) -> Iterator[tuple[str, str, str, str]]:
    """(source id, kind of record, record id, label) for each citation not yet ``seen``."""
    for source_id in source_ids:
        row = (source_id, kind, record_id, label or record_id)
        if row not in seen:
            seen.add(row)
            yield row


def _shared_citations(dataset: Dataset) -> list[tuple[str, str, str, str]]:
    """The citations of events and statistics, each once."""
    seen: set[tuple[str, str, str, str]] = set()
    rows: list[tuple[str, str, str, str]] = []
    for event in dataset.events:
        rows.extend(_once(seen, event.sources, "event", event.id))
    for row in dataset.arrivals:
        cited = [*row.sources, *(s for c in row.claims for s in c.sources)]
        rows.extend(_once(seen, cited, "statistics", f"arrivals {row.year}"))
    for total in dataset.cumulative:
        rows.extend(_once(seen, total.sources, "statistics", f"cumulative {total.as_of}"))
    for figure in dataset.figures:
        rows.extend(_once(seen, figure.sources, "statistics", figure.id))
    return rows


def _timeline_row(entry: TimelineEntry) -> tuple[object, ...]:
    """The timeline table's columns after ``seq``."""
    return (
        entry.date,
        entry.sort_key[1],
        entry.kind,
        entry.person,
        entry.person_name,
        country_key(entry.country) if entry.country else None,
        _encode_ascii(entry.people),  # a tuple is written as a list
        encode(entry._asdict()),
    )
