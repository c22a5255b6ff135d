"""!config's pure part: parsing and bounds of the tunable numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.config import TUNABLES, parse_value, rules_with, show
from game.errors import UsageError
from game.rules import DEFAULT_RULES

NUMBERS = sorted(k for k, t in TUNABLES.items() if t.kind is not str)
CHOICES = sorted(k for k, t in TUNABLES.items() if t.kind is str)


@given(st.sampled_from(NUMBERS), st.data())
def test_every_value_in_bounds_is_accepted_and_applied(key: str, data: st.DataObject) -> None:
    t = TUNABLES[key]
    if t.kind is int:
        value = data.draw(st.integers(int(t.low), int(t.high)))
        raw = str(value)
    else:
        value = data.draw(st.decimals(t.low, t.high, places=3))
        raw = str(value)
    tunable, stored = parse_value(key, raw)
    rules = rules_with({key: stored})
    assert Decimal(str(getattr(rules, t.field))) == Decimal(str(value))
    assert show(tunable, rules).startswith(f"{key} = {stored}")


@given(st.sampled_from(NUMBERS), st.integers(1, 10**9))
def test_values_out_of_bounds_are_refused_with_the_range(key: str, over: int) -> None:
    t = TUNABLES[key]
    too_big = Decimal(t.high) + over
    with pytest.raises(UsageError, match=f"{key} takes .* from {t.low} to {t.high}"):
        parse_value(key, str(int(too_big) if t.kind is int else too_big))


@pytest.mark.parametrize("raw", ["", "abc", "-5", "1e9999", "nan", "inf", "1.5x"])
def test_unreadable_values_are_refused(raw: str) -> None:
    with pytest.raises(UsageError):
        parse_value("play.cooldown_s", raw)
    with pytest.raises(UsageError):
        parse_value("play.bust_chance", raw)


def test_unknown_keys_get_the_list_and_bad_rows_change_nothing() -> None:
    with pytest.raises(UsageError, match="keys: play.cooldown_s"):
        parse_value("wealth.free_money", "1")
    assert rules_with({"nope": 3, "play.cooldown_s": "lots"}) == DEFAULT_RULES


@given(st.sampled_from(CHOICES), st.data())
def test_a_choice_takes_its_words_in_any_case_and_nothing_else(key: str,
                                                              data: st.DataObject) -> None:
    t = TUNABLES[key]
    word = data.draw(st.sampled_from(t.choices))
    raw = data.draw(st.sampled_from([word, word.upper(), f"  {word.title()} "]))
    tunable, stored = parse_value(key, raw)
    assert stored == word
    assert getattr(rules_with({key: stored}), t.field) == word
    assert show(tunable, rules_with({key: stored})).startswith(f"{key} = {word}")
    other = data.draw(st.text(max_size=20).filter(lambda w: w.strip().lower() not in t.choices))
    with pytest.raises(UsageError, match=f"{key} takes one of {', '.join(t.choices)}"):
        parse_value(key, other)
    assert rules_with({key: other}) == DEFAULT_RULES  # a bad row changes nothing


def test_live_mode_is_free_unless_set() -> None:
    assert DEFAULT_RULES.live_mode == "free"
    _, stored = parse_value("economy.live_mode", "channel_points")
    assert rules_with({"economy.live_mode": stored}).live_mode == "channel_points"
    for refused in ("paid", "channelpoints", "channel points", "1"):
        with pytest.raises(UsageError, match="takes one of free, channel_points"):
            parse_value("economy.live_mode", refused)


def test_a_percentage_is_a_share() -> None:
    _, stored = parse_value("bail.share", "20%")
    assert rules_with({"bail.share": stored}).bail_share == Decimal("0.2")


def test_docs_rules_lists_every_tunable_with_its_default() -> None:
    from pathlib import Path

    from game.config import default_of

    text = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text()
    for t in TUNABLES.values():
        assert f"| `{t.key}` | {default_of(t)} |" in text, t.key
