"""Cards and tables at a fixed width, compared with golden files.

After an intended change of layout, regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import GOLDEN, Invoke

CASES = {
    "show-alpha-table.txt": ["show", "alpha", "--format", "table"],
    "show-alpha-plain.txt": ["show", "alpha", "--format", "plain"],
    "show-alpha-markdown.md": ["show", "alpha", "--format", "markdown"],
    "list-table.txt": ["list", "--format", "table"],
    "quotes-table.txt": ["quotes", "--format", "table"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(invoke: Invoke, mini: Path, name: str) -> None:
    result = invoke("--data", str(mini), *CASES[name], "--color", "never")
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
