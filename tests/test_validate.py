"""The validator: schema errors and cross-references, every problem at once, with positions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import Invoke

PERSON = "people/alpha-tester.yaml"


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, relative: str, needle: str) -> int:
    lines = (root / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_valid_dataset_passes(invoke: Invoke, mini: Path) -> None:
    result = invoke("validate", str(mini))
    assert result.exit_code == 0
    assert "ok:" in result.stdout
    assert "2 people" in result.stdout and "3 quotes" in result.stdout


def test_wrong_type_names_file_line_column_and_path(invoke: Invoke, mini_copy: Path) -> None:
    edit(mini_copy, PERSON, 'start: "2017-10"', "start: twenty")
    line = line_of(mini_copy, PERSON, "start: twenty")
    result = invoke("validate", str(mini_copy))
    assert result.exit_code == 1
    assert f"{mini_copy}/{PERSON}:{line}:12: postings[0].start: expected a date" in result.stderr
    assert "got 'twenty'" in result.stderr
    assert result.stdout == ""


def test_integer_expected(invoke: Invoke, mini_copy: Path) -> None:
    edit(mini_copy, "statistics/test.yaml", "total: 100", "total: 'twenty'")
    result = invoke("validate", str(mini_copy))
    assert "arrivals[0].total: expected an integer or null, got 'twenty'" in result.stderr


def test_every_problem_is_reported_at_once(invoke: Invoke, mini_copy: Path) -> None:
    edit(mini_copy, PERSON, "category: diplomat", "category: spy")
    edit(mini_copy, PERSON, "summary:", "sumary:")
    edit(mini_copy, "people/beta-tester.yaml", 'date: "2018"', 'date: "2023-13-45"')
    result = invoke("validate", str(mini_copy))
    assert result.exit_code == 1
    err = result.stderr
    assert "category: expected one of: diplomat, official, family, other; got 'spy'" in err
    assert "unknown key 'sumary' (did you mean 'summary'?)" in err
    assert "missing required key 'summary'" in err
    assert "defection.left.date: expected a date" in err and "'2023-13-45'" in err
    assert "4 problems found" in err


def test_dangling_references(invoke: Invoke, mini_copy: Path) -> None:
    edit(mini_copy, PERSON, "source: test-book", "source: test-bok")
    edit(mini_copy, PERSON, "person: beta-tester", "person: gamma-tester")
    edit(mini_copy, "people/beta-tester.yaml", "speaker: alpha-tester", "speaker: nobody")
    result = invoke("validate", str(mini_copy))
    err = result.stderr
    assert "no source with id 'test-bok' (did you mean 'test-book'?)" in err
    assert "related[0].person: no person with id 'gamma-tester'" in err
    assert "quotes[0].speaker: no person with id 'nobody'" in err
    assert result.exit_code == 1


def test_duplicate_ids_and_file_name_mismatch(invoke: Invoke, mini_copy: Path) -> None:
    text = (mini_copy / PERSON).read_text(encoding="utf-8")
    (mini_copy / "people" / "alpha-copy.yaml").write_text(text, encoding="utf-8")
    result = invoke("validate", str(mini_copy))
    assert "duplicate person 'alpha-tester' (also in" in result.stderr
    assert "id 'alpha-tester' must match the file name 'alpha-copy'" in result.stderr
    assert "duplicate quote id 'alpha-tester-freedom'" in result.stderr


def test_every_command_refuses_bad_data_without_traceback(invoke: Invoke, mini_copy: Path) -> None:
    edit(mini_copy, PERSON, "name: Alpha Tester", "name: [Alpha]")
    for args in (["list"], ["show", "alpha"], ["quotes"]):
        result = invoke("--data", str(mini_copy), *args)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert "name: expected text, got a list" in result.stderr
        assert "Traceback" not in result.stderr


def test_validate_json_report(invoke: Invoke, mini_copy: Path) -> None:
    import json

    edit(mini_copy, PERSON, "category: diplomat", "category: spy")
    result = invoke("validate", str(mini_copy), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    (problem,) = report["problems"]
    assert problem["path"] == "category" and problem["line"] == line_of(
        mini_copy, PERSON, "category: spy"
    )


def test_single_file_dataset(invoke: Invoke, tmp_path: Path, mini: Path) -> None:
    import yaml

    bundle = {
        "people": [
            yaml.safe_load((mini / "people" / n).read_text(encoding="utf-8"))
            for n in ("alpha-tester.yaml", "beta-tester.yaml")
        ],
        "sources": yaml.safe_load((mini / "sources/test.yaml").read_text(encoding="utf-8"))[
            "sources"
        ],
    }
    path = tmp_path / "all.yaml"
    path.write_text(yaml.safe_dump(bundle, allow_unicode=True), encoding="utf-8")
    result = invoke("--data", str(path), "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [p["id"] for p in __import__("json").loads(result.stdout)] == [
        "alpha-tester",
        "beta-tester",
    ]


def test_missing_data_path(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("--data", str(tmp_path / "nope"), "list")
    assert result.exit_code == 1
    assert "no such file or folder" in result.stderr


# --- the compiled fast check says what jsonschema says ------------------------------------

_ODD_VALUES: list[object] = [
    None,
    0,
    -1,
    1.5,
    True,
    "",
    "x",
    "2023-02-30",
    "2019-13",
    [],
    ["a", "a"],
    {},
    {"x": 1},
]


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*path, i))
    return found


def _fewer_records(data: object, rng: random.Random) -> object:
    """The file with each long top-level list cut to three of its records, chosen at random:
    records are checked one by one, so this keeps every kind of value while a mutation of a
    100-source file no longer costs jsonschema the other 97 sources."""
    if not isinstance(data, dict):
        return data
    return {
        key: rng.sample(value, 3) if isinstance(value, list) and len(value) > 3 else value
        for key, value in data.items()
    }


def _mutated(data: object, path: tuple[object, ...], how: str, odd: object) -> object:
    import copy

    data = copy.deepcopy(data)
    if not path:
        return odd
    *parents, last = path
    holder = data
    for key in parents:
        holder = holder[key]  # type: ignore[index]
    if how == "delete" and isinstance(holder, dict):
        del holder[last]
    elif how == "delete" and isinstance(holder, list):
        del holder[last]  # type: ignore[call-overload]
    elif how == "add" and isinstance(holder, dict):
        holder[f"unknown_{last}"] = odd
    else:
        holder[last] = odd  # type: ignore[index]
    return data


def test_the_fast_check_agrees_with_jsonschema() -> None:
    """Every bundled and fixture file, and thousands of mutations of them (a value replaced
    by an odd one, a key deleted, an unknown key added): the compiled check accepts exactly
    what jsonschema accepts. A wrong "valid" would let bad data through unexplained."""
    from conftest import MINI
    from defectcli.dataset.load import load_file
    from defectcli.dataset.locate import find_data_files
    from defectcli.dataset.validate import _fast_check, _validators

    rng = random.Random(5)
    compared = disagreements = 0
    files = [*find_data_files(None), *find_data_files(MINI)]
    # About 1,200 mutations in all, however many files the data holds, so the test's cost
    # does not grow with the record.
    each = -(-1_200 // len(files))  # rounded up: every file gets at least one
    for data_file in files:
        loaded, _ = load_file(data_file)
        assert loaded is not None
        fast = _fast_check(data_file.kind)
        slow = _validators()[data_file.kind]
        for _ in range(each):
            sample = _fewer_records(loaded.data, rng)
            path = rng.choice(_paths(sample))
            how = rng.choice(["replace", "replace", "delete", "add"])
            candidate = _mutated(sample, path, how, rng.choice(_ODD_VALUES))
            compared += 1
            if fast(candidate) != slow.is_valid(candidate):
                disagreements += 1
                print(data_file.display, path, how, fast(candidate))
        assert fast(loaded.data) and slow.is_valid(loaded.data)
    assert compared >= 1_000 and disagreements == 0


# Keywords whose meaning is the same in draft 7 (what fastjsonschema implements) as in our
# schemas' draft 2020-12. A keyword new in 2019-09 or 2020-12 (unevaluatedProperties,
# prefixItems, dependentRequired...) would be ignored by the quick check, which would then
# call invalid data valid without asking jsonschema: such a schema change must fail here.
_SHARED_KEYWORDS = {
    *("$schema", "$id", "$ref", "$defs", "title", "description", "default", "examples"),
    *("type", "enum", "const", "properties", "required", "additionalProperties", "items"),
    *("minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern"),
    *("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "format"),
    *("not", "anyOf", "allOf", "oneOf", "if", "then", "else", "patternProperties"),
}


def test_the_schemas_use_only_keywords_the_quick_check_reads_alike() -> None:
    from defectcli.dataset.validate import _schema_documents

    def keywords(schema: object, parent: str = "") -> set[str]:
        found: set[str] = set()
        if isinstance(schema, dict):
            for key, value in schema.items():
                # The keys of "properties" and "$defs" are names, not keywords.
                if parent not in {"properties", "$defs", "patternProperties"}:
                    found.add(key)
                found |= keywords(value, key)
        elif isinstance(schema, list):
            for value in schema:
                found |= keywords(value)
        return found

    used = set().union(*(keywords(doc) for doc in _schema_documents().values()))
    assert used - _SHARED_KEYWORDS == set()


@pytest.mark.parametrize("command", [["list"], ["validate"]])
def test_one_persons_file_given_as_a_dataset_says_so(
    invoke: Invoke, mini: Path, command: list[str]
) -> None:
    # It was a list of every person key the dataset schema does not know (32 lines for
    # Thae Yong Ho's file); the one thing wrong is that it is not a dataset.
    person = mini / "people" / "alpha-tester.yaml"
    result = invoke("--data", str(person), *command)
    assert result.exit_code == 1
    first, *rest = result.stderr.splitlines()
    assert first == (
        f"{person}: a single record (such as one person's file), not a dataset: --data takes"
        " a dataset folder (with people/, sources/...) or one file with people:, sources:,"
        " events: and statistics:"
    )
    assert rest == ["1 problem found in the dataset"]


def test_a_dataset_file_with_mistakes_still_lists_them(invoke: Invoke, tmp_path: Path) -> None:
    broken = tmp_path / "all.yaml"
    broken.write_text("people:\n  - id: x\nsorces: []\n", encoding="utf-8")
    result = invoke("--data", str(broken), "validate")
    assert result.exit_code == 1
    assert "unknown key 'sorces'" in result.stderr and "not a dataset" not in result.stderr
