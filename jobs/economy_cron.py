"""The economy's scheduled jobs (GAME.md "Shops", "Businesses, housing, insurance (cron)",
"Items", "Crates and titles"), registered in workers/main.py ``cron_options`` to tick every
minute:

* ``rotate_market`` — every ``market_rotation_hours`` (00/06/12/18 UTC): a fresh Black
  Market per community (``game.shop.roll_market``), older rotations' offers deleted;
* ``pay_businesses`` — every ``24 / business_payouts_per_day`` hours: each equipped business
  pays (``game.property.business_payout``), capped per player per UTC day;
* ``daily_upkeep`` — 00:00 UTC: housing upkeep (debt, eviction) and insurance premiums;
* ``expire_buffs`` — buffs past ``expires_at`` deleted;
* ``expire_escrow`` — items and crates left in escrow past ``escrow_expires_at`` deleted,
  each player told once per run in the channel stored on the rows.

The first three run once per due time per community through jobs/schedule.py (a
``cron_runs`` claim committed with the work). Their schedules are the deployment's rules
(``app.rules``: the intervals are not per-community tunables); the numbers inside a run are
the community's own rules. The two expiries need no claim: they delete what is due
(``FOR UPDATE SKIP LOCKED``, so concurrent runs split the rows and never both act on one).

Players are processed in id order and locked before their other rows are touched, like
commands do (jobs/state.lock_users), so a run never deadlocks with a command or a rob.

Who is told what: an escrow expiry goes to the player's channel stored on the row
(``notify_platform``, ``notify_channel``; none stored, no notice). An eviction or a dropped
insurance plan has no channel of the player's to go to (nothing stores where a player last
chatted), so it is one announcement per community run, through ``jobs.broadcast.broadcast``
to the community's chat channels (and its Discord feed), naming each player. Notices are
queued after the commit (jobs/schedule.py says what that costs).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from game.catalogue import InsurancePlan, catalogue
from game.events import Platform
from game.factions import territory_modifiers
from game.modifiers import ZERO, Modifiers, business_factor
from game.property import business_payout, payout_interval, premium, upkeep
from game.replies import Reply, mention
from game.shop import roll_market
from jobs.broadcast import broadcast
from jobs.context import AppContext, app_from
from jobs.ledger import apply_delta
from jobs.schedule import RunResult, day_start, push_after_commit, run_due
from jobs.state import lock_users
from models.economy import (
    ActiveBuff,
    BlackMarketInventory,
    BusinessRevenueHistory,
    HousingDebt,
    UserInsurance,
    UserInventory,
)
from models.players import PlayerIdentity, User
from models.streams import StreamingSession

log = logging.getLogger(__name__)

ONE = Decimal(1)
DAY = timedelta(days=1)
ESCROW_CHUNK = 500  # escrow rows deleted per transaction

# Hand-written: Tortoise has neither DELETE … RETURNING nor FOR UPDATE on a values() query.
# The rows due (index on escrow_expires_at) are taken with SKIP LOCKED, so two runs split
# them and each row is deleted, and told about, by one run only; a row a player is claiming
# right now is left for the next tick.
_EXPIRE = (
    "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE is_escrowed"
    " AND escrow_expires_at <= $1 ORDER BY escrow_expires_at, id LIMIT $2"
    " FOR UPDATE SKIP LOCKED)"
    " RETURNING community_id, user_id, {what}, notify_platform, notify_channel"
)
_EXPIRE_ITEMS = _EXPIRE.format(table="user_inventory", what="item_id")
_EXPIRE_CRATES = _EXPIRE.format(table="user_crates", what="tier")


def _source(job: str, due_at: datetime) -> str:
    return f"cron:{job}:{due_at.isoformat()}"


# --- the Black Market ----------------------------------------------------------------------


async def rotate_market(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron: a new Black Market rotation per community, every market_rotation_hours."""
    app = app_from(ctx)
    return await run_due(app, "rotate_market", timedelta(hours=app.rules.market_rotation_hours),
                         _rotate_market)


