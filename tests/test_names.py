"""Names as people type them: any romanization, Hangul, typos; search; completion."""

from __future__ import annotations

import functools
import json
import re
import string

import pytest
from click.shell_completion import ShellComplete
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Invoke
from defectcli.cli import cli
from defectcli.dataset.model import Person
from defectcli.dataset.read import read_dataset
from defectcli.query import Catalog, open_catalog
from defectcli.text.countries import country_key
from defectcli.text.names import name_key
from defectcli.text.romanize import phonetic_key, phonetic_words, romanize_name

# Spellings from news reports and from the romanization systems. Those marked (*) appear
# nowhere in the dataset: they must match by rule, not by a stored list.
SPELLINGS = {
    "thae-yong-ho": [
        "Thae Yong Ho", "Thae Yong-ho", "Tae Yong-ho", "Tae Yongho", "Thae Ku-min", "태구민",
        "태영호", "Tae Young-ho (*)", "T'ae Yŏng-ho (*)", "Tae Yeong-ho (*)", "THAE YOUNG HO (*)",
        "Thae Gumin (*)",
    ],
    "ri-il-gyu": [
        "Ri Il Gyu", "Ri Il-kyu", "Lee Il-kyu", "이일규", "리일규", "Yi Il-gyu (*)",
        "Rhee Il-kyu (*)", "Lee Ilkyu (*)", "ri il-gyu (*)", "Li Il Kyu (*)",
    ],
    "jo-song-gil": [
        "Jo Song Gil", "Cho Sŏng-gil (*)", "cho song gil (*)", "CHO SONG-GIL (*)",
        "Jo Seong-gil (*)", "Cho Sung-kil (*)", "조성길", "Jo Songgil (*)",
    ],
    "ryu-hyun-woo": [
        "Ryu Hyun Woo", "Yoo Hyun-woo", "Ryu Hyeon-woo", "류현우", "유현우 (*)",
        "Yu Hyon U (*)", "Ryoo Hyun-woo (*)", "Ryu Hyŏn-u (*)",
    ],
    "oh-hye-seon": ["Oh Hye Seon", "Oh Hye Son", "O Hye-son", "오혜선", "Oh Hye-sun (*)"],
    "hwang-jang-yop": ["Hwang Jang-yop", "황장엽", "Hwang Jang-yeop (*)", "Hwang Chang-yŏp (*)"],
    "jang-sung-gil": ["Jang Sung-gil", "Chang Sung-gil", "Jang Seung-gil", "장승길"],
    "kim-chol-song": ["Kim Chol-song", "김철성", "Kim Chul-sung (*)", "Gim Cheol-seong (*)"],
    "hyun-sung-il": ["Hyun Sung-il", "현성일", "Hyon Song Il (*)", "Hyeon Seong-il (*)"],
    "ko-young-hwan": ["Ko Young-hwan", "고영환", "Ko Yong-hwan (*)", "Go Yeong-hwan (*)"],
    "han-jin-myung": ["Han Jin-myung", "한진명", "Han Chin-myŏng (*)", "Han Jin Myong (*)"],
    "hong-soon-kyung": ["Hong Soon-kyung", "홍순경", "Hong Sun-gyeong (*)", "Hong Sun Kyong (*)"],
    "ri-jong-ho": ["Ri Jong-ho", "리정호", "Lee Jeong-ho (*)", "이정호 (*)"],
}  # fmt: skip

CASES = [(pid, s.removesuffix(" (*)")) for pid, spellings in SPELLINGS.items() for s in spellings]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return open_catalog()


def test_the_table_has_spellings_the_data_does_not_hold(catalog: Catalog) -> None:
    stored = set()
    for person in catalog.people():
        stored |= {name_key(n) for n in (person.name, person.hangul or "")}
        stored |= {name_key(a.name) for a in person.aliases}
    unstored = [s for _, s in CASES if name_key(s) not in stored]
    assert len(unstored) >= 30  # the rules, not a list, find these


@pytest.mark.parametrize(("person_id", "spelling"), CASES, ids=[s for _, s in CASES])
def test_every_spelling_finds_the_person(catalog: Catalog, person_id: str, spelling: str) -> None:
    assert catalog.person(spelling).id == person_id


