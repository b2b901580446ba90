"""The index on disk: one SQLite file per dataset in ``$DEFECT_CACHE_DIR``, else
``$XDG_CACHE_HOME/defectcli``, else ``~/.cache/defectcli``, reused until a data file changes.

Fresh while its ``meta`` table's fingerprint of every data file's relative path, size and
modification time (ns), and its format and version, match the files and program now.

Replaced atomically, as ``files`` writes every file (concurrent first runs each build, and the
last one wins); where the cache cannot be written, the index is built in memory.

Trusted only when the current user's: a folder or index that another user owns, or that group
or others may write, could hold a forged index (or let one be swapped in), so it is never used:
one line on stderr says why, and the run works from memory. The folder is made private (0700);
the index is created new (O_EXCL, mode 0600) and one that is a symbolic link is never opened.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
import zlib  # not hashlib: zlib loads at once, hashlib's OpenSSL takes a while
from collections.abc import Callable
from contextlib import closing, suppress
from typing import TYPE_CHECKING, Any

from ..dataset.locate import FOLDER_KINDS, data_names, schema_root
from ..files import create_new, publish, remove_file, remove_stale
from ..text.clean import clean
from ..version import __version__

# Paths here are strings, and pathlib and importlib.abc load only where needed: this module
# is on every warm run's path, and importlib.abc brings importlib.resources, tempfile and
# shutil with it.
if TYPE_CHECKING:
    from importlib.abc import Traversable

# Bump when the tables change shape; an index of another format (or version) is never read.
INDEX_FORMAT = 36
_META_KEY = {"format": INDEX_FORMAT, "version": __version__}


def cache_dir() -> str:
    explicit = os.environ.get("DEFECT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "defectcli")


# --- whom the cache trusts -----------------------------------------------------------------

# What has been said on stderr (each reason once a run: a rebuild checks twice).
_SAID: set[str] = set()


def _why_not_ours(found: os.stat_result) -> str | None:
    """Why a cache folder or file with this status cannot be trusted; None when it can."""
    if not hasattr(os, "geteuid"):  # no owners to compare (Windows): the folder's ACLs decide
        return None
    if found.st_uid != os.geteuid():
        return f"it belongs to another user (uid {found.st_uid})"
    if found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        mode = stat.S_IMODE(found.st_mode)
        return f"group or others may write to it (mode {mode:04o})"
    return None


def _say(message: str) -> None:
    """One line on stderr, once a run."""
    if message in _SAID:
        return
    _SAID.add(message)
    # A path from the environment: its escapes are shown, not obeyed.
    with suppress(OSError, ValueError, AttributeError):  # no stderr: nowhere to say it
        sys.stderr.write(f"Note: {clean(message)}\n")


def _trust(what: str, path: str, why: str | None) -> bool:
    """True when nothing is against the folder or index at ``path``, else say ``why``."""
    if why:
        _say(f"not using the {what} {path}: {why}; working from memory")
    return why is None


def private_folder(folder: str, create: bool = False) -> bool:
    """True when ``folder`` is a folder that only the current user can write to (with
    ``create``, made private if it is not there). One that is not is refused with a line on
    stderr; one that cannot be made or read, quietly."""
    # Checked each time (two stat calls), never remembered: a long-lived caller of
    # ``open_catalog`` sees a folder that changed hands.
    try:
        try:
            found = os.lstat(folder)
        except FileNotFoundError:
            if not create:
                return False
            os.makedirs(folder, 0o700, exist_ok=True)  # if made meanwhile, whose is seen below
            found = os.lstat(folder)
        if stat.S_ISLNK(found.st_mode):
            # ~/.cache/defectcli may be a link of the user's own to another disk; a link
            # someone else planted would send the index where they choose.
            if hasattr(os, "geteuid") and found.st_uid != os.geteuid():
                return _trust("cache folder", folder, "it is a symbolic link made by another user")
            found = os.stat(folder)
    except OSError:  # not a folder on the way, no permission, a loop: not usable
        return False
    return stat.S_ISDIR(found.st_mode) and _trust("cache folder", folder, _why_not_ours(found))


def _trusted_index(path: str, missing: bool) -> bool:
    """Whether the file at ``path`` is a regular file (not a link) we trust, else say why;
    ``missing``: the answer when nothing is there."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return missing
    except OSError:
        return False
    if stat.S_ISLNK(found.st_mode):
        return _trust("index", path, "it is a symbolic link")
    if not stat.S_ISREG(found.st_mode):
        return _trust("index", path, "it is not a regular file")
    return _trust("index", path, _why_not_ours(found))


def fingerprint(root: str | None) -> str | None:
    """What the data at ``root`` looks like now, as one short value that the index records and
    compares: each data file's path inside the dataset, size and modification time (ns),
    from one scan of each folder and one stat a file. ``root``: a dataset folder or one data
    file; None for the bundled data inside a zip, which cannot change within a version (part
    of the index's name). None when something there is not what a data file should be or
    vanished mid-scan: such data is never fresh, and reading it says what is wrong."""
    if root is None:
        return "packaged"
    stamps: list[str] = []
    try:
        if not os.path.isdir(root):
            found = os.stat(root)
            stamps.append(f"{os.path.basename(root)}\t{found.st_size}\t{found.st_mtime_ns}")
        else:
            for folder in FOLDER_KINDS:
                prefix = os.path.join(root, folder, "")  # joined once: a folder holds thousands
                names, problems = data_names(prefix, folder)
                if problems:
                    return None
                for name in names:
                    found = os.stat(prefix + name)
                    stamps.append(f"{folder}/{name}\t{found.st_size}\t{found.st_mtime_ns}")
    except OSError:
        return None
    return _checksum(len(stamps), "\n".join(stamps).encode())


