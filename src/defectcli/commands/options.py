"""Shared option bundles, one decorator per family (like sqlite-utils' ``output_options``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from ..dataset.choices import CATEGORIES, COLORS, FORMATS, SORT_FIELDS, STATUSES
from . import completion

if TYPE_CHECKING:
    from ..render.context import Output

F = TypeVar("F", bound=Callable[..., Any])

YEAR = click.IntRange(1900, 2100)


def output_options(func: F) -> F:
    """``--format``, ``--json``, ``--color`` and the exports, for every command that prints
    records. The command receives one ``out: Output`` instead of the five values."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        fmt: str | None,
        as_json: bool,
        color: str,
        export_svg: str | None,
        export_html: str | None,
        force: bool,
        **kwargs: Any,
    ) -> Any:
        from ..render.context import Output

        if as_json and fmt not in (None, "json"):
            raise click.UsageError(f"--json and --format {fmt} ask for different formats; use one.")
        _check_pictures(export_svg, export_html, force)
        out = Output.create(
            "json" if as_json else fmt, color, export_svg=export_svg, export_html=export_html
        )
        return func(*args, out=out, **kwargs)

    options = [
        click.option(
            "-f",
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default=None,
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
            metavar="FILE",
            type=click.Path(dir_okay=False, writable=True),
            callback=_in_a_folder,
            help="Also save the terminal view (table, card, chart) as an SVG picture.",
        ),
        click.option(
            "--export-html",
            metavar="FILE",
            type=click.Path(dir_okay=False, writable=True),
            callback=_in_a_folder,
            help="Also save the terminal view as an HTML page.",
        ),
        click.option(
            "--force",
            is_flag=True,
            help="Replace the --export-svg or --export-html file if it exists.",
        ),
    ]
    return cast(F, _with_options(wrapper, options))


def _check_pictures(svg: str | None, html: str | None, force: bool) -> None:
    """A picture replaces an existing file only with --force (and never a device or a
    pipe), as ``export`` does: said before any work is done."""
    if svg or html:
        from ..files import check_target

        for path in (svg, html):
            if path:
                check_target(path, force, what=f"--export-{'svg' if path == svg else 'html'}")


def _in_a_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A picture's path must be in a folder that exists: said before any work is done,
    rather than once the picture is drawn."""
    import os

    folder = os.path.dirname(value) if value else ""
    if folder and not os.path.isdir(folder):
        raise click.BadParameter(f"no such folder: {folder}", ctx, param)
    return value


def limit_option(func: F) -> F:
    """``--limit N`` for the commands that list records; goes under ``output_options``,
    whose ``out`` it completes (``Output.rows``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, limit: int | None, out: Output, **kwargs: Any) -> Any:
        return func(*args, out=out._replace(rows=limit), **kwargs)

    option = click.option(
        "--limit",
        type=click.IntRange(min=0),
        metavar="N",
        help="At most N records, in any format (0: every one). Default: every one, but a "
        "table on a terminal shows the first 200.",
    )
    return cast(F, option(wrapper))


def filter_options(func: F) -> F:
    """The person filters of ``defect list``, with ``--sort``. The command receives one
    ``where: PersonFilter``."""
    return _person_filters(func, sortable=True)


def count_filter_options(func: F) -> F:
    """The filters of ``defect list`` without ``--sort``: ``count`` orders its rows by
    its own rule, and an option it accepted and ignored would mislead."""
    return _person_filters(func, sortable=False)


