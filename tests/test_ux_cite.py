"""`cite` takes several sources and names at once, and gives one list (issue 26)."""

from __future__ import annotations

import json
import re

from conftest import Invoke


def _source_ids(invoke: Invoke, *args: str) -> list[str]:
    result = invoke("cite", *args, "--style", "csl-json")
    assert result.exit_code == 0, result.stderr
    return [item["id"] for item in json.loads(result.stdout)]


def test_cite_takes_several_names_and_gives_one_list(invoke: Invoke) -> None:
    thae = _source_ids(invoke, "Thae Yong Ho")
    oh = _source_ids(invoke, "Oh Hye Seon")
    both = _source_ids(invoke, "Thae Yong Ho", "Oh Hye Seon")
    # Each source once, in the order the names come: Thae's list, then what Oh's adds.
    assert both == list(dict.fromkeys(thae + oh))
    assert len(both) < len(thae) + len(oh)  # they share sources: each is listed once
    assert len(set(both)) == len(both)


def test_cite_mixes_names_and_source_ids(invoke: Invoke) -> None:
    thae = _source_ids(invoke, "Thae Yong Ho")
    extra = "news1-ko-2024-elite-diplomats"
    assert extra not in thae
    assert _source_ids(invoke, "Thae Yong Ho", extra) == [*thae, extra]
    assert _source_ids(invoke, thae[0], "Thae Yong Ho") == thae  # already there: once
    assert _source_ids(invoke, "thae", "Thae Yong Ho", "thae-yong-ho") == thae


def test_an_unquoted_name_is_still_one_name(invoke: Invoke) -> None:
    """`cite Thae Yong Ho` is three arguments: read first as the one name they make."""
    assert _source_ids(invoke, "Thae", "Yong", "Ho") == _source_ids(invoke, "Thae Yong Ho")
    assert _source_ids(invoke, "ri", "il", "gyu") == _source_ids(invoke, "Ri Il Gyu")


def test_a_text_citation_for_two_names_is_both_lists(invoke: Invoke) -> None:
    both = invoke("cite", "Thae Yong Ho", "Oh Hye Seon")
    assert both.exit_code == 0
    # One line a source (two sources can read alike: "2016. BBC. No address recorded.").
    assert len(both.stdout.splitlines()) == len(_source_ids(invoke, "Thae Yong Ho", "Oh Hye Seon"))


def test_cite_names_the_argument_that_matches_nothing(invoke: Invoke) -> None:
    result = invoke("cite", "Thae Yong Ho", "Nobody Atall")
    assert result.exit_code == 1 and result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first == "Error: No source with id 'Nobody Atall', and no person matches it."


def test_cite_of_several_people_by_one_word_says_so(invoke: Invoke) -> None:
    """The argument that matches several people is named, with them."""
    result = invoke("cite", "Thae Yong Ho", "kim")
    assert result.exit_code == 1 and result.stdout == ""
    assert re.search(r"'kim' matches [0-9,]+ people; be more specific:", result.stderr)
