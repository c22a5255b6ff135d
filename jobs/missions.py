"""Missions (GAME.md "Missions"; rules in game/missions.py): ``!missions`` assigns a player's
daily and weekly missions on the first look of a period and shows their progress;
``!missions claim`` pays the finished ones once; the projector hook (``project``) keeps
``user_missions.progress`` and ``completed_at`` in step with the ledger and stores a
"mission_done" notification once per completion.

Progress is the projection's counter for the mission's period (``leaderboard_snapshots``,
the whole period from its start) plus the player's rows the projector has not reached yet
(DESIGN.md "Progress is a projection of the ledger").
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, cast

from tortoise.backends.base.client import BaseDBAsyncClient

from game.catalogue import ItemTier
from game.commands import USAGE
from game.errors import UsageError
from game.levels import progress as level_progress
from game.missions import (
    BONUS_KEY,
    MISSION_PERIODS,
    Ready,
    Shown,
    bonus_due,
    bonus_ready,
    claim_text,
    count_for,
    draw,
    draw_seed,
    missions_text,
    nothing_text,
    pay,
    period_bounds,
    reward,
    templates,
)
from game.replies import money
from game.rules import Rules, Tier
from game.stats import STATS, period_start
from jobs import state
from jobs.context import AppContext
from jobs.crates import crate_text, grant_crate
from jobs.ledger import apply_delta
from jobs.notifications import notify, progressed
from jobs.projector import Batch, unprojected, unprojected_counts
from jobs.turn import Turn

Counters = dict[str, dict[str, int]]  # period -> counter -> value


def current_starts(now: datetime) -> dict[str, date]:
    """The mission periods' starts at ``now`` (00:00 UTC; weeks from Sunday)."""
    day = now.date()
    return {p: period_start(p, day) for p in MISSION_PERIODS}


async def _snapshot(conn: BaseDBAsyncClient, community: int, user_id: int,
                    starts: Mapping[str, date]) -> Counters:
    rows = await conn.execute_query_dict(
        f"SELECT period, {', '.join(STATS)} FROM leaderboard_snapshots"
        " WHERE community_id = $1 AND user_id = $2 AND ((period = 'daily' AND period_start = $3)"
        " OR (period = 'weekly' AND period_start = $4))",
        [community, user_id, starts["daily"], starts["weekly"]])
    out: Counters = {p: dict.fromkeys(STATS, 0) for p in MISSION_PERIODS}
    for r in rows:
        out[r["period"]] = {s: int(r[s]) for s in STATS}
    return out


async def counters(conn: BaseDBAsyncClient, community: int, user_id: int,
                   starts: Mapping[str, date]) -> tuple[Counters, Counters]:
    """(the projection's counters, the projection plus the unprojected rows) per period."""
    projected = await _snapshot(conn, community, user_id, starts)
    since, _ = period_bounds("weekly", starts["weekly"])  # the week holds today
    entries = await unprojected(conn, community, user_id, since)
    live: Counters = {}
    for p in MISSION_PERIODS:
        extra = unprojected_counts(entries, community, user_id, p, starts[p])
        live[p] = {s: projected[p][s] + extra[s] for s in STATS}
    return projected, live


_ASSIGNED = (
    "SELECT m.period, m.target, t.key, t.difficulty, t.objective, t.description,"
    " c.id IS NOT NULL AS claimed FROM user_missions m"
    " JOIN mission_templates t ON t.key = m.template_id"
    " LEFT JOIN mission_completions c ON c.community_id = m.community_id"
    " AND c.user_id = m.user_id AND c.period = m.period AND c.period_start = m.period_start"
    " AND c.key = t.key"
    " WHERE m.community_id = $1 AND m.user_id = $2 AND ((m.period = 'daily'"
    " AND m.period_start = $3) OR (m.period = 'weekly' AND m.period_start = $4))"
    " ORDER BY m.id"
)

_ASSIGN = (
    "INSERT INTO user_missions (community_id, user_id, template_id, period, period_start,"
    " target, progress, assigned_at, completed_at)"
    " SELECT $1::bigint, $2::bigint, d.key, d.period, d.start, d.target, d.progress,"
    " $8::timestamptz,"
    " CASE WHEN d.progress >= d.target THEN $8::timestamptz END"
    " FROM unnest($3::text[], $4::text[], $5::date[], $6::int[], $7::bigint[])"
    " AS d(key, period, start, target, progress)"
    " ON CONFLICT (community_id, user_id, period, period_start, template_id) DO NOTHING"
)


