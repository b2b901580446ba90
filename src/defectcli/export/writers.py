"""``defect export``: the whole dataset in one file (or folder) for other tools.

- ``json``: the lists ``list``, ``quotes``, ``sources``, ``stats`` and ``timeline`` print with
  ``--json`` (people, quotes, sources, statistics, events), one object a line, and
  ``dataset``, the dataset as ``dataset.schema.json`` defines it (what ``--data FILE`` reads
  back). Written list by list: one list in memory at a time, never the whole document.
- ``ndjson``: the dataset's records, one per line, each with its ``type`` (person, source...).
- ``csv``: a folder of one table per kind, the columns the commands print, lists joined by "; ".
- ``sqlite``: the same tables (lists as JSON text) and ``citations`` (which record cites which
  source), with typed columns, primary and foreign keys, and full-text indexes that
  datasette finds by itself (``SQLITE_TABLES``).

Every file is written beside its target, through the descriptor of a file created new (or
inside a folder only the user can enter, for SQLite and CSV), and moved into place: a reader
never sees half an export and no one can swap in a file of their own meanwhile. Nothing is
replaced without ``force``; then an existing file or folder keeps its permission bits, and a
symbolic link is replaced as a link (never written through). A killed export leaves
``.defect-export-*.partial``, which the next export into that folder removes after a day.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from ..errors import ExportError
from ..files import (
    PARTIAL_PREFIX,
    PARTIAL_SUFFIX,
    check_target,
    create_new,
    mode_for,
    publish,
    reason,
    remove_file,
    remove_stale,
    write_through,
)
from ..query import Catalog, discard_damaged_index, raised_reading
from ..render import records
from ..render.context import standard_output
from ..render.formats import to_csv

# The formats that can go to standard output (``--output -``): one stream of text.
STREAMED = ("json", "ndjson")
# The NDJSON export's kinds of record, and the dataset's lists of them (then statistics).
KINDS = (("person", "people"), ("source", "sources"), ("event", "events"))


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


# A table: its columns, and a function that makes its rows (the records a command prints),
# so that an export holds one table's rows in memory at a time.
Table = tuple[Sequence[str], Callable[[], list[dict[str, Any]]]]


def tables(catalog: Catalog) -> dict[str, Table]:
    return {
        "people": (
            records.PERSON_COLUMNS,
            lambda: [records.person_record(p) for p in catalog.people()],
        ),
        "quotes": (
            (*records.QUOTE_COLUMNS, "speaker_id", "language", "translation", "note"),
            lambda: [records.quote_record(q) for q in catalog.quotes()],
        ),
        "sources": (
            (*records.SOURCE_COLUMNS, "note"),
            lambda: [records.source_entry_record(e) for e in catalog.sources_cited()],
        ),
        "statistics": (
            records.STATS_COLUMNS,
            lambda: [records.year_record(y) for y in catalog.statistics().arrivals],
        ),
        "events": (
            (*records.TIMELINE_COLUMNS, "country"),
            lambda: [records.timeline_record(e) for e in catalog.timeline().entries],
        ),
    }


def _write_json(catalog: Catalog, handle: TextIO) -> None:
    views = {name: make for name, (_, make) in tables(catalog).items()}
    _write_mapping(handle, {**views, "dataset": catalog.dataset_sections()}, "")
    handle.write("\n")


def _write_mapping(handle: TextIO, value: Mapping[str, Any], indent: str) -> None:
    """A mapping of lists of records (iterables, or functions called when reached) or of more
    such mappings, indented as ``json.dumps(indent=2)`` would, but one record a line."""
    handle.write("{")
    inner = indent + "  "
    for number, (key, item) in enumerate(value.items()):
        handle.write(("," if number else "") + f"\n{inner}{json.dumps(key)}: ")
        if isinstance(item, Mapping):
            _write_mapping(handle, item, inner)
            continue
        handle.write("[")
        count = 0
        for count, record in enumerate(item() if callable(item) else item, start=1):
            handle.write(("," if count > 1 else "") + f"\n{inner}  ")
            handle.write(json.dumps(record, ensure_ascii=False))
        handle.write(f"\n{inner}]" if count else "]")
    handle.write(f"\n{indent}}}")


def _write_ndjson(catalog: Catalog, handle: TextIO) -> None:
    document = catalog.dataset_sections()
    kinds = [(kind, document[key]) for kind, key in KINDS]
    for kind, found in [*kinds, *document["statistics"].items()]:
        for record in found:
            handle.write(json.dumps({"type": kind, **record}, ensure_ascii=False) + "\n")


def export(catalog: Catalog, fmt: str, output: str, force: bool = False) -> Path | None:
    """Write the dataset to ``output`` in ``fmt``; the path written, or None for ``-`` (JSON
    and NDJSON to standard output, as they are made)."""
    if output == "-":
        if fmt not in STREAMED:
            what = "a folder" if fmt == "csv" else "a file"
            raise ExportError(f"{fmt} export writes {what}: give its path, not -.")
        stream = standard_output()
        try:
            (_write_json if fmt == "json" else _write_ndjson)(catalog, stream)
        except sqlite3.DatabaseError as error:
            # Part of the export may be out already: running it again would print it twice.
            if not discard_damaged_index(error):
                raise
            raise ExportError(
                "the output is cut short: the index could not be read; it is discarded, so "
                "the same command run again builds it anew."
            ) from None
        return None
    if fmt not in (*STREAMED, "csv", "sqlite"):
        raise ValueError(f"unknown export format {fmt!r}")
    target = Path(output)
    found = check_target(output, force, folder=fmt == "csv", what=f"{fmt} export")
    parent = target.parent
    try:
        if not parent.is_dir():
            raise ExportError(f"no such folder: {parent}")
        remove_stale(parent, PARTIAL_PREFIX, PARTIAL_SUFFIX)
        mode = mode_for(found, folder=fmt == "csv")
        if fmt == "csv":
            old = found is not None and stat.S_ISDIR(found.st_mode)
            if old:
                _check_replaceable(target, output, {f"{name}.csv" for name in tables(catalog)})
            modes = _file_modes(target) if old else {}
            _write_folder(target, mode, lambda folder: _csv_folder(catalog, folder, modes))
        elif fmt == "sqlite":
            _write_database(target, mode, lambda path: _sqlite(catalog, path))
        else:
            write = _write_json if fmt == "json" else _write_ndjson
            write_through(target, mode, lambda handle: write(catalog, handle))
    except OSError as error:  # no permission in the folder, a full disk...
        raise ExportError(f"cannot write {output}: {reason(error)}") from None
    except sqlite3.OperationalError as error:  # the same, as SQLite words it
        if raised_reading(error):  # reading the index, not writing: a damaged index
            raise
        raise ExportError(f"cannot write {output}: {error}") from None
    return target


def _file_modes(folder: Path) -> dict[str, int]:
    """The permission bits of an earlier CSV export's files, kept by the new ones."""
    with os.scandir(folder) as scan:
        found = {entry.name: entry.stat(follow_symlinks=False).st_mode for entry in scan}
    return {name: stat.S_IMODE(mode) for name, mode in found.items() if stat.S_ISREG(mode)}


