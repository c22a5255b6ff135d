"""The projector: every game action's ledger row projected exactly once, in commit order,
through late commits, failures and concurrent runs (PostgreSQL and Redis)."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest
from tortoise import connections

from game.events import encode_event
from game.stats import PERIOD_START_SQL, PERIODS, period_start
from jobs import activity, projector
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.projector import (
    lag,
    oldest_unprojected,
    project_once,
    unprojected,
    unprojected_counts,
)
from kingpin.services import to_asyncpg_dsn
from tests.jobs.test_commands import give, say
from tests.support import NOON, chat, fetch, project_all


async def counters(name: str, period: str = "lifetime") -> dict[str, Any]:
    rows = await fetch(
        "SELECT s.* FROM leaderboard_snapshots s JOIN users u ON u.id = s.user_id"
        " WHERE u.username = $1 AND s.period = $2", name, period)
    return rows[0] if rows else {}


async def user_id(name: str) -> int:
    return int((await fetch("SELECT id FROM users WHERE username = $1", name))[0]["id"])


async def test_every_play_is_a_row_and_counted_once_busted_ones_too(
        app: AppContext, clock: Any) -> None:
    busted = 0
    for seed in range(40):
        app.rng = random.Random(seed)
        out = await say(app, chat("alice", "!play"))
        busted += "jailed" in out[0]
        if "jailed" in out[0]:
            clock.now += timedelta(hours=1)
        clock.now += timedelta(seconds=31)
    assert busted, "some of 40 plays are busted"
    plays = await fetch("SELECT count(*) AS n FROM game_events WHERE event_type = 'play'")
    assert plays[0]["n"] == 40
    await project_all(app)
    mine = await counters("alice")
    assert mine["plays"] == 40
    for period in ("daily", "weekly", "monthly", "annual"):
        assert (await counters("alice", period))["plays"] == 40


async def test_a_failed_rob_counts_the_attempt_and_the_targets_defense(
        app: AppContext, clock: Any) -> None:
    await give(app, "victim", 10_000)
    await say(app, chat("robber", "hi"))
    outcomes = []
    for seed in range(60):
        app.rng = random.Random(seed)
        out = await say(app, chat("robber", "!rob @victim"))
        outcomes.append("got away" in out[0])
        clock.now += timedelta(days=1, seconds=1)
        if len(set(outcomes)) == 2 and len(outcomes) >= 4:
            break
    await project_all(app)
    robber, victim = await counters("robber"), await counters("victim")
    assert robber["robs"] == len(outcomes)
    assert robber["rob_wins"] == outcomes.count(False)
    assert victim["defenses"] == outcomes.count(True) > 0


async def test_chat_messages_are_counted_through_the_flush(app: AppContext) -> None:
    await say(app, chat("ann", "hello"), chat("ann", "again"), chat("bo", "hey"))
    await activity.flush(app)
    await say(app, chat("ann", "third"))
    await activity.flush(app)
    await project_all(app)
    assert (await counters("ann"))["messages"] == 3
    assert (await counters("bo", "daily"))["messages"] == 1


async def test_a_transaction_that_commits_late_is_projected_after_it_commits_once(
        app: AppContext, db_url: str) -> None:
    await say(app, chat("ann", "hi"), chat("bo", "hi"))
    bo = await user_id("bo")
    # (bo's row: the open transaction's key-share lock on its player would make ann's
    # command wait if it were hers)
    late = await asyncpg.connect(to_asyncpg_dsn(db_url))
    try:
        tx = late.transaction()
        await tx.start()  # takes its transaction id first ...
        await late.execute(
            "INSERT INTO game_events (community_id, user_id, event_type, wealth_delta,"
            " xp_delta) VALUES (1, $1, 'checkin', 0, 0)", bo)
        await say(app, chat("ann", "!play"))  # ... and commits after this one
        await project_once(app)
        assert (await counters("ann")).get("plays", 0) == 0  # held back by the open one
        behind = await lag(connections.get("default"))
        assert behind["n"] >= 1  # ann's play waits (bo's row is not visible yet)
        await tx.commit()
    finally:
        await late.close()
    await project_all(app)
    assert (await counters("ann"))["plays"] == 1
    assert (await counters("bo"))["checkins"] == 1


async def test_a_run_that_fails_midway_projects_nothing_and_the_next_run_all_once(
        app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    await say(app, chat("ann", "!play"))
    real = projector.hooks

    async def boom(conn: Any, app: AppContext, batch: Any) -> None:
        raise RuntimeError("killed mid-batch")

    monkeypatch.setattr(projector, "hooks", lambda: [*real(), boom])
    with pytest.raises(RuntimeError):
        await project_once(app)
    assert await counters("ann") == {}
    mark = await fetch("SELECT last_id FROM projector_state")
    assert mark == [] or mark[0]["last_id"] == 0
    monkeypatch.setattr(projector, "hooks", real)
    await project_all(app)
    assert (await counters("ann"))["plays"] == 1


async def test_concurrent_runs_project_each_row_once(app: AppContext, clock: Any) -> None:
    for i in range(30):
        await say(app, chat(f"p{i % 5}", "!play"))
        if i % 5 == 4:
            clock.now += timedelta(hours=2)
    await asyncio.gather(*(project_once(app) for _ in range(4)))
    await project_all(app)
    rows = await fetch("SELECT sum(plays) AS n FROM leaderboard_snapshots"
                       " WHERE period = 'lifetime'")
    assert rows[0]["n"] == 30


async def test_a_claim_sees_the_rows_not_projected_yet(app: AppContext) -> None:
    await say(app, chat("ann", "!play"))
    await project_all(app)
    await say(app, chat("ann", "!checkin"))
    ann = await user_id("ann")
    clock_day = (await fetch("SELECT created_at FROM game_events ORDER BY id DESC LIMIT 1")
                 )[0]["created_at"]
    rows = await unprojected(connections.get("default"), 1, ann,
                             clock_day - timedelta(days=1))
    extra = unprojected_counts(rows, 1, ann, "lifetime",
                               period_start("lifetime", clock_day.date()))
    assert extra["checkins"] == 1 and extra["plays"] == 0


async def test_before_the_first_run_every_row_is_unprojected(app: AppContext) -> None:
    await say(app, chat("ann", "!play"))
    await fetch("DELETE FROM projector_state")  # a fresh database before the first tick
    ann = await user_id("ann")
    rows = await unprojected(connections.get("default"), 1, ann, NOON - timedelta(days=3650))
    assert [r.event_type for r in rows] == ["play"]
    assert (await lag(connections.get("default")))["n"] >= 1
    # the crons reading the projection wait for it (jobs/factions, jobs/leaderboards)
    assert await oldest_unprojected(connections.get("default"), 1) is not None
    assert await oldest_unprojected(connections.get("default"), 2) is None


async def test_commands_and_projectors_side_by_side_neither_deadlock_nor_double(
        app: AppContext, clock: Any) -> None:
    """Batches of commands applied while three projectors run: the projector's progress rows
    check their player by foreign key (FOR KEY SHARE) while commands lock players; with
    FOR UPDATE the two deadlocked. Every row is projected once."""
    await say(app, *(chat(f"p{i}", "hi") for i in range(40)))
    stop = asyncio.Event()

    async def commands(k: int) -> None:
        rng = random.Random(k)
        for _ in range(15):
            texts = [rng.choice(["!play", "!rob @p3", "!checkin"]) for _ in range(10)]
            await apply_batch(app, uuid.uuid4().hex, [
                encode_event(chat(f"p{rng.randrange(40)}", t)) for t in texts])
            clock.now += timedelta(seconds=40)

    async def projecting() -> None:
        while not stop.is_set():
            await project_once(app, limit=7)  # small batches: many runs
            await asyncio.sleep(0.001)

    runs = [asyncio.create_task(projecting()) for _ in range(3)]
    await asyncio.gather(*(commands(k) for k in range(4)))
    stop.set()
    await asyncio.gather(*runs)
    await project_all(app)
    rows = await fetch(
        "SELECT (SELECT count(*) FROM game_events) AS ledger,"
        " (SELECT rows_projected FROM projector_state) AS projected,"
        " (SELECT count(*) FROM game_events WHERE event_type = 'play') AS plays,"
        " (SELECT sum(plays) FROM leaderboard_snapshots WHERE period = 'lifetime') AS counted")
    assert rows[0]["ledger"] == rows[0]["projected"]
    assert rows[0]["plays"] == rows[0]["counted"] > 0


async def test_the_periods_in_sql_start_where_the_rules_say(app: AppContext) -> None:
    """The upsert spreads a day over its periods in PostgreSQL (game/stats.PERIOD_START_SQL):
    every day of eleven years, each period, against game/stats.period_start."""
    first, days = date(2020, 1, 1), 4018
    cols = ", ".join(f"({PERIOD_START_SQL[p].format(day='d')})::date AS {p}" for p in PERIODS)
    rows = await fetch(f"SELECT d, {cols} FROM (SELECT $1::date + n AS d"
                       " FROM generate_series(0, $2) n) t ORDER BY d", first, days)
    assert len(rows) == days + 1
    for r in rows:
        for p in PERIODS:
            assert r[p] == period_start(p, r["d"]), (p, r["d"])
