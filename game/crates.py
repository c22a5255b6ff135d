"""Crate drops and crate contents (GAME.md "!play" crate drop and "Crates and titles").

Pure: the caller passes the player's ``Modifiers``, an ``rng`` and the catalogue, and stores
what comes out (the crate, the used-up magnet, the loot). Every weighted draw is an exact
integer draw over the content's weights (``weighted_choice``): a weight of 0 never comes up,
and no float rounding shifts the odds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from game.catalogue import ITEM_TIERS, Catalogue, CrateContent, ItemTier, ItemType, catalogue
from game.modifiers import ONE, Modifiers
from game.rules import DEFAULT_RULES, Rules, Tier

if TYPE_CHECKING:  # game.actions imports this module; the protocol is only a type
    from game.actions import Rng

K = TypeVar("K")


def weighted_choice(weights: Mapping[K, int], rng: Rng) -> K:
    """One key of ``weights`` with probability weight / total, drawn as an exact integer
    (``rng.randint(1, total)``). Keys of weight 0 are never returned."""
    if not weights or min(weights.values()) < 0:
        raise ValueError("weights are non-negative, at least one")
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("at least one weight is positive")
    pick = rng.randint(1, total)
    for key, weight in weights.items():
        pick -= weight
        if pick <= 0:
            return key
    raise AssertionError("unreachable: pick ≤ total")  # pragma: no cover


# --- drops -------------------------------------------------------------------------------


def drop_chance(mods: Modifiers, rules: Rules = DEFAULT_RULES) -> Decimal:
    """GAME.md: 2% × crate buffs × 3 if Juicernaut × (1 + faction crate bonus), at most 1."""
    chance = Decimal(str(rules.crate_drop_chance)) * mods.crate_drop
    if mods.juicernaut:
        chance *= rules.juicernaut_crate
    chance *= ONE + mods.territory_crate
    return min(chance, ONE)


def drop_tier(tier: Tier, rng: Rng, cat: Catalogue | None = None) -> ItemTier:
    """The tier of a dropped crate, by the player's tier (``drop_odds`` in crates.toml)."""
    return weighted_choice((cat or catalogue()).drop_odds[tier], rng)


def roll_drop(
    tier: Tier, mods: Modifiers, rng: Rng, rules: Rules = DEFAULT_RULES,
    cat: Catalogue | None = None,
) -> tuple[ItemTier | None, bool]:
    """``(crate tier or None, magnet used up)`` for one play.

    The drop is rolled with ``drop_chance``. When it misses and the player holds a Crate
    Magnet, the magnet forces the drop and is used up with ``crate_magnet_use_up_chance``; a
    drop that happened anyway leaves the magnet alone (it forced nothing).
    """
    used = False
    if not Decimal(rng.random()) < drop_chance(mods, rules):
        if mods.crate_magnets <= 0:
            return None, False
        used = rng.random() < rules.crate_magnet_use_up_chance
    return drop_tier(tier, rng, cat), used


# --- opening -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Loot:
    """What one crate held. ``wealth`` is the cash (a wealth crate, or a duplicate title's
    payout); ``item_key`` a weapon or armor; ``title_key`` a title (``duplicate`` when the
    player already owned it, so only the payout counts)."""

    kind: CrateContent
    item_key: str | None = None
    wealth: int = 0
    title_key: str | None = None
    duplicate: bool = False


def nearest_item_tier(type_: ItemType, tier: ItemTier, cat: Catalogue) -> ItemTier:
    """``tier`` when the catalogue has an item of ``type_`` there; otherwise the nearest lower
    tier that has one, then the nearest higher one."""
    present = {i.tier for i in cat.by_type[type_]}
    at = ITEM_TIERS.index(tier)
    for candidate in (*reversed(ITEM_TIERS[:at + 1]), *ITEM_TIERS[at + 1:]):
        if candidate in present:
            return candidate
    raise ValueError(f"the catalogue has no {type_}")


def open_crate(
    crate: ItemTier, rng: Rng, owned_titles: frozenset[str] = frozenset(),
    cat: Catalogue | None = None,
) -> Loot:
    """One crate's contents: weapon/armor/wealth/title by the crate's weights; an item's tier
    by ``item_tiers`` (see ``nearest_item_tier``), the item uniform among that tier's items of
    the type; wealth uniform in the crate's range; a title of the crate's tier the player does
    not own, uniform, or when they own them all a random one of them as a duplicate that pays
    ``duplicate_title``. A tier without any title pays a wealth draw instead."""
    cat = cat or catalogue()
    kind_of = cat.crates[crate]
    kind = weighted_choice(kind_of.contents, rng)
    if kind == "weapon" or kind == "armor":
        tier = weighted_choice(kind_of.item_tiers, rng)
        items = cat.items_of(kind, tier) or cat.items_of(
            kind, nearest_item_tier(kind, tier, cat))
        return Loot(kind, item_key=rng.choice(tuple(i.key for i in items)))
    if kind == "title":
        tier_titles = tuple(sorted(k for k, t in cat.titles.items() if t.tier == crate))
        if tier_titles:
            new = tuple(k for k in tier_titles if k not in owned_titles)
            if new:
                return Loot("title", title_key=rng.choice(new))
            return Loot("title", title_key=rng.choice(tier_titles),
                        wealth=kind_of.duplicate_title, duplicate=True)
    return Loot("wealth", wealth=rng.randint(*kind_of.wealth))
