"""Rich tables and cards for a terminal.

Text from the data goes into a ``rich.text.Text``, never a markup string, so ``[bold red]``
in a data file prints as written; ``clean`` neutralises control characters first.
Addresses, email addresses and ids are never broken across lines (``layout``), and no web
address is drawn inside a border, where it would wrap between two edges: a card's sources
follow it, each address on a line of its own that the terminal wraps if it must (and copies
as one piece). Web addresses are hyperlinks (OSC 8), which Rich writes only with colour.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import click
from rich import box
from rich._export_format import CONSOLE_HTML_FORMAT
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..dataset.choices import SEARCH_KINDS
from ..dataset.model import Person, Quote, Source
from ..query import results
from ..text.clean import clean
from .layout import fitted, kept_whole, natural_width, whole, whole_words
from .sections import CLAIMS_HEADING, claim_groups, marks, profile_sections, title
from .text import addresses, source_line, speaker_line, years_text

# Denied and false reports stand out: they are listed, but they are not defections.
STATUS_STYLES = {"confirmed": "green", "reported": "", "denied": "red", "false": "red"}


def _t(text: str | None, style: str = "") -> Text:
    """Text from the data, cleaned, its web addresses hyperlinks (OSC 8: Rich numbers each
    link at random, so the escape codes differ from run to run, never the text)."""
    drawn = Text(clean(text or ""), style=style)
    for start, end in addresses(drawn.plain):
        drawn.stylize(Style(link=drawn.plain[start:end]), start, end)
    return drawn


def _address_line(source: Source, indent: int) -> list[Text]:
    """A source's address (if any) on a line of its own, never folded."""
    if not source.url:
        return []
    line = Text(" " * indent)
    line.append_text(_t(source.url))
    line.no_wrap, line.overflow = True, "ignore"
    return [line]


def _source_label(sources: dict[str, Source], ids: Sequence[str]) -> Text:
    """The first source's outlet (its id where it is not known), "+N" for the others."""
    first = sources.get(ids[0])
    label = first.outlet if first else ids[0]
    return _t(label + (f" +{len(ids) - 1}" if len(ids) > 1 else ""), "dim")


def _show(console: Console, *parts: RenderableType) -> None:
    """Print ``parts`` uncropped: a word that must stay whole may run past the edge, for the
    terminal to wrap (``layout.kept_whole``). In a Group, because ``Console.print`` joins
    bare Texts into a new one, without their ``no_wrap`` and ``overflow``."""
    console.print(Group(*parts), crop=False)


def _card(
    parts: Sequence[RenderableType], width: int, words: Iterable[Text], **panel: Any
) -> list[RenderableType]:
    """``parts`` in a panel (``panel``: its options), or borderless when a word in ``words``
    that must stay whole is wider than its inside (a border would fold or cut it). Uncropped."""
    inside = width - 4  # the border and padding take 2 cells a side
    if not any(whole_words(text, longer_than=inside) for text in words):
        return [Panel(Group(*parts), **panel)]
    title = panel.get("title")
    drawn: list[RenderableType] = [title] if isinstance(title, Text) else []
    for part in parts:
        drawn += kept_whole(part, width) if isinstance(part, Text) else [part]
    return [*drawn, Text("")]


# A record named in a card's line, to be looked up: "(see `defect show jo-song-gil`)".
_SEE = re.compile(r"`defect show ([^`]+)`")


def count_line(console: Console, shown: int, total: int, one: str, many: str) -> None:
    """The line under a list: how many there are, and how to see those not drawn."""
    line = f"{total:,} {one if total == 1 else many}"
    if shown != total:
        line = (
            f"Showing the first {shown:,} of {total:,} {many}. More: --limit N (0 for all); "
            "every one: a pipe, --json or --format plain."
        )
    console.print(_t(line, "dim"))


def _table(*headers: str, right: Collection[str] = (), **options: Any) -> Table:
    """A table with a rule under its bold headers and no outer edge (unless ``options``, for
    ``Table``, say otherwise), the columns named in ``right`` aligned right. Every column
    folds (never an ellipsis: a truncated name is a wrong name); ``fitted`` sizes them."""
    options = {"box": box.SIMPLE_HEAD, "show_edge": False, "pad_edge": False, **options}
    table = Table(header_style="bold", **options)
    for header in headers:
        table.add_column(header, justify="right" if header in right else "left", overflow="fold")
    return table


