"""Kick test fixtures: a Redis pool on a queue no test worker listens to; no Kick channel
rows but the test's own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tortoise import connections

from kingpin.bus import connect_redis
from kingpin.keys import Keys


@pytest.fixture
async def private_redis(redis_url: str) -> AsyncIterator[tuple[Any, Keys]]:
    """(arq pool, keys) on a fresh prefix: jobs we enqueue stay put for us to read back."""
    keys = Keys(f"kpk{uuid.uuid4().hex[:8]}")
    pool = await connect_redis(redis_url, keys)
    yield pool, keys
    async for key in pool.scan_iter(match=f"{keys.prefix}:*"):
        await pool.delete(key)
    await pool.aclose()


@pytest.fixture
async def kick_rows(db_url: str) -> AsyncIterator[None]:
    """No community owns a Kick channel before the test, nor after it."""
    conn = connections.get("default")
    await conn.execute_query("DELETE FROM community_channels WHERE platform = 'kick'")
    yield
    await conn.execute_query("DELETE FROM community_channels WHERE platform = 'kick'")
