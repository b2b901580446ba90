"""Cards and tables say what they hold, and keep what a reader copies whole (issue 26)."""

from __future__ import annotations

import doctest

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
              "siblings (three)", "aunt or uncle", "partner", "grandparents", "cousin"]  # fmt: skip
    others = ["aide", "the official he served as aide", "colleague", "friend", "same case",
              "earlier officially confirmed diplomat defector under Kim Jong Un",
              "a colleague (her cousin)"]  # fmt: skip
    assert [r for r in family if not is_family(r)] == []
    assert [r for r in others if is_family(r)] == []


def test_family_holds_family_only_and_other_ties_are_named(invoke: Invoke) -> None:
    """Ri Il Gyu's card listed Thae Yong Ho, Jo Song Gil and Ryu Hyun Woo under "Family"."""
    plain = invoke("show", "Ri Il Gyu", "--format", "plain").stdout
    family = _section(plain, FAMILY_HEADING)
    related = _section(plain, RELATED_HEADING)
    assert [line.split(" —")[0] for line in family] == [
        "wife",
        "child",
        "parents and parents-in-law",
    ]
    assert len(related) == 3
    for name, person_id in (
        ("Thae Yong Ho", "thae-yong-ho"),
        ("Jo Song Gil", "jo-song-gil"),
        ("Ryu Hyun Woo", "ryu-hyun-woo"),
    ):
        # Each with its relation, its name, where to read more and its sources.
        line = next(line for line in related if name in line)
        assert line.startswith("earlier officially confirmed diplomat defector")
        assert f"(see `defect show {person_id}`) [2]" in line
    # The same sections, in the same order, in Markdown and on a terminal.
    markdown = invoke("show", "Ri Il Gyu", "--format", "markdown").stdout
    assert markdown.index(f"## {FAMILY_HEADING}") < markdown.index(f"## {RELATED_HEADING}")
    card = invoke("show", "Ri Il Gyu", "--format", "table", "--color", "never").stdout
    assert card.index(f"┃ {FAMILY_HEADING} ") < card.index(f"┃ {RELATED_HEADING} ")


@pytest.mark.parametrize(
    ("name", "family", "related"),
    [
        ("Hwang Jang-yop", [], ["aide: Kim Dok-hong"]),
        ("Kim Dok-hong", [], ["the official he served as aide: Hwang Jang-yop"]),
        ("Oh Hye Seon", ["husband: Thae Yong Ho"], []),
    ],
)
def test_a_section_is_there_only_when_it_holds_something(
    invoke: Invoke, name: str, family: list[str], related: list[str]
) -> None:
    plain = invoke("show", name, "--format", "plain").stdout
    for heading, expected in ((FAMILY_HEADING, family), (RELATED_HEADING, related)):
        if not expected:
            assert f"\n{heading}:\n" not in plain
            continue
        lines = _section(plain, heading)
        for start in expected:
            assert any(line.startswith(start) for line in lines), (heading, lines)
