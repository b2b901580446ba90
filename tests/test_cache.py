"""The index on disk: rebuilt when data changes, safe under concurrency, never wrong."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEFECT, MINI, ROOT, Invoke, generate


def ids(invoke: Invoke, data: Path, *args: str) -> list[str]:
    result = invoke("--data", str(data), "list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [p["id"] for p in json.loads(result.stdout)]


def test_index_is_reused_and_rebuilt_when_a_file_changes(invoke: Invoke, mini_copy: Path) -> None:
    assert ids(invoke, mini_copy, "--year", "2017") == []
    person = mini_copy / "people" / "beta-tester.yaml"
    text = person.read_text(encoding="utf-8")
    person.write_text(text.replace('date: "2018"', 'date: "2017"'), encoding="utf-8")
    assert ids(invoke, mini_copy, "--year", "2017") == ["beta-tester"]


def test_an_edit_of_the_same_size_is_seen_by_its_time(invoke: Invoke, mini_copy: Path) -> None:
    person = mini_copy / "people" / "beta-tester.yaml"
    before = person.stat()
    assert ids(invoke, mini_copy, "--year", "2016") == []
    text = person.read_text(encoding="utf-8").replace('date: "2018"', 'date: "2016"')
    person.write_text(text, encoding="utf-8")
    # The same length, a modification time one nanosecond later: a new fingerprint.
    os.utime(person, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    assert person.stat().st_size == before.st_size
    assert ids(invoke, mini_copy, "--year", "2016") == ["beta-tester"]


def test_added_and_removed_files_rebuild(invoke: Invoke, mini_copy: Path) -> None:
    assert len(ids(invoke, mini_copy)) == 2
    (mini_copy / "people" / "beta-tester.yaml").unlink()
    text = (mini_copy / "people" / "alpha-tester.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "related:\n  - person: beta-tester\n    relation: wife\n    sources: [test-book]\n", ""
    )
    text = text.replace("alpha-tester-", "alpha-x-")
    (mini_copy / "people" / "alpha-tester.yaml").write_text(text, encoding="utf-8")
    assert ids(invoke, mini_copy) == ["alpha-tester"]


@pytest.mark.parametrize("layout", ["bundled folder", "one file"])
def test_warm_runs_parse_no_yaml(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, layout: str
) -> None:
    data: list[str] = []
    if layout == "one file":
        whole = tmp_path / "whole.json"
        assert invoke("export", "--format", "json", "--output", str(whole)).exit_code == 0
        data = ["--data", str(whole)]
    assert invoke(*data, "list").exit_code == 0  # warm
    import defectcli.dataset.read as read

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm run parsed the data files")

    for step in ("check_records", "load_file"):
        monkeypatch.setattr(read, step, refuse)
    for args in (["list", "--json"], ["show", "thae"], ["quotes", "--search", "beggars"],
                 ["search", "Cuba"], ["stats"], ["timeline"], ["sources"]):  # fmt: skip
        assert invoke(*data, *args).exit_code == 0, args
    if data:  # the check itself is real: a changed file is read again (here, refused)
        os.utime(data[1], ns=(0, 0))
        with pytest.raises(AssertionError, match="parsed the data files"):
            invoke(*data, "list")


def test_a_corrupted_or_foreign_index_is_rebuilt(invoke: Invoke, mini_copy: Path) -> None:
    from defectcli.index.cache import index_path

    expected = ids(invoke, mini_copy)
    path = Path(index_path(str(mini_copy.resolve())))
    assert path.is_file()
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 2000)  # truncated garbage
    assert ids(invoke, mini_copy) == expected
    with sqlite3.connect(path) as db:  # an index written by another version
        stamp = json.loads(db.execute("SELECT value FROM meta").fetchone()[0])
        stamp["key"]["version"] = "0.0.1"
        db.execute("UPDATE meta SET value = ?", (json.dumps(stamp),))
    assert ids(invoke, mini_copy) == expected
    with sqlite3.connect(path) as db:
        stamp = json.loads(db.execute("SELECT value FROM meta").fetchone()[0])
    assert stamp["key"]["version"] != "0.0.1"  # it was rebuilt, not trusted


def test_an_unusable_cache_folder_falls_back_to_memory(invoke: Invoke, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = invoke("list", "--json", env={"DEFECT_CACHE_DIR": str(blocker / "cache")})
    assert result.exit_code == 0 and len(json.loads(result.stdout)) >= 20


def test_eight_concurrent_first_runs_agree(tmp_path: Path) -> None:
    env = {**os.environ, "DEFECT_CACHE_DIR": str(tmp_path / "cache")}
    data = tmp_path / "mini"
    shutil.copytree(MINI, data)
    command = [DEFECT, "--data", str(data), "list", "--format", "json"]
    procs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(8)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert [p["id"] for p in json.loads(outputs[0][0])] == ["alpha-tester", "beta-tester"]
    leftovers = [p.name for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def _tables(index: Path) -> list[str]:
    """Every row of every table but ``meta`` (which holds when the index was built)."""
    db = sqlite3.connect(index)
    try:
        return [line for line in db.iterdump() if 'INTO "meta"' not in line]
    finally:
        db.close()


def test_every_build_writes_the_same_index(tmp_path: Path) -> None:
    # Two processes hash text differently (PYTHONHASHSEED): nothing written may follow a
    # set's order, or two builds of the same data would differ row by row.
    dumps = []
    for seed in ("1", "2"):
        cache = tmp_path / f"cache-{seed}"
        env = {**os.environ, "DEFECT_CACHE_DIR": str(cache), "PYTHONHASHSEED": seed}
        run = subprocess.run([DEFECT, "count"], env=env, capture_output=True, timeout=60)
        assert run.returncode == 0, run.stderr
        (index,) = cache.glob("*.sqlite")
        dumps.append(_tables(index))
    assert len(dumps[0]) > 1000 and dumps[0] == dumps[1]


COMMANDS = [
    ["list", "--format", "json"],
    ["list", "--format", "json", "--country", "Italy", "--sort", "name"],
    ["list", "--format", "json", "--since", "2000", "--until", "2010"],
    ["quotes", "--format", "json", "--search", "banking"],
    ["count", "--by", "decade", "--format", "json"],
    ["timeline", "--format", "json", "--since", "2020"],
    ["show", "synthetic-000003", "--format", "json"],
    ["search", "freedom", "--format", "json", "--limit", "5"],
    ["sources", "--format", "json"],
    ["stats", "--format", "json"],
    ["cite", "synthetic-000003", "--style", "bibtex"],
    ["quotes", "--format", "csv", "--person", "synthetic-000001"],
    ["show", "synthetic-000002", "--format", "markdown"],
]


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.integers(min_value=1, max_value=25), seed=st.integers(min_value=0, max_value=10**6)
)
def test_the_cached_index_answers_like_the_in_memory_one(
    invoke: Invoke, tmp_path_factory: pytest.TempPathFactory, people: int, seed: int
) -> None:
    data = tmp_path_factory.mktemp("generated")
    generate(max(people, 4), data, seed)
    for args in COMMANDS:
        cached = invoke("--data", str(data), *args)
        cached_again = invoke("--data", str(data), *args)
        memory = invoke("--data", str(data), *args, env={"DEFECT_NO_CACHE": "1"})
        assert cached.exit_code == memory.exit_code, args
        assert cached.stdout == cached_again.stdout == memory.stdout, args


# --- export and JSON data files -----------------------------------------------------------


def test_json_export_loads_back_through_data(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    assert invoke("export", "--format", "json", "--output", str(target)).exit_code == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert set(document) == {"people", "quotes", "sources", "statistics", "events", "dataset"}
    assert set(document["dataset"]) == {"people", "sources", "events", "statistics"}
    assert invoke("--data", str(target), "validate").exit_code == 0
    for args in (["list", "--json"], ["show", "thae", "--json"], ["stats", "--json"],
                 ["quotes", "--json"], ["timeline", "--json"], ["sources", "--json"]):  # fmt: skip
        assert invoke("--data", str(target), *args).stdout == invoke(*args).stdout, args
    # Nothing is lost on the way: the export of the export is the same file, byte for byte.
    again = tmp_path / "again.json"
    assert invoke("--data", str(target), "export", "-f", "json", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == target.read_bytes()


@pytest.mark.parametrize(
    ("key", "command"),
    [("people", "list"), ("quotes", "quotes"), ("sources", "sources"),
     ("statistics", "stats"), ("events", "timeline")],
)  # fmt: skip
def test_json_export_lists_what_the_commands_print(
    invoke: Invoke, tmp_path: Path, key: str, command: str
) -> None:
    target = tmp_path / "all.json"
    assert invoke("export", "--format", "json", "--output", str(target)).exit_code == 0
    printed = json.loads(invoke(command, "--json").stdout)
    assert printed  # the bundled data has records of every kind
    assert json.loads(target.read_text(encoding="utf-8"))[key] == printed


def test_a_problem_in_an_export_is_located_in_the_export(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    assert invoke("--data", str(MINI), "export", "-f", "json", "-o", str(target)).exit_code == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    # The dataset's first person is on the line after '"dataset": {' and '"people": ['.
    at = lines.index('  "dataset": {') + 2
    assert '"category": "' in lines[at]
    lines[at] = re.sub(r'"category": "[^"]*"', '"category": "astronaut"', lines[at])
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("--data", str(target), "validate")
    assert result.exit_code == 1
    assert f"all.json:{at + 1}:" in result.stderr
    assert "dataset.people[0].category" in result.stderr


def test_export_writer_matches_json_dumps_for_empty_and_nested_lists() -> None:
    import io

    from defectcli.export.writers import _write_mapping

    value = {"a": [], "b": [{"x": 1}, {"y": [2, "é"]}], "c": {"d": [], "e": iter([3, None])}}
    handle = io.StringIO()
    _write_mapping(handle, value, "")
    expected = {"a": [], "b": [{"x": 1}, {"y": [2, "é"]}], "c": {"d": [], "e": [3, None]}}
    assert json.loads(handle.getvalue()) == expected


def test_sqlite_and_csv_exports_load_back(invoke: Invoke, tmp_path: Path) -> None:
    people = json.loads(invoke("list", "--json").stdout)
    db_path = tmp_path / "d.db"
    assert invoke("export", "-f", "sqlite", "-o", str(db_path)).exit_code == 0
    with sqlite3.connect(db_path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM people")]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == [p["name"] for p in people]
    assert {"people", "quotes", "sources", "statistics", "events", "citations"} <= tables
    folder = tmp_path / "tables"
    assert invoke("export", "-f", "csv", "-o", str(folder)).exit_code == 0
    with (folder / "people.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [p["id"] for p in people]
    ndjson = tmp_path / "all.ndjson"
    assert invoke("export", "-f", "ndjson", "-o", str(ndjson)).exit_code == 0
    kinds = {json.loads(line)["type"] for line in ndjson.read_text(encoding="utf-8").splitlines()}
    assert {"person", "source", "event", "arrivals"} <= kinds


def test_export_never_overwrites_without_force(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "keep.json"
    target.write_text("precious", encoding="utf-8")
    result = invoke("export", "-f", "json", "-o", str(target))
    assert result.exit_code == 1 and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "precious"
    assert invoke("export", "-f", "json", "-o", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["people"]
    assert [p.name for p in tmp_path.iterdir()] == ["keep.json"]  # no temporary left


def test_a_forced_csv_export_replaces_only_an_earlier_export(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--force replaced any folder whole: a thesis beside an export was deleted."""
    folder = tmp_path / "tables"
    assert invoke("export", "-f", "csv", "-o", str(folder)).exit_code == 0
    assert invoke("export", "-f", "csv", "-o", str(folder), "--force").exit_code == 0
    (folder / "thesis.docx").write_text("precious", encoding="utf-8")
    (folder / "sub").mkdir()
    result = invoke("export", "-f", "csv", "-o", str(folder), "--force")
    assert result.exit_code == 1 and "thesis.docx" in result.stderr
    assert (folder / "thesis.docx").read_text(encoding="utf-8") == "precious"
    assert (folder / "sub").is_dir() and (folder / "people.csv").is_file()
    # A folder of the user's that happens to have the name we once used for the old copy.
    mine = tmp_path / ".fresh.old"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    assert invoke("export", "-f", "csv", "-o", str(tmp_path / "fresh")).exit_code == 0
    assert invoke("export", "-f", "csv", "-o", str(tmp_path / "fresh"), "--force").exit_code == 0
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".fresh.old", "fresh", "tables"]
    monkeypatch.chdir(folder)  # the current folder: a clear refusal, not a traceback
    for output in (".", "./", ".."):
        result = invoke("export", "-f", "csv", "-o", output, "--force")
        assert result.exit_code == 1 and "current folder" in result.stderr, output


