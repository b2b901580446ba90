"""Typed errors of the lower layers and the exit codes they map to, in one place.

The dataset, query and render layers raise these; only the CLI turns them into a message on
stderr and an exit status, so a traceback never reaches the user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import NamedTuple


class ExitStatus(IntEnum):
    """Every exit status ``defect`` gives, as ``defect --help`` documents them."""

    OK = 0  # done (an empty list is a result too)
    ERROR = 1  # not found, ambiguous, bad data, a file that cannot be read or written
    USAGE = 2  # wrong options or arguments (Click's own UsageError uses 2 too)
    INTERNAL = 70  # a bug (EX_SOFTWARE): one line, the traceback with DEFECT_DEBUG=1
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT


class Problem(NamedTuple):
    """One thing wrong with the data; ``str()`` reads like a compiler message, which editors
    and CI logs understand: ``data/people/ri-il-gyu.yaml:12:5: postings[0].start: ...``"""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {what}"


class DefectError(Exception):
    """Base class for every error the CLI reports without a traceback; its class says
    which exit status it ends with (the one mapping from errors to statuses)."""

    exit_code: ExitStatus = ExitStatus.ERROR


class OutputError(DefectError):
    """Output that cannot be written: standard output closed from the start
    (``defect list >&-``). (A file that cannot be written is an ``ExportError``.)"""


class ExportError(DefectError):
    """A file (an export, a picture, datasette's metadata) that may not or cannot be written:
    it exists without --force, it is a device, a folder where a file goes, a bad path."""


class DataError(DefectError):
    """The dataset could not be loaded: every problem found, all at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} found in the dataset"
        super().__init__("\n".join([*map(str, self.problems), summary]))


class NotFound(DefectError):
    """A lookup matched nothing. ``suggestions`` are close matches worth showing."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        self.suggestions = tuple(suggestions)
        hint = f"\nDid you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(message + hint)


class Ambiguous(DefectError):
    """A lookup matched several records; ``candidates`` tell them apart."""

    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        self.candidates = tuple(candidates)
        super().__init__(message + "\n" + "\n".join(f"  {c}" for c in self.candidates))
