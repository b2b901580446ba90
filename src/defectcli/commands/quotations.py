"""``defect quotes`` and ``defect search``: quotations, and everything by its words."""

from __future__ import annotations

import sys

import click

from ..dataset.choices import SEARCH_KINDS
from ..errors import ExitStatus
from ..query.filters import QuoteFilter
from ..render import emit
from ..render.context import Output
from . import COMMANDS, State, completion, total_of
from .options import limit_option, list_option, output_options, person_option


@click.command("quotes", short_help=COMMANDS["quotes"].short_help)
@person_option("Said by (or filed under) this person")
@click.option("--search", metavar="TEXT", help='Words in the quotation; "a phrase" in quotes.')
@list_option(
    "--source",
    metavar="ID",
    complete=completion.source_ids,
    help="Printed by this source (see defect sources); repeat it or give a comma list.",
)
@output_options
@limit_option
@click.pass_obj
def quotes_command(
    state: State, people: tuple[str, ...], search: str | None, source: tuple[str, ...], out: Output
) -> None:
    """Quotations as cards: the words as printed, the speaker, where and when, the source.

    \b
    Examples:
      defect quotes --person Ryu Hyun Woo
      defect quotes --person thae --person "Oh Hye Seon"
      defect quotes --search beggars
      defect quotes --search '"tie-wearing beggars"' --json
    """
    catalog, limit = state.catalog, out.query_limit
    where = QuoteFilter(people, source, search)
    try:
        quotes = catalog.quotes(where, limit)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    total = total_of(quotes, limit, lambda: catalog.count_quotes(where))
    emit.write(out, "quotes", catalog.quote_set(quotes), total)


@click.command("search", short_help=COMMANDS["search"].short_help)
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
        result = state.catalog.search(query, kinds or SEARCH_KINDS, limit)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    emit.write(out, "search", result)
    if not result.hits:
        click.echo(f"No matches for {query!r}.", err=True)
        sys.exit(ExitStatus.ERROR)
