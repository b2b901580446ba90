"""The one place that decides how output looks: format, colour, terminal or pipe, width,
and whether it goes through a pager. Every renderer receives an ``Output``; none of them
looks at ``sys.stdout`` or the environment itself.
"""

from __future__ import annotations

import io
import os
import re
import sys
import unicodedata
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

import click

if TYPE_CHECKING:
    from rich.console import Console

from ..errors import OutputError

# The pager when neither DEFECT_PAGER nor PAGER names one, as git and gh use it: -F quits
# at once when the output fits the screen after all, -R shows colours, -X leaves the
# output on the screen after quitting.
DEFAULT_PAGER = "less -FRX"
# Set by the group from --no-pager (``Context.meta``, which every command's context shares):
# True when a command's output may be paged. Without it (Python API) nothing is paged.
PAGER_ALLOWED = "defectcli.pager"

# A table drawn on a terminal (or saved as a picture) shows this many rows at most: Rich lays
# out every row before printing the first, so a table of a whole large dataset would keep the
# user waiting for a screen nobody reads. A pipe, and every other format, gets every row.
TERMINAL_ROWS = 200


class Output(NamedTuple):
    """How and where to write. ``format`` is resolved: ``table`` (Rich tables and cards) on a
    terminal, ``plain`` (one line per record, no escape codes) in a pipe, unless given."""

    format: str
    color: str
    stream: TextIO
    width: int | None = None
    export_svg: str | None = None
    export_html: str | None = None
    rows: int | None = None  # --limit as given (0: every record); None: not given

    @classmethod
    def create(
        cls,
        format: str | None,
        color: str = "auto",
        export_svg: str | None = None,
        export_html: str | None = None,
    ) -> Output:
        stream = terminal_output()
        resolved = format or ("table" if _isatty(stream) else "plain")
        return cls(resolved, color, stream, export_svg=export_svg, export_html=export_html)

    @property
    def row_limit(self) -> int | None:
        """How many records a drawn list shows: ``--limit`` (0: all), else ``TERMINAL_ROWS``
        for a table on a terminal or a picture (``--export-svg/-html``), else all (None)."""
        if self.rows is not None:
            return self.rows or None
        if (self.format == "table" and _isatty(self.stream)) or self.exporting:
            return TERMINAL_ROWS
        return None

    @property
    def query_limit(self) -> int | None:
        """How many records to fetch: ``row_limit`` when a drawn table is all a command prints,
        else ``--limit`` (0 or not given: all)."""
        return self.row_limit if self.format == "table" else self.rows or None

    @property
    def exporting(self) -> bool:  # the terminal view is also saved as a picture
        return bool(self.export_svg or self.export_html)

    def recording_console(self) -> Console:
        """A console drawing into memory, in colour, for ``--export-svg/--export-html``."""
        from .terminal import RecordingConsole

        return RecordingConsole(
            file=io.StringIO(),
            record=True,
            force_terminal=True,
            color_system="truecolor",
            width=self.width or _env_width() or 100,
            highlight=False,
            emoji=False,
        )

    def console(self) -> Console:
        """A Rich console for this output (Rich imported only when something is drawn)."""
        from rich.console import Console

        options: dict[str, Any] = {}
        if self.color == "always":
            options = {"force_terminal": True}
        elif self.color == "never":
            options = {"no_color": True, "color_system": None}
        # auto: Rich itself honours NO_COLOR, FORCE_COLOR and TERM=dumb, and draws no
        # escape codes when the stream is not a terminal.
        width = self.width or _env_width()
        console = Console(file=self.stream, width=width, highlight=False, emoji=False, **options)
        if console.width < 1:
            # COLUMNS=0 (set by some terminals and CI runners that do not know the width):
            # Rich takes it as it is, and a table or card zero cells wide prints nothing at
            # all. Rich's own default for an unknown width instead.
            console.width = 80
        return console


