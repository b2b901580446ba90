"""Exports (and pictures) that no one can redirect: written through the descriptor of a file
made new for them, moved into place whole; an existing file keeps its permission bits; a
link is replaced as a link, never written through; a killed export's partial file has a
name to know it by and is cleaned up later; --export-svg and --export-html replace a file
only with --force.

Found by an adversarial trial: ``export`` unlinked its ``mkstemp`` file and reopened the
name without ``O_EXCL``, so another user in a shared folder won the race and the owner's
``--force`` export overwrote a third file; ``--force`` onto a 0600 file left it 0644; a
SIGKILL left hidden partial files forever; the pictures replaced files without asking.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import pytest

from conftest import MINI, ROOT, Invoke
from defectcli.export import writers as export
from test_trust_users import OTHER_UID, as_other_user, shared_folder

FILE_FORMATS = ["json", "ndjson", "sqlite"]


def partials(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(".defect-export-"))


@pytest.mark.parametrize("fmt", FILE_FORMATS)
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_a_replaced_file_keeps_its_permission_bits(
    invoke: Invoke, tmp_path: Path, fmt: str, mode: int
) -> None:
    target = tmp_path / f"out.{fmt}"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    result = invoke("export", "-f", fmt, "-o", str(target), "--force")
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() != b"old"
    assert partials(tmp_path) == []


def test_a_new_file_is_as_open_as_any_new_file(invoke: Invoke, tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        for fmt in FILE_FORMATS:
            assert invoke("export", "-f", fmt, "-o", str(tmp_path / fmt)).exit_code == 0
    finally:
        os.umask(old)
    for fmt in FILE_FORMATS:  # not mkstemp's 0600
        assert stat.S_IMODE((tmp_path / fmt).stat().st_mode) == 0o640, fmt


def test_a_replaced_csv_folder_keeps_its_bits_and_its_files_theirs(
    invoke: Invoke, tmp_path: Path
) -> None:
    folder = tmp_path / "tables"
    assert invoke("export", "-f", "csv", "-o", str(folder)).exit_code == 0
    folder.chmod(0o750)
    (folder / "people.csv").chmod(0o600)
    assert invoke("export", "-f", "csv", "-o", str(folder), "--force").exit_code == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    assert stat.S_IMODE((folder / "people.csv").stat().st_mode) == 0o600
    assert partials(tmp_path) == []


@pytest.mark.parametrize("fmt", [*FILE_FORMATS, "csv"])
def test_a_link_is_replaced_as_a_link_never_written_through(
    invoke: Invoke, tmp_path: Path, fmt: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    mine = elsewhere / ("thesis" if fmt == "csv" else "thesis.txt")
    if fmt == "csv":
        mine.mkdir()
        (mine / "chapter.txt").write_text("precious", encoding="utf-8")
    else:
        mine.write_text("precious", encoding="utf-8")
    link = tmp_path / "out"
    link.symlink_to(mine)
    refused = invoke("export", "-f", fmt, "-o", str(link))
    assert refused.exit_code == 1 and "--force" in refused.stderr
    result = invoke("export", "-f", fmt, "-o", str(link), "--force")
    assert result.exit_code == 0, result.stderr
    assert not link.is_symlink()
    assert link.is_dir() if fmt == "csv" else link.is_file()
    if fmt == "csv":
        assert (mine / "chapter.txt").read_text(encoding="utf-8") == "precious"
        assert sorted(os.listdir(mine)) == ["chapter.txt"]
    else:
        assert mine.read_text(encoding="utf-8") == "precious"
    assert partials(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_link_to_a_pipe_or_device_is_never_replaced(invoke: Invoke, tmp_path: Path) -> None:
    # /dev/stdout is such a link: as root, replacing it would replace it for everyone.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout"
    link.symlink_to(fifo)
    for args in (["export", "-f", "json", "-o"], ["list", "--force", "--export-svg"]):
        result = invoke(*args, str(link), "--force")
        assert result.exit_code == 1 and "not a regular file" in result.stderr, result.stderr
        assert link.is_symlink() and stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_name_too_long_is_a_clear_error(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / ("x" * 300)
    result = invoke("export", "-f", "json", "-o", str(target))
    assert result.exit_code == 1
    assert f"cannot write {target}: File name too long" in result.stderr
    picture = invoke("stats", "--export-svg", str(target))
    assert picture.exit_code == 1 and "File name too long" in picture.stderr


# --- partial files ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "sqlite", "csv"])
def test_a_killed_export_leaves_a_partial_file_that_a_later_export_removes(
    tmp_path: Path, fmt: str
) -> None:
    """SIGKILL in the middle of writing: nothing can clean up then. What is left has a
    name to know it by, and the next export into the folder removes it once a day old."""
    writer = {"json": "_write_json", "sqlite": "_sqlite", "csv": "_csv_folder"}[fmt]
    program = (
        "import os, signal, sys\n"
        "from defectcli.export import writers as export\n"
        f"real = export.{writer}\n"
        "def killed(*args):\n"
        "    real(*args)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        f"export.{writer} = killed\n"
        "sys.argv = ['defect', 'export', '-f', sys.argv[1], '-o', sys.argv[2]]\n"
        "from defectcli.cli import main\n"
        "main()\n"
    )
    env = {**os.environ, "DEFECT_DATA": str(MINI)}
    done = subprocess.run(
        [sys.executable, "-c", program, fmt, str(tmp_path / "out")],
        env=env,
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    left = partials(tmp_path)
    assert len(left) == 1 and left[0].endswith(".partial"), os.listdir(tmp_path)
    assert not (tmp_path / "out").exists()
    runner_env = {"DEFECT_DATA": str(MINI)}
    from click.testing import CliRunner

    from defectcli.cli import cli

    def export_again(name: str) -> None:
        result = CliRunner().invoke(cli, ["export", "-f", "json", "-o", str(tmp_path / name)],
                                    env=runner_env, catch_exceptions=False)  # fmt: skip
        assert result.exit_code == 0, result.stderr

    export_again("next.json")
    assert partials(tmp_path) == left  # less than a day old: it may be an export under way
    day_ago = time.time() - 2 * 86_400
    os.utime(tmp_path / left[0], (day_ago, day_ago))
    export_again("later.json")
    assert partials(tmp_path) == []


def test_only_the_users_own_stale_partials_are_removed(invoke: Invoke, tmp_path: Path) -> None:
    day_ago = time.time() - 2 * 86_400
    elsewhere = tmp_path / "precious"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("kept", encoding="utf-8")
    names = {
        "old-file": ".defect-export-a1.partial",
        "old-folder": ".defect-export-b2.partial",
        "old-link": ".defect-export-c3.partial",
        "fresh": ".defect-export-d4.partial",
        "someone-elses": ".defect-export-e5.partial",
        "not-ours-by-name": ".defect-export-f6.txt",
    }
    (tmp_path / names["old-file"]).write_text("half", encoding="utf-8")
    (tmp_path / names["old-folder"]).mkdir()
    (tmp_path / names["old-folder"] / "people.csv").write_text("half", encoding="utf-8")
    (tmp_path / names["old-link"]).symlink_to(elsewhere)
    (tmp_path / names["fresh"]).write_text("under way", encoding="utf-8")
    (tmp_path / names["someone-elses"]).write_text("theirs", encoding="utf-8")
    os.chown(tmp_path / names["someone-elses"], OTHER_UID, OTHER_UID)
    (tmp_path / names["not-ours-by-name"]).write_text("user's", encoding="utf-8")
    for key, name in names.items():
        if key != "fresh":
            os.utime(tmp_path / name, (day_ago, day_ago), follow_symlinks=False)
    assert invoke("export", "-f", "json", "-o", str(tmp_path / "out.json")).exit_code == 0
    assert partials(tmp_path) == sorted(
        [names["fresh"], names["someone-elses"], names["not-ours-by-name"]]
    )
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "kept"  # the link, not this


def test_an_export_is_written_under_a_partial_name(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = export._write_json

    def spy(catalog: Any, handle: TextIO) -> None:
        seen.extend(partials(tmp_path))
        real(catalog, handle)

    monkeypatch.setattr(export, "_write_json", spy)
    assert invoke("export", "-f", "json", "-o", str(tmp_path / "out.json")).exit_code == 0
    assert len(seen) == 1 and seen[0].endswith(".partial")


# --- the race, played by a second user -----------------------------------------------------


def _race(monkeypatch: pytest.MonkeyPatch, writer: str, attack: Callable[[], Any]) -> list[Any]:
    """Run ``attack`` as the second user while the owner's export is being written."""
    answers: list[Any] = []
    real = getattr(export, writer)

    def during(*args: Any) -> None:
        real(*args)
        answers.append(as_other_user(attack))

    monkeypatch.setattr(export, writer, during)
    return answers


