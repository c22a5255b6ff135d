"""The shared content of the economy: items, supplies, insurance plans, crates and titles.

Read once from the data files in game/content/ (TOML; money shares as strings, so exact
Decimals) into frozen values, checked as they load: a file that breaks a rule (an unknown
type or tier, a duplicate key, weights that are all zero) fails at import, never mid-game.
``kingpin seed`` writes the same values into the catalogue tables, so SQL can join them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Literal

from game.rules import Tier

ItemType = Literal["weapon", "armor", "business", "housing"]
ITEM_TYPES: tuple[ItemType, ...] = ("weapon", "armor", "business", "housing")
ItemTier = Literal["common", "uncommon", "rare", "legendary"]
ITEM_TIERS: tuple[ItemTier, ...] = ("common", "uncommon", "rare", "legendary")
BuffCategory = Literal["xp", "rob_attack", "rob_defense", "business", "crate_drop",
                       "play_wealth"]
BUFF_CATEGORIES: tuple[BuffCategory, ...] = ("xp", "rob_attack", "rob_defense", "business",
                                             "crate_drop", "play_wealth")
CrateContent = Literal["weapon", "armor", "wealth", "title"]
# a title's tier: a crate tier (crates of that tier hold it), or "achievement" (only an
# achievement gives it: no crate tier matches, so no crate ever drops it)
TitleTier = Literal["common", "uncommon", "rare", "legendary", "achievement"]
ACHIEVEMENT_TITLES: TitleTier = "achievement"
CRATE_CONTENTS: tuple[CrateContent, ...] = ("weapon", "armor", "wealth", "title")


@dataclass(frozen=True)
class Item:
    key: str
    name: str
    type: ItemType
    tier: ItemTier
    price: int
    rob_bonus: Decimal = Decimal(0)      # weapon
    defense_bonus: Decimal = Decimal(0)  # armor
    revenue: tuple[int, int] = (0, 0)    # business: daily revenue range
    operating_cost: int = 0              # business: per day
    insurance: Decimal = Decimal(0)      # housing
    upkeep: int = 0                      # housing: per day
    durability: int = 100

    @property
    def slot(self) -> ItemType:
        """Where it is equipped: one slot per type."""
        return self.type


@dataclass(frozen=True)
class Buff:
    key: str
    name: str
    category: BuffCategory
    multiplier: Decimal
    price: int


@dataclass(frozen=True)
class Consumable:
    key: str
    name: str
    price: int
    hold: int  # how many a player may hold


@dataclass(frozen=True)
class InsurancePlan:
    key: str
    name: str
    share: Decimal
    premium: int  # per day


@dataclass(frozen=True)
class CrateType:
    tier: ItemTier
    name: str
    contents: dict[CrateContent, int]
    item_tiers: dict[ItemTier, int]
    wealth: tuple[int, int]
    duplicate_title: int


@dataclass(frozen=True)
class Title:
    key: str
    name: str
    tier: TitleTier


@dataclass(frozen=True)
class Catalogue:
    items: dict[str, Item]
    buffs: dict[str, Buff]
    consumables: dict[str, Consumable]
    plans: dict[str, InsurancePlan]
    crates: dict[ItemTier, CrateType]
    drop_odds: dict[Tier, dict[ItemTier, int]]
    titles: dict[str, Title]
    by_type: dict[ItemType, tuple[Item, ...]] = field(default_factory=dict)

    def items_of(self, type_: ItemType, tier: ItemTier | None = None) -> tuple[Item, ...]:
        return tuple(i for i in self.by_type[type_] if tier is None or i.tier == tier)


def _load(name: str) -> dict[str, Any]:
    text = resources.files("game.content").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _choice(value: Any, allowed: tuple[str, ...], what: str) -> Any:
    if value not in allowed:
        raise ValueError(f"{what}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _weights(raw: dict[str, Any], allowed: tuple[str, ...], what: str) -> dict[Any, int]:
    if set(raw) != set(allowed):
        raise ValueError(f"{what}: weights for exactly {', '.join(allowed)}")
    weights = {k: int(raw[k]) for k in allowed}
    if any(w < 0 for w in weights.values()) or not any(weights.values()):
        raise ValueError(f"{what}: weights are non-negative and not all zero")
    return weights


def _unique(keys: list[str], what: str) -> None:
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise ValueError(f"duplicate {what}: {', '.join(sorted(dupes))}")


def title_key(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")


def build(items_doc: dict[str, Any], supplies_doc: dict[str, Any],
          insurance_doc: dict[str, Any], crates_doc: dict[str, Any],
          titles_doc: dict[str, Any]) -> Catalogue:
    """The catalogue from parsed documents (exposed so tests can feed broken ones)."""
    items: list[Item] = []
    for raw in items_doc["item"]:
        type_ = _choice(raw["type"], ITEM_TYPES, f"item {raw['key']} type")
        items.append(Item(
            key=raw["key"], name=raw["name"], type=type_,
            tier=_choice(raw["tier"], ITEM_TIERS, f"item {raw['key']} tier"),
            price=int(raw["price"]),
            rob_bonus=Decimal(raw.get("rob_bonus", "0")),
            defense_bonus=Decimal(raw.get("defense_bonus", "0")),
            revenue=tuple(raw.get("revenue", (0, 0))),  # type: ignore[arg-type]
            operating_cost=int(raw.get("operating_cost", 0)),
            insurance=Decimal(raw.get("insurance", "0")),
            upkeep=int(raw.get("upkeep", 0)),
            durability=int(raw.get("durability", 100)),
        ))
    buffs = [Buff(key=r["key"], name=r["name"],
                  category=_choice(r["category"], BUFF_CATEGORIES, f"buff {r['key']}"),
                  multiplier=Decimal(r["multiplier"]), price=int(r["price"]))
             for r in supplies_doc["buff"]]
    consumables = [Consumable(key=r["key"], name=r["name"], price=int(r["price"]),
                              hold=int(r["hold"])) for r in supplies_doc["consumable"]]
    plans = [InsurancePlan(key=r["key"], name=r["name"], share=Decimal(r["share"]),
                           premium=int(r["premium"])) for r in insurance_doc["plan"]]
    crates: dict[ItemTier, CrateType] = {}
    for tier in ITEM_TIERS:
        raw = crates_doc["crate"][tier]
        low, high = raw["wealth"]
        crates[tier] = CrateType(
            tier=tier, name=raw["name"],
            contents=_weights(raw["contents"], CRATE_CONTENTS, f"{tier} crate contents"),
            item_tiers=_weights(raw["item_tiers"], ITEM_TIERS, f"{tier} crate item tiers"),
            wealth=(int(low), int(high)), duplicate_title=int(raw["duplicate_title"]),
        )
    drop_odds = {t: _weights(crates_doc["drop_odds"][t.title], ITEM_TIERS,
                             f"{t.title} drop odds") for t in Tier}
    titles: list[Title] = []
    for tier in ITEM_TIERS:
        titles += [Title(key=title_key(n), name=n, tier=tier)
                   for n in titles_doc["titles"][tier]]
    titles += [Title(key=title_key(n), name=n, tier=ACHIEVEMENT_TITLES)
               for n in titles_doc["titles"].get(ACHIEVEMENT_TITLES, ())]
    every_key = ([i.key for i in items] + [b.key for b in buffs] + [c.key for c in consumables])
    _unique(every_key, "item or supply key")
    _unique([i.name.casefold() for i in items] + [b.name.casefold() for b in buffs]
            + [c.name.casefold() for c in consumables], "item or supply name")
    _unique([t.key for t in titles], "title")
    _unique([p.key for p in plans], "insurance plan")
    by_type = {t: tuple(i for i in items if i.type == t) for t in ITEM_TYPES}
    return Catalogue(
        items={i.key: i for i in items}, buffs={b.key: b for b in buffs},
        consumables={c.key: c for c in consumables}, plans={p.key: p for p in plans},
        crates=crates, drop_odds=drop_odds, titles={t.key: t for t in titles},
        by_type=by_type,
    )


@cache
def catalogue() -> Catalogue:
    return build(_load("items.toml"), _load("supplies.toml"), _load("insurance.toml"),
                 _load("crates.toml"), _load("titles.toml"))
