"""Chat activity: counted in Redis per batch exactly once, flushed in bulk, crash-safe."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from game.events import Platform, encode_event
from jobs import activity
from jobs.apply import apply_batch
from jobs.context import AppContext
from tests.support import NOON, chat, fetch, outbox_texts


def msgs(name: str, n: int, start: Any = NOON, step_s: int = 1, **kw: Any) -> list[str]:
    return [encode_event(chat(name, f"hello {i}", at=start + timedelta(seconds=i * step_s),
                              **kw)) for i in range(n)]


async def stats(name: str) -> dict[str, Any]:
    rows = await fetch("SELECT messages_sent, wealth, xp FROM users WHERE username = $1", name)
    return rows[0]


async def test_messages_are_counted_and_rewarded_once_per_minute(app: AppContext) -> None:
    await apply_batch(app, "a1", msgs("alice", 30))  # 30 messages within 30 s
    assert await activity.flush(app) == 1
    first = await stats("alice")
    assert first["messages_sent"] == 30 and first["wealth"] == 5 and 1 <= first["xp"] <= 3
    await apply_batch(app, "a2", msgs("alice", 5, start=NOON + timedelta(seconds=40)))
    await activity.flush(app)
    second = await stats("alice")
    assert second["messages_sent"] == 35 and second["wealth"] == 5  # < 60 s since the reward
    await apply_batch(app, "a3", msgs("alice", 1, start=NOON + timedelta(seconds=95)))
    await activity.flush(app)
    assert (await stats("alice"))["wealth"] == 10


async def test_a_rerun_batch_counts_nothing_twice(app: AppContext) -> None:
    batch = msgs("bob", 7)
    for _ in range(3):
        await apply_batch(app, "same-batch", batch)
    await activity.flush(app)
    assert (await stats("bob"))["messages_sent"] == 7


async def test_a_flush_that_crashed_after_the_rename_is_finished_next_time(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    await apply_batch(app, "c1", msgs("carol", 4))
    real = activity._apply

    async def crash(*args: Any, **kw: Any) -> int:
        raise ConnectionError("database went away")

    monkeypatch.setattr(activity, "_apply", crash)
    with pytest.raises(ConnectionError):
        await activity.flush(app)
    assert (await stats("carol"))["messages_sent"] == 0
    await apply_batch(app, "c2", msgs("carol", 2, start=NOON + timedelta(seconds=10)))
    monkeypatch.setattr(activity, "_apply", real)
    await activity.flush(app)  # picks up the leftover, then the new messages
    assert (await stats("carol"))["messages_sent"] == 6
    assert await app.redis.smembers(app.keys.activity_flushing_set) == set()


async def test_a_flush_applied_twice_is_a_no_op(app: AppContext) -> None:
    await apply_batch(app, "d1", msgs("dave", 3))
    batch_id = uuid.uuid4().hex
    target = app.keys.activity_flushing(batch_id)
    await app.redis.eval(activity.ROTATE_SCRIPT, 3, app.keys.activity_pending, target,
                         app.keys.activity_flushing_set, batch_id)
    tallies, _ = activity.parse_pending(await app.redis.hgetall(target))
    assert await activity._apply(app, batch_id, tallies) == 1
    assert await activity._apply(app, batch_id, tallies) == 0  # committed before: skipped
    assert (await stats("dave"))["messages_sent"] == 3


async def test_one_player_on_two_accounts_counts_as_one_player(app: AppContext) -> None:
    await apply_batch(app, "e1", msgs("erin", 2, platform=Platform.TWITCH, user_id="t-1"))
    await activity.flush(app)
    rows = await fetch("SELECT user_id FROM player_identities WHERE platform_user_id = 't-1'")
    await app.redis.sadd(app.keys.known_accounts, activity.account_ident(1, "kick", "k-1"))
    from tortoise import connections

    await connections.get("default").execute_query(
        "INSERT INTO player_identities (community_id, user_id, platform, platform_user_id,"
        " username, username_key) VALUES (1, $1, 'kick', 'k-1', 'erin', 'erin')",
        [rows[0]["user_id"]])
    later = NOON + timedelta(seconds=120)
    await apply_batch(app, "e2", msgs("erin", 1, start=later, platform=Platform.TWITCH,
                                      user_id="t-1")
                      + msgs("erin", 1, start=later, platform=Platform.KICK, user_id="k-1"))
    await activity.flush(app)
    row = await stats("erin")
    assert row["messages_sent"] == 4 and row["wealth"] == 10  # one reward per minute, not two


async def test_newcomers_exist_before_the_flush(app: AppContext) -> None:
    await apply_batch(app, "f1", msgs("frank", 1))
    rows = await fetch("SELECT COUNT(*) AS n FROM users WHERE username = 'frank'")
    assert rows[0]["n"] == 1


async def test_level_up_from_chat_is_announced(app: AppContext) -> None:
    from tortoise import connections

    await apply_batch(app, "g1", msgs("gina", 1))
    await activity.flush(app)
    conn = connections.get("default")
    # put gina 1 XP below level 2 through the ledger, then chat again a minute later
    await conn.execute_query("UPDATE users SET xp = 99 WHERE username = 'gina'")
    await conn.execute_query(
        "INSERT INTO game_events (community_id, user_id, event_type, wealth_delta, xp_delta)"
        " SELECT community_id, id, 'test', 0, 99 - (SELECT COALESCE(SUM(xp_delta), 0)"
        " FROM game_events WHERE user_id = u.id) FROM users u WHERE username = 'gina'")
    await apply_batch(app, "g2", msgs("gina", 1, start=NOON + timedelta(seconds=61)))
    await activity.flush(app)
    assert any("gina reached level 2" in t for t in await outbox_texts(app))
    _, noted = await conn.execute_query("SELECT kind, text FROM user_notifications")
    assert [(n["kind"], n["text"]) for n in noted] == [("level_up", "⬆️ gina reached level 2!")]


async def test_only_one_flush_runs_at_a_time(app: AppContext) -> None:
    await apply_batch(app, "h1", msgs("hank", 2))
    lock = app.redis.lock(app.keys.activity_lock, timeout=30)
    await lock.acquire()
    assert await activity.flush(app) == 0  # another worker is flushing
    await lock.release()
    assert await activity.flush(app) == 1


async def test_concurrent_creation_of_the_same_newcomers_makes_one_player_each(
    app: AppContext,
) -> None:
    import asyncio

    from game.events import UserRef
    from jobs.players import ensure_players

    accounts = [(1, "twitch", UserRef(id=f"n{i}", name=f"new{i}")) for i in range(50)]
    results = await asyncio.gather(*(ensure_players(accounts) for _ in range(4)))
    assert all(r == results[0] for r in results)
    assert (await fetch("SELECT COUNT(*) AS n FROM users"))[0]["n"] == 50


async def test_a_flush_in_chunks_that_dies_half_way_finishes_exactly_once(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(activity, "FLUSH_CHUNK", 2)
    names = [f"k{i}" for i in range(5)]
    await apply_batch(app, "k1", sum((msgs(n, 3) for n in names), []))
    real = activity._apply_chunk
    calls = {"n": 0}

    async def dies_on_second(*args: Any, **kw: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("worker killed")
        return await real(*args, **kw)

    monkeypatch.setattr(activity, "_apply_chunk", dies_on_second)
    with pytest.raises(ConnectionError):
        await activity.flush(app)
    monkeypatch.setattr(activity, "_apply_chunk", real)
    await activity.flush(app)
    for name in names:
        row = await stats(name)
        assert row["messages_sent"] == 3 and row["wealth"] == 5, name


async def test_a_flush_pauses_between_its_transactions(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paced like the projector (jobs/pacing.py), so commands beside it keep their latency."""
    monkeypatch.setattr(activity, "FLUSH_CHUNK", 2)
    pauses: list[float] = []

    async def pause(began: float, share: float = 0.5) -> None:
        pauses.append(began)

    monkeypatch.setattr(activity, "pause_after", pause)
    names = [f"p{i}" for i in range(5)]
    await apply_batch(app, "p1", sum((msgs(n, 2) for n in names), []))
    assert await activity.flush(app) == 5
    assert len(pauses) == 2  # between the three transactions of 2, 2 and 1 players


