"""Floors: the least work any design of `defect` must do for a measured case, as a script.

Each floor does what the case needs and nothing of ours: no defectcli import, no validation
messages, no romanization, no layout beyond what Rich draws. A target below its floor cannot
be met by any code with the same tools (Click, Rich, PyYAML, fastjsonschema, SQLite); `run.py`
times each floor against the same yardstick as the case it stands under.

    python benchmarks/floors.py help                       # defect --help
    python benchmarks/floors.py list DATA INDEX            # defect list --format json
    python benchmarks/floors.py card DATA INDEX ID         # defect show NAME, as a card
    python benchmarks/floors.py cold LISTING SCHEMAS       # a cold first run
    python benchmarks/floors.py quotes DATA INDEX WORD     # warm quotes --search WORD --format json
    python benchmarks/floors.py country LISTING INDEX KEY  # warm list --country X --format json

DATA is a dataset folder (or one file), INDEX the index `defect` built of it in its cache,
LISTING a file with one data file's path a line (run.py writes them), SCHEMAS the folder of
the JSON Schemas. Imports are inside each floor: a floor loads only what its case must.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

# The data folders a freshness check looks at, as defect's own does.
FOLDERS = ("people", "sources", "events", "statistics")


def stat_data(data: str) -> None:
    """One stat a data file, as any check that the index is still fresh must make."""
    if not os.path.isdir(data):
        os.stat(data)
        return
    for folder in FOLDERS:
        path = os.path.join(data, folder)
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                os.stat(os.path.join(path, name))


def paths(listing: str) -> list[str]:
    with open(listing, encoding="utf-8") as handle:
        return handle.read().split("\n")


def stat_listing(listing: str) -> None:
    for path in paths(listing):
        os.stat(path)


def open_index(index: str) -> Any:
    import sqlite3

    return sqlite3.connect(f"file:{index}?mode=ro", uri=True)


def write_json_array(docs: Iterator[str], pick: tuple[str, ...] = ()) -> None:
    """Each stored record decoded (as any renderer needs it) and written as one JSON array;
    with ``pick``, only those keys of each."""
    import json

    rows = []
    for doc in docs:
        record = json.loads(doc)
        if pick:
            record = {key: record.get(key) for key in pick}
        rows.append(json.dumps(record, ensure_ascii=False))
    sys.stdout.write("[\n" + ",\n".join(rows) + "\n]\n")


def floor_help() -> None:
    """A Click group with defect's options, help text, epilog and twelve commands (empty),
    printing its help. The words are copied from cli.py; a floor need not keep in step, as
    long as it prints about as much."""
    import click

    commands = {
        "cite": "A citation: text, BibTeX or CSL-JSON.",
        "count": "Count people by year, decade, country...",
        "export": "Export the whole dataset: sqlite, json, ndjson, csv.",
        "list": "List the people in the dataset, one row each.",
        "profile": "Same as show.",
        "quotes": "Quotations as cards, with their sources.",
        "search": "Search names, posts, quotations, events...",
        "show": "Show one person's profile card.",
        "sources": "The bibliography, and who cites each source.",
        "stats": "Yearly arrivals in South Korea, with a chart.",
        "timeline": "Every dated event in one chronological list.",
        "validate": "Check a dataset; list every problem.",
    }
    epilog = (
        "\b\nExit status: 0 done (an empty list is a result too), 1 not found or bad data,\n"
        "2 wrong usage, 130 interrupted.\nEnvironment: DEFECT_DATA (like --data), NO_COLOR,"
        " FORCE_COLOR, COLUMNS,\nDEFECT_PAGER (else PAGER, else less -FRX: output taller than"
        " the terminal;\ncat for none, like --no-pager), DEFECT_CACHE_DIR (the index; else\n"
        "$XDG_CACHE_HOME/defectcli, else ~/.cache/defectcli), DEFECT_NO_CACHE=1 (no\nindex on"
        " disk, nothing saved), DEFECT_DEBUG=1 (the traceback of an internal error).\n"
    )
    group = click.Group(
        "defect",
        help="Look up North Korea's elite defectors: who defected, from which posting, when,"
        " what they said, and who reported it. Every line comes with its source.\n\n\b\n"
        "Examples:\n  defect list                      everyone, newest cases last\n"
        "  defect list --year 2019          who defected in 2019\n"
        '  defect show "Thae Yong Ho"       a profile card, sources numbered\n'
        '  defect quotes --person "ri il"   what Ri Il Gyu said, and where\n'
        "  defect list --json | jq '.[].name'",
        epilog=epilog,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
        params=[
            click.Option(["--data"], metavar="PATH", help="Use another dataset: a folder laid"
                         " out like data/ or one YAML/JSON file. Default: the bundled data."),
            click.Option(["--no-pager"], is_flag=True, help="Write to the terminal directly,"
                         " however long the output (as DEFECT_PAGER=cat). Default: output"
                         " taller than the terminal goes through $DEFECT_PAGER, else $PAGER,"
                         " else less -FRX; never in a pipe or a file."),
        ],
    )  # fmt: skip
    for name, short_help in commands.items():
        group.add_command(click.Command(name, short_help=short_help))
    group.main(["--help"], prog_name="defect")


def floor_list(data: str, index: str) -> None:
    """Every person's record, in the list's order, with the list's keys, as JSON."""
    import click  # noqa: F401  (the CLI framework: loaded by any command)

    stat_data(data)
    docs = open_index(index).execute("SELECT doc FROM people ORDER BY year, id")
    keys = ("id", "name", "hangul", "category", "country", "post", "year", "destination",
            "status", "sources")  # fmt: skip
    write_json_array((doc for (doc,) in docs), keys)


