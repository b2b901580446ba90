"""The one place that decides how output looks: format, colour, terminal or pipe, width.

Every renderer receives an ``Output``; none of them looks at ``sys.stdout`` or the
environment itself (the same idea as httpie's ``Environment`` and gh's ``IOStreams``).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NamedTuple, TextIO

if TYPE_CHECKING:
    from rich.console import Console

from ..choices import COLORS, FORMATS

__all__ = ["COLORS", "FORMATS", "TERMINAL_ROWS", "Output"]

# A table drawn on a terminal (or saved as a picture) shows this many rows at most. Rich lays
# out a row in about a millisecond: 100,000 people took 78 s to draw, and nobody reads them
# there. A pipe, and every other format, still gets every row.
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
        stream = stream if stream is not None else standard_output()
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
        """A console that draws into memory, in colour, for ``--export-svg/--export-html``."""
        import io

        from rich.console import Console

        return Console(
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


def standard_output() -> TextIO:
    """``sys.stdout``, or ``OutputError`` when the process started with it closed (`>&-`):
    Python then sets it to None, and Click's ``echo`` would drop the output in silence."""
    if sys.stdout is None:
        from ..errors import OutputError

        raise OutputError("cannot write the output: standard output is closed")
    return sys.stdout


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
