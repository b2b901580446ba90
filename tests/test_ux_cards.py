"""Cards and tables say what they hold, and keep what a reader copies whole (issue 26)."""

from __future__ import annotations

import doctest
import json
import re
from typing import Any

import pytest

from conftest import Invoke
from defectcli.render import sections
from defectcli.render.sections import FAMILY_HEADING, RELATED_HEADING, is_family


def _section(plain: str, heading: str) -> list[str]:
    """The lines of one section of a plain profile (indented under ``Heading:``)."""
    lines = plain.splitlines()
    start = lines.index(f"{heading}:") + 1
    body = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        body.append(line.strip())
    return body


def test_the_family_table_reads_relations_by_their_words() -> None:
    assert doctest.testmod(sections).failed == 0
    family = ["wife", "son (elder)", "mother-in-law", "parents and parents-in-law",
              "relative (she is a niece)", "husband and father (the diplomat)", "younger brother",
              "siblings (three)", "aunt or uncle", "partner", "grandparents", "cousin",
              "wife's nephew (처조카)", "maternal aunt (이모; his mother's younger sister)",
              "another half-brother of Kim Jong Il"]  # fmt: skip
    others = ["aide", "the official he served as aide", "colleague", "friend", "same case",
              "earlier officially confirmed diplomat defector under Kim Jong Un",
              "a colleague (her cousin)", "friend of some 20 years, by Thae's own account",
              "reported in the same TV Chosun story; that family reached South Korea",
              "reported in the same TV Chosun story as a separate family",
              "fellow defector from the same embassy, with whom she and her husband planned"
              ]  # fmt: skip
    assert [r for r in family if not is_family(r)] == []
    assert [r for r in others if is_family(r)] == []


def test_family_holds_family_only_and_other_ties_are_named(invoke: Invoke) -> None:
    """Ri Il Gyu's card listed Thae Yong Ho, Jo Song Gil and Ryu Hyun Woo under "Family"."""
    plain = invoke("show", "Ri Il Gyu", "--format", "plain").stdout
    family = _section(plain, FAMILY_HEADING)
    related = _section(plain, RELATED_HEADING)
    assert any(line.startswith("wife — ") for line in family)
    for name, person_id in (
        ("Thae Yong Ho", "thae-yong-ho"),
        ("Jo Song Gil", "jo-song-gil"),
        ("Ryu Hyun Woo", "ryu-hyun-woo"),
    ):
        # Each with its relation, its name, where to read more and its sources.
        line = next(line for line in related if name in line)
        assert line.startswith("earlier officially confirmed diplomat defector")
        assert re.search(rf"\(see `defect show {person_id}`\) (\[[0-9]+\])+$", line)
        assert not any(name in line for line in family)
    # The same sections, in the same order, in Markdown and on a terminal.
    markdown = invoke("show", "Ri Il Gyu", "--format", "markdown").stdout
    assert markdown.index(f"## {FAMILY_HEADING}") < markdown.index(f"## {RELATED_HEADING}")
    card = invoke("show", "Ri Il Gyu", "--format", "table", "--color", "never").stdout
    assert card.index(f"┃ {FAMILY_HEADING} ") < card.index(f"┃ {RELATED_HEADING} ")


def test_every_card_puts_each_tie_under_the_heading_its_relation_says(invoke: Invoke) -> None:
    """Every person in the data: each tie once, under Family when its relation is kin,
    under Related cases otherwise; a heading only over something."""
    for person in json.loads(invoke("list", "--json").stdout):
        record = _json(invoke, "show", person["id"])
        ties = [t["relation"] for t in (*record["related"], *record["relatives"])]
        plain = profile_text(invoke, person["id"])
        for heading, kin in ((FAMILY_HEADING, True), (RELATED_HEADING, False)):
            expected = [" ".join(r.split()) for r in ties if is_family(r) == kin]
            if not expected:
                assert f"\n{heading}:\n" not in plain, person["id"]
                continue
            lines = _section(plain, heading)
            assert len(lines) == len(expected), (person["id"], heading)
            for relation, line in zip(expected, lines, strict=True):
                assert line.startswith(relation), (person["id"], relation, line)


@pytest.mark.parametrize(
    ("name", "heading", "line"),
    [
        ("Hwang Jang-yop", RELATED_HEADING, "aide: Kim Dok-hong"),
        ("Kim Dok-hong", RELATED_HEADING, "the official he served as aide: Hwang Jang-yop"),
        ("Oh Hye Seon", FAMILY_HEADING, "husband: Thae Yong Ho"),
    ],
)
def test_a_tie_to_another_case_goes_where_its_relation_says(
    invoke: Invoke, name: str, heading: str, line: str
) -> None:
    plain = profile_text(invoke, name)
    assert any(entry.startswith(line) for entry in _section(plain, heading))


@pytest.mark.parametrize(
    ("name", "line"),
    [
        # Known only in Hangul: the Hangul is the name, not a bracketed gloss of nothing.
        ("Hong Soon-kyung", "wife: 표영희 ["),
        # A romanized name keeps its Hangul beside it.
        ("Cha Yong-chol", "father: Cha Se-hwi (차세휘) — "),
    ],
)
def test_a_relative_is_named_in_the_spellings_the_sources_give(
    invoke: Invoke, name: str, line: str
) -> None:
    plain = profile_text(invoke, name)
    assert any(entry.startswith(line) for entry in _section(plain, FAMILY_HEADING))


