"""Linux's inotify, through ctypes: the kernel queues one event for every change made in a
watched folder, at the moment the change is made (in the system call that makes it).

The standard library has no binding, and the part the watcher needs is four calls; a
package would bring a thread and callbacks we do not want. Only on Linux: ``available()``
says whether this system has it.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
from collections.abc import Iterator
from typing import NamedTuple

# From <sys/inotify.h>.
IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_UNMOUNT = 0x00002000
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = os.O_CLOEXEC

# What happens to a watched folder itself rather than to an entry in it.
SELF_EVENTS = IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED
# Every way an entry's name, content, size, times, mode or inode can change.
ENTRY_EVENTS = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
)

_HEADER = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows


class Event(NamedTuple):
    wd: int  # the watch it belongs to; -1 for a queue overflow
    mask: int
    name: str  # the entry's name in the watched folder; "" for the folder itself


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "inotify_init1"):
        return None
    libc.inotify_init1.argtypes = [ctypes.c_int]
    libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
    libc.inotify_rm_watch.argtypes = [ctypes.c_int, ctypes.c_int]
    return libc


def available() -> bool:
    return _libc() is not None


def _checked(result: int) -> int:
    if result < 0:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))
    return result


class Inotify:
    """One inotify instance: a file descriptor to add watches to and read events from."""

    def __init__(self) -> None:
        libc = _libc()
        if libc is None:
            raise OSError("inotify is not available on this system")
        self._libc = libc
        self.fd = _checked(libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC))

    def add_watch(self, path: str, mask: int) -> int:
        return _checked(self._libc.inotify_add_watch(self.fd, os.fsencode(path), mask))

    def rm_watch(self, wd: int) -> None:
        # EINVAL: the kernel already dropped it (its folder was deleted); nothing to do.
        self._libc.inotify_rm_watch(self.fd, wd)

    def read(self) -> Iterator[Event]:
        """Every event queued now, without waiting for more."""
        while True:
            try:
                buffer = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            offset = 0
            while offset < len(buffer):
                wd, mask, _cookie, length = _HEADER.unpack_from(buffer, offset)
                offset += _HEADER.size
                raw = buffer[offset : offset + length].rstrip(b"\0")
                offset += length
                yield Event(wd, mask, os.fsdecode(raw))

    def close(self) -> None:
        os.close(self.fd)
