"""A case's status: confirmed, reported, denied, false, unresolved.

Listed everywhere, filterable with --status, and a denied or false report is never counted
as a defection.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Invoke

GAMMA = """\
id: gamma-tester
name: Gamma Tester
category: diplomat
summary: A fictional report of a defection that a ministry later denied.
defection:
  country: Testland
  left:
    date: "2012-08"
    sources: [test-news]
  destination: South Korea
  sources: [test-news]
confirmation:
  status: unknown
  sources: [test-news]
status:
  value: denied
  date: "2012-08-16"
  by: Fictional Foreign Ministry
  sources: [test-book]
  note: The ministry called the report false.
"""


@pytest.fixture
def with_denied(mini_copy: Path) -> Path:
    (mini_copy / "people" / "gamma-tester.yaml").write_text(GAMMA, encoding="utf-8")
    return mini_copy


def _ids(invoke: Invoke, data: Path, *args: str) -> list[str]:
    result = invoke("--data", str(data), "list", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)]


def test_list_shows_every_case_with_its_status(invoke: Invoke, with_denied: Path) -> None:
    records = json.loads(invoke("--data", str(with_denied), "list", "--json").stdout)
    assert {r["id"]: r["status"] for r in records} == {
        "alpha-tester": "confirmed",
        "beta-tester": "reported",
        "gamma-tester": "denied",
    }
    table = invoke("--data", str(with_denied), "list", "--format", "table").stdout
    assert "Status" in table.splitlines()[0]
    row = next(line for line in table.splitlines() if line.startswith("Gamma Tester"))
    assert row.rstrip().endswith("denied")
    plain = invoke("--data", str(with_denied), "list", "--format", "plain").stdout
    gamma = next(line for line in plain.splitlines() if line.startswith("gamma-tester\t"))
    assert gamma.split("\t")[-1] == "denied"


def test_status_filter_repeats_and_takes_comma_lists(invoke: Invoke, with_denied: Path) -> None:
    assert _ids(invoke, with_denied, "--status", "denied") == ["gamma-tester"]
    both = ["alpha-tester", "gamma-tester"]
    assert sorted(_ids(invoke, with_denied, "--status", "denied,confirmed")) == both
    assert sorted(_ids(invoke, with_denied, "--status", "DENIED", "--status", "confirmed")) == both
    assert _ids(invoke, with_denied, "--status", "false") == []


def test_an_unknown_status_is_a_usage_error(invoke: Invoke, with_denied: Path) -> None:
    result = invoke("--data", str(with_denied), "list", "--status", "rumoured")
    assert result.exit_code == 2
    assert "'rumoured' is not one of confirmed, reported, denied, false, unresolved" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_show_of_a_denied_case_says_who_denied_it_and_when(
    invoke: Invoke, with_denied: Path
) -> None:
    card = invoke("--data", str(with_denied), "show", "gamma", "--format", "plain").stdout
    assert card.splitlines()[0] == "Gamma Tester [denied report]"
    status = next(line for line in card.splitlines() if line.strip().startswith("Status:"))
    assert "denied" in status and "by Fictional Foreign Ministry" in status
    assert "2012-08-16" in status and "The ministry called the report false." in status
    record = json.loads(invoke("--data", str(with_denied), "show", "gamma", "--json").stdout)
    assert record["status"] == "denied"
    assert record["status_detail"]["by"] == "Fictional Foreign Ministry"
    assert record["status_detail"]["date"] == "2012-08-16"


def test_a_denied_report_is_not_counted_as_a_defection(invoke: Invoke, with_denied: Path) -> None:
    def counts(*args: str) -> dict[str, int]:
        result = invoke("--data", str(with_denied), "count", "--by", "year", *args, "--json")
        assert result.exit_code == 0, result.stderr
        return {str(r["value"]): r["count"] for r in json.loads(result.stdout)}

    assert "2012" not in counts()
    assert sum(counts().values()) == 2  # alpha and beta, not gamma
    assert counts("--status", "denied") == {"2012": 1}


def test_count_by_status_shows_every_case_under_its_status(
    invoke: Invoke, with_denied: Path
) -> None:
    def counts(*args: str) -> dict[str, int]:
        result = invoke("--data", str(with_denied), "count", "--by", "status", *args, "--json")
        assert result.exit_code == 0, result.stderr
        return {str(r["value"]): r["count"] for r in json.loads(result.stdout)}

    # The denied report is shown as denied, beside the defections, not left out.
    assert counts() == {"confirmed": 1, "reported": 1, "denied": 1}
    assert counts("--status", "denied") == {"denied": 1}
    assert counts("--status", "confirmed,reported") == {"confirmed": 1, "reported": 1}


def test_the_timeline_marks_a_denied_report(invoke: Invoke, with_denied: Path) -> None:
    result = invoke("--data", str(with_denied), "timeline", "--year", "2012", "--format", "plain")
    lines = result.stdout.splitlines()
    assert lines and all("Gamma Tester [denied report]" in line for line in lines)
    assert any("denied by Fictional Foreign Ministry" in line for line in lines)


def test_validate_lists_gaps_as_warnings_not_errors(invoke: Invoke, with_denied: Path) -> None:
    # gamma-tester names no source of its own.
    text = (with_denied / "people" / "gamma-tester.yaml").read_text(encoding="utf-8")
    assert "\nsources:" not in text
    result = invoke("validate", str(with_denied), "--format", "plain")
    assert result.exit_code == 0, result.stderr
    assert "warning: person gamma-tester: no source" in result.stdout
    report = json.loads(invoke("validate", str(with_denied), "--json").stdout)
    assert report["valid"] is True
    assert {"kind": "person", "id": "gamma-tester", "warning": "no source"} in report["warnings"]
    # The fictional book has no title, the fictional news report has one.
    untitled = {w["id"] for w in report["warnings"] if w["kind"] == "source"}
    assert untitled == {"test-book"}


def test_a_dangling_status_source_stays_an_error(invoke: Invoke, with_denied: Path) -> None:
    path = with_denied / "people" / "gamma-tester.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("sources: [test-book]", "sources: [nowhere]"),
        encoding="utf-8",
    )
    result = invoke("validate", str(with_denied))
    assert result.exit_code == 1
    assert "nowhere" in result.stderr
