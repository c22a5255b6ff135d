"""The Juicernaut (GAME.md "Streams, Juicernaut and monetization"): the session's top
contributor wears the crown, taken only by a strictly higher total, and is paid by their
session total when the session ends. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from game.rules import Rules


@dataclass(frozen=True)
class EndReward:
    wealth: int
    xp: int
    crate: str  # a crate tier, or "" for none


def takes_crown(holder: int | None, holder_usd: Decimal, contributor: int,
                contributor_total: Decimal) -> bool:
    """Whether ``contributor``, now at ``contributor_total``, wears the crown: nobody holds
    it yet, they hold it already, or they passed the holder (a tie keeps the holder)."""
    return holder is None or holder == contributor or contributor_total > holder_usd


def end_reward(total: Decimal, rules: Rules) -> EndReward:
    """The crown holder's reward for their session total in USD: the highest band reached
    (<5, 5-15, 15-30, 30-50, 50+ by default)."""
    chosen = rules.juicernaut_rewards[0]
    for band in rules.juicernaut_rewards:
        if total >= band[0]:
            chosen = band
    return EndReward(chosen[1], chosen[2], chosen[3])


def usd(amount: Decimal) -> str:
    """$12.34, $5 (whole dollars without cents)."""
    q = amount.quantize(Decimal("0.01"))
    return f"${q:,.0f}" if q == q.to_integral_value() else f"${q:,.2f}"