def test_show_takes_any_spelling(invoke: Invoke) -> None:
    result = invoke("show", "Tae", "Young-ho", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == "thae-yong-ho"


def test_a_unique_part_of_a_name_is_enough(catalog: Catalog) -> None:
    assert catalog.person("thae").id == "thae-yong-ho"
    assert catalog.person("jang-yop").id == "hwang-jang-yop"
    assert catalog.person("영호").id == "thae-yong-ho"


@pytest.mark.parametrize(
    ("typed", "person_id"),
    [
        ("th yong h", "thae-yong-ho"),  # as written: Thae's phonetic word is "tE", not "t..."
        ("tae yong", "thae-yong-ho"),  # sounds like Thae, then a word of his alias
        ("ryu hy", "ryu-hyun-woo"),
        ("lee il g", "ri-il-gyu"),  # Lee sounds like Ri
        ("Kim Ch'ŏl-s", "kim-chol-song"),
        # "jo" once began Kim Chol-song's phonetic "cOl" (j and ch fold together): only
        # the last word typed may be a phonetic beginning.
        ("jo song g", "jo-song-gil"),
    ],
)
def test_the_beginnings_of_words_are_enough(catalog: Catalog, typed: str, person_id: str) -> None:
    assert catalog.resolve(typed) == [person_id]


def test_the_first_letters_of_every_word_find_every_named_person(catalog: Catalog) -> None:
    # What completion offers after a few letters, `show` must accept.
    from defectcli.text.names import letter_words

    checked = 0
    for person in catalog.people():
        for name in (person.name, *(a.name for a in person.aliases)):
            typed = " ".join(w[:3] for w in letter_words(name))
            assert person.id in catalog.resolve(typed), (name, typed)
            checked += 1
    assert checked > 40


def test_the_words_typed_must_all_be_words_of_one_name(catalog: Catalog) -> None:
    # "gumin" (Thae Gumin) and "yong" (Thae Yong Ho) each find him alone; together they
    # are words of two different names of his, so nobody is called that.
    assert catalog.resolve("gumin") == catalog.resolve("yong ho") == ["thae-yong-ho"]
    assert catalog.resolve("thae gumin") == ["thae-yong-ho"]
    assert catalog.resolve("gumin yong") == []
    assert catalog.resolve("min yo") == []


def test_a_name_typed_with_many_words_is_looked_up_whole(invoke: Invoke) -> None:
    # Seventy words and beginnings of one name, then the same with a word no name has.
    many = " ".join(["tae", "yong"] * 35)
    found = invoke("show", many, "--format", "json")
    assert found.exit_code == 0 and json.loads(found.stdout)["id"] == "thae-yong-ho"
    missing = invoke("show", many + " zzq", "--format", "json")
    assert missing.exit_code == 1 and "No person matches" in missing.stderr


@pytest.mark.parametrize("typed", ["zzz", "jjj", "x"])
def test_a_one_letter_phonetic_beginning_matches_nothing(invoke: Invoke, typed: str) -> None:
    # "zzz" and "jjj" fold to the phonetic "c", which begins Chol, China, Choe...
    result = invoke("show", typed, "--format", "json")
    assert result.exit_code == 1 and "No person matches" in result.stderr


def test_several_matches_list_the_candidates(invoke: Invoke) -> None:
    result = invoke("show", "kim")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert re.match(r"Error: 'kim' matches \d+ people; be more specific:", lines[0])
    assert any("Kim Chol-song (김철성)" in line and "2016" in line for line in lines)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Thea Yong Ho", "Thae Yong Ho"),
        ("Ryo Hyan Wu", "Ryu Hyun Woo"),
        ("Hwan Jan Yap", "Hwang Jang-yop"),
    ],
)
def test_a_misspelling_gets_suggestions(invoke: Invoke, typed: str, expected: str) -> None:
    result = invoke("show", typed)
    assert result.exit_code == 1
    suggestions = result.stderr.split("Did you mean: ")[1].rstrip("?\n").split(", ")
    assert expected in suggestions and len(suggestions) <= 3


def test_nothing_close_suggests_nothing(invoke: Invoke) -> None:
    result = invoke("show", "Xavier Quimby")
    assert result.exit_code == 1 and "Did you mean" not in result.stderr


# --- the key ----------------------------------------------------------------------------