async def assigned(conn: BaseDBAsyncClient, community: int, user_id: int,
                   starts: Mapping[str, date], projected: Counters, now: datetime
                   ) -> list[dict[str, Any]]:
    """The player's missions of the current periods, drawn on the first look of a period
    (the draw's seed is the player and the period: two first looks at once draw the same,
    and the unique key keeps one). A new mission starts at the projection's count."""
    rows = await conn.execute_query_dict(_ASSIGNED, [community, user_id, starts["daily"],
                                                     starts["weekly"]])
    missing = [p for p in MISSION_PERIODS if not any(r["period"] == p for r in rows)]
    if not missing:
        return rows
    drawn = [t for p in missing for t in draw(
        templates(), p, count_for(p), random.Random(draw_seed(community, user_id, p,
                                                                 starts[p])))]
    await conn.execute_query(_ASSIGN, [
        community, user_id, [t.key for t in drawn], [t.period for t in drawn],
        [starts[t.period] for t in drawn], [t.target for t in drawn],
        [projected[t.period][t.objective] for t in drawn], now])
    return await conn.execute_query_dict(_ASSIGNED, [community, user_id, starts["daily"],
                                                     starts["weekly"]])


def shown_of(rows: Iterable[Mapping[str, Any]], live: Counters, tier: Tier, rules: Rules
             ) -> list[Shown]:
    return [Shown(r["period"], r["description"], live[r["period"]][r["objective"]],
                  int(r["target"]), reward(r["difficulty"], tier, rules)[0], bool(r["claimed"]))
            for r in rows]


