"""The query layer as a notebook user sees it: filters, lookups, quotes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import defectcli
from conftest import MINI
from defectcli.dataset.choices import FACETS, SEARCH_KINDS
from defectcli.errors import Ambiguous, NotFound
from defectcli.query import Catalog, PersonFilter, fts_query, open_catalog, search_terms
from defectcli.query.filters import QuoteFilter, SourceFilter, TimelineFilter, YearFilter
from defectcli.render.records import facet_records


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return open_catalog(Path(__file__).parent / "fixtures" / "mini")


def ids(people: list[defectcli.query.Person]) -> list[str]:  # type: ignore[name-defined]
    return [p.id for p in people]


def test_public_api_is_lazy_and_works() -> None:
    assert defectcli.__version__
    catalog = defectcli.open_catalog()
    assert isinstance(catalog, defectcli.Catalog)
    assert catalog.people(defectcli.PersonFilter(countries=("Cuba",)))


def test_disputed_year_matches_every_sourced_year(catalog: Catalog) -> None:
    assert ids(catalog.people(PersonFilter(years=(2018,)))) == ["alpha-tester", "beta-tester"]
    assert ids(catalog.people(PersonFilter(years=(2019,)))) == ["alpha-tester"]
    # A claim marked doubtful is shown but is not one of the person's years.
    assert ids(catalog.people(PersonFilter(years=(2017,)))) == []
    alpha = catalog.person("alpha-tester")
    assert alpha.year == 2018 and alpha.years == (2018, 2019)


def test_since_until_country_destination_category_confirmed(catalog: Catalog) -> None:
    assert ids(catalog.people(PersonFilter(since=2019))) == ["alpha-tester"]
    assert ids(catalog.people(PersonFilter(until=2018))) == ["alpha-tester", "beta-tester"]
    assert ids(catalog.people(PersonFilter(countries=("testland",)))) == [
        "alpha-tester",
        "beta-tester",
    ]
    assert ids(catalog.people(PersonFilter(destinations=("united states",)))) == ["beta-tester"]
    assert ids(catalog.people(PersonFilter(categories=("family",)))) == ["beta-tester"]
    assert ids(catalog.people(PersonFilter(confirmed=True))) == ["alpha-tester"]
    assert ids(catalog.people(PersonFilter(countries=("Nowhere",)))) == []


def test_sort(catalog: Catalog) -> None:
    by_destination = catalog.people(PersonFilter(sort="destination"))
    assert ids(by_destination) == ["alpha-tester", "beta-tester"]
    assert ids(catalog.people(PersonFilter(sort="-destination"))) == ["beta-tester", "alpha-tester"]
    with pytest.raises(ValueError, match="sort must be one of"):
        catalog.people(PersonFilter(sort="height"))


def test_values_of_one_filter_are_alternatives(catalog: Catalog) -> None:
    assert ids(catalog.people(PersonFilter(years=(2019, 2017)))) == ["alpha-tester"]
    both = PersonFilter(categories=("family", "diplomat"), destinations=("US", "South Korea"))
    assert ids(catalog.people(both)) == ["alpha-tester", "beta-tester"]
    assert ids(catalog.people(both._replace(years=(2019,)))) == ["alpha-tester"]


@pytest.mark.parametrize(
    "name",
    [
        "alpha-tester",
        "Alpha Tester",
        "ALPHA-TESTER",
        "alpha  tester",
        "Alpha Testér",
        "알파",
        "alp",
    ],
)
def test_person_lookup_ignores_case_spacing_accents(catalog: Catalog, name: str) -> None:
    assert catalog.person(name).id == "alpha-tester"


def test_lookup_failures(catalog: Catalog) -> None:
    with pytest.raises(Ambiguous) as many:
        catalog.person("tester")
    assert len(many.value.candidates) == 2
    with pytest.raises(NotFound) as none:
        catalog.person("Alfa Tezter")
    assert none.value.suggestions[0] == "Alpha Tester"
    assert len(none.value.suggestions) <= 3


def test_quotes_by_person_speaker_search_source(catalog: Catalog) -> None:
    # Filed under Beta but spoken by Alpha: both people's quote lists include it.
    assert [q.id for q in catalog.quotes(QuoteFilter(people=("beta",)))] == [
        "beta-tester-about-alpha"
    ]
    alpha = [q.id for q in catalog.quotes(QuoteFilter(people=("alpha",)))]
    assert "beta-tester-about-alpha" in alpha and "alpha-tester-freedom" in alpha
    assert [q.id for q in catalog.quotes(QuoteFilter(search="CHILDREN free"))] == [
        "alpha-tester-freedom"
    ]
    assert [q.id for q in catalog.quotes(QuoteFilter(search='"grow up free"'))] == [
        "alpha-tester-freedom"
    ]
    assert catalog.quotes(QuoteFilter(search='"free grow"')) == []
    assert [q.id for q in catalog.quotes(QuoteFilter(search="자유를"))] == ["alpha-tester-korean"]
    # The English gloss of a Korean quote is searchable too.
    assert [q.id for q in catalog.quotes(QuoteFilter(search="looking"))] == ["alpha-tester-korean"]
    assert [q.id for q in catalog.quotes(QuoteFilter(sources=("test-book",)))] == [
        "alpha-tester-korean"
    ]
    with pytest.raises(NotFound):
        catalog.quotes(QuoteFilter(sources=("no-such-source",)))


def test_speaker_resolution(catalog: Catalog) -> None:
    (quote,) = catalog.quotes(QuoteFilter(people=("beta",)))
    assert quote.person == "beta-tester"
    assert quote.speaker == "Alpha Tester" and quote.speaker_id == "alpha-tester"


def test_profile_numbers_every_cited_source(catalog: Catalog) -> None:
    profile = catalog.profile("alpha")
    assert [s.id for s in profile.sources] == ["test-news", "test-book"]
    assert profile.number("test-book") == 2
    assert [(link.relation, name) for link, name in profile.related] == [("wife", "Beta Tester")]


def test_search_terms() -> None:
    assert search_terms('Tie "Wearing  Beggars" ŏ') == ["tie", "wearing beggars", "o"]


@pytest.mark.parametrize("limit", [0, 1, 3, 7, 10_000])
def test_a_limited_query_is_the_start_of_the_whole_one_and_counts_agree(limit: int) -> None:
    bundled = open_catalog(None)
    for where in (PersonFilter(), PersonFilter(since=2016), PersonFilter(sort="name")):
        whole = bundled.people(where)
        assert bundled.people(where, limit) == whole[:limit]
        assert bundled.count_people(where) == len(whole)
    for chosen_quotes in (
        QuoteFilter(),
        QuoteFilter(people=("thae",)),
        QuoteFilter(search="north"),
    ):
        whole_quotes = bundled.quotes(chosen_quotes)
        assert bundled.quotes(chosen_quotes, limit=limit) == whole_quotes[:limit]
        assert bundled.count_quotes(chosen_quotes) == len(whole_quotes)
    for period in (
        TimelineFilter(),
        TimelineFilter(YearFilter(since=2016)),
        TimelineFilter(people=("thae",)),
    ):
        events = bundled.timeline(period).entries
        assert bundled.timeline(period, limit=limit).entries == events[:limit]
        assert bundled.count_timeline(period) == len(events)
    for chosen in (
        SourceFilter(),
        SourceFilter(kinds=("news",)),
        SourceFilter(people=("ri il gyu",)),
    ):
        sources = bundled.sources_cited(chosen)
        assert bundled.sources_cited(chosen, limit=limit) == sources[:limit]
        assert bundled.count_sources(chosen) == len(sources)


@pytest.fixture(scope="module")
def built_in_memory() -> Catalog:
    """The bundled data indexed in memory, once for the module (no cache folder is touched)."""
    return open_catalog(None, cache=False)


@pytest.mark.parametrize("text", ["north", "embassy", "korea", "defected 2016", "김"])
@pytest.mark.parametrize("limit", [1, 3, 25])
def test_search_shows_the_best_ranked_rows_of_each_kind(
    built_in_memory: Catalog, text: str, limit: int
) -> None:
    # Against every match ranked at once, with the kind each row stores: the hits of
    # each kind are its best ``limit`` rows, best first, ties in the table's order.
    catalog = built_in_memory
    db = catalog._db  # the index itself: every match, ranked by SQLite alone
    ranked: dict[str, list[tuple[float, int, str]]] = {}
    for rowid, kind, ref, rank in db.execute(
        "SELECT rowid, kind, ref, bm25(search, 0, 0, 0, 5.0, 1.0) FROM search WHERE search MATCH ?",
        (fts_query(text),),
    ):
        ranked.setdefault(kind, []).append((rank, rowid, ref))
    found = catalog.search(text, limit=limit).hits
    assert found, text
    for kind in SEARCH_KINDS:
        hits = [h for h in found if h.kind == kind and h.rank != -1000.0]  # not name hits
        best = sorted(ranked.get(kind, []))[:limit]
        if kind == "person":  # a person also found by name is listed once, on top
            named = {h.id for h in found if h.kind == kind and h.rank == -1000.0}
            best = [b for b in best if b[2] not in named]
        assert [(h.id, h.rank) for h in hits] == [(ref, rank) for rank, _, ref in best][: len(hits)]
        assert len(hits) == min(limit, len(best)) or kind == "person"


# Every character json.dumps escapes, and some it must leave alone.
ODD_NAME = 'Alpha "Q" back\\slash \x07\x1b\x1f\x7f\t\n\u2028 é 한 😀 Tester'


@pytest.fixture(scope="module")
def odd_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The mini dataset with a name (the label of its citations) full of odd characters."""
    target = tmp_path_factory.mktemp("odd") / "mini"
    shutil.copytree(MINI, target)
    person = target / "people" / "alpha-tester.yaml"
    text = person.read_text(encoding="utf-8")
    # A YAML double-quoted string takes JSON's escapes, but not its surrogate pairs, nor
    # a raw DEL or line separator.
    quoted = json.dumps(ODD_NAME, ensure_ascii=False)
    quoted = quoted.replace("\x7f", "\\x7f").replace("\u2028", "\\u2028")
    person.write_text(text.replace("name: Alpha Tester", f"name: {quoted}"), encoding="utf-8")
    odd = open_catalog(target, cache=False)
    assert ODD_NAME in {c.label for e in odd.sources_cited() for c in e.cited_by}
    return odd