def people_table(people: Sequence[Person], console: Console) -> None:
    table = _table("Name", "Hangul", "Country", "Post", "Year", "To", "Status")
    for p in people:
        cells = [_t(p.name, "bold"), *map(_t, (p.hangul, p.country, p.defection.post))]
        years = _t(years_text(p), "yellow" if len(p.years) > 1 else "")
        status = _t(p.status.value, STATUS_STYLES.get(p.status.value, ""))
        table.add_row(*cells, years, _t(p.destination), status)
    console.print(fitted(table, console.width), crop=False)


def quote_card(quote: Quote, source: Source, mark: str, width: int) -> list[RenderableType]:
    """A quotation in a rounded panel (its source's address follows the card)."""
    body = [_t(quote.text, "italic")]
    if quote.translation:
        body.append(_t(f"English: {quote.translation}", "dim"))
    attribution = Text("— ", style="bold")
    attribution.append(_t(speaker_line(quote), "bold"))
    body += [attribution, _t(f"{mark + ' ' if mark else ''}{source_line(source, None)}", "dim")]
    if quote.note:
        body.append(_t(f"Note: {quote.note}", "dim"))
    return _card(body, width, body, box=box.ROUNDED, border_style="cyan", padding=(0, 1))


def quote_cards(quotes: results.QuoteSet, console: Console) -> None:
    for q in quotes.quotes:
        source = quotes.sources[q.source]
        _show(console, *quote_card(q, source, "", console.width), *_address_line(source, 2))


def profile_card(profile: results.Profile, console: Console) -> None:
    person = profile.person
    heading = Text(clean(title(profile)), style="bold")
    if person.hangul:
        heading.append(f"  {clean(person.hangul)}")
    parts: list[RenderableType] = []
    words: list[Text] = []
    for name, lines in profile_sections(profile):
        if name in {"Quotations", "Sources"}:  # after the card, each in its own way
            continue
        if parts:
            parts.append(Text(""))
        parts.append(Text(name, style="bold cyan"))
        texts = _t("\n".join(lines))
        for match in _SEE.finditer(texts.plain):  # the ids it names stay whole
            whole(texts, *match.span(1))
        words.append(texts)
        if name == CLAIMS_HEADING:
            # The panel's border and padding take two cells on either side.
            parts.append(fitted(_claims_table(profile), console.width - 4))
        else:  # one Text a section: Rich wraps it in one pass
            parts.append(texts)
    panel_title: Text | None = heading
    if cell_len(heading.plain) > console.width - 6:
        # Rich cuts a title wider than the panel's top edge: a long one opens the body instead.
        parts[:0] = [heading, Text("")]
        panel_title = None
    card = _card(parts, console.width, words, title=panel_title, title_align="left", box=box.HEAVY)
    _show(console, *card)
    if profile.quotes:
        console.print(Text("Quotations", style="bold cyan"))
        for q in profile.quotes:
            source = next(s for s in profile.sources if s.id == q.source)
            _show(console, *quote_card(q, source, marks(profile, [q.source]), console.width))
    console.print(Text("Sources", style="bold cyan"))
    for number, source in enumerate(profile.sources, start=1):
        mark = f"[{number}] "
        drawn = kept_whole(_t(mark + source_line(source, None)), console.width)
        _show(console, *drawn, *_address_line(source, len(mark)))


def _claims_table(profile: results.Profile) -> Table:
    """Each field's claims, competing values side by side, each with its sources."""
    groups = claim_groups(profile.person)
    # A column of nothing but blanks says nothing: no Note column when no claim has one.
    noted = any(c.status or c.note for _, claims in groups for c in claims)
    table = _table(
        "Field", "Claim", "Sources", *(["Note"] if noted else []), pad_edge=True, expand=True
    )
    table.columns[0].style = "yellow"
    for field, claims in groups:
        for i, claim in enumerate(claims):
            note = "; ".join(x for x in (claim.status, claim.note) if x)
            cells = [_t(field if i == 0 else ""), _t(str(claim.value))]
            cells.append(_t(marks(profile, claim.sources)))
            table.add_row(*cells, *([_t(note, "dim")] if noted else []))
    return table


# --- charts ---------------------------------------------------------------------------

_EIGHTHS = ("", *"▏▎▍▌▋▊▉")  # the end of a bar: 0 to 7 eighths of a cell


def bar(value: float, scale: float, width: int) -> Text:
    """A horizontal bar ``value / scale`` of ``width`` cells, to an eighth of a cell."""
    if scale <= 0 or value <= 0:
        return Text("")
    full, rest = divmod(round(value / scale * width * 8), 8)
    return Text("█" * full + _EIGHTHS[rest], style="cyan")


# The stacked bar's parts (men, women, not split by sex): one block in three colours, or,
# where there is no colour to tell them apart, three shades.
_PARTS_COLOURED = (("█", "blue"), ("█", "magenta"), ("█", "grey50"))
_PARTS_SHADED = (("█", "blue"), ("▒", "magenta"), ("░", "grey50"))


