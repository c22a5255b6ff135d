"""Sessions and the Juicernaut through the pipeline (PostgreSQL and Redis)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from game.events import (
    Cheer,
    Platform,
    StreamOffline,
    StreamOnline,
    Subscription,
    UserRef,
    encode_event,
)
from jobs.apply import apply_batch
from jobs.context import AppContext
from tests.support import NOON, chat, clear_outbox, fetch, outbox_texts, wealth_of

TW, KI = (Platform.TWITCH, "c"), (Platform.KICK, "chan")


def _base(where: tuple[Platform, str]) -> dict[str, Any]:
    return {"platform": where[0], "channel": where[1], "event_id": uuid.uuid4().hex[:12],
            "occurred_at": NOON, "received_at": NOON}


def online(where: tuple[Platform, str] = TW) -> StreamOnline:
    return StreamOnline(**_base(where), title="big stream")


def offline(where: tuple[Platform, str] = TW) -> StreamOffline:
    return StreamOffline(**_base(where))


def sub(name: str, tier: int = 1, where: tuple[Platform, str] = TW) -> Subscription:
    return Subscription(**_base(where), user=UserRef(id=name.lower(), name=name), tier=tier)


def cheer(name: str, bits: int, where: tuple[Platform, str] = TW) -> Cheer:
    return Cheer(**_base(where), user=UserRef(id=name.lower(), name=name), bits=bits)


async def apply(app: AppContext, *events: Any) -> None:
    await apply_batch(app, uuid.uuid4().hex, [encode_event(e) for e in events])


async def crowned() -> str | None:
    rows = await fetch("SELECT u.username FROM streaming_sessions s JOIN users u"
                       " ON u.id = s.juicernaut_id WHERE s.ended_at IS NULL")
    return rows[0]["username"] if rows else None


async def test_one_session_spans_the_platforms_of_a_multistream(app: AppContext) -> None:
    await apply(app, online(TW))
    await apply(app, online(KI))
    assert len(await fetch("SELECT * FROM streaming_sessions")) == 1
    await apply(app, offline(KI))
    await apply(app, offline(TW))
    rows = await fetch("SELECT ended_at, summary FROM streaming_sessions")
    assert len(rows) == 1 and rows[0]["ended_at"] is not None
    assert "session over: big stream" in rows[0]["summary"]


async def test_the_crown_moves_only_to_a_strictly_higher_total(app: AppContext) -> None:
    await apply(app, online())
    await apply(app, sub("Alice"))                      # $5
    assert await crowned() == "Alice"
    await apply(app, cheer("Bob", 500))                 # $5: a tie keeps the holder
    assert await crowned() == "Alice"
    await apply(app, cheer("Bob", 100))                 # $6
    assert await crowned() == "Bob"
    assert any("Bob takes the Juicernaut crown with $6" in t
               for t in await outbox_texts(app, "twitch"))
    await apply(app, sub("Alice", tier=3))              # $30
    assert await crowned() == "Alice"


async def test_support_outside_a_session_counts_for_no_crown(app: AppContext) -> None:
    await apply(app, sub("Alice"))
    assert not await fetch("SELECT * FROM session_contributions")
    assert await wealth_of("Alice") == 500  # the reward itself is paid live or not


async def test_the_crown_holder_cannot_be_robbed(app: AppContext, clock: Any) -> None:
    await apply(app, online())
    await apply(app, sub("Alice"))
    await apply(app, chat("Bob", "hi", platform=TW[0], channel=TW[1]))
    await clear_outbox(app, "twitch")
    await apply(app, chat("Bob", "!rob @Alice", platform=TW[0], channel=TW[1]))
    assert any("wears the Juicernaut crown" in t for t in await outbox_texts(app, "twitch"))


async def test_session_end_pays_the_crown_once_by_their_total(app: AppContext) -> None:
    await apply(app, online(TW))
    await apply(app, online(KI))
    await apply(app, cheer("Bob", 600))                 # $6: the 5-15 band
    before = await wealth_of("Bob")
    mod = chat("Mod", "!endsession", platform=TW[0], channel=TW[1],
               roles=frozenset({"moderator"}))
    # the offline events of both platforms and a mod's !endsession, through two "workers"
    await asyncio.gather(apply(app, offline(TW)), apply(app, offline(KI)), apply(app, mod))
    paid = await fetch("SELECT wealth_delta, xp_delta FROM game_events"
                       " WHERE event_type = 'juicernaut'")
    assert [(p["wealth_delta"], p["xp_delta"]) for p in paid] == [(3_000, 500)]
    assert await wealth_of("Bob") == before + 3_000
    crates = await fetch("SELECT tier, source FROM user_crates")
    assert [(c["tier"], c["source"]) for c in crates] == [("common", "juicernaut")]
    summary = (await fetch("SELECT summary FROM streaming_sessions"))[0]["summary"]
    assert "Juicernaut Bob ($6) wins $3,000 and 500 XP" in summary
    texts = await outbox_texts(app, "twitch") + await outbox_texts(app, "kick")
    assert sum(summary in t for t in texts) >= 2  # broadcast to both platforms


async def test_juice_and_the_hall(app: AppContext, clock: Any) -> None:
    await apply(app, chat("Viewer", "!juice", platform=TW[0], channel=TW[1]))
    assert any("no session is running" in t for t in await outbox_texts(app, "twitch"))
    await apply(app, online())
    await apply(app, sub("Alice", tier=2), cheer("Bob", 250))
    await clear_outbox(app, "twitch")
    await apply(app, chat("Bob", "!juice", platform=TW[0], channel=TW[1]))
    line = (await outbox_texts(app, "twitch"))[-1]
    assert "Alice wears the crown" in line and "1. Alice $10, 2. Bob $2.50" in line
    assert "you: $2.50" in line
    clock.now = NOON + timedelta(hours=2)
    await apply(app, offline())
    await apply(app, chat("Bob", "!juicehall", platform=TW[0], channel=TW[1]))
    assert "1. Alice ×1 ($10)" in (await outbox_texts(app, "twitch"))[-1]
