"""Lookups that must probe an index per player or name whatever the planner knows.

A table (or a new leaderboard period) without statistics yet is the normal state of a young
community and of every new day; asyncpg's prepared statements soon run PostgreSQL's generic
plan. Each test plans the real statement against a temporary copy of the table (same name,
same indexes, not analyzed or analyzed before the rows asked for came: it shadows the real
one for this transaction) with the generic plan forced (and the custom plan, where the
statistics decide), and counts the rows it filters."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from game.stats import LIFETIME_START, STATS
from jobs.players import BY_NAMES
from kingpin.db import per_player

ROWS = 5000


async def plan_of(tx: Any, table: str, fill: str, sql: str, types: str, args: str,
                  mode: str = "force_generic_plan") -> dict[str, Any]:
    await tx.execute_script(
        f"CREATE TEMP TABLE {table} (LIKE public.{table} INCLUDING ALL) ON COMMIT DROP;"
        f" {fill}; SET LOCAL plan_cache_mode = {mode};"
        f" PREPARE probe({types}) AS {sql}")
    rows = await tx.execute_query_dict(
        f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE probe({args})")
    await tx.execute_script("DEALLOCATE probe")
    plan = rows[0]["QUERY PLAN"]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]  # type: ignore[no-any-return]


def removed_by_filter(plan: dict[str, Any]) -> int:
    return int(plan.get("Rows Removed by Filter", 0)) + int(
        plan.get("Rows Removed by Join Filter", 0)) + sum(
        removed_by_filter(p) for p in plan.get("Plans", []))


@pytest.mark.parametrize("mode", ["force_generic_plan", "force_custom_plan"])
async def test_a_mention_probes_the_name_index(app: Any, mode: str) -> None:
    async with in_transaction() as tx:
        plan = await plan_of(
            tx, "player_identities",
            "INSERT INTO player_identities (community_id, platform, platform_user_id, username,"
            " username_key, user_id) SELECT 1, (ARRAY['twitch','kick','discord'])[1 + g % 3],"
            f" g::text, 'viewer' || g, 'viewer' || g, g FROM generate_series(1, {ROWS}) g",
            BY_NAMES, "bigint, text, text[]", "1, 'twitch', ARRAY['viewer12', 'nobody']", mode)
    assert plan["Actual Rows"] == 1
    assert removed_by_filter(plan) == 0, plan
    assert plan["Shared Hit Blocks"] < 40, plan


@pytest.mark.parametrize("mode", ["force_generic_plan", "force_custom_plan"])
async def test_the_projectors_lifetime_counters_are_read_per_player(app: Any, mode: str
                                                                    ) -> None:
    """achievements' facts for a batch's players: one probe each, not a nested loop over a
    scan of every snapshot (a second for 3,000 players while the table had no statistics)."""
    wanted = 300

    def fill(period: str) -> str:
        return ("INSERT INTO leaderboard_snapshots (community_id, user_id, period, period_start,"
                f" {', '.join(STATS)}, faction_points, updated_at) SELECT 1, g, '{period}',"
                f" DATE '{LIFETIME_START.isoformat()}', {', '.join('0' for _ in STATS)}, 0,"
                f" now() FROM generate_series(1, {ROWS}) g")

    sql = per_player(f"community_id, user_id, {', '.join(STATS)}", "leaderboard_snapshots",
                     "x.period = 'lifetime' AND x.period_start = $3")
    async with in_transaction() as tx:
        plan = await plan_of(
            tx, "leaderboard_snapshots",
            # statistics taken before the period's rows came: they say it has none
            f"{fill('daily')}; ANALYZE leaderboard_snapshots; {fill('lifetime')}",
            sql, "bigint[], bigint[], date",
            f"array_fill(1::bigint, ARRAY[{wanted}]),"
            f" '{{{','.join(str(n) for n in range(1, wanted + 1))}}}',"
            f" DATE '{LIFETIME_START.isoformat()}'", mode)
    assert plan["Actual Rows"] == wanted
    assert removed_by_filter(plan) == 0, plan