def _write_database(target: Path, mode: int, write: Callable[[Path], object]) -> None:
    """An SQLite file, which SQLite opens by its name: made new inside a folder only this
    user can enter (so no one can swap it), then moved onto ``target``."""
    with tempfile.TemporaryDirectory(
        PARTIAL_SUFFIX, PARTIAL_PREFIX, target.parent, ignore_cleanup_errors=True
    ) as private:
        inner = os.path.join(private, "export.sqlite")
        handle = create_new(inner, mode)
        try:
            write(Path(inner))
            publish(handle, inner, target)
        finally:
            os.close(handle)


def _check_replaceable(folder: Path, output: str, written: set[str]) -> None:
    """Refuse to replace a folder that is not an earlier CSV export (--force replaces an
    export, never other files) or that holds the current folder."""
    here = Path.cwd().resolve()
    if folder.resolve() in (here, *here.parents):
        raise ExportError(
            f"{output} is the current folder or holds it; give the path of a new folder."
        )
    others = sorted(entry.name for entry in folder.iterdir() if entry.name not in written)
    if others:
        more = f" and {len(others) - 5:,} more" if len(others) > 5 else ""
        shown = ", ".join(others[:5]) + more
        raise ExportError(
            f"{output} holds files that are not part of a CSV export ({shown}); "
            "--force replaces only an earlier export. Give the path of a new folder."
        )


