"""Faults under load, with real processes: two `kingpin worker` processes, a private
PostgreSQL and Redis started on free ports for this module (benchmarks/servers.py), and the
driver of benchmarks/faults.py run in-process. Each scenario asserts 0 lost, 0 doubled,
0 unanswered, chat counted exactly, the ledger equal to the balances, recovery within 15 s
of the fault, and no worker exiting on its own (DESIGN.md, "Delivery guarantees").

The load is shorter than the CLI default (16 s) so the module stays under 4 minutes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.faults import Servers, parse_args, run_scenario

SECONDS = "16"


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    started = Servers().start()
    yield started
    started.stop()


async def run(scenario: str, servers: Servers, log_dir: Path, *extra: str) -> dict[str, Any]:
    args = parse_args([scenario, "--seconds", SECONDS, "--drain-s", "60",
                       "--log-dir", str(log_dir), *extra])
    return await run_scenario(args, servers)


def explain(result: dict[str, Any]) -> str:
    logs = result.pop("worker_logs", {})
    text = json.dumps({k: v for k, v in result.items() if k != "timeline"}, indent=1,
                      default=str)
    for name, log in logs.items():
        text += f"\n--- {name} (last lines) ---\n{log}"
    return text


def assert_guarantees(result: dict[str, Any]) -> None:
    assert result["sent"] > 1000, explain(result)
    assert result["ok"], explain(result)
    assert result["lost"] == 0 and result["doubled"] == 0 and result["unanswered"] == 0
    assert result["chat_counted"] == result["chat_sent"]
    assert result["recover_s"] is not None and result["recover_s"] <= 15


async def test_a_worker_sigkilled_every_5_s_loses_doubles_and_strands_nothing(
    servers: Servers, tmp_path: Path
) -> None:
    result = await run("kill", servers, tmp_path)
    assert_guarantees(result)
    assert len(result["faults"]) >= 3


async def test_redis_down_5_s_mid_load_is_waited_out(servers: Servers, tmp_path: Path) -> None:
    result = await run("redis-restart", servers, tmp_path)
    assert_guarantees(result)
    assert result["publish_failures"] > 0, "the outage should have been seen by the publisher"


async def test_two_postgresql_restarts_mid_load_lose_nothing(
    servers: Servers, tmp_path: Path
) -> None:
    result = await run("pg-restart", servers, tmp_path)
    assert_guarantees(result)
    assert len(result["faults"]) == 2


async def test_the_worker_running_the_chat_flush_killed_mid_flush(
    servers: Servers, tmp_path: Path
) -> None:
    result = await run("kill-during-flush", servers, tmp_path)
    assert_guarantees(result)
    fault = result["faults"][0]
    assert fault["lock_held"], explain(result)
    assert fault["flush_resumed_s"] is not None and fault["flush_resumed_s"] <= 15


async def test_sigterm_mid_load_exits_0_within_the_grace_and_hands_work_over(
    servers: Servers, tmp_path: Path
) -> None:
    result = await run("sigterm", servers, tmp_path)
    assert_guarantees(result)
    assert result["sigterm_exit_code"] == 0
    assert result["sigterm_exit_after_s"] <= 20
    assert all(code == 0 for code in result["stopped_at_end_exit_codes"].values()), \
        explain(result)
