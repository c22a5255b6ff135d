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
    assert crons.queue_name != worker.queue_name and len(crons.cron_jobs) == 13
    assert crons.in_progress_timeout_s == settings.job_timeout_s + 10


def test_cron_schedules() -> None:
    assert every(10) == {0, 10, 20, 30, 40, 50}
    assert every(1) == set(range(60))
    assert every(600) == {0}
