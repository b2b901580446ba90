"""``defect watch``: a watcher may spare a run the stat of every file, never change its answer.

The watcher is a real background process here (``python -m defectcli.watching``), told of
changes by the kernel; each test stops the one it started.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, Invoke
from defectcli import cache, inotify, watching
from defectcli.query import dataset_key

pytestmark = pytest.mark.skipif(not inotify.available(), reason="needs Linux's inotify")


class Watched:
    """A dataset folder with a watcher running, and a way to ask it as a run would."""

    def __init__(self, root: Path) -> None:
        self.root = root
        _, self.folder, self.key = dataset_key(root)
        self.computed = 0  # how many times a run had to stat every file

    def fingerprint(self) -> str | None:
        """What a run takes as the files' fingerprint, counting the full checks."""

        def compute() -> str | None:
            self.computed += 1
            return cache.folder_fingerprint(self.folder)

        return watching.fingerprint(self.key, self.folder, compute)

    def vouched(self) -> bool:
        """Whether a run now gets the fingerprint without stat'ing every file (and, either
        way, that what it gets is the files' true fingerprint)."""
        before = self.computed
        assert self.fingerprint() == cache.folder_fingerprint(self.folder)
        return self.computed == before

    def status(self) -> dict[str, object]:
        found = watching.status(self.key)
        assert found is not None
        return found


def _stop_all(key: str) -> None:
    found = watching.status(key)
    watching.stop(key)
    if found is not None:  # it said it stopped; make sure, so no process outlives the test
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(str(found["pid"])), signal.SIGKILL)


@pytest.fixture
def watched(mini_copy: Path, invoke: Invoke) -> Iterator[Watched]:
    started = invoke("--data", str(mini_copy), "watch", "start")
    assert started.exit_code == 0, started.output
    result = Watched(mini_copy)
    yield result
    _stop_all(result.key)


def _person(root: Path, name: str = "beta-tester") -> Path:
    return root / "people" / f"{name}.yaml"


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_start_status_stop(invoke: Invoke, mini_copy: Path) -> None:
    data = ["--data", str(mini_copy)]
    assert invoke(*data, "watch", "status").exit_code == 1
    started = invoke(*data, "watch", "start")
    try:
        assert started.exit_code == 0, started.output
        assert f"Watching {mini_copy}" in started.stdout
        status = json.loads(invoke(*data, "watch", "status", "--json").stdout)
        assert status["watching"] is True and status["root"] == str(mini_copy)
        # `watch start` made the first full check: the next run is answered at once.
        assert status["vouching"] is True
        again = invoke(*data, "watch", "start")  # one watcher a dataset
        assert again.exit_code == 0
        assert f"process {status['pid']}" in again.stdout
    finally:
        stopped = invoke(*data, "watch", "stop")
    assert stopped.exit_code == 0 and "Stopped watching" in stopped.stdout
    assert invoke(*data, "watch", "status").exit_code == 1
    assert "No watcher" in invoke(*data, "watch", "stop").stdout
    deadline = time.monotonic() + 5
    while not _ended(int(str(status["pid"]))) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _ended(int(str(status["pid"])))


