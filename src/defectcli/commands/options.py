"""Shared option bundles, one decorator per family (like sqlite-utils' ``output_options``)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import click

from ..dataset.choices import CATEGORIES, COLORS, FORMATS, SORT_FIELDS, STATUSES
from ..files import check_target
from ..query.filters import PersonFilter, YearFilter
from ..render.context import Output
from . import completion

F = TypeVar("F", bound=Callable[..., Any])


def _with_options(wrapper: Callable[..., Any], options: list[Callable[[Any], Any]]) -> Any:
    """``wrapper`` with each option applied, listed in the help in the order given."""
    return functools.reduce(lambda result, option: option(result), reversed(options), wrapper)


def _in_a_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A picture's folder must exist: said before any work, not once the picture is drawn."""
    folder = os.path.dirname(value) if value else ""
    if folder and not os.path.isdir(folder):
        raise click.BadParameter(f"no such folder: {folder}", ctx, param)
    return value


_PICTURE: dict[str, Any] = {
    "metavar": "FILE",
    "type": click.Path(dir_okay=False, writable=True),
    "callback": _in_a_folder,
}


def format_option(choices: Sequence[str], **settings: Any) -> Callable[[F], F]:
    """``-f``/``--format``, given to the command as ``fmt``: the output's, or an export's."""
    return click.option("-f", "--format", "fmt", type=click.Choice(choices), **settings)


def output_options(func: F) -> F:
    """``--format``, ``--json``, ``--color``, the pictures and any ``limit_option`` below it;
    the command receives ``out``."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        fmt: str | None,
        as_json: bool,
        color: str,
        export_svg: str | None,
        export_html: str | None,
        force: bool,
        rows: int | None = None,
        **kwargs: Any,
    ) -> Any:
        if as_json and fmt not in (None, "json"):
            raise click.UsageError(f"--json and --format {fmt} ask for different formats; use one.")
        # A picture replaces an existing file only with --force (and never a device or a
        # pipe), as ``export`` does: said before any work is done.
        for path, what in ((export_svg, "--export-svg"), (export_html, "--export-html")):
            if path:
                check_target(path, force, what=what)
        out = Output.create(
            "json" if as_json else fmt, color, export_svg=export_svg, export_html=export_html
        )
        return func(*args, out=out._replace(rows=rows), **kwargs)

    options = [
        format_option(
            FORMATS,
            help="Output format. Default: table on a terminal, plain (one line per record, "
            "tab-separated) in a pipe. json, ndjson, csv and markdown are the same everywhere.",
        ),
        click.option("--json", "as_json", is_flag=True, help="Short for --format json."),
        click.option(
            "--color",
            type=click.Choice(COLORS),
            default="auto",
            show_default=True,
            help="Colour on a terminal. auto honours NO_COLOR, FORCE_COLOR and TERM=dumb.",
        ),
        click.option(
            "--export-svg",
            **_PICTURE,
            help="Also save the terminal view (table, card, chart) as an SVG picture.",
        ),
        click.option(
            "--export-html", **_PICTURE, help="Also save the terminal view as an HTML page."
        ),
        click.option(
            "--force",
            is_flag=True,
            help="Replace the --export-svg or --export-html file if it exists.",
        ),
    ]
    return cast(F, _with_options(wrapper, options))


# ``--limit N``, under ``output_options``, which gives it to ``out`` (``Output.rows``).
limit_option = click.option(
    "--limit",
    "rows",
    type=click.IntRange(min=0),
    metavar="N",
    help="At most N records, in any format (0: every one). Default: every one, but a "
    "table on a terminal shows the first 200.",
)


def person_filters(sortable: bool) -> Callable[[F], F]:
    """The filters of ``defect list``; the command receives ``where: PersonFilter``. ``count``
    has no ``--sort``: it orders its rows by its own rule, and an ignored option misleads."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, dates: YearFilter, **kwargs: Any) -> Any:
            # The other options are named after the filter's fields, their values checked.
            fields = {name: kwargs.pop(name) for name in PersonFilter._fields if name in kwargs}
            return func(*args, where=PersonFilter(*dates, **fields), **kwargs)

        options = [
            country_option(
                "Country of the posting left: Italy, uk, GB, 영국... Repeat it or give a "
                "comma list for any of several."
            ),
            region_option("Region of the posting left"),
            choice_option("--category", "categories", CATEGORIES, "Kind of person"),
            country_option(
                "Where they went: 'South Korea', us...", "--destination", "destinations"
            ),
            click.option(
                "--confirmed",
                is_flag=True,
                help="Only defections the South Korean government officially confirmed.",
            ),
            choice_option("--status", "statuses", STATUSES, "What became of the case"),
        ]
        if sortable:
            options.append(
                click.option(
                    "--sort",
                    type=click.Choice([*SORT_FIELDS, *(f"-{f}" for f in SORT_FIELDS)]),
                    default="year",
                    show_default=True,
                    metavar="[-]FIELD",
                    help="Order of the rows: " + ", ".join(SORT_FIELDS) + "; a leading minus "
                    "reverses it (-year: newest first).",
                )
            )
        filters = cast(F, _with_options(wrapper, options))
        return range_options(filters, "Defected in this year (any year a source gives)")

    return decorate


