"""Markdown documents: a profile as headed sections, quotations as block quotes."""

from __future__ import annotations

from ..query.results import Profile, QuoteSet
from .formats import md_cell
from .sections import profile_sections, title
from .text import source_line, speaker_line


def profile_markdown(profile: Profile) -> str:
    heading_text = title(profile)
    if profile.person.hangul:
        heading_text += f" ({profile.person.hangul})"
    out = [f"# {md_cell(heading_text)}", ""]
    for heading, lines in profile_sections(profile):
        out += [f"## {heading}", ""]
        out += [f"- {md_cell(line)}" for line in lines]
        out.append("")
    return "\n".join(out)


def quotes_markdown(quotes: QuoteSet) -> str:
    out: list[str] = []
    for q in quotes.quotes:
        out += [f"> {md_cell(line)}" for line in q.text.splitlines() or [""]]
        source = quotes.sources[q.source]
        out += [">", f"> — {md_cell(speaker_line(q))}. Source: {md_cell(source_line(source))}"]
        if q.translation:
            out += [">", f"> English: {md_cell(q.translation)}"]
        out.append("")
    return "\n".join(out)
