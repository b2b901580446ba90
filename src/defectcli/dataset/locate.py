"""Where the data files are: the bundled dataset, a folder laid out like ``data/``, or one file.

The bundled data ships inside the wheel as ``defectcli/data`` and is read through
``importlib.resources``, so an installed ``defect`` works from any folder.
"""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from typing import TYPE_CHECKING, NamedTuple

from ..errors import DataError, Problem
from ..files import reason

if TYPE_CHECKING:  # types only: importing importlib.resources and pathlib slows every start
    from importlib.abc import Traversable
    from pathlib import Path


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
        return str(self.resource.name).rsplit(".", 1)[0]


def bundled_data_folder() -> str | None:
    """The bundled dataset's folder when the package sits on a file system (the usual
    install), as a string: the warm path needs neither pathlib nor importlib.resources."""
    beside = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "data")
    return beside if os.path.isdir(beside) else None


def bundled_data_root() -> Traversable:
    """The dataset that ships with the package (``defectcli/data`` inside the wheel)."""
    from pathlib import Path  # here: the warm path (``bundled_data_folder``) needs no pathlib

    beside = bundled_data_folder()
    if beside is not None:
        return Path(beside)
    from importlib.resources import files  # only an install that is not on a file system

    packaged = files("defectcli") / "data"
    if packaged.is_dir():  # installed some other way (a zip, a custom loader)
        return packaged
    # A source checkout run without installing (or an editable install): the repo's data/.
    return Path(__file__).resolve().parents[3] / "data"


def schema_root() -> Traversable:
    """The JSON Schemas: always the bundled ones, whatever dataset is being read."""
    return bundled_data_root() / "schema"


def find_data_files(path: str | Path | None) -> list[DataFile]:
    """The data files, in a stable order, of the bundled data (``path`` None), a folder laid
    out like ``data/``, or one YAML/JSON file holding a whole dataset (``people:``...)."""
    from pathlib import Path

    if path is None:
        return _folder_files(bundled_data_root(), "data")
    given = Path(path)
    shown = str(path)
    try:
        found = os.stat(given)
    except (FileNotFoundError, NotADirectoryError):
        message = "no such file or folder"
    except OSError as error:  # a link loop, a name too long, no permission...
        message = reason(error)
    except ValueError as error:  # a name holding a NUL character
        message = str(error)
    else:
        if stat.S_ISREG(found.st_mode):
            if given.name.endswith(DATA_SUFFIXES):
                return [DataFile("dataset", shown, given, given.name)]
            message = "not a YAML or JSON file"
        elif stat.S_ISDIR(found.st_mode):
            if found_files := _folder_files(given, shown.rstrip("/\\") or shown):
                return found_files
            message = (
                "no data files here: expected people/*.yaml, sources/*.yaml, events/*.yaml "
                "or statistics/*.yaml"
            )
        else:
            message = f"not a regular file or folder ({kind_of(found.st_mode)})"
    raise DataError([_problem(shown, message)])


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, for a message."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"


def _folder_files(root: Traversable, shown: str) -> list[DataFile]:
    """The data files of a dataset folder; ``DataError`` naming each file or folder that
    cannot be read (no permission, a link loop, an I/O error) or that is named like a data
    file but is a pipe, a device or a broken link: ``path: reason``, never a traceback."""
    from pathlib import Path

    found: list[DataFile] = []
    problems: list[Problem] = []
    for folder, kind in FOLDER_KINDS.items():
        sub = root / folder
        if isinstance(sub, Path):
            names, trouble = data_names(sub, f"{shown}/{folder}")
            problems += trouble
        else:  # inside a zip: no pipes or links to report
            entries = sub.iterdir() if sub.is_dir() else ()
            names = sorted(
                e.name for e in entries if e.is_file() and e.name.endswith(DATA_SUFFIXES)
            )
        found.extend(
            DataFile(kind, f"{shown}/{folder}/{n}", sub / n, f"{folder}/{n}") for n in names
        )
    if problems:
        raise DataError(problems)
    return found


def data_names(folder: str | Path, shown: str) -> tuple[list[str], list[Problem]]:
    """The names of the data files in ``folder`` (none when it is not there), and what is
    wrong with the entries named like data files that cannot be read as files (``shown``:
    the folder as messages name it)."""
    # os.scandir knows each entry's type without a stat: a system call a file fewer, every run.
    try:
        with os.scandir(folder) as scan:
            entries = [e for e in scan if e.name.endswith(DATA_SUFFIXES)]
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    except OSError as error:  # no permission, a link loop, an I/O error
        return [], [_problem(shown, f"cannot read the folder: {reason(error)}")]
    names: list[str] = []
    problems: list[Problem] = []
    for entry in entries:
        try:
            if entry.is_file():
                names.append(entry.name)
            elif not entry.is_dir():  # a folder so named is not data (validate names it)
                try:
                    what = kind_of(entry.stat().st_mode)  # a pipe, a device (or a link to one)
                except FileNotFoundError:
                    what = "a broken symbolic link"
                problems.append(_problem(f"{shown}/{entry.name}", f"not a regular file ({what})"))
        except OSError as error:  # a link loop, or into a folder that cannot be read
            problems.append(_problem(f"{shown}/{entry.name}", f"cannot read: {reason(error)}"))
    names.sort()
    problems.sort(key=lambda p: p.file)
    return names, problems


def unread_entries(path: str | None) -> list[str]:
    """What sits in a dataset folder's people/, sources/, events/ and statistics/ but is
    not read (every entry but ``data_names``): files of another kind and folders (data is
    not looked for in subfolders). Paths as shown to the user; empty for one file or the
    bundled data."""
    if path is None or not os.path.isdir(path):
        return []
    shown = path.rstrip("/\\") or path
    unread: list[str] = []
    for folder in FOLDER_KINDS:
        sub = os.path.join(path, folder)
        read = set(data_names(sub, shown)[0])
        with suppress(OSError):  # not there, or not readable (reading the data said so already)
            for name in sorted(set(os.listdir(sub)) - read):
                slash = "/" if os.path.isdir(os.path.join(sub, name)) else ""
                unread.append(f"{shown}/{folder}/{name}{slash}")
    return unread


def _problem(file: str, message: str) -> Problem:
    return Problem(file, None, None, "", message)