def stacked_bar(
    men: int, women: int, total: int, scale: float, width: int, parts: tuple[tuple[str, str], ...]
) -> Text:
    """Men and women side by side in one bar, any part of the total not split by sex grey,
    in whole cells (a partial block between two colours would read as a gap)."""
    cells = [round(v / scale * width) for v in (men, men + women, total)]
    counts = (cells[0], cells[1] - cells[0], max(0, cells[2] - cells[1]))
    return Text.assemble(
        *((glyph * count, style) for (glyph, style), count in zip(parts, counts, strict=True))
    )


def _bar_room(console: Console, without_chart: Table, most: int, padding: int) -> int:
    """Cells for a chart's bars beside ``without_chart``, less ``padding``, at most ``most``;
    0 (no chart) under 10 cells: the figures are the facts, the bars are not."""
    room = console.width - natural_width(without_chart) - padding
    return min(most, room) if room >= 10 else 0


def _n(value: int | float | None) -> Text:
    if value is None:
        return Text("—", style="dim")
    return Text(f"{value:,}" if isinstance(value, int) else f"{value:g}")


def stats_chart(stats: results.Statistics, console: Console, stacked: bool = False) -> None:
    notes: list[Text] = []
    rows: list[tuple[Text, ...]] = []
    parts = _PARTS_SHADED if console.no_color or console.color_system is None else _PARTS_COLOURED
    peak = max((r.total or 0 for r in stats.arrivals), default=0)
    for row in stats.arrivals:
        total = _n(row.total)
        others = [c for c in row.claims if str(c.value) != str(getattr(row, c.field, None))]
        if others:
            total.append("*", style="yellow")
            shown = "; ".join(
                f"{c.field} {f'{c.value:,}' if isinstance(c.value, int) else c.value}"
                + (f" ({c.status})" if c.status else "")
                for c in others
            )
            notes.append(_t(f"{row.year}: also {shown}"))
        elite = _n(row.elite)
        if any(c.field == "elite" and c.status == "approximate" for c in row.claims):
            elite = Text("~") + elite  # "about 10", as the Ministry put it
        source = _source_label(stats.sources, row.sources)
        rows.append((Text(str(row.year)), total, _n(row.men), _n(row.women), elite, source))

    def table(chart_width: int) -> Table:
        figures = ("Total", "Men", "Women", "Elite")
        chart = ["Arrivals in South Korea"] if chart_width else []
        drawn = _table("Year", *figures, *chart, "Source", right=figures)
        for row, cells in zip(stats.arrivals, rows, strict=True):
            if not chart_width:
                bars = []
            elif stacked and row.total and row.men is not None and row.women is not None:
                bars = [stacked_bar(row.men, row.women, row.total, peak, chart_width, parts)]
            else:
                bars = [bar(row.total or 0, peak, chart_width)]
            drawn.add_row(*cells[:-1], *bars, cells[-1])
        return drawn

    chart_width = _bar_room(console, table(0), most=50, padding=3)  # an inner column
    if rows:
        console.print(fitted(table(chart_width), console.width), crop=False)
    else:  # a header over nothing reads as a drawing gone wrong
        console.print(_t("No yearly figures in this range.", "dim"))
    if stacked and chart_width:
        legend = Text()
        labels = ("men", "women", "not split by sex")
        for (glyph, style), label in zip(parts, labels, strict=True):
            legend.append(f"{glyph} {label}  ", style=style)
        legend.rstrip()
        console.print(legend)
    if notes:
        console.print(Text("* Other figures sources give for the same year:", style="yellow"))
        for note in notes:
            console.print(note)
    if stats.cumulative:
        console.print(Text("Cumulative totals", style="bold cyan"))
        for c in stats.cumulative:
            split = f" ({c.men:,} men, {c.women:,} women)" if c.men and c.women else ""
            console.print(_t(f"to {c.as_of}: {c.total:,}{split}"))
    if stats.figures:
        console.print(Text("Other counts", style="bold cyan"))
        for f in stats.figures:
            qualifier = f"{f.qualifier} " if f.qualifier and f.qualifier != "exactly" else ""
            # "... in 2015 (2015)": a period the label already names is not said twice.
            period = f" ({f.period})" if f.period and f.period not in f.label else ""
            console.print(_t(f"{f.label}{period}: {qualifier}{f.value:,}"))


