"""Rewards for the viewer who supports the stream (GAME.md "Streams, Juicernaut and
monetization"). Pure: event in, reward out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from game.events import (
    Cheer,
    Donation,
    Event,
    GiftSubscriptions,
    KicksGifted,
    Raid,
    Subscription,
)

SUB_REWARDS = {1: (500, 100), 2: (750, 150), 3: (1_000, 200)}
GIFT_SUB_REWARD = (500, 100)
WEALTH_PER_BIT = 1  # 100 bits -> $100
WEALTH_PER_KICK = 1
RAID_WEALTH_PER_VIEWER = 10
RAID_XP_PER_VIEWER = 2
WEALTH_PER_DONATED_DOLLAR = 100

# contribution in USD during a session
SUB_USD = {1: Decimal(5), 2: Decimal(10), 3: Decimal(25)}
GIFT_SUB_USD = Decimal(5)
USD_PER_100_BITS = Decimal(1)
USD_PER_KICK = Decimal("0.01")
USD_PER_RAID_VIEWER = Decimal("0.10")


@dataclass(frozen=True)
class SupportReward:
    wealth: int
    xp: int
    usd: Decimal
    text: str


def support_reward(event: Event) -> SupportReward | None:
    match event:
        case Subscription(tier=tier, is_gift=False):
            wealth, xp = SUB_REWARDS[tier]
            return SupportReward(wealth, xp, SUB_USD[tier], f"thanks for the tier {tier} sub")
        case Subscription():
            return None  # a gifted sub rewards the gifter, not the recipient
        case GiftSubscriptions(count=count):
            wealth, xp = GIFT_SUB_REWARD
            return SupportReward(wealth * count, xp * count, GIFT_SUB_USD * count,
                                 f"thanks for gifting {count} sub{'s' if count != 1 else ''}")
        case Cheer(bits=bits):
            return SupportReward(bits * WEALTH_PER_BIT, 0, USD_PER_100_BITS * bits / 100,
                                 f"thanks for the {bits:,} bits")
        case KicksGifted(amount=amount):
            return SupportReward(amount * WEALTH_PER_KICK, 0, USD_PER_KICK * amount,
                                 f"thanks for the {amount:,} kicks")
        case Raid(viewers=0):
            return None  # nobody came along: nothing to reward (never "+$0")
        case Raid(viewers=viewers):
            return SupportReward(RAID_WEALTH_PER_VIEWER * viewers, RAID_XP_PER_VIEWER * viewers,
                                 USD_PER_RAID_VIEWER * viewers,
                                 f"thanks for the raid with {viewers:,} viewers")
        case Donation(amount=amount, currency=currency):
            return SupportReward(int(amount * WEALTH_PER_DONATED_DOLLAR), 0, amount,
                                 f"thanks for the {amount} {currency} donation")
    return None
