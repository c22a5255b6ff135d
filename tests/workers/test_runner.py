"""The worker process: graceful stop and outages, with real arq workers and real servers."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from arq import func
from arq.worker import Worker

from kingpin.bus import Publisher, connect_redis
from kingpin.keys import Keys
from kingpin.settings import Settings
from tests.support import chat, fetch
from workers.main import worker_options
from workers.runner import drain

ROOT = Path(__file__).resolve().parents[2]


async def test_grace_run_out_hands_running_batches_back_at_once(
    redis: Any, settings: Settings
) -> None:
    """A batch still running when the grace period ends is cancelled; arq then leaves it in
    the queue without its in-progress mark, so another worker takes it at once (not after
    the in-progress expiry)."""
    started = asyncio.Event()

    async def apply_events(ctx: dict[str, Any], *args: Any) -> None:
        started.set()
        await asyncio.sleep(60)

    options = worker_options(settings)
    options.update(functions=[func(apply_events, name="apply_events")],
                   on_startup=None, on_shutdown=None)
    worker = Worker(**options, redis_pool=redis, handle_signals=False)
    job = await redis.enqueue_job("apply_events", "b", [], _job_id=f"slow-{uuid.uuid4().hex}")
    loop = asyncio.create_task(worker.main())
    await asyncio.wait_for(started.wait(), 10)
    keys = Keys(settings.redis_prefix)
    assert await redis.exists(keys.arq("in-progress:") + job.job_id)
    finished, handed_back = await drain([worker], grace_s=0.3)
    assert (finished, handed_back) == (0, 1)
    assert not await redis.exists(keys.arq("in-progress:") + job.job_id)
    assert await redis.zscore(keys.queue, job.job_id) is not None  # still queued
    loop.cancel()
    await asyncio.gather(loop, return_exceptions=True)
    await redis.delete(keys.arq("job:") + job.job_id)
    await redis.zrem(keys.queue, job.job_id)


def _worker(env: dict[str, str], log: Path,
            argv: tuple[str, ...] = ("-m", "kingpin.cli", "worker")) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, *argv], env=env, cwd=ROOT, stdout=log.open("wb"),
        stderr=subprocess.STDOUT)


@pytest.fixture
def private_redis() -> Any:
    from benchmarks.servers import PrivateRedis

    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


async def test_the_worker_rides_out_a_redis_outage_and_stops_cleanly_on_sigterm(
    db_url: str, private_redis: Any, tmp_path: Path, app: Any
) -> None:
    """Redis goes away for a few seconds: the worker logs one line, waits, carries on with
    the next command when Redis is back, and SIGTERM then ends it with exit code 0."""
    prefix = f"kpr{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "KINGPIN_DATABASE_URL": db_url, "KINGPIN_REDIS_URL": private_redis.url,
           "KINGPIN_REDIS_PREFIX": prefix, "KINGPIN_LOG_LEVEL": "WARNING"}
    log = tmp_path / "worker.log"
    proc = _worker(env, log)
    keys = Keys(prefix)
    try:
        redis = await connect_redis(private_redis.url, keys)
        pub = Publisher(redis, keys, max_wait_ms=2)
        await pub.publish(chat("rita", "!checkin", event_id="before-outage"))
        await pub.close()
        await _until(lambda: _applied("before-outage"), 30)
        await redis.aclose()
        private_redis.shutdown()
        await asyncio.sleep(4)
        assert proc.poll() is None, log.read_text()
        private_redis.start()
        redis = await connect_redis(private_redis.url, keys)
        pub = Publisher(redis, keys, max_wait_ms=2)
        t0 = time.monotonic()
        await pub.publish(chat("rita", "!profile", event_id="after-outage"))
        await pub.close()
        await _until(lambda: _applied("after-outage"), 15)
        assert time.monotonic() - t0 < 15
        replies = await redis.lrange(keys.outbox("console"), 0, -1)
        assert any(b"after-outage" in r for r in replies)
        await redis.aclose()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text()
    assert text.count("Redis unreachable") == 1, text
    assert "Traceback" not in text, text


async def _applied(event_id: str) -> bool:
    rows = await fetch("SELECT 1 FROM processed_events WHERE event_id = $1", event_id)
    return bool(rows)


async def _until(check: Any, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("not applied in time")


async def test_the_arq_cli_worker_applies_batches_and_stops_cleanly(
    db_url: str, redis_url: str, tmp_path: Path, app: Any
) -> None:
    """``arq workers.settings.WorkerSettings``: arq creates its own Redis pool, and still
    finds the jobs under the prefix; SIGTERM ends it with 0."""
    prefix = f"kpa{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "KINGPIN_DATABASE_URL": db_url, "KINGPIN_REDIS_URL": redis_url,
           "KINGPIN_REDIS_PREFIX": prefix, "KINGPIN_LOG_LEVEL": "WARNING"}
    log = tmp_path / "arq.log"
    proc = _worker(env, log, ("-m", "arq", "workers.settings.WorkerSettings"))
    keys = Keys(prefix)
    redis = await connect_redis(redis_url, keys)
    try:
        pub = Publisher(redis, keys, max_wait_ms=2)
        await pub.publish(chat("uma", "!checkin", event_id="via-arq-cli"))
        await pub.close()
        await _until(lambda: _applied("via-arq-cli"), 30)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        async for key in redis.scan_iter(match=f"{prefix}:*"):
            await redis.delete(key)
        await redis.aclose()
    assert "expired" not in log.read_text()
