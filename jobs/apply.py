"""The batch job: decode events, count chat activity, apply commands and other events.

Exactly-once: each non-chat effect commits together with its ``processed_events`` row, and
that row keeps the event's replies until the outbox has them (so a worker killed between the
commit and the push leaves them for the re-run to send). Chat activity is added to Redis by
one atomic script guarded by the batch id. Events touching the same players run in order;
the rest run concurrently.

Failures (kingpin/faults.py): an outage or contention makes arq retry the whole batch with
backoff, which is safe because applied events are skipped on the re-run (and their unsent
replies sent); a bug or a value the database refuses costs only its own event. A batch never
fails for good: shutdown hands it back (cancelled), a timeout retries it.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from arq import Retry
from pydantic import ValidationError
from tortoise.transactions import in_transaction

from game.commands import COMMANDS, Command, name_key, parse_command, parse_mention
from game.errors import GameError
from game.events import (
    ChatMessage,
    Event,
    StreamOffline,
    StreamOnline,
    decode_event,
    decode_events,
)
from game.replies import Reply, mention
from jobs import activity, heists, redemptions, state
from jobs.broadcast import broadcast
from jobs.commands import prepare
from jobs.context import AppContext, app_from
from jobs.handlers import HANDLERS
from jobs.monetization import reward_support
from jobs.players import PlayerRef, ensure_player, rename_player
from jobs.sessions import close_session, open_session
from jobs.turn import Turn
from kingpin.db import Deferred, discard_connections, one_trip_transaction
from kingpin.faults import is_connection_broken, is_transient, service_of
from kingpin.lease import lease
from kingpin.outbox import push_replies

log = logging.getLogger(__name__)

SORRY = "something went wrong with that — nothing was changed, please try again"


def backoff_s(tries: int) -> float:
    """0.5 s, 1 s, 2 s … capped at 30 s between tries while PostgreSQL or Redis is away."""
    return float(min(30.0, 0.25 * 2 ** min(tries, 7)))


def _cancelling() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


async def apply_events(ctx: dict[str, Any], batch_id: str, raw_events: list[str]) -> dict[str, int]:
    """arq job: apply one micro-batch of published events.

    Never ends as a failed job: cancelled (shutdown) it is handed back to the queue, and any
    failure, an outage or its own time limit retries it (what committed is skipped then).
    The time limit is below arq's job timeout, which would otherwise drop the batch. While it
    runs it holds a short lease on arq's in-progress mark (kingpin/lease.py), so if its
    worker dies another one takes the batch over within ``KINGPIN_LEASE_S``."""
    app = app_from(ctx)
    tries = int(ctx.get("job_try", 1))
    budget = asyncio.timeout(app.settings.apply_timeout_s - 1)
    held = app.keys.arq("in-progress:") + str(ctx.get("job_id", f"batch:{batch_id}"))
    try:
        async with lease(app.redis, held, app.settings.lease_s), budget:
            result = await apply_batch(app, batch_id, raw_events)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        if _cancelling():  # shutdown cancelled us and a driver turned it into an error
            raise asyncio.CancelledError from exc
        if is_connection_broken(exc):
            await discard_connections()
        if budget.expired():
            log.warning("batch %s: over %d s, retry %d", batch_id,
                        app.settings.apply_timeout_s - 1, tries)
        elif is_transient(exc):
            app.outages.down(service_of(exc), exc)
        else:  # a bug outside any one event (those are contained per event): never drop
            log.exception("batch %s failed outside its events; retry %d", batch_id, tries)
        raise Retry(defer=backoff_s(tries)) from exc
    app.outages.up("PostgreSQL")
    app.outages.up("Redis")
    return result


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


async def owned(app: AppContext, events: list[Event]) -> tuple[list[tuple[Event, int]], int]:
    """Each event with the community that owns its channel (its guild, on Discord); events
    from channels no community owns are dropped (the listener drops them too: this is the
    second line), with a log line and a counter."""
    kept: list[tuple[Event, int]] = []
    dropped = 0
    seen: dict[tuple[str, str], Any] = {}  # a batch comes from a few channels: one lookup each
    for event in events:
        where = (event.platform.value, event.owner_key)
        if where not in seen:
            seen[where] = await app.directory.owner(*where)
        channel = seen[where]
        if channel is None or channel.role != "chat":
            dropped += 1
            log.warning("event from a channel no community owns dropped: platform=%s "
                        "channel=%s guild=%s event_id=%s kind=%s", event.platform,
                        event.channel, event.guild, event.event_id, event.kind)
            continue
        kept.append((event, channel.community_id))
    if dropped:
        await app.redis.hincrby(app.keys.stats, "unowned_events", dropped)  # type: ignore[misc]
    return kept, dropped


async def apply_batch(app: AppContext, batch_id: str, raw_events: list[str]) -> dict[str, int]:
    events, bad = decode_all(raw_events)
    mine, unowned = await owned(app, events)
    # the batch's communities' numbers, loaded together and before any row is locked
    await app.rules_cache.get_many(c for _, c in mine)
    chats = [(c, e) for e, c in mine if isinstance(e, ChatMessage)]
    # chat is counted, and judged against the running heists, in Redis: no row per message
    heists_version = await activity.record(app, batch_id, chats)
    await heists.record_answers(app, batch_id, chats, heists_version)
    # channel-point redemptions that run a command become that command (jobs/redemptions.py)
    mine = await redemptions.as_commands(app, mine)
    work: list[Work] = []
    for event, community in mine:
        if isinstance(event, ChatMessage):
            cmd = parse_command(event.text)
            if cmd is not None:
                work.append((event, cmd, community))
        else:
            work.append((event, None, community))
    applied = await run_ordered(app, work, batch_id)
    return {"events": len(events), "malformed": bad, "unowned": unowned, "chat": len(chats),
            "applied": applied}


Work = tuple[Event, Command | None, int]  # the event, its command, its community


def touches(event: Event, cmd: Command | None, community: int = 0) -> set[str]:
    """Keys of the players an event may read or write, for ordering within a batch."""
    keys: set[str] = set()
    if event.user is not None:
        keys.add(f"{community}:id:{event.platform.value}:{event.user.id}")
        keys.add(f"{community}:name:{name_key(event.user.name)}")
    spec = COMMANDS[cmd.name] if cmd is not None else None
    if spec is not None and cmd is not None and cmd.args and spec.touches == "target":
        keys.add(f"{community}:name:{name_key(cmd.args[0].removeprefix('@'))}")
    if spec is not None and spec.touches == "all":
        keys.add(f"{community}:all")
    if not isinstance(event, ChatMessage):
        keys.add(f"{community}:all")
    return keys


@dataclass
class Answers:
    """Replies of the events a batch committed. Each event's ``processed_events`` row, its
    replies with it, is written by the statement that travels with its ``COMMIT``
    (kingpin/db.OneTripTransaction: no round trip of its own); ``deliver`` pushes the batch's
    replies to the outbox and then notes their events in the batch's sent set in Redis
    (``<prefix>:sent:<batch>``, kept a day). So a re-run of the batch after a crash in
    between finds, for each event an earlier run committed, its replies, and sends those not
    noted as sent (at least once)."""

    batch_id: str = ""
    replies: list[Reply] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)  # event keys

    def add(self, event_key: str | None, replies: list[Reply]) -> None:
        self.replies.extend(replies)
        if event_key is not None and replies:
            self.stored.append(event_key)

    async def recover(self, app: AppContext, event_key: str, raw: str | None) -> None:
        """An event an earlier run of this batch committed: answer it if it never was."""
        if not raw or event_key in self.stored:
            return
        sent = await app.redis.sismember(app.keys.sent_replies(self.batch_id),  # type: ignore[misc]
                                         event_key)
        if not sent:
            self.add(event_key, load_replies(raw))

    async def deliver(self, app: AppContext) -> None:
        replies, stored = self.replies, self.stored
        self.replies, self.stored = [], []
        if replies:
            await push_replies(app.redis, app.keys, replies, app.settings.outbox_max_len)
        if stored:
            key = app.keys.sent_replies(self.batch_id)
            async with app.redis.pipeline(transaction=False) as pipe:
                pipe.sadd(key, *stored)
                pipe.expire(key, SENT_TTL_S)
                await pipe.execute()


SENT_TTL_S = 24 * 3600  # arq re-runs a batch within minutes; a day is plenty


def dump_replies(replies: list[Reply]) -> str:
    """The replies as JSON without a ``$`` (written ``\\u0024``, which JSON reads back the
    same), so the text can travel as a dollar-quoted literal (kingpin/db.dollar_quoted)."""
    body = "[" + ",".join(r.model_dump_json(exclude_none=True) for r in replies) + "]"
    return body.replace("$", "\\u0024")


_RECORD = Deferred(
    "kp_record_event", "bigint, text, text, text, text, text",
    "INSERT INTO processed_events (community_id, platform, event_id, kind, batch_id, replies)"
    " VALUES ($1, $2, $3, $4, $5, $6)"
)


def record_with_commit(tx: Any, event: Event, community: int, batch_id: str,
                       replies: list[Reply]) -> None:
    """The event's ``processed_events`` row, its replies in it, goes with the ``COMMIT``. If
    another run committed the same event meanwhile, the unique key refuses it and nothing of
    this run commits (``_applied_elsewhere``)."""
    tx.defer_call(_RECORD, _record_values(event, community, batch_id, replies))


def _record_values(event: Event, community: int, batch_id: str, replies: list[Reply]
                   ) -> list[object]:
    return [community, event.platform.value, event.event_id, event.kind, batch_id,
            dump_replies(replies) if replies else None]


def _applied_elsewhere(exc: BaseException) -> bool:
    return (isinstance(exc, asyncpg.UniqueViolationError)
            and getattr(exc, "table_name", None) == "processed_events")


def load_replies(raw: str | None) -> list[Reply]:
    if not raw:
        return []
    try:
        return [Reply.model_validate(item) for item in json.loads(raw)]
    except (ValueError, TypeError):
        log.error("stored replies unreadable, dropped: %.200r", raw)
        return []


async def run_ordered(app: AppContext, work: list[Work], batch_id: str = "") -> int:
    """Run each item after the earlier items that touch the same players; others in parallel.

    Replies are pushed to the outbox in one round trip when the batch ends (also when it
    fails half-way or is cancelled: what committed is answered)."""
    if not work:
        return 0
    limit = asyncio.Semaphore(app.settings.command_concurrency)
    last: dict[str, asyncio.Task[bool]] = {}
    tasks: list[asyncio.Task[bool]] = []
    answers = Answers(batch_id)
    try:
        for event, cmd, community in work:
            keys = touches(event, cmd, community)
            before = {last[k] for k in keys if k in last}
            task = asyncio.create_task(_after(before, limit, functools.partial(
                apply_one, app, event, cmd, community, answers)))
            for k in keys:
                last[k] = task
            tasks.append(task)
        results = await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for task in tasks:  # cancelled: stop what has not finished before answering
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await answers.deliver(app)
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
            if task.cancelled():
                raise asyncio.CancelledError
            if task.exception() is not None:
                raise RuntimeError("an earlier event in the chain failed") from task.exception()
    async with limit:
        return await run()


# Commands whose handler starts by locking the actor: the claim does it (cooldown name), and
# for a command against a named player it finds and locks them too (state.CLAIM_AND_LOCK_PAIR).
LOCK_ON_CLAIM = {s.name: s.lock for s in COMMANDS.values() if s.lock is not None}


def _named_target(cmd: Command) -> str | None:
    """The name key of the player a target command names, when the claim can look it up; None
    for other commands and for arguments ``prepare`` will refuse with the usage."""
    spec = COMMANDS[cmd.name]
    if spec.lock is None or spec.touches != "target" or len(cmd.args) != len(spec.args):
        return None
    try:
        return name_key(parse_mention(cmd.args[0], spec.usage))[:100]
    except GameError:
        return None

# Claim the event (apply-side dedup) and find its player in one round trip; an event applied
# before comes back with its row and the replies that may not have reached the outbox.
# $1 platform, $2 event id, $3 platform user id, $4 batch id, $5 community.
_CLAIM = (
    f"WITH {state.claimed_before('$4', '$5')}"
    " SELECT i.user_id, i.username,"
    f" {state.CLAIMED_BEFORE_COLUMNS}"
    " FROM (SELECT 1) AS one LEFT JOIN player_identities i"
    " ON i.community_id = $5 AND i.platform = $1 AND i.platform_user_id = $3"
)


async def apply_one(
    app: AppContext, event: Event, cmd: Command | None, community: int,
    answers: Answers | None = None,
) -> bool:
    """Apply one event exactly once. Returns False if it had already been applied (its
    replies, if a crash kept them from the outbox, are answered now). Replies go to
    ``answers`` (the batch delivers them), or straight to the outbox without it."""
    if answers is not None:
        return await _apply_one(app, event, cmd, community, answers)
    own = Answers(event.key)
    try:
        return await _apply_one(app, event, cmd, community, own)
    finally:
        await own.deliver(app)


async def _apply_one(app: AppContext, event: Event, cmd: Command | None, community: int,
                     answers: Answers) -> bool:
    now = app.clock()
    replies: list[Reply] = []
    try:
        async with one_trip_transaction() as tx:
            lock_as = LOCK_ON_CLAIM.get(cmd.name) if cmd is not None else None
            named = _named_target(cmd) if cmd is not None and lock_as is not None else None
            uid = event.user.id if event.user else ""
            if named is not None:
                rows = await tx.execute_query_dict(
                    state.CLAIM_AND_LOCK_PAIR,
                    [event.platform.value, event.event_id, uid, lock_as, answers.batch_id,
                     community, now, named])
            elif lock_as is None:
                rows = await tx.execute_query_dict(
                    _CLAIM, [event.platform.value, event.event_id, uid, answers.batch_id,
                             community])
            else:
                rows = await tx.execute_query_dict(
                    state.CLAIM_AND_LOCK,
                    [event.platform.value, event.event_id, uid, lock_as, answers.batch_id,
                     community, now])
            row = rows[0]
            if row["old_id"] is not None:
                # applied before; by an earlier run of this batch that may have died before
                # answering, or by another batch (a duplicate: it answered)
                if row["old_same_batch"]:
                    await answers.recover(app, event.key, row["old_replies"])
                return False
            player: PlayerRef | None = None
            snapshot: state.Snapshot | None = None
            target: PlayerRef | None = None
            target_snapshot: state.Snapshot | None = None
            if event.user is not None:
                if named is not None:
                    known, name = row["actor_id"], row["identity_name"]
                elif lock_as is not None:
                    known, name = row["id"], row["identity_name"]
                else:
                    known, name = row["user_id"], row["username"]
                if known is None:  # first sight: created on its own connection
                    player = await ensure_player(community, event.platform.value, event.user)
                else:
                    if name != event.user.name[:100]:  # a rename, on this transaction (the
                        await rename_player(tx, community, event.platform.value,
                                            event.user, known)
                    player = PlayerRef(known, event.user.name)  # row may be locked here)
                    locked = {r["id"]: r for r in rows
                              if lock_as is not None and r["id"] is not None}
                    if known in locked:
                        snapshot = state.snapshot_from_row(locked[known])
                    if named is not None and row["target_id"] in locked:
                        target = PlayerRef(row["target_id"], row["target_name"])
                        target_snapshot = state.snapshot_from_row(locked[row["target_id"]])
            if isinstance(event, ChatMessage) and cmd is not None and player is not None:
                turn = Turn(app=app, event=event, player=player, cmd=cmd, now=now,
                            community=community, rules=await app.rules_cache.get(community),
                            snapshot=snapshot, target=target, target_snapshot=target_snapshot)
                try:
                    if await redemptions.admits(turn, tx):  # economy.live_mode
                        await prepare(turn, tx)
                        await HANDLERS[cmd.name](turn, tx)
                except GameError as err:  # raised before any write: commit the claim only
                    turn.replies = []
                    turn.say(err.message)
                replies = turn.replies
            else:
                replies = await apply_other(app, tx, event, player, now, community)
            # the event's row with its replies, written with the commit
            record_with_commit(tx, event, community, answers.batch_id, replies)
    except Exception as exc:
        if _cancelling():
            raise asyncio.CancelledError from exc
        if _applied_elsewhere(exc):  # a concurrent run of the same event committed first
            return False
        if is_transient(exc):
            raise
        # a bug or a value the database refuses, not an outage: everything rolled back;
        # remember the event (so it neither blocks the batch nor comes back forever) and,
        # for a command, say sorry
        log.exception("event failed: platform=%s channel=%s user=%s event_id=%s kind=%s cmd=%s",
                      event.platform, event.channel, event.user.id if event.user else None,
                      event.event_id, event.kind, cmd.name if cmd else None)
        await _count_quarantined(app)
        replies = []
        if isinstance(event, ChatMessage) and cmd is not None:
            replies = [Reply(platform=event.platform, channel=event.channel,
                             text=f"{mention(event.user.name)} {SORRY}",
                             reply_to=event.event_id, source_received_at=event.received_at)]
        if not await _claim_only(event, answers.batch_id, community, replies):
            return False
    answers.add(event.key, replies)
    return True


async def _count_quarantined(app: AppContext) -> None:
    try:
        await app.redis.hincrby(app.keys.stats, "quarantined_events", 1)  # type: ignore[misc]
    except Exception:  # noqa: BLE001 - a counter must not turn a contained bug into an outage
        log.warning("could not count a quarantined event")


async def _claim_only(event: Event, batch_id: str, community: int,
                      replies: list[Reply]) -> bool:
    """Mark a failed event handled, its apology kept in the row like any reply; False if
    some other run applied it meanwhile."""
    async with in_transaction("default") as tx:
        rows = await tx.execute_query_dict(
            _RECORD.sql + " ON CONFLICT (community_id, platform, event_id) DO NOTHING RETURNING id",
            _record_values(event, community, batch_id, replies))
    return bool(rows)


async def apply_other(app: AppContext, tx: Any, event: Event, player: Any, now: Any,
                      community: int) -> list[Reply]:
    """Non-command events: stream online/offline, support rewards, first sight."""
    origin = (event.platform, event.channel)
    rules = await app.rules_cache.get(community)
    if isinstance(event, StreamOnline):
        opened = await open_session(tx, community, now, event.title or "stream",
                                    event.platform.value, event.channel, "", rules)
        if opened is None:  # already live on another of the community's platforms
            return []
        return await broadcast(app, community,
                               "🎬 the stream is live — a new session has begun", origin)
    if isinstance(event, StreamOffline):
        return await close_session(app, tx, community, now, rules, origin) or []
    return await reward_support(app, tx, event, player, now, community, rules)
