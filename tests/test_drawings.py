"""Saved card drawings: the same card comes back byte for byte, and never a stale one."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from conftest import Invoke
from defectcli.render import drawings

CARD = ("show", "Thae Yong Ho", "--format", "table", "--color", "always")


def saved(cache: Path) -> list[Path]:
    folder = cache / "drawings"
    return sorted(folder.glob("*.txt")) if folder.is_dir() else []


def fresh_drawing(invoke: Invoke, *args: str, columns: str = "100") -> str:
    """The card drawn with no cache at all (the index in memory, nothing saved)."""
    result = invoke(*args, env={"DEFECT_NO_CACHE": "1", "COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DEFECT_CACHE_DIR", str(cache))
    return cache


def test_a_card_is_saved_and_printed_again_as_drawn(invoke: Invoke, own_cache: Path) -> None:
    first = invoke(*CARD)
    assert first.exit_code == 0, first.stderr
    assert len(saved(own_cache)) == 1
    again = invoke(*CARD)
    assert again.stdout == first.stdout == fresh_drawing(invoke, *CARD)
    assert "\x1b[" in first.stdout and "Thae Yong Ho" in first.stdout
    # The second run printed the saved file: what is in it is what comes out.
    (path,) = saved(own_cache)
    key, _, text = path.read_text(encoding="utf-8").partition("\n")
    assert text == first.stdout
    assert path.stat().st_mode & 0o777 == 0o600  # as private as the index beside it
    path.write_text(f"{key}\n{text.replace('Thae Yong Ho', 'THAE YONG HO')}", encoding="utf-8")
    assert "THAE YONG HO" in invoke(*CARD).stdout


def test_a_saved_file_under_another_key_is_not_printed(invoke: Invoke, own_cache: Path) -> None:
    first = invoke(*CARD).stdout
    (path,) = saved(own_cache)
    # As if two keys shared a file name: the key inside decides.
    path.write_text('{"another": "key"}\nnot this card\n', encoding="utf-8")
    assert invoke(*CARD).stdout == first
    assert path.read_text(encoding="utf-8").partition("\n")[2] == first


@pytest.mark.parametrize(
    ("args", "columns"),
    [
        (("show", "Thae Yong Ho", "--format", "table", "--color", "always"), "60"),
        (("show", "Thae Yong Ho", "--format", "table", "--color", "never"), "100"),
        (("show", "Thae", "--format", "table", "--color", "always"), "100"),
    ],
    ids=["narrower", "no colour", "another spelling"],
)
def test_each_console_and_request_gets_its_own_drawing(
    invoke: Invoke, own_cache: Path, args: tuple[str, ...], columns: str
) -> None:
    invoke(*CARD)
    for _ in range(2):  # drawn, then printed from the file
        result = invoke(*args, env={"COLUMNS": columns})
        assert result.exit_code == 0, result.stderr
        assert result.stdout == fresh_drawing(invoke, *args, columns=columns)
    assert len(saved(own_cache)) == 2


def test_an_edit_to_the_data_is_on_the_next_card(
    invoke: Invoke, own_cache: Path, mini_copy: Path
) -> None:
    card = ("--data", str(mini_copy), "show", "alpha", "--format", "table", "--color", "never")
    assert "Testville" in invoke(*card).stdout
    assert "Testville" in invoke(*card).stdout
    person = mini_copy / "people" / "alpha-tester.yaml"
    before = person.stat()
    # Same size, same modification time: the index's content check sees it, so must the card.
    person.write_text(person.read_text(encoding="utf-8").replace("Testville", "Bestville"))
    os.utime(person, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert person.stat().st_size == before.st_size
    after = invoke(*card).stdout
    assert "Bestville" in after and "Testville" not in after


def test_a_cache_that_cannot_be_written_still_prints_the_card(
    invoke: Invoke, own_cache: Path
) -> None:
    own_cache.mkdir()
    (own_cache / "drawings").write_text("a file where the folder would be")
    for _ in range(2):
        result = invoke(*CARD)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == fresh_drawing(invoke, *CARD)


def test_other_formats_and_pictures_are_not_saved(
    invoke: Invoke, own_cache: Path, tmp_path: Path
) -> None:
    assert invoke("show", "Thae", "--json").exit_code == 0
    assert invoke("show", "Thae", "--format", "plain").exit_code == 0
    picture = tmp_path / "card.svg"
    assert invoke(*CARD, "--export-svg", str(picture)).exit_code == 0
    assert "Thae" in picture.read_text(encoding="utf-8")
    assert saved(own_cache) == []


def test_the_least_recently_used_drawings_go_past_the_limit(
    invoke: Invoke, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(drawings, "MAX_DRAWINGS", 4)

    def card(columns: int) -> None:
        assert invoke(*CARD, env={"COLUMNS": str(columns)}).exit_code == 0

    for columns in (60, 70, 80, 90):
        card(columns)
    files = saved(own_cache)
    assert len(files) == 4
    for age, path in enumerate(files):  # all used long ago, in file-name order
        os.utime(path, ns=(age * 10**9, age * 10**9))
    oldest = files[0]
    key = json.loads(oldest.read_text(encoding="utf-8").partition("\n")[0])
    card(key["console"]["width"])  # printed again: now the most recently used
    card(110)  # a fifth drawing: the four least recently used go, down to two
    left = saved(own_cache)
    assert len(left) == 2 and oldest in left


def test_the_code_stamp_changes_when_a_module_file_does(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("not code")

    def stamp() -> list[str]:
        found: list[str] = []
        drawings._module_stamps(str(tmp_path), found)
        return found

    before = stamp()
    assert len(before) == 1
    module.write_text("x = 2\n")
    os.utime(module, ns=(1, 1))
    assert stamp() != before


def test_temporary_files_a_killed_run_left_go_after_a_day(invoke: Invoke, own_cache: Path) -> None:
    folder = own_cache / "drawings"
    folder.mkdir(parents=True)
    old, recent = folder / "0123456789abcdef.txt.41.tmp", folder / "fedcba9876543210.txt.42.tmp"
    for path in (old, recent):
        path.write_text("half a drawing")
    two_days_ago = int((time.time() - 2 * 86_400) * 10**9)
    os.utime(old, ns=(two_days_ago, two_days_ago))
    assert invoke(*CARD).exit_code == 0
    assert not old.exists() and recent.exists() and len(saved(own_cache)) == 1


def test_the_output_is_part_of_the_key_not_only_the_console(own_cache: Path) -> None:
    """A list drawn on a terminal stops at 200 rows, the same table into a file with
    --color always does not: the consoles are alike, the drawings are not."""
    import io

    from defectcli.render.context import Output

    def drawn(is_tty: bool) -> str:
        out = Output("table", "always", io.StringIO(), is_tty)
        drawings.print_drawing(
            out, "an index", ("list",), lambda console: console.print(f"rows: {out.row_limit}")
        )
        return out.stream.getvalue()  # type: ignore[attr-defined, no-any-return]

    assert "rows: 200" in drawn(True)
    assert "rows: None" in drawn(False)
    assert "rows: 200" in drawn(True)  # replayed
    assert len(saved(own_cache)) == 2


def test_a_cache_that_can_only_be_read_still_serves_saved_cards(
    invoke: Invoke, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared or read-only cache: the saved file can be read, not touched (the tests run
    as root, for whom permissions do not refuse, so the refusal is made here)."""
    invoke(*CARD)
    (path,) = saved(own_cache)
    key, _, text = path.read_text(encoding="utf-8").partition("\n")
    path.write_text(f"{key}\n{text.replace('Thae Yong Ho', 'THAE YONG HO')}", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only cache")

    monkeypatch.setattr(drawings.os, "utime", refuse)
    assert "THAE YONG HO" in invoke(*CARD).stdout  # the saved file, though not touched


def test_a_saved_card_is_not_printed_once_its_data_is_broken(
    invoke: Invoke, own_cache: Path, mini_copy: Path
) -> None:
    card = ("--data", str(mini_copy), "show", "alpha", "--format", "table")
    assert invoke(*card).exit_code == 0 and len(saved(own_cache)) == 1
    person = mini_copy / "people" / "alpha-tester.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "  broken: [\n", encoding="utf-8")
    result = invoke(*card)
    assert result.exit_code == 1 and result.stdout == ""
    assert "alpha-tester.yaml" in result.stderr
