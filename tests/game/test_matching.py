from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.catalogue import catalogue
from game.errors import TargetError
from game.matching import MAX_LISTED, fold, match_name, words

CAT = catalogue()
ITEMS = [(k, i.name) for k, i in CAT.items.items()]
TITLES = [(k, t.name) for k, t in CAT.titles.items()]
PLANS = [(k, p.name) for k, p in CAT.plans.items()]
SUPPLIES = ([(k, b.name) for k, b in CAT.buffs.items()]
            + [(k, c.name) for k, c in CAT.consumables.items()])
DOMAINS = [ITEMS, TITLES, PLANS, SUPPLIES]


def test_fold_drops_case_accents_spacing_and_punctuation() -> None:
    assert fold("Mono-Wire Garrote") == "monowiregarrote"
    assert fold("  mono wire_garrote!! ") == "monowiregarrote"
    assert fold("Café CRÈME") == "cafecreme"
    assert fold("Straße") == "strasse"
    assert fold("ＣＯＭＢＡＴ") == "combat"  # fullwidth letters are compatibility forms
    assert fold("!!! ---") == ""
    assert words("XP Boost x1.25") == ("xp", "boost", "x1", "25")


@pytest.mark.parametrize("query", [
    "Mono-Wire Garrote", "mono wire garrote", "MONOWIRE-GARROTE", "monowire", "mono wire",
    "mono-w", "wire", "garrote", "wire garr", "mono garrote", "mono_wire_garrote",
    "Mönö-Wíre", "  mono   wire  ",
])
def test_the_ways_to_name_the_mono_wire_garrote(query: str) -> None:
    assert match_name(query, ITEMS) == "mono_wire_garrote"


def test_accents_and_case_never_matter() -> None:
    assert match_name("CÓMBAT KNÍFE", ITEMS) == "combat_knife"
    assert match_name("pénthouse", ITEMS) == "penthouse_suite"
    assert match_name("the DON", TITLES, "title") == "the_don"


def test_an_exact_name_beats_a_longer_one_it_starts() -> None:
    cands = [("long", "Vest Deluxe"), ("short", "Vest")]
    assert match_name("vest", cands) == "short"
    assert match_name("vest d", cands) == "long"


def test_the_start_of_the_name_beats_a_later_word() -> None:
    cands = [("pawn", "Pawn Shop"), ("keeper", "Shop Keeper")]
    assert match_name("shop", cands) == "keeper"
    assert match_name("pawn", cands) == "pawn"


def test_an_ambiguous_prefix_lists_the_candidates() -> None:
    with pytest.raises(TargetError) as err:
        match_name("co", ITEMS)
    assert err.value.message == "which one: Combat Knife, Coffin Motel?"
    with pytest.raises(TargetError) as err:
        match_name("knife", ITEMS)
    assert err.value.message == "which one: Rusty Knife, Combat Knife?"


def test_at_most_five_candidates_are_listed() -> None:
    with pytest.raises(TargetError) as err:
        match_name("s", TITLES, "title")
    listed = err.value.message.removeprefix("which one: ").removesuffix(", …?").split(", ")
    assert len(listed) == MAX_LISTED
    assert err.value.message.endswith(", …?")
    assert all(fold(name).startswith("s") for name in listed)


def test_nothing_matches() -> None:
    with pytest.raises(TargetError) as err:
        match_name("banana", ITEMS)
    assert err.value.message == "no item called banana"
    with pytest.raises(TargetError) as err:
        match_name("banana", TITLES, "title", hint="!titles lists yours")
    assert err.value.message == "no title called banana — !titles lists yours"
    with pytest.raises(TargetError) as err:
        match_name("!!!", ITEMS)  # folds to nothing: matches nothing, not everything
    assert err.value.message == "no item called !!!"
    with pytest.raises(TargetError):
        match_name("knife", [])


def test_a_key_under_two_names_is_one_candidate() -> None:
    cands = [("combat_knife", "Combat Knife"), ("combat_knife", "combat_knife"),
             ("rusty_knife", "Rusty Knife")]
    assert match_name("combat", cands) == "combat_knife"
    with pytest.raises(TargetError) as err:
        match_name("knife", cands)
    assert err.value.message == "which one: Combat Knife, Rusty Knife?"  # display names


def test_words_in_order_match_word_starts() -> None:
    assert match_name("xp x2", SUPPLIES, "supply") == "xp_boost_200"
    assert match_name("rob def x1.1", SUPPLIES, "supply") == "rob_defense_110"
    with pytest.raises(TargetError):
        match_name("garrote mono", ITEMS)  # out of order


def test_every_catalogue_name_resolves_to_itself() -> None:
    for domain in DOMAINS:
        for key, name in domain:
            assert match_name(name, domain) == key
            assert match_name(name.upper(), domain) == key


ACCENTS = ["\u0301", "\u0300", "\u0308", "\u0302", ""]


@st.composite
def mangled(draw: st.DrawFn) -> tuple[list[tuple[str, str]], str, str]:
    domain = draw(st.sampled_from(DOMAINS))
    key, name = draw(st.sampled_from(domain))
    out = []
    for ch in name:
        if ch.isalpha():
            ch = ch.upper() if draw(st.booleans()) else ch.lower()
            ch += draw(st.sampled_from(ACCENTS))
        out.append(ch)
        out.append(draw(st.sampled_from(["", "", "", " ", "-", ".", "_", "  "])))
    return domain, key, "".join(out)


@given(mangled())
def test_case_accents_and_punctuation_never_change_the_answer(
    case: tuple[list[tuple[str, str]], str, str],
) -> None:
    domain, key, query = case
    assert match_name(query, domain) == key


@given(st.sampled_from(DOMAINS).flatmap(
    lambda d: st.tuples(st.just(d), st.sampled_from(d), st.integers(1, 40))))
def test_any_start_of_a_name_matches_it_or_asks_which(
    case: tuple[list[tuple[str, str]], tuple[str, str], int],
) -> None:
    domain, (key, name), length = case
    query = fold(name)[:length]
    try:
        found = match_name(query, domain)
    except TargetError as err:
        assert err.message.startswith("which one: ")
        listed = err.message.removeprefix("which one: ").rstrip("?").removesuffix(", …")
        assert all(query in fold(n) for n in listed.split(", "))
    else:
        assert query in fold(dict(domain)[found])
        if query == fold(name):
            assert found == key
