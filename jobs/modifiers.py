"""A player's Modifiers and gear, gathered with the row lock that a command takes anyway.

``MODIFIER_COLUMNS`` are subqueries over the player's row ``u`` (active buffs, equipped items,
consumables held, insurance plan, housing debt): the claim-and-lock of ``!play`` and the
lock of ``!rob`` select them with the player, so the Modifiers cost no round trip of their own
(``python -m benchmarks.load``: ``!play`` is the hot command). The catalogue numbers (a
weapon's bonus, a house's insurance) come from game/content in memory, not from a join.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from game.catalogue import BUFF_CATEGORIES, Catalogue, Item, catalogue
from game.factions import territory_modifiers
from game.modifiers import ZERO, Modifiers

# buff categories are Modifiers' field names (xp, play_wealth, rob_attack, …)
_BUFF_FIELDS = frozenset(BUFF_CATEGORIES)

# $NOW is replaced by the statement's parameter holding the game clock's time. Each list is
# a text array of ':'-joined fields (asyncpg decodes text[] natively; JSON decoding cost a
# command ~70 µs of worker CPU in ``python -m benchmarks.inprocess commands``).
_COLUMNS = (
    "ARRAY(SELECT b.category || ':' || b.multiplier FROM active_buffs b"
    "  WHERE b.community_id = u.community_id AND b.user_id = u.id"
    "  AND b.expires_at > $NOW) AS mod_buffs,"
    " ARRAY(SELECT v.slot || ':' || v.id || ':' || v.durability || ':' || v.item_id"
    "  FROM user_inventory v WHERE v.community_id = u.community_id AND v.user_id = u.id"
    "  AND v.is_equipped) AS mod_equipped,"
    " ARRAY(SELECT c.key || ':' || c.quantity FROM user_consumables c"
    "  WHERE c.community_id = u.community_id AND c.user_id = u.id AND c.quantity > 0)"
    "  AS mod_consumables,"
    " (SELECT s.share FROM user_insurance s WHERE s.community_id = u.community_id"
    "  AND s.user_id = u.id) AS mod_plan,"
    " (SELECT d.debt_days FROM housing_debt d WHERE d.community_id = u.community_id"
    "  AND d.user_id = u.id) AS mod_debt,"
    " EXISTS(SELECT 1 FROM streaming_sessions j WHERE j.community_id = u.community_id"
    "  AND j.ended_at IS NULL AND j.juicernaut_id = u.id) AS mod_crown,"
    # the territories the player's faction holds (their buffs: game/factions in memory)
    " ARRAY(SELECT t.key FROM faction_members m JOIN territories t"
    "  ON t.community_id = m.community_id AND t.faction_id = m.faction_id"
    "  WHERE m.community_id = u.community_id AND m.user_id = u.id) AS mod_territories"
)
MODIFIER_KEYS = ("mod_buffs", "mod_equipped", "mod_consumables", "mod_plan", "mod_debt",
                 "mod_crown", "mod_territories")


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
    territories: tuple[str, ...] = ()  # held by the player's faction

    def held(self, key: str) -> int:
        return self.consumables.get(key, 0)


NO_GEAR = Gear(Modifiers(), {}, {})


def gear_from_row(row: dict[str, Any], cat: Catalogue | None = None) -> Gear:
    """The Gear of a row that selected ``MODIFIER_COLUMNS`` (absent columns: nothing)."""
    buff_rows, worn, held = (row.get("mod_buffs"), row.get("mod_equipped"),
                             row.get("mod_consumables"))
    plan, debt, crown = row.get("mod_plan"), row.get("mod_debt"), bool(row.get("mod_crown"))
    held_territories = tuple(row.get("mod_territories") or ())
    if not (buff_rows or worn or held or plan is not None or debt or crown
            or held_territories):
        return NO_GEAR  # most players: nothing to build
    cat = cat or catalogue()
    buffs = dict(b.split(":", 1) for b in buff_rows or ())
    equipped: dict[str, Equipped] = {}
    for entry in worn or ():
        slot, row_id, durability, key = entry.split(":", 3)
        item = cat.items.get(key)
        if item is not None and slot:
            equipped[slot] = Equipped(int(row_id), item, int(durability))
    consumables = {k: int(q) for k, q in (c.rsplit(":", 1) for c in held or ())}
    weapon, armor, house = (equipped.get(s) for s in ("weapon", "armor", "housing"))
    factors: dict[str, Any] = {c: Decimal(m) for c, m in buffs.items() if c in _BUFF_FIELDS}
    mods = Modifiers(
        **factors,
        weapon=weapon.item.rob_bonus if weapon else ZERO,
        armor=armor.item.defense_bonus if armor else ZERO,
        housing_insurance=house.item.insurance if house else ZERO,
        plan_insurance=Decimal(plan) if plan is not None else ZERO,
        debt_days=int(debt or 0),
        crate_magnets=consumables.get("crate_magnet", 0),
        juicernaut=crown,
        **territory_modifiers(held_territories),
    )
    return Gear(mods, equipped, consumables, held_territories)
