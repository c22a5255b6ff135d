"""Leaderboards and the hall of fame (GAME.md "Leaderboards and hall of fame").

* ``!lb [period] [metric]`` and ``!rank [period] [metric]`` read the projector's per-period
  counters (``leaderboard_snapshots``, jobs/projector.py) for the current period: one
  ``ORDER BY <metric> DESC LIMIT n`` and one count of the rows above the asker, both within
  (community, period, period_start), the snapshots' unique key. The projection lags the
  ledger by a projector tick (about two seconds): a play shows on the board just after.
* ``project`` (the projector's last hook) keeps ``hall_of_fame_records``: each record is
  replaced only when beaten; a new biggest rob or jackpot goes to the Discord feed.
* ``rollover`` (hourly, once per due time per community, jobs/schedule.py) archives every
  finished period's top 10 per metric into ``leaderboard_history`` once the projector has
  projected every ledger row of that period, and deletes the snapshot rows of periods
  before the previous one (the just-finished period stays one period for weekly reads).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from game.commands import USAGE
from game.leaderboards import (
    ARCHIVED,
    DEFAULT_METRIC,
    DEFAULT_PERIOD,
    METRICS,
    PERIOD_LABELS,
    PERIOD_SHORT,
    RECORDS,
    Candidate,
    best_of,
    board_title,
    ledger_candidates,
    parse_board,
    place,
    show,
    show_record,
)
from game.replies import CARD_DESCRIPTION_MAX, Card, CardField
from game.stats import PERIODS, period_end, period_start, starts
from jobs.context import AppContext, app_from
from jobs.notifications import to_feed
from jobs.projector import Batch, oldest_unprojected
from jobs.schedule import RunResult, run_due
from jobs.turn import Turn

ROLLOVER_JOB = "leaderboard_rollover"
ROLLOVER_EVERY = timedelta(hours=1)

_TITLE = ("(SELECT t.name FROM user_titles ut JOIN crate_titles t ON t.key = ut.title_id"
          " WHERE ut.community_id = s.community_id AND ut.user_id = s.user_id"
          " AND ut.is_equipped) AS title")


def _titled(title: str | None) -> str:
    return f" «{title}»" if title else ""


async def _top(conn: BaseDBAsyncClient, community: int, period: str, start: date,
               metric: str, limit: int) -> list[dict[str, Any]]:
    col = METRICS[metric].column
    return await conn.execute_query_dict(
        f"SELECT u.username, s.{col} AS v, {_TITLE} FROM leaderboard_snapshots s"
        " JOIN users u ON u.id = s.user_id WHERE s.community_id = $1 AND s.period = $2"
        f" AND s.period_start = $3 AND s.{col} <> 0 ORDER BY s.{col} DESC, s.user_id"
        " LIMIT $4", [community, period, start, limit])


async def _ranks(conn: BaseDBAsyncClient, community: int, user_id: int,
                 boards: dict[str, date], metrics: list[str]
                 ) -> dict[tuple[str, str], tuple[int | None, int]]:
    """(period, metric) → (the asker's place or None when not on the board, their value),
    for each period of ``boards`` (period → its current start): one statement, counting the
    rows above the asker per period (ties go to the older player)."""
    sel = []
    for i, m in enumerate(metrics):
        col = METRICS[m].column
        sel.append(f"me.{col} AS v{i}, count(*) FILTER (WHERE o.{col} <> 0 AND (o.{col} >"
                   f" me.{col} OR (o.{col} = me.{col} AND o.user_id < me.user_id))) AS r{i}")
    rows = await conn.execute_query_dict(
        f"SELECT me.period, {', '.join(sel)} FROM leaderboard_snapshots me"
        " JOIN leaderboard_snapshots o ON o.community_id = me.community_id"
        " AND o.period = me.period AND o.period_start = me.period_start"
        " WHERE me.community_id = $1 AND me.user_id = $2"
        " AND (me.period, me.period_start) IN (SELECT * FROM unnest($3::text[], $4::date[]))"
        " GROUP BY me.id", [community, user_id, list(boards), list(boards.values())])
    out: dict[tuple[str, str], tuple[int | None, int]] = {
        (p, m): (None, 0) for p in boards for m in metrics}
    for r in rows:
        for i, m in enumerate(metrics):
            value = int(r[f"v{i}"])
            out[(r["period"], m)] = (1 + int(r[f"r{i}"]) if value else None, value)
    return out


def _today(turn: Turn) -> date:
    return turn.now.astimezone(UTC).date()


async def leaderboard(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!lb [period] [metric]``: the top places of the current period and the asker's."""
    period, metric = parse_board([a.lower() for a in turn.cmd.args], USAGE["lb"])
    period, metric = period or DEFAULT_PERIOD, metric or DEFAULT_METRIC
    start = period_start(period, _today(turn))
    rows = await _top(conn, turn.community, period, start, metric, turn.rules.leaderboard_size)
    mine, value = (await _ranks(conn, turn.community, turn.player.id, {period: start},
                                [metric]))[(period, metric)]
    entries = [f"{i}. {r['username']}{_titled(r['title'])} {show(metric, int(r['v']))}"
               for i, r in enumerate(rows, 1)]
    you = f"you're {place(mine)} ({show(metric, value)})" if mine else "you're not on it yet"
    title = board_title(period, metric)
    card = Card(title=title,
                description=("\n".join(entries) or "nobody yet")[:CARD_DESCRIPTION_MAX],
                fields=(CardField(name="You", value=place(mine)),
                        CardField(name=METRICS[metric].label.capitalize(),
                                  value=show(metric, value))))
    turn.say(f"{title}: {' '.join(entries) or 'nobody yet'} — {you}", card)


async def rank(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!rank``: the asker's place by wealth earned in every period; ``!rank <metric>`` the
    same for that metric; ``!rank <period>`` every metric of that period they are on;
    both: that one board."""
    period, metric = parse_board([a.lower() for a in turn.cmd.args], USAGE["rank"])
    current = starts(_today(turn))
    parts: list[tuple[str, int | None, str]]
    if period is not None and metric is None:  # every board of the period
        got = await _ranks(conn, turn.community, turn.player.id, {period: current[period]},
                           list(METRICS))
        parts = [(METRICS[m].label, pos, show(m, v)) for (_, m), (pos, v) in got.items()
                 if pos is not None]
        title = f"🏆 {PERIOD_LABELS[period]} boards"
        if not parts:
            turn.say(f"you're not on {PERIOD_LABELS[period]} boards yet",
                     Card(title=title, description="not on any board yet"))
            return
    else:
        metric = metric or DEFAULT_METRIC
        periods = [period] if period else list(PERIODS)
        got = await _ranks(conn, turn.community, turn.player.id,
                           {p: current[p] for p in periods}, [metric])
        parts = [(PERIOD_SHORT[p], pos, show(metric, v)) for (p, _), (pos, v) in got.items()]
        title = (board_title(period, metric) if period
                 else f"🏆 {METRICS[metric].label}")
    text = " · ".join(f"{name} {place(pos)}" + (f" ({v})" if pos else "")
                      for name, pos, v in parts)
    turn.say(f"{title.removeprefix('🏆 ')}: {text}", Card(title=title, fields=tuple(
        CardField(name=name, value=f"{place(pos)} · {v}" if pos else place(pos))
        for name, pos, v in parts)))


# --- the hall of fame ---------------------------------------------------------------------

async def hall_of_fame(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!hof``: the community's records, who holds them and since when."""
    rows = await conn.execute_query_dict(
        "SELECT r.record, r.value, r.detail, u.username FROM hall_of_fame_records r"
        " JOIN users u ON u.id = r.user_id WHERE r.community_id = $1", [turn.community])
    held = {r["record"]: r for r in rows}
    shown: list[tuple[str, str]] = []
    for key, record in RECORDS.items():
        r = held.get(key)
        if r is None:
            shown.append((record.label, "nobody yet"))
            continue
        extra = f" ({r['detail']})" if r["detail"] else ""
        shown.append((record.label, f"{r['username']} {show_record(key, int(r['value']))}"
                                    f"{extra}"))
    turn.say("🏛️ hall of fame — " + " · ".join(f"{k}: {v}" for k, v in shown),
             Card(title="🏛️ Hall of fame",
                  fields=tuple(CardField(name=k.capitalize(), value=v) for k, v in shown)))


_RECORD_UPSERT = (
    "INSERT INTO hall_of_fame_records (community_id, user_id, record, value, detail, set_at)"
    " SELECT c, u, r, v, d, $6 FROM unnest($1::bigint[], $2::bigint[], $3::text[],"
    " $4::bigint[], $5::text[]) AS t(c, u, r, v, d)"
    " ON CONFLICT (community_id, record) DO UPDATE SET user_id = EXCLUDED.user_id,"
    " value = EXCLUDED.value, detail = EXCLUDED.detail, set_at = EXCLUDED.set_at"
    " WHERE hall_of_fame_records.value < EXCLUDED.value"
    " RETURNING community_id, user_id, record, value"
)


async def project(conn: BaseDBAsyncClient, app: AppContext, batch: Batch) -> None:
    """The projector's hook: the hall of fame's candidates in this batch (its robs won and
    jackpots; the check-in streak of its check-in players, the Juicernaut crowns of its
    crowned players and the wealth of every player it credits), each record replaced only
    when beaten, a new biggest rob or jackpot announced on the feed."""
    candidates = ledger_candidates(batch.entries)
    players = {u for _, u in batch.users()}
    checked_in = {e.user_id for e in batch.entries if e.event_type == "checkin"}
    crowned = {e.user_id for e in batch.entries if e.event_type == "juicernaut"}
    targets = {c.target_id for c in candidates if c.target_id is not None}
    ids = sorted(players | checked_in | crowned | targets)
    if not ids:
        return
    names: dict[int, str] = {}
    for r in await conn.execute_query_dict(
            "SELECT id, community_id, username, wealth, checkin_streak FROM users"
            " WHERE id = ANY($1::bigint[]) ORDER BY id", [ids]):
        uid, community = int(r["id"]), int(r["community_id"])
        names[uid] = r["username"]
        if uid in players:
            candidates.append(Candidate(community, "richest_ever", uid, int(r["wealth"])))
        if uid in checked_in:
            candidates.append(Candidate(community, "longest_streak", uid,
                                        int(r["checkin_streak"])))
    if crowned:
        for r in await conn.execute_query_dict(
                "SELECT community_id, user_id, count(*) AS n FROM game_events"
                " WHERE user_id = ANY($1::bigint[]) AND event_type = 'juicernaut'"
                " GROUP BY community_id, user_id ORDER BY user_id", [sorted(crowned)]):
            candidates.append(Candidate(int(r["community_id"]), "most_juicernaut",
                                        int(r["user_id"]), int(r["n"])))
    best = {(c.community_id, c.record): c for c in best_of(candidates) if c.value > 0}
    if not best:
        return
    details = {k: f"from {names[c.target_id]}" if c.target_id in names else ""
               for k, c in best.items()}
    # replaced only when beaten: a tie keeps the first holder
    set_now = await conn.execute_query_dict(_RECORD_UPSERT, [
        [k[0] for k in best], [c.user_id for c in best.values()], [k[1] for k in best],
        [c.value for c in best.values()], list(details.values()), batch.now])
    for r in set_now:
        key = (int(r["community_id"]), r["record"])
        if not RECORDS[key[1]].announced:
            continue
        c = best[key]
        who, value = names.get(c.user_id, "someone"), show_record(c.record, c.value)
        text = (f"🏛️ new record, biggest rob: {who} took {value} {details[key]}".rstrip()
                if c.record == "biggest_rob"
                else f"🏛️ new record, biggest jackpot: {who} won {value}")
        batch.replies += await to_feed(app, key[0], "Hall of fame", text)


# --- the rollover ---------------------------------------------------------------------------

_ARCHIVE = (
    "INSERT INTO leaderboard_history (community_id, user_id, period, period_start, metric,"
    " rank, value, archived_at) SELECT $1, user_id, $2, $3, metric, rank, value, $4 FROM"
    " (SELECT s.user_id, v.metric, v.value, row_number() OVER (PARTITION BY v.metric"
    " ORDER BY v.value DESC, s.user_id) AS rank FROM leaderboard_snapshots s CROSS JOIN"
    " LATERAL (VALUES " + ", ".join(f"('{m.name}', s.{m.column})" for m in METRICS.values())
    + ") AS v(metric, value) WHERE s.community_id = $1 AND s.period = $2"
    " AND s.period_start = $3 AND v.value <> 0) t"
    f" WHERE rank <= {ARCHIVED}"
    " ON CONFLICT (community_id, period, period_start, metric, rank) DO NOTHING RETURNING 1"
)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


async def rollover(ctx: dict[str, Any]) -> dict[str, int]:
    """The cron (hourly due times, caught up once after downtime)."""
    app = app_from(ctx)
    return await run_due(app, ROLLOVER_JOB, ROLLOVER_EVERY, roll_community)


async def roll_community(app: AppContext, conn: BaseDBAsyncClient, community: int,
                         due_at: datetime) -> RunResult:
    """Every finished period of the community, oldest first: archived once (when the
    projector has projected every ledger row before its end), and its snapshot rows deleted
    once it is older than the previous period. A period not yet final waits for the next
    due time (so do the ones after it)."""
    waiting = await oldest_unprojected(conn, community)
    horizon = min(due_at, waiting) if waiting else due_at
    today = due_at.astimezone(UTC).date()
    counts = {"archived": 0, "periods": 0, "deleted": 0}
    for period in PERIODS:
        if period_end(period, period_start(period, today)) is None:
            continue  # lifetime never ends
        current = period_start(period, today)
        previous = period_start(period, current - timedelta(days=1))
        oldest = await conn.execute_query_dict(
            "SELECT min(period_start) AS s FROM leaderboard_snapshots"
            " WHERE community_id = $1 AND period = $2", [community, period])
        start = oldest[0]["s"] if oldest else None
        while start is not None and start < current:
            end = period_end(period, start)
            assert end is not None
            if _midnight(end) > horizon:
                break
            done = await conn.execute_query_dict(
                "SELECT 1 FROM leaderboard_history WHERE community_id = $1 AND period = $2"
                " AND period_start = $3 LIMIT 1", [community, period, start])
            if not done:
                added = await conn.execute_query_dict(_ARCHIVE, [community, period, start,
                                                                 due_at])
                counts["archived"] += len(added)
                counts["periods"] += 1
            if start < previous:
                gone = await conn.execute_query_dict(
                    "DELETE FROM leaderboard_snapshots WHERE community_id = $1"
                    " AND period = $2 AND period_start = $3 RETURNING 1",
                    [community, period, start])
                counts["deleted"] += len(gone)
            start = end
    return RunResult(counts)
