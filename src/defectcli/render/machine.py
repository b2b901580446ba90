"""Writing records in the machine formats (JSON, NDJSON, CSV, Markdown table).

Kept apart from the other renderers and light to import: a query whose records come
ready-made from the index (``defect list --json``) loads this and nothing else to print.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from . import formats
from .context import Output


def write_records(
    out: Output, records: Sequence[dict[str, Any]], columns: Sequence[str], single: bool = False
) -> None:
    """Write ``records`` in ``out.format``, one of the machine formats."""
    fmt = out.format
    if fmt == "json":
        out.stream.write(formats.to_json(records[0] if single else list(records)))
    elif fmt == "ndjson":
        out.stream.write(formats.to_ndjson(records))
    elif fmt == "csv":
        out.stream.write(formats.to_csv(records, columns))
    elif fmt == "markdown":
        out.stream.write(formats.to_markdown_table(records, columns))
    else:
        raise ValueError(f"not a machine format: {fmt!r}")


def write_lines(out: Output, lines: Iterable[str]) -> None:
    """Plain text: one line each, as given (ready-made in the index, or rendered)."""
    out.stream.write(formats.ndjson_lines(lines))
