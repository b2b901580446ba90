"""Opening a dataset's catalog: the index from the cache while it is fresh, else built;
and what to do when an index read from the cache turns out damaged."""

from __future__ import annotations

import functools
import os
import sqlite3
from typing import TYPE_CHECKING

from ..dataset.locate import bundled_data_folder, bundled_data_root, find_data_files
from ..errors import DataError
from ..index import cache as disk
from .catalog import Catalog

if TYPE_CHECKING:  # pathlib is not loaded on a warm run of the bundled data
    from pathlib import Path


def open_catalog(path: str | Path | None = None, *, cache: bool = True) -> Catalog:
    """Open the dataset at ``path`` (a folder laid out like ``data/``, or one YAML/JSON
    file; None: the bundled data), or raise ``DataError``. With ``cache`` the index is kept
    on disk until a data file changes, so a warm run parses no YAML (not with
    ``DEFECT_NO_CACHE=1``)."""
    cached = cache and not os.environ.get("DEFECT_NO_CACHE")
    target, current, db = _fresh(path) if cached else ("", None, None)
    if db is not None:
        return _from_disk(db, target)
    files = find_data_files(path)
    stamp = disk.snapshot(current, len(files))
    # The YAML parser and the validator load only when the index must be (re)built.
    from ..dataset.read import check_records
    from ..index.build import build_index_from_records
    from ..progress import building

    with building(len(files)) as stage:
        advance = stage("reading files", len(files)) if stage else None
        records, problems = check_records(files, advance)
        if records is None:
            raise DataError(problems)

        build = functools.partial(build_index_from_records, records, stage=stage)
        built = disk.build_file(target, stamp, build) if cached else None
        if built is not None:
            return _from_disk(built, target)
        db = sqlite3.connect(":memory:")  # no cache, or one that cannot be written
        build(db)
        disk.write_stamp(db, stamp)  # what `defect validate` reads its counts from
        return Catalog(db)


def fresh_catalog(path: str | Path | None = None) -> Catalog | None:
    """The dataset's index when it is on disk and no data file has changed since it was
    built (the check every warm run makes); else None. Builds nothing."""
    if os.environ.get("DEFECT_NO_CACHE"):
        return None
    try:
        target, _, db = _fresh(path)
    except DataError:  # no such dataset: the full check says so
        return None
    return _from_disk(db, target) if db is not None else None


def _fresh(path: str | Path | None) -> tuple[str, str | None, sqlite3.Connection | None]:
    """Where the index of ``path`` lives, the data's fingerprint now (taken before anything
    is read), and the index if it was built from data of that fingerprint."""
    if path is None:
        root = bundled_data_folder()  # as a string: the usual install's warm path needs no pathlib
        data = root if root is not None else bundled_data_root()
        if root is None:  # read through importlib.resources: a source checkout's data/, or a zip
            root = os.fspath(data) if isinstance(data, os.PathLike) else None
        key = f"bundled:{data}"
    else:
        try:
            root = key = os.path.realpath(os.fspath(path))
        except ValueError:  # a NUL in the name: reported as the listing reports any bad name
            find_data_files(path)  # raises DataError
            raise
    target = disk.index_path(key)
    current = disk.fingerprint(root)
    if current is None or not os.path.isfile(target):  # changing, or a first run
        return target, current, None
    return target, current, disk.open_fresh(target, current)


# --- a damaged index ------------------------------------------------------------------------

# The index files this process has opened from the cache: what a damaged index is among.
_OPENED: list[str] = []


def _from_disk(db: sqlite3.Connection, file: str) -> Catalog:
    """The catalog of ``db``, the index ``file`` opened from the cache, which is remembered
    (``discard_damaged_index``)."""
    if file not in _OPENED:
        _OPENED.append(file)
    return Catalog(db)


def discard_damaged_index(error: BaseException) -> bool:
    """Whether ``error`` came from reading an index opened from the cache (an SQLite error:
    a damaged page, a dropped table; or, while the query layer ran, a stored value that
    cannot be decoded): then that index is removed, with one line on stderr, for the
    command to run again on a new one."""
    decoding = (ValueError, TypeError, KeyError, IndexError, AttributeError)
    if not _OPENED or not (
        isinstance(error, sqlite3.DatabaseError)
        or (isinstance(error, decoding) and raised_reading(error))
    ):
        return False
    for file in _OPENED:
        disk.damaged(file, error)
    _OPENED.clear()
    return True


# The query package's folder: a frame of any of its modules is the index being read.
_HERE = os.path.dirname(__file__)


def raised_reading(error: BaseException) -> bool:
    """Whether ``error`` was raised while the query layer was running: reading the index."""
    import traceback  # only an error needs it

    frames = traceback.walk_tb(error.__traceback__)
    return any(os.path.dirname(frame.f_code.co_filename) == _HERE for frame, _ in frames)
