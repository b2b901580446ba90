"""The documentation stays true: doctests run, every command is in the README and has help."""

from __future__ import annotations

import doctest
import importlib
import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import Invoke
from defectcli.cli import cli
from defectcli.commands import COMMANDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _modules_with_examples() -> list[str]:
    """Every module whose docstrings show an example: each example is run, none forgotten."""
    src = Path(__file__).parent.parent / "src"
    found = []
    for path in sorted((src / "defectcli").rglob("*.py")):
        if ">>> " in path.read_text(encoding="utf-8"):
            parts = path.relative_to(src).with_suffix("").parts
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


@pytest.mark.parametrize("module", _modules_with_examples())
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


def test_every_environment_variable_the_code_reads_is_in_the_help(invoke: Invoke) -> None:
    """A variable that changes what defect does is one a user can find in --help."""
    source = Path(__file__).resolve().parents[1] / "src" / "defectcli"
    read = {
        name
        for path in source.rglob("*.py")
        for name in re.findall(r"\bDEFECT_[A-Z_]+\b", path.read_text(encoding="utf-8"))
    }
    assert {"DEFECT_DATA", "DEFECT_CACHE_DIR", "DEFECT_NO_CACHE"} <= read
    shown = invoke("--help", env={"COLUMNS": "200"}).stdout
    assert sorted(name for name in read if name not in shown) == []


# Examples a reader copies: those in the README (after "$ ") and in every help text (under
# "Examples:"). What follows the command on the line is a pipe, a redirection or a comment
# (everything after two spaces in a help text is its description).
_SHELL_TAIL = re.compile(r"\s+(\||>|#).*$")
# Examples that document a failure, with the status they document.
DOCUMENTED_FAILURES = {"defect show jo": 1, "defect show Thea Yong Ho": 1}
# A folder name that stands for the reader's own data.
PLACEHOLDER = "my-data"


def _help_examples() -> list[str]:
    runner = CliRunner()
    texts = [runner.invoke(cli, ["--help"]).output]
    texts += [runner.invoke(cli, [name, "--help"]).output for name in sorted(COMMANDS)]
    found: list[str] = []
    for text in texts:
        _, _, examples = text.partition("Examples:\n")
        for line in examples.split("\n\n")[0].splitlines():
            found.append(re.split(r"\s{2,}", line.strip())[0])
    return found


def _readme_examples() -> list[str]:
    return [line[2:] for line in README.splitlines() if line.startswith("$ defect ")]


def _examples() -> list[str]:
    commands = (_SHELL_TAIL.sub("", line) for line in _help_examples() + _readme_examples())
    return sorted({c for c in commands if PLACEHOLDER not in c})


def test_the_examples_are_found() -> None:
    examples = _examples()
    assert len(examples) >= 40
    assert "defect show Tae Young-ho" in examples  # README
    assert "defect timeline --person ri il gyu" in examples  # a command's help


