from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from game.modifiers import NO_MODIFIERS, Modifiers, business_factor, play_rewards, rob_xp
from game.rules import DEFAULT_RULES, floor_share

D = Decimal
# shares as the content and the factions data write them: a few decimal places
buffs = st.sampled_from([D(1), D("1.05"), D("1.10"), D("1.25"), D("1.5"), D(2)])
fractions_ = st.sampled_from([D(0), D("0.05"), D("0.10"), D("0.15"), D("0.20"), D("0.35")])
amounts = st.integers(0, 10**9)


def test_no_modifiers_change_nothing() -> None:
    assert play_rewards(12_345, 678, NO_MODIFIERS, DEFAULT_RULES) == (12_345, 678)
    assert rob_xp(50, NO_MODIFIERS) == 50
    assert business_factor(NO_MODIFIERS, DEFAULT_RULES) == 1
    assert NO_MODIFIERS.insurance == 0


def test_the_multiplier_order_of_game_md_worked_example() -> None:
    """$333 and 50 XP with Hustle ×1.10 and XP ×1.5 (consumables) → the crown (wealth ×1.25,
    XP ×2) → +5% wealth, +5% XP and Freeport's +15% all (territories) → 3 debt days (×0.8
    wealth): one floor of the exact product."""
    mods = Modifiers(play_wealth=D("1.10"), xp=D("1.5"), juicernaut=True,
                     territory_wealth=D("0.05"), territory_xp=D("0.05"),
                     territory_all=D("0.15"), debt_days=3)
    # 333 × 1.1 = 366.3 → × 1.25 = 457.875 → × 1.20 = 549.45 → × 0.8 = 439.56
    # 50 × 1.5 = 75 → × 2 = 150 → × 1.20 = 180 (debt does not touch XP)
    assert play_rewards(333, 50, mods, DEFAULT_RULES) == (439, 180)
    # flooring after each step would lose a dollar: 366 → 457 → 548 → 438
    stepwise = 333
    for factor in (D("1.1"), D("1.25"), D("1.2"), D("0.8")):
        stepwise = floor_share(stepwise, factor)
    assert stepwise == 438


def test_a_float_product_would_be_wrong_where_play_rewards_is_exact() -> None:
    # 600 × 1.1 × 1.15 = 759 exactly; the float product is 758.999…
    mods = Modifiers(play_wealth=D("1.1"), territory_all=D("0.15"))
    assert math.floor(600 * 1.1 * 1.15) == 758
    assert play_rewards(600, 100, mods, DEFAULT_RULES) == (759, 115)  # 100 × 1.15: not 114
    assert math.floor(100 * 1.15) == 114


def test_the_debt_debuff_starts_at_three_days_and_touches_only_wealth() -> None:
    rules = DEFAULT_RULES
    for days, expected in ((0, 1_000), (1, 1_000), (2, 1_000), (3, 800), (6, 800), (30, 800)):
        assert play_rewards(1_000, 100, Modifiers(debt_days=days), rules) == (expected, 100)


def reference_play(wealth: int, xp: int, m: Modifiers) -> tuple[int, int]:
    """GAME.md's chain in exact rationals, written out independently of play_rewards."""
    w = Fraction(wealth) * Fraction(m.play_wealth)
    x = Fraction(xp) * Fraction(m.xp)
    if m.juicernaut:
        w, x = w * Fraction(5, 4), x * 2
    w *= 1 + Fraction(m.territory_wealth) + Fraction(m.territory_all)
    x *= 1 + Fraction(m.territory_xp) + Fraction(m.territory_all)
    if m.debt_days >= 3:
        w *= Fraction(4, 5)
    return math.floor(w), math.floor(x)


@given(amounts, st.integers(0, 10**6), buffs, buffs, st.booleans(), fractions_, fractions_,
       fractions_, st.integers(0, 10))
@example(333, 50, D("1.10"), D("1.5"), True, D("0.05"), D("0.05"), D("0.15"), 3)
def test_play_rewards_is_one_exact_floor_in_game_md_order(
    wealth: int, xp: int, wealth_buff: Decimal, xp_buff: Decimal, crowned: bool,
    t_wealth: Decimal, t_xp: Decimal, t_all: Decimal, debt: int,
) -> None:
    mods = Modifiers(play_wealth=wealth_buff, xp=xp_buff, juicernaut=crowned,
                     territory_wealth=t_wealth, territory_xp=t_xp, territory_all=t_all,
                     debt_days=debt)
    assert play_rewards(wealth, xp, mods, DEFAULT_RULES) == reference_play(wealth, xp, mods)


@given(buffs, buffs, st.booleans(), fractions_, st.integers(0, 10))
def test_play_rewards_is_monotone_in_every_buff(
    a: Decimal, b: Decimal, crowned: bool, territory: Decimal, debt: int,
) -> None:
    low, high = sorted((a, b))
    lo = Modifiers(play_wealth=low, xp=low, juicernaut=crowned, territory_all=territory,
                   debt_days=debt)
    hi = Modifiers(play_wealth=high, xp=high, juicernaut=crowned, territory_all=territory,
                   debt_days=debt)
    w_lo, x_lo = play_rewards(9_999, 999, lo, DEFAULT_RULES)
    w_hi, x_hi = play_rewards(9_999, 999, hi, DEFAULT_RULES)
    assert w_lo <= w_hi and x_lo <= x_hi


def test_rob_xp_takes_the_xp_buffs_but_not_the_crown() -> None:
    assert rob_xp(50, Modifiers(xp=D("1.5"))) == 75
    assert rob_xp(10, Modifiers(xp=D("1.25"))) == 12  # floor(12.5)
    assert rob_xp(50, Modifiers(juicernaut=True)) == 50
    assert rob_xp(50, Modifiers(xp=D(2), territory_xp=D("0.10"), territory_all=D("0.15"))) == 125


def test_business_factor() -> None:
    mods = Modifiers(business=D("1.5"), juicernaut=True, territory_business=D("0.20"))
    assert business_factor(mods, DEFAULT_RULES) == D("2.7")  # 1.5 × 1.5 × 1.2
    assert business_factor(Modifiers(business=D("1.25")), DEFAULT_RULES) == D("1.25")
    assert floor_share(3_333, business_factor(mods, DEFAULT_RULES)) == 8_999  # 8,999.1


@given(fractions_, fractions_)
def test_insurance_is_the_better_of_housing_and_plan(housing: Decimal, plan: Decimal) -> None:
    assert Modifiers(housing_insurance=housing, plan_insurance=plan).insurance == max(housing,
                                                                                      plan)
