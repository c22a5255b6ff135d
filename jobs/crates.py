"""Crates and titles: ``grant_crate`` (drops, check-in days, ``!givecrate``), ``!crates``,
``!open [n]``, ``!titles``, ``!title <name|none>``, ``!givecrate <user> <tier>``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from game.actions import money
from game.catalogue import ITEM_TIERS, ItemTier, catalogue
from game.commands import USAGE
from game.crates import open_crate
from game.errors import NotAllowed, UsageError
from game.inventory import Placement, claimable, crate_escrow_expiry, place_crate
from game.matching import match_name
from game.replies import Card, CardField, a_or_an
from game.rules import Rules
from jobs import state
from jobs.inventory import give_item, placement_text
from jobs.ledger import apply_delta
from jobs.turn import Turn
from kingpin.db import per_player
from models.crates import CrateOpen, UserCrate, UserTitle

_TIER_ORDER = {t: i for i, t in enumerate(ITEM_TIERS)}


@dataclass(frozen=True)
class CrateGrant:
    community: int
    user_id: int
    tier: ItemTier
    source: str
    where: tuple[str, str]  # (platform, channel): told there if it expires in escrow


_COUNTS = (
    "SELECT user_id, count(*) FILTER (WHERE NOT is_escrowed) AS held,"
    " count(*) FILTER (WHERE is_escrowed AND escrow_expires_at > $3) AS escrowed"
    f" FROM ({per_player('user_id, is_escrowed, escrow_expires_at', 'user_crates')}) c"
    " GROUP BY user_id"
)


_INSERT = (
    "INSERT INTO user_crates (community_id, user_id, tier, source, is_escrowed,"
    " escrow_expires_at, notify_platform, notify_channel, acquired_at)"
    " SELECT *, $9::timestamptz FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[],"
    " $5::bool[], $6::timestamptz[], $7::text[], $8::text[])"
)


async def _counts(conn: BaseDBAsyncClient, community: int, user_id: int, now: datetime
                  ) -> tuple[int, int]:
    """(crates held, crates in escrow and not yet expired)."""
    rows = await conn.execute_query_dict(_COUNTS, [[community], [user_id], now])
    return (int(rows[0]["held"]), int(rows[0]["escrowed"])) if rows else (0, 0)


async def grant_crates(conn: BaseDBAsyncClient, grants: list[CrateGrant], now: datetime,
                       rules: dict[int, Rules]) -> list[Placement]:
    """Crates for players (whose rows the caller holds locked; one crate per player per
    call), each held, else in escrow for ``crate_escrow_hours``, else lost: one query for
    what they hold and one insert, however many."""
    if not grants:
        return []
    counts = {int(r["user_id"]): (int(r["held"]), int(r["escrowed"]))
              for r in await conn.execute_query_dict(_COUNTS, [
                  [g.community for g in grants], [g.user_id for g in grants], now])}
    # (one crate per player per call: the counts are from before any of them)
    placements: list[Placement] = []
    rows: list[tuple[Any, ...]] = []
    for grant in grants:
        placed = place_crate(*counts.get(grant.user_id, (0, 0)), rules[grant.community])
        placements.append(placed)
        if placed == "lost":
            continue
        escrowed = placed == "escrow"
        rows.append((grant.community, grant.user_id, grant.tier, grant.source, escrowed,
                     crate_escrow_expiry(now, rules[grant.community]) if escrowed else None,
                     grant.where[0] if escrowed else "", grant.where[1] if escrowed else ""))
    if rows:  # one statement however many (the heist tick grants a thousand at once)
        await conn.execute_query(_INSERT, [*(list(c) for c in zip(*rows, strict=True)), now])
    return placements


async def grant_crate(conn: BaseDBAsyncClient, community: int, user_id: int, tier: ItemTier,
                      source: str, now: datetime, rules: Rules, where: tuple[str, str]
                      ) -> Placement:
    """A crate for the player (whose row the caller holds locked): held, else escrow for
    ``crate_escrow_hours``, else lost."""
    return (await grant_crates(conn, [CrateGrant(community, user_id, tier, source, where)],
                               now, {community: rules}))[0]


def crate_text(tier: str, placed: Placement, rules: Rules) -> str:
    if placed == "inventory":
        return f"{a_or_an(tier)} crate (!open)"
    if placed == "escrow":
        return (f"{a_or_an(tier)} crate — your crates are full, it waits in escrow for "
                f"{rules.crate_escrow_hours} h (!escrow claim)")
    return f"{a_or_an(tier)} crate — but your crates and escrow are full, so it is lost"


async def crates_in_escrow(conn: BaseDBAsyncClient, turn: Turn, now: datetime
                           ) -> list[tuple[int, str, datetime]]:
    rows = await UserCrate.filter(community_id=turn.community, user_id=turn.player.id,
                                  is_escrowed=True, escrow_expires_at__gt=now
                                  ).using_db(conn).order_by("id").values_list(
                                      "id", "tier", "escrow_expires_at")
    return [(r[0], r[1], r[2]) for r in rows]


async def claim_crates(conn: BaseDBAsyncClient, turn: Turn,
                       waiting: list[tuple[int, str, datetime]]) -> tuple[list[str], int]:
    """Move escrowed crates into the held ones while there is room: (tiers moved, left)."""
    if not waiting:
        return [], 0
    held, _ = await _counts(conn, turn.community, turn.player.id, turn.now)
    moved = waiting[:claimable(len(waiting), held, turn.rules.crate_hold)]
    if moved:
        await UserCrate.filter(id__in=[m[0] for m in moved]).using_db(conn).update(
            is_escrowed=False, escrow_expires_at=None)
    return [m[1] for m in moved], len(waiting) - len(moved)


async def _held(conn: BaseDBAsyncClient, turn: Turn) -> list[tuple[int, str]]:
    rows = await UserCrate.filter(community_id=turn.community, user_id=turn.player.id,
                                  is_escrowed=False).using_db(conn).values_list("id", "tier")
    # the best first, the oldest of a tier first
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: (-_TIER_ORDER.get(r[1], 0), r[0]))


async def crates(turn: Turn, conn: BaseDBAsyncClient) -> None:
    held = await _held(conn, turn)
    escrowed = await crates_in_escrow(conn, turn, turn.now)
    counts = {t: sum(1 for _, tier in held if tier == t) for t in reversed(ITEM_TIERS)}
    listing = ", ".join(f"{n} {t}" for t, n in counts.items() if n) or "none"
    extra = f" (+{len(escrowed)} in escrow: !escrow claim)" if escrowed else ""
    turn.say(f"📦 crates {len(held)}/{turn.rules.crate_hold}: {listing}{extra}"
             f"{' — !open' if held else ''}",
             Card(title=f"📦 crates {len(held)}/{turn.rules.crate_hold}",
                  fields=tuple(CardField(name=t.capitalize(), value=str(n))
                               for t, n in counts.items() if n) or (
                      CardField(name="Crates", value="none"),)))


async def open_(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    if len(turn.cmd.args) > 1:
        raise UsageError(USAGE["open"])
    count = 1
    if turn.cmd.args:
        word = turn.cmd.args[0].lower()
        if word == "all":
            count = rules.crate_hold
        elif word.isascii() and word.isdigit() and 1 <= int(word) <= rules.crate_hold:
            count = int(word)
        else:
            raise UsageError(f"{USAGE['open']} — n from 1 to {rules.crate_hold}, or all")
    await state.lock_users(conn, turn.player.id)
    held = (await _held(conn, turn))[:count]
    if not held:
        raise NotAllowed("you have no crates to open")
    cat = catalogue()
    owned: set[str] = {str(k) for k in await UserTitle.filter(
        community_id=turn.community, user_id=turn.player.id).using_db(conn).values_list(
            "title_id", flat=True)}
    where = (turn.event.platform.value, turn.event.channel)
    results: list[str] = []
    cash = 0
    for crate_id, tier in held:
        loot = open_crate(tier, turn.app.rng, frozenset(owned), cat)  # type: ignore[arg-type]
        placed = ""
        if loot.item_key is not None:
            item = cat.items[loot.item_key]
            placed = await give_item(conn, turn.community, turn.player.id, item, turn.now,
                                     rules, where)
            results.append(f"{item.name}" + ("" if placed == "inventory" else
                                             f" ({placement_text(item.name, placed, rules)})"))
        elif loot.title_key is not None and not loot.duplicate:
            await UserTitle.create(using_db=conn, community_id=turn.community,
                                   user_id=turn.player.id, title_id=loot.title_key)
            owned.add(loot.title_key)
            results.append(f"the title “{cat.titles[loot.title_key].name}” (!title)")
        elif loot.duplicate and loot.title_key is not None:
            results.append(f"a duplicate title “{cat.titles[loot.title_key].name}”, paid "
                           f"{money(loot.wealth)}")
        else:
            results.append(money(loot.wealth))
        cash += loot.wealth
        # one ledger row per crate (the projector counts crates opened and what they held)
        opened = await apply_delta(
            conn, turn.player.id, loot.wealth, 0, "crate_open", f"opened a {tier} crate",
            turn.source_key, rules, {"tier": tier, "kind": loot.kind, **(
                {"item": loot.item_key, "rarity": cat.items[loot.item_key].tier}
                if loot.item_key is not None else {}),
                **({"title": loot.title_key} if loot.title_key is not None else {})})
        await UserCrate.filter(id=crate_id).using_db(conn).delete()
        await CrateOpen.create(using_db=conn, community_id=turn.community,
                               user_id=turn.player.id, tier=tier, kind=loot.kind,
                               item_key=loot.item_key, title_key=loot.title_key,
                               wealth=loot.wealth, duplicate=loot.duplicate, placed=placed)
    balance_text = f" — now {money(opened.wealth)}" if cash else ""
    what = f"a {held[0][1]} crate" if len(held) == 1 else f"{len(held)} crates"
    turn.say(f"📦 opened {what}: {'; '.join(results)}{balance_text}")


async def titles(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rows = await UserTitle.filter(community_id=turn.community, user_id=turn.player.id
                                  ).using_db(conn).order_by("id").values_list(
                                      "title_id", "is_equipped")
    cat = catalogue()
    names = [f"{cat.titles[k].name}{' (worn)' if worn else ''}" for k, worn in rows
             if k in cat.titles]
    total = len(cat.titles)
    turn.say(f"🏷️ titles {len(names)}/{total}: {', '.join(names) or 'none yet (crates)'}",
             Card(title=f"🏷️ titles {len(names)}/{total}",
                  description=("\n".join(names) or "none yet: rare and legendary crates "
                               "hold them")[:4000]))


async def title(turn: Turn, conn: BaseDBAsyncClient) -> None:
    query = " ".join(turn.cmd.args).strip()
    if not query or len(query) > 60:
        raise UsageError(USAGE["title"])
    await state.lock_users(conn, turn.player.id)
    mine = UserTitle.filter(community_id=turn.community, user_id=turn.player.id)
    if query.lower() == "none":
        await mine.using_db(conn).update(is_equipped=False)
        turn.say("you wear no title now")
        return
    owned = [str(k) for k in await mine.using_db(conn).values_list("title_id", flat=True)]
    cat = catalogue()
    key = match_name(query, ((k, cat.titles[k].name) for k in owned if k in cat.titles),
                     "title you own", hint="!titles lists yours")
    await mine.using_db(conn).update(is_equipped=False)
    await UserTitle.filter(community_id=turn.community, user_id=turn.player.id,
                           title_id=key).using_db(conn).update(is_equipped=True)
    turn.say(f"you now wear the title “{cat.titles[key].name}”")


def parse_crate_tier(word: str) -> ItemTier:
    tier = word.lower()
    if tier not in ITEM_TIERS:
        raise UsageError(USAGE["givecrate"])
    return tier  # type: ignore[return-value]


async def givecrate(turn: Turn, conn: BaseDBAsyncClient) -> None:
    assert turn.target is not None
    tier = parse_crate_tier(turn.cmd.args[1])
    await state.lock_users(conn, turn.target.id)
    placed = await grant_crate(conn, turn.community, turn.target.id, tier, "admin", turn.now,
                               turn.rules, (turn.event.platform.value, turn.event.channel))
    await state.audit(conn, turn.community, turn.player.id, turn.event.platform.value,
                      turn.player.name, "givecrate", turn.target.id,
                      json.dumps({"tier": tier, "placed": placed, "event": turn.source_key}))
    turn.say(f"gave {turn.target.name} {crate_text(tier, placed, turn.rules)}")
