"""Every command and output format, as a user runs them (through Click's CliRunner)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import Invoke
from defectcli.cli import cli
from defectcli.render.records import PERSON_COLUMNS, QUOTE_COLUMNS

ESC = "\x1b["


def as_json(invoke: Invoke, *args: str) -> object:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- list -------------------------------------------------------------------------------


def test_list_json_has_the_contract_keys(invoke: Invoke) -> None:
    people = as_json(invoke, "list")
    assert isinstance(people, list) and len(people) >= 20
    for person in people:
        assert list(person) == list(PERSON_COLUMNS)
        assert person["sources"], f"{person['id']} cites no source"
        assert person["year"] in person["years"] or person["year"] is None


def test_json_flag_is_format_json(invoke: Invoke) -> None:
    assert invoke("list", "--json").stdout == invoke("list", "--format", "json").stdout


def test_conflicting_format_flags_are_a_usage_error(invoke: Invoke) -> None:
    result = invoke("list", "--json", "--format", "csv")
    assert result.exit_code == 2
    assert "--json and --format csv" in result.stderr


def test_year_filter_matches_any_sourced_year(invoke: Invoke) -> None:
    in_2019 = {p["id"]: p for p in as_json(invoke, "list", "--year", "2019")}  # type: ignore[union-attr]
    assert {"jo-song-gil", "ryu-hyun-woo"} <= set(in_2019)
    jo = in_2019["jo-song-gil"]
    assert jo["years"] == [2018, 2019] and "defection.year" in jo["disputed"]
    in_2018 = [p["id"] for p in as_json(invoke, "list", "--year", "2018")]  # type: ignore[union-attr]
    assert "jo-song-gil" in in_2018


def test_since_until_and_order(invoke: Invoke) -> None:
    people = as_json(invoke, "list", "--since", "2016", "--until", "2019")
    years = [p["year"] for p in people]  # type: ignore[union-attr]
    assert years == sorted(years) and all(
        any(2016 <= y <= 2019 for y in p["years"])
        for p in people  # type: ignore[union-attr]
    )
    assert invoke("list", "--since", "2020", "--until", "2010").exit_code == 2


def test_confirmed_diplomats_include_the_four_named_since_kim_jong_un(invoke: Invoke) -> None:
    # The article's "fourth officially confirmed case" under Kim Jong Un: the four named.
    confirmed = as_json(invoke, "list", "--confirmed", "--category", "diplomat", "--since", "2012")
    assert {"thae-yong-ho", "jo-song-gil", "ryu-hyun-woo", "ri-il-gyu"} <= {
        p["id"]  # type: ignore[index]
        for p in confirmed  # type: ignore[union-attr]
    }
    for person in confirmed:  # type: ignore[union-attr]
        assert person["confirmed"] and person["category"] == "diplomat"  # type: ignore[index]
        assert max(person["years"]) >= 2012  # type: ignore[index]


def test_country_destination_category_filters(invoke: Invoke) -> None:
    uk = {p["id"] for p in as_json(invoke, "list", "--country", "united kingdom")}  # type: ignore[union-attr]
    assert uk == {"thae-yong-ho", "oh-hye-seon"}
    usa = as_json(invoke, "list", "--destination", "United States")
    assert "france-diplomat-family-2023" in {p["id"] for p in usa}  # type: ignore[union-attr]
    assert all(p["destination"] == "United States" for p in usa)  # type: ignore[union-attr]
    family = as_json(invoke, "list", "--category", "FAMILY")
    assert all(p["category"] == "family" for p in family)  # type: ignore[union-attr]


def test_empty_result_is_exit_zero_with_a_hint_for_unknown_places(invoke: Invoke) -> None:
    result = invoke("list", "--country", "Atlantis")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no posting in 'Atlantis'" in result.stderr
    assert invoke("list", "--year", "1950", "--format", "json").stdout.strip() == "[]"


def test_plain_output_in_a_pipe_is_one_line_per_person(invoke: Invoke) -> None:
    result = invoke("list")
    people = as_json(invoke, "list")
    lines = result.stdout.splitlines()
    assert len(lines) == len(people)  # type: ignore[arg-type]
    assert ESC not in result.stdout
    first = lines[0].split("\t")
    assert first[0] == people[0]["id"]  # type: ignore[index]
    jo = next(line for line in lines if line.startswith("jo-song-gil\t"))
    assert "2018 (also 2019)" in jo.split("\t")


def test_ndjson_csv_markdown(invoke: Invoke) -> None:
    people = as_json(invoke, "list")
    ndjson = invoke("list", "--format", "ndjson").stdout.splitlines()
    assert [json.loads(line) for line in ndjson] == people
    rows = list(csv.DictReader(io.StringIO(invoke("list", "--format", "csv").stdout)))
    assert list(rows[0]) == list(PERSON_COLUMNS)
    assert [r["id"] for r in rows] == [p["id"] for p in people]  # type: ignore[union-attr]
    jo = next(r for r in rows if r["id"] == "jo-song-gil")
    assert jo["years"] == "2018; 2019" and jo["confirmed"] == "true"
    markdown = invoke("list", "--format", "markdown").stdout.splitlines()
    assert markdown[0].startswith("| id | name |") and len(markdown) == len(people) + 2  # type: ignore[arg-type]


def test_table_format_and_colour(invoke: Invoke) -> None:
    table = invoke("list", "--format", "table", "--color", "never", env={"COLUMNS": "160"}).stdout
    assert "Name" in table and "Thae Yong Ho" in table and ESC not in table
    assert "2018 (also 2019)" in table
    coloured = invoke("list", "--format", "table", "--color", "always").stdout
    assert ESC in coloured
    no_color = invoke(
        "list", "--format", "table", "--color", "auto", env={"NO_COLOR": "1", "FORCE_COLOR": ""}
    )
    assert ESC not in no_color.stdout


# --- show -------------------------------------------------------------------------------


def test_show_json_profile(invoke: Invoke) -> None:
    jo = as_json(invoke, "show", "Jo Song Gil")
    assert isinstance(jo, dict)
    for key in (*PERSON_COLUMNS, "aliases", "postings", "quotes", "claims", "related"):
        assert key in jo
    assert jo["hangul"] == "조성길"
    years = {str(c["value"]) for c in jo["claims"] if c["field"] == "defection.year"}
    assert {"2018", "2019"} <= years
    assert all({"field", "value", "source"} <= set(c) for c in jo["claims"])
    numbered = [s["n"] for s in jo["sources"]]
    assert numbered == list(range(1, len(numbered) + 1))
    assert all(isinstance(s, dict) and s["outlet"] for s in jo["sources"])


def test_show_related_people(invoke: Invoke) -> None:
    thae = as_json(invoke, "show", "thae yong ho")
    wife = [r for r in thae["related"] if r["id"] == "oh-hye-seon"]  # type: ignore[index]
    assert len(wife) == 1 and wife[0]["name"] == "Oh Hye Seon" and wife[0]["relation"] == "wife"


def test_show_accepts_unquoted_words_hangul_and_id(invoke: Invoke) -> None:
    expected = invoke("show", "ri-il-gyu", "--json").stdout
    for args in (["Ri", "Il", "Gyu"], ["리일규"], ["RI IL-GYU"]):
        assert invoke("show", *args, "--json").stdout == expected


def test_show_unknown_name(invoke: Invoke) -> None:
    result = invoke("show", "Thea Yong Ho")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "No person matches 'Thea Yong Ho'" in result.stderr
    assert "Did you mean: Thae Yong Ho" in result.stderr


def test_show_ambiguous_name_lists_candidates(invoke: Invoke) -> None:
    result = invoke("show", "kim")
    assert result.exit_code == 1
    assert "matches" in result.stderr and "Kim Chol-song (김철성)" in result.stderr


@pytest.mark.parametrize("name", ["ryu", "jang sung gil", "jo song gil"])
def test_show_names_the_country_left_once(invoke: Invoke, name: str) -> None:
    person = json.loads(invoke("show", name, "--json").stdout)
    line = next(
        x
        for x in invoke("show", name, "--format", "plain").stdout.splitlines()
        if x.strip().startswith("From:")
    )
    assert line.count(person["country"]) == 1, line
    assert person["post"] in line


def test_a_posting_known_at_one_end_says_from_or_until(invoke: Invoke) -> None:
    person = json.loads(invoke("show", "ryu", "--json").stdout)
    card = invoke("show", "ryu", "--format", "plain").stdout
    for posting in person["postings"]:
        start, end = posting.get("start"), posting.get("end")
        if start and not end:
            assert f"(from {start})" in card
        if end and not start:
            assert f"(until {end})" in card
    assert {bool(p.get("start")) for p in person["postings"] if not p.get("end")} == {True}
    assert "(– " not in card and " –)" not in card


@pytest.mark.parametrize(
    "args",
    [["show", ""], ["show", " "], ["cite", ""], ["quotes", "--person", ""],
     ["timeline", "--person", " "], ["sources", "--person", ""]],
)  # fmt: skip
def test_a_blank_name_is_a_usage_error(invoke: Invoke, args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and "is empty" in result.stderr
    assert "No person matches" not in result.stderr


def test_profile_is_an_alias_of_show(invoke: Invoke) -> None:
    assert invoke("profile", "thae", "--json").stdout == invoke("show", "thae", "--json").stdout


def test_the_alias_has_the_whole_help_under_its_own_name(invoke: Invoke) -> None:
    shown = invoke("profile", "--help").stdout
    assert " profile [OPTIONS] NAME" in shown.splitlines()[0]
    assert "Examples:" in shown and "defect show 리일규" in shown


@pytest.mark.parametrize("fmt", ["plain", "table", "markdown", "csv", "ndjson"])
def test_show_every_format(invoke: Invoke, fmt: str) -> None:
    result = invoke("show", "Ri Il Gyu", "--format", fmt, "--color", "never")
    assert result.exit_code == 0
    out = result.stdout
    assert ESC not in out
    if fmt in {"plain", "table", "markdown"}:
        assert "Ri Il Gyu" in out and "리일규" in out
        assert "[1]" in out and "https://news1global.com/north-korea/view/424742" in out
        assert "tie-wearing beggars" in out
    elif fmt == "csv":
        (row,) = list(csv.DictReader(io.StringIO(out)))
        assert row["id"] == "ri-il-gyu" and row["country"] == "Cuba"
    else:
        assert json.loads(out)["id"] == "ri-il-gyu"


def test_show_card_shows_disputed_claims_side_by_side(invoke: Invoke) -> None:
    out = invoke("show", "ri il gyu", "--format", "table", "--color", "never").stdout
    person = json.loads(invoke("show", "ri il gyu", "--json").stdout)
    titles = [c["value"] for c in person["claims"] if c["field"] == "title"]
    assert len(set(titles)) > 1 and "title" in person["disputed"]
    claims = out[out.index("Claims by source") :]
    assert all(t.split()[0] in claims for t in titles)  # each value, in the table


# --- quotes -----------------------------------------------------------------------------


def test_quotes_json_contract_and_filters(invoke: Invoke) -> None:
    quotes = as_json(invoke, "quotes", "--person", "Ryu Hyun Woo")
    assert quotes and all(set(QUOTE_COLUMNS) <= set(q) for q in quotes)  # type: ignore[union-attr]
    assert all("ryu-hyun-woo" in (q["person"], q["speaker_id"]) for q in quotes)  # type: ignore[union-attr]
    betrayal = [q for q in quotes if "The betrayal from realizing" in q["text"]]  # type: ignore[union-attr]
    assert betrayal and betrayal[0]["source"] == "news1-en-2024-elite-diplomats"


def test_quotes_search_finds_a_word_and_a_phrase(invoke: Invoke) -> None:
    hits = as_json(invoke, "quotes", "--search", "BEGGARS")
    assert any("tie-wearing beggars" in q["text"] for q in hits)  # type: ignore[union-attr]
    phrase = as_json(invoke, "quotes", "--search", '"tie-wearing beggars"')
    assert len(phrase) >= 1  # type: ignore[arg-type]
    assert as_json(invoke, "quotes", "--search", '"beggars tie-wearing"') == []


def test_quotes_by_source_and_unknown_source(invoke: Invoke) -> None:
    article = as_json(invoke, "quotes", "--source", "news1-en-2024-elite-diplomats")
    assert len(article) >= 7  # type: ignore[arg-type]
    result = invoke("quotes", "--source", "news1-2024")
    assert result.exit_code == 1 and "No source with id 'news1-2024'" in result.stderr


def test_quote_cards_and_plain_lines(invoke: Invoke) -> None:
    cards = invoke("quotes", "--person", "oh hye seon", "--format", "table", "--color", "never")
    assert "A directive was issued in 2015" in cards.stdout and "— Oh Hye Seon" in cards.stdout
    plain = invoke("quotes", "--person", "oh hye seon").stdout.splitlines()
    assert all(line.count("\t") == 4 for line in plain)
    markdown = invoke("quotes", "--person", "oh hye seon", "--format", "markdown").stdout
    assert markdown.startswith("> ")


# --- the group --------------------------------------------------------------------------


def test_help_has_examples_and_exit_codes(invoke: Invoke) -> None:
    top = invoke("--help").stdout
    assert "Examples:" in top and "Exit status" in top
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        result = invoke(name, "-h")
        assert result.exit_code == 0
        if name != "profile":
            assert "Examples:" in result.stdout, name


def test_version(invoke: Invoke) -> None:
    from defectcli import __version__

    assert invoke("--version").stdout.strip() == f"defect, version {__version__}"


def test_data_option_and_environment_variable(invoke: Invoke, mini: Path) -> None:
    by_option = invoke("--data", str(mini), "list", "--json").stdout
    by_env = invoke("list", "--json", env={"DEFECT_DATA": str(mini)}).stdout
    assert by_option == by_env
    assert [p["id"] for p in json.loads(by_option)] == ["alpha-tester", "beta-tester"]


def test_unknown_command_and_option_are_usage_errors(invoke: Invoke) -> None:
    assert invoke("lsit").exit_code == 2
    result = invoke("list", "--yaer", "2019")
    assert result.exit_code == 2 and "--year" in result.stderr
    assert invoke("list", "--year", "twenty").exit_code == 2


@pytest.mark.parametrize(
    ("command", "args"),
    [("list", []), ("list", ["--since", "2016", "--sort", "name"]), ("quotes", []),
     ("quotes", ["--search", "north"]), ("timeline", []), ("timeline", ["--since", "2016"]),
     ("sources", []), ("sources", ["--kind", "news"])],
)  # fmt: skip
def test_limit_cuts_every_format_to_the_first_records(
    invoke: Invoke, command: str, args: list[str]
) -> None:
    every = json.loads(invoke(command, *args, "--json").stdout)
    plain = invoke(command, *args, "--format", "plain").stdout.splitlines()
    assert len(every) > 3 and len(plain) == len(every)
    for n in (1, 3):
        assert json.loads(invoke(command, *args, "--json", "--limit", str(n)).stdout) == every[:n]
        cut = invoke(command, *args, "--format", "plain", "--limit", str(n)).stdout
        assert cut.splitlines() == plain[:n]
        rows = invoke(command, *args, "--format", "csv", "--limit", str(n)).stdout.splitlines()
        assert len(rows) == n + 1  # the header, then n records
    assert json.loads(invoke(command, *args, "--json", "--limit", "0").stdout) == every
    many = invoke(command, *args, "--json", "--limit", str(len(every) + 5)).stdout
    assert json.loads(many) == every


def test_a_bad_limit_is_a_usage_error(invoke: Invoke) -> None:
    for value in ("-1", "many"):
        result = invoke("list", "--limit", value)
        assert result.exit_code == 2 and "--limit" in result.stderr


def test_show_as_csv_names_its_sources_by_id(invoke: Invoke) -> None:
    """The columns and cells of ``list``'s row, the sources by id (every source the card
    numbers, in its order), not each one's JSON inside a cell."""
    (shown,) = csv.DictReader(io.StringIO(invoke("show", "Jo Song Gil", "--format", "csv").stdout))
    listed = csv.DictReader(io.StringIO(invoke("list", "--format", "csv").stdout))
    row = next(r for r in listed if r["id"] == "jo-song-gil")
    assert list(shown) == list(row) == list(PERSON_COLUMNS)
    assert {k: v for k, v in shown.items() if k != "sources"} == {
        k: v for k, v in row.items() if k != "sources"
    }
    card = json.loads(invoke("show", "Jo Song Gil", "--json").stdout)
    assert shown["sources"].split("; ") == [s["id"] for s in card["sources"]]


