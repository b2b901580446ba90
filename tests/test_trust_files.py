"""File-system faults are the user's to fix, not bugs: a symbolic-link loop, a folder or file
that cannot be read, a name too long, a pipe or device where a data file is expected, an
I/O error. Each is ``path: reason`` on stderr and exit 1 in every command (validate and
export too), never exit 70 and never a traceback; a cache folder that cannot be used is
worked around in memory.

Found by an adversarial trial: a link loop in the data folder (even under a name that is
not a data file), an unreadable data folder or file (as a normal user), a link to a file
the user may not read, all ended as "internal error" (exit 70).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MINI
from defectcli.index import cache
from test_trust_users import OTHER_UID, defect_as_other_user, run_defect, shared_folder

COMMANDS = [
    ["list"],
    ["show", "alpha-tester"],
    ["quotes"],
    ["search", "tester"],
    ["timeline"],
    ["sources"],
    ["stats"],
    ["count", "--by", "country"],
    ["cite", "test-news"],
]


def run(data: Path, args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """``defect --data DATA ARGS`` (``validate DATA`` for validate, ``export`` to a file)."""
    if args[0] == "validate":
        return run_defect(["validate", str(data), *args[1:]], env)
    return run_defect(["--data", str(data), *args], env)


def refused(result: tuple[int, str, str], line: str) -> None:
    code, out, err = result
    assert code == 1, (code, out, err)
    assert line in err.splitlines(), err
    assert "internal error" not in err and "Traceback" not in err


ALL = [*COMMANDS, ["validate"], ["export", "-f", "json", "-o", "-"]]


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DEFECT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_SAID", set())
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.mark.parametrize("warm", [False, True], ids=["first-run", "index-built"])
@pytest.mark.parametrize("args", ALL, ids=lambda a: a[0])
def test_a_link_loop_named_like_a_data_file(data: Path, args: list[str], warm: bool) -> None:
    if warm:
        assert run(data, ["list"])[0] == 0
    loop = data / "people" / "loop.yaml"
    loop.symlink_to(loop.name)
    refused(
        run(data, args), f"{data}/people/loop.yaml: cannot read: Too many levels of symbolic links"
    )


@pytest.mark.parametrize("args", ALL, ids=lambda a: a[0])
def test_a_link_loop_under_another_name_is_not_data(data: Path, args: list[str]) -> None:
    (data / "people" / "loop").symlink_to("loop")
    (data / "sources" / "a").symlink_to("b")
    (data / "sources" / "b").symlink_to("a")
    code, _, err = run(data, args)
    assert code == 0, err
    if args[0] == "validate":
        assert f"{data}/people/loop; {data}/sources/a; {data}/sources/b" in err  # not read


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("warm", [False, True], ids=["first-run", "index-built"])
def test_a_pipe_or_a_device_where_a_data_file_is_expected(data: Path, warm: bool) -> None:
    if warm:
        assert run(data, ["list"])[0] == 0
    os.mkfifo(data / "people" / "pipe.yaml")
    (data / "sources" / "device.yaml").symlink_to(os.devnull)
    (data / "events" / "gone.yaml").symlink_to("nowhere.yaml")
    with _no_hanging():
        for args in ALL:
            code, _, err = run(data, args)
            assert code == 1 and "internal error" not in err, (args, err)
            assert err.splitlines()[:3] == [
                f"{data}/people/pipe.yaml: not a regular file (a named pipe)",
                f"{data}/sources/device.yaml: not a regular file (a device)",
                f"{data}/events/gone.yaml: not a regular file (a broken symbolic link)",
            ], args


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_as_the_dataset(tmp_path: Path) -> None:
    pipe = tmp_path / "data.yaml"
    os.mkfifo(pipe)
    with _no_hanging():
        for args in (["list"], ["validate"]):
            refused(run(pipe, args), f"{pipe}: not a regular file or folder (a named pipe)")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_data_file_swapped_for_a_pipe_is_not_waited_on(tmp_path: Path) -> None:
    """A file listed as data and replaced by a pipe before it is read: opening it for
    reading would wait forever for a writer."""
    from defectcli.dataset.load import load_file
    from defectcli.dataset.locate import DataFile

    pipe = tmp_path / "person.yaml"
    os.mkfifo(pipe)
    with _no_hanging():
        loaded, problems = load_file(DataFile("person", str(pipe), pipe, "people/person.yaml"))
    assert loaded is None
    assert [str(p) for p in problems] == [f"{pipe}: not a regular file (a named pipe)"]


@pytest.mark.parametrize("args", [["list"], ["validate"], ["export", "-f", "json", "-o", "-"]])
def test_a_name_too_long(tmp_path: Path, args: list[str]) -> None:
    long = tmp_path / ("x" * 300)
    refused(run(long, args), f"{long}: File name too long")


def test_an_io_error_reading_a_data_file(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.open
    bad = str(data / "people" / "beta-tester.yaml")

    def failing(path: object, *args: object, **kwargs: object) -> int:
        if os.fspath(path) == bad:  # type: ignore[arg-type]
            raise OSError(errno.EIO, "Input/output error", bad)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", failing)
    for args in (["list"], ["validate"]):
        refused(run(data, args), f"{bad}: cannot read: Input/output error")


def test_an_io_error_anywhere_else_is_path_and_reason(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last line of defence: whatever file-system fault gets past the checks that name
    it is still ``path: reason`` and exit 1."""
    from defectcli.render import emit

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error", "/some/where")

    monkeypatch.setattr(emit, "write", failing)
    refused(run(data, ["list"]), "Error: /some/where: Input/output error")


