"""Typed records: what the rest of the program (and a notebook user) works with.

One generic builder makes them from schema-valid plain data by following the type hints, so
the schema's keys and the fields are the same names. ``NamedTuple`` rather than frozen
dataclasses: cheaper to define at every start that reads records, and to build in bulk.
"""

# No "from __future__ import annotations": the record builder reads each class's field types
# (typing.get_type_hints), and string annotations would be compiled anew on every start.

import types
import typing
from collections.abc import Callable, Iterator, Mapping
from functools import cache, partial
from typing import Any, NamedTuple, TypeVar, cast

from .choices import NOT_DEFECTIONS

T = TypeVar("T", bound=tuple[Any, ...])  # a record: a named tuple

# Claims on these fields carry a date or a year of the defection itself.
YEAR_FIELDS = ("defection.left", "defection.arrived", "defection.year")


class Source(NamedTuple):
    id: str
    kind: str
    outlet: str
    via: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    language: str | None = None
    note: str | None = None


class Claim(NamedTuple):
    """One sourced value of a field that sources disagree on."""

    field: str
    value: str | int | float
    sources: tuple[str, ...]
    status: str | None = None
    note: str | None = None


class Dated(NamedTuple):
    date: str
    sources: tuple[str, ...]
    place: str | None = None
    note: str | None = None


class Alias(NamedTuple):
    name: str
    kind: str
    sources: tuple[str, ...]
    note: str | None = None


class Posting(NamedTuple):
    country: str
    title: str
    sources: tuple[str, ...]
    city: str | None = None
    mission: str | None = None
    start: str | None = None
    end: str | None = None
    note: str | None = None


class Defection(NamedTuple):
    country: str
    destination: str
    sources: tuple[str, ...]
    post: str | None = None
    left: Dated | None = None
    arrived: Dated | None = None
    route: str | None = None
    companions: str | None = None
    note: str | None = None


class Disclosure(NamedTuple):
    date: str
    how: str
    sources: tuple[str, ...]
    note: str | None = None


class Confirmation(NamedTuple):
    status: str  # official | press | unknown
    sources: tuple[str, ...]
    by: str | None = None
    note: str | None = None


class Status(NamedTuple):
    """What became of the case as a report (``choices.STATUSES``), with its source."""

    value: str
    sources: tuple[str, ...]
    date: str | None = None
    by: str | None = None
    note: str | None = None


class Related(NamedTuple):
    person: str
    relation: str
    sources: tuple[str, ...]


class Relative(NamedTuple):
    relation: str
    sources: tuple[str, ...]
    name: str | None = None
    hangul: str | None = None
    note: str | None = None


class LifeEvent(NamedTuple):
    date: str
    kind: str
    summary: str
    sources: tuple[str, ...]


class QuoteData(NamedTuple):
    """A quotation as written in a person's file (the speaker not yet resolved)."""

    id: str
    text: str
    venue: str
    source: str
    speaker: str | None = None
    speaker_name: str | None = None
    date: str | None = None
    language: str = "en"
    translation: str | None = None
    note: str | None = None


class Quote(NamedTuple):
    """A quotation with its speaker resolved: ``person`` is the record it is filed under."""

    id: str
    person: str
    speaker: str
    speaker_id: str | None
    text: str
    venue: str
    source: str
    date: str | None = None
    language: str = "en"
    translation: str | None = None
    note: str | None = None


