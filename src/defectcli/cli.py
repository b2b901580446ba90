"""The ``defect`` command: parse options, call the query layer, hand results to render.

No logic lives here beyond that. Lower layers raise typed errors (``errors.py``); the group
below turns them into one message on stderr and an exit status, never a traceback.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__, completion
from .errors import EXIT_INTERRUPTED, EXIT_NOT_FOUND, DataError, DefectError
from .filters import CITE_STYLES, FACETS, SEARCH_KINDS, SOURCE_KINDS, PersonFilter
from .options import check_range, filter_options, output_options, range_options
from .render.context import Output

if TYPE_CHECKING:
    from .query import Catalog

EPILOG = """\b
Exit status: 0 done (an empty list is a result too), 1 not found or bad data,
2 wrong usage, 130 interrupted.
Environment: DEFECT_DATA (like --data), NO_COLOR, FORCE_COLOR, COLUMNS.
"""


class ReportedError(click.ClickException):
    """A ``DefectError`` on its way to the user: its message as it is, its exit status."""

    def __init__(self, error: DefectError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # Click declares it per class
        self.is_data_error = isinstance(error, DataError)

    def show(self, file: Any = None) -> None:
        prefix = "" if self.is_data_error else "Error: "
        click.echo(prefix + self.format_message(), err=True)


class DefectGroup(click.Group):
    """Turns the lower layers' typed errors into messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DefectError as error:
            raise ReportedError(error) from None


@dataclass
class State:
    """What the group's options leave for the subcommands: the dataset, opened lazily."""

    data: str | None
    _catalog: Catalog | None = field(default=None, repr=False)

    def catalog(self) -> Catalog:
        if self._catalog is None:
            from .query import open_catalog

            self._catalog = open_catalog(self.data)
        return self._catalog


