"""Supplies: ``!supplies``, ``!buysupply <item>``, ``!buffs``, and the consumables other
commands use up (a Bail Bond on ``!bail``, a Reroll Token on ``!reroll``, a Crate Magnet on
``!play``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from game.actions import money
from game.catalogue import BuffCategory, catalogue
from game.matching import match_name
from game.shop import check_affordable
from game.supplies import (
    active_buffs,
    buy_buff,
    check_hold,
    format_buffs,
    format_supplies,
    supply_candidates,
    times,
)
from jobs import state
from jobs.inventory import item_query
from jobs.ledger import apply_delta
from jobs.turn import Turn
from models.economy import ActiveBuff, UserConsumable


async def held_consumables(conn: BaseDBAsyncClient, community: int, user_id: int
                           ) -> dict[str, int]:
    rows = await UserConsumable.filter(community_id=community, user_id=user_id,
                                       quantity__gt=0).using_db(conn).values_list(
                                           "key", "quantity")
    return {k: q for k, q in rows}


async def use_consumable(conn: BaseDBAsyncClient, community: int, user_id: int, key: str
                         ) -> bool:
    """Use one up; False when none is held."""
    changed = await UserConsumable.filter(
        community_id=community, user_id=user_id, key=key, quantity__gt=0
    ).using_db(conn).update(quantity=F("quantity") - 1)
    return bool(changed)


async def add_consumable(conn: BaseDBAsyncClient, community: int, user_id: int, key: str
                         ) -> None:
    await conn.execute_query(
        "INSERT INTO user_consumables (community_id, user_id, key, quantity)"
        " VALUES ($1, $2, $3, 1) ON CONFLICT (community_id, user_id, key)"
        " DO UPDATE SET quantity = user_consumables.quantity + 1", [community, user_id, key])


async def buffs_of(conn: BaseDBAsyncClient, community: int, user_id: int, now: datetime
                   ) -> dict[BuffCategory, tuple[Decimal, datetime]]:
    rows = await ActiveBuff.filter(community_id=community, user_id=user_id).using_db(
        conn).values_list("category", "multiplier", "expires_at")
    return active_buffs(((c, Decimal(m), e) for c, m, e in rows), now)


async def supplies(turn: Turn, conn: BaseDBAsyncClient) -> None:
    turn.say(format_supplies(catalogue(), turn.rules))


async def buysupply(turn: Turn, conn: BaseDBAsyncClient) -> None:
    query = item_query(turn)
    cat = catalogue()
    key = match_name(query, supply_candidates(cat), "supply", hint="!supplies lists them")
    user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
    buff = cat.buffs.get(key)
    if buff is not None:
        current = await buffs_of(conn, turn.community, turn.player.id, turn.now)
        purchase = buy_buff(buff, current, turn.now, turn.rules)
        check_affordable(buff.price, user.wealth)
        await conn.execute_query(
            "INSERT INTO active_buffs (community_id, user_id, category, buff_key, multiplier,"
            " expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            " ON CONFLICT (community_id, user_id, category) DO UPDATE SET"
            " buff_key = EXCLUDED.buff_key, multiplier = EXCLUDED.multiplier,"
            " expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at",
            [turn.community, turn.player.id, buff.category, buff.key, buff.multiplier,
             purchase.expires_at, turn.now])
        balance = await apply_delta(conn, turn.player.id, -buff.price, 0, "supply",
                                    f"bought {buff.name}", turn.source_key, turn.rules)
        how = ("refreshed for" if purchase.refreshed else
               f"replaces {times(purchase.replaced)}," if purchase.replaced else "active for")
        turn.say(f"🧪 {buff.name} {how} {turn.rules.buff_hours} h — {money(buff.price)}, "
                 f"now {money(balance.wealth)}")
        return
    item = cat.consumables[key]
    held = (await held_consumables(conn, turn.community, turn.player.id)).get(key, 0)
    check_hold(item, held)
    check_affordable(item.price, user.wealth)
    await add_consumable(conn, turn.community, turn.player.id, key)
    balance = await apply_delta(conn, turn.player.id, -item.price, 0, "supply",
                                f"bought {item.name}", turn.source_key, turn.rules)
    turn.say(f"🧰 bought a {item.name} ({held + 1}/{item.hold}) for {money(item.price)} — "
             f"now {money(balance.wealth)}")


async def buffs(turn: Turn, conn: BaseDBAsyncClient) -> None:
    active = await buffs_of(conn, turn.community, turn.player.id, turn.now)
    held = await held_consumables(conn, turn.community, turn.player.id)
    cat = catalogue()
    items = [f"{cat.consumables[k].name} ×{n}" for k, n in held.items() if k in cat.consumables]
    turn.say(format_buffs(active, turn.now) + (f" | holding: {', '.join(items)}" if items else ""))
