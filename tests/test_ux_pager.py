"""A pager, as git and gh have one (issue 26): output taller than the terminal goes through
$DEFECT_PAGER, else $PAGER, else `less -FRX`; never in a pipe or a file; colours kept.

Run through the installed ``defect`` on a real pseudo-terminal of a set size, with a pager
that is a small script recording what it is given.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import pytest

from conftest import DEFECT, INSTALLED

pytestmark = [
    pytest.mark.skipif(INSTALLED is None, reason="the defect command is not installed"),
    pytest.mark.skipif(sys.platform == "win32", reason="no pseudo-terminals"),
]

LONG = ("show", "Ri Il Gyu")  # some 370 lines at 90 columns
SHORT = ("list", "--year", "2018")  # 13 lines at 90 columns

RECORDER = """#!/bin/sh
# A pager that records what it is given, its arguments and $LESS, and shows nothing.
printf '%s\\n' "$*" > "{record}.args"
printf '%s\\n' "${{LESS-unset}}" > "{record}.less"
cat > "{record}"
"""


class Run:
    def __init__(self, status: int, shown: bytes, stderr: str) -> None:
        self.status, self.shown, self.stderr = status, shown, stderr


def _on_a_terminal(
    args: tuple[str, ...], env: dict[str, str], rows: int = 24, keys: bytes = b""
) -> Run:
    """``defect ARGS`` with its output on a pseudo-terminal ``rows`` high and 90 wide:
    its exit status, what the terminal shows, and stderr. ``keys`` are typed once the
    output starts (a real pager waits for them)."""
    import fcntl
    import pty
    import struct
    import termios

    terminal, their_end = pty.openpty()
    fcntl.ioctl(their_end, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 90, 0, 0))
    shown: list[bytes] = []

    def read() -> None:
        typed = False
        while True:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:  # the terminal closed
                return
            if not chunk:
                return
            shown.append(chunk)
            if keys and not typed:
                time.sleep(0.3)  # let the pager set the terminal up before it reads keys
                os.write(terminal, keys)
                typed = True

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "PAGER", "DEFECT_PAGER"}
    }
    environ.update({"TERM": "xterm-256color", **env})
    proc = subprocess.run(
        [DEFECT, *args],
        stdin=their_end,
        stdout=their_end,
        stderr=subprocess.PIPE,
        env=environ,
        timeout=60,
        check=False,
    )
    os.close(their_end)
    reader.join(timeout=10)
    os.close(terminal)
    return Run(proc.returncode, b"".join(shown), proc.stderr.decode())


@pytest.fixture
def recorder(tmp_path: Path) -> Path:
    """A pager script; what it was given lands in ``tmp_path / "paged"``."""
    script = tmp_path / "pager.sh"
    script.write_text(RECORDER.format(record=tmp_path / "paged"), encoding="utf-8")
    script.chmod(0o755)
    return script


def _paged(recorder: Path) -> bytes | None:
    record = recorder.parent / "paged"
    return record.read_bytes() if record.exists() else None


def _same_drawing(drawn: bytes) -> bytes:
    """A drawing on a terminal, as written to it (a pty adds a carriage return to each
    line end), without the numbers Rich gives its hyperlinks at random."""
    drawn = drawn.replace(b"\r\n", b"\n")
    return re.sub(rb"\x1b]8;id=[0-9]+;", b"\x1b]8;id=N;", drawn)


def test_a_long_card_goes_through_the_pager_whole_and_in_colour(recorder: Path) -> None:
    """Ri Il Gyu's card was 341 lines and scrolled past on a terminal."""
    paged = _on_a_terminal(LONG, {"DEFECT_PAGER": str(recorder)})
    assert paged.status == 0 and paged.stderr == ""
    assert paged.shown == b""  # all of it went to the pager
    given = _paged(recorder)
    assert given is not None
    direct = _on_a_terminal(LONG, {"DEFECT_PAGER": "cat"})
    assert direct.status == 0 and direct.shown.count(b"\n") > 300
    # The pager gets what the terminal would have shown, colours and hyperlinks included.
    assert _same_drawing(given) == _same_drawing(direct.shown)
    assert b"\x1b[1;36mRelated cases" in given and b"\x1b]8;id=" in given
    assert (recorder.parent / "paged.less").read_text() == "FRX\n"  # as git sets it


