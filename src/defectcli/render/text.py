"""Text helpers shared by the human-readable renderers (terminal, plain, Markdown)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..dataset.model import Person, Quote, Source
from ..text.clean import clean

# How every printed reference ends when its source has no address to go to.
NO_ADDRESS = "No address recorded."

# Words a reader copies or clicks as one piece, which a drawing must never break or fold:
# web addresses, email addresses, and ids (``stays_whole``).
_LINK = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)\S"  # an address
    r"|[\w.+-]@[\w-]+\.\w"  # an email address
)
_ID = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}")
_AROUND = "()[]{}<>\"'`“”‘’.,;:!?"
_ADDRESS = re.compile(r"\b(?:https?|ftp)://[^\s<>\"]+")
_OPENING = {")": "(", "]": "[", "}": "{"}  # a closing bracket, and the bracket it closes

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


def stays_whole(word: str) -> bool:
    """Whether ``word`` holds a web or email address or is an id, copied whole and so never
    broken. An id is lower-case letters and digits joined by hyphens or underscores, four
    parts or more, or three with a digit: not an English compound ("hard-currency-earning",
    "consulate-general"), which a narrow table may fold like any other word.

    >>> [stays_whole(w) for w in ("https://example.org/a", "(ri-il-gyu-beggars-in-ties).")]
    [True, True]
    >>> [stays_whole(w) for w in ("dprk-border-reopening-2024,", "press@example.org")]
    [True, True]
    >>> [stays_whole(w) for w in ("hard-currency-earning", "Head-of-mission-level", "a@b")]
    [False, False, False]
    """
    if _LINK.search(word):
        return True
    core = word.strip(_AROUND)
    if not _ID.fullmatch(core):
        return False
    return core.count("-") + core.count("_") >= 3 or any(c.isdigit() for c in core)


def addresses(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the web addresses in ``text``: up to a space, less the punctuation that
    ends a sentence and a closing bracket whose pair opened before the address.

    >>> t = "See https://en.wikipedia.org/wiki/A_(b), or (https://example.org/x?y=1)."
    >>> [t[start:end] for start, end in addresses(t)]
    ['https://en.wikipedia.org/wiki/A_(b)', 'https://example.org/x?y=1']
    """
    for match in _ADDRESS.finditer(text):
        address = match.group()
        while address:
            last = address[-1]
            opening = _OPENING.get(last)
            unpaired = opening is not None and address.count(last) > address.count(opening)
            if last not in ".,;:!?'’”*" and not unpaired:
                break
            address = address[:-1]
        if not address.endswith("://"):  # nothing after the scheme but punctuation
            yield match.start(), match.start() + len(address)


def one_line(text: str) -> str:
    """``clean`` and fold newlines and tabs, for formats where a record is one line."""
    return " ".join(clean(text).split())


def years_text(person: Person) -> str:
    """``2016``; ``2018 (also 2019)`` (sources differ); ``2012 (reported)`` (only the year
    the case was made public is known); ``unknown``."""
    years = person.years
    if not years:
        return "unknown"
    if person.year_is_reported:
        return f"{years[0]} (reported)"
    main = person.year if person.year is not None else years[0]
    others = [str(y) for y in years if y != main]
    return f"{main} (also {', '.join(others)})" if others else str(main)


def speaker_line(quote: Quote) -> str:
    return ", ".join([quote.speaker, *filter(None, [quote.venue, quote.date])])


def source_line(source: Source, between: str | None = " ") -> str:
    """A reference, outlet (via site), "title", date, author, then ``between`` and the
    address (None: the address is drawn apart), or ``NO_ADDRESS``: without an address a
    reader cannot go to the source, so the line says so rather than end quietly."""
    outlet = source.outlet + (f" (via {source.via})" if source.via else "")
    title = source.title and f"“{source.title}”"
    line = ", ".join([outlet, *filter(None, [title, source.date, source.author])]) + "."
    if not source.url:
        return f"{line} {NO_ADDRESS}"
    return line + ("" if between is None else between + source.url)
