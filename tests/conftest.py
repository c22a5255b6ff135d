"""Test servers: the local PostgreSQL and Redis when they answer, else embedded ones.

Every run creates its own database (migrated with the real aerich migrations) and drops it at
the end; Redis tests use their own key prefix and clean it up.
"""

from __future__ import annotations

import os
import random
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from arq.worker import Worker
from tortoise import connections

from jobs.context import AppContext
from kingpin.bus import Publisher, connect_redis
from kingpin.db import close_db, init_db, migrate
from kingpin.keys import Keys
from kingpin.services import (
    redis_answers,
    start_embedded_postgres,
    start_embedded_redis,
    tcp_answers,
    to_asyncpg_dsn,
    with_database,
)
from kingpin.settings import Settings
from workers.main import worker_options

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/14"
# KINGPIN_TEST_EMBEDDED=1 ignores local servers: what a fresh machine without them sees
FORCE_EMBEDDED = os.environ.get("KINGPIN_TEST_EMBEDDED") == "1"


def _embedded_dir() -> Path:
    folder = Path(os.environ.get("KINGPIN_TEST_DATA_DIR", Path(tempfile.gettempdir()) /
                                 "kingpin-test-servers"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    configured = os.environ.get("KINGPIN_TEST_DATABASE_URL")
    if configured:
        return configured
    if not FORCE_EMBEDDED and tcp_answers("127.0.0.1", 5432):
        return LOCAL_PG
    return start_embedded_postgres(_embedded_dir())


@pytest.fixture(scope="session")
def redis_url() -> str:
    configured = os.environ.get("KINGPIN_TEST_REDIS_URL")
    if configured:
        return configured
    if not FORCE_EMBEDDED and redis_answers(LOCAL_REDIS):
        return LOCAL_REDIS
    return start_embedded_redis(_embedded_dir())


@pytest.fixture(scope="session")
def test_prefix() -> str:
    return f"kpt{uuid.uuid4().hex[:8]}"


# --- integration: real PostgreSQL and Redis ---

TABLES = (
    "game_events", "cooldowns", "jail", "player_identities", "audit_log", "processed_events",
    "event_batch_queue", "streaming_sessions", "bot_config", "platform_tokens", "link_codes",
    "discord_server_config", "discord_activity_channels", "cron_runs", "black_market_inventory",
    "lottery_draws", "slot_jackpots", "heist_schedule", "heist_events", "heist_recent_events",
    "reward_config", "redemption_mappings", "monetization_events", "session_contributions",
    "projector_state", "territories", "territory_scores", "users",
)


@pytest.fixture(scope="session")
async def db_url(pg_server_url: str) -> AsyncIterator[str]:
    name = f"kingpin_test_{uuid.uuid4().hex[:10]}"
    base = to_asyncpg_dsn(pg_server_url)
    url = with_database(base, name)
    applied = await migrate(url)
    assert applied, "the aerich migrations should create the schema"
    await init_db(url, 30)  # migrate() wrote the catalogue too
    yield url
    await close_db()
    admin = await asyncpg.connect(with_database(base, "postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
def settings(redis_url: str, test_prefix: str) -> Settings:
    return Settings(
        _env_file=None,
        redis_prefix=test_prefix,
        redis_url=redis_url,
        batch_max_wait_ms=2,
        worker_poll_delay_s=0.01,
    )


@pytest.fixture
async def redis(settings: Settings, redis_url: str) -> AsyncIterator[Any]:
    keys = Keys(settings.redis_prefix)
    pool = await connect_redis(redis_url, keys)
    yield pool
    # only this run's keys: arq's own job/result keys carry unique ids and expire by
    # themselves, and another test run may be using this Redis at the same time
    async for key in pool.scan_iter(match=f"{settings.redis_prefix}:*"):
        await pool.delete(key)
    await pool.aclose()


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))


@pytest.fixture
async def app(db_url: str, redis: Any, settings: Settings, clock: FixedClock
              ) -> AsyncIterator[AppContext]:
    conn = connections.get("default")
    await conn.execute_script(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    await reset_communities(conn)
    context = AppContext(redis=redis, keys=Keys(settings.redis_prefix), settings=settings,
                         rng=random.Random(1234), clock=clock)
    yield context
    await assert_ledger_balanced()


# channels the tests play in, owned by the default community (tests of ownership add more)
TEST_CHANNELS = [(p, c) for p in ("console", "twitch", "kick", "discord")
                 for c in ("local", "c", "chan", "1337", "g1", f"{p}-chan")]


async def reset_communities(conn: Any) -> None:
    await conn.execute_script(
        "DELETE FROM communities WHERE id <> 1; DELETE FROM community_channels;")
    await conn.execute_query(
        "INSERT INTO community_channels (community_id, platform, channel_id, role, label)"
        " SELECT 1, p, c, 'chat', c FROM unnest($1::text[], $2::text[]) AS t(p, c)",
        [[p for p, _ in TEST_CHANNELS], [c for _, c in TEST_CHANNELS]])


async def assert_ledger_balanced() -> None:
    conn = connections.get("default")
    rows = await conn.execute_query_dict(
        "SELECT (SELECT COALESCE(SUM(wealth), 0) FROM users) AS wealth,"
        " (SELECT COALESCE(SUM(wealth_delta), 0) FROM game_events) AS ledger_wealth,"
        " (SELECT COALESCE(SUM(xp), 0) FROM users) AS xp,"
        " (SELECT COALESCE(SUM(xp_delta), 0) FROM game_events) AS ledger_xp,"
        " (SELECT COUNT(*) FROM users WHERE wealth < 0) AS negative"
    )
    row = rows[0]
    assert row["wealth"] == row["ledger_wealth"], row
    assert row["xp"] == row["ledger_xp"], row
    assert row["negative"] == 0


@pytest.fixture
def publisher(redis: Any, settings: Settings) -> Publisher:
    return Publisher(redis, Keys(settings.redis_prefix), max_events=settings.batch_max_events,
                     max_wait_ms=settings.batch_max_wait_ms)


@pytest.fixture
def run_worker(app: AppContext, redis: Any, settings: Settings) -> Callable[[], Any]:
    """Run an arq worker in burst mode until the queue is empty."""

    async def run() -> Worker:
        options = worker_options(settings)
        options["cron_jobs"] = []
        worker = Worker(**options, redis_pool=redis, burst=True, handle_signals=False,
                        ctx={"settings": settings, "db_ready": True, "app": app})
        await worker.main()
        return worker

    return run