@pytest.mark.parametrize("data", [None, MINI], ids=["bundled", "mini"])
def test_count_without_people_gives_the_same_sizes_and_no_lists(data: Path | None) -> None:
    # `count` on a terminal or in plain text needs the sizes alone (``people=False``): the
    # same rows, in the same order, without the lists of people that its JSON prints. (That
    # the sizes are those of `list` is the next test's.)
    catalog = open_catalog(data)
    filters = [PersonFilter(), PersonFilter(since=2016), PersonFilter(categories=("diplomat",))]
    filters += [PersonFilter(countries=("Cuba",)), PersonFilter(confirmed=True, until=2015)]
    for by in FACETS:
        for where in filters:
            listed = catalog.count(by, where)
            sized = catalog.count(by, where, people=False)
            assert [(r.value, r.size) for r in sized.rows] == [
                (r.value, len(r.people or ())) for r in listed.rows
            ]
            assert sized.total == listed.total == catalog.count_people(where)
            assert all(r.people is None for r in sized.rows)
    with pytest.raises(ValueError, match="people=True"):
        facet_records(catalog.count("year", people=False))


@pytest.mark.parametrize("data", [None, MINI], ids=["bundled", "mini"])
def test_each_count_lists_the_people_list_shows_in_its_order(data: Path | None) -> None:
    # `count` reads the people's columns it needs (no record is built); each value's
    # people are those `list` shows with that value, in the order `list` shows them.
    catalog = open_catalog(data)
    filters = [PersonFilter(), PersonFilter(since=2016), PersonFilter(years=(2019,))]
    filters += [
        PersonFilter(categories=("diplomat",), sort="name"),
        PersonFilter(countries=("Cuba",)),
    ]
    filters += [
        PersonFilter(destinations=("South Korea",), sort="country"),
        PersonFilter(sort="id"),
    ]
    for where in filters:
        people = catalog.people(where)
        for by in FACETS:
            expected: dict[str, list[str]] = {}
            for person in people:
                year = person.year
                value = {
                    "year": "unknown" if year is None else str(year),
                    "decade": "unknown" if year is None else f"{year // 10 * 10}s",
                    "country": person.country,
                    "category": person.category,
                    "destination": person.destination,
                    "status": person.status.value,
                }[by]
                expected.setdefault(value, []).append(person.id)
            counted = catalog.count(by, where)
            assert {r.value: list(r.people or ()) for r in counted.rows} == expected, (by, where)


