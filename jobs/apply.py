"""The batch job: decode events, count chat activity, apply commands and other events.

Exactly-once: each non-chat effect commits together with its ``processed_events`` row; chat
activity is added to Redis by one atomic script guarded by the batch id. Events touching the
same players run in order; the rest run concurrently. Transient failures (database or Redis
unreachable, deadlock) make arq retry the whole batch with backoff, which is safe because
applied events are skipped on the re-run.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import redis.exceptions
from arq import Retry
from pydantic import ValidationError
from tortoise.exceptions import DBConnectionError, OperationalError, TransactionManagementError
from tortoise.transactions import in_transaction

from game.commands import Command, name_key, parse_command
from game.errors import GameError
from game.events import (
    ChatMessage,
    Event,
    StreamOffline,
    StreamOnline,
    decode_event,
    decode_events,
)
from game.monetization import support_reward
from game.replies import Reply, mention
from jobs import activity, state
from jobs.commands import HANDLERS, Turn, close_session, open_session, prepare
from jobs.context import AppContext, app_from
from jobs.ledger import apply_delta
from jobs.players import PlayerRef, ensure_player, rename_player
from kingpin.outbox import push_replies

log = logging.getLogger(__name__)

TRANSIENT: tuple[type[BaseException], ...] = (
    OSError,
    ConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
    asyncpg.TooManyConnectionsError,
    asyncpg.CannotConnectNowError,
    DBConnectionError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    TransactionManagementError,
)

SORRY = "something went wrong with that — nothing was changed, please try again"


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TRANSIENT):
        return True
    if isinstance(exc, OperationalError) and isinstance(exc.__cause__, TRANSIENT):
        return True
    cause = exc.__cause__ or exc.__context__
    return cause is not None and cause is not exc and isinstance(cause, TRANSIENT)


def backoff_s(tries: int) -> float:
    """0.5 s, 1 s, 2 s … capped at 30 s between tries while PostgreSQL or Redis is away."""
    return float(min(30.0, 0.25 * 2 ** min(tries, 7)))


async def apply_events(ctx: dict[str, Any], batch_id: str, raw_events: list[str]) -> dict[str, int]:
    """arq job: apply one micro-batch of published events."""
    app = app_from(ctx)
    tries = int(ctx.get("job_try", 1))
    try:
        return await apply_batch(app, batch_id, raw_events)
    except Exception as exc:
        if is_transient(exc):
            log.warning("batch %s: transient failure (%s), retry %d", batch_id, exc, tries)
            raise Retry(defer=backoff_s(tries)) from exc
        raise


def decode_all(raw_events: list[str]) -> tuple[list[Event], int]:
    try:
        return decode_events(raw_events), 0
    except (ValidationError, ValueError):
        pass  # somewhere in the batch is a bad one: keep every good event
    events: list[Event] = []
    bad = 0
    for raw in raw_events:
        try:
            events.append(decode_event(raw))
        except (ValidationError, ValueError) as exc:
            bad += 1
            log.warning("malformed event dropped: %s; %.200r", exc.__class__.__name__, raw)
    return events, bad


async def apply_batch(app: AppContext, batch_id: str, raw_events: list[str]) -> dict[str, int]:
    events, bad = decode_all(raw_events)
    chats = [e for e in events if isinstance(e, ChatMessage)]
    await activity.record(app, batch_id, chats)
    work: list[tuple[Event, Command | None]] = []
    for event in events:
        if isinstance(event, ChatMessage):
            cmd = parse_command(event.text)
            if cmd is not None:
                work.append((event, cmd))
        else:
            work.append((event, None))
    applied = await run_ordered(app, work)
    return {"events": len(events), "malformed": bad, "chat": len(chats), "applied": applied}


def touches(event: Event, cmd: Command | None) -> set[str]:
    """Keys of the players an event may read or write, for ordering within a batch."""
    keys: set[str] = set()
    if event.user is not None:
        keys.add(f"id:{event.platform.value}:{event.user.id}")
        keys.add(f"name:{name_key(event.user.name)}")
    if cmd is not None and cmd.args and cmd.name in ("rob", "givewealth", "givexp"):
        keys.add(f"name:{name_key(cmd.args[0].removeprefix('@'))}")
    if cmd is not None and cmd.name in ("lb", "rank", "startsession", "endsession"):
        keys.add("global")
    if not isinstance(event, ChatMessage):
        keys.add("global")
    return keys


async def run_ordered(app: AppContext, work: list[tuple[Event, Command | None]]) -> int:
    """Run each item after the earlier items that touch the same players; others in parallel.

    Replies are collected and pushed to the outbox in one round trip when the batch ends
    (also when it fails half-way: what committed is answered)."""
    if not work:
        return 0
    limit = asyncio.Semaphore(app.settings.command_concurrency)
    last: dict[str, asyncio.Task[bool]] = {}
    tasks: list[asyncio.Task[bool]] = []
    outbox: list[Reply] = []
    try:
        for event, cmd in work:
            keys = touches(event, cmd)
            before = {last[k] for k in keys if k in last}
            task = asyncio.create_task(
                _after(before, limit, functools.partial(apply_one, app, event, cmd, outbox))
            )
            for k in keys:
                last[k] = task
            tasks.append(task)
        results = await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        if outbox:
            await push_replies(app.redis, app.keys, outbox, app.settings.outbox_max_len)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return sum(1 for r in results if r is True)


async def _after(
    before: set[asyncio.Task[bool]], limit: asyncio.Semaphore,
    run: Callable[[], Awaitable[bool]],
) -> bool:
    if before:
        await asyncio.wait(before)
        for task in before:  # a transient failure earlier in the chain fails the chain
            if not task.cancelled() and task.exception() is not None:
                raise RuntimeError("an earlier event in the chain failed") from task.exception()
    async with limit:
        return await run()


# Commands whose handler starts by locking the actor: the claim does it (cooldown name).
LOCK_ON_CLAIM = {"play": "play", "bail": "bail", "checkin": "checkin"}

# Claim the event (apply-side dedup) and find its player in one round trip.
_CLAIM = (
    "WITH ins AS (INSERT INTO processed_events (platform, event_id, kind) VALUES ($1, $2, $3)"
    " ON CONFLICT (platform, event_id) DO NOTHING RETURNING id)"
    " SELECT (SELECT id FROM ins) AS processed, i.user_id, i.username"
    " FROM (SELECT 1) AS one LEFT JOIN player_identities i"
    " ON i.platform = $1 AND i.platform_user_id = $4"
)


async def apply_one(
    app: AppContext, event: Event, cmd: Command | None, outbox: list[Reply] | None = None
) -> bool:
    """Apply one event exactly once. Returns False if it had already been applied."""
    now = app.clock()
    replies: list[Reply] = []
    try:
        async with in_transaction("default") as tx:
            lock_as = LOCK_ON_CLAIM.get(cmd.name) if cmd is not None else None
            uid = event.user.id if event.user else ""
            if lock_as is None:
                rows = await tx.execute_query_dict(
                    _CLAIM, [event.platform.value, event.event_id, event.kind, uid])
            else:
                rows = await tx.execute_query_dict(
                    state.CLAIM_AND_LOCK,
                    [event.platform.value, event.event_id, event.kind, uid, lock_as])
            row = rows[0]
            if row["processed"] is None:
                return False
            player: PlayerRef | None = None
            snapshot: state.Snapshot | None = None
            if event.user is not None:
                if lock_as is not None:
                    known, name = row["id"], row["identity_name"]
                else:
                    known, name = row["user_id"], row["username"]
                if known is None:  # first sight: created on its own connection
                    player = await ensure_player(event.platform.value, event.user)
                else:
                    if name != event.user.name[:100]:  # a rename, on this transaction (the
                        await rename_player(tx, event.platform.value, event.user, known)
                    player = PlayerRef(known, event.user.name)  # row may be locked here)
                    if lock_as is not None:
                        snapshot = state.snapshot_from_row(row)
            if isinstance(event, ChatMessage) and cmd is not None and player is not None:
                turn = Turn(app=app, event=event, player=player, cmd=cmd, now=now,
                            snapshot=snapshot)
                try:
                    await prepare(turn, tx)
                    await HANDLERS[cmd.name](turn, tx)
                except GameError as err:  # raised before any write: commit the claim only
                    turn.replies = []
                    turn.say(err.message)
                replies = turn.replies
            else:
                replies = await apply_other(app, tx, event, player, now)
    except Exception as exc:
        if is_transient(exc):
            raise
        # a bug, not bad input: everything rolled back; remember the event (so it neither
        # blocks the batch nor comes back forever) and, for a command, say sorry
        log.exception("event failed: platform=%s channel=%s user=%s event_id=%s kind=%s cmd=%s",
                      event.platform, event.channel, event.user.id if event.user else None,
                      event.event_id, event.kind, cmd.name if cmd else None)
        if not await _claim_only(event):
            return False
        replies = []
        if isinstance(event, ChatMessage) and cmd is not None:
            replies = [Reply(platform=event.platform, channel=event.channel,
                             text=f"{mention(event.user.name)} {SORRY}",
                             reply_to=event.event_id, source_received_at=event.received_at)]
    if replies:
        if outbox is not None:
            outbox.extend(replies)
        else:
            await push_replies(app.redis, app.keys, replies, app.settings.outbox_max_len)
    return True


async def _claim_only(event: Event) -> bool:
    async with in_transaction("default") as tx:
        rows = await tx.execute_query_dict(
            "INSERT INTO processed_events (platform, event_id, kind) VALUES ($1, $2, $3)"
            " ON CONFLICT (platform, event_id) DO NOTHING RETURNING id",
            [event.platform.value, event.event_id, event.kind],
        )
    return bool(rows)


async def apply_other(app: AppContext, tx: Any, event: Event, player: Any, now: Any) -> list[Reply]:
    """Non-command events: support rewards, stream online/offline, first sight."""
    if isinstance(event, StreamOnline):
        title = event.title or "stream"
        opened = await open_session(tx, now, title, event.platform.value, event.channel, "")
        text = "🎬 the stream is live — a new session has begun" if opened else None
        return [Reply(platform=event.platform, channel=event.channel, text=text)] if text else []
    if isinstance(event, StreamOffline):
        closed = await close_session(tx, now)
        text = "🎬 the stream is over — session closed" if closed else None
        return [Reply(platform=event.platform, channel=event.channel, text=text)] if text else []
    reward = support_reward(event)
    if reward is None or player is None:
        return []
    await apply_delta(tx, player.id, reward.wealth, reward.xp, f"support_{event.kind}",
                      reward.text, event.key, app.rules)
    gains = f"+${reward.wealth:,}" + (f", +{reward.xp:,} XP" if reward.xp else "")
    return [Reply(platform=event.platform, channel=event.channel,
                  text=f"{mention(player.name)} {reward.text}! {gains}")]
