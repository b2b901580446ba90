"""Work split over forked processes, for the two jobs that grow with the dataset.

Building the index of 100,000 people is pure-Python work (parsing, checking, rendering rows)
and the freshness check is 100,000 stat calls; threads would queue on the interpreter lock,
so the work is split into contiguous parts, every part but the first runs in a child made
by ``fork`` (which inherits the data: nothing is sent to it), and each child sends its
result back as bytes through a pipe. Three shapes: ``split_map`` (one part a process, the
parent computing the first part meanwhile), ``stream_map`` (many runs dealt out to the
children, each answer used by the parent as it arrives: for work the parent has its own
share of, such as writing SQLite rows while the children render the next runs) and
``beside`` (two different jobs at once, the child's leaving its result in a file).

Only on Linux (``fork`` is unsafe on macOS once system frameworks are loaded, and absent on
Windows) and only with more than one core: elsewhere callers do the work in one process.
Any failure of a child raises ``SplitFailed``, and callers then do the work in one process:
the split is an optimisation, never a second way to get an answer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator, Sequence
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


def beside(here: Callable[[], None], child: Callable[[], None]) -> bool:
    """``here()`` in this process while ``child()`` runs in a forked child: whether the
    child did its work. False, with ``child`` left undone, where work is not split (one
    core, no ``fork``) or when the child failed; ``here`` has then run all the same (what
    it raises comes out, the child stopped)."""
    if processes() < 2:
        here()
        return False
    done_here = False

    def mine(_: Sequence[object]) -> bytes:
        nonlocal done_here
        here()
        done_here = True
        return b""

    def theirs(_: Sequence[object]) -> bytes:  # pragma: no cover - runs in a child
        child()
        return b""

    try:
        fork_map(theirs, [(), ()], mine)
    except SplitFailed:
        if not done_here:  # the child could not be started
            here()
        return False
    return True


def stream_map(
    items: Sequence[T],
    child: Callable[[Sequence[T]], bytes],
    decode: Callable[[Sequence[T], bytes], R],
    *,
    minimum: int,
    runs_per_process: int = 8,
    meanwhile: Callable[[], None] | None = None,
) -> Generator[R, None, None] | None:
    """One result for each run of ``items``, in order, each as soon as it is ready: every
    run is computed by ``child`` in a forked child (runs dealt out in turn, so each child
    works on its next run while this process uses the last), and this process only
    ``decode``s the answers and uses them: its own work overlaps the children's. None in
    the same cases as ``split_map``. Iterating raises ``SplitFailed`` if a child fails;
    the caller then starts over in one process. Closing the generator stops the children
    (callers close it in a ``finally``: an exception's traceback can keep it alive).
    ``meanwhile``: work for this process once the children have started, before the
    first answer is used; what it raises comes out of the first ``next`` (children
    stopped)."""
    count = processes()
    if len(items) < minimum or count < 2:
        return None
    runs = split(items, count * runs_per_process)
    return _stream(child, decode, runs, min(count, len(runs)), meanwhile)


def _stream(
    work: Callable[[Sequence[T]], bytes],
    decode: Callable[[Sequence[T], bytes], R],
    runs: Sequence[Sequence[T]],
    count: int,
    meanwhile: Callable[[], None] | None,
) -> Generator[R, None, None]:
    children: list[tuple[int, int]] = []
    finished = False
    try:
        for first in range(count):
            children.append(_fork(work, runs[first::count], children))
        if meanwhile is not None:
            meanwhile()
        for number, run in enumerate(runs):
            yield decode(run, _receive(children[number % count][1]))
        finished = True
    finally:
        # Also when the caller stops early (an error while it used a result): the
        # children are stopped, never left writing to a pipe nobody reads.
        _reap(children, finished)


def _fork(
    work: Callable[[Sequence[T]], bytes],
    parts: Sequence[Sequence[T]],
    siblings: list[tuple[int, int]],
) -> tuple[int, int]:
    """A child computing ``work`` of each part in turn: (its pid, the read end of its pipe)."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError as exc:
        os.close(read_end)
        os.close(write_end)
        raise SplitFailed(str(exc)) from exc
    if pid == 0:  # pragma: no cover - a child's coverage is not collected
        _child(work, parts, read_end, write_end, siblings)
    os.close(write_end)
    return pid, read_end


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
            children.append(_fork(work, [part], children))
        results = [(first or work)(parts[0])] if parts else []
        for _, read_end in children:
            results.append(_receive(read_end))
        finished = True
        return results
    finally:
        _reap(children, finished)


def _child(
    work: Callable[[Sequence[T]], bytes],
    parts: Sequence[Sequence[T]],
    read_end: int,
    write_end: int,
    siblings: list[tuple[int, int]],
) -> None:  # pragma: no cover - runs in a child
    status = 1
    try:
        os.close(read_end)
        for _, sibling_read_end in siblings:
            os.close(sibling_read_end)
        with os.fdopen(write_end, "wb") as pipe:
            for part in parts:
                payload = work(part)
                pipe.write(len(payload).to_bytes(8, "little"))
                pipe.write(payload)
                pipe.flush()  # the parent may use this answer while the next is computed
                del payload
        status = 0
    finally:
        # No clean-up handlers, no flushing of buffers inherited from the parent.
        os._exit(status)


def _receive(read_end: int) -> bytes:
    """The next answer on a child's pipe. Read unbuffered, exactly to the answer's end: a
    buffered reader would take the beginning of the next answer with it."""
    header = _read_exactly(read_end, 8)
    if header is None:
        raise SplitFailed("a worker process ended without an answer")
    payload = _read_exactly(read_end, int.from_bytes(header, "little"))
    if payload is None:
        raise SplitFailed("a worker process sent a partial answer")
    return payload


def _read_exactly(read_end: int, size: int) -> bytes | None:
    """``size`` bytes from the pipe, or None if the pipe ends first."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    done = 0
    while done < size:
        got = os.readv(read_end, [view[done:]])
        if got == 0:
            return None
        done += got
    view.release()
    return bytes(buffer)


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
