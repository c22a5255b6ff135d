"""Gambling's timers, registered in workers/main.py ``cron_options``:

* ``stand_idle_hands`` — every 5 s: a blackjack hand idle for ``blackjack_idle_s`` stands
  (the dealer plays, the hand pays), and its player is told where they dealt it;
* ``expire_flips`` — every 5 s: an open coinflip past its 10 minutes is refunded and its
  challenger told;
* ``draw_lottery`` — daily at 00:00 UTC (``KINGPIN_LOTTERY_DRAW_EVERY_S`` shortens it for
  demos), once per community (jobs/schedule.py): the draw,
  its payouts, the unwon shares added to the next draw's pool, one announcement.

Each hand and each flip is settled in its own transaction under its player's row lock (the
same lock the commands take), and only if it is still open when locked, so a player's
``!stand`` and the timer never both settle it, however many workers tick.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from game.events import Platform
from game.gambling import blackjack, lottery
from game.replies import Reply, mention, money
from jobs import state
from jobs.broadcast import broadcast
from jobs.context import AppContext, app_from
from jobs.gambling import next_draw_at, record_round, settle_hand
from jobs.ledger import apply_delta, win_if
from jobs.schedule import RunResult, push_after_commit, run_due
from models.gambling import BlackjackHand, CoinFlipChallenge, LotteryDraw, LotteryTicket

log = logging.getLogger(__name__)

BATCH = 200  # hands or flips settled per tick


def _tell(platform: str, channel: str, name: str, text: str) -> list[Reply]:
    if platform not in Platform._value2member_map_ or not channel:
        return []
    return [Reply(platform=Platform(platform), channel=channel, text=f"{mention(name)} {text}")]


async def stand_idle_hands(ctx: dict[str, Any]) -> dict[str, int]:
    app = app_from(ctx)
    now = app.clock()
    due = await BlackjackHand.filter(status="open", idle_at__lte=now).order_by(
        "idle_at").limit(BATCH).values_list("id", "user_id")
    stood = 0
    for hand_id, user_id in due:
        replies: list[Reply] = []
        async with in_transaction("default") as conn:
            users = await state.lock_users(conn, user_id)
            row = await BlackjackHand.filter(id=hand_id, status="open", idle_at__lte=now
                                             ).using_db(conn).first()
            if row is None or user_id not in users:
                continue  # played meanwhile
            rules = await app.rules_cache.get(int(row.community_id))  # type: ignore[attr-defined]
            hand = blackjack.stand(blackjack.from_json(row.state), rules)
            await settle_hand(conn, int(row.community_id), user_id,  # type: ignore[attr-defined]
                              row.id, hand, f"cron:blackjack_idle:{row.id}", now, rules)
            replies = _tell(row.notify_platform, row.notify_channel, users[user_id].username,
                            f"🃏 your hand stood by itself after "
                            f"{rules.blackjack_idle_s // 60} min: "
                            f"{blackjack.show(hand, reveal=True)} — "
                            f"{blackjack.result_text(hand)}")
            stood += 1
        await push_after_commit(app, replies, f"idle hand {hand_id}")
    return {"stood": stood}


async def expire_flips(ctx: dict[str, Any]) -> dict[str, int]:
    app = app_from(ctx)
    now = app.clock()
    due = await CoinFlipChallenge.filter(status="open", expires_at__lte=now).order_by(
        "expires_at").limit(BATCH).values_list("id", "challenger_id")
    refunded = 0
    for flip_id, user_id in due:
        replies: list[Reply] = []
        async with in_transaction("default") as conn:
            users = await state.lock_users(conn, user_id)
            row = await CoinFlipChallenge.filter(id=flip_id, status="open").using_db(
                conn).first()
            if row is None or user_id not in users:
                continue  # accepted or cancelled meanwhile
            rules = await app.rules_cache.get(int(row.community_id))  # type: ignore[attr-defined]
            await CoinFlipChallenge.filter(id=flip_id, status="open").using_db(conn).update(
                status="expired", resolved_at=now)
            await apply_delta(conn, user_id, row.wager, 0, "flip_refund",
                              f"coinflip #{flip_id} expired", f"cron:flip_expiry:{flip_id}",
                              rules)
            replies = _tell(row.notify_platform, row.notify_channel, users[user_id].username,
                            f"🪙 nobody took your flip #{flip_id} — {money(row.wager)} back")
            refunded += 1
        await push_after_commit(app, replies, f"flip expiry {flip_id}")
    return {"refunded": refunded}


async def draw_lottery(ctx: dict[str, Any]) -> dict[str, int]:
    app = app_from(ctx)
    every = timedelta(seconds=app.settings.lottery_draw_every_s)
    return await run_due(app, "draw_lottery", every, _draw)


async def _draw(app: AppContext, conn: BaseDBAsyncClient, community: int, due_at: datetime
                ) -> RunResult:
    """Every open draw whose time has come, oldest first (one missed while no worker ran is
    drawn now, and its unwon shares still roll on), each into the next draw's pool."""
    rules = await app.rules_cache.get(community)
    due: list[int] = [int(str(i)) for i in await LotteryDraw.filter(
        community_id=community, draw_at__lte=due_at, status="open").using_db(conn).order_by(
        "draw_at").values_list("id", flat=True)]
    totals = {"drawn": 0, "tickets": 0, "winners": 0, "paid": 0, "rollover": 0}
    texts: list[str] = []
    for draw_id in due:
        counts, text = await _draw_one(app, conn, community, draw_id, rules)
        for key, value in counts.items():
            totals[key] += value
        if text:
            texts.append(text)
    replies = await broadcast(app, community, " · ".join(texts)) if texts else []
    return RunResult(totals, replies)