syllables = st.sampled_from(
    ["ri", "il", "gyu", "kyu", "thae", "yong", "ho", "song", "gil", "ryu", "hyun", "woo",
     "kim", "chol", "jo", "park", "choe", "oh", "hye", "seon", "jang", "sung", "han"]
)  # fmt: skip
names = st.lists(syllables, min_size=2, max_size=4).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(names, st.sampled_from([" ", "-", "  ", " - "]))
def test_key_ignores_case_and_separators(name: str, separator: str) -> None:
    key = phonetic_key(name)
    assert phonetic_key(name.upper()) == key
    assert phonetic_key(name.title()) == key
    assert phonetic_key(name.replace(" ", separator)) == key
    assert name_key(name.upper()) == name_key(name)


@settings(max_examples=200, deadline=None)
@given(names)
def test_key_ignores_diacritics_and_apostrophes(name: str) -> None:
    # McCune–Reischauer's apostrophe marks aspiration inside a word (Ch'ŏl): dropped, it
    # leaves the word whole, as it is spelled without it.
    marked = name.replace("o", "ŏ").replace("u", "ŭ").replace("h", "'h")
    assert phonetic_key(marked) == phonetic_key(name)
    assert phonetic_words(marked) == phonetic_words(name)
    assert phonetic_key(name.replace("o", "ō")) == phonetic_key(name)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=string.printable + "가나다리이류유ŏŭ’", max_size=40))
def test_key_never_fails(text: str) -> None:
    phonetic_key(text)
    name_key(text)


@functools.cache
def _a_person() -> Person:
    return read_dataset().people[0]


NAME_TEXT = string.ascii_letters + " -_'’‘`ʼʻ.·,()ŏŭéō가나다리이류유태영호"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=NAME_TEXT, max_size=30))
def test_the_index_stores_the_keys_a_lookup_computes(name: str) -> None:
    # The index folds a name once and derives its keys from those words (index._name_row);
    # a lookup computes them from the typed text. They must agree for any text, or a
    # stored name would not be found when typed as stored.
    from defectcli.index.build import _name_row

    _, _, _, key, pkey, _ = _name_row(_a_person(), name, "alias")
    assert key == name_key(name)
    assert pkey == phonetic_key(name)


def test_romanization_systems() -> None:
    assert romanize_name("태영호", "rr") == "Tae Yeong-ho"
    assert romanize_name("태영호", "mr") == "T'ae Yŏng-ho"
    assert romanize_name("태영호", "mr-plain") == "Tae Yong-ho"
    assert romanize_name("태영호", "dprk") == "Thae Yong Ho"
    assert romanize_name("조성길", "mr") == "Cho Sŏng-gil"  # voiced after a vowel or ng


# --- countries ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["uk", "Britain", "GB", "영국", "united kingdom", "U.K."])
def test_country_aliases(invoke: Invoke, typed: str) -> None:
    assert country_key(typed) == country_key("United Kingdom")
    result = invoke("list", "--country", typed, "--json")
    assert {p["id"] for p in json.loads(result.stdout)} == {"thae-yong-ho", "oh-hye-seon"}


def test_destination_alias(invoke: Invoke) -> None:
    usa = json.loads(invoke("list", "--destination", "USA", "--json").stdout)
    assert usa and all(p["destination"] == "United States" for p in usa)


# --- search -------------------------------------------------------------------------------


def test_search_finds_a_quotation_from_a_word(invoke: Invoke) -> None:
    hits = json.loads(invoke("search", "nickname", "--json").stdout)
    assert any(h["kind"] == "quote" and h["id"] == "ri-il-gyu-tie-wearing-beggars" for h in hits)
    assert any("**nickname**" in h["snippet"] for h in hits)


def test_search_groups_by_kind_and_finds_people_by_any_spelling(invoke: Invoke) -> None:
    hits = json.loads(invoke("search", "Cuba", "--json").stdout)
    kinds = [h["kind"] for h in hits]
    order = ["person", "quote", "event", "claim", "source"]
    assert kinds == sorted(kinds, key=order.index)
    named = json.loads(invoke("search", "Tae", "Young-ho", "--json").stdout)
    assert named[0] == {**named[0], "kind": "person", "id": "thae-yong-ho"}


