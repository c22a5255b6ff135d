"""Achievements: the projector's hook (``project``) that keeps ``player_progress`` and
unlocks, pays and announces achievements, and ``!achievements [@user]``.

DESIGN.md "Progress is a projection of the ledger": no command writes these rows. The hook
runs inside the projector's transaction after the batch's counters were added, so a batch
that fails rolls all of it back and its rerun unlocks (and pays, and announces) once; the
unique key of ``user_achievements`` makes a second unlock of the same achievement a no-op.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from game.achievements import (
    Achievement,
    Facts,
    achievements,
    is_legendary_crate_item,
    item_of,
    newly_unlocked,
    note_text,
    rob_streaks,
    summary_text,
    unlock_line,
)
from game.catalogue import catalogue
from game.commands import USAGE, parse_mention
from game.errors import UsageError
from game.levels import progress_text
from game.notifications import progress_kind
from game.replies import Card, Reply
from game.stats import LIFETIME_START, STATS, Entry
from jobs import state
from jobs.broadcast import broadcast_many
from jobs.context import AppContext
from jobs.ledger import Grant, grant_many
from jobs.notifications import Note, notify
from jobs.players import resolve_mention
from jobs.projector import Batch, unprojected, unprojected_counts
from jobs.turn import Turn
from kingpin.db import per_player

Player = tuple[int, int]  # community, user
LIFETIME_START_AT = datetime.combine(LIFETIME_START, time(), UTC)

# player_progress.state's counters (each only grows)
STATE_COUNTS = ("legendary_crate_items", "jackpots", "blackjack_wins", "juicernaut_wins",
                "checkin_streak")


@dataclass
class Progress:
    """One player's running progress (a ``player_progress`` row)."""

    rob_streak: int = 0
    rob_streak_best: int = 0
    items_seen: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    def count(self, name: str) -> int:
        return int(self.state.get(name, 0))


def advance(progress: Progress, entries: Iterable[Entry], user_id: int) -> bool:
    """Fold the player's ledger rows (in commit order) into ``progress``; whether it changed."""
    before = (progress.rob_streak, progress.rob_streak_best, list(progress.items_seen),
              dict(progress.state))
    cat = catalogue()
    robs: list[bool] = []
    seen = set(progress.items_seen)
    counts: dict[str, int] = defaultdict(int)
    for e in entries:
        if e.user_id != user_id:
            continue
        kind, detail = e.event_type, e.detail or {}
        if kind == "rob":
            robs.append(bool(detail.get("won")))
        item = item_of(e)
        if item is not None and item not in seen:
            seen.add(item)
            progress.items_seen.append(item)
        if is_legendary_crate_item(e, cat):
            counts["legendary_crate_items"] += 1
        if kind == "slots_jackpot":
            counts["jackpots"] += 1
        if kind == "blackjack_payout" and detail.get("win"):
            counts["blackjack_wins"] += 1
        if kind == "juicernaut":
            counts["juicernaut_wins"] += 1
    progress.rob_streak, progress.rob_streak_best = rob_streaks(
        progress.rob_streak, progress.rob_streak_best, robs)
    for name, n in counts.items():
        progress.state[name] = progress.count(name) + n
    return before != (progress.rob_streak, progress.rob_streak_best, progress.items_seen,
                      progress.state)


_PROGRESS_UPSERT = (
    "INSERT INTO player_progress (community_id, user_id, rob_streak, rob_streak_best,"
    " items_seen, state) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[],"
    " $4::int[], $5::jsonb[], $6::jsonb[]) ON CONFLICT (community_id, user_id) DO UPDATE SET"
    " rob_streak = EXCLUDED.rob_streak, rob_streak_best = EXCLUDED.rob_streak_best,"
    " items_seen = EXCLUDED.items_seen, state = EXCLUDED.state"
)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _progress(conn: BaseDBAsyncClient, players: list[Player]) -> dict[Player, Progress]:
    rows = await conn.execute_query_dict(
        per_player("community_id, user_id, rob_streak, rob_streak_best, items_seen, state",
                   "player_progress"),
        [[p[0] for p in players], [p[1] for p in players]])
    return {(int(r["community_id"]), int(r["user_id"])): Progress(
        int(r["rob_streak"]), int(r["rob_streak_best"]), list(_json(r["items_seen"]) or []),
        dict(_json(r["state"]) or {})) for r in rows}


