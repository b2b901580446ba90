"""A damaged index is never fatal: a database error while reading it (a damaged page, a
dropped table, a stored value that cannot be decoded) discards it and runs the command once
more on an index built again, with one line on stderr; if that fails too, a clear message
and exit 1, never "internal error".

Found by an adversarial trial: one damaged page in the index made every later run fail
with ``internal error: DatabaseError: database disk image is malformed`` (exit 70), forever.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from defectcli import query
from defectcli.index import cache
from test_trust_users import run_defect


@pytest.fixture(autouse=True)
def _fresh_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test as a run of its own: its own cache, nothing said or opened yet."""
    monkeypatch.setenv("DEFECT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_SAID", set())
    monkeypatch.setattr(query.opening, "_OPENED", [])


def index_of(data: Path) -> Path:
    return Path(cache.index_path(str(data.resolve())))


def damage_a_page(index: Path) -> None:
    """Overwrite the page that holds the people: what a bad sector or a stray write does."""
    with sqlite3.connect(index) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
        page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'people'").fetchone()[0]
    db.close()
    with index.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xa5" * size)


def drop_a_table(index: Path) -> None:
    with sqlite3.connect(index) as db:
        db.execute("DROP TABLE people")
    db.close()


def bad_json(index: Path) -> None:
    with sqlite3.connect(index) as db:
        db.execute("UPDATE people SET doc = '{not json'")
    db.close()


def no_value(index: Path) -> None:
    with sqlite3.connect(index) as db:
        db.execute("CREATE TABLE copy AS SELECT * FROM people")
        db.execute("DROP TABLE people")
        db.execute("CREATE TABLE people AS SELECT * FROM copy")
        db.execute("UPDATE people SET doc = NULL")
    db.close()


def damaged_header(index: Path) -> None:
    index.write_bytes(b"SQLite format 3\x00" + b"\x13" * 2000)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "damaged-page": damage_a_page,
    "dropped-table": drop_a_table,
    "bad-json": bad_json,
    "null-value": no_value,
    "damaged-header": damaged_header,
}
COMMANDS = [
    ["list", "--json"],
    ["show", "alpha-tester", "--json"],
    ["quotes", "--json"],
    ["search", "tester", "--json"],
    ["timeline", "--json"],
    ["sources", "--json"],
    ["count", "--by", "country", "--json"],
    ["stats", "--json"],
    ["cite", "alpha-tester"],
    ["validate"],
]


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_index_is_discarded_and_built_again(mini_copy: Path, damage: str) -> None:
    data = ["--data", str(mini_copy)]
    code, expected, _ = run_defect([*data, "list", "--json"])
    assert code == 0
    index = index_of(mini_copy)
    DAMAGE[damage](index)
    code, out, err = run_defect([*data, "list", "--json"])
    assert (code, out) == (0, expected), err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"Note: the index {index} could not be read (")
    assert lines[0].endswith("); building it again")
    # Built again: the next run reads it, with nothing to say.
    assert run_defect([*data, "list", "--json"]) == (0, expected, "")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_every_command_survives_a_damaged_page(mini_copy: Path, args: list[str]) -> None:
    data = ["--data", str(mini_copy)]
    code, expected, _ = run_defect([*data, *args])
    assert code == 0
    damage_a_page(index_of(mini_copy))
    code, out, err = run_defect([*data, *args])
    assert (code, out) == (0, expected), err
    assert "internal error" not in err


def test_an_export_to_a_file_survives_a_damaged_index(mini_copy: Path, tmp_path: Path) -> None:
    data = ["--data", str(mini_copy)]
    run_defect([*data, "list"])
    drop_a_table(index_of(mini_copy))
    target = tmp_path / "out.sqlite"
    code, _, err = run_defect([*data, "export", "-f", "sqlite", "-o", str(target)])
    assert code == 0, err
    assert "could not be read" in err and "internal error" not in err
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 2
    db.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_export_to_standard_output_cut_short_says_so(mini_copy: Path) -> None:
    """Part of the export may be printed when the damage is met: it is not printed twice;
    the run says what happened, and the next one is whole."""
    data = ["--data", str(mini_copy)]
    run_defect([*data, "list"])
    drop_a_table(index_of(mini_copy))
    code, out, err = run_defect([*data, "export", "-f", "ndjson", "-o", "-"])
    assert code == 1
    assert "the output is cut short" in err and "internal error" not in err
    code, out, err = run_defect([*data, "export", "-f", "ndjson", "-o", "-"])
    assert code == 0 and err == ""
    assert {json.loads(line)["type"] for line in out.splitlines()} >= {"person", "source"}


def test_an_index_that_fails_again_once_built_again_is_a_clear_error(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def malformed(*args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    data = ["--data", str(mini_copy)]
    run_defect([*data, "list"])
    monkeypatch.setattr(query.Catalog, "people", malformed)
    code, out, err = run_defect([*data, "list"])
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"Note: the index {index_of(mini_copy)} could not be read (database disk image is"
        " malformed); building it again",
        "Error: the dataset's index cannot be read: database disk image is malformed",
    ]
    # In memory (no cache): nothing to discard, the same clear message.
    code, out, err = run_defect([*data, "list"], env={"DEFECT_NO_CACHE": "1"})
    assert code == 1 and err == (
        "Error: the dataset's index cannot be read: database disk image is malformed\n"
    )


def test_a_bug_is_still_reported_as_one(mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error raised while rendering, not while reading the index, is not taken for a
    damaged index: the index stays, and the report is the internal error it is."""
    from defectcli.render import emit

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug")

    data = ["--data", str(mini_copy)]
    run_defect([*data, "list"])
    monkeypatch.setattr(emit, "write", broken)
    code, _, err = run_defect([*data, "list"])
    assert code == 70 and "internal error: ValueError: a bug" in err
    assert "could not be read" not in err and index_of(mini_copy).exists()
