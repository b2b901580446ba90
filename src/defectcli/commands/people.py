"""``defect list`` and ``defect count``: the people, as rows and as facets."""

from __future__ import annotations

import click

from ..dataset.choices import FACETS, MACHINE_FORMATS, NOT_DEFECTIONS, STATUSES
from ..query import Catalog
from ..query.filters import PersonFilter
from ..render import emit
from ..render.context import Output
from . import COMMANDS, State, total_of
from .options import limit_option, output_options, person_filters


@click.command("list", short_help=COMMANDS["list"].short_help)
@person_filters(sortable=True)
@output_options
@limit_option
@click.pass_obj
def list_command(state: State, where: PersonFilter, out: Output) -> None:
    """List the people in the dataset, one row each.

    A person whose sources give different years (Jo Song Gil left Rome in 2018 and
    reached Seoul in 2019) matches a year filter on any of them; the row shows both.

    \b
    Examples:
      defect list --year 2019
      defect list --country uk,italy,france --since 2016
      defect list --region Europe --since 2016
      defect list --sort -year                 newest first
      defect list --country Italy --json
      defect list --since 2016 --confirmed
      defect list --status denied,false       reports later denied or shown false
      defect list --category diplomat --sort name --format csv > cases.csv
    """
    catalog, limit = state.catalog, out.query_limit
    people = catalog.people(where, limit)
    if not people:
        _hint_unknown_places(catalog, where)
    total = total_of(people, limit, lambda: catalog.count_people(where))
    emit.write(out, "people", people, total)


def _hint_unknown_places(catalog: Catalog, where: PersonFilter) -> None:
    from ..text.countries import country_key  # its alias tables load only when nothing matched

    for known, given, what in (
        (catalog.places("country"), where.countries, "posting in"),
        (catalog.places("destination"), where.destinations, "destination"),
    ):
        keys = {country_key(k) for k in known}
        for place in given:
            if country_key(place) not in keys:
                click.echo(
                    f"Note: no {what} {place!r} in the dataset. Known: {', '.join(known)}.",
                    err=True,
                )


@click.command("count", short_help=COMMANDS["count"].short_help)
@click.option(
    "--by",
    "by",
    type=click.Choice(FACETS),
    default="year",
    show_default=True,
    help="What to count people by (year is the main defection year; status counts every case, "
    "denied and false reports too, each under its status).",
)
@person_filters(sortable=False)
@output_options
@click.pass_obj
def count_command(state: State, by: str, where: PersonFilter, out: Output) -> None:
    """Count the people in the dataset by year, decade, country, category, destination or
    status. Takes the same filters as list. Years and decades are listed in order, the
    others by count, largest first.

    Reports that were denied or shown false are not defections and are not counted,
    unless --status asks for them or --by status counts every case under its status.

    \b
    Examples:
      defect count --by decade
      defect count --by country --category diplomat
      defect count --by destination --since 2010 --json
      defect count --by status --since 1990 --until 1999
    """
    if not where.statuses and by != "status":
        where = where._replace(statuses=tuple(s for s in STATUSES if s not in NOT_DEFECTIONS))
    # Only records list each value's people; a chart or plain lines need the counts.
    emit.write(out, "facets", state.catalog.count(by, where, people=out.format in MACHINE_FORMATS))
