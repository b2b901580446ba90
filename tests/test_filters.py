"""Filters combine: an option repeated or given a comma list means any of its values; two
options must both be met. As a researcher asks: "who left European posts since 2016?"."""

from __future__ import annotations

import json
from typing import Any

from conftest import Invoke


def _json(invoke: Invoke, *args: str) -> Any:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_values_of_one_option_are_any_of_them(invoke: Invoke) -> None:
    everyone = _json(invoke, "list")
    wanted = {"United Kingdom", "Italy", "France"}
    expected = [p["id"] for p in everyone if p["country"] in wanted and max(p["years"]) >= 2016]
    assert expected
    for args in (
        ["--country", "uk,italy,france"],
        ["--country", "uk", "--country", "italy", "--country", "france"],
        ["--country", "GB, Italy", "--country", "프랑스"],
    ):
        found = _json(invoke, "list", *args, "--since", "2016")
        assert sorted(p["id"] for p in found) == sorted(expected), args


def test_years_repeat_and_status_and_category_combine(invoke: Invoke) -> None:
    everyone = _json(invoke, "list")
    found = _json(invoke, "list", "--year", "1997", "--year", "2016", "--category", "diplomat")
    assert found and {p["id"] for p in found} == {
        p["id"] for p in everyone if {1997, 2016} & set(p["years"]) and p["category"] == "diplomat"
    }
    statuses = _json(invoke, "list", "--status", "denied,false")
    assert statuses and {p["status"] for p in statuses} == {"denied", "false"}


def test_a_leading_minus_reverses_the_order(invoke: Invoke) -> None:
    forward = [p["id"] for p in _json(invoke, "list", "--sort", "name")]
    backward = [p["id"] for p in _json(invoke, "list", "--sort", "-name")]
    assert backward == forward[::-1]
    newest = _json(invoke, "list", "--sort", "-year")
    years = [p["year"] for p in newest if p["year"] is not None]
    assert years == sorted(years, reverse=True)


def test_an_option_given_twice_that_takes_one_value_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("list", "--since", "2010", "--since", "2016")
    assert result.exit_code == 2 and "--since is one year" in result.stderr
    bad = invoke("stats", "--year", "2019,twenty")
    assert bad.exit_code == 2 and "'twenty' is not a year" in bad.stderr


def test_stats_years_hold_in_every_section(invoke: Invoke) -> None:
    drawn = invoke("stats", "--year", "2019", "--year", "2023", "--format", "table").stdout
    # A row starts with its year; a line under the table such as "2023: also ..." is a note.
    rows = [
        line.split()[0]
        for line in drawn.splitlines()
        if line.split()[:1] and line.split()[0].isdigit()
    ]
    assert rows == ["2019", "2023"]
    totals = drawn.split("Cumulative totals", 1)[1].split("Other counts", 1)[0]
    assert "to 1998" not in totals and "to 2023" in totals
    records = _json(invoke, "stats", "--year", "2019,2023")
    assert [r["year"] for r in records] == [2019, 2023]


def test_timeline_kind_and_an_unquoted_person(invoke: Invoke) -> None:
    ri = _json(invoke, "timeline", "--person", "ri", "il", "gyu")
    assert ri and all(e["person"] in ("ri-il-gyu", None) for e in ri)
    assert ri == _json(invoke, "timeline", "--person", "Ri Il Gyu")
    left = _json(invoke, "timeline", "--kind", "departure", "--since", "2016", "--until", "2016")
    assert left and {e["kind"] for e in left} == {"left-post"}
    context = _json(invoke, "timeline", "--kind", "context")
    assert context and all(e["person"] is None for e in context)
    stray = invoke("timeline", "il", "gyu")
    assert stray.exit_code == 2 and "did you mean --person?" in stray.stderr
