"""Fault drivers: real workers under steady load while a fault happens, then the delivery
guarantees are checked (DESIGN.md, "Delivery guarantees"):

    python -m benchmarks.faults kill [--commands N] [--seconds S] ...
    python -m benchmarks.faults redis-restart | pg-restart | kill-during-flush | sigterm

Each run starts its own PostgreSQL and Redis on free ports in a temporary directory
(``benchmarks/servers.py``; the machine's servers are never touched), migrates a fresh
database, starts two ``kingpin worker`` processes, makes every viewer chat once (so players
exist), then publishes a steady stream through the real ``Publisher``: ``!play``,
``!checkin``, ``!rob @someone``, ``!bail`` and ``!profile`` from synthetic viewers on the
console, Twitch, Kick and Discord, every command event published twice (a platform
redelivery), plus plain chat. The fault happens during that load:

* ``kill``: SIGKILL one worker every 5 s (alternating), starting a replacement each time;
* ``redis-restart``: Redis SHUTDOWN mid-load, kept down 5 s, started again on its data;
* ``pg-restart``: ``pg_ctl restart -m fast`` mid-load, and once more;
* ``kill-during-flush``: many distinct chatters make each chat flush take a while; the
  worker running the flush (its transaction holds ``event_batch_queue``) is SIGKILLed while
  ``<prefix>:activity:lock`` exists, and replaced;
* ``sigterm``: SIGTERM one worker mid-load (a replacement starts at once); it must exit 0
  within ``KINGPIN_SHUTDOWN_GRACE_S``.

While Redis is away the publisher fails; the driver keeps every event and retries with
backoff as a listener would. Replies are drained from every outbox during the run. After the
load it waits (bounded) until every command is applied and answered and chat is flushed, lets
one more flush run, and checks:

* **lost** = commands published but not in ``processed_events``: 0;
* **doubled** = ``processed_events`` ids held twice + ledger rows (``game_events``) written
  twice for one command, player and kind (``source_key`` is the event key; a rob that takes
  an item also writes an ``item_stolen`` row for the robber): 0;
* **unanswered** = commands without a reply whose ``reply_to`` is their event id: 0;
* **chat exact**: every account's ``messages_sent`` equals the chat lines it published
  (commands are chat lines too);
* **ledger**: ``sum(wealth) == sum(wealth_delta)``, the same for XP, no negative balance;
* **projection**: the projector caught up, its count of rows projected equal to the ledger's
  rows (each projected once, however often workers died), and every player's lifetime plays,
  robs and chat messages equal to their ledger rows;
* **recovery**: for each fault, the seconds from its end (worker killed, server back) until
  no command published more than ``--stale-s`` earlier is still unanswered (only commands
  published after the previous fault ended count); at most ``--recover-limit-s``;
* no worker exits unless the driver stopped it; ``sigterm``: exit code 0 within the grace.

Prints JSON; exits 1 if a check fails (the failure message has each worker's log tail).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import heapq
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import psutil

from benchmarks.load import CHAT_LINES, ROOT, Viewer, event
from benchmarks.servers import PrivatePostgres, PrivateRedis, tail
from game.events import ChatMessage, Platform
from game.replies import Reply
from kingpin.bus import Publisher, connect_redis
from kingpin.db import migrate
from kingpin.keys import Keys
from kingpin.services import with_database

PLATFORMS = (Platform.CONSOLE, Platform.TWITCH, Platform.KICK, Platform.DISCORD)
SCENARIOS = ("kill", "redis-restart", "pg-restart", "kill-during-flush", "sigterm", "none")
FLUSH_EVERY_S = 2


@dataclass
class Fault:
    name: str
    start: float  # wall clock (time.time()), like the replies' timestamps
    end: float
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class WorkerProc:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path
    started: float
    stopped_by: str | None = None  # the signal the driver sent, if any
    signalled_at: float | None = None
    exited_at: float | None = None


class Workers:
    """Two worker slots; every process started is remembered with its log file."""

    def __init__(self, env: dict[str, str], log_dir: Path, slots: int = 2) -> None:
        self.env = env
        self.log_dir = log_dir
        self.slots: list[WorkerProc] = []
        self.all: list[WorkerProc] = []
        for _ in range(slots):
            self.slots.append(self._spawn())

    def _spawn(self) -> WorkerProc:
        name = f"worker-{len(self.all)}"
        log = self.log_dir / f"{name}.log"
        with log.open("wb") as sink:
            proc = subprocess.Popen(  # noqa: S603 - fixed argv
                [sys.executable, "-m", "kingpin.cli", "worker"], env=self.env, cwd=ROOT,
                stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT)
        worker = WorkerProc(name, proc, log, time.time())
        self.all.append(worker)
        return worker

    def signal(self, slot: int, sig: signal.Signals) -> WorkerProc:
        worker = self.slots[slot]
        worker.stopped_by = sig.name
        worker.signalled_at = time.time()
        worker.proc.send_signal(sig)
        return worker

    def replace(self, slot: int) -> WorkerProc:
        self.slots[slot] = self._spawn()
        return self.slots[slot]

    def poll(self) -> None:
        for w in self.all:
            if w.exited_at is None and w.proc.poll() is not None:
                w.exited_at = time.time()

    def unexpected_exits(self) -> list[dict[str, Any]]:
        self.poll()
        return [{"worker": w.name, "code": w.proc.returncode,
                 "after_s": round((w.exited_at or 0) - w.started, 1)}
                for w in self.all if w.exited_at is not None and w.stopped_by is None]

    async def wait_exit(self, worker: WorkerProc, limit_s: float) -> int | None:
        deadline = time.monotonic() + limit_s
        while worker.proc.poll() is None and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        self.poll()
        return worker.proc.returncode

    async def stop_all(self, grace_s: float) -> dict[str, int | None]:
        """SIGTERM what still runs, as an orchestrator would; SIGKILL after the grace."""
        running = [w for w in self.all if w.proc.poll() is None]
        for w in running:
            w.stopped_by = w.stopped_by or "SIGTERM"
            w.signalled_at = time.time()
            w.proc.send_signal(signal.SIGTERM)
        for w in running:
            if await self.wait_exit(w, grace_s) is None:
                w.proc.kill()
                await self.wait_exit(w, 5)
        return {w.name: w.proc.returncode for w in running}

    def log_tails(self, lines: int = 25) -> dict[str, str]:
        return {w.name: tail(w.log, lines) for w in self.all}


def make_viewers(n: int, channels: int, rng: random.Random, tag: str = "v") -> list[Viewer]:
    return [Viewer(PLATFORMS[i % len(PLATFORMS)], f"{tag}{i}", f"{tag}iewer{i}",
                   f"chan{rng.randrange(channels)}") for i in range(n)]


def command_text(rng: random.Random, viewers: list[Viewer]) -> str:
    r = rng.random()
    if r < 0.35:
        return "!play"
    if r < 0.60:
        return f"!rob @{rng.choice(viewers).name}"
    if r < 0.75:
        return "!checkin"
    if r < 0.85:
        return "!bail"
    return "!profile"


# the projector's exactly-once, checked against the ledger: every row projected once (its
# running count equals the ledger's rows), none waiting, and every player's lifetime plays,
# robs and chat messages equal to what their ledger rows say
_PROJECTION = (
    "SELECT (SELECT count(*) FROM game_events) AS ledger_rows,"
    " (SELECT COALESCE(sum(rows_projected), 0) FROM projector_state) AS rows_projected,"
    " (SELECT count(*) FROM game_events g LEFT JOIN projector_state p ON p.name = 'main'"
    "  WHERE p.name IS NULL OR (g.xid, g.id) > (p.last_xid::text::xid8, p.last_id))"
    "  AS waiting,"
    " (SELECT count(*) FROM (SELECT user_id,"
    "  count(*) FILTER (WHERE event_type = 'play') AS plays,"
    "  count(*) FILTER (WHERE event_type = 'rob') AS robs,"
    "  COALESCE(sum((detail->>'messages')::bigint) FILTER (WHERE event_type = 'chat'), 0)"
    "  AS messages FROM game_events GROUP BY user_id) l FULL JOIN (SELECT user_id, plays,"
    "  robs, messages FROM leaderboard_snapshots WHERE period = 'lifetime') s USING (user_id)"
    "  WHERE (COALESCE(l.plays, 0), COALESCE(l.robs, 0), COALESCE(l.messages, 0))"
    "  <> (COALESCE(s.plays, 0), COALESCE(s.robs, 0), COALESCE(s.messages, 0))) AS mismatched"
)


def recovery_s(faults: list[Fault], published: dict[Any, float], answered: dict[Any, float],
               stale_s: float) -> list[float | None]:
    """Per fault: seconds from its end until commands published since it began (and up to
    ``stale_s`` before the next one began) are answered normally again: from then on, none
    is still unanswered ``stale_s`` after it was published. None if that never happened
    (a command was lost)."""
    out: list[float | None] = []
    ordered = sorted(faults, key=lambda f: f.start)
    for i, fault in enumerate(ordered):
        # commands in flight when the next fault began belong to that one (its takeover)
        until = ordered[i + 1].start - stale_s if i + 1 < len(ordered) else float("inf")
        window = [(p, answered.get(k, float("inf"))) for k, p in published.items()
                  if fault.start < p <= until]
        # candidate instants: the fault's end and each answer after it. Clear at t: every
        # command answered after t was published after t - stale_s. Walk down from the
        # last answer; the earliest instant of the final clear stretch is the recovery.
        candidates = sorted({fault.end} | {a for _, a in window if a >= fault.end})
        by_answer = sorted(window, key=lambda pa: pa[1], reverse=True)
        found: float | None = None
        j, oldest_open = 0, float("inf")
        for t in reversed(candidates):
            while j < len(by_answer) and by_answer[j][1] > t:
                oldest_open = min(oldest_open, by_answer[j][0])
                j += 1
            if oldest_open > t - stale_s:
                found = t
            else:
                break
        out.append(None if found is None else round(max(0.0, found - fault.end), 2))
    return out


def takeover_s(faults: list[Fault], published: dict[Any, float], answered: dict[Any, float]
               ) -> list[float | None]:
    """Per fault: seconds from its end until the last command that was in flight when it
    began (published before, answered after) was answered: a dead worker's batches re-run,
    a batch cut off by an outage retried. 0 if nothing was in flight; None if one never was."""
    out: list[float | None] = []
    for fault in faults:
        late = [answered.get(k, float("inf")) for k, p in published.items()
                if p <= fault.start and answered.get(k, float("inf")) > fault.start]
        last = max(late, default=fault.end)
        out.append(None if last == float("inf") else round(max(0.0, last - fault.end), 2))
    return out


class Driver:
    def __init__(self, args: argparse.Namespace, pg: PrivatePostgres, rds: PrivateRedis,
                 log_dir: Path) -> None:
        self.args = args
        self.pg = pg
        self.rds = rds
        self.log_dir = log_dir
        self.rng = random.Random(args.seed)
        self.prefix = f"kpf{uuid.uuid4().hex[:8]}"
        self.keys = Keys(self.prefix)
        self.db_name = f"kingpin_faults_{uuid.uuid4().hex[:8]}"
        self.db_url = with_database(pg.url, self.db_name)
        self.faults: list[Fault] = []
        self.notes: dict[str, Any] = {}
        self.published: dict[tuple[str, str], float] = {}  # command key -> wall time
        self.chat_expected: Counter[tuple[str, str]] = Counter()
        self.plain_chat = 0
        self.answered: dict[tuple[str, str], float] = {}
        self.replies = 0
        self.backlog: deque[ChatMessage] = deque()
        self.publish_failures = 0
        self.outbox_errors = 0
        self.t0 = 0.0
        self.final_exits: dict[str, int | None] = {}

    # --- setup ---

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KINGPIN_")}
        env.update({
            "KINGPIN_DATABASE_URL": self.db_url, "KINGPIN_REDIS_URL": self.rds.url,
            "KINGPIN_REDIS_PREFIX": self.prefix, "KINGPIN_LOG_LEVEL": "WARNING",
            "KINGPIN_ACTIVITY_FLUSH_EVERY_S": str(FLUSH_EVERY_S),
            "KINGPIN_SHUTDOWN_GRACE_S": str(self.args.grace_s),
            "PYTHONUNBUFFERED": "1",
        })
        return env

    async def setup(self) -> None:
        await migrate(self.db_url)
        from benchmarks.load import own_channels

        await own_channels(self.db_url)
        self.redis = await connect_redis(self.rds.url, self.keys)
        self.pub = Publisher(self.redis, self.keys, max_events=50, max_wait_ms=5)
        self.workers = Workers(self.env(), self.log_dir)
        channels = 3
        self.viewers = make_viewers(self.args.viewers, channels, self.rng)
        self.chatters = make_viewers(self.args.chatters, channels, self.rng, tag="c")

    async def db(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.db_url, timeout=5)

    async def fetch(self, sql: str, *params: Any) -> list[asyncpg.Record]:
        conn = await self.db()
        try:
            return list(await conn.fetch(sql, *params))
        finally:
            await conn.close()

    # --- the moving parts during the run ---

    def queue_chat(self, v: Viewer, text: str) -> ChatMessage:
        e = event(v, text)
        self.chat_expected[(v.platform.value, v.user_id)] += 1
        self.backlog.append(e)
        return e

    async def publisher_loop(self, done: asyncio.Event) -> None:
        """Hand every queued event to the Publisher; on failure it keeps its buffer, and the
        loop backs off and tries again (a listener does the same). Nothing is dropped."""
        delay = 0.05
        n = 0
        while True:
            if self.backlog:
                e = self.backlog.popleft()
                try:
                    await self.pub.publish(e)  # buffered first: a failed flush keeps it
                    delay = 0.05
                except Exception:  # noqa: BLE001 - Redis away: retry with backoff
                    self.publish_failures += 1
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 1.0)
                n += 1
                if n % 20 == 0:
                    await asyncio.sleep(0)
            elif done.is_set():
                break
            else:
                await asyncio.sleep(0.005)
        while True:
            try:
                await self.pub.close()
                return
            except Exception:  # noqa: BLE001 - keep trying until Redis takes everything
                self.publish_failures += 1
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    async def drain_outbox_once(self) -> int:
        got = 0
        for platform in PLATFORMS:
            while True:
                raw = await self.redis.lpop(self.keys.outbox(platform.value), 1000)
                if not raw:
                    break
                for item in raw:
                    reply = Reply.model_validate_json(item)
                    self.replies += 1
                    got += 1
                    if reply.reply_to is None:
                        continue
                    key = (reply.platform.value, reply.reply_to)
                    at = (reply.queued_at or datetime.now().astimezone()).timestamp()
                    if key not in self.answered or at < self.answered[key]:
                        self.answered[key] = at
        return got

    async def outbox_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.drain_outbox_once()
                await asyncio.sleep(0.05)
            except Exception:  # noqa: BLE001 - Redis away: try again shortly
                self.outbox_errors += 1
                await asyncio.sleep(0.2)

    async def load(self) -> None:
        """``rate`` commands/s (each queued twice) plus chat, for ``seconds``."""
        args = self.args
        tick = 0.01
        per_tick = args.rate * tick
        carry = 0.0
        start = time.perf_counter()
        sent = 0
        redeliver: list[tuple[float, int, ChatMessage]] = []  # a heap by due time
        while time.perf_counter() - start < args.seconds and sent < args.commands:
            carry += per_tick
            n, carry = int(carry), carry - int(carry)
            now = time.time()
            while redeliver and redeliver[0][0] <= now:
                self.backlog.append(heapq.heappop(redeliver)[2])
            for _ in range(min(n, args.commands - sent)):
                v = self.rng.choice(self.viewers)
                e = self.queue_chat(v, command_text(self.rng, self.viewers))
                # the platform delivers it again a little later
                heapq.heappush(redeliver, (now + self.rng.uniform(0.1, 1.5), sent, e))
                self.published[(e.platform.value, e.event_id)] = now
                sent += 1
                for _ in range(args.chat_ratio):
                    self.queue_chat(self.rng.choice(self.viewers), self.rng.choice(CHAT_LINES))
                    self.plain_chat += 1
            for _ in range(int(args.chatter_rate * tick)):
                self.queue_chat(self.rng.choice(self.chatters), self.rng.choice(CHAT_LINES))
                self.plain_chat += 1
            next_at = start + tick * (1 + int((time.perf_counter() - start) / tick))
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        for _, _, e in sorted(redeliver):
            self.backlog.append(e)

    async def at(self, seconds: float) -> None:
        """Sleep until ``seconds`` after the load started."""
        await asyncio.sleep(max(0.0, self.t0 + seconds - time.time()))

    async def warmup(self) -> None:
        """Every viewer chats once, so players exist (and !rob finds them)."""
        for v in [*self.viewers, *self.chatters]:
            self.queue_chat(v, "hi")
            self.plain_chat += 1
        done = asyncio.Event()
        done.set()
        await self.publisher_loop(done)
        want = len(self.viewers) + len(self.chatters)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            rows = await self.fetch("SELECT COUNT(*) AS n FROM player_identities")
            if rows[0]["n"] >= want:
                return
            if self.workers.unexpected_exits():
                break
            await asyncio.sleep(0.2)
        # go on: the checks after the load show what this costs
        self.notes.setdefault("failures", []).append(
            f"warm-up: {rows[0]['n']} of {want} players exist after it")

    # --- after the load ---

    async def measure(self) -> dict[str, Any]:
        conn = await self.db()
        try:
            processed = await conn.fetch(
                "SELECT platform, event_id, COUNT(*) AS n, MIN(processed_at) AS at"
                " FROM processed_events WHERE kind = 'chat_message' GROUP BY 1, 2")
            ledger_doubles = await conn.fetchval(
                "SELECT COUNT(*) FROM (SELECT 1 FROM game_events"
                " WHERE source_key IS NOT NULL AND source_key NOT LIKE 'activity:%'"
                " GROUP BY source_key, user_id, event_type HAVING COUNT(*) > 1) AS d")
            chat = await conn.fetch(
                "SELECT i.platform, i.platform_user_id AS uid, u.messages_sent AS n"
                " FROM player_identities i JOIN users u ON u.id = i.user_id")
            ledger = await conn.fetchrow(
                "SELECT (SELECT COALESCE(SUM(wealth), 0) FROM users) AS wealth,"
                " (SELECT COALESCE(SUM(wealth_delta), 0) FROM game_events) AS ledger_wealth,"
                " (SELECT COALESCE(SUM(xp), 0) FROM users) AS xp,"
                " (SELECT COALESCE(SUM(xp_delta), 0) FROM game_events) AS ledger_xp,"
                " (SELECT COUNT(*) FROM users WHERE wealth < 0) AS negative")
            projection = await conn.fetchrow(_PROJECTION)
        finally:
            await conn.close()
        seen = {(r["platform"], r["event_id"]): r for r in processed}
        applied = [k for k in self.published if k in seen]
        counted = {(r["platform"], r["uid"]): r["n"] for r in chat}
        mismatched = {k: (n, counted.get(k, 0)) for k, n in self.chat_expected.items()
                      if counted.get(k, 0) != n}
        return {
            "applied": len(applied),
            "lost": len(self.published) - len(applied),
            "processed_twice": sum(1 for r in processed if r["n"] > 1),
            "ledger_doubled": ledger_doubles,
            "unanswered": sum(1 for k in applied if k not in self.answered),
            "chat_sent": sum(self.chat_expected.values()),
            "chat_counted": sum(counted.values()),
            "chat_mismatched_accounts": len(mismatched),
            "chat_mismatch_sample": [f"{k[0]}/{k[1]}: sent {v[0]}, counted {v[1]}"
                                     for k, v in list(mismatched.items())[:5]],
            "ledger": dict(ledger),
            "projection": dict(projection),
            "processed_at": {k: r["at"].timestamp() for k, r in seen.items()},
        }

    async def wait_settled(self) -> dict[str, Any]:
        """Until every command is applied and answered and the chat is counted (bounded),
        then one more flush period, then the final figures."""
        deadline = time.monotonic() + self.args.drain_s
        figures: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                await self.drain_outbox_once()
                figures = await self.measure()
            except Exception as exc:  # noqa: BLE001 - a server may still be coming back
                self.notes["settle_error"] = repr(exc)
                await asyncio.sleep(0.5)
                continue
            if (figures["lost"] == 0 and figures["unanswered"] == 0
                    and figures["chat_counted"] >= figures["chat_sent"]
                    and not figures["projection"]["waiting"]):
                break
            await asyncio.sleep(0.5)
        self.notes["settled_in_s"] = round(self.args.drain_s - (deadline - time.monotonic()), 1)
        await asyncio.sleep(FLUSH_EVERY_S + 1.5)  # a last flush (a double would show now)
        with contextlib.suppress(Exception):
            await self.drain_outbox_once()
        return await self.measure()

    # --- the whole run ---

    async def run(self, scenario: Callable[[Driver], Awaitable[None]]) -> dict[str, Any]:
        await self.setup()
        stop = asyncio.Event()
        outbox = asyncio.create_task(self.outbox_loop(stop))
        try:
            await self.warmup()
            loaded = asyncio.Event()
            publisher = asyncio.create_task(self.publisher_loop(loaded))
            self.t0 = time.time()
            fault = asyncio.create_task(scenario(self))
            await self.load()
            loaded.set()
            load_s = time.time() - self.t0
            await fault
            await publisher
            published_s = time.time() - self.t0
            figures = await self.wait_settled()
            stop.set()
            await outbox
            self.final_exits = await self.workers.stop_all(self.args.grace_s + 5)
            return self.report(figures, load_s, published_s)
        finally:
            stop.set()
            outbox.cancel()
            await self.workers.stop_all(self.args.grace_s + 5)
            await self.cleanup()

    def timeline(self, answered: dict[tuple[str, str], float]) -> list[str]:
        """Per second of the load: commands published / answered, and the slowest answer
        among those published in that second ("12: 150/150 0.05s")."""
        rows: dict[int, list[float]] = {}
        for k, p in self.published.items():
            rows.setdefault(int(p - self.t0), []).append(answered.get(k, float("inf")) - p)
        out = []
        for sec in sorted(rows):
            lat = rows[sec]
            done = [x for x in lat if x != float("inf")]
            out.append(f"{sec}: {len(done)}/{len(lat)} max {max(done, default=0):.2f}s")
        return out

    def report(self, figures: dict[str, Any], load_s: float, published_s: float
               ) -> dict[str, Any]:
        answered = dict(self.answered)
        for k, at in figures.pop("processed_at").items():  # applied but unanswered: its
            answered.setdefault(k, at)  # apply time still tells when work resumed
        recover = recovery_s(self.faults, self.published, answered, self.args.stale_s)
        takeover = takeover_s(self.faults, self.published, answered)
        latencies = sorted(answered[k] - p for k, p in self.published.items() if k in answered)
        ledger = figures.pop("ledger")
        projection = figures.pop("projection")
        unexpected = self.workers.unexpected_exits()
        result: dict[str, Any] = {
            "scenario": self.args.scenario,
            "sent": len(self.published),
            "applied": figures["applied"],
            "lost": figures["lost"],
            "doubled": figures["processed_twice"] + figures["ledger_doubled"],
            "unanswered": figures["unanswered"],
            "chat_sent": figures["chat_sent"],
            "chat_counted": figures["chat_counted"],
            "recover_s": None if None in recover else max(recover, default=0.0),
            "recover_per_fault_s": recover,
            "takeover_s": None if None in takeover else max(takeover, default=0.0),
            "takeover_per_fault_s": takeover,
            "faults": [{"name": f.name, "at_s": round(f.start - self.t0, 2),
                        "lasted_s": round(f.end - f.start, 2), **f.detail}
                       for f in self.faults],
            "worker_exit_codes": {w.name: w.proc.returncode for w in self.workers.all},
            "stopped_at_end_exit_codes": self.final_exits,
            "timeline": self.timeline(answered),
            "unexpected_worker_exits": unexpected,
            "load_s": round(load_s, 1), "published_by_s": round(published_s, 1),
            "duplicates_dropped_at_publish": self.pub.stats.duplicates,
            "publish_failures": self.publish_failures,
            "replies": self.replies,
            "latency_p50_s": round(latencies[len(latencies) // 2], 3) if latencies else None,
            "latency_max_s": round(latencies[-1], 3) if latencies else None,
            "chat_plain": self.plain_chat,
            "chat_mismatched_accounts": figures["chat_mismatched_accounts"],
            "chat_mismatch_sample": figures["chat_mismatch_sample"],
            "processed_twice": figures["processed_twice"],
            "ledger_doubled": figures["ledger_doubled"],
            "ledger_balanced": ledger["wealth"] == ledger["ledger_wealth"]
            and ledger["xp"] == ledger["ledger_xp"],
            "negative_balances": ledger["negative"],
            "sum_wealth": ledger["wealth"], "sum_ledger_wealth": ledger["ledger_wealth"],
            "sum_xp": ledger["xp"], "sum_ledger_xp": ledger["ledger_xp"],
            "ledger_rows": projection["ledger_rows"],
            "rows_projected": projection["rows_projected"],
            "projection_mismatched_players": projection["mismatched"],
            **self.notes,
        }
        failures = []
        if result["lost"]:
            failures.append(f"{result['lost']} commands lost")
        if result["doubled"]:
            failures.append(f"{result['doubled']} commands applied twice")
        if result["unanswered"]:
            failures.append(f"{result['unanswered']} commands unanswered")
        if figures["chat_mismatched_accounts"] or result["chat_counted"] != result["chat_sent"]:
            failures.append(f"chat counted {result['chat_counted']} of {result['chat_sent']}"
                            f" ({figures['chat_mismatched_accounts']} accounts off)")
        if not result["ledger_balanced"] or result["negative_balances"]:
            failures.append("ledger not equal to balances (or a negative balance)")
        if (projection["waiting"] or projection["mismatched"]
                or projection["rows_projected"] != projection["ledger_rows"]):
            failures.append(
                f"projection off: {projection['rows_projected']} rows projected of "
                f"{projection['ledger_rows']}, {projection['waiting']} waiting, "
                f"{projection['mismatched']} players' counters unequal to their ledger rows")
        if not self.faults and self.args.scenario != "none":
            failures.append("the fault did not happen")
        if result["recover_s"] is None or result["recover_s"] > self.args.recover_limit_s:
            failures.append(f"recovery took {result['recover_s']} s "
                            f"(limit {self.args.recover_limit_s} s)")
        limit = self.args.recover_limit_s + self.args.rerun_allowance_s
        if result["takeover_s"] is None or result["takeover_s"] > limit:
            failures.append(f"work in flight at the fault was answered {result['takeover_s']} s"
                            f" after it (limit {limit} s)")
        if unexpected:
            failures.append(f"workers exited on their own: {unexpected}")
        failures.extend(self.notes.get("failures", []))
        result["failures"] = failures
        result["ok"] = not failures
        if failures:
            result["worker_logs"] = self.workers.log_tails()
        result["log_dir"] = str(self.log_dir)
        return result

    async def cleanup(self) -> None:
        with contextlib.suppress(Exception):
            await self.redis.flushall()
        with contextlib.suppress(Exception):
            await self.redis.aclose()
        with contextlib.suppress(Exception):
            admin = await asyncpg.connect(with_database(self.db_url, "postgres"), timeout=5)
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            finally:
                await admin.close()


# --- the scenarios: each runs during the load and records its faults ---


async def kill(d: Driver) -> None:
    """SIGKILL one worker every ``--every-s`` seconds (alternating), replacing it at once.
    Each kill waits (up to 1 s) until that worker is inside a transaction, so it dies
    mid-batch: the worst case, with work to take over."""
    conn = await d.db()
    try:
        n = 0
        while True:
            n += 1
            if n * d.args.every_s > d.args.seconds - 1:
                return
            await d.at(n * d.args.every_s)
            slot = (n - 1) % len(d.workers.slots)
            until = time.monotonic() + 2
            busy = False
            ports: dict[int, int] = {}
            refreshed = 0.0
            while not busy and time.monotonic() < until:
                if time.monotonic() - refreshed > 0.2:
                    ports = await asyncio.to_thread(_worker_ports, d)
                    refreshed = time.monotonic()
                open_ports = {r["client_port"] for r in await conn.fetch(_IN_TRANSACTION)}
                busy = any(ports.get(p) == slot for p in open_ports)
                if not busy:
                    await asyncio.sleep(0.001)
            victim = d.workers.signal(slot, signal.SIGKILL)
            await d.workers.wait_exit(victim, 10)
            killed = time.time()
            d.workers.replace(slot)
            d.faults.append(Fault("sigkill", killed, killed,
                                  {"worker": victim.name, "mid_transaction": busy}))
    finally:
        await conn.close()


async def redis_restart(d: Driver) -> None:
    """Redis SHUTDOWN a third into the load, down ``--outage-s``, then started again."""
    await d.at(d.args.seconds / 3)
    start = time.time()
    await asyncio.to_thread(d.rds.shutdown)
    await asyncio.sleep(d.args.outage_s)
    await asyncio.to_thread(d.rds.start)
    d.faults.append(Fault("redis-down", start, time.time()))


async def pg_restart(d: Driver) -> None:
    """``pg_ctl restart -m fast`` at a third and at two thirds of the load."""
    for at in (d.args.seconds / 3, d.args.seconds * 2 / 3):
        await d.at(at)
        start = time.time()
        await asyncio.to_thread(d.pg.restart)
        d.faults.append(Fault("pg-restart", start, time.time()))


# PostgreSQL backends in an open transaction of this database, by client port
_IN_TRANSACTION = ("SELECT client_port FROM pg_stat_activity WHERE datname = current_database()"
                   " AND xact_start IS NOT NULL AND pid <> pg_backend_pid()"
                   " AND client_port IS NOT NULL")
# ... whose transaction holds event_batch_queue: only the chat flush writes it
_FLUSHING = ("SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
             " WHERE l.relation = 'event_batch_queue'::regclass AND a.client_port IS NOT NULL")


def _worker_ports(d: Driver) -> dict[int, int]:
    """Local TCP port -> worker slot, for every socket of the running workers (a worker's
    PostgreSQL connection shows up in pg_stat_activity under its client port)."""
    ports: dict[int, int] = {}
    for slot, w in enumerate(d.workers.slots):
        try:
            socks = psutil.Process(w.proc.pid).net_connections(kind="tcp")
        except psutil.Error:
            continue
        ports.update({s.laddr.port: slot for s in socks if s.laddr})
    return ports


async def _flusher_slot(d: Driver, conn: asyncpg.Connection) -> int | None:
    """The worker whose open transaction holds event_batch_queue, if any."""
    open_ports = {r["client_port"] for r in await conn.fetch(_FLUSHING)}
    if not open_ports:
        return None
    ports = await asyncio.to_thread(_worker_ports, d)
    slots = {ports[p] for p in open_ports if p in ports}
    return min(slots) if slots else None


async def kill_during_flush(d: Driver) -> None:
    """SIGKILL the flushing worker mid-flush (while the flush lock exists), then replace it.
    Also measures how soon chat is counted again (``flush_resumed_s``)."""
    await d.at(d.args.seconds / 3)
    conn = await d.db()
    try:
        tries = 0
        while tries < 10 and time.time() - d.t0 < d.args.seconds - 3:
            while (not await d.redis.exists(d.keys.activity_lock)  # noqa: ASYNC110 - polls
                   and time.time() - d.t0 < d.args.seconds - 3):  # Redis, not the loop
                await asyncio.sleep(0.005)
            tries += 1
            slot = None
            until = time.monotonic() + 3
            while slot is None and time.monotonic() < until:
                if not await d.redis.exists(d.keys.activity_lock):
                    break
                slot = await _flusher_slot(d, conn)
                if slot is None:
                    await asyncio.sleep(0.005)
            if slot is None:
                continue  # the flush ended between chunks: wait for the next one
            held = bool(await d.redis.exists(d.keys.activity_lock))
            if not held:  # the flush finished while its worker was being found: next one
                continue
            victim = d.workers.signal(slot, signal.SIGKILL)
            await d.workers.wait_exit(victim, 10)
            killed = time.time()
            d.workers.replace(slot)
            flushing = await d.redis.scard(d.keys.activity_flushing_set)
            await asyncio.sleep(0.3)  # whatever the dead backend had sent has landed now
            base = await conn.fetchval("SELECT COALESCE(SUM(messages_sent), 0) FROM users")
            resumed = None
            limit = time.monotonic() + 60
            while time.monotonic() < limit:
                now_sum = await conn.fetchval("SELECT COALESCE(SUM(messages_sent), 0)"
                                              " FROM users")
                if now_sum > base:
                    resumed = round(time.time() - killed, 2)
                    break
                await asyncio.sleep(0.1)
            d.faults.append(Fault("sigkill-during-flush", killed, killed, {
                "worker": victim.name, "lock_held": held, "flushes_interrupted": flushing,
                "attempts": tries, "flush_resumed_s": resumed}))
            d.notes["flush_resumed_s"] = resumed
            if resumed is None or resumed > d.args.recover_limit_s:
                d.notes.setdefault("failures", []).append(
                    f"chat not counted again within {d.args.recover_limit_s} s of the kill"
                    f" (resumed after {resumed} s)")
            return
        d.notes.setdefault("failures", []).append(
            f"no flush caught in the act in {tries} tries")
    finally:
        await conn.close()


async def sigterm(d: Driver) -> None:
    """SIGTERM one worker mid-load; a replacement starts at once; the old one must finish or
    hand back its batches and exit 0 within the grace period."""
    await d.at(d.args.seconds / 3)
    victim = d.workers.signal(0, signal.SIGTERM)
    sent = time.time()
    d.workers.replace(0)
    code = await d.workers.wait_exit(victim, d.args.grace_s + 10)
    exited = time.time()
    took = round(exited - sent, 2)
    d.faults.append(Fault("sigterm", sent, exited,
                          {"worker": victim.name, "exit_code": code, "exit_after_s": took}))
    d.notes["sigterm_exit_code"] = code
    d.notes["sigterm_exit_after_s"] = took
    if code != 0 or took > d.args.grace_s + 1:
        d.notes.setdefault("failures", []).append(
            f"SIGTERM: exit code {code} after {took} s (want 0 within {d.args.grace_s} s)")
    if code is None:
        victim.proc.kill()


async def no_fault(d: Driver) -> None:
    """The same load without a fault: the baseline latency."""


RUNNERS: dict[str, Callable[[Driver], Awaitable[None]]] = {
    "none": no_fault,
    "kill": kill, "redis-restart": redis_restart, "pg-restart": pg_restart,
    "kill-during-flush": kill_during_flush, "sigterm": sigterm,
}


class Servers:
    """The private PostgreSQL and Redis; reusable across several runs."""

    def __init__(self) -> None:
        self.pg = PrivatePostgres()
        self.redis = PrivateRedis()

    def start(self) -> Servers:
        try:
            self.pg.start()
            self.redis.start()
        except BaseException:
            self.stop()
            raise
        return self

    def ensure_up(self) -> None:
        """A run that failed half-way may have left a server down."""
        if not self.redis.answers():
            self.redis.start()

    def stop(self) -> None:
        self.pg.stop()
        self.redis.stop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=SCENARIOS)
    parser.add_argument("--commands", type=int, default=1_000_000,
                        help="stop publishing after this many commands")
    parser.add_argument("--seconds", type=float, default=24, help="length of the load")
    parser.add_argument("--rate", type=int, default=150, help="commands/s")
    parser.add_argument("--chat-ratio", type=int, default=2, help="chat lines per command")
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--chatters", type=int, default=None,
                        help="extra chat-only viewers (kill-during-flush: 4000)")
    parser.add_argument("--chatter-rate", type=int, default=None,
                        help="their chat lines/s (kill-during-flush: 1200)")
    parser.add_argument("--every-s", type=float, default=5, help="kill: seconds between kills")
    parser.add_argument("--outage-s", type=float, default=5, help="redis-restart: downtime")
    parser.add_argument("--grace-s", type=float, default=20,
                        help="KINGPIN_SHUTDOWN_GRACE_S given to the workers")
    parser.add_argument("--recover-limit-s", type=float, default=15)
    parser.add_argument("--rerun-allowance-s", type=float, default=1,
                        help="work in flight at the fault may take the limit plus this (the"
                        " re-run itself: pick-up, apply, reply)")
    parser.add_argument("--stale-s", type=float, default=2,
                        help="a command unanswered this long after publishing is 'stuck'")
    parser.add_argument("--drain-s", type=float, default=90,
                        help="how long to wait for everything to be applied after the load")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log-dir", default=None, help="worker logs (default: a temp dir)")
    args = parser.parse_args(argv)
    flush = args.scenario == "kill-during-flush"
    if args.chatters is None:
        args.chatters = 4000 if flush else 0
    if args.chatter_rate is None:
        args.chatter_rate = 1200 if flush else 0
    return args


async def run_scenario(args: argparse.Namespace, servers: Servers | None = None
                       ) -> dict[str, Any]:
    """One scenario; on its own private servers unless ``servers`` is given."""
    own = servers is None
    if servers is None:
        servers = await asyncio.to_thread(lambda: Servers().start())
    else:
        await asyncio.to_thread(servers.ensure_up)
    log_dir = Path(args.log_dir or tempfile.mkdtemp(prefix=f"kingpin-faults-{args.scenario}-"))
    log_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, before the run
    try:
        driver = Driver(args, servers.pg, servers.redis, log_dir)
        return await driver.run(RUNNERS[args.scenario])
    finally:
        if own:
            await asyncio.to_thread(servers.stop)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.ERROR)
    args = parse_args(argv)
    result = asyncio.run(run_scenario(args))
    print(json.dumps(result, indent=2, default=str))
    raise SystemExit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