@pytest.mark.parametrize("example", _examples())
def test_every_documented_example_works(
    example: str, invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each example does what its line says: a result and status 0, or the failure it
    shows. Examples chained with && run in turn (an export, then reading it back)."""
    monkeypatch.chdir(tmp_path)  # where exports and saved citations land
    for step in example.split(" && "):
        words = shlex.split(step)
        if words[0] != "defect":
            continue  # another tool reading what defect wrote (jq)
        result = invoke(*words[1:])
        assert result.exit_code == DOCUMENTED_FAILURES.get(step, 0), result.output
        assert result.output.strip(), f"{step}: printed nothing"


def _readme_outputs() -> list[tuple[str, list[str]]]:
    """(command, the output lines shown under it) for each README example that shows one."""
    shown: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        command: str | None = None
        for line in block.splitlines():
            if line.startswith("$ "):
                command = line[2:] if line.startswith("$ defect ") else None
                if command is not None:
                    shown.append((command, []))
            elif command is not None:
                shown[-1][1].append(line.rstrip())
    commands = ((re.sub(r"\s+#.*$", "", c), out) for c, out in shown if out)
    return [(c, out) for c, out in commands if not _SHELL_TAIL.search(c) and PLACEHOLDER not in c]


@pytest.mark.parametrize(
    ("example", "shown"), _readme_outputs(), ids=[c for c, _ in _readme_outputs()]
)
def test_the_readme_shows_what_the_command_prints(
    example: str, shown: list[str], invoke: Invoke
) -> None:
    """Each output in the README is what the command prints today, from its first line (a
    README may stop early, never differ). Terminal examples are drawn as on a terminal
    100 columns wide, without colour."""
    args = shlex.split(example)[1:]
    if "--format" not in args:
        args += ["--format", "table", "--color", "never"]
    printed = [line.rstrip() for line in invoke(*args).output.splitlines()]
    assert printed[: len(shown)] == shown


def test_the_readme_counts_are_the_bundled_data(invoke: Invoke) -> None:
    """The sentence that says what the dataset holds, against `defect validate`'s counts."""
    counts = json.loads(invoke("validate", "--json").stdout)["counts"]
    said = " ".join(README.split("It holds ", 1)[1].split("\n\n", 1)[0].split())
    for key, words in (
        ("people", "people"),
        ("quotes", "quotations"),
        ("sources", "sources"),
        ("claims", "claims"),
        ("events", "context events"),
        ("statistics_years", "years"),
    ):
        assert f"{counts[key]} {words}" in said, (key, counts[key])


def _record_section() -> str:
    return README.split("## What the record holds", 1)[1].split("\n## ", 1)[0]


def test_the_readme_table_of_cases_is_the_bundled_data(invoke: Invoke) -> None:
    """The cases by decade and status, as `defect list --json` gives them."""
    people = json.loads(invoke("list", "--json").stdout)
    statuses = ["confirmed", "reported", "denied", "false", "unresolved"]
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in _record_section().splitlines()
        if line.startswith("| ") and "---" not in line
    ]
    assert rows[0] == ["decade", *statuses, "all"]
    table = {row[0]: [int(n) for n in row[1:]] for row in rows[1:]}
    expected: dict[str, list[int]] = {}
    for person in people:
        decade = f"{person['year'] // 10 * 10}s" if person["year"] else "unknown"
        for key in (decade, "all"):
            counts = expected.setdefault(key, [0] * (len(statuses) + 1))
            counts[statuses.index(person["status"])] += 1
            counts[-1] += 1
    assert table == expected


def test_the_readme_share_of_citable_sources_is_the_bundled_data(invoke: Invoke) -> None:
    sources = json.loads(invoke("sources", "--json").stdout)
    said = " ".join(_record_section().split())
    with_ = {k: sum(1 for s in sources if s.get(k)) for k in ("title", "date", "author", "url")}
    to_the_day = sum(1 for s in sources if s.get("date") and len(s["date"]) == 10)
    copies = sum(1 for s in sources if s.get("via"))
    assert f"Of the {len(sources)} sources, {with_['title']} carry the headline" in said
    assert f"{with_['date']} a date ({to_the_day} to the day)" in said
    assert f"{with_['author']} an author, and {with_['url']} an address" in said
    assert f"{copies} were read on a copy" in said
    untitled = round(100 * (len(sources) - with_["title"]) / len(sources))
    assert f"so {untitled}% of sources still lack a title" in said
    people = json.loads(invoke("list", "--json").stdout)
    shown = [json.loads(invoke("show", p["id"], "--json").stdout) for p in people]
    named = [p for p in shown if p["named"]]
    assert f"Of the {len(people)}, {len(named)} are named" in said
    # A name that is not Korean (a Japanese pseudonym) has its Hangul as the Korean press
    # spells it, as an alias: romanizing it as a Korean name would print nonsense.
    assert all(
        p.get("hangul") or any(a["kind"] == "hangul" for a in p.get("aliases", ())) for p in named
    )


def test_the_readme_python_api_example_runs() -> None:
    # A notebook user copies this block: it must run, and print what it shows.
    block = re.search(r"## Python API.*?```python\n(.*?)```", README, re.S)
    assert block is not None
    test = doctest.DocTestParser().get_doctest(block.group(1), {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 5
