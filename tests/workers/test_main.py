"""Worker settings: a job whose worker was killed must be taken over quickly."""

from __future__ import annotations

from arq.worker import Worker

from kingpin.settings import Settings
from workers.main import cron_options, every, worker_options


def test_batches_and_crons_are_separate_workers() -> None:
    """arq re-runs a job once its in-progress key expires; a batch keeps that key short with
    its lease (tests/jobs/test_apply.py), and the crons, with their own longer limit, live on
    another worker and queue."""
    settings = Settings(_env_file=None)
    worker = Worker(**worker_options(settings), burst=True, handle_signals=False)
    assert settings.lease_s <= 10
    assert not worker.cron_jobs
    crons = Worker(**cron_options(settings), burst=True, handle_signals=False)
    assert crons.queue_name != worker.queue_name and len(crons.cron_jobs) == 18
    assert crons.in_progress_timeout_s == settings.job_timeout_s + 10


def test_cron_schedules() -> None:
    assert every(10) == {0, 10, 20, 30, 40, 50}
    assert every(1) == set(range(60))
    assert every(600) == {0}


async def test_a_cron_job_rides_out_an_outage_in_one_line_and_fails_on_a_bug() -> None:
    import logging

    import redis.exceptions

    from jobs.context import AppContext
    from kingpin.faults import Outages
    from workers.main import riding_outages

    lines: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    logger = logging.getLogger("test.outage")
    logger.addHandler(Catch())
    app = AppContext.__new__(AppContext)
    app.outages = Outages(logger)

    async def away(ctx: dict[str, object]) -> None:
        raise redis.exceptions.ConnectionError("Connection reset by peer")

    async def bug(ctx: dict[str, object]) -> None:
        raise ValueError("a bug")

    wrapped = riding_outages(away)
    assert wrapped.__qualname__ == away.__qualname__  # arq names the cron after it
    for _ in range(3):
        assert await wrapped({"app": app}) is None
    assert len(lines) == 1 and "Redis" in lines[0]
    try:
        await riding_outages(bug)({"app": app})
    except ValueError:
        pass
    else:
        raise AssertionError("a bug must fail the job")


def test_a_worker_collects_less_often_and_never_walks_what_startup_loaded() -> None:
    """The chat path allocates hundreds of short-lived objects per event: with the default
    thresholds collecting cost about half its decode time (workers/main.GC_THRESHOLDS)."""
    import gc

    from workers.main import GC_THRESHOLDS, tune_gc

    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == GC_THRESHOLDS
        frozen = gc.get_freeze_count()
        assert frozen > 0
        kept = [[] for _ in range(1000)]  # tracked objects a later startup would find
        tune_gc()  # a worker restarting its loop: nothing more is frozen
        assert gc.get_freeze_count() == frozen and kept
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
