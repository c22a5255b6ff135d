"""The statements every command runs are planned once per connection, not on every call.

PostgreSQL plans a prepared statement five times with its parameters (custom plans), then
keeps its generic plan only if that costs no more than theirs; a statement whose generic plan
looks dearer is planned afresh on every call, forever. With an array parameter the generic
plan guesses ten elements: the rob's lock of two players, 7 Modifier subqueries each, cost
1.1 ms of PostgreSQL CPU to plan on every rob, more than running it (pg_stat_statements with
``track_planning`` under ``python -m benchmarks.load``). Statements sent as text with the
COMMIT (kingpin/db.OneTripTransaction.defer) were planned each time too; they are
``Deferred`` prepared statements now. Each test runs the real statement ten times on one
connection and asks ``pg_prepared_statements`` which plan it settled on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from game.events import UserRef
from jobs import apply, ledger, notifications
from jobs.commands import _BREAK, _WEAR
from jobs.context import AppContext
from jobs.players import BY_NAME, ensure_player
from jobs.state import CLAIM_AND_LOCK, CLAIM_AND_LOCK_PAIR, LOCK_FOR_COMMAND
from kingpin.db import Deferred
from kingpin.services import to_asyncpg_dsn

RUNS = 10
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
async def players(app: AppContext) -> list[int]:
    return [(await ensure_player(1, "console", UserRef(id=f"pc{n}",
                                                       name=f"plancache{n}"))).id
            for n in range(2)]


@pytest.fixture
async def conn(db_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(to_asyncpg_dsn(db_url))
    yield connection
    await connection.close()


async def plans_of(conn: asyncpg.Connection, statement: str, args: list[Any]) -> Any:
    prepared = await conn.prepare(statement)
    for _ in range(RUNS):
        tx = conn.transaction()
        await tx.start()
        await prepared.fetch(*args)
        await tx.rollback()  # nothing of it is kept
    return await conn.fetchrow(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
        statement)


async def test_the_command_locks_and_the_mention_settle_on_one_plan(
    conn: asyncpg.Connection, players: list[int]
) -> None:
    one, two = players
    cases = {
        "the rob's lock": (LOCK_FOR_COMMAND, [one, "rob", str(two), NOW, two]),
        "the bail's lock": (LOCK_FOR_COMMAND, [one, "bail", "", NOW, one]),
        "the play's claim": (CLAIM_AND_LOCK, ["console", "ev-1", "pc0", "play", "b1", 1, NOW]),
        "the rob's claim": (CLAIM_AND_LOCK_PAIR, ["console", "ev-2", "pc0", "rob", "b1", 1, NOW,
                                                  "plancache1"]),
        "a mention": (BY_NAME, [1, "console", "plancache1"]),
        "the ledger": (ledger._SQL, [one, 0, 0, "test", "plan cache", None, None,
                                     *(0 for _ in ledger.COUNTERS), [], [], []]),
    }
    for what, (sql, args) in cases.items():
        row = await plans_of(conn, sql, args)
        assert row["generic_plans"] >= RUNS - 5 and row["custom_plans"] <= 5, (what, row)


@pytest.mark.parametrize("statement, args", [
    (apply._RECORD, ["1", "'console'", "'plan-cache'", "'command'", "'b1'", "NULL"]),
    (ledger._DEBIT, ["{one}", "0", "'rob_loss'", "'test'", "NULL"]),
    (ledger._WITH_COMMIT, ["{one}", "0", "0", "'play'", "'test'", "NULL", "NULL",
                           *("1" for _ in ledger.COUNTERS), "ARRAY['play']", "ARRAY['']",
                           "ARRAY['2026-12-07T12:00:00+00:00'::timestamptz]"]),
    (ledger._LEVEL, ["{one}", "1", "'Thug'"]),
    (_WEAR, ["0", "5"]),
    (_BREAK, ["0"]),
    (notifications._INSERT_ONE, ["1", "{one}", "'robbed'", "'test'",
                                 "'2026-12-07T12:00:00+00:00'::timestamptz"]),
], ids=["processed event", "debit", "change", "level", "wear", "break", "notification"])
async def test_what_travels_with_the_commit_settles_on_one_plan(
    conn: asyncpg.Connection, players: list[int], statement: Deferred, args: list[str]
) -> None:
    await conn.execute(statement.prepare())
    call = f"EXECUTE {statement.name}({', '.join(a.format(one=players[0]) for a in args)})"
    for _ in range(RUNS):
        tx = conn.transaction()
        await tx.start()
        await conn.execute(call)
        await tx.rollback()
    row = await conn.fetchrow("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                              " WHERE name = $1", statement.name)
    assert row["generic_plans"] >= RUNS - 5 and row["custom_plans"] <= 5, row
