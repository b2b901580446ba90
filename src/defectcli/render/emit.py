"""Format dispatch: the one place that maps ``--format`` to a renderer, for every view.

A new output format is one more branch in ``_write``; a new command is one more function
here that says what its records, plain lines and terminal drawing are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..dataset.choices import MACHINE_FORMATS
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
from .machine import write_lines, write_records

if TYPE_CHECKING:
    from rich.console import Console

    from ..dataset.model import Person
    from ..query.results import (
        Facets,
        Profile,
        QuoteSet,
        SearchResult,
        SourceEntry,
        Statistics,
        Timeline,
    )
    from .records import Record

Draw = Callable[["Console"], None]


def people(out: Output, persons: Sequence[Person], total: int | None = None) -> None:
    """``total``: how many there are when ``persons`` is only the first of them (a table
    on a terminal shows ``out.row_limit`` rows and says how many it leaves out)."""

    def draw(console: Console) -> None:
        from .terminal import people_table

        people_table(persons[: out.row_limit], console, total or len(persons))

    from .plain import people_lines
    from .records import person_record

    _write(
        out,
        records=lambda: [person_record(p) for p in persons],
        columns=PERSON_COLUMNS,
        plain=lambda: people_lines(persons),
        draw=draw,
    )


def profile(out: Output, found: Profile) -> None:
    """One person's card."""

    def draw(console: Console) -> None:
        from .terminal import profile_card

        profile_card(found, console)

    def markdown() -> str:
        from .markdown import profile_markdown

        return profile_markdown(found)

    def plain() -> Iterable[str]:
        from .plain import profile_lines

        return profile_lines(found)

    def records() -> list[Record]:
        from .records import profile_record

        return [profile_record(found)]

    _write(
        out,
        records=records,
        columns=PERSON_COLUMNS,
        single=True,
        plain=plain,
        draw=draw,
        markdown=markdown,
    )


def quotes(out: Output, found: QuoteSet, total: int | None = None) -> None:
    def draw(console: Console) -> None:
        from .terminal import quote_cards

        shown = found._replace(quotes=found.quotes[: out.row_limit])
        quote_cards(shown, console, total or len(found.quotes))

    def markdown() -> str:
        from .markdown import quotes_markdown

        return quotes_markdown(found)

    from .plain import quote_lines
    from .records import quote_record

    _write(
        out,
        records=lambda: [quote_record(q) for q in found.quotes],
        columns=QUOTE_COLUMNS,
        plain=lambda: quote_lines(found),
        draw=draw,
        markdown=markdown,
    )


def statistics(out: Output, stats: Statistics, stacked: bool = False) -> None:
    def draw(console: Console) -> None:
        from .terminal import stats_chart

        stats_chart(stats, console, stacked)

    from .plain import stats_lines
    from .records import year_record

    _write(
        out,
        records=lambda: [year_record(y) for y in stats.arrivals],
        columns=STATS_COLUMNS,
        plain=lambda: stats_lines(stats),
        draw=draw,
    )


def facets(out: Output, found: Facets) -> None:
    def draw(console: Console) -> None:
        from .terminal import facet_chart

        facet_chart(found, console)

    from .plain import facet_lines
    from .records import facet_records

    _write(
        out,
        records=lambda: facet_records(found),
        columns=FACET_COLUMNS,
        plain=lambda: facet_lines(found),
        draw=draw,
    )


def timeline(out: Output, found: Timeline, total: int | None = None) -> None:
    def draw(console: Console) -> None:
        from .terminal import timeline_table

        shown = found._replace(entries=found.entries[: out.row_limit])
        timeline_table(shown, console, total or len(found.entries))

    from .plain import timeline_lines
    from .records import timeline_record

    _write(
        out,
        records=lambda: [timeline_record(e) for e in found.entries],
        columns=TIMELINE_COLUMNS,
        plain=lambda: timeline_lines(found),
        draw=draw,
    )


def sources(out: Output, entries: Sequence[SourceEntry], total: int | None = None) -> None:
    def draw(console: Console) -> None:
        from .terminal import sources_table

        sources_table(entries[: out.row_limit], console, total or len(entries))

    from .plain import source_lines
    from .records import source_entry_record

    _write(
        out,
        records=lambda: [source_entry_record(e) for e in entries],
        columns=SOURCE_COLUMNS,
        plain=lambda: source_lines(entries),
        draw=draw,
    )


def search(out: Output, result: SearchResult) -> None:
    def draw(console: Console) -> None:
        from .terminal import search_results

        search_results(result, console)

    from .plain import search_lines
    from .records import search_record

    _write(
        out,
        records=lambda: [search_record(h) for h in result.hits],
        columns=SEARCH_COLUMNS,
        plain=lambda: search_lines(result),
        draw=draw,
    )


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
        write_lines(out, text)
    if out.export_svg or out.export_html:

        def draw(console: Console) -> None:
            from rich.text import Text

            for line in text:
                console.print(Text(line))

        _export(out, draw)


def _write(
    out: Output,
    *,
    records: Callable[[], list[Record]],  # built only for the formats that print them
    columns: Sequence[str],
    plain: Callable[[], Iterable[str]],
    draw: Draw,
    single: bool = False,
    markdown: Callable[[], str] | None = None,
) -> None:
    fmt = out.format
    if fmt == "markdown" and markdown is not None:
        out.stream.write(markdown())
    elif fmt in MACHINE_FORMATS:
        write_records(out, records(), columns, single)
    elif fmt == "plain":
        write_lines(out, plain())
    elif fmt == "table":
        draw(out.console())
    else:  # the CLI's Choice makes this unreachable; a library caller gets a clear error
        raise ValueError(f"unknown format {fmt!r}")
    if out.export_svg or out.export_html:
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
