"""The projector: progress as a projection of the ledger (DESIGN.md).

A cron reads new ``game_events`` rows in bulk, in commit order and exactly once, and updates
every progress table: the per-period counters (``leaderboard_snapshots``) here, then each
feature's hook (``hooks()``: factions, missions, the hall of fame, achievements), which
evaluates completions and unlocks and queues their announcements.

Exactly once, in commit order: every ledger row carries its transaction's id (``xid``, an
``xid8`` defaulting to ``pg_current_xact_id()``). Transactions whose id is below
``pg_snapshot_xmin(pg_current_snapshot())`` have all ended, so the rows below it are final;
the projector takes them in ``(xid, id)`` order past its watermark and stores the new
watermark in the transaction that writes their projection. A transaction that commits late
holds the horizon back instead of being skipped; a projector killed mid-batch rolls back and
the next run projects the same rows. One projector runs at a time (a transaction-scoped
advisory lock: a second worker's tick finds it taken and returns).

Chat counts come through the same stream: the activity flush writes one ``chat`` row per
player it flushes, with the messages counted (jobs/activity.py).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from game.replies import Reply
from game.stats import PERIOD_START_SQL, PERIODS, STATS, Entry, credits, period_start
from jobs.context import AppContext, app_from
from jobs.pacing import pause_after
from kingpin.outbox import push_replies

log = logging.getLogger(__name__)

WATERMARK = "main"
# small batches, paced (jobs/pacing.py): projecting 5,000 rows at once held up the commands
# beside it by 300-500 ms (benchmarks/load.py's latency phase)
BATCH_ROWS = 250
# one tick keeps projecting batches for at most this long (the cron runs every 2 s)
TICK_BUDGET_S = 1.8
# a batch whose oldest row waited longer than this is not followed by a pause: the lag stays
# a few seconds under any load (the progression issue: under 10 s), paced only when close
CATCH_UP_AFTER_S = 3.0
# pg_try_advisory_xact_lock's key: one projector at a time per database
LOCK_KEY = 0x6B70_7072  # "kppr"


@dataclass(frozen=True)
class Credit:
    """What one ledger row adds to one player's counters, on the row's day."""

    community_id: int
    user_id: int
    at: datetime
    stats: dict[str, int]

    @property
    def day(self) -> date:
        return self.at.astimezone(UTC).date()


@dataclass
class Batch:
    """One projector run's rows, what they credit, and what the hooks want said after the
    commit (``replies``: chat lines and feed cards)."""

    entries: list[Entry]
    credits: list[Credit]
    now: datetime
    replies: list[Reply] = field(default_factory=list)

    def users(self) -> set[tuple[int, int]]:
        """(community, player) of everyone a row credits."""
        return {(c.community_id, c.user_id) for c in self.credits}


Hook = Callable[[BaseDBAsyncClient, AppContext, Batch], Awaitable[None]]


def credits_of(entries: Iterable[Entry], communities: dict[int, int] | None = None
               ) -> list[Credit]:
    """Every entry's credits (game/stats.credits). A credited player other than the row's
    (a rob's target) is in the row's community."""
    out: list[Credit] = []
    for e in entries:
        for user_id, stats in credits(e):
            out.append(Credit(e.community_id, user_id, e.created_at, stats))
    return out


def _entry(row: dict[str, Any]) -> Entry:
    detail = row["detail"]
    if isinstance(detail, str):
        detail = json.loads(detail)
    return Entry(id=int(row["id"]), community_id=int(row["community_id"]),
                 user_id=int(row["user_id"]), event_type=row["event_type"],
                 wealth=int(row["wealth_delta"]), xp=int(row["xp_delta"]),
                 created_at=row["created_at"], detail=detail or {})


_COLUMNS = "id, community_id, user_id, event_type, wealth_delta, xp_delta, detail, created_at"

# rows past the watermark whose transactions have all ended, in commit-safe order
# (the text of the xid has a name of its own: ``ORDER BY xid`` would sort by an output
# column named xid, as text, where "1000" comes before "999" and the watermark went back)
_FETCH = (
    f"SELECT {_COLUMNS}, xid::text AS xid_text,"
    " EXTRACT(EPOCH FROM clock_timestamp() - created_at) AS waited FROM game_events"
    " WHERE (xid, id) > ($1::text::xid8, $2)"
    " AND xid < pg_snapshot_xmin(pg_current_snapshot())"
    " ORDER BY game_events.xid, game_events.id LIMIT $3"
)

# a game_events row ``g`` the watermark ``p`` (LEFT JOINed: none before the first run) has
# not passed
_PAST_MARK = ("(p.name IS NULL OR (g.xid, g.id) > (p.last_xid::text::xid8, p.last_id))")

# one row per ledger credit (player, day, counters); PostgreSQL spreads each over the
# periods holding its day and sums them per key, in key order (Python did the spreading: it
# cost the worker five rows per credit to build and encode)
_SNAPSHOT_UPSERT = (
    "INSERT INTO leaderboard_snapshots (community_id, user_id, period, period_start, "
    + ", ".join(STATS) + ", faction_points, updated_at)"
    " SELECT d.c, d.u, p.period, p.start, " + ", ".join(f"sum(d.{s})" for s in STATS)
    + ", 0, now() FROM unnest($1::bigint[], $2::bigint[], $3::date[], "
    + ", ".join(f"${4 + i}::bigint[]" for i in range(len(STATS)))
    + ") AS d(c, u, day, " + ", ".join(STATS) + ") CROSS JOIN LATERAL (VALUES "
    + ", ".join(f"('{p}', ({PERIOD_START_SQL[p].format(day='d.day')})::date)"
                for p in PERIODS)
    + ") AS p(period, start) GROUP BY d.c, p.period, p.start, d.u"
    " ORDER BY d.c, p.period, p.start, d.u"
    " ON CONFLICT (community_id, period, period_start, user_id) DO UPDATE SET "
    + ", ".join(f"{s} = leaderboard_snapshots.{s} + EXCLUDED.{s}" for s in STATS)
    + ", updated_at = now()"
)


async def snapshots(conn: BaseDBAsyncClient, app: AppContext, batch: Batch) -> None:
    """The per-period counters: one upsert for the whole batch."""
    if not batch.credits:
        return
    cs = batch.credits
    cols: list[list[Any]] = [[c.community_id for c in cs], [c.user_id for c in cs],
                             [c.day for c in cs]]
    cols += [[c.stats.get(s, 0) for c in cs] for s in STATS]
    await conn.execute_query(_SNAPSHOT_UPSERT, cols)


def hooks() -> list[Hook]:
    """The projection, in order: the counters, then each feature's hook, which sees the
    counters of this batch already updated. (Imported here: the features import this
    module's types.)"""
    from jobs import achievements, factions, leaderboards, missions

    # achievements last: their rewards lock players' rows, held until the commit
    return [snapshots, factions.project, missions.project, leaderboards.project,
            achievements.project]


async def project_once(app: AppContext, limit: int = BATCH_ROWS) -> int:
    """Project the next batch of final ledger rows; how many (0: none, or another worker is
    projecting)."""
    return (await _project_batch(app, limit))[0]


async def _project_batch(app: AppContext, limit: int) -> tuple[int, float]:
    """``project_once``, with how long the batch's oldest row had waited (seconds)."""
    replies: list[Reply] = []
    async with in_transaction() as tx:
        got = await tx.execute_query_dict(
            "SELECT pg_try_advisory_xact_lock($1) AS ok", [LOCK_KEY])
        if not got[0]["ok"]:
            return 0, 0.0
        mark = await tx.execute_query_dict(
            "SELECT last_xid, last_id FROM projector_state WHERE name = $1", [WATERMARK])
        if not mark:
            await tx.execute_query(
                "INSERT INTO projector_state (name, last_xid, last_id, rows_projected,"
                " updated_at) VALUES ($1, 0, 0, 0, now()) ON CONFLICT DO NOTHING",
                [WATERMARK])
            last_xid, last_id = 0, 0
        else:
            last_xid, last_id = int(mark[0]["last_xid"]), int(mark[0]["last_id"])
        rows = await tx.execute_query_dict(_FETCH, [str(last_xid), last_id, limit])
        if not rows:
            return 0, 0.0
        waited = float(rows[0]["waited"])
        entries = [_entry(r) for r in rows]
        batch = Batch(entries, credits_of(entries), app.clock())
        for hook in hooks():
            await hook(tx, app, batch)
        await tx.execute_query(
            "UPDATE projector_state SET last_xid = $2, last_id = $3,"
            " rows_projected = rows_projected + $4, updated_at = now() WHERE name = $1",
            [WATERMARK, int(rows[-1]["xid_text"]), int(rows[-1]["id"]), len(rows)])
        replies = batch.replies
    if replies:
        await push_replies(app.redis, app.keys, replies, app.settings.outbox_max_len)
    return len(rows), waited


async def project(ctx: dict[str, Any]) -> dict[str, int]:
    """The cron: batches until caught up or the tick's budget is spent."""
    app = app_from(ctx)
    started, total = time.monotonic(), 0
    while time.monotonic() - started < TICK_BUDGET_S:
        began = time.monotonic()
        n, waited = await _project_batch(app, BATCH_ROWS)
        total += n
        if n < BATCH_ROWS:
            break
        if waited < CATCH_UP_AFTER_S:  # further behind: full speed until caught up
            await pause_after(began)
    return {"projected": total}


async def lag(conn: BaseDBAsyncClient) -> dict[str, Any]:
    """How far behind the projector is: rows past the watermark and the oldest one's age."""
    rows = await conn.execute_query_dict(
        "SELECT count(*) AS n, min(created_at) AS oldest FROM game_events g"
        f" LEFT JOIN projector_state p ON p.name = $1 WHERE {_PAST_MARK}", [WATERMARK])
    return rows[0]


async def oldest_unprojected(conn: BaseDBAsyncClient, community: int | None = None
                             ) -> datetime | None:
    """When the oldest ledger row the projector has not projected yet was written (of one
    community, or of all): the crons that read the projection wait until it is past their
    due time."""
    rows = await conn.execute_query_dict(
        "SELECT min(g.created_at) AS oldest FROM game_events g"
        f" LEFT JOIN projector_state p ON p.name = $1 WHERE {_PAST_MARK}"
        " AND ($2::bigint IS NULL OR g.community_id = $2)", [WATERMARK, community])
    return rows[0]["oldest"] if rows else None


async def unprojected(conn: BaseDBAsyncClient, community_id: int, user_id: int,
                      since: datetime) -> list[Entry]:
    """The player's ledger rows since ``since`` that the projector has not projected yet
    (committed ones, as this transaction sees them): a claim adds their credits to the
    projection's counters. Rows of a failed rob crediting this player as its target are
    included (they count a defense)."""
    rows = await conn.execute_query_dict(
        f"SELECT {_COLUMNS.replace('id,', 'g.id,', 1)} FROM game_events g"
        " LEFT JOIN projector_state p ON p.name = $1 WHERE g.community_id = $2"
        " AND (g.user_id = $3 OR (g.event_type = 'rob' AND g.detail->>'target' = $5))"
        f" AND g.created_at >= $4 AND {_PAST_MARK}"
        " ORDER BY g.id", [WATERMARK, community_id, user_id, since, str(user_id)])
    return [_entry(r) for r in rows]


def unprojected_counts(entries: Iterable[Entry], community_id: int, user_id: int,
                       period: str, start: date) -> dict[str, int]:
    """The counters ``entries`` add to the player's row of ``period`` starting ``start``."""
    out = dict.fromkeys(STATS, 0)
    for c in credits_of(entries):
        if (c.community_id, c.user_id) != (community_id, user_id):
            continue
        if period_start(period, c.day) != start:
            continue
        for k, v in c.stats.items():
            out[k] += v
    return out


__all__ = ["PERIODS", "Batch", "Credit", "Hook", "lag", "oldest_unprojected", "project",
           "project_once", "unprojected", "unprojected_counts"]
