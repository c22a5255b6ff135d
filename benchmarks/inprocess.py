"""Single-process micro-benchmarks of the hot paths, without arq or a second process:

    python -m benchmarks.inprocess commands   # !play/!rob through apply_batch
    python -m benchmarks.inprocess chat       # plain chat through apply_batch
    python -m benchmarks.inprocess publish    # the Publisher alone (dedup + enqueue)
    python -m benchmarks.inprocess projector  # projecting the rows of n commands (untimed)

Add ``--profile`` for a cProfile listing. Uses a throwaway database on the local PostgreSQL
(unix socket when present) and a throwaway Redis prefix; prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import random
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg

from benchmarks.load import default_pg, gear_up, own_channels
from game.events import ChatMessage, Platform, UserRef, encode_event
from jobs.apply import apply_batch
from jobs.context import AppContext
from kingpin.bus import Publisher, connect_redis
from kingpin.db import close_db, init_db, migrate
from kingpin.keys import Keys
from kingpin.services import to_asyncpg_dsn, with_database
from kingpin.settings import Settings


def chat(i: int, text: str) -> ChatMessage:
    now = datetime.now(UTC)
    return ChatMessage(platform=Platform.TWITCH, event_id=uuid.uuid4().hex, channel="chan0",
                       user=UserRef(id=f"u{i}", name=f"viewer{i}"), occurred_at=now,
                       received_at=now, text=text)


async def run(mode: str, n: int, viewers: int, profile: bool, redis_url: str,
              profile_out: str | None = None) -> dict[str, Any]:
    name = f"kingpin_micro_{uuid.uuid4().hex[:8]}"
    url = with_database(to_asyncpg_dsn(default_pg()), name)
    keys = Keys(f"kpmicro{uuid.uuid4().hex[:6]}")
    redis = await connect_redis(redis_url, keys)
    prof = cProfile.Profile() if profile else None
    try:
        await migrate(url)
        await own_channels(url)
        await init_db(url, 20)
        app = AppContext(redis=redis, keys=keys, settings=Settings(_env_file=None))
        rng = random.Random(1)
        await apply_batch(app, uuid.uuid4().hex,
                          [encode_event(chat(i, "hi")) for i in range(viewers)])
        await gear_up(url)  # the economy's whole chain, as benchmarks/load.py runs it
        if mode == "publish":
            events = [chat(rng.randrange(viewers), "hello chat") for _ in range(n)]
            pub = Publisher(redis, keys, max_events=300, max_wait_ms=5)
            t0, c0 = time.perf_counter(), time.process_time()
            if prof:
                prof.enable()
            for e in events:
                await pub.publish(e)
            await pub.close()
        elif mode == "projector":
            from jobs.projector import project_once

            raw = [encode_event(chat(rng.randrange(viewers), "!play" if rng.random() < 0.6
                                     else f"!rob @viewer{rng.randrange(viewers)}"))
                   for _ in range(n)]
            for i in range(0, n, 300):
                await apply_batch(app, uuid.uuid4().hex, raw[i:i + 300])
            conn = await asyncpg.connect(url)
            n = int(await conn.fetchval(
                "SELECT count(*) FROM game_events g, projector_state p"
                " WHERE (g.xid, g.id) > (p.last_xid::text::xid8, p.last_id)"))
            await conn.close()
            t0, c0 = time.perf_counter(), time.process_time()
            if prof:
                prof.enable()
            while await project_once(app):
                pass
        else:
            def text() -> str:
                if mode == "chat":
                    return "hello chat"
                return "!play" if rng.random() < 0.6 else f"!rob @viewer{rng.randrange(viewers)}"

            raw = [encode_event(chat(rng.randrange(viewers), text())) for _ in range(n)]
            batches = [raw[i:i + 300] for i in range(0, n, 300)]
            t0, c0 = time.perf_counter(), time.process_time()
            if prof:
                prof.enable()
            for batch in batches:
                await apply_batch(app, uuid.uuid4().hex, batch)
        if prof:
            prof.disable()
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - c0
        return {"mode": mode, "events": n, "per_s": round(n / elapsed),
                "cpu_ms_per_event": round(cpu * 1000 / n, 3)}
    finally:
        await close_db()
        async for key in redis.scan_iter(match=f"{keys.prefix}:*"):
            await redis.delete(key)
        await redis.aclose()
        admin = await asyncpg.connect(with_database(url, "postgres"))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
        if prof:
            if profile_out:
                prof.dump_stats(profile_out)
            pstats.Stats(prof).sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("commands", "chat", "publish", "projector"))
    parser.add_argument("-n", type=int, default=0, help="events (default: 3,000 commands, "
                        "60,000 chat or publish)")
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-out", help="also write the cProfile stats to this file")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    n = args.n or (3000 if args.mode in ("commands", "projector") else 60_000)
    profile = args.profile or bool(args.profile_out)
    print(json.dumps(asyncio.run(run(args.mode, n, args.viewers, profile, args.redis_url,
                                     args.profile_out))))


if __name__ == "__main__":
    main()
