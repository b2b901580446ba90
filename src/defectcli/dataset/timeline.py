"""Every dated thing in the dataset as one kind of entry, for ``defect timeline``.

Postings, leaving a post, arrivals, disclosures, a person's later events and the context
events all become ``TimelineEntry`` rows, summarised in the project's own words.
"""

# No "from __future__ import annotations": ``model.build`` reads the entry's field types.

from collections.abc import Iterator
from typing import NamedTuple

from .model import Event, Person, build

# Within one date, the order a reader expects: a posting before leaving it, leaving before
# arriving, arriving before the news of it.
KIND_ORDER = {
    kind: order
    for order, kind in enumerate(("posting", "left-post", "arrival", "disclosure", "status"))
}


class TimelineEntry(NamedTuple):
    date: str
    kind: str
    summary: str
    sources: tuple[str, ...]
    person: str | None = None  # the record's id, None for a context event
    person_name: str | None = None
    country: str | None = None
    people: tuple[str, ...] = ()  # people a context event concerns

    @property
    def sort_key(self) -> tuple[str, int, str]:
        # Dates are text at their precision: "2023-11" sorts before "2023-11-16", which
        # is what a reader expects (the month, then a day within it).
        return (self.date, KIND_ORDER.get(self.kind, len(KIND_ORDER)), self.person_name or "")


def person_entries(person: Person) -> Iterator[TimelineEntry]:
    """A person's entries, each tied to its own country: a posting to the posting's, the
    defection (leaving the post, arriving, being made public) to the country of the post
    left; a later event (an interview, a book, a career) to none, as it records none."""
    # A report later denied or shown false is marked on every line that names it.
    marked = "" if person.counts_as_defection else f" [{person.status.value} report]"
    name = person.name + marked

    def entry(
        date: str, kind: str, summary: str, sources: tuple[str, ...], country: str | None
    ) -> TimelineEntry:
        return TimelineEntry(date, kind, summary, sources, person.id, name, country)

    for posting in person.postings:
        if posting.start:
            place = ", ".join(x for x in (posting.city, posting.country) if x)
            summary = f"{name}: {posting.title}, {place}"
            yield entry(posting.start, "posting", summary, posting.sources, posting.country)
    d = person.defection
    country = d.country  # the post left: where the defection took place
    post = f"{d.post}, {d.country}" if d.post else d.country
    if d.left:
        summary = f"{name} left the post ({post})"
        yield entry(d.left.date, "left-post", summary, d.left.sources, country)
    if d.arrived:
        place = d.arrived.place or d.destination
        summary = f"{name} arrived in {place}"
        yield entry(d.arrived.date, "arrival", summary, d.arrived.sources, country)
    if disc := person.disclosure:
        summary = f"{name}: made public. {disc.how}"
        yield entry(disc.date, "disclosure", summary, disc.sources, country)
    status = person.status
    if status.date and status.value != "reported":
        by = f" by {status.by}" if status.by else ""
        summary = f"{name}: {status.value}{by}"
        yield entry(status.date, "status", summary, status.sources, country)
    for event in person.events:
        yield entry(event.date, event.kind, f"{name}: {event.summary}", event.sources, None)


def context_entries(event: Event) -> Iterator[TimelineEntry]:
    yield build(TimelineEntry, event._asdict())  # the fields they share, by name: no person
