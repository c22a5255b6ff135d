"""Gambling end to end through the batch job and the timers: slots and the jackpot,
blackjack (idle hands stand), coinflip duels (one acceptor, refunds), the lottery draw."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from game.events import encode_event
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.gambling_cron import draw_lottery, expire_flips, stand_idle_hands
from tests.jobs.test_commands import give, say
from tests.support import chat, fetch, outbox_texts, wealth_of


def ctx(app: AppContext) -> dict[str, Any]:
    return {"app": app}


async def ledger(event_type: str) -> int:
    rows = await fetch("SELECT COALESCE(SUM(wealth_delta), 0) AS s FROM game_events"
                       " WHERE event_type = $1", event_type)
    return int(rows[0]["s"])


class Top(random.Random):
    """Every weighted draw takes the last entry (the 🎰 reel), every chance succeeds."""

    def randint(self, a: int, b: int) -> int:
        return b

    def random(self) -> float:
        return 0.0


# --- slots ---------------------------------------------------------------------------------


async def test_slots_wager_payout_and_the_jackpot_grows(app: AppContext) -> None:
    await give(app, "alice", 10_000)
    out = await say(app, chat("alice", "!slots 1000"))
    assert out[0].startswith("@alice 🎰 ")
    assert await ledger("slots_wager") == -1000
    rows = await fetch("SELECT pool FROM slot_jackpots")
    assert rows[0]["pool"] == 10_000 + 20  # 2% of the wager
    payout = await ledger("slots_payout")
    assert await wealth_of("alice") == 10_000 - 1000 + payout
    assert "the slots jackpot is $10,020" in (await say(app, chat("alice", "!jackpot")))[0]
    session = await fetch("SELECT game_type, wager, payout FROM gambling_sessions")
    assert session == [{"game_type": "slots", "wager": 1000, "payout": payout}]


async def test_the_jackpot_pays_the_pool_and_starts_again(app: AppContext) -> None:
    await give(app, "alice", 10_000)
    app.rng = Top()
    out = await say(app, chat("alice", "!slots 500"))
    assert "JACKPOT" in out[0] and "$10,010" in out[0]
    assert any("hit the slots jackpot" in t for t in out)
    assert (await fetch("SELECT pool FROM slot_jackpots"))[0]["pool"] == 10_000
    assert await wealth_of("alice") == 10_000 - 500 + 10_010


async def test_bets_are_parsed_and_refused_with_the_usage(app: AppContext) -> None:
    await give(app, "alice", 50_000)
    assert "usage: !slots" in (await say(app, chat("alice", "!slots lots")))[0]
    assert "usage: !slots" in (await say(app, chat("alice", "!slots")))[0]
    assert "$100" in (await say(app, chat("alice", "!slots 99")))[0]
    assert "$10,000" in (await say(app, chat("alice", "!slots 20000")))[0]  # Punk max
    await say(app, chat("alice", "!slots all"))
    assert await ledger("slots_wager") == -10_000  # all, capped at the tier max
    assert await wealth_of("alice") >= 40_000


async def test_jail_blocks_gambling(app: AppContext) -> None:
    await give(app, "alice", 10_000)
    await fetch("INSERT INTO jail (community_id, user_id, jailed_at, release_at, reason)"
                " SELECT 1, id, now(), now() + interval '1 hour', 'test' FROM users"
                " WHERE username = 'alice'")
    for text in ("!slots 100", "!blackjack 100", "!flip 500", "!lottery 1 2 3"):
        assert "jail" in (await say(app, chat("alice", text)))[0], text
    assert await wealth_of("alice") == 10_000


# --- blackjack -----------------------------------------------------------------------------


async def test_blackjack_deal_play_and_settle(app: AppContext) -> None:
    await give(app, "alice", 10_000)
    out = await say(app, chat("alice", "!bj 1000"))
    assert out[0].startswith("@alice 🃏 ")
    hand = await fetch("SELECT status FROM blackjack_hands")
    if hand[0]["status"] == "open":
        assert "in play" in (await say(app, chat("alice", "!bj 1000")))[0]
        done = await say(app, chat("alice", "!stand"))
        assert "🃏" in done[0]
    assert (await fetch("SELECT status FROM blackjack_hands"))[0]["status"] == "done"
    assert "no hand in play" in (await say(app, chat("alice", "!hit")))[0]
    paid = await ledger("blackjack_payout")
    assert await wealth_of("alice") == 10_000 - 1000 + paid


async def test_an_idle_hand_stands_by_itself_after_a_restart(
        app: AppContext, clock: Any) -> None:
    await give(app, "alice", 10_000)
    for seed in range(50):  # a deal that is not settled at once (no natural)
        app.rng = random.Random(seed)
        await say(app, chat("alice", "!blackjack 100"))
        if (await fetch("SELECT status FROM blackjack_hands ORDER BY id DESC LIMIT 1")
                )[0]["status"] == "open":
            break
    assert await stand_idle_hands(ctx(app)) == {"stood": 0}  # not idle yet
    clock.now += timedelta(seconds=121)
    # a fresh worker (nothing in memory) finds the hand in the database
    fresh = AppContext(redis=app.redis, keys=app.keys, settings=app.settings, clock=clock)
    assert await stand_idle_hands(ctx(fresh)) == {"stood": 1}
    assert await stand_idle_hands(ctx(fresh)) == {"stood": 0}
    assert (await fetch("SELECT status FROM blackjack_hands ORDER BY id DESC LIMIT 1")
            )[0]["status"] == "done"
    assert any("stood by itself" in t for t in await outbox_texts(app))


# --- coinflip ------------------------------------------------------------------------------


async def test_a_flip_is_accepted_once_and_the_stakes_are_conserved(app: AppContext) -> None:
    for name in ("alice", "bob", "carol"):
        await give(app, name, 5_000)
    out = await say(app, chat("alice", "!flip 1000 tails"))
    assert "!accept" in out[0]
    flip_id = (await fetch("SELECT id FROM coin_flip_challenges"))[0]["id"]
    assert "own flip" in (await say(app, chat("alice", f"!accept {flip_id}")))[0]
    both = [encode_event(chat(n, f"!accept {flip_id}")) for n in ("bob", "carol")]
    await asyncio.gather(*(apply_batch(app, uuid.uuid4().hex, [e]) for e in both))
    row = (await fetch("SELECT status, acceptor_id, winner_id FROM coin_flip_challenges"))[0]
    assert row["status"] == "done"
    total = sum([await wealth_of(n) for n in ("alice", "bob", "carol")])
    assert total == 15_000
    assert await ledger("flip_stake") == -2000 and await ledger("flip_payout") == 2000


async def test_flips_list_cancel_and_expire_with_refunds(app: AppContext, clock: Any) -> None:
    await give(app, "alice", 5_000)
    await give(app, "bob", 5_000)
    assert "smallest bet is $500" in (await say(app, chat("alice", "!flip 100")))[0]
    await say(app, chat("alice", "!flip 700"))
    assert "already have an open flip" in (await say(app, chat("alice", "!flip 700")))[0]
    assert "alice $700 on heads" in (await say(app, chat("bob", "!flips")))[0]
    assert "cancelled — $700 back" in (await say(app, chat("alice", "!cancelflip")))[0]
    await say(app, chat("bob", "!flip 900"))
    clock.now += timedelta(minutes=11)
    assert await expire_flips(ctx(app)) == {"refunded": 1}
    assert await expire_flips(ctx(app)) == {"refunded": 0}
    assert await wealth_of("alice") == 5_000 and await wealth_of("bob") == 5_000
    flip_id = (await fetch("SELECT id FROM coin_flip_challenges WHERE status = 'expired'")
               )[0]["id"]
    assert "no longer open" in (await say(app, chat("alice", f"!accept {flip_id}")))[0]


# --- the lottery ---------------------------------------------------------------------------


async def test_the_lottery_pays_out_exactly_what_was_paid_in(
        app: AppContext, clock: Any) -> None:
    clock.now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    for name in ("alice", "bob"):
        await give(app, name, 10_000)
    assert "usage: !lottery" in (await say(app, chat("alice", "!lottery 1 1 2")))[0]
    assert "usage: !lottery" in (await say(app, chat("alice", "!lottery 1 2 21")))[0]
    for i in range(5):
        assert "ticket" in (await say(app, chat("alice", f"!lottery {i + 1} 7 9")))[0]
    assert "most you can hold" in (await say(app, chat("alice", "!lottery 10 11 12")))[0]
    await say(app, chat("bob", "!lottery 3 4 5"))
    assert "pool $5,400" in (await say(app, chat("bob", "!lotto")))[0]
    clock.now = datetime(2026, 12, 4, 0, 0, 30, tzinfo=UTC)
    result = await draw_lottery(ctx(app))
    assert result["communities"] == 1
    again = await draw_lottery(ctx(app))
    assert again["communities"] == 0  # once per due time
    draws = await fetch("SELECT pool, status, rollover_out FROM lottery_draws ORDER BY draw_at")
    assert draws[0]["status"] == "drawn" and draws[0]["pool"] == 5_400
    paid = await ledger("lottery_payout")
    assert paid + draws[0]["rollover_out"] == 5_400
    assert draws[1]["pool"] == draws[0]["rollover_out"]  # into the next draw
    assert await ledger("lottery_ticket") == -6_000


async def test_gamblestats_sums_the_rounds(app: AppContext) -> None:
    await give(app, "alice", 10_000)
    assert "no gambling yet" in (await say(app, chat("alice", "!gamblestats")))[0]
    await say(app, chat("alice", "!slots 100"))
    await say(app, chat("alice", "!slots 100"))
    assert "slots 2 played" in (await say(app, chat("alice", "!gamblestats")))[0]


async def test_economy_reports_what_the_ledger_says_to_mods_only(app: AppContext) -> None:
    from tests.jobs.test_commands import BROADCASTER

    await give(app, "alice", 10_000)
    await say(app, chat("alice", "!slots 1000"))
    await say(app, chat("alice", "!checkin"))
    assert "only mods" in (await say(app, chat("alice", "!economy")))[0]
    assert "usage: !economy" in (await say(app, chat("boss", "!economy year",
                                                      roles=BROADCASTER)))[0]
    out = await say(app, chat("boss", "!economy", roles=BROADCASTER))
    created = await fetch("SELECT COALESCE(SUM(wealth_delta), 0) AS s FROM game_events"
                          " WHERE wealth_delta > 0 AND event_type NOT IN ('rob', 'robbed')")
    destroyed = await fetch("SELECT COALESCE(-SUM(wealth_delta), 0) AS s FROM game_events"
                            " WHERE wealth_delta < 0 AND event_type NOT IN ('rob', 'robbed')")
    supply = await fetch("SELECT SUM(wealth) AS s FROM users")
    text = out[0]
    assert text.startswith("@boss 📊 Economy (day): supply $" + f"{supply[0]['s']:,}")
    assert f"created ${created[0]['s']:,}" in text
    assert f"destroyed ${destroyed[0]['s']:,}" in text
    assert "slots" in text and "Gini" in text


async def test_a_short_draw_interval_for_demos(app: AppContext, clock: Any) -> None:
    app.settings = app.settings.model_copy(update={"lottery_draw_every_s": 120})
    clock.now = datetime(2026, 12, 3, 12, 0, 30, tzinfo=UTC)
    await give(app, "alice", 10_000)
    assert "drawn in 1 min" in (await say(app, chat("alice", "!lottery 1 2 3")))[0]
    clock.now = datetime(2026, 12, 3, 12, 2, 1, tzinfo=UTC)
    assert (await draw_lottery(ctx(app)))["communities"] == 1
    drawn = await fetch("SELECT draw_at, status FROM lottery_draws ORDER BY draw_at")
    assert drawn[0]["draw_at"] == datetime(2026, 12, 3, 12, 2, tzinfo=UTC)
    assert drawn[0]["status"] == "drawn"
    assert drawn[1]["draw_at"] == datetime(2026, 12, 3, 12, 4, tzinfo=UTC)


async def test_a_draw_missed_while_no_worker_ran_is_drawn_later(
        app: AppContext, clock: Any) -> None:
    """Workers down across two midnights: the missed draw is still drawn (its pool paid or
    rolled on), never left open with its money."""
    clock.now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    await give(app, "alice", 10_000)
    await say(app, chat("alice", "!lottery 1 2 3"))
    clock.now = datetime(2026, 12, 5, 0, 1, tzinfo=UTC)  # the 12-04 draw was never run
    await draw_lottery(ctx(app))
    rows = await fetch("SELECT draw_at, status, pool, rollover_out FROM lottery_draws"
                       " ORDER BY draw_at")
    assert rows[0]["status"] == "drawn" and rows[0]["pool"] == 900
    paid = await ledger("lottery_payout")
    later = sum(r["pool"] for r in rows[1:] if r["status"] == "open")
    assert paid + later == 900  # nothing vanished


async def test_a_flip_above_the_acceptors_tier_max_is_refused(app: AppContext) -> None:
    await give(app, "alice", 200_000)
    await give(app, "bob", 200_000)
    await fetch("UPDATE users SET level = 100 WHERE username = 'alice'")  # Kingpin
    await say(app, chat("alice", "!flip 50000"))
    flip_id = (await fetch("SELECT id FROM coin_flip_challenges"))[0]["id"]
    out = await say(app, chat("bob", f"!accept {flip_id}"))
    assert "your tier can bet at most $10,000" in out[0]
