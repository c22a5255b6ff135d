"""Stream sessions and the Juicernaut (GAME.md "Streams, Juicernaut and monetization").

A community has at most one open session, whichever of its platforms went live first (a
multistream is one session). Opening schedules the first heist; closing (the first offline
event or ``!endsession``: the ``ended_at IS NULL`` update decides, so it happens once however
many workers and platforms report it) stops the heists, pays the crown holder and broadcasts
the session's summary. Support during a session adds to the giver's ``session_contributions``
and may move the crown, which only a strictly higher total takes.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from game.errors import format_duration
from game.juicernaut import end_reward, takes_crown, usd
from game.levels import progress_text
from game.replies import Reply, money
from game.rules import Rules
from jobs import heists
from jobs.broadcast import broadcast
from jobs.context import AppContext
from jobs.crates import crate_text, grant_crate
from jobs.ledger import apply_delta, record_event
from jobs.turn import Turn
from models.heists import HeistEvent
from models.streams import SessionContribution, StreamingSession

TOP_SHOWN = 3  # contributors named in !juice and the summary


async def open_session(conn: BaseDBAsyncClient, community: int, now: datetime, title: str,
                       platform: str, channel: str, by: str, rules: Rules) -> int | None:
    """Open the community's session (one at a time: a partial unique index) and schedule its
    first heist; the new session's id, or None if one is open already."""
    rows = await conn.execute_query_dict(
        "INSERT INTO streaming_sessions (community_id, title, platform, channel, started_at,"
        " started_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
        [community, title, platform, channel, now, by[:200]],
    )
    if not rows:
        return None
    session = int(rows[0]["id"])
    await heists.schedule_first(conn, community, session, now, rules)
    return session


async def current(conn: BaseDBAsyncClient, community: int) -> StreamingSession | None:
    return await StreamingSession.filter(community_id=community, ended_at=None).using_db(
        conn).first()


async def open_session_id(conn: BaseDBAsyncClient, community: int) -> int | None:
    rows = await conn.execute_query_dict(
        "SELECT id FROM streaming_sessions WHERE community_id = $1 AND ended_at IS NULL",
        [community])
    return int(rows[0]["id"]) if rows else None


async def contribute(app: AppContext, conn: BaseDBAsyncClient, community: int, user_id: int,
                     name: str, amount: Decimal, now: datetime,
                     origin: tuple[Any, str] | None = None) -> list[Reply]:
    """Count ``amount`` USD for the player in the open session (none open: nothing) and move
    the crown if they passed its holder; the broadcast when it changes hands."""
    if amount <= 0:
        return []
    # counted for the leaderboards and achievements whether or not a session is open
    await record_event(conn, community, user_id, "contribution", f"contributed {usd(amount)}",
                       None, {"usd_cents": int(amount * 100)})
    rows = await conn.execute_query_dict(
        "SELECT id, juicernaut_id, juicernaut_usd FROM streaming_sessions"
        " WHERE community_id = $1 AND ended_at IS NULL FOR UPDATE", [community])
    if not rows:
        return []
    session, holder = int(rows[0]["id"]), rows[0]["juicernaut_id"]
    total_rows = await conn.execute_query_dict(
        "INSERT INTO session_contributions (community_id, session_id, user_id, usd, events,"
        " updated_at) VALUES ($1, $2, $3, $4, 1, $5)"
        " ON CONFLICT (community_id, session_id, user_id) DO UPDATE"
        " SET usd = session_contributions.usd + EXCLUDED.usd,"
        " events = session_contributions.events + 1, updated_at = EXCLUDED.updated_at"
        " RETURNING usd", [community, session, user_id, amount, now])
    total = Decimal(total_rows[0]["usd"])
    crowned = takes_crown(holder, Decimal(rows[0]["juicernaut_usd"]), user_id, total)
    await conn.execute_query(
        "UPDATE streaming_sessions SET total_usd = total_usd + $2"
        + (", juicernaut_id = $3, juicernaut_usd = $4" if crowned else "")
        + " WHERE id = $1", [session, amount, *([user_id, total] if crowned else [])])
    if not crowned or holder == user_id:
        return []
    return await broadcast(app, community,
                           f"👑 {name} takes the Juicernaut crown with {usd(total)} this "
                           "session: XP ×2, wealth ×1.25, crates ×3, and nobody can rob them",
                           origin)


