"""Items a player holds: ``!inventory``, ``!equip``, ``!unequip``, ``!sell``, ``!escrow``, and
``give_item`` for everything that hands one out (crates, thefts, purchases).

Handlers lock the player's row first (two commands of one player on two workers then take
turns), check everything that can refuse, and only then write (jobs/commands.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from game.actions import money
from game.catalogue import Item, catalogue
from game.commands import USAGE
from game.errors import NotAllowed, UsageError, format_duration
from game.inventory import (
    Placement,
    check_equip,
    check_unequip,
    claimable,
    escrow_expiry,
    parse_slot,
    place_item,
    sell_price,
)
from game.matching import match_name
from game.replies import Card, CardField
from game.rules import Rules
from jobs import state
from jobs.ledger import apply_delta
from jobs.turn import Turn
from models.economy import HousingDebt, UserInventory

MAX_NAME_QUERY = 60


@dataclass(frozen=True)
class Held:
    id: int
    item: Item
    durability: int
    equipped: bool
    slot: str | None
    escrowed: bool
    escrow_expires_at: datetime | None


async def holdings(conn: BaseDBAsyncClient, community: int, user_id: int) -> list[Held]:
    """The player's items (inventory and escrow), oldest first."""
    rows = await UserInventory.filter(community_id=community, user_id=user_id).using_db(
        conn).order_by("id").values("id", "item_id", "durability", "is_equipped", "slot",
                                    "is_escrowed", "escrow_expires_at")
    items = catalogue().items
    return [Held(r["id"], items[r["item_id"]], r["durability"], r["is_equipped"], r["slot"],
                 r["is_escrowed"], r["escrow_expires_at"])
            for r in rows if r["item_id"] in items]


def in_inventory(held: list[Held]) -> list[Held]:
    return [h for h in held if not h.escrowed]


def in_escrow(held: list[Held], now: datetime) -> list[Held]:
    return [h for h in held if h.escrowed and h.escrow_expires_at is not None
            and h.escrow_expires_at > now]


async def give_item(conn: BaseDBAsyncClient, community: int, user_id: int, item: Item,
                    now: datetime, rules: Rules, where: tuple[str, str],
                    durability: int | None = None) -> Placement:
    """Put an item in the player's inventory, else escrow, else nowhere (lost). The caller
    holds the player's row lock. ``where`` (platform, channel): where the player is told if
    it expires in escrow."""
    held = await holdings(conn, community, user_id)
    placed = place_item(len(in_inventory(held)), len(in_escrow(held, now)), rules)
    if placed == "lost":
        return placed
    escrowed = placed == "escrow"
    await UserInventory.create(
        using_db=conn, community_id=community, user_id=user_id, item_id=item.key,
        durability=item.durability if durability is None else durability,
        is_escrowed=escrowed, escrow_expires_at=escrow_expiry(now, rules) if escrowed else None,
        notify_platform=where[0] if escrowed else "", notify_channel=where[1] if escrowed else "",
    )
    return placed


def placement_text(item_name: str, placed: Placement, rules: Rules) -> str:
    if placed == "inventory":
        return f"{item_name} is in your inventory"
    if placed == "escrow":
        return (f"your inventory is full: {item_name} waits in escrow for "
                f"{rules.escrow_hours} h (!escrow claim)")
    return f"your inventory and escrow are full: {item_name} is lost"


def item_query(turn: Turn) -> str:
    """The item name a command names (its words joined), or its usage."""
    query = " ".join(turn.cmd.args).strip()
    if not query or len(query) > MAX_NAME_QUERY:
        raise UsageError(USAGE[turn.cmd.name])
    return query


def pick_held(query: str, held: list[Held], best: bool) -> Held:
    """The held row a name means: matched by item name; of several copies an unequipped one,
    the least worn when ``best`` (to equip), else the most worn (to sell)."""
    key = match_name(query, ((h.item.key, h.item.name) for h in held), "item you hold",
                     hint="!inventory lists yours")
    copies = [h for h in held if h.item.key == key]
    copies.sort(key=lambda h: (h.equipped, -h.durability if best else h.durability))
    return copies[0]


def _describe(h: Held) -> str:
    wear = f" {h.durability}/{h.item.durability}" if h.item.type in ("weapon", "armor") else ""
    return f"{h.item.name}{' [' + h.slot + ']' if h.equipped and h.slot else ''}{wear}"


async def inventory(turn: Turn, conn: BaseDBAsyncClient) -> None:
    held = await holdings(conn, turn.community, turn.player.id)
    items, escrow = in_inventory(held), in_escrow(held, turn.now)
    cap = turn.rules.inventory_cap
    listing = ", ".join(_describe(h) for h in items) or "nothing yet (!shop)"
    text = f"🎒 {len(items)}/{cap}: {listing}"
    fields = [CardField(name=_describe(h), value=h.item.tier, inline=True) for h in items]
    if escrow:
        text += f" | escrow: {', '.join(h.item.name for h in escrow)} (!escrow claim)"
        fields.append(CardField(name="Escrow", value=", ".join(h.item.name for h in escrow)))
    turn.say(text, Card(title=f"🎒 inventory {len(items)}/{cap}", fields=tuple(fields[:25])))


