"""Bulk rewards (jobs/ledger.grant_many) on PostgreSQL: one balance change per player, a row
per grant, levels moved, nothing negative."""

from __future__ import annotations

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from jobs import state
from jobs.context import AppContext
from jobs.ledger import Grant, grant_many
from tests.jobs.test_commands import say
from tests.support import chat, fetch


async def test_grants_pay_each_player_once_with_a_row_per_grant_and_move_levels(
        app: AppContext) -> None:
    await say(app, chat("ann", "hi"), chat("bo", "hi"))
    ids = {r["username"]: r["id"] for r in await fetch("SELECT id, username FROM users")}
    async with in_transaction() as tx:
        await state.lock_users(tx, *ids.values())
        levels = await grant_many(tx, [
            Grant(ids["ann"], 500, 0, "achievement", "a", "k1"),
            Grant(ids["ann"], 0, 5_000, "achievement", "b", "k2", {"achievement": "b"}),
            Grant(ids["bo"], 250, 10, "achievement", "c", None),
        ], {1: app.rules})
    users = {r["username"]: r for r in await fetch(
        "SELECT username, wealth, xp, level, lifetime_wealth_earned FROM users")}
    assert (users["ann"]["wealth"], users["ann"]["xp"]) == (500, 5_000)
    assert users["ann"]["lifetime_wealth_earned"] == 500
    assert users["ann"]["level"] == levels[ids["ann"]].level_after > 1
    assert levels[ids["bo"]].level_after == users["bo"]["level"]
    rows = await fetch("SELECT user_id, wealth_delta, xp_delta, detail FROM game_events"
                       " WHERE event_type = 'achievement' ORDER BY id")
    assert [(r["user_id"], r["wealth_delta"], r["xp_delta"]) for r in rows] == [
        (ids["ann"], 500, 0), (ids["ann"], 0, 5_000), (ids["bo"], 250, 10)]
    assert rows[1]["detail"] == '{"achievement": "b"}'


async def test_a_negative_grant_is_refused(app: AppContext) -> None:
    with pytest.raises(ValueError, match="not negative"):
        await grant_many(connections.get("default"),
                         [Grant(1, -1, 0, "achievement", "x", None)], {1: app.rules})


async def test_a_change_with_the_commit_reports_what_the_commit_writes(app: AppContext) -> None:
    """``apply_change_with_commit`` answers from the locked row plus the change; after the
    COMMIT the row, the ledger, the counters, the cooldown and the level say the same."""
    from datetime import UTC, datetime

    from jobs.ledger import Change, apply_change_with_commit
    from kingpin.db import one_trip_transaction

    await say(app, chat("cy", "hi"))
    [row] = await fetch("SELECT id FROM users WHERE username = 'cy'")
    until = datetime(2030, 1, 1, tzinfo=UTC)
    async with one_trip_transaction() as tx:
        before = (await state.lock_users(tx, row["id"]))[row["id"]]
        balance = await apply_change_with_commit(tx, before, Change(
            700, 5_000, "play", "a big job", {"total_play_count": 1, "wins": 1},
            (("play", "", until),)), "k-cy", app.rules)
        # not written yet: it travels with the COMMIT
        assert (await state.load_user(tx, row["id"])).wealth == before.wealth
    [user] = await fetch("SELECT wealth, xp, level, total_play_count, wins FROM users"
                         " WHERE id = $1", row["id"])
    assert (user["wealth"], user["xp"]) == (balance.wealth, balance.xp) == (
        before.wealth + 700, before.xp + 5_000)
    assert user["level"] == balance.progress.level_after > before.level
    assert (user["total_play_count"], user["wins"]) == (1, 1)
    assert await state.cooldown_until(connections.get("default"), row["id"], "play") == until
    [event] = await fetch("SELECT wealth_delta, xp_delta FROM game_events WHERE source_key ="
                          " 'k-cy'")
    assert (event["wealth_delta"], event["xp_delta"]) == (700, 5_000)


async def test_a_change_with_the_commit_never_goes_negative(app: AppContext) -> None:
    """Refused up front from the locked row; and if the row moved after it was read (a
    caller's bug), the COMMIT fails whole instead of writing a negative balance."""
    from jobs.ledger import Change, InsufficientFunds, apply_change_with_commit, apply_delta
    from kingpin.db import one_trip_transaction

    await say(app, chat("di", "hi"))
    [row] = await fetch("SELECT id FROM users WHERE username = 'di'")
    async with one_trip_transaction() as tx:
        before = (await state.lock_users(tx, row["id"]))[row["id"]]
        with pytest.raises(InsufficientFunds):
            await apply_change_with_commit(tx, before, Change(-before.wealth - 1), None,
                                           app.rules)
    async with in_transaction() as tx:  # $100, with its ledger row
        await apply_delta(tx, row["id"], 100 - before.wealth, 0, "admin_wealth", "x", None,
                          app.rules)
    with pytest.raises(Exception, match="division by zero"):
        async with one_trip_transaction() as tx:
            before = (await state.lock_users(tx, row["id"]))[row["id"]]
            await tx.execute_query("UPDATE users SET wealth = 10 WHERE id = $1", [row["id"]])
            await apply_change_with_commit(tx, before, Change(-50, 0, "play", "x"), "k-di",
                                           app.rules)
    assert (await fetch("SELECT wealth FROM users WHERE id = $1", row["id"]))[0]["wealth"] == 100
    assert await fetch("SELECT 1 FROM game_events WHERE source_key = 'k-di'") == []