async def _draw_one(app: AppContext, conn: BaseDBAsyncClient, community: int, draw_id: int,
                    rules: Any) -> tuple[dict[str, int], str]:
    draw = await LotteryDraw.filter(id=draw_id, status="open").select_for_update().using_db(
        conn).first()
    if draw is None:
        return {}, ""
    due_at = draw.draw_at
    tickets = await LotteryTicket.filter(draw_id=draw.id).using_db(conn).order_by(
        "id").values("id", "user_id", "numbers")
    drawn = lottery.draw(app.rng, rules)
    settled = lottery.settle(
        draw.pool, [(t["id"], tuple(int(n) for n in t["numbers"].split(","))) for t in tickets],
        drawn, rules)
    paid_users: dict[int, int] = {}
    for t in tickets:
        paid_users.setdefault(t["user_id"], 0)
        paid_users[t["user_id"]] += settled.payouts.get(t["id"], 0)
    if paid_users:
        await state.lock_users(conn, *paid_users)
    for t in tickets:
        numbers = tuple(int(n) for n in t["numbers"].split(","))
        await LotteryTicket.filter(id=t["id"]).using_db(conn).update(
            matched=lottery.matches(numbers, drawn), payout=settled.payouts.get(t["id"], 0))
    for user_id, amount in sorted(paid_users.items()):
        if amount:
            cost = rules.lottery_ticket_price * sum(1 for t in tickets
                                                    if t["user_id"] == user_id)
            await apply_delta(conn, user_id, amount, 0, "lottery_payout",
                              f"lottery {due_at.date()}", f"cron:lottery:{draw.id}", rules,
                              win_if(amount > cost))
        user_tickets = [t for t in tickets if t["user_id"] == user_id]
        await record_round(conn, community, user_id, "lottery",
                           rules.lottery_ticket_price * len(user_tickets), amount,
                           "win" if amount > rules.lottery_ticket_price * len(user_tickets)
                           else "lose", app.clock())
    await LotteryDraw.filter(id=draw.id).using_db(conn).update(
        status="drawn", numbers=",".join(map(str, drawn)), rollover_out=settled.rollover,
        drawn_at=app.clock())
    # the unwon shares go on into the next draw
    next_at = next_draw_at(due_at, app.settings.lottery_draw_every_s)
    await conn.execute_query(
        "INSERT INTO lottery_draws (community_id, draw_at, status, pool, rollover_in,"
        " numbers, rollover_out) VALUES ($1, $2, 'open', $3, $3, '', 0)"
        " ON CONFLICT (community_id, draw_at) DO UPDATE SET"
        " pool = lottery_draws.pool + EXCLUDED.pool,"
        " rollover_in = lottery_draws.rollover_in + EXCLUDED.rollover_in",
        [community, next_at, settled.rollover])
    winners = sum(1 for a in paid_users.values() if a)
    text = ""
    if tickets:
        text = (f"🎟️ lottery draw: {' '.join(map(str, drawn))} — "
                + (f"{winners} winner(s) share {money(draw.pool - settled.rollover)}"
                   if winners else "no winner")
                + f"; {money(settled.rollover)} rolls over into the next draw")
    return ({"drawn": 1, "tickets": len(tickets), "winners": winners,
             "paid": draw.pool - settled.rollover, "rollover": settled.rollover}, text)