def test_search_korean_accents_and_phrases(invoke: Invoke) -> None:
    korean = json.loads(invoke("search", "넥타이", "--json").stdout)
    assert any(h["id"] == "ri-il-gyu-edaily-necktie-kkotjebi" for h in korean)
    accents = json.loads(invoke("search", "Sŏng-gil", "--kind", "person", "--json").stdout)
    assert "jo-song-gil" in {h["id"] for h in accents}
    phrase = json.loads(invoke("search", '"tie-wearing beggars"', "--json").stdout)
    assert [h["id"] for h in phrase] == ["ri-il-gyu-tie-wearing-beggars"]


def test_search_exit_codes(invoke: Invoke) -> None:
    none = invoke("search", "zzqxv")
    assert none.exit_code == 1 and "No matches" in none.stderr
    assert invoke("search", '""').exit_code == 2


def test_quotes_search_uses_the_same_engine(invoke: Invoke) -> None:
    # "nick" as the start of a word: the two quotations of Ri Il Gyu's that say "nickname".
    quotes = json.loads(invoke("quotes", "--search", "nick", "--json").stdout)
    assert {q["id"] for q in quotes} == {
        "ri-il-gyu-tie-wearing-beggars",
        "ri-il-gyu-beggars-in-ties",
    }
    assert all("nickname" in q["text"] for q in quotes)


# --- completion ---------------------------------------------------------------------------


def complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(cli, {}, "defect", "_DEFECT_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_completion_values() -> None:
    assert complete(["show"], "thae") == ["Thae Yong Ho"]
    assert complete(["show"], "tha") == ["Thae Yong Ho", "thailand-diplomat-2014"]
    assert "Ri Il Gyu" in complete(["show"], "r")
    assert complete(["list", "--country"], "ita") == ["Italy"]
    assert complete(["list", "--category"], "fa") == ["family"]
    assert complete(["cite"], "news1-en") == ["news1-en-2024-elite-diplomats"]
    assert complete(["quotes", "--person"], "ryu") == ["ryu-hyun-woo"]


def test_every_completed_name_can_be_typed_into_a_shell_and_shown(invoke: Invoke) -> None:
    """Shells insert a completion unquoted: a label such as "Kim (surname only), doctor
    at the embassy in Ethiopia" was a syntax error in bash; such a person completes by id."""
    import shlex

    offered = complete(["show"], "")
    assert len(offered) == len(json.loads(invoke("list", "--json").stdout))
    assert "ethiopia-embassy-doctor-2009" in offered and "Thae Yong Ho" in offered
    for value in offered:
        # Read as a shell reads it (brackets, ';', '&', '|' are tokens of their own):
        tokens = list(shlex.shlex(value, posix=True, punctuation_chars=True))
        assert tokens == value.split() and "," not in value, value
        shown = invoke("show", *value.split(), "--json")
        assert shown.exit_code == 0, value


def test_completion_scripts_for_every_shell() -> None:
    from click.testing import CliRunner

    for shell in ("bash", "zsh", "fish"):
        env = {"_DEFECT_COMPLETE": f"{shell}_source"}
        result = CliRunner().invoke(cli, [], prog_name="defect", env=env)
        assert result.exit_code == 0 and "_DEFECT_COMPLETE" in result.stdout, shell


def test_completion_reads_the_index_not_the_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    complete(["show"], "t")  # warm the index
    import defectcli.dataset.read as read

    def refuse(*args: object) -> None:
        raise AssertionError("completion parsed the YAML")

    for step in ("check_records", "load_file"):
        monkeypatch.setattr(read, step, refuse)
    assert complete(["show"], "thae") == ["Thae Yong Ho"]


def test_an_apostrophe_inside_a_word_does_not_split_it(invoke: Invoke) -> None:
    # "Ch'ŏl" split at its apostrophe once left a one-letter word "c" among Kim Chol-song's
    # names, and "zzz" (whose phonetic key is "c") showed his profile.
    assert phonetic_words("Kim Ch'ŏl-sŏng") == phonetic_words("Kim Chol-song")
    wrong = invoke("show", "zzz", "--format", "json")
    assert wrong.exit_code == 1 and wrong.stdout == ""
    right = invoke("show", "Kim Ch'ŏl-sŏng", "--format", "json")
    assert right.exit_code == 0 and json.loads(right.stdout)["id"] == "kim-chol-song"
