"""Where the data files are: the bundled dataset, a folder laid out like ``data/``, or one file.

The bundled data ships inside the wheel as ``defectcli/data`` and is read through
``importlib.resources``, so an installed ``defect`` works from any folder.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # types only: importlib.resources and pathlib cost milliseconds to import
    import sys
    from pathlib import Path

    from ..errors import Problem

    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable


# Folder name -> kind of file (and the schema that checks it).
FOLDER_KINDS = {
    "people": "person",
    "sources": "sources",
    "events": "events",
    "statistics": "statistics",
}
# As written, and in capitals (a file saved as NAME.YAML was skipped without a word).
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".YAML", ".YML", ".JSON")


class DataFile(NamedTuple):
    """One data file: what kind it is, how to name it in messages, and how to read it."""

    kind: str
    display: str
    resource: Traversable
    relative: str = ""  # the path inside the dataset ("people/x.yaml"): the cache's name for it

    @property
    def stem(self) -> str:
        name: str = self.resource.name
        return name.rsplit(".", 1)[0]

    @property
    def is_json(self) -> bool:
        name: str = self.resource.name
        return name.lower().endswith(".json")


def bundled_data_folder() -> str | None:
    """The bundled dataset's folder when the package sits on a file system (the usual
    install), as a string: the warm path needs neither pathlib nor importlib.resources."""
    beside = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "data")
    return beside if os.path.isdir(beside) else None


def bundled_data_root() -> Traversable:
    """The dataset that ships with the package (``defectcli/data`` inside the wheel)."""
    from pathlib import Path

    beside = bundled_data_folder()
    if beside is not None:
        return Path(beside)
    from importlib.resources import files

    packaged = files("defectcli") / "data"
    if packaged.is_dir():  # installed some other way (a zip, a custom loader)
        return packaged
    # A source checkout run without installing (or an editable install): the repo's data/.
    return Path(__file__).resolve().parents[3] / "data"


def schema_root() -> Traversable:
    """The JSON Schemas: always the bundled ones, whatever dataset is being read."""
    return bundled_data_root() / "schema"


def find_data_files(path: str | Path | None) -> list[DataFile]:
    """List the data files of a dataset, in a stable order.

    ``path`` is None for the bundled data, a folder laid out like ``data/``, or a single
    YAML/JSON file that holds a whole dataset (``people:``, ``sources:``, ...).
    """
    from pathlib import Path

    from ..errors import DataError

    if path is None:
        return _folder_files(bundled_data_root(), "data")
    given = Path(path)
    shown = str(path)
    if given.is_file():
        if not given.name.endswith(DATA_SUFFIXES):
            raise DataError([_problem(shown, "not a YAML or JSON file")])
        return [DataFile("dataset", shown, given, given.name)]
    if given.is_dir():
        found = _folder_files(given, shown.rstrip("/\\") or shown)
        if not found:
            raise DataError(
                [
                    _problem(
                        shown,
                        "no data files here: expected people/*.yaml, sources/*.yaml, "
                        "events/*.yaml or statistics/*.yaml",
                    )
                ]
            )
        return found
    if given.exists():
        raise DataError([_problem(shown, "not a regular file or folder")])
    raise DataError([_problem(shown, "no such file or folder")])


def _folder_files(root: Traversable, shown: str) -> list[DataFile]:
    from pathlib import Path

    found: list[DataFile] = []
    for folder, kind in FOLDER_KINDS.items():
        sub = root / folder
        if isinstance(sub, Path):
            # os.scandir knows each entry's type without a stat: at 100,000 files the
            # difference is a tenth of a second on every run.
            try:
                with os.scandir(sub) as scan:
                    names = sorted(
                        e.name for e in scan if e.is_file() and e.name.endswith(DATA_SUFFIXES)
                    )
            except (FileNotFoundError, NotADirectoryError):
                continue
            found.extend(
                DataFile(kind, f"{shown}/{folder}/{n}", sub / n, f"{folder}/{n}") for n in names
            )
            continue
        if not sub.is_dir():
            continue
        entries = sorted(
            (e for e in sub.iterdir() if e.is_file() and e.name.endswith(DATA_SUFFIXES)),
            key=lambda e: e.name,
        )
        found.extend(
            DataFile(kind, f"{shown}/{folder}/{e.name}", e, f"{folder}/{e.name}") for e in entries
        )
    return found


def unread_entries(path: str | None) -> list[str]:
    """What sits in a dataset folder's people/, sources/, events/ and statistics/ but is
    not read: files of another kind and folders (data is not looked for in subfolders).
    Paths as shown to the user; empty for one file or the bundled data."""
    if path is None or not os.path.isdir(path):
        return []
    shown = path.rstrip("/\\") or path
    unread: list[str] = []
    for folder in FOLDER_KINDS:
        try:
            with os.scandir(os.path.join(path, folder)) as scan:
                # The data files, nearly every entry, are passed over before any sort
                # (sorting all 100,000 entries of a large folder took 0.1 s).
                others = [e for e in scan if not (e.name.endswith(DATA_SUFFIXES) and e.is_file())]
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in sorted(others, key=lambda e: e.name):
            slash = "/" if entry.is_dir() else ""
            unread.append(f"{shown}/{folder}/{entry.name}{slash}")
    return unread


def _problem(file: str, message: str) -> Problem:
    from ..errors import Problem

    return Problem(file, None, None, "", message)
