"""Plain text for pipes: one line per record, tab-separated, no header, no truncation (like
gh's), fields cleaned of control characters and newlines, so ``grep``, ``cut -f`` and
``sort`` work. A view with rows has a function for one row's line, as ``records`` does.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..dataset.model import Person, Quote, YearFigures
from ..dataset.timeline import TimelineEntry
from ..query import results
from .records import marked
from .sections import profile_sections, title
from .text import one_line, source_line, years_text


def _row(*fields: str | None) -> str:
    return "\t".join(one_line(f or "") for f in fields)


def person_line(p: Person) -> str:
    """id, name, hangul, category, country, post, years, destination, confirmation, status."""
    where = (p.country, p.defection.post, years_text(p), p.destination)
    return _row(p.id, p.name, p.hangul, p.category, *where, p.confirmation.status, p.status.value)


def quote_line(q: Quote) -> str:
    return _row(q.speaker, q.date, q.venue, q.text, q.source)


def profile_lines(profile: results.Profile) -> Iterator[str]:
    """A profile as its title, then headed sections: readable in ``less``, greppable."""
    yield one_line(title(profile))
    for heading, lines in profile_sections(profile):
        yield f"{heading}:"
        for line in lines:
            yield "  " + one_line(line)


def _number(value: int | float | None) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def year_line(row: YearFigures) -> str:
    """year, total, men, women, elite (empty where unknown), source ids."""
    figures = map(_number, (row.total, row.men, row.women, row.elite))
    return _row(str(row.year), *figures, ",".join(row.sources))


def facet_lines(facets: results.Facets) -> Iterator[str]:
    for row in facets.rows:
        yield _row(row.value, str(row.size))


def event_line(e: TimelineEntry) -> str:
    """date, kind, person id (empty for context), summary, source ids."""
    return _row(e.date, e.kind, e.person, e.summary, ",".join(e.sources))


def source_entry_line(entry: results.SourceEntry) -> str:
    cited = ",".join(c.id for c in entry.cited_by)
    return _row(entry.source.id, entry.source.kind, source_line(entry.source), cited)


def hit_line(hit: results.SearchHit) -> str:
    """kind, id, title, snippet (matched words between ** marks)."""
    return _row(hit.kind, hit.id, marked(hit.title, ""), marked(hit.snippet))
