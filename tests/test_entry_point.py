"""A few real runs of the installed ``defect`` command: entry point, pipes, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BIN, DEFECT, INSTALLED, ROOT

pytestmark = pytest.mark.skipif(INSTALLED is None, reason="the defect command is not installed")


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEFECT_DATA", "FORCE_COLOR"}}
    environ.update(env)
    return subprocess.run([DEFECT, *args], capture_output=True, text=True, env=environ, check=False)


def test_the_command_runs_the_code_of_this_checkout(tmp_path: Path) -> None:
    """The runs below start the installed ``defect``; a copy installed before src/ changed
    would let them pass on old code. The package that command imports is src/ itself (an
    editable install) or a copy of it, file for file: else reinstall (``pip install .``)."""
    python = sys.executable if BIN.exists() else "python3"  # the interpreter next to it
    where = subprocess.run(
        [python, "-c", "import defectcli, pathlib; print(pathlib.Path(defectcli.__file__).parent)"],
        capture_output=True, text=True, cwd=tmp_path, check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )  # fmt: skip
    installed = Path(where.stdout.strip())
    src = ROOT / "src" / "defectcli"
    ours = {p.relative_to(src) for p in src.rglob("*.py")}
    theirs = {p.relative_to(installed) for p in installed.rglob("*.py")}
    assert theirs == ours, f"{installed} is not this checkout's code: reinstall it"
    stale = [str(n) for n in sorted(ours) if (installed / n).read_bytes() != (src / n).read_bytes()]
    assert not stale, f"{installed} holds older copies of {stale}: reinstall it"


def test_entry_point_runs_from_another_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [DEFECT, "list", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0
    assert any(p["id"] == "thae-yong-ho" for p in json.loads(result.stdout))


def test_pipe_output_is_plain_lines() -> None:
    result = run("list")
    assert result.returncode == 0 and result.stderr == ""
    assert "\x1b" not in result.stdout
    assert all(line.count("\t") == 9 for line in result.stdout.splitlines())


def test_exit_codes() -> None:
    assert run("show", "Thae").returncode == 0
    missing = run("show", "Nobody Atall")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert run("list", "--year", "abc").returncode == 2
    assert run("list", "--country", "Atlantis").returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ("quotes", "--format", "plain"),  # more than a pipe's buffer: fails while writing
        ("--version",),  # Click flushes its one line at once
        ("list", "--country", "Italy", "--json"),  # fits the buffer: fails when flushed at exit
    ],
)
def test_closed_pipe_is_quiet(args: tuple[str, ...]) -> None:
    # `defect quotes | head -0`: the reader leaves before the first line is written (the
    # process is still starting up when we close our end); no traceback, nothing on stderr,
    # and exit 0 (the command did its work; the reader has what it wanted) however far it
    # got.
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen(
        [DEFECT, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**environ, "COLUMNS": "80"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=30) == 0
    assert err == ""


def test_a_reader_that_leaves_midway_gets_the_same_quiet_exit() -> None:
    """`defect sources --json | head -1`: the output is larger than a pipe holds, so the
    reader leaves while defect still writes: as when it leaves before the first line, no
    message and exit 0 (it was 0 this way with Click 8.5, 1 with older Clicks, and 1 when
    the reader left before the last flush)."""
    proc = subprocess.Popen(
        [DEFECT, "sources", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline() == b"[\n"
    proc.stdout.close()
    assert proc.wait(timeout=30) == 0
    assert proc.stderr.read() == b""
    whole = run("sources", "--json")
    assert whole.returncode == 0 and len(whole.stdout.encode()) > 1 << 16  # > a pipe's 64 KiB


def test_a_failure_keeps_its_status_when_the_reader_is_gone() -> None:
    """A closed pipe is not a licence to report success: `show` of nobody still exits 1."""
    proc = subprocess.Popen(
        [DEFECT, "show", "Nobody Atall", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    assert proc.wait(timeout=30) == 1
    assert "No person matches" in proc.stderr.read().decode()


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_an_output_without_unicode_gets_escapes_not_a_crash(encoding: str) -> None:
    """PYTHONIOENCODING=ascii (or a C locale, or a Windows code page in a pipe): Hangul
    stopped every command with an internal error and no output. Now the characters the
    encoding lacks are JSON-style escapes, JSON reads back the same, and one note says why."""
    utf8 = run("show", "Thae", "--json", PYTHONIOENCODING="utf-8")
    narrow = subprocess.run(
        [DEFECT, "show", "Thae", "--json"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        check=False,
    )
    assert narrow.returncode == 0
    narrow.stdout.decode(encoding)  # nothing outside the encoding was written
    assert json.loads(narrow.stdout.decode(encoding)) == json.loads(utf8.stdout)
    assert narrow.stderr.decode().count("Note: the output's encoding") == 1
    plain = subprocess.run(
        [DEFECT, "show", "Thae", "--format", "plain"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        check=False,
    )
    assert plain.returncode == 0
    assert "\\ud0dc\\uc601\\ud638" in plain.stdout.decode(encoding)  # 태영호


# The console script flushes its output itself before Python's exit (to report a failed
# flush); the rest of Python's exit must still happen: atexit functions run, output is
# whole, statuses are kept, and a thread still running is waited for.
EXIT_SCRIPT = """
import atexit, sys, threading, time
atexit.register(lambda: print("atexit ran", file=sys.stderr))
if sys.argv[1] == "thread":
    def late(): time.sleep(0.3); print("thread finished", file=sys.stderr, flush=True)
    threading.Thread(target=late).start()
