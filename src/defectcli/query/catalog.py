"""The Catalog: the dataset's index, with query methods that take a filter (``filters.py``)
and return typed records, knowing nothing of output formats."""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ..dataset.choices import FACETS, SEARCH_KINDS, SORT_FIELDS
from ..dataset.model import Cumulative, Figure, Person, Quote, Source, T, YearFigures, build, cites
from ..dataset.timeline import TimelineEntry
from ..errors import Ambiguous, NotFound
from ..index.cache import schemas_checksum, stored_stamp
from .filters import PersonFilter, QuoteFilter, SourceFilter, TimelineFilter, YearFilter
from .lookup import AMBIGUOUS_SHOWN, NameLookup
from .results import (
    HIT_END,
    HIT_START,
    CitedBy,
    FacetRow,
    Facets,
    Profile,
    QuoteSet,
    SearchHit,
    SearchResult,
    SourceEntry,
    Statistics,
    Timeline,
)
from .sql import TIME_FACETS, Where, country_keys, fts_query, marks, region_keys, schema_form


class Catalog(NameLookup):
    """The dataset, indexed for queries. Build one with ``open_catalog``."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def _count(self, sql: str, params: Sequence[object]) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def _records(self, cls: type[T], sql: str, params: Sequence[object] = ()) -> list[T]:
        """The stored records (the ``doc`` column) ``sql`` selects, as ``cls``."""
        return [build(cls, json.loads(doc)) for (doc,) in self._db.execute(sql, params)]

    def _has(self, table: str, record_id: str) -> bool:
        row = self._db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (record_id,)).fetchone()
        return row is not None

    # --- people ---------------------------------------------------------------------------

    def people(self, where: PersonFilter | None = None, limit: int | None = None) -> list[Person]:
        """People matching ``where``, sorted by ``where.sort``; at most ``limit`` of them."""
        return self._records(Person, *self._people_sql("doc", where or PersonFilter(), limit))

    def count_people(self, where: PersonFilter | None = None) -> int:
        """How many people ``people(where)`` returns."""
        return self._count(*self._people_sql("id", where or PersonFilter()))

    def _people_sql(
        self, column: str, where: PersonFilter, limit: int | None = None
    ) -> tuple[str, list[object]]:
        field = where.sort.removeprefix("-")
        if field not in SORT_FIELDS:
            raise ValueError(f"sort must be one of {', '.join(SORT_FIELDS)}, or -field")
        # One of the person's years must meet every year condition at once: someone of
        # 2013 and 2016 has no year from 2014 to 2015, though one is >= 2014 and one <= 2015.
        years = Where()
        years.any_of("year", where.years)
        for test, value in ((">=", where.since), ("<=", where.until)):
            if value is not None:
                years.add(f"year {test} ?", value)
        found = Where()
        if years.clauses:
            sql, params = years.sql("SELECT person_id FROM person_years")
            found.add(f"id IN ({sql})", *params)
        found.any_of("country_key", country_keys(where.countries))
        found.any_of("country_key", region_keys(where.regions))
        found.any_of("destination_key", country_keys(where.destinations))
        found.any_of("category", [c.casefold() for c in where.categories])
        found.any_of("status", where.statuses)
        if where.confirmed:
            found.add("confirmed = 1")
        order = "name COLLATE NOCASE" if field == "name" else field
        way = " DESC" if where.sort.startswith("-") else ""
        # Unknown values sort last either way; ties break by year, then name (stable).
        sort = (
            f" ORDER BY {order} IS NULL, {order}{way}, year IS NULL, year{way}, name COLLATE NOCASE"
        )
        return found.sql(f"SELECT {column} FROM people", sort, limit)

    def person_by_id(self, person_id: str) -> Person:
        found = self._records(Person, "SELECT doc FROM people WHERE id = ?", (person_id,))
        if not found:
            raise NotFound(f"No person with id {person_id!r}.")
        return found[0]

    def person(self, name: str) -> Person:
        """The one person ``name`` means (an id, a name, an alias or a unique part of one);
        else ``NotFound`` with close matches as suggestions, or ``Ambiguous``."""
        ids = self.resolve(name)
        if len(ids) == 1:
            return self.person_by_id(ids[0])

        if not ids:
            raise NotFound(f"No person matches {name!r}.", self.suggest(name))
        candidates = []  # a common surname can match thousands: the first few
        for person in map(self.person_by_id, ids[:AMBIGUOUS_SHOWN]):
            hangul = f" ({person.hangul})" if person.hangul else ""
            post = person.defection.post or person.country
            candidates.append(f"{person.name}{hangul} — {post}, {person.year or 'year unknown'}")
        if len(ids) > AMBIGUOUS_SHOWN:
            candidates.append(f"… and {len(ids) - AMBIGUOUS_SHOWN:,} more")
        raise Ambiguous(f"{name!r} matches {len(ids):,} people; be more specific:", candidates)

    def profile(self, name: str) -> Profile:
        """The person ``name`` means, with their quotations, relations and sources."""
        person = self.person(name)
        quotes = tuple(self.quotes(QuoteFilter(people=(person.id,))))
        related = tuple((link, self._name_of(link.person)) for link in person.related)
        cited = dict.fromkeys([*person.cited_sources(), *(quote.source for quote in quotes)])
        return Profile(person, quotes, related, tuple(self.sources(cited)))

    # --- quotes ---------------------------------------------------------------------------

    def quotes(self, where: QuoteFilter | None = None, limit: int | None = None) -> list[Quote]:
        """Quotations in date order, at most ``limit``; ``where.search`` as ``search`` takes
        it (``ValueError`` when there is nothing to search for)."""
        return self._records(Quote, *self._quotes_sql("doc", where or QuoteFilter(), limit))

    def count_quotes(self, where: QuoteFilter | None = None) -> int:
        """How many quotations ``quotes`` returns for the same filter."""
        return self._count(*self._quotes_sql("rank", where or QuoteFilter()))

    def _quotes_sql(
        self, column: str, where: QuoteFilter, limit: int | None = None
    ) -> tuple[str, list[object]]:
        found = Where()
        if where.people:
            named = [p if self._has("people", p) else self.person(p).id for p in where.people]
            ids = list(dict.fromkeys(named))
            found.add(f"(person IN ({marks(ids)}) OR speaker_id IN ({marks(ids)}))", *ids, *ids)
        for source in where.sources:
            self.source(source)  # an unknown source id is an error, not an empty list
        found.any_of("source", where.sources)
        if where.search is not None:
            found.add(
                "rank IN (SELECT rowid FROM quote_terms WHERE quote_terms MATCH ?)",
                fts_query(where.search),
            )
        # Stored in date order: no sort.
        return found.sql(f"SELECT {column} FROM quotes", " ORDER BY rank", limit)

    def quote_set(self, quotes: Sequence[Quote]) -> QuoteSet:
        return QuoteSet(tuple(quotes), self._sources_of(q.source for q in quotes))

    # --- full-text search ---------------------------------------------------------------

    def search(
        self, text: str, kinds: Sequence[str] = SEARCH_KINDS, limit: int = 25
    ) -> SearchResult:
        """One query across names and aliases, posts, quotations, events, claims and source
        titles, in English and Korean. Every word must match (as a word or the start of
        one), regardless of case and accents; "a phrase" in double quotes matches as a
        phrase. Hits come grouped by kind, best first within each group."""
        match = fts_query(text)
        hits: list[SearchHit] = []
        for kind in (kind for kind in SEARCH_KINDS if kind in kinds):
            found = self._name_hits(text) if kind == "person" else []
            named = {h.id for h in found}  # people found by name: listed once, on top
            # The best of the kind, ranked inside SQLite; equal ranks keep the order of the
            # full-text table.
            rows = self._db.execute(
                "SELECT ref, person, highlight(search, 3, ?, ?),"
                " snippet(search, 4, ?, ?, '…', 16), bm25(search, 0, 0, 0, 5.0, 1.0) AS r"
                " FROM search WHERE search MATCH ? AND kind = ? ORDER BY r, rowid LIMIT ?",
                (HIT_START, HIT_END, HIT_START, HIT_END, match, kind, limit),
            )
            found += [SearchHit(kind, *row) for row in rows if row[0] not in named]
            hits += found[:limit]
        return SearchResult(text, tuple(hits))

    def _name_hits(self, text: str) -> list[SearchHit]:
        """People the text names in any spelling (the phonetic lookup), as top hits."""
        # Hangul syllables are letters too: only text of no letter at all names no one.
        ids = self.resolve(text.replace('"', "")) if any(ch.isalpha() for ch in text) else []
        hits = []
        for person in map(self.person_by_id, ids[:5]):
            title = f"{HIT_START}{person.name}{HIT_END}"
            snippet = " · ".join(
                x for x in (person.hangul, person.defection.post, str(person.year or "")) if x
            )
            hits.append(SearchHit("person", person.id, person.id, title, snippet, -1000.0))
        return hits

    # --- sources --------------------------------------------------------------------------

    def is_source(self, source_id: str) -> bool:
        return self._has("sources", source_id)

    def source(self, source_id: str) -> Source:
        found = self._records(Source, "SELECT doc FROM sources WHERE id = ?", (source_id,))
        if not found:
            known = [r[0] for r in self._db.execute("SELECT id FROM sources")]
            raise NotFound(
                f"No source with id {source_id!r}.",
                difflib.get_close_matches(source_id, known, n=3),
            )
        return found[0]

    def sources(self, ids: Iterable[str] | None = None) -> list[Source]:
        """Sources by id, in the order given (all of them when ``ids`` is None)."""
        if ids is None:
            return self._records(Source, "SELECT doc FROM sources ORDER BY seq")
        wanted = list(ids)  # one query for them all; ``source`` says which id is not there
        sql = "SELECT doc FROM sources WHERE id IN (SELECT value FROM json_each(?))"
        found = {s.id: s for s in self._records(Source, sql, (json.dumps(wanted),))}
        return [found.get(i) or self.source(i) for i in wanted]

    def _sources_of(self, ids: Iterable[str]) -> dict[str, Source]:
        return {s.id: s for s in self.sources(dict.fromkeys(ids))}

    def sources_cited(
        self, where: SourceFilter | None = None, limit: int | None = None
    ) -> list[SourceEntry]:
        """The bibliography with the records citing each source; at most ``limit`` sources."""
        found = self._sources_where(where or SourceFilter())
        sql, params = found.sql("SELECT id, doc FROM sources", " ORDER BY seq", limit)
        # Every citation of the chosen sources in one query (not one a source), with its label.
        cited: dict[str, list[CitedBy]] = {}
        for source_id, *by in self._db.execute(
            "SELECT source_id, record_kind, record_id, label FROM citations"
            f" WHERE source_id IN (SELECT id FROM ({sql}))"
            " ORDER BY source_id, record_kind, record_id",
            params,
        ):
            cited.setdefault(source_id, []).append(CitedBy(*by))
        return [
            SourceEntry(build(Source, json.loads(doc)), tuple(cited.get(source_id, ())))
            for source_id, doc in self._db.execute(sql, params)
        ]

    def count_sources(self, where: SourceFilter | None = None) -> int:
        """How many sources ``sources_cited`` returns for the same filter."""
        found = self._sources_where(where or SourceFilter())
        return self._count(*found.sql("SELECT id FROM sources"))

    def _sources_where(self, where: SourceFilter) -> Where:
        found = Where()
        if where.people:
            ids = list(dict.fromkeys(self.person(p).id for p in where.people))
            # What their profiles cite: their records, and the sources of the words they
            # said, also those filed under someone else (Thae quoted in Jo's record).
            found.add(
                "(id IN (SELECT source_id FROM citations WHERE record_kind = 'person'"
                f" AND record_id IN ({marks(ids)})) OR id IN (SELECT source FROM quotes"
                f" WHERE speaker_id IN ({marks(ids)})))",
                *ids,
                *ids,
            )
        found.any_of("kind", where.kinds)
        return found

    # --- statistics, facets, timeline -------------------------------------------------------

    def statistics(self, where: YearFilter | None = None) -> Statistics:
        """The arrivals series, cumulative totals and other counts of the years asked for:
        a year of the series by its year, a total by the year it runs to, another count by
        the year it was given."""
        where = where or YearFilter()

        def kept(
            cls: type[T], table: str, order: str, year: Callable[[Any], int | None]
        ) -> tuple[T, ...]:
            return tuple(build(cls, d) for d in self._docs(table, order) if where.matches(year(d)))

        arrivals = kept(YearFigures, "arrivals", "year", lambda y: y["year"])
        cumulative = kept(Cumulative, "cumulative", "seq", lambda c: int(c["as_of"][:4]))
        # A count of no date is kept only when no year is asked for (``matches(None)``).
        figures = kept(
            Figure, "figures", "seq", lambda f: int(f["date"][:4]) if f.get("date") else None
        )
        cited = (source for year in arrivals for source in cites(year))
        return Statistics(arrivals, cumulative, figures, self._sources_of(cited))

    def count(self, by: str, where: PersonFilter | None = None, *, people: bool = True) -> Facets:
        """How many of the people matching ``where`` fall under each value of ``by``;
        with ``people=False``, only how many (each row's ``people`` is None)."""
        if by not in FACETS:
            raise ValueError(f"by must be one of {', '.join(FACETS)}")
        # From the people's own columns: no record is built. In the order of `list`.
        sql, params = self._people_sql(f"id, {TIME_FACETS.get(by, by)}", where or PersonFilter())
        listed: dict[str, list[str]] = {}
        for person_id, value in self._db.execute(sql, params):
            listed.setdefault(value, []).append(person_id)
        # Years and decades in time order (unknown last); other facets largest first.
        if by in TIME_FACETS:
            ordered = sorted(listed.items(), key=lambda item: (item[0] == "unknown", item[0]))
        else:
            ordered = sorted(listed.items(), key=lambda item: (-len(item[1]), item[0]))
        rows = tuple(
            FacetRow(value, len(ids), tuple(ids) if people else None) for value, ids in ordered
        )
        return Facets(by, rows, sum(r.size for r in rows))

    def timeline(self, where: TimelineFilter | None = None, limit: int | None = None) -> Timeline:
        """Dated events in date order (a month before the days within it), at most ``limit``."""
        sql, params = self._timeline_sql("doc", where or TimelineFilter(), limit)
        entries = tuple(self._records(TimelineEntry, sql, params))
        return Timeline(entries, self._sources_of(s for e in entries for s in e.sources))

    def count_timeline(self, where: TimelineFilter | None = None) -> int:
        """How many entries ``timeline`` returns for the same filter."""
        return self._count(*self._timeline_sql("seq", where or TimelineFilter()))

    def _timeline_sql(
        self, column: str, where: TimelineFilter, limit: int | None = None
    ) -> tuple[str, list[object]]:
        dates, found = where.dates, Where()
        found.any_of("CAST(substr(date, 1, 4) AS INTEGER)", dates.years)
        # The years as ranges of the dates themselves, which the index on ``date`` can find
        # (the years asked for lie between the first and the last of them): a date whose
        # first four characters are at least ``since`` is itself at least ``since``; one
        # whose first four are at most ``until`` is at most ``until`` followed by "-99".
        for since in (dates.since, min(dates.years, default=None)):
            if since is not None:
                found.add("date >= ?", f"{since:04d}")
        for until in (dates.until, max(dates.years, default=None)):
            if until is not None:
                found.add("date <= ?", f"{until:04d}-99")
        if where.people:
            ids = list(dict.fromkeys(self.person(name).id for name in where.people))
            # Their own entries, and the context events that concern them, each through
            # its index (an OR over both read every entry).
            found.add(
                f"rowid IN (SELECT rowid FROM timeline WHERE person IN ({marks(ids)})"
                " UNION ALL SELECT rowid FROM timeline WHERE people != '[]' AND EXISTS"
                f" (SELECT 1 FROM json_each(people) WHERE value IN ({marks(ids)})))",
                *ids,
                *ids,
            )
        found.any_of("country_key", country_keys(where.countries))
        found.any_of("country_key", region_keys(where.regions))
        if where.kinds:
            kinds = [{"departure": "left-post"}.get(k, k) for k in where.kinds if k != "context"]
            tests = [f"(person IS NOT NULL AND kind IN ({marks(kinds)}))"] if kinds else []
            if "context" in where.kinds:
                tests.append("person IS NULL")
            found.add("(" + " OR ".join(tests) + ")", *kinds)
        return found.sql(f"SELECT {column} FROM timeline", " ORDER BY seq", limit)

    def checked_counts(self) -> dict[str, int] | None:
        """What ``defect validate`` reports of a valid dataset (``fresh_catalog``), from the
        index, only ever built from data that passed every check. None when the schemas
        changed since (a checkout being worked on can change them without a new version)."""
        stamp = stored_stamp(self._db)
        if stamp["schemas"] != schemas_checksum():
            return None
        counts = self._db.execute(
            "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM quotes),"
            " (SELECT count(*) FROM sources), (SELECT value FROM totals WHERE name = 'claims'),"
            " (SELECT count(*) FROM events), (SELECT count(*) FROM arrivals)"
        ).fetchone()
        kinds = ("people", "quotes", "sources", "claims", "events", "statistics_years")
        return {
            "files": stamp["files"],
            **{kind: int(n or 0) for kind, n in zip(kinds, counts, strict=True)},
        }

    def gaps(self) -> list[tuple[str, str, str]]:
        """What a valid dataset still lacks for a citation: (kind, id, what is missing)
        for every source without a title and every person without a source, in file order.
        Warnings, not errors: the record stands, the gap stays visible."""
        sources = self._db.execute(
            "SELECT id FROM sources WHERE json_extract(doc, '$.title') IS NULL ORDER BY seq"
        )
        people = self._db.execute(
            "SELECT id FROM people WHERE json_array_length(json_extract(doc, '$.sources')) = 0"
            " OR json_extract(doc, '$.sources') IS NULL ORDER BY id"
        )
        return [("source", i, "no title") for (i,) in sources] + [
            ("person", i, "no source") for (i,) in people
        ]

    def _docs(self, table: str, order: str) -> Iterator[Any]:
        """The stored records of ``table`` as plain data, read as they are iterated."""
        for (doc,) in self._db.execute(f"SELECT doc FROM {table} ORDER BY {order}"):
            yield json.loads(doc)

    def dataset_sections(self) -> dict[str, Any]:
        """The whole dataset in the schema's own form (what ``dataset.schema.json``
        describes, so that it loads back with ``--data``), each list read only when
        iterated: an export writes them one by one."""

        def table(name: str, order: str) -> Iterator[Any]:
            return map(schema_form, self._docs(name, order))

        return {
            "people": table("people", "id"),
            "sources": table("sources", "seq"),
            "events": table("events", "seq"),
            "statistics": {
                "arrivals": table("arrivals", "year"),
                "cumulative": table("cumulative", "seq"),
                "figures": table("figures", "seq"),
            },
        }

    def close(self) -> None:
        self._db.close()
