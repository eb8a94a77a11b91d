"""The words staff read for stored codes: a subsidy is never called a renewal, an unknown code still shows."""

from __future__ import annotations

from agent.console.labels import STATES, route_word, word


def test_a_route_is_named_in_the_words_of_its_case_kind() -> None:
    assert route_word("renewal", "seamless") == "无感续证"
    assert route_word("subsidy", "seamless") == "免申即享"
    assert route_word("subsidy", None) == "—"


def test_a_code_with_no_word_is_shown_as_stored() -> None:
    assert word(STATES, "archived") == "archived"