def test_stats_gives_each_other_count_with_its_period_once(invoke: Invoke) -> None:
    """Each count of the statistics file under "Other counts": its label, its period in
    brackets unless the label already says it ("... in 2015 (2015)"), then its value."""
    import yaml

    path = Path(__file__).parents[1] / "data" / "statistics" / "arrivals.yaml"
    figures = yaml.safe_load(path.read_text(encoding="utf-8"))["figures"]
    said_in_label = [f for f in figures if f.get("period") and f["period"] in f["label"]]
    assert said_in_label and len(said_in_label) < len(figures)  # both cases are tried
    drawn = invoke("stats", "--format", "table", env={"COLUMNS": "200"}).stdout
    lines = [line.strip() for line in drawn.splitlines()]
    for figure in figures:
        # The label, then its period or its value: not a longer label that begins with it.
        (line,) = [
            x
            for x in lines
            if x.startswith(figure["label"]) and re.match(r" \(|:", x[len(figure["label"]) :])
        ]
        period = figure.get("period")
        assert (f"({period})" in line) == bool(period and figure not in said_in_label), line
        assert line.endswith(f"{figure['value']:,}")


def test_a_year_range_matches_a_person_with_one_year_inside_it(
    invoke: Invoke, tmp_path: Path
) -> None:
    """`--since`/`--until` (and `--year`) are met by one and the same year of a person: a
    person of 2013 and 2016 is not in 2014-2015 (each bound alone would let them in)."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parents[1] / "data", data)
    kim = data / "people" / "kim-chol-song.yaml"
    text = kim.read_text(encoding="utf-8")
    kim.write_text(
        text.replace('value: "2015"\n', 'value: "2013"\n').replace('"2015-07"', '"2013-07"'),
        encoding="utf-8",
    )
    everyone = as_json(invoke, "--data", str(data), "list")
    years = {p["id"]: set(p["years"]) for p in everyone}  # type: ignore[union-attr]
    not_counted = {p["id"] for p in everyone if p["status"] in {"denied", "false"}}  # type: ignore[union-attr]
    assert years["kim-chol-song"] == {2013, 2016}  # the gap the test is about
    for since, until in [(2014, 2015), (2013, 2013), (2016, 2019), (2000, 2012)]:
        found = as_json(invoke, "--data", str(data), "list", "--since", str(since),
                        "--until", str(until))  # fmt: skip
        expected = {pid for pid, ys in years.items() if any(since <= y <= until for y in ys)}
        assert {p["id"] for p in found} == expected, (since, until)  # type: ignore[union-attr]
        counted = invoke("--data", str(data), "count", "--since", str(since), "--until",
                         str(until), "--format", "json")  # fmt: skip
        defections = expected - not_counted  # count leaves denied and false reports out
        assert sum(r["count"] for r in json.loads(counted.stdout)) == len(defections)
    both = as_json(invoke, "--data", str(data), "list", "--year", "2016", "--until", "2015")
    assert both == []


def test_timeline_entries_are_tied_to_their_own_country(invoke: Invoke) -> None:
    """A posting is tied to the posting's country (not to the one the person later left),
    the defection to the post left, a later event (interview, book) to none."""
    people = as_json(invoke, "list")
    entries = as_json(invoke, "timeline")
    for person in people:  # type: ignore[union-attr]
        profile = as_json(invoke, "show", person["id"])
        mine = [e for e in entries if e["person"] == person["id"]]  # type: ignore[union-attr]
        postings = [p for p in profile["postings"] if p.get("start")]  # type: ignore[index,call-overload]
        # A posting's entry has the posting's country; an event of the kind "posting" in
        # the person's life events names none.
        events = [e for e in profile["events"] if e["kind"] == "posting"]  # type: ignore[index]
        from_postings = [e for e in mine if e["kind"] == "posting" and e["country"] is not None]
        assert sorted(e["country"] for e in from_postings) == sorted(p["country"] for p in postings)
        assert len([e for e in mine if e["kind"] == "posting"]) == len(postings) + len(events)
        for e in mine:
            if e["kind"] in ("left-post", "arrival", "disclosure", "status"):
                assert e["country"] == profile["defection"]["country"]  # type: ignore[index,call-overload]
            elif e["kind"] != "posting":
                assert e["country"] is None, e
    syria = as_json(invoke, "timeline", "--country", "Syria")
    assert [(e["person"], e["kind"]) for e in syria] == [("ryu-hyun-woo", "posting")]  # type: ignore[index]
    uk = as_json(invoke, "timeline", "--country", "United Kingdom")
    assert uk and all(
        e["kind"] in ("posting", "left-post", "arrival", "disclosure") or e["person"] is None
        for e in uk
    )  # type: ignore[index]


def test_count_takes_the_filters_of_list_but_not_its_sort(invoke: Invoke) -> None:
    """count accepted --sort and ignored it; now it says there is no such option."""
    result = invoke("count", "--by", "country", "--sort", "name")
    assert result.exit_code == 2 and "No such option" in result.stderr
    rows = json.loads(invoke("count", "--by", "country", "--json").stdout)
    counts = [r["count"] for r in rows]
    assert counts == sorted(counts, reverse=True)  # as its help says
    years = [r["value"] for r in json.loads(invoke("count", "--json").stdout)]
    assert years == sorted(years)


def test_validate_names_what_a_dataset_folder_holds_but_does_not_read(
    invoke: Invoke, mini_copy: Path
) -> None:
    """A person saved as NAME.YAML was skipped while validate said ok; a file of another
    kind or a subfolder still is not data, but validate now says so."""
    people = mini_copy / "people"
    (people / "beta-tester.yaml").rename(people / "beta-tester.YAML")
    (people / "notes.txt").write_text("to do", encoding="utf-8")
    (people / "drafts").mkdir()
    (people / "old.yaml").mkdir()  # named like data, but a folder
    listed = as_json(invoke, "--data", str(mini_copy), "list")
    assert "beta-tester" in {p["id"] for p in listed}  # type: ignore[union-attr]
    result = invoke("validate", str(mini_copy))
    assert result.exit_code == 0
    assert "people/notes.txt" in result.stderr and "people/drafts/" in result.stderr
    assert "people/old.yaml/" in result.stderr
    assert "beta-tester" not in result.stderr
    quiet = invoke("validate")  # the bundled data: nothing to say
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_a_profile_lists_its_events_in_date_order(invoke: Invoke) -> None:
    """Jo's card listed 2019-01-03 before 2019-01 (the file's order); timeline had it right."""
    checked = 0
    for person in as_json(invoke, "list"):  # type: ignore[union-attr]
        card = invoke("show", person["id"], "--format", "plain").stdout.splitlines()
        if "Events:" not in card:
            continue
        start = card.index("Events:") + 1
        end = next((i for i, line in enumerate(card[start:]) if not line.startswith("  ")), None)
        lines = card[start : start + end] if end is not None else card[start:]
        dates = [line.split()[0] for line in lines]
        assert dates == sorted(dates), person["id"]
        checked += 1
    assert checked >= 5


def test_validate_writes_csv_and_markdown_tables(invoke: Invoke) -> None:
    """validate --format csv/markdown printed the plain "ok:" line (and, for broken data,
    nothing on stdout)."""
    counts = json.loads(invoke("validate", "--json").stdout)["counts"]
    rows = list(csv.DictReader(io.StringIO(invoke("validate", "--format", "csv").stdout)))
    assert {r["what"]: int(r["count"]) for r in rows} == counts
    markdown = invoke("validate", "--format", "markdown").stdout.splitlines()
    assert markdown[0] == "| path | what | count |" and len(markdown) == 2 + len(counts)
    bad = str(Path(__file__).parent / "fixtures" / "bad" / "dangling-source")
    problems = json.loads(invoke("validate", bad, "--json").stdout)["problems"]
    result = invoke("validate", bad, "--format", "csv")
    assert result.exit_code == 1
    read = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["message"] for r in read] == [p["message"] for p in problems] and problems


def test_validate_shows_control_characters_in_a_path_instead_of_obeying_them(
    invoke: Invoke, mini_copy: Path
) -> None:
    folder = mini_copy.rename(mini_copy.parent / "x\x1b[31mred")
    (folder / "people" / "notes\x07.txt").write_text("", encoding="utf-8")
    result = invoke("validate", str(folder))
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "\\x1b[31mred" in result.stdout
    assert "\x07" not in result.stderr and "notes\\x07.txt" in result.stderr


def test_a_format_is_one_entry_in_the_writers_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the README promises a contributor: every format the CLI offers is a terminal's
    # own (table, plain) or one entry in render.emit.WRITERS, and an entry added there is
    # all a view needs to be written in it.
    from defectcli.dataset.choices import FORMATS
    from defectcli.query import open_catalog
    from defectcli.render import emit
    from defectcli.render.context import Output

    assert set(FORMATS) == {"table", "plain", *emit.WRITERS}
    monkeypatch.setitem(
        emit.WRITERS, "tsv", lambda value, lines, table: "".join(f"{r['id']}\n" for r in lines)
    )
    stream = io.StringIO()
    catalog = open_catalog(None)
    emit.write(Output("tsv", "auto", stream), "people", catalog.people())
    assert stream.getvalue().split() == [p.id for p in catalog.people()]
