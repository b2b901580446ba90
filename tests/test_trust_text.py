"""Text from the data carries no code: no format but JSON and NDJSON sends a control
character (but newline and tab), an escape sequence or a bidirectional override from the
data, and Markdown carries no HTML, table cell or link made of it.

Found by an adversarial trial: Markdown tables printed a name as a live ``<script>`` and
``<img onerror>``; CSV and BibTeX sent raw ESC, OSC, bidi overrides and C1 characters.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, Invoke
from defectcli.query import Catalog, open_catalog
from defectcli.render import emit
from defectcli.render.cite import cite
from defectcli.render.context import Output

# Every C0 and C1 control character but tab and newline, and the bidirectional controls.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The fields of a record that hold free text (the others are ids, dates and enumerations).
TEXT_KEYS = {
    "name", "hangul", "summary", "city", "mission", "title", "post", "how", "note", "text",
    "translation", "venue", "outlet", "author", "via", "place", "relation", "country",
    "destination",
}  # fmt: skip
HUMAN_FORMATS = ("table", "plain", "markdown", "csv")


def _mini_dataset() -> dict[str, Any]:
    """The fictional dataset as one dataset file's data (what ``--data FILE`` reads)."""

    def load(path: Path) -> Any:
        return yaml.safe_load(path.read_text(encoding="utf-8"))

    return {
        "people": [load(p) for p in sorted((MINI / "people").glob("*.yaml"))],
        "sources": load(MINI / "sources" / "test.yaml")["sources"],
        "events": load(MINI / "events" / "test.yaml")["events"],
        "statistics": load(MINI / "statistics" / "test.yaml"),
    }


MINI_DATA = _mini_dataset()