@pytest.mark.parametrize("sticky", [True, False], ids=["sticky", "open-to-all"])
def test_another_user_cannot_redirect_an_export_in_a_shared_folder(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sticky: bool
) -> None:
    """The other user watches the shared folder, moves the owner's partial file away and
    puts a link to a third file of the owner's in its place. In a sticky folder (/tmp) that
    is refused; in a folder open to all it succeeds, and the owner's export then refuses to
    move a file it did not write."""
    third = tmp_path / "third.txt"
    third.write_text("the owner's third file", encoding="utf-8")
    with shared_folder(0o1777 if sticky else 0o777) as shared:
        target = shared / "out.json"
        target.write_text("old", encoding="utf-8")
        target.chmod(0o644)

        def swap() -> str:
            for name in os.listdir(shared):
                if name.startswith(".defect-export-"):
                    try:
                        os.rename(shared / name, shared / "stolen")
                    except PermissionError:
                        return "refused"
                    os.symlink(third, shared / name)
                    return "swapped"
            return "nothing to swap"

        answers = _race(monkeypatch, "_write_json", swap)
        result = invoke("export", "-f", "json", "-o", str(target), "--force")
        assert answers == ["refused" if sticky else "swapped"]
        assert third.read_text(encoding="utf-8") == "the owner's third file"
        if sticky:
            assert result.exit_code == 0, result.stderr
            assert json.loads(target.read_text(encoding="utf-8"))["people"]
        else:
            assert result.exit_code == 1 and "was replaced while it was written" in result.stderr
            assert target.read_text(encoding="utf-8") == "old"  # not the other user's file
        assert not target.is_symlink() and partials(shared) == []


