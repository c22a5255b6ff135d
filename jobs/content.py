"""The shared catalogue in the database: game/content's items, crates, titles and heist
content pools, written by ``kingpin seed`` and at every worker's start (idempotent: a changed
data file updates its rows), so per-community rows can reference them by key."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from game.achievements import achievements
from game.catalogue import Catalogue, catalogue
from game.factions import content as faction_content
from game.heists import Pools
from game.heists import pools as heist_pools
from game.inventory import sell_price
from game.missions import templates as mission_templates
from game.rules import DEFAULT_RULES
from models.crates import CrateLootTable, CrateTitle, CrateType
from models.economy import Item
from models.heists import HeistGrabPhrase, HeistRiddle, HeistScrambleWord, HeistTrivia
from models.progression import Achievement, Faction, MissionTemplate

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
    return (len(items) + len(crates) + len(loot) + len(titles) + await seed_heist_pools(conn)
            + await seed_achievements(conn) + await seed_missions(conn)
            + await seed_factions(conn))


async def seed_factions(conn: BaseDBAsyncClient) -> int:
    """Upsert the factions (game/content/factions.toml; territories are per community,
    jobs/factions.ensure_territories)."""
    rows = [Faction(key=f.key, name=f.name, description=f.description)
            for f in faction_content().factions]
    await Faction.bulk_create(rows, on_conflict=["key"], update_fields=["name", "description"],
                              using_db=conn)
    return len(rows)


async def seed_missions(conn: BaseDBAsyncClient) -> int:
    """Upsert the mission templates (game/content/missions.toml)."""
    rows = [MissionTemplate(key=t.key, period=t.period, category=t.category,
                            difficulty=t.difficulty, objective=t.objective, target=t.target,
                            luck=t.luck, description=t.description)
            for t in mission_templates()]
    await MissionTemplate.bulk_create(rows, on_conflict=["key"], update_fields=[
        "period", "category", "difficulty", "objective", "target", "luck", "description"],
        using_db=conn)
    return len(rows)


async def seed_achievements(conn: BaseDBAsyncClient) -> int:
    """Upsert the achievements (game/content/achievements.toml; their titles are in the
    title catalogue above)."""
    rows = [Achievement(key=a.key, name=a.name, category=a.category, metric=a.metric,
                        threshold=a.threshold, wealth=a.wealth, xp=a.xp,
                        title_key=a.title_key, description=a.description)
            for a in achievements()]
    await Achievement.bulk_create(rows, on_conflict=["key"], update_fields=[
        "name", "category", "metric", "threshold", "wealth", "xp", "title_key",
        "description"], using_db=conn)
    return len(rows)


async def seed_heist_pools(conn: BaseDBAsyncClient, pools: Pools | None = None) -> int:
    """Upsert the heist content pools (game/content/heists.toml)."""
    pools = pools or heist_pools()
    await HeistGrabPhrase.bulk_create(
        [HeistGrabPhrase(key=g.key, text=g.text) for g in pools.grab], on_conflict=["key"],
        update_fields=["text"], using_db=conn)
    await HeistScrambleWord.bulk_create(
        [HeistScrambleWord(key=w.key, word=w.word) for w in pools.scramble],
        on_conflict=["key"], update_fields=["word"], using_db=conn)
    await HeistRiddle.bulk_create(
        [HeistRiddle(key=r.key, question=r.question, answer=r.answer, also=list(r.also))
         for r in pools.riddle], on_conflict=["key"],
        update_fields=["question", "answer", "also"], using_db=conn)
    await HeistTrivia.bulk_create(
        [HeistTrivia(key=t.key, question=t.question, answer=t.answer, also=list(t.also))
         for t in pools.trivia], on_conflict=["key"],
        update_fields=["question", "answer", "also"], using_db=conn)
    return len(pools.grab) + len(pools.scramble) + len(pools.riddle) + len(pools.trivia)