def _with(value: Any, hostile: str, key: str | None = None) -> Any:
    """``value`` with ``hostile`` added to every free text and address."""
    if isinstance(value, dict):
        return {k: _with(v, hostile, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_with(v, hostile, key) for v in value]
    if isinstance(value, str) and key in TEXT_KEYS:
        return f"{value} {hostile}"
    if isinstance(value, str) and key == "url":
        return value + hostile
    return value


def hostile_catalog(folder: Path, hostile: str) -> Catalog:
    path = folder / "hostile.json"
    path.write_text(json.dumps(_with(MINI_DATA, hostile)), encoding="utf-8")
    return open_catalog(path, cache=False)


def _views(catalog: Catalog) -> dict[str, Callable[[Output], None]]:
    """What each command prints, rendered as the command renders it."""
    return {
        "list": lambda out: emit.write(out, "people", catalog.people()),
        "show": lambda out: emit.write(out, "profile", catalog.profile("alpha-tester")),
        "quotes": lambda out: emit.write(out, "quotes", catalog.quote_set(catalog.quotes())),
        "search": lambda out: emit.write(out, "search", catalog.search("tester")),
        "timeline": lambda out: emit.write(out, "timeline", catalog.timeline()),
        "sources": lambda out: emit.write(out, "sources", catalog.sources_cited()),
        "count": lambda out: emit.write(out, "facets", catalog.count("country")),
        "stats": lambda out: emit.write(out, "statistics", catalog.statistics()),
    }


def _unquoted(markdown: str) -> str:
    """Markdown without its block quotes' own marks (``> `` at the start of a line)."""
    return re.sub(r"(?m)^>( |$)", "", markdown)


def render(view: Callable[[Output], None], fmt: str) -> str:
    stream = io.StringIO()
    view(Output(fmt, "never", stream, width=100))
    return stream.getvalue()


# Text a hostile data file may hold: terminal escapes (CSI, OSC, the C1 forms), the bell,
# NUL, carriage returns, line and paragraph separators, bidirectional overrides, HTML,
# Markdown's table and link syntax, BibTeX's braces, and anything else.
DANGEROUS = [
    "\x1b[2J", "\x1b]0;pwned\x07", "\x1b]52;c;cm0=\x07", "\x9b31m", "\x9d0;t\x9c", "\x00",
    "\r", "\x85", "\u2028", "\u202e", "\u2066", "\u200f", "\x7f", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "&lt;", "|", "\n", "\t", "](javascript:alert(1))",
    "[x]: javascript:alert(1)", "\\", "{", "}", "%", "`", "#",
]  # fmt: skip
HOSTILE = st.lists(
    st.one_of(st.sampled_from(DANGEROUS), st.text(st.characters(exclude_categories=["Cs"]))),
    min_size=1,
    max_size=6,
).map("".join)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(hostile=HOSTILE)
def test_no_format_but_json_sends_a_control_character_from_the_data(hostile: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        catalog = hostile_catalog(Path(folder), hostile)
    try:
        for command, view in _views(catalog).items():
            for fmt in HUMAN_FORMATS:
                out = render(view, fmt)
                found = FORBIDDEN.search(out)
                assert found is None, (command, fmt, found and found[0], out)
                if fmt == "markdown":
                    assert "<" not in out and ">" not in _unquoted(out), (command, out)
        for style in ("text", "bibtex"):
            out = cite(catalog.sources(), style)
            found = FORBIDDEN.search(out)
            assert found is None, (style, found and found[0], out)
        # JSON carries the text unchanged, as documented.
        people = json.loads(render(_views(catalog)["list"], "json"))
        assert people[0]["name"] == f"Alpha Tester {hostile}"
    finally:
        catalog.close()


# --- the trial's cases, as a user runs them ----------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
RAW = ["\x1b", "\x07", "\u202e", "\x9b", "\x9d"]
TERMINAL = "\x1b]0;pwned\x07\x1b[2J\u202eevil\x9b31m\x9d0;x\x9c"


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.json"
    text = f"{SCRIPT} {IMAGE} a | b {TERMINAL}"
    path.write_text(json.dumps(_with(MINI_DATA, text)), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [["list"], ["search", "tester"], ["timeline"], ["sources"], ["quotes"], ["show", "alpha"]],
    ids=lambda a: a[0],
)
def test_markdown_carries_no_html_from_the_data(
    invoke: Invoke, hostile_file: Path, args: list[str]
) -> None:
    result = invoke("--data", str(hostile_file), *args, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    out = _unquoted(result.stdout)
    assert "<script" not in out and ">" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    for raw in RAW:
        assert raw not in out
    if args[0] not in {"show", "quotes"}:
        # A table keeps its shape: the data's "|" is escaped, every row has the header's cells.
        rows = out.splitlines()
        cells = len(re.split(r"(?<!\\)\|", rows[0]))
        assert all(len(re.split(r"(?<!\\)\|", row)) == cells for row in rows), out


@pytest.mark.parametrize(
    "args",
    [["list"], ["search", "tester"], ["timeline"], ["sources"], ["quotes"]],
    ids=lambda a: a[0],
)
def test_csv_shows_escapes_instead_of_sending_them(
    invoke: Invoke, hostile_file: Path, args: list[str]
) -> None:
    import csv

    result = invoke("--data", str(hostile_file), *args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    for raw in RAW:
        assert raw not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout and "\\u202e" in result.stdout
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len({len(row) for row in rows}) == 1  # still a well-formed table


def test_bibtex_shows_escapes_and_keeps_the_address_in_its_field(
    invoke: Invoke, hostile_file: Path
) -> None:
    import bibtexparser

    result = invoke("--data", str(hostile_file), "cite", "alpha-tester", "--style", "bibtex")
    assert result.exit_code == 0, result.stderr
    for raw in RAW:
        assert raw not in result.stdout
    assert "x1b]0;pwned" in result.stdout
    library = bibtexparser.parse_string(result.stdout)
    assert not library.failed_blocks
    news = {entry.key: entry for entry in library.entries}["test-news"]
    assert news["url"].startswith("https://example.invalid/news<script>alert(1)</script>%20")
    text = invoke("--data", str(hostile_file), "cite", "alpha-tester", "--style", "text").stdout
    assert "\\x1b]0;pwned" in text and not any(raw in text for raw in RAW)
    csl = json.loads(
        invoke("--data", str(hostile_file), "cite", "alpha-tester", "--style", "csl-json").stdout
    )
    assert any(TERMINAL in item.get("title", "") for item in csl)  # JSON: unchanged
