"""--region: the UN M49 regions, for list, count and timeline (issue 26)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
from click.shell_completion import ShellComplete

from conftest import Invoke
from defectcli.cli import cli
from defectcli.dataset.choices import NOT_DEFECTIONS
from defectcli.text import regions


def as_json(invoke: Invoke, *args: str) -> list[dict[str, object]]:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def in_region(country: object, region: str) -> bool:
    """Whether ``country`` lies in ``region``, by walking the table up from its place."""
    at = regions.region_of(str(country))
    while at is not None:
        if at == region:
            return True
        at = regions.parent_name(at)
    return False


def ids(people: list[dict[str, object]]) -> list[object]:
    return [p["id"] for p in people]


def test_list_region_europe_since_2016_is_every_posting_in_europe(invoke: Invoke) -> None:
    everyone = as_json(invoke, "list", "--since", "2016")
    expected = [p for p in everyone if in_region(p["country"], "Europe")]
    assert expected and len(expected) < len(everyone)
    assert as_json(invoke, "list", "--region", "Europe", "--since", "2016") == expected
    assert {regions.region_of(str(p["country"])) for p in expected} >= {
        "Northern Europe",
        "Eastern Europe",
    }


def test_every_country_of_the_dataset_has_a_region_but_unknown(invoke: Invoke) -> None:
    countries = {p["country"] for p in as_json(invoke, "list")}
    countries |= {e["country"] for e in as_json(invoke, "timeline") if e["country"]}
    assert "Soviet Union" in countries
    for country in countries - {"Unknown"}:
        assert regions.region_of(str(country)) is not None, country
    assert regions.region_of("Unknown") is None


def test_former_countries_and_common_names() -> None:
    assert regions.region_of("Soviet Union") == "Eastern Europe"
    assert regions.region_of("USSR") == "Eastern Europe"
    assert regions.region_of("Czechoslovakia") == "Eastern Europe"
    assert regions.region_of("Czech Republic") == regions.region_of("Czechia") == "Eastern Europe"
    assert regions.region_of("Egypt") == "Northern Africa"
    assert regions.region_name("Southeast Asia") == "South-eastern Asia"
    assert regions.region_name("south-eastern asia") == "South-eastern Asia"
    assert regions.region_name("East Asia") == "Eastern Asia"
    assert regions.region_name("Middle East") == "Western Asia"
    assert regions.region_name("150") == "Europe"
    assert regions.region_name("Narnia") is None
    assert regions.parent_name("Eastern Africa") == "Sub-Saharan Africa"
    assert regions.parent_name("Sub-Saharan Africa") == "Africa"
    assert regions.parent_name("Africa") is None


def test_southeast_asia_is_south_eastern_asia(invoke: Invoke) -> None:
    everyone = as_json(invoke, "list")
    expected = [p for p in everyone if in_region(p["country"], "South-eastern Asia")]
    assert expected
    for spelling in ("Southeast Asia", "south-eastern asia", "South East Asia", "035"):
        assert as_json(invoke, "list", "--region", spelling) == expected


def test_regions_repeated_or_in_a_comma_list_are_alternatives(invoke: Invoke) -> None:
    everyone = as_json(invoke, "list")
    wanted = ("Eastern Europe", "Western Asia", "Africa")
    expected = [p for p in everyone if any(in_region(p["country"], r) for r in wanted)]
    assert as_json(invoke, "list", "--region", "Eastern Europe,Western Asia", "--region", "africa")
    assert (
        as_json(invoke, "list", "--region", "Eastern Europe,Western Asia", "--region", "africa")
        == expected
    )
    assert as_json(invoke, "list", "--region", "eastern europe", "--region", "Eastern Europe") == [
        p for p in everyone if in_region(p["country"], "Eastern Europe")
    ]


def test_region_and_country_must_both_match(invoke: Invoke) -> None:
    italy = as_json(invoke, "list", "--country", "Italy")
    assert italy
    assert as_json(invoke, "list", "--country", "Italy", "--region", "Europe") == italy
    assert as_json(invoke, "list", "--country", "Italy", "--region", "Asia") == []


def test_count_takes_region(invoke: Invoke) -> None:
    """count counts the people list shows, less the reports denied or shown false."""
    counted = as_json(invoke, "count", "--by", "country", "--region", "Asia")
    people = [
        p for p in as_json(invoke, "list", "--region", "Asia") if p["status"] not in NOT_DEFECTIONS
    ]
    assert people
    assert {row["value"]: row["count"] for row in counted} == dict(
        Counter(str(p["country"]) for p in people)
    )


def test_timeline_region(invoke: Invoke) -> None:
    entries = as_json(invoke, "timeline")
    expected = [e for e in entries if e["country"] and in_region(e["country"], "Europe")]
    assert expected and len(expected) < len(entries)
    assert as_json(invoke, "timeline", "--region", "Europe") == expected
    east = as_json(invoke, "timeline", "--region", "Southeast Asia", "--since", "2000")
    assert east == [
        e
        for e in entries
        if e["country"]
        and in_region(e["country"], "South-eastern Asia")
        and int(str(e["date"])[:4]) >= 2000
    ]


@pytest.mark.parametrize("command", ["list", "count", "timeline"])
def test_unknown_region_exits_2_with_the_regions(invoke: Invoke, command: str) -> None:
    result = invoke(command, "--region", "Europe,Narnia")
    assert result.exit_code == 2
    assert "'Narnia' is not a UN M49 region" in result.stderr
    for name in ("Europe", "South-eastern Asia", "Sub-Saharan Africa", "Northern America"):
        assert name in result.stderr


def complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(cli, {}, "defect", "_DEFECT_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_completion_offers_the_regions() -> None:
    assert complete(["list", "--region"], "") == list(regions.region_names())
    assert complete(["list", "--region"], "eur") == ["Europe"]
    assert complete(["list", "--region"], "southe") == [
        "Southern Africa",
        "Southern Asia",
        "South-eastern Asia",
        "Southern Europe",
    ]
    assert complete(["count", "--region"], "middle") == ["Middle Africa", "Western Asia"]
    assert complete(["timeline", "--region"], "sub") == ["Sub-Saharan Africa"]


def test_help_loads_no_region_table() -> None:
    """The M49 table loads only for a command given --region."""
    code = (
        "import sys\n"
        "from defectcli.entry import main\n"
        "for args in (['--help'], ['list', '--help'], ['timeline', '--help']):\n"
        "    sys.argv = ['defect', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('defectcli.text.regions' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().splitlines()[-1] == "False"
