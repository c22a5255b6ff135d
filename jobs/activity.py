"""Chat activity: counted in Redis by the batch job, flushed to PostgreSQL in bulk by cron.

One flush at a time: a lock with a short TTL that the running flush keeps extending
(heartbeat), so a flusher that dies leaves the work to the next tick within seconds. An entry
the database refuses (or that cannot be read) is quarantined with a log line and a counter:
it never blocks the flush for everyone else.

``record`` adds a batch's per-account message counts to one Redis hash with a script that
first claims the batch id, so a re-run batch adds nothing twice. ``flush`` renames the hash
before reading it (new messages go to a fresh hash meanwhile), applies it in one transaction
keyed by the flush id in ``event_batch_queue`` (so a crash after commit but before cleanup
is a no-op on the next run), then deletes the renamed hash. Leftovers from a crash are
picked up first on the next run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from game.actions import chat_reward
from game.events import ChatMessage, Platform, UserRef
from game.levels import progress, progress_text
from game.notifications import progress_kind
from game.replies import Reply
from game.rules import Rules
from jobs.context import AppContext, app_from
from jobs.notifications import Note, notify
from jobs.pacing import pause_after
from jobs.players import Account, ensure_player, ensure_players
from kingpin.faults import is_transient
from kingpin.outbox import push_replies
from models.communities import DEFAULT_COMMUNITY_ID

log = logging.getLogger(__name__)

SEP = "\x1f"


def account_ident(community: int, platform: str, user_id: str) -> str:
    """How an account is named in the Redis tallies and the known-accounts set."""
    return f"{community}{SEP}{platform}{SEP}{user_id}"


def parse_ident(ident: str) -> tuple[int, str, str]:
    """(community, platform, user id); a tally from before communities is the default's."""
    parts = ident.split(SEP, 2)
    if len(parts) < 2:
        raise ValueError(f"not an account: {ident!r}")
    if len(parts) == 2:
        return DEFAULT_COMMUNITY_ID, parts[0], parts[1]
    return int(parts[0]), parts[1], parts[2]
MARKER_TTL_S = 24 * 3600
FLUSH_LOCK_TTL_S = 4  # a dead flusher's lock is gone this soon; the live one extends it
FLUSH_HEARTBEAT_S = 1.0
FLUSH_CHUNK = 200  # players per flush transaction