def range_options(func: F, what: str = "Only this year") -> F:
    """``--year`` (any of several), ``--since`` and ``--until``; the command gets ``dates``."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        year: tuple[str, ...],
        since: tuple[int, ...],
        until: tuple[int, ...],
        **kwargs: Any,
    ) -> Any:
        # --since and --until make sense once: given twice it is a mistake, not an alternative.
        for given, option in ((since, "--since"), (until, "--until")):
            if len(set(given)) > 1:
                raise click.UsageError(f"{option} is one year; it was given {len(given)} times.")
        first, last = since[0] if since else None, until[0] if until else None
        if first is not None and last is not None and first > last:
            raise click.UsageError(f"--since {first} is after --until {last}: nothing could match.")
        years = comma_values(year)
        for value in years:
            if not value.isdigit() or not 1900 <= int(value) <= 2100:
                raise click.BadParameter(
                    f"{value!r} is not a year from 1900 to 2100.", param_hint="--year"
                )
        dates = YearFilter(tuple(dict.fromkeys(int(v) for v in years)), first, last)
        return func(*args, dates=dates, **kwargs)

    years = click.IntRange(1900, 2100)
    options = [
        click.option(
            "--year",
            multiple=True,
            metavar="YEAR",
            help=f"{what}. Repeat it or give a comma list (2016,2019) for any of several.",
        ),
        click.option("--since", type=years, multiple=True, help="From this year on."),
        click.option("--until", type=years, multiple=True, help="Up to this year (inclusive)."),
    ]
    return cast(F, _with_options(wrapper, options))


def comma_values(given: tuple[str, ...]) -> tuple[str, ...]:
    """Every value of a repeatable option, each of which may be a comma list, in order
    and each once (``--country uk,italy --country france``)."""
    values = [v.strip() for item in given for v in item.split(",")]
    return tuple(dict.fromkeys(v for v in values if v))


def list_option(
    *decls: str,
    metavar: str,
    help: str,
    complete: Any = None,
    check: Callable[[str], str] | None = None,
) -> Callable[[F], F]:
    """A repeatable option of ``comma_values``, each as ``check`` returns it (or refuses it)."""

    def values(
        ctx: click.Context, param: click.Parameter, given: tuple[str, ...]
    ) -> tuple[str, ...]:
        found = comma_values(given)
        return tuple(dict.fromkeys(map(check, found))) if check else found

    return click.option(
        *decls, multiple=True, metavar=metavar, shell_complete=complete, help=help, callback=values
    )


def country_option(help: str, flag: str = "--country", name: str = "countries") -> Callable[[F], F]:
    """A ``list_option`` of countries in any spelling, completed from the data's."""
    return list_option(flag, name, metavar="COUNTRY", complete=completion.countries, help=help)


def region_option(what: str) -> Callable[[F], F]:
    """``--region``: UN M49 regions or sub-regions, each as the UN names it; an unknown one
    is a mistake in the command (exit 2) that lists the regions."""

    def check(value: str) -> str:
        from ..text.regions import region_name, region_names  # only when a region is asked for

        name = region_name(value)
        if name is None:
            raise click.BadParameter(
                f"{value!r} is not a UN M49 region. Regions: {', '.join(region_names())}.",
                param_hint="--region",
            )
        return name

    return list_option(
        "--region",
        "regions",
        metavar="REGION",
        complete=completion.regions,
        check=check,
        help=f"{what}, by the UN M49 regions: Europe, Eastern Europe, 'Southeast Asia', "
        "'Sub-Saharan Africa'... A region holds its sub-regions; a former country is where "
        "its successor is (Soviet Union: Eastern Europe). Repeat it or give a comma list for "
        "any of several; with --country, both must match.",
    )


def choice_option(flag: str, name: str, choices: tuple[str, ...], what: str) -> Callable[[F], F]:
    """A ``list_option`` of fixed values (case ignored), completed from ``choices``."""

    def check(value: str) -> str:
        if value.lower() not in choices:
            raise click.BadParameter(
                f"{value.lower()!r} is not one of {', '.join(choices)}.", param_hint=flag
            )
        return value.lower()

    return list_option(
        flag,
        name,
        metavar=flag.lstrip("-").upper(),
        complete=lambda ctx, param, incomplete: [
            c for c in choices if c.startswith(incomplete.lower())
        ],
        check=check,
        help=f"{what}: {', '.join(choices)}.",
    )


def person_option(what: str) -> Callable[[F], F]:
    """``--person NAME``, repeatable; the command receives ``people``. The last may go on
    unquoted: ``--person ri il gyu`` leaves "il gyu" as words after the options, its own."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(
            *args: Any, person: tuple[str, ...], words: tuple[str, ...], **kwargs: Any
        ) -> Any:
            if words and not person:
                raise click.UsageError(
                    f"unexpected words {' '.join(words)!r}: did you mean --person?"
                )
            if words:
                person = (*person[:-1], " ".join((person[-1], *words)))
            return func(*args, people=person, **kwargs)

        options = [
            click.option(
                "--person",
                multiple=True,
                metavar="NAME",
                callback=not_blank,
                shell_complete=completion.person_ids,
                help=f"{what}; repeat it for several. The last may be a name of several"
                " words without quotes.",
            ),
            click.argument("words", nargs=-1, metavar="", callback=not_blank),
        ]
        return cast(F, _with_options(wrapper, options))

    return decorate


def not_blank(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    """NAMEs (or ids) that are only spaces are a mistake in the command, not a person nobody
    matches: exit 2 like any other bad value. None given is nothing."""
    if value and not " ".join(value).strip():
        raise click.BadParameter("is empty: give a name in any spelling, an id, or part of one.")
    return value
