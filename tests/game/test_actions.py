from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from game import actions
from game.errors import CooldownActive, Jailed, TargetError
from game.rules import DEFAULT_RULES, PLAY_TABLE, Tier, floor_share

tiers = st.sampled_from(list(Tier))
wealths = st.integers(min_value=0, max_value=10**12)
seeds = st.integers(min_value=0, max_value=2**32)


@given(tiers, wealths, seeds)
def test_play_amounts_follow_the_tier_table(tier: Tier, wealth: int, seed: int) -> None:
    out = actions.resolve_play(tier, wealth, random.Random(seed))
    table = PLAY_TABLE[tier]
    if out.kind == "positive":
        assert table.positive_wealth[0] <= out.wealth_delta <= table.positive_wealth[1]
        assert table.positive_xp[0] <= out.xp_delta <= table.positive_xp[1]
    elif out.kind == "negative":
        assert -out.wealth_delta <= wealth  # a loss never exceeds current wealth
        assert -out.wealth_delta <= table.negative_wealth[1]
        assert out.xp_delta == 0
    else:
        assert (out.wealth_delta, out.xp_delta) == (0, 0)
    assert "{amount}" not in out.text


class Negative(random.Random):
    """Not busted, then a negative event; the rest as seeded."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.draws = iter((0.99, 0.0))

    def random(self) -> float:
        return next(self.draws, super().random())


@given(tiers, seeds)
def test_a_negative_play_with_nothing_to_lose_costs_nothing_and_says_so(
    tier: Tier, seed: int,
) -> None:
    out = actions.resolve_play(tier, 0, Negative(seed))
    assert out.kind == "negative" and (out.wealth_delta, out.xp_delta) == (0, 0)
    assert "$0" not in out.text and "{" not in out.text
    assert "nothing" in out.text


@given(tiers, st.integers(1, 10**12), seeds)
def test_a_negative_play_with_something_to_lose_says_how_much(
    tier: Tier, wealth: int, seed: int,
) -> None:
    out = actions.resolve_play(tier, wealth, Negative(seed))
    assert out.kind == "negative" and 0 < -out.wealth_delta <= wealth
    assert actions.money(-out.wealth_delta) in out.text


def test_play_odds_are_close_to_the_rulebook() -> None:
    rng = random.Random(7)
    kinds = [actions.resolve_play(Tier.PUNK, 1000, rng).kind for _ in range(40_000)]
    busted = kinds.count("busted") / len(kinds)
    negative = kinds.count("negative") / len(kinds)
    assert 0.04 < busted < 0.06
    assert 0.95 * 0.15 - 0.01 < negative < 0.95 * 0.15 + 0.01


@given(st.integers(1, 200), st.integers(1, 200),
       st.floats(0, 1), st.floats(0, 1), st.floats(0.5, 2), st.floats(0.5, 2))
def test_rob_chance_is_clamped(a: int, b: int, weapon: float, armor: float,
                               attack: float, defense: float) -> None:
    chance = actions.rob_chance(a, b, weapon, armor, attack, defense)
    assert 0.05 <= chance <= 0.95
    plain = actions.rob_chance(a, b, weapon, armor)
    assert 0.45 <= plain <= 0.85


def test_rob_chance_formula() -> None:
    assert actions.rob_chance(1, 1) == pytest.approx(0.60)
    assert actions.rob_chance(30, 1) == pytest.approx(0.70)  # level term capped at +0.10
    assert actions.rob_chance(1, 30) == pytest.approx(0.50)
    assert actions.rob_chance(1, 1, weapon=0.5) == pytest.approx(0.75)  # gear capped at 0.15


@given(st.integers(1, 200), st.integers(1, 200), st.integers(1, 10**12), seeds)
def test_rob_never_steals_more_than_the_target_has(a: int, b: int, wealth: int,
                                                   seed: int) -> None:
    out = actions.resolve_rob(a, b, wealth, random.Random(seed))
    assert 0 <= out.stolen <= wealth
    if out.success:
        assert out.stolen >= min(wealth, max(1, int(wealth * 0.08)))
        assert out.stolen <= max(1, int(wealth * 0.28))
        assert out.xp_delta == 50
    else:
        assert out.stolen == 0 and out.xp_delta == 10


def test_rob_targets_are_checked() -> None:
    with pytest.raises(TargetError):
        actions.check_rob_target(1, None, 100, "ghost")
    with pytest.raises(TargetError, match="yourself"):
        actions.check_rob_target(1, 1, 100, "me")
    with pytest.raises(TargetError, match="nothing"):
        actions.check_rob_target(1, 2, 0, "broke")
    actions.check_rob_target(1, 2, 1, "ok")


@given(wealths, tiers)
def test_bail_bounds(wealth: int, tier: Tier) -> None:
    cost = actions.bail_cost(wealth, tier)
    if wealth < 500:
        assert cost == 0
    else:
        assert 500 <= cost <= 100_000
        assert cost <= wealth  # bail is always affordable


BAIL_MULTIPLIERS = {Tier.PUNK: Fraction(1, 2), Tier.ASSOCIATE: Fraction(3, 4),
                    Tier.SOLDIER: Fraction(1), Tier.CAPTAIN: Fraction(5, 4),
                    Tier.UNDERBOSS: Fraction(3, 2), Tier.KINGPIN: Fraction(2)}


def exact_bail(wealth: int, tier: Tier) -> int:
    """GAME.md's bail, in exact rational arithmetic."""
    if wealth < 500:
        return 0
    return max(500, min(100_000, math.floor(wealth * Fraction(15, 100) * BAIL_MULTIPLIERS[tier])))