def facet_chart(facets: results.Facets, console: Console) -> None:
    peak = max((r.size for r in facets.rows), default=0)

    def table(chart_width: int) -> Table:
        chart = [""] if chart_width else []
        drawn = _table(facets.by.capitalize(), "People", *chart, right={"People"})
        for row in facets.rows:
            bars = (bar(row.size, peak, chart_width),) if chart_width else ()
            drawn.add_row(_t(row.value), Text(f"{row.size:,}"), *bars)
        return drawn

    chart_width = _bar_room(console, table(0), most=40, padding=2)  # the last column
    console.print(fitted(table(chart_width), console.width), crop=False)
    console.print(_t(f"{facets.total:,} {'person' if facets.total == 1 else 'people'}", "dim"))


def timeline_table(timeline: results.Timeline, console: Console) -> None:
    table = _table("Date", "Kind", "What happened", "Source")
    table.columns[0].no_wrap = True  # a date is never broken
    for e in timeline.entries:
        style = "" if e.person else "italic"
        source = _source_label(timeline.sources, e.sources)
        table.add_row(_t(e.date), _t(e.kind, "dim"), _t(e.summary, style), source)
    console.print(fitted(table, console.width), crop=False)


def sources_table(entries: Sequence[results.SourceEntry], console: Console) -> None:
    table = _table("Id", "Reference", "Cited by")
    for entry in entries:
        # An event's id (its label) is kept whole.
        labels = [whole(_t(c.label)) if c.label == c.id else _t(c.label) for c in entry.cited_by]
        cited = Text(", ").join(labels)
        cited.style = "dim"
        # The address on a line of its own: the column is as wide as the longest one, where
        # the terminal allows (or the table is drawn as records, each address whole).
        cell = _t(source_line(entry.source, "\n"))
        table.add_row(whole(_t(entry.source.id, "bold")), cell, cited)
    console.print(fitted(table, console.width), crop=False)


def highlighted(text: str) -> Text:
    """A snippet with its matched words in bold yellow (and nothing else interpreted)."""
    out = Text()
    for i, part in enumerate(re.split(f"[{results.HIT_START}{results.HIT_END}]", text)):
        out.append(clean(part), style="bold yellow" if i % 2 else "")
    return out


def search_results(result: results.SearchResult, console: Console) -> None:
    headings = ("People", "Quotations", "Events", "Claims", "Sources")  # of SEARCH_KINDS
    for kind, heading in zip(SEARCH_KINDS, headings, strict=True):
        hits = [h for h in result.hits if h.kind == kind]
        if not hits:
            continue
        console.print(Text(f"{heading} ({len(hits):,})", style="bold cyan"))
        table = _table("What", "Match", box=None, show_header=False, padding=(0, 1, 0, 2))
        table.columns[0].style = "bold"
        for hit in hits:
            title = highlighted(hit.title)
            if hit.kind in {"quote", "source", "event"}:
                title.append_text(whole(_t(f"\n{hit.id}", "dim"), 1))
            table.add_row(title, highlighted(hit.snippet))
        console.print(fitted(table, console.width), crop=False)
    count = len(result.hits)
    console.print(_t(f"{count:,} match{'' if count == 1 else 'es'}", "dim"))


# --- pictures (--export-svg, --export-html) ---------------------------------------------


class RecordingConsole(Console):
    """A Console whose HTML page has a ``<title>`` (the command that drew it) and says its
    language: ``lang`` on the page and each run of Hangul, for screen readers and search."""

    def export_html(self, **options: Any) -> str:
        page = _page(CONSOLE_HTML_FORMAT, _page_title())
        return _mark_korean(super().export_html(code_format=page, **options))


def _page(template: str, title: str) -> str:
    """Rich's HTML template with ``<html lang="en">`` and a ``<title>``."""
    title = html.escape(title).replace("{", "{{").replace("}", "}}")  # a format string
    page = template.replace("<html>", '<html lang="en">', 1)
    return page.replace("</head>", f"<title>{title}</title>\n</head>", 1)


def _page_title() -> str:
    """The command as typed less its options ("defect show Ri Il Gyu"); "defect" outside it."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.info_name is None:
        return "defect"
    words = ["defect", ctx.info_name]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if isinstance(param, click.Argument) and value:
            words += value if isinstance(value, (tuple, list)) else [str(value)]
    return " ".join(words)


def _mark_korean(page: str) -> str:
    """Each run of Hangul in the drawing marked as Korean: ``<span lang="ko">``."""
    head, body = page.split("<body>", 1)
    hangul = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
    run = re.compile(f"[{hangul}](?:[{hangul} .,!?…·()]*[{hangul}.!?…])?")
    marked = run.sub(lambda m: f'<span lang="ko">{m.group()}</span>', body)
    return f"{head}<body>{marked}"
