"""What queries return beyond single records: shapes the renderers draw."""

from __future__ import annotations

from dataclasses import dataclass

from .dataset.model import Person, Quote, Related, Source


@dataclass(frozen=True)
class Profile:
    """Everything ``defect show`` prints about one person, gathered in one place.

    ``sources`` are numbered by their position (1-based) for citing: every source the record
    or its quotations cite, the record's main sources first.
    """

    person: Person
    quotes: tuple[Quote, ...]
    related: tuple[tuple[Related, str], ...]
    sources: tuple[Source, ...]

    def number(self, source_id: str) -> int:
        """The 1-based number of a source in this profile's list."""
        for n, source in enumerate(self.sources, start=1):
            if source.id == source_id:
                return n
        raise KeyError(source_id)


@dataclass(frozen=True)
class QuoteSet:
    """Quotations with the sources they cite, for rendering."""

    quotes: tuple[Quote, ...]
    sources: dict[str, Source]
