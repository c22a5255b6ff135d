"""Heists at scale: N communities live at once, each with a heist due at the same moment,
through real worker processes while chat load runs (the live-streams issue's scenario).

1. every community goes live (a ``stream_online`` event per community, through the real
   path), then every community's next heist is set due ``--lead`` seconds ahead;
2. chat runs at ``--chat-rate`` messages/s over all channels the whole time;
3. once every heist is announced, one viewer per community answers correctly (and a few
   answer wrongly first), all at once;
4. it waits until every heist is resolved, and checks each was won by its answerer.

Reported per run: how late each heist was announced after its due time (``announced_at`` -
due, so the tick's start and the announcement's push to the outbox), how late each was
resolved after its grace window ended (``result_announced_at`` - ``grace_ends_at``), p50,
p99 and max in ms; the chat rate the workers kept up with meanwhile; the pgbench ratio.

    python -m benchmarks.heists --workers 2 --communities 1000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from benchmarks.load import (
    CHAT_LINES,
    ROOT,
    Run,
    Viewer,
    default_pg,
    event,
    pgbench_tps,
)
from game.events import Platform, StreamOnline
from kingpin.services import redis_answers


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)


def summary(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50_ms": pct(values, 0.5), "p99_ms": pct(values, 0.99),
            "max_ms": round(max(values), 1) if values else None}


class HeistRun(Run):
    def env(self) -> dict[str, str]:
        level = os.environ.get("BENCH_LOG_LEVEL", "WARNING")
        return {**super().env(), "KINGPIN_LOG_LEVEL": level}

    async def chat_load(self, viewers: list[Viewer], rate: int, stop: asyncio.Event
                        ) -> dict[str, Any]:
        rng = random.Random(5)
        pub = self.publisher()
        sent, tick, carry = 0, 0.01, 0.0
        t0 = time.perf_counter()
        while not stop.is_set():
            carry += rate * tick
            n, carry = int(carry), carry - int(carry)
            for _ in range(n):
                await pub.publish(event(rng.choice(viewers), rng.choice(CHAT_LINES)))
                sent += 1
            await asyncio.sleep(tick)
        await pub.close()
        seconds = time.perf_counter() - t0
        return {"sent": sent, "seconds": round(seconds, 1),
                "per_s": round(sent / seconds) if seconds else 0}

    async def go_live(self, db: asyncpg.Connection) -> None:
        channels = await db.fetch(
            "SELECT DISTINCT ON (community_id) community_id, channel_id FROM"
            " community_channels WHERE platform = 'twitch' ORDER BY community_id, channel_id")
        pub = self.publisher()
        now = datetime.now(UTC)
        for row in channels:
            await pub.publish(StreamOnline(platform=Platform.TWITCH, event_id=uuid.uuid4().hex,
                                           channel=row["channel_id"], occurred_at=now,
                                           received_at=now, title="bench"))
        await pub.close()
        await self.wait_drained()


async def one_run(args: argparse.Namespace) -> dict[str, Any]:
    run = HeistRun(args, args.workers, args.communities)
    await run.setup()
    db = await asyncpg.connect(run.db_url)
    rng = random.Random(0)
    # a viewer per channel on Twitch (the answerers), and the chatters everywhere
    answerers = [Viewer(Platform.TWITCH, f"a{i}", f"answerer{i}", f"chan{i}")
                 for i in range(run.channels)]
    chatters = [Viewer(Platform(rng.choice(("twitch", "kick", "discord"))), f"u{i}",
                       f"viewer{i}", f"chan{rng.randrange(run.channels)}")
                for i in range(args.viewers)]
    stop = asyncio.Event()
    try:
        await run.warmup(answerers + chatters)
        await run.go_live(db)
        live = await db.fetchval("SELECT count(*) FROM streaming_sessions WHERE ended_at IS NULL")
        chat = asyncio.create_task(run.chat_load(chatters, args.chat_rate, stop))
        await asyncio.sleep(1)
        due = datetime.now(UTC) + timedelta(seconds=args.lead)
        await db.execute("UPDATE heist_schedule SET next_at = $1", due)
        deadline = time.monotonic() + args.lead + 60
        while await db.fetchval("SELECT count(*) FROM heist_events WHERE announced_at IS NOT"
                                " NULL") < live:
            if time.monotonic() > deadline:
                raise TimeoutError("heists did not all start")
            await asyncio.sleep(0.2)
        heists = await db.fetch(
            "SELECT h.id, h.community_id, h.answer, c.channel_id FROM heist_events h"
            " JOIN community_channels c ON c.community_id = h.community_id"
            " AND c.platform = 'twitch'")
        by_channel = {v.channel: v for v in answerers}
        pub = run.publisher()
        expected: dict[int, str] = {}
        for h in heists:
            v = by_channel.get(h["channel_id"])
            if v is None or h["id"] in expected:
                continue
            await pub.publish(event(v, "surely not this"))
            await pub.publish(event(v, h["answer"]))
            expected[h["id"]] = v.name
        await pub.close()
        deadline = time.monotonic() + 60
        while await db.fetchval("SELECT count(*) FROM heist_events WHERE"
                                " result_announced_at IS NULL") > 0:
            if time.monotonic() > deadline:
                raise TimeoutError("heists did not all resolve")
            await asyncio.sleep(0.2)
        stop.set()
        chat_figures = await chat
        await run.wait_drained()
        rows = await db.fetch(
            "SELECT h.id, h.status, h.winner_name, h.started_at, h.announced_at,"
            " h.grace_ends_at, h.result_announced_at FROM heist_events h")
        starts = [(r["announced_at"] - due).total_seconds() * 1000 for r in rows]
        resolves = [(r["result_announced_at"] - r["grace_ends_at"]).total_seconds() * 1000
                    for r in rows if r["grace_ends_at"] is not None]
        wrong = [r["id"] for r in rows if r["winner_name"] != expected.get(r["id"])]
        crates = await db.fetchval("SELECT count(*) FROM user_crates WHERE source = 'heist'")
        return {"workers": args.workers, "communities": args.communities, "live": live,
                "heists": len(rows), "won_by_their_answerer": len(rows) - len(wrong),
                "crates": crates, "start_after_due": summary(starts),
                "resolve_after_grace": summary(resolves), "chat": chat_figures,
                "ledger": await run.check_ledger()}
    finally:
        stop.set()
        await db.close()
        await run.teardown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--viewers", type=int, default=3000)
    parser.add_argument("--channels", type=int, default=1)
    parser.add_argument("--chat-rate", type=int, default=2000, help="chat messages/s")
    parser.add_argument("--lead", type=float, default=5.0,
                        help="seconds from setting the heists due to their due time")
    parser.add_argument("--pg-url", default=os.environ.get("KINGPIN_BENCH_PG_URL"))
    parser.add_argument("--redis-url", default=os.environ.get(
        "KINGPIN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--flush-every", type=int, default=10)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--log-dir", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()
    args.pg_url = args.pg_url or default_pg()
    if not redis_answers(args.redis_url):
        raise SystemExit(f"no Redis answers at {args.redis_url}")
    report = asyncio.run(one_run(args))
    tps = pgbench_tps(args.pg_url)
    report["pgbench_tps"] = tps
    if tps:
        report["chat"]["per_s_per_pgbench_tps"] = round(report["chat"]["per_s"] / tps, 3)
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
