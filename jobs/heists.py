"""Heists (GAME.md "Heists (timed, cross-platform)"): scheduled per community while its
session runs, started and resolved by the heist tick."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient

from game.rules import Rules
from jobs.turn import Turn


async def schedule_first(conn: BaseDBAsyncClient, community: int, session: int,
                         now: datetime, rules: Rules) -> None:
    """A new session's first heist comes ``heist.first_delay_s`` after it starts."""
    await conn.execute_query(
        "INSERT INTO heist_schedule (community_id, session_id, next_at, updated_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (community_id) DO UPDATE"
        " SET session_id = EXCLUDED.session_id, next_at = EXCLUDED.next_at,"
        " updated_at = EXCLUDED.updated_at",
        [community, session, now + timedelta(seconds=rules.heist_first_delay_s), now])


async def unschedule(conn: BaseDBAsyncClient, community: int) -> None:
    """The session ended: no next heist (one running finishes at its time limit)."""
    await conn.execute_query(
        "UPDATE heist_schedule SET next_at = NULL, session_id = NULL WHERE community_id = $1",
        [community])


async def heist_start(turn: Turn, conn: BaseDBAsyncClient) -> None:
    turn.say("heists are not ready yet")
