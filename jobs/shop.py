"""Shops: the personal ``!shop`` and ``!reroll``, the community's Black Market (``!market``,
rotated by jobs/economy_cron.py), and ``!buy <item>`` from either.

A market item's stock is shared: ``!buy`` takes one with a conditional UPDATE (``stock > 0``)
after every other check, so concurrent buyers never oversell and a refused buyer pays
nothing (tests/jobs/test_economy.py: 50 buyers, stock 3).
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from game.actions import money
from game.catalogue import Item, catalogue
from game.errors import NotAllowed
from game.inventory import check_can_own
from game.matching import match_name
from game.replies import Card, CardField
from game.shop import (
    check_affordable,
    check_in_stock,
    check_reroll,
    price_after,
    reroll_cooldown_until,
    roll_shop,
)
from jobs import state
from jobs.inventory import give_item, holdings, in_inventory, item_query
from jobs.ledger import apply_delta
from jobs.supplies import held_consumables, use_consumable
from jobs.turn import Turn
from models.economy import BlackMarketInventory, PlayerShopInventory


@dataclass(frozen=True)
class Offer:
    item: Item
    price: int
    market_id: int | None = None  # a Black Market offer's row
    stock: int = 0
    featured: bool = False


async def _shop(conn: BaseDBAsyncClient, turn: Turn) -> list[Offer]:
    rows = await PlayerShopInventory.filter(
        community_id=turn.community, user_id=turn.player.id).using_db(conn).order_by(
            "id").values_list("item_id", "price")
    items = catalogue().items
    return [Offer(items[k], p) for k, p in rows if k in items]


async def _roll(conn: BaseDBAsyncClient, turn: Turn, level: int) -> list[Offer]:
    """A fresh personal shop, replacing the old one."""
    cat = catalogue()
    keys = roll_shop(turn.rules.tier_for_level(level), turn.app.rng, cat, turn.rules)
    await PlayerShopInventory.filter(community_id=turn.community,
                                     user_id=turn.player.id).using_db(conn).delete()
    await PlayerShopInventory.bulk_create(
        [PlayerShopInventory(community_id=turn.community, user_id=turn.player.id, item_id=k,
                             price=cat.items[k].price, rolled_at=turn.now) for k in keys],
        using_db=conn)
    return [Offer(cat.items[k], cat.items[k].price) for k in keys]


async def market_offers(conn: BaseDBAsyncClient, community: int) -> list[Offer]:
    """The community's current rotation (the latest one stocked)."""
    latest = await BlackMarketInventory.filter(community_id=community).using_db(
        conn).order_by("-rotation_at").first().values_list("rotation_at", flat=True)
    if latest is None:
        return []
    rows = await BlackMarketInventory.filter(community_id=community, rotation_at=latest
                                             ).using_db(conn).order_by("id").values_list(
                                                 "id", "item_id", "price", "stock", "featured")
    items = catalogue().items
    return [Offer(items[k], p, i, s, f) for i, k, p, s, f in rows if k in items]


def _listing(offers: list[Offer]) -> str:
    return ", ".join(f"{o.item.name} {money(o.price)}" for o in offers)


async def shop(turn: Turn, conn: BaseDBAsyncClient) -> None:
    offers = await _shop(conn, turn)
    if not offers:  # first look: roll it (under the player's lock, so it happens once)
        user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
        offers = await _shop(conn, turn) or await _roll(conn, turn, user.level)
    turn.say(f"🛒 your shop: {_listing(offers)} — !buy <item>, !reroll",
             _card("🛒 your shop", offers))


def _card(title: str, offers: list[Offer]) -> Card:
    return Card(title=title, fields=tuple(
        CardField(name=o.item.name[:256], value=_offer_value(o)) for o in offers[:25]))


def _offer_value(o: Offer) -> str:
    stock = f" · {o.stock} left" if o.market_id is not None else ""
    star = " ⭐" if o.featured else ""
    return f"{money(o.price)} · {o.item.tier} {o.item.type}{stock}{star}"


async def reroll(turn: Turn, conn: BaseDBAsyncClient) -> None:
    user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
    until = await state.cooldown_until(conn, turn.player.id, "reroll")
    tokens = (await held_consumables(conn, turn.community, turn.player.id)).get(
        "reroll_token", 0)
    how = check_reroll(until, turn.now, tokens)
    offers = await _roll(conn, turn, user.level)
    if how == "free":
        await state.set_cooldown(conn, turn.player.id, "reroll",
                                 reroll_cooldown_until(turn.now, turn.rules))
        paid = ""
    else:
        await use_consumable(conn, turn.community, turn.player.id, "reroll_token")
        paid = f" (used a Reroll Token, {tokens - 1} left)"
    turn.say(f"🎲 new shop{paid}: {_listing(offers)}", _card("🛒 your shop", offers))


async def market(turn: Turn, conn: BaseDBAsyncClient) -> None:
    offers = await market_offers(conn, turn.community)
    if not offers:
        turn.say(f"the Black Market opens at the next rotation (every "
                 f"{turn.rules.market_rotation_hours} h)")
        return
    listing = ", ".join(
        f"{'⭐' if o.featured else ''}{o.item.name} {money(o.price)}"
        f" ({o.stock} left)" if o.stock else f"{o.item.name} (sold out)" for o in offers)
    turn.say(f"🕶️ Black Market: {listing} — !buy <item>", _card("🕶️ Black Market", offers))


async def buy(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    query = item_query(turn)
    user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
    mine = await _shop(conn, turn)
    if not mine:
        mine = await _roll(conn, turn, user.level)
    offers = [*mine, *(await market_offers(conn, turn.community))]
    key = match_name(query, ((o.item.key, o.item.name) for o in offers), "item for sale",
                     hint="!shop and !market list them")
    # the cheapest offer of it that is in stock (a personal shop's never runs out)
    candidates = sorted((o for o in offers if o.item.key == key),
                        key=lambda o: (o.market_id is not None and o.stock <= 0, o.price))
    offer = candidates[0]
    if offer.market_id is not None:
        check_in_stock(offer.item, offer.stock, rules)
    held = await holdings(conn, turn.community, turn.player.id)
    if len(in_inventory(held)) >= rules.inventory_cap:
        raise NotAllowed(f"your inventory is full ({rules.inventory_cap}) — !sell something "
                         "first")
    check_can_own(offer.item, sum(1 for h in held if h.item.type == "business"), rules)
    # the faction's Black Bazaar: its discount on every purchase (GAME.md's shop −5%)
    discount = (await state.load_gear(conn, turn.player.id, turn.now)).mods.territory_shop
    price = price_after(offer.price, discount) if discount else offer.price
    check_affordable(price, user.wealth)
    if offer.market_id is not None:  # the last check: the shared stock
        taken = await BlackMarketInventory.filter(id=offer.market_id, stock__gt=0).using_db(
            conn).update(stock=F("stock") - 1)
        if not taken:
            raise NotAllowed(f"{offer.item.name} just sold out on the Black Market")
    balance = await apply_delta(conn, turn.player.id, -price, 0, "buy",
                                f"bought {offer.item.name}"
                                f"{' on the Black Market' if offer.market_id else ''}",
                                turn.source_key, rules, {"item": offer.item.key})
    await give_item(conn, turn.community, turn.player.id, offer.item, turn.now, rules,
                    (turn.event.platform.value, turn.event.channel))
    off = f" ({discount:.0%} off: your faction's territory)" if discount else ""
    turn.say(f"bought {offer.item.name} for {money(price)}{off} — now "
             f"{money(balance.wealth)} (!equip {offer.item.name})")
