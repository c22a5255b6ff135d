"""The economy's scheduled jobs on real PostgreSQL and Redis: each applies once per due time
per community, however often or concurrently it ticks, and catches up once after downtime."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from game.catalogue import ITEM_TIERS, catalogue
from game.events import UserRef
from game.rules import Rules, floor_share
from jobs.config import RulesCache
from jobs.context import AppContext
from jobs.economy_cron import (
    daily_upkeep,
    expire_buffs,
    expire_escrow,
    pay_businesses,
    rotate_market,
)
from jobs.ledger import apply_delta
from jobs.players import db, ensure_player
from jobs.schedule import RunResult, claim_run, due_communities, latest_due, run_due
from models.communities import Community
from models.crates import UserCrate
from models.economy import (
    ActiveBuff,
    BlackMarketInventory,
    BusinessRevenueHistory,
    CronRun,
    HousingDebt,
    UserInsurance,
    UserInventory,
)
from tests.support import clear_outbox, fetch, outbox_texts
from workers.main import cron_options

T = TypeVar("T")
UTC0 = datetime(2026, 11, 23, tzinfo=UTC)  # the clock fixture's day, 00:00


class MaxRng:
    """Every draw at its top: payouts become exact numbers."""

    def randint(self, a: int, b: int) -> int:
        return b

    def random(self) -> float:
        return 0.0

    def sample(self, population: Sequence[T], k: int) -> list[T]:
        return list(population[:k])


def ctx(app: AppContext) -> dict[str, Any]:
    return {"app": app}


async def player(app: AppContext, name: str, wealth: int = 0, community: int = 1) -> int:
    ref = await ensure_player(community, "console", UserRef(id=name, name=name))
    if wealth:
        await apply_delta(db(), ref.id, wealth, 0, "test", "starting money", None, app.rules)
    return ref.id


async def equip(user_id: int, key: str, community: int = 1) -> int:
    item = catalogue().items[key]
    row = await UserInventory.create(community_id=community, user_id=user_id, item_id=key,
                                     durability=item.durability, is_equipped=True,
                                     slot=item.slot)
    return int(row.id)


async def ledger(event_type: str) -> list[dict[str, Any]]:
    return await fetch("SELECT user_id, wealth_delta, description FROM game_events"
                       " WHERE event_type = $1 ORDER BY id", event_type)


async def local_texts(app: AppContext) -> list[str]:
    """What the console channel ``local`` was told (a broadcast goes to every channel)."""
    raw = await app.redis.lrange(app.keys.outbox("console"), 0, -1)  # type: ignore[misc]
    return [r["text"] for r in map(json.loads, raw) if r["channel"] == "local"]


async def wealth(user_id: int) -> int:
    return int((await fetch("SELECT wealth FROM users WHERE id = $1", user_id))[0]["wealth"])


# --- the schedule --------------------------------------------------------------------------


def test_latest_due_is_the_last_slot_at_or_before_now() -> None:
    six, three, day = timedelta(hours=6), timedelta(hours=3), timedelta(days=1)
    at = datetime(2026, 11, 23, 13, 59, 59, tzinfo=UTC)
    assert latest_due(at, six) == UTC0 + timedelta(hours=12)
    assert latest_due(at, three) == UTC0 + timedelta(hours=12)
    assert latest_due(at, day) == UTC0
    assert latest_due(UTC0 + timedelta(hours=18), six) == UTC0 + timedelta(hours=18)
    assert latest_due(UTC0 - timedelta(microseconds=1), six) == UTC0 - timedelta(hours=6)
    assert latest_due(at, six, anchor=UTC0 + timedelta(hours=1)) == UTC0 + timedelta(hours=13)
    with pytest.raises(ValueError):
        latest_due(at.replace(tzinfo=None), six)


def test_the_economy_crons_tick_every_minute_once(settings: Any) -> None:
    crons = {c.name.removeprefix("cron:"): c for c in cron_options(settings)["cron_jobs"]}
    for name in ("rotate_market", "pay_businesses", "daily_upkeep", "expire_buffs",
                 "expire_escrow"):
        job = crons[name]
        assert job.unique and job.run_at_startup, name
        assert job.minute is None and isinstance(job.second, set) and len(job.second) == 1


class Abandon(Exception):
    pass


async def test_a_claim_commits_with_its_work_or_not_at_all(app: AppContext) -> None:
    async def claim() -> bool:
        async with in_transaction("default") as conn:
            return await claim_run(conn, 1, "probe", UTC0)

    go = asyncio.Event()

    async def later() -> bool:
        await go.wait()
        return await claim()

    # created outside the transaction: a task inherits the transaction it is created in
    rival = asyncio.create_task(later())
    with pytest.raises(Abandon):
        async with in_transaction("default") as conn:
            assert await claim_run(conn, 1, "probe", UTC0)
            go.set()
            await asyncio.sleep(0.2)
            assert not rival.done()  # waits on the uncommitted claim
            raise Abandon  # the work failed: the claim goes with it
    assert await rival  # the waiting claimer takes it over
    assert not await claim()
    assert await due_communities(db(), "probe", UTC0) == []
    assert await due_communities(db(), "probe", UTC0 + timedelta(hours=6)) == [1]


async def test_one_communitys_failure_costs_only_itself(app: AppContext, clock: Any) -> None:
    await Community.create(id=2, slug="two")
    ran: list[int] = []

    async def work(app: AppContext, conn: BaseDBAsyncClient, community: int,
                   due_at: datetime) -> RunResult:
        if community == 1:
            await conn.execute_query("SELECT 1")
            raise RuntimeError("a bug")
        ran.append(community)
        return RunResult({"n": 1})

    first = await run_due(app, "probe", timedelta(hours=6), work)
    assert first == {"communities": 1, "failed": 1, "n": 1} and ran == [2]
    # community 1's claim rolled back with its work: the next tick tries it again
    assert await CronRun.filter(job="probe").values_list("community_id", flat=True) == [2]

    async def fixed(app: AppContext, conn: BaseDBAsyncClient, community: int,
                    due_at: datetime) -> RunResult:
        ran.append(community)
        return RunResult()

    assert (await run_due(app, "probe", timedelta(hours=6), fixed))["communities"] == 1
    assert ran == [2, 1]
    assert (await run_due(app, "probe", timedelta(hours=6), fixed))["communities"] == 0


# --- the Black Market ----------------------------------------------------------------------


async def market() -> list[dict[str, Any]]:
    return await BlackMarketInventory.filter(community_id=1).order_by("id").values(
        "id", "item_id", "rotation_at", "stock", "initial_stock", "price", "featured")


def check_rotation(offers: list[dict[str, Any]], rules: Rules) -> None:
    items = catalogue().items
    by_tier = {tier: [o for o in offers if items[o["item_id"]].tier == tier]
               for tier in ITEM_TIERS}
    for index, tier in enumerate(ITEM_TIERS):
        low, high = rules.market_kinds[index]
        kinds = len(by_tier[tier])
        available = sum(1 for i in items.values() if i.tier == tier)
        if not (tier == "legendary" and kinds == 0):  # the legendary comes by chance
            assert min(low, available) <= kinds <= min(high, available), (tier, kinds)
        s_low, s_high = rules.market_stock[index]
        for offer in by_tier[tier]:
            assert s_low <= offer["stock"] == offer["initial_stock"] <= s_high, offer
    featured = [o for o in offers if o["featured"]]
    assert len(featured) == 1
    for offer in offers:
        full = items[offer["item_id"]].price
        assert offer["price"] == (floor_share(full, 1 - rules.market_featured_discount)
                                  if offer["featured"] else full)


async def test_market_rotation_replaces_the_offers_once_per_due_time(
        app: AppContext, clock: Any) -> None:
    assert (await rotate_market(ctx(app)))["communities"] == 1
    first = await market()
    assert first and {o["rotation_at"] for o in first} == {UTC0 + timedelta(hours=12)}
    check_rotation(first, app.rules)
    clock.now += timedelta(hours=5, minutes=59)
    assert (await rotate_market(ctx(app)))["communities"] == 0  # same due time: no-op
    assert await market() == first
    clock.now += timedelta(minutes=1)  # 18:00
    await rotate_market(ctx(app))
    second = await market()
    assert {o["rotation_at"] for o in second} == {UTC0 + timedelta(hours=18)}
    assert not {o["id"] for o in first} & {o["id"] for o in second}  # old rotation gone
    check_rotation(second, app.rules)


async def test_market_rotations_follow_the_rules(app: AppContext, clock: Any) -> None:
    for _ in range(12):  # three days of rotations, legendary or not
        await rotate_market(ctx(app))
        check_rotation(await market(), app.rules)
        clock.now += timedelta(hours=6)
    assert await CronRun.filter(job="rotate_market").count() == 12


async def test_concurrent_market_rotations_rotate_once(app: AppContext) -> None:
    results = await asyncio.gather(rotate_market(ctx(app)), rotate_market(ctx(app)))
    assert sorted(r["communities"] for r in results) == [0, 1]
    offers = await market()
    assert len(offers) == sum(r.get("offers", 0) for r in results)
    assert await CronRun.filter(job="rotate_market").count() == 1


async def test_a_missed_rotation_runs_once(app: AppContext, clock: Any) -> None:
    await rotate_market(ctx(app))
    clock.now += timedelta(hours=25)  # past 18:00, 00:00, 06:00 and 12:00
    assert (await rotate_market(ctx(app)))["communities"] == 1
    assert (await rotate_market(ctx(app)))["communities"] == 0
    assert {o["rotation_at"] for o in await market()} == {UTC0 + timedelta(days=1, hours=12)}
    assert await CronRun.filter(job="rotate_market").count() == 2


# --- businesses ----------------------------------------------------------------------------


async def test_businesses_pay_once_per_due_time(app: AppContext) -> None:
    app.rng = MaxRng()  # type: ignore[assignment]
    alice, bob = await player(app, "alice"), await player(app, "bob")
    carol, dave = await player(app, "carol"), await player(app, "dave")
    await equip(alice, "food_cart")
    await equip(bob, "food_cart")
    await ActiveBuff.create(community_id=1, user_id=bob, category="business",
                            buff_key="business_boost_150", multiplier=Decimal("1.5"),
                            expires_at=app.clock() + timedelta(hours=1))
    await equip(carol, "rusty_knife")  # not a business
    await UserInventory.create(community_id=1, user_id=dave, item_id="pawn_shop",
                               durability=100)  # held, not equipped
    for _ in range(2):
        await pay_businesses(ctx(app))
    # (2,500 × 1.2 − 500) / 8 = 312.5; with the ×1.5 buff 468.75
    rows = await ledger("business")
    assert [(r["user_id"], r["wealth_delta"]) for r in rows] == [(alice, 312), (bob, 468)]
    assert all("Food Cart" in r["description"] for r in rows)
    history = await BusinessRevenueHistory.all().order_by("user_id").values(
        "user_id", "amount", "due_at", "item_id")
    assert history == [
        {"user_id": alice, "amount": 312, "due_at": UTC0 + timedelta(hours=12),
         "item_id": "food_cart"},
        {"user_id": bob, "amount": 468, "due_at": UTC0 + timedelta(hours=12),
         "item_id": "food_cart"}]
    assert await wealth(alice) == 312 and await wealth(carol) == 0 and await wealth(dave) == 0


async def test_concurrent_payouts_pay_once(app: AppContext) -> None:
    users = [await player(app, f"p{i}") for i in range(5)]
    for user in users:
        await equip(user, "pawn_shop")
    await asyncio.gather(*(pay_businesses(ctx(app)) for _ in range(3)))
    rows = await ledger("business")
    assert sorted(r["user_id"] for r in rows) == users
    assert await BusinessRevenueHistory.all().count() == 5


async def test_a_missed_payout_runs_once(app: AppContext, clock: Any) -> None:
    alice = await player(app, "alice")
    await equip(alice, "neon_nightclub")
    await pay_businesses(ctx(app))
    clock.now += timedelta(hours=13)  # 01:00 next day: four due times passed
    await pay_businesses(ctx(app))
    await pay_businesses(ctx(app))
    assert await BusinessRevenueHistory.filter(user_id=alice).order_by("due_at").values_list(
        "due_at", flat=True) == [UTC0 + timedelta(hours=12), UTC0 + timedelta(days=1)]
    assert len(await ledger("business")) == 2


async def test_payouts_never_pass_the_daily_cap(app: AppContext, clock: Any) -> None:
    app.rng = MaxRng()  # type: ignore[assignment]
    app.rules_cache = RulesCache(Rules(business_daily_cap=5_000))
    alice = await player(app, "alice")
    await equip(alice, "underground_casino")  # (30,000 × 1.2 − 8,000) / 8 = 3,500 a payout
    clock.now = UTC0
    for _ in range(8):  # a whole day of due times
        await pay_businesses(ctx(app))
        clock.now += timedelta(hours=3)
    assert [r["wealth_delta"] for r in await ledger("business")] == [3_500, 1_500]
    assert await wealth(alice) == 5_000
    assert await BusinessRevenueHistory.all().count() == 2  # nothing paid, nothing written
    await pay_businesses(ctx(app))  # the next day starts from nothing
    assert await wealth(alice) == 8_500
    assert await CronRun.filter(job="pay_businesses").count() == 9


# --- housing upkeep and insurance ----------------------------------------------------------


async def debt_of(user_id: int) -> int | None:
    row = await HousingDebt.filter(user_id=user_id).first()
    return row.debt_days if row else None


async def test_upkeep_is_charged_once_a_day(app: AppContext, clock: Any) -> None:
    alice = await player(app, "alice", 1_000)
    await equip(alice, "studio_apt")
    await HousingDebt.create(community_id=1, user_id=alice, debt_days=2)
    await asyncio.gather(daily_upkeep(ctx(app)), daily_upkeep(ctx(app)))
    await daily_upkeep(ctx(app))
    assert [r["wealth_delta"] for r in await ledger("upkeep")] == [-300]
    assert await debt_of(alice) is None  # paying clears the debt
    clock.now += timedelta(days=3)  # three days missed: charged once
    await daily_upkeep(ctx(app))
    assert await wealth(alice) == 400


async def test_unpaid_upkeep_for_seven_days_evicts(app: AppContext, clock: Any) -> None:
    alice = await player(app, "alice")
    bob = await player(app, "bob", 1_000)
    house = await equip(alice, "coffin_motel")
    await equip(bob, "coffin_motel")
    await clear_outbox(app)
    for day in range(1, 7):
        await daily_upkeep(ctx(app))
        await daily_upkeep(ctx(app))  # the same day again: no second day of debt
        assert await debt_of(alice) == day
        clock.now += timedelta(days=1)
    assert await local_texts(app) == []
    assert (await daily_upkeep(ctx(app)))["evicted"] == 1
    row = await UserInventory.get(id=house)
    assert not row.is_equipped and row.slot is None  # still in the inventory
    assert await debt_of(alice) is None
    told = await local_texts(app)
    assert len(told) == 1 and "@alice (Coffin Motel)" in told[0] and "evicted" in told[0]
    assert "bob" not in told[0] and await debt_of(bob) is None
    assert [(r["user_id"], r["wealth_delta"]) for r in await ledger("upkeep")] == \
        [(bob, -100)] * 7
    clock.now += timedelta(days=1)  # no housing equipped: nothing owed
    await daily_upkeep(ctx(app))
    assert await debt_of(alice) is None and len(await ledger("upkeep")) == 8


async def test_premiums_are_charged_daily_and_unpaid_plans_dropped(
        app: AppContext, clock: Any) -> None:
    clock.now = UTC0 + timedelta(minutes=1)
    rich, poor = await player(app, "rich", 20_000), await player(app, "poor", 999)
    fresh = await player(app, "fresh", 20_000)
    plan = catalogue().plans["basic"]
    for user, paid_until in ((rich, UTC0), (poor, UTC0), (fresh, UTC0 + timedelta(hours=8))):
        await UserInsurance.create(community_id=1, user_id=user, plan=plan.key,
                                   share=plan.share, premium=plan.premium,
                                   started_at=paid_until - timedelta(days=1),
                                   paid_until=paid_until)
    await clear_outbox(app)
    await asyncio.gather(daily_upkeep(ctx(app)), daily_upkeep(ctx(app)))
    await daily_upkeep(ctx(app))
    charged = await ledger("insurance_premium")
    assert [(r["user_id"], r["wealth_delta"]) for r in charged] == [(rich, -1_000)]
    assert "Basic" in charged[0]["description"]
    plans = {r["user_id"]: r["paid_until"]
             for r in await UserInsurance.all().values("user_id", "paid_until")}
    assert plans == {rich: UTC0 + timedelta(days=1),  # poor's plan dropped
                     fresh: UTC0 + timedelta(hours=8)}
    told = await local_texts(app)
    assert len(told) == 1 and "@poor (Basic)" in told[0] and "dropped" in told[0]
    clock.now += timedelta(days=1)  # fresh's first day was paid when it was taken
    await daily_upkeep(ctx(app))
    assert sorted(r["user_id"] for r in await ledger("insurance_premium")) == \
        sorted([rich, rich, fresh])
    assert await wealth(poor) == 999


async def test_upkeep_is_paid_before_the_premium(app: AppContext, clock: Any) -> None:
    alice = await player(app, "alice", 1_500)  # upkeep 800 leaves too little for 1,000
    await equip(alice, "downtown_loft")
    await UserInsurance.create(community_id=1, user_id=alice, plan="basic",
                               share=Decimal("0.25"), premium=1_000,
                               started_at=UTC0 - timedelta(days=1), paid_until=UTC0)
    result = await daily_upkeep(ctx(app))
    assert (result["upkeep"], result["premiums"], result["dropped"]) == (1, 0, 1)
    assert await wealth(alice) == 700


# --- expiries ------------------------------------------------------------------------------


async def test_expired_buffs_are_deleted(app: AppContext) -> None:
    alice = await player(app, "alice")
    now = app.clock()
    for category, expires in (("xp", now - timedelta(seconds=1)), ("business", now),
                              ("rob_attack", now + timedelta(seconds=1))):
        await ActiveBuff.create(community_id=1, user_id=alice, category=category,
                                buff_key=category, multiplier=Decimal("1.1"),
                                expires_at=expires)
    assert await expire_buffs(ctx(app)) == {"buffs": 2}
    assert await expire_buffs(ctx(app)) == {"buffs": 0}
    assert await ActiveBuff.all().values_list("category", flat=True) == ["rob_attack"]


async def test_expired_escrow_is_deleted_and_each_player_told_once(app: AppContext) -> None:
    alice, bob = await player(app, "alice"), await player(app, "bob")
    now = app.clock()
    past, future = now - timedelta(minutes=1), now + timedelta(hours=1)

    async def escrow(user: int, key: str, expires: datetime, platform: str = "console",
                     channel: str = "local") -> None:
        await UserInventory.create(community_id=1, user_id=user, item_id=key, durability=100,
                                   is_escrowed=True, escrow_expires_at=expires,
                                   notify_platform=platform, notify_channel=channel)

    await escrow(alice, "rusty_knife", past)
    await escrow(alice, "leather_jacket", now)
    await escrow(alice, "kevlar_vest", future)
    await escrow(bob, "rusty_knife", past, "twitch", "chan")
    await UserInventory.create(community_id=1, user_id=bob, item_id="pawn_shop",
                               durability=100)  # held, never escrowed
    for tier, expires in (("common", past), ("common", past), ("rare", future)):
        await UserCrate.create(community_id=1, user_id=alice, tier=tier, source="drop",
                               is_escrowed=True, escrow_expires_at=expires,
                               notify_platform="console", notify_channel="local")
    await clear_outbox(app)
    await clear_outbox(app, "twitch")
    assert await expire_escrow(ctx(app)) == {"items": 3, "crates": 2, "told": 2}
    assert await expire_escrow(ctx(app)) == {"items": 0, "crates": 0, "told": 0}
    left = await UserInventory.all().order_by("id").values_list("item_id", flat=True)
    assert left == ["kevlar_vest", "pawn_shop"]
    assert await UserCrate.all().values_list("tier", flat=True) == ["rare"]
    console = await outbox_texts(app)
    assert len(console) == 1, console  # one line for alice, however many things expired
    assert console[0].startswith("@alice your ") and console[0].endswith(" expired in escrow")
    for name in ("Rusty Knife", "Leather Jacket", "2× Common Crate"):
        assert name in console[0]
    assert await outbox_texts(app, "twitch") == ["@bob your Rusty Knife expired in escrow"]


async def test_concurrent_escrow_expiries_tell_about_each_thing_once(app: AppContext) -> None:
    alice = await player(app, "alice")
    past = app.clock() - timedelta(minutes=1)
    keys = ["rusty_knife", "brass_knuckles", "combat_knife", "leather_jacket", "padded_vest"]
    for key in keys:
        await UserInventory.create(community_id=1, user_id=alice, item_id=key, durability=100,
                                   is_escrowed=True, escrow_expires_at=past,
                                   notify_platform="console", notify_channel="local")
    await clear_outbox(app)
    results = await asyncio.gather(*(expire_escrow(ctx(app)) for _ in range(3)))
    assert sum(r["items"] for r in results) == 5 and await UserInventory.all().count() == 0
    told = " ".join(await outbox_texts(app))  # the runs may split the rows between them
    items = catalogue().items
    assert all(told.count(items[key].name) == 1 for key in keys), told


async def test_a_faction_holding_a_business_territory_earns_more(app: AppContext) -> None:
    app.rng = MaxRng()  # type: ignore[assignment]
    alice, bob = await player(app, "alice"), await player(app, "bob")
    for user in (alice, bob):
        await equip(user, "food_cart")
    await fetch("INSERT INTO faction_members (community_id, user_id, faction_id, territory_key,"
                " joined_at, captures) VALUES (1, $1, 'volkov', 'neon_mile', now(), 0)", alice)
    await fetch("INSERT INTO territories (community_id, key, faction_id) VALUES"
                " (1, 'neon_mile', 'volkov'), (1, 'rustlands', 'volkov'),"
                " (1, 'chrome_heights', 'volkov')")
    await pay_businesses(ctx(app))
    rows = await ledger("business")
    # 312.5 × (1 + 10% + 10%) = 375; bob is in no faction: 312
    assert [(r["user_id"], r["wealth_delta"]) for r in rows] == [(alice, 375), (bob, 312)]