# ARGV[2] is a JSON list of [account, count, last_ts, name, channel]
# KEYS[4]: the running heists' version (jobs/heists.py), returned second, so the batch
# knows without a round trip of its own whether its picture of them is current
RECORD_SCRIPT = """
local version = redis.call('GET', KEYS[4]) or '0'
if redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[1]) == false then return {0, version} end
local fresh = {1, version}
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


async def record(app: AppContext, batch_id: str, chats: list[tuple[int, ChatMessage]]
                 ) -> str | None:
    """Count a batch's chat messages once. Returns the running heists' version as Redis
    holds it (None without chat).

    Accounts seen for the first time become players right away (one Redis set remembers
    who is known), so a newcomer can be mentioned before the next flush."""
    if not chats:
        return None
    tallies: dict[str, Tally] = defaultdict(Tally)
    users: dict[str, tuple[int, ChatMessage]] = {}
    for community, msg in chats:
        ident = account_ident(community, msg.platform.value, msg.user.id)
        users[ident] = (community, msg)
        tally = tallies[ident]
        tally.count += 1
        ts = msg.received_at.timestamp()
        if ts >= tally.last_ts:
            tally.last_ts, tally.name, tally.channel = ts, msg.user.name, msg.channel
    rows = [[ident, t.count, t.last_ts, t.name, t.channel] for ident, t in tallies.items()]
    result = await app.redis.eval(  # type: ignore[misc]
        RECORD_SCRIPT, 4, app.keys.activity_pending, app.keys.activity_applied(batch_id),
        app.keys.known_accounts, app.keys.heist_version, str(MARKER_TTL_S),
        json.dumps(rows, ensure_ascii=False),
    )
    version = _decode(result[1])
    if not int(result[0]):  # counted before (a re-run batch)
        return version
    idents = list(tallies)
    newcomers = [users[idents[int(i)]] for i in result[2:]]
    await ensure_players_contained(app, [(c, m.platform.value, m.user) for c, m in newcomers])
    return version


async def quarantine(app: AppContext, what: str, ident: str, exc: BaseException | str) -> None:
    """Set a bad entry aside: one log line, a counter, and the entry kept for inspection."""
    log.error("activity entry quarantined (%s): %.200r: %s", what, ident, exc)
    try:
        async with app.redis.pipeline(transaction=False) as pipe:
            pipe.hincrby(app.keys.stats, "quarantined_chat", 1)
            pipe.hset(app.keys.activity_quarantine, ident[:300], str(exc)[:300])
            await pipe.execute()
    except Exception:  # noqa: BLE001 - the counter must not block the flush
        log.warning("could not record the quarantined activity entry")


async def ensure_players_contained(
    app: AppContext, accounts: list[tuple[int, str, UserRef]]
) -> dict[Account, int]:
    """``ensure_players``, except that an account the database refuses costs only itself."""
    try:
        return await ensure_players(accounts)
    except Exception as exc:
        if is_transient(exc):
            raise
    found: dict[Account, int] = {}
    for community, platform, user in accounts:  # one by one: find the bad one
        try:
            found[(community, platform, user.id)] = (
                await ensure_player(community, platform, user)).id
        except Exception as exc:
            if is_transient(exc):
                raise
            await quarantine(app, "player", account_ident(community, platform, user.id), exc)
    return found


async def flush_activity(ctx: dict[str, Any]) -> int:
    """arq cron: apply pending chat activity. Returns the number of players updated."""
    return await flush(app_from(ctx))


async def flush(app: AppContext) -> int:
    """One flush at a time across all workers (a lock with a short TTL, extended while the
    flush runs); a flush that finds the lock held leaves the work to the running one."""
    lock = app.redis.lock(app.keys.activity_lock, timeout=FLUSH_LOCK_TTL_S, blocking=False)
    if not await lock.acquire():
        return 0
    heartbeat = asyncio.create_task(_keep(lock))
    try:
        return await _flush(app)
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await heartbeat
        with contextlib.suppress(Exception):
            await lock.release()


async def _keep(lock: Any) -> None:
    """Extend the flush lock while the flush runs. Losing it is harmless (every chunk is
    idempotent), so failures are only logged."""
    while True:
        await asyncio.sleep(FLUSH_HEARTBEAT_S)
        try:
            await lock.reacquire()
        except Exception as exc:  # noqa: BLE001 - Redis away or lock lost: the flush goes on
            log.warning("activity flush lock not extended: %s", exc)


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


def parse_pending(raw: dict[Any, Any]) -> tuple[dict[Account, Tally], list[str]]:
    """The tallies in a flushing hash, and the accounts whose entries cannot be read (left
    out whole)."""
    tallies: dict[Account, Tally] = defaultdict(Tally)
    bad: dict[Account, str] = {}
    for field, value in raw.items():
        try:
            ident, _, part = _decode(field).rpartition("|")
        except UnicodeDecodeError:
            bad[(0, "?", repr(field)[:200])] = repr(field)[:200]
            continue
        try:
            key = parse_ident(ident)
        except ValueError:
            bad[(0, "?", ident)] = ident
            continue
        _, platform, user_id = key
        try:
            text = _decode(value)
            tally = tallies[key]
            if part == "n":
                tally.count = int(text)
            elif part == "t":
                tally.last_ts = float(text)
            elif part == "u":
                tally.name = text
            elif part == "c":
                tally.channel = text
            if not platform or not user_id:
                raise ValueError("no platform or account id")
        except (ValueError, UnicodeDecodeError):
            bad[key] = ident
    for key in bad:
        tallies.pop(key, None)
    return tallies, sorted(bad.values())


async def _apply_flushing(app: AppContext, batch_id: str) -> int:
    key = app.keys.activity_flushing(batch_id)
    tallies, unreadable = parse_pending(await app.redis.hgetall(key))  # type: ignore[misc]
    for ident in unreadable:
        await quarantine(app, "unreadable", ident, "not a count, time, name or channel")
    updated = await _apply(app, batch_id, tallies) if tallies else 0
    async with app.redis.pipeline(transaction=True) as pipe:
        pipe.delete(key)
        pipe.srem(app.keys.activity_flushing_set, batch_id)
        await pipe.execute()
    return updated


async def resolve_players(
    app: AppContext, tallies: dict[Account, Tally]
) -> dict[Account, int]:
    """Identity -> player id for every account in the batch, creating newcomers (an account
    that is not a valid identity, or that the database refuses, is quarantined)."""
    accounts: list[tuple[int, str, UserRef]] = []
    for (community, platform, uid), tally in tallies.items():
        try:
            accounts.append((community, platform, UserRef(id=uid, name=tally.name or uid)))
        except ValueError as exc:
            await quarantine(app, "identity", account_ident(community, platform, uid), exc)
    return await ensure_players_contained(app, accounts)


async def _apply(app: AppContext, batch_id: str, tallies: dict[Account, Tally]) -> int:
    players = await resolve_players(app, tallies)
    per_player: dict[int, Tally] = {}
    for ident, tally in tallies.items():
        pid = players.get(ident)
        if pid is None:  # quarantined
            continue
        merged = per_player.setdefault(pid, Tally())
        merged.count += tally.count  # activity is per player, not per account
        if tally.last_ts >= merged.last_ts:
            merged.last_ts, merged.name, merged.channel = tally.last_ts, tally.name, tally.channel
        merged.name = merged.name or tally.name
    ids = sorted(per_player)
    platform_of = {pid: platform for (_, platform, _), pid in players.items()}
    # every community's numbers before any row is locked
    rules_of = await app.rules_cache.get_many(community for community, _, _ in players)
    updated = 0
    # short transactions in id order: commands never wait long for a flush's row locks
    began = time.monotonic()
    for n, start in enumerate(range(0, len(ids), FLUSH_CHUNK)):
        if n:  # paced: commands share the loop and the database (jobs/pacing.py)
            await pause_after(began)
            began = time.monotonic()
        chunk = ids[start:start + FLUSH_CHUNK]
        chunk_id = f"{batch_id}:{n}"
        try:
            updated += await _apply_chunk(app, chunk_id, chunk, per_player, platform_of,
                                          rules_of)
        except Exception as exc:
            if is_transient(exc):
                raise
            # something in the chunk is refused: apply its players one by one (each under
            # its own id, so a re-run finds them done) and set the bad one aside. The chunk
            # is marked split first, so a re-run never applies it whole on top.
            if not isinstance(exc, SplitChunk):
                log.warning("activity chunk %s refused (%s); applying it player by player",
                            chunk_id, exc.__class__.__name__)
                await mark_split(chunk_id, len(chunk))
            for pid in chunk:
                try:
                    updated += await _apply_chunk(app, f"{batch_id}:{n}:{pid}", [pid],
                                                  per_player, platform_of, rules_of)
                except Exception as one:
                    if is_transient(one):
                        raise
                    await quarantine(app, "player update", str(pid), one)
    return updated


class SplitChunk(Exception):  # noqa: N818 - a signal, not an error
    """This chunk was split player by player by an earlier run."""


async def mark_split(chunk_id: str, players: int) -> None:
    async with in_transaction("default") as tx:
        await tx.execute_query(
            "INSERT INTO event_batch_queue (batch_id, status, event_count, player_count)"
            " VALUES ($1, 'split', 0, $2) ON CONFLICT (batch_id) DO NOTHING",
            [chunk_id, players])


async def _apply_chunk(
    app: AppContext, chunk_id: str, ids: list[int], per_player: dict[int, Tally],
    platform_of: dict[int, str], rules_of: dict[int, Rules],
) -> int:
    announcements: list[Reply] = []
    async with in_transaction("default") as tx:
        fresh = await tx.execute_query_dict(
            "INSERT INTO event_batch_queue (batch_id, status, event_count, player_count)"
            " VALUES ($1, 'applied', $2, $3) ON CONFLICT (batch_id) DO NOTHING RETURNING id",
            [chunk_id, sum(per_player[i].count for i in ids), len(ids)],
        )
        if not fresh:
            status = await tx.execute_query_dict(
                "SELECT status FROM event_batch_queue WHERE batch_id = $1", [chunk_id])
            if status and status[0]["status"] == "split":
                raise SplitChunk(chunk_id)
            log.info("activity batch %s was already applied", chunk_id)
            return 0
        _, rows = await tx.execute_query(
            "SELECT id, community_id, xp, last_chat_reward_at FROM users"
            " WHERE id = ANY($1::bigint[])"
            " ORDER BY id FOR NO KEY UPDATE",
            [ids],
        )
        cols: dict[str, list[Any]] = defaultdict(list)
        ledger: dict[str, list[Any]] = defaultdict(list)
        notes: list[Note] = []
        for row in rows:
            tally = per_player[row["id"]]
            last_msg = datetime.fromtimestamp(tally.last_ts, UTC)
            rules = rules_of[row["community_id"]]  # the community's numbers
            reward = chat_reward(row["last_chat_reward_at"], last_msg, app.rng, rules)
            wealth, xp = (reward.wealth, reward.xp) if reward else (0, 0)
            prog = progress(row["xp"], row["xp"] + xp, rules)
            cols["id"].append(row["id"])
            cols["n"].append(tally.count)
            cols["w"].append(wealth)
            cols["x"].append(xp)
            cols["r"].append(last_msg if reward else None)
            cols["lvl"].append(prog.level_after)
            cols["tier"].append(prog.tier_after.title)
            # every flushed player's row: the messages counted (the projector's chat
            # counts) and the reward, if any
            ledger["user_id"].append(row["id"])
            ledger["w"].append(wealth)
            ledger["x"].append(xp)
            ledger["n"].append(tally.count)
            text = progress_text(tally.name, prog)
            if text and tally.channel:
                announcements.append(Reply(platform=Platform(platform_of[row["id"]]),
                                           channel=tally.channel, text=text))
            kind = progress_kind(prog)
            if text and kind:  # stored for !inbox, in this transaction
                notes.append((int(row["community_id"]), int(row["id"]), kind, text))
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
        await notify(tx, app.clock(), *notes)
        if ledger["user_id"]:
            await tx.execute_query(
                "INSERT INTO game_events (community_id, user_id, event_type, wealth_delta,"
                " xp_delta, description, source_key, detail)"
                " SELECT u.community_id, d.u, 'chat', d.w, d.x, 'chat activity', $4,"
                " jsonb_build_object('messages', d.n)"
                " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $5::bigint[])"
                " AS d(u, w, x, n) JOIN users u ON u.id = d.u",
                [ledger["user_id"], ledger["w"], ledger["x"], f"activity:{chunk_id}",
                 ledger["n"]],
            )
    if announcements:
        await push_replies(app.redis, app.keys, announcements, app.settings.outbox_max_len)
    return len(ids)
