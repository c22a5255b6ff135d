"""Balance changes: always a conditional UPDATE plus a ledger row, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from game.levels import Progress, progress
from game.rules import Rules


class InsufficientFunds(Exception):
    """The conditional debit matched no row: the balance would have gone negative."""


@dataclass(frozen=True)
class Balance:
    wealth: int
    xp: int
    progress: Progress


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
    rows = await conn.execute_query_dict(
        "UPDATE users SET wealth = wealth + $2, xp = xp + $3,"
        " lifetime_wealth_earned = lifetime_wealth_earned + GREATEST($2, 0),"
        " updated_at = now()"
        " WHERE id = $1 AND wealth + $2 >= 0 RETURNING wealth, xp, level",
        [user_id, wealth_delta, xp_delta],
    )
    if not rows:
        raise InsufficientFunds(user_id)
    wealth, xp, level = rows[0]["wealth"], rows[0]["xp"], rows[0]["level"]
    await conn.execute_query(
        "INSERT INTO game_events (user_id, event_type, wealth_delta, xp_delta, description,"
        " source_key) VALUES ($1, $2, $3, $4, $5, $6)",
        [user_id, event_type, wealth_delta, xp_delta, description[:2000], source_key],
    )
    prog = progress(xp - xp_delta, xp, rules)
    if prog.level_after != level:
        await conn.execute_query(
            "UPDATE users SET level = $2, status_tier = $3 WHERE id = $1",
            [user_id, prog.level_after, prog.tier_after.title],
        )
    return Balance(wealth, xp, prog)
