"""The one place that decides how output looks: format, colour, terminal or pipe, width,
and whether it goes through a pager.

Every renderer receives an ``Output``; none of them looks at ``sys.stdout`` or the
environment itself (the same idea as httpie's ``Environment`` and gh's ``IOStreams``).
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import suppress
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO, cast

if TYPE_CHECKING:
    import re
    import subprocess

    from rich.console import Console

from ..dataset.choices import COLORS, FORMATS

__all__ = ["COLORS", "FORMATS", "TERMINAL_ROWS", "Output", "PagedOutput", "terminal_output"]

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
    """How and where to write.

    ``format`` is already resolved: ``table`` (Rich tables and cards) is the default on a
    terminal, ``plain`` (one line per record, no escape codes) the default in a pipe.
    """

    format: str
    color: str
    stream: TextIO
    is_tty: bool
    width: int | None = None
    export_svg: str | None = None
    export_html: str | None = None
    rows: int | None = None  # --limit as given (0: every record); None: not given

    @classmethod
    def create(
        cls,
        format: str | None,
        color: str = "auto",
        stream: TextIO | None = None,
        width: int | None = None,
        export_svg: str | None = None,
        export_html: str | None = None,
    ) -> Output:
        stream = stream if stream is not None else terminal_output()
        is_tty = _isatty(stream)
        resolved = format or ("table" if is_tty else "plain")
        return cls(resolved, color, stream, is_tty, width, export_svg, export_html)

    @property
    def row_limit(self) -> int | None:
        """How many records a drawn list shows: ``--limit`` when given (0: all), else
        ``TERMINAL_ROWS`` for a table on a terminal or a picture (``--export-svg/-html``),
        else None (all of them)."""
        if self.rows is not None:
            return self.rows or None
        if (self.format == "table" and self.is_tty) or self.exporting:
            return TERMINAL_ROWS
        return None

    @property
    def query_limit(self) -> int | None:
        """How many records a command needs to fetch: ``--limit`` when given, in every
        format; else ``row_limit`` when a drawn table is all it prints, or every record."""
        if self.rows is not None:
            return self.rows or None
        return self.row_limit if self.format == "table" else None

    @property
    def exporting(self) -> bool:
        """True when the terminal view is also to be saved as a picture."""
        return bool(self.export_svg or self.export_html)

    def recording_console(self) -> Console:
        """A console that draws into memory, in colour, for ``--export-svg/--export-html``;
        its HTML page has a title and says its language (``_page``)."""
        return _recording_console_class()(
            file=io.StringIO(),
            record=True,
            force_terminal=True,
            color_system="truecolor",
            width=self.width or _env_width() or 100,
            highlight=False,
            emoji=False,
        )

    def console(self) -> Console:
        """A Rich console for this output; Rich is imported only when something is drawn."""
        from rich.console import Console

        width = self.width or _env_width()
        if self.color == "always":
            console = Console(
                file=self.stream, force_terminal=True, width=width, highlight=False, emoji=False
            )
        elif self.color == "never":
            console = Console(
                file=self.stream,
                no_color=True,
                color_system=None,
                width=width,
                highlight=False,
                emoji=False,
            )
        else:
            # auto: Rich itself honours NO_COLOR, FORCE_COLOR and TERM=dumb, and draws no
            # escape codes when the stream is not a terminal.
            console = Console(file=self.stream, width=width, highlight=False, emoji=False)
        if console.width < 1:
            # COLUMNS=0 (set by some terminals and CI runners that do not know the width):
            # Rich takes it as it is, and a table or card zero cells wide prints nothing at
            # all. Rich's own default for an unknown width instead.
            console.width = 80
        return console


@cache
def _recording_console_class() -> type[Console]:
    """Rich's Console, whose HTML export (``save_html``) is a page with a ``<title>`` (the
    command that drew it) and the language of its text: English, and Korean where Hangul
    is written (``lang`` on the page and on each run of Hangul, for screen readers and
    search). Defined on first use: Rich is imported only when something is drawn."""
    from rich._export_format import CONSOLE_HTML_FORMAT
    from rich.console import Console

    class RecordingConsole(Console):
        def export_html(self, **options: Any) -> str:
            if options.get("code_format") in (None, CONSOLE_HTML_FORMAT):
                options["code_format"] = _page(CONSOLE_HTML_FORMAT, _page_title())
            return _mark_korean(super().export_html(**options))

    return RecordingConsole


def _page(template: str, title: str) -> str:
    """Rich's HTML template with ``<html lang="en">`` and a ``<title>``."""
    import html

    title = html.escape(title).replace("{", "{{").replace("}", "}}")  # a format string
    page = template.replace("<html>", '<html lang="en">', 1)
    return page.replace("</head>", f"<title>{title}</title>\n</head>", 1)


def _page_title() -> str:
    """The command that drew the picture, as typed less its options: "defect show Ri Il
    Gyu"; "defect" outside the CLI."""
    import click

    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.info_name is None:
        return "defect"
    words = ["defect", ctx.info_name]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if isinstance(param, click.Argument) and value:
            words += value if isinstance(value, (tuple, list)) else [str(value)]
    return " ".join(words)


def _mark_korean(page: str) -> str:
    """Each run of Hangul in the drawing marked as Korean: ``<span lang="ko">``."""
    import re

    head, body = page.split("<body>", 1) if "<body>" in page else ("", page)
    hangul = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
    run = re.compile(f"[{hangul}](?:[{hangul} .,!?…·()]*[{hangul}.!?…])?")
    marked = run.sub(lambda m: f'<span lang="ko">{m.group()}</span>', body)
    return f"{head}<body>{marked}" if head else marked