def test_a_csv_export_folder_is_as_open_as_any_new_folder(invoke: Invoke, tmp_path: Path) -> None:
    """It was private (0700, as a temporary folder is made) while its files were 0644."""
    old = os.umask(0o022)
    try:
        assert invoke("export", "-f", "csv", "-o", str(tmp_path / "t")).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "t").stat().st_mode) == 0o755


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_export_never_replaces_a_device_or_a_pipe(invoke: Invoke, tmp_path: Path) -> None:
    # `--output /dev/full --force` as root replaced the device with a file (found by trying).
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for force in ([], ["--force"]):
        result = invoke("export", "-f", "json", "-o", str(fifo), *force)
        assert result.exit_code == 1 and "not a regular file" in result.stderr
        assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary left


@pytest.mark.parametrize(
    ("fmt", "failure", "reason"),
    [
        ("json", PermissionError(13, "Permission denied"), "Permission denied"),
        ("csv", OSError(28, "No space left on device"), "No space left on device"),
        ("sqlite", sqlite3.OperationalError("database or disk is full"), "disk is full"),
    ],
)
def test_an_export_that_cannot_be_written_says_why(
    invoke: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    failure: Exception,
    reason: str,
) -> None:
    # These were "internal error" (exit 70); found by exporting into /proc and /sys.
    from defectcli.export import writers as export

    def fail(*args: object) -> None:
        raise failure

    writer = {"json": "_write_json", "csv": "_csv_folder", "sqlite": "_sqlite"}[fmt]
    monkeypatch.setattr(export, writer, fail)
    target = tmp_path / f"out.{fmt}"
    result = invoke("export", "-f", fmt, "-o", str(target))
    assert result.exit_code == 1
    assert f"cannot write {target}: " in result.stderr and reason in result.stderr
    assert list(tmp_path.iterdir()) == []  # the temporary file or folder is gone too


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_json_and_ndjson_export_to_standard_output(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    # `-o -` wrote a file named "-" (found by trying); now it is standard output.
    monkeypatch.chdir(tmp_path)
    streamed = invoke("export", "-f", fmt, "-o", "-")
    assert streamed.exit_code == 0, streamed.stderr
    assert streamed.stderr == ""  # no "Wrote ..." in the way of a pipe
    assert invoke("export", "-f", fmt, "-o", "file").exit_code == 0
    assert streamed.stdout == (tmp_path / "file").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


@pytest.mark.parametrize("fmt", ["sqlite", "csv"])
def test_a_file_or_folder_export_refuses_standard_output(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("export", "-f", fmt, "-o", "-")
    assert result.exit_code == 1 and "give its path, not -" in result.stderr
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_json_data_files_sit_beside_yaml(invoke: Invoke, mini_copy: Path) -> None:
    import yaml

    source = mini_copy / "people" / "beta-tester.yaml"
    record = yaml.safe_load(source.read_text(encoding="utf-8"))
    source.unlink()
    (mini_copy / "people" / "beta-tester.json").write_text(json.dumps(record), encoding="utf-8")
    assert ids(invoke, mini_copy) == ["alpha-tester", "beta-tester"]


def test_a_read_only_cache_falls_back_to_memory(
    invoke: Invoke, mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = ids(invoke, mini_copy)
    # A stale index stays behind in a cache that can no longer be written.
    person = mini_copy / "people" / "beta-tester.yaml"
    person.write_text(person.read_text(encoding="utf-8").replace('date: "2018"', 'date: "2015"'))

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    assert ids(invoke, mini_copy, "--year", "2015") == ["beta-tester"]  # fresh, from memory
    assert sorted(ids(invoke, mini_copy)) == sorted(expected)


def test_every_kind_of_edit_is_seen(invoke: Invoke, mini_copy: Path) -> None:
    assert ids(invoke, mini_copy, "--year", "2017") == []
    person = mini_copy / "people" / "beta-tester.yaml"
    text = person.read_text(encoding="utf-8")
    person.write_text(text.replace('date: "2018"', 'date: "2017"'), encoding="utf-8")
    assert ids(invoke, mini_copy, "--year", "2017") == ["beta-tester"]
    person.rename(mini_copy / "people" / "beta-tester.yml")
    (mini_copy / "people" / "not-a-file.yaml").mkdir()  # a folder named like data: ignored
    assert ids(invoke, mini_copy, "--year", "2017") == ["beta-tester"]
    person.with_suffix(".yml").write_text(text, encoding="utf-8")  # the edit undone
    assert ids(invoke, mini_copy, "--year", "2017") == []


def test_the_fingerprint_follows_the_data_files_and_only_them(mini_copy: Path) -> None:
    # It must change when a file a build reads changes, and only then: else every run
    # would rebuild (or, worse, trust an index of other files).
    from defectcli.index import cache

    before = cache.fingerprint(str(mini_copy))
    (mini_copy / "people" / "folder.yaml").mkdir()
    (mini_copy / "people" / "notes.txt").write_text("not data", encoding="utf-8")
    assert cache.fingerprint(str(mini_copy)) == before
    (mini_copy / "people" / "beta-tester.yaml").touch()
    assert cache.fingerprint(str(mini_copy)) not in (before, None)
    os.mkfifo(mini_copy / "people" / "pipe.yaml")  # not what a data file should be
    assert cache.fingerprint(str(mini_copy)) is None


def test_an_edit_to_the_bundled_data_of_a_source_checkout_is_seen(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run from a checkout (or an editable install), the bundled data is the repository's data/,
    # found through importlib.resources rather than beside the package: an edit to it must
    # still rebuild the index, as it does for --data.
    from defectcli.dataset import locate
    from defectcli.query import open_catalog, opening

    shutil.copytree(ROOT / "data" / "schema", mini_copy / "schema")  # as data/ holds them
    for module in (locate, opening):
        monkeypatch.setattr(module, "bundled_data_folder", lambda: None)
        monkeypatch.setattr(module, "bundled_data_root", lambda: mini_copy)
    assert open_catalog().person("beta-tester").name == "Beta Tester"
    person = mini_copy / "people" / "beta-tester.yaml"
    person.write_text(
        person.read_text(encoding="utf-8").replace("name: Beta Tester", "name: Beta Edited")
    )
    assert open_catalog().person("beta-tester").name == "Beta Edited"


def test_the_fingerprint_of_one_file(tmp_path: Path) -> None:
    from defectcli.index import cache

    whole = tmp_path / "whole.yaml"
    whole.write_text((MINI / "people" / "alpha-tester.yaml").read_text(encoding="utf-8"))
    before = cache.fingerprint(str(whole))
    assert before is not None and cache.fingerprint(f"{tmp_path}/./whole.yaml") == before
    os.utime(whole, ns=(0, 0))
    assert cache.fingerprint(str(whole)) not in (before, None)
    assert cache.fingerprint(str(tmp_path / "missing.yaml")) is None


def test_a_name_shared_by_many_lists_twenty_and_counts_the_rest(
    invoke: Invoke, tmp_path: Path
) -> None:
    generate(60, tmp_path / "many")
    result = invoke("--data", str(tmp_path / "many"), "show", "Synthetic")  # every name
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "matches 60 people" in lines[0]
    assert len([line for line in lines if line.startswith("  Synthetic")]) == 20
    assert lines[-1].strip() == "… and 40 more"


@pytest.mark.parametrize("layout", ["bundled", "mini folder", "one file"])
def test_validate_answers_from_a_fresh_index_as_a_full_check_would(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, layout: str
) -> None:
    data: list[str] = []
    if layout == "mini folder":
        data = ["--data", str(MINI)]
    elif layout == "one file":
        whole = tmp_path / "whole.json"
        assert invoke("export", "-f", "json", "-o", str(whole)).exit_code == 0
        data = ["--data", str(whole)]
    checked = {
        fmt: invoke(*data, "validate", *fmt, env={"DEFECT_NO_CACHE": "1"}).stdout
        for fmt in ((), ("--json",))
    }
    assert invoke(*data, "list").exit_code == 0  # the index is built, and fresh
    import defectcli.dataset.read as read

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validate parsed the data files")

    for step in ("check_dataset", "check_records", "load_file"):
        monkeypatch.setattr(read, step, refuse)
    for fmt, expected in checked.items():
        result = invoke(*data, "validate", *fmt)
        assert result.exit_code == 0 and result.stdout == expected, (layout, fmt)


def test_validate_reads_the_files_again_once_one_changed(invoke: Invoke, mini_copy: Path) -> None:
    assert invoke("--data", str(mini_copy), "validate").exit_code == 0
    assert invoke("--data", str(mini_copy), "list").exit_code == 0
    person = mini_copy / "people" / "alpha-tester.yaml"
    text = person.read_text(encoding="utf-8")
    person.write_text(text.replace("category: diplomat", "category: astronaut"), encoding="utf-8")
    result = invoke("--data", str(mini_copy), "validate")
    assert result.exit_code == 1 and "astronaut" in result.stderr


def test_validate_checks_again_after_a_schema_changed(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout being worked on: a schema edited after the index was built."""
    from defectcli import query
    from defectcli.query import catalog as catalog_module

    assert invoke("list").exit_code == 0  # a fresh index of the bundled data
    catalog = query.fresh_catalog(None)
    assert catalog is not None and catalog.checked_counts() is not None
    # The checksum the catalog compares with, as an edited schema would give it.
    monkeypatch.setattr(catalog_module, "schemas_checksum", lambda: "6-00000000-00000000")
    assert catalog.checked_counts() is None  # so validate parses and checks every file


@pytest.mark.parametrize("why", ["no index yet", "a file changed", "a schema changed"])
def test_validate_reads_each_file_once_when_it_must_read_them(
    invoke: Invoke, mini_copy: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    """Checking the files and building the index from them is one reading, not two."""
    import defectcli.dataset.read as read
    from defectcli.index import cache
    from defectcli.query import catalog as catalog_module

    data = ["--data", str(mini_copy)]
    if why != "no index yet":
        assert invoke(*data, "list").exit_code == 0  # a fresh index
    if why == "a file changed":
        person = mini_copy / "people" / "beta-tester.yaml"
        person.write_text(person.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    if why == "a schema changed":  # the checksum that edited schemas would give, everywhere
        for module in (cache, catalog_module):
            monkeypatch.setattr(module, "schemas_checksum", lambda: "6-00000000-00000000")
    reads: list[str] = []
    load_file = read.load_file
    monkeypatch.setattr(read, "load_file", lambda f: reads.append(f.display) or load_file(f))
    result = invoke(*data, "validate")
    assert result.exit_code == 0, result.stderr
    assert "5 files, 2 people, 3 quotes, 2 sources, 3 claims, 1 events" in result.stdout
    assert len(reads) == 5 and len(set(reads)) == 5, reads


def test_the_schema_check_is_by_content_not_time(tmp_path: Path) -> None:
    """Reinstalling the same version gives the schemas new times and the same text: the
    index still answers `validate` (it took a minute a run at 100,000 files)."""
    from defectcli.dataset.locate import schema_root
    from defectcli.index.cache import schemas_checksum

    copy = tmp_path / "schema"
    shutil.copytree(str(schema_root()), copy)
    assert schemas_checksum(copy) == schemas_checksum()
    for schema in copy.iterdir():
        os.utime(schema, ns=(0, time.time_ns() + 10**12))
    assert schemas_checksum(copy) == schemas_checksum()
    common = copy / "common.schema.json"
    common.write_text(common.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert schemas_checksum(copy) != schemas_checksum()
    common.unlink()
    assert schemas_checksum(copy) != schemas_checksum()


def test_the_records_read_for_a_build_are_freed_once_the_catalog_is_open(
    monkeypatch: pytest.MonkeyPatch, mini_copy: Path
) -> None:
    # A program using the library must get that memory back once the catalog is open (a
    # 100,000-person build reads gigabytes).
    import gc
    import weakref

    from defectcli.dataset import read
    from defectcli.query import open_catalog

    read_now: list[weakref.ref[object]] = []
    real = read.collect

    def collect(loaded: object) -> object:
        records = real(loaded)  # type: ignore[arg-type]
        read_now.append(weakref.ref(records))
        return records

    monkeypatch.setattr(read, "collect", collect)
    catalog = open_catalog(mini_copy)
    gc.collect()
    assert catalog.count_people() > 0 and len(read_now) == 1
    assert read_now[0]() is None
