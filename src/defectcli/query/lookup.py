"""Finding people by name in the index: the same name, the same sound, whole words, word
beginnings; and the names closest to one that matched nothing (``Catalog`` inherits these)."""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Sequence

from ..text.names import letter_words, name_key, name_term, words
from ..text.romanize import is_hangul, phonetic_key, phonetic_words

AMBIGUOUS_SHOWN = 20
# Up to this many stored names, a name that matched nothing is compared with every one.
SUGGEST_ALL = 20_000

# Lookups in ``name_terms`` (see index/build.py), whose MATCH expressions are made of
# ``names.name_term``s: "wXX" a word as written, "pXX" a phonetic word, "wXX*" a beginning.
_NAMES_MATCHING = "SELECT rowid FROM name_terms WHERE name_terms MATCH ?"
_PEOPLE_MATCHING = (
    "SELECT DISTINCT person_id FROM name_terms JOIN person_names"
    " ON person_names.rowid = name_terms.rowid WHERE name_terms MATCH ?"
)


class NameLookup:
    """The name lookups of ``Catalog``, over its index ``_db``."""

    _db: sqlite3.Connection

    def resolve(self, name: str) -> list[str]:
        """Ids of the people ``name`` could mean, from the first of these tiers that finds any:
        1. the same name, ignoring case, spaces, hyphens, apostrophes and accents;
        2. the same phonetic key: any romanization of the same Hangul (``Tae Young-ho``,
           ``Lee Il-kyu``), or Hangul across the North/South initial-sound rule (이일규, 리일규);
        3. every word typed a word of a name as a source writes it ("thae", "song gil");
        4. every word typed a word of any name (derived romanizations too) as written or as
           it sounds ("tae": Thae and Tae-san), or a word's beginning ("tha", "ryu hy"); the
           last may begin a word's phonetic spelling ("tae yo" for Thae Yong Ho).
        """
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
        written = words(name)
        exact = self._people_with_names_having(
            [[name_term(word, written=True)] for word in dict.fromkeys(written)], sourced=True
        )
        if exact:
            return sorted(exact)
        # Descriptive labels are stored as plain words, names as phonetic words. A whole
        # word that sounds alike and the beginning of a word are as good a guess: "tae yon"
        # may mean Yun Tae-hyong (a whole word "yon" sounds like "yun") or Thae Yong Ho.
        found = self._names_with_beginnings(name)
        for form in (phonetic_words(name), written):
            unique = dict.fromkeys(form)
            terms = [[name_term(w, written=False), name_term(w, written=True)] for w in unique]
            found |= self._people_with_names_having(terms)
        if is_hangul(name):  # a part of a Hangul name: 영호
            inside = "SELECT DISTINCT person_id FROM person_names WHERE instr(key, ?) > 0"
            found.update(pid for (pid,) in self._db.execute(inside, (key,)))
        return sorted(found)

    def _names_with_beginnings(self, name: str) -> set[str]:
        """People with a name that has, for every word typed, a word it begins (as written)
        or sounds like, or for the last one a word whose phonetic spelling it begins (of two
        letters at least: "zzz" folds to "c", which begins half the names)."""
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
        """People with one name (a row of ``name_terms``) holding a term of every group;
        ``sourced``: only names a source gives, not romanizations derived by defect."""
        if not groups:
            return set()
        expression = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
        sql = _PEOPLE_MATCHING + (" AND person_names.kind != 'derived'" if sourced else "")
        return {pid for (pid,) in self._db.execute(sql, (expression,))}

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Display names closest to a name that matched nothing, best first."""
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
        ranked = sorted((-score, pid) for pid, score in best.items() if score >= 0.6)
        return [self._name_of(pid) for _, pid in ranked[:limit]]

    def _suggestion_candidates(self, name: str) -> list[tuple[str, str, str]]:
        """(person id, key, phonetic key) of the names worth comparing with ``name``: all, up
        to ``SUGGEST_ALL``; beyond, only those with a word that begins like a word typed."""
        (count,) = self._db.execute("SELECT count(*) FROM person_names").fetchone()
        sql = "SELECT person_id, key, pkey FROM person_names"
        if count <= SUGGEST_ALL:
            return self._db.execute(sql).fetchall()
        starts = {w[:2] for w in (*phonetic_words(name), *words(name)) if len(w) >= 2}
        beginnings = " OR ".join(
            f"{name_term(start, written=False)}* OR {name_term(start, written=True)}*"
            for start in sorted(starts)
        )
        if not beginnings:
            return []
        return self._db.execute(
            f"{sql} WHERE rowid IN ({_NAMES_MATCHING})", (beginnings,)
        ).fetchall()

    def name_table(self) -> list[tuple[str, str, str | None, str | None]]:
        """(id, display name, Hangul, post) for every person, by name: for completion."""
        return self._db.execute(
            "SELECT id, name, hangul, json_extract(doc, '$.defection.post') FROM people"
            " ORDER BY name COLLATE NOCASE"
        ).fetchall()

    def places(self, column: str) -> list[str]:
        """The countries people were posted in (``country``) or went to (``destination``)."""
        return [r[0] for r in self._db.execute(f"SELECT DISTINCT {column} FROM people ORDER BY 1")]

    def _name_of(self, person_id: str) -> str:
        row = self._db.execute("SELECT name FROM people WHERE id = ?", (person_id,)).fetchone()
        return str(row[0]) if row else person_id
