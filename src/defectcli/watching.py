"""An optional watcher of a dataset folder, so that warm runs skip the stat of every file.

Every warm run checks that the index is fresh with one stat a data file (``cache.py``):
about 0.4 s at 100,000 files, most of a ``show``. Git meets the same cost on large work
trees with a file-system monitor (``core.fsmonitor``): a background process that the
kernel tells of every change. This is that, for one dataset folder, started on request
(``defect watch start``) and never on its own.

How it stays correct. The watcher (one process a dataset, ``python -m defectcli.watching``)
counts every change the kernel reports in the folder and its people/, sources/, events/
and statistics/ folders (Linux's inotify queues the event inside the system call that makes
the change, so any change made before a question is counted by the time it is answered).
A run asks ``get``: if nothing changed since a run last told it the files' fingerprint, the
watcher answers that fingerprint, and the run compares it with the index's as it would
compare its own stats. Otherwise it answers ``stale N`` (N: changes seen so far), the run
stats every file as usual and tells the watcher ``put N FINGERPRINT``; the watcher keeps it
only if it has still seen N changes, that is, if nothing changed while the run looked.
Both messages carry the folders' device and inode numbers, so a folder swapped by renaming
a parent (which tells the old folder's watcher nothing) is never vouched for.

What it cannot see, as with git's monitor: writes through a memory map, and changes made by
another machine on a network file system (the watcher refuses to start on one). It stops
vouching while a data file is a symbolic link, has a second hard link, or is a mount point
(changes through the other path reach another folder's watchers), and it stops after an
hour without a question (``--idle``). When anything goes wrong (no watcher, no answer
within two seconds, a reply it does not expect) a run makes the full check: the watcher can
save time, never change an answer.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .cache import watcher_socket
from .dataset.locate import DATA_SUFFIXES, FOLDER_KINDS

if TYPE_CHECKING:
    import socket

# A Unix socket's path holds at most 107 bytes on Linux.
_MAX_SOCKET_PATH = 107
ANSWER_TIMEOUT_S = 2.0
DEFAULT_IDLE_MINUTES = 60
_ANOTHER_RUNS = b"another"  # what a watcher says when another holds its lock
# File systems whose changes can come from another machine, which inotify never hears of.
_REMOTE_FILE_SYSTEMS = {
    "9p",
    "afs",
    "ceph",
    "cifs",
    "davfs",
    "fuse",
    "glusterfs",
    "gpfs",
    "lustre",
    "ncpfs",
    "nfs",
    "nfs4",
    "smb3",
    "smbfs",
    "sshfs",
}


def folder_identity(root: str) -> str:
    """The device and inode of the dataset folder and of each folder data is read from
    ("-" for one that is missing): five stats, whatever the number of files."""
    parts = []
    for name in ("", *FOLDER_KINDS):
        try:
            found = os.stat(os.path.join(root, name) if name else root)
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{found.st_dev}:{found.st_ino}")
    return ",".join(parts)


def ask(where: str, request: str) -> str | None:
    """The watcher's one-line answer to ``request``; None when none answers in time.

    Through ``_socket``, the C module under ``socket``: it loads in 0.4 ms, ``socket``
    in 2.9 ms (it brings ``selectors``), and this runs before every warm query."""
    import _socket

    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        connection.settimeout(ANSWER_TIMEOUT_S)
        connection.connect(where)
        connection.sendall(request.encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = connection.recv(4096)
            if not chunk:
                return None
            answer += chunk
        return answer.decode().strip()
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        connection.close()


def fingerprint(key: str, root: str, compute: Callable[[], str | None]) -> str | None:
    """The fingerprint of the files in ``root``: the watcher's, when one is running and
    has seen no change since it was last told, else ``compute()`` (which the watcher is
    then told, for the next run). Called only when the watcher's socket exists, so that
    runs with no watcher load nothing of this module (``query._fresh_index``)."""
    where = watcher_socket(key)
    identity = folder_identity(root)
    answer = ask(where, f"get {identity}")
    if answer is None:
        return compute()
    word, _, rest = answer.partition(" ")
    if word == "fresh" and rest:
        return rest
    current = compute()
    # Kept by the watcher only if it saw no change since this run's "get" and watches the
    # folders ``identity`` names; a later run asking with other folders is not answered.
    if word == "stale" and current is not None:
        ask(where, f"put {rest} {identity} {current}")
    return current


def read_mounts() -> str:
    """The text of /proc/self/mounts (empty where there is none)."""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="surrogateescape") as mounts:
            return mounts.read()
    except OSError:
        return ""


def mount_points(mounts: str) -> Iterator[tuple[str, str]]:
    """Each mount point in ``mounts`` (the text of /proc/self/mounts), with its type."""
    import re

    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            # The kernel writes a space in a path as \040, a tab as \011, and so on.
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
            yield point, fields[2]


def file_system_of(path: str, mounts: str) -> str | None:
    """The type of the innermost mount in ``mounts`` holding ``path``, if it is a network
    (or FUSE) file system, where changes made from another machine are never reported."""
    best, kind = "", ""
    for point, point_kind in mount_points(mounts):
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, point_kind
    return kind if kind.split(".")[0] in _REMOTE_FILE_SYSTEMS else None


# -- the watcher process ------------------------------------------------------------------


def _matters(name: str) -> bool:
    """Whether a change to this entry can change a fingerprint: a data file, or one of the
    folders data is read from (any other name is never read)."""
    return name in FOLDER_KINDS or name.endswith(DATA_SUFFIXES)


class Watcher:
    """The state of one watched dataset folder: its watches, the changes counted, and the
    fingerprint a run told it (kept only while nothing changes)."""

    def __init__(self, root: str) -> None:
        from .inotify import Inotify

        self.root = root
        self.inotify = Inotify()
        self.folders: dict[int, int] = {}  # watch -> an open descriptor of its folder
        self.data_folders: list[int] = []  # the descriptors of those data is read from
        self.identity = ""
        self.changes = 0
        # Whether the watches were set on the folders the paths name now, since the last
        # change (a folder created or swapped needs a new watch).
        self.current = False
        self.vouched: tuple[str, str] | None = None  # identity, fingerprint
        self.refused = ""  # why the files cannot be vouched for, until the next change
        self.started = time.time()
        self.questions = 0

    def rewatch(self) -> bool:
        """Watch the folders the paths name now; False when the dataset folder is gone."""
        from .inotify import ENTRY_EVENTS, IN_ONLYDIR

        folders: dict[int, int] = {}
        data_folders: list[int] = []
        parts = []
        for name in ("", *FOLDER_KINDS):
            path = os.path.join(self.root, name) if name else self.root
            try:
                fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            except OSError:
                if not name:
                    return False
                parts.append("-")
                continue
            try:
                # Through the descriptor, so the watch is on exactly the folder whose
                # device and inode are recorded, whatever the path names meanwhile.
                wd = self.inotify.add_watch(f"/proc/self/fd/{fd}", ENTRY_EVENTS | IN_ONLYDIR)
            except OSError:
                os.close(fd)
                parts.append("?")  # never equal to a run's identity: no vouching
                continue
            found = os.fstat(fd)
            if wd in folders:  # one folder under two names (a link): keep one descriptor
                os.close(fd)
                fd = folders[wd]
            else:
                folders[wd] = fd
            if name:
                data_folders.append(fd)
            parts.append(f"{found.st_dev}:{found.st_ino}")
        for wd, fd in self.folders.items():
            if wd not in folders:
                self.inotify.rm_watch(wd)
            os.close(fd)
        self.folders = folders
        self.data_folders = data_folders
        self.identity = ",".join(parts)
        return True

    def drain(self) -> None:
        """Count every change the kernel has queued."""
        for event in self.inotify.read():
            if event.wd == -1 or (
                event.wd in self.folders and (not event.name or _matters(event.name))
            ):
                self.changes += 1
                self.current = False
                self.vouched = None
                self.refused = ""

    def answer(self, request: str) -> str:
        words = request.split()
        self.drain()
        if words[:1] == ["get"] and len(words) == 2:
            self.questions += 1
            if self.vouched is not None and self.vouched[0] == words[1]:
                return f"fresh {self.vouched[1]}"
            # Folders swapped by renaming a parent tell the old ones' watches nothing:
            # a question about other folders than those watched moves the watches too.
            if not self.current or words[1] != self.identity:
                if not self.rewatch():
                    raise _Gone
                self.drain()
                self.current = True
            return f"stale {self.changes}"
        if words[:1] == ["put"] and len(words) == 4:
            return "ok"
        if words == ["status"]:
            return json.dumps(self.status())
        if words == ["stop"]:
            return "ok"
        return "error unknown request"

    def accept(self, request: str) -> None:
        """After answering a ``put``: keep its fingerprint if nothing changed since the
        ``get`` it follows and every data file can be watched."""
        words = request.split()
        if words[:1] != ["put"] or len(words) != 4:
            return
        changes, identity, current = words[1:]
        if not (changes == str(self.changes) and identity == self.identity) or self.refused:
            return  # (refused: nothing changed since the files were looked at)
        refused = self._unwatchable()
        self.drain()
        if changes != str(self.changes):
            return
        if refused:
            self.refused = refused
            return
        self.vouched = (identity, current)

    def _unwatchable(self) -> str:
        """Why a change to some data file could escape the watches: empty when none can.
        One stat a file, here in the watcher, after the run that asked has its answer."""
        import stat

        # A file mounted over a data file (a bind mount) is changed under its own parent:
        # this folder's watch hears nothing, and its device may be the same.
        inside = tuple(os.path.realpath(os.path.join(self.root, k)) + "/" for k in FOLDER_KINDS)
        for point, _ in mount_points(read_mounts()):
            if point.startswith(inside):
                return f"{point} is a mount point"
        for fd in self.data_folders:
            folder = os.fstat(fd)
            with os.scandir(fd) as entries:
                for entry in entries:
                    if not entry.name.endswith(DATA_SUFFIXES):
                        continue
                    if entry.is_symlink():
                        return f"{entry.name} is a symbolic link"
                    found = entry.stat(follow_symlinks=False)
                    if not stat.S_ISREG(found.st_mode):
                        continue
                    if found.st_nlink > 1:
                        return f"{entry.name} has another hard link"
                    if found.st_dev != folder.st_dev:
                        return f"{entry.name} is a mount point"
        return ""

    def status(self) -> dict[str, object]:
        return {
            "root": self.root,
            "pid": os.getpid(),
            "started": self.started,
            "changes": self.changes,
            "questions": self.questions,
            "vouching": self.vouched is not None,
            "refused": self.refused,
        }

    def close(self) -> None:
        for fd in self.folders.values():
            os.close(fd)
        self.folders = {}
        self.inotify.close()


class _Gone(Exception):
    """The dataset folder no longer exists: the watcher ends."""


def serve(key: str, root: str, idle_s: float) -> int:
    """The watcher process: prints "ready" once it listens, then answers until it is told
    to stop, has had no question for ``idle_s`` seconds, or its folder is gone."""
    import contextlib
    import fcntl
    import select
    import signal
    import socket

    where = watcher_socket(key)
    os.makedirs(os.path.dirname(where), exist_ok=True)
    lock = open(_lock_path(where), "a")  # noqa: SIM115  # held for life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print(_ANOTHER_RUNS.decode(), flush=True)
        return 3
    watcher = Watcher(root)
    if not watcher.rewatch():
        print(f"no such folder: {root}", file=sys.stderr)
        return 1
    watcher.current = True
    if os.path.exists(where):
        os.unlink(where)  # left by a watcher that was killed; the lock says none runs
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o077)  # only this user may ask
    try:
        server.bind(where)
    finally:
        os.umask(previous)
    server.listen(16)
    bound = os.stat(where).st_ino
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    print("ready", flush=True)
    # From now on nobody reads what this process would print.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    last = time.monotonic()
    try:
        while True:
            wait = idle_s - (time.monotonic() - last)
            if wait <= 0:
                return 0
            readable, _, _ = select.select([server.fileno(), watcher.inotify.fd], [], [], wait)
            if watcher.inotify.fd in readable:
                watcher.drain()
            if server.fileno() not in readable:
                continue
            connection, _ = server.accept()
            with connection:
                connection.settimeout(ANSWER_TIMEOUT_S)
                request = _read_line(connection)
                try:
                    reply = watcher.answer(request)
                except _Gone:
                    return 0
                with contextlib.suppress(OSError):  # the asker gave up waiting
                    connection.sendall(reply.encode() + b"\n")
            last = time.monotonic()
            if request.strip() == "stop":
                return 0
            watcher.accept(request)
    finally:
        try:
            if os.stat(where).st_ino == bound:
                os.unlink(where)
        except OSError:
            pass
        server.close()
        watcher.close()
        lock.close()


def _read_line(connection: socket.socket) -> str:
    data = b""
    try:
        while not data.endswith(b"\n") and len(data) < 4096:
            chunk = connection.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        return ""
    return data.decode(errors="replace").strip()


# -- starting, asking and stopping, for ``defect watch`` -----------------------------------


class WatchError(Exception):
    """The watcher could not be started (the message says why)."""


def status(key: str) -> dict[str, object] | None:
    """What the watcher of this dataset reports, or None when none is running."""
    where = watcher_socket(key)
    if not os.path.exists(where):
        return None
    answer = ask(where, "status")
    if answer is None:
        return None
    try:
        found = json.loads(answer)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def start(key: str, root: str, idle_minutes: float) -> dict[str, object]:
    """Start a watcher of ``root`` in the background (or find the one running) and return
    its status."""
    import subprocess

    from . import inotify

    if not inotify.available():
        raise WatchError("watching needs Linux's inotify, which this system does not have")
    remote = file_system_of(root, read_mounts())
    if remote is not None:
        raise WatchError(
            f"{root} is on a {remote} file system: changes made from another machine "
            "would never be seen"
        )
    where = watcher_socket(key)
    if len(os.fsencode(where)) > _MAX_SOCKET_PATH:
        raise WatchError(f"the cache folder's path is too long for a socket: {where}")
    running = status(key)
    if running is not None:
        if running.get("root") != root:
            raise WatchError(f"the socket {where} belongs to a watcher of {running.get('root')}")
        return running
    process = subprocess.Popen(
        [sys.executable, "-m", "defectcli.watching", key, root, str(idle_minutes * 60)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # not stopped by the terminal's hang-up or Ctrl-C
        cwd="/",
    )
    assert process.stdout is not None and process.stderr is not None
    said = process.stdout.readline().strip()
    process.stdout.close()
    problem = process.stderr.read().decode(errors="replace").strip()
    process.stderr.close()
    process.wait()  # the first process only: the watcher is its child, and lives on
    if said != b"ready":
        if said == _ANOTHER_RUNS:
            # Another start won the race: its watcher answers once it listens.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                running = status(key)
                if running is not None:
                    return running
                time.sleep(0.02)
        raise WatchError(problem or "the watcher did not start")
    running = status(key)
    if running is None:
        raise WatchError("the watcher started but does not answer")
    return running


def stop(key: str) -> bool:
    """Stop this dataset's watcher; False when none was running."""
    where = watcher_socket(key)
    if not os.path.exists(where):
        return False
    if ask(where, "stop") is None:
        if _alive(where):
            raise WatchError(f"the watcher does not answer; its socket is {where}")
        os.unlink(where)  # left by a watcher that was killed
        return False
    # It removes its socket and lets go of its lock as it ends: wait for that, so that a
    # start right after finds no watcher.
    deadline = time.monotonic() + ANSWER_TIMEOUT_S
    while (os.path.exists(where) or _alive(where)) and time.monotonic() < deadline:
        time.sleep(0.01)
    return True


def _lock_path(where: str) -> str:
    return where[: -len(".sock")] + ".lock"


def _alive(where: str) -> bool:
    """Whether a watcher holds the lock beside the socket ``where`` (it does for life)."""
    import fcntl

    try:
        handle = open(_lock_path(where), "a")  # noqa: SIM115  # closed below
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        return False


if __name__ == "__main__":
    # Forked once more, so that the process that started it can wait for this one (no
    # zombie, no warning of a child still running) while the watcher goes on in the child.
    if os.fork() > 0:
        os._exit(0)
    sys.exit(serve(sys.argv[1], sys.argv[2], float(sys.argv[3])))
