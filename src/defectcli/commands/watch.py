"""``defect watch start|stop|status``: the optional watcher of a large dataset folder."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from ..options import output_options
from ..watching import DEFAULT_IDLE_MINUTES
from . import SHORT_HELP

if TYPE_CHECKING:
    from ..cli import State
    from ..render.context import Output


@click.group("watch", short_help=SHORT_HELP["watch"])
def watch_command() -> None:
    """Keep a watcher on the dataset's folder, so that warm runs need not check every file.

    Every run checks that the index matches the data files: one stat a file, which at
    100,000 files is most of a lookup's time. A watcher (one background process a dataset,
    told of every change by the kernel, as git's file-system monitor is) answers that
    check at once while nothing has changed. Only on Linux; never on a network file system.
    A run never trusts it blindly: after any change, or without an answer, the run checks
    every file as usual.

    \b
    Examples:
      defect --data ./my-data watch start      watch ./my-data for an hour without questions
      defect --data ./my-data show "Choe Chol" answered without stat'ing every file
      defect --data ./my-data watch status
      defect --data ./my-data watch stop
    """


def _dataset(state: State) -> tuple[str, str]:
    """The index key and folder of the dataset the command names."""
    import os

    from ..query import dataset_key

    folder, root, key = dataset_key(state.data)
    if folder is None or not os.path.isdir(folder):
        shown = state.data or "the bundled data"
        why = (
            "a one-file dataset is checked with a single stat already"
            if folder is not None and os.path.isfile(folder)
            else "not a folder"
        )
        raise click.UsageError(f"nothing to watch in {shown}: {why}.")
    return key, root


@watch_command.command("start", short_help="Start a watcher, or find the one running.")
@click.option(
    "--idle",
    "idle_minutes",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_IDLE_MINUTES,
    show_default=True,
    metavar="MINUTES",
    help="Stop after this many minutes without a question.",
)
@click.pass_obj
def start_command(state: State, idle_minutes: float) -> None:
    """Start watching the dataset (or say which watcher already is), then bring its
    index up to date, so the next command answers at once."""
    from .. import watching
    from ..errors import WatchFailed

    key, root = _dataset(state)
    try:
        found = watching.start(key, root, idle_minutes)
    except watching.WatchError as error:
        raise WatchFailed(str(error)) from None
    from ..query import fresh_catalog

    click.echo(f"Watching {root} (process {found['pid']}).")
    state.catalog()  # builds the index if it is missing or stale
    fresh_catalog(state.data)  # the first full check, told to the watcher


@watch_command.command("stop", short_help="Stop the watcher.")
@click.pass_obj
def stop_command(state: State) -> None:
    """Stop the dataset's watcher. Nothing to stop is not an error."""
    from .. import watching
    from ..errors import WatchFailed

    key, root = _dataset(state)
    try:
        stopped = watching.stop(key)
    except watching.WatchError as error:
        raise WatchFailed(str(error)) from None
    click.echo(f"Stopped watching {root}." if stopped else f"No watcher of {root} was running.")


@watch_command.command("status", short_help="Whether a watcher runs, and what it saw.")
@output_options
@click.pass_obj
def status_command(state: State, out: Output) -> None:
    """Whether the dataset is watched, and since when. Exit status 0 when it is, 1 when
    it is not.

    \b
    Examples:
      defect --data ./my-data watch status
      defect --data ./my-data watch status --json
    """
    from .. import watching
    from ..render import emit

    key, root = _dataset(state)
    found = watching.status(key)
    value: dict[str, object] = {"root": root, "watching": found is not None}
    if found is None:
        lines = [f"Not watching {root}."]
    else:
        value.update(
            {k: found.get(k) for k in ("pid", "started", "changes", "questions", "vouching")}
        )
        value["refused"] = found.get("refused") or None
        started = found.get("started")
        since = (
            time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started))
            if isinstance(started, (int, float))
            else None
        )
        value["started"] = since
        lines = [
            f"Watching {root} (process {found.get('pid')}) since {since}.",
            f"Questions answered: {found.get('questions')}; changes seen: {found.get('changes')}.",
            "The files are vouched for: the next run skips the check of every file."
            if found.get("vouching")
            else "Not vouching yet: the next run checks every file"
            + (f" ({found['refused']})." if found.get("refused") else ", then tells the watcher."),
        ]
    emit.data(out, value, lines, (tuple(value), [value]))
    if found is None:
        raise SystemExit(1)
