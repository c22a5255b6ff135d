"""The worker process: ``kingpin worker``.

* **Outages of any length**: PostgreSQL or Redis away at start, or going away later, means
  waiting with backoff (one log line when it goes, one when it is back), never exiting. An
  arq worker whose loop fails on a Redis error is restarted on the same ``Worker`` object,
  so its running jobs go on and are still tracked.
* **Graceful stop**: SIGTERM/SIGINT stop both workers taking jobs; running batches get
  ``KINGPIN_SHUTDOWN_GRACE_S`` to finish; what is still running then is cancelled, which
  arq turns into an immediate hand-back (the job stays queued, its in-progress mark is
  deleted), and the process exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from arq.connections import ArqRedis
from arq.worker import Worker
from tortoise import connections

from jobs.content import seed_catalogue
from jobs.context import AppContext
from kingpin.bus import connect_redis
from kingpin.db import NOT_MIGRATED, close_db, init_db, schema_ready
from kingpin.faults import Outages, is_transient, service_of
from kingpin.keys import Keys
from kingpin.settings import Settings
from workers.main import cron_options, worker_options

log = logging.getLogger("kingpin.worker")

T = TypeVar("T")

BACKOFF_MAX_S = 2.0  # a service that is back is noticed within this


class NotMigrated(Exception):  # noqa: N818 - a reason to stop, with its message
    pass


async def _pause(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep unless told to stop; True if stopping."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


async def _until_up(service: str, attempt: Callable[[], Awaitable[T]], outages: Outages,
                    stop: asyncio.Event) -> T | None:
    """``attempt()`` until it works, waiting with backoff while ``service`` is away (one log
    line when it goes, one when it is back); None if told to stop first."""
    delay = 0.5
    while True:
        try:
            result = await attempt()
            outages.up(service)
            return result
        except Exception as exc:
            if not is_transient(exc):
                raise
            outages.down(service, exc)
        if await _pause(stop, delay):
            return None
        delay = min(delay * 2, BACKOFF_MAX_S)


async def wait_for_redis(url: str, keys: Keys, outages: Outages, stop: asyncio.Event
                         ) -> ArqRedis | None:
    """An arq pool once Redis answers (None if told to stop first)."""
    return await _until_up("Redis", lambda: connect_redis(url, keys, wait=False), outages,
                           stop)


async def wait_for_database(db_url: str, pool_max: int, outages: Outages, stop: asyncio.Event
                            ) -> bool:
    """Tortoise initialised once PostgreSQL answers (False if told to stop first)."""

    async def attempt() -> bool:
        if not await schema_ready(db_url):
            raise NotMigrated(NOT_MIGRATED)
        await init_db(db_url, pool_max)
        # the catalogue as this code knows it (idempotent: a changed data file updates rows)
        await seed_catalogue(connections.get("default"))
        return True

    return bool(await _until_up("PostgreSQL", attempt, outages, stop))


async def keep_running(worker: Worker, stop: asyncio.Event, outages: Outages) -> None:
    """Run the worker's loop until told to stop, restarting it after Redis or PostgreSQL
    errors (with backoff; its running jobs are kept)."""
    delay = 0.5
    while not stop.is_set():
        try:
            await worker.main()
            return  # only a burst worker returns
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if stop.is_set():
                return
            if is_transient(exc):
                service = service_of(exc)
                # a Redis outage another loop has already seen end is not a new one
                if service != "Redis" or not await _answers(worker):
                    outages.down(service, exc)
            else:
                log.exception("worker loop failed; restarting it")
        if await _pause(stop, delay):
            return
        delay = min(delay * 2, BACKOFF_MAX_S)
        with contextlib.suppress(Exception):
            await worker.pool.ping()  # type: ignore[misc]
            outages.up("Redis")
            delay = 0.5


async def _answers(worker: Worker) -> bool:
    try:
        await worker.pool.ping()  # type: ignore[misc]
        return True
    except Exception:  # noqa: BLE001 - any failure means "not yet"
        return False


def running(workers: list[Worker]) -> list[asyncio.Task[Any]]:
    return [t for w in workers for t in w.tasks.values() if not t.done()]


async def drain(workers: list[Worker], grace_s: float) -> tuple[int, int]:
    """Stop taking jobs, wait up to the grace period, hand back the rest. Returns (finished,
    handed back)."""
    for worker in workers:
        worker.allow_pick_jobs = False
    before = running(workers)
    if before:
        log.info("stopping: %d running job(s) get %.0f s to finish", len(before), grace_s)
        await asyncio.wait(before, timeout=grace_s)
    left = running(workers)
    for task in left:  # arq's run_job turns the cancellation into a re-run elsewhere
        task.cancel()
    if left:
        await asyncio.wait(left, timeout=5)
    reap(workers)
    return len(before) - len(left), len(left)


def reap(workers: list[Worker]) -> None:
    """Collect the jobs that ended: with the poll loops stopped nobody else does, and a job
    that failed (an outage it met) would be logged as "never retrieved" with a traceback."""
    for worker in workers:
        for job_id, task in list(worker.tasks.items()):
            if not task.done():
                continue
            del worker.tasks[job_id]
            if not task.cancelled() and task.exception() is not None:
                log.warning("job %s ended with %s while stopping", job_id,
                            type(task.exception()).__name__)


async def serve(settings: Settings, db_url: str, redis_url: str) -> int:
    """``kingpin worker``: returns the exit code (0 after SIGTERM/SIGINT)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    outages = Outages(logging.getLogger("kingpin.outage"))
    keys = Keys(settings.redis_prefix)
    try:
        if not await wait_for_database(db_url, settings.db_pool_max, outages, stop):
            return 0
    except NotMigrated as exc:
        print(f"kingpin worker: {exc}", file=sys.stderr, flush=True)
        return 2
    workers: list[Worker] = []
    pool: ArqRedis | None = None
    try:
        pool = await wait_for_redis(redis_url, keys, outages, stop)
        if pool is None:
            return 0
        app = AppContext(redis=pool, keys=keys, settings=settings, outages=outages)
        for options in (worker_options(settings), cron_options(settings)):
            workers.append(Worker(**options, redis_pool=pool, handle_signals=False,
                                  ctx={"settings": settings, "db_ready": True, "app": app}))
        # a batch's in-progress mark starts as short as its lease (kingpin/lease.py), so it
        # never outlives a worker that died (or lost Redis) before the first renewal
        workers[0].in_progress_timeout_s = settings.lease_s
        loops = [asyncio.create_task(keep_running(w, stop, outages)) for w in workers]
        await stop.wait()
        for worker in workers:
            worker.allow_pick_jobs = False
        # the poll loops go first: one caught half-way through starting a job would start it
        # after the drain counted the running ones, and it would meet a closed database
        for task in loops:
            task.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        finished, handed_back = await drain(workers, settings.shutdown_grace_s)
        log.info("stopped: %d job(s) finished, %d handed back", finished, handed_back)
        return 0
    finally:
        for worker in workers:
            with contextlib.suppress(Exception):
                await worker.pool.delete(worker.health_check_key)
        if pool is not None:
            with contextlib.suppress(Exception):
                await pool.aclose()
        await close_db()


CRON_GRACE_S = 5.0  # a running cron job gets this long to finish when the sidecar stops


class CronSidecar:
    """Under the arq CLI (one worker per process): the cron worker beside the apply worker,
    on the same loop, kept running through outages, stopped at shutdown."""

    def __init__(self, settings: Settings, ctx: dict[str, Any]) -> None:
        self.settings = settings
        self.ctx = ctx
        self.stop_event = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.worker: Worker | None = None

    async def start(self) -> None:
        app: AppContext = self.ctx["app"]
        self.worker = Worker(**cron_options(self.settings), redis_pool=app.redis,
                             handle_signals=False,
                             ctx={"settings": self.settings, "db_ready": True, "app": app})
        self.task = asyncio.create_task(keep_running(self.worker, self.stop_event, app.outages))

    async def stop(self) -> None:
        self.stop_event.set()
        if self.worker is not None:  # crons are short: let the running ones finish
            await drain([self.worker], CRON_GRACE_S)
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
