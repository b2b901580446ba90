"""Column widths for terminal tables: every word kept whole, and nothing cut off.

Left to itself, Rich narrows the widest columns first, breaking words in one column while
another keeps room it does not need ("secretar/y," beside a half-empty year column);
columns that cannot wrap overrun the terminal, whose edge Rich cuts; and its default
overflow puts an ellipsis where the rest of a note should be. Here, as in browsers'
automatic table layout (CSS 2.1, 17.5.2.2), widths are shared out from each column's
longest word (``share``); a table whose words cannot stand side by side is drawn as records
(as ``psql``'s expanded display), whole at any width.

Web and email addresses and ids, copied or clicked as one piece, are never folded: those
``text.stays_whole`` recognises, and those a renderer marks ``WHOLE`` (an id is known as one
where it is drawn: "yonhap-ryu-romanization" reads like "hard-currency-earning"). Where
even the longest of them does not fit, it gets a line of its own, unfolded (``kept_whole``):
a terminal copies a line it wrapped itself as one piece.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from .text import stays_whole

# When a table's longest words do not fit, words down to this length may be folded before
# the table gives way to records: at 80 columns the list of people has to fold
# "consulate-general" and "representative," (17 and 16 cells) to stay a table.
LONG_WORD = 12

# Marks a word that must stay whole (an id): a style that draws nothing.
WHOLE = Style(meta={"defectcli": "whole"})
_WORD = re.compile(r"\S+")
# Text between two words on lines of their own, less the spaces and line break around it.
_BETWEEN = re.compile(r"[ \t]*\n?(.*?)\n?[ \t]*", re.DOTALL)


def whole(text: Text, start: int = 0, end: int | None = None) -> Text:
    """``text``, from ``start`` to ``end`` (all of it) marked ``WHOLE``."""
    text.stylize(WHOLE, start, end)
    return text


def whole_words(text: Text, longer_than: int = 0) -> list[tuple[int, int]]:
    """The spans of the words wider than ``longer_than`` cells that must stay whole: marked
    ``WHOLE``, or an address or id by their look (``stays_whole``)."""
    plain = text.plain
    marked = [(span.start, span.end) for span in text.spans if span.style is WHOLE]
    found = []
    for match in _WORD.finditer(plain):
        word = match.group()
        if cell_len(word) <= longer_than:
            continue
        start, end = match.span()
        if stays_whole(word) or any(a < end and start < b for a, b in marked):
            found.append((start, end))
    return found


def _text(cell: RenderableType) -> Text:
    """A cell as ``Text``; every cell we draw is a ``Text`` or a plain string."""
    return cell if isinstance(cell, Text) else Text(str(cell))


def extent(cells: Iterable[Text]) -> tuple[int, int, int]:
    """(longest word, longest word that must stay whole, longest line), in terminal cells."""
    shortest = whole = longest = 0
    for cell in cells:
        plain = cell.plain
        longest = max([longest, *map(cell_len, plain.splitlines())])
        shortest = max([shortest, *map(cell_len, plain.split())])
        # A word no longer than LONG_WORD is never folded (``fitted``): only longer ones count.
        for start, end in whole_words(cell, longer_than=max(whole, LONG_WORD)):
            whole = max(whole, cell_len(plain[start:end]))
    return shortest, whole, longest


def share(minimums: Sequence[int], maximums: Sequence[int], room: int) -> list[int] | None:
    """Widths for columns that need ``minimums`` and can use ``maximums`` in ``room`` cells
    (None when the minimums do not fit). The columns that want least get their longest line
    first, while the room lasts (a year wrapped to save a long note five cells helps
    nobody); the long columns share what is left in proportion to what each wants."""
    if sum(minimums) > room:
        return None
    if sum(maximums) <= room:
        return list(maximums)
    widths = list(minimums)
    spare = room - sum(widths)
    pending = sorted((i for i, w in enumerate(widths) if maximums[i] > w),
                     key=lambda i: maximums[i] - widths[i])  # fmt: skip
    while pending and maximums[pending[0]] - widths[pending[0]] <= spare:
        i = pending.pop(0)
        spare -= maximums[i] - widths[i]
        widths[i] = maximums[i]
    wants = {i: maximums[i] - widths[i] for i in pending}
    given = {i: spare * want // sum(wants.values()) for i, want in wants.items()}
    # What rounding down left over, a cell at a time, to the columns that want most.
    for i in sorted(pending, key=lambda i: -wants[i])[: spare - sum(given.values())]:
        given[i] += 1
    for i, extra in given.items():
        widths[i] += extra
    return widths


def _measure(table: Table) -> tuple[list[tuple[int, int, int]], int]:
    """Each column's ``extent`` (a column that does not wrap needs its longest line), and the
    cells the table adds: borders, dividers and padding."""
    columns = table.columns
    extra = (2 if table.box and table.show_edge else 0) + (len(columns) - 1 if table.box else 0)
    extents = []
    for i, column in enumerate(columns):
        extra += _padding(table, i)
        header = [_text(column.header)] if table.show_header else []
        low, whole, high = extent([*header, *(_text(cell) for cell in column.cells)])
        extents.append((high, high, high) if column.no_wrap else (low, whole, high))
    return extents, extra


def _padding(table: Table, index: int) -> int:
    """The cells Rich reserves for column ``index``'s padding, asked of Rich where it can be:
    before Rich 15 it reserved the outer padding of a table drawn without it (pad_edge=False),
    and took the two cells back from some column. The method is private: a Rich without it
    gets Rich 15's rule."""
    ask = getattr(table, "_get_padding_width", None)
    if ask is not None:
        return int(ask(index))
    _, right, _, left = table.padding
    if not table.pad_edge:  # no padding at the outer edges
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left + right


