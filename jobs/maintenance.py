"""Timed upkeep: expired cooldowns and jail sentences, old dedup records."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from jobs.context import app_from
from jobs.players import db

log = logging.getLogger(__name__)


async def expire_timers(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron: drop cooldowns that ran out and release players whose sentence is over."""
    app = app_from(ctx)
    now = app.clock()
    cooldowns, _ = await db().execute_query("DELETE FROM cooldowns WHERE expires_at <= $1", [now])
    released, _ = await db().execute_query("DELETE FROM jail WHERE release_at <= $1", [now])
    if cooldowns or released:
        log.info("expired %d cooldowns, released %d from jail", cooldowns, released)
    return {"cooldowns": cooldowns, "released": released}


async def prune_processed(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron: keep apply-side dedup records for the retention window only."""
    app = app_from(ctx)
    cutoff = app.clock() - timedelta(days=app.settings.processed_retention_days)
    events, _ = await db().execute_query(
        "DELETE FROM processed_events WHERE processed_at < $1", [cutoff]
    )
    batches, _ = await db().execute_query(
        "DELETE FROM event_batch_queue WHERE created_at < $1", [cutoff]
    )
    return {"processed_events": events, "batches": batches}
