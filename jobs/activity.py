"""Chat activity: counted in Redis by the batch job, flushed to PostgreSQL in bulk by cron.

``record`` adds a batch's per-account message counts to one Redis hash with a script that
first claims the batch id, so a re-run batch adds nothing twice. ``flush`` renames the hash
before reading it (new messages go to a fresh hash meanwhile), applies it in one transaction
keyed by the flush id in ``event_batch_queue`` (so a crash after commit but before cleanup
is a no-op on the next run), then deletes the renamed hash. Leftovers from a crash are
picked up first on the next run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from game.actions import chat_reward
from game.events import ChatMessage, Platform, UserRef
from game.levels import progress, progress_text
from game.replies import Reply
from jobs.context import AppContext, app_from
from jobs.players import ensure_players
from kingpin.outbox import push_replies

log = logging.getLogger(__name__)

SEP = "\x1f"
MARKER_TTL_S = 24 * 3600
FLUSH_LOCK_TTL_S = 300
FLUSH_CHUNK = 200  # players per flush transaction

# ARGV[2] is a JSON list of [account, count, last_ts, name, channel]
RECORD_SCRIPT = """
if redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[1]) == false then return {0} end
local fresh = {1}
for i, row in ipairs(cjson.decode(ARGV[2])) do
  local id = row[1]
  if redis.call('SADD', KEYS[3], id) == 1 then table.insert(fresh, i - 1) end
  redis.call('HINCRBY', KEYS[1], id .. '|n', row[2])
  local t = redis.call('HGET', KEYS[1], id .. '|t')
  if (not t) or tonumber(t) < row[3] then
    redis.call('HSET', KEYS[1], id .. '|t', row[3], id .. '|u', row[4], id .. '|c', row[5])
  end
end
return fresh
"""

ROTATE_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
"""


@dataclass
class Tally:
    count: int = 0
    last_ts: float = 0.0
    name: str = ""
    channel: str = ""


async def record(app: AppContext, batch_id: str, chats: list[ChatMessage]) -> bool:
    """Count a batch's chat messages once; returns False if this batch was already counted.

    Accounts seen for the first time become players right away (one Redis set remembers
    who is known), so a newcomer can be mentioned before the next flush."""
    if not chats:
        return True
    tallies: dict[str, Tally] = defaultdict(Tally)
    users: dict[str, ChatMessage] = {}
    for msg in chats:
        ident = f"{msg.platform.value}{SEP}{msg.user.id}"
        users[ident] = msg
        tally = tallies[ident]
        tally.count += 1
        ts = msg.received_at.timestamp()
        if ts >= tally.last_ts:
            tally.last_ts, tally.name, tally.channel = ts, msg.user.name, msg.channel
    rows = [[ident, t.count, t.last_ts, t.name, t.channel] for ident, t in tallies.items()]
    result = await app.redis.eval(  # type: ignore[misc]
        RECORD_SCRIPT, 3, app.keys.activity_pending, app.keys.activity_applied(batch_id),
        app.keys.known_accounts, str(MARKER_TTL_S), json.dumps(rows, ensure_ascii=False),
    )
    if not result or not int(result[0]):
        return False
    idents = list(tallies)
    newcomers = [users[idents[int(i)]] for i in result[1:]]
    await ensure_players([(m.platform.value, m.user) for m in newcomers])
    return True


async def flush_activity(ctx: dict[str, Any]) -> int:
    """arq cron: apply pending chat activity. Returns the number of players updated."""
    return await flush(app_from(ctx))


async def flush(app: AppContext) -> int:
    """One flush at a time across all workers (a lock with a TTL); a flush that finds the
    lock held leaves the work to the running one."""
    lock = app.redis.lock(app.keys.activity_lock, timeout=FLUSH_LOCK_TTL_S, blocking=False)
    if not await lock.acquire():
        return 0
    try:
        return await _flush(app)
    finally:
        with contextlib.suppress(Exception):
            await lock.release()


async def _flush(app: AppContext) -> int:
    redis = app.redis
    updated = 0
    for leftover in await redis.smembers(app.keys.activity_flushing_set):  # type: ignore[misc]
        updated += await _apply_flushing(app, _decode(leftover))
    batch_id = uuid.uuid4().hex
    if await redis.eval(ROTATE_SCRIPT, 3, app.keys.activity_pending,  # type: ignore[misc]
                        app.keys.activity_flushing(batch_id), app.keys.activity_flushing_set,
                        batch_id):
        updated += await _apply_flushing(app, batch_id)
    return updated


