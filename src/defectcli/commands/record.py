"""The wider record: ``stats``, ``timeline``, ``sources`` and ``cite``."""

from __future__ import annotations

import click

from ..dataset.choices import CITE_STYLES, SOURCE_KINDS, TIMELINE_KINDS
from ..dataset.model import Source
from ..errors import Ambiguous, DefectError, NotFound
from ..query import Catalog
from ..query.filters import SourceFilter, TimelineFilter, YearFilter
from ..render import emit
from ..render.context import Output, terminal_output
from . import COMMANDS, State, completion, total_of
from .options import (
    choice_option,
    country_option,
    limit_option,
    not_blank,
    output_options,
    person_option,
    range_options,
    region_option,
)


@click.command("stats", short_help=COMMANDS["stats"].short_help)
@range_options
@click.option("--stacked", is_flag=True, help="Split each bar into men and women.")
@output_options
@click.pass_obj
def stats_command(state: State, dates: YearFilter, stacked: bool, out: Output) -> None:
    """North Korean defectors arriving in South Korea each year (Ministry of Unification
    figures as the press reported them): total, men, women and elite defectors where known,
    with a bar chart on a terminal. Where sources give other figures for a year (a
    provisional count, a later revision) the year is starred and every figure is listed.

    \b
    Examples:
      defect stats
      defect stats --since 2015 --stacked
      defect stats --year 2019 --year 2023      those two years, in every section
      defect stats --json | jq '.[] | select(.year == 2009)'

    Every section keeps to the years asked for: the yearly rows, the cumulative totals (by
    the year they run to) and the other counts (by the year they were given).
    """
    emit.write(out, "statistics", state.catalog.statistics(dates), stacked=stacked)


@click.command("timeline", short_help=COMMANDS["timeline"].short_help)
@range_options
@person_option("Only this person's events (and context events about them)")
@country_option(
    "Only entries tied to this country: postings there, defections from a post there"
    " (leaving, arriving, made public) and context events there. Repeat it or give a comma"
    " list."
)
@region_option("Only entries tied to a country in this region")
@choice_option("--kind", "kinds", TIMELINE_KINDS, "Only entries of these kinds")
@output_options
@limit_option
@click.pass_obj
def timeline_command(
    state: State,
    dates: YearFilter,
    people: tuple[str, ...],
    countries: tuple[str, ...],
    regions: tuple[str, ...],
    kinds: tuple[str, ...],
    out: Output,
) -> None:
    """Every dated event in one chronological list: postings, leaving a post, arrivals,
    disclosures, interviews and books, later careers, and context events (missions closing,
    expulsions, directives). Dates show their known precision; a month sorts before the
    days within it.

    \b
    Examples:
      defect timeline --since 2023
      defect timeline --year 2016 --format plain
      defect timeline --person ri il gyu
      defect timeline --country Italy,Kuwait --kind departure,arrival --json
      defect timeline --region 'Southeast Asia' --since 2010
    """
    where = TimelineFilter(dates, people, countries, regions, kinds)
    catalog, limit = state.catalog, out.query_limit
    found = catalog.timeline(where, limit)
    total = total_of(found.entries, limit, lambda: catalog.count_timeline(where))
    emit.write(out, "timeline", found, total)


@click.command("sources", short_help=COMMANDS["sources"].short_help)
@person_option(
    "Only the sources of this person's profile (as show lists them): what their record"
    " cites, and the sources of their quotations, also those filed under someone else"
)
@choice_option("--kind", "kinds", SOURCE_KINDS, "Only these kinds of source")
@output_options
@limit_option
@click.pass_obj
def sources_command(
    state: State, people: tuple[str, ...], kinds: tuple[str, ...], out: Output
) -> None:
    """The bibliography: every source, and which records cite it.

    \b
    Examples:
      defect sources --person "Ri Il Gyu"
      defect sources --kind interview
      defect sources --json | jq -r '.[].url'
    """
    catalog, limit = state.catalog, out.query_limit
    where = SourceFilter(people, kinds)
    entries = catalog.sources_cited(where, limit)
    total = total_of(entries, limit, lambda: catalog.count_sources(where))
    emit.write(out, "sources", entries, total)


@click.command("cite", short_help=COMMANDS["cite"].short_help)
@click.argument(
    "target",
    nargs=-1,
    required=True,
    callback=not_blank,
    shell_complete=completion.source_or_person,
)
@click.option(
    "--style",
    type=click.Choice(CITE_STYLES),
    default="text",
    show_default=True,
    help="Plain text, BibTeX, or CSL-JSON (what Zotero and pandoc read).",
)
@click.pass_obj
def cite_command(state: State, target: tuple[str, ...], style: str) -> None:
    """A citation for a source (by id), or the reference list of a person's record (by
    name). Several ids and names at once give one list, each source once. A name of
    several words needs no quotes when it is the only one.

    \b
    Examples:
      defect cite news1-en-2024-elite-diplomats
      defect cite news1-en-2024-elite-diplomats news1-ko-2024-elite-diplomats
      defect cite "Thae Yong Ho" "Oh Hye Seon" --style bibtex > thae-oh.bib
      defect cite Ri Il Gyu --style bibtex > ri.bib
      defect cite thae --style csl-json > thae.json
    """
    from ..render.cite import cite  # here, as each command module loads only when run

    output = terminal_output()  # before any work: nowhere to write is an error
    catalog = state.catalog
    text = " ".join(target)
    # The whole text first, as one id or one name (`cite Ri Il Gyu`, unquoted); else each
    # argument on its own (`cite "Thae Yong Ho" "Oh Hye Seon"`, or several ids).
    sources = _cited(catalog, text)
    if sources is None:
        sources = []
        for part in dict.fromkeys(target):
            found = _cited(catalog, part)
            if found is None:
                raise _no_match(catalog, part, whole=text)
            sources += found
    unique = list({source.id: source for source in sources}.values())
    output.write(cite(unique, style))


def _cited(catalog: Catalog, text: str) -> list[Source] | None:
    """The source with the id ``text``, or every source of the one person it names; else
    None, cheaply: the error (finding the closest ids is slow) waits for ``_no_match``."""
    if catalog.is_source(text):
        return [catalog.source(text)]
    ids = catalog.resolve(text)
    return list(catalog.profile(ids[0]).sources) if len(ids) == 1 else None


def _no_match(catalog: Catalog, text: str, whole: str) -> DefectError:
    """Why ``text`` names nothing to cite: no such source or person (the closest ids and
    names suggested), or several people. Of ``whole``, the command line ``text`` is (part
    of), the closest names too: it may be one name without quotes (`cite Thae Yong Hoo`)."""
    try:
        catalog.person(text)
    except Ambiguous as several:
        return several
    except NotFound as no_person:
        suggestions = list(no_person.suggestions)
        try:
            catalog.source(text)
        except NotFound as no_source:
            suggestions += no_source.suggestions
        suggestions += catalog.suggest(whole)
        return NotFound(
            f"No source with id {text!r}, and no person matches it.",
            list(dict.fromkeys(suggestions)),
        )
    return NotFound(f"No source with id {text!r}.")  # it names one person after all
