"""A player's Modifiers and gear, gathered with the row lock that a command takes anyway.

``MODIFIER_COLUMNS`` are subqueries over the player's row ``u`` (active buffs, equipped items,
consumables held, insurance plan, housing debt): the claim-and-lock of ``!play`` and the
lock of ``!rob`` select them with the player, so the Modifiers cost no round trip of their own
(``python -m benchmarks.load``: ``!play`` is the hot command). The catalogue numbers (a
weapon's bonus, a house's insurance) come from game/content in memory, not from a join.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from game.catalogue import Catalogue, Item, catalogue
from game.modifiers import Modifiers

# $NOW is replaced by the statement's parameter holding the game clock's time
_COLUMNS = (
    "(SELECT json_object_agg(b.category, b.multiplier) FROM active_buffs b"
    "  WHERE b.community_id = u.community_id AND b.user_id = u.id"
    "  AND b.expires_at > $NOW) AS mod_buffs,"
    " (SELECT json_agg(json_build_array(v.id, v.item_id, v.slot, v.durability))"
    "  FROM user_inventory v WHERE v.community_id = u.community_id AND v.user_id = u.id"
    "  AND v.is_equipped) AS mod_equipped,"
    " (SELECT json_object_agg(c.key, c.quantity) FROM user_consumables c"
    "  WHERE c.community_id = u.community_id AND c.user_id = u.id AND c.quantity > 0)"
    "  AS mod_consumables,"
    " (SELECT s.share FROM user_insurance s WHERE s.community_id = u.community_id"
    "  AND s.user_id = u.id) AS mod_plan,"
    " (SELECT d.debt_days FROM housing_debt d WHERE d.community_id = u.community_id"
    "  AND d.user_id = u.id) AS mod_debt"
)
MODIFIER_KEYS = ("mod_buffs", "mod_equipped", "mod_consumables", "mod_plan", "mod_debt")


def modifier_columns(now_param: str) -> str:
    return _COLUMNS.replace("$NOW", now_param)


@dataclass(frozen=True)
class Equipped:
    """An equipped inventory row."""

    id: int
    item: Item
    durability: int


@dataclass(frozen=True)
class Gear:
    """What a player has on and holds, with the Modifiers it makes."""

    mods: Modifiers
    equipped: dict[str, Equipped]  # slot -> row
    consumables: dict[str, int]

    def held(self, key: str) -> int:
        return self.consumables.get(key, 0)


NO_GEAR = Gear(Modifiers(), {}, {})


def _json(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    return json.loads(value, parse_float=Decimal, parse_int=Decimal)


def gear_from_row(row: dict[str, Any], cat: Catalogue | None = None) -> Gear:
    """The Gear of a row that selected ``MODIFIER_COLUMNS`` (absent columns: nothing)."""
    cat = cat or catalogue()
    buffs = {k: Decimal(v) for k, v in (_json(row.get("mod_buffs")) or {}).items()}
    equipped: dict[str, Equipped] = {}
    for row_id, key, slot, durability in _json(row.get("mod_equipped")) or ():
        item = cat.items.get(key)
        if item is not None and slot:
            equipped[slot] = Equipped(int(row_id), item, int(durability))
    consumables = {k: int(v) for k, v in (_json(row.get("mod_consumables")) or {}).items()}
    weapon, armor, house = (equipped.get(s) for s in ("weapon", "armor", "housing"))
    one = Decimal(1)
    mods = Modifiers(
        xp=buffs.get("xp", one), play_wealth=buffs.get("play_wealth", one),
        rob_attack=buffs.get("rob_attack", one), rob_defense=buffs.get("rob_defense", one),
        business=buffs.get("business", one), crate_drop=buffs.get("crate_drop", one),
        weapon=weapon.item.rob_bonus if weapon else Decimal(0),
        armor=armor.item.defense_bonus if armor else Decimal(0),
        housing_insurance=house.item.insurance if house else Decimal(0),
        plan_insurance=Decimal(row["mod_plan"]) if row.get("mod_plan") is not None
        else Decimal(0),
        debt_days=int(row.get("mod_debt") or 0),
        crate_magnets=consumables.get("crate_magnet", 0),
    )
    return Gear(mods, equipped, consumables)

