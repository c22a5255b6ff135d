"""Missions end to end (PostgreSQL and Redis): assigned on the first look, advanced by every
kind of ledger row through the projector, claimed once, capped, a bonus per period, reset at
the period boundary."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from tortoise import connections

from game.events import encode_event
from game.missions import templates
from game.rules import DEFAULT_RULES
from jobs import activity
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.ledger import apply_delta
from jobs.missions import current_starts
from tests.jobs.test_activity import msgs
from tests.jobs.test_commands import BROADCASTER, give, say
from tests.support import chat, fetch, project_all, wealth_of

TEMPLATES = {t.key: t for t in templates()}


async def stamp(clock: Any) -> None:
    """Ledger rows carry the database's time; the tests' clock is earlier: date the new rows
    by the clock (as production, where the two agree)."""
    await fetch("UPDATE game_events SET created_at = $1 WHERE created_at > $1", clock.now)


async def projected(app: AppContext, clock: Any) -> None:
    """Every ledger row projected, dated by the clock first."""
    await stamp(clock)
    await project_all(app)


async def uid(name: str) -> int:
    return int((await fetch("SELECT id FROM users WHERE username = $1", name))[0]["id"])


async def assign(app: AppContext, name: str, clock: Any, *keys: str) -> None:
    """Give the player these missions for the current periods (instead of a draw)."""
    await say(app, chat(name, "hi"))
    # the projector's watermark exists once it ever ran (unprojected rows are past it)
    await fetch("INSERT INTO projector_state (name, last_xid, last_id, rows_projected,"
                " updated_at) VALUES ('main', 0, 0, 0, now()) ON CONFLICT DO NOTHING")
    starts = current_starts(clock.now)
    user = await uid(name)
    for key in keys:
        t = TEMPLATES[key]
        await fetch("INSERT INTO user_missions (community_id, user_id, template_id, period,"
                    " period_start, target, progress, assigned_at) VALUES (1, $1, $2, $3, $4,"
                    " $5, 0, $6)", user, key, t.period, starts[t.period], t.target, clock.now)


async def ledger(clock: Any, name: str, kind: str, wealth: int = 0,
                 detail: dict[str, Any] | None = None) -> None:
    """A ledger row of a kind that is hard to cause through commands, at the tests' clock."""
    await apply_delta(connections.get("default"), await uid(name), wealth, 0, kind, "test",
                      None, DEFAULT_RULES, detail=detail)
    await stamp(clock)


async def progress_of(name: str) -> dict[str, tuple[int, bool]]:
    rows = await fetch("SELECT template_id, progress, completed_at IS NOT NULL AS done"
                       " FROM user_missions m JOIN users u ON u.id = m.user_id"
                       " WHERE u.username = $1", name)
    return {r["template_id"]: (int(r["progress"]), bool(r["done"])) for r in rows}


async def test_the_first_look_draws_3_daily_and_2_weekly_and_keeps_them(
        app: AppContext) -> None:
    [first] = await say(app, chat("alice", "!missions"))
    assert first.startswith("@alice 📋 daily (resets in 12 h): "), first
    assert " | weekly (resets in 5 days" in first or "weekly (resets in" in first
    rows = await fetch("SELECT template_id, period FROM user_missions ORDER BY id")
    keys = [r["template_id"] for r in rows]
    daily = [TEMPLATES[k] for k in keys if TEMPLATES[k].period == "daily"]
    weekly = [TEMPLATES[k] for k in keys if TEMPLATES[k].period == "weekly"]
    assert len(daily) == 3 and len(weekly) == 2
    for drawn in (daily, weekly):
        assert len({t.category for t in drawn}) == len(drawn)
        assert sum(t.luck for t in drawn) <= 1
    [again] = await say(app, chat("alice", "!missions"))
    assert again == first
    assert [r["template_id"] for r in await fetch(
        "SELECT template_id FROM user_missions ORDER BY id")] == keys


async def test_bad_arguments_get_the_usage(app: AppContext) -> None:
    [out] = await say(app, chat("alice", "!missions gimme"))
    assert out == "@alice usage: !missions [claim]"


async def _chat(app: AppContext, name: str, clock: Any) -> None:
    await apply_batch(app, uuid.uuid4().hex, msgs(name, 20))
    await activity.flush(app)


async def _play(app: AppContext, name: str, clock: Any) -> None:
    for _ in range(3):
        await say(app, chat(name, "!play"))
        await fetch("DELETE FROM jail")  # a busted play counts as well, and jails
        clock.now += timedelta(seconds=31)


async def _rob(app: AppContext, name: str, clock: Any) -> None:
    await give(app, "victim", 10_000)
    await say(app, chat(name, "!rob @victim"))


async def _checkin(app: AppContext, name: str, clock: Any) -> None:
    await say(app, chat(name, "!checkin"))


