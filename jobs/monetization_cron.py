"""``credit_waiting`` — every 10 s (workers/main.py ``cron_options``): support recorded for a
username nobody in the community had (a gifter or recipient on Kick's socket,
jobs/monetization.py) is paid once that account appears.

Each due row is claimed in its own transaction with ``FOR UPDATE SKIP LOCKED`` and paid only
if still unpaid once locked, so however many workers tick at once, a row pays once. It pays
what was recorded with the event (wealth, XP; the crate of the kind as the community has it
now); its USD counts for the Juicernaut only if the session it was recorded in is still
open. The player is told in the community's channel on the event's platform (the row keeps
no channel: the community's first chat channel there).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from game.commands import name_key
from game.events import Platform
from game.monetization import SupportReward, pay, pending_text
from game.replies import Reply
from jobs import state
from jobs.context import AppContext, app_from
from jobs.monetization import credit, pay_recipient, reward_table
from jobs.players import db, find_by_usernames
from jobs.schedule import push_after_commit
from kingpin.faults import is_transient

log = logging.getLogger(__name__)

BATCH = 200  # rows credited per tick

# Rows waiting for a player whose username now has an account, per community and platform:
# each probe is a range of the (community_id, platform, credited_at) index, where only
# waiting rows have no credited_at. ``lower(normalize(…, NFKC))`` is ``name_key`` for the
# ASCII names Kick allows (the claim below checks with ``name_key`` itself).
_DUE = (
    "SELECT m.id FROM communities c CROSS JOIN unnest($1::text[]) AS p(platform)"
    " JOIN monetization_events m ON m.community_id = c.id AND m.platform = p.platform"
    " AND m.credited_at IS NULL AND m.user_id IS NULL"
    " WHERE m.username <> '' AND EXISTS (SELECT 1 FROM player_identities i"
    " WHERE i.community_id = m.community_id AND i.platform = m.platform"
    " AND i.username_key = left(lower(normalize(m.username, NFKC)), 100))"
    " ORDER BY m.id LIMIT $2"
)

_CLAIM = (
    "SELECT id, community_id, platform, event_id, kind, username, quantity, usd, wealth, xp,"
    " session_id, created_at FROM monetization_events WHERE id = $1"
    " AND credited_at IS NULL AND user_id IS NULL FOR UPDATE SKIP LOCKED"
)


async def credit_waiting(ctx: dict[str, Any]) -> dict[str, int]:
    app = app_from(ctx)
    rows = await db().execute_query_dict(_DUE, [[p.value for p in Platform], BATCH])
    credited = 0
    for row in rows:
        try:
            credited += await credit_one(app, int(row["id"]))
        except Exception as exc:
            if is_transient(exc):
                raise
            log.exception("support row %s could not be credited", row["id"])
    return {"credited": credited}


async def credit_one(app: AppContext, row_id: int) -> int:
    """Credit one waiting row if it is still waiting and its player exists: 1, else 0."""
    now = app.clock()
    replies: list[Reply] = []
    async with in_transaction("default") as conn:
        claimed = await conn.execute_query_dict(_CLAIM, [row_id])
        if not claimed:
            return 0  # another worker has it, or it was paid meanwhile
        row = claimed[0]
        community, platform, kind = int(row["community_id"]), str(row["platform"]), row["kind"]
        found = await find_by_usernames(conn, community, platform, [row["username"]])
        player = found.get(name_key(row["username"])[:100])
        if player is None:
            return 0
        await state.lock_users(conn, player.id)
        rules = await app.rules_cache.get(community)
        table = await reward_table(conn, community)
        wealth, xp = int(row["wealth"]), int(row["xp"])
        crate = pay(kind, int(row["quantity"]), table).crate if kind in table else None
        if kind == "gift_recipient":
            again = await pay_recipient(conn, community, platform, player, row["created_at"],
                                         table, other_than=row_id)
            if not (again.wealth or again.xp or again.crate):  # another form paid them
                wealth, xp, crate = 0, 0, None
        reward = SupportReward(wealth, xp, Decimal(row["usd"]),
                               pending_text(kind, int(row["quantity"])), crate)
        session_open = row["session_id"] is not None and bool(await conn.execute_query_dict(
            "SELECT 1 FROM streaming_sessions WHERE id = $1 AND ended_at IS NULL",
            [row["session_id"]]))
        origin = await _origin(conn, community, platform)
        replies = await credit(app, conn, community, player, kind, reward,
                               f"{platform}:{row['event_id']}", origin, now, rules,
                               count_usd=session_open)
        await conn.execute_query(
            "UPDATE monetization_events SET user_id = $2, credited_at = $3, wealth = $4,"
            " xp = $5 WHERE id = $1", [row_id, player.id, now, wealth, xp])
    log.info("support row %s credited: community=%s platform=%s user=%s event_id=%s kind=%s",
             row_id, community, platform, player.id, row["event_id"], kind)
    await push_after_commit(app, replies, f"support row {row_id}")
    return 1


async def _origin(conn: Any, community: int, platform: str) -> tuple[Platform, str] | None:
    if platform not in Platform._value2member_map_:
        return None
    rows = await conn.execute_query_dict(
        "SELECT channel_id FROM community_channels WHERE community_id = $1 AND platform = $2"
        " AND role = 'chat' ORDER BY id LIMIT 1", [community, platform])
    return (Platform(platform), str(rows[0]["channel_id"])) if rows else None
