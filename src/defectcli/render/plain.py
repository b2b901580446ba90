"""Plain text for pipes: one line per record, tab-separated, no header, no truncation (like
gh's), fields cleaned of control characters and newlines, so ``grep``, ``cut -f`` and
``sort`` work.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..dataset.model import Person
from ..query import results
from .records import marked
from .sections import profile_sections, title
from .text import one_line, source_line, years_text


def _row(*fields: str | None) -> str:
    return "\t".join(one_line(f or "") for f in fields)


def people_lines(people: Sequence[Person]) -> Iterator[str]:
    """id, name, hangul, category, country, post, years, destination, confirmation, status."""
    for p in people:
        where = (p.country, p.defection.post, years_text(p), p.destination)
        yield _row(
            p.id, p.name, p.hangul, p.category, *where, p.confirmation.status, p.status.value
        )


def quote_lines(quotes: results.QuoteSet) -> Iterator[str]:
    """speaker, date, venue, text, source id."""
    for q in quotes.quotes:
        yield _row(q.speaker, q.date, q.venue, q.text, q.source)


def profile_lines(profile: results.Profile) -> Iterator[str]:
    """A profile as its title, then headed sections: readable in ``less``, greppable."""
    yield one_line(title(profile))
    for heading, lines in profile_sections(profile):
        yield f"{heading}:"
        for line in lines:
            yield "  " + one_line(line)


def _number(value: int | float | None) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def stats_lines(stats: results.Statistics) -> Iterator[str]:
    """year, total, men, women, elite (empty where unknown), source ids."""
    for row in stats.arrivals:
        figures = map(_number, (row.total, row.men, row.women, row.elite))
        yield _row(str(row.year), *figures, ",".join(row.sources))


def facet_lines(facets: results.Facets) -> Iterator[str]:
    for row in facets.rows:
        yield _row(row.value, str(row.size))


def timeline_lines(timeline: results.Timeline) -> Iterator[str]:
    """date, kind, person id (empty for context), summary, source ids."""
    for e in timeline.entries:
        yield _row(e.date, e.kind, e.person, e.summary, ",".join(e.sources))


def source_lines(entries: Sequence[results.SourceEntry]) -> Iterator[str]:
    """id, kind, the reference as one line, the ids of the records citing it."""
    for entry in entries:
        cited = ",".join(c.id for c in entry.cited_by)
        yield _row(entry.source.id, entry.source.kind, source_line(entry.source), cited)


def search_lines(result: results.SearchResult) -> Iterator[str]:
    """kind, id, title, snippet (matched words between ** marks)."""
    for hit in result.hits:
        yield _row(hit.kind, hit.id, marked(hit.title, ""), marked(hit.snippet))