async def missions(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!missions`` shows them; ``!missions claim`` pays the finished ones."""
    args = [a.lower() for a in turn.cmd.args]
    if args == ["claim"]:
        await claim(turn, conn)
        return
    if args:
        raise UsageError(USAGE["missions"])
    user = await state.load_user(conn, turn.player.id)
    tier = turn.rules.tier_for_level(user.level)
    starts = current_starts(turn.now)
    projected, live = await counters(conn, turn.community, user.id, starts)
    rows = await assigned(conn, turn.community, user.id, starts, projected, turn.now)
    turn.say(missions_text(shown_of(rows, live, tier, turn.rules), turn.now, starts))


_PAID = (
    "SELECT coalesce(sum(wealth) FILTER (WHERE claimed_at >= $3), 0) AS day,"
    " coalesce(sum(wealth), 0) AS week FROM mission_completions"
    " WHERE community_id = $1 AND user_id = $2 AND claimed_at >= $4 AND claimed_at < $5"
)

_COMPLETE = (
    "INSERT INTO mission_completions (community_id, user_id, period, period_start, key,"
    " wealth, xp, crate, claimed_at)"
    " SELECT $1::bigint, $2::bigint, d.period, d.start, d.key, d.wealth, d.xp,"
    " nullif(d.crate, ''), $9::timestamptz"
    " FROM unnest($3::text[], $4::date[], $5::text[], $6::bigint[], $7::bigint[],"
    " $8::text[]) AS d(period, start, key, wealth, xp, crate)"
    " ON CONFLICT (community_id, user_id, period, period_start, key) DO NOTHING"
    " RETURNING period, key"
)


async def claim(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """Pay every finished, unclaimed mission of the current periods once, then each period's
    bonus when all its missions are done: a ``mission_completions`` row each (its unique key
    pays it once, with the player's row locked so two claims at once queue), a ledger row
    each (``mission`` / ``mission_bonus``), the weekly bonus's crate."""
    rules = turn.rules
    user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
    tier = rules.tier_for_level(user.level)
    starts = current_starts(turn.now)
    projected, live = await counters(conn, turn.community, user.id, starts)
    rows = await assigned(conn, turn.community, user.id, starts, projected, turn.now)
    shown = shown_of(rows, live, tier, rules)
    ready = [Ready(r["period"], r["key"], r["description"], *reward(r["difficulty"], tier, rules))
             for r, s in zip(rows, shown, strict=True) if s.done and not s.claimed]
    bonuses = {r["period"] for r in await conn.execute_query_dict(
        "SELECT period FROM mission_completions WHERE community_id = $1 AND user_id = $2"
        " AND key = $3 AND ((period = 'daily' AND period_start = $4) OR (period = 'weekly'"
        " AND period_start = $5))",
        [turn.community, user.id, BONUS_KEY, starts["daily"], starts["weekly"]])}
    for period in MISSION_PERIODS:
        mine = [s for s in shown if s.period == period]
        if bonus_due(len(mine), sum(s.done for s in mine), period in bonuses):
            ready.append(bonus_ready(period, rules))
    if not ready:
        turn.say(nothing_text(shown))
        return
    day_start, _ = period_bounds("daily", starts["daily"])
    week_start, week_end = period_bounds("weekly", starts["weekly"])
    paid = (await conn.execute_query_dict(_PAID, [turn.community, user.id, day_start,
                                                  week_start, week_end]))[0]
    payouts = pay(ready, int(paid["day"]), int(paid["week"]), rules)
    stored = {(r["period"], r["key"]) for r in await conn.execute_query_dict(_COMPLETE, [
        turn.community, user.id, [p.ready.period for p in payouts],
        [starts[p.ready.period] for p in payouts], [p.ready.key for p in payouts],
        [p.wealth for p in payouts], [p.ready.xp for p in payouts],
        [p.ready.crate for p in payouts], turn.now])}
    payouts = [p for p in payouts if (p.ready.period, p.ready.key) in stored]
    if not payouts:  # another claim paid them first
        turn.say(nothing_text(shown))
        return
    xp_before = user.xp
    crates: dict[str, str] = {}
    for p in payouts:
        bonus = p.ready.key == BONUS_KEY
        detail: dict[str, Any] = {"period": p.ready.period, "key": p.ready.key}
        if p.dropped:
            detail["capped"] = p.dropped
        balance = await apply_delta(
            conn, user.id, p.wealth, p.ready.xp, "mission_bonus" if bonus else "mission",
            f"{p.ready.period} mission: {p.ready.description}", turn.source_key, rules,
            detail=detail)
        if p.ready.crate:
            placed = await grant_crate(conn, turn.community, user.id,
                                       cast(ItemTier, p.ready.crate), "missions",
                                       turn.now, rules, (turn.event.platform.value,
                                                         turn.event.channel))
            crates[p.ready.period] = crate_text(p.ready.crate, placed, rules)
    turn.say(f"{claim_text(payouts, crates, rules)} — now {money(balance.wealth)}")
    await progressed(turn, conn, user.id, turn.player.name,
                     level_progress(xp_before, balance.xp, rules))


# --- the projector hook --------------------------------------------------------------------

def _value_of() -> str:
    """The snapshot's counter a template's objective names, as SQL."""
    return ("CASE t.objective " + " ".join(f"WHEN '{s}' THEN s.{s}" for s in STATS)
            + " ELSE 0 END")


# The batch's players' missions of the periods the batch counted, set to the projection's
# counters; ``was`` (read before the update) says which ones this update completed.
_PROGRESS = (
    "UPDATE user_missions m SET progress = v.value, completed_at = CASE"
    " WHEN m.completed_at IS NULL AND v.value >= m.target THEN $5::timestamptz"
    " ELSE m.completed_at END"
    " FROM (SELECT m2.id, m2.completed_at AS was, t.description, "
    + _value_of() + " AS value FROM user_missions m2"
    " JOIN unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[]) AS b(c, u, period, start)"
    " ON m2.community_id = b.c AND m2.user_id = b.u AND m2.period = b.period"
    " AND m2.period_start = b.start"
    " JOIN mission_templates t ON t.key = m2.template_id"
    " JOIN leaderboard_snapshots s ON s.community_id = m2.community_id"
    " AND s.user_id = m2.user_id AND s.period = m2.period AND s.period_start = m2.period_start"
    " ) v"
    " WHERE m.id = v.id AND m.progress IS DISTINCT FROM v.value"
    " RETURNING m.community_id, m.user_id, m.period, v.description,"
    " (v.was IS NULL AND m.completed_at IS NOT NULL) AS done"
)


async def project(conn: BaseDBAsyncClient, app: AppContext, batch: Batch) -> None:
    """Projector hook: missions follow the counters the batch changed; a mission this
    batch completed is stored for the player's !inbox, once."""
    keys = sorted({(c.community_id, c.user_id, p, period_start(p, c.day))
                   for c in batch.credits for p in MISSION_PERIODS})
    if not keys:
        return
    rows = await conn.execute_query_dict(_PROGRESS, [
        [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
        [k[3] for k in keys], batch.now])
    notes = [(int(r["community_id"]), int(r["user_id"]), "mission_done",
              f"✅ {r['period']} mission done: {r['description']} — !missions claim")
             for r in rows if r["done"]]
    await notify(conn, batch.now, *notes)
