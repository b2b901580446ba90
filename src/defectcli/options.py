"""Shared option bundles, one decorator per family (like sqlite-utils' ``output_options``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from .filters import CATEGORIES, SORT_FIELDS, PersonFilter
from .render.context import COLORS, FORMATS, Output

F = TypeVar("F", bound=Callable[..., Any])

YEAR = click.IntRange(1900, 2100)


def output_options(func: F) -> F:
    """``--format``, ``--json`` and ``--color``: every command that prints records."""
    func = click.option(
        "--color",
        type=click.Choice(COLORS),
        default="auto",
        show_default=True,
        help="Colour on a terminal. auto honours NO_COLOR, FORCE_COLOR and TERM=dumb.",
    )(func)
    func = click.option("--json", "as_json", is_flag=True, help="Short for --format json.")(func)
    func = click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format. Default: table on a terminal, plain (one line per record, "
        "tab-separated) in a pipe. json, ndjson, csv and markdown are the same everywhere.",
    )(func)
    return func


def make_output(fmt: str | None, as_json: bool, color: str) -> Output:
    if as_json and fmt not in (None, "json"):
        raise click.UsageError(f"--json and --format {fmt} ask for different formats; use one.")
    return Output.create("json" if as_json else fmt, color)


def filter_options(func: F) -> F:
    """The filters of ``defect list`` (and of later commands that take the same filters)."""
    options = [
        click.option("--year", type=YEAR, help="Defected in this year (any year a source gives)."),
        click.option("--since", type=YEAR, help="Defected in this year or later."),
        click.option("--until", type=YEAR, help="Defected in this year or earlier."),
        click.option(
            "--country", metavar="COUNTRY", help="Country of the posting left, e.g. Italy."
        ),
        click.option(
            "--category",
            type=click.Choice(CATEGORIES, case_sensitive=False),
            help="Kind of person.",
        ),
        click.option(
            "--destination", metavar="COUNTRY", help="Where they went, e.g. 'South Korea'."
        ),
        click.option(
            "--confirmed",
            is_flag=True,
            help="Only defections the South Korean government officially confirmed.",
        ),
        click.option(
            "--sort",
            type=click.Choice(SORT_FIELDS),
            default="year",
            show_default=True,
            help="Order of the rows.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_filter(
    year: int | None,
    since: int | None,
    until: int | None,
    country: str | None,
    category: str | None,
    destination: str | None,
    confirmed: bool,
    sort: str,
) -> PersonFilter:
    if since is not None and until is not None and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}: nothing could match.")
    return PersonFilter(
        year=year,
        since=since,
        until=until,
        country=country,
        category=category.lower() if category else None,
        destination=destination,
        confirmed=confirmed,
        sort=sort,
    )
