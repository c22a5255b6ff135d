"""Notifications: stored per player in the transaction that causes them (``notify``: the
insert travels with the COMMIT, no round trip of its own), read by ``!inbox``, pruned after
30 days by a cron; notable ones also go to the community's Discord feed channel as cards
(``to_feed``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from game.levels import Progress, progress_text
from game.notifications import (
    INBOX_SHOWN,
    RETENTION_DAYS,
    inbox_text,
    progress_kind,
    promotion_is_notable,
)
from game.replies import Card, Reply
from jobs.broadcast import broadcast_many
from jobs.context import AppContext, app_from
from jobs.players import db
from jobs.turn import Turn
from kingpin.db import Deferred, OneTripTransaction

_INSERT = (
    "INSERT INTO user_notifications (community_id, user_id, kind, text, created_at)"
    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[],"
    " $5::timestamptz[])"
)
# one note, prepared once per connection (kingpin/db.Deferred), for a command's COMMIT
_INSERT_ONE = Deferred(
    "kp_notify", "bigint, bigint, text, text, timestamptz",
    "INSERT INTO user_notifications (community_id, user_id, kind, text, created_at)"
    " VALUES ($1, $2, $3, $4, $5)"
)

Note = tuple[int, int, str, str]  # community, player, kind, text


async def notify(conn: BaseDBAsyncClient, now: datetime, *notes: Note) -> None:
    """Store the notes with the caller's transaction (deferred to its COMMIT when it can
    carry it, so a command pays no round trip for them)."""
    if not notes:
        return
    if isinstance(conn, OneTripTransaction):
        for community, player, kind, text in notes:
            conn.defer_call(_INSERT_ONE, [community, player, kind, text[:500], now])
        return
    await conn.execute_query(_INSERT, [
        [n[0] for n in notes], [n[1] for n in notes], [n[2] for n in notes],
        [n[3][:500] for n in notes], [now] * len(notes)])


async def to_feed(app: AppContext, community: int, title: str, text: str) -> list[Reply]:
    """A notable event for the community's Discord feed channel, as a card."""
    card = Card(title=title[:100], description=text[:1000])
    return [r.model_copy(update={"card": card})
            for r in await broadcast_many(app, [(community, text)])
            if r.platform.value == "discord"]


async def inbox(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!inbox``: the newest notifications, the unread ones marked, then all read."""
    rows = await conn.execute_query_dict(
        "SELECT text, read_at IS NULL AS unread FROM user_notifications"
        " WHERE community_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC"
        " LIMIT $3", [turn.community, turn.player.id, INBOX_SHOWN])
    unread = await conn.execute_query_dict(
        "UPDATE user_notifications SET read_at = $3 WHERE community_id = $1 AND user_id = $2"
        " AND read_at IS NULL RETURNING id", [turn.community, turn.player.id, turn.now])
    turn.say_private(inbox_text([(r["text"], bool(r["unread"])) for r in rows], len(unread)))


async def prune_notifications(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron (hourly): notifications older than 30 days go."""
    app = app_from(ctx)
    before = app.clock() - timedelta(days=RETENTION_DAYS)
    gone = await db().execute_query_dict(
        "DELETE FROM user_notifications WHERE created_at < $1 RETURNING id", [before])
    return {"pruned": len(gone)}


async def progressed(turn: Turn, conn: BaseDBAsyncClient, user_id: int, name: str,
                     prog: Progress) -> None:
    """A level-up or tier-up: announced where it happened, stored for the player, and a
    promotion to Captain or above posted to the feed."""
    text = progress_text(name, prog)
    kind = progress_kind(prog)
    if text is None or kind is None:
        return
    turn.announce(text)
    await notify(conn, turn.now, (turn.community, user_id, kind, text))
    if promotion_is_notable(prog):
        turn.replies += await to_feed(turn.app, turn.community, "Promotion", text)