@pytest.mark.parametrize("where", ["a-file/cache", "/proc/self/defect-cache"])
def test_a_cache_folder_that_cannot_be_used_is_worked_around(
    data: Path, tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    folder = where if where.startswith("/") else str(tmp_path / where)
    code, out, err = run(data, ["list", "--json"], env={"DEFECT_CACHE_DIR": folder})
    assert code == 0 and err == ""
    assert [p["id"] for p in json.loads(out)] == ["alpha-tester", "beta-tester"]


# --- as a user without root's rights -----------------------------------------------------


@pytest.fixture
def theirs() -> Iterator[Path]:
    """A dataset and a cache folder of the second user's, in a folder both can reach."""
    with shared_folder(0o755) as shared:
        data = shared / "data"
        shutil.copytree(MINI, data)
        (shared / "cache").mkdir(mode=0o700)
        for path in (shared / "cache", data, *data.rglob("*")):
            os.chown(path, OTHER_UID, OTHER_UID, follow_symlinks=False)
        yield data


def their_run(
    data: Path, args: list[str], warm_up: list[str] | None = None
) -> tuple[int, str, str]:
    env = {"DEFECT_CACHE_DIR": str(data.parent / "cache"), "HOME": str(data.parent)}
    if args[0] == "validate":
        return defect_as_other_user(["validate", str(data), *args[1:]], env)
    warm = None if warm_up is None else ["--data", str(data), *warm_up]
    return defect_as_other_user(["--data", str(data), *args], env, warm)


@pytest.mark.parametrize("warm", [False, True], ids=["first-run", "index-built"])
@pytest.mark.parametrize("args", [["list"], ["validate"], ["export", "-f", "json", "-o", "-"]])
def test_an_unreadable_data_folder(theirs: Path, args: list[str], warm: bool) -> None:
    if warm:
        assert their_run(theirs, ["list"])[0] == 0
    (theirs / "people").chmod(0)
    refused(their_run(theirs, args), f"{theirs}/people: cannot read the folder: Permission denied")


def test_an_unreadable_dataset(theirs: Path) -> None:
    theirs.chmod(0)
    for args in (["list"], ["validate"]):
        code, _, err = their_run(theirs, args)
        assert code == 1 and "Permission denied" in err and "internal error" not in err, err


@pytest.mark.parametrize("args", [["list"], ["validate"], ["show", "alpha"]])
def test_an_unreadable_data_file(theirs: Path, args: list[str]) -> None:
    (theirs / "people" / "beta-tester.yaml").chmod(0)
    refused(
        their_run(theirs, args),
        f"{theirs}/people/beta-tester.yaml: cannot read: Permission denied",
    )


def test_a_link_to_a_file_the_user_may_not_read(theirs: Path, tmp_path: Path) -> None:
    secret = theirs.parent / "secret.yaml"
    secret.write_text("id: secret\n", encoding="utf-8")
    secret.chmod(0o600)  # root's
    link = theirs / "people" / "secret.yaml"
    link.symlink_to(secret)
    os.lchown(link, OTHER_UID, OTHER_UID)
    for args in (["list"], ["validate"]):
        refused(their_run(theirs, args), f"{link}: cannot read: Permission denied")
    private = theirs.parent / "private"
    private.mkdir(mode=0o700)  # root's: the link cannot even be followed
    (private / "x.yaml").write_text("id: x\n", encoding="utf-8")
    link.unlink()
    link.symlink_to(private / "x.yaml")
    refused(their_run(theirs, ["list"]), f"{link}: cannot read: Permission denied")


class _Hung(Exception):
    pass


class _no_hanging:
    """Fail instead of waiting forever (a pipe opened for reading waits for a writer)."""

    def __enter__(self) -> None:
        def hung(signum: int, frame: object) -> None:
            raise _Hung("waited on a pipe")

        self.previous = signal.signal(signal.SIGALRM, hung)
        signal.alarm(20)

    def __exit__(self, *args: object) -> None:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


def test_an_export_or_picture_into_a_folder_the_user_may_not_write(theirs: Path) -> None:
    folder = theirs.parent / "roots"
    folder.mkdir(mode=0o755)  # root's: the second user may read it, not write in it
    rehearsal = theirs.parent / "rehearsal"
    rehearsal.mkdir()
    for args, name in (
        (["export", "-f", "json", "-o"], "out.json"),
        (["export", "-f", "sqlite", "-o"], "out.sqlite"),
        (["export", "-f", "csv", "-o"], "tables"),
        (["stats", "--export-svg"], "out.svg"),
    ):
        target = folder / name
        refused(
            their_run(theirs, [*args, str(target)], [*args, str(rehearsal / name)]),
            f"Error: cannot write {target}: Permission denied",
        )
    assert list(folder.iterdir()) == []
