"""Work split over forked processes, for the two jobs that grow with the dataset.

Building the index of 100,000 people is pure-Python work (parsing, checking, rendering rows)
and the freshness check is 100,000 stat calls; threads would queue on the interpreter lock,
so the work is split into contiguous parts, every part but the first runs in a child made
by ``fork`` (which inherits the data: nothing is sent to it), and each child sends its
result back as bytes through a pipe. The parent computes the first part meanwhile.

Only on Linux (``fork`` is unsafe on macOS once system frameworks are loaded, and absent on
Windows) and only with more than one core: elsewhere callers do the work in one process.
Any failure of a child raises ``SplitFailed``, and callers then do the work in one process:
the split is an optimisation, never a second way to get an answer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

CAN_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")


class SplitFailed(Exception):
    """A child could not do its part (it died, or sent back less than it said)."""


# More processes than this gain little (the parent decodes and writes every answer) and
# each holds its own copy of the pages it touches.
MAX_PROCESSES = 8


def processes() -> int:
    """How many processes a split may use: one for each core this process may run on
    (a container's limit included), at most ``MAX_PROCESSES``; 1 where fork is missing."""
    if not CAN_FORK:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_PROCESSES, cores or 1))


def split(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """``items`` cut into at most ``parts`` contiguous runs of nearly equal length."""
    size = -(-len(items) // max(1, parts))
    return [items[i : i + size] for i in range(0, len(items), size)] if items else []


R = TypeVar("R")


def split_map(
    items: Sequence[T],
    here: Callable[[Sequence[T]], R],
    child: Callable[[Sequence[T]], bytes],
    decode: Callable[[Sequence[T], bytes], R],
    *,
    minimum: int,
) -> list[R] | None:
    """One result for each run of ``items`` (one run a process, in order): the first run
    computed here by ``here``, the others by ``child`` in forked children and turned back
    into results by ``decode``, each answer freed once decoded. None when the work should
    be done in one process instead: fewer than ``minimum`` items, one core, no ``fork``, or
    a child that failed."""
    count = processes()
    if len(items) < minimum or count < 2:
        return None
    runs = split(items, count)
    mine: list[R] = []

    def first(run: Sequence[T]) -> bytes:
        mine.append(here(run))  # this process's own result needs no encoding
        return b""

    try:
        answers = fork_map(child, runs, first)
    except SplitFailed:
        return None
    del answers[0]
    for run in runs[1:]:
        mine.append(decode(run, answers.pop(0)))
    return mine


def fork_map(
    work: Callable[[Sequence[T]], bytes],
    parts: Sequence[Sequence[T]],
    first: Callable[[Sequence[T]], bytes] | None = None,
) -> list[bytes]:
    """``work(part)`` for every part, results in order; ``parts[0]`` runs here (through
    ``first`` when given, so that the parent's share can report progress)."""
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    finished = False
    try:
        for part in parts[1:]:
            read_end, write_end = os.pipe()
            try:
                pid = os.fork()
            except OSError as exc:
                os.close(read_end)
                os.close(write_end)
                raise SplitFailed(str(exc)) from exc
            if pid == 0:  # pragma: no cover - a child's coverage is not collected
                _child(work, part, read_end, write_end, children)
            os.close(write_end)
            children.append((pid, read_end))
        results = [(first or work)(parts[0])] if parts else []
        for _, read_end in children:
            results.append(_receive(read_end))
        finished = True
        return results
    finally:
        _reap(children, finished)


def _child(
    work: Callable[[Sequence[T]], bytes],
    part: Sequence[T],
    read_end: int,
    write_end: int,
    siblings: list[tuple[int, int]],
) -> None:  # pragma: no cover - runs in a child
    status = 1
    try:
        os.close(read_end)
        for _, sibling_read_end in siblings:
            os.close(sibling_read_end)
        payload = work(part)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(len(payload).to_bytes(8, "little"))
            pipe.write(payload)
        status = 0
    finally:
        # No clean-up handlers, no flushing of buffers inherited from the parent.
        os._exit(status)


def _receive(read_end: int) -> bytes:
    with os.fdopen(read_end, "rb", closefd=False) as pipe:
        header = pipe.read(8)
        if len(header) != 8:
            raise SplitFailed("a worker process ended without an answer")
        size = int.from_bytes(header, "little")
        payload = pipe.read(size)
    if len(payload) != size:
        raise SplitFailed("a worker process sent a partial answer")
    return payload


def _reap(children: list[tuple[int, int]], finished: bool) -> None:
    """Close every pipe and wait for every child; after a failure or an interruption,
    stop the children first rather than wait for work nobody will read."""
    failed = False
    for pid, read_end in children:
        os.close(read_end)  # a child still writing gets EPIPE, never a hang
        if not finished:
            from contextlib import suppress
            from signal import SIGKILL

            with suppress(ProcessLookupError):
                os.kill(pid, SIGKILL)
        _, status = os.waitpid(pid, 0)
        failed = failed or status != 0
    if finished and failed:
        raise SplitFailed("a worker process failed")
