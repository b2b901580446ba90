"""``defect export``: the whole dataset in one file (or folder) for other tools.

- ``json``: one object with ``people``, ``quotes``, ``sources``, ``statistics`` and
  ``events``, each a list of the objects the commands print with ``--json`` (``list``,
  ``quotes``, ``sources``, ``stats``, ``timeline``), one object a line; and ``dataset``, the
  dataset itself as the schema defines it (``dataset.schema.json``): what
  ``defect --data FILE`` reads back. Written list by list: one list in memory at a time,
  never the whole document as one string.
- ``ndjson``: the dataset's records, one per line, each with its ``type`` (person, source...).
- ``csv``: a folder with one table per kind (people, quotes, sources, statistics, events), the
  columns the commands print; lists are joined with "; ".
- ``sqlite``: the same tables in an SQLite database that ``sqlite3`` and datasette open as
  they are (lists as JSON text).

Every file is written beside its target under a temporary name and moved into place, so a
reader never sees half an export; nothing is overwritten without ``force``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from .errors import DefectError
from .query import Catalog

# The formats that can go to standard output (``--output -``): one stream of text.
STREAMED = ("json", "ndjson")


class ExportError(DefectError):
    """The export could not be written (exists without --force, a bad path...)."""


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
    """Each table as (columns, rows of the records the commands print)."""
    from .render.columns import (
        PERSON_COLUMNS,
        QUOTE_COLUMNS,
        SOURCE_COLUMNS,
        STATS_COLUMNS,
        TIMELINE_COLUMNS,
    )
    from .render.records import (
        person_record,
        quote_record,
        source_entry_record,
        timeline_record,
        year_record,
    )

    quote_columns = (*QUOTE_COLUMNS, "speaker_id", "language", "translation", "note")
    return {
        "people": (PERSON_COLUMNS, lambda: [person_record(p) for p in catalog.people()]),
        "quotes": (quote_columns, lambda: [quote_record(q) for q in catalog.quotes()]),
        "sources": (
            (*SOURCE_COLUMNS, "note"),
            lambda: [source_entry_record(e) for e in catalog.sources_cited()],
        ),
        "statistics": (
            STATS_COLUMNS,
            lambda: [year_record(y) for y in catalog.statistics().arrivals],
        ),
        "events": (
            (*TIMELINE_COLUMNS, "country"),
            lambda: [timeline_record(e) for e in catalog.timeline().entries],
        ),
    }


def _ndjson_lines(document: Mapping[str, Any]) -> Iterator[str]:
    for kind, key in (("person", "people"), ("source", "sources"), ("event", "events")):
        for record in document[key]:
            yield json.dumps({"type": kind, **record}, ensure_ascii=False)
    for kind, records in document["statistics"].items():
        for record in records:
            yield json.dumps({"type": kind, **record}, ensure_ascii=False)


def _write_json(catalog: Catalog, handle: TextIO) -> None:
    """The five tables as the commands print them, then the dataset itself."""
    views: dict[str, Any] = {name: _later(make) for name, (_, make) in tables(catalog).items()}
    _write_mapping(handle, {**views, "dataset": catalog.dataset_sections()}, "")
    handle.write("\n")


def _later(make: Callable[[], list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """A table's rows, made only when the writer reaches them."""
    yield from make()


def _write_mapping(handle: TextIO, value: Mapping[str, Any], indent: str) -> None:
    """A mapping whose values are lists of records (any iterable) or more such mappings,
    indented as ``json.dumps(indent=2)`` would, except that each record takes one line."""
    handle.write("{")
    inner = indent + "  "
    for number, (key, item) in enumerate(value.items()):
        handle.write(("," if number else "") + f"\n{inner}{json.dumps(key)}: ")
        if isinstance(item, Mapping):
            _write_mapping(handle, item, inner)
            continue
        handle.write("[")
        count = 0
        for count, record in enumerate(item, start=1):
            handle.write(("," if count > 1 else "") + f"\n{inner}  ")
            handle.write(json.dumps(record, ensure_ascii=False))
        handle.write(f"\n{inner}]" if count else "]")
    handle.write(f"\n{indent}}}")


