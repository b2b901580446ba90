"""Terminal drawings lose nothing at any width: a narrow terminal wraps, it never cuts.

A cut word in a name, a date or a figure is a wrong fact, and an ellipsis in a claim's note
hides the end of what a source said. Each drawing is compared with the same drawing at a
width where nothing has to wrap: apart from spaces, borders and bars (which scale with the
width), every character must still be there, at least as many times (a table too narrow
for its words is drawn as records, which repeat the column headings).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import Invoke

# The cards with the most to wrap (the largest files) and the least: drawing all 95 cards
# at seven widths took a minute.
_FILES = sorted(
    (Path(__file__).parents[1] / "data" / "people").glob("*.yaml"),
    key=lambda p: (-p.stat().st_size, p.name),
)
PEOPLE = sorted({p.stem for p in _FILES[:10] + _FILES[-3:]})
# The long listings are cut to their first 60 rows (of several hundred): enough rows for
# every column's widest kinds of text, at a fraction of the drawing time.
COMMANDS = [
    ["list"],
    ["quotes", "--limit", "60"],
    ["timeline", "--limit", "60"],
    ["sources", "--limit", "60"],
    ["stats"],
    ["stats", "--stacked"],
    ["search", "embassy"],
    ["count", "--by", "country"],
]
# The narrowest a table can fold to, the usual terminals, and a wide one.
WIDTHS = (20, 40, 80, 120)
WIDE = "1000"
# What a narrow drawing may leave out: a chart, with its heading and legend.
CHART_TEXTS = ("Arrivals in South Korea", "█ men  ▒ women  ░ not split by sex")


def _content(drawing: str) -> Counter[str]:
    """The characters a reader reads: no white space, box drawing or bar blocks."""
    return Counter(c for c in drawing if not c.isspace() and not 0x2500 <= ord(c) <= 0x259F)


def _draw(invoke: Invoke, args: list[str], width: str) -> str:
    result = invoke(*args, "--format", "table", "--color", "never", env={"COLUMNS": width})
    assert result.exit_code == 0, result.output
    return result.stdout


def _without_chart(drawing: str) -> str:
    for text in CHART_TEXTS:
        drawing = drawing.replace(text, "")
    return drawing


def _lost(invoke: Invoke, args: list[str]) -> dict[int, str]:
    whole = _content(_without_chart(_draw(invoke, args, WIDE)))
    lost = {}
    for width in WIDTHS:
        drawn = _content(_without_chart(_draw(invoke, args, str(width))))
        missing = "".join((whole - drawn).elements())
        if missing or drawn["…"] > whole["…"]:
            lost[width] = f"missing {missing[:40]!r}, {drawn['…'] - whole['…']} more '…'"
    return lost


@pytest.mark.parametrize("person", PEOPLE)
def test_every_card_keeps_all_its_text_at_every_width(invoke: Invoke, person: str) -> None:
    assert _lost(invoke, ["show", person]) == {}


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_table_keeps_all_its_text_at_every_width(invoke: Invoke, args: list[str]) -> None:
    assert _lost(invoke, args) == {}


def test_no_line_is_wider_than_the_terminal(invoke: Invoke) -> None:
    """But a line that is one address or id, never folded (issue 26): the terminal wraps
    it, and copies it as one piece."""
    from rich.cells import cell_len

    shown = (["show", "thae"], ["show", "beijing-embassy-officials-2016"], ["list"], ["stats"])
    for args in (*shown, ["sources", "--limit", "60"]):
        for width in WIDTHS:
            lines = _draw(invoke, args, str(width)).splitlines()
            wide = [line for line in lines if cell_len(line) > width]
            assert all(len(line.split()) == 1 and re.search("://|@|-", line) for line in wide), (
                args,
                width,
                wide[:3],
            )


def test_a_table_too_narrow_for_its_words_is_drawn_as_records(invoke: Invoke) -> None:
    narrow = " ".join(_draw(invoke, ["list"], "60").split())  # records wrap too
    names = [p["name"] for p in json.loads(invoke("list", "--format", "json").stdout)]
    for name in names:
        assert f"Name: {name}" in narrow
    assert "Name: " not in _draw(invoke, ["list"], "100")  # a table there, with a header
    # 55 columns: too narrow for the words of the claims table, which is then drawn as records.
    card = [line.strip("┃ ") for line in _draw(invoke, ["show", "thae"], "55").splitlines()]
    # A field's claims stay together, as in the table: a blank line only before the next field.
    group = card[card.index("Field: defection.left") : card.index("Field: defection.route")]
    assert "Claim: 2016-07" in group and "Claim: 2016-08" in group
    assert group.count("") == 1 and group[-1] == ""


def test_a_table_a_little_too_narrow_folds_only_its_longest_words(invoke: Invoke) -> None:
    # From the widest terminal down, the first words to fold are the longest ones: the
    # table gives every shorter word its room first.
    def words(drawing: str) -> set[str]:
        return set("".join(c if not 0x2500 <= ord(c) <= 0x259F else " " for c in drawing).split())

    whole = words(_draw(invoke, ["list"], WIDE))

    def folded_at(width: int) -> set[str]:
        return whole - words(_draw(invoke, ["list"], str(width)))

    # The widest width at which a word folds, found by halving [low, high).
    low, high = 60, 400
    assert folded_at(low) and not folded_at(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if folded_at(middle) else (low, middle)
    folded = folded_at(low)
    longest = max(len(w) for w in folded)
    assert all(len(w) >= longest - 2 for w in folded), folded
    assert len(folded) <= 3, folded


def test_a_title_too_long_for_the_card_opens_its_body_whole(invoke: Invoke) -> None:
    title = invoke("show", "beijing-embassy-officials-2016", "--format", "plain").stdout
    title = title.splitlines()[0]
    assert len(title) > 100
    drawing = _draw(invoke, ["show", "beijing-embassy-officials-2016"], "100")
    assert " ".join(drawing.replace("┃", " ").split()).startswith("┏" + "━" * 98 + "┓ " + title)


@pytest.mark.parametrize("args", [["show", "Thae"], *COMMANDS], ids=" ".join)
def test_a_width_of_zero_is_taken_as_unknown(invoke: Invoke, args: list[str]) -> None:
    """COLUMNS=0 (a terminal or CI runner that does not know its width): Rich would draw
    everything zero cells wide, which prints nothing; drawn 80 wide instead."""
    unknown = invoke(*args, "--format", "table", env={"COLUMNS": "0"})
    assert unknown.exit_code == 0, unknown.stderr
    assert unknown.stdout.strip()
    assert unknown.stdout == invoke(*args, "--format", "table", env={"COLUMNS": "80"}).stdout


@pytest.mark.parametrize(
    ("minimums", "maximums", "room", "widths"),
    [
        ([5, 5], [9, 9], 20, [9, 9]),  # everything fits: every line whole
        ([5, 5], [9, 9], 9, None),  # not even the longest words fit
        ([4, 5, 10], [4, 16, 60], 40, [4, 16, 20]),  # the year whole, the note wraps
        # Two long columns share the rest 30:60, rounded down (6, 13), the cell left over to
        # the one that wants more.
        ([4, 10, 10], [4, 40, 70], 44, [4, 16, 24]),
    ],
)
def test_share_gives_short_columns_their_room_first(
    minimums: list[int], maximums: list[int], room: int, widths: list[int] | None
) -> None:
    from defectcli.render.layout import share

    assert share(minimums, maximums, room) == widths


@pytest.mark.parametrize(("pad_edge", "expected"), [(False, [1, 2, 1]), (True, [2, 2, 2])])
def test_padding_without_richs_private_method_follows_rich_15(
    pad_edge: bool, expected: list[int]
) -> None:
    from types import SimpleNamespace

    from rich.table import Table

    from defectcli.render.layout import _padding

    table = Table("a", "b", "c", pad_edge=pad_edge)
    # The same table's settings, without the method: what a Rich that dropped it gets.
    bare = SimpleNamespace(padding=table.padding, pad_edge=pad_edge, columns=table.columns)
    assert [_padding(bare, i) for i in range(3)] == expected  # type: ignore[arg-type]
    if int(version("rich").split(".")[0]) >= 15:  # Rich's own rule since 15.0
        assert [table._get_padding_width(i) for i in range(3)] == expected
