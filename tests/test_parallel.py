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
    # The full-text table's own shadow tables follow from its rows; compare the rows.
    names = [n for n in names if not n.startswith("search_")]
    return {n: db.execute(f"SELECT rowid, * FROM {n} ORDER BY rowid").fetchall() for n in names}


@pytest.mark.parametrize("data", [None, MINI], ids=["bundled", "mini"])
def test_an_index_built_in_parts_equals_one_built_whole(
    monkeypatch: pytest.MonkeyPatch, split_everything: list[int], data: Path | None
) -> None:
    monkeypatch.setattr(index, "PARALLEL_FROM", 1)
    files = find_data_files(data)
    records, problems = check_records(files)
    assert records is not None and not problems
    split_done = len(split_everything)
    in_parts = sqlite3.connect(":memory:")
    index.build_index_from_records(records, in_parts)
    # The rows really came from several processes (three, or one a person).
    assert split_everything[split_done:] == [min(3, len(records.people))]
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
