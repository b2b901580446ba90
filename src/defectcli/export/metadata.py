"""``defect export --format sqlite --metadata PATH``: datasette's metadata for the export.

datasette shows a database's title, description, source and licence on its pages, and a
table's description and its columns' descriptions above the table; ``label_column`` names
the column that stands for a row where another table links to it. Only the bundled
dataset is said to be under the project's licence: a dataset given with ``--data`` is the
user's own, and its licence is not ours to state.
"""

from __future__ import annotations

import json
from importlib import metadata as package_metadata
from typing import Any

from ..version import __version__

TITLE = "North Korea's elite defectors"
DESCRIPTION = (
    "Who defected from North Korea's diplomatic service (and its elite), from which posting, "
    "in which year, where to, what they said, and who reported it. Every row names its "
    "sources (ids in the sources table); where sources disagree, each claim is kept."
)

# Each table's description and its columns' (lists are JSON text, as in every table).
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "people": (
        "One row a person (or an unnamed case) who defected, as `defect list` prints it.",
        {
            "id": "The record's id (`defect show ID`).",
            "name": "The name in the most common romanization.",
            "hangul": "The name in Hangul, where a source gives it.",
            "category": "diplomat, official, family or other.",
            "country": "The country of the posting they left.",
            "post": "The posting they left.",
            "year": "The year of the defection (the preferred one where sources differ).",
            "years": "Every year a source gives for the defection (JSON list).",
            "destination": "Where they went.",
            "confirmed": "1 where Seoul officially confirmed the defection, else 0.",
            "confirmation": "Who confirmed the defection: official, press or unknown.",
            "status": "What sources say of it: confirmed, reported, unresolved, denied, false.",
            "disputed": "The fields on which sources disagree (JSON list).",
            "sources": "The ids of the sources the record cites (JSON list).",
        },
    ),
    "quotes": (
        "One row a quotation, word for word as the source prints it.",
        {
            "id": "The quotation's id.",
            "person": "The person whose record holds the quotation.",
            "speaker": "Who said it.",
            "text": "The words, as the source prints them.",
            "date": "When it was said (as precise as the source).",
            "venue": "Where it was said: an interview, a book, a hearing.",
            "source": "The source that prints it.",
            "speaker_id": "The speaker's record, where the speaker has one.",
            "language": "The language of the text (an ISO 639 code).",
            "translation": "An English translation, where the text is not English.",
            "note": "A note on the quotation.",
        },
    ),
    "sources": (
        "The bibliography: every source a record cites.",
        {
            "id": "The source's id, as records cite it.",
            "kind": "news, broadcast, government, report, interview, wiki, ...",
            "outlet": "The publication or publisher.",
            "via": "Where it was read, when not at the outlet itself.",
            "title": "The headline or title.",
            "date": "The publication date (as precise as known).",
            "author": "The author(s).",
            "url": "The address it was read at.",
            "language": "The language it is written in (an ISO 639 code).",
            "note": "A note on the source.",
        },
    ),
    "statistics": (
        "Arrivals of defectors in South Korea by year, as sources report them; null is unknown.",
        {
            "year": "The year of arrival.",
            "total": "Arrivals that year.",
            "men": "Men among them.",
            "women": "Women among them.",
            "women_percent": "Women as a share of the total, in per cent.",
            "elite": "Elite defectors among them, where a source counts them.",
            "sources": "The ids of the sources of the figures (JSON list).",
            "note": "A note on the figures.",
        },
    ),
    "events": (
        "The timeline: postings, defections and context events, as `defect timeline` prints it.",
        {
            "id": "The row's place in the timeline (1 is the earliest).",
            "date": "When (as precise as the source).",
            "kind": "posting, left-post, arrival, disclosure, statement, context, ...",
            "person": "The person the entry is about; null for a context event.",
            "summary": "What happened.",
            "source": "The first of its sources.",
            "sources": "The ids of all its sources (JSON list).",
            "country": "The country it happened in, where known.",
        },
    ),
    "citations": (
        "One row a record citing a source: a person, an event or a year of statistics.",
        {
            "id": "The row's number.",
            "source": "The source cited.",
            "kind": "The kind of record that cites it: person, event or statistics.",
            "record": "The citing record's id.",
            "label": "The citing record's name or id, as shown.",
            "person": "The citing person, where the record is a person; else null.",
        },
    ),
}
LABELS = {"people": "name", "sources": "title"}


def metadata_text(database: str, bundled: bool) -> str:
    """The metadata for ``database`` (datasette's name: the file's, less the suffix)."""
    document: dict[str, Any] = {"title": TITLE, "description": DESCRIPTION}
    if bundled:
        document["source"] = f"defectcli {__version__}: the bundled dataset"
        # The project's address and licence as its package declares them, if it does.
        urls = (entry.partition(",")[2].strip() for entry in _package_field("Project-URL"))
        url = next((url for url in urls if url), None)
        if url:
            document["source_url"] = url
        licences = _package_field("License-Expression") or _package_field("License")
        if licences:
            document["license"] = licences[0]
    else:  # the user's own data: what it is and its licence are theirs to say
        document["title"] = f"{TITLE} (a dataset of your own)"
        document["source"] = f"A dataset read by defectcli {__version__} (--data)"
    tables = {name: {"description": text, "columns": cols} for name, (text, cols) in TABLES.items()}
    for name, column in LABELS.items():
        tables[name]["label_column"] = column
    document["databases"] = {database: {"tables": tables}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _package_field(name: str) -> list[str]:
    try:
        return package_metadata.metadata("defectcli").get_all(name) or []
    except package_metadata.PackageNotFoundError:
        return []
