"""Format dispatch: the one place that maps ``--format`` to a renderer, for every view.

A new output format is one more branch in ``_write``; a new command is one more function
here that says what its records, plain lines and terminal drawing are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..dataset.model import Person
from ..results import Profile, QuoteSet
from . import formats
from .context import Output
from .records import (
    PERSON_COLUMNS,
    QUOTE_COLUMNS,
    Record,
    person_record,
    profile_record,
    quote_record,
)

if TYPE_CHECKING:
    from rich.console import Console

Draw = Callable[["Console"], None]


def people(out: Output, persons: Sequence[Person]) -> None:
    def draw(console: Console) -> None:
        from .terminal import people_table

        people_table(persons, console)

    from .plain import people_lines

    _write(
        out,
        records=[person_record(p) for p in persons],
        columns=PERSON_COLUMNS,
        plain=lambda: people_lines(persons),
        draw=draw,
    )


def profile(out: Output, found: Profile) -> None:
    def draw(console: Console) -> None:
        from .terminal import profile_card

        profile_card(found, console)

    def markdown() -> str:
        from .markdown import profile_markdown

        return profile_markdown(found)

    from .plain import profile_lines

    _write(
        out,
        records=[profile_record(found)],
        columns=PERSON_COLUMNS,
        single=True,
        plain=lambda: profile_lines(found),
        draw=draw,
        markdown=markdown,
    )


def quotes(out: Output, found: QuoteSet) -> None:
    def draw(console: Console) -> None:
        from .terminal import quote_cards

        quote_cards(found, console)

    def markdown() -> str:
        from .markdown import quotes_markdown

        return quotes_markdown(found)

    from .plain import quote_lines

    _write(
        out,
        records=[quote_record(q) for q in found.quotes],
        columns=QUOTE_COLUMNS,
        plain=lambda: quote_lines(found),
        draw=draw,
        markdown=markdown,
    )


def data(out: Output, value: Any, lines: Iterable[str]) -> None:
    """A result that is not a list of records (a validation report): JSON, or lines."""
    if out.format in {"json", "ndjson"}:
        out.stream.write(
            formats.to_json(value) if out.format == "json" else formats.to_ndjson([value])
        )
    else:
        out.stream.write("".join(line + "\n" for line in lines))


def _write(
    out: Output,
    *,
    records: list[Record],
    columns: Sequence[str],
    plain: Callable[[], Iterable[str]],
    draw: Draw,
    single: bool = False,
    markdown: Callable[[], str] | None = None,
) -> None:
    fmt = out.format
    if fmt == "json":
        out.stream.write(formats.to_json(records[0] if single else records))
    elif fmt == "ndjson":
        out.stream.write(formats.to_ndjson(records))
    elif fmt == "csv":
        out.stream.write(formats.to_csv(records, columns))
    elif fmt == "markdown":
        text = markdown() if markdown else formats.to_markdown_table(records, columns)
        out.stream.write(text)
    elif fmt == "plain":
        out.stream.write("".join(line + "\n" for line in plain()))
    elif fmt == "table":
        draw(out.console())
    else:  # the CLI's Choice makes this unreachable; a library caller gets a clear error
        raise ValueError(f"unknown format {fmt!r}")
