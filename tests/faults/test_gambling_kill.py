"""A worker SIGKILLed with blackjack hands open and a coinflip pending: a new worker process
lets the hand be finished, stands the idle one, refunds the expired flip, and nothing is
lost (the app fixture's teardown checks the ledger against the balances)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jobs.context import AppContext
from kingpin.bus import Publisher
from tests.jobs.test_commands import give, say
from tests.support import chat, fetch, outbox_texts, wealth_of

ROOT = Path(__file__).resolve().parents[2]


def start_worker(db_url: str, settings: Any, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KINGPIN_DATABASE_URL": db_url,
           "KINGPIN_REDIS_URL": settings.redis_url.get_secret_value(),
           "KINGPIN_REDIS_PREFIX": settings.redis_prefix, "KINGPIN_LOG_LEVEL": "INFO"}
    with log.open("ab") as sink:
        return subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "kingpin.cli", "worker"], env=env, cwd=ROOT,
            stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT)


async def wait_for(check: Any, limit_s: float = 30) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.2)
    return False


async def open_hand(app: AppContext, name: str) -> int:
    """A dealt hand that is not settled at once (no natural)."""
    import random

    for seed in range(100):
        app.rng = random.Random(seed)
        await say(app, chat(name, "!blackjack 100"))
        rows = await fetch("SELECT h.id, h.status FROM blackjack_hands h JOIN users u"
                           " ON u.id = h.user_id WHERE u.username = $1 ORDER BY h.id DESC"
                           " LIMIT 1", name)
        if rows[0]["status"] == "open":
            return int(rows[0]["id"])
    raise AssertionError("no open hand dealt")


async def test_a_killed_worker_leaves_hands_and_flips_to_the_next(
        app: AppContext, clock: Any, db_url: str, settings: Any, tmp_path: Path) -> None:
    clock.now = datetime.now(UTC)  # the worker processes keep real time
    for name in ("alice", "carol", "bob"):
        await give(app, name, 10_000)
    alice_hand = await open_hand(app, "alice")
    carol_hand = await open_hand(app, "carol")
    await say(app, chat("bob", "!flip 1000"))
    before = {n: await wealth_of(n) for n in ("alice", "carol", "bob")}
    mark = (await fetch("SELECT COALESCE(MAX(id), 0) AS m FROM game_events"))[0]["m"]

    log = tmp_path / "workers.log"
    first = start_worker(db_url, settings, log)
    try:
        assert await wait_for(lambda: _ready(log, 1)), log.read_text()
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    # while nothing ran, carol's hand went idle and bob's flip expired
    await fetch("UPDATE blackjack_hands SET idle_at = now() - interval '1 minute'"
                " WHERE id = $1", carol_hand)
    await fetch("UPDATE coin_flip_challenges SET expires_at = now() - interval '1 minute'")
    second = start_worker(db_url, settings, log)
    try:
        assert await wait_for(lambda: _ready(log, 2)), log.read_text()
        pub = Publisher(app.redis, app.keys, max_events=10, max_wait_ms=2)
        await pub.publish(chat("alice", "!stand"))
        await pub.close()

        async def settled() -> bool:
            hands = await fetch("SELECT status FROM blackjack_hands WHERE id = ANY($1)",
                                [alice_hand, carol_hand])
            flips = await fetch("SELECT status FROM coin_flip_challenges")
            return {h["status"] for h in hands} == {"done"} and flips[0]["status"] == "expired"

        assert await wait_for(settled), log.read_text()
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    since = {r["username"]: (int(r["paid"]), int(r["other"])) for r in await fetch(
        "SELECT u.username,"
        " COALESCE(SUM(g.wealth_delta) FILTER (WHERE g.event_type IN ('blackjack_payout',"
        "  'flip_refund')), 0) AS paid,"
        " COALESCE(SUM(g.wealth_delta) FILTER (WHERE g.event_type NOT IN"
        "  ('blackjack_payout', 'flip_refund')), 0) AS other"
        " FROM users u LEFT JOIN game_events g ON g.user_id = u.id AND g.id > $1"
        " GROUP BY u.username", mark)}
    # besides the game's returns only chat rewards (the flush of the lines above) came in
    assert all(0 <= since[n][1] <= 10 for n in before), since
    for name in before:  # each got exactly what the ledger says, once
        assert await wealth_of(name) == before[name] + sum(since[name])
    assert since["bob"][0] == 1000  # the stake back
    assert (await fetch("SELECT COUNT(*) AS n FROM game_events WHERE id > $1"
                        " AND event_type = 'blackjack_payout'", mark))[0]["n"] <= 2
    texts = await outbox_texts(app)
    assert any(t.startswith("@carol 🃏 your hand stood by itself") for t in texts), texts
    assert any(t.startswith("@bob 🪙 nobody took your flip") for t in texts), texts
    assert any(t.startswith("@alice 🃏 ") for t in texts), texts


def _count_ready(log: Path) -> int:
    return log.read_text(errors="replace").count("worker ready") if log.exists() else 0


async def _ready(log: Path, times: int) -> bool:
    return await asyncio.to_thread(_count_ready, log) >= times