async def _gamble(app: AppContext, name: str, clock: Any) -> None:
    await give(app, name, 10_000)
    for _ in range(3):
        out = await say(app, chat(name, "!slots 100"))
        assert "usage" not in out[0], out


async def _crate(app: AppContext, name: str, clock: Any) -> None:
    await say(app, chat(name, "hi"))
    await say(app, chat("boss", f"!givecrate {name} common", roles=BROADCASTER))
    out = await say(app, chat(name, "!open"))
    assert "crate" in out[0], out


async def _rob_wins(app: AppContext, name: str, clock: Any) -> None:
    await say(app, chat("victim", "hi"))
    for _ in range(3):
        await ledger(clock, name, "rob", detail={"target": await uid("victim"), "won": True})


async def _gambling_wins(app: AppContext, name: str, clock: Any) -> None:
    for _ in range(5):
        await ledger(clock, name, "slots_payout", 200, {"win": True})


async def _heist(app: AppContext, name: str, clock: Any) -> None:
    await ledger(clock, name, "heist_win", detail={"difficulty": "easy"})


CAUSES = {
    "daily_chat_easy": _chat,          # 20 messages, through the activity flush
    "daily_jobs_easy": _play,          # 3 plays (a busted one counts too)
    "daily_crime_easy": _rob,          # 1 rob attempted
    "daily_crime_hard": _rob_wins,     # 3 robs won
    "daily_routine_easy": _checkin,    # 1 check-in
    "daily_gambling_easy": _gamble,    # 3 games
    "daily_gambling_hard": _gambling_wins,  # 5 wins
    "daily_crates_medium": _crate,     # 1 crate opened
    "weekly_heists_medium": _heist,    # 1 heist won
}


@pytest.mark.parametrize("key", sorted(CAUSES))
async def test_every_objective_advances_from_its_event(app: AppContext, clock: Any,
                                                        key: str) -> None:
    await assign(app, "alice", clock, key)
    await CAUSES[key](app, "alice", clock)
    await projected(app, clock)
    target = TEMPLATES[key].target
    got, done = (await progress_of("alice"))[key]
    assert got >= target and done, (key, got)
    kinds = await fetch("SELECT kind, text FROM user_notifications WHERE kind = 'mission_done'")
    assert len(kinds) == 1 and TEMPLATES[key].description in kinds[0]["text"]
    claimed = (await say(app, chat("alice", "!missions claim")))[0]
    assert "🎁 1 mission claimed: +$500" in claimed or "+$1,000" in claimed or \
        "+$2,000" in claimed, claimed


async def test_progress_counts_from_the_period_start_and_unprojected_rows_count(
        app: AppContext, clock: Any) -> None:
    await say(app, chat("alice", "hi"))
    await ledger(clock, "alice", "checkin")  # before the mission is assigned, not yet projected
    await stamp(clock)
    await assign(app, "alice", clock, "daily_routine_easy", "weekly_routine_easy")
    [shown] = await say(app, chat("alice", "!missions"))
    assert "🎁 Check in (!checkin) (done: $500)" in shown, shown
    assert "• Check in on 3 days (!checkin) 1/3 ($500)" in shown
    assert shown.endswith("— !missions claim")
    claimed = (await say(app, chat("alice", "!missions claim")))[0]
    assert claimed.startswith("@alice 🎁 1 mission claimed: +$500, +50 XP"), claimed
    assert await wealth_of("alice") == 1_000  # with the daily bonus: its one mission is done


async def test_a_mission_pays_once(app: AppContext, clock: Any) -> None:
    await assign(app, "alice", clock, "daily_routine_easy")
    await ledger(clock, "alice", "checkin")
    await projected(app, clock)
    first = await say(app, chat("alice", "!missions claim"))
    assert "1 mission claimed" in first[0]
    # all of the period done: the daily bonus comes with it (only one daily mission here)
    assert "🏆 all daily missions done, bonus: +$500, +50 XP" in first[0]
    again = await say(app, chat("alice", "!missions claim"))
    assert "nothing to claim yet" in again[0], again  # the weekly ones are not done
    assert await wealth_of("alice") == 1_000
    rows = await fetch("SELECT event_type FROM game_events WHERE event_type LIKE 'mission%'"
                       " ORDER BY id")
    assert [r["event_type"] for r in rows] == ["mission", "mission_bonus"]
    [shown] = await say(app, chat("alice", "!missions"))
    assert "✅ Check in (!checkin)" in shown and "!missions claim" not in shown


async def test_two_claims_at_once_pay_once(app: AppContext, clock: Any) -> None:
    await assign(app, "alice", clock, "daily_routine_easy", "daily_crime_easy")
    await ledger(clock, "alice", "checkin")
    await projected(app, clock)
    await asyncio.gather(*(apply_batch(app, uuid.uuid4().hex, [encode_event(
        chat("alice", "!missions claim"))]) for _ in range(2)))
    rows = await fetch("SELECT key FROM mission_completions")
    assert [r["key"] for r in rows] == ["daily_routine_easy"]
    assert await wealth_of("alice") == 500


