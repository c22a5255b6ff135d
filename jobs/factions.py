"""Factions and territories (GAME.md): the commands, the projector hook that scores, and the
daily evaluation and weekly rewards crons. The rules are game/factions.py.

* ``!factions``, ``!faction join <name>``, ``!faction leave``, ``!territories``: membership
  (``faction_members``) is written by the commands (it is not progress);
* ``project``: the projector hook (jobs/projector.hooks(), right after the counters): each
  credit's points go to ``territory_scores`` (the player's home territory, their faction, the
  credit's UTC day) and to the player's ``leaderboard_snapshots.faction_points`` rows;
* ``evaluate_territories`` (00:00 UTC, the day that ended) and ``pay_factions`` (Sunday
  00:00 UTC, the week that ended) run once per due time per community (jobs/schedule.py).
  The weekly run first does the daily evaluation of the same due time if it has not run
  yet (claiming it), so Saturday's changes are in before the week is paid. Both wait while
  the projector still has rows from before the due time to project.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from game import factions as rules_
from game.commands import USAGE
from game.errors import NotAllowed, UsageError
from game.matching import match_name
from game.replies import Card, CardField, Reply, money, plural
from game.stats import starts
from jobs import state
from jobs.broadcast import broadcast
from jobs.context import AppContext, app_from
from jobs.crates import CrateGrant, crate_text, grant_crates
from jobs.ledger import apply_delta, record_event
from jobs.notifications import notify
from jobs.players import db
from jobs.projector import Batch, oldest_unprojected
from jobs.schedule import RunResult, claim_run, latest_due, run_due
from jobs.turn import Turn

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
# weeks start on Sunday, UTC (game/stats.period_start): 1970-01-04 was a Sunday
SUNDAY = datetime(1970, 1, 4, tzinfo=UTC)
DAILY_JOB = "faction_daily"
WEEKLY_JOB = "faction_weekly"
FEED_TITLE = "Territory change"


def _content() -> rules_.Content:
    return rules_.content()


def _names() -> dict[str, str]:
    return {f.key: f.name for f in _content().factions}


async def ensure_territories(conn: BaseDBAsyncClient, community: int) -> None:
    """The community's territory rows (nobody holds them at first), created on first use."""
    await conn.execute_query(
        "INSERT INTO territories (community_id, key) SELECT $1, k FROM unnest($2::text[]) AS k"
        " ON CONFLICT (community_id, key) DO NOTHING",
        [community, [t.key for t in _content().territories]])


async def _holders(conn: BaseDBAsyncClient, community: int, lock: bool = False
                   ) -> dict[str, str | None]:
    await ensure_territories(conn, community)
    rows = await conn.execute_query_dict(
        "SELECT key, faction_id FROM territories WHERE community_id = $1 ORDER BY key"
        + (" FOR UPDATE" if lock else ""), [community])
    return {r["key"]: r["faction_id"] for r in rows}


async def _member(conn: BaseDBAsyncClient, community: int, user_id: int, lock: bool = False
                  ) -> dict[str, Any] | None:
    rows = await conn.execute_query_dict(
        "SELECT faction_id, territory_key, joined_at, left_at, captures FROM faction_members"
        " WHERE community_id = $1 AND user_id = $2" + (" FOR UPDATE" if lock else ""),
        [community, user_id])
    return rows[0] if rows else None


# --- commands ------------------------------------------------------------------------------


