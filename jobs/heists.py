"""Heists (GAME.md "Heists (timed, cross-platform)"), the shell around game/heists.py.

* **Schedule**: ``heist_schedule.next_at`` per community: a session's start sets it
  ``heist.first_delay_s`` ahead, a heist's end ``heist.gap_min_s``-``heist.gap_max_s`` ahead
  (while that session runs), the session's end clears it, a mod's ``!heist start`` sets it to
  now. While a heist runs it is null.
* **Start**: the heist tick (every second, once across workers: an arq cron) claims due rows
  ``FOR UPDATE SKIP LOCKED`` in chunks, draws each community's puzzle (no repeat within the
  last 10 of its kind: ``heist_recent_events``), writes the chunk's heists in one statement
  and broadcasts the announcements once committed.
* **Answers** are plain chat: the batch job judges each chat message of a community with a
  running heist against it in memory (jobs/heist_board.py: the running heists, read at most
  once a second per process) and hands the batch's judgements to one Redis script, which
  counts each account's answers (5 per heist), keeps the correct ones by the time the
  platform received them, and on a heist's first correct answer starts its grace window.
  No database write per message, and a re-run batch counts nothing twice.
* **Resolve**: when the grace window ends (or, with no correct answer, the time limit plus
  the grace window), the tick locks the heist, takes the earliest received correct answer,
  gives its player the crate and a ledger row, marks the heist won or expired and schedules
  the next one, all in one transaction per chunk; then broadcasts the result. A worker
  killed anywhere in between leaves the heist active or done, never both: the next tick
  picks it up. Announcements not known to have reached the outbox are sent again.

The statements are hand-written and set-based (a chunk of heists per statement): a
thousand communities' heists fall due together, and ``python -m benchmarks.heists`` is what
they are measured by (docs/operations.md, "Live streams").
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from game import heists as rules_of
from game.catalogue import ItemTier
from game.events import ChatMessage, UserRef
from game.heists import MAX_ANSWERS_PER_PLAYER, RECENT_WINDOW, Puzzle
from game.rules import Rules
from jobs.broadcast import broadcast_many
from jobs.context import AppContext, app_from
from jobs.crates import CrateGrant, crate_text, grant_crates
from jobs.heist_board import accepted_of
from jobs.notifications import notify
from jobs.players import db, ensure_players
from jobs.schedule import push_after_commit
from jobs.turn import Turn

log = logging.getLogger(__name__)

CHUNK = 200  # heists started per transaction
RESOLVE_CHUNK = 50  # heists resolved per transaction,
PARALLEL = 4  # this many transactions at a time per process
LEASE_S = 10  # a handed-out chunk not resolved by then is handed out again
TICK_S = 1.0  # a tick covers the second until the next one
STEP_S = 0.1  # how often within it due heists are looked for
KEEP_S = 3600  # a heist's answers in Redis outlive any heist
# a batch's "judged" mark: a re-run comes within minutes, and an hour later every heist
# it could have answered is over (a key per batch with chat during heists: keep it short)
MARKER_TTL_S = KEEP_S
SEP = "\x1f"


# ---- the schedule --------------------------------------------------------------------

async def schedule_first(conn: BaseDBAsyncClient, community: int, session: int,
                         now: datetime, rules: Rules) -> None:
    """A new session's first heist comes ``heist.first_delay_s`` after it starts."""
    await conn.execute_query(
        "INSERT INTO heist_schedule (community_id, session_id, next_at, updated_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (community_id) DO UPDATE"
        " SET session_id = EXCLUDED.session_id, next_at = EXCLUDED.next_at,"
        " updated_at = EXCLUDED.updated_at",
        [community, session, now + timedelta(seconds=rules.heist_first_delay_s), now])


async def unschedule(conn: BaseDBAsyncClient, community: int) -> None:
    """The session ended: no next heist (one running finishes at its time limit)."""
    await conn.execute_query(
        "UPDATE heist_schedule SET next_at = NULL, session_id = NULL WHERE community_id = $1",
        [community])


