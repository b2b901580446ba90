"""The SQLite export as datasette publishes it (issue 26): typed columns, a primary key on
every table, foreign keys between them, a full-text index datasette finds by itself, and
``--metadata`` for datasette's title, licence and column descriptions."""

from __future__ import annotations

import asyncio
import html
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI, Invoke

TABLES = {"people", "quotes", "sources", "statistics", "events", "citations"}


@pytest.fixture
def mini_db(invoke: Invoke, tmp_path: Path) -> Path:
    target = tmp_path / "mini.db"
    result = invoke("--data", str(MINI), "export", "-f", "sqlite", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    return target


@pytest.fixture
def bundled_db(invoke: Invoke, tmp_path: Path) -> Path:
    target = tmp_path / "defectors.db"
    assert invoke("export", "-f", "sqlite", "-o", str(target)).exit_code == 0
    return target


def _datasette_get(db: Path, *paths: str) -> list[Any]:
    """Each path's JSON as datasette serves it for the database ``db``."""
    from datasette.app import Datasette

    async def fetch() -> list[Any]:
        ds = Datasette([str(db)])
        answers = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text)
            answers.append(response.json())
        return answers

    return asyncio.run(fetch())


def test_datasette_searches_people_quotes_and_sources(mini_db: Path) -> None:
    people, quotes, sources, korean, nothing = _datasette_get(
        mini_db,
        "/mini/people.json?_search=alpha&_shape=array",
        "/mini/quotes.json?_search=children&_shape=array",
        "/mini/sources.json?_search=headline&_shape=array",
        "/mini/quotes.json?_search=자유를&_shape=array",
        "/mini/people.json?_search=nosuchword&_shape=array",
    )
    assert [r["id"] for r in people] == ["alpha-tester"]
    assert [r["id"] for r in quotes] == ["alpha-tester-freedom"]
    assert [r["id"] for r in sources] == ["test-news"]
    assert [r["id"] for r in korean] == ["alpha-tester-korean"]
    assert nothing == []  # a search datasette did not see would return every row


def test_datasette_searches_the_bundled_data(bundled_db: Path) -> None:
    (people,) = _datasette_get(bundled_db, "/defectors/people.json?_search=thae&_shape=array")
    assert "thae-yong-ho" in [r["id"] for r in people]
    assert all("Thae" in r["name"] for r in people)


def test_datasette_follows_the_foreign_keys(mini_db: Path) -> None:
    (quotes,) = _datasette_get(mini_db, "/mini/quotes.json?_shape=array&_labels=on")
    about = next(r for r in quotes if r["id"] == "beta-tester-about-alpha")
    assert about["person"] == {"value": "beta-tester", "label": "Beta Tester"}
    assert about["speaker_id"] == {"value": "alpha-tester", "label": "Alpha Tester"}


def _columns(db: sqlite3.Connection, table: str) -> dict[str, tuple[str, int]]:
    """Each column's declared type and its place in the primary key (0: not in it)."""
    return {r[1]: (r[2], r[5]) for r in db.execute(f"PRAGMA table_info([{table}])")}


def test_columns_are_typed_and_every_table_has_a_primary_key(mini_db: Path) -> None:
    with sqlite3.connect(mini_db) as db:
        found = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert found >= TABLES  # and beside them only the full-text indexes' own tables
        assert {n.partition("_fts")[0] for n in found - TABLES} == {"people", "quotes", "sources"}
        keys = {t: [c for c, (_, pk) in _columns(db, t).items() if pk] for t in TABLES}
        people = _columns(db, "people")
        statistics = _columns(db, "statistics")
        events = _columns(db, "events")
        row = db.execute("SELECT year, confirmed FROM people WHERE id = 'alpha-tester'").fetchone()
        typed = db.execute("SELECT typeof(total), typeof(women_percent) FROM statistics").fetchall()
    assert keys == {
        "people": ["id"],
        "quotes": ["id"],
        "sources": ["id"],
        "statistics": ["year"],
        "events": ["id"],
        "citations": ["id"],
    }
    assert people["id"] == ("TEXT", 1) and people["name"][0] == "TEXT"
    assert people["year"][0] == "INTEGER" and people["confirmed"][0] == "INTEGER"
    assert statistics["year"] == ("INTEGER", 1) and statistics["women_percent"][0] == "REAL"
    assert events["id"] == ("INTEGER", 1)  # numbered: a rowid key
    assert row == (2018, 1)
    assert all(total == "integer" and percent in ("real", "null") for total, percent in typed)