def test_output_that_fits_the_screen_is_not_paged(recorder: Path) -> None:
    short = _on_a_terminal(SHORT, {"DEFECT_PAGER": str(recorder)})
    assert short.status == 0 and _paged(recorder) is None
    assert b"Name" in short.shown and b" people" in short.shown
    assert short.shown.count(b"\n") < 24
    # The screen's height decides: the long card fits a terminal 600 lines high.
    tall = _on_a_terminal(LONG, {"DEFECT_PAGER": str(recorder)}, rows=600)
    assert tall.status == 0 and _paged(recorder) is None
    assert b"Ri Il Gyu" in tall.shown


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--no-pager", *LONG), {}),
        (LONG, {"DEFECT_PAGER": "cat"}),
        (LONG, {"DEFECT_PAGER": ""}),
        (LONG, {"DEFECT_PAGER": "cat", "PAGER": "{recorder}"}),  # DEFECT_PAGER comes first
        (LONG, {"PAGER": "cat"}),
    ],
    ids=["--no-pager", "DEFECT_PAGER=cat", "DEFECT_PAGER=", "cat-before-PAGER", "PAGER=cat"],
)
def test_the_pager_can_be_turned_off(
    recorder: Path, args: tuple[str, ...], env: dict[str, str]
) -> None:
    env = {k: v.format(recorder=recorder) for k, v in env.items()}
    env.setdefault("PAGER", str(recorder))  # what --no-pager and DEFECT_PAGER=cat overrule
    shown = _on_a_terminal(args, env)
    assert shown.status == 0 and _paged(recorder) is None
    assert shown.shown.count(b"\n") > 300


def test_pager_is_used_when_defect_pager_is_not_set(recorder: Path) -> None:
    run = _on_a_terminal(LONG, {"PAGER": f"{recorder} --from-pager"})
    assert run.status == 0 and run.shown == b""
    assert b"Ri Il Gyu" in (_paged(recorder) or b"")
    assert (recorder.parent / "paged.args").read_text() == "--from-pager\n"  # a shell command
    mine = _on_a_terminal(LONG, {"PAGER": "cat", "DEFECT_PAGER": f"{recorder} --mine", "LESS": "R"})
    assert mine.status == 0 and (recorder.parent / "paged.args").read_text() == "--mine\n"
    assert (recorder.parent / "paged.less").read_text() == "R\n"  # the reader's own is kept


