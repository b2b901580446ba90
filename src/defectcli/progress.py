"""A progress bar on stderr while a large dataset's index is built for the first time.

Only on a terminal, and only when there is enough to read for a bar to help: nothing in a
pipe, a test or CI, and Rich is imported only when the bar is shown. Each stage of the build
(reading the files, writing the people, sorting and indexing) replaces the last on the bar's
line, so the bar never sits full while the build goes on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

BAR_THRESHOLD = 200  # files: a smaller dataset builds too fast for a bar to help

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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("Building the index: {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:

        def stage(name: str, total: int | None) -> Advance:
            for last in bar.task_ids:
                bar.remove_task(last)
            task = bar.add_task(name, total=total)
            bar.refresh()  # every stage is seen, however short
            return lambda done: bar.update(task, completed=done)

        yield stage
