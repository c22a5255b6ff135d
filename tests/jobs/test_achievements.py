"""Achievements end to end: real commands, the projector's hook, rewards, titles,
announcements and !achievements (PostgreSQL and Redis)."""

from __future__ import annotations

import json
import random
import uuid
from datetime import timedelta
from typing import Any

import pytest

from game.achievements import by_key
from game.events import encode_event
from game.levels import total_xp_for_level
from jobs import activity, projector
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.projector import project_once
from tests.jobs.test_commands import BROADCASTER, give, say
from tests.support import NOON, chat, clear_outbox, fetch
from tests.support import project_all as caught_up


async def unlocked(name: str) -> list[str]:
    rows = await fetch("SELECT a.achievement_id FROM user_achievements a JOIN users u"
                       " ON u.id = a.user_id WHERE u.username = $1 ORDER BY a.id", name)
    return [r["achievement_id"] for r in rows]


async def local_lines(app: AppContext) -> list[str]:
    """What the console's ``local`` channel (one of the community's chat channels) got."""
    raw = [json.loads(r) for r in await app.redis.lrange(app.keys.outbox("console"), 0, -1)]
    return [r["text"] for r in raw if r["channel"] == "local"]


async def project_all(app: AppContext) -> list[str]:
    """Project until caught up; the chat lines it queued (one channel's)."""
    for platform in ("console", "twitch", "kick", "discord"):
        await clear_outbox(app, platform)
    await caught_up(app)
    return await local_lines(app)


async def achievement_rows(name: str) -> list[dict[str, Any]]:
    return await fetch("SELECT g.wealth_delta, g.xp_delta, g.detail FROM game_events g JOIN"
                       " users u ON u.id = g.user_id WHERE u.username = $1"
                       " AND g.event_type = 'achievement' ORDER BY g.id", name)


async def chatter(app: AppContext, name: str, n: int) -> None:
    await apply_batch(app, uuid.uuid4().hex, [
        encode_event(chat(name, f"hello {i}", at=NOON + timedelta(seconds=i)))
        for i in range(n)])
    await activity.flush(app)


async def test_100_messages_unlock_chatterbox_once(app: AppContext) -> None:
    await chatter(app, "alice", 99)
    assert await project_all(app) == []
    assert await unlocked("alice") == []
    await chatter(app, "alice", 1)
    # before the projector: !achievements already counts the unprojected messages
    [shown] = await say(app, chat("alice", "!achievements"))
    assert "0/41 achievements — next: Chatterbox (send 100 chat messages, 100/100)" in shown
    wealth = (await fetch("SELECT wealth FROM users"))[0]["wealth"]
    lines = await project_all(app)
    assert lines == ["🏆 alice unlocked Chatterbox (send 100 chat messages) — +$500, +50 XP"]
    assert await unlocked("alice") == ["messages_100"]
    rows = await achievement_rows("alice")
    assert [(r["wealth_delta"], r["xp_delta"]) for r in rows] == [(500, 50)]
    assert (await fetch("SELECT wealth FROM users"))[0]["wealth"] == wealth + 500
    notes = await fetch("SELECT kind, text FROM user_notifications")
    assert notes == [{"kind": "achievement", "text": "🏆 achievement Chatterbox (send 100 chat"
                      " messages): +$500, +50 XP"}]
    # more rows and more runs: rewarded and announced once
    await chatter(app, "alice", 5)
    assert await project_all(app) == []
    assert await project_all(app) == []
    assert len(await achievement_rows("alice")) == 1
    [shown] = await say(app, chat("alice", "!achievements"))
    assert shown.startswith("@alice 🏆 you have 1/41 achievements — latest: Chatterbox — next:")


