"""The arq workers: ``kingpin worker`` (or ``arq workers.settings.WorkerSettings``).

Every worker process is identical and stateless; scale with more processes. A process runs
two arq workers on one event loop:

* the **apply** worker takes published batches from ``<prefix>:queue``. Its time limit is
  short (``KINGPIN_APPLY_TIMEOUT_S``), because arq re-runs a dead worker's job only once that
  limit (+10 s) has passed since the job started;
* the **cron** worker runs the timed work (activity flush, expiries, pruning) from its own
  queue ``<prefix>:cron`` with its own, longer limit. Cron jobs carry fixed job ids per run
  time, so N processes run each tick once.

``serve`` is the process (workers/runner.py keeps it alive through outages and stops it
gracefully); this module holds what arq needs.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from arq import cron, func
from arq.cron import CronJob as CronJobSpec
from arq.typing import WorkerCoroutine
from tortoise import connections

from jobs.activity import flush_activity
from jobs.apply import apply_events
from jobs.content import seed_catalogue
from jobs.context import AppContext, app_from
from jobs.economy_cron import (
    daily_upkeep,
    expire_buffs,
    expire_escrow,
    pay_businesses,
    rotate_market,
)
from jobs.factions import evaluate_territories, pay_factions
from jobs.gambling_cron import draw_lottery, expire_flips, stand_idle_hands
from jobs.heists import heist_tick, resolve_heists
from jobs.leaderboards import rollover
from jobs.maintenance import expire_timers, prune_processed
from jobs.monetization_cron import credit_waiting
from jobs.notifications import prune_notifications
from jobs.projector import project
from kingpin.bus import job_deserializer, job_serializer
from kingpin.db import NOT_MIGRATED, close_db, discard_connections, init_db, schema_ready
from kingpin.faults import is_connection_broken, is_transient, service_of
from kingpin.keys import Keys, install_arq_prefix
from kingpin.services import resolve_database_url
from kingpin.settings import Settings

log = logging.getLogger(__name__)

CronJob = Callable[..., Awaitable[Any]]


def riding_outages(job: CronJob) -> WorkerCoroutine:
    """A cron job that meets an outage (PostgreSQL or Redis away, a broken connection)
    reports it to the process's one-line-per-outage log and ends quietly: the next tick
    does the work (every cron is idempotent and catches up). Anything else is a bug and
    fails the job as usual."""

    @functools.wraps(job)
    async def run(ctx: dict[str, Any]) -> Any:
        try:
            return await job(ctx)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not is_transient(exc):
                raise
            if is_connection_broken(exc):
                await discard_connections()
            if "app" in ctx:
                app_from(ctx).outages.down(service_of(exc), exc)
            return None

    return run  # type: ignore[return-value]


def tick(job: CronJob, **when: Any) -> CronJobSpec:
    """A cron entry: once per run time across the processes (``unique``), the first at
    start (a due time missed while nothing ran is caught up), riding out outages."""
    return cron(riding_outages(job), unique=True, run_at_startup=True, **when)


def every(seconds: int) -> set[int]:
    return set(range(0, 60, max(1, min(seconds, 60))))


async def startup(ctx: dict[str, Any]) -> None:
    """Runs each time a worker (re)starts its loop: idempotent."""
    settings: Settings = ctx.get("settings") or Settings()
    if not ctx.get("db_ready"):  # tests and embedding processes may have initialised Tortoise
        db_url = ctx.get("db_url") or resolve_database_url(
            settings.secret("database_url"), settings.data_dir
        )
        if not await schema_ready(db_url):
            raise SystemExit(f"kingpin worker: {NOT_MIGRATED}")
        await init_db(db_url, settings.db_pool_max)
        ctx["owns_db"] = True
        ctx["db_ready"] = True
        # the catalogue as this code knows it (idempotent; a changed data file updates rows)
        await seed_catalogue(connections.get("default"))
    if "app" not in ctx:
        ctx["app"] = AppContext(
            redis=ctx["redis"], keys=Keys(settings.redis_prefix), settings=settings
        )
    if ctx.get("with_crons") and ctx.get("crons") is None:  # the arq CLI: one worker given
        from workers.runner import CronSidecar

        ctx["crons"] = CronSidecar(settings, ctx)
        await ctx["crons"].start()
    tune_gc()
    log.info("worker ready")


# A batch decodes hundreds of events into short-lived objects. With CPython's default
# thresholds (700, 10, 10) a worker runs the young collection every 700 allocations and
# the older ones often enough that collecting costs about half of the chat path's decode
# time, most of it walking the modules, models and content loaded at startup, which never
# become garbage (python -m benchmarks.inprocess chat; benchmarks/load.py's chat figure).
GC_THRESHOLDS = (10_000, 20, 20)


def tune_gc() -> None:
    """Move what startup loaded out of the collector's sight and collect less often:
    garbage cycles still go, a little later. Once per process: a worker restarting its loop
    after an outage must not freeze what the old loop left (frozen garbage is never freed)."""
    if gc.get_threshold() == GC_THRESHOLDS:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


async def shutdown(ctx: dict[str, Any]) -> None:
    if ctx.get("crons") is not None:
        await ctx["crons"].stop()
    if ctx.get("owns_db"):
        await close_db()


def _common(settings: Settings) -> dict[str, Any]:
    # every way of building a worker (the arq CLI creates its own pool) reads and writes
    # arq's keys under the prefix, as the publishers do
    install_arq_prefix(Keys(settings.redis_prefix))
    return {
        "on_startup": startup,
        "on_shutdown": shutdown,
        "job_serializer": job_serializer,
        "job_deserializer": job_deserializer,
        "max_tries": settings.job_max_tries,
        "keep_result": 60,
        "allow_abort_jobs": False,
        "poll_delay": settings.worker_poll_delay_s,
    }


def worker_options(settings: Settings) -> dict[str, Any]:
    """The apply worker, built from settings (used by kingpin worker, the arq CLI and tests)."""
    keys = Keys(settings.redis_prefix)
    return {
        **_common(settings),
        # a batch takes well under a second; over its limit it is retried by the job itself
        # (arq would drop it), and a worker killed mid-batch leaves it to another worker
        # once this (+10 s) has passed
        "functions": [func(apply_events, timeout=settings.apply_timeout_s)],
        "queue_name": keys.queue,
        "job_timeout": settings.apply_timeout_s,
        "max_jobs": settings.worker_max_jobs,
        # SIGTERM/SIGINT under the arq CLI: stop taking jobs, let running ones finish
        "job_completion_wait": int(settings.shutdown_grace_s),
    }


def cron_options(settings: Settings) -> dict[str, Any]:
    """The cron worker: the timed work on its own queue with its own time limit."""
    keys = Keys(settings.redis_prefix)
    flush_every = every(settings.activity_flush_every_s)
    return {
        **_common(settings),
        # chunks of heists the heist tick hands out (so every process resolves some)
        "functions": [func(resolve_heists, timeout=settings.job_timeout_s)],
        "cron_jobs": [
            tick(flush_activity, second=flush_every, timeout=settings.job_timeout_s),
            tick(expire_timers, second={5}),
            tick(prune_processed, minute={17}, second={30}),
            # the economy: each ticks every minute and acts once per due time per community
            # (jobs/schedule.py), so a due time missed while no worker ran is caught up
            tick(rotate_market, second={10}),
            tick(pay_businesses, second={20}),
            tick(daily_upkeep, second={40}),
            tick(expire_buffs, second={25}),
            tick(expire_escrow, second={50}),
            # gambling's timers: idle hands and expired flips within 5 s, the daily draw
            tick(stand_idle_hands, second=every(5)),
            tick(expire_flips, second={s + 2 for s in every(5)}),
            tick(draw_lottery, second={35}),
            # support from a username nobody had, credited once that account appears
            tick(credit_waiting, second={s + 7 for s in every(10)}),
            tick(prune_notifications, minute={41}, second={15}),
            # territories change hands at 00:00 UTC, factions are paid on Sundays (each
            # once the projector has caught up past the due time)
            tick(evaluate_territories, second={45}),
            tick(pay_factions, second={48}),
            # heists start and resolve within about a second of their due time
            tick(heist_tick, second=every(1)),
            # progress (missions, achievements, leaderboards, factions) from the ledger
            tick(project, second=every(2), timeout=settings.job_timeout_s),
            # finished leaderboard periods archived (hourly due times, once the projector
            # has caught up past the period's end)
            tick(rollover, second={55}),
        ],
        "queue_name": keys.cron_queue,
        "job_timeout": settings.job_timeout_s,
        # arq's poll loop, which also enqueues the crons, waits for a free slot: with the heist
        # tick holding one for its second, 4 slots let a busy flush and the 5 s timers delay
        # ticks by seconds (benchmarks/heists.py); crons mostly wait on I/O, 16 is cheap
        "max_jobs": 16,
        # crons run at most every second: polling their queue every 5 ms like the batches'
        # would cost a worker's CPU for nothing; 0.1 s keeps the heist tick on its second
        "poll_delay": 0.1,
    }


def arq_cli_options(settings: Settings) -> dict[str, Any]:
    """For ``arq workers.settings.WorkerSettings``: the apply worker, which starts the cron
    worker beside itself at startup."""
    return {**worker_options(settings), "ctx": {"settings": settings, "with_crons": True}}
