"""The publisher: dedup at publish, micro-batches, nothing lost when Redis hiccups."""

from __future__ import annotations

from typing import Any

import pytest

from kingpin.bus import Publisher
from tests.support import chat


async def test_batches_close_at_the_size_limit(redis: Any, publisher: Publisher) -> None:
    publisher.max_events = 10
    for i in range(25):
        await publisher.publish(chat("a", f"m{i}"))
    await publisher.close()
    assert publisher.stats.published == 25 and publisher.stats.batches == 3


async def test_duplicates_in_one_batch_and_across_batches_are_dropped(
    publisher: Publisher,
) -> None:
    event = chat("a", "!play", event_id="same")
    await publisher.publish(event)
    await publisher.publish(event)
    await publisher.flush()
    await publisher.publish(event)
    await publisher.close()
    assert publisher.stats.published == 1 and publisher.stats.duplicates == 2


async def test_a_failed_enqueue_keeps_the_events_and_retries(
    redis: Any, publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = redis.enqueue_job
    calls = {"n": 0}

    async def flaky(*args: Any, **kw: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("redis restarting")
        return await real(*args, **kw)

    monkeypatch.setattr(redis, "enqueue_job", flaky)
    await publisher.publish(chat("a", "!play", event_id="kept"))
    with pytest.raises(ConnectionError):
        await publisher.flush()
    # the retry must not mistake our own claim for a duplicate
    assert await publisher.flush() is not None
    assert publisher.stats.published == 1 and publisher.stats.duplicates == 0


async def test_chat_claims_live_shorter_than_money_events(
    redis: Any, settings: Any,
) -> None:
    from datetime import UTC, datetime

    from game.events import Cheer, Platform, UserRef
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    pub = Publisher.from_settings(redis, keys, settings)
    now = datetime.now(UTC)
    cheer = Cheer(platform=Platform.TWITCH, event_id="c1", channel="c",
                  user=UserRef(id="1", name="a"), occurred_at=now, received_at=now, bits=5)
    await pub.publish(chat("a", "hello", event_id="m1"))
    await pub.publish(cheer)
    await pub.close()
    chat_ttl = await redis.ttl(keys.seen("console:m1"))
    cheer_ttl = await redis.ttl(keys.seen("twitch:c1"))
    assert 0 < chat_ttl <= settings.chat_dedup_ttl_s < cheer_ttl <= settings.dedup_ttl_s


async def test_a_failed_confirm_after_the_enqueue_does_not_queue_the_batch_twice(
    redis: Any, publisher: Publisher, monkeypatch: pytest.MonkeyPatch, app: Any,
    run_worker: Any,
) -> None:
    """The job went into Redis, then the confirm step failed: the retry keeps the batch's id,
    finds the job queued, and chat is counted once (20 messages stay 20)."""
    from jobs.activity import flush
    from kingpin.bus import CONFIRM_SCRIPT
    from tests.support import fetch

    real = redis.eval
    calls = {"n": 0}

    async def confirm_fails_once(script: str, *args: Any) -> Any:
        if script == CONFIRM_SCRIPT:
            calls["n"] += 1
            if calls["n"] == 1:
                raise ConnectionError("redis went away after the enqueue")
        return await real(script, *args)

    monkeypatch.setattr(redis, "eval", confirm_fails_once)
    for i in range(20):
        await publisher.publish(chat("zed", f"hello {i}", event_id=f"twice-{i}"))
    with pytest.raises(ConnectionError):
        await publisher.flush()
    await publisher.close()
    assert len(set(publisher.job_ids)) == 1 and publisher.stats.published == 20
    assert await redis.zcard(app.keys.queue) == 1
    await run_worker()
    await flush(app)
    rows = await fetch("SELECT messages_sent FROM users WHERE username = 'zed'")
    assert rows[0]["messages_sent"] == 20


async def test_a_claim_whose_answer_was_lost_is_still_ours_on_the_retry(
    redis: Any, publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis ran the claim, then the connection broke before the answer arrived: the retry
    sees the claims carry this batch's id and sends the events (not 'duplicates')."""
    from kingpin.bus import CLAIM_SCRIPT

    real = redis.eval
    calls = {"n": 0}

    async def answer_lost(script: str, *args: Any) -> Any:
        result = await real(script, *args)
        if script == CLAIM_SCRIPT:
            calls["n"] += 1
            if calls["n"] == 1:
                raise ConnectionError("connection reset after the claim ran")
        return result

    monkeypatch.setattr(redis, "eval", answer_lost)
    await publisher.publish(chat("a", "!play", event_id="lost-answer"))
    with pytest.raises(ConnectionError):
        await publisher.flush()
    assert await publisher.flush() is not None
    assert publisher.stats.published == 1 and publisher.stats.duplicates == 0


async def test_redis_away_keeps_every_event_and_logs_once(
    redis: Any, publisher: Publisher, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    """The background flush keeps the events while Redis is away, says so once, and sends
    them all when it is back."""
    import asyncio
    import logging

    from redis.exceptions import ConnectionError as RedisConnectionError

    real = redis.eval
    state = {"down": True}

    async def away(*args: Any) -> Any:
        if state["down"]:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379")
        return await real(*args)

    monkeypatch.setattr(redis, "eval", away)
    with caplog.at_level(logging.INFO, logger="kingpin.bus"):
        for i in range(5):
            await publisher.publish(chat("ola", f"!play {i}", event_id=f"away-{i}"))
        await asyncio.sleep(1.5)
        assert publisher.pending == 5
        state["down"] = False
        for _ in range(100):
            if publisher.pending == 0:
                break
            await asyncio.sleep(0.05)
    assert publisher.pending == 0 and publisher.stats.published == 5
    lines = [r.getMessage() for r in caplog.records if r.name == "kingpin.bus"]
    assert len(lines) == 2 and "unreachable" in lines[0] and "back" in lines[1], lines


async def test_a_listener_started_before_redis_waits_for_it(caplog: Any) -> None:
    """Redis is not up yet when a listener starts: it waits (one log line) and connects
    once Redis answers, instead of exiting."""
    import asyncio
    import logging

    from benchmarks.servers import PrivateRedis
    from kingpin.bus import connect_redis
    from kingpin.keys import Keys

    server = PrivateRedis()
    try:
        with caplog.at_level(logging.INFO, logger="kingpin.bus"):
            task = asyncio.create_task(connect_redis(server.url, Keys("kpw")))
            await asyncio.sleep(1.5)
            assert not task.done()
            await asyncio.to_thread(server.start)
            pool = await asyncio.wait_for(task, 15)
            assert await pool.ping()
            await pool.aclose()
        lines = [r.getMessage() for r in caplog.records if r.name == "kingpin.bus"]
        assert len(lines) == 2 and "unreachable" in lines[0] and "back" in lines[1], lines
    finally:
        server.stop()
