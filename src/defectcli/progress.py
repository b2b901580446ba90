"""A progress bar on stderr while a large dataset is read for the first time.

Only on a terminal, and only when there is enough to read for a bar to help; in a pipe, a
test or CI nothing is printed. Rich is imported only when the bar is shown.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

BAR_THRESHOLD = 200  # files: below this the build takes well under a second


@contextmanager
def reading(total: int) -> Iterator[Callable[[int], None] | None]:
    """Yield a callback taking the number of files read so far (or None: no bar)."""
    if total < BAR_THRESHOLD or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("Building the index"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("index", total=total)

        def advance(done: int) -> None:
            if done % 50 == 0 or done == total:
                bar.update(task, completed=done)

        yield advance
