"""Work split over processes gives exactly what one process gives: data, problems, order."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, MINI
from defectcli import index, parallel
from defectcli.dataset import read
from defectcli.dataset.locate import find_data_files
from defectcli.dataset.read import check_dataset, check_files, check_records

pytestmark = pytest.mark.skipif(not parallel.CAN_FORK, reason="splits need fork (Linux)")


@pytest.fixture
def split_everything(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Split even the smallest dataset, over three processes whatever the machine has;
    the list it gives counts the splits that completed (none may fall back unseen)."""
    monkeypatch.setattr(read, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "processes", lambda: 3)
    done: list[int] = []
    real = parallel.fork_map

    def counted(*args: Any, **kwargs: Any) -> list[bytes]:
        answers = real(*args, **kwargs)
        done.append(len(answers))
        return answers

    monkeypatch.setattr(parallel, "fork_map", counted)
    return done


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "processes", lambda: 1)


def test_fork_map_returns_every_part_in_order() -> None:
    parts = parallel.split(list(range(10)), 3)
    assert [list(p) for p in parts] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    answers = parallel.fork_map(lambda part: f"{os.getpid()}:{sum(part)}".encode(), parts)
    pids = [a.decode().split(":")[0] for a in answers]
    assert [a.decode().split(":")[1] for a in answers] == ["6", "22", "17"]
    assert pids[0] == str(os.getpid()) and len(set(pids)) == 3  # two children did their part


def test_a_failing_child_is_reported_and_a_failing_parent_reaps_its_children() -> None:
    def child_fails(part: Sequence[int]) -> bytes:
        if part[0] != 0:
            raise RuntimeError("child")
        return b"ok"

    with pytest.raises(parallel.SplitFailed):
        parallel.fork_map(child_fails, [[0], [1]])

    def parent_fails(part: Sequence[int]) -> bytes:
        raise KeyError("parent")

    with pytest.raises(KeyError):
        parallel.fork_map(lambda part: b"x" * 1_000_000, [[0], [1]], first=parent_fails)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind, not even a zombie


def test_stream_map_gives_every_run_in_order_each_from_a_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "processes", lambda: 3)
    items = list(range(100))
    # Answers larger than a pipe's buffer, several a child: each must be read exactly.
    stream = parallel.stream_map(
        items,
        lambda run: f"{os.getpid()}:{sum(run)}:".encode() + b"x" * 200_000,
        lambda run, answer: (list(run), answer.split(b":")[:2]),
        minimum=1,
        runs_per_process=4,
    )
    assert stream is not None
    results = list(stream)
    assert [r for run, _ in results for r in run] == items and len(results) == 12
    assert [int(total) for _, (_, total) in results] == [sum(run) for run, _ in results]
    pids = [int(pid) for _, (pid, _) in results]
    assert os.getpid() not in pids and len(set(pids)) == 3
    assert pids[:3] == pids[3:6]  # runs dealt out in turn
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_stream_stops_its_children_on_failure_or_when_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "processes", lambda: 2)

    def fails_on_the_fifth(run: Sequence[int]) -> bytes:
        if run[0] == 5:
            raise RuntimeError("child")
        return b"ok"

    stream = parallel.stream_map(list(range(8)), fails_on_the_fifth, lambda r, a: a, minimum=1)
    assert stream is not None
    got = []
    with pytest.raises(parallel.SplitFailed):
        for answer in stream:
            got.append(answer)
    assert got == [b"ok"] * 5
    slow = parallel.stream_map(
        list(range(8)), lambda r: b"y" * 1_000_000, lambda r, a: a, minimum=1
    )
    assert slow is not None and next(slow) == b"y" * 1_000_000
    slow.close()  # the other children are still writing
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind, not even a zombie


def test_a_failed_stream_falls_back_to_one_process(
    monkeypatch: pytest.MonkeyPatch, split_everything: list[int]
) -> None:
    monkeypatch.setattr(index, "PARALLEL_FROM", 1)
    records, _ = check_records(find_data_files(None))
    assert records is not None
    real = parallel.stream_map

    def failing(items: Any, child: Any, decode: Any, **kwargs: Any) -> Any:
        def dies_late(run: Any) -> bytes:
            if run[0] is items[-1]:
                os._exit(3)  # a worker killed after others have answered
            return child(run)  # type: ignore[no-any-return]

        return real(items, dies_late, decode, **kwargs)

    monkeypatch.setattr(parallel, "stream_map", failing)
    fell_back = sqlite3.connect(":memory:")
    index.build_index_from_records(records, fell_back)
    whole = sqlite3.connect(":memory:")
    dataset, _ = check_files(find_data_files(None))
    assert dataset is not None
    index.build_index(dataset, whole)
    assert _tables(fell_back) == _tables(whole)


def test_split_reading_gives_the_same_dataset(
    monkeypatch: pytest.MonkeyPatch, split_everything: list[int]
) -> None:
    for data in (None, MINI):
        together = check_dataset(data)
        with monkeypatch.context() as serial:
            _serial(serial)
            alone = check_dataset(data)
        assert together == alone and together[0] is not None
    assert split_everything == [3, 3]