def standard_output() -> TextIO:
    """``sys.stdout``, or ``OutputError`` when the process started with it closed (`>&-`):
    Python then sets it to None, and Click's ``echo`` would drop the output in silence."""
    if sys.stdout is None:
        raise OutputError("cannot write the output: standard output is closed")
    return sys.stdout


def terminal_output() -> TextIO:
    """Where a command writes: ``standard_output()``, or, on a terminal where paging is on,
    a ``PagedOutput`` over it, which the command's context finishes when it closes."""
    stream = standard_output()
    command = pager_command(stream)
    if command is None:
        return stream
    paged = PagedOutput(stream, command)
    click.get_current_context().call_on_close(paged.finish)
    return paged


def pager_command(stream: TextIO, environ: dict[str, str] | None = None) -> str | None:
    """The pager's shell command ($DEFECT_PAGER, else $PAGER, else ``DEFAULT_PAGER`` where
    ``less`` is installed and the terminal is not dumb); None outside the ``defect`` command
    (``PAGER_ALLOWED``), with --no-pager, not on a terminal, or for "cat" or ""."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or not ctx.meta.get(PAGER_ALLOWED) or not _isatty(stream):
        return None
    env = os.environ if environ is None else environ
    for name in ("DEFECT_PAGER", "PAGER"):
        if name in env:
            command = env[name].strip()
            return None if command in {"", "cat"} else command
    if env.get("TERM") == "dumb":
        return None
    import shutil  # here, not at the top: it brings bz2 and lzma, and a pipe needs none

    return DEFAULT_PAGER if shutil.which("less") else None


class PagedOutput(io.TextIOWrapper):
    """A terminal's output, held until the command ends (``finish``), then paged if taller
    than the screen. It says it is a terminal, so Rich keeps its colours (``less -R`` shows
    them), and has the terminal's encoding, so Rich draws the same characters."""

    def __init__(self, stream: TextIO, command: str) -> None:
        self._held = io.BytesIO()
        super().__init__(self._held, stream.encoding, stream.errors, newline="\n")
        self._stream = stream
        self._command = command

    def isatty(self) -> bool:
        return True

    def finish(self) -> None:
        """Write what the command wrote, or give it to the pager and wait until the reader
        quits it (a pager quit early takes nothing more, quietly)."""
        # Loaded here: only a terminal with a pager needs them, and each costs every start.
        import contextlib
        import shutil
        import signal
        import subprocess

        self.flush()
        held = self._held.getvalue()
        text = held.decode(self.encoding, self.errors or "strict")
        columns, rows = shutil.get_terminal_size()  # $LINES and $COLUMNS first
        # The screen lines the text takes (a long line takes several); its last line,
        # unended, none yet.
        lines = sum(max(1, -(-_cells(line) // columns)) for line in text.split("\n")[:-1])
        pager: subprocess.Popen[bytes] | None = None
        if lines >= rows:
            # As git does: a $PAGER of plain `less` keeps colours.
            env = {"LESS": "FRX", "LV": "-c", **os.environ}
            self._stream.flush()
            with contextlib.suppress(OSError):  # no shell to run it: as if there were no pager
                pager = subprocess.Popen(self._command, shell=True, stdin=subprocess.PIPE, env=env)
        if pager is None:  # the text fits on the screen, or there is no pager to show it
            self._stream.write(text)
            self._stream.flush()
            return
        # Ctrl-C in the pager is the pager's (less uses it to stop a search), not a reason
        # to leave it behind on the terminal.
        previous = None
        with contextlib.suppress(ValueError):  # not the main thread: nothing to change
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            pager.communicate(held)  # a pager quit early: the rest is dropped, quietly
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)


# CSI (colours) and OSC (hyperlinks) sequences, as Rich writes them.
_ESCAPE_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def _cells(line: str) -> int:
    """How many cells ``line`` takes on a terminal, its escape codes left out."""
    line = _ESCAPE_CODES.sub("", line)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _env_width() -> int | None:
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None
