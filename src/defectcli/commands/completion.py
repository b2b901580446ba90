"""Values for shell completion: person names, countries, source ids.

Completion runs on every key press, so it reads the cached index (``cache.py``) and never
parses YAML unless the data changed since the last run. A broken dataset completes nothing
rather than printing an error into the user's prompt.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import DefectError
from ..query import Catalog, open_catalog
from ..text.names import name_key

T = TypeVar("T")


def _rows(ctx: click.Context, query: Callable[[Catalog], list[T]]) -> list[T]:
    """What ``query`` finds in the dataset; nothing when the dataset cannot be opened."""
    # During completion the group's callback does not run: read --data ourselves.
    data = ctx.find_root().params.get("data") or os.environ.get("DEFECT_DATA") or None
    try:
        catalog = open_catalog(data)
    except (DefectError, OSError, ValueError):
        return []
    return query(catalog)


def _item(value: str, help: str | None = None) -> Any:
    from click.shell_completion import CompletionItem  # loaded only when completing

    return CompletionItem(value, help=help)


def _matches(incomplete: str, *candidates: str) -> bool:
    key = name_key(incomplete)
    return any(name_key(c).startswith(key) for c in candidates if c)


# What a completed name may hold and still be typed into a shell as it is: the shells
# insert a value unquoted, so "Kim (surname only), doctor" would be a syntax error.
_SHELL_SAFE = re.compile(r"[\w .-]+")


def person_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Display names (Hangul and post as help); the id for a name the shell would misread."""
    items = []
    for person_id, name, hangul, post in _rows(ctx, Catalog.name_table):
        if _matches(incomplete, name, person_id, hangul or ""):
            help_text = " · ".join(x for x in (hangul, post) if x)
            if _SHELL_SAFE.fullmatch(name):
                items.append(_item(name, help=help_text))
            else:
                items.append(_item(person_id, help=" · ".join(x for x in (name, help_text) if x)))
    return items


def person_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Ids (no spaces, safe in any shell), with the display name as help."""
    return [
        _item(person_id, help=name)
        for person_id, name, hangul, _ in _rows(ctx, Catalog.name_table)
        if _matches(incomplete, person_id, name, hangul or "")
    ]


def countries(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    column = "destination" if param.name == "destinations" else "country"
    known = _rows(ctx, lambda catalog: catalog.places(column))
    return [_item(c) for c in known if _matches(incomplete, c)]


def regions(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """The UN M49 regions, each with the region it lies in as help; a common name typed
    ("southeast") offers the UN's name it stands for."""
    from ..text.regions import COMMON_NAMES, REGIONS, parent_name, region_names

    offered = [name for name in region_names() if _matches(incomplete, name)]
    offered += [
        REGIONS[code][0] for common, code in COMMON_NAMES.items() if _matches(incomplete, common)
    ]
    return [_item(name, help=parent_name(name)) for name in dict.fromkeys(offered)]


def source_or_person(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """For ``cite``: source ids, then person ids."""
    return source_ids(ctx, param, incomplete) + person_ids(ctx, param, incomplete)


def source_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    sources = _rows(ctx, Catalog.sources)
    return [_item(s.id, help=s.outlet) for s in sources if _matches(incomplete, s.id)]