async def close_session(app: AppContext, conn: BaseDBAsyncClient, community: int,
                        now: datetime, rules: Rules,
                        origin: tuple[Any, str] | None = None) -> list[Reply] | None:
    """Close the open session: the heists stop, the crown holder is paid, the summary is
    broadcast (its replies). None if no session was open."""
    rows = await conn.execute_query_dict(
        "UPDATE streaming_sessions SET ended_at = $2 WHERE community_id = $1"
        " AND ended_at IS NULL RETURNING id, title, started_at, juicernaut_id,"
        " juicernaut_usd, total_usd", [community, now])
    if not rows:
        return None
    row = rows[0]
    session = int(row["id"])
    await heists.unschedule(conn, community)
    lines = [f"🎬 session over{': ' + row['title'] if row['title'] else ''} — "
             f"{format_duration((now - row['started_at']).total_seconds())} live"]
    runs = await HeistEvent.filter(community_id=community, session_id=session).using_db(
        conn).values_list("status", flat=True)
    if runs:
        lines.append(f"{sum(1 for s in runs if s == 'won')}/{len(runs)} heists cracked")
    top = await _top(conn, community, session, TOP_SHOWN)
    if top:
        supporters = await SessionContribution.filter(
            community_id=community, session_id=session).using_db(conn).count()
        lines.append(f"{usd(Decimal(row['total_usd']))} from {supporters} supporter"
                     f"{'s' if supporters != 1 else ''}")
    reward_wealth = None
    if row["juicernaut_id"] is not None:
        holder = int(row["juicernaut_id"])
        name = next((n for uid, n, _ in top if uid == holder), "the Juicernaut")
        reward = end_reward(Decimal(row["juicernaut_usd"]), rules)
        balance = await apply_delta(conn, holder, reward.wealth, reward.xp, "juicernaut",
                                    f"Juicernaut of session {session}", f"session:{session}",
                                    rules)
        reward_wealth = reward.wealth
        prize = f"{money(reward.wealth)} and {reward.xp:,} XP"
        if reward.crate:
            where = (origin[0].value, origin[1]) if origin is not None else ("", "")
            placed = await grant_crate(conn, community, holder, reward.crate,  # type: ignore[arg-type]
                                       "juicernaut", now, rules, where)
            prize += f" + {crate_text(reward.crate, placed, rules)}"
        lines.append(f"👑 Juicernaut {name} ({usd(Decimal(row['juicernaut_usd']))}) wins "
                     f"{prize}")
        level_up = progress_text(name, balance.progress)
        if level_up:
            lines.append(level_up)
    summary = " · ".join(lines)
    await StreamingSession.filter(id=session).using_db(conn).update(
        summary=summary, reward_wealth=reward_wealth)
    return await broadcast(app, community, summary, origin)


async def _top(conn: BaseDBAsyncClient, community: int, session: int, limit: int
               ) -> list[tuple[int, str, Decimal]]:
    rows = await conn.execute_query_dict(
        "SELECT c.user_id, u.username, c.usd FROM session_contributions c"
        " JOIN users u ON u.id = c.user_id WHERE c.community_id = $1 AND c.session_id = $2"
        " ORDER BY c.usd DESC, c.updated_at LIMIT $3", [community, session, limit])
    return [(int(r["user_id"]), r["username"], Decimal(r["usd"])) for r in rows]


# ---- commands -------------------------------------------------------------------------

async def start_session(turn: Turn, conn: BaseDBAsyncClient) -> None:
    title = " ".join(turn.cmd.args)[:200]
    opened = await open_session(conn, turn.community, turn.now, title,
                                turn.event.platform.value, turn.event.channel,
                                turn.player.name, turn.rules)
    if opened is None:
        turn.say("a session is already running")
        return
    turn.say("🎬 session started")
    text = f"🎬 {title} — a new session has begun" if title else "🎬 a new session has begun"
    turn.replies += await broadcast(turn.app, turn.community, text)


async def end_session(turn: Turn, conn: BaseDBAsyncClient) -> None:
    replies = await close_session(turn.app, conn, turn.community, turn.now, turn.rules,
                                  (turn.event.platform, turn.event.channel))
    if replies is None:
        turn.say("no session is running")
        return
    turn.say("🎬 session ended")
    turn.replies += replies


async def juice(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!juice``: the crown holder, the top contributors and the asker's total."""
    live = await current(conn, turn.community)
    if live is None:
        turn.say("no session is running — the Juicernaut is crowned while the stream is live")
        return
    top = await _top(conn, turn.community, live.id, TOP_SHOWN)
    if not top:
        turn.say("nobody has contributed this session yet — a sub, bits, kicks or a "
                 "donation takes the Juicernaut crown")
        return
    mine = await SessionContribution.filter(
        community_id=turn.community, session_id=live.id, user_id=turn.player.id).using_db(
        conn).first()
    board = ", ".join(f"{i}. {name} {usd(amount)}" for i, (_, name, amount) in
                      enumerate(top, 1))
    crown = next((n for uid, n, _ in top if uid == live.juicernaut_id), None)  # type: ignore[attr-defined]
    head = f"👑 {crown} wears the crown" if crown else "👑"
    turn.say(f"{head} — {board} · you: {usd(mine.usd if mine else Decimal(0))}")


async def juicehall(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!juicehall``: who wore the crown at the end of the most sessions."""
    rows = await conn.execute_query_dict(
        "SELECT u.username, count(*) AS wins, sum(s.juicernaut_usd) AS given"
        " FROM streaming_sessions s JOIN users u ON u.id = s.juicernaut_id"
        " WHERE s.community_id = $1 AND s.ended_at IS NOT NULL"
        " GROUP BY u.id, u.username ORDER BY wins DESC, given DESC LIMIT $2",
        [turn.community, turn.rules.leaderboard_size])
    if not rows:
        turn.say("no Juicernaut yet — the crown goes to a session's top contributor")
        return
    turn.say("👑 Juicernaut hall: " + ", ".join(
        f"{i}. {r['username']} ×{r['wins']} ({usd(Decimal(r['given']))})"
        for i, r in enumerate(rows, 1)))
