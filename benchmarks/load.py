"""Load generator: synthetic viewers over several channels and platforms, published through
the real path (Publisher -> Redis/arq -> N real worker processes -> PostgreSQL -> outbox).

Prints one JSON document:

* ``chat``: plain chat only. *ingested*: events/s through the publisher into Redis (with the
  workers held back); *applied*: events/s the workers validate, deduplicate and count, from
  the first batch they start to the last they finish, given the whole backlog at once.
* ``commands``: DB-touching commands (``!play``/``!rob``) measured the same way: commands/s.
* ``latency``: a mixed stream (mostly chat, some commands) paced at ``--rate`` commands/s;
  end-to-end latency from the event's ``received_at`` to its reply landing in the outbox
  (the worker stamps each reply), p50/p95/p99 in ms.
* worker peak RSS (MB), per run.
* ``projector``: how far the projector (missions, leaderboards, achievements, factions from
  the ledger) falls behind, sampled every 0.25 s: the largest age in seconds of the oldest
  ledger row not yet projected, per phase, and how long after the last phase it caught up.

After the warm-up every player wears a weapon and armor, half have buffs and a quarter an
insurance plan, so ``!play`` and ``!rob`` run the economy's whole chain.

    python -m benchmarks.load --workers 1 2

It uses a throwaway database on the configured server and a fresh Redis prefix, and checks
``sum(users.wealth) == sum(game_events.wealth_delta)`` at the end of every run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import psutil
from arq.jobs import Job

from game.events import ChatMessage, Platform, UserRef
from kingpin.bus import Publisher, connect_redis
from kingpin.db import migrate
from kingpin.keys import Keys
from kingpin.services import (
    redis_answers,
    start_embedded_postgres,
    tcp_answers,
    to_asyncpg_dsn,
    with_database,
)

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = (Platform.TWITCH, Platform.KICK, Platform.DISCORD)


@dataclass
class Viewer:
    platform: Platform
    user_id: str
    name: str
    channel: str


BENCH_CHANNELS = 64


async def own_channels(db_url: str, count: int = BENCH_CHANNELS, communities: int = 1) -> None:
    """The synthetic channels (``chan0`` … on every platform) belong to communities (events
    from channels no community owns never reach the game): with ``communities`` = N, channel
    ``chanI`` belongs to community ``I mod N`` (the default one and ``bench-1`` …)."""
    conn = await asyncpg.connect(db_url)
    try:
        await conn.execute(
            "INSERT INTO communities (slug, name) SELECT 'bench-' || n, 'bench ' || n"
            " FROM generate_series(1, $1 - 1) AS n ON CONFLICT (slug) DO NOTHING", communities)
        await conn.execute(
            "INSERT INTO community_channels (community_id, platform, channel_id, role, label)"
            " SELECT CASE WHEN n % $3 = 0 THEN 1"
            "  ELSE (SELECT id FROM communities WHERE slug = 'bench-' || (n % $3)) END,"
            " p, 'chan' || n, 'chat', 'chan' || n"
            " FROM unnest($1::text[]) AS p, generate_series(0, $2 - 1) AS n"
            " ON CONFLICT (platform, channel_id) DO NOTHING",
            [pl.value for pl in Platform], count, communities)
    finally:
        await conn.close()


def make_viewers(n: int, channels: int, rng: random.Random) -> list[Viewer]:
    viewers = []
    for i in range(n):
        platform = PLATFORMS[i % len(PLATFORMS)]
        viewers.append(Viewer(platform, f"u{i}", f"viewer{i}", f"chan{rng.randrange(channels)}"))
    return viewers


def event(v: Viewer, text: str) -> ChatMessage:
    now = datetime.now(UTC)
    return ChatMessage(platform=v.platform, event_id=uuid.uuid4().hex, channel=v.channel,
                       user=UserRef(id=v.user_id, name=v.name), occurred_at=now,
                       received_at=now, text=text)


CHAT_LINES = ("lol", "KEKW", "gg", "what a play", "hello chat", "🔥🔥🔥", "no way",
              "is this live?", "let's go", "PogChamp")


class Run:
    def __init__(self, args: argparse.Namespace, workers: int, communities: int = 1) -> None:
        self.args = args
        self.workers = workers
        self.communities = communities
        self.channels = max(args.channels, communities)
        self.prefix = f"kpbench{uuid.uuid4().hex[:6]}"
        self.keys = Keys(self.prefix)
        self.procs: list[subprocess.Popen[bytes]] = []
        self.peak_rss: dict[int, int] = {}
        self.job_ids: list[str] = []
        self.phase = "warmup"
        self.lag_max: dict[str, float] = {}

    def env(self) -> dict[str, str]:
        return {**os.environ, "KINGPIN_DATABASE_URL": self.db_url,
                "KINGPIN_REDIS_URL": self.args.redis_url, "KINGPIN_REDIS_PREFIX": self.prefix,
                "KINGPIN_LOG_LEVEL": "WARNING", "KINGPIN_WORKER_MAX_JOBS": "8",
                "KINGPIN_DB_POOL_MAX": "20",
                "KINGPIN_ACTIVITY_FLUSH_EVERY_S": str(self.args.flush_every)}

    async def setup(self) -> None:
        name = f"kingpin_bench_{uuid.uuid4().hex[:8]}"
        self.db_name = name
        self.db_url = with_database(to_asyncpg_dsn(self.args.pg_url), name)
        await migrate(self.db_url)
        await own_channels(self.db_url, self.channels, self.communities)
        self.redis = await connect_redis(self.args.redis_url, self.keys)
        logs = Path(self.args.log_dir)
        logs.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, at setup
        for n in range(self.workers):
            log_file = (logs / f"worker-{self.workers}-{n}.log").open("wb")
            self.procs.append(subprocess.Popen(  # noqa: S603, ASYNC220 - long-lived children
                [sys.executable, "-m", "kingpin.cli", "worker"], env=self.env(), cwd=ROOT,
                stdout=log_file, stderr=subprocess.STDOUT))
        await asyncio.sleep(2.5)  # workers connect and run their startup crons

    def sample_rss(self) -> None:
        for p in self.procs:
            try:
                rss = psutil.Process(p.pid).memory_info().rss
            except psutil.Error:
                continue
            self.peak_rss[p.pid] = max(self.peak_rss.get(p.pid, 0), rss)

    def worker_cpu_s(self) -> float:
        """CPU seconds (user + system) the workers have used so far."""
        total = 0.0
        for p in self.procs:
            try:
                times = psutil.Process(p.pid).cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    async def rss_sampler(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.sample_rss()
            await asyncio.sleep(0.2)

    async def projector_lag(self, conn: asyncpg.Connection) -> tuple[int, float]:
        """(1 if a row is past the projector's watermark else 0, the age in s of the next
        row it will project)."""
        # the next row to project (an index probe: sampling must not load the server)
        row = await conn.fetchrow(
            "SELECT EXTRACT(EPOCH FROM now() - g.created_at) AS age FROM game_events g,"
            " projector_state p WHERE p.name = 'main'"
            " AND (g.xid, g.id) > (p.last_xid::text::xid8, p.last_id)"
            " ORDER BY g.xid, g.id LIMIT 1")
        return (0, 0.0) if row is None else (1, float(row["age"]))

    async def lag_sampler(self, stop: asyncio.Event) -> None:
        conn = await asyncpg.connect(self.db_url)
        try:
            while not stop.is_set():
                _, age = await self.projector_lag(conn)
                self.lag_max[self.phase] = round(max(self.lag_max.get(self.phase, 0), age), 2)
                await asyncio.sleep(0.25)
        finally:
            await conn.close()

    async def projector_caught_up(self, limit_s: float = 120) -> float:
        """Seconds until no ledger row is left to project (after the last phase)."""
        conn = await asyncpg.connect(self.db_url)
        t0 = time.perf_counter()
        try:
            while (await self.projector_lag(conn))[0]:
                if time.perf_counter() - t0 > limit_s:
                    return float("inf")
                await asyncio.sleep(0.1)
        finally:
            await conn.close()
        return round(time.perf_counter() - t0, 2)

    async def wait_drained(self, limit_s: float = 600) -> None:
        """Until every batch published so far has a result (arq keeps it 60 s)."""
        deadline = time.monotonic() + limit_s
        pending = list(self.job_ids)
        self.job_ids.clear()
        while pending:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(pending)} batches were not applied")
            async with self.redis.pipeline(transaction=False) as pipe:
                for job_id in pending:
                    pipe.exists(self.keys.arq_result(job_id))
                done = await pipe.execute()
            pending = [j for j, d in zip(pending, done, strict=True) if not d]
            if pending:
                await asyncio.sleep(0.01)

    def publisher(self) -> Publisher:
        pub = Publisher(self.redis, self.keys, max_events=300, max_wait_ms=5)
        pub.job_ids = self.job_ids  # wait_drained follows every batch it sends
        return pub

    async def warmup(self, viewers: list[Viewer]) -> dict[str, Any]:
        """Every viewer chats once so players exist before anything is measured."""
        pub = self.publisher()
        t0 = time.perf_counter()
        for v in viewers:
            await pub.publish(event(v, "hi"))
        await pub.close()
        await self.wait_drained()
        return {"viewers": len(viewers), "seconds": round(time.perf_counter() - t0, 2)}

    async def backlog_phase(self, events: list[ChatMessage]) -> dict[str, float]:
        """Publish everything into a holding queue (the publisher alone: *ingested*), release
        it to the workers at once, and time the workers from the first job start to the last
        job finish (the workers alone: *applied*)."""
        hold = await connect_redis(self.args.redis_url, Keys(self.prefix))
        hold.default_queue_name = f"{self.keys.queue}:hold"
        pub = Publisher(hold, self.keys, max_events=300, max_wait_ms=5)
        t0 = time.perf_counter()
        for e in events:
            await pub.publish(e)
        await pub.close()
        t_pub = time.perf_counter() - t0
        cpu0 = self.worker_cpu_s()
        await self.redis.zunionstore(self.keys.queue, [self.keys.queue, hold.default_queue_name])
        await self.redis.delete(hold.default_queue_name)
        await hold.aclose()
        self.job_ids.extend(pub.job_ids)
        ids = list(pub.job_ids)
        await self.wait_drained()
        cpu = self.worker_cpu_s() - cpu0
        starts, finishes = [], []
        for job_id in ids:
            result = await Job(job_id, self.redis, _queue_name=self.keys.queue,
                               _deserializer=self.redis.job_deserializer).result_info()
            if result is not None:
                starts.append(result.start_time.timestamp())
                finishes.append(result.finish_time.timestamp())
        busy = max(finishes) - min(starts)
        n = len(events)
        return {"ingested_per_s": round(n / t_pub), "applied_per_s": round(n / busy),
                "batches": len(ids), "worker_cpu_ms_per_event": round(cpu * 1000 / n, 3)}

    async def chat_phase(self, viewers: list[Viewer], total: int) -> dict[str, Any]:
        rng = random.Random(1)
        events = [event(rng.choice(viewers), rng.choice(CHAT_LINES)) for _ in range(total)]
        return {"events": total, **await self.backlog_phase(events)}

    async def command_phase(self, viewers: list[Viewer], total: int) -> dict[str, Any]:
        rng = random.Random(2)
        events = []
        for _ in range(total):
            v = rng.choice(viewers)
            text = "!play" if rng.random() < 0.6 else f"!rob @{rng.choice(viewers).name}"
            events.append(event(v, text))
        figures = await self.backlog_phase(events)
        return {"commands": total, "commands_per_s": figures["applied_per_s"],
                "ingested_per_s": figures["ingested_per_s"],
                "worker_cpu_ms_per_command": figures["worker_cpu_ms_per_event"]}

    async def latency_phase(self, viewers: list[Viewer], rate: int, seconds: float,
                            chat_ratio: int) -> dict[str, Any]:
        """Paced mixed traffic: ``rate`` commands/s plus ``chat_ratio`` chat lines each."""
        rng = random.Random(3)
        pub = self.publisher()
        for platform in PLATFORMS:
            await self.redis.delete(self.keys.outbox(platform.value))
        sent_commands = 0
        tick = 0.01
        per_tick = rate * tick
        carry = 0.0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            carry += per_tick
            n, carry = int(carry), carry - int(carry)
            for _ in range(n):
                v = rng.choice(viewers)
                text = "!play" if rng.random() < 0.6 else f"!rob @{rng.choice(viewers).name}"
                await pub.publish(event(v, text))
                sent_commands += 1
                for _ in range(chat_ratio):
                    await pub.publish(event(rng.choice(viewers), rng.choice(CHAT_LINES)))
            next_at = t0 + (tick * (1 + int((time.perf_counter() - t0) / tick)))
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        await pub.close()
        await self.wait_drained()
        latencies = []
        for platform in PLATFORMS:
            for raw in await self.redis.lrange(self.keys.outbox(platform.value), 0, -1):
                reply = json.loads(raw)
                if reply.get("source_received_at") and reply.get("queued_at"):
                    received = datetime.fromisoformat(reply["source_received_at"])
                    queued = datetime.fromisoformat(reply["queued_at"])
                    latencies.append((queued - received).total_seconds() * 1000)
        latencies.sort()

        def pct(p: float) -> float:
            if not latencies:
                return float("nan")
            return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

        return {"target_commands_per_s": rate, "commands": sent_commands,
                "replies_measured": len(latencies), "p50_ms": pct(0.50), "p95_ms": pct(0.95),
                "p99_ms": pct(0.99),
                "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None}

    async def check_ledger(self) -> dict[str, Any]:
        conn = await asyncpg.connect(self.db_url)
        try:
            row = await conn.fetchrow(
                "SELECT (SELECT COALESCE(SUM(wealth),0) FROM users) AS w,"
                " (SELECT COALESCE(SUM(wealth_delta),0) FROM game_events) AS l,"
                " (SELECT COUNT(*) FROM users) AS players")
        finally:
            await conn.close()
        return {"players": row["players"], "sum_wealth": row["w"], "sum_ledger": row["l"],
                "balanced": row["w"] == row["l"]}

    async def teardown(self) -> None:
        for p in self.procs:
            p.send_signal(signal.SIGINT)
        for p in self.procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        async for key in self.redis.scan_iter(match=f"{self.prefix}:*"):
            await self.redis.delete(key)
        await self.redis.aclose()
        if not self.args.keep_db:
            admin = await asyncpg.connect(with_database(self.db_url, "postgres"))
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            finally:
                await admin.close()


async def gear_up(db_url: str) -> dict[str, int]:
    """The full chain for !play and !rob: every player wears a weapon and armor, half have
    the XP and play-wealth buffs, a quarter an insurance plan (GAME.md's numbers)."""
    conn = await asyncpg.connect(db_url)
    try:
        await conn.execute(
            "INSERT INTO user_inventory (community_id, user_id, item_id, durability,"
            " is_equipped, slot, is_escrowed, acquired_at, notify_platform, notify_channel)"
            " SELECT u.community_id, u.id, g.item, 100, true, g.slot, false, now(), '', ''"
            " FROM users u, (VALUES ('combat_knife', 'weapon'), ('kevlar_vest', 'armor'))"
            " AS g(item, slot)")
        await conn.execute(
            "INSERT INTO active_buffs (community_id, user_id, category, buff_key, multiplier,"
            " expires_at, created_at) SELECT u.community_id, u.id, b.category, b.key, b.m,"
            " now() + interval '1 day', now() FROM users u, (VALUES ('xp', 'xp_boost_150',"
            " 1.5), ('play_wealth', 'play_wealth_110', 1.10)) AS b(category, key, m)"
            " WHERE u.id % 2 = 0")
        await conn.execute(
            "INSERT INTO user_insurance (community_id, user_id, plan, share, premium,"
            " started_at, paid_until) SELECT community_id, id, 'standard', 0.50, 5000, now(),"
            " now() + interval '1 day' FROM users WHERE id % 4 = 0")
        return {"players": int(await conn.fetchval("SELECT count(*) FROM users"))}
    finally:
        await conn.close()


async def one_run(args: argparse.Namespace, workers: int, communities: int = 1
                  ) -> dict[str, Any]:
    run = Run(args, workers, communities)
    await run.setup()
    stop = asyncio.Event()
    sampler = asyncio.create_task(run.rss_sampler(stop))
    lags = asyncio.create_task(run.lag_sampler(stop))
    rng = random.Random(0)
    viewers = make_viewers(args.viewers, run.channels, rng)
    try:
        result: dict[str, Any] = {"workers": workers, "communities": communities}
        result["warmup"] = await run.warmup(viewers)
        if not args.no_gear:
            result["gear"] = await gear_up(run.db_url)
        run.phase = "chat"
        result["chat"] = await run.chat_phase(viewers, args.chat_events)
        run.phase = "commands"
        result["commands"] = await run.command_phase(viewers, args.commands)
        run.phase = "latency"
        result["latency"] = await run.latency_phase(viewers, args.rate, args.seconds,
                                                    args.chat_ratio)
        run.phase = "after"
        caught_up = await run.projector_caught_up()
        stop.set()
        await sampler
        await lags
        result["projector"] = {"max_lag_s": dict(run.lag_max),
                               "caught_up_after_s": caught_up}
        result["worker_peak_rss_mb"] = [round(v / 2**20, 1) for v in run.peak_rss.values()]
        result["ledger"] = await run.check_ledger()
        return result
    finally:
        stop.set()
        await run.teardown()


def default_pg() -> str:
    """The local PostgreSQL over its unix socket when there is one (what a worker next to
    its database would use), else TCP, else an embedded server."""
    if Path("/var/run/postgresql/.s.PGSQL.5432").exists():
        return "postgresql://postgres@/postgres?host=/var/run/postgresql"
    if tcp_answers("127.0.0.1", 5432):
        return "postgresql://postgres@127.0.0.1:5432/postgres"
    return start_embedded_postgres(ROOT / ".kingpin" / "bench")


def pgbench_tps(pg_url: str, seconds: int = 10) -> float | None:
    """``pgbench -N`` (the simple update, 2 clients like 2 workers) for 10 s on the same
    server: the yardstick that makes figures from different runs and machines comparable.
    None without pgbench."""
    import re
    import shutil
    from urllib.parse import urlsplit

    binary = shutil.which("pgbench")
    if binary is None:
        return None
    parts = urlsplit(to_asyncpg_dsn(pg_url))
    host = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p).get(
        "host", parts.hostname or "127.0.0.1")
    db = "kingpin_pgbench"

    async def create() -> None:
        admin = await asyncpg.connect(with_database(to_asyncpg_dsn(pg_url), "postgres"))
        try:
            if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", db):
                await admin.execute(f'CREATE DATABASE "{db}"')
        finally:
            await admin.close()

    asyncio.run(create())
    common = ["-h", host, "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    subprocess.run([binary, "-i", "-q", "-s", "1", *common, db], check=True,  # noqa: S603
                   capture_output=True)
    out = subprocess.run(  # noqa: S603
        [binary, "-N", "-n", "-c", "2", "-j", "2", "-T", str(seconds), *common, db],
        check=True, capture_output=True, text=True).stdout
    found = re.search(r"tps = ([0-9.]+)", out)
    return float(found.group(1)) if found else None


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    results = [await one_run(args, n, c) for n in args.workers for c in args.communities]
    return {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "params": {k: v for k, v in vars(args).items() if k not in ("pg_url",)},
            "runs": results}