def _ended(pid: int) -> bool:
    """Whether the process has exited (here, where it is a child of the test run, it may
    wait as a zombie until Python reaps it)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_a_watched_run_skips_the_check_and_answers_the_same(
    watched: Watched, invoke: Invoke
) -> None:
    assert watched.vouched()
    asked = int(str(watched.status()["questions"]))
    listed = invoke("--data", str(watched.root), "list", "--format", "json")
    assert watched.status()["questions"] == asked + 1  # the run asked the watcher
    _stop_all(watched.key)
    assert invoke("--data", str(watched.root), "list", "--format", "json").stdout == listed.stdout


def _edit_same_size_same_time(root: Path) -> None:
    """beta-tester defects in 2016 rather than 2018: same size, same modification time."""
    person = _person(root)
    before = person.stat()
    person.write_text(
        person.read_text(encoding="utf-8").replace('date: "2018"', 'date: "2016"'),
        encoding="utf-8",
    )
    os.utime(person, ns=(before.st_atime_ns, before.st_mtime_ns))


def _replace_people_folder(root: Path) -> None:
    shutil.copytree(root, root.with_name("copy"))
    _edit_same_size_same_time(root.with_name("copy"))
    (root / "people").rename(root / "people-old")
    root.with_name("copy").joinpath("people").rename(root / "people")


def _rename_into_data(root: Path) -> None:
    text = _person(root).read_text(encoding="utf-8").replace("beta-tester", "gamma-tester")
    (root / "people" / "gamma-tester.txt").write_text(text, encoding="utf-8")
    (root / "people" / "gamma-tester.txt").rename(root / "people" / "gamma-tester.yaml")


CHANGES: dict[str, Callable[[Path], object]] = {
    "edit, same size and time": _edit_same_size_same_time,
    "append": lambda root: _append(_person(root), "\n"),
    "touch": lambda root: os.utime(_person(root)),
    "chmod": lambda root: _person(root).chmod(0o600),
    "delete": lambda root: _person(root).unlink(),
    "rename out of data": lambda root: _person(root).rename(root / "people" / "beta.txt"),
    "rename into data": _rename_into_data,
    "people folder replaced": _replace_people_folder,
    "people folder removed": lambda root: shutil.rmtree(root / "people"),
    "events file edited": lambda root: _append(root / "events" / "test.yaml", "\n"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_is_seen(change: str, watched: Watched, invoke: Invoke) -> None:
    assert watched.vouched()
    before = invoke("--data", str(watched.root), "list", "--format", "json").stdout
    CHANGES[change](watched.root)
    assert not watched.vouched()  # the run checked every file again
    after = invoke("--data", str(watched.root), "list", "--format", "json")
    _stop_all(watched.key)
    unwatched = invoke("--data", str(watched.root), "list", "--format", "json")
    assert after.stdout == unwatched.stdout
    if change in {"edit, same size and time", "delete", "people folder replaced"}:
        assert after.stdout != before  # the answer itself changed, and the run saw it


def test_the_next_run_after_a_change_is_vouched_for_again(watched: Watched) -> None:
    _edit_same_size_same_time(watched.root)
    assert not watched.vouched()
    assert watched.vouched()


@pytest.mark.parametrize(
    "name", ["people/notes.txt", "people/.beta-tester.yaml.swp", "README.md", "index.sqlite"]
)
def test_files_that_are_never_read_do_not_cost_a_check(name: str, watched: Watched) -> None:
    assert watched.vouched()
    (watched.root / name).write_text("not data\n", encoding="utf-8")
    assert watched.vouched()


def test_a_change_while_a_run_checks_is_not_vouched_for(watched: Watched) -> None:
    where = cache.watcher_socket(watched.key)
    _edit_same_size_same_time(watched.root)  # makes the watcher stale
    identity = watching.folder_identity(watched.folder)
    answer = watching.ask(where, f"get {identity}")
    assert answer is not None and answer.startswith("stale ")
    seen = cache.folder_fingerprint(watched.folder)
    _append(_person(watched.root), "\n")  # after the run's stats, before its put
    assert watching.ask(where, f"put {answer.split()[1]} {identity} {seen}") == "ok"
    assert watching.ask(where, f"get {identity}") != f"fresh {seen}"
    assert not watched.vouched()


def test_a_put_from_before_another_runs_get_is_not_kept(watched: Watched) -> None:
    """Two runs overlap: the first one's stats, taken before a change the second one's
    question followed, are not what the files hold."""
    where = cache.watcher_socket(watched.key)
    _append(_person(watched.root), "\n")
    identity = watching.folder_identity(watched.folder)
    first = watching.ask(where, f"get {identity}")
    assert first is not None and first.startswith("stale ")
    seen = cache.folder_fingerprint(watched.folder)
    _append(_person(watched.root), "\n")
    second = watching.ask(where, f"get {identity}")
    assert second is not None and second.startswith("stale ") and second != first
    watching.ask(where, f"put {first.split()[1]} {identity} {seen}")
    assert watching.ask(where, f"get {identity}") != f"fresh {seen}"
    assert not watched.vouched()


def test_a_change_while_the_watcher_looks_for_links_is_not_vouched_for(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process: the watcher stats every data file after a run's "put"; a change made
    meanwhile keeps it from vouching for what the run saw."""
    watcher = watching.Watcher(str(mini_copy))
    try:
        identity = watching.folder_identity(str(mini_copy))
        answer = watcher.answer(f"get {identity}")
        assert answer.startswith("stale ")
        seen = cache.folder_fingerprint(str(mini_copy))
        put = f"put {answer.split()[1]} {identity} {seen}"
        assert watcher.answer(put) == "ok"
        looks = watcher._unwatchable

        def change_meanwhile() -> str:
            _append(_person(mini_copy), "\n")
            return looks()

        monkeypatch.setattr(watcher, "_unwatchable", change_meanwhile)
        watcher.accept(put)
        assert watcher.answer(f"get {identity}").startswith("stale ")
        monkeypatch.setattr(watcher, "_unwatchable", looks)  # and with no change, it does
        answer = watcher.answer(f"get {identity}")
        seen = cache.folder_fingerprint(str(mini_copy))
        put = f"put {answer.split()[1]} {identity} {seen}"
        watcher.accept(put)
        assert watcher.answer(f"get {identity}") == f"fresh {seen}"
    finally:
        watcher.close()


