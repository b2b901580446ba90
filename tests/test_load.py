"""The loader: YAML to plain data with positions; malformed files get precise messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

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


# The loader must give exactly what PyYAML's safe construction gives (with dates
# kept as text), value for value and type for type: True == 1 in Python, so compare types.
def _same(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b  # NaN
    return a == b


class _InMemory:
    """A data file held in memory: ``load_file`` reads any resource that is not a path."""

    name = "x.yaml"

    def __init__(self, text: str) -> None:
        self.text = text

    def read_bytes(self) -> bytes:
        return self.text.encode()


def _built_in_one_pass(text: str) -> object:
    loaded, problems = load_file(DataFile("person", "x.yaml", _InMemory(text)))
    assert problems == [] and loaded is not None
    return loaded.data


def _built_by_pyyaml(text: str) -> object:
    import yaml

    from defectcli.dataset.load import _Loader

    return yaml.load(text, Loader=_Loader)  # our safe loader


PLAIN_DOCUMENTS = [
    "ints: [0, 7, -5, +7, 0x1f, 0o17, 017, 1_000, '12', 190:20:30, 0b101]",
    "floats: [1.5, -0.25, 1e3, 6.8523015e+5, .inf, -.Inf, .NaN, 190:20:30.15]",
    "bools: [yes, No, on, OFF, true, False, y, n]",
    "nulls: [~, null, NULL, ]\nempty:\n",
    "2019: a\n2020.5: b\ntrue: c\n~: d\n'2021': e",
    "dates: [2019, 2019-07, 2019-07-14, 2001-12-14t21:59:43.10-05:00]",
    "quoted: ['a: b', \"tab\\there\", '''it''s''']\nblock: |\n  one\n  two\nfolded: >\n  a\n  b\n",
    "tagged: [!!str 123, !!int '5', !!float '2', !!binary aGVsbG8=, !!null '']",
    "scalar_alias: &x text\nagain: *x",
    "nested: {a: [{b: [[], {}]}, [1, [2, [3]]]]}",
    "- 1\n- two\n- {three: 3}",
    "just text",
    "'42'",
]


@pytest.mark.parametrize("text", PLAIN_DOCUMENTS)
def test_one_pass_builder_gives_what_pyyaml_gives(text: str) -> None:
    assert _same(_built_in_one_pass(text), _built_by_pyyaml(text))


def test_one_pass_builder_gives_what_pyyaml_gives_for_every_bundled_file() -> None:
    files = find_data_files(None)
    assert len(files) > 20
    for data_file in files:
        text = data_file.resource.read_text(encoding="utf-8-sig")
        assert _same(_built_in_one_pass(text), _built_by_pyyaml(text)), data_file.display


# Scalars that begin with each character PyYAML's resolvers look at, and some they pass by.
RESOLVED_SCALARS = [
    *("", "~", "null", "Null", "NULL", "n", "no", "N", "NO", "nothing", "Nkosi"),
    *("y", "yes", "Yes", "YES", "true", "True", "on", "On", "off", "OFF", "false", "Fa"),
    *("0", "7", "-5", "+7", "0x1f", "0o17", "017", "1_000", "190:20:30", "0b101", "1e3"),
    *("-", "+", ".", ".5", ".inf", "-.Inf", ".NaN", ".nan.", "1.5", "6.8523015e+5"),
    *("2019", "2019-07", "2019-07-14", "2001-12-14t21:59:43.10-05:00", "2019-7-1"),
    *("<<", "<", "=", "==", "!x", "&a", "*a", "Thae Yong Ho", "태영호", " x", "\t", "é"),
]


def _tags_both_ways(value: str) -> None:
    import yaml

    from defectcli.dataset.load import _Loader

    loader = _Loader("")
    try:
        for implicit in [(True, False), (False, True), (False, False), (True, True)]:
            ours = loader.resolve(yaml.ScalarNode, value, implicit)
            assert ours == yaml.resolver.BaseResolver.resolve(
                loader, yaml.ScalarNode, value, implicit
            ), (value, implicit)
    finally:
        loader.dispose()


@pytest.mark.parametrize("value", RESOLVED_SCALARS)
def test_the_loader_resolves_each_scalar_as_pyyaml_does(value: str) -> None:
    _tags_both_ways(value)


@given(st.text(max_size=12) | st.from_regex(r"[-+.0-9a-zA-Z~<=:_]{0,12}", fullmatch=True))
@settings(max_examples=300, deadline=None)
def test_the_loader_resolves_any_scalar_as_pyyaml_does(value: str) -> None:
    _tags_both_ways(value)


def test_the_loader_resolves_collections_as_pyyaml_does() -> None:
    import yaml

    from defectcli.dataset.load import _Loader

    loader = _Loader("")
    try:
        for kind in (yaml.SequenceNode, yaml.MappingNode):
            for implicit in (True, False):
                expected = yaml.resolver.BaseResolver.resolve(loader, kind, None, implicit)
                assert loader.resolve(kind, None, implicit) == expected
    finally:
        loader.dispose()


@pytest.mark.parametrize("text", PLAIN_DOCUMENTS)
def test_the_loader_reads_what_pyyaml_s_own_resolver_reads(text: str) -> None:
    import yaml

    from defectcli.dataset.load import _Loader

    class Reference(_Loader):  # type: ignore[misc, valid-type]
        resolve = yaml.resolver.BaseResolver.resolve

    assert _same(_built_in_one_pass(text), yaml.load(text, Loader=Reference))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: 1\na: 2\n", "duplicate key"),
        ("1: a\n1: b\n", "duplicate key"),  # a key that is not text
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("a: &x {k: 1}\nb: *x\n", "anchors and aliases"),
        ("base: {a: 1}\nchild:\n  <<: {a: 2}\n", "merge keys"),
        ("? [1, 2]\n: x\n", "plain text"),  # a key that is a sequence
        ("a: !custom x\n", "invalid YAML"),  # an unknown tag
        ("a: " + "[" * 70 + "]" * 70 + "\n", "nested more than"),
        ("a: !!set {x, y}\n", None),  # tagged collections: PyYAML's value, as before
        ("a: !!omap [{x: 1}]\n", None),
    ],
)
def test_the_unusual_is_refused_where_it_stands_or_read_as_pyyaml_reads_it(
    tmp_path: Path, text: str, problem: str | None
) -> None:
    loaded, problems = load_text(tmp_path, text)
    if problem is None:
        assert problems == []
        assert loaded is not None and _same(loaded.data, _built_by_pyyaml(text))
    else:
        assert loaded is None
        assert problem in problems[0].message
        assert problems[0].line is not None


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=12), st.sampled_from(["yes", "no", "~", "0x1f", "017", "1:30", "2019-07"]),
)  # fmt: skip
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(document=_DOCUMENTS, flow=st.sampled_from([None, True, False]))
@example(document={" ": None, "\x85": None}, flow=None)  # found by this test: see below
def test_one_pass_builder_matches_pyyaml_on_random_documents(
    document: object, flow: bool | None
) -> None:
    import yaml

    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    read_back = _built_by_pyyaml(text)
    # Only texts that are the document: PyYAML writes a key holding U+0085, a line break it
    # folds, so that it reads back as another key, and then keeps one of two equal keys
    # where the builder refuses them (as it must).
    assume(read_back == document)
    assert _same(_built_in_one_pass(text), read_back)


def test_nesting_at_the_limit_is_still_built() -> None:
    from defectcli.dataset.load import MAX_DEPTH

    text = "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH
    assert _same(_built_in_one_pass(text), _built_by_pyyaml(text))
