"""Text from data files never takes over the terminal; the process behaves in pipes,
under signals, in odd locales and at any width."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import DEFECT, MINI, Invoke, generate

MARKUP = "[bold red]not bold[/bold red]"
CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;pwned\x07"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
BIDI = "\u202eevil\u202c"
C1 = "\x9b31m"
HOSTILE = f"Alpha {MARKUP} {CLEAR}{TITLE}{CLIPBOARD} bell\x07 {BIDI} {C1} end"
RAW = ["\x1b", "\x07", "\u202e", "\u202c", "\x9b"]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The fictional dataset with hostile text in a name, a summary, a quote and a title."""
    target = tmp_path / "hostile"
    shutil.copytree(MINI, target)
    person = target / "people" / "alpha-tester.yaml"
    text = person.read_text(encoding="utf-8")
    escaped = json.dumps(HOSTILE)  # a YAML double-quoted string takes JSON escapes
    text = text.replace("name: Alpha Tester", f"name: {escaped}")
    text = text.replace(
        "summary: A fictional acting ambassador whose sources disagree on the year.",
        f"summary: {escaped}",
    )
    text = text.replace(
        '"We wanted our children to grow up free, and we made a decision."', escaped
    )
    person.write_text(text, encoding="utf-8")
    sources = target / "sources" / "test.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("A headline that never ran", escaped), encoding="utf-8")
    return target


COMMANDS = [
    ["list"],
    ["show", "alpha-tester"],
    ["quotes"],
    ["search", "Alpha"],
    ["timeline"],
    ["sources"],
    ["count", "--by", "country"],
]


