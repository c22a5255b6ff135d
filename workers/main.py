"""The arq worker: ``arq workers.main.WorkerSettings`` or ``kingpin worker``.

Every worker is identical and stateless; scale with more processes. Cron jobs carry fixed
job ids per run time, so N workers run each tick once.
"""

from __future__ import annotations

import logging
from typing import Any

from arq import cron

from jobs.activity import flush_activity
from jobs.apply import apply_events
from jobs.context import AppContext
from jobs.maintenance import expire_timers, prune_processed
from kingpin.bus import job_deserializer, job_serializer
from kingpin.db import NOT_MIGRATED, close_db, init_db, schema_ready
from kingpin.keys import Keys
from kingpin.services import resolve_database_url
from kingpin.settings import Settings

log = logging.getLogger(__name__)


def every(seconds: int) -> set[int]:
    return set(range(0, 60, max(1, min(seconds, 60))))


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.get("settings") or Settings()
    if not ctx.get("db_ready"):  # tests and embedding processes may have initialised Tortoise
        db_url = ctx.get("db_url") or resolve_database_url(
            settings.secret("database_url"), settings.data_dir
        )
        if not await schema_ready(db_url):
            raise SystemExit(f"kingpin worker: {NOT_MIGRATED}")
        await init_db(db_url, settings.db_pool_max)
        ctx["owns_db"] = True
    if "app" not in ctx:
        ctx["app"] = AppContext(
            redis=ctx["redis"], keys=Keys(settings.redis_prefix), settings=settings
        )
    log.info("worker ready")


async def shutdown(ctx: dict[str, Any]) -> None:
    if ctx.get("owns_db"):
        await close_db()


def worker_options(settings: Settings) -> dict[str, Any]:
    """Everything arq needs, built from settings (used by WorkerSettings and kingpin)."""
    keys = Keys(settings.redis_prefix)
    flush_every = every(settings.activity_flush_every_s)
    return {
        "functions": [apply_events],
        "cron_jobs": [
            cron(flush_activity, second=flush_every, unique=True, run_at_startup=True,
                 timeout=settings.job_timeout_s),
            cron(expire_timers, second={5}, unique=True, run_at_startup=True),
            cron(prune_processed, minute={17}, second={30}, unique=True, run_at_startup=True),
        ],
        "queue_name": keys.queue,
        "on_startup": startup,
        "on_shutdown": shutdown,
        "job_serializer": job_serializer,
        "job_deserializer": job_deserializer,
        "max_jobs": settings.worker_max_jobs,
        "max_tries": settings.job_max_tries,
        # a batch takes well under a second; a worker killed mid-batch leaves its job to be
        # picked up by another worker once this (+10 s) has passed. arq uses the longest
        # timeout of all functions for that, so the crons use the same one (a flush cut short
        # is finished by the next one)
        "job_timeout": settings.job_timeout_s,
        "keep_result": 60,
        "allow_abort_jobs": False,
        "poll_delay": settings.worker_poll_delay_s,
    }
