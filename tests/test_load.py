"""The loader: YAML to plain data with positions; malformed files get precise messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from defectcli.dataset.load import format_path, load_file
from defectcli.dataset.locate import DataFile, find_data_files
from defectcli.errors import DataError


def load_text(tmp_path: Path, text: str | bytes, name: str = "x.yaml"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return load_file(DataFile("person", f"people/{name}", path))


def test_values_keep_their_line_and_column(tmp_path: Path) -> None:
    loaded, problems = load_text(tmp_path, "id: a\npostings:\n  - country: Cuba\n    title: X\n")
    assert problems == []
    assert loaded is not None
    assert loaded.data["postings"][0]["title"] == "X"
    assert loaded.position(("postings", 0, "title")) == (4, 12)
    assert loaded.position(("postings", 0, "title"), key=True) == (4, 5)


def test_dates_stay_text_at_their_precision(tmp_path: Path) -> None:
    loaded, _ = load_text(tmp_path, "a: 2019-07-14\nb: 2019-07\nc: '2019'\n")
    assert loaded is not None
    assert loaded.data == {"a": "2019-07-14", "b": "2019-07", "c": "2019"}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: [1, 2\n", 1, "invalid YAML"),  # at the end of the file's only line
        ("a: 1\na: 2\n", 2, "duplicate key"),
        ("a: &x [1]\nb: *x\n", 2, "anchors and aliases"),
        ("a: !!python/object:os.system ls\n", 1, "invalid YAML"),
        ("a:\n\tb: 1\n", 2, "invalid YAML"),
    ],
)
def test_malformed_yaml_is_reported_with_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    loaded, problems = load_text(tmp_path, text)
    assert loaded is None
    assert len(problems) == 1
    assert problems[0].line == line
    assert message in problems[0].message
    assert str(problems[0]).startswith(f"people/x.yaml:{line}")


def test_empty_and_binary_and_bad_utf8_files(tmp_path: Path) -> None:
    assert "empty" in load_text(tmp_path, "", "e.yaml")[1][0].message
    assert "binary" in load_text(tmp_path, b"a: \x00\x01", "b.yaml")[1][0].message
    assert "UTF-8" in load_text(tmp_path, b"a: \xff\xfe\xfa", "u.yaml")[1][0].message


def test_bom_and_crlf_load(tmp_path: Path) -> None:
    loaded, problems = load_text(tmp_path, "\ufeffid: a\r\nname: B\r\n".encode())
    assert problems == []
    assert loaded is not None and loaded.data == {"id": "a", "name": "B"}


def test_format_path() -> None:
    assert format_path(("postings", 0, "title")) == "postings[0].title"
    assert format_path(()) == ""


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file or folder"):
        find_data_files(tmp_path / "nope")
    with pytest.raises(DataError, match="no data files here"):
        find_data_files(tmp_path)


def test_bundled_data_is_found() -> None:
    files = find_data_files(None)
    kinds = {f.kind for f in files}
    assert kinds == {"person", "sources", "events", "statistics"}
    assert all(f.display.startswith("data/") for f in files)
