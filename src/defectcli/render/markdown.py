"""Markdown documents: a profile as headed sections, quotations as block quotes."""

from __future__ import annotations

from ..query.results import Profile, QuoteSet
from .formats import markdown_text
from .sections import profile_sections, title
from .text import one_line, source_line, speaker_line


def _escape(text: str) -> str:
    # Keep data from turning into Markdown structure (HTML, tables, links) or escapes,
    # and on its line: a line break would let the next line start a heading or a table.
    return markdown_text(one_line(text))


def profile_markdown(profile: Profile) -> str:
    heading_text = title(profile)
    if profile.person.hangul:
        heading_text += f" ({profile.person.hangul})"
    out = [f"# {_escape(heading_text)}", ""]
    for heading, lines in profile_sections(profile):
        out += [f"## {heading}", ""]
        out += [f"- {_escape(line)}" for line in lines]
        out.append("")
    return "\n".join(out)


def quotes_markdown(quotes: QuoteSet) -> str:
    out: list[str] = []
    for q in quotes.quotes:
        out += [f"> {_escape(line)}" for line in q.text.splitlines() or [""]]
        source = quotes.sources[q.source]
        out += [">", f"> — {_escape(speaker_line(q))}. Source: {_escape(source_line(source))}"]
        if q.translation:
            out += [">", f"> English: {_escape(q.translation)}"]
        out.append("")
    return "\n".join(out)