async def test_a_poisoned_entry_is_quarantined_and_the_flush_goes_on(app: AppContext) -> None:
    """A NUL byte in an account id (the database refuses it) or an unreadable count left in
    Redis costs only that entry: everyone else is counted, the next flush is clean."""
    await apply_batch(app, "q1", msgs("gina", 3))
    bad = activity.account_ident(1, "console", "bad\x00guy")
    odd = activity.account_ident(1, "console", "odd")
    await app.redis.hset(app.keys.activity_pending, mapping={
        f"{bad}|n": 2, f"{bad}|t": NOON.timestamp(), f"{bad}|u": "bad\x00guy",
        f"{bad}|c": "local", f"{odd}|n": "lots",
    })
    assert await activity.flush(app) == 1
    assert (await stats("gina"))["messages_sent"] == 3
    assert await app.redis.smembers(app.keys.activity_flushing_set) == set()
    quarantined = await app.redis.hgetall(app.keys.activity_quarantine)
    assert len(quarantined) == 2, quarantined
    assert int(await app.redis.hget(app.keys.stats, "quarantined_chat")) == 2
    await apply_batch(app, "q2", msgs("gina", 2, start=NOON + timedelta(seconds=5)))
    assert await activity.flush(app) == 1
    assert (await stats("gina"))["messages_sent"] == 5


