"""A cache no one else can touch: the folder is private, an index or folder of someone
else's (or open to others' writes) is never used, nothing in it is followed through a
symbolic link, and every file the cache writes is created new and moved into place.

Found by an adversarial trial: with ``XDG_CACHE_HOME`` on a shared folder where another user
made ``defectcli/`` first, that user could replace the index with a forged one (the owner's
``list`` printed forged names), and plant links the owner's run wrote through.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from conftest import Invoke
from defectcli.index import cache
from test_trust_users import OTHER_UID, as_other_user, shared_folder

FORGED = "Forged Name \x1b]0;pwned\x07"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache folder of this test (not there yet), and a run's memory of what it said."""
    target = tmp_path / "cache"
    monkeypatch.setenv("DEFECT_CACHE_DIR", str(target))
    monkeypatch.setattr(cache, "_SAID", set())
    return target


def index_of(data: Path) -> Path:
    return Path(cache.index_path(str(data.resolve())))


def names(invoke: Invoke, data: Path) -> tuple[list[str], str]:
    result = invoke("--data", str(data), "list", "--json")
    assert result.exit_code == 0, result.stderr
    return [p["name"] for p in json.loads(result.stdout)], result.stderr


def forge(index: Path) -> None:
    """What the trial's other user did: the index says what they like."""
    with sqlite3.connect(index) as db:
        db.execute("UPDATE people SET doc = json_set(doc, '$.name', ?)", (FORGED,))
    index.chmod(0o600)


def test_the_folder_is_private_and_every_file_is_the_users_alone(
    invoke: Invoke, mini_copy: Path, folder: Path
) -> None:
    old = os.umask(0)  # even where everything would be made open to all
    try:
        assert names(invoke, mini_copy)[0] == ["Alpha Tester", "Beta Tester"]
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for entry in folder.iterdir():
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600, entry.name
    assert [p.name for p in folder.iterdir()] == [index_of(mini_copy).name]  # nothing else


def test_the_forgery_shows_when_the_index_is_trusted(
    invoke: Invoke, mini_copy: Path, folder: Path
) -> None:
    """The control for the tests below: a forged index in the user's own folder is read
    (it is the user's own file), and its escapes are still shown, not obeyed."""
    names(invoke, mini_copy)
    forge(index_of(mini_copy))
    result = invoke("--data", str(mini_copy), "list", "--format", "plain")
    assert "Forged Name \\x1b]0;pwned\\x07" in result.stdout and "\x1b" not in result.stdout


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (
            lambda f: os.chown(f, OTHER_UID, OTHER_UID),
            f"it belongs to another user (uid {OTHER_UID})",
        ),
        (lambda f: f.chmod(0o777), "group or others may write to it (mode 0777)"),
        (lambda f: f.chmod(0o770), "group or others may write to it (mode 0770)"),
    ],
    ids=["another-users", "open-to-all", "open-to-the-group"],
)
def test_a_folder_of_someone_elses_or_open_to_others_is_never_used(
    invoke: Invoke, mini_copy: Path, folder: Path, change: object, why: str
) -> None:
    names(invoke, mini_copy)
    index = index_of(mini_copy)
    forge(index)
    change(folder)  # type: ignore[operator]
    before = sorted(p.name for p in folder.iterdir())
    found, stderr = names(invoke, mini_copy)
    assert found == ["Alpha Tester", "Beta Tester"]  # the data, not the forgery
    assert stderr == f"Note: not using the cache folder {folder}: {why}; working from memory\n"
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written there
    # A change to the data is seen too (from memory), and still nothing is written.
    person = mini_copy / "people" / "beta-tester.yaml"
    person.write_text(person.read_text(encoding="utf-8").replace("Beta Tester", "Beta Two"))
    assert names(invoke, mini_copy)[0] == ["Alpha Tester", "Beta Two"]
    assert sorted(p.name for p in folder.iterdir()) == before


def test_an_index_of_someone_elses_is_never_used(
    invoke: Invoke, mini_copy: Path, folder: Path
) -> None:
    names(invoke, mini_copy)
    index = index_of(mini_copy)
    forge(index)
    os.chown(index, OTHER_UID, OTHER_UID)
    found, stderr = names(invoke, mini_copy)
    assert found == ["Alpha Tester", "Beta Tester"]
    assert stderr == (
        f"Note: not using the index {index}: it belongs to another user (uid {OTHER_UID});"
        " working from memory\n"
    )
    assert index.stat().st_uid == OTHER_UID  # left as it is: not ours to replace
    index.chmod(0o666)
    os.chown(index, os.geteuid(), os.getegid())
    assert "group or others may write to it (mode 0666)" in names(invoke, mini_copy)[1]


