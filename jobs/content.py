"""The shared catalogue in the database: game/content's items, crates and titles, written by
``kingpin seed`` and at every worker's start (idempotent: a changed data file updates its
rows), so per-community rows can reference them by key."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from game.catalogue import Catalogue, catalogue
from game.inventory import sell_price
from game.rules import DEFAULT_RULES
from models.crates import CrateLootTable, CrateTitle, CrateType
from models.economy import Item

_ITEM_FIELDS = ["name", "type", "tier", "base_durability", "rob_bonus", "defense_bonus",
                "revenue_min", "revenue_max", "operating_cost", "insurance_percent",
                "upkeep_cost", "purchase_price", "sell_price"]


async def seed_catalogue(conn: BaseDBAsyncClient, cat: Catalogue | None = None) -> int:
    """Upsert the catalogue; returns how many rows it wrote."""
    cat = cat or catalogue()
    items = [Item(key=i.key, name=i.name, type=i.type, tier=i.tier,
                  base_durability=i.durability, rob_bonus=i.rob_bonus,
                  defense_bonus=i.defense_bonus, revenue_min=i.revenue[0],
                  revenue_max=i.revenue[1], operating_cost=i.operating_cost,
                  insurance_percent=i.insurance, upkeep_cost=i.upkeep, purchase_price=i.price,
                  sell_price=sell_price(i, DEFAULT_RULES))
             for i in cat.items.values()]
    await Item.bulk_create(items, on_conflict=["key"], update_fields=_ITEM_FIELDS,
                           using_db=conn)
    crates = [CrateType(tier=c.tier, name=c.name, wealth_min=c.wealth[0],
                        wealth_max=c.wealth[1], duplicate_title_payout=c.duplicate_title)
              for c in cat.crates.values()]
    await CrateType.bulk_create(crates, on_conflict=["tier"],
                                update_fields=["name", "wealth_min", "wealth_max",
                                               "duplicate_title_payout"], using_db=conn)
    loot = [CrateLootTable(crate_id=c.tier, table_name=table, entry=entry, weight=weight)
            for c in cat.crates.values()
            for table, weights in (("contents", c.contents), ("item_tiers", c.item_tiers))
            for entry, weight in weights.items()]
    await CrateLootTable.bulk_create(loot, on_conflict=["crate_id", "table_name", "entry"],
                                     update_fields=["weight"], using_db=conn)
    titles = [CrateTitle(key=t.key, name=t.name, tier=t.tier) for t in cat.titles.values()]
    await CrateTitle.bulk_create(titles, on_conflict=["key"], update_fields=["name", "tier"],
                                 using_db=conn)
    return len(items) + len(crates) + len(loot) + len(titles)
