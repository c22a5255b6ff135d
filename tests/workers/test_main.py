"""Worker settings: a job whose worker was killed must be taken over quickly."""

from __future__ import annotations

from arq.worker import Worker

from kingpin.settings import Settings
from workers.main import every, worker_options


def test_a_dead_workers_jobs_are_taken_over_after_the_job_timeout() -> None:
    settings = Settings(_env_file=None, job_timeout_s=20)
    worker = Worker(**worker_options(settings), burst=True, handle_signals=False)
    # arq re-runs a job once its in-progress key expires: the longest function timeout + 10 s
    assert worker.in_progress_timeout_s == 30


def test_cron_schedules() -> None:
    assert every(10) == {0, 10, 20, 30, 40, 50}
    assert every(1) == set(range(60))
    assert every(600) == {0}
