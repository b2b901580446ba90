"""Format dispatch: ``VIEWS`` says how each view (what a command prints) is made in every
format, ``WRITERS`` how each format that prints records writes them, and ``write`` writes
any view in any format. A new view is an entry in ``VIEWS``; a new format, an entry in
``WRITERS`` and its name in ``dataset.choices.FORMATS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..files import write_text_file
from . import formats, markdown, plain, records
from .context import Output
from .formats import Record

if TYPE_CHECKING:
    from rich.console import Console


class View(NamedTuple):
    """How one view is made: its table columns and its renderers."""

    columns: Sequence[str]
    # The record of one of ``rows``; without ``rows``, of it all: one (a profile) or a list.
    record: Callable[[Any], Any]
    plain: Callable[[Any], Any]  # its lines, or with ``rows`` one row's line (as ``record``)
    # Named, not imported: ``terminal`` (and Rich) load only when something is drawn.
    draw: str  # terminal.py: (found, console, **options), drawn on the console
    # The attribute of the value found that holds its rows ("": the value is its rows).
    rows: str | None = None
    # A drawing shows the first ``out.row_limit`` rows and says how many there are in all,
    # one of them or many (their nouns).
    counted: tuple[str, str] | None = None
    markdown: Callable[[Any], str] | None = None  # a document, instead of a table of records


VIEWS: dict[str, View] = {
    "people": View(
        records.PERSON_COLUMNS,
        records.person_record,
        plain.person_line,
        "people_table",
        rows="",
        counted=("person", "people"),
    ),
    "profile": View(
        records.PERSON_COLUMNS,
        records.profile_record,
        plain.profile_lines,
        "profile_card",
        markdown=markdown.profile_markdown,
    ),
    "quotes": View(
        records.QUOTE_COLUMNS,
        records.quote_record,
        plain.quote_line,
        "quote_cards",
        rows="quotes",
        counted=("quotation", "quotations"),
        markdown=markdown.quotes_markdown,
    ),
    "statistics": View(
        records.STATS_COLUMNS, records.year_record, plain.year_line, "stats_chart", rows="arrivals"
    ),
    "facets": View(records.FACET_COLUMNS, records.facet_records, plain.facet_lines, "facet_chart"),
    "timeline": View(
        records.TIMELINE_COLUMNS,
        records.timeline_record,
        plain.event_line,
        "timeline_table",
        rows="entries",
        counted=("event", "events"),
    ),
    "sources": View(
        records.SOURCE_COLUMNS,
        records.source_entry_record,
        plain.source_entry_line,
        "sources_table",
        rows="",
        counted=("source", "sources"),
    ),
    "search": View(
        records.SEARCH_COLUMNS, records.search_record, plain.hit_line, "search_results", rows="hits"
    ),
}


Table = tuple[Sequence[str], Sequence[Record]]  # columns, rows

# Each format that prints records: the text of the whole value (one record or a list), of
# its records one a line, or of its columns and rows as a table. (A terminal's "table" and
# "plain" lines are the views' own; see ``write``.)
WRITERS: dict[str, Callable[[Any, Sequence[Any], Table], str]] = {
    "json": lambda value, lines, table: formats.to_json(value),
    "ndjson": lambda value, lines, table: formats.to_ndjson(lines),
    "csv": lambda value, lines, table: formats.to_csv(table[1], table[0]),
    "markdown": lambda value, lines, table: formats.to_markdown_table(table[1], table[0]),
}


def write(out: Output, view: str, found: Any, total: int | None = None, **options: Any) -> None:
    """Write ``found`` (what the query layer returned for ``view``) in ``out.format``;
    ``total``: how many rows there are when ``found`` holds the first of them; ``options``
    go to the terminal drawing (``stacked=True`` for statistics)."""
    spec = VIEWS[view]
    rows: Sequence[Any] = found if spec.rows == "" else getattr(found, spec.rows or "", ())

    def draw(console: Console) -> None:
        from . import terminal

        drawer = getattr(terminal, spec.draw)
        if spec.counted is None:
            drawer(found, console, **options)
            return
        cut = rows[: out.row_limit]  # the first rows are drawn, and the count of them all
        drawer(found._replace(**{spec.rows: cut}) if spec.rows else cut, console, **options)
        terminal.count_line(console, len(cut), total or len(rows), *spec.counted)

    if out.format == "table":
        draw(out.console())
    elif out.format == "plain":
        lines = spec.plain(found) if spec.rows is None else map(spec.plain, rows)
        out.stream.write(formats.ndjson_lines(lines))
    elif out.format == "markdown" and spec.markdown is not None:
        out.stream.write(spec.markdown(found))
    else:
        made = spec.record(found) if spec.rows is None else [spec.record(r) for r in rows]
        listed = made if isinstance(made, list) else [made]
        _machine(out, made, listed, (spec.columns, listed))
    if out.exporting:
        _export(out, draw)


def _machine(out: Output, value: Any, lines: Sequence[Any], table: Table) -> None:
    writer = WRITERS.get(out.format)
    if writer is None:  # the CLI's Choice makes this unreachable; a library caller is told
        raise ValueError(f"unknown format {out.format!r}")
    out.stream.write(writer(value, lines, table))


def data(out: Output, value: Any, lines: Sequence[str], table: Table) -> None:
    """A result that is not a list of records (a validation report): JSON, ``table``
    (columns and rows) in CSV and Markdown, else ``lines``."""
    if out.format in {"json", "ndjson", "csv", "markdown"}:
        _machine(out, value, [value], table)
    else:
        out.stream.write(formats.ndjson_lines(lines))
    if out.exporting:

        def draw(console: Console) -> None:
            from rich.text import Text

            for line in lines:
                console.print(Text(line))

        _export(out, draw)


def _export(out: Output, draw: Callable[[Console], None]) -> None:
    """Draw the terminal view into a recording console (whatever --format printed) and save
    it as pictures, each whole or not at all (``output_options`` refused to replace one
    without --force)."""
    console = out.recording_console()
    draw(console)
    if out.export_svg:
        write_text_file(out.export_svg, console.export_svg(title="defect", clear=False))
    if out.export_html:
        write_text_file(out.export_html, console.export_html(clear=False))
