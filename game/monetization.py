"""Rewards for the viewer who supports the stream (GAME.md "Streams, Juicernaut and
monetization"). Pure: an event and the community's reward table in, the reward out.

The rulebook's rewards are ``DEFAULT_REWARDS``, the one place they are written; a community's
``reward_config`` rows replace a kind's wealth, XP and crate (``rewards_with``). Each kind
is paid per unit of the event's quantity (``UNIT``): per sub, per sub gifted, per 100 bits,
per kick, per raiding viewer, per donated dollar (counted in cents, so $4.99 pays 499 of a
$100 rate). A fraction of a unit is rounded down. A crate comes once per event, whatever
the quantity (``gift_recipient``: once per recipient). What the event is worth in USD for
the Juicernaut is the rulebook's and not configurable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from game.catalogue import ITEM_TIERS, ItemTier
from game.events import (
    Cheer,
    Donation,
    Event,
    GiftSubscriptions,
    KicksGifted,
    Raid,
    Subscription,
)


@dataclass(frozen=True)
class KindReward:
    """What one unit of a kind of support pays (the crate: once per event)."""

    wealth: int = 0
    xp: int = 0
    crate: ItemTier | None = None


# GAME.md: sub T1/T2/T3 $500+100 XP/$750+150/$1,000+200; gift sub $500+100 XP each
# (recipients get a common crate); 100 bits $100; kick $1 each; raid $10 and 2 XP per
# viewer; donation $100 per dollar
DEFAULT_REWARDS: Mapping[str, KindReward] = MappingProxyType({
    "sub_t1": KindReward(500, 100),
    "sub_t2": KindReward(750, 150),
    "sub_t3": KindReward(1_000, 200),
    "gift_sub": KindReward(500, 100),
    "gift_recipient": KindReward(crate="common"),
    "bits_100": KindReward(100),
    "kick": KindReward(1),
    "raid_viewer": KindReward(10, 2),
    "donation_usd": KindReward(100),
})
KINDS: tuple[str, ...] = tuple(DEFAULT_REWARDS)
# how many units of the event's quantity one configured reward is for
UNIT: Mapping[str, int] = MappingProxyType({"bits_100": 100, "donation_usd": 100})
PER: Mapping[str, str] = MappingProxyType({
    "sub_t1": "per sub", "sub_t2": "per sub", "sub_t3": "per sub",
    "gift_sub": "per sub gifted, to the gifter", "gift_recipient": "to each gift's recipient",
    "bits_100": "per 100 bits", "kick": "per kick", "raid_viewer": "per raiding viewer",
    "donation_usd": "per donated dollar",
})
MAX_REWARD = 10**12  # per unit: far beyond any sane setting, well inside a bigint

RewardTable = Mapping[str, KindReward]

# contribution in USD during a session
SUB_USD = {1: Decimal(5), 2: Decimal(10), 3: Decimal(25)}
GIFT_SUB_USD = Decimal(5)
USD_PER_100_BITS = Decimal(1)
USD_PER_KICK = Decimal("0.01")
USD_PER_RAID_VIEWER = Decimal("0.10")


class RewardConfigError(ValueError):
    """A reward setting that cannot be stored, with the reason to show."""


def check_kind(kind: str) -> str:
    key = kind.strip().lower()
    if key not in DEFAULT_REWARDS:
        raise RewardConfigError(f"unknown reward kind {kind!r} (one of {', '.join(KINDS)})")
    return key


def parse_amount(text: str, what: str) -> int:
    """A whole number of 0 or more (wealth or XP per unit)."""
    raw = text.strip().replace(",", "").replace("_", "")
    if raw.startswith("-") and raw[1:].isdigit():
        raise RewardConfigError(f"{what} cannot be negative")
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_REWARD:
        raise RewardConfigError(f"{what} must be a whole number from 0 to {MAX_REWARD:,}")
    return int(raw)


def parse_crate(text: str) -> ItemTier | None:
    word = text.strip().lower()
    if word == "none":
        return None
    for tier in ITEM_TIERS:
        if word == tier:
            return tier
    raise RewardConfigError(f"crate must be one of {', '.join(ITEM_TIERS)} or none")


def rewards_with(overrides: Mapping[str, KindReward]) -> RewardTable:
    """The effective table: the rulebook's, with a community's rows in place of its kinds
    (a row of an unknown kind is ignored; a negative number counts as 0)."""
    table = dict(DEFAULT_REWARDS)
    for kind, reward in overrides.items():
        if kind in table:
            table[kind] = KindReward(max(0, reward.wealth), max(0, reward.xp),
                                     reward.crate if reward.crate in ITEM_TIERS else None)
    return MappingProxyType(table)


def describe(reward: KindReward) -> str:
    parts = [f"${reward.wealth:,}", f"{reward.xp:,} XP"]
    return " + ".join(parts) + (f" + {reward.crate} crate" if reward.crate else "")


@dataclass(frozen=True)
class Support:
    """What a support event is: its reward kind, how many units, what it is worth."""

    kind: str
    quantity: int  # subs (1), subs gifted, bits, kicks, viewers, donated cents
    tier: int | None
    usd: Decimal
    text: str  # "thanks for …"


def support_of(event: Event) -> Support | None:
    """The support an event gives, for its sender; None for events that are not support
    and for a gifted sub (that rewards its recipient: ``gift_recipient``)."""
    match event:
        case Subscription(is_gift=True):
            return None
        case Subscription(tier=tier):
            return Support(f"sub_t{tier}", 1, tier, SUB_USD[tier],
                           f"thanks for the tier {tier} sub")
        case GiftSubscriptions(count=count, tier=tier):
            return Support("gift_sub", count, tier, GIFT_SUB_USD * count, gift_text(count))
        case Cheer(bits=bits):
            return Support("bits_100", bits, None, USD_PER_100_BITS * bits / 100,
                           f"thanks for the {bits:,} bits")
        case KicksGifted(amount=amount):
            return Support("kick", amount, None, USD_PER_KICK * amount,
                           f"thanks for the {amount:,} kicks")
        case Raid(viewers=viewers):
            return Support("raid_viewer", viewers, None, USD_PER_RAID_VIEWER * viewers,
                           f"thanks for the raid with {viewers:,} viewers")
        case Donation(amount=amount, currency=currency):
            return Support("donation_usd", int(amount * 100), None, amount,
                           f"thanks for the {amount} {currency} donation")
    return None


RECIPIENT_TEXT = "enjoy the gifted sub"


def gift_text(count: int) -> str:
    return f"thanks for gifting {count} sub{'s' if count != 1 else ''}"


def pending_text(kind: str, quantity: int) -> str:
    """The thanks for support credited later (a giver known only by username)."""
    if kind == "gift_sub":
        return gift_text(quantity)
    if kind == "gift_recipient":
        return RECIPIENT_TEXT
    return "thanks for the support"


def gains(wealth: int, xp: int, crate: str = "") -> str:
    """``+$500, +100 XP + a common crate (!open)``; what a reward paid, for the reply."""
    parts = ([f"+${wealth:,}"] if wealth else []) + ([f"+{xp:,} XP"] if xp else [])
    text = ", ".join(parts)
    if crate:
        text = f"{text} + {crate}" if text else crate
    return text


@dataclass(frozen=True)
class SupportReward:
    wealth: int
    xp: int
    usd: Decimal
    text: str
    crate: ItemTier | None = None

    @property
    def pays(self) -> bool:
        return bool(self.wealth or self.xp or self.crate)


def pay(kind: str, quantity: int, table: RewardTable) -> KindReward:
    """What ``quantity`` units of ``kind`` pay under ``table``: linear, a fraction of a
    unit rounded down; the crate once (none for a quantity of 0)."""
    per = table[kind]
    unit = UNIT.get(kind, 1)
    if quantity <= 0:
        return KindReward()
    return KindReward(per.wealth * quantity // unit, per.xp * quantity // unit, per.crate)


def reward_for(support: Support, table: RewardTable = DEFAULT_REWARDS) -> SupportReward:
    paid = pay(support.kind, support.quantity, table)
    return SupportReward(paid.wealth, paid.xp, support.usd, support.text, paid.crate)


def support_reward(event: Event, table: RewardTable = DEFAULT_REWARDS
                   ) -> SupportReward | None:
    """The sender's reward for ``event``; None when it is no support or pays nothing (a
    raid of 0 viewers: never "+$0")."""
    support = support_of(event)
    if support is None:
        return None
    reward = reward_for(support, table)
    return reward if reward.pays else None