def with_ratios(report: dict[str, Any], tps: float | None) -> dict[str, Any]:
    """Each rate (per second) also as a share of pgbench -N's tps from the same run; and
    each many-communities run next to the single-community run with the same workers."""
    report["pgbench_tps"] = tps
    singles = {r["workers"]: r for r in report["runs"] if r["communities"] == 1}
    for run in report["runs"]:
        single = singles.get(run["workers"])
        if single is not None and run is not single:
            run["vs_one_community"] = {
                phase: round(run[phase][key] / single[phase][key], 3)
                for phase, key in (("chat", "applied_per_s"), ("commands", "commands_per_s"))
                if single[phase].get(key)}
    if not tps:
        return report
    for run in report["runs"]:
        for phase in ("chat", "commands"):
            for key, value in list(run.get(phase, {}).items()):
                if key.endswith("_per_s") and isinstance(value, int | float):
                    run[phase][f"{key}_per_pgbench_tps"] = round(value / tps, 4)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--communities", type=int, nargs="+", default=[1],
                        help="run the same load spread over this many communities (e.g. 1 1000)")
    parser.add_argument("--viewers", type=int, default=5000)
    parser.add_argument("--channels", type=int, default=6)
    parser.add_argument("--chat-events", type=int, default=200_000)
    parser.add_argument("--commands", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=500, help="commands/s in the latency run")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--chat-ratio", type=int, default=4,
                        help="chat lines per command in the latency run")
    parser.add_argument("--pg-url", default=os.environ.get("KINGPIN_BENCH_PG_URL"))
    parser.add_argument("--redis-url", default=os.environ.get(
        "KINGPIN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--flush-every", type=int, default=10,
                        help="seconds between chat-activity flushes (the worker's setting)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--no-gear", action="store_true",
                        help="players without gear, buffs or insurance (the bare chain)")
    parser.add_argument("--log-dir", default=str(ROOT / "benchmarks" / "results"),
                        help="worker logs go here")
    args = parser.parse_args()
    args.pg_url = args.pg_url or default_pg()
    if not redis_answers(args.redis_url):
        raise SystemExit(f"no Redis answers at {args.redis_url}")
    runs = asyncio.run(main_async(args))
    # after the runs: pgbench's writes (and the checkpoint they cause) must not slow them
    tps = pgbench_tps(args.pg_url)
    report = with_ratios(runs, tps)
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
