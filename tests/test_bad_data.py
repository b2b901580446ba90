"""A corpus of bad datasets: every one is refused cleanly by ``validate`` and by ``list``.

One table, one row per bad dataset. For every row and for both commands the contract is:

* exit status 1 and nothing on stdout;
* on stderr, a short report whose problem line names the file and, where the mistake has a
  place in the file, its line: ``PATH/people/x.yaml:12:5: ...``;
* no traceback and no "internal error";
* done within ``TIME_LIMIT`` seconds; the hostile rows (alias bomb, deep nesting) run as the
  real ``defect`` command under a 1 GiB address-space limit, so a blow-up fails the test
  instead of taking the machine down.

Most rows are folders (or single files) under ``tests/fixtures/bad/<name>``, each derived
from ``tests/fixtures/mini`` and holding only the files the case needs: a file that fails to
parse or breaks the schema stops the read before cross-references are checked, so it needs no
valid companions; a reference or id case carries the mini people and sources it refers to.
Rows whose content would be binary or bulky (NUL bytes, invalid UTF-8, UTF-16, 5,000 levels
of nesting) are generated into ``tmp_path`` by the test.

Decisions recorded here:

* ``"2023-02-30"`` matches the schema's date pattern (any month may have day 29-31), but no
  such day exists. A dataset that cites a date has to cite a real one, so it must be refused
  like ``"2023-13-45"``; the schema cannot say so, the program must (row bad-date-february-30).
* Duplicate keys are an error in YAML files (the loader says "only one value can be kept");
  a JSON data file is held to the same rule, although ``json.loads`` silently keeps the last.
* A value in a JSON file has a line too, so a schema error in a JSON file must name it.
* "One clear message": the report must stay short (``MAX_STDERR_LINES``), not repeat one
  mistake dozens of times.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURES, MINI, Invoke

BAD = FIXTURES / "bad"
DEFECT = Path(sys.executable).parent / "defect"
COMMANDS = ("validate", "list")
TIME_LIMIT = 20.0  # seconds, per command
MEMORY_LIMIT = 1 << 30  # bytes of address space for the subprocess runs
MAX_STDERR_LINES = 10
NESTING = 5000
PWNED = "defect-pwned"  # what python-object-tag would create in the working folder if obeyed
ALPHA = "people/alpha-tester.yaml"


# --- builders for the cases generated at run time --------------------------------------


def _alpha_bytes() -> bytes:
    return (MINI / ALPHA).read_bytes()


def _one_file(relative: str, content: bytes) -> Callable[[Path], Path]:
    """A dataset folder in tmp_path holding a single data file."""

    def build(tmp_path: Path) -> Path:
        root = tmp_path / "data"
        target = root / relative
        target.parent.mkdir(parents=True)
        target.write_bytes(content)
        return root

    return build


def _with_nul() -> bytes:
    text = _alpha_bytes()
    assert b"name: Alpha Tester\n" in text
    return text.replace(b"name: Alpha Tester\n", b"name: Alpha\x00Tester\n", 1)


def _latin1() -> bytes:
    # An editor saved one line as Latin-1: "é" becomes the lone byte 0xE9, invalid in UTF-8.
    text = _alpha_bytes()
    accented = "Alpha Testér".encode()
    assert accented in text
    return text.replace(accented, "Alpha Testér".encode("latin-1"), 1)


def _utf16() -> bytes:
    return _alpha_bytes().decode("utf-8").encode("utf-16")  # with its byte-order mark


# --- the table ----------------------------------------------------------------------------


# The json module's own words and place for a trailing comma: Python 3.13 names the comma.
TRAILING_COMMA = (
    (36, "Illegal trailing comma")
    if sys.version_info >= (3, 13)
    else (37, "Expecting property name")
)


@dataclass(frozen=True)
class Case:
    """One bad dataset and what the report about it must say.

    ``file``: the data file the message names, relative to the dataset; "" when the message
    is about the path given to --data itself (a missing path, a single-file dataset).
    ``line``: the line it must name: a number, a text whose (first) line it is (a line that
    starts with it if there is one, else one that contains it), or None when
    the problem has no place in the file (an empty or binary file, a folder).
    """

    name: str
    file: str
    line: int | str | None
    message: str
    build: Callable[[Path], Path] | None = None  # None: tests/fixtures/bad/<name>
    hostile: bool = False  # run only as a subprocess, under the memory limit

    def dataset(self, tmp_path: Path) -> Path:
        if self.build is not None:
            return self.build(tmp_path)
        return BAD / self.name

    def display(self, root: Path) -> str:
        return f"{root}/{self.file}" if self.file else str(root)

    def line_number(self, root: Path) -> int | None:
        if not isinstance(self.line, str):
            return self.line
        path = root / self.file if self.file else root
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        # A line that starts with the text (indentation matters), else one that holds it.
        found = [i for i, line in enumerate(lines, start=1) if line.startswith(self.line)]
        found = found or [i for i, line in enumerate(lines, start=1) if self.line in line]
        assert found, f"fixture changed: {self.line!r} not in {path}"
        return found[0]


CASES = [
    # YAML syntax
    Case("yaml-unclosed-bracket", ALPHA, "category: diplomat", "invalid YAML"),
    Case("yaml-bad-indentation", ALPHA, "   sources: [test-news]", "invalid YAML"),
    Case("yaml-tab-indentation", ALPHA, "\tcountry: Testland", "invalid YAML"),
    Case("yaml-multiple-documents", ALPHA, "---", "invalid YAML"),
    Case("yaml-control-character", ALPHA, "name: Alpha\x07Tester", "character"),
    Case("custom-include-tag", ALPHA, "summary: !include", "!include"),
    # Cut short
    Case("truncated-mid-string", ALPHA, "We wanted our chil", "invalid YAML"),
    Case("truncated-mid-key", ALPHA, "  po", "invalid YAML"),
    Case("truncated-between-lines", ALPHA, 3, "missing required key 'defection'"),
    # Empty, binary, not UTF-8, odd top levels
    Case("empty-file", ALPHA, None, "empty"),
    Case("comment-only-file", ALPHA, None, "empty"),
    Case("binary-nul-bytes", ALPHA, None, "binary", build=_one_file(ALPHA, _with_nul())),
    Case("invalid-utf8", ALPHA, 7, "not valid UTF-8", build=_one_file(ALPHA, _latin1())),
    Case("utf16-file", ALPHA, 1, "not valid UTF-8", build=_one_file(ALPHA, _utf16())),
    Case("top-level-scalar", ALPHA, 1, "expected a mapping of keys to values, got 'alpha"),
    Case("top-level-list", ALPHA, 1, "expected a mapping of keys to values, got a list"),
    Case("top-level-null", ALPHA, 1, "expected a mapping of keys to values, got null"),
    # Keys
    Case("duplicate-mapping-keys", ALPHA, "name: Alpha Two", "duplicate key"),
    Case("merge-key", ALPHA, "<<:", "merge keys"),
    Case("non-scalar-key", ALPHA, "? [alpha, tester]", "mapping keys must be plain text"),
    Case("integer-key", ALPHA, "2019: the year", "unknown key 2019"),
    Case("null-key", ALPHA, "~: nothing", "unknown key"),
    Case("unknown-key", ALPHA, "nickname: Al", "unknown key 'nickname'"),
    # Ids
    Case(
        "duplicate-source-ids",
        "sources/test.yaml",
        "id: test-news",
        "duplicate source 'test-news' (also in",
    ),
    Case("duplicate-person-yaml-and-json", ALPHA, "id: alpha-tester", "duplicate person"),
    Case(
        "id-differs-from-file-name",
        "people/alpha.yaml",
        "id: alpha-tester",
        "id 'alpha-tester' must match the file name 'alpha'",
    ),
    Case("id-upper-case", ALPHA, "id: Alpha-Tester", "lower-case slug"),
    Case("id-with-spaces", ALPHA, 'id: "alpha tester"', "lower-case slug"),
    # Types and nulls
    Case(
        "wrong-type-string-for-int",
        "statistics/test.yaml",
        "total: lots",
        "expected an integer or null, got 'lots'",
    ),
    Case("wrong-type-list-for-string", ALPHA, "name: [Alpha", "expected text, got a list"),
    Case("wrong-type-yes-no-boolean", ALPHA, "country: NO", "expected text, got false"),
    Case("null-required-value", ALPHA, "summary:", "summary: expected text, got null"),
    # Dates
    Case("bad-date-month-13", "people/beta-tester.yaml", "2023-13-45", "expected a date"),
    Case("bad-date-unquoted-month-13", "people/beta-tester.yaml", "2023-13-45", "'2023-13-45'"),
    Case("bad-date-five-digit-year", "people/beta-tester.yaml", "20233", "'20233'"),
    Case("bad-date-february-30", "people/beta-tester.yaml", "2023-02-30", "2023-02-30"),
    # Dangling references
    Case("dangling-source", ALPHA, "source: test-bok", "no source with id 'test-bok'"),
    Case("dangling-related-person", ALPHA, "gamma-tester", "no person with id 'gamma-tester'"),
    Case(
        "dangling-quote-speaker",
        "people/beta-tester.yaml",
        "speaker: nobody",
        "no person with id 'nobody'",
    ),
    Case(
        "dangling-event-person",
        "events/test.yaml",
        "nobody-at-all",
        "no person with id 'nobody-at-all'",
    ),
    # Hostile YAML: code execution, memory, recursion
    Case("python-object-tag", ALPHA, "!!python/object", "python/object"),
    Case("python-name-tag", ALPHA, "!!python/name", "python/name"),
    Case("alias-bomb", ALPHA, "*a", "aliases", hostile=True),
    Case(
        "deep-nested-flow-lists",
        ALPHA,
        1,
        "nested more than",
        build=_one_file(ALPHA, ("[" * NESTING + "]" * NESTING + "\n").encode()),
        hostile=True,
    ),
    Case(
        "deep-nested-block-lists",
        ALPHA,
        1,
        "nested more than",
        build=_one_file(ALPHA, ("- " * NESTING + "x\n").encode()),
        hostile=True,
    ),
    Case(
        "deep-nested-mappings",
        ALPHA,
        1,
        "nested more than",
        build=_one_file(ALPHA, ("{a: " * NESTING + "1" + "}" * NESTING + "\n").encode()),
        hostile=True,
    ),
    Case(
        "deep-nested-json",
        "people/alpha-tester.json",
        1,
        "nested",
        build=_one_file("people/alpha-tester.json", ("[" * NESTING + "]" * NESTING).encode()),
        hostile=True,
    ),
    # JSON data files
    Case("json-syntax-error", "people/alpha-tester.json", 4, "Expecting property name"),
    Case("json-trailing-comma", "people/alpha-tester.json", *TRAILING_COMMA),
    Case("json-duplicate-keys", "people/alpha-tester.json", '"name": "Alpha Two"', "duplicate"),
    Case("json-wrong-type", "people/alpha-tester.json", '"name": [', "expected text, got a list"),
    # Paths and single-file datasets
    Case("no-such-path", "", None, "no such file or folder"),  # BAD/no-such-path never exists
    Case("no-data-files", "", None, "no data files here"),
    Case("single-file-malformed.yaml", "", "category: diplomat", "invalid YAML"),
    Case("single-file-wrong-type.yaml", "", "id: alpha-tester", "people: expected a list"),
    Case("single-file-json-syntax-error.json", "", 4, "Expecting value"),
    Case("single-file-scalar.json", "", 1, "expected a mapping of keys to values, got 42"),
    Case("single-file-not-yaml.txt", "", None, "not a YAML or JSON file"),
    Case(
        "path-is-a-device",
        "",
        None,
        "not a regular file or folder",
        build=lambda tmp_path: Path(os.devnull),
    ),
]

assert len({case.name for case in CASES}) == len(CASES)


# --- running ----------------------------------------------------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _environment() -> dict[str, str]:
    # The autouse fixture has already fixed COLUMNS and the cache folder in os.environ.
    return {k: v for k, v in os.environ.items() if k != "DEFECT_DEBUG"}


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float


def run_real(argv: list[str], cwd: Path) -> Outcome:
    """The installed ``defect`` (or ``argv`` as given), bounded in time and memory."""
    start = time.monotonic()
    try:
        proc = subprocess.run(
            argv,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIME_LIMIT,
            preexec_fn=_limit_memory,
            env=_environment(),
            cwd=cwd,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{argv[-1]} did not finish within {TIME_LIMIT} s")
    return Outcome(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def run_in_process(invoke: Invoke, args: list[str]) -> Outcome:
    start = time.monotonic()
    result = invoke(*args)
    return Outcome(result.exit_code, result.stdout, result.stderr, time.monotonic() - start)


def assert_refused(case: Case, root: Path, outcome: Outcome) -> None:
    """Check the whole contract and report every way it is broken at once."""
    err = outcome.stderr
    lines = err.splitlines()
    display = case.display(root)
    line = case.line_number(root)
    where = f"{display}:{line}:" if line is not None else f"{display}: "
    first = lines[0] if lines else ""

    broken: list[str] = []
    if "Traceback" in err + outcome.stdout:
        broken.append("a traceback was printed")
    if "internal error" in err:
        broken.append("reported as an internal error")
    if outcome.exit_code != 1:
        broken.append(f"exit status {outcome.exit_code}, expected 1")
    if outcome.stdout != "":
        broken.append(f"stdout not empty: {outcome.stdout[:300]!r}")
    if outcome.seconds >= TIME_LIMIT:
        broken.append(f"took {outcome.seconds:.1f} s")
    if not (first.startswith(where) and case.message in first):
        broken.append(f"first stderr line should start {where!r} and contain {case.message!r}")
    if len(lines) > MAX_STDERR_LINES:
        broken.append(f"{len(lines)} lines on stderr (at most {MAX_STDERR_LINES})")
    assert not broken, "; ".join(broken) + f"\nexit {outcome.exit_code}; stderr:\n{err[:1500]}"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_dataset_is_refused(
    case: Case,
    command: str,
    invoke: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = case.dataset(tmp_path)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    args = ["--data", str(root), command]
    if case.hostile:
        outcome = run_real([str(DEFECT), *args], workdir)
    else:
        monkeypatch.chdir(workdir)
        outcome = run_in_process(invoke, args)
    assert not (workdir / PWNED).exists(), "a YAML tag ran code"
    assert_refused(case, root, outcome)


YAML_HOSTILE = [case for case in CASES if case.hostile and case.file.endswith(".yaml")]

# Run the CLI with PyYAML's pure-Python loader, as on a system whose PyYAML has no libyaml.
# load.py picks its loader when it is imported, so hide CSafeLoader before that.
PURE_PYTHON = (
    "import sys, yaml\n"
    "del yaml.CSafeLoader\n"
    "from defectcli.cli import main\n"
    "sys.argv[0] = 'defect'\n"
    "main()\n"
)


@pytest.mark.parametrize("case", YAML_HOSTILE, ids=[case.name for case in YAML_HOSTILE])
def test_hostile_yaml_without_libyaml(case: Case, tmp_path: Path) -> None:
    """The loader falls back to PyYAML's pure-Python SafeLoader where libyaml is missing;
    the hostile files must be refused the same way there. One command: both read the file
    through the same loader, which the test above holds for each."""
    root = case.dataset(tmp_path)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    argv = [sys.executable, "-c", PURE_PYTHON, "--data", str(root), "list"]
    assert_refused(case, root, run_real(argv, workdir))


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    on_disk = {p.name for p in BAD.iterdir()}
    committed = {case.name for case in CASES if case.build is None} - {"no-such-path"}
    assert on_disk == committed, "every fixture under tests/fixtures/bad has a row, and back"
    assert not (BAD / "no-such-path").exists()


# --- what must still load -------------------------------------------------------------------


def _with_bom(text: bytes) -> bytes:
    return b"\xef\xbb\xbf" + text


def _with_crlf(text: bytes) -> bytes:
    assert b"\r" not in text
    return text.replace(b"\n", b"\r\n")


GOOD = {
    "utf8-bom": _with_bom,
    "crlf": _with_crlf,
    "bom-and-crlf": lambda text: _with_bom(_with_crlf(text)),
}


@pytest.mark.parametrize("change", GOOD.values(), ids=list(GOOD))
def test_bom_and_crlf_still_load(
    change: Callable[[bytes], bytes], invoke: Invoke, mini_copy: Path
) -> None:
    for path in sorted(mini_copy.rglob("*.yaml")):
        path.write_bytes(change(path.read_bytes()))

    result = invoke("--data", str(mini_copy), "validate")
    assert result.exit_code == 0, result.stderr
    assert "2 people" in result.stdout and "3 quotes" in result.stdout
    assert result.stderr == ""

    result = invoke("--data", str(mini_copy), "list")
    assert result.exit_code == 0, result.stderr
    assert "Alpha Tester" in result.stdout and "Beta Tester" in result.stdout

    # The same records as the untouched fixture, byte for byte.
    changed = invoke("--data", str(mini_copy), "list", "--format", "json")
    plain = invoke("--data", str(MINI), "list", "--format", "json")
    assert changed.exit_code == plain.exit_code == 0
    assert json.loads(changed.stdout) == json.loads(plain.stdout)


def test_fixture_base_is_valid(invoke: Invoke, tmp_path: Path) -> None:
    """The reference cases are the mini fixture with one change: the base itself is valid."""
    base = tmp_path / "base"
    for relative in (ALPHA, "people/beta-tester.yaml", "sources/test.yaml"):
        (base / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(MINI / relative, base / relative)
    result = invoke("--data", str(base), "validate")
    assert result.exit_code == 0, result.stderr
