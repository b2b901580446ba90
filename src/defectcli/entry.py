"""The ``defect`` console script: as small as possible before anything can go wrong.

Ctrl-C while Python is still importing the program would otherwise print a traceback, and
SIGTERM would end the process without running any clean-up; here both end the way Ctrl-C
does later on (exit 130, or 143 for SIGTERM), with nothing half-written left behind.

Once the command has finished, the process ends without Python's teardown (see
``_exit_now``): freeing every module and object one by one costs more than a warm lookup.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

try:
    # The C half of ``signal``: the Python module builds enums of every signal and costs
    # a third of a millisecond on every start, for one handler.
    import _signal as signal  # type: ignore[import-not-found]  # no stub: same API
except ImportError:  # pragma: no cover - an interpreter without it
    import signal


def _terminated(signum: int, frame: object) -> None:
    # Raising here unwinds the stack, so ``finally`` blocks (temporary files) still run.
    raise SystemExit(128 + signum)


# Whether this process is the console script's, which ends without Python's teardown.
_ENDS_WITHOUT_TEARDOWN = False
# What ``keep_to_exit`` was given: dropped with the process, never freed one by one.
_KEPT: list[object] = []


def keep_to_exit(value: object) -> None:
    """Keep ``value`` to the end of the process when it is the console script's, which ends
    without freeing anything one by one: a large value (the records read for a build: 0.6 s
    to free at 100,000 people) then costs nothing to drop. A program using the library
    keeps nothing: there ``value`` is freed as usual, once unused."""
    if _ENDS_WITHOUT_TEARDOWN:
        _KEPT.append(value)


def main() -> NoReturn:
    global _ENDS_WITHOUT_TEARDOWN
    _ENDS_WITHOUT_TEARDOWN = True
    signal.signal(signal.SIGTERM, _terminated)
    _escape_what_stdout_cannot_encode()
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    try:
        run()
    except SystemExit as done:
        _exit_now(done.code)


def _escape_what_stdout_cannot_encode() -> None:
    """On an output that is not Unicode (``PYTHONIOENCODING=ascii``, a C locale with UTF-8
    mode off, a Windows code page in a pipe), a Hangul name stopped the command with a
    UnicodeEncodeError and printed nothing. Characters the encoding lacks are written as
    ``\\uXXXX`` escapes instead (JSON's own escapes, so JSON output stays valid and loses
    nothing), with one note on stderr saying how to get the characters themselves."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None)
    if stream is None or not encoding or not hasattr(stream, "reconfigure"):
        return
    import codecs

    try:
        if codecs.lookup(encoding).name.startswith("utf"):
            return  # every character has its bytes: the usual case, nothing more to do
    except LookupError:
        return
    codecs.register_error("defect-escape", _escape)
    stream.reconfigure(errors="defect-escape")


_noted: list[bool] = []


def _escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    if not _noted:
        _noted.append(True)
        sys.stderr.write(
            f"Note: the output's encoding ({sys.stdout.encoding}) has no room for some characters;"
            " they are written as \\uXXXX escapes. For the characters themselves, set"
            " PYTHONIOENCODING=utf-8 (or PYTHONUTF8=1).\n"
        )
    # UTF-16 code units, as JSON writes them: a character beyond the first plane becomes
    # a surrogate pair, which JSON reads back as the character.
    text = error.object[error.start : error.end].encode("utf-16-be", "surrogatepass")
    units = (int.from_bytes(text[i : i + 2], "big") for i in range(0, len(text), 2))
    return "".join(f"\\u{unit:04x}" for unit in units), error.end


def _exit_now(code: object) -> NoReturn:
    """End the process with ``code`` as ``sys.exit`` would, minus the interpreter's teardown.

    Python's exit frees every module and object one at a time: about 4 ms after
    ``import click`` and 6 ms more once Rich is loaded: a tenth or more of a warm run
    (Instagram's engineers skip it the same way, in "Dismissing Python Garbage Collection
    at Instagram", 2017). Nothing of ours needs it: every file we write is closed by a
    ``with`` block before the command returns, and SQLite's files are complete on disk.
    What the teardown would still do is done here: the standard streams are flushed and the
    ``atexit`` functions run. If a thread is still running, Python's own exit is used: it
    waits for the thread first.
    """
    status = _status(code)
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # no such stream (started with it closed)
            continue
        try:
            stream.flush()
        except ValueError:  # a closed stream: nothing more can reach it
            pass
        except OSError as error:
            # The reader went away (`defect list --json | head -c 1`) before the last of
            # the output was flushed: quietly, with the command's own status (0 when it
            # did its work), as when that happens while it writes (cli._quiet_broken_pipe).
            # Any other failure (a full disk) leaves the output cut short: say so, exit 1.
            # Whatever is left goes to /dev/null: no later flush can fail.
            if not isinstance(error, BrokenPipeError):
                if stream is sys.stdout:
                    print(f"Error: cannot write the output: {error.strerror}", file=sys.stderr)
                status = status or 1
            from contextlib import suppress

            with suppress(OSError, ValueError):  # not a file descriptor's stream: let it be
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(status)  # Python waits for the thread, then runs the atexit functions
    atexit._run_exitfuncs()
    os._exit(status)


def _status(code: object) -> int:
    """The exit status ``sys.exit(code)`` gives: None is success, a number is itself, and
    anything else is printed to stderr and is a failure."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
