"""Small text helpers shared by every human-readable renderer (terminal, plain, Markdown)."""

from __future__ import annotations

import re

from ..dataset.model import Person, Quote, Source

# C0 and C1 control characters (but tab and newline) and the bidirectional overrides: text
# from a data file must never move the cursor, retitle the window or reorder what we print.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# How every printed reference ends when its source has no address to go to.
NO_ADDRESS = "No address recorded."

CONFIRMATION_LABELS = {
    "official": "officially confirmed",
    "press": "press reports only",
    "unknown": "confirmation not known",
}
STATUS_LABELS = {
    "confirmed": "confirmed by a government",
    "reported": "press reports only",
    "denied": "reported, then denied (not counted as a defection)",
    "false": "shown false (not counted as a defection)",
    "unresolved": "disappeared; outcome not known",
}


def clean(text: str) -> str:
    """Show control characters as visible escapes (``\\x1b``) instead of obeying them."""
    return _UNSAFE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``clean`` and fold newlines and tabs, for formats where a record is one line."""
    if text.isprintable():
        # No control, format or separator character but the space (every character
        # ``clean`` escapes is one of those): nothing to escape. The common case, and the
        # index renders a line for every record.
        return " ".join(text.split())
    return " ".join(clean(text).split())


def years_text(person: Person) -> str:
    """``2016``; ``2018 (also 2019)`` when sources give more than one year; ``2012
    (reported)`` when only the year the case was made public is known; ``unknown``."""
    years = person.years
    if not years:
        return "unknown"
    if person.year_is_reported:
        return f"{years[0]} (reported)"
    main = person.year if person.year is not None else years[0]
    others = [str(y) for y in years if y != main]
    return f"{main} (also {', '.join(others)})" if others else str(main)


def speaker_line(quote: Quote) -> str:
    bits = [quote.speaker]
    if quote.venue:
        bits.append(quote.venue)
    if quote.date:
        bits.append(quote.date)
    return ", ".join(bits)


def source_line(source: Source) -> str:
    """A one-line reference: outlet (via site), "title", date, author. URL (or ``NO_ADDRESS``)."""
    parts = [source.outlet + (f" (via {source.via})" if source.via else "")]
    if source.title:
        parts.append(f"“{source.title}”")
    if source.date:
        parts.append(source.date)
    if source.author:
        parts.append(source.author)
    line = ", ".join(parts)
    # Without an address a reader cannot go to the source: say so rather than end quietly.
    line += f". {source.url}" if source.url else f". {NO_ADDRESS}"
    return line


def refs(numbers: list[int]) -> str:
    """``[1][3]`` footnote marks."""
    return "".join(f"[{n}]" for n in numbers)
