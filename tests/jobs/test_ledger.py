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