def _in_years(date: str, since: int | None, until: int | None) -> bool:
    """What `timeline --since/--until` means: the first four characters of the date, as text."""
    return (since is None or date[:4] >= f"{since:04d}") and (
        until is None or date[:4] <= f"{until:04d}"
    )


YEAR_RANGES = [
    (None, None),
    (2016, 2016),
    (2019, None),
    (None, 2000),
    (1990, 2017),
    (2017, 1990),  # an empty range
    (1900, 2100),
    (0, 9999),
    (-5, 10_000),
    (None, -1),
]


@pytest.mark.parametrize(("since", "until"), YEAR_RANGES)
def test_timeline_years_are_those_of_every_entry_s_date(
    since: int | None, until: int | None
) -> None:
    # The query looks years up as a range of dates (through an index); the answer must be
    # what reading every entry and keeping those of the years gives, in the same order.
    bundled = open_catalog()
    every = bundled.timeline().entries
    assert len({e.date[:4] for e in every}) > 20
    expected = [e for e in every if _in_years(e.date, since, until)]
    where = TimelineFilter(YearFilter(since=since, until=until))
    assert list(bundled.timeline(where).entries) == expected
    assert bundled.count_timeline(where) == len(expected)
    assert list(bundled.timeline(where, limit=3).entries) == expected[:3]
    some = TimelineFilter(YearFilter(years=(1997, 2016, 2023), since=since, until=until))
    chosen = [e for e in expected if e.date[:4] in {"1997", "2016", "2023"}]
    assert list(bundled.timeline(some).entries) == chosen


def test_timeline_years_are_found_through_the_date_index(catalog: Catalog) -> None:
    sql, params = catalog._timeline_sql("doc", TimelineFilter(YearFilter(since=2016, until=2016)))
    plan = " ".join(str(row) for row in catalog._db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "timeline_date" in plan
