"""Balance changes: always a conditional UPDATE plus a ledger row, in the caller's transaction.

The ledger and cooldown rows take the player's community from the player's row.

One statement does it all (a CTE): the debit-or-credit with its ``wealth + delta >= 0``
guard, the ``game_events`` row, optional counter increments and cooldowns. Fewer round trips
is most of what makes commands fast.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from tortoise.backends.base.client import BaseDBAsyncClient

from game.levels import Progress, progress
from game.rules import Rules
from kingpin.db import Deferred

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
    # what the projector needs beyond the deltas (game/stats.credits reads it)
    detail: Mapping[str, Any] | None = None


# a gambling payout that beat its stake (game/stats counts it as a win)
WIN: Mapping[str, Any] = {"win": True}


def win_if(won: bool) -> Mapping[str, Any] | None:
    return WIN if won else None


def detail_json(detail: Mapping[str, Any] | None) -> str | None:
    return json.dumps(detail, separators=(",", ":")) if detail else None


def _sql(change: Change) -> str:
    n = 8  # the first counter's parameter
    bumps = "".join(f", {c} = {c} + ${n + i}" for i, c in enumerate(COUNTERS))
    return (
        "WITH u AS (UPDATE users SET wealth = wealth + $2, xp = xp + $3,"
        " lifetime_wealth_earned = lifetime_wealth_earned + GREATEST($2, 0),"
        f" updated_at = now(){bumps}"
        " WHERE id = $1 AND wealth + $2 >= 0 RETURNING id, community_id, wealth, xp, level),"
        " ledger AS (INSERT INTO game_events (community_id, user_id, event_type, wealth_delta,"
        " xp_delta, description, source_key, detail)"
        " SELECT community_id, id, $4, $2, $3, $5, $6, $7::jsonb FROM u),"
        " cd AS (INSERT INTO cooldowns (community_id, user_id, command_type, target_identifier,"
        " expires_at) SELECT u.community_id, u.id, c.cmd, c.target, c.expires FROM u,"
        f" unnest(${n + len(COUNTERS)}::text[],"
        f" ${n + 1 + len(COUNTERS)}::text[], ${n + 2 + len(COUNTERS)}::timestamptz[])"
        " AS c(cmd, target, expires)"
        " ON CONFLICT (community_id, user_id, command_type, target_identifier)"
        " DO UPDATE SET expires_at = EXCLUDED.expires_at)"
        " SELECT wealth, xp, level FROM u"
    )


_SQL = _sql(Change())

# The same write sent with the COMMIT (``apply_change_with_commit``): nothing reads its result,
# and a change that matched no row divides by zero, so nothing of the command commits.
_WITH_COMMIT = Deferred(
    "kp_change",
    "bigint, bigint, bigint, text, text, text, text, "
    + ", ".join("bigint" for _ in COUNTERS) + ", text[], text[], timestamptz[]",
    _SQL.replace(" SELECT wealth, xp, level FROM u", " SELECT 1 / (SELECT count(*) FROM u)::int"),
)
_LEVEL = Deferred("kp_level", "bigint, int, text",
                  "UPDATE users SET level = $2, status_tier = $3 WHERE id = $1")


class Locked(Protocol):
    """A player row the caller has locked and read in this transaction (jobs/state.UserRow)."""

    @property
    def id(self) -> int: ...
    @property
    def wealth(self) -> int: ...
    @property
    def xp(self) -> int: ...
    @property
    def level(self) -> int: ...


async def apply_change_with_commit(conn: BaseDBAsyncClient, before: Locked, change: Change,
                                   source_key: str | None, rules: Rules) -> Balance:
    """``apply_change`` for a player locked and read by the caller, with nothing changing the
    row in between: the balance is the row read plus the change, and the write goes with the
    COMMIT when the transaction can carry it (kingpin/db.OneTripTransaction), so ``!play``
    and ``!rob`` pay no round trip for it (``python -m benchmarks.load``)."""
    from kingpin.db import OneTripTransaction

    if not isinstance(conn, OneTripTransaction):
        return await apply_change(conn, before.id, change, source_key, rules)
    params = _params(before.id, change, source_key)
    wealth, xp = before.wealth + change.wealth, before.xp + change.xp
    if wealth < 0:
        raise InsufficientFunds(before.id)
    conn.defer_call(_WITH_COMMIT, params)
    prog = progress(before.xp, xp, rules)
    if prog.level_after != before.level:
        conn.defer_call(_LEVEL, [before.id, prog.level_after, prog.tier_after.title])
    return Balance(wealth, xp, prog)


def _params(user_id: int, change: Change, source_key: str | None) -> list[object]:
    unknown = set(change.counters) - set(COUNTERS)
    if unknown:
        raise ValueError(f"not a counter: {sorted(unknown)}")
    return [
        user_id, change.wealth, change.xp, change.event_type, change.description[:2000],
        source_key, detail_json(change.detail), *(change.counters.get(c, 0) for c in COUNTERS),
        [c[0] for c in change.cooldowns], [c[1] for c in change.cooldowns],
        [c[2] for c in change.cooldowns],
    ]


async def apply_change(
    conn: BaseDBAsyncClient, user_id: int, change: Change, source_key: str | None, rules: Rules,
) -> Balance:
    """Apply ``change`` to a player; raises InsufficientFunds instead of going negative."""
    rows = await conn.execute_query_dict(_SQL, _params(user_id, change, source_key))
    if not rows:
        raise InsufficientFunds(user_id)
    wealth, xp, level = rows[0]["wealth"], rows[0]["xp"], rows[0]["level"]
    prog = progress(xp - change.xp, xp, rules)
    if prog.level_after != level:
        await conn.execute_query(_LEVEL.sql, [user_id, prog.level_after, prog.tier_after.title])
    return Balance(wealth, xp, prog)


# A debit whose result nothing reads (the victim of a rob): a plain UPDATE and its ledger row,
# small enough to travel inlined with the COMMIT (``python -m benchmarks.inprocess commands``:
# one round trip less per successful rob; the full CTE above costs more to parse than that).
# The caller holds the player's row lock and has checked the balance covers it.
_DEBIT = Deferred(
    "kp_debit", "bigint, bigint, text, text, text",
    "WITH u AS (UPDATE users SET wealth = wealth - $2, updated_at = now()"
    " WHERE id = $1 AND wealth >= $2 RETURNING community_id, id),"
    " g AS (INSERT INTO game_events (community_id, user_id, event_type, wealth_delta,"
    " xp_delta, description, source_key) SELECT community_id, id, $3, -$2::bigint, 0, $4, $5"
    " FROM u RETURNING 1)"
    # no row debited (the caller's check was wrong): fail, and nothing of the command commits
    " SELECT 1 / (SELECT count(*) FROM g)::int"
)


async def debit_with_commit(conn: BaseDBAsyncClient, user_id: int, amount: int,
                            event_type: str, description: str, source_key: str | None,
                            rules: Rules) -> None:
    """``apply_delta(-amount)`` for a locked player whose balance covers it, sent with the
    COMMIT when the transaction can carry it (kingpin/db.OneTripTransaction)."""
    from kingpin.db import OneTripTransaction

    if amount <= 0:
        raise ValueError("a debit is positive")
    if isinstance(conn, OneTripTransaction):
        conn.defer_call(_DEBIT, [user_id, amount, event_type, description[:2000],
                                 source_key])
    else:
        await apply_delta(conn, user_id, -amount, 0, event_type, description, source_key,
                          rules)


async def apply_delta(
    conn: BaseDBAsyncClient,
    user_id: int,
    wealth_delta: int,
    xp_delta: int,
    event_type: str,
    description: str,
    source_key: str | None,
    rules: Rules,
    detail: Mapping[str, Any] | None = None,
) -> Balance:
    """Add (or conditionally subtract) wealth and XP and write the ledger row (a row even
    when both are 0: every game action is one, DESIGN.md)."""
    return await apply_change(
        conn, user_id, Change(wealth_delta, xp_delta, event_type, description, detail=detail),
        source_key, rules,
    )


async def record_event(conn: BaseDBAsyncClient, community: int, user_id: int, event_type: str,
                       description: str, source_key: str | None,
                       detail: Mapping[str, Any] | None = None) -> None:
    """A game action that moves no money (a contribution counted, a heist won, an item
    stolen): its ledger row alone, for the projector. No balance changes, no row lock."""
    await conn.execute_query(
        "INSERT INTO game_events (community_id, user_id, event_type, wealth_delta, xp_delta,"
        " description, source_key, detail) VALUES ($1, $2, $3, 0, 0, $4, $5, $6::jsonb)",
        [community, user_id, event_type, description[:2000], source_key, detail_json(detail)])


@dataclass(frozen=True)
class Grant:
    """A reward (wealth and XP, neither negative) for a player the caller has locked."""

    user_id: int
    wealth: int
    xp: int
    event_type: str
    description: str
    source_key: str | None
    detail: Mapping[str, Any] | None = None


# Rewards for many locked players in one statement: each player's balance once (the sum of
# their grants), a ledger row per grant. A cron paying hundreds of players at once holds their
# row locks for this one round trip instead of one per reward (``python -m benchmarks.load``:
# the projector's achievement rewards held commands up for seconds when paid one by one).
_GRANTS = (
    "WITH d AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[],"
    " $5::text[], $6::text[], $7::text[]) AS d(u, w, x, t, descr, src, det)),"
    " s AS (SELECT u, sum(w)::bigint AS w, sum(x)::bigint AS x FROM d GROUP BY u),"
    " upd AS (UPDATE users SET wealth = users.wealth + s.w, xp = users.xp + s.x,"
    " lifetime_wealth_earned = users.lifetime_wealth_earned + s.w, updated_at = now()"
    " FROM s WHERE users.id = s.u RETURNING users.id, users.community_id, users.xp,"
    " s.x AS dx, users.level),"
    " ins AS (INSERT INTO game_events (community_id, user_id, event_type, wealth_delta,"
    " xp_delta, description, source_key, detail) SELECT upd.community_id, d.u, d.t, d.w, d.x,"
    " d.descr, d.src, d.det::jsonb FROM d JOIN upd ON upd.id = d.u)"
    " SELECT id, community_id, xp, dx, level FROM upd"
)


async def grant_many(conn: BaseDBAsyncClient, grants: list[Grant],
                     rules_of: Mapping[int, Rules]) -> dict[int, Progress]:
    """Pay ``grants`` (players locked by the caller); each paid player's level progress
    (``rules_of``: the rules of each player's community)."""
    if not grants:
        return {}
    if any(g.wealth < 0 or g.xp < 0 for g in grants):
        raise ValueError("a grant is a reward: not negative")
    rows = await conn.execute_query_dict(_GRANTS, [
        [g.user_id for g in grants], [g.wealth for g in grants], [g.xp for g in grants],
        [g.event_type for g in grants], [g.description[:2000] for g in grants],
        [g.source_key for g in grants], [detail_json(g.detail) for g in grants]])
    out: dict[int, Progress] = {}
    moved: list[tuple[int, int, str]] = []
    for r in rows:
        rules = rules_of[int(r["community_id"])]
        prog = progress(int(r["xp"]) - int(r["dx"]), int(r["xp"]), rules)
        out[int(r["id"])] = prog
        if prog.level_after != r["level"]:
            moved.append((int(r["id"]), prog.level_after, prog.tier_after.title))
    if moved:
        await conn.execute_query(
            "UPDATE users u SET level = d.l, status_tier = d.t FROM unnest($1::bigint[],"
            " $2::int[], $3::text[]) AS d(id, l, t) WHERE u.id = d.id",
            [[m[0] for m in moved], [m[1] for m in moved], [m[2] for m in moved]])
    return out