def leaves(value: Any) -> Iterator[str]:
    """Every scalar inside ``value``, in order: the text a card shows of it."""
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    elif value is not None:
        yield str(value)


def floor_card(data: str, index: str, person_id: str) -> None:
    """The person's record and every source it cites, each field a section of wrapped text
    and the sources numbered, in one Rich panel in colour, 100 columns wide."""
    import json

    import click  # noqa: F401  (the CLI framework: loaded by any command)
    import rich.console
    import rich.panel
    import rich.table
    from rich.text import Text

    stat_data(data)
    db = open_index(index)
    (doc,) = db.execute("SELECT doc FROM people WHERE id = ?", (person_id,)).fetchone()
    person = json.loads(doc)
    parts = []
    for key, value in person.items():
        parts.append(Text(key.capitalize(), style="bold cyan"))
        parts += [Text("; ".join(leaves(item))) for item in (value if isinstance(value, list)
                  else [value])]  # fmt: skip
        parts.append(Text(""))
    parts.append(Text("Sources", style="bold cyan"))
    cited = dict.fromkeys(leaves(person))
    sources = db.execute("SELECT id, doc FROM sources ORDER BY seq").fetchall()
    for number, (_, source) in enumerate((s for s in sources if s[0] in cited), start=1):
        parts.append(Text(f"[{number}] " + "; ".join(leaves(json.loads(source))), style="dim"))
    console = rich.console.Console(width=100, force_terminal=True, color_system="truecolor")
    panel = rich.panel.Panel(rich.console.Group(*parts), title=person["name"], title_align="left")
    console.print(panel)


def floor_cold(listing: str, schemas: str) -> None:
    """The bare parse of every file, every record checked by fastjsonschema (compiled once a
    kind), and each record's JSON stored in one SQLite table in one transaction: parse,
    validate, store, and none of the cross-checks, names or full-text tables of an index."""
    import json
    import sqlite3
    import tempfile

    import fastjsonschema
    import yaml

    documents = {}
    for name in os.listdir(schemas):
        if name.endswith(".schema.json"):
            with open(os.path.join(schemas, name), encoding="utf-8") as handle:
                documents[name] = json.load(handle)
    checks: dict[str, Any] = {}  # compiled once a kind, when first needed

    def check(kind: str, data: Any) -> None:
        if kind not in checks:
            reference = {"$ref": f"{kind}.schema.json"}
            checks[kind] = fastjsonschema.compile(
                reference, handlers={"": documents.__getitem__}, use_default=False
            )
        checks[kind](data)

    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(os.path.join(folder, "index.sqlite"))
        db.execute("CREATE TABLE records (id TEXT, doc TEXT NOT NULL)")
        with db:
            for path in paths(listing):
                with open(path, "rb") as handle:
                    data = yaml.load(handle, Loader=yaml.CSafeLoader)
                if os.sep + "people" + os.sep in path:  # one person's file
                    kind, records = "person", [data]
                elif "people" in data:  # a whole dataset in one file
                    kind, records = "dataset", data["people"] + data.get("sources", [])
                else:
                    kind, records = "sources", data["sources"]
                check(kind, data)
                db.executemany(
                    "INSERT INTO records VALUES (?, ?)",
                    ((r["id"], json.dumps(r, ensure_ascii=False)) for r in records),
                )
        db.close()


def floor_quotes(data: str, index: str, word: str) -> None:
    """One full-text query for the quotations with a word beginning ``word``, each decoded
    and written as JSON."""
    stat_data(data)
    docs = open_index(index).execute(
        "SELECT doc FROM quotes WHERE rank IN"
        " (SELECT rowid FROM quote_terms WHERE quote_terms MATCH ?) ORDER BY rank",
        (f'"{word}"*',),
    )
    write_json_array(doc for (doc,) in docs)


def floor_country(listing: str, index: str, key: str) -> None:
    """The people of one country, in the list's order, each decoded and written as JSON."""
    stat_listing(listing)
    docs = open_index(index).execute(
        "SELECT doc FROM people WHERE country_key = ? ORDER BY year IS NULL, year, name",
        (key,),
    )
    write_json_array(doc for (doc,) in docs)


FLOORS = {
    "help": floor_help,
    "list": floor_list,
    "card": floor_card,
    "cold": floor_cold,
    "quotes": floor_quotes,
    "country": floor_country,
}


def main(args: list[str]) -> None:
    FLOORS[args[0]](*args[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
