"""Delivery guarantees against real PostgreSQL and Redis (DESIGN.md)."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from game.events import encode_event
from jobs import apply as apply_mod
from jobs.apply import apply_batch
from jobs.context import AppContext
from kingpin.bus import Publisher
from tests.support import chat, fetch, outbox_texts, wealth_of


async def test_same_event_delivered_three_times_changes_state_once(
    app: AppContext, publisher: Publisher, run_worker: Any
) -> None:
    await apply_batch(app, "b0", [encode_event(chat("bob", "!checkin"))])
    event = chat("alice", "!checkin", event_id="dup-1")
    for _ in range(3):  # duplicate deliveries at publish
        await publisher.publish(event)
    await publisher.close()
    assert publisher.stats.duplicates == 2
    await run_worker()
    for i in range(3):  # and duplicates that got past publish (e.g. after the TTL)
        await apply_batch(app, f"again-{i}", [encode_event(event)])
    assert await wealth_of("alice") == 200
    rows = await fetch("SELECT COUNT(*) AS n FROM game_events WHERE source_key = 'console:dup-1'")
    assert rows[0]["n"] == 1
    assert len([t for t in await outbox_texts(app) if t.startswith("@alice")]) == 1


async def test_a_batch_killed_half_way_and_rerun_applies_each_event_once(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"p{i}" for i in range(10)]
    raw = [encode_event(chat(n, "!checkin", event_id=f"kill-{n}")) for n in names]
    real_apply_one = apply_mod.apply_one
    calls = {"n": 0}

    async def dying_apply_one(*args: Any, **kw: Any) -> bool:
        calls["n"] += 1
        if calls["n"] > 4:
            raise asyncio.CancelledError  # the worker process is killed here
        return await real_apply_one(*args, **kw)

    monkeypatch.setattr(apply_mod, "apply_one", dying_apply_one)
    with pytest.raises(asyncio.CancelledError):
        await apply_batch(app, "kill", raw)
    applied_first = (await fetch("SELECT COUNT(*) AS n FROM processed_events"))[0]["n"]
    assert 0 < applied_first < 10
    monkeypatch.setattr(apply_mod, "apply_one", real_apply_one)
    await apply_batch(app, "kill", raw)  # arq re-runs the same job
    await apply_batch(app, "kill", raw)
    for name in names:
        assert await wealth_of(name) == 200, name
    assert (await fetch("SELECT COUNT(*) AS n FROM game_events"))[0]["n"] == 10


async def test_transient_database_failure_is_retried_not_dropped(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arq import Retry

    raw = [encode_event(chat("alice", "!checkin", event_id="flaky"))]
    real = apply_mod.one_trip_transaction

    def down(*args: Any, **kw: Any) -> Any:
        raise ConnectionRefusedError("database is restarting")

    monkeypatch.setattr(apply_mod, "one_trip_transaction", down)
    with pytest.raises(Retry):
        await apply_mod.apply_events({"app": app, "job_try": 1}, "flaky", raw)
    assert await wealth_of("alice") == 0
    monkeypatch.setattr(apply_mod, "one_trip_transaction", real)
    await apply_mod.apply_events({"app": app, "job_try": 2}, "flaky", raw)
    assert await wealth_of("alice") == 200


async def test_malformed_events_are_dropped_and_the_rest_applied(app: AppContext) -> None:
    raw = ["{not json", '{"kind": "chat_message"}', encode_event(chat("ok", "!checkin"))]
    result = await apply_batch(app, "mixed", raw)
    assert result["malformed"] == 2 and result["applied"] == 1
    assert await wealth_of("ok") == 200


async def test_concurrent_rob_play_bail_keep_money_conserved(
    app: AppContext, run_worker: Any, publisher: Publisher
) -> None:
    """200 concurrent !rob/!play/!bail across 20 players, several batches at once."""
    players = [f"user{i}" for i in range(20)]
    seed = [encode_event(chat("streamer", f"!givewealth {p} 5000",
                              roles=frozenset({"broadcaster"}))) for p in players]
    await apply_batch(app, "seed", seed)
    rng = random.Random(99)
    events = []
    for _ in range(200):
        who = rng.choice(players)
        kind = rng.choice(["rob", "play", "bail"])
        text = f"!rob @{rng.choice(players)}" if kind == "rob" else f"!{kind}"
        events.append(chat(who, text))
    # many small batches applied concurrently, as N workers would
    chunks = [events[i:i + 10] for i in range(0, 200, 10)]
    results = await asyncio.gather(*(
        apply_batch(app, f"c{i}", [encode_event(e) for e in chunk])
        for i, chunk in enumerate(chunks)
    ))
    assert sum(r["applied"] for r in results) == 200
    rows = await fetch("SELECT MIN(wealth) AS low FROM users")
    assert rows[0]["low"] >= 0
    # the ledger invariant is asserted by the app fixture on teardown


async def test_a_bug_half_way_through_a_command_rolls_everything_back(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The victim was debited, then the code crashed: nothing of it stays, the player gets a
    short apology, and the event is not retried forever."""
    import random as _random

    from jobs import commands

    class Lucky(_random.Random):
        def random(self) -> float:
            return 0.0

    await apply_batch(app, "s1", [encode_event(chat("bob", "!checkin"))])
    app.rng = Lucky()

    async def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(commands, "apply_change_with_commit", broken)
    raw = [encode_event(chat("alice", "!rob @bob", event_id="buggy"))]
    await apply_batch(app, "s2", raw)
    assert await wealth_of("bob") == 200 and await wealth_of("alice") == 0
    texts = await outbox_texts(app)
    assert texts[-1].startswith("@alice something went wrong")
    assert "Traceback" not in texts[-1]
    await apply_batch(app, "s3", raw)  # redelivered: already handled
    rows = await fetch("SELECT COUNT(*) AS n FROM processed_events WHERE event_id = 'buggy'")
    assert rows[0]["n"] == 1
    assert (await fetch("SELECT COUNT(*) AS n FROM cooldowns"))[0]["n"] == 0


