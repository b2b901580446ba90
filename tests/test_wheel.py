"""The wheel a user installs carries the data: build it, install it in a fresh virtual
environment, and run ``defect list`` from a folder far from this checkout."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(ROOT)],
        check=True,
    )  # fmt: skip
    (wheel,) = dist.glob("defectcli-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "defectcli/data/people/thae-yong-ho.yaml" in names
    assert "defectcli/data/schema/person.schema.json" in names
    assert "defectcli/text/m49.tsv" in names  # the regions table, read by --region

    # A fresh environment holding only the wheel, installed by this environment's pip
    # (--python: no pip inside it, so no ensurepip). Only then are this environment's
    # package folders listed in a .pth file, after the new environment's own, for the
    # dependencies (no network needed); listed before the install, they would show pip a
    # defectcli already there (CI installs one) and it would install nothing. (Not
    # system_site_packages: that reaches the base interpreter's packages, which on a fresh
    # machine do not include click.)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         str(wheel)],
        check=True,
    )  # fmt: skip
    inner = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    outer = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    (Path(inner) / "outer-environment.pth").write_text("\n".join(outer) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import defectcli; print(defectcli.__file__)"],
        capture_output=True, text=True, cwd=elsewhere, check=True,
    )  # fmt: skip
    assert where.stdout.startswith(str(env_dir))
    result = subprocess.run(
        [str(env_dir / "bin" / "defect"), "list", "--format", "json"],
        capture_output=True, text=True, cwd=elsewhere, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) >= 20
    europe = subprocess.run(
        [str(env_dir / "bin" / "defect"), "list", "--region", "Europe", "--format", "json"],
        capture_output=True, text=True, cwd=elsewhere, check=False,
    )  # fmt: skip
    assert europe.returncode == 0, europe.stderr
    assert 0 < len(json.loads(europe.stdout)) < len(json.loads(result.stdout))
