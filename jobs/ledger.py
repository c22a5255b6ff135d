"""Balance changes: always a conditional UPDATE plus a ledger row, in the caller's transaction.

The ledger and cooldown rows take the player's community from the player's row.

One statement does it all (a CTE): the debit-or-credit with its ``wealth + delta >= 0``
guard, the ``game_events`` row, optional counter increments and cooldowns. Fewer round trips
is most of what makes commands fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from game.levels import Progress, progress
from game.rules import Rules

# users columns a command may bump alongside a balance change
COUNTERS = ("total_play_count", "wins", "losses", "rob_count", "rob_success_count")


class InsufficientFunds(Exception):
    """The conditional debit matched no row: the balance would have gone negative."""


@dataclass(frozen=True)
class Balance:
    wealth: int
    xp: int
    progress: Progress


@dataclass(frozen=True)
class Change:
    """What one command does to one player, written in a single statement."""

    wealth: int = 0
    xp: int = 0
    event_type: str = ""
    description: str = ""
    counters: dict[str, int] = field(default_factory=dict)
    # (command, target, expires_at)
    cooldowns: tuple[tuple[str, str, datetime], ...] = ()


def _sql(change: Change) -> str:
    bumps = "".join(f", {c} = {c} + ${7 + i}" for i, c in enumerate(COUNTERS))
    return (
        "WITH u AS (UPDATE users SET wealth = wealth + $2, xp = xp + $3,"
        " lifetime_wealth_earned = lifetime_wealth_earned + GREATEST($2, 0),"
        f" updated_at = now(){bumps}"
        " WHERE id = $1 AND wealth + $2 >= 0 RETURNING id, community_id, wealth, xp, level),"
        " ledger AS (INSERT INTO game_events (community_id, user_id, event_type, wealth_delta,"
        " xp_delta, description, source_key) SELECT community_id, id, $4, $2, $3, $5, $6"
        " FROM u WHERE $2 <> 0 OR $3 <> 0),"
        " cd AS (INSERT INTO cooldowns (community_id, user_id, command_type, target_identifier,"
        " expires_at) SELECT u.community_id, u.id, c.cmd, c.target, c.expires FROM u,"
        f" unnest(${7 + len(COUNTERS)}::text[],"
        f" ${8 + len(COUNTERS)}::text[], ${9 + len(COUNTERS)}::timestamptz[])"
        " AS c(cmd, target, expires)"
        " ON CONFLICT (community_id, user_id, command_type, target_identifier)"
        " DO UPDATE SET expires_at = EXCLUDED.expires_at)"
        " SELECT wealth, xp, level FROM u"
    )


_SQL = _sql(Change())


async def apply_change(
    conn: BaseDBAsyncClient, user_id: int, change: Change, source_key: str | None, rules: Rules,
) -> Balance:
    """Apply ``change`` to a player; raises InsufficientFunds instead of going negative."""
    unknown = set(change.counters) - set(COUNTERS)
    if unknown:
        raise ValueError(f"not a counter: {sorted(unknown)}")
    rows = await conn.execute_query_dict(_SQL, [
        user_id, change.wealth, change.xp, change.event_type, change.description[:2000],
        source_key, *(change.counters.get(c, 0) for c in COUNTERS),
        [c[0] for c in change.cooldowns], [c[1] for c in change.cooldowns],
        [c[2] for c in change.cooldowns],
    ])
    if not rows:
        raise InsufficientFunds(user_id)
    wealth, xp, level = rows[0]["wealth"], rows[0]["xp"], rows[0]["level"]
    prog = progress(xp - change.xp, xp, rules)
    if prog.level_after != level:
        await conn.execute_query(
            "UPDATE users SET level = $2, status_tier = $3 WHERE id = $1",
            [user_id, prog.level_after, prog.tier_after.title],
        )
    return Balance(wealth, xp, prog)


async def apply_delta(
    conn: BaseDBAsyncClient,
    user_id: int,
    wealth_delta: int,
    xp_delta: int,
    event_type: str,
    description: str,
    source_key: str | None,
    rules: Rules,
) -> Balance:
    """Add (or conditionally subtract) wealth and XP and write the ledger row."""
    return await apply_change(
        conn, user_id, Change(wealth_delta, xp_delta, event_type, description), source_key, rules
    )
