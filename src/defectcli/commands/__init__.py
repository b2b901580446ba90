"""The subcommands, one module per family, imported only when one of them runs.

``COMMANDS`` is the one table of what exists: the group lists and describes commands from
it without importing them, so ``defect --help`` stays as quick as Click itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sized
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..query import Catalog


class Spec(NamedTuple):
    """Where a command lives (a module inside defectcli.commands) and its one-line help."""

    module: str
    attribute: str
    short_help: str


COMMANDS: dict[str, Spec] = {
    "list": Spec("people", "list_command", "List the people in the dataset, one row each."),
    "show": Spec("profile", "show_command", "Show one person's profile card."),
    "profile": Spec("profile", "show_command", "Same as show."),
    "quotes": Spec("quotations", "quotes_command", "Quotations as cards, with their sources."),
    "search": Spec("quotations", "search_command", "Search names, posts, quotations, events..."),
    "stats": Spec("record", "stats_command", "Yearly arrivals in South Korea, with a chart."),
    "count": Spec("people", "count_command", "Count people by year, decade, country..."),
    "timeline": Spec("record", "timeline_command", "Every dated event in one chronological list."),
    "sources": Spec("record", "sources_command", "The bibliography, and who cites each source."),
    "cite": Spec("record", "cite_command", "A citation: text, BibTeX or CSL-JSON."),
    "validate": Spec("dataset", "validate_command", "Check a dataset; list every problem."),
    "export": Spec(
        "dataset", "export_command", "Export the whole dataset: sqlite, json, ndjson, csv."
    ),
}


def total_of(found: Sized, limit: int | None, count: Callable[[], int]) -> int:
    """How many records in all: ``found``'s, unless cut at ``limit``: then ``count()``'s."""
    return count() if limit is not None and len(found) >= limit else len(found)


class State:
    """What the group's options leave for the subcommands: the dataset, opened lazily."""

    def __init__(self, data: str | None) -> None:
        self.data = data

    @functools.cached_property
    def catalog(self) -> Catalog:
        from ..query import open_catalog  # here: --help and completion load no query layer

        return open_catalog(self.data)