def test_another_user_cannot_reach_an_sqlite_export_being_written(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    with shared_folder(0o777) as shared:

        def look_inside() -> list[str]:
            found = []
            for name in os.listdir(shared):
                if name.startswith(".defect-export-"):
                    try:
                        os.listdir(shared / name)
                        found.append("entered")
                    except PermissionError:
                        found.append("refused")
            return found

        answers = _race(monkeypatch, "_sqlite", look_inside)
        target = shared / "out.sqlite"
        assert invoke("export", "-f", "sqlite", "-o", str(target)).exit_code == 0
        assert answers == [["refused"]]
        with sqlite3.connect(target) as db:
            assert db.execute("SELECT count(*) FROM people").fetchone()[0] > 0


# --- pictures ----------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--export-svg", "--export-html"])
def test_a_picture_replaces_a_file_only_with_force(
    invoke: Invoke, tmp_path: Path, option: str
) -> None:
    target = tmp_path / "picture"
    target.write_text("precious", encoding="utf-8")
    target.chmod(0o600)
    refused = invoke("stats", option, str(target))
    assert refused.exit_code == 1 and refused.stdout == ""  # before any work
    assert f"{target} already exists; add --force to replace it." in refused.stderr
    assert target.read_text(encoding="utf-8") == "precious"
    result = invoke("stats", option, str(target), "--force")
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8") != "precious"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert partials(tmp_path) == []
    mine = tmp_path / "mine.txt"
    mine.write_text("kept", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(mine)
    assert invoke("stats", option, str(link), "--force").exit_code == 0
    assert not link.is_symlink() and mine.read_text(encoding="utf-8") == "kept"


def test_the_html_page_has_a_title_and_a_language(invoke: Invoke, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    assert invoke("list", "--export-html", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "<title>defect list</title>" in text
    assert "Thae Yong Ho" in text


def test_a_picture_carries_no_code_from_the_data(invoke: Invoke, tmp_path: Path) -> None:
    from test_trust_text import MINI_DATA, _with

    data = tmp_path / "hostile.json"
    hostile = "<script>alert(1)</script> \x1b]0;pwned\x07"
    data.write_text(json.dumps(_with(MINI_DATA, hostile)), encoding="utf-8")
    page, svg = tmp_path / "page.html", tmp_path / "page.svg"
    result = invoke(
        "--data", str(data), "list", "--export-html", str(page), "--export-svg", str(svg)
    )
    assert result.exit_code == 0, result.stderr
    for picture in (page, svg):
        text = picture.read_text(encoding="utf-8")
        assert "<script" not in text and "\x1b" not in text and "\x07" not in text