def test_foreign_keys_link_the_tables_and_all_resolve(mini_db: Path, bundled_db: Path) -> None:
    for path in (mini_db, bundled_db):
        with sqlite3.connect(path) as db:
            links = {
                table: {
                    (r[3], r[2], r[4]) for r in db.execute(f"PRAGMA foreign_key_list([{table}])")
                }
                for table in TABLES
            }
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            cited = db.execute(
                "SELECT count(*) FROM citations WHERE (kind = 'person') != (person IS NOT NULL)"
            ).fetchone()
        assert broken == [], path
        assert cited == (0,)  # a person's citations, and those alone, link to the person
    assert links["quotes"] == {
        ("person", "people", "id"),
        ("speaker_id", "people", "id"),
        ("source", "sources", "id"),
    }
    assert links["citations"] == {("source", "sources", "id"), ("person", "people", "id")}
    assert links["events"] == {("person", "people", "id"), ("source", "sources", "id")}
    assert links["people"] == links["sources"] == links["statistics"] == set()


def test_full_text_tables_are_external_content_and_filled(mini_db: Path) -> None:
    from datasette.utils import detect_fts

    with sqlite3.connect(mini_db) as db:
        for table in ("people", "quotes", "sources"):
            assert detect_fts(db, table) == f"{table}_fts"
            (sql,) = db.execute(
                "SELECT sql FROM sqlite_master WHERE name = ?", (f"{table}_fts",)
            ).fetchone()
            assert "USING FTS5" in sql and f'content="{table}"' in sql
            # Checks the index against its content table, row by row.
            db.execute(f"INSERT INTO [{table}_fts]([{table}_fts]) VALUES ('integrity-check')")
            rows = db.execute(f"SELECT count(*) FROM [{table}]").fetchone()
            indexed = db.execute(f"SELECT count(*) FROM [{table}_fts_docsize]").fetchone()
            assert rows == indexed and rows[0] > 0
        for table in ("statistics", "events", "citations"):
            assert detect_fts(db, table) is None


def test_metadata_describes_the_export_for_datasette(invoke: Invoke, tmp_path: Path) -> None:
    db, meta = tmp_path / "defectors.db", tmp_path / "metadata.json"
    result = invoke("export", "-f", "sqlite", "-o", str(db), "--metadata", str(meta))
    assert result.exit_code == 0, result.stderr
    document = json.loads(meta.read_text(encoding="utf-8"))
    assert {"title", "description", "source", "license"} <= set(document)
    assert document["license"] == "MIT"  # the bundled data is the project's, under its licence
    tables = document["databases"]["defectors"]["tables"]  # datasette's name: the file's stem
    with sqlite3.connect(db) as connection:
        for name in ("people", "quotes", "sources", "statistics", "events", "citations"):
            columns = [r[1] for r in connection.execute(f"PRAGMA table_info([{name}])")]
            assert list(tables[name]["columns"]) == columns, name  # each column, no other
            assert tables[name]["description"]
    from datasette.app import Datasette

    async def served() -> tuple[Any, Any]:
        ds = Datasette([str(db)], metadata=document)
        home = await ds.client.get("/")
        people = await ds.client.get("/defectors/people.json?_search=thae&_shape=objects")
        return html.unescape(home.text), people.json()

    page, people = asyncio.run(served())
    assert document["title"] in page and "MIT" in page
    assert people["rows"] and people["rows"][0]["id"] == "thae-yong-ho"


def test_metadata_is_never_overwritten_without_force(invoke: Invoke, tmp_path: Path) -> None:
    db, meta = tmp_path / "d.db", tmp_path / "metadata.json"
    meta.write_text("precious", encoding="utf-8")
    result = invoke("export", "-f", "sqlite", "-o", str(db), "--metadata", str(meta))
    assert result.exit_code == 1 and "--force" in result.stderr
    assert meta.read_text(encoding="utf-8") == "precious"
    assert not db.exists()  # refused before anything is written
    args = ("export", "-f", "sqlite", "-o", str(db), "--metadata", str(meta), "--force")
    assert invoke(*args).exit_code == 0
    assert json.loads(meta.read_text(encoding="utf-8"))["databases"]["d"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.db", "metadata.json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "json", "-o", "out.json", "--metadata", "m.json"), "--format sqlite"),
        (("-f", "sqlite", "-o", "same.db", "--metadata", "same.db"), "same file"),
    ],
)
def test_metadata_goes_with_an_sqlite_export_alone(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: Any, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("export", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_metadata_of_your_own_data_claims_no_licence(invoke: Invoke, tmp_path: Path) -> None:
    db, meta = tmp_path / "mine.db", tmp_path / "m.json"
    args = ("--data", str(MINI), "export", "-f", "sqlite", "-o", str(db), "--metadata", str(meta))
    assert invoke(*args).exit_code == 0
    document = json.loads(meta.read_text(encoding="utf-8"))
    assert "license" not in document and "source_url" not in document
    assert "--data" in document["source"]
