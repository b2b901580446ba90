"""defectcli: a sourced dataset of North Korea's elite defectors, and the ``defect`` command.

The query layer is a small Python API for notebooks and scripts::

    >>> import defectcli
    >>> catalog = defectcli.open_catalog()          # the bundled data
    >>> [p.name for p in catalog.people(defectcli.PersonFilter(countries=("Cuba",)))]
    ['Ri Il Gyu']
    >>> catalog.person("thae").name
    'Thae Yong Ho'

Nothing here imports Click or Rich; attributes are imported on first use so that
``import defectcli`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = ["Catalog", "PersonFilter", "__version__", "open_catalog"]

if TYPE_CHECKING:
    from .query import Catalog, PersonFilter, open_catalog


def __getattr__(name: str) -> Any:
    # Lazy re-exports: the CLI's --help and --version never pay for the query layer.
    if name in {"Catalog", "PersonFilter", "open_catalog"}:
        from . import query

        return getattr(query, name)
    raise AttributeError(f"module 'defectcli' has no attribute {name!r}")
