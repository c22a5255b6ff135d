"""Factions and territories end to end (PostgreSQL and Redis): the commands, the scores
through the projector, the daily evaluation and the weekly rewards (once per due time, also
when two workers run them at once), the buffs in !play and !profile. Ledger rows carry the
database's clock, so these tests set the game's clock to the real time."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from game.stats import STATS, period_end, period_start
from jobs import activity
from jobs.context import AppContext
from jobs.factions import evaluate_territories, pay_factions
from jobs.ledger import record_event
from jobs.players import db
from tests.jobs.test_commands import BROADCASTER, give, say
from tests.support import chat, fetch, project_all


@pytest.fixture
def now(clock: Any) -> Any:
    clock.now = datetime.now(UTC).replace(microsecond=0)
    return clock


async def uid(name: str) -> int:
    return int((await fetch("SELECT id FROM users WHERE username = $1", name))[0]["id"])


async def veteran(app: AppContext, name: str, now: Any) -> int:
    """A player at level 20+."""
    await say(app, chat(name, "hi", at=now.now))
    await say(app, chat("boss", f"!givexp {name} 40000", roles=BROADCASTER, at=now.now))
    return await uid(name)


async def member(name: str, faction: str, home: str) -> int:
    user = await uid(name)
    await fetch("INSERT INTO faction_members (community_id, user_id, faction_id, territory_key,"
                " joined_at, captures) VALUES (1, $1, $2, $3, now() - interval '1 day', 0)",
                user, faction, home)
    return user


async def hold(**territories: str) -> None:
    await fetch("INSERT INTO territories (community_id, key, faction_id) SELECT 1, k, f"
                " FROM unnest($1::text[], $2::text[]) AS v(k, f)"
                " ON CONFLICT (community_id, key) DO UPDATE SET faction_id = EXCLUDED.faction_id",
                list(territories), list(territories.values()))


def midnight_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), UTC)


async def test_join_rules(app: AppContext, now: Any) -> None:
    await say(app, chat("newbie", "hi", at=now.now))
    out = await say(app, chat("newbie", "!faction join volkov", at=now.now))
    assert out == ["@newbie factions take players from level 20 (you are level 1)"]
    await veteran(app, "alice", now)
    for bad in ("!faction", "!faction join", "!faction dance", "!faction leave now"):
        out = await say(app, chat("alice", bad, at=now.now))
        assert out == ["@alice usage: !faction join <name> | !faction leave"], bad
    out = await say(app, chat("alice", "!faction join mafia", at=now.now))
    assert "no faction called mafia" in out[0]
    out = await say(app, chat("alice", "!faction join BRATVA", at=now.now))
    assert out[0].startswith("@alice 🏴 welcome to The Volkov Bratva — you fight for "
                             "Chrome Heights"), out
    out = await say(app, chat("alice", "!faction join dead circuit", at=now.now))
    assert "already in a faction" in out[0]
    # the next member of the faction goes where it has the fewest members
    await veteran(app, "bob", now)
    out = await say(app, chat("bob", "!faction join the volkov", at=now.now))
    assert "you fight for Neon Mile" in out[0]
    out = await say(app, chat("alice", "!factions", at=now.now))
    assert out[0].startswith("@alice 🏴 The Volkov Bratva: 2 members, 0 territories | Dead "
                             "Circuit: 0 members"), out
    assert out[0].endswith("you're in The Volkov Bratva")
    out = await say(app, chat("alice", "!faction leave", at=now.now))
    assert "you left The Volkov Bratva" in out[0]
    assert "not in a faction" in (await say(app, chat("alice", "!faction leave",
                                                      at=now.now)))[0]
    now.now += timedelta(days=6, hours=23)
    out = await say(app, chat("alice", "!faction join kessler", at=now.now))
    assert out == ["@alice you left a faction recently: you can join one again in 1 h 0 min"]
    now.now += timedelta(hours=1)
    out = await say(app, chat("alice", "!faction join kessler", at=now.now))
    assert "welcome to Kessler Group — you fight for Chrome Heights" in out[0]
    rows = await fetch("SELECT event_type FROM game_events WHERE event_type LIKE 'faction%'"
                       " ORDER BY id")
    assert [r["event_type"] for r in rows] == ["faction_join", "faction_join",
                                               "faction_leave", "faction_join"]


async def test_every_scoring_event_scores_through_the_projector(
        app: AppContext, now: Any) -> None:
    await give(app, "bob", 50_000)
    alice = await veteran(app, "alice", now)
    await say(app, chat("alice", "!faction join volkov", at=now.now))
    await say(app, chat("bob", "!faction join nobody", at=now.now))  # bob is no member
    await say(app, chat("alice", "hello there", at=now.now),
              chat("alice", "more chat", at=now.now), chat("bob", "hi", at=now.now))
    await activity.flush(app)
    await say(app, chat("alice", "!rob @bob", at=now.now))
    await say(app, chat("alice", "!checkin", at=now.now))
    await say(app, chat("bob", "!checkin", at=now.now))
    now.now += timedelta(minutes=1)
    await say(app, chat("alice", "!play", at=now.now))
    await record_event(db(), 1, alice, "mission", "a mission done", None, None)
    await project_all(app)
    counts = (await fetch(
        "SELECT count(*) FILTER (WHERE event_type = 'play') AS plays,"
        " count(*) FILTER (WHERE event_type = 'rob') AS robs,"
        " count(*) FILTER (WHERE event_type = 'checkin') AS checkins,"
        " count(*) FILTER (WHERE event_type = 'mission') AS missions,"
        " COALESCE(sum((detail->>'messages')::int) FILTER (WHERE event_type = 'chat'), 0)"
        " AS messages FROM game_events WHERE user_id = $1", alice))[0]
    assert (counts["plays"], counts["robs"], counts["checkins"], counts["missions"]) == \
        (1, 1, 1, 1) and counts["messages"] >= 2
    expected = counts["messages"] + 10 + 20 + 15 + 25
    scores = await fetch("SELECT territory_key, faction_id, day, points FROM territory_scores")
    assert scores == [{"territory_key": "chrome_heights", "faction_id": "volkov",
                       "day": now.now.date(), "points": expected}]
    points = await fetch("SELECT u.username, s.period, s.faction_points FROM"
                         " leaderboard_snapshots s JOIN users u ON u.id = s.user_id"
                         " WHERE s.faction_points <> 0 ORDER BY s.period")
    assert [(r["username"], r["faction_points"]) for r in points] == [("alice", expected)] * 5
    out = await say(app, chat("bob", "!territories", at=now.now))
    assert f"Chrome Heights (XP +5%): nobody, today The Volkov Bratva {expected:,}" in out[0]
    assert "⚔️Freeport (all rewards +15%): nobody" in out[0]


async def test_the_daily_evaluation_moves_territories_once(app: AppContext, now: Any) -> None:
    today = now.now.date()
    await hold(freeport="kessler")
    v, c = await veteran(app, "vlad", now), await veteran(app, "cira", now)
    await member("vlad", "volkov", "chrome_heights")
    await member("cira", "circuit", "ashfall")
    await fetch("INSERT INTO territory_scores (community_id, territory_key, faction_id, day,"
                " points) SELECT 1, k, f, $1, p FROM unnest($2::text[], $3::text[],"
                " $4::bigint[]) AS v(k, f, p)", today,
                ["chrome_heights", "chrome_heights", "ashfall", "ashfall", "deadzone",
                 "deadzone", "freeport", "freeport"],
                ["volkov", "kessler", "circuit", "volkov", "circuit", "volkov", "circuit",
                 "kessler"],
                [5, 4, 200, 100, 199, 100, 300, 0])
    # cira scored that day (her home is Ashfall): a capture
    await snapshot(c, "daily", today, 50)
    await project_all(app)
    await fetch("INSERT INTO community_channels (community_id, platform, channel_id, role,"
                " label) VALUES (1, 'discord', 'feed-1', 'feed', 'feed')")
    app.directory.invalidate()
    now.now = midnight_after(today) + timedelta(seconds=45)
    results = await asyncio.gather(evaluate_territories({"app": app}),
                                   evaluate_territories({"app": app}))
    assert sorted(r["communities"] for r in results) == [0, 1]
    await project_all(app)
    assert (await evaluate_territories({"app": app}))["communities"] == 0
    held = {r["key"]: r["faction_id"] for r in await fetch(
        "SELECT key, faction_id FROM territories WHERE faction_id IS NOT NULL")}
    # Deadzone: 199 is short of twice 100, so nobody takes it
    assert held == {"chrome_heights": "volkov", "ashfall": "circuit", "freeport": "circuit"}
    captures = {r["user_id"]: r["captures"] for r in await fetch(
        "SELECT user_id, captures FROM faction_members")}
    assert captures == {v: 0, c: 1}
    notes = await fetch("SELECT user_id, kind, text FROM user_notifications"
                        " WHERE kind = 'faction_change' ORDER BY user_id")
    assert [(n["user_id"], n["kind"]) for n in notes] == [(v, "faction_change"),
                                                          (c, "faction_change")]
    assert notes[1]["text"].count("🏴") == 2 and "from Kessler Group" in notes[1]["text"]
    posted = [json.loads(r) for r in await app.redis.lrange(app.keys.outbox("discord"), 0, -1)]
    cards = [p for p in posted if p["channel"] == "feed-1"]
    assert len(cards) == 3 and {p["card"]["title"] for p in cards} == {"Territory change"}
    console = [json.loads(r)["text"]
               for r in await app.redis.lrange(app.keys.outbox("console"), 0, -1)]
    assert "🏴 Dead Circuit took Freeport from Kessler Group — Dead Circuit's members now get" \
        " all rewards +15%" in console


async def snapshot(user: int, period: str, start: date, points: int) -> None:
    await fetch(
        f"INSERT INTO leaderboard_snapshots (community_id, user_id, period, period_start,"
        f" {', '.join(STATS)}, faction_points, updated_at) VALUES (1, $1, $2, $3,"
        f" {', '.join('0' for _ in STATS)}, $4, now())", user, period, start, points)


async def test_weekly_rewards_are_paid_once_shared_with_crates_for_the_top_3(
        app: AppContext, now: Any) -> None:
    week = period_start("weekly", now.now.date())
    sunday = period_end("weekly", week)
    assert sunday is not None
    ids = {}
    for name, faction, pts in (("ann", "volkov", 500), ("ben", "volkov", 150),
                               ("cat", "volkov", 50), ("dee", "circuit", 200),
                               ("eve", "kessler", 900)):
        await say(app, chat(name, "hi", at=now.now))
        ids[name] = await member(name, faction, "chrome_heights")
        await snapshot(ids[name], "weekly", week, pts)
    await hold(chrome_heights="volkov", neon_mile="volkov", freeport="volkov", midtown="circuit")
    await project_all(app)
    now.now = datetime.combine(sunday, time(), UTC) + timedelta(seconds=48)
    results = await asyncio.gather(pay_factions({"app": app}), pay_factions({"app": app}))
    assert sorted(r["communities"] for r in results) == [0, 1]
    await project_all(app)  # the rewards' ledger rows
    assert (await pay_factions({"app": app}))["communities"] == 0
    paid = {r["user_id"]: (r["wealth_delta"], r["xp_delta"]) for r in await fetch(
        "SELECT user_id, wealth_delta, xp_delta FROM game_events"
        " WHERE event_type = 'faction_reward'")}
    # Volkov: (2 × $2,000 + $3,000 for contested Freeport) × 1.25 = $8,750, 875 XP, for the
    # two members with 100+ points; Dead Circuit: $2,000 and 200 XP; Kessler holds nothing
    assert paid == {ids["ann"]: (4_375, 437), ids["ben"]: (4_375, 437),
                    ids["dee"]: (2_000, 200)}
    crates = await fetch("SELECT user_id, tier FROM user_crates ORDER BY user_id")
    assert crates == [{"user_id": ids[n], "tier": "rare"} for n in ("ann", "ben", "cat")]
    kinds = {r["user_id"] for r in await fetch(
        "SELECT user_id FROM user_notifications WHERE kind = 'faction_reward'")}
    assert kinds == {ids[n] for n in ("ann", "ben", "cat", "dee")}
    # the daily evaluation of the same due time ran first, and once
    runs = await fetch("SELECT job FROM cron_runs ORDER BY job")
    assert [r["job"] for r in runs] == ["faction_daily", "faction_weekly"]
    assert (await evaluate_territories({"app": app}))["communities"] == 0


async def test_territory_buffs_raise_play_xp_and_show_in_the_profile(
        app: AppContext, now: Any) -> None:
    await veteran(app, "alice", now)
    await veteran(app, "bob", now)
    await say(app, chat("alice", "!faction join volkov", at=now.now))
    await hold(chrome_heights="volkov", midtown="volkov", ashfall="volkov",
               freeport="volkov", deadzone="circuit")
    out = await say(app, chat("alice", "!profile", at=now.now))
    assert "| faction: The Volkov Bratva (Chrome Heights; XP +20%, all rewards +15%)" in out[0]
    assert "faction" not in (await say(app, chat("bob", "!profile", at=now.now)))[0]
    for seed in range(100):
        app.rng = random.Random(seed)
        await say(app, chat("bob", "!play", at=now.now))
        app.rng = random.Random(seed)
        await say(app, chat("alice", "!play", at=now.now))
        now.now += timedelta(hours=2)  # past the cooldown and any jail
        rows = {r["username"]: r["xp_delta"] for r in await fetch(
            "SELECT u.username, g.xp_delta FROM game_events g JOIN users u ON u.id = g.user_id"
            " WHERE g.event_type = 'play' ORDER BY g.id DESC LIMIT 2")}
        if rows.get("bob", 0) > 0:
            break
    else:
        raise AssertionError("no positive play")
    assert rows["alice"] == rows["bob"] * 135 // 100
