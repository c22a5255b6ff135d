"""A worker SIGKILLed in the middle of a heist (its answers recorded, its grace window
running): the next worker process resolves it once, with the earliest received answer, one
crate and one announcement per channel; the heist is neither lost nor started again."""

from __future__ import annotations

import json
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from game.events import Platform
from jobs.context import AppContext
from kingpin.bus import Publisher
from tests.faults.test_gambling_kill import _ready, start_worker, wait_for
from tests.jobs.test_heists import apply, online
from tests.support import chat, fetch


async def test_a_worker_killed_mid_heist_leaves_it_to_the_next_once(
        app: AppContext, clock: Any, db_url: str, settings: Any, tmp_path: Path) -> None:
    clock.now = datetime.now(UTC)  # the worker processes keep real time
    await apply(app, online())
    await fetch("UPDATE heist_schedule SET next_at = now()")
    log = tmp_path / "workers.log"
    first = start_worker(db_url, settings, log)
    try:
        assert await wait_for(lambda: _ready(log, 1)), log.read_text()

        async def announced() -> bool:
            return bool(await fetch("SELECT 1 FROM heist_events WHERE announced_at IS NOT NULL"))

        assert await wait_for(announced), log.read_text()
        heist = (await fetch("SELECT * FROM heist_events"))[0]
        now = datetime.now(UTC)
        pub = Publisher(app.redis, app.keys, max_events=10, max_wait_ms=2)
        await pub.publish(chat("late", heist["answer"], at=now))
        await pub.publish(chat("early", heist["answer"], platform=Platform.TWITCH,
                               channel="c", at=heist["started_at"] + timedelta(milliseconds=10)))
        await pub.close()

        async def in_grace() -> bool:
            return bool(await app.redis.zscore(app.keys.heist_due, str(heist["id"])))

        assert await wait_for(in_grace, 10), log.read_text()
    finally:
        first.send_signal(signal.SIGKILL)  # inside the 3 s grace window
        first.wait(10)
    assert (await fetch("SELECT status FROM heist_events"))[0]["status"] == "active"
    second = start_worker(db_url, settings, log)
    try:
        async def resolved() -> bool:
            rows = await fetch("SELECT result_announced_at FROM heist_events")
            return rows[0]["result_announced_at"] is not None

        assert await wait_for(resolved), log.read_text()
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    rows = await fetch("SELECT * FROM heist_events")
    assert len(rows) == 1 and rows[0]["status"] == "won"
    assert rows[0]["winner_name"] == "early" and rows[0]["candidates"] == 2
    crates = await fetch("SELECT source FROM user_crates")
    assert [c["source"] for c in crates] == ["heist"]
    per_channel: dict[tuple[str, str], int] = {}
    for platform in ("console", "twitch"):
        for raw in await app.redis.lrange(app.keys.outbox(platform), 0, -1):
            reply = json.loads(raw)
            if "cracked the heist" in reply["text"]:
                where = (platform, reply["channel"])
                per_channel[where] = per_channel.get(where, 0) + 1
    assert per_channel and set(per_channel.values()) == {1}, per_channel
    nxt = (await fetch("SELECT next_at FROM heist_schedule"))[0]["next_at"]
    assert nxt > datetime.now(UTC) + timedelta(minutes=59)  # the next one, not this again


async def test_500_answers_from_three_platforms_through_two_worker_processes(
        app: AppContext, clock: Any, db_url: str, settings: Any, tmp_path: Path) -> None:
    clock.now = datetime.now(UTC)
    await apply(app, online())
    await fetch("UPDATE heist_schedule SET next_at = now()")
    log = tmp_path / "workers.log"
    workers = [start_worker(db_url, settings, log) for _ in range(2)]
    try:
        assert await wait_for(lambda: _ready(log, 2)), log.read_text()

        async def announced() -> bool:
            return bool(await fetch("SELECT 1 FROM heist_events WHERE announced_at IS NOT NULL"))

        assert await wait_for(announced), log.read_text()
        heist = (await fetch("SELECT * FROM heist_events"))[0]
        base = heist["started_at"] + timedelta(milliseconds=100)
        places = [(Platform.CONSOLE, "local"), (Platform.TWITCH, "c"), (Platform.KICK, "chan")]
        pub = Publisher(app.redis, app.keys, max_events=25, max_wait_ms=2)
        for i in range(500):  # p377, on Kick, was received first
            at = base + timedelta(milliseconds=0 if i == 377 else 1 + i)
            platform, channel = places[i % 3]
            await pub.publish(chat(f"p{i}", heist["answer"], platform=platform,
                                   channel=channel, at=at))
        await pub.close()

        async def resolved() -> bool:
            rows = await fetch("SELECT result_announced_at FROM heist_events")
            return rows[0]["result_announced_at"] is not None

        assert await wait_for(resolved), log.read_text()
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(30)
    done = (await fetch("SELECT * FROM heist_events"))[0]
    assert done["winner_name"] == "p377" and done["winner_platform"] == "kick"
    assert len(await fetch("SELECT id FROM user_crates")) == 1
    per_channel: dict[tuple[str, str], int] = {}
    for platform in ("console", "twitch", "kick"):
        for raw in await app.redis.lrange(app.keys.outbox(platform), 0, -1):
            reply = json.loads(raw)
            if "cracked the heist" in reply["text"]:
                assert "p377" in reply["text"]
                where = (platform, reply["channel"])
                per_channel[where] = per_channel.get(where, 0) + 1
    assert per_channel and set(per_channel.values()) == {1}, per_channel


async def test_session_end_pays_the_juicernaut_once_with_two_worker_processes(
        app: AppContext, clock: Any, db_url: str, settings: Any, tmp_path: Path) -> None:
    from tests.jobs.test_sessions import KI, TW, cheer, offline
    from tests.jobs.test_sessions import online as live_on

    clock.now = datetime.now(UTC)
    await apply(app, live_on(TW), live_on(KI), cheer("Bob", 1600))  # $16: the 15-30 band
    log = tmp_path / "workers.log"
    workers = [start_worker(db_url, settings, log) for _ in range(2)]
    try:
        assert await wait_for(lambda: _ready(log, 2)), log.read_text()
        pub = Publisher(app.redis, app.keys, max_events=1, max_wait_ms=1)
        mod = chat("Mod", "!endsession", platform=TW[0], channel=TW[1],
                   roles=frozenset({"moderator"}))
        for event in (offline(TW), offline(KI), mod, offline(TW)):  # a batch each, at once
            await pub.publish(event)
        await pub.close()

        async def answered() -> bool:
            rows = await fetch("SELECT count(*) AS n FROM processed_events"
                               " WHERE kind IN ('stream_offline', 'chat_message')")
            return int(rows[0]["n"]) >= 4

        assert await wait_for(answered), log.read_text()
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(30)
    paid = await fetch("SELECT wealth_delta, xp_delta FROM game_events"
                       " WHERE event_type = 'juicernaut'")
    assert [(p["wealth_delta"], p["xp_delta"]) for p in paid] == [(7_500, 1_000)]
    assert [c["tier"] for c in await fetch("SELECT tier FROM user_crates")] == ["uncommon"]
    assert len(await fetch("SELECT id FROM streaming_sessions WHERE summary IS NOT NULL")) == 1
