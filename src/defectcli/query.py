"""The query layer: filters, lookups and search over the dataset, as a small Python API.

Records are held in an SQLite index (the standard library's ``sqlite3``, see ``index.py``):
filters are SQL, records come back as typed objects, or as the JSON records the commands
print. ``open_catalog`` reuses the index cached on disk (``cache.py``) while the data files
are unchanged, and builds it otherwise.

    >>> from defectcli.query import open_catalog, PersonFilter
    >>> catalog = open_catalog()
    >>> [p.id for p in catalog.people(PersonFilter(years=(2019,)))]
    ['jo-song-gil', 'ryu-hyun-woo', 'russia-summit-advance-diplomat-2019']
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .filters import (
    FACETS,
    SEARCH_KINDS,
    SORT_FIELDS,
    PersonFilter,
    QuoteFilter,
    SourceFilter,
    TimelineFilter,
    YearFilter,
)

# The typed records and result shapes are imported where they are built, not here: a
# query whose answer is already rendered JSON in the index (``list --json``) never pays
# for defining thirty record classes at start-up.
if TYPE_CHECKING:
    from pathlib import Path

    from .dataset.locate import DataFile
    from .dataset.model import Person, Quote, Source
    from .dataset.read import Dataset
    from .dataset.validate import Collected
    from .progress import Stage
    from .results import (
        Facets,
        Profile,
        QuoteSet,
        SearchHit,
        SearchResult,
        SourceEntry,
        Statistics,
        Timeline,
    )


# An ambiguous name lists this many of the people it matches.
AMBIGUOUS_SHOWN = 20
# Up to this many stored names, a name that matched nothing is compared with every one.
SUGGEST_ALL = 20_000

# Lookups in ``name_terms`` (see index.py), whose MATCH expressions are made of
# ``names.name_term``s: "wXX" a word as written, "pXX" a phonetic word, "wXX*" a beginning.
_NAMES_MATCHING = "SELECT rowid FROM name_terms WHERE name_terms MATCH ?"
_PEOPLE_MATCHING = (
    "SELECT DISTINCT person_id FROM name_terms JOIN person_names"
    " ON person_names.rowid = name_terms.rowid WHERE name_terms MATCH ?"
)


class Catalog:
    """The dataset, indexed for queries. Build one with ``open_catalog``."""

    def __init__(self, db: sqlite3.Connection) -> None:
        """Wrap an index database (see ``index.build_index``); use ``open_catalog``."""
        self._db = db

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Catalog:
        """An index built in memory from records already read."""
        from .index import build_index

        db = sqlite3.connect(":memory:")
        build_index(dataset, db)
        return cls(db)

    # --- people ---------------------------------------------------------------------------

    def _count(self, sql: str, params: Sequence[object]) -> int:
        """How many rows ``sql`` selects (for "the first 200 of 100,000" under a table)."""
        row = self._db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
        return int(row[0])

    def people(self, where: PersonFilter | None = None, limit: int | None = None) -> list[Person]:
        """People matching every filter in ``where``, sorted by ``where.sort``; the first
        ``limit`` of them when it is given."""
        sql, params = _limited(*self._people_sql("doc", where or PersonFilter()), limit)
        return [_person(doc) for (doc,) in self._db.execute(sql, params)]

    def count_people(self, where: PersonFilter | None = None) -> int:
        """How many people ``people(where)`` returns."""
        # Without the ORDER BY: a count needs no sort, and SQLite sorts a subquery's rows
        # anyway (all 100,000 people: 210 ms, against 0.1 ms unsorted).
        return self._count(*self._people_sql("id", where or PersonFilter(), ordered=False))

    def _people_sql(
        self, column: str, where: PersonFilter, ordered: bool = True
    ) -> tuple[str, list[object]]:
        field = where.sort.removeprefix("-")
        if field not in SORT_FIELDS:
            raise ValueError(f"sort must be one of {', '.join(SORT_FIELDS)}, or -field")
        clauses: list[str] = []
        params: list[object] = []
        # One of the person's years must meet every year condition at once: someone of
        # 2013 and 2016 has no year from 2014 to 2015, though one is >= 2014 and one <= 2015.
        tests: list[str] = []
        if where.years:
            tests.append(f"year IN ({_marks(where.years)})")
            params += list(where.years)
        for test, value in ((">=", where.since), ("<=", where.until)):
            if value is not None:
                tests.append(f"year {test} ?")
                params.append(value)
        if tests:
            clauses.append(
                f"id IN (SELECT person_id FROM person_years WHERE {' AND '.join(tests)})"
            )
        for filtered, values in (
            ("country_key", [_country_key(c) for c in where.countries]),
            ("country_key", _region_keys(where.regions)),
            ("destination_key", [_country_key(d) for d in where.destinations]),
            ("category", [c.casefold() for c in where.categories]),
            ("status", list(where.statuses)),
        ):
            if values:
                clauses.append(f"{filtered} IN ({_marks(values)})")
                params += values
        if where.confirmed:
            clauses.append("confirmed = 1")
        sql = f"SELECT {column} FROM people"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        if not ordered:
            return sql, params
        order = "name COLLATE NOCASE" if field == "name" else field
        way = " DESC" if where.sort.startswith("-") else ""
        # Unknown values sort last either way; ties break by year, then name (stable).
        sql += f" ORDER BY {order} IS NULL, {order}{way}, year IS NULL, year{way}"
        return sql + ", name COLLATE NOCASE", params

    def person_by_id(self, person_id: str) -> Person:
        row = self._db.execute("SELECT doc FROM people WHERE id = ?", (person_id,)).fetchone()
        if row is None:
            from .errors import NotFound

            raise NotFound(f"No person with id {person_id!r}.")
        return _person(row[0])

    def person(self, name: str) -> Person:
        """The one person ``name`` means: an id, a name, an alias or a unique part of one.

        Raises ``NotFound`` (with close matches as suggestions) or ``Ambiguous``.
        """
        ids = self.resolve(name)
        if len(ids) == 1:
            return self.person_by_id(ids[0])
        from .errors import Ambiguous, NotFound

        if not ids:
            raise NotFound(f"No person matches {name!r}.", self.suggest(name))
        shown = ids[:AMBIGUOUS_SHOWN]  # a common surname can match thousands
        candidates = [self._describe(self.person_by_id(i)) for i in shown]
        if len(ids) > len(shown):
            candidates.append(f"… and {len(ids) - len(shown):,} more")
        raise Ambiguous(f"{name!r} matches {len(ids):,} people; be more specific:", candidates)

    def resolve(self, name: str) -> list[str]:
        """Ids of the people ``name`` could mean, best tier first.

        1. The same name, ignoring case, spaces, hyphens, apostrophes and accents.
        2. The same phonetic key: any romanization of the same Hangul (``Tae Young-ho``,
           ``Cho Sŏng-gil``, ``Lee Il-kyu``), or Hangul across the North/South initial-sound
           rule (이일규 for 리일규).
        3. Every word typed is a word of one of the person's names as a source writes it
           ("thae", "song gil").
        4. Every word typed is a word of any of the names (a romanization derived from the
           Hangul included) as written or as it sounds ("tae" for Thae and Tae-san), or the
           beginning of a word as written ("tha", "ryu hy"); the last word may also begin a
           word's phonetic spelling ("tae yo" for Thae Yong Ho).
        """
        from .names import name_key, words
        from .romanize import is_hangul, phonetic_key, phonetic_words

        key = name_key(name)
        if not key:
            return []
        for column, value in (("key", key), ("pkey", phonetic_key(name))):
            if not value:
                continue
            rows = self._db.execute(
                f"SELECT DISTINCT person_id FROM person_names WHERE {column} = ?", (value,)
            ).fetchall()
            if rows:
                return sorted(r[0] for r in rows)
        # A word as written first: "thae" means Thae Yong Ho before the Tae-s it sounds like.
        from .names import name_term

        written = words(name)
        if written:
            exact = self._people_with_names_having(
                [[name_term(word, written=True)] for word in dict.fromkeys(written)],
                sourced=True,
            )
            if exact:
                return sorted(exact)
        # Descriptive labels are stored as plain words, names as phonetic words. A whole
        # word that sounds alike and the beginning of a word are as good a guess: "tae yon"
        # may mean Yun Tae-hyong (a whole word "yon" sounds like "yun") or Thae Yong Ho.
        forms = [form for form in (phonetic_words(name), written) if form]
        found = self._names_with_words(forms) | self._names_with_beginnings(name)
        if is_hangul(name):  # a part of a Hangul name: 영호
            found.update(
                pid
                for (pid,) in self._db.execute(
                    "SELECT DISTINCT person_id FROM person_names WHERE instr(key, ?) > 0", (key,)
                )
            )
        return sorted(found)

    def _names_with_words(self, forms: Sequence[Sequence[str]]) -> set[str]:
        """People one of whose names has every word of one of ``forms`` (phonetic words
        and words as written alike)."""
        from .names import name_term

        found: set[str] = set()
        for form in forms:
            found |= self._people_with_names_having(
                [
                    [name_term(word, written=False), name_term(word, written=True)]
                    for word in dict.fromkeys(form)
                ]
            )
        return found

    def _names_with_beginnings(self, name: str) -> set[str]:
        """People one of whose names has, for every word typed, a word it begins (as
        written), a word it sounds like, or, for the last word typed, a word whose phonetic
        spelling it begins. A phonetic beginning of one letter is not used: "zzz" folds to
        "c", which begins half the names in a dataset."""
        from .names import letter_words, name_term
        from .romanize import phonetic_words

        typed = letter_words(name)
        groups: list[list[str]] = []
        for position, word in enumerate(typed):
            group = [name_term(word, written=True) + "*"]
            sounds = phonetic_words(word)
            if len(sounds) == 1:  # a Hangul fragment romanizes to several; see resolve
                group += [name_term(sounds[0], written=False), name_term(sounds[0], written=True)]
                if position == len(typed) - 1 and len(sounds[0]) > 1:
                    group.append(name_term(sounds[0], written=False) + "*")
            groups.append(group)
        return self._people_with_names_having(groups)

    def _people_with_names_having(
        self, groups: Sequence[Sequence[str]], *, sourced: bool = False
    ) -> set[str]:
        """People one of whose names has, for every group, one of the group's terms (or
        term beginnings): all in one name, which is one row of ``name_terms``.
        ``sourced``: only names a source gives, not romanizations derived by defect."""
        if not groups:
            return set()
        expression = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
        sql = _PEOPLE_MATCHING + (" AND person_names.kind != 'derived'" if sourced else "")
        return {pid for (pid,) in self._db.execute(sql, (expression,))}

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Display names closest to a name that matched nothing, best first."""
        import difflib

        from .names import name_key
        from .romanize import phonetic_key

        key, pkey = name_key(name), phonetic_key(name)
        best: dict[str, float] = {}
        by_key = difflib.SequenceMatcher(None, b=key)  # b is what the matcher indexes
        by_pkey = difflib.SequenceMatcher(None, b=pkey)
        for person_id, stored_key, stored_pkey in self._suggestion_candidates(name):
            by_key.set_seq1(stored_key)
            score = by_key.ratio() if by_key.real_quick_ratio() >= 0.6 else 0.0
            if pkey:
                by_pkey.set_seq1(stored_pkey)
                if by_pkey.real_quick_ratio() >= 0.6:
                    score = max(score, by_pkey.ratio())
            best[person_id] = max(score, best.get(person_id, 0.0))
        ranked = sorted((s, pid) for pid, s in best.items() if s >= 0.6)
        names = self.names()
        return [names[pid] for _, pid in sorted(ranked, key=lambda t: (-t[0], t[1]))[:limit]]

    def _suggestion_candidates(self, name: str) -> list[tuple[str, str, str]]:
        """(person id, key, phonetic key) of the names worth comparing with ``name``: all
        of them in a dataset of up to ``SUGGEST_ALL`` names; in a larger one, those with a
        word that begins like one of the words typed (comparing with every name of 100,000
        people would take seconds)."""
        from .names import name_term, words
        from .romanize import phonetic_words

        (count,) = self._db.execute("SELECT count(*) FROM person_names").fetchone()
        if count <= SUGGEST_ALL:
            return self._db.execute("SELECT person_id, key, pkey FROM person_names").fetchall()
        starts = {w[:2] for w in (*phonetic_words(name), *words(name)) if len(w) >= 2}
        rows: set[int] = set()
        for start in starts:
            beginning = f"{name_term(start, written=False)}* OR {name_term(start, written=True)}*"
            rows.update(r for (r,) in self._db.execute(_NAMES_MATCHING, (beginning,)))
        sql = "SELECT person_id, key, pkey FROM person_names WHERE rowid IN ({})"
        return list(self._rows_with_rowids(sql, sorted(rows)))

    def _describe(self, person: Person) -> str:
        bits = [person.name]
        if person.hangul:
            bits.append(f"({person.hangul})")
        post = person.defection.post or person.country
        bits.append(f"— {post}, {person.year or 'year unknown'}")
        return " ".join(bits)

    def profile(self, name: str) -> Profile:
        """The person ``name`` means, with their quotations, relations and sources."""
        from .results import Profile

        person = self.person(name)
        quotes = tuple(self.quotes(QuoteFilter(people=(person.id,))))
        related = tuple((link, self._name_of(link.person)) for link in person.related)
        cited = dict.fromkeys(person.cited_sources())
        for quote in quotes:
            cited.setdefault(quote.source, None)
        return Profile(person, quotes, related, tuple(self.sources(cited)))

    def quote_set(self, quotes: Sequence[Quote]) -> QuoteSet:
        from .results import QuoteSet

        ids = dict.fromkeys(q.source for q in quotes)
        return QuoteSet(tuple(quotes), {s.id: s for s in self.sources(ids)})

    def name_table(self) -> list[tuple[str, str, str | None, str | None]]:
        """(id, display name, Hangul, post) for every person, by name: for completion."""
        rows = self._db.execute(
            "SELECT id, name, hangul, json_extract(doc, '$.defection.post') FROM people"
            " ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def countries(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT country FROM people ORDER BY 1")]

    def destinations(self) -> list[str]:
        return [
            r[0] for r in self._db.execute("SELECT DISTINCT destination FROM people ORDER BY 1")
        ]

    def _name_of(self, person_id: str) -> str:
        row = self._db.execute("SELECT name FROM people WHERE id = ?", (person_id,)).fetchone()
        return str(row[0]) if row else person_id

    def names(self) -> dict[str, str]:
        """Person id -> display name."""
        return dict(self._db.execute("SELECT id, name FROM people").fetchall())

    # --- quotes ---------------------------------------------------------------------------

    def quotes(self, where: QuoteFilter | None = None, limit: int | None = None) -> list[Quote]:
        """Quotations, in date order; the first ``limit`` of them when it is given.
        ``search`` matches every word regardless of case and accents; a phrase in double
        quotes matches as a phrase (``ValueError`` when there is nothing to search for)."""
        from .dataset.model import Quote, build

        sql, params = _limited(*self._quotes_sql("doc", where or QuoteFilter()), limit)
        return [build(Quote, json.loads(doc)) for (doc,) in self._db.execute(sql, params)]

    def count_quotes(self, where: QuoteFilter | None = None) -> int:
        """How many quotations ``quotes`` returns for the same filter."""
        return self._count(*self._quotes_sql("rank", where or QuoteFilter()))

    def _quotes_sql(self, column: str, where: QuoteFilter) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if where.people:
            ids = list(
                dict.fromkeys(p if self._is_id(p) else self.person(p).id for p in where.people)
            )
            clauses.append(f"(person IN ({_marks(ids)}) OR speaker_id IN ({_marks(ids)}))")
            params += [*ids, *ids]
        if where.sources:
            for source in where.sources:
                self.source(source)  # an unknown source id is an error, not an empty list
            clauses.append(f"source IN ({_marks(where.sources)})")
            params += list(where.sources)
        if where.search is not None:
            clauses.append("id IN (SELECT ref FROM search WHERE search MATCH ? AND kind = 'quote')")
            params.append(fts_query(where.search))
        sql = f"SELECT {column} FROM quotes"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY rank"  # stored in date order: no sort
        return sql, params

    def _is_id(self, text: str) -> bool:
        row = self._db.execute("SELECT 1 FROM people WHERE id = ?", (text,)).fetchone()
        return row is not None

    # --- full-text search ---------------------------------------------------------------

    def search(
        self, text: str, kinds: Sequence[str] = SEARCH_KINDS, limit: int = 25
    ) -> SearchResult:
        """One query across names and aliases, posts, quotations, events, claims and source
        titles, in English and Korean. Every word must match (as a word or the start of
        one), regardless of case and accents; "a phrase" in double quotes matches as a
        phrase. Hits come grouped by kind, best first within each group."""
        from .results import SearchHit, SearchResult

        match = fts_query(text)
        wanted = [kind for kind in SEARCH_KINDS if kind in kinds]
        # The best of each kind, ranked inside SQLite. The highlighted title and snippet,
        # which cost far more a row, are made only for the hits shown. Equal ranks keep
        # the order of the full-text table.
        best: dict[str, list[tuple[float, int]]] = {}
        for kind in wanted:
            best[kind] = self._db.execute(
                "SELECT bm25(search, 0, 0, 0, 5.0, 1.0) AS r, rowid FROM search"
                " WHERE search MATCH ? AND kind = ? ORDER BY r, rowid LIMIT ?",
                (match, kind, limit),
            ).fetchall()
        shown = self._search_rows(match, [rowid for rows in best.values() for _, rowid in rows])
        hits: list[SearchHit] = []
        for kind in wanted:
            found: list[SearchHit] = []
            if kind == "person":
                found += self._name_hits(text)
            seen = {h.id for h in found}
            for rank, rowid in best[kind]:
                ref, person, title, snippet = shown[rowid]
                if kind == "person":
                    if ref in seen:
                        continue  # already found by name
                    seen.add(ref)
                found.append(SearchHit(kind, ref, person, title, snippet, rank))
            hits += found[:limit]
        return SearchResult(text, tuple(hits))

    def _search_rows(
        self, match: str, rowids: Sequence[int]
    ) -> dict[int, tuple[str, str | None, str, str]]:
        """rowid -> (ref, person, highlighted title, snippet) of these full-text rows."""
        from .results import HIT_END, HIT_START

        # "+rowid": SQLite hands a plain "rowid IN" to FTS5 as one lookup a rowid, and each
        # lookup merges the query's doclists again (a prefix term's too): at 100,000 people
        # 0.41 s for the 75 rows "banking" shows, 0.87 s for "embassy diplomat". With the
        # "+" FTS5 reads the matches once and SQLite keeps these rows: 17 and 23 ms.
        sql = (
            "SELECT rowid, ref, person, highlight(search, 3, ?, ?),"
            " snippet(search, 4, ?, ?, '…', 16) FROM search"
            " WHERE search MATCH ? AND +rowid IN ({})"
        )
        before = (HIT_START, HIT_END, HIT_START, HIT_END, match)
        return {
            rowid: (ref, person, title, snippet)
            for rowid, ref, person, title, snippet in self._rows_with_rowids(sql, rowids, before)
        }

    def _rows_with_rowids(
        self, sql: str, rowids: Sequence[int], before: tuple[object, ...] = ()
    ) -> Iterator[Any]:
        """The rows of ``sql`` (whose ``{}`` is the rowid list of an ``IN``) for these rowids,
        in batches: SQLite takes a bounded number of parameters. ``before``: the parameters
        ahead of the list."""
        for i in range(0, len(rowids), 500):
            batch = rowids[i : i + 500]
            yield from self._db.execute(sql.format(",".join("?" * len(batch))), (*before, *batch))

    def _name_hits(self, text: str) -> list[SearchHit]:
        """People the text names in any spelling (the phonetic lookup), as top hits."""
        from .results import HIT_END, HIT_START, SearchHit
        from .romanize import is_hangul

        if is_hangul(text) or any(ch.isalpha() for ch in text):
            ids = self.resolve(text.replace('"', ""))
        else:
            ids = []
        hits = []
        for person_id in ids[:5]:
            person = self.person_by_id(person_id)
            title = f"{HIT_START}{person.name}{HIT_END}"
            snippet = " · ".join(
                x for x in (person.hangul, person.defection.post, str(person.year or "")) if x
            )
            hits.append(SearchHit("person", person.id, person.id, title, snippet, -1000.0))
        return hits

    # --- sources --------------------------------------------------------------------------

    def is_source(self, source_id: str) -> bool:
        row = self._db.execute("SELECT 1 FROM sources WHERE id = ?", (source_id,)).fetchone()
        return row is not None

    def source(self, source_id: str) -> Source:
        from .dataset.model import Source, build
        from .errors import NotFound

        row = self._db.execute("SELECT doc FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            import difflib

            known = [r[0] for r in self._db.execute("SELECT id FROM sources")]
            raise NotFound(
                f"No source with id {source_id!r}.",
                difflib.get_close_matches(source_id, known, n=3),
            )
        return build(Source, json.loads(row[0]))

    def sources(self, ids: Iterable[str] | None = None) -> list[Source]:
        """Sources by id, in the order given (all of them when ``ids`` is None)."""
        from .dataset.model import Source, build

        if ids is None:
            rows = self._db.execute("SELECT doc FROM sources ORDER BY seq").fetchall()
            return [build(Source, json.loads(doc)) for (doc,) in rows]
        return [self.source(i) for i in ids]

    def sources_cited(
        self, where: SourceFilter | None = None, limit: int | None = None
    ) -> list[SourceEntry]:
        """The bibliography with the records citing each source; the first ``limit``
        sources when it is given."""
        from .dataset.model import Source, build
        from .results import CitedBy, SourceEntry

        chosen_where, params = self._sources_where(where or SourceFilter())
        sql, params = _limited(
            f"SELECT id, doc FROM sources{chosen_where} ORDER BY seq", params, limit
        )
        sources = self._db.execute(sql, params).fetchall()
        # Every citation of the chosen sources in one query, in the index's order (one
        # query a source took 10,000 queries), each with its label stored beside it.
        chosen = (
            f"SELECT id FROM sources{chosen_where}" if limit is None else f"SELECT id FROM ({sql})"
        )
        cited: dict[str, list[CitedBy]] = {}
        for source_id, *by in self._db.execute(
            "SELECT source_id, record_kind, record_id, label FROM citations"
            f" WHERE source_id IN ({chosen})"
            " ORDER BY source_id, record_kind, record_id",
            params,
        ):
            cited.setdefault(source_id, []).append(CitedBy(*by))
        return [
            SourceEntry(build(Source, json.loads(doc)), tuple(cited.get(source_id, ())))
            for source_id, doc in sources
        ]

    def count_sources(self, where: SourceFilter | None = None) -> int:
        """How many sources ``sources_cited`` returns for the same filter."""
        chosen_where, params = self._sources_where(where or SourceFilter())
        return self._count(f"SELECT id FROM sources{chosen_where}", params)

    def _sources_where(self, where: SourceFilter) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if where.people:
            ids = list(dict.fromkeys(self.person(p).id for p in where.people))
            # What their profiles cite: their records, and the sources of the words they
            # said, also those filed under someone else (Thae quoted in Jo's record).
            clauses.append(
                "(id IN (SELECT source_id FROM citations WHERE record_kind = 'person'"
                f" AND record_id IN ({_marks(ids)})) OR id IN (SELECT source FROM quotes"
                f" WHERE speaker_id IN ({_marks(ids)})))"
            )
            params += [*ids, *ids]
        if where.kinds:
            clauses.append(f"kind IN ({_marks(where.kinds)})")
            params += list(where.kinds)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    # --- statistics, facets, timeline -------------------------------------------------------

    def statistics(self, where: YearFilter | None = None) -> Statistics:
        """The arrivals series, cumulative totals and other counts of the years asked for:
        a year of the series by its year, a total by the year it runs to, another count by
        the year it was given."""
        from .dataset.model import Cumulative, Figure, YearFigures, build
        from .results import Statistics

        where = where or YearFilter()

        def table(name: str, order: str) -> list[Any]:
            return [
                json.loads(d)
                for (d,) in self._db.execute(f"SELECT doc FROM {name} ORDER BY {order}")
            ]

        arrivals = tuple(
            build(YearFigures, y) for y in table("arrivals", "year") if where.matches(y["year"])
        )
        cumulative = tuple(
            build(Cumulative, c)
            for c in table("cumulative", "seq")
            if where.matches(int(c["as_of"][:4]))
        )
        figures = tuple(
            build(Figure, f)
            for f in table("figures", "seq")
            if where == YearFilter() or (f.get("date") and where.matches(int(f["date"][:4])))
        )
        cited = dict.fromkeys(
            s for y in arrivals for s in (*y.sources, *(i for c in y.claims for i in c.sources))
        )
        return Statistics(arrivals, cumulative, figures, {s.id: s for s in self.sources(cited)})

    def count(self, by: str, where: PersonFilter | None = None, *, people: bool = True) -> Facets:
        """How many of the people matching ``where`` fall under each value of ``by``;
        with ``people=False``, only how many (each row's ``people`` is None)."""
        from .results import FacetRow, Facets

        if by not in FACETS:
            raise ValueError(f"by must be one of {', '.join(FACETS)}")
        where = where or PersonFilter()
        sizes: dict[str, int] = {}
        listed: dict[str, list[str]] = {}
        if people:
            # From the people's own columns: no record is built. In the order of `list`.
            sql, params = self._people_sql("id, year, country, category, destination", where)
            for person_id, year, *named in self._db.execute(sql, params):
                listed.setdefault(_facet_value(by, year, *named), []).append(person_id)
            sizes = {value: len(ids) for value, ids in listed.items()}
        else:
            # Counted by SQLite: at 100,000 people 0.15 s, where reading every person's
            # row into Python (in the order of `list`) took 0.75 s.
            column = "year" if by in {"year", "decade"} else by
            sql, params = self._people_sql(f"{column} AS facet", where, ordered=False)
            for value, size in self._db.execute(
                f"SELECT facet, count(*) FROM ({sql}) GROUP BY facet", params
            ):
                if column == "year":
                    value = _facet_value(by, value, "", "", "")
                sizes[value] = sizes.get(value, 0) + size
        ordered = sorted(sizes.items(), key=lambda item: _facet_order(by, *item))
        rows = tuple(
            FacetRow(value, size, tuple(listed[value]) if people else None)
            for value, size in ordered
        )
        return Facets(by, rows, sum(r.size for r in rows))

    def timeline(self, where: TimelineFilter | None = None, limit: int | None = None) -> Timeline:
        """Every dated event in date order (a month sorts before the days within it); the
        first ``limit`` of them when it is given."""
        from .dataset.model import build
        from .results import Timeline
        from .timeline import TimelineEntry

        sql, params = _limited(*self._timeline_sql("doc", where or TimelineFilter()), limit)
        entries = tuple(
            build(TimelineEntry, json.loads(d)) for (d,) in self._db.execute(sql, params)
        )
        cited = dict.fromkeys(s for e in entries for s in e.sources)
        return Timeline(entries, {s.id: s for s in self.sources(cited)})

    def count_timeline(self, where: TimelineFilter | None = None) -> int:
        """How many entries ``timeline`` returns for the same filter."""
        return self._count(*self._timeline_sql("seq", where or TimelineFilter()))

    def _timeline_sql(self, column: str, where: TimelineFilter) -> tuple[str, list[object]]:
        dates = where.dates
        since, until = dates.since, dates.until
        clauses = ["substr(date, 1, 4) >= ?", "substr(date, 1, 4) <= ?"]
        params: list[object] = [f"{since or 0:04d}", f"{until if until is not None else 9999:04d}"]
        if dates.years:
            clauses.append(f"CAST(substr(date, 1, 4) AS INTEGER) IN ({_marks(dates.years)})")
            params += list(dates.years)
            # For the index below: the years lie between the first and the last asked for.
            since = max(since if since is not None else 0, min(dates.years))
            until = min(until if until is not None else 9999, max(dates.years))
        # The same years as a range of the dates themselves, which the index on ``date``
        # can find. A date whose first four characters are at least ``since`` is itself at
        # least ``since``; one whose first four are at most ``until`` sorts before
        # ``until + 1`` (both four digits). The tests above stay, so the answer is theirs.
        if since is not None:
            clauses.append("date >= ?")
            params.append(f"{since:04d}")
        if until is not None and 0 <= until < 9999:
            clauses.append("date < ?")
            params.append(f"{until + 1:04d}")
        if where.people:
            ids = list(dict.fromkeys(self.person(name).id for name in where.people))
            # Their own entries, and the context events that concern them, each through
            # its index (an OR over both read every entry).
            clauses.append(
                f"rowid IN (SELECT rowid FROM timeline WHERE person IN ({_marks(ids)})"
                " UNION ALL SELECT rowid FROM timeline WHERE people != '[]' AND EXISTS"
                f" (SELECT 1 FROM json_each(people) WHERE value IN ({_marks(ids)})))"
            )
            params += [*ids, *ids]
        for keys in ([_country_key(c) for c in where.countries], _region_keys(where.regions)):
            if keys:
                clauses.append(f"country_key IN ({_marks(keys)})")
                params += keys
        if where.kinds:
            kinds = [{"departure": "left-post"}.get(k, k) for k in where.kinds if k != "context"]
            tests = [f"(person IS NOT NULL AND kind IN ({_marks(kinds)}))"] if kinds else []
            if "context" in where.kinds:
                tests.append("person IS NULL")
            clauses.append("(" + " OR ".join(tests) + ")")
            params += kinds
        sql = f"SELECT {column} FROM timeline WHERE " + " AND ".join(clauses) + " ORDER BY seq"
        return sql, params

    def checked_counts(self) -> dict[str, int] | None:
        """What ``defect validate`` reports of a valid dataset, from the index: an index is
        only ever built from data that passed every check, so while no file has changed
        (``fresh_catalog``) the answer is known. None when the index does not say how many
        files it was built from (one built by an earlier version)."""
        from .cache import schemas_checksum, stored_stamp

        stamp = stored_stamp(self._db)
        files = stamp.get("files")
        # The index was checked against the schemas as they were then (a checkout being
        # worked on can change them without a new version, which the index's key holds).
        if not isinstance(files, int) or stamp.get("schemas") != schemas_checksum():
            return None

        def one(sql: str) -> int:
            return int(self._db.execute(sql).fetchone()[0] or 0)

        return {
            "files": files,
            "people": one("SELECT count(*) FROM people"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "sources": one("SELECT count(*) FROM sources"),
            "claims": one("SELECT value FROM totals WHERE name = 'claims'"),
            "events": one("SELECT count(*) FROM events"),
            "statistics_years": one("SELECT count(*) FROM arrivals"),
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

    def dataset_sections(self) -> dict[str, Any]:
        """The whole dataset in the schema's own form (what ``dataset.schema.json``
        describes, so that it loads back with ``--data``), each list a generator that reads
        its records only when iterated: an export writes them one by one."""

        def table(name: str, order: str) -> Iterator[Any]:
            for (doc,) in self._db.execute(f"SELECT doc FROM {name} ORDER BY {order}"):
                yield _schema_form(json.loads(doc))

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


def _marks(values: Sequence[object]) -> str:
    """The placeholders of an ``IN (...)`` list of ``values``."""
    return ", ".join("?" * len(values))


def _limited(sql: str, params: list[object], limit: int | None) -> tuple[str, list[object]]:
    """``sql`` (which ends with its ORDER BY) cut to its first ``limit`` rows."""
    if limit is None:
        return sql, params
    return f"{sql} LIMIT ?", [*params, limit]


def _country_key(name: str) -> str:
    from .countries import country_key  # its alias tables load only for a country filter

    return country_key(name)


def _region_keys(regions: tuple[str, ...]) -> list[str]:
    """The country keys of every country in any of ``regions``: none when none is asked
    for; a key no country has ("") when the regions hold no country, so nothing matches."""
    if not regions:
        return []
    from .regions import country_keys  # the M49 table loads only for a region filter

    keys = sorted(set().union(*(country_keys(region) for region in regions)))
    return keys or [""]


def fts_query(text: str) -> str:
    """An FTS5 query for what a person typed: each word as a prefix, phrases whole, all
    required. Raises ``ValueError`` when there is nothing to search for."""
    parts = []
    for term in search_terms(text):
        quoted = '"' + term.replace('"', '""') + '"'
        parts.append(quoted if " " in term else quoted + "*")
    if not parts:
        raise ValueError("nothing to search for: give a word or a phrase")
    return " AND ".join(parts)


def search_terms(text: str) -> list[str]:
    """Folded search terms: quoted phrases stay whole, other words stand alone."""
    from .names import fold_text

    terms: list[str] = []
    # SQLite reads a query only up to a NUL character ("unterminated string"): a space.
    text = text.replace("\x00", " ")
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        folded = fold_text(phrase or word)
        if folded:
            terms.append(folded)
    return terms


def _facet_value(by: str, year: int | None, country: str, category: str, destination: str) -> str:
    if by == "year":
        return str(year) if year is not None else "unknown"
    if by == "decade":
        return f"{year // 10 * 10}s" if year is not None else "unknown"
    return {"country": country, "category": category, "destination": destination}[by]


def _facet_order(by: str, value: str, size: int) -> tuple[int, str]:
    """Years and decades in time order (unknown last); other facets largest first."""
    if by in {"year", "decade"}:
        return (1 if value == "unknown" else 0, value)
    return (-size, value)


def _schema_form(value: Any) -> Any:
    """A stored record without its unknown (null) values, as a data file would hold it."""
    if isinstance(value, dict):
        return {k: _schema_form(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_schema_form(v) for v in value]
    return value


def _person(doc: str) -> Person:
    from .dataset.model import Person, build

    return build(Person, json.loads(doc))


def open_catalog(path: str | Path | None = None, *, cache: bool = True) -> Catalog:
    """Open the dataset at ``path`` (a folder laid out like ``data/``, or one YAML/JSON
    file); None opens the bundled data. Raises ``DataError`` if it does not validate.

    With ``cache`` (the default) the index is kept on disk and reused until a data file
    changes, so no YAML is parsed on a warm run; ``DEFECT_NO_CACHE=1`` turns that off.
    """
    from . import cache as disk
    from .dataset.locate import find_data_files

    def read(files: list[DataFile], stage: Stage | None) -> Collected:
        # The YAML parser and the validator load only when the index must be (re)built.
        from .dataset.read import check_records
        from .errors import DataError

        advance = stage("reading files", len(files)) if stage else None
        # Cross-checked by the build (``checked=False``), while its workers start.
        records, problems = check_records(files, advance, cross_check=False)
        if records is None:
            raise DataError(problems)
        return records

    def in_memory(records: Collected, stage: Stage | None) -> Catalog:
        from .index import build_index_from_records

        db = sqlite3.connect(":memory:")
        build_index_from_records(records, db, stage, checked=False)
        return Catalog(db)

    if cache and not os.environ.get("DEFECT_NO_CACHE"):
        target, root, db = _fresh_index(path)
        if db is not None:
            return Catalog(_from_disk(db))
        files, db = _fresh_by_listing(path, target, root)
        if db is None:
            from .index import build_index_from_records
            from .progress import building

            stamp = disk.snapshot(files)
            with building(len(files)) as stage:
                records = read(files, stage)
                db = disk.build_file(
                    target,
                    stamp,
                    lambda c: build_index_from_records(records, c, stage, checked=False),
                )
                if db is None:  # the cache cannot be written: carry on in memory
                    return in_memory(records, stage)
        return Catalog(_from_disk(db))
    from .progress import building

    files = find_data_files(path)
    with building(len(files)) as stage:
        return in_memory(read(files, stage), stage)


def fresh_catalog(path: str | Path | None = None) -> Catalog | None:
    """The dataset's index when it is on disk and no data file has changed since it was
    built (the check every warm run makes); else None. Builds nothing."""
    if os.environ.get("DEFECT_NO_CACHE"):
        return None
    from .errors import DataError

    target, root, db = _fresh_index(path)
    if db is None:
        try:
            _, db = _fresh_by_listing(path, target, root)
        except DataError:  # no such dataset: the full check says so
            return None
    return Catalog(_from_disk(db)) if db is not None else None


def dataset_key(path: str | Path | None) -> tuple[str | None, str, str]:
    """The dataset's folder or file on disk (None for bundled data read from a zip), its
    root, and the key its index is found by."""
    from .dataset.locate import bundled_data_folder, bundled_data_root

    if path is None:
        folder = bundled_data_folder()  # None when not on a file system (a zip)
        root = folder if folder is not None else str(bundled_data_root())
        return folder, root, f"bundled:{root}"
    resolved = os.path.realpath(os.fspath(path))
    return resolved, resolved, resolved


def _fresh_index(path: str | Path | None) -> tuple[str, str, sqlite3.Connection | None]:
    """Where the index of ``path`` lives, the dataset's root, and the index if it is fresh
    by the quick check: one scan of the folders, one stat a file, no list of file objects.
    (Strings, not pathlib, on this path: it is every warm run's start-up.)"""
    from . import cache as disk

    folder, root, key = dataset_key(path)
    target = disk.index_path(key)
    if not os.path.isfile(target):
        # A first run: no index to compare the files with. The check would stat every
        # file for nothing (0.3 to 0.5 s at 100,000 files); the build takes its own stamps.
        return target, root, None
    current = None
    if folder is not None and os.path.isdir(folder):
        current = disk.folder_fingerprint(root)
    elif path is not None and os.path.isfile(folder or ""):
        current = disk.file_fingerprint(os.fspath(path))
    db = disk.open_fresh(target, current) if current is not None else None
    return target, root, db


def _fresh_by_listing(
    path: str | Path | None, target: str, root: str
) -> tuple[list[DataFile], sqlite3.Connection | None]:
    """The data files, and the index if it is fresh by their stamps: the slower check, for
    data the quick one cannot scan (the bundled data read through a zip import, say)."""
    from . import cache as disk
    from .dataset.locate import find_data_files

    files = find_data_files(path)
    if not os.path.isfile(target):
        # No index to compare with (a first run): the stamps would be taken for nothing,
        # one stat a file (0.5 s at 100,000 files); the build takes its own.
        return files, None
    return files, disk.open_fresh(target, disk.fingerprint([disk.stamp_of(f) for f in files]))


# --- a damaged index ------------------------------------------------------------------------

# The index files this process has opened from the cache: what a damaged index is among.
_OPENED: list[str] = []


def _from_disk(db: sqlite3.Connection) -> sqlite3.Connection:
    """``db``, an index opened from the cache, remembered (``discard_damaged_index``)."""
    from .cache import database_file

    file = database_file(db)
    if file is not None and file not in _OPENED:
        _OPENED.append(file)
    return db


def discard_damaged_index(error: BaseException) -> bool:
    """Whether ``error`` came from reading an index opened from the cache (any SQLite
    database error: a damaged page, a dropped table; or a stored value that cannot be
    decoded, raised in this module): then that index is removed, with one line on stderr,
    so that the command can run once more on an index built again. False otherwise."""
    if not _OPENED:
        return False
    if not isinstance(error, sqlite3.DatabaseError) and not _raised_here(error):
        return False
    from .cache import damaged

    for file in _OPENED:
        damaged(file, error)
    _OPENED.clear()
    return True


def _raised_here(error: BaseException) -> bool:
    """Whether ``error`` is one a stored value that cannot be decoded raises, raised while
    this module was running (reading the index) rather than, say, rendering a result."""
    if not isinstance(error, (ValueError, TypeError, KeyError, IndexError, AttributeError)):
        return False
    return raised_reading(error)


def raised_reading(error: BaseException) -> bool:
    """Whether ``error`` was raised while this module was running: reading the index."""
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == __file__:
            return True
        trace = trace.tb_next
    return False