class Person(NamedTuple):
    id: str
    name: str
    category: str
    summary: str
    defection: Defection
    confirmation: Confirmation
    status: Status
    sources: tuple[str, ...] = ()
    named: bool = True
    hangul: str | None = None
    hanja: str | None = None
    aliases: tuple[Alias, ...] = ()
    born: Dated | None = None
    postings: tuple[Posting, ...] = ()
    disclosure: Disclosure | None = None
    related: tuple[Related, ...] = ()
    relatives: tuple[Relative, ...] = ()
    events: tuple[LifeEvent, ...] = ()
    claims: tuple[Claim, ...] = ()
    quotes: tuple[QuoteData, ...] = ()
    notes: str | None = None

    @property
    def country(self) -> str:
        """Country of the posting the person left."""
        return self.defection.country

    @property
    def destination(self) -> str:
        return self.defection.destination

    @property
    def confirmed(self) -> bool:
        """True when the South Korean government officially confirmed the defection."""
        return self.confirmation.status == "official"

    @property
    def counts_as_defection(self) -> bool:
        """False for a report that was denied or shown false: it is listed, never counted."""
        return self.status.value not in NOT_DEFECTIONS

    @property
    def years(self) -> tuple[int, ...]:
        """Every year a source gives for the defection (leaving, arriving, or 'the year');
        failing any, the year the case was made public (``year_is_reported``)."""
        found = self._defection_years()
        if not found and self.disclosure is not None:
            return (int(self.disclosure.date[:4]),)
        return found

    @property
    def year_is_reported(self) -> bool:
        """True when no source dates the defection itself (a report later denied, a case
        made public without a date): its year is then the year it was made public."""
        return not self._defection_years() and self.disclosure is not None

    def _defection_years(self) -> tuple[int, ...]:
        found = {int(d.date[:4]) for d in (self.defection.left, self.defection.arrived) if d}
        for claim in self.claims:
            year = str(claim.value)[:4]
            dates_it = claim.field in YEAR_FIELDS and claim.status != "doubtful"
            if dates_it and len(year) == 4 and year.isdigit():
                found.add(int(year))
        return tuple(sorted(found))

    @property
    def year(self) -> int | None:
        """The main defection year: the year the person left the post, else arrived."""
        dated = self.defection.left or self.defection.arrived
        return int(dated.date[:4]) if dated is not None else next(iter(self.years), None)

    @property
    def disputed_fields(self) -> tuple[str, ...]:
        """Fields on which the sources give more than one value."""
        values: dict[str, set[str]] = {}
        for claim in self.claims:
            values.setdefault(claim.field, set()).add(str(claim.value))
        return tuple(f for f, v in values.items() if len(v) > 1)

    def cited_sources(self) -> tuple[str, ...]:
        """Every source id the record cites, main sources first, each once."""
        return tuple(dict.fromkeys([*self.sources, *cites(self)]))


class Event(NamedTuple):
    """A dated context event (a mission closing, an expulsion, a directive)."""

    id: str
    date: str
    kind: str
    summary: str
    sources: tuple[str, ...]
    country: str | None = None
    people: tuple[str, ...] = ()
    note: str | None = None


class YearFigures(NamedTuple):
    """One year of the Ministry of Unification's arrivals series; None is unknown."""

    year: int
    sources: tuple[str, ...]
    total: int | None = None
    men: int | None = None
    women: int | None = None
    women_percent: float | None = None
    elite: int | None = None
    note: str | None = None
    claims: tuple[Claim, ...] = ()


class Cumulative(NamedTuple):
    as_of: str
    total: int
    sources: tuple[str, ...]
    men: int | None = None
    women: int | None = None
    note: str | None = None


class Figure(NamedTuple):
    id: str
    label: str
    value: int
    sources: tuple[str, ...]
    qualifier: str | None = None
    period: str | None = None
    date: str | None = None
    note: str | None = None


def cites(record: Any) -> Iterator[str]:
    """Every source id ``record`` cites, depth first in field order (repeats included)."""
    for name, value in zip(record._fields, record, strict=True):
        if name == "sources":
            yield from value
        elif name == "source":
            yield value
        elif is_record(value):
            yield from cites(value)
        elif isinstance(value, tuple):
            for item in filter(is_record, value):
                yield from cites(item)


def is_record(value: Any) -> bool:
    """A record (class or instance): a named tuple; a plain tuple has no field names."""
    return hasattr(value, "_fields")


# --- The generic builder ------------------------------------------------------------------


Converter = Callable[[Any], Any]


def build(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build a record of type ``cls`` from schema-valid plain data (nested records too)."""
    return cast(T, _builder(cls)(data))


@cache  # the hints are read once a class, not once a record
def _builder(cls: Any) -> Converter:
    """A function that builds a ``cls`` from its data: each field's value, converted where
    its type hint asks for it (a nested record), else its default. Keys that are not fields
    are left out; a missing field without a default is a KeyError."""
    hints = typing.get_type_hints(cls)
    defaults = cls._field_defaults
    fields = [
        (name, name in defaults, defaults.get(name), _converter(hints[name]))
        for name in cls._fields
    ]

    def make(data: Mapping[str, Any]) -> Any:
        values = []
        for name, optional, default, convert in fields:
            value = data.get(name, default) if optional else data[name]
            if convert is not None and value is not None:
                value = convert(value)
            values.append(value)
        return tuple.__new__(cls, values)

    return make


def _converter(hint: Any) -> Converter | None:
    if isinstance(hint, types.UnionType):  # Record | None: make() leaves None as it is
        hint = next((option for option in typing.get_args(hint) if is_record(option)), None)
    if typing.get_origin(hint) is tuple:  # tuple[X, ...]
        item = _converter(typing.get_args(hint)[0])
        return tuple if item is None else lambda value: tuple(map(item, value))
    return partial(build, hint) if is_record(hint) else None


def as_data(record: Any) -> Any:
    """A record as plain JSON-ready data (records become objects, tuples lists)."""
    if not isinstance(record, (tuple, list)):
        return record
    fields = getattr(record, "_fields", None)
    if fields is None:
        return [as_data(item) for item in record]
    return {name: as_data(value) for name, value in zip(fields, record, strict=True)}
