"""Shared fixtures: a Click runner with a fixed terminal, the tiny fictional dataset."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from defectcli.cli import cli

ROOT = Path(__file__).resolve().parents[1]
# The installed command beside this interpreter (else on PATH): the tests that need a real
# process run it. INSTALLED is None when there is none, for a skip that says so.
BIN = Path(sys.executable).parent / "defect"
INSTALLED = str(BIN) if BIN.exists() else shutil.which("defect")
DEFECT = INSTALLED or "defect"
FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
GOLDEN = Path(__file__).parent / "golden"

Invoke = Callable[..., Result]


# The run's own cache folder, set before any fixture or test module runs (a module-scoped
# fixture runs before the autouse ones, and must never build into ~/.cache/defectcli).
_CACHE_ROOT = Path(tempfile.mkdtemp(prefix="defect-test-cache-"))
os.environ["DEFECT_CACHE_DIR"] = str(_CACHE_ROOT)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_CACHE_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def cache_root() -> Path:
    """One index cache for the whole run, never the user's own."""
    return _CACHE_ROOT


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch, cache_root: Path) -> None:
    """Every test sees the same terminal: fixed width, no colour forcing, bundled data."""
    for name in ("DEFECT_DATA", "FORCE_COLOR", "NO_COLOR", "TERM", "DEFECT_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("DEFECT_CACHE_DIR", str(cache_root))


@pytest.fixture
def invoke() -> Invoke:
    """Run ``defect ARGS`` in-process; stdout and stderr stay separate."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), env=env, input=input, catch_exceptions=False)

    return run


@pytest.fixture
def mini() -> Path:
    return MINI


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the fictional dataset, for tests that break it on purpose."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def generate(people: int, out: Path, seed: int = 1) -> Path:
    """``people`` synthetic people (the benchmarks' generator) written to ``out``, in this
    process: no interpreter to start for it."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(people, out, seed)
    return out