async def _facts(conn: BaseDBAsyncClient, players: list[Player], progress: dict[Player, Progress],
                 now: datetime) -> tuple[dict[Player, dict[str, int]], dict[Player, str]]:
    """Every player's facts (the lifetime counters and the rest), and their names."""
    params = [[p[0] for p in players], [p[1] for p in players]]
    facts: dict[Player, dict[str, int]] = {p: dict.fromkeys(STATS, 0) for p in players}
    for r in await conn.execute_query_dict(
            per_player(f"community_id, user_id, {', '.join(STATS)}", "leaderboard_snapshots",
                       "x.period = 'lifetime' AND x.period_start = $3"),
            [*params, LIFETIME_START]):
        facts[(int(r["community_id"]), int(r["user_id"]))].update(
            {s: int(r[s]) for s in STATS})
    names: dict[Player, str] = {}
    for r in await conn.execute_query_dict(
            "SELECT community_id, id, username, level, checkin_streak FROM users"
            " WHERE id = ANY($1::bigint[])", [params[1]]):
        p = (int(r["community_id"]), int(r["id"]))
        if p in facts:
            names[p] = str(r["username"])
            facts[p]["level"] = int(r["level"])
            # the best streak seen: a streak broken later keeps what it reached
            prog = progress.setdefault(p, Progress())
            prog.state["checkin_streak"] = max(prog.count("checkin_streak"),
                                               int(r["checkin_streak"]))
    for r in await conn.execute_query_dict(
            per_player("community_id, user_id, faction_id, joined_at, captures",
                       "faction_members"), params):
        p = (int(r["community_id"]), int(r["user_id"]))
        joined = r["joined_at"]
        facts[p]["faction_joined"] = int(joined is not None or r["faction_id"] is not None)
        facts[p]["faction_days"] = (max(0, (now - joined).days)
                                    if r["faction_id"] is not None and joined else 0)
        facts[p]["faction_captures"] = int(r["captures"] or 0)
    for p in players:
        prog = progress.get(p, Progress())
        facts[p]["rob_streak"] = prog.rob_streak_best
        facts[p]["items"] = len(prog.items_seen)
        for name in STATE_COUNTS:
            facts[p][name] = prog.count(name)
    return facts, names


async def _unlocked(conn: BaseDBAsyncClient, players: list[Player]) -> dict[Player, set[str]]:
    out: dict[Player, set[str]] = defaultdict(set)
    for r in await conn.execute_query_dict(
            per_player("community_id, user_id, achievement_id", "user_achievements"),
            [[p[0] for p in players], [p[1] for p in players]]):
        out[(int(r["community_id"]), int(r["user_id"]))].add(str(r["achievement_id"]))
    return out


async def project(conn: BaseDBAsyncClient, app: AppContext, batch: Batch) -> None:
    """The projector hook: progress from the batch's rows, then each player's new unlocks,
    rewarded, stored for !inbox and announced (once: see the module's docstring)."""
    players = sorted({(e.community_id, e.user_id) for e in batch.entries} | batch.users())
    if not players:
        return
    progress = await _progress(conn, players)
    changed: set[Player] = set()
    by_player: dict[Player, list[Entry]] = defaultdict(list)
    for e in batch.entries:
        by_player[(e.community_id, e.user_id)].append(e)
    for p, rows in by_player.items():
        prog = progress.setdefault(p, Progress())
        if advance(prog, rows, p[1]):
            changed.add(p)
    streaks = {p: progress[p].count("checkin_streak") for p in progress}
    facts, names = await _facts(conn, players, progress, batch.now)
    changed |= {p for p in progress if progress[p].count("checkin_streak") != streaks.get(p, 0)}
    if changed:
        keys = sorted(changed)
        await conn.execute_query(_PROGRESS_UPSERT, [
            [p[0] for p in keys], [p[1] for p in keys],
            [progress[p].rob_streak for p in keys], [progress[p].rob_streak_best for p in keys],
            [json.dumps(progress[p].items_seen) for p in keys],
            [json.dumps(progress[p].state) for p in keys]])
    seeded = {str(r["key"]) for r in await conn.execute_query_dict(
        "SELECT key FROM achievements")}  # only what the catalogue in the database holds
    catalogue_ = [a for a in achievements() if a.key in seeded]
    unlocked = await _unlocked(conn, players)
    due = {p: new for p in players if p in names
           if (new := newly_unlocked(facts[p], unlocked.get(p, ()), catalogue_))}
    if due:
        await _award(conn, app, batch, due, names)


