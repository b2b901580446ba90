"""`--export-html` pages carry a <title> and the language of their text (issue 26)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import Invoke


class _Page(HTMLParser):
    """The page's title, its lang, the text of each element marked Korean; and a check
    that every element it opens, it closes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.lang: str | None = None
        self.title = ""
        self.korean: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            return
        self.open.append(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if dict(attrs).get("lang") == "ko":
            self.korean.append("")

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] == "title":
            self.title += data
        elif self.open and self.open[-1] == "span" and self.korean and self.korean[-1] == "":
            self.korean[-1] = data


def _export(invoke: Invoke, tmp_path: Path, *args: str) -> _Page:
    page = tmp_path / f"page-{len(list(tmp_path.glob('page-*.html')))}.html"
    result = invoke(*args, "--export-html", str(page))
    assert result.exit_code == 0, result.stderr
    parsed = _Page()
    parsed.feed(page.read_text(encoding="utf-8"))
    assert parsed.open == []
    return parsed


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (("show", "Ri Il Gyu"), "defect show Ri Il Gyu"),
        (("show", "ri", "il", "gyu", "--json"), "defect show ri il gyu"),
        (("list", "--year", "2019"), "defect list"),
        (("stats",), "defect stats"),
        (("search", "embassy"), "defect search embassy"),
    ],
)
def test_an_html_page_has_a_title_and_a_language(
    invoke: Invoke, tmp_path: Path, args: tuple[str, ...], title: str
) -> None:
    page = _export(invoke, tmp_path, *args)
    assert page.title == title
    assert page.lang == "en"


def test_korean_in_the_page_is_marked_as_korean(invoke: Invoke, tmp_path: Path) -> None:
    page = _export(invoke, tmp_path, "show", "Ri Il Gyu")
    assert "리일규" in page.korean
    assert "중남미 담당 부국장" in page.korean  # words, spaces between them, no brackets
    assert all(text.strip() == text and text for text in page.korean)
    english = _export(invoke, tmp_path, "count", "--by", "decade")
    assert english.korean == []


def test_a_title_is_escaped() -> None:
    from rich._export_format import CONSOLE_HTML_FORMAT

    from defectcli.render.terminal import _page

    template = _page(CONSOLE_HTML_FORMAT, "defect search <b>{x} & y")
    page = template.format(stylesheet="", foreground="#000", background="#fff", code="")
    assert "<title>defect search &lt;b&gt;{x} &amp; y</title>" in page
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')


def test_outside_the_cli_the_title_is_defect() -> None:
    from rich.text import Text

    from defectcli.render.context import Output

    console = Output.create("table").recording_console()
    console.print(Text("태영호 Thae Yong Ho"))
    page = console.export_html()
    assert "<title>defect</title>" in page
    assert '<span lang="ko">태영호</span> Thae Yong Ho' in page
