"""Scheduled work, once per due time per community (DESIGN.md "Timers").

A job's due times are fixed slots: ``anchor + k × every`` (midnight UTC, so 6 h means 00, 06,
12 and 18 UTC, 3 h every three hours from 00:00, a day 00:00 UTC). Each arq tick asks for the
**latest** slot at or before now and runs it for every community that has no ``cron_runs``
row for (job, slot). The row is the claim: inserted in the transaction that does the
community's work, so the claim commits with the work or not at all. A second worker ticking
at the same moment waits on the claim's unique key and finds it taken; a community whose work
failed has no row and is tried again on the next tick. A slot missed while no worker ran is
simply the latest slot without a row: it runs once when workers are back, never once per
missed slot.

A bug in one community's work is logged with the community id and costs only that community
(this tick); an outage (``kingpin.faults.is_transient``) stops the run, since every other
community would fail the same way, and the next tick tries again.

Replies a run queues (notices to players) go to the outbox after its transaction commits:
a worker dying between the commit and the push loses them (the effects stay), which is
preferred to telling a player twice about something that did not happen.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from game.replies import Reply
from jobs.context import AppContext
from jobs.players import db
from kingpin.faults import is_transient
from kingpin.outbox import push_replies
from models.communities import Community
from models.economy import CronRun

log = logging.getLogger(__name__)

# a midnight UTC: slots of any interval that divides a day fall at the same times every day
ANCHOR = datetime(1970, 1, 1, tzinfo=UTC)
# cron_runs rows older than this are pruned by the community's next run of the same job
RETENTION = timedelta(days=7)


def latest_due(now: datetime, every: timedelta, anchor: datetime = ANCHOR) -> datetime:
    """The most recent due time at or before ``now``: ``anchor + k × every``."""
    if every <= timedelta(0):
        raise ValueError("a schedule's interval is positive")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return anchor + ((now - anchor) // every) * every


def next_due(now: datetime, every: timedelta, anchor: datetime = ANCHOR) -> datetime:
    """The first due time after ``now`` (the next 00:00 UTC for a day)."""
    return latest_due(now, every, anchor) + every


def day_start(moment: datetime) -> datetime:
    """00:00 UTC of ``moment``'s day."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


async def due_communities(conn: BaseDBAsyncClient, job: str, due_at: datetime) -> list[int]:
    """Communities without a ``cron_runs`` row for ``job`` at ``due_at`` (one anti-join over
    the unique key), in id order."""
    done = CronRun.filter(job=job, due_at=due_at).values("community_id")
    rows = await Community.exclude(id__in=Subquery(done)).using_db(conn).order_by(
        "id").values("id")
    return [int(r["id"]) for r in rows]


async def claim_run(conn: BaseDBAsyncClient, community: int, job: str, due_at: datetime,
                    ran_at: datetime | None = None) -> bool:
    """Claim (community, job, due_at) inside the caller's transaction: True for the one
    transaction that inserts the row. A concurrent claimer waits for that transaction and
    gets False once it commits (or the claim if it rolls back)."""
    # ON CONFLICT DO NOTHING RETURNING: the one statement that claims without an error (an
    # IntegrityError would abort the caller's transaction)
    rows = await conn.execute_query_dict(
        "INSERT INTO cron_runs (community_id, job, due_at, ran_at, result)"
        " VALUES ($1, $2, $3, $4, '{}'::jsonb)"
        " ON CONFLICT (community_id, job, due_at) DO NOTHING RETURNING id",
        [community, job, due_at, ran_at or datetime.now(UTC)],
    )
    return bool(rows)


@dataclass
class RunResult:
    """What one community's run did: counts (stored in its ``cron_runs`` row and summed in
    the job's result) and replies to push once it has committed."""

    counts: dict[str, int] = field(default_factory=dict)
    replies: list[Reply] = field(default_factory=list)


Work = Callable[[AppContext, BaseDBAsyncClient, int, datetime], Awaitable[RunResult]]


async def run_due(app: AppContext, job: str, every: timedelta, work: Work,
                  anchor: datetime = ANCHOR) -> dict[str, int]:
    """Run ``work(app, conn, community, due_at)`` for each community due for ``job``'s latest
    due time (slots ``anchor + k × every``: a weekly job anchors on a Sunday), one transaction
    per community (claim + work). Returns the summed counts with ``communities`` (runs done)
    and ``failed``."""
    now = app.clock()
    due_at = latest_due(now, every, anchor)
    totals: dict[str, int] = {"communities": 0, "failed": 0}
    for community in await due_communities(db(), job, due_at):
        try:
            result = await _run_one(app, job, work, community, due_at, now)
        except Exception as exc:
            if is_transient(exc):
                raise  # an outage: every community would fail alike; the next tick retries
            log.exception("cron %s for community %s at %s failed; retried next tick",
                          job, community, due_at.isoformat())
            totals["failed"] += 1
            continue
        if result is None:  # another worker ran it
            continue
        totals["communities"] += 1
        for key, value in result.counts.items():
            totals[key] = totals.get(key, 0) + value
        await push_after_commit(app, result.replies, f"cron {job} for community {community}")
    if totals["communities"] or totals["failed"]:
        log.info("cron %s at %s: %s", job, due_at.isoformat(), totals)
    return totals


async def _run_one(app: AppContext, job: str, work: Work, community: int, due_at: datetime,
                   now: datetime) -> RunResult | None:
    async with in_transaction("default") as conn:
        if not await claim_run(conn, community, job, due_at, now):
            return None
        result = await work(app, conn, community, due_at)
        await CronRun.filter(community_id=community, job=job, due_at=due_at).using_db(
            conn).update(result=result.counts)
        await CronRun.filter(community_id=community, job=job,
                             due_at__lt=due_at - RETENTION).using_db(conn).delete()
    return result


async def push_after_commit(app: AppContext, replies: list[Reply], what: str) -> None:
    """Queue replies of committed work; a failure here loses the notices, not the work."""
    if not replies:
        return
    try:
        await push_replies(app.redis, app.keys, replies, app.settings.outbox_max_len)
    except Exception:
        log.exception("%s: committed, but %d notices could not be queued", what, len(replies))