def _bad_datasets() -> list[Path]:
    return sorted(p for p in (FIXTURES / "bad").iterdir())


@pytest.mark.parametrize("data", _bad_datasets(), ids=lambda p: p.name)
def test_split_reading_reports_the_same_problems(
    monkeypatch: pytest.MonkeyPatch, split_everything: list[int], data: Path
) -> None:
    together = check_dataset(data)
    with monkeypatch.context() as serial:
        _serial(serial)
        alone = check_dataset(data)
    assert together == alone and together[1]


def _tables(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    # The full-text tables' own shadow tables follow from their rows; compare the rows,
    # and check that the index of names' terms holds exactly the terms of their rows.
    names = [n for n in names if not n.startswith(("search_", "name_terms_"))]
    db.execute("INSERT INTO name_terms (name_terms, rank) VALUES ('integrity-check', 1)")
    return {n: _rows(db, n) for n in names}


def _rows(db: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()


def _count_streamed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the answers children stream back (each decoded here, in the parent)."""
    answers: list[int] = []
    real = parallel.stream_map

    def counted(items: Any, child: Any, decode: Any, **kwargs: Any) -> Any:
        def counting(run: Any, answer: bytes) -> Any:
            answers.append(os.getpid())
            return decode(run, answer)

        return real(items, child, counting, **kwargs)

    monkeypatch.setattr(parallel, "stream_map", counted)
    return answers


@pytest.mark.parametrize("data", [None, MINI], ids=["bundled", "mini"])
def test_an_index_built_in_parts_equals_one_built_whole(
    monkeypatch: pytest.MonkeyPatch, split_everything: list[int], data: Path | None
) -> None:
    monkeypatch.setattr(index, "PARALLEL_FROM", 1)
    files = find_data_files(data)
    records, problems = check_records(files)
    assert records is not None and not problems
    streamed = _count_streamed(monkeypatch)
    in_parts = sqlite3.connect(":memory:")
    index.build_index_from_records(records, in_parts)
    # The rows really came from children: 3 processes x 8 runs, or one run a person.
    assert len(streamed) == min(3 * index.RUNS, len(records.people))
    whole = sqlite3.connect(":memory:")
    dataset, _ = check_files(files)
    assert dataset is not None
    index.build_index(dataset, whole)
    assert _tables(in_parts) == _tables(whole)
    assert len(_tables(whole)["people"]) == len(dataset.people) > 0


def test_one_core_means_one_process() -> None:
    # A process limited to one core (taskset, a container's cpuset) splits nothing.
    import subprocess
    import sys

    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no CPU affinity here")
    code = "import os; os.sched_setaffinity(0, {0}); from defectcli import parallel; " \
           "print(parallel.processes())"  # fmt: skip
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.stdout.strip() == "1", found.stderr
    assert 1 <= parallel.processes() <= parallel.MAX_PROCESSES


CROSS_CHECKED = [
    "dangling-source",
    "dangling-quote-speaker",
    "dangling-related-person",
    "dangling-event-person",
    "duplicate-source-ids",
    "id-differs-from-file-name",
    "bad-date-february-30",
]


@pytest.mark.parametrize("name", CROSS_CHECKED)
def test_a_split_build_cross_checks_before_it_writes_a_row(
    monkeypatch: pytest.MonkeyPatch, split_everything: list[int], name: str
) -> None:
    # The index build makes the cross-checks itself, while its children render the first
    # runs: the same problems as `validate` finds must stop it, before a row is written,
    # leaving no index (or half-built file) and no child behind.
    from defectcli import cache
    from defectcli.errors import DataError
    from defectcli.query import open_catalog

    monkeypatch.setattr(index, "PARALLEL_FROM", 1)
    data = FIXTURES / "bad" / name
    _, expected = check_dataset(data)
    assert expected
    events: list[str] = []
    real_check = read.reference_problems

    def check(records: Any) -> Any:
        events.append("checked")
        return real_check(records)

    monkeypatch.setattr(read, "reference_problems", check)
    real_write = index.write_index

    def write(db: Any, parts: Any, *args: Any, **kwargs: Any) -> None:
        def logged() -> Any:
            for part in parts:
                events.append("rows")
                yield part

        real_write(db, logged(), *args, **kwargs)

    monkeypatch.setattr(index, "write_index", write)
    streamed = _count_streamed(monkeypatch)
    with pytest.raises(DataError) as raised:
        open_catalog(data)
    assert list(raised.value.problems) == expected
    assert events == ["checked"] and not streamed  # checked once, before any answer used
    folder = os.path.dirname(cache.index_path(os.path.realpath(data)))
    assert not os.path.exists(cache.index_path(os.path.realpath(data)))
    assert not [n for n in os.listdir(folder) if n.endswith(".tmp")]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child stopped and reaped


def test_a_split_build_of_good_data_cross_checks_once(
    monkeypatch: pytest.MonkeyPatch, split_everything: list[int]
) -> None:
    from defectcli.query import open_catalog

    monkeypatch.setattr(index, "PARALLEL_FROM", 1)
    checks: list[int] = []
    real_check = read.reference_problems
    streamed = _count_streamed(monkeypatch)

    def check(records: Any) -> Any:
        checks.append(len(streamed))  # how many answers had been used by then
        return real_check(records)

    monkeypatch.setattr(read, "reference_problems", check)
    catalog = open_catalog(MINI, cache=False)
    assert checks == [0] and streamed  # once, before the first answer; rows from children
    assert catalog.count_people() == len(check_dataset(MINI)[0].people)  # type: ignore[union-attr]


def test_beside_runs_both_jobs_or_says_the_childs_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    here: list[int] = []
    read_end, write_end = os.pipe()

    def child_writes() -> None:
        os.write(write_end, str(os.getpid()).encode())

    assert parallel.beside(lambda: here.append(os.getpid()), child_writes) is True
    os.close(write_end)
    child_pid = os.read(read_end, 100).decode()
    os.close(read_end)
    assert here == [os.getpid()] and child_pid and child_pid != str(os.getpid())

    def child_dies() -> None:
        os._exit(3)

    assert parallel.beside(lambda: here.append(2), child_dies) is False
    assert here[1:] == [2]  # this process's job ran once, whatever the child did

    def no_fork() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    assert parallel.beside(lambda: here.append(3), child_writes) is False
    assert here[2:] == [3]
    _serial(monkeypatch)
    assert parallel.beside(lambda: here.append(4), child_writes) is False
    assert here[3:] == [4]


def _built_apart(data: Path | None, path: Path) -> sqlite3.Connection:
    dataset, _ = check_files(find_data_files(data))
    assert dataset is not None
    db = sqlite3.connect(path)
    index.build_index(dataset, db)
    db.commit()
    return db


def _schema(db: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


@pytest.mark.parametrize("data", [None, MINI], ids=["bundled", "mini"])
def test_late_tables_built_apart_equal_those_built_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: Path | None
) -> None:
    # A large build fills the quotations and the timeline in a file of its own, in a
    # child, and copies them in: the same rows, the same indexes, nothing left behind.
    monkeypatch.setattr(index, "LATE_APART_FROM", 1)
    monkeypatch.setattr(parallel, "processes", lambda: 2)
    outcomes: list[bool] = []
    real = parallel.beside

    def counted(*args: Any) -> bool:
        outcomes.append(real(*args))
        return outcomes[-1]

    monkeypatch.setattr(parallel, "beside", counted)
    apart = _built_apart(data, tmp_path / "apart.sqlite")
    assert outcomes == [True]
    whole = sqlite3.connect(":memory:")  # no file: built in one process
    dataset, _ = check_files(find_data_files(data))
    assert dataset is not None
    index.build_index(dataset, whole)
    assert outcomes == [True]
    assert _tables(apart) == _tables(whole) and _tables(whole)["quotes"]
    assert _schema(apart) == _schema(whole)
    assert apart.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # The copied indexes answer: a quotation found by its id, a person's timeline.
    quote_id, person = whole.execute("SELECT id, person FROM quotes LIMIT 1").fetchone()
    plan = apart.execute("EXPLAIN QUERY PLAN SELECT rank FROM quotes WHERE id = ?", (quote_id,))
    assert "quotes_id" in str(plan.fetchall())
    found = "SELECT rank FROM quotes WHERE id = ?"
    assert (
        apart.execute(found, (quote_id,)).fetchall() == whole.execute(found, (quote_id,)).fetchall()
    )
    entries = "SELECT seq, kind FROM timeline WHERE person = ? ORDER BY seq"
    assert "timeline_person" in str(
        apart.execute(f"EXPLAIN QUERY PLAN {entries}", (person,)).fetchall()
    )
    assert (
        apart.execute(entries, (person,)).fetchall() == whole.execute(entries, (person,)).fetchall()
    )
    assert whole.execute(entries, (person,)).fetchall()
    assert sorted(os.listdir(tmp_path)) == ["apart.sqlite"]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_failed_late_child_or_parent_leaves_nothing_half_done(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(index, "LATE_APART_FROM", 1)
    monkeypatch.setattr(parallel, "processes", lambda: 2)
    parent = os.getpid()
    real_late = index._write_late_tables

    def dies_in_the_child(*args: Any) -> None:
        if os.getpid() != parent:
            os._exit(3)
        real_late(*args)

    monkeypatch.setattr(index, "_write_late_tables", dies_in_the_child)
    fell_back = _built_apart(MINI, tmp_path / "fell-back.sqlite")
    whole = sqlite3.connect(":memory:")
    dataset, _ = check_files(find_data_files(MINI))
    assert dataset is not None
    index.build_index(dataset, whole)
    assert _tables(fell_back) == _tables(whole) and _schema(fell_back) == _schema(whole)
    assert sorted(os.listdir(tmp_path)) == ["fell-back.sqlite"]

    monkeypatch.setattr(index, "_write_late_tables", real_late)

    def fails_here(shared: Any) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(index, "_shared_citations", fails_here)
    with pytest.raises(sqlite3.OperationalError):
        _built_apart(MINI, tmp_path / "failed.sqlite")
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".late")]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the child was stopped and reaped