def next_gap(rules: Rules, rng: Any) -> timedelta:
    low = min(rules.heist_gap_min_s, rules.heist_gap_max_s)
    high = max(rules.heist_gap_min_s, rules.heist_gap_max_s)
    return timedelta(seconds=rng.randint(low, high))


# ---- the tick ------------------------------------------------------------------------

async def heist_tick(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron, every second: for the next second, every ``STEP_S``, start the due heists
    and resolve the finished ones (so neither waits for the next whole second); then re-send
    announcements a dead worker may have left unsent."""
    app = app_from(ctx)
    started = resolved = 0
    loop = asyncio.get_running_loop()
    until = loop.time() + TICK_S
    while True:
        started += await start_due(app)
        resolved += await resolve_due(app, share=True)
        left = until - loop.time()
        if left <= 0:
            break
        await asyncio.sleep(min(STEP_S, left))
    resent = await resend_unannounced(app)
    if started or resolved or resent:
        log.info("heists: %d started, %d resolved, %d announcements re-sent",
                 started, resolved, resent)
    return {"started": started, "resolved": resolved, "resent": resent}


_CLAIM_DUE = (
    "SELECT s.community_id, s.session_id FROM heist_schedule s"
    " WHERE s.next_at <= $1 AND s.session_id IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM heist_events h WHERE h.community_id = s.community_id"
    "  AND h.status = 'active')"
    " ORDER BY s.next_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED"
)

_RECENT = (
    "SELECT community_id, kind, content_key FROM (SELECT community_id, kind, content_key,"
    " row_number() OVER (PARTITION BY community_id, kind ORDER BY used_at DESC, id DESC)"
    " AS n FROM heist_recent_events WHERE community_id = ANY($1::bigint[])) r"
    " WHERE n <= $2"
)

_INSERT_HEISTS = (
    "INSERT INTO heist_events (community_id, session_id, kind, content_key, prompt, answer,"
    " accepted, started_by, started_at, ends_at, status, grace_s, candidates)"
    " SELECT c, s, k, ck, p, a, acc::jsonb, '', $8, e, 'active', g, 0 FROM unnest("
    " $1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],"
    " $7::text[], $9::timestamptz[], $10::int[]) AS t(c, s, k, ck, p, a, acc, e, g)"
    " RETURNING id, community_id, prompt"
)


async def start_due(app: AppContext) -> int:
    """Start every due heist, a chunk per transaction; how many started."""
    started = 0
    while True:
        now = app.clock()
        async with in_transaction("default") as conn:
            due = await conn.execute_query_dict(_CLAIM_DUE, [now, CHUNK])
            if not due:
                break
            communities = [int(r["community_id"]) for r in due]
            recent: dict[tuple[int, str], list[str]] = defaultdict(list)
            for r in await conn.execute_query_dict(_RECENT, [communities, RECENT_WINDOW]):
                recent[(int(r["community_id"]), r["kind"])].append(r["content_key"])
            rules = await app.rules_cache.get_many(communities)
            puzzles: list[Puzzle] = []
            for community in communities:
                kind = rules_of.choose_kind(app.rng)
                puzzles.append(rules_of.make_puzzle(kind, app.rng, recent[(community, kind)]))
            ends = [now + timedelta(seconds=rules_of.KINDS[p.kind].time_limit_s)
                    for p in puzzles]
            rows = await conn.execute_query_dict(_INSERT_HEISTS, [
                communities, [r["session_id"] for r in due], [p.kind for p in puzzles],
                [p.content_key for p in puzzles], [p.prompt for p in puzzles],
                [p.answer for p in puzzles], [json.dumps(list(p.accepted)) for p in puzzles],
                now, ends, [rules[c].heist_grace_s for c in communities]])
            await conn.execute_query(
                "INSERT INTO heist_recent_events (community_id, kind, content_key, used_at)"
                " SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t,"
                " (SELECT $4::timestamptz) AS n",
                [communities, [p.kind for p in puzzles], [p.content_key for p in puzzles],
                 now])
            await conn.execute_query(
                "DELETE FROM heist_recent_events WHERE id IN (SELECT id FROM (SELECT id,"
                " row_number() OVER (PARTITION BY community_id, kind"
                " ORDER BY used_at DESC, id DESC) AS n FROM heist_recent_events"
                " WHERE community_id = ANY($1::bigint[])) r WHERE n > $2)",
                [communities, RECENT_WINDOW])
            await conn.execute_query(
                "UPDATE heist_schedule SET next_at = NULL, updated_at = $2"
                " WHERE community_id = ANY($1::bigint[])", [communities, now])
        await _bump(app)
        await _announce(app, [(int(r["id"]), int(r["community_id"]), r["prompt"])
                              for r in rows], "announced_at")
        started += len(rows)
        if len(due) < CHUNK:
            break
    return started


async def _bump(app: AppContext) -> None:
    """Every process's chat path reads the running heists again before its next batch."""
    app.heist_board.invalidate()
    try:
        await app.redis.incr(app.keys.heist_version)  # type: ignore[misc]
    except Exception:  # noqa: BLE001 - committed; the boards catch up within their TTL
        log.warning("heists: the running heists' version could not be bumped")


async def _announce(app: AppContext, items: list[tuple[int, int, str]], column: str) -> None:
    """Broadcast each (heist, community, text) once committed, then note it as sent."""
    replies = await broadcast_many(app, [(community, text) for _, community, text in items])
    await push_after_commit(app, replies, "heists")
    await db().execute_query(
        f"UPDATE heist_events SET {column} = now() WHERE id = ANY($1::bigint[])",
        [[i for i, _, _ in items]])


async def resend_unannounced(app: AppContext) -> int:
    """Announcements (of a start or of a result) committed more than 5 s ago and not known
    to have reached the outbox: a worker died between the commit and the push."""
    before = app.clock() - timedelta(seconds=5)
    starts = await db().execute_query_dict(
        "SELECT id, community_id, prompt FROM heist_events WHERE status = 'active'"
        " AND announced_at IS NULL AND started_at < $1 LIMIT $2", [before, CHUNK])
    if starts:
        await _announce(app, [(int(r["id"]), int(r["community_id"]), r["prompt"])
                              for r in starts], "announced_at")
    ends = await db().execute_query_dict(
        "SELECT id, community_id, kind, content_key, prompt, answer, accepted, winner_name,"
        " crate_tier, status FROM heist_events WHERE status <> 'active'"
        " AND result_announced_at IS NULL AND resolved_at < $1 LIMIT $2", [before, CHUNK])
    if ends:
        await _announce(app, [(int(r["id"]), int(r["community_id"]), _result_text(r))
                              for r in ends], "result_announced_at")
    return len(starts) + len(ends)


# ---- answers (the chat path) ---------------------------------------------------------

# KEYS[1]: the batch's marker, KEYS[2]: the due set. ARGV[1]: marker TTL, ARGV[2]: the key
# prefix for a heist's candidates and tries, ARGV[3]: answers allowed per account,
# ARGV[4]: the TTL of a heist's keys, ARGV[5]: JSON list of
# [heist id, account, correct (0/1), received (epoch s), member, grace end (epoch s)].
ANSWER_SCRIPT = """
if redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) == false then return 0 end
local limit = tonumber(ARGV[3])
local kept = 0
for _, row in ipairs(cjson.decode(ARGV[5])) do
  local id = tostring(row[1])
  local tries = ARGV[2] .. 'tries:' .. id
  local n = redis.call('HINCRBY', tries, row[2], 1)
  redis.call('EXPIRE', tries, ARGV[4])
  if row[3] == 1 and n <= limit then
    local cand = ARGV[2] .. 'cand:' .. id
    redis.call('ZADD', cand, 'NX', row[4], row[5])
    redis.call('EXPIRE', cand, ARGV[4])
    redis.call('ZADD', KEYS[2], 'NX', row[6], id)
    kept = kept + 1
  end
end
return kept
"""


def _is_other_command(text: str) -> bool:
    """``!play`` and the like are not answers; ``!grab <answer>`` is."""
    stripped = text.lstrip()
    return stripped.startswith("!") and not stripped[1:5].lower() == "grab"


async def record_answers(app: AppContext, batch_id: str,
                         chats: list[tuple[int, ChatMessage]], version: str | None = None
                         ) -> int:
    """Judge a batch's chat against the running heists (as of ``version``, Redis's count of
    starts and ends); correct answers kept in Redis. Returns how many were kept."""
    if not chats:
        return 0
    running = await app.heist_board.running(version)
    if not running:
        return 0
    rows: list[list[Any]] = []
    now = app.clock().timestamp()
    for community, msg in chats:
        heist = running.get(community)
        if heist is None or not heist.started_at <= msg.received_at <= heist.ends_at:
            continue
        if _is_other_command(msg.text):
            continue
        correct = rules_of.is_correct(heist.kind, heist.accepted, msg.text)
        rules = await app.rules_cache.get(community)  # loaded for the batch already
        member = json.dumps([msg.platform.value, msg.user.id, msg.user.name, msg.channel,
                             msg.event_id], ensure_ascii=False)
        grace_end = now + rules.heist_grace_s
        rows.append([heist.id, f"{msg.platform.value}{SEP}{msg.user.id}", int(correct),
                     msg.received_at.timestamp(), member, grace_end])
    if not rows:
        return 0
    kept = await app.redis.eval(  # type: ignore[misc]
        ANSWER_SCRIPT, 2, app.keys.heist_answers_applied(batch_id), app.keys.heist_due,
        str(MARKER_TTL_S), app.keys.heist_prefix, str(MAX_ANSWERS_PER_PLAYER), str(KEEP_S),
        json.dumps(rows, ensure_ascii=False))
    return int(kept or 0)


# ---- resolution ----------------------------------------------------------------------

@dataclass(frozen=True)
class Winner:
    platform: str
    user_id: str
    name: str
    channel: str
    received: float


def _winner(member: str, score: float) -> Winner | None:
    try:
        platform, user_id, name, channel, _ = json.loads(member)
        return Winner(str(platform), str(user_id), str(name), str(channel), float(score))
    except (ValueError, TypeError):
        log.error("unreadable heist answer dropped: %.200r", member)
        return None


_LOCK_HEISTS = (
    "SELECT id, community_id, session_id, kind, content_key, prompt, answer, accepted,"
    " ends_at FROM heist_events WHERE id = ANY($1::bigint[]) AND status = 'active'"
    " ORDER BY id FOR UPDATE SKIP LOCKED"
)


async def resolve_due(app: AppContext, share: bool = False) -> int:
    """Resolve the heists whose grace window or time limit (+ grace) has passed; how many
    this call resolved. With ``share`` (the tick) the due heists are leased first and all
    chunks but one handed to the cron queue as ``resolve_heists`` jobs, so every worker
    process takes part: a thousand heists whose grace windows end together are resolved
    within the second. A lease a dead worker held runs out in ``LEASE_S``."""
    now = app.clock()
    due = {int(i) for i in await app.redis.zrangebyscore(  # type: ignore[misc]
        app.keys.heist_due, "-inf", now.timestamp())}
    timed_out = await db().execute_query_dict(
        "SELECT id FROM heist_events WHERE status = 'active'"
        " AND ends_at + make_interval(secs => grace_s) <= $1", [now])
    ids = sorted(due | {int(r["id"]) for r in timed_out})
    if share and ids:
        ids = sorted(int(i) for i in await app.redis.eval(  # type: ignore[misc]
            LEASE_SCRIPT, 1, app.keys.heist_leases, repr(now.timestamp()),
            repr(now.timestamp() + LEASE_S), *map(str, ids)))
    chunks = [ids[i:i + RESOLVE_CHUNK] for i in range(0, len(ids), RESOLVE_CHUNK)]
    if share:
        for chunk in chunks[1:]:
            await app.redis.enqueue_job("resolve_heists", chunk,
                                        _queue_name=app.keys.cron_queue)
        chunks = chunks[:1]
    return await _resolve_chunks(app, chunks)


async def resolve_heists(ctx: dict[str, Any], ids: list[int]) -> int:
    """arq job (cron queue): resolve a chunk of heists the tick handed out."""
    return await _resolve_chunks(app_from(ctx), [[int(i) for i in ids]])


async def _resolve_chunks(app: AppContext, chunks: list[list[int]]) -> int:
    """Chunks side by side, each its own transaction and connection."""
    limit = asyncio.Semaphore(PARALLEL)

    async def one(chunk: list[int]) -> int:
        async with limit:
            return await _resolve_chunk(app, chunk)

    return sum(await asyncio.gather(*(one(c) for c in chunks)))


# KEYS[1]: the leases (heist id -> until, epoch s). ARGV[1]: now, ARGV[2]: until, then ids:
# the ids nobody holds (or whose lease ran out) are leased and returned.
LEASE_SCRIPT = """
local out = {}
for i = 3, #ARGV do
  local held = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if (not held) or tonumber(held) < tonumber(ARGV[1]) then
    redis.call('ZADD', KEYS[1], ARGV[2], ARGV[i])
    table.insert(out, ARGV[i])
  end
end
return out
"""


@dataclass(frozen=True)
class Pick:
    """A heist's earliest correct answer received within its time limit, how many correct
    answers it had, and when its grace window ended (epoch s; None without an answer)."""

    winner: Winner | None = None
    count: int = 0
    grace_end: float | None = None


# KEYS[1]: the due set. ARGV[1]: the key prefix, then pairs of (heist id, its time limit in
# epoch s). For each: the earliest correct answer received within the limit (member, score,
# or two falses), how many correct answers it has, and when its grace window ends (or false).
CANDIDATES_SCRIPT = """
local out = {}
for i = 2, #ARGV, 2 do
  local cand = ARGV[1] .. 'cand:' .. ARGV[i]
  local first = redis.call('ZRANGEBYSCORE', cand, '-inf', ARGV[i + 1], 'WITHSCORES', 'LIMIT', 0, 1)
  table.insert(out, first[1] or false)
  table.insert(out, first[2] or false)
  table.insert(out, redis.call('ZCARD', cand))
  table.insert(out, redis.call('ZSCORE', KEYS[1], ARGV[i]) or false)
end
return out
"""


async def _candidates(app: AppContext, heists: list[dict[str, Any]]) -> dict[int, Pick]:
    """Every heist's Pick, read in one script call (a chunk's heists at once)."""
    args: list[str] = []
    for h in heists:
        args += [str(h["id"]), repr(h["ends_at"].timestamp())]
    raw = await app.redis.eval(  # type: ignore[misc]
        CANDIDATES_SCRIPT, 1, app.keys.heist_due, app.keys.heist_prefix, *args)
    found: dict[int, Pick] = {}
    for i, h in enumerate(heists):
        member, score, count, grace = raw[4 * i:4 * i + 4]
        winner = None
        if member:
            winner = _winner(member.decode() if isinstance(member, bytes) else member,
                             float(score))
        found[int(h["id"])] = Pick(winner, int(count or 0),
                                   float(grace) if grace else None)
    return found


async def _resolve_chunk(app: AppContext, ids: list[int]) -> int:
    now = app.clock()
    peek = await db().execute_query_dict(
        "SELECT id, community_id, ends_at FROM heist_events WHERE id = ANY($1::bigint[])"
        " AND status = 'active'", [ids])
    gone = set(ids) - {int(r["id"]) for r in peek}
    if gone:  # resolved already (a crash before the cleanup): forget their grace windows
        async with app.redis.pipeline(transaction=False) as pipe:
            pipe.zrem(app.keys.heist_due, *gone)
            pipe.zrem(app.keys.heist_leases, *gone)
            await pipe.execute()
    if not peek:
        return 0
    picks = await _candidates(app, peek)
    # winners become players first if the chat flush has not made them yet
    communities = {int(r["id"]): int(r["community_id"]) for r in peek}
    accounts = [(communities[heist_id], pick.winner.platform,
                 UserRef(id=pick.winner.user_id, name=pick.winner.name))
                for heist_id, pick in picks.items() if pick.winner is not None]
    players = await ensure_players(accounts)
    async with in_transaction("default") as conn:
        locked = await conn.execute_query_dict(_LOCK_HEISTS, [ids])
        results = await _settle(app, conn, locked, picks, players, now)
    done = [i for i, _, _ in results]
    if done:
        keys = [k for i in done for k in (app.keys.heist_candidates(i), app.keys.heist_tries(i))]
        async with app.redis.pipeline(transaction=False) as pipe:
            pipe.zrem(app.keys.heist_due, *done)
            pipe.zrem(app.keys.heist_leases, *done)
            pipe.delete(*keys)
            pipe.incr(app.keys.heist_version)
            await pipe.execute()
        app.heist_board.invalidate()
        await _announce(app, results, "result_announced_at")
    return len(results)


_SETTLE = (
    "UPDATE heist_events h SET status = t.status, resolved_at = $1, candidates = t.n,"
    " winner_id = t.winner, winner_name = t.name, winner_platform = t.platform,"
    " winner_received_at = to_timestamp(t.received), crate_tier = t.tier,"
    " grace_ends_at = to_timestamp(t.grace)"
    " FROM unnest($2::bigint[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::text[],"
    " $8::float8[], $9::text[], $10::float8[])"
    " AS t(id, status, n, winner, name, platform, received, tier, grace) WHERE h.id = t.id"
)

# the next heist of each community, while the session its last one ran in goes on
_RESCHEDULE = (
    "UPDATE heist_schedule s SET next_at = t.next_at, updated_at = $1"
    " FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[])"
    " AS t(community, session, next_at)"
    " WHERE s.community_id = t.community AND s.session_id = t.session AND s.next_at IS NULL"
)


async def _settle(app: AppContext, conn: BaseDBAsyncClient, heists: list[dict[str, Any]],
                  picks: dict[int, Pick], players: dict[Any, int], now: datetime
                  ) -> list[tuple[int, int, str]]:
    """Write the outcome of the heists the caller holds locked, a statement for all of them
    per table: the crates, the heists, the next heists. (heist, community, text) of each."""
    rules = await app.rules_cache.get_many(int(h["community_id"]) for h in heists)
    wins: list[tuple[dict[str, Any], Winner, int, ItemTier]] = []  # heist, winner, player, tier
    for heist in heists:
        winner = picks.get(int(heist["id"]), Pick()).winner
        player = None if winner is None else players.get(
            (int(heist["community_id"]), winner.platform, winner.user_id))
        if winner is not None and player is not None:
            wins.append((heist, winner, player,
                         rules_of.crate_tier(_puzzle(heist).kind, app.rng)))
    # the crate rules count each winner's crates under their row lock
    await conn.execute_query("SELECT id FROM users WHERE id = ANY($1::bigint[]) ORDER BY id"
                             " FOR NO KEY UPDATE", [[w[2] for w in wins]])
    placed = dict(zip((int(w[0]["id"]) for w in wins), await grant_crates(conn, [
        CrateGrant(int(h["community_id"]), player, tier, "heist",
                   (winner.platform, winner.channel))
        for h, winner, player, tier in wins], now, rules), strict=True))
    if wins:  # every win is a ledger row (the projector counts heists won)
        await conn.execute_query(
            "INSERT INTO game_events (community_id, user_id, event_type, wealth_delta,"
            " xp_delta, description, source_key, detail) SELECT c, u, 'heist_win', 0, 0,"
            " 'won heist #' || h, 'heist:' || h, jsonb_build_object('kind', k, 'crate', t)"
            " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[])"
            " AS w(c, u, h, k, t)",
            [[int(h["community_id"]) for h, *_ in wins], [p for _, _, p, _ in wins],
             [int(h["id"]) for h, *_ in wins], [_puzzle(h).kind for h, *_ in wins],
             [str(t) for *_, t in wins]])
    won = {int(w[0]["id"]): w for w in wins}
    columns: list[list[Any]] = [[] for _ in range(9)]
    texts: list[tuple[int, int, str]] = []
    nexts: list[tuple[int, int, datetime]] = []
    for heist in heists:
        heist_id, community = int(heist["id"]), int(heist["community_id"])
        pick = picks.get(heist_id, Pick())
        puzzle = _puzzle(heist)
        if heist_id in won:
            _, winner, player, tier = won[heist_id]
            row = ["won", pick.count, player, winner.name[:200], winner.platform,
                   winner.received, tier, pick.grace_end]
            text = rules_of.win_text(winner.name, puzzle, tier)
            if placed[heist_id] != "inventory":
                text += f" ({crate_text(tier, placed[heist_id], rules[community])})"
        else:
            row = ["expired", pick.count, None, None, None, None, None, pick.grace_end]
            text = rules_of.timeout_text(puzzle)
        for column, value in zip(columns, [heist_id, *row], strict=True):
            column.append(value)
        texts.append((heist_id, community, text))
        if heist["session_id"] is not None:
            nexts.append((community, int(heist["session_id"]),
                          now + next_gap(rules[community], app.rng)))
    await conn.execute_query(_SETTLE, [now, *columns])
    await notify(conn, now, *[(int(h["community_id"]), player, "heist",
                               rules_of.win_text(winner.name, _puzzle(h), tier))
                              for h, winner, player, tier in wins])
    if nexts:
        await conn.execute_query(_RESCHEDULE, [now, *(list(c) for c in zip(*nexts, strict=True))])
    return texts


def _puzzle(row: dict[str, Any]) -> Puzzle:
    return Puzzle(row["kind"], row["content_key"], row["prompt"], row["answer"],
                  tuple(accepted_of(row["accepted"])))


def _result_text(row: dict[str, Any]) -> str:
    puzzle = _puzzle(row)
    if row["status"] == "won" and row["winner_name"]:
        return rules_of.win_text(row["winner_name"], puzzle, row["crate_tier"] or "common")
    return rules_of.timeout_text(puzzle)


# ---- !heist start --------------------------------------------------------------------

async def heist_start(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """Mods: the heist tick starts one within a second (only while a session runs)."""
    rows = await conn.execute_query_dict(
        "SELECT id FROM streaming_sessions WHERE community_id = $1 AND ended_at IS NULL",
        [turn.community])
    if not rows:
        turn.say("no session is running — heists run during a stream (!startsession)")
        return
    running = await conn.execute_query_dict(
        "SELECT id FROM heist_events WHERE community_id = $1 AND status = 'active'",
        [turn.community])
    if running:
        turn.say("a heist is already running")
        return
    await conn.execute_query(
        "INSERT INTO heist_schedule (community_id, session_id, next_at, updated_at)"
        " VALUES ($1, $2, $3, $3) ON CONFLICT (community_id) DO UPDATE"
        " SET session_id = EXCLUDED.session_id, next_at = EXCLUDED.next_at,"
        " updated_at = EXCLUDED.updated_at", [turn.community, rows[0]["id"], turn.now])
    turn.say("🚨 a heist starts in a moment — watch the chat")