sys.argv = ["defect", *sys.argv[2:]]
from defectcli.entry import main
main()
"""


@pytest.mark.parametrize(
    ("mode", "args", "status"),
    [
        # Less than a pipe's buffer: all of it is still in memory when the command returns.
        ("plain", ("list", "--country", "Italy", "--json"), 0),
        ("plain", ("show", "Nobody Atall"), 1),
        ("plain", ("list", "--limit", "x"), 2),
        ("thread", ("list", "--country", "Italy", "--json"), 0),
    ],
)
def test_the_exit_keeps_what_pythons_exit_does(
    mode: str, args: tuple[str, ...], status: int
) -> None:
    # Buffered output, as on most machines (PYTHONUNBUFFERED would write it all at once).
    environ = {k: v for k, v in os.environ.items() if k not in {"DEFECT_DATA", "PYTHONUNBUFFERED"}}
    result = subprocess.run(
        [sys.executable, "-c", EXIT_SCRIPT, mode, *args],
        capture_output=True,
        text=True,
        env=environ,
        check=False,
    )
    assert result.returncode == status, result.stderr
    # After the thread, as in Python's own exit.
    assert result.stderr.endswith("atexit ran\n")
    assert ("thread finished\natexit ran" in result.stderr) == (mode == "thread")
    if status == 0:
        whole = run(*args)
        assert result.stdout == whole.stdout and json.loads(result.stdout)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    "args",
    [
        ("list", "--country", "Italy", "--json"),  # written when flushed at exit
        ("quotes", "--format", "plain"),  # more than a buffer: written while it runs
    ],
)
def test_a_full_disk_is_reported_not_ignored(args: tuple[str, ...]) -> None:
    # Output that cannot be written whole is a failure with a message, never success
    # (the console script flushes before Python's exit) nor an "internal error".
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [DEFECT, *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize(
    "args", [("list",), ("show", "Thae", "--json"), ("stats",), ("cite", "thae")]
)
def test_a_closed_standard_output_is_an_error_not_a_crash(args: tuple[str, ...]) -> None:
    # `defect list >&-`: Python starts with sys.stdout None; this was an "internal error".
    result = subprocess.run(
        [DEFECT, *args],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the output: standard output is closed\n"


def _on_a_terminal(*args: str, **env: str) -> bytes:
    """What ``defect ARGS`` writes to a pseudo-terminal (read while it writes: a card is
    larger than the terminal's buffer)."""
    import pty
    import threading

    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    environ = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    # No pager (test_ux_pager.py tests it): what the terminal itself shows.
    environ.update({"COLUMNS": "90", "TERM": "xterm-256color", "DEFECT_PAGER": "cat", **env})
    result = subprocess.run([DEFECT, *args], stdout=slave, env=environ, check=False)
    os.close(slave)
    reader.join(timeout=30)
    os.close(master)
    assert result.returncode == 0
    return b"".join(chunks)


def _link_ids_out(drawn: bytes) -> bytes:
    """A drawing without the numbers Rich gives its hyperlinks at random each run."""
    import re

    return re.sub(rb"\x1b]8;id=[0-9]+;", b"\x1b]8;id=N;", drawn)


def test_a_card_on_a_terminal_is_the_same_from_the_index_or_memory(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    drawn = _link_ids_out(_on_a_terminal("show", "Thae", DEFECT_CACHE_DIR=cache))
    assert b"\x1b[" in drawn and "태영호".encode() in drawn
    assert _link_ids_out(_on_a_terminal("show", "Thae", DEFECT_CACHE_DIR=cache)) == drawn
    assert _link_ids_out(_on_a_terminal("show", "Thae", DEFECT_NO_CACHE="1")) == drawn
    assert not (tmp_path / "cache" / "drawings").exists()  # no saved output of any kind