def _write_folder(target: Path, mode: int, write: Callable[[Path], object]) -> None:
    """A folder written while private (``mkdtemp``'s 0700), given ``mode`` once whole and moved
    onto ``target``; what was there (an export, a link) is first moved aside and removed."""
    parent = target.parent
    temp = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX, dir=parent))
    try:
        write(temp)
        os.chmod(temp, mode)
        if os.path.lexists(target):
            # A name of our own for what is being replaced, never one the user made:
            # reserved by making it, then freed for the move (a folder cannot be moved onto
            # a link, nor, on Windows, onto an empty folder).
            old = Path(
                tempfile.mkdtemp(prefix=PARTIAL_PREFIX, suffix=f".old{PARTIAL_SUFFIX}", dir=parent)
            )
            old.rmdir()
            os.replace(target, old)
            os.replace(temp, target)
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            else:
                remove_file(str(old))
        else:
            os.replace(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _csv_folder(catalog: Catalog, folder: Path, modes: Mapping[str, int]) -> None:
    """The tables as CSV files, each made new (``O_EXCL``) with the permission bits of the
    earlier export's file of its name, or a new file's."""
    default = mode_for(None, folder=False)
    for name, (columns, rows) in tables(catalog).items():
        file = f"{name}.csv"
        handle = create_new(str(folder / file), modes.get(file, default))
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(to_csv(rows(), columns))


class SqlTable(NamedTuple):
    """One table of the SQLite export: columns are TEXT unless ``types`` says otherwise;
    ``key`` is the primary key (``numbered``: an ``id INTEGER PRIMARY KEY`` added first, for
    rows with no key of their own); ``references`` names the table whose key each column
    holds; ``search``, the columns of its full-text index."""

    key: str
    types: Mapping[str, str] = {}
    references: Mapping[str, str] = {}
    search: tuple[str, ...] = ()
    numbered: bool = False


# The SQLite export's tables, in the order they are written (a table named before the ones
# that refer to it). The full-text index of a table T is ``T_fts``, an FTS5 table with
# external content (``content="T"``, its rowid T's rowid), made and filled as sqlite-utils'
# ``enable_fts`` makes it: the shape datasette looks for to offer a search box (and
# ``?_search=``) on T.
SQLITE_TABLES: dict[str, SqlTable] = {
    "sources": SqlTable("id", search=("title", "outlet", "author", "via", "note")),
    "people": SqlTable(
        "id",
        types={"year": "INTEGER", "confirmed": "INTEGER"},
        search=("name", "hangul", "post", "country", "destination"),
    ),
    "quotes": SqlTable(
        "id",
        references={"person": "people", "speaker_id": "people", "source": "sources"},
        search=("text", "speaker", "venue", "translation", "note"),
    ),
    "statistics": SqlTable(
        "year",
        types={
            "women_percent": "REAL",
            **dict.fromkeys(("year", "total", "men", "women", "elite"), "INTEGER"),
        },
    ),
    "events": SqlTable("id", references={"person": "people", "source": "sources"}, numbered=True),
    # Each record that cites a source, one row a citation; ``person`` is the record's id
    # where the record is a person (a link to them), else null.
    "citations": SqlTable(
        "id", references={"source": "sources", "person": "people"}, numbered=True
    ),
}
CITATION_COLUMNS: Sequence[str] = ("source", "kind", "record", "label", "person")


def _create_sql(name: str, table: SqlTable, columns: Sequence[str]) -> str:
    lines = ["[id] INTEGER PRIMARY KEY"] if table.numbered else []
    for column in columns:
        line = f"[{column}] {table.types.get(column, 'TEXT')}"
        if column == table.key:
            line += " PRIMARY KEY"
        if column in table.references:
            other = table.references[column]
            line += f" REFERENCES [{other}]([{SQLITE_TABLES[other].key}])"
        lines.append(line)
    body = ",\n    ".join(lines)
    return f"CREATE TABLE [{name}] (\n    {body}\n)"


def _sqlite(catalog: Catalog, path: Path) -> None:
    """The tables in ``SQLITE_TABLES`` order, one table's rows made at a time."""
    citations: list[dict[str, Any]] = []  # made from the sources' rows, written before it
    views = {**tables(catalog), "citations": (CITATION_COLUMNS, lambda: citations)}
    with closing(sqlite3.connect(path)) as db:
        for name, table in SQLITE_TABLES.items():
            columns, make = views[name]
            rows = make()
            if name == "sources":
                citations = [
                    {
                        **cited,  # its kind and label
                        "source": row["id"],
                        "record": cited["id"],
                        "person": cited["id"] if cited["kind"] == "person" else None,
                    }
                    for row in rows
                    for cited in row["cited_by"]
                ]
            db.execute(_create_sql(name, table, columns))
            values = [[_cell(row.get(c)) for c in columns] for row in rows]
            if table.numbered:
                values = [[number, *row] for number, row in enumerate(values, start=1)]
            marks = ", ".join("?" * (len(columns) + table.numbered))
            db.executemany(f"INSERT INTO [{name}] VALUES ({marks})", values)
            if table.search:
                _enable_search(db, name, table.search)
        db.commit()


def _enable_search(db: sqlite3.Connection, name: str, columns: Sequence[str]) -> None:
    """``name_fts``: FTS5 over ``columns`` with ``name`` as its external content (the text
    stored once), filled from it. No triggers: the export is a snapshot, never edited."""
    listed = ", ".join(f"[{c}]" for c in columns)
    db.execute(
        f"CREATE VIRTUAL TABLE [{name}_fts] USING FTS5 (\n    {listed},\n"
        f'    content="{name}", content_rowid="rowid"\n)'
    )
    db.execute(f"INSERT INTO [{name}_fts] (rowid, {listed}) SELECT rowid, {listed} FROM [{name}]")