async def factions(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!factions``: the three, their members and territories held, and the asker's."""
    holders = await _holders(conn, turn.community)
    members = {r["faction_id"]: int(r["n"]) for r in await conn.execute_query_dict(
        "SELECT faction_id, count(*) AS n FROM faction_members WHERE community_id = $1"
        " AND faction_id IS NOT NULL GROUP BY faction_id", [turn.community])}
    held: dict[str, int] = defaultdict(int)
    for owner in holders.values():
        if owner:
            held[owner] += 1
    lines = [f"{f.name}: {plural(members.get(f.key, 0), 'member')}, "
             f"{plural(held[f.key], 'territory', 'territories')}"
             for f in _content().factions]
    me = await _member(conn, turn.community, turn.player.id)
    mine = (f"you're in {_names()[me['faction_id']]}" if me and me["faction_id"]
            else f"!faction join <name> (level {rules_.FACTION_RULES.join_level}+)")
    turn.say(f"🏴 {' | '.join(lines)} — {mine}",
             Card(title="🏴 factions", fields=tuple(
                 CardField(name=f.name, value=f"{members.get(f.key, 0)} members · "
                           f"{held[f.key]} territories")
                 for f in _content().factions)))


async def faction(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!faction join <name>`` / ``!faction leave``."""
    args = turn.cmd.args
    action = args[0].lower() if args else ""
    if action == "join" and len(args) > 1:
        await _join(turn, conn, " ".join(args[1:]))
    elif action == "leave" and len(args) == 1:
        await _leave(turn, conn)
    else:
        raise UsageError(USAGE["faction"])


async def _join(turn: Turn, conn: BaseDBAsyncClient, query: str) -> None:
    cat = _content()
    if len(query) > 60:
        raise UsageError(USAGE["faction"])
    key = match_name(query, ((f.key, f.name) for f in cat.factions), "faction",
                     hint="!factions lists them")
    user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
    me = await _member(conn, turn.community, user.id, lock=True)
    rules_.check_join(user.level, me["faction_id"] if me else None,
                      me["left_at"] if me else None, turn.now)
    counts = {r["territory_key"]: int(r["n"]) for r in await conn.execute_query_dict(
        "SELECT territory_key, count(*) AS n FROM faction_members WHERE community_id = $1"
        " AND faction_id = $2 GROUP BY territory_key", [turn.community, key])}
    home = rules_.home_territory(counts, cat.territories)
    await conn.execute_query(
        "INSERT INTO faction_members (community_id, user_id, faction_id, territory_key,"
        " joined_at, captures) VALUES ($1, $2, $3, $4, $5, 0)"
        " ON CONFLICT (community_id, user_id) DO UPDATE SET faction_id = EXCLUDED.faction_id,"
        " territory_key = EXCLUDED.territory_key, joined_at = EXCLUDED.joined_at",
        [turn.community, user.id, key, home, turn.now])
    # the ledger row the projector (achievements: "faction joined") counts
    await record_event(conn, turn.community, user.id, "faction_join", f"joined {key}",
                       turn.source_key, {"faction": key, "territory": home})
    turn.say(f"🏴 welcome to {cat.faction(key).name} — you fight for "
             f"{cat.territory(home).name}: messages, plays, robs, check-ins and missions "
             "score there (!territories)")


async def _leave(turn: Turn, conn: BaseDBAsyncClient) -> None:
    await state.lock_users(conn, turn.player.id)
    me = await _member(conn, turn.community, turn.player.id, lock=True)
    if not me or not me["faction_id"]:
        raise NotAllowed("you're not in a faction")
    await conn.execute_query(
        "UPDATE faction_members SET faction_id = NULL, territory_key = NULL, left_at = $3"
        " WHERE community_id = $1 AND user_id = $2", [turn.community, turn.player.id, turn.now])
    await record_event(conn, turn.community, turn.player.id, "faction_leave",
                       f"left {me['faction_id']}", turn.source_key,
                       {"faction": me["faction_id"]})
    turn.say(f"🏴 you left {_names()[me['faction_id']]} — you can join a faction again in "
             f"{rules_.FACTION_RULES.rejoin_days} days")


async def territories(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!territories``: each territory, its holder, its buff and today's leader."""
    holders = await _holders(conn, turn.community)
    today: dict[str, dict[str, int]] = defaultdict(dict)
    for r in await conn.execute_query_dict(
            "SELECT territory_key, faction_id, points FROM territory_scores"
            " WHERE community_id = $1 AND day = $2",
            [turn.community, turn.now.astimezone(UTC).date()]):
        today[r["territory_key"]][r["faction_id"]] = int(r["points"])
    names = _names()
    parts, fields = [], []
    for t in _content().territories:
        holder = names.get(holders.get(t.key) or "", "nobody")
        leader = _leader(today.get(t.key, {}), names)
        star = "⚔️" if t.contested else ""
        parts.append(f"{star}{t.name} ({t.buff_text}): {holder}{leader}")
        fields.append(CardField(name=f"{star}{t.name}",
                                value=f"{t.buff_text} · {holder}{leader}"))
    turn.say("🗺️ " + " | ".join(parts) + " — ⚔️ contested: twice the second place to take",
             Card(title="🗺️ territories", fields=tuple(fields)))


def _leader(points: dict[str, int], names: dict[str, str]) -> str:
    if not points:
        return ""
    best = max(points.values())
    if best <= 0:
        return ""
    top = [f for f, p in points.items() if p == best]
    who = names[top[0]] if len(top) == 1 else "tied"
    return f", today {who} {best:,}"


async def profile_line(conn: BaseDBAsyncClient, community: int, user_id: int,
                       held: tuple[str, ...]) -> str | None:
    """``!profile``'s faction: its name, the player's home territory and the buffs its
    territories give (``held``: the keys, from the player's Gear)."""
    me = await _member(conn, community, user_id)
    if not me or not me["faction_id"]:
        return None
    cat = _content()
    home = cat.territory(me["territory_key"]).name if me["territory_key"] in {
        t.key for t in cat.territories} else "?"
    buffs = rules_.buffs_text(held) or "no territory held"
    return f"{_names()[me['faction_id']]} ({home}; {buffs})"


# --- the projector hook --------------------------------------------------------------------

_SCORE_UPSERT = (
    "INSERT INTO territory_scores (community_id, territory_key, faction_id, day, points)"
    " SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::date[], $5::bigint[])"
    " ON CONFLICT (community_id, territory_key, faction_id, day)"
    " DO UPDATE SET points = territory_scores.points + EXCLUDED.points"
)
# the rows the counters' hook has just upserted for this batch
_POINTS_UPDATE = (
    "UPDATE leaderboard_snapshots s SET faction_points = s.faction_points + v.points"
    " FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $5::bigint[])"
    " AS v(community_id, user_id, period, period_start, points)"
    " WHERE s.community_id = v.community_id AND s.user_id = v.user_id"
    " AND s.period = v.period AND s.period_start = v.period_start"
)


async def project(conn: BaseDBAsyncClient, app: AppContext, batch: Batch) -> None:
    """Each credit's faction points (members only, from the time they joined)."""
    users = sorted(batch.users())
    if not users:
        return
    members = {(int(r["community_id"]), int(r["user_id"])): r
               for r in await conn.execute_query_dict(
                   "SELECT m.community_id, m.user_id, m.faction_id, m.territory_key,"
                   " m.joined_at FROM faction_members m JOIN unnest($1::bigint[],"
                   " $2::bigint[]) AS v(c, u) ON m.community_id = v.c AND m.user_id = v.u"
                   " WHERE m.faction_id IS NOT NULL AND m.territory_key IS NOT NULL",
                   [[c for c, _ in users], [u for _, u in users]])}
    if not members:
        return
    scores: dict[tuple[int, str, str, date], int] = defaultdict(int)
    player: dict[tuple[int, int, str, date], int] = defaultdict(int)
    for c in batch.credits:
        m = members.get((c.community_id, c.user_id))
        if m is None or (m["joined_at"] is not None and c.at < m["joined_at"]):
            continue
        points = rules_.points_of(c.stats)
        if points <= 0:
            continue
        scores[(c.community_id, m["territory_key"], m["faction_id"], c.day)] += points
        for period, start in starts(c.day).items():
            player[(c.community_id, c.user_id, period, start)] += points
    if not scores:
        return
    keys = sorted(scores)
    await conn.execute_query(_SCORE_UPSERT, [*map(list, zip(*keys, strict=True)),
                                             [scores[k] for k in keys]])
    rows = sorted(player)
    await conn.execute_query(_POINTS_UPDATE, [*map(list, zip(*rows, strict=True)),
                                              [player[k] for k in rows]])


# --- the crons -----------------------------------------------------------------------------


async def _projector_behind(conn: BaseDBAsyncClient, before: datetime) -> bool:
    """Whether ledger rows from before ``before`` still wait for the projector (the scores
    of the day that ended would be short)."""
    oldest = await oldest_unprojected(conn)
    return oldest is not None and oldest < before


async def evaluate_territories(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron: each territory to the faction that scored most there the day that ended,
    once per 00:00 UTC per community."""
    app = app_from(ctx)
    if await _projector_behind(db(), latest_due(app.clock(), DAY)):
        return {"waiting": 1}
    return await run_due(app, DAILY_JOB, DAY, _evaluate)


async def pay_factions(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron: the weekly rewards for the week that ended, once per Sunday 00:00 UTC per
    community."""
    app = app_from(ctx)
    if await _projector_behind(db(), latest_due(app.clock(), WEEK, SUNDAY)):
        return {"waiting": 1}
    return await run_due(app, WEEKLY_JOB, WEEK, _pay, anchor=SUNDAY)


async def _evaluate(app: AppContext, conn: BaseDBAsyncClient, community: int,
                    due_at: datetime) -> RunResult:
    day = (due_at - DAY).date()
    holders = await _holders(conn, community, lock=True)
    points: dict[str, dict[str, int]] = defaultdict(dict)
    for r in await conn.execute_query_dict(
            "SELECT territory_key, faction_id, points FROM territory_scores"
            " WHERE community_id = $1 AND day = $2", [community, day]):
        points[r["territory_key"]][r["faction_id"]] = int(r["points"])
    changes = rules_.evaluate(holders, points, _content().territories)
    if not changes:
        return RunResult({"changes": 0})
    names = _names()
    await conn.execute_query(
        "UPDATE territories t SET faction_id = v.f, held_since = $2"
        " FROM unnest($3::text[], $4::text[]) AS v(k, f)"
        " WHERE t.community_id = $1 AND t.key = v.k",
        [community, due_at, [c.territory.key for c in changes], [c.new for c in changes]])
    # a capture, for each member of the taking faction who scored in that territory that day
    captured = await conn.execute_query_dict(
        "UPDATE faction_members m SET captures = m.captures + 1"
        " FROM unnest($3::text[], $4::text[]) AS v(k, f), leaderboard_snapshots s"
        " WHERE m.community_id = $1 AND m.faction_id = v.f AND m.territory_key = v.k"
        " AND s.community_id = m.community_id AND s.user_id = m.user_id"
        " AND s.period = 'daily' AND s.period_start = $2 AND s.faction_points > 0"
        " RETURNING m.user_id",
        [community, day, [c.territory.key for c in changes], [c.new for c in changes]])
    texts = [rules_.change_text(c, names) for c in changes]
    involved = sorted({f for c in changes for f in (c.old, c.new) if f})
    notes = []
    for r in await conn.execute_query_dict(
            "SELECT user_id, faction_id FROM faction_members WHERE community_id = $1"
            " AND faction_id = ANY($2::text[]) ORDER BY user_id", [community, involved]):
        mine = [t for c, t in zip(changes, texts, strict=True)
                if r["faction_id"] in (c.old, c.new)]
        notes.append((community, int(r["user_id"]), "faction_change", " · ".join(mine)))
    await notify(conn, app.clock(), *notes)
    replies: list[Reply] = []
    for text in texts:
        replies += await _announce(app, community, text)
    return RunResult({"changes": len(changes), "captures": len(captured)}, replies)


async def _announce(app: AppContext, community: int, text: str) -> list[Reply]:
    """A broadcast to every chat channel; the Discord feed gets it as a card."""
    card = Card(title=FEED_TITLE, description=text[:1000])
    return [r.model_copy(update={"card": card}) if r.platform.value == "discord" else r
            for r in await broadcast(app, community, text)]


async def _pay(app: AppContext, conn: BaseDBAsyncClient, community: int,
               due_at: datetime) -> RunResult:
    result = RunResult({})
    if await claim_run(conn, community, DAILY_JOB, due_at, app.clock()):
        result = await _evaluate(app, conn, community, due_at)  # Saturday's changes first
    rules = await app.rules_cache.get(community)
    week = rules_.week_of(due_at.date())
    holders = await _holders(conn, community)
    member_points: dict[str, dict[int, int]] = defaultdict(dict)
    for r in await conn.execute_query_dict(
            "SELECT m.faction_id, m.user_id, s.faction_points FROM faction_members m"
            " JOIN leaderboard_snapshots s ON s.community_id = m.community_id"
            " AND s.user_id = m.user_id AND s.period = 'weekly' AND s.period_start = $2"
            " WHERE m.community_id = $1 AND m.faction_id IS NOT NULL AND s.faction_points > 0",
            [community, week]):
        member_points[r["faction_id"]][int(r["user_id"])] = int(r["faction_points"])
    rewards = rules_.weekly_rewards(holders, member_points, _content().territories)
    paid = {u for rw in rewards for u in (*rw.members, *rw.crates)}
    if not paid:
        result.counts.update({"paid": 0, "crates": 0})
        return result
    players = await state.lock_users(conn, *paid)  # id order, like commands
    names = _names()
    now = app.clock()
    source = f"cron:{WEEKLY_JOB}:{due_at.isoformat()}"
    notes: dict[int, list[str]] = defaultdict(list)
    for rw in rewards:
        for uid in rw.members:
            if rw.wealth_each or rw.xp_each:
                await apply_delta(conn, uid, rw.wealth_each, rw.xp_each, "faction_reward",
                                  f"{names[rw.faction]} weekly reward", source, rules,
                                  {"faction": rw.faction, "week": week.isoformat()})
                notes[uid].append(
                    f"🏴 {names[rw.faction]} held {rw.territories} territories: your weekly "
                    f"share is {money(rw.wealth_each)} and {rw.xp_each:,} XP")
    grants = [CrateGrant(community, uid, "rare", "faction", ("", ""))
              for rw in rewards for uid in rw.crates]
    for grant, placed in zip(grants, await grant_crates(conn, grants, now, {community: rules}),
                             strict=True):
        notes[grant.user_id].append(f"🏆 a top fighter of the week: "
                                    f"{crate_text(grant.tier, placed, rules)}")
    await notify(conn, now, *((community, uid, "faction_reward", " · ".join(t))
                              for uid, t in sorted(notes.items())))
    for rw in rewards:
        top = ", ".join(players[u].username for u in rw.crates if u in players)
        text = (f"🏴 weekly territories: {names[rw.faction]} held {rw.territories} — "
                f"{money(rw.wealth)} and {rw.xp:,} XP shared by {len(rw.members)} members"
                + (f"; most territories, rare crates for {top}" if top else ""))
        result.replies += await broadcast(app, community, text)
    result.counts.update({"paid": sum(len(rw.members) for rw in rewards),
                          "crates": len(grants)})
    return result


__all__ = ["evaluate_territories", "faction", "factions", "pay_factions", "profile_line",
           "project", "territories"]
