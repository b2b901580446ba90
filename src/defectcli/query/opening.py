"""Opening a dataset's catalog: the index from the cache while it is fresh, else built;
and what to do when an index read from the cache turns out damaged."""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING

from .catalog import Catalog

if TYPE_CHECKING:
    from pathlib import Path

    from ..dataset.locate import DataFile
    from ..dataset.validate import Collected
    from ..progress import Stage


def open_catalog(path: str | Path | None = None, *, cache: bool = True) -> Catalog:
    """Open the dataset at ``path`` (a folder laid out like ``data/``, or one YAML/JSON
    file); None opens the bundled data. Raises ``DataError`` if it does not validate.

    With ``cache`` (the default) the index is kept on disk and reused until a data file
    changes, so no YAML is parsed on a warm run; ``DEFECT_NO_CACHE=1`` turns that off.
    """
    from ..dataset.locate import find_data_files
    from ..index import cache as disk

    def read(files: list[DataFile], stage: Stage | None) -> Collected:
        # The YAML parser and the validator load only when the index must be (re)built.
        from ..dataset.read import check_records
        from ..errors import DataError

        advance = stage("reading files", len(files)) if stage else None
        # Cross-checked by the build (``checked=False``), while its workers start.
        records, problems = check_records(files, advance, cross_check=False)
        if records is None:
            raise DataError(problems)
        return records

    def in_memory(records: Collected, stage: Stage | None) -> Catalog:
        from ..index.build import build_index_from_records

        db = sqlite3.connect(":memory:")
        build_index_from_records(records, db, stage, checked=False)
        return Catalog(db)

    if cache and not os.environ.get("DEFECT_NO_CACHE"):
        target, root, db = _fresh_index(path)
        if db is not None:
            return Catalog(_from_disk(db))
        files, db = _fresh_by_listing(path, target, root)
        if db is None:
            from ..index.build import build_index_from_records
            from ..progress import building

            stamp = disk.snapshot(files)
            with building(len(files)) as stage:
                records = read(files, stage)
                db = disk.build_file(
                    target,
                    stamp,
                    lambda c: build_index_from_records(records, c, stage, checked=False),
                )
                if db is None:  # the cache cannot be written: carry on in memory
                    return in_memory(records, stage)
        return Catalog(_from_disk(db))
    from ..progress import building

    files = find_data_files(path)
    with building(len(files)) as stage:
        return in_memory(read(files, stage), stage)


def fresh_catalog(path: str | Path | None = None) -> Catalog | None:
    """The dataset's index when it is on disk and no data file has changed since it was
    built (the check every warm run makes); else None. Builds nothing."""
    if os.environ.get("DEFECT_NO_CACHE"):
        return None
    from ..errors import DataError

    target, root, db = _fresh_index(path)
    if db is None:
        try:
            _, db = _fresh_by_listing(path, target, root)
        except DataError:  # no such dataset: the full check says so
            return None
    return Catalog(_from_disk(db)) if db is not None else None


def dataset_key(path: str | Path | None) -> tuple[str | None, str, str]:
    """The dataset's folder or file on disk (None for bundled data read from a zip), its
    root, and the key its index is found by."""
    from ..dataset.locate import bundled_data_folder, bundled_data_root

    if path is None:
        folder = bundled_data_folder()  # None when not on a file system (a zip)
        root = folder if folder is not None else str(bundled_data_root())
        return folder, root, f"bundled:{root}"
    resolved = os.path.realpath(os.fspath(path))
    return resolved, resolved, resolved


def _fresh_index(path: str | Path | None) -> tuple[str, str, sqlite3.Connection | None]:
    """Where the index of ``path`` lives, the dataset's root, and the index if it is fresh
    by the quick check: one scan of the folders, one stat a file, no list of file objects."""
    from ..index import cache as disk

    folder, root, key = dataset_key(path)
    target = disk.index_path(key)
    if not os.path.isfile(target):
        # A first run: no index to compare the files with. The check would stat every
        # file for nothing; the build takes its own stamps.
        return target, root, None
    current = None
    if folder is not None and os.path.isdir(folder):
        current = disk.folder_fingerprint(root)
    elif path is not None and os.path.isfile(folder or ""):
        current = disk.file_fingerprint(os.fspath(path))
    db = disk.open_fresh(target, current) if current is not None else None
    return target, root, db


def _fresh_by_listing(
    path: str | Path | None, target: str, root: str
) -> tuple[list[DataFile], sqlite3.Connection | None]:
    """The data files, and the index if it is fresh by their stamps: the slower check, for
    data the quick one cannot scan (the bundled data read through a zip import, say)."""
    from ..dataset.locate import find_data_files
    from ..index import cache as disk

    files = find_data_files(path)
    if not os.path.isfile(target):
        # No index to compare with (a first run): the stamps would be taken for nothing,
        # one stat a file; the build takes its own.
        return files, None
    return files, disk.open_fresh(target, disk.fingerprint([disk.stamp_of(f) for f in files]))


# --- a damaged index ------------------------------------------------------------------------

# The index files this process has opened from the cache: what a damaged index is among.
_OPENED: list[str] = []


def _from_disk(db: sqlite3.Connection) -> sqlite3.Connection:
    """``db``, an index opened from the cache, remembered (``discard_damaged_index``)."""
    from ..index.cache import database_file

    file = database_file(db)
    if file is not None and file not in _OPENED:
        _OPENED.append(file)
    return db


def discard_damaged_index(error: BaseException) -> bool:
    """Whether ``error`` came from reading an index opened from the cache (any SQLite
    database error: a damaged page, a dropped table; or a stored value that cannot be
    decoded, raised in this module): then that index is removed, with one line on stderr,
    so that the command can run once more on an index built again. False otherwise."""
    if not _OPENED:
        return False
    if not isinstance(error, sqlite3.DatabaseError) and not _raised_here(error):
        return False
    from ..index.cache import damaged

    for file in _OPENED:
        damaged(file, error)
    _OPENED.clear()
    return True


def _raised_here(error: BaseException) -> bool:
    """Whether ``error`` is one a stored value that cannot be decoded raises, raised while
    this module was running (reading the index) rather than, say, rendering a result."""
    if not isinstance(error, (ValueError, TypeError, KeyError, IndexError, AttributeError)):
        return False
    return raised_reading(error)


# The query package's folder: a frame of any of its modules is the index being read.
_HERE = os.path.dirname(__file__)


def raised_reading(error: BaseException) -> bool:
    """Whether ``error`` was raised while this module was running: reading the index."""
    trace = error.__traceback__
    while trace is not None:
        if os.path.dirname(trace.tb_frame.f_code.co_filename) == _HERE:
            return True
        trace = trace.tb_next
    return False
