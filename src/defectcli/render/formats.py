"""Machine formats: JSON, NDJSON, CSV and Markdown tables, from contract records.

Output here is the same whether or not stdout is a terminal: scripts can rely on it.

Text from the data is neutralised in every format but JSON and NDJSON (which carry it
unchanged, for scripts): CSV shows control characters, escape sequences and bidirectional
overrides as visible escapes (``\\x1b``, ``\\u202e``), as the terminal and plain text do;
Markdown does the same and also escapes HTML (``<``, ``>``, ``&``) and what would make
structure of it (table cells, links), so a Markdown renderer shows the text, never runs it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..text.clean import clean
from .text import one_line

Record = dict[str, Any]

# A record on one line, non-ASCII text as it is.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def to_json(data: Any) -> str:
    """A list as a JSON array with one record a line (readable, greppable, and quick at
    scale, where pretty-printing every nested key is not); a single object (a profile, a
    report) indented."""
    if not isinstance(data, list):
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return "[\n" + ",\n".join(map(_encode, data)) + "\n]\n" if data else "[]\n"


def to_ndjson(records: Sequence[Record]) -> str:
    return ndjson_lines(map(_encode, records))


def ndjson_lines(encoded: Iterable[str]) -> str:
    """Lines (JSON records, or plain text) each ended by a newline."""
    return "".join(line + "\n" for line in encoded)


def cell(value: Any) -> str:
    """A value as one spreadsheet cell: lists joined with '; ', nothing for null, a record
    with an id by its id (as ``list`` names a person's sources; in full in ``show``'s JSON
    and ``sources --format csv``), other objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        ident = value.get("id")
        return ident if isinstance(ident, str) else json.dumps(value, ensure_ascii=False)
    return str(value)


def to_csv(records: Sequence[Record], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        # Control characters (but tab and newline, which CSV quotes) and bidirectional
        # overrides as visible escapes: a spreadsheet keeps them, and ``cat`` would obey them.
        writer.writerow([clean(cell(record.get(c))) for c in columns])
    return buffer.getvalue()


# Markdown's HTML and the characters that make structure of inline text: a table cell's
# edge, and the backslash that would undo an escape.
_MARKDOWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "\\": "\\\\"})


def md_cell(value: Any) -> str:
    """``cell`` as Markdown that shows it and nothing else, on one line (a line break would
    end a table row, or start a heading): control characters as visible escapes; no HTML
    (``<script>``), table cell's edge, inline link or image (``](``) or link definition
    (``]:``) made of it."""
    escaped = one_line(cell(value)).translate(_MARKDOWN)
    return escaped.replace("](", "]\\(").replace("]:", "]\\:")


def to_markdown_table(records: Sequence[Record], columns: Sequence[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(md_cell(r.get(c)) for c in columns) + " |" for r in records]
    return "\n".join(lines) + "\n"
