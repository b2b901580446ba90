"""A profile as titled sections of plain lines, with numbered source marks: plain text,
Markdown and the terminal card all present them, so they cannot disagree about a profile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..dataset.model import Claim, Dated, Person, Posting, Quote
from ..query.results import Profile
from ..text.romanize import romanizations
from .text import CONFIRMATION_LABELS, STATUS_LABELS, source_line, speaker_line

Section = tuple[str, list[str]]


# What each source gives for a field, side by side where they differ. Not "disputed": a field
# can hold one sourced value, set there beside another field it bears on (a birth year
# beside an age).
CLAIMS_HEADING = "Claims by source"


def marks(profile: Profile, ids: Iterable[str]) -> str:
    """``[1][3]``: the footnote marks of the sources ``ids``."""
    return "".join(f"[{n}]" for n in sorted({profile.number(i) for i in ids}))


def _sourced(profile: Profile, line: str, note: str | None, sources: Iterable[str]) -> str:
    """``line``, its note in brackets if it has one, then the marks of its sources."""
    noted = f"{line} ({note})" if note else line
    return f"{noted} {marks(profile, sources)}"


def _dated(profile: Profile, label: str, dated: Dated | None) -> list[str]:
    if dated is None:
        return []
    place = f", {dated.place}" if dated.place else ""
    return [_sourced(profile, f"{label}: {dated.date}{place}", dated.note, dated.sources)]


def title(profile: Profile) -> str:
    person = profile.person
    text = person.name + ("" if person.named else " (not named in the sources)")
    # A report later denied or shown false says so before anything else.
    return text if person.counts_as_defection else f"{text} [{person.status.value} report]"


def names_lines(profile: Profile) -> list[str]:
    """Hangul, hanja and every other spelling (the display name is the title)."""
    person = profile.person
    lines: list[str] = []
    if person.hangul:
        lines.append(f"Hangul: {person.hangul}")
    if person.hanja:
        lines.append(f"Hanja: {person.hanja}")
    if person.hangul:  # after the hanja: derived forms come last among the Hangul's lines
        forms = romanizations(person.hangul)
        lines.append(
            f"Romanized from the Hangul (derived, not from a source): RR {forms['rr']} · "
            f"McCune–Reischauer {forms['mr']} ({forms['mr-plain']}) · North {forms['dprk']}"
        )
    for alias in person.aliases:
        about = f"{alias.kind}; {alias.note}" if alias.note else alias.kind
        lines.append(f"Also: {alias.name} ({about}) {marks(profile, alias.sources)}")
    return lines


def defection_lines(profile: Profile) -> list[str]:
    person = profile.person
    d = person.defection
    # The country once: "Acting ambassador, Kuwait", not "Acting ambassador, Kuwait, Kuwait".
    named = d.post and re.search(rf"\b{re.escape(d.country)}\b", d.post)  # not Niger in Nigeria
    place = d.post if named else ", ".join(filter(None, [d.post, d.country]))
    lines = [f"From: {place} {marks(profile, d.sources)}"]
    lines += _dated(profile, "Left the post", d.left)
    lines += _dated(profile, "Arrived", d.arrived)
    lines.append(f"Destination: {d.destination}")
    details = (("Route", d.route), ("With", d.companions), ("Note", d.note))
    lines += [f"{label}: {value}" for label, value in details if value]
    if disc := person.disclosure:
        lines.append(f"Made public: {disc.date}, {disc.how} {marks(profile, disc.sources)}")
    status = person.status
    line = f"Status: {status.value}, {STATUS_LABELS[status.value]}"
    said = ", ".join(x for x in (f"by {status.by}" if status.by else None, status.date) if x)
    if said:
        line += f"; {said}"
    lines.append(_sourced(profile, line, status.note, status.sources))
    conf = person.confirmation
    by = f" by {conf.by}" if conf.by else ""
    line = f"Seoul's confirmation: {CONFIRMATION_LABELS[conf.status]}{by}"
    lines.append(_sourced(profile, line, conf.note, conf.sources))
    return lines


def posting_line(profile: Profile, p: Posting) -> str:
    place = ", ".join(x for x in (p.mission, p.city, p.country) if x)
    if p.start and p.end:
        span = p.start if p.start == p.end else f"{p.start} – {p.end}"
    else:  # one end known: "from 2016-11", "until 2019" (a bare dash reads as a typo)
        span = f"from {p.start}" if p.start else f"until {p.end}" if p.end else ""
    line = f"{p.title}, {place}"
    if span:
        line += f" ({span})"
    if p.note:
        line += f"; {p.note}"
    return f"{line} {marks(profile, p.sources)}"


# The words that make a tie a family tie ("wife", "son (elder)", "parents and parents-in-law",
# "relative (she is a niece)"); every other tie (an aide, a friend, an earlier defector,
# a family "reported in the same story") is listed under ``RELATED_HEADING``. Singular, the
# plural in "-s" by rule and the others listed; any word ending "-in-law" too.
FAMILY_WORDS = frozenset(
    """
    wife wives husband spouse partner fiance fiancee son daughter child children stepson
    stepdaughter stepchild stepchildren mother father parent stepmother stepfather brother
    sister sibling half-brother half-sister grandparent grandfather grandmother grandson
    granddaughter grandchild grandchildren aunt uncle nephew niece cousin relative
    """.split()
)
FAMILY_HEADING = "Family"
RELATED_HEADING = "Related cases"


# Where the words naming the tie end and the words about it begin ("colleague of his father",
# "fellow defector ... with whom she and her husband planned the escape").
_QUALIFIERS = frozenset("of with who whom whose from by in to at for as under".split())


def is_family(relation: str) -> bool:
    """Whether a relation names kin, by the words before any comma, semicolon or qualifying
    phrase and outside parentheses: what those add ("(the diplomat)", "of his father") says
    more about the tie, not what kind of tie it is.

    >>> [is_family(r) for r in ("son (elder)", "parents-in-law", "aide", "aunt or uncle")]
    [True, True, False, True]
    >>> [is_family(r) for r in ("wife's nephew", "husband and father (the diplomat)")]
    [True, True]
    >>> is_family("reported in the same story; that family reached South Korea in 2024")
    False
    >>> is_family("fellow defector, with whom she and her husband planned the escape")
    False
    >>> is_family("colleague of his father")
    False
    """
    kind = re.sub(r"\([^)]*\)", " ", re.split("[,;]", relation, maxsplit=1)[0].lower())
    for word in re.findall(r"[a-z'-]+", kind):
        if word in _QUALIFIERS:
            return False
        kin = word.removesuffix("'s")
        if {kin, kin.removesuffix("s")} & FAMILY_WORDS or kin.endswith("-in-law"):
            return True
    return False


def tie_lines(profile: Profile) -> tuple[list[str], list[str]]:
    """The person's ties as lines: family, and every other tie (an aide, an earlier defector
    who welcomed them), each with its relation and its sources."""
    ties = [
        (link.relation, f"{link.relation}: {name} (see `defect show {link.person}`)", link.sources)
        for link, name in profile.related
    ]
    for rel in profile.person.relatives:
        # The Hangul in brackets after a romanized name; alone, as the name, when it is all.
        who = f"{rel.name} ({rel.hangul})" if rel.name and rel.hangul else rel.name or rel.hangul
        line = f"{rel.relation}: {who}" if who else rel.relation
        ties.append((rel.relation, line + (f" — {rel.note}" if rel.note else ""), rel.sources))
    family: list[str] = []
    others: list[str] = []
    for relation, line, sources in ties:
        (family if is_family(relation) else others).append(f"{line} {marks(profile, sources)}")
    return family, others


def claim_groups(person: Person) -> list[tuple[str, list[Claim]]]:
    """Claims grouped by field, in the order fields first appear."""
    groups: dict[str, list[Claim]] = {}
    for claim in person.claims:
        groups.setdefault(claim.field, []).append(claim)
    return list(groups.items())


def claim_text(profile: Profile, claim: Claim) -> str:
    text = f"{claim.value} {marks(profile, claim.sources)}"
    extra = "; ".join(x for x in (claim.status, claim.note) if x)
    return f"{text} ({extra})" if extra else text


def quote_line(profile: Profile, q: Quote) -> str:
    line = f"“{q.text}” — {speaker_line(q)} {marks(profile, [q.source])}"
    if q.translation:
        line += f" [English: {q.translation}]"
    return line


def profile_sections(profile: Profile) -> list[Section]:
    """Every section of a profile that has something to say, in reading order."""
    person = profile.person
    family, others = tie_lines(profile)
    # In date order, as the timeline lists them (a month before its days; the same date as
    # written); the file's order is the editor's.
    events = sorted(person.events, key=lambda e: e.date)
    claims = [
        f"{field}: " + " | ".join(claim_text(profile, c) for c in found)
        for field, found in claim_groups(person)
    ]
    sections = [
        ("Names", names_lines(profile)),
        ("Summary", [person.summary]),
        ("Category", [person.category]),
        ("Born", _dated(profile, "Born", person.born)),
        ("Postings", [posting_line(profile, p) for p in person.postings]),
        ("Defection", defection_lines(profile)),
        (FAMILY_HEADING, family),
        (RELATED_HEADING, others),
        ("Events", [f"{e.date} {e.kind}: {e.summary} {marks(profile, e.sources)}" for e in events]),
        (CLAIMS_HEADING, claims),
        ("Quotations", [quote_line(profile, q) for q in profile.quotes]),
        ("Notes", [person.notes] if person.notes else []),
        ("Sources", [f"[{n}] {source_line(s)}" for n, s in enumerate(profile.sources, start=1)]),
    ]
    return [(heading, lines) for heading, lines in sections if lines]