async def test_a_batch_rerun_after_a_failure_rewards_and_announces_once(
        app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    await chatter(app, "alice", 100)
    real = projector.hooks

    async def boom(*_: Any) -> None:
        raise RuntimeError("killed after the achievements hook")

    monkeypatch.setattr(projector, "hooks", lambda: [*real(), boom])
    with pytest.raises(RuntimeError):
        await project_once(app)
    assert await unlocked("alice") == []  # rolled back, nothing announced
    assert await local_lines(app) == []
    monkeypatch.setattr(projector, "hooks", real)
    lines = await project_all(app)
    assert len(lines) == 1 and "Chatterbox" in lines[0]
    assert len(await achievement_rows("alice")) == 1
    assert await project_all(app) == []


async def test_level_achievements_from_givexp_and_a_title_to_wear(app: AppContext) -> None:
    await fetch("INSERT INTO community_channels (community_id, platform, channel_id, role,"
                " label) VALUES (1, 'discord', 'feed-1', 'feed', 'feed')")
    app.directory.invalidate()
    await say(app, chat("alice", "hi"))
    await say(app, chat("boss", f"!givexp alice {total_xp_for_level(10)}", roles=BROADCASTER))
    lines = await project_all(app)
    assert lines == ["🏆 alice unlocked Climbing (reach level 5), Double Digits (reach level"
                     " 10) — +$500; +$2,000",
                     # the rewards' $2,500 are wealth earned too: the next run sees them
                     "🏆 alice unlocked Pocket Money (earn $1,000) — +100 XP"]
    # Discord hears a broadcast in the feed channel: without a title, as a line, not a card
    posted = [json.loads(r) for r in await app.redis.lrange(app.keys.outbox("discord"), 0, -1)]
    assert len(posted) == 2 and not any(p.get("card") for p in posted)
    assert await unlocked("alice") == ["level_5", "level_10", "earn_1k"]
    await say(app, chat("boss", f"!givexp alice {total_xp_for_level(50)}", roles=BROADCASTER))
    lines = await project_all(app)
    assert "Halfway There (reach level 50)" in lines[0], lines
    assert "the title “Veteran” (!title)" in lines[0]
    assert not any("Veteran" in line for line in lines[1:])
    posted = [json.loads(r) for r in await app.redis.lrange(app.keys.outbox("discord"), 0, -1)]
    cards = [p for p in posted if p["channel"] == "feed-1" and p.get("card")]
    assert len(cards) == 1 and cards[0]["card"]["title"] == "Achievement unlocked"
    assert "Veteran" in cards[0]["card"]["description"]
    assert (await say(app, chat("alice", "!titles")))[0].startswith("@alice 🏷️ titles 1/")
    worn = await say(app, chat("alice", "!title veteran"))
    assert worn == ["@alice you now wear the title “Veteran”"]
    assert await fetch("SELECT title_id, is_equipped FROM user_titles") == [
        {"title_id": "veteran", "is_equipped": True}]


async def test_a_checkin_streak_of_7_days(app: AppContext, clock: Any) -> None:
    for day in range(7):
        clock.now = NOON + timedelta(days=day)
        out = await say(app, chat("alice", "!checkin", at=clock.now))
        assert "checked in" in out[0], out
        if day < 6:
            await project_all(app)
            assert "checkin_7" not in await unlocked("alice")
    lines = await project_all(app)
    assert any("Regular (check in 7 days in a row)" in line for line in lines), lines
    assert "checkin_7" in await unlocked("alice")
    # a broken streak keeps the best one reached
    clock.now = NOON + timedelta(days=10)
    await say(app, chat("alice", "!checkin", at=clock.now))
    await project_all(app)
    state = await fetch("SELECT state FROM player_progress")
    assert json.loads(state[0]["state"])["checkin_streak"] == 7


class Rolls(random.Random):
    """Every ``random()`` draw is ``roll`` (0: a rob succeeds; near 1: it fails)."""

    roll = 0.0

    def random(self) -> float:
        return self.roll


async def test_robs_won_a_streak_and_a_defense(app: AppContext, clock: Any) -> None:
    rng = Rolls(1)
    app.rng = rng
    for i in range(5):
        await give(app, f"v{i}", 10_000)
    await say(app, chat("robber", "hi"))
    for i in range(5):
        clock.now += timedelta(minutes=6)
        out = await say(app, chat("robber", f"!rob @v{i}", at=clock.now))
        assert "you robbed" in out[0], out
    lines = await project_all(app)
    assert any("Sticky Fingers (win 5 robs)" in line for line in lines), lines
    progress = await fetch("SELECT rob_streak, rob_streak_best FROM player_progress p JOIN"
                           " users u ON u.id = p.user_id WHERE u.username = 'robber'")
    assert progress == [{"rob_streak": 5, "rob_streak_best": 5}]
    rng.roll = 0.999
    clock.now += timedelta(days=1, minutes=6)
    out = await say(app, chat("robber", "!rob @v0", at=clock.now))
    assert "got away" in out[0], out
    await project_all(app)
    progress = await fetch("SELECT rob_streak, rob_streak_best FROM player_progress p JOIN"
                           " users u ON u.id = p.user_id WHERE u.username = 'robber'")
    assert progress == [{"rob_streak": 0, "rob_streak_best": 5}]
    defenses = await fetch("SELECT s.defenses FROM leaderboard_snapshots s JOIN users u"
                           " ON u.id = s.user_id WHERE u.username = 'v0'"
                           " AND s.period = 'lifetime'")
    assert defenses == [{"defenses": 1}]


async def test_bought_items_are_counted_once_each(app: AppContext) -> None:
    await give(app, "alice", 10_000_000)
    await say(app, chat("alice", "!shop"))
    rows = await fetch("SELECT i.name, i.key FROM player_shop_inventory s JOIN items i"
                       " ON i.key = s.item_id ORDER BY s.id")
    for row in rows[:2]:
        out = await say(app, chat("alice", f"!buy {row['name']}"))
        assert out[0].startswith("@alice bought"), out
    await project_all(app)
    seen = await fetch("SELECT items_seen FROM player_progress")
    assert json.loads(seen[0]["items_seen"]) == [r["key"] for r in rows[:2]]
    buys = await fetch("SELECT detail FROM game_events WHERE event_type = 'buy' ORDER BY id")
    assert [json.loads(b["detail"])["item"] for b in buys] == [r["key"] for r in rows[:2]]


async def test_achievements_of_another_player_and_bad_input(app: AppContext) -> None:
    await chatter(app, "bob", 100)
    await project_all(app)
    await say(app, chat("alice", "hi"))
    [theirs] = await say(app, chat("alice", "!achievements @bob"))
    assert theirs.startswith("@alice 🏆 bob has 1/41 achievements — latest: Chatterbox")
    [mine] = await say(app, chat("alice", "!ach"))
    assert mine.startswith("@alice 🏆 you have 0/41 achievements — next: ")
    [nobody] = await say(app, chat("alice", "!achievements @nobody"))
    assert "I don't know nobody" in nobody
    [usage] = await say(app, chat("alice", "!achievements @bob @alice"))
    assert "usage: !achievements [@user]" in usage


async def test_every_achievement_is_seeded() -> None:
    rows = await fetch("SELECT key, title_key FROM achievements")
    assert {r["key"]: r["title_key"] for r in rows} == {
        k: a.title_key for k, a in by_key().items()}
    titles = {r["key"] for r in await fetch("SELECT key FROM crate_titles")}
    assert {a.title_key for a in by_key().values() if a.title_key} <= titles
