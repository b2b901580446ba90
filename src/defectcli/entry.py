"""The ``defect`` console script: as small as possible before anything can go wrong.

Ctrl-C while Python is still importing the program would otherwise print a traceback, and
SIGTERM would end the process without running any clean-up; here both end the way Ctrl-C
does later on (exit 130, or 143 for SIGTERM), with nothing half-written left behind.
"""

from __future__ import annotations

import codecs
import os
import signal
import sys
from contextlib import suppress
from typing import NoReturn


def _terminated(signum: int, frame: object) -> None:
    # Raising here unwinds the stack, so ``finally`` blocks (temporary files) still run.
    raise SystemExit(128 + signum)


def main() -> NoReturn:
    signal.signal(signal.SIGTERM, _terminated)
    _escape_what_stdout_cannot_encode()
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)  # ExitStatus.INTERRUPTED, before anything of ours could be imported
    try:
        run()
    except SystemExit as done:
        _flush_and_exit(done.code)


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
    import json  # here: only a character the output cannot encode needs it

    return json.dumps(error.object[error.start : error.end])[1:-1], error.end


def _flush_and_exit(status: str | int | None) -> NoReturn:
    """Flush the output before Python's exit does, so its failure is ours to report: a
    reader gone (`defect list --json | head -c 1`) quietly, with the command's own status
    (as cli._quiet_broken_pipe); any other (a full disk) cut the output short: said, exit 1.
    What is left goes to /dev/null, so that no later flush fails."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except ValueError:  # a closed stream: nothing more can reach it
        pass
    except OSError as error:
        if not isinstance(error, BrokenPipeError):
            print(f"Error: cannot write the output: {error.strerror}", file=sys.stderr)
            status = status or 1
        with suppress(OSError, ValueError):  # not a file descriptor's stream: let it be
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(status)
