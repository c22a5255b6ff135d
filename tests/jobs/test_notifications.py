"""Notifications: stored with the command that causes them, read by !inbox, pruned after 30
days; notable ones posted to the Discord feed as cards (PostgreSQL and Redis)."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

from jobs.context import AppContext
from jobs.notifications import prune_notifications
from tests.jobs.test_commands import BROADCASTER, give, say
from tests.support import chat, fetch


async def kinds_of(name: str) -> list[str]:
    rows = await fetch("SELECT n.kind FROM user_notifications n JOIN users u ON u.id = n.user_id"
                       " WHERE u.username = $1 ORDER BY n.id", name)
    return [r["kind"] for r in rows]


async def rob_until_it_works(app: AppContext, clock: Any) -> None:
    for seed in range(200):
        app.rng = random.Random(seed)
        await say(app, chat("robber", "!rob @victim"))
        if (await fetch("SELECT 1 FROM game_events WHERE event_type = 'robbed'")):
            return
        clock.now += timedelta(days=1, seconds=1)  # past both cooldowns
    raise AssertionError("no rob succeeded")


async def test_the_robbed_player_finds_it_in_the_inbox_once(app: AppContext,
                                                              clock: Any) -> None:
    await give(app, "victim", 10_000)
    await say(app, chat("robber", "hi"))
    await rob_until_it_works(app, clock)
    assert (await kinds_of("victim"))[-1] in ("robbed", "item_stolen")
    first = await say(app, chat("victim", "!inbox"))
    assert first[0].startswith("@victim 📬 1 new — • 💸 you were robbed by robber"), first
    again = await say(app, chat("victim", "!inbox"))
    assert again[0].startswith("@victim 📬 nothing new — 💸 you were robbed"), again
    empty = await say(app, chat("robber", "!inbox"))
    assert "nothing in your inbox" in empty[0]


async def test_a_promotion_to_captain_is_stored_and_posted_to_the_feed(
        app: AppContext) -> None:
    await fetch("INSERT INTO community_channels (community_id, platform, channel_id, role,"
                " label) VALUES (1, 'discord', 'feed-1', 'feed', 'feed')")
    app.directory.invalidate()
    await say(app, chat("alice", "hi"))
    await say(app, chat("boss", "!givexp alice 100", roles=BROADCASTER))  # a level
    assert await kinds_of("alice") == ["level_up"]
    assert not await app.redis.lrange(app.keys.outbox("discord"), 0, -1)
    await say(app, chat("boss", "!givexp alice 1000000000", roles=BROADCASTER))
    assert (await kinds_of("alice"))[-1] == "tier_up"
    posted = [json.loads(r) for r in await app.redis.lrange(app.keys.outbox("discord"), 0, -1)]
    feed = [p for p in posted if p["channel"] == "feed-1"]
    assert len(feed) == 1 and feed[0]["card"]["title"] == "Promotion"
    assert "alice reached level" in feed[0]["text"]


async def test_notifications_are_kept_30_days(app: AppContext, clock: Any) -> None:
    await say(app, chat("alice", "hi"))
    await say(app, chat("boss", "!givexp alice 100", roles=BROADCASTER))
    await fetch("INSERT INTO user_notifications (community_id, user_id, kind, text,"
                " created_at) SELECT community_id, user_id, kind, 'old', created_at"
                " - interval '31 days' FROM user_notifications")
    assert await prune_notifications({"app": app}) == {"pruned": 1}
    assert [r["text"] for r in await fetch("SELECT text FROM user_notifications")] != ["old"]
    assert len(await fetch("SELECT id FROM user_notifications")) == 1
