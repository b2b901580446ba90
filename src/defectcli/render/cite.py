"""Citations of sources: a plain text style, BibTeX, and CSL-JSON (what Zotero and pandoc read).

Only what the dataset knows goes in: no title, author or date is made up to fill a field.
The text style and BibTeX show control characters, escape sequences and bidirectional
overrides from the data as visible escapes (``\\x1b``; in a BibTeX address, as the
URL's own ``%1B``); CSL-JSON is JSON and carries the text unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ..dataset.model import Source
from ..text.clean import clean
from .text import NO_ADDRESS, one_line

# Our kinds of source -> CSL item types (CSL-JSON schema 1.0).
CSL_TYPES = {
    "news": "article-newspaper",
    "broadcast": "broadcast",
    "interview": "interview",
    "book": "book",
    "government": "report",
    "statistics": "dataset",
    "library": "book",
    "blog": "post-weblog",
    "forum": "post",
    "wiki": "entry-encyclopedia",
    "report": "report",
    "other": "article",
}

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def cite(sources: Sequence[Source], style: str) -> str:
    if style == "text":
        return "".join(text_citation(s) + "\n" for s in sources)
    if style == "bibtex":
        return "\n".join(bibtex_entry(s) for s in sources)
    if style == "csl-json":
        return json.dumps([csl_item(s) for s in sources], indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown citation style {style!r}")


def text_citation(source: Source) -> str:
    """``Author. Date. “Title.” Outlet (via site). URL.`` with whatever is known."""
    parts = [
        source.author and f"{source.author}.",
        source.date and f"{source.date}.",
        source.title and f"“{source.title}.”",
        source.outlet + (f" (via {source.via})." if source.via else "."),
        # "Hankyoreh." alone reads as a complete reference: say that the rest is unknown.
        source.url or NO_ADDRESS,
    ]
    return clean(" ".join(filter(None, parts)))


def _date_parts(date: str) -> list[int]:
    return [int(p) for p in date.split("-")]


def author_name(byline: str) -> str:
    """A byline as a name: "김선태 기자" (reporter Kim Seon-tae) is the name 김선태. The
    dataset keeps the byline as printed; a reference manager wants the person."""
    return re.sub(r"\s*기자$", "", byline.strip()) or byline


def csl_item(source: Source) -> dict[str, Any]:
    notes = [f"Read via {source.via}" if source.via else "", source.note or ""]
    known = {
        "title": source.title,
        # A literal name: we do not guess which part is the family name.
        "author": source.author and [{"literal": author_name(source.author)}],
        "issued": source.date and {"date-parts": [_date_parts(source.date)]},
        "URL": source.url,
        "language": source.language,
        "note": ". ".join(n.rstrip(".") for n in notes if n),
    }
    kind = CSL_TYPES.get(source.kind, "article")
    item = {"id": source.id, "type": kind, "container-title": source.outlet}
    return {**item, **{key: value for key, value in known.items() if value}}


_BIBTEX_SPECIAL = re.compile(r"[&%$#_{}\\~^]")
# Characters with no escape of their own, written as LaTeX's commands for them.
_BIBTEX_COMMANDS = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bib(value: str) -> str:
    """BibTeX's special characters escaped, control characters and bidirectional overrides
    as visible escapes (their backslash escaped too), the rest (UTF-8) as it is. One pass:
    escaping after writing the commands escaped their own braces (``\\{\\}``)."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_COMMANDS.get(m[0], "\\" + m[0]), one_line(value))


# Kinds whose titled sources are articles in a periodical (the outlet is the journal).
_ARTICLE_KINDS = {"news", "broadcast", "interview"}

# What a URL may not hold as it is in a BibTeX field read verbatim: braces and the
# backslash (which would end or escape the field), spaces, control characters and the
# bidirectional overrides; each is written as the URL's own percent escape.
_URL_UNSAFE = re.compile(r"[{}\\\s\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _bib_url(url: str) -> str:
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), url)


def bibtex_entry(source: Source) -> str:
    """An @article for a titled news report (the outlet as its journal), a @book for a
    book, @misc for the rest; ``date`` for biblatex beside BibTeX's year and month."""
    article = source.kind in _ARTICLE_KINDS and source.title is not None
    entry = "article" if article else "book" if source.kind == "book" else "misc"
    outlet = "journal" if article else "publisher" if entry == "book" else "howpublished"
    parts = _date_parts(source.date) if source.date else []
    notes = [f"Read via {source.via}" if source.via else "", source.note or ""]
    note = ". ".join(n.rstrip(".") for n in notes if n)
    known = {
        "title": source.title and "{" + _bib(source.title) + "}",
        # Double braces: a corporate or romanised name BibTeX must not split or reorder.
        "author": source.author and "{{" + _bib(author_name(source.author)) + "}}",
        outlet: "{" + _bib(source.outlet) + "}",
        "year": str(parts[0]) if parts else None,
        "month": _MONTHS[parts[1] - 1] if len(parts) > 1 else None,
        "date": source.date and "{" + source.date + "}",
        "url": source.url and "{" + _bib_url(source.url) + "}",  # read verbatim
        "language": source.language and "{" + source.language + "}",
        "note": note and "{" + _bib(note) + "}",
    }
    body = ",\n".join(f"  {name} = {value}" for name, value in known.items() if value)
    return f"@{entry}{{{source.id},\n{body}\n}}\n"
