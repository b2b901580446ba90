"""Golden snapshots: what every command prints in every format, byte for byte.

Three sets:
- the tiny fictional dataset (``tests/golden/*.txt``), cards and tables at a fixed width;
- the bundled data (``tests/golden/bundled/``), every command x format, as text to review;
- a generated 500-person dataset (``tests/golden/generated-500.json``), the same matrix as
  SHA-256 digests (the outputs run to megabytes). 500 people run the same source lines as
  1,000 did (measured with coverage), in half the time.

They hold a refactor to "the same bytes as before". After an intended change of output,
regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review the diff of
tests/golden/ like any other change. Any other value of UPDATE_GOLDEN changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from conftest import GOLDEN, ROOT, Invoke, generate

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
FORMATS = ("table", "plain", "json", "ndjson", "csv", "markdown")

MINI_CASES = {
    "show-alpha-table.txt": ["show", "alpha", "--format", "table"],
    "show-alpha-plain.txt": ["show", "alpha", "--format", "plain"],
    "show-alpha-markdown.md": ["show", "alpha", "--format", "markdown"],
    "list-table.txt": ["list", "--format", "table"],
    "quotes-table.txt": ["quotes", "--format", "table"],
}


def _matrix(person: str, word: str) -> dict[str, list[str]]:
    """Every command, each in every format it takes, on a dataset where ``person`` names
    one record and ``word`` is found in quotations."""
    cases: dict[str, list[str]] = {}
    per_format = {
        "list": ["list"],
        "list-since": ["list", "--since", "1995", "--sort", "name"],
        "show": ["show", person],
        "quotes": ["quotes"],
        "quotes-search": ["quotes", "--search", word],
        "search": ["search", word],
        "stats": ["stats"],
        "count-country": ["count", "--by", "country"],
        "count-decade": ["count", "--by", "decade"],
        "timeline": ["timeline"],
        "sources": ["sources"],
        "validate": ["validate"],
    }
    for name, args in per_format.items():
        for fmt in FORMATS:
            cases[f"{name}.{fmt}"] = [*args, "--format", fmt]
    for style in ("text", "bibtex", "csl-json"):
        cases[f"cite.{style}"] = ["cite", person, "--style", style]
    return cases


BUNDLED = _matrix("Thae Yong Ho", "embassy")
BUNDLED["show-largest.table"] = ["show", "Ri Il Gyu", "--format", "table"]
GENERATED = _matrix("synthetic-000042", "freedom")


def _run(invoke: Invoke, args: list[str], data: Path | None = None) -> str:
    prefix = ["--data", str(data)] if data is not None else []
    color = [] if args[0] == "cite" else ["--color", "never"]  # cite prints no colour
    result = invoke(*prefix, *args, *color)
    # validate exits 1 on a dataset with problems: its report is still the output to hold.
    assert result.exit_code in (0, 1), result.stderr
    out = f"exit {result.exit_code}\n{result.stdout}"
    # validate names the dataset's folder, a new temporary one each run.
    return out.replace(str(data), "<data>") if data is not None else out


@pytest.mark.parametrize("name", sorted(MINI_CASES))
def test_golden_mini(invoke: Invoke, mini: Path, name: str) -> None:
    result = invoke("--data", str(mini), *MINI_CASES[name], "--color", "never")
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_golden_bundled(invoke: Invoke, name: str) -> None:
    out = _run(invoke, BUNDLED[name])
    golden = GOLDEN / "bundled" / f"{name}.txt"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(500, tmp_path_factory.mktemp("generated") / "data")


def test_golden_generated(invoke: Invoke, generated: Path) -> None:
    """The 500-person matrix in one test: each output's digest and line count."""
    found = {}
    for name in sorted(GENERATED):
        out = _run(invoke, GENERATED[name], generated)
        found[name] = {
            "sha256": hashlib.sha256(out.encode()).hexdigest(),
            "lines": out.count("\n"),
        }
    golden = GOLDEN / "generated-500.json"
    if UPDATE:
        golden.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    changed = sorted(n for n in expected.keys() | found.keys() if expected.get(n) != found.get(n))
    assert not changed, f"outputs changed on the 500-person dataset: {changed}"


def test_tests_run_against_the_working_tree() -> None:
    """The suite exercises src/, never an installed copy (pyproject puts src/ first)."""
    import defectcli

    assert Path(defectcli.__file__).resolve().parent == ROOT / "src" / "defectcli"


def test_cache_is_the_runs_own() -> None:
    """Set before any fixture, so a module-scoped fixture cannot build into ~/.cache."""
    cache = Path(os.environ["DEFECT_CACHE_DIR"])
    assert cache.name.startswith("defect-test-cache-")
    assert Path.home() not in cache.parents