async def test_a_bug_on_a_non_command_event_does_not_block_the_rest(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from game.events import Cheer, Platform, UserRef
    from tests.support import NOON

    async def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(apply_mod, "apply_other", broken)
    cheer = Cheer(platform=Platform.TWITCH, event_id="bad-cheer", channel="c",
                  user=UserRef(id="9", name="carol"), occurred_at=NOON, received_at=NOON,
                  bits=100)
    result = await apply_batch(app, "nc", [encode_event(cheer),
                                           encode_event(chat("dave", "!checkin"))])
    assert result["applied"] == 2
    assert await wealth_of("dave") == 200 and await wealth_of("carol") == 0


def test_backoff_grows_and_is_capped() -> None:
    waits = [apply_mod.backoff_s(t) for t in range(1, 12)]
    assert waits[0] == 0.5 and waits == sorted(waits) and max(waits) == 30.0


async def test_replies_of_a_committed_batch_are_sent_by_the_rerun_when_the_push_failed(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker committed, then could not hand the replies to the outbox (Redis went away,
    or the process died): the re-run of the same batch answers every committed command once."""
    from arq import Retry

    raw = [encode_event(chat(n, "!checkin", event_id=f"ans-{n}")) for n in ("ann", "ben")]
    real_push = apply_mod.push_replies

    async def redis_gone(*args: Any, **kw: Any) -> None:
        import redis.exceptions

        raise redis.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(apply_mod, "push_replies", redis_gone)
    with pytest.raises(Retry):
        await apply_mod.apply_events({"app": app, "job_try": 1}, "ans", raw)
    assert await outbox_texts(app) == []
    monkeypatch.setattr(apply_mod, "push_replies", real_push)
    await apply_mod.apply_events({"app": app, "job_try": 2}, "ans", raw)
    await apply_mod.apply_events({"app": app, "job_try": 3}, "ans", raw)  # arq ran it twice
    texts = await outbox_texts(app)
    assert sorted(t.split()[0] for t in texts) == ["@ann", "@ben"], texts
    assert await wealth_of("ann") == 200
    assert await app.redis.scard(app.keys.sent_replies("ans")) == 2  # both noted as sent


async def test_a_duplicate_in_another_batch_does_not_answer_again(app: AppContext) -> None:
    event = chat("cleo", "!checkin", event_id="dup-other")
    await apply_batch(app, "first", [encode_event(event)])
    await apply_batch(app, "second", [encode_event(event)])
    assert len(await outbox_texts(app)) == 1


@pytest.mark.parametrize("error", [
    "InterfaceError", "InternalClientError", "ConnectionDoesNotExistError", "AdminShutdownError",
])
async def test_a_lost_database_connection_retries_the_batch_and_apologizes_for_nothing(
    app: AppContext, monkeypatch: pytest.MonkeyPatch, error: str
) -> None:
    """asyncpg's client-side errors after a PostgreSQL restart are an outage, not a bug: the
    command is neither marked handled nor answered with an apology; the retry applies it."""
    import asyncpg
    from arq import Retry

    from jobs import handlers

    real = handlers.HANDLERS["checkin"]
    exc_type = getattr(asyncpg, error, None) or getattr(asyncpg.exceptions, error)

    async def dead_connection(*args: Any, **kw: Any) -> Any:
        if exc_type is asyncpg.InterfaceError:
            raise exc_type("cannot perform operation: connection is closed")
        raise exc_type("cannot switch to state 12; another operation (2) is in progress")

    monkeypatch.setitem(handlers.HANDLERS, "checkin", dead_connection)
    raw = [encode_event(chat("dora", "!checkin", event_id=f"pg-{error}"))]
    with pytest.raises(Retry):
        await apply_mod.apply_events({"app": app, "job_try": 1}, f"pg-{error}", raw)
    assert await outbox_texts(app) == []
    assert (await fetch("SELECT COUNT(*) AS n FROM processed_events"))[0]["n"] == 0
    monkeypatch.setitem(handlers.HANDLERS, "checkin", real)
    await apply_mod.apply_events({"app": app, "job_try": 2}, f"pg-{error}", raw)
    assert await wealth_of("dora") == 200
    assert not any("went wrong" in t for t in await outbox_texts(app))


async def test_a_batch_over_its_time_limit_is_retried_not_failed(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """arq drops a job that exceeds its timeout; the batch's own, shorter limit retries it."""
    from arq import Retry

    from jobs import handlers

    real = handlers.HANDLERS["checkin"]

    async def slow(*args: Any, **kw: Any) -> Any:
        await asyncio.sleep(30)

    monkeypatch.setitem(handlers.HANDLERS, "checkin", slow)
    monkeypatch.setattr(app.settings, "apply_timeout_s", 2)
    raw = [encode_event(chat("eve", "!checkin", event_id="slow-1"))]
    with pytest.raises(Retry):
        await apply_mod.apply_events({"app": app, "job_try": 1}, "slow", raw)
    monkeypatch.setitem(handlers.HANDLERS, "checkin", real)
    await apply_mod.apply_events({"app": app, "job_try": 2}, "slow", raw)
    assert await wealth_of("eve") == 200
    assert not any("went wrong" in t for t in await outbox_texts(app))


async def test_a_batch_cancelled_at_shutdown_is_handed_back_not_failed(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled (SIGTERM's grace ran out) the job ends in CancelledError, which arq turns into
    a re-run, even when the driver reports the cancellation as another error; no apology."""
    import asyncpg

    from jobs import handlers

    real = handlers.HANDLERS["checkin"]
    started = asyncio.Event()

    async def interrupted(*args: Any, **kw: Any) -> Any:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:  # what asyncpg does when cancelled mid-query
            raise asyncpg.InterfaceError("cannot perform operation: another operation is in "
                                         "progress") from None

    monkeypatch.setitem(handlers.HANDLERS, "checkin", interrupted)
    raw = [encode_event(chat("fay", "!checkin", event_id="cancel-1")),
           encode_event(chat("gus", "!profile", event_id="cancel-2"))]
    job = asyncio.create_task(apply_mod.apply_events({"app": app, "job_try": 1}, "cx", raw))
    await started.wait()
    await asyncio.sleep(0.2)
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job
    texts = await outbox_texts(app)
    assert not any("went wrong" in t for t in texts), texts
    assert [t.split()[0] for t in texts] == ["@gus"]  # what committed is answered
    monkeypatch.setitem(handlers.HANDLERS, "checkin", real)
    await apply_mod.apply_events({"app": app, "job_try": 2}, "cx", raw)
    assert await wealth_of("fay") == 200
    assert sorted(t.split()[0] for t in await outbox_texts(app)) == ["@fay", "@gus"]


async def test_a_running_batch_keeps_a_short_lease_on_its_in_progress_mark(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a batch runs, arq's in-progress mark lives only a few seconds and is renewed:
    a dead worker's batch is taken over within the lease, a slow live one keeps it."""
    from jobs import handlers

    monkeypatch.setattr(app.settings, "lease_s", 1.5)
    key = app.keys.arq("in-progress:") + "batch:lease"
    await app.redis.psetex(key, 70_000, b"1")  # what arq sets when the job starts
    real = handlers.HANDLERS["checkin"]
    ttls: list[int] = []

    async def slow(*args: Any, **kw: Any) -> Any:
        for _ in range(6):  # 3 s: twice the lease
            ttls.append(await app.redis.pttl(key))
            await asyncio.sleep(0.5)
        return await real(*args, **kw)

    monkeypatch.setitem(handlers.HANDLERS, "checkin", slow)
    raw = [encode_event(chat("lea", "!checkin", event_id="lease-1"))]
    await apply_mod.apply_events({"app": app, "job_try": 1, "job_id": "batch:lease"}, "lease",
                                 raw)
    assert all(0 < t <= 1500 for t in ttls), ttls  # short, and still there after 3 s
    assert await wealth_of("lea") == 200
    await app.redis.delete(key)


@pytest.mark.parametrize("text", ["!checkin", "!profile"])
async def test_the_same_event_in_two_batches_at_once_applies_once(
    app: AppContext, text: str
) -> None:
    """Two workers on the same event at the same time (a batch taken over while its first
    worker still runs): the event's row is written with the COMMIT, so the later commit is
    refused by the unique key and rolls back whole — one effect, one answer, no apology and
    nothing quarantined."""
    await apply_batch(app, "seed", [encode_event(chat("rita", "!checkin", event_id="seed"))])
    await fetch("DELETE FROM cooldowns")  # let a second check-in through the rules
    await fetch("UPDATE users SET last_checkin_date = NULL")
    await app.redis.delete(app.keys.outbox("console"))
    raw = [encode_event(chat("rita", text, event_id=f"twice-{text}"))]
    results = await asyncio.gather(*(apply_batch(app, f"w{n}", raw) for n in range(4)))
    assert sorted(r["applied"] for r in results) == [0, 0, 0, 1], results
    rows = await fetch("SELECT COUNT(*) AS n FROM processed_events WHERE event_id = $1",
                       f"twice-{text}")
    assert rows[0]["n"] == 1
    texts = await outbox_texts(app)
    assert len(texts) == 1 and "wrong" not in texts[0], texts
    assert not await app.redis.hget(app.keys.stats, "quarantined_events")
    if text == "!checkin":
        assert await wealth_of("rita") == 400
