"""The query layer: filters, lookups and search over the dataset, as a small Python API.

Records are held in an SQLite index (the standard library's ``sqlite3``; see
``index/build.py``): filters are SQL, and records come back as typed objects.
``open_catalog`` reuses the index cached on disk (``index/cache.py``) while the data files
are unchanged, and builds it otherwise.

    >>> from defectcli.query import open_catalog, PersonFilter
    >>> catalog = open_catalog()
    >>> ids = [p.id for p in catalog.people(PersonFilter(years=(2019,)))]
    >>> ids[:2], len(ids)
    (['jo-song-gil', 'kim-eun-deok'], 6)
"""

from .catalog import Catalog
from .filters import PersonFilter, QuoteFilter, SourceFilter, TimelineFilter, YearFilter
from .opening import discard_damaged_index, fresh_catalog, open_catalog, raised_reading
from .sql import fts_query, search_terms

__all__ = [
    "Catalog",
    "PersonFilter",
    "QuoteFilter",
    "SourceFilter",
    "TimelineFilter",
    "YearFilter",
    "discard_damaged_index",
    "fresh_catalog",
    "fts_query",
    "open_catalog",
    "raised_reading",
    "search_terms",
]
