"""``defect show`` (and its alias ``profile``): one person's card."""

from __future__ import annotations

import click

from ..render import emit
from ..render.context import Output
from . import COMMANDS, State, completion
from .options import not_blank, output_options


@click.command("show", short_help=COMMANDS["show"].short_help)
@click.argument(
    "name", nargs=-1, required=True, callback=not_blank, shell_complete=completion.person_names
)
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
      defect show jo song gil --json
    """
    emit.write(out, "profile", state.catalog.profile(" ".join(name)))