async def test_the_bonus_pays_once_and_the_weekly_one_brings_a_crate(
        app: AppContext, clock: Any) -> None:
    await assign(app, "alice", clock, "weekly_heists_medium", "weekly_crates_medium")
    await ledger(clock, "alice", "heist_win")
    first = (await say(app, chat("alice", "!missions claim")))[0]
    assert first.startswith("@alice 🎁 1 mission claimed: +$1,000, +100 XP"), first
    assert "bonus" not in first
    for _ in range(3):
        await ledger(clock, "alice", "crate_open", detail={"tier": "common"})
    second = (await say(app, chat("alice", "!missions claim")))[0]
    assert ("🏆 all weekly missions done, bonus: +$2,000, +200 XP and a common crate (!open)"
            in second), second
    assert await wealth_of("alice") == 4_000
    crates = await fetch("SELECT tier, source FROM user_crates")
    assert crates == [{"tier": "common", "source": "missions"}]
    assert "nothing to claim" in (await say(app, chat("alice", "!missions claim")))[0]
    assert len(await fetch("SELECT 1 FROM mission_completions WHERE key = 'bonus'")) == 1


async def _paid_before(name: str, wealth: int, at: Any) -> None:
    await fetch("INSERT INTO mission_completions (community_id, user_id, period, period_start,"
                " key, wealth, xp, claimed_at) VALUES (1, $1, 'daily', $2, 'earlier', $3, 0,"
                " $4)", await uid(name), at.date(), wealth, at)


async def test_the_daily_cap_pays_up_to_it_and_says_so(app: AppContext, clock: Any) -> None:
    await assign(app, "alice", clock, "daily_routine_easy", "daily_crime_easy")
    await _paid_before("alice", 14_800, clock.now - timedelta(hours=1))
    await ledger(clock, "alice", "checkin")
    out = (await say(app, chat("alice", "!missions claim")))[0]
    assert "+$200, +50 XP" in out, out
    assert "⚠️ today's mission cap of $15,000 is reached: $300 not paid" in out
    assert await wealth_of("alice") == 200
    xp = await fetch("SELECT xp FROM users WHERE username = 'alice'")
    assert xp[0]["xp"] == 50  # XP is not capped


async def test_the_weekly_cap_holds_across_days(app: AppContext, clock: Any) -> None:
    await assign(app, "alice", clock, "daily_routine_easy", "daily_crime_easy")
    await _paid_before("alice", 50_000, clock.now - timedelta(days=1))  # Sunday: this week
    await _paid_before("alice", 9_000, clock.now - timedelta(days=2))  # last week
    await ledger(clock, "alice", "checkin")
    out = (await say(app, chat("alice", "!missions claim")))[0]
    assert "+$0, +50 XP" in out and "this week's mission cap of $50,000" in out, out
    assert await wealth_of("alice") == 0


async def test_missions_reset_at_the_period_boundary(app: AppContext, clock: Any) -> None:
    await assign(app, "alice", clock, "daily_routine_easy", "weekly_routine_easy")
    await ledger(clock, "alice", "checkin")
    await projected(app, clock)
    clock.now += timedelta(days=1)  # Tuesday 12:00: a new day, the same week
    [shown] = await say(app, chat("alice", "!missions"))
    rows = await fetch("SELECT period, period_start FROM user_missions ORDER BY id")
    assert sum(r["period"] == "daily" for r in rows) == 1 + 3  # yesterday's and today's
    assert sum(r["period"] == "weekly" for r in rows) == 1  # the week's stays
    assert "Check in on 3 days (!checkin) 1/3" in shown  # the week counts yesterday
    [claimed] = await say(app, chat("alice", "!missions claim"))
    assert "nothing to claim yet" in claimed, claimed  # yesterday's mission expired
    clock.now += timedelta(days=5)  # Sunday: a new week
    await say(app, chat("alice", "!missions"))
    weeks = await fetch("SELECT DISTINCT period_start FROM user_missions"
                        " WHERE period = 'weekly' ORDER BY period_start")
    assert [str(w["period_start"]) for w in weeks] == ["2026-11-22", "2026-11-29"]


async def test_a_completion_is_notified_once(app: AppContext, clock: Any) -> None:
    await assign(app, "alice", clock, "weekly_routine_easy")
    for _ in range(4):
        await ledger(clock, "alice", "checkin")
        await projected(app, clock)
    assert (await progress_of("alice"))["weekly_routine_easy"] == (4, True)
    notes = await fetch("SELECT text FROM user_notifications WHERE kind = 'mission_done'")
    assert [n["text"] for n in notes] == [
        "✅ weekly mission done: Check in on 3 days (!checkin) — !missions claim"]
