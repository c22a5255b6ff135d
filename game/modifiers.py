"""Everything that changes an actor's numbers, as one pure value (DESIGN.md "Modifiers").

jobs/ gathers a player's active buffs, the Juicernaut crown, the faction's territory buffs,
housing debt, equipped gear and insurance in one query into a ``Modifiers``; the rules take it
as an argument and apply GAME.md's order. Every factor is a ``Decimal`` and money is floored
once, from the exact product (``floor_share``), never step by step and never through a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from game.rules import Rules, floor_share

ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Modifiers:
    """Everything that changes an actor's numbers, gathered in one query by jobs/ (DESIGN.md)."""

    # consumable buffs by category (multipliers, 1 when none is active)
    xp: Decimal = ONE
    play_wealth: Decimal = ONE
    rob_attack: Decimal = ONE
    rob_defense: Decimal = ONE
    business: Decimal = ONE
    crate_drop: Decimal = ONE
    # equipped gear (0 when nothing is equipped in the slot)
    weapon: Decimal = ZERO  # the weapon's rob_bonus
    armor: Decimal = ZERO   # the armor's defense_bonus
    juicernaut: bool = False  # wears the session's Juicernaut crown
    # the faction's territory buffs, as fractions summed over the territories it holds
    # (0 until factions exist); territory_all is Freeport's "all rewards"
    territory_xp: Decimal = ZERO
    territory_wealth: Decimal = ZERO
    territory_rob: Decimal = ZERO
    territory_defense: Decimal = ZERO
    territory_crate: Decimal = ZERO
    territory_business: Decimal = ZERO
    territory_shop: Decimal = ZERO  # a discount
    territory_all: Decimal = ZERO
    debt_days: int = 0  # housing upkeep debt days
    housing_insurance: Decimal = ZERO  # the equipped housing's insurance share
    plan_insurance: Decimal = ZERO     # the insurance plan's share
    crate_magnets: int = 0  # Crate Magnets held

    @property
    def insurance(self) -> Decimal:
        """GAME.md "!rob": the better of housing insurance and the insurance plan (no sum)."""
        return max(self.housing_insurance, self.plan_insurance)


NO_MODIFIERS = Modifiers()


def play_wealth_factors(mods: Modifiers, rules: Rules) -> tuple[Decimal, ...]:
    """The factors on a positive play's wealth, in GAME.md's order: consumable buff →
    Juicernaut → territory buffs (wealth + all rewards, added) → housing debt debuff."""
    factors = [mods.play_wealth]
    if mods.juicernaut:
        factors.append(rules.juicernaut_wealth)
    factors.append(ONE + mods.territory_wealth + mods.territory_all)
    if mods.debt_days >= rules.debt_debuff_days:
        factors.append(rules.debt_debuff)
    return tuple(factors)


def play_xp_factors(mods: Modifiers, rules: Rules) -> tuple[Decimal, ...]:
    """The factors on a positive play's XP, in GAME.md's order: consumable XP buff →
    Juicernaut → territory buffs (XP + all rewards, added). Housing debt touches wealth only."""
    factors = [mods.xp]
    if mods.juicernaut:
        factors.append(rules.juicernaut_xp)
    factors.append(ONE + mods.territory_xp + mods.territory_all)
    return tuple(factors)


def play_rewards(wealth: int, xp: int, mods: Modifiers, rules: Rules) -> tuple[int, int]:
    """A positive play's ``(wealth, xp)`` after every multiplier.

    GAME.md's order is consumable buffs → Juicernaut → faction territory buffs → housing debt
    debuff. Each result is one floor of the exact product of all its factors (so the order
    cannot change the amount, and no intermediate rounding loses a dollar): $333 with Hustle
    ×1.10, the crown ×1.25, +20% territory and 3 debt days is floor(333 × 1.1 × 1.25 × 1.2 ×
    0.8) = floor(439.56) = $439, where flooring after each step would give $438.
    """
    return (floor_share(wealth, *play_wealth_factors(mods, rules)),
            floor_share(xp, *play_xp_factors(mods, rules)))


def rob_xp(xp: int, mods: Modifiers) -> int:
    """A rob's XP (success or failure) with the XP buffs that are not about !play: the
    consumable XP buff and the territory XP buffs (XP + all rewards). The Juicernaut's ×2 is
    GAME.md's "on play" multiplier, so it does not apply here; housing debt touches only play
    wealth. One floor of the exact product."""
    return floor_share(xp, mods.xp, ONE + mods.territory_xp + mods.territory_all)


def business_factor(mods: Modifiers, rules: Rules) -> Decimal:
    """The multiplier on a business payout (GAME.md "Businesses"): business buff × the
    Juicernaut's ×1.5 × (1 + territory business bonus). Exact; pass it to ``floor_share``."""
    factor = mods.business * (ONE + mods.territory_business)
    if mods.juicernaut:
        factor *= rules.juicernaut_business
    return factor
