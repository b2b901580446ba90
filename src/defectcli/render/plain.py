"""Plain text for pipes: one line per record, tab-separated, no escape codes.

Like gh's non-terminal output: no header, no truncation, so ``grep``, ``cut -f`` and
``sort`` work. Fields are cleaned of control characters and newlines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..dataset.model import Person
from ..results import Profile, QuoteSet
from .sections import profile_sections, title
from .text import one_line, years_text


def _row(*fields: str | None) -> str:
    return "\t".join(one_line(f or "") for f in fields)


def people_lines(people: Sequence[Person]) -> Iterator[str]:
    """id, name, hangul, category, country, post, years, destination, confirmation."""
    for p in people:
        yield _row(
            p.id,
            p.name,
            p.hangul or "",
            p.category,
            p.country,
            p.defection.post or "",
            years_text(p),
            p.destination,
            p.confirmation.status,
        )


def quote_lines(quotes: QuoteSet) -> Iterator[str]:
    """speaker, date, venue, text, source id."""
    for q in quotes.quotes:
        yield _row(q.speaker, q.date or "", q.venue, q.text, q.source)


def profile_lines(profile: Profile) -> Iterator[str]:
    """A profile as its title, then headed sections: readable in ``less``, greppable."""
    yield one_line(title(profile))
    for heading, lines in profile_sections(profile):
        yield f"{heading}:"
        for line in lines:
            yield "  " + one_line(line)
