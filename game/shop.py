"""The personal shop (``!shop``, ``!reroll``, ``!buy``) and the Black Market (``!market``)
(GAME.md "Shops").

A personal shop is a listing, not stock: 6–10 distinct items from the tiers the player's
tier may buy, kept until ``!reroll``; buying an item leaves it listed. The Black Market is
one per community, rolled by the rotation job, with global stock that sells out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal, Protocol, TypeVar, cast

from game.catalogue import ITEM_TIERS, Catalogue, Item, ItemTier
from game.errors import CooldownActive, NotAllowed
from game.replies import money
from game.rules import DEFAULT_RULES, Rules, Tier, floor_share

T = TypeVar("T")


class Rng(Protocol):
    def random(self) -> float: ...

    def randint(self, a: int, b: int) -> int: ...

    def sample(self, population: Sequence[T], k: int) -> list[T]: ...



# --- prices --------------------------------------------------------------------------------


def price_after(price: int, discount: Decimal) -> int:
    """``floor(price × (1 − discount))`` exactly: 25% off $750 is $562. Discounts applied one
    after the other (the featured 25%, then a territory's 5%) floor at each step."""
    if not Decimal(0) <= discount <= Decimal(1):
        raise ValueError(f"a discount is a fraction between 0 and 1, not {discount}")
    return floor_share(price, Decimal(1) - discount)


def check_affordable(price: int, wealth: int) -> None:
    if wealth < price:
        raise NotAllowed(f"that costs {money(price)} — you have {money(wealth)}")


# --- the personal shop ---------------------------------------------------------------------


def shop_tiers(tier: Tier, rules: Rules = DEFAULT_RULES) -> tuple[ItemTier, ...]:
    """The item tiers a player of ``tier`` may buy in the personal shop."""
    allowed = rules.shop_tiers[tier]
    for t in allowed:
        if t not in ITEM_TIERS:
            raise ValueError(f"shop_tiers: {t!r} is not an item tier")
    return cast(tuple[ItemTier, ...], tuple(allowed))


def roll_shop(
    tier: Tier, rng: Rng, cat: Catalogue, rules: Rules = DEFAULT_RULES,
) -> tuple[str, ...]:
    """A fresh personal shop: ``shop_size`` distinct item keys (all of them when fewer are
    allowed), in catalogue order (by type, then price)."""
    allowed = shop_tiers(tier, rules)
    pool = [key for key, item in cat.items.items() if item.tier in allowed]
    size = rng.randint(*rules.shop_size)
    if size >= len(pool):
        return tuple(pool)
    chosen = set(rng.sample(pool, size))
    return tuple(key for key in pool if key in chosen)


def check_reroll(
    cooldown_until: datetime | None, now: datetime, tokens_held: int,
) -> Literal["free", "token"]:
    """How ``!reroll`` is paid for: free once the cooldown is over, else with a Reroll Token
    if one is held, else refused with the time left."""
    if cooldown_until is None or cooldown_until <= now:
        return "free"
    if tokens_held > 0:
        return "token"
    err = CooldownActive("reroll", math.ceil((cooldown_until - now).total_seconds()))
    err.message += " — a Reroll Token (!supplies) skips it"
    err.args = (err.message,)
    raise err


def reroll_cooldown_until(now: datetime, rules: Rules = DEFAULT_RULES) -> datetime:
    """The cooldown a free reroll starts. A token reroll leaves the cooldown as it was."""
    return now + timedelta(seconds=rules.reroll_cooldown_s)


# --- the Black Market ----------------------------------------------------------------------


@dataclass(frozen=True)
class MarketOffer:
    item_key: str
    stock: int
    price: int  # what it costs on this rotation (the featured discount applied)
    featured: bool


def roll_market(
    rng: Rng, cat: Catalogue, rules: Rules = DEFAULT_RULES,
) -> tuple[MarketOffer, ...]:
    """One rotation: per item tier, ``market_kinds`` distinct items (the legendary one only
    with ``market_legendary_chance``), each with its ``market_stock``; exactly one offer,
    drawn from all of them, is featured at ``market_featured_discount`` off. Offers come in
    tier order, then catalogue order."""
    picked: list[tuple[Item, int]] = []
    for index, tier in enumerate(ITEM_TIERS):
        if tier == "legendary" and rng.random() >= rules.market_legendary_chance:
            continue
        pool = [item for item in cat.items.values() if item.tier == tier]
        kinds = min(len(pool), rng.randint(*rules.market_kinds[index]))
        chosen = {item.key for item in rng.sample(pool, kinds)}
        for item in pool:
            if item.key in chosen:
                picked.append((item, rng.randint(*rules.market_stock[index])))
    if not picked:
        return ()
    featured = rng.randint(0, len(picked) - 1)
    return tuple(
        MarketOffer(
            item.key, stock,
            price_after(item.price, rules.market_featured_discount) if i == featured
            else item.price,
            i == featured,
        )
        for i, (item, stock) in enumerate(picked)
    )


def check_in_stock(item: Item, stock: int, rules: Rules = DEFAULT_RULES) -> None:
    if stock <= 0:
        raise NotAllowed(f"{item.name} is sold out on the Black Market — it rotates every"
                         f" {rules.market_rotation_hours} h")