@pytest.mark.parametrize("args", [LONG, ("show", "Ri Il Gyu", "--json"), ("cite", "Ri Il Gyu")])
def test_never_in_a_pipe_or_a_file(recorder: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    env = {**os.environ, "DEFECT_PAGER": str(recorder), "LINES": "5"}
    piped = subprocess.run([DEFECT, *args], capture_output=True, env=env, check=False)
    assert piped.returncode == 0 and len(piped.stdout.splitlines()) > 5
    assert _paged(recorder) is None
    with (tmp_path / "out.txt").open("wb") as file:
        saved = subprocess.run([DEFECT, *args], stdout=file, env=env, check=False)
    assert saved.returncode == 0 and (tmp_path / "out.txt").read_bytes() == piped.stdout
    assert _paged(recorder) is None


@pytest.mark.parametrize("args", [("show", "Ri Il Gyu", "--json"), ("cite", "Ri Il Gyu")])
def test_every_long_output_on_a_terminal_is_paged(recorder: Path, args: tuple[str, ...]) -> None:
    run = _on_a_terminal(args, {"DEFECT_PAGER": str(recorder)})
    assert run.status == 0 and run.shown == b""
    piped = subprocess.run([DEFECT, *args], capture_output=True, check=False)
    assert (_paged(recorder) or b"").replace(b"\r\n", b"\n") == piped.stdout


def test_a_pager_quit_early_ends_quietly(tmp_path: Path) -> None:
    """The reader quits the pager (`q`) before the end: exit 0, no message."""
    run = _on_a_terminal(LONG, {"DEFECT_PAGER": f"head -c 200 > {tmp_path / 'seen'}"})
    assert run.status == 0 and run.stderr == ""
    assert len((tmp_path / "seen").read_bytes()) == 200


def test_a_failure_is_not_paged_and_keeps_its_status(recorder: Path) -> None:
    run = _on_a_terminal(("show", "Nobody Atall"), {"DEFECT_PAGER": str(recorder)})
    assert run.status == 1 and "No person matches" in run.stderr
    assert _paged(recorder) is None


@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_the_default_pager_is_less(tmp_path: Path) -> None:
    """Neither DEFECT_PAGER nor PAGER: `less -FRX`, which waits for the reader's `q`."""
    run = _on_a_terminal(LONG, {}, keys=b"q")
    assert run.status == 0 and run.stderr == ""
    assert b"Ri Il Gyu" in run.shown
    assert run.shown.count(b"\n") < 40  # one screen, not the whole card


# --- the decision, without a terminal -------------------------------------------------------


class _Terminal:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "allowed", "less", "expected"),
    [
        ({}, True, True, "less -FRX"),
        ({}, True, False, None),  # no less installed: no pager
        ({"TERM": "dumb"}, True, True, None),
        ({"PAGER": "more"}, True, True, "more"),
        ({"PAGER": "more", "DEFECT_PAGER": "most -s"}, True, True, "most -s"),
        ({"PAGER": " cat "}, True, True, None),
        ({"DEFECT_PAGER": "bat"}, False, True, None),  # --no-pager
    ],
)
def test_pager_command(
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    allowed: bool,
    less: bool,
    expected: str | None,
) -> None:
    from defectcli.render import context

    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}" if less else None)
    stream = _Terminal()
    with click.Context(click.Command("x")) as ctx:
        ctx.meta[context.PAGER_ALLOWED] = allowed
        assert context.pager_command(stream, env) == expected  # type: ignore[arg-type]
    assert context.pager_command(stream, {"PAGER": "more"}) is None  # not under the CLI  # type: ignore[arg-type]


def test_lines_are_counted_as_the_screen_shows_them() -> None:
    from defectcli.render.context import _cells

    assert _cells("abc") == 3
    assert _cells("\x1b[1;36mNames\x1b[0m") == 5
    assert _cells("\x1b]8;id=1;https://a.org\x1b\\https://a.org\x1b]8;;\x1b\\") == 13
    assert _cells("리일규 x") == 8


# --- hyperlinks on a real terminal ------------------------------------------------------------


def test_addresses_are_hyperlinks_on_a_real_terminal_only() -> None:
    """OSC 8 around each source's address on a terminal; none with --color never, none in
    a pipe, whose plain text is as it was."""
    linked = _on_a_terminal(("show", "Thae Yong Ho"), {"DEFECT_PAGER": "cat"})
    address = b"https://www.theguardian.com/world/2016/aug/16/north-korean-diplomat-in-london"
    assert linked.status == 0
    assert re.search(rb"\x1b\]8;id=[0-9]+;" + re.escape(address) + rb"[^\x1b]*\x1b\\", linked.shown)
    # The address itself whole on one line (the terminal wraps it if it must).
    assert re.search(rb"\n +\x1b\]8;id=[0-9]+;[^\x1b]*\x1b\\" + re.escape(address), linked.shown)
    never = _on_a_terminal(("show", "Thae Yong Ho", "--color", "never"), {"DEFECT_PAGER": "cat"})
    assert never.status == 0 and b"\x1b" not in never.shown and address in never.shown
    piped = subprocess.run([DEFECT, "show", "Thae Yong Ho"], capture_output=True, check=False)
    assert piped.returncode == 0 and b"\x1b" not in piped.stdout and address in piped.stdout