def natural_width(table: Table) -> int:
    """How wide ``table`` is with no cell wrapped."""
    extents, extra = _measure(table)
    return sum(high for _, _, high in extents) + extra


def fitted(table: Table, width: int) -> RenderableType:
    """``table`` with its column widths fixed for ``width`` cells, or its rows as records when
    its words cannot stand side by side, even with those over ``LONG_WORD`` folded (never an
    address or an id)."""
    extents, extra = _measure(table)
    highs = [high for _, _, high in extents]
    # Every word whole if the width allows; else fold only the longest words, no shorter
    # than needed (the first cap is the longest word: nothing folded).
    longest = max((low for low, _, _ in extents), default=0)
    for cap in range(max(longest, LONG_WORD), LONG_WORD - 1, -1):
        lows = [max(whole, min(low, cap)) for low, whole, _ in extents]
        widths = share(lows, highs, width - extra)
        if widths is not None:
            for column, column_width in zip(table.columns, widths, strict=True):
                column.width = max(1, column_width)
                column.ratio = column.min_width = column.max_width = None
            return table
    return records(table, width)


def records(table: Table, width: int) -> Group:
    """Each row as "Header: value" lines (values alone without a header row; empty cells left
    out), after a blank line unless its first cell is empty: such a row goes on with the one
    above (a field's second claim). Words kept whole as ``kept_whole`` keeps them."""
    columns = [
        (_text(column.header).plain if table.show_header else "", list(column.cells))
        for column in table.columns
    ]
    lines: list[Text] = []
    for row in range(table.row_count):
        if lines and _text(columns[0][1][row]).plain.strip():
            lines.append(Text(""))
        for header, cells in columns:
            value = _text(cells[row])
            if not value.plain.strip():
                continue
            line = Text.assemble((f"{header}: " if header else "", "bold"), value)
            lines += kept_whole(line, width)
    return Group(*lines)


def kept_whole(text: Text, width: int) -> list[Text]:
    """``text`` as pieces to print one under the other (uncropped), each word that must stay
    whole and is wider than ``width`` alone on its line, never folded: the terminal wraps
    it, and copies it as one piece. A text without such a word comes back as it is."""
    words = whole_words(text, longer_than=width)
    if not words:
        return [text]
    pieces: list[Text] = []
    # Divided at the words' edges: the text between two words, a word, the text between...
    for i, piece in enumerate(text.divide(edge for word in words for edge in word)):
        if i % 2:
            piece.no_wrap, piece.overflow = True, "ignore"
            pieces.append(piece)
            continue
        between = _BETWEEN.fullmatch(piece.plain)  # matches any text
        if between and between.start(1) < between.end(1):
            pieces.append(piece[between.start(1) : between.end(1)])
    return pieces
