"""The ``defect`` console script: as small as possible before anything can go wrong.

Ctrl-C while Python is still importing the program would otherwise print a traceback, and
SIGTERM would end the process without running any clean-up; here both end the way Ctrl-C
does later on (exit 130, or 143 for SIGTERM), with nothing half-written left behind.
"""

from __future__ import annotations

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


def main() -> NoReturn:
    signal.signal(signal.SIGTERM, _terminated)
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    run()
