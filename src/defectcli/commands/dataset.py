"""``defect validate`` and ``defect export``: the dataset as a whole."""

from __future__ import annotations

import os
import sys

import click

from ..dataset.choices import EXPORT_FORMATS, MACHINE_FORMATS
from ..dataset.locate import unread_entries
from ..errors import DataError, ExportError
from ..files import check_target, write_text_file
from ..query import Catalog, fresh_catalog, open_catalog
from ..render import emit
from ..render.context import Output
from ..text.clean import clean  # paths are the user's: escapes shown, not obeyed
from . import COMMANDS, State
from .options import format_option, output_options


@click.command("validate", short_help=COMMANDS["validate"].short_help)
@click.argument("path", required=False, metavar="[PATH]")
@output_options
@click.pass_obj
def validate_command(state: State, path: str | None, out: Output) -> None:
    """Check a dataset against the schema and its cross-references; list every problem.

    PATH is a folder laid out like data/ or one YAML/JSON file; default: --data, or the
    bundled data. Exit status 0 when it is valid, 1 when it is not.

    \b
    Examples:
      defect validate
      defect validate ./my-data
    """
    target = path or state.data
    shown = target or "bundled data"
    # An index is only built from data that passed every check: while no file has changed
    # since (the warm runs' check), its counts are the answer, with nothing to parse.
    catalog = fresh_catalog(target)
    counts = catalog.checked_counts() if catalog is not None else None
    if counts is None:  # every file read and checked once, as the index is built from them
        # (in memory when the index on disk is fresh but the schemas changed since)
        catalog = _checked_catalog(target, shown, out, cache=catalog is None)
        counts = catalog.checked_counts()
    assert catalog is not None and counts is not None  # (checked now, against these schemas)
    gaps = catalog.gaps()
    summary = ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in counts.items())
    lines = [f"ok: {clean(shown)}: {summary}"]
    if gaps:
        lines.append(f"{len(gaps):,} warnings (gaps in the citations, not errors):")
        lines += [f"warning: {kind} {clean(i)}: {what}" for kind, i, what in gaps]
    warnings = [{"kind": kind, "id": i, "warning": what} for kind, i, what in gaps]
    emit.data(
        out,
        {"valid": True, "path": shown, "counts": counts, "warnings": warnings},
        lines,
        (
            ("path", "what", "count"),
            [{"path": shown, "what": k, "count": n} for k, n in counts.items()],
        ),
    )
    if gaps and out.format in {"csv", "markdown"}:  # a table of counts has no room for them
        click.echo(
            f"Note: {len(gaps):,} warnings (gaps in the citations): defect validate "
            "--format plain lists them.",
            err=True,
        )
    unread = unread_entries(target)  # said after the verdict: problems come first
    if unread:  # a file saved as .txt, or moved into a subfolder, would go missing unseen
        listed = "; ".join(unread[:10]) + (
            f"; and {len(unread) - 10:,} more" if len(unread) > 10 else ""
        )
        click.echo(
            f"Note: not read (only .yaml, .yml and .json files directly in people/, sources/,"
            f" events/ and statistics/ are data): {clean(listed)}",
            err=True,
        )


def _checked_catalog(target: str | None, shown: str, out: Output, cache: bool) -> Catalog:
    """The dataset read and checked, with its index; or every problem reported (exit 1)."""
    try:
        return open_catalog(target, cache=cache)
    except DataError as error:
        rows = [p._asdict() for p in error.problems]
        report = {"valid": False, "path": shown, "problems": rows}
        emit.data(out, report, [], (tuple(rows[0]) if rows else (), rows))
        if out.format not in MACHINE_FORMATS:
            raise
        sys.exit(DataError.exit_code)  # the report is on stdout: no message again


@click.command("export", short_help=COMMANDS["export"].short_help)
@format_option(
    EXPORT_FORMATS,
    required=True,
    help="sqlite or csv (a folder of tables) for analysis; json or ndjson for scripts.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    required=True,
    help="Where to write (a folder for csv); - for standard output (json, ndjson).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace PATH if it exists (a CSV folder only if it holds an earlier export alone).",
)
@click.option(
    "--metadata",
    metavar="PATH",
    help="With sqlite: also write datasette's metadata (title, licence, column "
    "descriptions) as JSON to PATH.",
)
@click.pass_obj
def export_command(state: State, fmt: str, output: str, force: bool, metadata: str | None) -> None:
    """Export the whole dataset. JSON holds people, quotes, sources, statistics and
    events as the commands print them with --json, and the dataset itself under
    "dataset" (it loads back with --data); SQLite opens in sqlite3 and datasette as it
    is. Nothing is overwritten without --force, and files appear whole or not at all.

    \b
    Examples:
      defect export --format sqlite --output defectors.db
      defect export -f sqlite -o defectors.db --metadata metadata.json
      defect export --format json --output all.json && defect --data all.json list
      defect export -f json -o all.json --force && jq '.quotes[].text' all.json
      defect export --format csv --output tables/ --force
      defect export -f ndjson -o - | grep '"type": "source"'
    """
    from ..export.writers import export  # the writers load only for an export

    if metadata is not None:  # refused before anything is written
        if fmt != "sqlite":
            raise click.UsageError("--metadata describes an SQLite export: add --format sqlite.")
        if os.path.abspath(metadata) == os.path.abspath(output):
            raise click.UsageError("--metadata and --output name the same file.")
        check_target(metadata, force, what="metadata")
        folder = os.path.dirname(metadata) or "."
        if not os.path.isdir(folder):
            raise ExportError(f"no such folder: {folder}")
    written = export(state.catalog, fmt, output, force)
    if written is not None:  # not on standard output, where it would be in the way
        click.echo(f"Wrote {fmt} export to {written}", err=True)
    if metadata is not None and written is not None:
        from ..export.metadata import metadata_text  # only with --metadata

        write_text_file(metadata, metadata_text(written.stem, bundled=state.data is None))
        click.echo(f"Wrote datasette metadata to {metadata}", err=True)