# --- long tokens, addresses and hyperlinks ---------------------------------------------------

WIDTHS = ("20", "40", "60", "80", "100", "140")
BORDERS = "│┃"


def _draw(invoke: Invoke, *args: str, width: str = "100", color: str = "never") -> str:
    result = invoke(*args, "--format", "table", "--color", color, env={"COLUMNS": width})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _json(invoke: Invoke, *args: str) -> Any:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("width", ["20", "60", "100"])  # every source, so three widths
def test_the_bibliography_keeps_every_id_and_address_whole(invoke: Invoke, width: str) -> None:
    """`theguardian-2016-08-16-thae-def` / `ects` was split across two lines."""
    drawn = _draw(invoke, "sources", "--limit", "0", width=width)
    entries = _json(invoke, "sources")
    assert "theguardian-2016-08-16-thae-defects" in drawn
    for entry in entries:
        assert entry["id"] in drawn
        if entry["url"]:
            assert entry["url"] in drawn
        for citing in entry["cited_by"]:
            if citing["kind"] == "event":  # cited by an event: its id is the label
                assert citing["id"] in drawn


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "name", ["Thae Yong Ho", "Ri Il Gyu", "Jo Song Gil", "beijing-embassy-officials-2016"]
)
def test_a_card_keeps_every_address_whole_and_out_of_its_border(
    invoke: Invoke, name: str, width: str
) -> None:
    drawn = _draw(invoke, "show", name, width=width)
    profile = _json(invoke, "show", name)
    lines = drawn.splitlines()
    sources = len(lines) - 1 - lines[::-1].index("Sources")  # the list after the card
    lines = lines[sources:]
    for number, source in enumerate(profile["sources"], start=1):
        if not source["url"]:
            continue
        # Each address on a line of its own, under its numbered reference: copied as one piece.
        at = next(i for i, line in enumerate(lines) if line.startswith(f"[{number}] "))
        below = []
        for line in lines[at + 1 :]:
            if line.startswith("["):
                break
            below.append(line.strip())
        assert source["url"] in below, (number, source["url"], below)
    assert not [line for line in drawn.splitlines() if "://" in line and line[:1] in BORDERS]
    # The ids a card names (`defect show jo-song-gil`, a quotation's id in a note) too.
    for person_id in ("thae-yong-ho", "jo-song-gil", "ri-il-gyu-beggars-in-ties"):
        if person_id in profile_text(invoke, name):
            assert person_id in drawn


def profile_text(invoke: Invoke, name: str) -> str:
    return str(invoke("show", name, "--format", "plain").stdout)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_quotation_card_puts_its_address_after_the_border(invoke: Invoke, width: str) -> None:
    drawn = _draw(invoke, "quotes", "--person", "Thae Yong Ho", width=width)
    quotes = _json(invoke, "quotes", "--person", "Thae Yong Ho")
    addresses = {entry["id"]: entry["url"] for entry in _json(invoke, "sources")}
    for quote in quotes:
        url = addresses[quote["source"]]
        if url:
            assert f"\n  {url}\n" in drawn
    assert not [line for line in drawn.splitlines() if "://" in line and line[:1] in BORDERS]


@pytest.mark.parametrize("width", WIDTHS)
def test_search_results_keep_their_ids_whole(invoke: Invoke, width: str) -> None:
    drawn = _draw(invoke, "search", "thae", width=width)
    for hit in _json(invoke, "search", "thae"):
        if hit["kind"] in {"quote", "source", "event"}:
            assert hit["id"] in drawn, hit["id"]


def test_an_email_address_is_kept_whole_in_a_narrow_table() -> None:
    from rich.console import Console
    from rich.table import Table

    from defectcli.render.layout import fitted

    table = Table("Who", "Write to")
    table.add_row("Press office", "press-office.department@example.org, or by post")
    for width in (20, 30, 44, 60):
        console = Console(width=width, color_system=None, record=True)
        console.print(fitted(table, width), crop=False)
        assert "press-office.department@example.org," in console.export_text()


def test_addresses_are_hyperlinks_on_a_terminal_only(invoke: Invoke) -> None:
    profile = _json(invoke, "show", "Thae Yong Ho")
    urls = [s["url"] for s in profile["sources"] if s["url"]]
    coloured = _draw(invoke, "show", "Thae Yong Ho", color="always")
    for url in urls:
        assert re.search(r"\x1b\]8;id=[0-9]+;" + re.escape(f"{url}\x1b\\{url}"), coloured), url
    quotes = _draw(invoke, "quotes", "--person", "Thae Yong Ho", color="always")
    assert quotes.count("\x1b]8;id=") >= len(_json(invoke, "quotes", "--person", "Thae Yong Ho"))
    sources = _draw(invoke, "sources", color="always")
    assert "\x1b]8;id=" in sources
    # No escape codes without colour, nor in a pipe's plain text.
    assert "\x1b" not in _draw(invoke, "show", "Thae Yong Ho")
    assert "\x1b" not in invoke("show", "Thae Yong Ho").stdout
