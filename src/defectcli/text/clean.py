"""Text from data files, paths and the environment made safe to print."""

from __future__ import annotations

import re

# C0 and C1 control characters (but tab and newline) and the bidirectional overrides: text
# from a data file must never move the cursor, retitle the window or reorder what we print.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Show control characters as visible escapes (``\\x1b``) instead of obeying them."""
    return UNSAFE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
