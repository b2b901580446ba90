"""The documentation stays true: doctests run, every command is in the README and has help."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from defectcli.cli import cli
from defectcli.commands import COMMANDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("module", ["defectcli", "defectcli.query", "defectcli.romanize"])
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_documented(name: str) -> None:
    assert f"defect {name}" in README or f"(or `{name}`)" in README
    command = cli.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None and command.help
    assert command.get_short_help_str() == COMMANDS[name].short_help or name == "profile"
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help, f"{name} {param.name} has no help"  # type: ignore[attr-defined]