@click.group(
    cls=DefectGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.option(
    "--data",
    metavar="PATH",
    envvar="DEFECT_DATA",
    help="Use another dataset: a folder laid out like data/ or one YAML/JSON file. "
    "Default: the bundled data.",
)
@click.version_option(__version__, "-V", "--version", prog_name="defect")
@click.pass_context
def cli(ctx: click.Context, data: str | None) -> None:
    """Look up North Korea's elite defectors: who defected, from which posting, when,
    what they said, and who reported it. Every line comes with its source.

    \b
    Examples:
      defect list                      everyone, newest cases last
      defect list --year 2019          who defected in 2019
      defect show "Thae Yong Ho"       a profile card, sources numbered
      defect quotes --person ri        what Ri Il Gyu said, and where
      defect list --json | jq '.[].name'
    """
    ctx.obj = State(data or None)


@cli.command("list")
@filter_options
@output_options
@click.pass_obj
def list_command(state: State, where: PersonFilter, out: Output) -> None:
    """List the people in the dataset, one row each.

    A person whose sources give different years (Jo Song Gil left Rome in 2018 and
    reached Seoul in 2019) matches a year filter on any of them; the row shows both.

    \b
    Examples:
      defect list --year 2019
      defect list --country Italy --json
      defect list --since 2016 --confirmed
      defect list --category diplomat --sort name --format csv > cases.csv
    """
    catalog = state.catalog()
    people = catalog.people(where)
    if not people:
        _hint_unknown_place(catalog.countries(), where.country, "posting in")
        _hint_unknown_place(catalog.destinations(), where.destination, "destination")
    emit().people(out, people)


def emit() -> ModuleType:
    """The render layer, imported when there is something to render (not for --help)."""
    from .render import emit as module

    return module


def _hint_unknown_place(known: list[str], given: str | None, what: str) -> None:
    from .names import name_key

    if given is None or name_key(given) in {name_key(k) for k in known}:
        return
    click.echo(f"Note: no {what} {given!r} in the dataset. Known: {', '.join(known)}.", err=True)


@cli.command("show")
@click.argument("name", nargs=-1, required=True, shell_complete=completion.person_names)
@output_options
@click.pass_obj
def show_command(state: State, name: tuple[str, ...], out: Output) -> None:
    """Show one person's profile: names, postings, the defection and its disclosure,
    family, later life, disputed claims side by side, quotations and numbered sources.

    NAME is a name in any spelling the dataset knows, an alias, the Hangul, the id, or a
    unique part of one (quotes are optional).

    \b
    Examples:
      defect show Thae Yong Ho
      defect show 리일규
      defect show jo --json
    """
    emit().profile(out, state.catalog().profile(" ".join(name)))


cli.add_command(
    click.Command(
        "profile",
        callback=show_command.callback,
        params=show_command.params,
        help="Same as show.",
        short_help="Same as show.",
    )
)


@cli.command("quotes")
@click.option(
    "--person",
    metavar="NAME",
    shell_complete=completion.person_ids,
    help="Said by (or filed under) this person.",
)
@click.option("--search", metavar="TEXT", help='Words in the quotation; "a phrase" in quotes.')
@click.option(
    "--source",
    metavar="ID",
    shell_complete=completion.source_ids,
    help="Printed by this source (see defect sources).",
)
@output_options
@click.pass_obj
def quotes_command(
    state: State, person: str | None, search: str | None, source: str | None, out: Output
) -> None:
    """Quotations as cards: the words as printed, the speaker, where and when, the source.

    \b
    Examples:
      defect quotes --person "Ryu Hyun Woo"
      defect quotes --search beggars
      defect quotes --search '"tie-wearing beggars"' --json
    """
    catalog = state.catalog()
    try:
        quotes = catalog.quotes(person=person, search=search, source=source)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    emit().quotes(out, catalog.quote_set(quotes))


@cli.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(SEARCH_KINDS),
    multiple=True,
    help="Only this kind of record (repeat for several).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=25,
    show_default=True,
    help="At most this many matches of each kind.",
)
@output_options
@click.pass_obj
def search_command(
    state: State, text: tuple[str, ...], kinds: tuple[str, ...], limit: int, out: Output
) -> None:
    """Search everything at once: names in any spelling, posts, quotations, events,
    disputed claims and source titles, in English or Korean. Every word must match (or
    start a word); "a phrase" in double quotes matches as a phrase. Exit status 1 when
    nothing matches.

    \b
    Examples:
      defect search beggars
      defect search '"tie-wearing beggars"'
      defect search 조선일보
      defect search Tae Young-ho --kind person
    """
    query = " ".join(text)
    try:
        result = state.catalog().search(query, kinds or SEARCH_KINDS, limit)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    emit().search(out, result)
    if not result.hits:
        click.echo(f"No matches for {query!r}.", err=True)
        sys.exit(EXIT_NOT_FOUND)


@cli.command("stats")
@range_options
@click.option("--stacked", is_flag=True, help="Split each bar into men and women.")
@output_options
@click.pass_obj
def stats_command(
    state: State, since: int | None, until: int | None, stacked: bool, out: Output
) -> None:
    """North Korean defectors arriving in South Korea each year (Ministry of Unification
    figures as the press reported them): total, men, women and elite defectors where known,
    with a bar chart on a terminal. Where sources give other figures for a year (a
    provisional count, a later revision) the year is starred and every figure is listed.

    \b
    Examples:
      defect stats
      defect stats --since 2015 --stacked
      defect stats --json | jq '.[] | select(.year == 2009)'
    """
    check_range(since, until)
    emit().statistics(out, state.catalog().statistics(since, until), stacked)


@cli.command("count")
@click.option(
    "--by",
    "by",
    type=click.Choice(FACETS),
    default="year",
    show_default=True,
    help="What to count people by (year is the main defection year).",
)
@filter_options
@output_options
@click.pass_obj
def count_command(state: State, by: str, where: PersonFilter, out: Output) -> None:
    """Count the people in the dataset by year, decade, country, category or destination.
    Takes the same filters as list.

    \b
    Examples:
      defect count --by decade
      defect count --by country --category diplomat
      defect count --by destination --since 2010 --json
    """
    emit().facets(out, state.catalog().count(by, where))