async def test_a_refused_player_update_splits_its_chunk_and_only_it_is_set_aside(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    await apply_batch(app, "s1", msgs("hal", 2) + msgs("ivy", 3))
    await activity.flush(app)
    real = activity._apply_chunk
    hal = (await fetch("SELECT id FROM users WHERE username = 'hal'"))[0]["id"]

    async def refuses_hal(app_: Any, chunk_id: str, ids: list[int], *rest: Any) -> int:
        if hal in ids:
            raise ValueError("the database refuses hal's row")
        return await real(app_, chunk_id, ids, *rest)

    monkeypatch.setattr(activity, "_apply_chunk", refuses_hal)
    await apply_batch(app, "s2", msgs("hal", 1, start=NOON + timedelta(seconds=9)) +
                      msgs("ivy", 1, start=NOON + timedelta(seconds=9)))
    assert await activity.flush(app) == 1
    assert (await stats("ivy"))["messages_sent"] == 4
    assert (await stats("hal"))["messages_sent"] == 2
    assert await app.redis.smembers(app.keys.activity_flushing_set) == set()


async def test_a_dead_flushers_lock_is_gone_within_seconds(app: AppContext) -> None:
    """The flusher died holding the lock: the next flush runs within the lock's short TTL,
    not five minutes later."""
    import asyncio

    assert activity.FLUSH_LOCK_TTL_S <= 5

    await apply_batch(app, "l1", msgs("jay", 2))
    dead = app.redis.lock(app.keys.activity_lock, timeout=activity.FLUSH_LOCK_TTL_S,
                          blocking=False)
    assert await dead.acquire()  # and its process is killed: never released
    assert await activity.flush(app) == 0
    await asyncio.sleep(activity.FLUSH_LOCK_TTL_S + 0.5)
    assert await activity.flush(app) == 1
    assert (await stats("jay"))["messages_sent"] == 2


async def test_a_long_flush_keeps_its_lock(app: AppContext, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    import asyncio

    monkeypatch.setattr(activity, "FLUSH_LOCK_TTL_S", 1.5)
    monkeypatch.setattr(activity, "FLUSH_HEARTBEAT_S", 0.3)

    real = activity._flush

    async def slow(app_: Any) -> int:
        await asyncio.sleep(activity.FLUSH_LOCK_TTL_S * 2)
        return await real(app_)

    monkeypatch.setattr(activity, "_flush", slow)
    first = asyncio.create_task(activity.flush(app))
    await asyncio.sleep(activity.FLUSH_LOCK_TTL_S * 1.5)
    monkeypatch.setattr(activity, "_flush", real)
    assert await activity.flush(app) == 0  # still held by the running flush
    await first
