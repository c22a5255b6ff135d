"""Worker settings: a job whose worker was killed must be taken over quickly."""

from __future__ import annotations

from arq.worker import Worker

from kingpin.settings import Settings
from workers.main import cron_options, every, worker_options


def test_a_dead_workers_batches_are_taken_over_within_15_s() -> None:
    """arq re-runs a job once its in-progress key expires: the longest function timeout of
    the worker + 10 s. The crons live on another worker, so their limit does not count."""
    settings = Settings(_env_file=None)
    worker = Worker(**worker_options(settings), burst=True, handle_signals=False)
    assert worker.in_progress_timeout_s <= 15
    assert not worker.cron_jobs
    crons = Worker(**cron_options(settings), burst=True, handle_signals=False)
    assert crons.queue_name != worker.queue_name and len(crons.cron_jobs) == 3
    assert crons.in_progress_timeout_s == settings.job_timeout_s + 10


def test_cron_schedules() -> None:
    assert every(10) == {0, 10, 20, 30, 40, 50}
    assert every(1) == set(range(60))
    assert every(600) == {0}
