"""A short lease on arq's in-progress mark of the running job (a heartbeat).

arq marks a started job "in progress" until its timeout (+10 s) and re-runs it elsewhere only
once that mark expires: with a long timeout, a killed worker's batch would wait minutes. The
batch job instead keeps the mark at ``ttl_s`` and renews it every ``ttl_s / 3`` while it runs,
so a dead worker's batch is taken over within seconds, while a slow but live one keeps its
lease (DESIGN.md: locks held by a dead process expire in seconds, by heartbeat).

Two runs of one batch at once (a lease lost while Redis was away) are safe: every effect is
claimed in ``processed_events`` and chat is counted under the batch id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def lease(redis: Any, key: str, ttl_s: float) -> AsyncIterator[None]:
    ttl_ms = max(1, int(ttl_s * 1000))
    with contextlib.suppress(Exception):  # Redis away: the job's own retry handles that
        await redis.pexpire(key, ttl_ms)
    renew = asyncio.create_task(_renew(redis, key, ttl_ms, ttl_s / 3))
    try:
        yield
    finally:
        renew.cancel()
        await asyncio.gather(renew, return_exceptions=True)


async def _renew(redis: Any, key: str, ttl_ms: int, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        try:
            await redis.pexpire(key, ttl_ms)
        except Exception as exc:  # noqa: BLE001 - a missed renewal only shortens the lease
            log.warning("job lease %s not renewed: %s", key, exc)
