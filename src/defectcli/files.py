"""Files written safely: the index in the cache, exports, pictures and metadata.

Every file is created new (``O_CREAT | O_EXCL | O_NOFOLLOW``: never one that was there,
never through a link), written through the descriptor that made it, checked to be still the
file this process made, and only then moved onto its name with ``os.replace``, which is
atomic: a reader sees the old file or the new one, never half of one, and no one can swap in
a file of their own meanwhile. A process killed half-way (SIGKILL, a power cut) leaves its
partial file under a name of its own, removed by a later run once it is a day old.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, TextIO

from .errors import ExportError

if TYPE_CHECKING:
    from pathlib import Path

# ``tempfile``, ``shutil`` and ``pathlib`` are imported where a file is written: the index's
# freshness check, on every warm run, imports this module and writes nothing.

# Partial files: an export being written, or what a killed one left.
PARTIAL_PREFIX = ".defect-export-"
PARTIAL_SUFFIX = ".partial"
STALE_AFTER_S = 86_400  # a day: no write takes that long, so nothing still running is removed


def reason(error: OSError) -> str:
    return error.strerror or str(error)


def check_target(
    output: str, force: bool, *, folder: bool = False, what: str = "export"
) -> os.stat_result | None:
    """What is at ``output`` now (``os.lstat``: a link, not what it points to), or None;
    ``ExportError`` when it may not be replaced: anything without ``force``; a device, a
    pipe or a socket (or a link to one, such as /dev/stdout) even with it; a folder where a
    file is written, or a file where a folder is."""
    try:
        found = os.lstat(output)
    except FileNotFoundError:
        return None
    except OSError as error:  # a name too long, a folder on the way that cannot be read...
        raise ExportError(f"cannot write {output}: {reason(error)}") from None
    link = stat.S_ISLNK(found.st_mode)
    try:
        pointed: os.stat_result | None = os.stat(output) if link else found
    except OSError:
        pointed = None  # a dangling link, or a loop: replaced as the link it is
    if pointed is not None and not (stat.S_ISREG(pointed.st_mode) or stat.S_ISDIR(pointed.st_mode)):
        # A device, a pipe, a socket: the export would take its name and replace it (as
        # root, /dev/full or /dev/stdout itself), even with --force never what was meant.
        kinds = "file or folder" if what.endswith("export") else "file"
        raise ExportError(f"{output} is not a regular {kinds}; {what} writes only {kinds}s.")
    if not force:
        raise ExportError(f"{output} already exists; add --force to replace it.")
    if not link and stat.S_ISDIR(found.st_mode) != folder:
        kind = "a folder" if stat.S_ISDIR(found.st_mode) else "a file"
        raise ExportError(f"{output} is {kind}; {what} writes a {'folder' if folder else 'file'}.")
    return found


def mode_for(found: os.stat_result | None, folder: bool) -> int:
    """The permission bits of what replaces ``found``: its own (a link has none of its own
    that mean anything), else those of any new file or folder under the umask."""
    if found is not None and not stat.S_ISLNK(found.st_mode):
        return stat.S_IMODE(found.st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if folder else 0o666) & ~umask


def remove_stale(folder: str | Path, prefix: str, suffix: str) -> None:
    """Remove the user's partial files and folders in ``folder`` (named ``prefix``...
    ``suffix``) older than ``STALE_AFTER_S``: never finished, never used. Links are removed, never
    followed; another user's partial files are theirs to clean. Best effort."""
    import shutil  # here, not at the top: it brings bz2 and lzma, and only a clean-up needs it

    now = time.time()
    try:
        with os.scandir(folder) as scan:
            names = [e.name for e in scan if e.name.startswith(prefix) and e.name.endswith(suffix)]
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        with suppress(OSError):
            found = os.lstat(path)
            mine = not hasattr(os, "geteuid") or found.st_uid == os.geteuid()
            if not mine or now - found.st_mtime <= STALE_AFTER_S:
                continue
            if stat.S_ISDIR(found.st_mode):
                shutil.rmtree(path)
            else:
                os.unlink(path)


def create_new(path: str, mode: int) -> int:
    """A new file at ``path`` (never one that was there, never through a link), with
    exactly ``mode`` once made; its descriptor."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        _chmod(handle, path, mode)
    except BaseException:
        os.close(handle)
        raise
    return handle


def _chmod(handle: int, path: str, mode: int) -> None:
    if os.chmod in os.supports_fd:
        os.chmod(handle, mode)
    else:  # pragma: no cover - Windows: by name, the file is ours and new
        os.chmod(path, mode)


def publish(handle: int, written: str, target: str | Path) -> None:
    """Move ``written`` (open as ``handle``) onto ``target``, once sure it is still ours."""
    if not os.path.samestat(os.fstat(handle), os.lstat(written)):
        raise OSError(f"{written} was replaced while it was written")
    os.replace(written, target)


def write_through(target: Path, mode: int, write: Callable[[TextIO], object]) -> None:
    """A text file written through the descriptor ``mkstemp`` returned (a new file, made
    with ``O_EXCL``), beside ``target``, then moved onto it; nothing left on a failure."""
    import tempfile  # here: only a written file needs it, and it brings random and shutil

    handle, temp = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            write(stream)
            stream.flush()
            _chmod(stream.fileno(), temp, mode)
            publish(stream.fileno(), temp, target)
    except BaseException:
        remove_file(temp)
        raise


def write_text_file(path: str, text: str) -> None:
    """``text`` as the file ``path``, written and replaced as an export is (for pictures:
    ``--export-svg``, ``--export-html``, and datasette's metadata); ``check_target`` says
    first whether it may be. ``ExportError`` when it cannot be written."""
    found = None
    with suppress(FileNotFoundError):
        found = os.lstat(path)
    from pathlib import Path  # here: pathlib is not loaded on a run that writes nothing

    try:
        write_through(Path(path), mode_for(found, folder=False), lambda stream: stream.write(text))
    except OSError as error:  # no permission, a full disk, a folder gone meanwhile...
        raise ExportError(f"cannot write {path}: {reason(error)}") from None


def remove_file(path: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)