async def _rotate_market(app: AppContext, conn: BaseDBAsyncClient, community: int,
                         due_at: datetime) -> RunResult:
    rules = await app.rules_cache.get(community)
    offers = roll_market(app.rng, catalogue(), rules)
    removed = await BlackMarketInventory.filter(
        community_id=community, rotation_at__lt=due_at).using_db(conn).delete()
    await BlackMarketInventory.bulk_create([
        BlackMarketInventory(community_id=community, item_id=o.item_key, rotation_at=due_at,
                             stock=o.stock, initial_stock=o.stock, price=o.price,
                             featured=o.featured)
        for o in offers], using_db=conn)
    return RunResult({"offers": len(offers), "removed": removed})


# --- businesses ----------------------------------------------------------------------------


async def pay_businesses(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron: every equipped business pays, business_payouts_per_day times a day."""
    app = app_from(ctx)
    return await run_due(app, "pay_businesses", payout_interval(app.rules), _pay_businesses)


async def _pay_businesses(app: AppContext, conn: BaseDBAsyncClient, community: int,
                          due_at: datetime) -> RunResult:
    rules = await app.rules_cache.get(community)
    cat = catalogue()
    equipped: dict[int, str] = {}
    for row in await UserInventory.filter(
            community_id=community, is_equipped=True, slot="business").using_db(conn).order_by(
            "user_id", "id").values("user_id", "item_id"):
        equipped.setdefault(row["user_id"], row["item_id"])  # one earns (GAME.md)
    if not equipped:
        return RunResult({"paid": 0, "wealth": 0})
    users = sorted(equipped)
    paid_today: dict[int, int] = {
        r["user_id"]: int(r["total"] or 0)
        for r in await BusinessRevenueHistory.filter(
            community_id=community, user_id__in=users, due_at__gte=day_start(due_at),
            due_at__lt=due_at).using_db(conn).group_by("user_id").annotate(
            total=Sum("amount")).values("user_id", "total")}
    buffs: dict[int, Decimal] = {
        r["user_id"]: Decimal(r["multiplier"])
        for r in await ActiveBuff.filter(
            community_id=community, user_id__in=users, category="business",
            expires_at__gt=app.clock()).using_db(conn).values("user_id", "multiplier")}
    live = await StreamingSession.filter(community_id=community, ended_at=None).using_db(
        conn).first().values("juicernaut_id")
    crowned = live["juicernaut_id"] if live else None
    # the territories each owner's faction holds (Neon Mile, Rustlands: business +10%)
    held: dict[int, list[str]] = {
        int(r["user_id"]): list(r["keys"]) for r in await conn.execute_query_dict(
            "SELECT m.user_id, array_agg(t.key) AS keys FROM faction_members m"
            " JOIN territories t ON t.community_id = m.community_id"
            " AND t.faction_id = m.faction_id WHERE m.community_id = $1"
            " AND m.user_id = ANY($2::bigint[]) GROUP BY m.user_id", [community, users])}
    history: list[BusinessRevenueHistory] = []
    total = 0
    for user_id in users:  # id order: the ledger statement locks each player's row
        item = cat.items.get(equipped[user_id])
        if item is None or item.type != "business":
            log.warning("community %s user %s: business slot holds %r, not a business",
                        community, user_id, equipped[user_id])
            continue
        territory = territory_modifiers(held.get(user_id, ()))
        factor = business_factor(Modifiers(
            business=buffs.get(user_id, ONE), juicernaut=user_id == crowned,
            territory_business=territory.get("territory_business", ZERO)), rules)
        amount = business_payout(item, app.rng, factor, paid_today.get(user_id, 0), rules)
        if amount <= 0:
            continue
        await apply_delta(conn, user_id, amount, 0, "business", f"{item.name} revenue",
                          _source("pay_businesses", due_at), rules)
        history.append(BusinessRevenueHistory(community_id=community, user_id=user_id,
                                              item_id=item.key, amount=amount, due_at=due_at))
        total += amount
    await BusinessRevenueHistory.bulk_create(history, using_db=conn)
    return RunResult({"paid": len(history), "wealth": total})


# --- housing upkeep and insurance premiums -------------------------------------------------


async def daily_upkeep(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron: housing upkeep and insurance premiums, once a day at 00:00 UTC."""
    return await run_due(app_from(ctx), "daily_upkeep", DAY, _daily_upkeep)


async def _daily_upkeep(app: AppContext, conn: BaseDBAsyncClient, community: int,
                        due_at: datetime) -> RunResult:
    rules = await app.rules_cache.get(community)
    cat = catalogue()
    # who owes something today; then lock them (id order) and read their rows again, as
    # a command holding the lock may have changed them meanwhile
    candidates = {int(r["user_id"]) for r in await UserInventory.filter(
        community_id=community, is_equipped=True, slot="housing").using_db(conn).values(
        "user_id")}
    candidates |= {int(r["user_id"]) for r in await UserInsurance.filter(
        community_id=community, paid_until__lte=due_at).using_db(conn).values("user_id")}
    if not candidates:
        return RunResult({"upkeep": 0, "unpaid": 0, "evicted": 0, "premiums": 0,
                          "dropped": 0})
    users = await lock_users(conn, *candidates)
    ids = sorted(users)
    housing: dict[int, tuple[int, str]] = {}
    for row in await UserInventory.filter(
            community_id=community, user_id__in=ids, is_equipped=True,
            slot="housing").using_db(conn).order_by("user_id", "id").values(
            "id", "user_id", "item_id"):
        housing.setdefault(row["user_id"], (row["id"], row["item_id"]))
    plans: dict[int, dict[str, Any]] = {r["user_id"]: r for r in await UserInsurance.filter(
        community_id=community, user_id__in=ids, paid_until__lte=due_at).using_db(conn).values(
        "id", "user_id", "plan", "share", "premium")}
    debts: dict[int, int] = {r["user_id"]: r["debt_days"] for r in await HousingDebt.filter(
        community_id=community, user_id__in=ids).using_db(conn).values("user_id", "debt_days")}
    counts = Counter({"upkeep": 0, "unpaid": 0, "evicted": 0, "premiums": 0, "dropped": 0})
    evicted: list[str] = []
    dropped: list[str] = []
    new_debts: dict[int, int] = {}
    source = _source("daily_upkeep", due_at)
    for user_id in ids:
        user = users[user_id]
        wealth = user.wealth
        if user_id in housing:
            row_id, key = housing[user_id]
            item = cat.items.get(key)
            if item is None or item.type != "housing":
                log.warning("community %s user %s: housing slot holds %r, not housing",
                            community, user_id, key)
            else:
                owed = debts.get(user_id, 0)
                outcome = upkeep(item, wealth, owed, rules)
                if outcome.charged:
                    balance = await apply_delta(conn, user_id, -outcome.charged, 0, "upkeep",
                                                f"{item.name} upkeep", source, rules)
                    wealth = balance.wealth
                    counts["upkeep"] += 1
                else:
                    counts["unpaid"] += 1
                if outcome.evicted:
                    await UserInventory.filter(id=row_id).using_db(conn).update(
                        is_equipped=False, slot=None, equipped_at=None)
                    evicted.append(f"{mention(user.username)} ({item.name})")
                    counts["evicted"] += 1
                if outcome.debt_days != owed:
                    new_debts[user_id] = outcome.debt_days
        plan_row = plans.get(user_id)
        if plan_row is not None:
            # the price agreed when the plan was taken (the catalogue gives only its name)
            known = cat.plans.get(plan_row["plan"])
            plan = InsurancePlan(plan_row["plan"], known.name if known else plan_row["plan"],
                                 Decimal(plan_row["share"]), int(plan_row["premium"]))
            charge = premium(plan, wealth)
            if charge.charged:
                await apply_delta(conn, user_id, -charge.charged, 0, "insurance_premium",
                                  f"{plan.name} insurance", source, rules)
                await UserInsurance.filter(id=plan_row["id"]).using_db(conn).update(
                    paid_until=due_at + DAY)
                counts["premiums"] += 1
            if charge.dropped:
                await UserInsurance.filter(id=plan_row["id"]).using_db(conn).delete()
                dropped.append(f"{mention(user.username)} ({plan.name})")
                counts["dropped"] += 1
    await _write_debts(conn, community, new_debts, app.clock())
    replies: list[Reply] = []
    notices = []
    if evicted:
        notices.append(f"🏚️ evicted after {rules.debt_evict_days} days of unpaid upkeep: "
                       f"{', '.join(evicted)} — the housing stays in the inventory")
    if dropped:
        notices.append(f"🛡️ insurance dropped, premium unpaid: {', '.join(dropped)}")
    if notices:
        replies = await broadcast(app, community, " · ".join(notices))
    return RunResult(dict(counts), replies)


async def _write_debts(conn: BaseDBAsyncClient, community: int, debts: dict[int, int],
                       now: datetime) -> None:
    """Debt days as they are now: cleared debts (paid, or written off by an eviction)
    deleted, the others upserted."""
    cleared = [u for u, days in debts.items() if days == 0]
    if cleared:
        await HousingDebt.filter(community_id=community, user_id__in=cleared).using_db(
            conn).delete()
    owing = [HousingDebt(community_id=community, user_id=u, debt_days=days, updated_at=now)
             for u, days in debts.items() if days > 0]
    if owing:
        await HousingDebt.bulk_create(owing, on_conflict=["community_id", "user_id"],
                                      update_fields=["debt_days", "updated_at"],
                                      using_db=conn)


# --- expiries ------------------------------------------------------------------------------


async def expire_buffs(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron: delete buffs that ran out (idempotent; no claim needed)."""
    app = app_from(ctx)
    expired = await ActiveBuff.filter(expires_at__lte=app.clock()).delete()
    if expired:
        log.info("expired %d buffs", expired)
    return {"buffs": expired}


async def expire_escrow(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron: delete items and crates left in escrow past their expiry, and tell each
    player once (one line per player and channel) where the rows say."""
    app = app_from(ctx)
    now = app.clock()
    # (community, user, platform, channel) -> what expired
    lost: dict[tuple[int, int, str, str], list[str]] = defaultdict(list)
    cat = catalogue()
    items = crates = 0
    while True:
        async with in_transaction("default") as conn:
            item_rows = await conn.execute_query_dict(_EXPIRE_ITEMS, [now, ESCROW_CHUNK])
            crate_rows = await conn.execute_query_dict(_EXPIRE_CRATES, [now, ESCROW_CHUNK])
        for r in item_rows:
            known = cat.items.get(r["item_id"])
            lost[_whom(r)].append(known.name if known else r["item_id"])
        for r in crate_rows:
            crate = cat.crates.get(r["tier"])
            lost[_whom(r)].append(crate.name if crate else f"{r['tier']} crate")
        items += len(item_rows)
        crates += len(crate_rows)
        if len(item_rows) < ESCROW_CHUNK and len(crate_rows) < ESCROW_CHUNK:
            break
    notices = await _escrow_notices(lost) if lost else []
    await push_after_commit(app, notices, "escrow expiry")
    if lost:
        log.info("escrow expired: %d items, %d crates; %d players told", items, crates,
                 len(notices))
    return {"items": items, "crates": crates, "told": len(notices)}


def _whom(row: dict[str, Any]) -> tuple[int, int, str, str]:
    return (row["community_id"], row["user_id"], row["notify_platform"], row["notify_channel"])


async def _escrow_notices(lost: dict[tuple[int, int, str, str], list[str]]) -> list[Reply]:
    told = {k: v for k, v in lost.items() if k[2] in Platform._value2member_map_ and k[3]}
    if len(told) < len(lost):
        log.info("escrow expiry: %d players with no channel stored were not told",
                 len(lost) - len(told))
    if not told:
        return []
    names: dict[tuple[int, str], str] = {}
    for row in await PlayerIdentity.filter(
            user_id__in=sorted({k[1] for k in told})).order_by("id").values(
            "user_id", "platform", "username"):  # the newest account on a platform wins
        names[(row["user_id"], row["platform"])] = row["username"]
    fallback = {row["id"]: row["username"] for row in await User.filter(
        id__in=sorted({k[1] for k in told})).values("id", "username")}
    replies = []
    for (_, user_id, platform, channel), what in told.items():
        name = names.get((user_id, platform)) or fallback.get(user_id, "player")
        replies.append(Reply(platform=Platform(platform), channel=channel,
                             text=f"{mention(name)} your {_listing(what)} expired in escrow"))
    return replies


def _listing(names: list[str]) -> str:
    counted = Counter(names)
    parts = [f"{n}× {name}" if n > 1 else name for name, n in counted.items()]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