@pytest.mark.parametrize("fmt", ["table", "plain", "markdown"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_human_output_neutralises_control_characters(
    invoke: Invoke, hostile: Path, fmt: str, args: list[str]
) -> None:
    wide = {"COLUMNS": "400"}  # so that a table cell does not wrap the markup apart
    result = invoke("--data", str(hostile), *args, "--format", fmt, "--color", "never", env=wide)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for raw in RAW:
        assert raw not in out, (fmt, args, repr(raw))
    if args[0] in {"list", "show", "search"}:
        assert "\\x1b" in out and "\\u202e" in out  # shown as visible escapes
    if args[0] in {"list", "show"}:
        assert MARKUP in out  # markup prints literally, it is not interpreted


def test_colour_output_adds_only_our_own_escapes(invoke: Invoke, hostile: Path) -> None:
    out = invoke("--data", str(hostile), "show", "alpha-tester", "--color", "always",
                 "--format", "table").stdout  # fmt: skip
    assert "\x1b[" in out  # our colours
    for raw in ("\x1b]0;", "\x1b]52;", "\x1b[2J", "\x07", "\u202e", "\x9b"):
        assert raw not in out


def test_json_carries_the_text_unchanged(invoke: Invoke, hostile: Path) -> None:
    people = json.loads(invoke("--data", str(hostile), "list", "--json").stdout)
    assert people[0]["name"] == HOSTILE
    profile = json.loads(invoke("--data", str(hostile), "show", "alpha-tester", "--json").stdout)
    assert profile["summary"] == HOSTILE
    assert any(q["text"] == HOSTILE for q in profile["quotes"])


def test_errors_neutralise_control_characters_too(invoke: Invoke, hostile: Path) -> None:
    result = invoke("--data", str(hostile), "show", "tester")  # ambiguous: lists the names
    assert result.exit_code == 1 and "\\x1b" in result.stderr
    for raw in RAW:
        assert raw not in result.stderr


def test_a_nul_character_in_a_search_is_a_separator(invoke: Invoke) -> None:
    # SQLite stops reading a full-text query at a NUL; found by the command-line fuzzer.
    alone = invoke("search", "\x00")
    assert alone.exit_code == 2 and "nothing to search for" in alone.stderr
    joined = invoke("quotes", "--search", "beggars\x00", "--format", "json")
    assert joined.exit_code == 0
    assert joined.stdout == invoke("quotes", "--search", "beggars", "--format", "json").stdout


def test_a_nul_character_in_a_data_path_is_an_error_not_a_traceback(invoke: Invoke) -> None:
    # No file can have such a name; found by the command-line fuzzer (`validate $'\x00'`).
    for args in (("validate", "\x00"), ("--data", "a\x00b", "list")):
        result = invoke(*args)
        assert result.exit_code == 1, args
        assert "embedded null byte" in result.stderr and "Traceback" not in result.stderr


# --- the process ----------------------------------------------------------------------------


def run(
    *args: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **(env or {})}
    return subprocess.run([DEFECT, *args], capture_output=True, text=True, env=environ,
                          check=False, **kwargs)  # type: ignore[call-overload]  # fmt: skip


def test_pipe_into_head_is_quiet() -> None:
    # A real shell pipeline, with enough output to fill the pipe after head exits: the
    # bundled bibliography in plain text is several times a pipe's 64 KiB.
    script = f'"{DEFECT}" sources --format plain | head -1'
    result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == ""
    whole = run("sources", "--format", "plain")
    assert len(whole.stdout.encode()) > 3 * 65536  # else head would not cut it short


DRAWN = (["show", "리일규", "--format", "table"], ["list", "--format", "table"],
         ["stats", "--format", "table"], ["list"])  # fmt: skip


def test_a_c_locale_prints_every_drawing() -> None:
    # A real process: the locale sets the interpreter's own output encoding, which an
    # in-process run does not have. (LC_ALL overrides LANG, so LANG=C adds nothing.)
    for args in DRAWN:
        result = run(*args, env={"LC_ALL": "C"}, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stdout.strip(), args


@pytest.mark.parametrize(
    "env",
    [{"TERM": "dumb"}, {"NO_COLOR": "1"}, {"COLUMNS": "20"}, {"COLUMNS": "300"}],
    ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()),
)
def test_widths_and_terminals(invoke: Invoke, env: dict[str, str]) -> None:
    for args in DRAWN:
        result = invoke(*args, env=env)
        assert result.exit_code == 0, (args, result.stderr)
        if "NO_COLOR" in env or "TERM" in env:
            assert "\x1b[" not in result.stdout


def _still_running(data: Path) -> list[int]:
    """Processes (a build's forked workers included) whose command line names ``data``."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if str(data).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


BIG = 600


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated people enough that a first build is still writing its index when the
    signal comes, and shows a progress bar on a terminal."""
    return generate(BIG, tmp_path_factory.mktemp("big") / "data")


def _interrupted_build(data: Path, cache: Path, sig: int) -> subprocess.CompletedProcess[bytes]:
    """Start a first build, send ``sig`` once it is writing the index (its temporary file
    has appeared: an event, not a guess at how long reading takes), and wait for the end.

    On a busy machine this process may not run again until the build has finished, and a
    signal sent after the end tells nothing: then the build is tried again, from a fresh cache
    (a build that ignored the signal would end with 0 every time, and fail the caller)."""
    for _ in range(3):
        done = _signal_a_build(data, cache, sig)
        if done.returncode != 0:
            return done
        shutil.rmtree(cache)
        cache.mkdir(mode=0o700)
    return done


def _signal_a_build(data: Path, cache: Path, sig: int) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "DEFECT_CACHE_DIR": str(cache)}
    before = set(cache.glob(".index-*.tmp")) if cache.exists() else set()
    proc = subprocess.Popen([DEFECT, "--data", str(data), "list", "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (set(cache.glob(".index-*.tmp")) - before if cache.exists() else set()):
        assert proc.poll() is None, "the build ended before it began writing the index"
        assert time.monotonic() < deadline, "no index was begun in a minute"
        time.sleep(0.002)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _list_json(data: Path, cache: Path) -> list[object]:
    env = {**os.environ, "DEFECT_CACHE_DIR": str(cache)}
    again = subprocess.run([DEFECT, "--data", str(data), "list", "--format", "json"],
                           capture_output=True, env=env, check=False)  # fmt: skip
    assert again.returncode == 0, again.stderr
    listed: list[object] = json.loads(again.stdout)
    return listed


def test_ctrl_c_exits_130_and_the_next_run_is_whole(big: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    done = _interrupted_build(big, cache, signal.SIGINT)
    assert done.returncode == 130, done.stderr
    assert b"Traceback" not in done.stderr
    assert _still_running(big) == []
    assert not list(cache.glob("*.tmp")) and not list(cache.glob(".*.tmp"))
    assert len(_list_json(big, cache)) == BIG


def test_sigterm_during_a_build_cleans_up(big: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    stale = cache / ".index-killed-long-ago.tmp"
    stale.write_bytes(b"half an index")
    os.utime(stale, (time.time() - 3 * 86_400,) * 2)
    done = _interrupted_build(big, cache, signal.SIGTERM)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert b"Traceback" not in done.stderr
    assert _still_running(big) == []
    assert len(_list_json(big, cache)) == BIG
    assert sorted(p.name for p in cache.iterdir() if p.name.startswith(".")) == []


def _read_to_the_end(terminal: int) -> bytes:
    """Everything written to a pty until the process on the other end closes it."""
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # the other end closed
            return shown
        if not chunk:
            return shown
        shown += chunk


def test_a_large_first_build_shows_a_progress_bar_on_a_terminal(big: Path, tmp_path: Path) -> None:
    import pty

    data = big
    env = {**os.environ, "DEFECT_CACHE_DIR": str(tmp_path / "cache"), "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    terminal, their_end = pty.openpty()
    with (tmp_path / "out.json").open("wb") as out:
        proc = subprocess.Popen([DEFECT, "--data", str(data), "list", "--format", "json"],
                                stdout=out, stderr=their_end, env=env)  # fmt: skip
        os.close(their_end)
        shown = _read_to_the_end(terminal)
        assert proc.wait(timeout=120) == 0
    os.close(terminal)
    # Each stage in turn: files read of all files, people written of all people, then
    # the final sort (the bar never sits full while the build goes on).
    files = f"/{BIG + 1}".encode()  # every person's file and the one of sources
    for stage in (b"reading files", files, b"writing people", f"/{BIG}".encode(), b"sorting"):
        assert stage in shown, stage
    assert len(json.loads((tmp_path / "out.json").read_bytes())) == BIG
    # A pipe gets no bar, and a warm run builds nothing.
    again = run("--data", str(data), "list", env={"DEFECT_CACHE_DIR": str(tmp_path / "cache")})
    assert again.returncode == 0 and again.stderr == ""


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What ``defect ARGS`` prints with its stdout on a terminal (a pty), escapes removed."""
    import pty
    import re

    terminal, their_end = pty.openpty()
    # Every line, as a terminal shows it with no pager (issue 26 pages a long output).
    proc = subprocess.Popen([DEFECT, *args], stdout=their_end, env={**env, "DEFECT_PAGER": "cat"})
    os.close(their_end)
    shown = _read_to_the_end(terminal)
    assert proc.wait(timeout=60) == 0
    os.close(terminal)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode("utf-8"))


def test_a_long_list_on_a_terminal_shows_its_first_rows_and_says_how_to_see_all(
    invoke: Invoke, tmp_path: Path
) -> None:
    from defectcli.render.context import TERMINAL_ROWS

    people = TERMINAL_ROWS + 50
    data = generate(people, tmp_path / "many")
    env = {**os.environ, "DEFECT_CACHE_DIR": str(tmp_path / "cache"), "TERM": "xterm",
           "COLUMNS": "160"}  # fmt: skip
    base = ["--data", str(data)]
    totals: dict[str, int] = {}
    for command, noun in (("list", "people"), ("quotes", "quotations"), ("timeline", "events")):
        # Every record still goes to a pipe (here Click's runner), in every format; only
        # what a terminal shows needs a real process on a pty.
        every = json.loads(invoke(*base, command, "--json").stdout)
        totals[command] = len(every)
        assert len(every) > TERMINAL_ROWS
        assert len(invoke(*base, command).stdout.splitlines()) == len(every)
        shown = _on_a_terminal([*base, command], env)
        assert f"Showing the first {TERMINAL_ROWS} of {len(every):,} {noun}." in shown, command
        assert "--limit N" in shown and "--format plain" in shown
        if command == "quotes":  # one card a quotation: count their top edges
            assert shown.count("╭") == TERMINAL_ROWS
        if command == "list":  # the rows shown are the first ones, in order
            names = [p["name"] for p in every[:TERMINAL_ROWS]]
            at = [shown.find(name) for name in names]
            assert -1 not in at and at == sorted(at)
    # A picture of the table is cut the same way; the records printed beside it are not.
    svg = tmp_path / "list.svg"
    printed = invoke(*base, "list", "--json", "--export-svg", str(svg))
    assert len(json.loads(printed.stdout)) == people
    words = svg.read_text(encoding="utf-8").replace("&#160;", " ")
    assert f"Showing the first {TERMINAL_ROWS} of {people:,} people." in words
    # A short list is shown whole, with its count as before.
    shown = _on_a_terminal([*base, "list", "--year", "1999"], env)
    count = len(json.loads(invoke(*base, "list", "--year", "1999", "--json").stdout))
    assert 0 < count < TERMINAL_ROWS
    assert f"{count} {'person' if count == 1 else 'people'}" in shown
    assert "Showing the first" not in shown
    # --limit sets the number on a terminal too: more rows, or every one.
    shown = _on_a_terminal([*base, "quotes", "--limit", str(TERMINAL_ROWS + 20)], env)
    assert shown.count("╭") == TERMINAL_ROWS + 20
    assert f"Showing the first {TERMINAL_ROWS + 20} of {totals['quotes']:,} quotations." in shown
    shown = _on_a_terminal([*base, "list", "--limit", "0"], env)
    assert f"{people} people" in shown and "Showing the first" not in shown
