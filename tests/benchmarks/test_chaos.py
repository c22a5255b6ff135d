"""The crash test with real processes: a worker SIGKILLed mid-load loses and doubles nothing."""

from __future__ import annotations

import argparse

from benchmarks.chaos import main_async


async def test_a_worker_killed_mid_load_changes_nothing_it_should_not(
    pg_server_url: str, redis_url: str
) -> None:
    args = argparse.Namespace(commands=300, limit_s=120.0, redis_url=redis_url,
                              pg_url=pg_server_url)
    result = await main_async(args)
    assert result["ok"], result
    assert result["commands_applied"] == 300 and result["duplicates_dropped"] == 300
