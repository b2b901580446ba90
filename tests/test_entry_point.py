"""A few real runs of the installed ``defect`` command: entry point, pipes, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "defect"
DEFECT = str(BIN) if BIN.exists() else shutil.which("defect")
pytestmark = pytest.mark.skipif(DEFECT is None, reason="the defect command is not installed")


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEFECT_DATA", "FORCE_COLOR"}}
    environ.update(env)
    return subprocess.run(
        [DEFECT or "defect", *args], capture_output=True, text=True, env=environ, check=False
    )


def test_entry_point_runs_from_another_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [DEFECT or "defect", "list", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0
    assert any(p["id"] == "thae-yong-ho" for p in json.loads(result.stdout))


def test_pipe_output_is_plain_lines() -> None:
    result = run("list")
    assert result.returncode == 0 and result.stderr == ""
    assert "\x1b" not in result.stdout
    assert all(line.count("\t") == 8 for line in result.stdout.splitlines())


def test_exit_codes() -> None:
    assert run("show", "Thae").returncode == 0
    missing = run("show", "Nobody Atall")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert run("list", "--year", "abc").returncode == 2
    assert run("list", "--country", "Atlantis").returncode == 0


def test_closed_pipe_is_quiet() -> None:
    # `defect quotes | head -0`: the reader leaves before the first line is written (the
    # process is still starting up when we close our end); no traceback, nothing on stderr.
    proc = subprocess.Popen(
        [DEFECT or "defect", "quotes", "--format", "plain"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert err == ""
