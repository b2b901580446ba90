"""The command line forgives (issue 26): a command's typo gets the command meant."""

from __future__ import annotations

import pytest

from conftest import Invoke


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("lst", "list"), ("shwo", "show"), ("stat", "stats"), ("cites", "cite"), ("LIST", "list")],
)
def test_a_command_typo_names_the_command_meant(invoke: Invoke, typed: str, meant: str) -> None:
    result = invoke(typed)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"Error: No such command '{typed}'. Did you mean {meant}?" in result.stderr


def test_a_word_like_no_command_gets_no_guess(invoke: Invoke) -> None:
    result = invoke("xyzzy", "--json")
    assert result.exit_code == 2
    assert "Error: No such command 'xyzzy'.\n" in result.stderr
    assert "Did you mean" not in result.stderr


def test_a_typo_before_other_words_is_still_a_typo(invoke: Invoke) -> None:
    result = invoke("lst", "--year", "2019")
    assert result.exit_code == 2 and "Did you mean list?" in result.stderr


def test_the_group_still_runs_commands_and_aliases(invoke: Invoke) -> None:
    assert invoke("profile", "thae", "--json").exit_code == 0
    assert invoke("list", "--year", "2019", "--json").exit_code == 0