def _checksum(count: int, data: bytes) -> str:
    return f"{count}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


def index_path(root: str) -> str:
    """Where the index of a dataset (the bundled data of this version, or a path) lives: a
    readable stem plus a CRC of the whole path (a clash would only cost a rebuild)."""
    text = f"{__version__}\0{root}"
    stem = "".join(c if c.isalnum() else "-" for c in root[-40:]).strip("-")
    return os.path.join(cache_dir(), f"index-{stem}-{zlib.crc32(text.encode()):08x}.sqlite")


def open_fresh(path: str, current: str) -> sqlite3.Connection | None:
    """The index at ``path`` if it is whole, trusted and built from the files whose
    fingerprint is ``current``; else None."""
    if not private_folder(os.path.dirname(path)) or not _trusted_index(path, missing=False):
        return None
    db = None
    try:
        db = _open_read_only(path)
        stored = stored_stamp(db)
        if stored["key"] == _META_KEY and stored["fingerprint"] == current:
            return db
        db.close()  # stale: built from other files, or by another version
    except (sqlite3.Error, ValueError, KeyError, TypeError) as error:
        # A truncated or corrupted file, or no stamp: rebuilt.
        if db is not None:
            db.close()
        damaged(path, error)
    return None


def damaged(path: str, error: BaseException) -> None:
    """Say (once) that the index at ``path`` could not be read; remove it, to be built again."""
    reason = str(error) or type(error).__name__
    _say(f"the index {path} could not be read ({reason}); building it again")
    if _trusted_index(path, missing=True):
        with suppress(OSError):
            remove_file(path)


def _open_read_only(path: str) -> sqlite3.Connection:
    # In a URI file name "?" and "#" would end the path and "%" starts an escape; SQLite
    # needs no other quoting.
    name = os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return sqlite3.connect(f"file:{name}?mode=ro", uri=True)


def stored_stamp(db: sqlite3.Connection) -> dict[str, Any]:
    """What ``snapshot`` recorded when the index in ``db`` was built."""
    row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    if row is None:
        raise sqlite3.DatabaseError("no stamp")
    stamp: dict[str, Any] = json.loads(row[0])
    return stamp


def write_stamp(db: sqlite3.Connection, stamp: dict[str, Any]) -> None:
    """Record ``stamp`` (a ``snapshot``) in the index ``db``, for ``stored_stamp``."""
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('stamp', ?)", (json.dumps(stamp),))


def snapshot(current: str | None, files: int) -> dict[str, Any]:
    """What the index records of the data it is built from: ``current``, its ``fingerprint``
    taken *before* the files are read (an edit made while the index builds makes the index
    stale rather than wrongly fresh), and how many files there are."""
    return {
        "key": _META_KEY,
        "fingerprint": current,
        "files": files,  # for `defect validate`, which answers from a fresh index
        "schemas": schemas_checksum(),  # ... while the schemas are those the build used
    }


def schemas_checksum(folder: Traversable | None = None) -> str:
    """A checksum of the JSON Schemas' contents (the bundled ones by default): what an
    index was checked against. By content, not time: reinstalling the same version gives
    the files new times and the same text."""
    root = schema_root() if folder is None else folder
    files = sorted((f for f in root.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)
    data = b"\0".join(f.name.encode() + b"\0" + f.read_bytes() for f in files)
    return _checksum(len(files), data)


# A temporary file that is renamed into place only when whole needs no rollback journal
# and no flushes to disk on the way; a larger page cache keeps a large build's indexes in memory.
BUILD_PRAGMAS = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"


def build_file(
    path: str, stamp: dict[str, Any], fill: Callable[[sqlite3.Connection], None]
) -> sqlite3.Connection | None:
    """Build the index into ``path`` atomically (a new file beside it, moved into place,
    nothing left behind on any failure); None when the cache cannot be written or trusted."""
    import secrets  # here: only a build needs it, and it loads hashlib (OpenSSL) through hmac

    folder = os.path.dirname(path)
    # The name is chosen before the file is made, and the clean-up covers the making: a
    # signal that lands just after the file appears still removes it.
    temp = os.path.join(folder, f".index-{secrets.token_hex(8)}.tmp")
    handle = None
    try:
        if not private_folder(folder, create=True) or not _trusted_index(path, missing=True):
            return None
        remove_stale(folder, ".index-", ".tmp")
        try:
            handle = create_new(temp, 0o600)
            with closing(sqlite3.connect(temp)) as db:
                db.executescript(BUILD_PRAGMAS)
                fill(db)
                write_stamp(db, stamp)
                db.commit()
            publish(handle, temp, path)
        except FileExistsError:
            raise  # the name was taken (by chance, or planted): not ours to remove
        except BaseException:
            # Failed, or interrupted (Ctrl-C, SIGTERM): never leave a half-built file behind.
            remove_file(temp)
            raise
        finally:
            if handle is not None:
                os.close(handle)
        return _open_read_only(path)
    except (OSError, sqlite3.Error):
        return None
