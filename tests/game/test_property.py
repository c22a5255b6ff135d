from __future__ import annotations

import math
import random
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import property as prop
from game.catalogue import InsurancePlan, Item, catalogue
from game.errors import NotAllowed
from game.rules import DEFAULT_RULES, Rules

CAT = catalogue()
BUSINESSES = CAT.items_of("business")
HOUSING = CAT.items_of("housing")
PLANS = list(CAT.plans.values())
CAP = DEFAULT_RULES.business_daily_cap
seeds = st.integers(min_value=0, max_value=2**32)
factors = st.decimals(min_value=0, max_value=20, places=3)


class Recording(random.Random):
    """A seeded rng that remembers its randint draws."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.draws: list[int] = []

    def randint(self, a: int, b: int) -> int:
        value = super().randint(a, b)
        self.draws.append(value)
        return value


class Fixed:
    def __init__(self, *values: int) -> None:
        self.values = list(values)

    def randint(self, a: int, b: int) -> int:
        value = self.values.pop(0)
        assert a <= value <= b
        return value


# --- businesses ----------------------------------------------------------------------------


def test_a_payout_is_an_eighth_of_the_day_with_variance_and_the_factor() -> None:
    cart = CAT.items["food_cart"]  # revenue 1,000–2,500, cost 500
    # (2,500 × 1.2 − 500) / 8 = 312.5
    assert prop.business_payout(cart, Fixed(2500, 2000), Decimal(1), 0) == 312
    # × 1.5 (the Juicernaut) = 468.75
    assert prop.business_payout(cart, Fixed(2500, 2000), Decimal("1.5"), 0) == 468
    # (1,000 × 0.8 − 500) / 8 = 37.5
    assert prop.business_payout(cart, Fixed(1000, -2000), Decimal(1), 0) == 37
    casino = CAT.items["underground_casino"]  # 15,000–30,000, cost 8,000
    # (30,000 × 1.2 − 8,000) / 8 × 1.5 × 1.25 × 1.1 = 7,218.75
    factor = Decimal("1.5") * Decimal("1.25") * Decimal("1.1")
    assert prop.business_payout(casino, Fixed(30000, 2000), factor, 0) == 7218


def test_a_payout_never_goes_below_zero() -> None:
    rules = Rules(business_variance=Decimal("0.9"))
    cart = CAT.items["food_cart"]  # (1,000 × 0.1 − 500) / 8 < 0
    assert prop.business_payout(cart, Fixed(1000, -9000), Decimal(1), 0, rules) == 0


@given(st.sampled_from(BUSINESSES), seeds, factors, st.integers(0, 2 * CAP))
def test_payout_is_exact_and_within_bounds(
    item: Item, seed: int, factor: Decimal, paid_today: int,
) -> None:
    rng = Recording(seed)
    got = prop.business_payout(item, rng, factor, paid_today)
    revenue, variance = rng.draws
    low, high = item.revenue
    assert low <= revenue <= high
    assert -2000 <= variance <= 2000
    exact = ((Fraction(revenue) * (1 + Fraction(variance, 10_000)) - item.operating_cost)
             / 8 * Fraction(factor))
    assert got == min(max(0, math.floor(exact)), max(0, CAP - paid_today))
    assert got >= 0
    assert paid_today + got <= max(paid_today, CAP)


@given(st.sampled_from(BUSINESSES), seeds, factors)
def test_a_days_payouts_never_pass_the_cap(item: Item, seed: int, factor: Decimal) -> None:
    rng = random.Random(seed)
    paid = 0
    for _ in range(DEFAULT_RULES.business_payouts_per_day):
        paid += prop.business_payout(item, rng, factor, paid)
        assert 0 <= paid <= CAP


def test_a_big_earner_is_stopped_exactly_at_the_cap() -> None:
    casino = CAT.items["underground_casino"]
    rng = random.Random(7)
    payouts: list[int] = []
    for _ in range(8):
        payouts.append(prop.business_payout(casino, rng, Decimal(20), sum(payouts)))
    assert sum(payouts) == CAP
    assert payouts[-1] == 0


def test_only_businesses_pay_out() -> None:
    with pytest.raises(ValueError):
        prop.business_payout(HOUSING[0], random.Random(1), Decimal(1), 0)
    with pytest.raises(ValueError):
        prop.business_payout(BUSINESSES[0], random.Random(1), Decimal(-1), 0)


def test_payouts_come_every_three_hours() -> None:
    assert prop.payout_interval() == timedelta(hours=3)


# --- housing upkeep ------------------------------------------------------------------------


def test_upkeep_paid_clears_the_debt() -> None:
    loft = CAT.items["downtown_loft"]  # 800 a day
    assert prop.upkeep(loft, 800, 5) == prop.UpkeepOutcome(800, 0, False, False)
    assert prop.upkeep(loft, 10_000, 0) == prop.UpkeepOutcome(800, 0, False, False)


def test_upkeep_unpaid_is_all_or_nothing() -> None:
    loft = CAT.items["downtown_loft"]
    assert prop.upkeep(loft, 799, 0) == prop.UpkeepOutcome(0, 1, False, False)
    assert prop.upkeep(loft, 0, 1) == prop.UpkeepOutcome(0, 2, False, False)
    assert prop.upkeep(loft, 0, 2) == prop.UpkeepOutcome(0, 3, False, True)
    assert prop.upkeep(loft, 0, 5) == prop.UpkeepOutcome(0, 6, False, True)
    assert prop.upkeep(loft, 0, 6) == prop.UpkeepOutcome(0, 0, True, False)  # evicted


@given(st.sampled_from(HOUSING), st.lists(st.booleans(), max_size=40))
def test_debt_counts_unpaid_days_and_evicts_on_the_seventh(
    item: Item, can_pay: list[bool],
) -> None:
    debt = streak = 0
    for pays in can_pay:
        wealth = item.upkeep + 10 if pays else item.upkeep - 1
        out = prop.upkeep(item, wealth, debt)
        streak = 0 if pays else streak + 1
        assert out.charged in (0, item.upkeep) and out.charged <= wealth
        assert (out.charged == item.upkeep) == pays
        assert out.evicted == (streak == 7)
        if out.evicted:
            streak = 0
        assert out.debt_days == streak
        assert out.debuffed == (streak >= 3)
        debt = out.debt_days


def test_eviction_follows_the_rules() -> None:
    rules = Rules(debt_debuff_days=1, debt_evict_days=2)
    motel = CAT.items["coffin_motel"]
    assert prop.upkeep(motel, 0, 0, rules) == prop.UpkeepOutcome(0, 1, False, True)
    assert prop.upkeep(motel, 0, 1, rules).evicted
    assert prop.debt_debuffed(3) and not prop.debt_debuffed(2)


def test_only_housing_has_upkeep() -> None:
    with pytest.raises(ValueError):
        prop.upkeep(BUSINESSES[0], 10**6, 0)


# --- insurance -----------------------------------------------------------------------------


@given(st.sampled_from(PLANS), st.integers(-100, 100_000))
def test_a_premium_is_paid_in_full_or_the_plan_is_dropped(
    plan: InsurancePlan, wealth: int,
) -> None:
    out = prop.premium(plan, wealth)
    if wealth >= plan.premium:
        assert out == prop.PremiumOutcome(plan.premium, False)
    else:
        assert out == prop.PremiumOutcome(0, True)


def test_premium_examples() -> None:
    platinum = CAT.plans["platinum"]
    assert prop.premium(platinum, 50_000) == prop.PremiumOutcome(50_000, False)
    assert prop.premium(platinum, 49_999) == prop.PremiumOutcome(0, True)


def test_insuring_charges_the_first_day() -> None:
    basic, standard = CAT.plans["basic"], CAT.plans["standard"]
    assert prop.check_insure(basic, None, 1_000) == 1_000
    assert prop.check_insure(standard, "basic", 5_000) == 5_000
    with pytest.raises(NotAllowed) as err:
        prop.check_insure(basic, "basic", 10**6)
    assert err.value.message == "you're already on the Basic plan"
    with pytest.raises(NotAllowed) as err:
        prop.check_insure(standard, None, 4_999)
    assert err.value.message == "the Standard plan costs $5,000 a day — you have $4,999"
