"""The index on disk: built once per dataset, reused until a data file changes.

Where it lives: ``$DEFECT_CACHE_DIR``, else ``$XDG_CACHE_HOME/defectcli``, else
``~/.cache/defectcli``; one SQLite file per dataset folder.

When it is fresh: its ``meta`` table records, for every data file, the path, size,
modification and change times and inode (as git's index does). Any difference means a
rebuild. A file modified in the same instant the index was built (a "racily clean" file,
again as git calls it) cannot be trusted by its timestamp, so its content is hashed and
compared too; hashing every file on every run would cost more than the whole query.

How it is replaced: built in a temporary file beside the final one, then moved into place with
``os.replace``, which is atomic; a reader sees the old index or the new one, never half of one,
and concurrent first runs each build and the last one wins. When the cache cannot be written,
the index is built in memory and the command carries on.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .dataset.locate import DataFile

# Bump when the tables change shape; an index of another format is never read.
INDEX_FORMAT = 10
# Files modified this close to the build (or later) are checked by content, not timestamp.
RACY_WINDOW_NS = 3_000_000_000


def cache_dir() -> Path:
    explicit = os.environ.get("DEFECT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "defectcli"


Stamp = tuple[str, int, int, int, int]


def _stamp(data_file: DataFile) -> Stamp:
    resource = data_file.resource
    if isinstance(resource, Path):
        stat = os.stat(resource)
        # As git does: the change time and inode too, which no tool can set back, so an
        # edit that restores the modification time (cp -p, touch -r) is still seen.
        return (data_file.relative, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    # Not on a file system (a zip import): no timestamp to trust, the content decides.
    return (data_file.relative, -1, -1, -1, -1)


def quick_stamps(root: Path) -> list[Stamp] | None:
    """The stamps of a dataset folder's files, straight from the file system: the warm
    path's only cost that grows with the dataset, so it builds no objects per file.
    Lists the same files, in the same order, as ``locate.find_data_files``."""
    from .dataset.locate import DATA_SUFFIXES, FOLDER_KINDS

    stamps: list[Stamp] = []
    for folder in FOLDER_KINDS:
        try:
            with os.scandir(os.path.join(root, folder)) as scan:
                entries = sorted(
                    (e for e in scan if e.name.endswith(DATA_SUFFIXES) and e.is_file()),
                    key=lambda e: e.name,
                )
                for e in entries:
                    st = e.stat()
                    stamps.append(
                        (
                            f"{folder}/{e.name}",
                            st.st_size,
                            st.st_mtime_ns,
                            st.st_ctime_ns,
                            st.st_ino,
                        )
                    )
        except (FileNotFoundError, NotADirectoryError):
            continue
    return stamps


def stamp_of(data_file: DataFile) -> Stamp:
    """The stamp of one file (public: the single-file and non-folder paths use it)."""
    return _stamp(data_file)


def _fingerprint(stamps: Sequence[Stamp]) -> str:
    """One short value for every file's stamp: comparing it costs nothing at 100,000 files
    (two checksums from zlib, which loads in microseconds, unlike hashlib's OpenSSL)."""
    import zlib
    from array import array

    names = "\n".join(s[0] for s in stamps).encode()
    numbers = array("q")
    for stamp in stamps:
        numbers.extend(stamp[1:])
    data = names + b"\0" + numbers.tobytes()
    return f"{len(stamps)}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


def _is_racy(stamp: Stamp, built_ns: int) -> bool:
    return stamp[2] < 0 or stamp[2] >= built_ns - RACY_WINDOW_NS


def _digest(data_file: DataFile) -> str:
    import hashlib  # only for racily-clean files and builds: OpenSSL is slow to load

    return hashlib.sha256(data_file.resource.read_bytes()).hexdigest()


def _identity(root: str) -> str:
    """Which dataset an index belongs to: the bundled data of this version, or a path.

    A readable stem plus a CRC of the whole path (zlib loads in microseconds; a clash
    would only cost a rebuild, since the stamp inside is checked anyway).
    """
    import zlib

    text = f"{__version__}\0{root}"
    stem = "".join(c if c.isalnum() else "-" for c in root[-40:]).strip("-")
    return f"{stem}-{zlib.crc32(text.encode()):08x}"


def index_path(root: str) -> Path:
    return cache_dir() / f"index-{_identity(root)}.sqlite"


def _meta_key() -> dict[str, Any]:
    return {"format": INDEX_FORMAT, "version": __version__}


def open_fresh(path: Path, stamps: Sequence[Stamp], root: Path) -> sqlite3.Connection | None:
    """The index at ``path`` if it is whole and matches the files ``stamps`` describe
    (inside ``root``, where racily-clean files are read again); else None."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
        if row is None:
            raise sqlite3.DatabaseError("no stamp")
        stored = json.loads(row[0])
        if stored["key"] != _meta_key() or not _same_files(stored, stamps, root):
            db.close()
            return None
        if stored["racy"]:
            settle(path, stamps, root)
        return db
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        # A truncated or corrupted file, or one from another version: rebuild it.
        db.close()
        return None


def _same_files(stored: dict[str, Any], stamps: Sequence[Stamp], root: Path) -> bool:
    if _fingerprint(stamps) != stored["fingerprint"]:
        return False
    # Files changed in the same instant the index was built: their content decides.
    racy: dict[str, str] = stored["racy"]
    return all(_digest_at(root, name) == digest for name, digest in racy.items())


def _digest_at(root: Path, relative: str) -> str | None:
    import hashlib

    target = root / relative if root.is_dir() else root
    try:
        return hashlib.sha256(target.read_bytes()).hexdigest()
    except OSError:
        return None


def settle(path: Path, stamps: Sequence[Stamp], root: Path) -> None:
    """Once racily-clean files have been verified by content and enough time has passed,
    stop treating them as racy, so later runs trust the timestamps again (what git does
    when it rewrites its index). Best effort: a read-only cache stays as it is."""
    try:
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
            stored = json.loads(row[0])
            by_name = {s[0]: s for s in stamps}
            now = time.time_ns()
            if any(now - by_name[name][2] < 2 * RACY_WINDOW_NS for name in stored["racy"]):
                return  # too recent still: a change now could keep the same timestamp
            if not _same_files(stored, stamps, root):
                return
            stored["racy"] = {}
            db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (json.dumps(stored),))
    except (sqlite3.Error, OSError, ValueError, TypeError, KeyError):
        return


def snapshot(files: Sequence[DataFile]) -> dict[str, Any]:
    """What the files look like now: taken *before* they are read, so that an edit made
    while the index builds makes the index stale rather than wrongly fresh."""
    built_ns = time.time_ns()
    stamps = [_stamp(f) for f in files]
    return {
        "key": _meta_key(),
        "fingerprint": _fingerprint(stamps),
        "built_ns": built_ns,
        "racy": {
            f.relative: _digest(f)
            for f, stamp in zip(files, stamps, strict=True)
            if _is_racy(stamp, built_ns)
        },
    }


def _remove_stale_temporaries(folder: Path, age_s: float = 86_400) -> None:
    """Temporary index files a killed process (SIGKILL, a power cut) left behind more than
    a day ago: never used, since only a finished build is moved into place; removed here."""
    now = time.time()
    for leftover in folder.glob(".index-*.tmp*"):
        try:
            if now - leftover.stat().st_mtime > age_s:
                leftover.unlink()
        except OSError:
            continue


def build_file(
    path: Path, stamp: dict[str, Any], fill: Callable[[sqlite3.Connection], None]
) -> sqlite3.Connection | None:
    """Build the index into ``path`` atomically; None when the cache cannot be written."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path.parent)
        handle, temp_name = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=path.parent)
        os.close(handle)
    except OSError:
        return None
    temp = Path(temp_name)
    try:
        db = sqlite3.connect(temp)
        fill(db)
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('stamp', ?)", (json.dumps(stamp),))
        db.commit()
        db.close()
        os.replace(temp, path)
    except (OSError, sqlite3.Error):
        temp.unlink(missing_ok=True)
        return None
    except BaseException:
        # Interrupted (Ctrl-C) or failed: never leave a half-built file behind.
        temp.unlink(missing_ok=True)
        raise
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