@settings(max_examples=2_000)
@given(st.integers(0, 2**63 - 1) | st.integers(0, 800_000), tiers)
@example(3_888, Tier.CAPTAIN)  # GAME.md: $729, never the float product's $728
@example(1_296, Tier.CAPTAIN)
def test_bail_is_exact_over_the_whole_range(wealth: int, tier: Tier) -> None:
    assert actions.bail_cost(wealth, tier) == exact_bail(wealth, tier)


def test_bail_is_exact_for_every_captain_wealth_up_to_the_cap() -> None:
    # the whole range where the float product used to lose $1 (4,455 values)
    wrong = [w for w in range(500, 700_000) if actions.bail_cost(w, Tier.CAPTAIN)
             != max(500, min(100_000, w * 15 * 5 // 400))]
    assert wrong == []


def test_money_shares_refuse_floats() -> None:
    assert floor_share(3_888, Decimal("0.15"), Decimal("1.25")) == 729
    with pytest.raises(TypeError):
        floor_share(3_888, 0.15)  # type: ignore[arg-type]


def test_bail_formula() -> None:
    assert actions.bail_cost(3_888, Tier.CAPTAIN) == 729
    assert actions.bail_cost(100_000, Tier.SOLDIER) == 15_000
    assert actions.bail_cost(100_000, Tier.PUNK) == 7_500
    assert actions.bail_cost(10**9, Tier.KINGPIN) == 100_000
    assert actions.bail_cost(600, Tier.PUNK) == 500


def test_jail_blocks_with_time_and_price() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(Jailed) as err:
        actions.check_not_jailed(now + timedelta(minutes=12), now, 8_000, Tier.SOLDIER)
    assert "12 min" in err.value.message and "$1,200" in err.value.message
    actions.check_not_jailed(now - timedelta(seconds=1), now, 8_000, Tier.SOLDIER)


def test_cooldown_guard() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(CooldownActive, match="30s"):
        actions.check_cooldown("play", now + timedelta(seconds=30), now)
    actions.check_cooldown("play", now, now)
    actions.check_cooldown("play", None, now)


def test_checkin_streaks_and_rewards() -> None:
    now = datetime(2026, 3, 10, 8, tzinfo=UTC)
    first = actions.resolve_checkin(None, 0, now)
    assert (first.streak, first.wealth_delta, first.xp_delta, first.crate) == (1, 200, 40, None)
    cont = actions.resolve_checkin(date(2026, 3, 9), 6, now)
    assert cont.streak == 7 and cont.crate == "uncommon"
    assert actions.resolve_checkin(date(2026, 3, 9), 27, now).crate == "legendary"
    capped = actions.resolve_checkin(date(2026, 3, 9), 99, now)
    assert capped.wealth_delta == 100 + 100 * 30 and capped.xp_delta == 20 + 20 * 30
    broken = actions.resolve_checkin(date(2026, 3, 7), 12, now)
    assert broken.streak == 1
    with pytest.raises(CooldownActive, match="16 h"):
        actions.resolve_checkin(date(2026, 3, 10), 3, now)


@settings(max_examples=50)
@given(st.integers(0, 300), seeds)
def test_chat_reward_at_most_once_per_minute(gap: int, seed: int) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    reward = actions.chat_reward(now - timedelta(seconds=gap), now, random.Random(seed))
    if gap < DEFAULT_RULES.chat_reward_interval_s:
        assert reward is None
    else:
        assert reward is not None and reward.wealth == 5 and 1 <= reward.xp <= 3
