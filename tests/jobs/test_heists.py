"""Heists through the real pipeline: a session schedules them, the tick starts and resolves
them, chat answers them (PostgreSQL and Redis)."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta
from typing import Any

from game.events import ChatMessage, Platform, StreamOnline, encode_event
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.heists import record_answers, resend_unannounced, resolve_due, start_due
from tests.support import NOON, chat, clear_outbox, fetch, outbox_texts

T0 = NOON + timedelta(seconds=900)  # the first heist's due time


def online(platform: Platform = Platform.CONSOLE, channel: str = "local") -> StreamOnline:
    return StreamOnline(platform=platform, event_id=f"on-{uuid.uuid4().hex[:8]}",
                        channel=channel, occurred_at=NOON, received_at=NOON, title="live")


async def apply(app: AppContext, *events: Any) -> None:
    await apply_batch(app, uuid.uuid4().hex, [encode_event(e) for e in events])


async def start_heist(app: AppContext, clock: Any) -> dict[str, Any]:
    clock.now = NOON
    await apply(app, online())
    clock.now = T0
    assert await start_due(app) == 1
    rows = await fetch("SELECT * FROM heist_events")
    assert len(rows) == 1 and rows[0]["status"] == "active"
    return rows[0]


def answer_of(heist: dict[str, Any]) -> str:
    return str(heist["answer"])


def said(name: str, text: str, at_s: float, platform: Platform = Platform.CONSOLE,
         channel: str = "local") -> ChatMessage:
    return chat(name, text, platform=platform, channel=channel,
                at=T0 + timedelta(seconds=at_s))


async def replies_where(app: AppContext, part: str) -> dict[tuple[str, str], int]:
    """(platform, channel) -> how many queued replies there hold ``part``."""
    found: dict[tuple[str, str], int] = {}
    for platform in ("console", "twitch", "kick", "discord"):
        for raw in await app.redis.lrange(app.keys.outbox(platform), 0, -1):
            reply = json.loads(raw)
            if part in reply["text"]:
                where = (platform, reply["channel"])
                found[where] = found.get(where, 0) + 1
    return found


async def test_a_session_schedules_the_first_heist_15_minutes_in(app: AppContext,
                                                               clock: Any) -> None:
    clock.now = NOON
    await apply(app, online())
    rows = await fetch("SELECT next_at FROM heist_schedule")
    assert rows[0]["next_at"] == T0
    clock.now = T0 - timedelta(seconds=1)
    assert await start_due(app) == 0


async def test_the_earliest_received_correct_answer_wins_across_platforms(
        app: AppContext, clock: Any) -> None:
    heist = await start_heist(app, clock)
    assert heist["prompt"] in await outbox_texts(app)
    await clear_outbox(app)
    clock.now = T0 + timedelta(seconds=5)
    await apply(app, said("Alice", "wrong guess", 4.5), said("Bob", answer_of(heist), 5))
    clock.now = T0 + timedelta(seconds=6)  # Carol's message was received earlier, on Twitch
    await apply(app, said("Carol", answer_of(heist), 4, Platform.TWITCH, "c"))
    clock.now = T0 + timedelta(seconds=7)
    assert await resolve_due(app) == 0  # the grace window (3 s from the first) still runs
    clock.now = T0 + timedelta(seconds=8)
    assert await resolve_due(app) == 1
    done = (await fetch("SELECT * FROM heist_events"))[0]
    assert done["status"] == "won" and done["winner_name"] == "Carol"
    assert done["winner_platform"] == "twitch" and done["candidates"] == 2
    crates = await fetch("SELECT u.username, c.tier, c.source FROM user_crates c"
                         " JOIN users u ON u.id = c.user_id")
    assert [(c["username"], c["source"]) for c in crates] == [("Carol", "heist")]
    noted = await fetch("SELECT u.username, n.kind FROM user_notifications n"
                        " JOIN users u ON u.id = n.user_id")
    assert [(n["username"], n["kind"]) for n in noted] == [("Carol", "heist")]
    assert crates[0]["tier"] == done["crate_tier"]
    wins = await replies_where(app, "Carol cracked the heist")
    assert ("console", "local") in wins and ("twitch", "c") in wins
    assert all(n == 1 for n in wins.values())
    nxt = (await fetch("SELECT next_at FROM heist_schedule"))[0]["next_at"]
    assert clock.now + timedelta(minutes=60) <= nxt <= clock.now + timedelta(minutes=120)
    assert await resolve_due(app) == 0  # once


async def test_a_heist_nobody_answers_ends_at_its_time_limit_with_the_answer(
        app: AppContext, clock: Any) -> None:
    heist = await start_heist(app, clock)
    await clear_outbox(app)
    clock.now = heist["ends_at"] + timedelta(seconds=2)
    assert await resolve_due(app) == 0  # answers received before the limit may be in flight
    clock.now = heist["ends_at"] + timedelta(seconds=3)
    assert await resolve_due(app) == 1
    done = (await fetch("SELECT status, winner_id FROM heist_events"))[0]
    assert done["status"] == "expired" and done["winner_id"] is None
    texts = await outbox_texts(app)
    assert any("nobody cracked it" in t and answer_of(heist) in t for t in texts)
    assert not await fetch("SELECT * FROM user_crates")


async def test_an_answer_after_the_time_limit_does_not_win(app: AppContext,
                                                           clock: Any) -> None:
    heist = await start_heist(app, clock)
    late = (heist["ends_at"] - T0).total_seconds() + 0.5
    clock.now = T0 + timedelta(seconds=late)
    await apply(app, said("Bob", answer_of(heist), late))
    clock.now = heist["ends_at"] + timedelta(seconds=10)
    assert await resolve_due(app) == 1
    assert (await fetch("SELECT status FROM heist_events"))[0]["status"] == "expired"


async def test_five_answers_per_player_per_heist(app: AppContext, clock: Any) -> None:
    heist = await start_heist(app, clock)
    clock.now = T0 + timedelta(seconds=5)
    guesses = [said("Bob", f"guess {i}", 1 + i / 10) for i in range(5)]
    await apply(app, *guesses, said("Bob", answer_of(heist), 2))  # the sixth answer
    clock.now = heist["ends_at"] + timedelta(seconds=5)
    assert await resolve_due(app) == 1
    assert (await fetch("SELECT status FROM heist_events"))[0]["status"] == "expired"


async def test_commands_are_not_answers_and_grab_is(app: AppContext, clock: Any) -> None:
    heist = await start_heist(app, clock)
    clock.now = T0 + timedelta(seconds=5)
    await apply(app, *[said("Bob", "!balance", 1 + i / 10) for i in range(6)],
                said("Bob", f"!grab {answer_of(heist)}", 2))
    clock.now += timedelta(seconds=3)
    assert await resolve_due(app) == 1
    assert (await fetch("SELECT winner_name FROM heist_events"))[0]["winner_name"] == "Bob"


async def test_a_rerun_batch_counts_no_answer_twice(app: AppContext, clock: Any) -> None:
    heist = await start_heist(app, clock)
    clock.now = T0 + timedelta(seconds=5)
    batch = [(1, said("Bob", f"guess {i}", 1 + i / 10)) for i in range(3)]
    for _ in range(3):  # the same batch run three times
        await record_answers(app, "batch-1", batch)
    tries = await app.redis.hget(app.keys.heist_tries(int(heist["id"])), "console\x1fbob")
    assert int(tries) == 3


async def test_500_answers_from_three_platforms_at_once_make_one_winner(
        app: AppContext, clock: Any) -> None:
    heist = await start_heist(app, clock)
    await clear_outbox(app)
    clock.now = T0 + timedelta(seconds=10)
    places = [(Platform.CONSOLE, "local"), (Platform.TWITCH, "c"), (Platform.KICK, "chan")]
    # everyone answers right; player 377 (on Kick) was received first
    answers = [said(f"p{i}", answer_of(heist), 5 + (i % 50) / 100 + (0 if i == 377 else 1),
                    *places[i % 3]) for i in range(500)]
    batches = [answers[i:i + 50] for i in range(0, 500, 50)]
    await asyncio.gather(*(apply(app, *b) for b in batches))  # concurrently, like 2 workers
    clock.now += timedelta(seconds=3)
    results = await asyncio.gather(resolve_due(app), resolve_due(app))  # two ticks at once
    assert sorted(results) == [0, 1]
    done = (await fetch("SELECT * FROM heist_events"))[0]
    assert done["winner_name"] == "p377" and done["candidates"] == 500
    assert len(await fetch("SELECT * FROM user_crates")) == 1
    wins = await replies_where(app, "cracked the heist")
    assert wins and all(n == 1 for n in wins.values())  # one announcement per channel
    assert wins == await replies_where(app, "p377 cracked the heist")


async def test_an_announcement_lost_between_commit_and_push_is_sent_once(
        app: AppContext, clock: Any) -> None:
    heist = await start_heist(app, clock)
    await fetch("UPDATE heist_events SET announced_at = NULL")  # as if the push never ran
    for platform in Platform:
        await clear_outbox(app, platform.value)
    clock.now = T0 + timedelta(seconds=3)
    assert await resend_unannounced(app) == 0  # not yet: the push may still be on its way
    clock.now = T0 + timedelta(seconds=6)
    assert await resend_unannounced(app) == 1
    assert await resend_unannounced(app) == 0
    sent = await replies_where(app, heist["prompt"])
    assert ("console", "local") in sent and all(n == 1 for n in sent.values())


async def test_mods_start_a_heist_and_only_during_a_session(app: AppContext,
                                                            clock: Any) -> None:
    clock.now = NOON
    await apply(app, chat("Mod", "!heist start", roles=frozenset({"moderator"})))
    assert any("no session is running" in t for t in await outbox_texts(app))
    await apply(app, online())
    await apply(app, chat("Mod", "!heist start", roles=frozenset({"moderator"})))
    assert await start_due(app) == 1
    await apply(app, chat("Mod", "!heist start", roles=frozenset({"moderator"})))
    assert any("already running" in t for t in await outbox_texts(app))
    await apply(app, chat("Pleb", "!heist start"))
    assert len(await fetch("SELECT * FROM heist_events")) == 1


async def test_content_does_not_repeat_within_the_last_10_of_its_kind(
        app: AppContext, clock: Any) -> None:
    clock.now = NOON
    await apply(app, online())
    seen: dict[str, list[str]] = {}
    for _ in range(40):
        await fetch("UPDATE heist_schedule SET next_at = $1", clock.now)
        assert await start_due(app) == 1
        row = (await fetch("SELECT * FROM heist_events WHERE status = 'active'"))[0]
        keys = seen.setdefault(row["kind"], [])
        assert row["content_key"] not in keys[-10:]
        keys.append(row["content_key"])
        clock.now = row["ends_at"] + timedelta(seconds=4)
        assert await resolve_due(app) == 1
    counts = await fetch("SELECT count(*) AS n FROM heist_recent_events GROUP BY kind")
    assert all(c["n"] <= 10 for c in counts)  # only the last 10 of a kind are kept


async def test_the_tick_hands_chunks_out_to_every_worker_once(app: AppContext, clock: Any,
                                                              monkeypatch: Any) -> None:
    import jobs.heists as heists

    first = await start_heist(app, clock)
    for _ in range(2):  # two more running heists (rows as the start writes them)
        await fetch("INSERT INTO heist_events (community_id, session_id, kind, content_key,"
                    " prompt, answer, accepted, started_by, started_at, ends_at, status,"
                    " grace_s, candidates) SELECT community_id, session_id, kind, content_key,"
                    " prompt, answer, accepted, started_by, started_at, ends_at, status,"
                    " grace_s, 0 FROM heist_events WHERE id = $1", first["id"])
    monkeypatch.setattr(heists, "RESOLVE_CHUNK", 1)
    clock.now = first["ends_at"] + timedelta(seconds=5)  # all three timed out
    assert await heists.resolve_due(app, share=True) == 1  # one here, two handed out
    jobs = await app.redis.zrange(app.keys.cron_queue, 0, -1)
    assert len(jobs) == 2
    assert await heists.resolve_due(app, share=True) == 0  # leased: not handed out again
    assert len(await app.redis.zrange(app.keys.cron_queue, 0, -1)) == 2
    rest = [int(r["id"]) for r in await fetch(
        "SELECT id FROM heist_events WHERE status = 'active' ORDER BY id")]
    assert len(rest) == 2
    for heist_id in rest:  # what the cron workers run
        assert await heists.resolve_heists({"app": app}, [heist_id]) == 1
    assert not await fetch("SELECT id FROM heist_events WHERE status = 'active'")
    assert await app.redis.zcard(app.keys.heist_leases) == 0
    clock.now += timedelta(seconds=heists.LEASE_S + 1)
    assert await heists.resolve_due(app, share=True) == 0


async def test_a_chunk_handed_to_a_worker_that_died_is_handed_out_again(
        app: AppContext, clock: Any, monkeypatch: Any) -> None:
    import jobs.heists as heists

    first = await start_heist(app, clock)
    await fetch("INSERT INTO heist_events (community_id, session_id, kind, content_key, prompt,"
                " answer, accepted, started_by, started_at, ends_at, status, grace_s,"
                " candidates) SELECT community_id, session_id, kind, content_key, prompt,"
                " answer, accepted, started_by, started_at, ends_at, status, grace_s, 0"
                " FROM heist_events WHERE id = $1", first["id"])
    monkeypatch.setattr(heists, "RESOLVE_CHUNK", 1)
    clock.now = first["ends_at"] + timedelta(seconds=5)
    assert await heists.resolve_due(app, share=True) == 1
    await app.redis.delete(app.keys.cron_queue)  # the job is lost with its worker
    clock.now += timedelta(seconds=heists.LEASE_S + 1)
    assert await heists.resolve_due(app, share=True) == 1  # the lease ran out: ours now
    assert not await fetch("SELECT id FROM heist_events WHERE status = 'active'")


async def test_a_lost_result_announcement_is_sent_once(app: AppContext, clock: Any) -> None:
    heist = await start_heist(app, clock)
    clock.now = heist["ends_at"] + timedelta(seconds=5)
    assert await resolve_due(app) == 1
    await fetch("UPDATE heist_events SET result_announced_at = NULL")
    for platform in Platform:
        await clear_outbox(app, platform.value)
    clock.now += timedelta(seconds=6)
    assert await resend_unannounced(app) == 1
    assert await resend_unannounced(app) == 0
    sent = await replies_where(app, "nobody cracked it")
    assert ("console", "local") in sent and set(sent.values()) == {1}


async def test_the_board_keeps_the_last_known_heists_through_an_outage(
        app: AppContext, clock: Any, monkeypatch: Any) -> None:
    import jobs.heist_board as board_module
    from jobs.heist_board import HeistBoard

    heist = await start_heist(app, clock)
    ticks = iter(range(100))
    board = HeistBoard(ttl_s=1.0, clock=lambda: float(next(ticks)) * 2)
    assert set(await board.running()) == {heist["community_id"]}

    class Down:
        async def execute_query_dict(self, *_: Any) -> Any:
            raise ConnectionRefusedError("PostgreSQL is away")

    monkeypatch.setattr(board_module.connections, "get", lambda _name: Down())
    assert set(await board.running("2")) == {heist["community_id"]}  # stale, not empty