def standard_output() -> TextIO:
    """``sys.stdout``, or ``OutputError`` when the process started with it closed (`>&-`):
    Python then sets it to None, and Click's ``echo`` would drop the output in silence."""
    if sys.stdout is None:
        from ..errors import OutputError

        raise OutputError("cannot write the output: standard output is closed")
    return sys.stdout


def terminal_output() -> TextIO:
    """Where a command writes: ``standard_output()``, or, on a terminal where paging is on,
    a ``PagedOutput`` over it, which the command's context finishes when it closes."""
    stream = standard_output()
    command = pager_command(stream)
    if command is None:
        return stream
    import click

    paged = PagedOutput(stream, command, *_screen_size(stream))
    click.get_current_context().call_on_close(paged.finish)
    return cast(TextIO, paged)  # a text stream, though typeshed keeps TextIO apart


def pager_command(stream: TextIO, environ: dict[str, str] | None = None) -> str | None:
    """The pager for output to ``stream``, as a shell command; None for none: not under
    the ``defect`` command (``PAGER_ALLOWED``), --no-pager, not a terminal, or a pager of
    "cat" or "" ($DEFECT_PAGER, else $PAGER, else ``DEFAULT_PAGER`` where ``less`` is
    installed and the terminal is not dumb)."""
    import click

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
    import shutil

    return DEFAULT_PAGER if shutil.which("less") else None


class PagedOutput(io.TextIOBase):
    """A terminal's output that goes through a pager once it is taller than the screen.

    What is written is held until it fills the screen; then the pager starts with all of
    it, and takes the rest as it comes. Output that fits is written to the terminal when
    the command ends (``finish``), as if there were no pager. The stream says it is a
    terminal, so Rich keeps its colours (``less -R`` shows them). A pager quit early
    (``q``) takes nothing more, quietly.
    """

    def __init__(self, stream: TextIO, command: str, rows: int, columns: int) -> None:
        super().__init__()
        self._stream = stream
        self._command = command
        self._rows = rows
        self._columns = max(columns, 1)
        self._held: list[str] = []
        self._lines = 0  # screen lines held so far (a long line takes several)
        self._partial = ""  # the held text after the last newline
        self._pager: subprocess.Popen[str] | None = None
        self._gone = False  # the pager quit before the end

    @property
    def encoding(self) -> str:  # type: ignore[override]  # a property in TextIOBase too
        return self._stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._stream.errors

    def isatty(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._pager is not None:
            self._to_pager(text)
        elif not self._gone:
            self._held.append(text)
            self._count(text)
            if self._lines >= self._rows:
                self._start()
        return len(text)

    def flush(self) -> None:
        if self._pager is None:
            return  # what is held stays held until the screen is full or the command ends
        if self._pager.stdin is not None and not self._gone:
            try:
                self._pager.stdin.flush()
            except (BrokenPipeError, OSError):
                self._gone = True

    def finish(self) -> None:
        """The command is done: write what is held, or let the pager have its last line
        and wait until the reader quits it."""
        if self._pager is None:
            if not self._gone:
                self._stream.write("".join(self._held))
                self._stream.flush()
            self._held = []
            return
        pager, self._pager = self._pager, None
        if pager.stdin is not None:
            with suppress(BrokenPipeError, OSError):  # the reader quit already
                pager.stdin.close()
        _wait_for(pager)

    def _count(self, text: str) -> None:
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            self._lines += max(1, -(-_cells(line) // self._columns))

    def _start(self) -> None:
        import subprocess

        env = dict(os.environ)
        env.setdefault("LESS", "FRX")  # as git does: a $PAGER of plain `less` keeps colours
        env.setdefault("LV", "-c")
        try:
            self._stream.flush()
            self._pager = subprocess.Popen(
                self._command,
                shell=True,
                stdin=subprocess.PIPE,
                env=env,
                encoding=self.encoding,
                errors=self.errors,
            )
        except OSError:  # no shell to run it: write to the terminal as if there were none
            self._pager = None
            self._stream.write("".join(self._held))
            self._held = []
            self._rows = sys.maxsize  # and hold nothing more
            return
        held, self._held = "".join(self._held), []
        self._to_pager(held)

    def _to_pager(self, text: str) -> None:
        if self._gone or self._pager is None or self._pager.stdin is None:
            return
        try:
            self._pager.stdin.write(text)
        except (BrokenPipeError, OSError):  # the reader quit the pager: no more to show
            self._gone = True


def _wait_for(pager: subprocess.Popen[Any]) -> None:
    """Wait until the reader quits the pager. Ctrl-C there is the pager's (less uses it to
    stop a search), not a reason to leave it behind on the terminal."""
    import signal

    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to change
        pager.wait()
        return
    try:
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


def _cells(line: str) -> int:
    """How many cells ``line`` takes on a terminal, its escape codes left out."""
    if "\x1b" in line:
        line = _escape_codes().sub("", line)
    if line.isascii():
        return len(line)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@cache
def _escape_codes() -> re.Pattern[str]:
    """CSI (colours) and OSC (hyperlinks) sequences, as Rich writes them."""
    import re

    return re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def _screen_size(stream: TextIO) -> tuple[int, int]:
    """The terminal's height and width: $LINES and $COLUMNS, else what the terminal says,
    else 24 by 80."""
    try:
        size = os.get_terminal_size(stream.fileno())
        rows, columns = size.lines, size.columns
    except (AttributeError, OSError, ValueError):
        rows = columns = 0
    lines = os.environ.get("LINES", "")
    if lines.isdigit() and int(lines) > 0:
        rows = int(lines)
    return (rows if rows > 0 else 24), _env_width() or (columns if columns > 0 else 80)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _env_width() -> int | None:
    value = os.environ.get("COLUMNS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return None