async def equip(turn: Turn, conn: BaseDBAsyncClient) -> None:
    query = item_query(turn)
    await state.lock_users(conn, turn.player.id)
    held = in_inventory(await holdings(conn, turn.community, turn.player.id))
    chosen = pick_held(query, held, best=True)
    equipped = {h.slot: h.id for h in held if h.equipped and h.slot}
    out = check_equip(chosen.item, chosen.id, equipped)
    if out is not None:
        await UserInventory.filter(id=out).using_db(conn).update(
            is_equipped=False, slot=None, equipped_at=None)
    await UserInventory.filter(id=chosen.id).using_db(conn).update(
        is_equipped=True, slot=chosen.item.slot, equipped_at=turn.now)
    swapped = next((h.item.name for h in held if h.id == out), None)
    turn.say(f"equipped {chosen.item.name} as your {chosen.item.slot}"
             f"{f' (took off {swapped})' if swapped else ''}")


async def unequip(turn: Turn, conn: BaseDBAsyncClient) -> None:
    if len(turn.cmd.args) != 1:
        raise UsageError(USAGE["unequip"])
    slot = parse_slot(turn.cmd.args[0])
    await state.lock_users(conn, turn.player.id)
    held = in_inventory(await holdings(conn, turn.community, turn.player.id))
    row_id = check_unequip(slot, {h.slot: h.id for h in held if h.equipped and h.slot})
    await UserInventory.filter(id=row_id).using_db(conn).update(
        is_equipped=False, slot=None, equipped_at=None)
    if slot == "housing":
        await _housing_gone(conn, turn)
    name = next(h.item.name for h in held if h.id == row_id)
    turn.say(f"took off {name} — it stays in your inventory")


async def sell(turn: Turn, conn: BaseDBAsyncClient) -> None:
    query = item_query(turn)
    await state.lock_users(conn, turn.player.id)
    held = in_inventory(await holdings(conn, turn.community, turn.player.id))
    chosen = pick_held(query, held, best=False)
    price = sell_price(chosen.item, turn.rules)
    await UserInventory.filter(id=chosen.id).using_db(conn).delete()
    if chosen.equipped and chosen.item.type == "housing":
        await _housing_gone(conn, turn)
    balance = await apply_delta(conn, turn.player.id, price, 0, "sell",
                                f"sold {chosen.item.name}", turn.source_key, turn.rules)
    turn.say(f"sold {chosen.item.name} for {money(price)} — now {money(balance.wealth)}")


async def _housing_gone(conn: BaseDBAsyncClient, turn: Turn) -> None:
    """Upkeep debt belongs to the housing worn: taking it off (or selling it) ends it, as an
    eviction does (docs/rules.md), so no debuff outlives the home."""
    await HousingDebt.filter(community_id=turn.community, user_id=turn.player.id).using_db(
        conn).delete()


async def escrow(turn: Turn, conn: BaseDBAsyncClient) -> None:
    from jobs.crates import claim_crates, crates_in_escrow  # the crates' half of escrow

    args = [a.lower() for a in turn.cmd.args]
    if args not in ([], ["claim"]):
        raise UsageError(USAGE["escrow"])
    await state.lock_users(conn, turn.player.id)
    held = await holdings(conn, turn.community, turn.player.id)
    waiting = in_escrow(held, turn.now)
    crates = await crates_in_escrow(conn, turn, turn.now)
    if not args:
        if not waiting and not crates:
            turn.say("nothing waits in escrow")
            return
        parts = [f"{h.item.name} ({_left(h.escrow_expires_at, turn.now)})" for h in waiting]
        parts += [f"{tier} crate ({_left(until, turn.now)})" for _, tier, until in crates]
        turn.say(f"in escrow: {', '.join(parts)} — !escrow claim")
        return
    if not waiting and not crates:
        raise NotAllowed("nothing waits in escrow")
    room = claimable(len(waiting), len(in_inventory(held)), turn.rules.inventory_cap)
    moved = waiting[:room]
    if moved:
        await UserInventory.filter(id__in=[h.id for h in moved]).using_db(conn).update(
            is_escrowed=False, escrow_expires_at=None)
    crates_moved, crates_left = await claim_crates(conn, turn, crates)
    got = [h.item.name for h in moved] + [f"{t} crate" for t in crates_moved]
    left = len(waiting) - len(moved) + crates_left
    if not got:
        raise NotAllowed("no room: your inventory and crates are full (!sell or !open)")
    turn.say(f"claimed {', '.join(got)}{f' — {left} still waiting (no room)' if left else ''}")


def _left(until: datetime | None, now: datetime) -> str:
    if until is None:
        return "?"
    return f"{format_duration(max(0, int((until - now).total_seconds())))} left"