async def _award(conn: BaseDBAsyncClient, app: AppContext, batch: Batch,
                 due: dict[Player, list[Achievement]], names: dict[Player, str]) -> None:
    """Store, pay and announce the unlocks (players locked in id order, like commands)."""
    await state.lock_users(conn, *(p[1] for p in due))
    lines: list[tuple[int, str]] = []
    notable: set[int] = set()
    notes: list[Note] = []
    # a handful of statements for all of them: the projector holds these players' row locks
    # until it commits (jobs/ledger.grant_many)
    players = sorted(due, key=lambda q: q[1])
    got: set[tuple[int, int, str]] = {
        (int(r["community_id"]), int(r["user_id"]), str(r["achievement_id"]))
        for r in await conn.execute_query_dict(
            "INSERT INTO user_achievements (community_id, user_id, achievement_id, unlocked_at)"
            " SELECT c, u, k, $4 FROM unnest($1::bigint[], $2::bigint[], $3::text[])"
            " AS t(c, u, k) ON CONFLICT (community_id, user_id, achievement_id) DO NOTHING"
            " RETURNING community_id, user_id, achievement_id",
            [[p[0] for p in players for _ in due[p]], [p[1] for p in players for _ in due[p]],
             [a.key for p in players for a in due[p]], batch.now])}
    new = {p: [a for a in due[p] if (*p, a.key) in got] for p in players}
    rules_of = await app.rules_cache.get_many(p[0] for p in players)
    levels = await grant_many(conn, [
        Grant(p[1], a.wealth, a.xp, "achievement", f"achievement {a.name}",
              f"achievement:{p[0]}:{p[1]}:{a.key}", {"achievement": a.key})
        for p in players for a in new[p] if a.wealth or a.xp], rules_of)
    titled = [(p, a.title_key) for p in players for a in new[p] if a.title_key]
    if titled:
        await conn.execute_query(
            "INSERT INTO user_titles (community_id, user_id, title_id, is_equipped,"
            " unlocked_at) SELECT c, u, t, false, $4 FROM unnest($1::bigint[], $2::bigint[],"
            " $3::text[]) AS x(c, u, t) ON CONFLICT (community_id, user_id, title_id)"
            " DO NOTHING", [[p[0] for p, _ in titled], [p[1] for p, _ in titled],
                            [t for _, t in titled], batch.now])
    for p in players:
        community, user_id = p
        if not new[p]:
            continue
        notes += [(community, user_id, "achievement", note_text(a)) for a in new[p]]
        line = unlock_line(names[p], new[p])
        level_up = levels.get(user_id)
        if level_up is not None and progress_kind(level_up):
            text = progress_text(names[p], level_up)
            kind = progress_kind(level_up)
            if text and kind:
                line += f" {text}"
                notes.append((community, user_id, kind, text))
        lines.append((community, line))
        if any(a.notable for a in new[p]):
            notable.add(len(lines) - 1)
    await notify(conn, batch.now, *notes)
    batch.replies += _with_cards(await broadcast_many(app, lines), lines, notable)


def _with_cards(replies: list[Reply], lines: list[tuple[int, str]], notable: set[int]
                ) -> list[Reply]:
    """A notable unlock reaches the Discord feed as a card (the other channels: the line)."""
    cards = {lines[i][1] for i in notable}
    return [r.model_copy(update={"card": Card(title="Achievement unlocked",
                                              description=r.text[:1000])})
            if r.platform.value == "discord" and r.text in cards else r for r in replies]


# --- !achievements [@user] -------------------------------------------------------------


async def player_facts(conn: BaseDBAsyncClient, community: int, user_id: int, now: datetime
                       ) -> tuple[Facts, list[str]]:
    """A player's facts as the projection holds them plus their not-yet-projected rows, and
    their unlocked achievements, newest first."""
    p = (community, user_id)
    progress = await _progress(conn, [p])
    facts, _ = await _facts(conn, [p], progress, now)
    mine = dict(facts[p])
    pending = await unprojected(conn, community, user_id, LIFETIME_START_AT)
    if pending:
        extra = unprojected_counts(pending, community, user_id, "lifetime", LIFETIME_START)
        for s in STATS:
            mine[s] += extra[s]
        prog = progress.setdefault(p, Progress())
        advance(prog, pending, user_id)
        mine["rob_streak"] = prog.rob_streak_best
        mine["items"] = len(prog.items_seen)
        for name in STATE_COUNTS:
            if name != "checkin_streak":
                mine[name] = prog.count(name)
    rows = await conn.execute_query_dict(
        "SELECT achievement_id FROM user_achievements WHERE community_id = $1 AND user_id = $2"
        " ORDER BY unlocked_at DESC, id DESC", [community, user_id])
    return mine, [str(r["achievement_id"]) for r in rows]


async def achievements_(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!achievements [@user]``: unlocked/total, the latest few, the next one closest."""
    if len(turn.cmd.args) > 1:
        raise UsageError(USAGE["achievements"])
    who = turn.player
    if turn.cmd.args:
        name = parse_mention(turn.cmd.args[0], USAGE["achievements"])
        who = await resolve_mention(turn.community, turn.event.platform.value, name, conn)
    facts, unlocked = await player_facts(conn, turn.community, who.id, turn.now)
    whose = "you have" if who.id == turn.player.id else f"{who.name} has"
    turn.say(summary_text(whose, facts, unlocked))
