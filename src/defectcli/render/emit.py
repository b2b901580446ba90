"""Format dispatch: one table of views, one table of formats.

``VIEWS`` says, for each view (what a command prints), its columns in CSV and Markdown
tables and the names of the functions that make it: its records (``records.py``), its
plain lines (``plain.py``), its terminal drawing (``terminal.py``) and, where it has one, its
Markdown document (``markdown.py``). Those modules are imported by name when a format needs
them, so that ``--format json`` never loads Rich.

``WRITERS`` maps each ``--format`` to the function that writes any view in it. A new format
is one entry there, and its name in ``dataset.choices.FORMATS`` for the CLI to offer it; a
new view is one entry in ``VIEWS`` and its functions in the renderer modules.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from . import formats
from .columns import (
    FACET_COLUMNS,
    PERSON_COLUMNS,
    QUOTE_COLUMNS,
    SEARCH_COLUMNS,
    SOURCE_COLUMNS,
    STATS_COLUMNS,
    TIMELINE_COLUMNS,
)
from .context import Output
from .formats import Record

if TYPE_CHECKING:
    from rich.console import Console

Draw = Callable[["Console"], None]


class View(NamedTuple):
    """How one view is made: its table columns and its functions, by name, in each of the
    renderer modules."""

    columns: Sequence[str]
    record: str  # records.py: the record of one of ``rows`` (without ``rows``: of it all)
    plain: str  # plain.py: its lines
    draw: str  # terminal.py: (found, console[, total], **options), drawn on the console
    # The attribute of the value found that holds its rows ("": the value is its rows).
    rows: str | None = None
    # A drawing shows the first ``out.row_limit`` rows and says how many there are in all.
    limited: bool = False
    markdown: str | None = None  # markdown.py: a document, instead of a table of records
    single: bool = False  # one record: JSON writes the object, not an array of one


VIEWS: dict[str, View] = {
    "people": View(
        PERSON_COLUMNS, "person_record", "people_lines", "people_table", rows="", limited=True
    ),
    "profile": View(
        PERSON_COLUMNS,
        "profile_record",
        "profile_lines",
        "profile_card",
        markdown="profile_markdown",
        single=True,
    ),
    "quotes": View(
        QUOTE_COLUMNS,
        "quote_record",
        "quote_lines",
        "quote_cards",
        rows="quotes",
        limited=True,
        markdown="quotes_markdown",
    ),
    "statistics": View(STATS_COLUMNS, "year_record", "stats_lines", "stats_chart", rows="arrivals"),
    "facets": View(FACET_COLUMNS, "facet_records", "facet_lines", "facet_chart"),
    "timeline": View(
        TIMELINE_COLUMNS,
        "timeline_record",
        "timeline_lines",
        "timeline_table",
        rows="entries",
        limited=True,
    ),
    "sources": View(
        SOURCE_COLUMNS,
        "source_entry_record",
        "source_lines",
        "sources_table",
        rows="",
        limited=True,
    ),
    "search": View(SEARCH_COLUMNS, "search_record", "search_lines", "search_results", rows="hits"),
}


def write(out: Output, view: str, found: Any, total: int | None = None, **options: Any) -> None:
    """Write ``found`` (what the query layer returned for ``view``) in ``out.format``.

    ``total``: how many rows there are when ``found`` holds only the first of them (a
    table on a terminal shows ``out.row_limit`` rows and says how many it leaves out).
    ``options`` go to the terminal drawing (``stacked=True`` for statistics)."""
    spec = VIEWS[view]
    writer = WRITERS.get(out.format)
    if writer is None:  # the CLI's Choice makes this unreachable; a library caller is told
        raise ValueError(f"unknown format {out.format!r}")

    def draw(console: Console) -> None:
        drawer = _function("terminal", spec.draw)
        if not spec.limited:
            drawer(found, console, **options)
            return
        rows = _rows(spec, found)  # the first rows are drawn, and the count of them all
        cut = rows[: out.row_limit]
        shown = found._replace(**{spec.rows: cut}) if spec.rows else cut
        drawer(shown, console, total or len(rows), **options)

    writer(out, spec, found, draw)
    if out.exporting:
        _export(out, draw)


def _function(module: str, name: str) -> Callable[..., Any]:
    """A renderer module's function, the module imported on first use (as the command
    table loads commands), so a format imports only the renderer it needs."""
    function: Callable[..., Any] = getattr(importlib.import_module(f"{__package__}.{module}"), name)
    return function


def _rows(view: View, found: Any) -> Sequence[Any]:
    rows: Sequence[Any] = getattr(found, view.rows) if view.rows else found
    return rows


def _records(view: View, found: Any) -> list[Record]:
    """The records of ``found``, built only for the formats that print them."""
    make = _function("records", view.record)
    if view.rows is None:
        return [make(found)] if view.single else list(make(found))
    return [make(row) for row in _rows(view, found)]


# --- the formats: each writes any view --------------------------------------------------

Writer = Callable[[Output, View, Any, Draw], None]


def _json(out: Output, view: View, found: Any, draw: Draw) -> None:
    records = _records(view, found)
    out.stream.write(formats.to_json(records[0] if view.single else records))


def _ndjson(out: Output, view: View, found: Any, draw: Draw) -> None:
    out.stream.write(formats.to_ndjson(_records(view, found)))


def _csv(out: Output, view: View, found: Any, draw: Draw) -> None:
    out.stream.write(formats.to_csv(_records(view, found), view.columns))


def _markdown(out: Output, view: View, found: Any, draw: Draw) -> None:
    if view.markdown is not None:
        out.stream.write(_function("markdown", view.markdown)(found))
    else:
        out.stream.write(formats.to_markdown_table(_records(view, found), view.columns))


def _plain(out: Output, view: View, found: Any, draw: Draw) -> None:
    out.stream.write(formats.ndjson_lines(_function("plain", view.plain)(found)))


def _table(out: Output, view: View, found: Any, draw: Draw) -> None:
    draw(out.console())


WRITERS: dict[str, Writer] = {
    "json": _json,
    "ndjson": _ndjson,
    "csv": _csv,
    "markdown": _markdown,
    "plain": _plain,
    "table": _table,
}


def data(
    out: Output,
    value: Any,
    lines: Iterable[str],
    table: tuple[Sequence[str], Sequence[Record]] | None = None,
) -> None:
    """A result that is not a list of records (a validation report): JSON, lines, or, for
    CSV and Markdown, ``table`` (columns and rows) when there is one."""
    text = list(lines)
    if out.format in {"json", "ndjson"}:
        out.stream.write(
            formats.to_json(value) if out.format == "json" else formats.to_ndjson([value])
        )
    elif table is not None and out.format in {"csv", "markdown"}:
        columns, rows = table
        write = formats.to_csv if out.format == "csv" else formats.to_markdown_table
        out.stream.write(write(rows, columns))
    else:
        out.stream.write(formats.ndjson_lines(text))
    if out.exporting:

        def draw(console: Console) -> None:
            from rich.text import Text

            for line in text:
                console.print(Text(line))

        _export(out, draw)


def _export(out: Output, draw: Draw) -> None:
    """Draw the terminal view once more into a recording console and save it as a picture
    that looks like the terminal (whatever --format printed on stdout). Each file is written
    as an export is, whole or not at all; ``output_options`` has already refused to replace
    one without --force."""
    console = out.recording_console()
    draw(console)
    if out.export_svg:
        _save(out.export_svg, console.export_svg(title="defect", clear=False))
    if out.export_html:
        # The recording console's page has a <title> and says its language (context.py).
        _save(out.export_html, console.export_html(clear=False))


def _save(path: str, text: str) -> None:
    from ..files import write_text_file

    try:
        write_text_file(path, text)
    except OSError as error:  # no permission, a full disk, a folder gone meanwhile...
        from ..errors import OutputError

        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
