"""Two communities in one deployment: separate worlds, through the real pipeline."""

from __future__ import annotations

from typing import Any

import pytest

from game.events import Platform, encode_event
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.projector import project_once
from kingpin import communities
from tests.support import chat, fetch, outbox_texts

TW = Platform.TWITCH


@pytest.fixture
async def two(app: AppContext) -> AppContext:
    """Community 1 (the default) owns twitch#c; community "other" owns twitch#o."""
    await communities.create("other", "Other streamer")
    await communities.add_channel("other", "twitch", "o")
    app.directory.invalidate()
    return app


async def say(app: AppContext, *events: Any) -> dict[str, int]:
    return await apply_batch(app, "b", [encode_event(e) for e in events])


def in_a(name: str, text: str, **kw: Any) -> Any:
    return chat(name, text, platform=TW, channel="c", user_id=f"tw-{name}", **kw)


def in_b(name: str, text: str, **kw: Any) -> Any:
    return chat(name, text, platform=TW, channel="o", user_id=f"tw-{name}", **kw)


async def players(name: str) -> list[dict[str, Any]]:
    return await fetch("SELECT u.id, u.community_id, u.wealth FROM users u"
                       " WHERE u.username = $1 ORDER BY u.community_id", name)


async def test_the_same_twitch_account_is_two_independent_players(two: AppContext) -> None:
    await say(two, in_a("ann", "!checkin"), in_b("ann", "!checkin"), in_b("ann", "!play"))
    rows = await players("ann")
    assert len(rows) == 2 and rows[0]["community_id"] == 1 and rows[1]["community_id"] != 1
    assert rows[0]["id"] != rows[1]["id"] and rows[0]["wealth"] == 200
    plays = await fetch("SELECT community_id, COUNT(*) AS n FROM game_events"
                        " WHERE event_type = 'play' GROUP BY 1")
    assert [p["community_id"] for p in plays] in ([], [rows[1]["community_id"]])
    events = await fetch("SELECT community_id, COUNT(*) AS n FROM processed_events"
                         " GROUP BY 1 ORDER BY 1")
    assert [e["n"] for e in events] == [1, 2]


async def test_rob_cannot_cross_communities(two: AppContext) -> None:
    await say(two, in_a("bob", "!checkin"), in_b("eve", "!checkin"))
    await say(two, in_b("eve", "hello"))
    await say(two, in_a("mal", "!rob @eve"))
    texts = await outbox_texts(two, "twitch")
    assert any("I don't know eve" in t for t in texts), texts
    assert (await players("eve"))[0]["wealth"] == 200


async def test_leaderboards_and_sessions_are_separate(two: AppContext) -> None:
    await say(two, in_a("rich", "!checkin"), in_b("poor", "hello"))
    await project_once(two)  # boards read the projector's counters
    await say(two, in_b("poor", "!lb"))
    texts = await outbox_texts(two, "twitch")
    assert not any("rich" in t for t in texts if t.startswith("@poor")), texts
    await say(two, in_a("moda", "!startsession A's stream", roles=frozenset({"moderator"})))
    await say(two, in_b("modb", "!startsession B's stream", roles=frozenset({"moderator"})))
    sessions = await fetch("SELECT community_id, title FROM streaming_sessions"
                           " WHERE ended_at IS NULL ORDER BY community_id")
    assert [s["title"] for s in sessions] == ["A's stream", "B's stream"]
    # B's mod ends only B's session
    await say(two, in_b("modb", "!endsession", roles=frozenset({"moderator"})))
    open_now = await fetch("SELECT community_id FROM streaming_sessions WHERE ended_at IS NULL")
    assert [s["community_id"] for s in open_now] == [1]


async def test_an_event_from_an_unowned_channel_reaches_nothing(two: AppContext) -> None:
    stranger = chat("owner", "!givewealth ann 1000000", platform=TW, channel="nobody",
                    roles=frozenset({"broadcaster"}))
    result = await say(two, stranger, chat("ann", "hello", platform=TW, channel="nobody"))
    assert result["unowned"] == 2 and result["applied"] == 0
    assert await fetch("SELECT * FROM users") == []
    assert await fetch("SELECT * FROM processed_events") == []
    assert await outbox_texts(two, "twitch") == []
    assert int(await two.redis.hget(two.keys.stats, "unowned_events")) == 2


async def test_a_discord_event_is_owned_by_its_guild(two: AppContext) -> None:
    await communities.add_channel("other", "discord", "guild-9")
    two.directory.invalidate()
    owned = chat("dan", "!checkin", platform=Platform.DISCORD, channel="chan-in-guild")
    owned = owned.model_copy(update={"guild": "guild-9"})
    foreign = chat("dan", "!checkin", platform=Platform.DISCORD, channel="chan-in-guild")
    foreign = foreign.model_copy(update={"guild": "guild-unknown"})
    result = await say(two, owned, foreign)
    assert result["applied"] == 1 and result["unowned"] == 1
    rows = await players("dan")
    assert len(rows) == 1 and rows[0]["community_id"] != 1


async def test_operators_cannot_give_one_channel_to_two_communities(two: AppContext) -> None:
    with pytest.raises(communities.CommunityError, match="belongs to 'other'"):
        await communities.add_channel("local", "twitch", "o")
    assert await communities.remove_channel("other", "twitch", "o")
    await communities.add_channel("local", "twitch", "o")
    info = await communities.get("local")
    assert ("twitch", "o") in {(c.platform, c.channel_id) for c in info.channels}


