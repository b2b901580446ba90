"""A progress bar on stderr while a large dataset's index is built for the first time.

Only on a terminal, and only when there is enough to read for a bar to help; in a pipe, a
test or CI nothing is printed. Rich is imported only when the bar is shown.

The build goes through stages (reading the files, writing the people, sorting and
indexing); each stage replaces the last on the bar's line, so the bar never sits full while
the build goes on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

BAR_THRESHOLD = 200  # files: below this the build takes well under a second

# Called with how much of the stage is done.
Advance = Callable[[int], None]
# Begins a stage: its name and its size (None: unknown, a pulsing bar); gives its Advance.
Stage = Callable[[str, "int | None"], Advance]


@contextmanager
def building(files: int) -> Iterator[Stage | None]:
    """Yield a ``Stage`` for the bar (None: no bar) while a dataset of ``files`` builds."""
    if files < BAR_THRESHOLD or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("Building the index: {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        current: list[TaskID] = []

        def stage(name: str, total: int | None) -> Advance:
            if current:
                bar.remove_task(current.pop())
            task = bar.add_task(name, total=total)
            current.append(task)
            bar.refresh()  # every stage is seen, however short
            step = max(1, (total or 0) // 200)  # a few hundred redraws a stage at most
            shown = [0]

            def advance(done: int) -> None:
                if done - shown[0] >= step or done == total:
                    shown[0] = done
                    bar.update(task, completed=done)

            return advance

        yield stage
