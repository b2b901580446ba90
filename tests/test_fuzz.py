"""Property-based tests: random command lines and random mutations of a valid dataset.

Whatever a user types, ``defect`` answers with exit 0, 1 or 2 and never a traceback; whatever
is done to a data file, it either loads or is refused with a located message.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI
from defectcli.cli import cli

COMMANDS = ["list", "show", "profile", "quotes", "search", "stats", "count", "timeline",
            "sources", "cite", "validate", "export", "nonsense"]  # fmt: skip
OPTIONS = ["--year", "--since", "--until", "--country", "--category", "--destination",
           "--confirmed", "--sort", "--format", "--json", "--color", "--person", "--search",
           "--source", "--by", "--kind", "--limit", "--style", "--stacked", "-h", "--data",
           "--output", "--force", "--export-svg"]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["2019", "1800", "-1", "abc", "", "Italy", "uk", "영국", "json", "csv",
                     "table", "plain", "markdown", "always", "never", "diplomat", "name",
                     "thae", "Ri Il Gyu", "리일규", '"tie', "beggars", "decade", "bibtex",
                     "/nonexistent/path", "news1-en-2024-elite-diplomats", "0", "99999"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    command=st.sampled_from(COMMANDS),
    words=st.lists(st.one_of(st.sampled_from(OPTIONS), VALUES), max_size=6),
)
def test_random_command_lines_never_crash(command: str, words: list[str]) -> None:
    # --output and --export-svg would write files: keep them out of the working folder.
    if "--output" in words or "--export-svg" in words:
        words = [w for w in words if w not in {"--output", "--export-svg"}]
    result = CliRunner().invoke(cli, [command, *words], catch_exceptions=True)
    assert result.exit_code in {0, 1, 2}, (command, words, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        command,
        words,
        repr(result.exception),
    )
    assert "Traceback" not in result.output


def _mutations() -> st.SearchStrategy[tuple[str, object]]:
    junk = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
        st.text(max_size=20), st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    )  # fmt: skip
    return st.tuples(st.sampled_from(["set", "delete", "rename", "wrap"]), junk)


def _paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*prefix, index))
    return out


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_any_mutation_loads_or_is_refused_with_a_message(
    tmp_path_factory: object, data: st.DataObject
) -> None:
    root = Path(tmp_path_factory.mktemp("mutated"))  # type: ignore[attr-defined]
    target = root / "mini"
    shutil.copytree(MINI, target)
    name = data.draw(st.sampled_from(sorted(p.relative_to(target).as_posix()
                                            for p in target.rglob("*.yaml"))))  # fmt: skip
    path = target / name
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from(_paths(document)))
    action, junk = data.draw(_mutations())
    if where:
        parent = document
        for part in where[:-1]:
            parent = parent[part]  # type: ignore[index]
        last = where[-1]
        if action == "set":
            parent[last] = junk  # type: ignore[index]
        elif action == "delete":
            del parent[last]  # type: ignore[attr-defined]
        elif action == "rename" and isinstance(parent, dict):
            parent[f"{last}x"] = parent.pop(last)
        else:
            parent[last] = [parent[last]]  # type: ignore[index]
    else:
        document = junk if action == "set" else [document]
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data", str(target), "validate"], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in {0, 1}, result.output
    if result.exit_code == 1:
        first = result.stderr.splitlines()[0]
        assert first.startswith(str(target)), first  # names the file
        assert "Traceback" not in result.stderr
    else:
        assert result.stdout.startswith("ok:")
