from __future__ import annotations

import copy
import random
import re
import tomllib
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game import heists
from game.catalogue import ITEM_TIERS
from game.heists import (
    HEIST_KINDS,
    KINDS,
    RECENT_WINDOW,
    HeistKind,
    Puzzle,
    is_correct,
    make_puzzle,
    normalize_answer,
    pools,
)
from tests.game.test_crates import DRAWS, assert_matches

CODE = re.compile(r"^[A-HJ-NP-Z]{3}-\d{3}$")
MATH = re.compile(r"^(\d+) ([×+÷]) (\d+)(?: \+ (\d+))?$")
seeds = st.integers(0, 2**32)
kinds = st.sampled_from(HEIST_KINDS)
POOL_KINDS: tuple[HeistKind, ...] = ("grab", "scramble", "riddle", "trivia")


def raw_doc() -> dict[str, Any]:
    text = resources.files("game.content").joinpath("heists.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def pool_keys(kind: HeistKind) -> list[str]:
    return [e.key for e in getattr(pools(), kind)]


def puzzle_of(kind: HeistKind, key: str, seed: int = 0) -> Puzzle:
    """The puzzle of one pool entry: every other key is recent."""
    recent = set(pool_keys(kind)) - {key}
    puzzle = make_puzzle(kind, random.Random(seed), recent)
    assert puzzle.content_key == key
    return puzzle


# --- the numbers ---------------------------------------------------------------------------


def test_the_kinds_carry_game_md_numbers() -> None:
    assert tuple(KINDS) == HEIST_KINDS
    assert {k: r.chance for k, r in KINDS.items()} == {
        "grab": Decimal(25), "code": Decimal(25), "trivia": Decimal("17.5"),
        "scramble": Decimal("17.5"), "riddle": Decimal("7.5"), "math": Decimal("7.5")}
    assert {k: r.time_limit_s for k, r in KINDS.items()} == {
        "grab": 45, "code": 45, "trivia": 90, "scramble": 90, "riddle": 120, "math": 120}
    odds = {k: tuple(r.odds[t] for t in ITEM_TIERS) for k, r in KINDS.items()}
    assert odds["grab"] == (70, 25, 5, 0)
    assert odds["trivia"] == (50, 35, 13, 2)
    assert odds["riddle"] == (30, 40, 25, 5)
    # GAME.md is silent: each takes the odds of the kind with its chance and time limit
    assert odds["code"] == odds["grab"]
    assert odds["scramble"] == odds["trivia"]
    assert odds["math"] == odds["riddle"]
    assert heists.MAX_ANSWERS_PER_PLAYER == 5
    assert RECENT_WINDOW == 10


def test_choose_kind_follows_the_chances() -> None:
    rng = random.Random(7)
    counts = Counter(heists.choose_kind(rng) for _ in range(DRAWS))
    assert_matches(counts, {k: int(r.chance * 10) for k, r in KINDS.items()})


@pytest.mark.parametrize("kind", HEIST_KINDS)
def test_crate_tier_follows_the_kinds_odds(kind: HeistKind) -> None:
    rng = random.Random(11)
    counts = Counter(heists.crate_tier(kind, rng) for _ in range(DRAWS))
    assert_matches(counts, dict(KINDS[kind].odds))


# --- the pools -----------------------------------------------------------------------------


def test_every_pool_meets_its_minimum_size() -> None:
    p = pools()
    assert (len(p.grab), len(p.scramble), len(p.riddle), len(p.trivia)) >= (30, 25, 25, 50)
    assert len(p.grab) >= 30 and len(p.scramble) >= 25
    assert len(p.riddle) >= 25 and len(p.trivia) >= 50


def test_pool_entries_have_the_promised_shape() -> None:
    p = pools()
    assert all(2 <= len(g.text.split()) <= 5 for g in p.grab)
    assert all(re.fullmatch(r"[a-z]{5,10}", w.word) for w in p.scramble)
    assert all(1 <= len(q.answer.split()) <= 2 for q in p.riddle)
    assert all(1 <= len(q.answer.split()) <= 3 for q in p.trivia)  # a word, name or number
    assert pools() is pools()  # loaded once


@pytest.mark.parametrize("kind", POOL_KINDS)
def test_every_entry_wins_with_its_own_answers(kind: HeistKind) -> None:
    for key in pool_keys(kind):
        puzzle = puzzle_of(kind, key)
        assert puzzle.accepted[0] == normalize_answer(puzzle.answer)
        for form in (puzzle.answer, *puzzle.accepted):
            assert is_correct(kind, puzzle.accepted, form), (key, form)
            assert is_correct(kind, puzzle.accepted, f"!grab {form}"), (key, form)
            assert is_correct(kind, puzzle.accepted, f"  {form.upper()}!  "), (key, form)
        assert len(puzzle.prompt) <= 300 and len(heists.timeout_text(puzzle)) <= 300


def test_no_two_entries_of_a_kind_accept_each_others_answers() -> None:
    """Riddles and trivia whose answers collide would still work, but a phrase or word that
    two keys share would defeat the "no repeat" rule."""
    p = pools()
    assert len({g.text for g in p.grab}) == len(p.grab)
    assert len({w.word for w in p.scramble}) == len(p.scramble)
    assert len({q.question for q in p.trivia}) == len(p.trivia)
    assert len({q.question for q in p.riddle}) == len(p.riddle)


# --- no repeats ----------------------------------------------------------------------------


@given(st.sampled_from(POOL_KINDS), st.data(), seeds)
def test_pool_content_avoids_the_recent_keys(kind: HeistKind, data: st.DataObject,
                                             seed: int) -> None:
    keys = pool_keys(kind)
    recent = data.draw(st.sets(st.sampled_from(keys), max_size=RECENT_WINDOW))
    puzzle = make_puzzle(kind, random.Random(seed), recent)
    assert puzzle.content_key in keys and puzzle.content_key not in recent


@given(st.sampled_from(POOL_KINDS), seeds)
def test_when_everything_is_recent_any_entry_comes(kind: HeistKind, seed: int) -> None:
    keys = pool_keys(kind)
    assert make_puzzle(kind, random.Random(seed), set(keys)).content_key in keys


@given(st.sampled_from(("code", "math")), seeds)
def test_generated_content_avoids_the_recent_keys(kind: HeistKind, seed: int) -> None:
    first = make_puzzle(kind, random.Random(seed))
    again = make_puzzle(kind, random.Random(seed), {first.content_key})
    assert again.content_key != first.content_key


def test_a_window_of_ten_never_repeats_over_many_heists() -> None:
    rng = random.Random(5)
    for kind in HEIST_KINDS:
        history: list[str] = []
        for _ in range(300):
            puzzle = make_puzzle(kind, rng, history[-RECENT_WINDOW:])
            assert puzzle.content_key not in history[-RECENT_WINDOW:]
            history.append(puzzle.content_key)


# --- generated puzzles ---------------------------------------------------------------------


@given(seeds)
def test_codes_have_the_format(seed: int) -> None:
    puzzle = make_puzzle("code", random.Random(seed))
    assert CODE.match(puzzle.answer)
    assert puzzle.content_key == puzzle.answer and puzzle.accepted == (puzzle.answer,)
    assert puzzle.answer in puzzle.prompt and "(45 s)" in puzzle.prompt


def test_codes_use_every_allowed_letter_and_never_i_or_o() -> None:
    rng = random.Random(3)
    letters = Counter("".join(heists.make_code(rng)[:3] for _ in range(5000)))
    assert set(letters) == set(heists.CODE_LETTERS) and not {"I", "O"} & set(letters)


def evaluate(expression: str) -> Fraction:
    found = MATH.match(expression)
    assert found, expression
    a, op, b, c = found.groups()
    value = {"×": Fraction(int(a) * int(b)), "+": Fraction(int(a) + int(b)),
             "÷": Fraction(int(a), int(b))}[op]
    if c is not None:
        assert op == "×"
        value += int(c)
    return value


@given(seeds)
def test_math_answers_are_whole_and_right(seed: int) -> None:
    puzzle = make_puzzle("math", random.Random(seed))
    value = evaluate(puzzle.content_key)
    assert value.denominator == 1 and str(value.numerator) == puzzle.answer
    assert puzzle.accepted == (puzzle.answer,) and f"{puzzle.content_key} = ?" in puzzle.prompt


def test_math_comes_in_the_four_forms_with_clean_division() -> None:
    rng = random.Random(9)
    forms: Counter[str] = Counter()
    for _ in range(4000):
        expression, answer = heists.make_math(rng)
        a, op, b, c = MATH.match(expression).groups()  # type: ignore[union-attr]
        forms["×+" if c else op] += 1
        if op == "÷":
            assert int(b) >= 2 and int(a) % int(b) == 0 and int(a) // int(b) == answer
        assert evaluate(expression) == answer
    assert set(forms) == {"×", "+", "÷", "×+"}
    assert all(800 <= n <= 1200 for n in forms.values())  # uniform: 1000 each


@given(st.sampled_from(tuple(w.word for w in pools().scramble)), seeds)
def test_a_scramble_is_a_different_permutation(word: str, seed: int) -> None:
    mixed = heists.scramble(word, random.Random(seed))
    assert mixed != word and sorted(mixed) == sorted(word)


@given(st.text(alphabet="ab", min_size=2, max_size=10).filter(lambda w: len(set(w)) == 2),
       seeds)
def test_a_scramble_of_repeated_letters_still_differs(word: str, seed: int) -> None:
    mixed = heists.scramble(word, random.Random(seed))
    assert mixed != word and sorted(mixed) == sorted(word)


def test_a_scramble_that_keeps_coming_out_equal_falls_back_to_a_rotation() -> None:
    class Stuck(random.Random):
        def shuffle(self, x: Any) -> None:
            pass

    assert heists.scramble("vault", Stuck()) == "aultv"


@given(seeds)
def test_the_scramble_prompt_shows_the_scrambled_word(seed: int) -> None:
    puzzle = make_puzzle("scramble", random.Random(seed))
    shown = re.search(r": ([A-Z]+) \(90 s\)$", puzzle.prompt)
    assert shown and shown.group(1) != puzzle.answer.upper()
    assert sorted(shown.group(1).lower()) == sorted(puzzle.answer)


# --- matching ------------------------------------------------------------------------------


@pytest.mark.parametrize(("message", "wins"), [
    ("Eiffel Tower", True), ("the eiffel tower", True), ("THE EIFFEL-TOWER!!", True),
    ("  eiffel   tower  ", True), ("eiffeltower", True), ("!grab The Eiffel Tower", True),
    ("!GRAB eiffel tower", True), ("Éiffel Tówer", True), ("an eiffel tower", True),
    ("eiffel tower\U000e0000", True), ("eiffel\u200b tower", True),
    ("eiffel", False), ("tower eiffel", False), ("eiffel tower paris", False),
    ("the eiffel tower, the louvre", False), ("!grabeiffel tower", False), ("", False),
    ("!grab", False), ("the", False),
])
def test_text_answers_are_normalized(message: str, wins: bool) -> None:
    assert is_correct("trivia", (normalize_answer("The Eiffel Tower"),), message) is wins


def test_normalize_answer() -> None:
    assert normalize_answer("The Eiffel Tower") == normalize_answer("eiffel tower")
    assert normalize_answer("  !grab  Crème  Brûlée?! ") == "creme brulee"
    assert normalize_answer("The") == "the"  # a lone article is the answer itself
    assert normalize_answer("A b") == "b"
    assert normalize_answer("!!!") == ""


def test_several_guesses_never_win() -> None:
    assert not is_correct("trivia", ("paris",), "paris london")
    assert not is_correct("trivia", ("paris",), "london, paris")
    assert not is_correct("riddle", ("piano", "keyboard"), "piano keyboard")
    assert not is_correct("code", ("ABC-123",), "ABC-123 XYZ-456")
    assert not is_correct("code", ("ABC-123",), "ABC-123, ABC-123")
    assert not is_correct("math", ("42",), "41 42")
    assert not is_correct("math", ("42",), "42 42")


@pytest.mark.parametrize(("message", "wins"), [
    ("ABC-123", True), ("abc-123", True), ("  AbC-123 ", True), ("!grab abc-123", True),
    ("ABC-124", False), ("ABD-123", False), ("ABC123", False), ("ABC 123", False),
    ("ABC-123!", False), ("ABC–123", False), ("ＡＢＣ-123", False), ("ABC-1234", False),
])
def test_codes_are_exact_but_lowercase_is_allowed(message: str, wins: bool) -> None:
    assert is_correct("code", ("ABC-123",), message) is wins


def test_a_code_only_uppercases_ascii() -> None:
    # "ſ" (long s) uppercases to "S": the letters typed must be the code's own
    assert not is_correct("code", ("SAB-123",), "ſab-123")


@pytest.mark.parametrize(("message", "wins"), [
    ("42", True), ("42.0", True), (" 42 ", True), ("+42", True), ("!grab 42", True),
    ("042", True), ("42.", True),
    ("4 2", False), ("42 43", False), ("forty-two", False), ("4.2e1", False), ("43", False),
    ("42!", False), ("4_2", False), ("٤٢", False), ("42.5", False), ("-42", False), ("", False),
    ("nan", False),
])
def test_math_answers_are_numeric(message: str, wins: bool) -> None:
    assert is_correct("math", ("42",), message) is wins


@given(st.text(max_size=30))
@settings(max_examples=300)
def test_judging_never_raises(message: str) -> None:
    for kind in HEIST_KINDS:
        is_correct(kind, ("42",), message)


# --- texts ---------------------------------------------------------------------------------


def test_the_announcement_and_result_lines() -> None:
    puzzle = puzzle_of("grab", "grab-01")
    assert puzzle.prompt == ("🚨 HEIST! First to type the phrase wins a crate: "
                             "crack the vault (45 s)")
    assert heists.timeout_text(puzzle) == (
        "⏰ the heist is over — nobody cracked it. The answer was: crack the vault")
    assert heists.win_text("bob", puzzle, "uncommon") == (
        "🏆 @bob cracked the heist (answer: crack the vault) and wins an uncommon crate!")
    assert heists.win_text("@bob", puzzle, "rare").startswith("🏆 @bob cracked")
    assert "wins a rare crate!" in heists.win_text("bob", puzzle, "rare")


@given(kinds, seeds)
def test_every_puzzle_announces_its_time_limit(kind: HeistKind, seed: int) -> None:
    puzzle = make_puzzle(kind, random.Random(seed))
    assert puzzle.kind == kind
    assert puzzle.prompt.startswith("🚨 HEIST! ")
    assert puzzle.prompt.endswith(f"({KINDS[kind].time_limit_s} s)")
    assert is_correct(kind, puzzle.accepted, puzzle.answer)
    assert len(heists.win_text("x" * 25, puzzle, "legendary")) <= 500


# --- the loader ----------------------------------------------------------------------------


def test_the_shipped_file_builds() -> None:
    assert heists.build(raw_doc()) == heists.content()


def broken(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(raw_doc())
    change(doc)
    return doc


BROKEN = {
    "duplicate key": lambda d: d["pool"]["grab"].append(dict(d["pool"]["grab"][0])),
    "empty phrase": lambda d: d["pool"]["grab"][0].update(text=""),
    "spaced phrase": lambda d: d["pool"]["grab"][0].update(text=" crack the vault"),
    "one-word phrase": lambda d: d["pool"]["grab"][0].update(text="vault"),
    "long phrase": lambda d: d["pool"]["grab"][0].update(text="a b c d e f"),
    "empty answer": lambda d: d["pool"]["trivia"][0].update(answer=""),
    "punctuation answer": lambda d: d["pool"]["trivia"][0].update(answer="?!"),
    "punctuation alternative": lambda d: d["pool"]["riddle"][0].update(also=["..."]),
    "also not a list": lambda d: d["pool"]["riddle"][0].update(also="keyboard"),
    "empty question": lambda d: d["pool"]["riddle"][0].update(question=""),
    "unknown field": lambda d: d["pool"]["riddle"][0].update(aslo=["x"]),
    "same letters": lambda d: d["pool"]["scramble"][0].update(word="aaaaa"),
    "short word": lambda d: d["pool"]["scramble"][0].update(word="safe"),
    "two words": lambda d: d["pool"]["scramble"][0].update(word="get away"),
    "small pool": lambda d: d["pool"].update(riddle=d["pool"]["riddle"][:RECENT_WINDOW]),
    "missing pool": lambda d: d["pool"].pop("trivia"),
    "chances not 100": lambda d: d["kind"]["grab"].update(chance="26"),
    "float chance": lambda d: d["kind"]["trivia"].update(chance=17.5),
    "bad chance": lambda d: d["kind"]["trivia"].update(chance="lots"),
    "fine chance": lambda d: (d["kind"]["riddle"].update(chance="7.55"),
                              d["kind"]["math"].update(chance="7.45")),
    "odds not 100": lambda d: d["kind"]["riddle"]["odds"].update(legendary=6),
    "missing tier": lambda d: d["kind"]["riddle"]["odds"].pop("legendary"),
    "zero time": lambda d: d["kind"]["code"].update(time_limit_s=0),
    "missing kind": lambda d: d["kind"].pop("math"),
    "extra kind": lambda d: d["kind"].update(dice=d["kind"]["math"]),
}


@pytest.mark.parametrize("name", BROKEN)
def test_the_loader_rejects_a_broken_file(name: str) -> None:
    with pytest.raises(ValueError):
        heists.build(broken(BROKEN[name]))