def test_a_folder_moved_in_where_there_was_none_is_seen(
    mini_copy: Path, invoke: Invoke, tmp_path: Path
) -> None:
    """Only the dataset folder's watch hears of it: nothing inside the new folder changes."""
    shutil.move(mini_copy / "events", tmp_path / "events")
    watched = Watched(mini_copy)
    assert invoke("--data", str(mini_copy), "watch", "start").exit_code == 0
    try:
        assert watched.vouched()
        shutil.move(tmp_path / "events", mini_copy / "events")
        assert not watched.vouched()
        assert watched.vouched()  # the new folder is watched too: runs are spared again
    finally:
        _stop_all(watched.key)


def test_a_lost_event_is_taken_as_a_change(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the kernel's queue overflows, the events it dropped could be any change."""
    watcher = watching.Watcher(str(mini_copy))
    try:
        identity = watching.folder_identity(str(mini_copy))
        answer = watcher.answer(f"get {identity}")
        seen = cache.folder_fingerprint(str(mini_copy))
        watcher.accept(f"put {answer.split()[1]} {identity} {seen}")
        assert watcher.answer(f"get {identity}") == f"fresh {seen}"
        overflow = [inotify.Event(-1, inotify.IN_Q_OVERFLOW, "")]
        monkeypatch.setattr(watcher.inotify, "read", lambda: iter(overflow))
        assert watcher.answer(f"get {identity}").startswith("stale ")
    finally:
        watcher.close()


def test_a_put_for_other_folders_is_not_kept(watched: Watched) -> None:
    where = cache.watcher_socket(watched.key)
    _edit_same_size_same_time(watched.root)
    identity = watching.folder_identity(watched.folder)
    answer = watching.ask(where, f"get {identity}")
    assert answer is not None
    other = identity.replace(identity.split(",")[0], "1:1", 1)
    watching.ask(where, f"put {answer.split()[1]} {other} 3-0-0")
    assert watching.ask(where, f"get {other}") != "fresh 3-0-0"
    assert watching.ask(where, f"get {identity}") != "fresh 3-0-0"


def test_a_folder_swapped_by_renaming_a_parent_is_not_vouched_for(
    tmp_path: Path, invoke: Invoke
) -> None:
    """The old folder's watcher hears nothing of a rename two levels up."""
    parent = tmp_path / "parent"
    shutil.copytree(MINI, parent / "data")
    watched = Watched(parent / "data")
    assert invoke("--data", str(watched.root), "watch", "start").exit_code == 0
    try:
        assert watched.vouched()
        shutil.copytree(parent, tmp_path / "other")
        _edit_same_size_same_time(tmp_path / "other" / "data")
        parent.rename(tmp_path / "parent-old")
        (tmp_path / "other").rename(parent)
        assert not watched.vouched()
        assert watched.vouched()  # the watches moved to the folders the path now names
        _edit_same_size_same_time(watched.root)  # and they hear of changes there
        assert not watched.vouched()
        assert (
            "beta-tester"
            in invoke(
                "--data", str(watched.root), "list", "--year", "2016", "--format", "json"
            ).stdout
        )
    finally:
        _stop_all(watched.key)


@pytest.mark.parametrize("kind", ["symbolic link", "hard link"])
def test_a_linked_data_file_is_never_vouched_for(
    kind: str, watched: Watched, tmp_path: Path
) -> None:
    """A change through the other path reaches another folder's watchers, not ours."""
    outside = tmp_path / "elsewhere.yaml"
    shutil.move(_person(watched.root), outside)
    if kind == "symbolic link":
        _person(watched.root).symlink_to(outside)
    else:
        os.link(outside, _person(watched.root))
    assert not watched.vouched()
    assert not watched.vouched()  # told the fingerprint, the watcher still refuses
    assert kind in str(watched.status()["refused"])
    _append(outside, "\n")  # through the other path: the watcher hears nothing
    assert not watched.vouched()


def _vouch(watcher: watching.Watcher, root: Path) -> bool:
    """A run's "get", full check and "put", in-process; then whether the next run is spared."""
    identity = watching.folder_identity(str(root))
    answer = watcher.answer(f"get {identity}")
    if answer.startswith("fresh "):
        return True
    seen = cache.folder_fingerprint(str(root))
    watcher.accept(f"put {answer.split()[1]} {identity} {seen}")
    return watcher.answer(f"get {identity}") == f"fresh {seen}"


def test_a_file_mounted_over_a_data_file_is_never_vouched_for(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bind mount's changes are reported under its source's folder, whatever the device."""
    person = _person(mini_copy, "alpha-tester")
    mounts = f"/dev/sda1 / ext4 rw 0 0\n/dev/sda1 {person} ext4 rw,bind 0 0\n"
    monkeypatch.setattr(watching, "read_mounts", lambda: mounts)
    watcher = watching.Watcher(str(mini_copy))
    try:
        assert not _vouch(watcher, mini_copy)
        assert "mount point" in watcher.refused
        looked = []
        monkeypatch.setattr(watcher, "_unwatchable", lambda: looked.append(1) or "")
        assert not _vouch(watcher, mini_copy)  # refused until a change: not looked at again
        assert looked == []
    finally:
        watcher.close()


def test_links_and_mounts_outside_the_data_folders_do_not_matter(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes.yaml").write_text("x: 1\n", encoding="utf-8")
    (mini_copy / "notes.yaml").symlink_to(tmp_path / "notes.yaml")  # never read
    mounts = f"/dev/sda1 / ext4 rw 0 0\ntmpfs {mini_copy}/people-archive tmpfs rw 0 0\n"
    monkeypatch.setattr(watching, "read_mounts", lambda: mounts)
    watcher = watching.Watcher(str(mini_copy))
    try:
        assert _vouch(watcher, mini_copy)
    finally:
        watcher.close()


def test_a_killed_watcher_leaves_runs_unharmed(watched: Watched, invoke: Invoke) -> None:
    pid = int(str(watched.status()["pid"]))
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while not _ended(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert os.path.exists(cache.watcher_socket(watched.key))  # the socket is left behind
    _edit_same_size_same_time(watched.root)
    assert not watched.vouched()
    listed = invoke("--data", str(watched.root), "list", "--year", "2016", "--format", "json")
    assert "beta-tester" in listed.stdout
    assert invoke("--data", str(watched.root), "watch", "status").exit_code == 1
    restarted = invoke("--data", str(watched.root), "watch", "start")
    assert restarted.exit_code == 0, restarted.output
    assert watched.vouched()


def test_the_watcher_stops_when_idle(invoke: Invoke, mini_copy: Path) -> None:
    data = ["--data", str(mini_copy)]
    assert invoke(*data, "watch", "start", "--idle", "0.01").exit_code == 0  # 0.6 s
    key = dataset_key(mini_copy)[2]
    deadline = time.monotonic() + 10
    while os.path.exists(cache.watcher_socket(key)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(cache.watcher_socket(key))
    assert invoke(*data, "watch", "status").exit_code == 1


def test_the_watcher_stops_when_its_folder_is_gone(watched: Watched) -> None:
    shutil.rmtree(watched.root)
    deadline = time.monotonic() + 5
    while os.path.exists(cache.watcher_socket(watched.key)) and time.monotonic() < deadline:
        watching.ask(cache.watcher_socket(watched.key), "get -")
        time.sleep(0.05)
    assert not os.path.exists(cache.watcher_socket(watched.key))


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/share nfs4 rw,relatime 0 0
sshfs#me@host: /home/me/remote\\040box fuse.sshfs rw 0 0
tmpfs /mnt/share/scratch tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/me/data", None),
        ("/mnt/share", "nfs4"),
        ("/mnt/share/data", "nfs4"),
        ("/mnt/shared/data", None),  # beside the mount, not in it
        ("/mnt/share/scratch/data", None),  # a local mount inside the remote one
        ("/home/me/remote box/data", "fuse.sshfs"),  # the kernel writes the space as \040
    ],
)
def test_a_remote_file_system_is_found_by_the_innermost_mount(path: str, kind: str | None) -> None:
    assert watching.file_system_of(path, MOUNTS) == kind


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (MINI / "people" / "alpha-tester.yaml", "one-file dataset"),
        (MINI / "no-such-folder", "not a folder"),
    ],
)
def test_nothing_to_watch_is_a_usage_error(invoke: Invoke, target: Path, message: str) -> None:
    for action in ("start", "stop", "status"):
        result = invoke("--data", str(target), "watch", action)
        assert result.exit_code == 2
        assert message in result.stderr


def test_two_starts_at_once_make_one_watcher(mini_copy: Path) -> None:
    argv = [sys.executable, "-m", "defectcli", "--data", str(mini_copy), "watch", "start"]
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    try:
        said = [run.communicate(timeout=60)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0, 0]
        pids = {line.split("process ")[1] for line in said}
        assert len(pids) == 1, said
    finally:
        _stop_all(dataset_key(mini_copy)[2])


def test_the_installed_command_uses_the_watcher(mini_copy: Path) -> None:
    """The console script, as a user runs it: start, look up, stop."""
    defect = shutil.which("defect", path=os.path.dirname(sys.executable)) or "defect"
    data = ["--data", str(mini_copy)]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([defect, *data, *args], capture_output=True, text=True, timeout=60)

    try:
        assert run("watch", "start").returncode == 0
        shown = run("show", "Alpha Tester", "--format", "json")
        assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == "alpha-tester"
        status = json.loads(run("watch", "status", "--json").stdout)
        assert status["vouching"] is True and int(status["questions"]) >= 2
    finally:
        assert run("watch", "stop").returncode == 0


# A change to the dataset, picked by the property test below.
OPERATIONS = st.sampled_from(
    ["edit", "append", "touch", "create", "delete", "rename", "noop", "other file"]
)


def _operate(root: Path, operation: str, step: int) -> None:
    people = sorted((root / "people").glob("*.yaml"))
    person = people[step % len(people)] if people else None
    if operation == "create":
        shutil.copy(MINI / "people" / "beta-tester.yaml", root / "people" / f"p{step}.yaml")
    elif person is None or operation == "noop":
        return
    elif operation == "edit":
        before = person.stat()
        person.write_bytes(person.read_bytes()[::-1])
        os.utime(person, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif operation == "append":
        _append(person, "#\n")
    elif operation == "touch":
        os.utime(person)
    elif operation == "delete":
        person.unlink()
    elif operation == "rename":
        person.rename(root / "people" / f"r{step}.yaml")
    elif operation == "other file":
        (root / "people" / f"n{step}.txt").write_text("x", encoding="utf-8")


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.lists(OPERATIONS, max_size=3), min_size=1, max_size=8))
def test_a_run_always_gets_the_files_true_fingerprint(
    steps: list[list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever the changes between runs, a watched run's fingerprint is the one stat'ing
    every file gives (``Watched.vouched`` asserts it), and a run after no change is spared."""
    root = tmp_path_factory.mktemp("watched") / "data"
    shutil.copytree(MINI, root)
    watched = Watched(root)
    found = watching.start(watched.key, watched.folder, 1)
    try:
        assert found["root"] == watched.folder
        watched.fingerprint()
        for number, operations in enumerate(steps):
            for operation in operations:
                _operate(root, operation, number)
            spared = watched.vouched()
            if set(operations) <= {"noop", "other file"}:
                assert spared
    finally:
        _stop_all(watched.key)