async def test_a_session_start_is_broadcast_to_every_channel_of_its_community_only(
    two: AppContext,
) -> None:
    await communities.add_channel("other", "kick", "ko")
    await communities.add_channel("other", "discord", "guild-o")
    await communities.add_channel("other", "discord", "feed-o", role="feed")
    two.directory.invalidate()
    await say(two, in_b("modb", "!startsession finals", roles=frozenset({"moderator"})))
    import json

    heard: dict[str, list[tuple[str, str]]] = {}
    for platform in ("twitch", "kick", "discord", "console"):
        raw = await two.redis.lrange(two.keys.outbox(platform), 0, -1)

        heard[platform] = [(json.loads(r)["channel"], json.loads(r)["text"]) for r in raw]
    assert ("o", "🎬 finals — a new session has begun") in heard["twitch"]
    assert heard["kick"] == [("ko", "🎬 finals — a new session has begun")]
    assert heard["discord"] == [("feed-o", "🎬 finals — a new session has begun")]
    assert heard["console"] == []  # community 1's console channel hears nothing
    assert all(channel == "o" for channel, _ in heard["twitch"])


async def test_config_is_the_broadcasters_and_changes_only_their_community(
    two: AppContext, clock: Any
) -> None:
    from datetime import timedelta

    boss = frozenset({"broadcaster"})
    await say(two, in_b("bee", "!config play.cooldown_s 300", roles=frozenset({"moderator"})))
    await say(two, in_b("boss", "!config play.cooldown_s 3", roles=boss))
    await say(two, in_b("boss", "!config play.cooldown_s 300", roles=boss))
    await say(two, in_b("boss", "!config play.cooldown_s", roles=boss))
    texts = await outbox_texts(two, "twitch")
    assert texts == [
        "@bee only the broadcaster can use !config",
        "@boss play.cooldown_s takes a whole number from 5 to 3600",
        "@boss play.cooldown_s is now 300 (was: play.cooldown_s = 30)",
        "@boss play.cooldown_s = 300 (default 30) — seconds between !play; a whole number"
        " from 5 to 3600",
    ], texts
    audit = await fetch("SELECT community_id, action FROM audit_log")
    assert [a["action"] for a in audit] == ["config"] and audit[0]["community_id"] != 1
    # community B now waits 300 s between plays, community A still 30 s (nobody is busted)
    await say(two, in_b("boss", "!config play.bust_chance 0", roles=boss),
              in_a("boss", "!config play.bust_chance 0%", roles=boss))
    await say(two, in_b("pia", "!play"), in_a("pia", "!play"))
    clock.now += timedelta(seconds=60)
    await say(two, in_b("pia", "!play"), in_a("pia", "!play"))
    plays = await fetch("SELECT community_id, total_play_count AS n FROM users"
                        " WHERE username = 'pia' ORDER BY community_id")
    assert [p["n"] for p in plays] == [2, 1], await outbox_texts(two, "twitch")
    await say(two, in_b("boss", "!config play.cooldown_s default", roles=boss))
    assert (await outbox_texts(two, "twitch"))[-1].startswith("@boss play.cooldown_s is now 30")


async def test_adopting_env_channels_counts_what_joined(two: AppContext) -> None:
    assert await communities.adopt("twitch", [("envchan", ""), ("o", "")]) == 1  # o is taken
    owner = await fetch("SELECT community_id FROM community_channels WHERE channel_id = 'o'")
    assert owner[0]["community_id"] != 1


async def test_a_feed_set_from_discord_hears_broadcasts(two: AppContext) -> None:
    await communities.add_channel("other", "discord", "guild-f")
    from platforms.discord.repository import DiscordConfigRepo

    await DiscordConfigRepo().set_feed_channel("guild-f", "feed-from-discord")
    two.directory.invalidate()
    await say(two, in_b("modb", "!startsession", roles=frozenset({"moderator"})))
    import json

    raw = await two.redis.lrange(two.keys.outbox("discord"), 0, -1)
    assert [json.loads(r)["channel"] for r in raw] == ["feed-from-discord"]


async def test_one_flush_pays_each_community_its_own_chat_reward(
    two: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobs import activity

    boss = frozenset({"broadcaster"})
    await say(two, in_b("boss", "!config chat.wealth 50", roles=boss))
    await apply_batch(two, "chat", [encode_event(in_a("amy", "hello")),
                                    encode_event(in_b("bea", "hello"))])

    async def no_lookup_under_locks(community: int) -> Any:
        raise AssertionError("rules looked up one by one inside the flush")

    two.rules_cache.forget(1)  # both communities' numbers are loaded by the flush itself
    monkeypatch.setattr(two.rules_cache, "get", no_lookup_under_locks)
    assert await activity.flush(two) == 3  # amy, bea and boss
    rows = await fetch("SELECT username, community_id, wealth FROM users"
                       " WHERE username IN ('amy', 'bea') ORDER BY username")
    assert [(r["username"], r["wealth"]) for r in rows] == [("amy", 5), ("bea", 50)]


async def test_a_batch_loads_its_communities_rules_in_one_query(
    two: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobs import config

    loads: list[str] = []
    real_db = config.db

    class Counting:
        async def execute_query_dict(self, sql: str, args: Any = None) -> Any:
            if "bot_config" in sql:
                loads.append(sql)
            return await real_db().execute_query_dict(sql, args)

    monkeypatch.setattr(config, "db", Counting)
    two.rules_cache.forget(1)
    await say(two, in_a("amy", "!play"), in_b("bea", "!play"), in_a("cat", "!checkin"))
    assert len(loads) == 1, loads
