"""The property cron jobs (GAME.md "Businesses, housing, insurance (cron)"): business
payouts every few hours, housing upkeep and insurance premiums once a day.

Money is exact: a payout's random variance is drawn as whole basis points, every product
is a ratio of integers, and one floor is taken at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Protocol

from game.catalogue import InsurancePlan, Item
from game.errors import NotAllowed
from game.replies import money
from game.rules import DEFAULT_RULES, Rules

BASIS_POINTS = 10_000


class Rng(Protocol):
    def randint(self, a: int, b: int) -> int: ...



# --- businesses ----------------------------------------------------------------------------


def payout_interval(rules: Rules = DEFAULT_RULES) -> timedelta:
    """How often the payout job runs: a day over ``business_payouts_per_day`` (3 h)."""
    return timedelta(days=1) / rules.business_payouts_per_day


def business_payout(item: Item, rng: Rng, factor: Decimal, paid_today: int,
                    rules: Rules = DEFAULT_RULES) -> int:
    """One payout of the equipped business ``item``:

    ``floor((revenue × (1 + v) − operating_cost) / payouts_per_day × factor)``, where the
    daily ``revenue`` is drawn uniformly from the item's range and ``v`` uniformly from
    ±``business_variance`` in whole basis points; ``factor`` is the product of the business
    buff, the Juicernaut's ×1.5 and the faction bonus. Never below 0, and at most what is
    left of ``business_daily_cap`` after ``paid_today`` (the player's payouts this UTC day).
    """
    if item.type != "business":
        raise ValueError(f"{item.key} is not a business")
    if factor < 0:
        raise ValueError("a business factor is not negative")
    low, high = item.revenue
    revenue = rng.randint(low, high)
    spread = int(rules.business_variance * BASIS_POINTS)
    variance = rng.randint(-spread, spread)
    top, bottom = factor.as_integer_ratio()
    numerator = (revenue * (BASIS_POINTS + variance) - item.operating_cost * BASIS_POINTS) * top
    denominator = BASIS_POINTS * rules.business_payouts_per_day * bottom
    payout = max(0, numerator // denominator)
    return min(payout, max(0, rules.business_daily_cap - paid_today))


# --- housing upkeep ------------------------------------------------------------------------


@dataclass(frozen=True)
class UpkeepOutcome:
    charged: int
    debt_days: int
    evicted: bool   # the housing is unequipped today (the player is told)
    debuffed: bool  # the play-wealth debt debuff applies (debt_days ≥ debt_debuff_days)


def debt_debuffed(debt_days: int, rules: Rules = DEFAULT_RULES) -> bool:
    return debt_days >= rules.debt_debuff_days


def upkeep(item: Item, wealth: int, debt_days: int,
           rules: Rules = DEFAULT_RULES) -> UpkeepOutcome:
    """The daily upkeep of the equipped housing ``item``. All or nothing: a player who can
    pay it is charged it and their debt is cleared; one who cannot is charged nothing and
    owes one more day. At ``debt_evict_days`` the housing is unequipped (it stays in the
    inventory) and that writes the debt off: debt days back to 0, the debuff lifted."""
    if item.type != "housing":
        raise ValueError(f"{item.key} is not housing")
    if wealth >= item.upkeep:
        return UpkeepOutcome(item.upkeep, 0, False, False)
    days = debt_days + 1
    if days >= rules.debt_evict_days:
        return UpkeepOutcome(0, 0, True, False)
    return UpkeepOutcome(0, days, False, debt_debuffed(days, rules))


# --- insurance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PremiumOutcome:
    charged: int
    dropped: bool  # unpaid: the plan ends (the player is told)


def premium(plan: InsurancePlan, wealth: int) -> PremiumOutcome:
    """The daily premium of ``plan``: charged in full, or the plan is dropped."""
    if wealth >= plan.premium:
        return PremiumOutcome(plan.premium, False)
    return PremiumOutcome(0, True)


def check_insure(plan: InsurancePlan, current: str | None, wealth: int) -> int:
    """``!insure <plan>``: what signing up charges now (the first day's premium, so a plan
    cannot be taken out just before a rob and dropped before the daily charge). Switching
    plans is allowed; the new premium is charged, the old plan's day is not refunded."""
    if plan.key == current:
        raise NotAllowed(f"you're already on the {plan.name} plan")
    if wealth < plan.premium:
        raise NotAllowed(
            f"the {plan.name} plan costs {money(plan.premium)} a day — you have {money(wealth)}"
        )
    return plan.premium

