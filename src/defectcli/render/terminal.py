"""Rich tables and cards for a terminal. Rich is imported here and nowhere else.

Every piece of text from the data goes into a ``rich.text.Text`` (never a markup string),
so ``[bold red]`` in a data file prints as it is written; ``clean`` neutralises control
characters before Rich sees them.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..dataset.model import Person, Quote, Source
from ..results import Profile, QuoteSet
from .sections import claim_groups, marks, profile_sections, title
from .text import clean, source_line, speaker_line, years_text

# Short labels for the table; the card spells them out.
STATUS_SHORT = {"official": "official", "press": "press only", "unknown": "not known"}


def _t(text: str | None, style: str = "") -> Text:
    return Text(clean(text or ""), style=style)


def people_table(people: Sequence[Person], console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    # Every column wraps (fold, never an ellipsis: a truncated name is a wrong name), in
    # proportion to how much it usually holds, so a narrow terminal still shows everything.
    for header, ratio, min_width in (
        ("Name", 4, 8),
        ("Hangul", 2, 3),
        ("Country", 3, 5),
        ("Post", 5, 8),
        ("Year", 2, 4),
        ("To", 3, 5),
        ("Confirmed", 2, 5),
    ):
        table.add_column(header, ratio=ratio, min_width=min_width, overflow="fold")
    for p in people:
        years = _t(years_text(p), "yellow" if len(p.years) > 1 else "")
        status = _t(STATUS_SHORT[p.confirmation.status], "green" if p.confirmed else "dim")
        table.add_row(
            _t(p.name, "bold"),
            _t(p.hangul),
            _t(p.country),
            _t(p.defection.post),
            years,
            _t(p.destination),
            status,
        )
    console.print(table)
    count = len(people)
    console.print(_t(f"{count} {'person' if count == 1 else 'people'}", "dim"))


def quote_card(quote: Quote, source: Source, mark: str = "") -> Panel:
    body: list[RenderableType] = [_t(quote.text, "italic")]
    if quote.translation:
        body.append(_t(f"English: {quote.translation}", "dim"))
    attribution = Text("— ", style="bold")
    attribution.append(_t(speaker_line(quote), "bold"))
    body.append(attribution)
    cite = _t(f"{mark + ' ' if mark else ''}{source_line(source)}", "dim")
    body.append(cite)
    if quote.note:
        body.append(_t(f"Note: {quote.note}", "dim"))
    return Panel(Group(*body), box=box.ROUNDED, border_style="cyan", padding=(0, 1))


def quote_cards(quotes: QuoteSet, console: Console) -> None:
    for q in quotes.quotes:
        console.print(quote_card(q, quotes.sources[q.source]))
    count = len(quotes.quotes)
    console.print(_t(f"{count} quotation{'' if count == 1 else 's'}", "dim"))


def profile_card(profile: Profile, console: Console) -> None:
    person = profile.person
    heading = Text(clean(title(profile)), style="bold")
    if person.hangul:
        heading.append(f"  {clean(person.hangul)}")
    parts: list[RenderableType] = []
    for name, lines in profile_sections(profile):
        if name == "Quotations":
            continue
        if parts:
            parts.append(Text(""))
        parts.append(Text(name, style="bold cyan"))
        if name == "Disputed claims":
            parts.append(_claims_table(profile))
        else:
            parts.extend(_t(line) for line in lines)
    console.print(Panel(Group(*parts), title=heading, title_align="left", box=box.HEAVY))
    if profile.quotes:
        console.print(Text("Quotations", style="bold cyan"))
        for q in profile.quotes:
            source = next(s for s in profile.sources if s.id == q.source)
            console.print(quote_card(q, source, marks(profile, [q.source])))


def _claims_table(profile: Profile) -> Table:
    """Each disputed field with its competing values side by side, each with its sources."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False, expand=True)
    table.add_column("Field", style="yellow", no_wrap=True)
    table.add_column("Claim", ratio=2)
    table.add_column("Sources", no_wrap=True)
    table.add_column("Note", ratio=3)
    for field, claims in claim_groups(profile.person):
        for i, claim in enumerate(claims):
            note = "; ".join(x for x in (claim.status, claim.note) if x)
            table.add_row(
                _t(field if i == 0 else ""),
                _t(str(claim.value)),
                _t(marks(profile, claim.sources)),
                _t(note, "dim"),
            )
    return table