def export(catalog: Catalog, fmt: str, output: str, force: bool = False) -> Path | None:
    """Write the dataset to ``output`` in ``fmt``; return the path written (None for
    ``-``: JSON and NDJSON to standard output, as they are made)."""
    if output == "-":
        if fmt not in STREAMED:
            what = "a folder" if fmt == "csv" else "a file"
            raise ExportError(f"{fmt} export writes {what}: give its path, not -.")
        from .render.context import standard_output

        _text_writer(fmt)(catalog, standard_output())
        return None
    target = Path(output)
    if target.exists() and not (target.is_file() or target.is_dir()):
        # A device, a pipe, a socket: the export would take its name and replace it (as
        # root, /dev/full or /dev/stdout itself), even with --force never what was meant.
        raise ExportError(
            f"{output} is not a regular file or folder; export writes only files and folders."
        )
    if target.exists() and not force:
        raise ExportError(f"{output} already exists; add --force to replace it.")
    if target.exists() and target.is_dir() != (fmt == "csv"):
        kind = "a folder" if target.is_dir() else "a file"
        raise ExportError(
            f"{output} is {kind}; {fmt} export writes a {'folder' if fmt == 'csv' else 'file'}."
        )
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"no such folder: {parent}")
    try:
        if fmt == "csv" and target.is_dir():
            _check_replaceable(target, output, {f"{name}.csv" for name in tables(catalog)})
        if fmt == "csv":
            _write_folder(target, lambda folder: _csv_folder(catalog, folder))
        elif fmt == "sqlite":
            _write_file(target, lambda path: _sqlite(catalog, path))
        elif fmt in STREAMED:
            write = _text_writer(fmt)
            _write_file(target, lambda path: _text_file(path, lambda h: write(catalog, h)))
        else:
            raise ValueError(f"unknown export format {fmt!r}")
    except OSError as error:  # no permission in the folder, a full disk...
        raise ExportError(f"cannot write {output}: {error.strerror}") from None
    except sqlite3.OperationalError as error:  # the same, as SQLite words it
        raise ExportError(f"cannot write {output}: {error}") from None
    return target


def _text_writer(fmt: str) -> Callable[[Catalog, TextIO], None]:
    """What writes a JSON or NDJSON export to a text stream (a file, or standard output)."""
    return _write_json if fmt == "json" else _write_ndjson


def _text_file(path: Path, write: Callable[[TextIO], None]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        write(handle)


def _write_ndjson(catalog: Catalog, handle: TextIO) -> None:
    for line in _ndjson_lines(catalog.dataset_sections()):
        handle.write(line + "\n")


def _write_file(target: Path, write: Callable[[Path], object]) -> None:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    os.close(handle)
    temp = Path(name)
    try:
        temp.unlink()  # sqlite3 wants to create the file itself
        write(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _check_replaceable(folder: Path, output: str, written: set[str]) -> None:
    """Refuse to replace a folder that is not an earlier CSV export (--force replaces an
    export, never a folder of other files), or that holds the current folder."""
    here = Path.cwd().resolve()
    if folder.resolve() in (here, *here.parents):
        raise ExportError(
            f"{output} is the current folder or holds it; give the path of a new folder."
        )
    others = sorted(entry.name for entry in folder.iterdir() if entry.name not in written)
    if others:
        shown = ", ".join(others[:5]) + (
            f" and {len(others) - 5:,} more" if len(others) > 5 else ""
        )
        raise ExportError(
            f"{output} holds files that are not part of a CSV export ({shown}); "
            "--force replaces only an earlier export. Give the path of a new folder."
        )


def _write_folder(target: Path, write: Callable[[Path], object]) -> None:
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent or "."))
    # mkdtemp makes the folder private (0700); an export is shared as any new folder is.
    umask = os.umask(0)
    os.umask(umask)
    temp.chmod(0o777 & ~umask)
    try:
        write(temp)
        if target.exists():
            # A name of our own for the folder being replaced, never one the user made:
            # reserved by making it, then freed for the move (Windows cannot move a folder
            # onto an empty one).
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            old.rmdir()
            os.replace(target, old)
            os.replace(temp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _csv_folder(catalog: Catalog, folder: Path) -> None:
    from .render.formats import to_csv

    for name, (columns, rows) in tables(catalog).items():
        (folder / f"{name}.csv").write_text(to_csv(rows(), columns), encoding="utf-8")


def _sqlite(catalog: Catalog, path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        for name, (columns, rows) in tables(catalog).items():
            column_list = ", ".join(f'"{c}"' for c in columns)
            db.execute(f'CREATE TABLE "{name}" ({column_list})')
            marks = ", ".join("?" for _ in columns)
            db.executemany(
                f'INSERT INTO "{name}" VALUES ({marks})',
                [[_cell(row.get(c)) for c in columns] for row in rows()],
            )
        db.commit()
    finally:
        db.close()
