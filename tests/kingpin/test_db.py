"""Schema checks: processes refuse to start on a database that was never migrated."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg

from kingpin.db import schema_ready
from kingpin.services import to_asyncpg_dsn, with_database

ROOT = Path(__file__).resolve().parents[2]


async def test_schema_ready(db_url: str, pg_server_url: str) -> None:
    assert await schema_ready(db_url)
    missing = with_database(to_asyncpg_dsn(pg_server_url), f"kp_missing_{uuid.uuid4().hex[:6]}")
    assert not await schema_ready(missing)
    empty_name = f"kp_empty_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(with_database(to_asyncpg_dsn(pg_server_url), "postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{empty_name}"')
        assert not await schema_ready(with_database(to_asyncpg_dsn(pg_server_url), empty_name))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{empty_name}" WITH (FORCE)')
        await admin.close()


def test_console_on_an_unmigrated_database_says_what_to_do(
    pg_server_url: str, redis_url: str, test_prefix: str
) -> None:
    env = {**os.environ, "KINGPIN_REDIS_URL": redis_url, "KINGPIN_REDIS_PREFIX": test_prefix,
           "KINGPIN_DATABASE_URL": with_database(to_asyncpg_dsn(pg_server_url),
                                                 f"kp_missing_{uuid.uuid4().hex[:6]}")}
    result = subprocess.run([sys.executable, "-m", "kingpin.cli", "console"],
                            input="alice: !play\n", capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("run `kingpin migrate` first")
    assert "Traceback" not in result.stderr