def _decode(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def parse_pending(raw: dict[Any, Any]) -> dict[tuple[str, str], Tally]:
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for field, value in raw.items():
        ident, _, part = _decode(field).rpartition("|")
        platform, _, user_id = ident.partition(SEP)
        tally = tallies[(platform, user_id)]
        text = _decode(value)
        if part == "n":
            tally.count = int(text)
        elif part == "t":
            tally.last_ts = float(text)
        elif part == "u":
            tally.name = text
        elif part == "c":
            tally.channel = text
    return tallies


async def _apply_flushing(app: AppContext, batch_id: str) -> int:
    key = app.keys.activity_flushing(batch_id)
    tallies = parse_pending(await app.redis.hgetall(key))  # type: ignore[misc]
    updated = await _apply(app, batch_id, tallies) if tallies else 0
    async with app.redis.pipeline(transaction=True) as pipe:
        pipe.delete(key)
        pipe.srem(app.keys.activity_flushing_set, batch_id)
        await pipe.execute()
    return updated


async def resolve_players(tallies: dict[tuple[str, str], Tally]) -> dict[tuple[str, str], int]:
    """Identity -> player id for every account in the batch, creating newcomers."""
    return await ensure_players(
        [(p, UserRef(id=u, name=t.name or u)) for (p, u), t in tallies.items()]
    )


async def _apply(app: AppContext, batch_id: str, tallies: dict[tuple[str, str], Tally]) -> int:
    players = await resolve_players(tallies)
    per_player: dict[int, Tally] = {}
    for ident, tally in tallies.items():
        pid = players[ident]
        merged = per_player.setdefault(pid, Tally())
        merged.count += tally.count  # activity is per player, not per account
        if tally.last_ts >= merged.last_ts:
            merged.last_ts, merged.name, merged.channel = tally.last_ts, tally.name, tally.channel
        merged.name = merged.name or tally.name
    ids = sorted(per_player)
    platform_of = {pid: platform for (platform, _), pid in players.items()}
    updated = 0
    # short transactions in id order: commands never wait long for a flush's row locks
    for n, start in enumerate(range(0, len(ids), FLUSH_CHUNK)):
        chunk = ids[start:start + FLUSH_CHUNK]
        updated += await _apply_chunk(app, f"{batch_id}:{n}", chunk, per_player, platform_of)
    return updated


async def _apply_chunk(
    app: AppContext, chunk_id: str, ids: list[int], per_player: dict[int, Tally],
    platform_of: dict[int, str],
) -> int:
    announcements: list[Reply] = []
    async with in_transaction("default") as tx:
        fresh = await tx.execute_query_dict(
            "INSERT INTO event_batch_queue (batch_id, status, event_count, player_count)"
            " VALUES ($1, 'applied', $2, $3) ON CONFLICT (batch_id) DO NOTHING RETURNING id",
            [chunk_id, sum(per_player[i].count for i in ids), len(ids)],
        )
        if not fresh:
            log.info("activity batch %s was already applied", chunk_id)
            return 0
        _, rows = await tx.execute_query(
            "SELECT id, xp, last_chat_reward_at FROM users WHERE id = ANY($1::bigint[])"
            " ORDER BY id FOR UPDATE",
            [ids],
        )
        cols: dict[str, list[Any]] = defaultdict(list)
        ledger: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            tally = per_player[row["id"]]
            last_msg = datetime.fromtimestamp(tally.last_ts, UTC)
            reward = chat_reward(row["last_chat_reward_at"], last_msg, app.rng, app.rules)
            wealth, xp = (reward.wealth, reward.xp) if reward else (0, 0)
            prog = progress(row["xp"], row["xp"] + xp, app.rules)
            cols["id"].append(row["id"])
            cols["n"].append(tally.count)
            cols["w"].append(wealth)
            cols["x"].append(xp)
            cols["r"].append(last_msg if reward else None)
            cols["lvl"].append(prog.level_after)
            cols["tier"].append(prog.tier_after.title)
            if reward:
                ledger["user_id"].append(row["id"])
                ledger["w"].append(wealth)
                ledger["x"].append(xp)
            text = progress_text(tally.name, prog)
            if text and tally.channel:
                announcements.append(Reply(platform=Platform(platform_of[row["id"]]),
                                           channel=tally.channel, text=text))
        await tx.execute_query(
            "UPDATE users u SET messages_sent = u.messages_sent + d.n,"
            " wealth = u.wealth + d.w, xp = u.xp + d.x,"
            " lifetime_wealth_earned = u.lifetime_wealth_earned + d.w,"
            " last_chat_reward_at = COALESCE(d.r, u.last_chat_reward_at),"
            " level = d.lvl, status_tier = d.tier, last_seen = now()"
            " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[],"
            " $5::timestamptz[], $6::int[], $7::text[]) AS d(id, n, w, x, r, lvl, tier)"
            " WHERE u.id = d.id",
            [cols["id"], cols["n"], cols["w"], cols["x"], cols["r"], cols["lvl"], cols["tier"]],
        )
        if ledger["user_id"]:
            await tx.execute_query(
                "INSERT INTO game_events (user_id, event_type, wealth_delta, xp_delta,"
                " description, source_key)"
                " SELECT d.u, 'chat', d.w, d.x, 'chat activity', $4"
                " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS d(u, w, x)",
                [ledger["user_id"], ledger["w"], ledger["x"], f"activity:{chunk_id}"],
            )
    if announcements:
        await push_replies(app.redis, app.keys, announcements, app.settings.outbox_max_len)
    return len(ids)
