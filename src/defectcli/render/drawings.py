"""Saved terminal drawings: a card drawn once is printed again without drawing it.

Rich lays out a card such as Thae Yong Ho's (nearly 300 lines) in about 20 ms, twice what
the rest of a warm ``show`` costs, and a lookup tool is asked for the same card again and
again. So the text Rich produced (escape codes included) is kept in the cache folder, under
a key made of everything that shapes it:

- the request (``show`` and the name as typed), and the output's format and row limit;
- the index it was drawn from: its file and its build (a rebuilt index, after any change to
  a data file, is another build, so a drawing of old data is never found);
- the console: width, height, colour system, encoding, terminal or not, and the rest of
  what Rich passes to every renderable (all of which Rich works out from the environment);
- the code: defectcli's version, and the size, times and inode of every module file of
  defectcli and of Rich (an upgrade, or an edit in a checkout, is another key), and Python's
  version.

The key is written at the top of the saved file and compared in full, so two keys that share
a file name (a 64-bit checksum) only cost a drawing. Saving is best effort: a cache that
cannot be written just means the card is drawn every time.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..cache import cache_dir

if TYPE_CHECKING:
    from rich.console import Console

    from .context import Output

# Bump when the saved files change shape.
DRAWING_FORMAT = 1
# At most this many drawings are kept; past it, the least recently used half goes.
MAX_DRAWINGS = 256


def folder() -> str:
    return os.path.join(cache_dir(), "drawings")


def print_drawing(
    out: Output,
    index: str | None,
    request: Sequence[str],
    draw: Callable[[Console], None],
) -> None:
    """Draw with ``draw`` on ``out``'s console, or print the saved drawing of the same
    ``request`` on the same ``index`` (``Catalog.identity()``; None for an index that is
    not on disk, which is drawn every time)."""
    console = out.console()
    # Legacy Windows consoles are drawn through the win32 API, not as text; a notebook
    # displays the segments themselves.
    if index is None or console.legacy_windows or console.is_jupyter:
        draw(console)
        return
    # How many rows a drawn list shows depends on the output, not only on the console
    # (a table on a terminal stops at 200 rows; --format table into a file does not).
    key = drawing_key(console, index, (*request, f"format={out.format}", f"rows={out.row_limit}"))
    text = _load(key)
    if text is None:
        with console.capture() as captured:
            draw(console)
        text = captured.get()
        _save(key, text)
    # What Rich itself does with a drawing: write it as one string, then flush.
    out.stream.write(text)
    out.stream.flush()


def drawing_key(console: Console, index: str, request: Sequence[str]) -> str:
    """One line of JSON naming everything the drawing depends on."""
    options = console.options
    shape = {
        "width": console.width,
        "height": console.height,
        "color_system": console.color_system,
        "no_color": console.no_color,
        "is_terminal": console.is_terminal,
        "is_dumb_terminal": console.is_dumb_terminal,
        "encoding": console.encoding,
        "tab_size": console.tab_size,
        "soft_wrap": console.soft_wrap,
        # What every renderable is handed (sizes, justification, overflow, markup...).
        "options": repr(options),
    }
    return json.dumps(
        {
            "format": DRAWING_FORMAT,
            "request": list(request),
            "index": index,
            "console": shape,
            "code": code_stamp(),
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def code_stamp() -> str:
    """Python's version, and a checksum of every module file of defectcli and Rich."""
    import zlib

    import rich

    from .. import __version__

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stamps: list[str] = []
    for top in (package, os.path.dirname(os.path.abspath(rich.__file__))):
        _module_stamps(top, stamps)
    data = "\n".join(stamps).encode()
    return f"{__version__} {sys.version} {zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _module_stamps(folder: str, into: list[str]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:  # a zip import: no files; the version still counts
        return
    for entry in entries:
        if entry.name == "__pycache__":
            continue
        if entry.is_dir(follow_symlinks=False):
            _module_stamps(entry.path, into)
        elif entry.name.endswith(".py"):
            found = entry.stat()
            into.append(f"{entry.path} {found.st_size} {found.st_mtime_ns} {found.st_ino}")


def _path(key: str) -> str:
    import zlib

    data = key.encode()
    return os.path.join(folder(), f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.txt")


def _load(key: str) -> str | None:
    path = _path(key)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            stored_key = handle.readline()
            if stored_key != key + "\n":
                return None
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    # Recently used: kept when the folder is trimmed. A cache this user may read but not
    # write (shared, or read-only) still serves the drawing.
    with contextlib.suppress(OSError):
        os.utime(path)
    return text


def _save(key: str, text: str) -> None:
    """Write the drawing beside its final name, then move it into place (atomic: a
    concurrent run reads the whole file or none)."""
    path = _path(key)
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # Readable by this user only, as the index is (mkstemp): a card of a private
        # dataset is as private as the dataset.
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(key + "\n")
            handle.write(text)
        os.replace(temp, path)
        _trim(os.path.dirname(path))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _trim(where: str) -> None:
    """Past ``MAX_DRAWINGS`` drawings, remove the least recently used half: drawings of data
    that has since changed are never read again, and would otherwise pile up. Temporary
    files more than a day old (a run killed between writing and renaming) go too."""
    import time

    with os.scandir(where) as scan:
        entries = list(scan)
    saved = [e for e in entries if e.name.endswith(".txt")]
    day_ago = time.time_ns() - 86_400 * 10**9
    stale = [e for e in entries if e.name.endswith(".tmp") and e.stat().st_mtime_ns < day_ago]
    if len(saved) > MAX_DRAWINGS:
        saved.sort(key=lambda e: e.stat().st_mtime_ns)
        stale += saved[: len(saved) - MAX_DRAWINGS // 2]
    for entry in stale:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
