from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game.levels import level_for_xp, progress, total_xp_for_level, xp_to_next
from game.rules import DEFAULT_RULES, Tier


def test_xp_curve_matches_the_rulebook() -> None:
    assert xp_to_next(1) == 100
    assert xp_to_next(2) == 125
    assert xp_to_next(3) == 156  # floor(100 * 1.25**2)
    assert total_xp_for_level(1) == 0
    assert total_xp_for_level(2) == 100
    assert total_xp_for_level(3) == 225


def test_tiers_by_level() -> None:
    cases = {1: Tier.PUNK, 19: Tier.PUNK, 20: Tier.ASSOCIATE, 39: Tier.ASSOCIATE,
             40: Tier.SOLDIER, 60: Tier.CAPTAIN, 80: Tier.UNDERBOSS, 99: Tier.UNDERBOSS,
             100: Tier.KINGPIN, 200: Tier.KINGPIN}
    for level, tier in cases.items():
        assert DEFAULT_RULES.tier_for_level(level) == tier


@given(st.integers(min_value=0, max_value=10**40))
def test_level_is_within_bounds_and_consistent(xp: int) -> None:
    level = level_for_xp(xp)
    assert 1 <= level <= DEFAULT_RULES.level_cap
    assert total_xp_for_level(level) <= xp
    if level < DEFAULT_RULES.level_cap:
        assert xp < total_xp_for_level(level + 1)


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_level_never_drops_when_xp_grows(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert level_for_xp(low) <= level_for_xp(high)
    prog = progress(low, high)
    assert prog.level_after >= prog.level_before


def test_level_up_and_tier_up_are_detected() -> None:
    assert progress(99, 100).leveled_up
    tier_up = progress(0, total_xp_for_level(20))
    assert tier_up.tier_changed and tier_up.tier_after == Tier.ASSOCIATE


def test_a_promotion_says_a_or_an() -> None:
    from game.levels import Progress, progress_text
    from game.rules import Tier

    up = progress_text("alice", Progress(19, 21, Tier(0), Tier(1)))
    assert up is not None and "is now an Associate!" in up, up
