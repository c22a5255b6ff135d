"""Kill a worker with SIGKILL in the middle of a load and check that nothing was lost or
applied twice:

    python -m benchmarks.chaos

Publishes ``--commands`` !play/!rob/!checkin events (each also published a second time, as a
platform redelivery would) plus chat, SIGKILLs one of two workers half-way, starts a
replacement, waits until every batch is done, then checks: every event applied exactly once
(``processed_events`` holds each id once, and the count equals what was published), no
negative balance, ``sum(users.wealth) == sum(game_events.wealth_delta)`` and the same for XP.
Prints JSON; exits 1 if a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from typing import Any

import asyncpg

from benchmarks.load import CHAT_LINES, ROOT, default_pg, event, make_viewers
from kingpin.bus import Publisher, connect_redis
from kingpin.db import migrate
from kingpin.keys import Keys
from kingpin.services import to_asyncpg_dsn, with_database


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "kingpin.cli", "worker"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    name = f"kingpin_chaos_{uuid.uuid4().hex[:8]}"
    db_url = with_database(to_asyncpg_dsn(args.pg_url or default_pg()), name)
    prefix = f"kpchaos{uuid.uuid4().hex[:6]}"
    keys = Keys(prefix)
    await migrate(db_url)
    redis = await connect_redis(args.redis_url, keys)
    env = {**os.environ, "KINGPIN_DATABASE_URL": db_url, "KINGPIN_REDIS_URL": args.redis_url,
           "KINGPIN_REDIS_PREFIX": prefix, "KINGPIN_LOG_LEVEL": "WARNING",
           "KINGPIN_JOB_TIMEOUT_S": "5", "KINGPIN_ACTIVITY_FLUSH_EVERY_S": "2"}
    workers = [start_worker(env), start_worker(env)]
    await asyncio.sleep(2.5)
    rng = random.Random(7)
    viewers = make_viewers(500, 3, rng)
    pub = Publisher(redis, keys, max_events=50, max_wait_ms=5)
    commands, killed_at = [], None
    t0 = time.perf_counter()
    try:
        for i in range(args.commands):
            v = rng.choice(viewers)
            text = rng.choice(["!play", "!checkin", f"!rob @{rng.choice(viewers).name}"])
            e = event(v, text)
            commands.append(e.key)
            await pub.publish(e)
            await pub.publish(e)  # the platform delivers it twice
            await pub.publish(event(rng.choice(viewers), rng.choice(CHAT_LINES)))
            if i == args.commands // 2:
                await pub.flush()
                await asyncio.sleep(0.3)  # let the workers get into the backlog
                workers[0].send_signal(signal.SIGKILL)
                killed_at = round(time.perf_counter() - t0, 2)
                workers[0].wait()
                workers[0] = start_worker(env)
            if i % 50 == 0:
                await asyncio.sleep(0.01)
        await pub.close()
        deadline = time.monotonic() + args.limit_s
        pending = list(pub.job_ids)
        while pending and time.monotonic() < deadline:
            async with redis.pipeline(transaction=False) as pipe:
                for job_id in pending:
                    pipe.exists(keys.arq_result(job_id))
                done = await pipe.execute()
            pending = [j for j, d in zip(pending, done, strict=True) if not d]
            await asyncio.sleep(0.2)
        await asyncio.sleep(3)  # a last activity flush
        conn = await asyncpg.connect(db_url)
        try:
            row = await conn.fetchrow(
                "SELECT (SELECT COUNT(*) FROM processed_events WHERE kind = 'chat_message')"
                " AS processed, (SELECT COUNT(DISTINCT (platform, event_id))"
                " FROM processed_events) AS distinct_ids,"
                " (SELECT COALESCE(SUM(wealth), 0) FROM users) AS wealth,"
                " (SELECT COALESCE(SUM(wealth_delta), 0) FROM game_events) AS ledger,"
                " (SELECT COALESCE(SUM(xp), 0) FROM users) AS xp,"
                " (SELECT COALESCE(SUM(xp_delta), 0) FROM game_events) AS ledger_xp,"
                " (SELECT COUNT(*) FROM users WHERE wealth < 0) AS negative")
        finally:
            await conn.close()
        result = {
            "commands_published": len(commands), "duplicates_dropped": pub.stats.duplicates,
            "worker_killed_at_s": killed_at, "batches_not_done": len(pending),
            "commands_applied": row["processed"], "distinct_event_ids": row["distinct_ids"],
            "sum_wealth": row["wealth"], "sum_ledger": row["ledger"],
            "sum_xp": row["xp"], "sum_ledger_xp": row["ledger_xp"],
            "negative_balances": row["negative"],
        }
        result["ok"] = (not pending and row["processed"] == len(commands)
                        and row["processed"] == row["distinct_ids"]
                        and row["wealth"] == row["ledger"] and row["xp"] == row["ledger_xp"]
                        and row["negative"] == 0)
        return result
    finally:
        for w in workers:
            if w.poll() is None:
                w.send_signal(signal.SIGINT)
        for w in workers:
            try:
                w.wait(15)
            except subprocess.TimeoutExpired:
                w.kill()
        async for key in redis.scan_iter(match=f"{prefix}:*"):
            await redis.delete(key)
        await redis.aclose()
        admin = await asyncpg.connect(with_database(db_url, "postgres"))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--limit-s", type=float, default=180)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--pg-url", default=None, help="server URL (default: the local one)")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    print(json.dumps(result, indent=2, default=str))
    raise SystemExit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