def test_an_index_that_is_a_link_is_never_followed(
    invoke: Invoke, mini_copy: Path, folder: Path, tmp_path: Path
) -> None:
    names(invoke, mini_copy)
    index = index_of(mini_copy)
    mine = tmp_path / "thesis.sqlite"
    index.rename(mine)
    forge(mine)
    index.symlink_to(mine)
    before = mine.read_bytes()
    found, stderr = names(invoke, mini_copy)
    assert found == ["Alpha Tester", "Beta Tester"]
    why = "it is a symbolic link"
    assert stderr == f"Note: not using the index {index}: {why}; working from memory\n"
    assert index.is_symlink() and mine.read_bytes() == before  # neither replaced nor written


def test_a_folder_that_is_a_link_planted_by_someone_else_is_never_used(
    invoke: Invoke, mini_copy: Path, folder: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "somewhere-of-mine"
    mine.mkdir(mode=0o700)
    folder.symlink_to(mine)
    os.lchown(folder, OTHER_UID, OTHER_UID)
    found, stderr = names(invoke, mini_copy)
    assert found == ["Alpha Tester", "Beta Tester"]
    assert "it is a symbolic link made by another user" in stderr
    assert list(mine.iterdir()) == []
    os.lchown(folder, os.geteuid(), os.getegid())  # a link of the user's own is fine
    names(invoke, mini_copy)
    assert [p.name for p in mine.iterdir()] == [index_of(mini_copy).name]


def test_the_warning_is_one_line_even_when_the_index_is_built(
    invoke: Invoke, mini_copy: Path, folder: Path
) -> None:
    folder.mkdir(mode=0o700)
    os.chown(folder, OTHER_UID, OTHER_UID)
    stderr = names(invoke, mini_copy)[1]
    assert stderr.count("\n") == 1 and "not using the cache folder" in stderr
    assert list(folder.iterdir()) == []


def test_a_shared_cache_folder_made_first_by_another_user(
    invoke: Invoke, mini_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The trial as it ran: XDG_CACHE_HOME on a shared folder (/tmp-like: everyone may make
    folders in it), where another user made defectcli/ first, open to all, with a link at the
    index's name to a file of the owner's and a forged index beside it."""
    monkeypatch.delenv("DEFECT_CACHE_DIR")
    monkeypatch.setattr(cache, "_SAID", set())
    mine = tmp_path / "precious.txt"
    mine.write_text("the owner's work", encoding="utf-8")
    with shared_folder() as shared:
        monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
        planted = shared / "defectcli"
        index_name = index_of(mini_copy).name

        def plant() -> list[str]:
            os.mkdir(planted, 0o777)
            os.chmod(planted, 0o777)
            os.symlink(mine, planted / index_name)
            for number in range(20):  # guessable temporary names, in case any are used
                os.symlink(mine, planted / f".index-{number}.tmp")
            return sorted(os.listdir(planted))

        planted_names = as_other_user(plant)
        assert planted.stat().st_uid == OTHER_UID
        found, stderr = names(invoke, mini_copy)
        assert found == ["Alpha Tester", "Beta Tester"]
        assert f"not using the cache folder {planted}: it belongs to another user" in stderr
        assert mine.read_text(encoding="utf-8") == "the owner's work"
        assert sorted(os.listdir(planted)) == planted_names  # nothing made or removed there
        # The same folder made first by the owner: private, and the other user is shut out.
        monkeypatch.setenv("XDG_CACHE_HOME", str(shared / "owner"))
        names(invoke, mini_copy)
        owners = shared / "owner" / "defectcli"
        assert stat.S_IMODE(owners.stat().st_mode) == 0o700

        def try_to_plant() -> str:
            try:
                os.symlink(mine, owners / "anything")
            except PermissionError:
                return "refused"
            return "planted"

        assert as_other_user(try_to_plant) == "refused"


def test_stale_temporaries_are_removed_as_links_never_followed(
    invoke: Invoke, mini_copy: Path, folder: Path, tmp_path: Path
) -> None:
    folder.mkdir(mode=0o700)
    mine = tmp_path / "precious.txt"
    mine.write_text("kept", encoding="utf-8")
    link = folder / ".index-old.tmp"
    link.symlink_to(mine)
    day_ago = time.time() - 2 * 86_400
    os.utime(link, (day_ago, day_ago), follow_symlinks=False)
    names(invoke, mini_copy)
    assert not os.path.lexists(link) and mine.read_text(encoding="utf-8") == "kept"
