"""Leaderboards, !rank, the rollover and the hall of fame, through the projector (PostgreSQL
and Redis). Ledger rows carry the database's clock, so these tests set the game's clock to
the real time and move it by seconds only."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from game.leaderboards import ARCHIVED
from game.stats import STATS, period_start
from jobs.context import AppContext
from jobs.leaderboards import rollover
from jobs.projector import project_once
from tests.jobs.test_commands import BROADCASTER, give, say
from tests.support import chat, fetch


@pytest.fixture
def now(clock: Any) -> Any:
    clock.now = datetime.now(UTC).replace(microsecond=0)
    return clock


async def uid(name: str) -> int:
    return int((await fetch("SELECT id FROM users WHERE username = $1", name))[0]["id"])


class NeverBusted(random.Random):
    def random(self) -> float:  # the first draw decides "busted"
        return 0.99


async def plays(app: AppContext, now: Any, name: str, n: int) -> None:
    app.rng = NeverBusted()
    for _ in range(n):
        out = await say(app, chat(name, "!play", at=now.now))
        assert "cooldown" not in out[0] and "jail" not in out[0], out
        now.now += timedelta(seconds=31)  # past the cooldown


async def test_lb_weekly_plays_is_the_ledger_count_of_this_weeks_plays(
        app: AppContext, now: Any) -> None:
    start = now.now
    for name, n in (("alice", 3), ("bob", 1), ("carol", 2)):
        await plays(app, now, name, n)
        now.now = start
    await say(app, chat("dave", "hi"))
    await project_once(app)
    ledger = await fetch(
        "SELECT u.username, count(*) AS n FROM game_events g JOIN users u ON u.id = g.user_id"
        " WHERE g.event_type = 'play' AND g.created_at >= $1 GROUP BY u.id, u.username"
        " ORDER BY n DESC, u.id",
        datetime.combine(period_start("weekly", now.now.date()), datetime.min.time(), UTC))
    expected = " ".join(f"{i}. {r['username']} {r['n']}" for i, r in enumerate(ledger, 1))
    assert expected == "1. alice 3 2. carol 2 3. bob 1"
    out = await say(app, chat("carol", "!lb weekly plays"))
    assert out == [f"@carol 🏆 this week's plays: {expected} — you're #2 (2)"]
    assert await say(app, chat("carol", "!lb plays week")) == out
    # a player with no play is on no board of plays
    out = await say(app, chat("dave", "!lb weekly plays"))
    assert out[0].endswith("— you're not on it yet")
    # today's, this month's, this year's and the lifetime board count the same plays
    for period in ("daily", "monthly", "annual", "lifetime"):
        out = await say(app, chat("bob", f"!lb {period} plays"))
        assert f"plays: {expected} — you're #3 (1)" in out[0], out


async def test_lb_defaults_to_lifetime_wealth_earned_and_refuses_bad_words(
        app: AppContext, now: Any) -> None:
    await give(app, "alice", 5_000)
    await give(app, "bob", 7_000)
    before = await say(app, chat("alice", "!lb"))
    assert before == ["@alice 🏆 lifetime wealth earned: nobody yet — you're not on it yet"]
    await project_once(app)
    out = await say(app, chat("alice", "!lb"))
    assert out == ["@alice 🏆 lifetime wealth earned: 1. bob $7,000 2. alice $5,000"
                   " — you're #2 ($5,000)"]
    assert await say(app, chat("alice", "!lb lifetime wealth")) == out
    assert (await say(app, chat("alice", "!lb xp")))[0].startswith(
        "@alice 🏆 lifetime XP earned:")
    for bad in ("nonsense", "weekly weekly", "plays robs", "weekly plays xp"):
        out = await say(app, chat("alice", f"!lb {bad}"))
        assert out[0].startswith("@alice usage: !lb [daily|weekly|monthly|annual|lifetime]"), bad


async def test_lb_shows_dollars_and_negative_gambling(app: AppContext, now: Any) -> None:
    await say(app, chat("alice", "hi"))
    await give(app, "bob", 1_000)
    await ledger("alice", "contribution", 0, {"usd_cents": 1250})
    await ledger("bob", "slots_wager", -300)
    await project_once(app)
    assert "1. alice $12.50" in (await say(app, chat("alice", "!lb usd")))[0]
    out = await say(app, chat("bob", "!lb gambling today"))
    assert out == ["@bob 🏆 today's gambling net: 1. bob -$300 — you're #1 (-$300)"]


async def test_rank_in_every_period_or_every_board_of_one(app: AppContext, now: Any) -> None:
    await give(app, "alice", 5_000)
    await give(app, "bob", 7_000)
    await plays(app, now, "alice", 1)
    await project_once(app)
    [text] = await say(app, chat("alice", "!rank"))
    assert text.startswith("@alice wealth earned: today #2 ($")
    assert " · week #2 " in text and " · month #2 " in text and " · year #2 " in text
    assert " · lifetime #2 ($" in text
    [plays_rank] = await say(app, chat("bob", "!rank plays"))
    assert plays_rank == ("@bob plays: today unranked · week unranked · month unranked"
                          " · year unranked · lifetime unranked")
    [week] = await say(app, chat("alice", "!rank weekly"))
    assert week.startswith("@alice this week's boards: wealth earned #2 ($")
    assert " · plays #1 (1)" in week and "robs" not in week
    [one] = await say(app, chat("alice", "!rank plays weekly"))
    assert one == "@alice this week's plays: week #1 (1)"
    [nobody] = await say(app, chat("carol", "!rank daily"))
    assert nobody == "@carol you're not on today's boards yet"
    assert (await say(app, chat("carol", "!rank xp xp")))[0].startswith("@carol usage: !rank")


# --- rollover --------------------------------------------------------------------------------

async def snapshot(name: str, period: str, start: date, **stats: int) -> None:
    values = {**dict.fromkeys((*STATS, "faction_points"), 0), **stats}
    params = ", ".join(f"${i + 5}" for i in range(len(values)))
    await fetch(f"INSERT INTO leaderboard_snapshots (community_id, user_id, period,"
                f" period_start, updated_at, {', '.join(values)}) VALUES ($1, $2, $3, $4,"
                f" now(), {params})", 1, await uid(name), period, start, *values.values())


def ctx(app: AppContext) -> dict[str, Any]:
    return {"app": app}


async def history() -> list[tuple[str, str, str, int, str, int]]:
    rows = await fetch("SELECT h.period, h.period_start, h.metric, h.rank, u.username, h.value"
                       " FROM leaderboard_history h JOIN users u ON u.id = h.user_id"
                       " ORDER BY h.period, h.period_start, h.metric, h.rank")
    return [(r["period"], str(r["period_start"]), r["metric"], r["rank"], r["username"],
             r["value"]) for r in rows]


async def test_rollover_archives_each_finished_period_once_and_keeps_the_previous_one(
        app: AppContext, clock: Any) -> None:
    clock.now = datetime(2026, 11, 23, 0, 0, 30, tzinfo=UTC)  # a Monday, just past midnight
    names = [f"p{i}" for i in range(12)]
    await say(app, *(chat(n, "hi") for n in names))
    await project_once(app)  # nothing left unprojected
    today = clock.now.date()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    for i, n in enumerate(names):
        await snapshot(n, "daily", yesterday, plays=i + 1, wealth_earned=100 * (12 - i))
    await snapshot("p0", "daily", before, plays=4)
    await snapshot("p0", "daily", today, plays=1)
    await snapshot("p0", "weekly", date(2026, 11, 22), plays=1)   # this week (Sunday)
    await snapshot("p0", "weekly", date(2026, 11, 15), plays=9)   # last week: finished
    await snapshot("p1", "monthly", date(2026, 10, 1), robs=2)
    await snapshot("p1", "lifetime", date(1970, 1, 1), robs=2)
    first = await rollover(ctx(app))
    assert first["communities"] == 1
    got = await history()
    plays = [(r[3], r[4], r[5]) for r in got if r[:3] == ("daily", str(yesterday), "plays")]
    assert plays == [(i, f"p{12 - i}", 13 - i) for i in range(1, ARCHIVED + 1)]
    wealth = [r[4] for r in got if r[:3] == ("daily", str(yesterday), "wealth")]
    assert wealth == [f"p{i}" for i in range(ARCHIVED)]
    assert ("daily", str(before), "plays", 1, "p0", 4) in got
    assert ("weekly", "2026-11-15", "plays", 1, "p0", 9) in got
    assert ("monthly", "2026-10-01", "robs", 1, "p1", 2) in got
    unfinished = (("daily", str(today)), ("weekly", "2026-11-22"))
    assert not [r for r in got if r[0] == "lifetime" or r[:2] in unfinished]
    # metrics nobody scored are not archived
    assert not [r for r in got if r[2] == "crates"]
    # retention: the day before yesterday goes, yesterday (the previous day) stays
    kept = await fetch("SELECT period, period_start::text AS s FROM leaderboard_snapshots"
                       " GROUP BY period, period_start ORDER BY 1, 2")
    assert [(r["period"], r["s"]) for r in kept] == [
        ("daily", str(yesterday)), ("daily", str(today)), ("lifetime", "1970-01-01"),
        ("monthly", "2026-10-01"), ("weekly", "2026-11-15"), ("weekly", "2026-11-22")]
    # the same due time again: nothing; the next due time: nothing new either
    assert (await rollover(ctx(app)))["communities"] == 0
    clock.now += timedelta(hours=1)
    again = await rollover(ctx(app))
    assert again["communities"] == 1 and again["archived"] == 0
    assert await history() == got


async def test_rollover_waits_for_the_projector_to_pass_the_periods_end(
        app: AppContext, clock: Any) -> None:
    real = datetime.now(UTC)
    clock.now = real
    await say(app, chat("alice", "hi"))
    await project_once(app)
    yesterday = real.date() - timedelta(days=1)
    await snapshot("alice", "daily", yesterday, plays=3)
    # a ledger row from yesterday the projector has not read yet
    await ledger("alice", "admin_xp", 0, xp=5)
    await fetch("UPDATE game_events SET created_at = $1 WHERE id = (SELECT max(id) FROM"
                " game_events)", real - timedelta(days=1))
    await rollover(ctx(app))
    assert await history() == []
    await project_once(app)
    clock.now += timedelta(hours=1)
    await rollover(ctx(app))
    assert ("daily", str(yesterday), "plays", 1, "alice", 3) in await history()


# --- the hall of fame ------------------------------------------------------------------------

async def ledger(name: str, kind: str, wealth: int, detail: dict[str, Any] | None = None,
                 xp: int = 0) -> None:
    """A ledger row and the balance change it records (as a game action writes them)."""
    user = await uid(name)
    await fetch("UPDATE users SET wealth = wealth + $2, xp = xp + $3 WHERE id = $1",
                user, wealth, xp)
    await fetch("INSERT INTO game_events (community_id, user_id, event_type, wealth_delta,"
                " xp_delta, description, detail) VALUES (1, $1, $2, $3, $4, '', $5::jsonb)",
                user, kind, wealth, xp, json.dumps(detail) if detail else None)


async def rob(robber: str, victim: str, amount: int) -> None:
    await ledger(robber, "rob", amount, {"target": await uid(victim), "won": True})
    await ledger(victim, "robbed", -amount)


async def records() -> dict[str, tuple[str, int, str]]:
    rows = await fetch("SELECT r.record, u.username, r.value, r.detail FROM"
                       " hall_of_fame_records r JOIN users u ON u.id = r.user_id")
    return {r["record"]: (r["username"], r["value"], r["detail"]) for r in rows}


async def feed_cards(app: AppContext) -> list[dict[str, Any]]:
    posted = [json.loads(r) for r in await app.redis.lrange(app.keys.outbox("discord"), 0, -1)]
    await app.redis.delete(app.keys.outbox("discord"))
    return [p for p in posted if p["channel"] == "feed-1"
            and (p.get("card") or {}).get("title") == "Hall of fame"]  # achievements post there too


async def test_records_are_replaced_only_when_beaten_and_big_ones_reach_the_feed(
        app: AppContext, now: Any) -> None:
    await fetch("INSERT INTO community_channels (community_id, platform, channel_id, role,"
                " label) VALUES (1, 'discord', 'feed-1', 'feed', 'feed')")
    app.directory.invalidate()
    await give(app, "alice", 20_000)
    await give(app, "bob", 20_000)
    await project_once(app)
    assert (await records())["richest_ever"] == ("alice", 20_000, "")  # a tie keeps alice
    await feed_cards(app)
    await rob("bob", "alice", 5_000)
    await project_once(app)
    got = await records()
    assert got["biggest_rob"] == ("bob", 5_000, "from alice")
    assert got["richest_ever"] == ("bob", 25_000, "")
    [card] = await feed_cards(app)
    assert card["card"]["title"] == "Hall of fame"
    assert card["text"] == "🏛️ new record, biggest rob: bob took $5,000 from alice"
    # equal and smaller robs keep the record; a bigger one takes it
    await rob("alice", "bob", 5_000)
    await rob("alice", "bob", 1_000)
    await project_once(app)
    assert (await records())["biggest_rob"] == ("bob", 5_000, "from alice")
    assert await feed_cards(app) == []
    await rob("alice", "bob", 6_000)
    await ledger("alice", "slots_wager", -100)
    await ledger("alice", "slots_jackpot", 12_000, {"win": True})
    await project_once(app)
    got = await records()
    assert got["biggest_rob"] == ("alice", 6_000, "from bob")
    assert got["biggest_jackpot"] == ("alice", 12_000, "")
    texts = sorted(c["text"] for c in await feed_cards(app))
    assert texts == ["🏛️ new record, biggest jackpot: alice won $12,000",
                     "🏛️ new record, biggest rob: alice took $6,000 from bob"]
    # richest ever is the most wealth ever seen: spending it keeps the record
    assert got["richest_ever"] == ("alice", 38_900, "")
    await ledger("alice", "buy", -20_000)
    await project_once(app)
    assert (await records())["richest_ever"] == ("alice", 38_900, "")


async def test_streak_and_juicernaut_records_and_hof(app: AppContext, now: Any) -> None:
    empty = await say(app, chat("alice", "!hof"))
    assert empty[0] == ("@alice 🏛️ hall of fame — biggest rob: nobody yet · longest check-in"
                        " streak: nobody yet · biggest jackpot: nobody yet · most Juicernaut"
                        " crowns: nobody yet · richest ever: nobody yet")
    await say(app, chat("alice", "!checkin"))
    await say(app, chat("bob", "!checkin"))
    await project_once(app)
    assert (await records())["longest_streak"] == ("alice", 1, "")
    await fetch("UPDATE users SET checkin_streak = 6 WHERE username = 'bob'")
    now.now += timedelta(days=1)
    await say(app, chat("bob", "!checkin"))
    await say(app, chat("carol", "hi"), chat("dave", "hi"))
    for _ in range(3):
        await ledger("carol", "juicernaut", 1_000, xp=200)
    await ledger("dave", "juicernaut", 1_000, xp=200)
    await project_once(app)
    got = await records()
    assert got["longest_streak"] == ("bob", 7, "")
    assert got["most_juicernaut"][:2] == ("carol", 3)
    [hof] = await say(app, chat("alice", "!halloffame"))
    assert "longest check-in streak: bob 7 days" in hof
    assert "most Juicernaut crowns: carol ×3" in hof
    assert "richest ever: " in hof and "nobody yet" in hof  # no rob, no jackpot yet


async def test_a_busted_play_counts_as_a_play(app: AppContext, now: Any) -> None:
    class Busted(random.Random):
        def random(self) -> float:  # the first draw decides "busted"
            return 0.0

    app.rng = Busted()
    await say(app, chat("alice", "!play"))
    app.rng = random.Random(1)
    await project_once(app)
    assert (await fetch("SELECT detail FROM game_events WHERE event_type = 'play'"))[0][
        "detail"] is not None  # the busted play's row
    assert (await say(app, chat("alice", "!lb today plays")))[0].endswith("you're #1 (1)")


async def test_givexp_counts_on_the_xp_board(app: AppContext, now: Any) -> None:
    await say(app, chat("alice", "hi"))
    await say(app, chat("boss", "!givexp alice 50", roles=BROADCASTER))
    await project_once(app)
    assert "1. alice 50" in (await say(app, chat("alice", "!lb xp today")))[0]