def _person_filters(func: F, sortable: bool) -> F:

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        year: tuple[str, ...],
        since: tuple[int, ...],
        until: tuple[int, ...],
        country: tuple[str, ...],
        region: tuple[str, ...],
        category: tuple[str, ...],
        destination: tuple[str, ...],
        confirmed: bool,
        status: tuple[str, ...],
        sort: str = "year",
        **kwargs: Any,
    ) -> Any:
        from ..query.filters import PersonFilter

        first, last = _one(since, "--since"), _one(until, "--until")
        check_range(first, last)
        where = PersonFilter(
            years=_years(year),
            since=first,
            until=last,
            countries=comma_values(country),
            regions=region_values(region),
            categories=choice_values(category, CATEGORIES, "--category"),
            destinations=comma_values(destination),
            confirmed=confirmed,
            statuses=choice_values(status, STATUSES, "--status"),
            sort=sort,
        )
        return func(*args, where=where, **kwargs)

    options = [
        *_year_options("Defected in this year (any year a source gives)"),
        click.option(
            "--country",
            multiple=True,
            metavar="COUNTRY",
            shell_complete=completion.countries,
            help="Country of the posting left: Italy, uk, GB, 영국... Repeat it or give a "
            "comma list for any of several.",
        ),
        region_option("Region of the posting left"),
        choice_option("--category", CATEGORIES, "Kind of person"),
        click.option(
            "--destination",
            multiple=True,
            metavar="COUNTRY",
            shell_complete=completion.countries,
            help="Where they went: 'South Korea', us...",
        ),
        click.option(
            "--confirmed",
            is_flag=True,
            help="Only defections the South Korean government officially confirmed.",
        ),
        choice_option("--status", STATUSES, "What became of the case"),
    ]
    if sortable:
        sorts = [*SORT_FIELDS, *(f"-{f}" for f in SORT_FIELDS)]
        options.append(
            click.option(
                "--sort",
                type=click.Choice(sorts),
                default="year",
                show_default=True,
                metavar="[-]FIELD",
                help="Order of the rows: " + ", ".join(SORT_FIELDS) + "; a leading minus "
                "reverses it (-year: newest first).",
            )
        )
    return cast(F, _with_options(wrapper, options))


def _year_options(what: str) -> list[Callable[[Any], Any]]:
    return [
        click.option(
            "--year",
            multiple=True,
            metavar="YEAR",
            help=f"{what}. Repeat it or give a comma list (2016,2019) for any of several.",
        ),
        click.option("--since", type=YEAR, multiple=True, help="From this year on."),
        click.option("--until", type=YEAR, multiple=True, help="Up to this year (inclusive)."),
    ]