@cli.command("timeline")
@range_options
@click.option(
    "--person",
    metavar="NAME",
    shell_complete=completion.person_ids,
    help="Only this person's events (and context events about them).",
)
@click.option(
    "--country",
    metavar="COUNTRY",
    shell_complete=completion.countries,
    help="Only events tied to this country.",
)
@output_options
@click.pass_obj
def timeline_command(
    state: State,
    since: int | None,
    until: int | None,
    person: str | None,
    country: str | None,
    out: Output,
) -> None:
    """Every dated event in one chronological list: postings, leaving a post, arrivals,
    disclosures, interviews and books, later careers, and context events (missions closing,
    expulsions, directives). Dates show their known precision; a month sorts before the
    days within it.

    \b
    Examples:
      defect timeline --since 2023
      defect timeline --person "Thae Yong Ho"
      defect timeline --country Italy --json
    """
    check_range(since, until)
    emit().timeline(out, state.catalog().timeline(since, until, person, country))


@cli.command("sources")
@click.option(
    "--person",
    metavar="NAME",
    shell_complete=completion.person_ids,
    help="Only the sources this person's record cites.",
)
@click.option("--kind", type=click.Choice(SOURCE_KINDS), help="Only one kind of source.")
@output_options
@click.pass_obj
def sources_command(state: State, person: str | None, kind: str | None, out: Output) -> None:
    """The bibliography: every source, and which records cite it.

    \b
    Examples:
      defect sources --person "Ri Il Gyu"
      defect sources --kind book
      defect sources --json | jq -r '.[].url'
    """
    emit().sources(out, state.catalog().sources_cited(person, kind))


@cli.command("cite")
@click.argument("target", nargs=-1, required=True, shell_complete=completion.source_or_person)
@click.option(
    "--style",
    type=click.Choice(CITE_STYLES),
    default="text",
    show_default=True,
    help="Plain text, BibTeX, or CSL-JSON (what Zotero and pandoc read).",
)
@click.pass_obj
def cite_command(state: State, target: tuple[str, ...], style: str) -> None:
    """A citation for a source (by id), or the reference list of a person's record (by name).

    \b
    Examples:
      defect cite news1-en-2024-elite-diplomats
      defect cite "Ri Il Gyu" --style bibtex > ri.bib
      defect cite thae --style csl-json > thae.json
    """
    from .errors import NotFound
    from .render.cite import cite

    catalog = state.catalog()
    text = " ".join(target)
    try:
        sources = [catalog.source(text)]
    except NotFound as no_source:
        try:
            sources = list(catalog.profile(text).sources)
        except NotFound:
            raise no_source from None
    click.echo(cite(sources, style), nl=False)


@cli.command("validate")
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
    from .dataset.read import check_dataset

    target = path or state.data
    dataset, problems = check_dataset(target)
    shown = target or "bundled data"
    if dataset is None:
        report = {"valid": False, "path": shown, "problems": [p.__dict__ for p in problems]}
        emit().data(out, report, [])
        if out.format not in {"json", "ndjson"}:
            raise ReportedError(DataError(problems))
        sys.exit(DataError.exit_code)
    counts = {
        "files": len(dataset.files),
        "people": len(dataset.people),
        "quotes": len(dataset.quotes),
        "sources": len(dataset.sources),
        "claims": sum(len(p.claims) for p in dataset.people)
        + sum(len(y.claims) for y in dataset.arrivals),
        "events": len(dataset.events),
        "statistics_years": len(dataset.arrivals),
    }
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
    emit().data(out, {"valid": True, "path": shown, "counts": counts}, [f"ok: {shown}: {summary}"])


def main() -> NoReturn:
    """Entry point of the ``defect`` console script."""
    try:
        cli.main(prog_name="defect", standalone_mode=False)
    except click.exceptions.Abort:
        # Ctrl-C: Click has already ended the line on stderr.
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except BrokenPipeError:
        _quiet_broken_pipe()
    except Exception as error:  # a bug: one line, and the traceback only on request
        if os.environ.get("DEFECT_DEBUG"):
            raise
        click.echo(
            f"defect: internal error: {type(error).__name__}: {error}\n"
            "Run again with DEFECT_DEBUG=1 to see the traceback, and please report it.",
            err=True,
        )
        sys.exit(70)
    sys.exit(0)


def _quiet_broken_pipe() -> NoReturn:
    # The reader went away (`defect list | head -1`): that is not an error of ours.
    # Point stdout at /dev/null so Python's final flush cannot complain either.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)