def range_options(func: F) -> F:
    """``--year`` (any of several), ``--since`` and ``--until`` as years, for stats and
    timeline. The command receives ``years``, ``since`` and ``until``."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        year: tuple[str, ...],
        since: tuple[int, ...],
        until: tuple[int, ...],
        **kwargs: Any,
    ) -> Any:
        first, last = _one(since, "--since"), _one(until, "--until")
        check_range(first, last)
        return func(*args, years=_years(year), since=first, until=last, **kwargs)

    return cast(F, _with_options(wrapper, _year_options("Only this year")))


def region_option(what: str) -> Callable[[Any], Any]:
    """``--region``: a UN M49 region or sub-region, for ``region_values``."""
    return click.option(
        "--region",
        multiple=True,
        metavar="REGION",
        shell_complete=completion.regions,
        help=f"{what}, by the UN M49 regions: Europe, Eastern Europe, 'Southeast Asia', "
        "'Sub-Saharan Africa'... A region holds its sub-regions; a former country is where "
        "its successor is (Soviet Union: Eastern Europe). Repeat it or give a comma list for "
        "any of several; with --country, both must match.",
    )


def region_values(given: tuple[str, ...]) -> tuple[str, ...]:
    """``comma_values`` of ``--region``, each as the UN names it: an unknown one is a
    mistake in the command (exit 2) that lists the regions."""
    if not given:
        return ()  # the M49 table loads only when a region is asked for
    from ..text.regions import region_name, region_names

    names: list[str] = []
    for value in comma_values(given):
        name = region_name(value)
        if name is None:
            raise click.BadParameter(
                f"{value!r} is not a UN M49 region. Regions: {', '.join(region_names())}.",
                param_hint="--region",
            )
        names.append(name)
    return tuple(dict.fromkeys(names))


def comma_values(given: tuple[str, ...]) -> tuple[str, ...]:
    """Every value of a repeatable option, each of which may be a comma list, in order
    and each once (``--country uk,italy --country france``)."""
    values = [v.strip() for item in given for v in item.split(",")]
    return tuple(dict.fromkeys(v for v in values if v))


def _years(given: tuple[str, ...]) -> tuple[int, ...]:
    years: list[int] = []
    for value in comma_values(given):
        if not value.isdigit() or not 1900 <= int(value) <= 2100:
            raise click.BadParameter(
                f"{value!r} is not a year from 1900 to 2100.", param_hint="--year"
            )
        years.append(int(value))
    return tuple(dict.fromkeys(years))


def _one(given: tuple[int, ...], option: str) -> int | None:
    """An option that makes sense once: given twice it is a mistake, not an alternative."""
    if len(set(given)) > 1:
        raise click.UsageError(f"{option} is one year; it was given {len(given)} times.")
    return given[0] if given else None


def _with_options(wrapper: Callable[..., Any], options: list[Callable[[Any], Any]]) -> Any:
    """``wrapper`` with each option applied, listed in the help in the order given."""
    result: Any = wrapper
    for option in reversed(options):
        result = option(result)
    return result


def choice_option(name: str, choices: tuple[str, ...], what: str) -> Callable[[F], F]:
    """A repeatable option of fixed values (comma lists too), completed from ``choices``;
    check its values with ``choice_values``."""
    return click.option(
        name,
        multiple=True,
        metavar=name.lstrip("-").upper(),
        shell_complete=lambda ctx, param, incomplete: [
            c for c in choices if c.startswith(incomplete.lower())
        ],
        help=f"{what}: {', '.join(choices)}.",
    )


def person_option(what: str) -> Callable[[F], F]:
    """``--person NAME``, repeatable, the last of which may go on unquoted; the command
    receives ``people``, the names given."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(
            *args: Any, person: tuple[str, ...], words: tuple[str, ...], **kwargs: Any
        ) -> Any:
            return func(*args, people=trailing_name(person, words, "--person"), **kwargs)

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


def trailing_name(given: tuple[str, ...], words: tuple[str, ...], option: str) -> tuple[str, ...]:
    """The names of a repeatable NAME option, the last of which may go on unquoted:
    ``--person ri il gyu`` leaves "il gyu" as words after the options, which belong to it."""
    if not words:
        return given
    if not given:
        raise click.UsageError(f"unexpected words {' '.join(words)!r}: did you mean {option}?")
    return (*given[:-1], " ".join((given[-1], *words)))


def not_blank(
    ctx: click.Context, param: click.Parameter, value: str | tuple[str, ...] | None
) -> str | tuple[str, ...] | None:
    """A NAME (or an id) that is only spaces is a mistake in the command, not a person
    nobody matches: exit 2 like any other bad value."""
    if isinstance(value, tuple):  # several names, or the words of one; none is nothing
        blank = bool(value) and not " ".join(value).strip()
    else:
        blank = value is not None and not value.strip()
    if blank:
        raise click.BadParameter("is empty: give a name in any spelling, an id, or part of one.")
    return value


def choice_values(given: tuple[str, ...], allowed: tuple[str, ...], option: str) -> tuple[str, ...]:
    """``comma_values``, each checked against ``allowed`` (case ignored)."""
    values = tuple(dict.fromkeys(v.lower() for v in comma_values(given)))
    for value in values:
        if value not in allowed:
            raise click.BadParameter(
                f"{value!r} is not one of {', '.join(allowed)}.", param_hint=option
            )
    return values


def check_range(since: int | None, until: int | None) -> None:
    if since is not None and until is not None and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}: nothing could match.")
