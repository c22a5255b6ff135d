"""Gambling: ``!slots`` and ``!jackpot``, ``!blackjack`` with ``!hit`` / ``!stand`` /
``!double``, coinflip duels (``!flip``, ``!accept``, ``!flips``, ``!cancelflip``), the lottery
(``!lottery``, ``!lotto``) and ``!gamblestats``; the timers (idle hands, expired flips, the
daily draw) are in jobs/gambling_cron.py.

Every stake is a ledger row when it is taken (``<game>_wager``, ``flip_stake``,
``lottery_ticket``) and every return one when it is paid (``<game>_payout``, ``slots_jackpot``,
``flip_payout``, ``flip_refund``, ``lottery_payout``), so ``!economy`` measures each game from
the ledger and ``gambling_sessions``. A stake held while a hand or a duel is open is out of
the player's wealth and in the row (the hand, the challenge): a restart loses nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from game.actions import bail_cost
from game.commands import USAGE
from game.errors import Jailed, NotAllowed, TargetError, UsageError, format_duration
from game.events import Platform
from game.gambling import blackjack, coinflip, lottery, slots
from game.gambling.bets import max_bet, parse_bet
from game.replies import Card, CardField, Reply, mention, money
from game.rules import Rules
from jobs import state
from jobs.ledger import WIN, apply_delta, win_if
from jobs.schedule import next_due
from jobs.turn import Turn
from models.gambling import (
    BlackjackHand,
    CoinFlipChallenge,
    GamblingSession,
    LotteryDraw,
    LotteryTicket,
    PlayerGamblingStats,
)

GAMES = ("slots", "blackjack", "coinflip", "lottery")


# --- shared --------------------------------------------------------------------------------


async def _lock_free(turn: Turn, conn: BaseDBAsyncClient) -> state.UserRow:
    """The player, locked; refused while jailed (GAME.md: jail blocks gambling)."""
    user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
    await _refuse_jailed(turn, conn, user)
    return user


async def _refuse_jailed(turn: Turn, conn: BaseDBAsyncClient, user: state.UserRow) -> None:
    until = await state.jailed_until(conn, user.id)
    if until is not None and until > turn.now:
        raise Jailed(int((until - turn.now).total_seconds()), bail_for(user, turn.rules))


def bail_for(user: state.UserRow, rules: Rules) -> int:
    return bail_cost(user.wealth, rules.tier_for_level(user.level), rules)


def _where(turn: Turn) -> dict[str, str]:
    return {"notify_platform": turn.event.platform.value, "notify_channel": turn.event.channel}


async def record_round(conn: BaseDBAsyncClient, community: int, user_id: int, game: str,
                       wager: int, payout: int, result: str, now: datetime,
                       details: Any = None) -> None:
    """A finished round: ``gambling_sessions`` and the player's totals for the game."""
    await GamblingSession.create(using_db=conn, community_id=community, user_id=user_id,
                                 game_type=game, wager=wager, payout=payout, result=result,
                                 details=json.dumps(details) if details else "",
                                 created_at=now)
    await conn.execute_query(
        "INSERT INTO player_gambling_stats (community_id, user_id, game_type, rounds, wins,"
        " wagered, paid, biggest_win) VALUES ($1, $2, $3, 1, $4, $5, $6, $7)"
        " ON CONFLICT (community_id, user_id, game_type) DO UPDATE SET"
        " rounds = player_gambling_stats.rounds + 1,"
        " wins = player_gambling_stats.wins + EXCLUDED.wins,"
        " wagered = player_gambling_stats.wagered + EXCLUDED.wagered,"
        " paid = player_gambling_stats.paid + EXCLUDED.paid,"
        " biggest_win = GREATEST(player_gambling_stats.biggest_win, EXCLUDED.biggest_win)",
        [community, user_id, game, int(payout > wager), wager, payout,
         max(0, payout - wager)])


def _bet(turn: Turn, user: state.UserRow, minimum: int | None = None) -> int:
    arg = turn.cmd.args[0] if turn.cmd.args else None
    return parse_bet(arg, user.wealth, turn.rules.tier_for_level(user.level), turn.rules,
                     usage=USAGE[turn.cmd.name], minimum=minimum)


# --- slots ---------------------------------------------------------------------------------


async def _jackpot(conn: BaseDBAsyncClient, community: int, rules: Rules, lock: bool) -> int:
    await conn.execute_query(
        "INSERT INTO slot_jackpots (community_id, pool, updated_at) VALUES ($1, $2, now())"
        " ON CONFLICT (community_id) DO NOTHING", [community, rules.jackpot_seed])
    rows = await conn.execute_query_dict(
        "SELECT pool FROM slot_jackpots WHERE community_id = $1"
        + (" FOR UPDATE" if lock else ""), [community])
    return int(rows[0]["pool"])


async def slots_(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    user = await _lock_free(turn, conn)
    bet = _bet(turn, user)
    pool = await _jackpot(conn, turn.community, rules, lock=True)
    reels = slots.spin(turn.app.rng)
    result = slots.score(reels, bet)
    cut = slots.jackpot_cut(bet, rules)
    await apply_delta(conn, user.id, -bet, 0, "slots_wager", "slots", turn.source_key, rules)
    line = " ".join(reels)
    if result.jackpot:
        paid = pool + cut
        await conn.execute_query(
            "UPDATE slot_jackpots SET pool = $2, last_won_at = $3, last_winner_id = $4,"
            " updated_at = now() WHERE community_id = $1",
            [turn.community, rules.jackpot_seed, turn.now, user.id])
        balance = await apply_delta(conn, user.id, paid, 0, "slots_jackpot", "slots jackpot",
                                    turn.source_key, rules, WIN)
        turn.say(f"🎰 {line} — JACKPOT! you win {money(paid)} — now {money(balance.wealth)}")
        turn.announce(f"🎰 {turn.player.name} hit the slots jackpot: {money(paid)}!")
    else:
        await conn.execute_query(
            "UPDATE slot_jackpots SET pool = pool + $2, updated_at = now()"
            " WHERE community_id = $1", [turn.community, cut])
        paid = result.payout
        wealth = user.wealth - bet
        if paid:
            wealth = (await apply_delta(conn, user.id, paid, 0, "slots_payout",
                                        f"slots {result.kind}", turn.source_key,
                                        rules, win_if(paid > bet))).wealth
            turn.say(f"🎰 {line} — {result.kind} of a kind ×{result.multiplier.normalize():f}: "
                     f"{money(paid)} back — now {money(wealth)}")
        else:
            turn.say(f"🎰 {line} — nothing this time (-{money(bet)}) — now {money(wealth)}")
    await record_round(conn, turn.community, user.id, "slots", bet, paid, result.kind,
                       turn.now, {"reels": list(reels)})


async def jackpot(turn: Turn, conn: BaseDBAsyncClient) -> None:
    pool = await _jackpot(conn, turn.community, turn.rules, lock=False)
    turn.say(f"🎰 the slots jackpot is {money(pool)} — three 🎰 take it all (!slots <bet>)")


# --- blackjack -----------------------------------------------------------------------------


async def _open_hand(conn: BaseDBAsyncClient, turn: Turn) -> BlackjackHand | None:
    return await BlackjackHand.filter(community_id=turn.community, user_id=turn.player.id,
                                      status="open").using_db(conn).first()


async def settle_hand(conn: BaseDBAsyncClient, community: int, user_id: int, row_id: int,
                      hand: blackjack.Hand, source: str | None, now: datetime,
                      rules: Rules) -> int | None:
    """Write a hand as it is now; a finished one pays and is recorded. Returns the wealth
    after a payout (None when nothing was paid)."""
    await BlackjackHand.filter(id=row_id).using_db(conn).update(
        state=blackjack.to_json(hand), status=hand.status,
        idle_at=now + timedelta(seconds=rules.blackjack_idle_s))
    if hand.status != "done":
        return None
    stake = hand.bet * (2 if hand.doubled else 1)
    wealth = None
    if hand.payout:
        wealth = (await apply_delta(conn, user_id, hand.payout, 0, "blackjack_payout",
                                    f"blackjack {hand.outcome}", source, rules,
                                    win_if(hand.payout > stake))).wealth
    await record_round(conn, community, user_id, "blackjack", stake, hand.payout,
                       hand.outcome or "", now,
                       {"player": list(hand.player), "dealer": list(hand.dealer)})
    return wealth


def _hand_text(hand: blackjack.Hand) -> str:
    if hand.status == "done":
        return f"🃏 {blackjack.show(hand, reveal=True)} — {blackjack.result_text(hand)}"
    return f"🃏 {blackjack.show(hand, reveal=False)} — !hit, !stand or !double"


async def blackjack_(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    user = await _lock_free(turn, conn)
    if await _open_hand(conn, turn) is not None:
        raise NotAllowed("you have a hand in play — !hit, !stand or !double")
    bet = _bet(turn, user)
    hand = blackjack.deal(bet, turn.app.rng, rules)
    await apply_delta(conn, user.id, -bet, 0, "blackjack_wager", "blackjack", turn.source_key,
                      rules)
    row = await BlackjackHand.create(
        using_db=conn, community_id=turn.community, user_id=user.id, bet=bet,
        state=blackjack.to_json(hand), status="open", created_at=turn.now,
        idle_at=turn.now + timedelta(seconds=rules.blackjack_idle_s), **_where(turn))
    await settle_hand(conn, turn.community, user.id, row.id, hand, turn.source_key, turn.now,
                      rules)
    turn.say(_hand_text(hand))


async def _play_on(turn: Turn, conn: BaseDBAsyncClient, action: str) -> None:
    rules = turn.rules
    user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
    row = await _open_hand(conn, turn)
    if row is None:
        raise NotAllowed("you have no hand in play — !blackjack <bet> deals one")
    hand = blackjack.from_json(row.state)
    if action == "hit":
        hand = blackjack.hit(hand)
    elif action == "stand":
        hand = blackjack.stand(hand, rules)
    else:
        if len(hand.player) != 2:
            raise NotAllowed("you can only double on your first two cards")
        if user.wealth < hand.bet:
            raise NotAllowed(f"doubling costs another {money(hand.bet)} — you have "
                             f"{money(user.wealth)}")
        hand = blackjack.double(hand, rules)
        await apply_delta(conn, user.id, -hand.bet, 0, "blackjack_wager", "blackjack double",
                          turn.source_key, rules)
    await settle_hand(conn, turn.community, user.id, row.id, hand, turn.source_key, turn.now,
                      rules)
    turn.say(_hand_text(hand))


async def hit(turn: Turn, conn: BaseDBAsyncClient) -> None:
    await _play_on(turn, conn, "hit")


async def stand(turn: Turn, conn: BaseDBAsyncClient) -> None:
    await _play_on(turn, conn, "stand")


async def double(turn: Turn, conn: BaseDBAsyncClient) -> None:
    await _play_on(turn, conn, "double")


# --- coinflip duels ------------------------------------------------------------------------


async def flip(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    if len(turn.cmd.args) > 2:
        raise UsageError(USAGE["flip"])
    side = coinflip.parse_side(turn.cmd.args[1] if len(turn.cmd.args) > 1 else None) or "heads"
    user = await _lock_free(turn, conn)
    mine = await CoinFlipChallenge.filter(community_id=turn.community, challenger_id=user.id,
                                          status="open").using_db(conn).first()
    if mine is not None:
        raise NotAllowed(f"you already have an open flip (#{mine.id}) — !cancelflip first")
    bet = _bet(turn, user, minimum=rules.flip_min_bet)
    await apply_delta(conn, user.id, -bet, 0, "flip_stake", "coinflip stake", turn.source_key,
                      rules)
    row = await CoinFlipChallenge.create(
        using_db=conn, community_id=turn.community, challenger_id=user.id, wager=bet,
        side=side, status="open", created_at=turn.now,
        expires_at=turn.now + timedelta(minutes=rules.flip_expiry_minutes), **_where(turn))
    turn.say(f"🪙 {money(bet)} on {side} — anyone: !accept {row.id} within "
             f"{rules.flip_expiry_minutes} min (winner takes {money(2 * bet)})")


async def accept(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    if len(turn.cmd.args) != 1:
        raise UsageError(USAGE["accept"])
    word = turn.cmd.args[0].removeprefix("#")
    if not (word.isascii() and word.isdigit()) or len(word) > 18:
        raise UsageError(USAGE["accept"])
    challenge = await CoinFlipChallenge.filter(id=int(word), community_id=turn.community
                                               ).using_db(conn).first()
    if challenge is None:
        raise TargetError(f"there is no flip #{word} — !flips lists them")
    if challenge.challenger_id == turn.player.id:  # type: ignore[attr-defined]
        raise NotAllowed("you can't accept your own flip — !cancelflip cancels it")
    challenger_id = int(challenge.challenger_id)  # type: ignore[attr-defined]
    users = await state.lock_users(conn, turn.player.id, challenger_id)
    me = users[turn.player.id]
    await _refuse_jailed(turn, conn, me)
    if challenge.status != "open" or challenge.expires_at <= turn.now:
        raise NotAllowed(f"flip #{challenge.id} is no longer open")
    most = max_bet(turn.rules.tier_for_level(me.level), rules)
    if challenge.wager > most:
        raise NotAllowed(f"flip #{challenge.id} is for {money(challenge.wager)} — your tier "
                         f"can bet at most {money(most)}")
    if me.wealth < challenge.wager:
        raise NotAllowed(f"flip #{challenge.id} takes {money(challenge.wager)} — you have "
                         f"{money(me.wealth)}")
    result = coinflip.toss(turn.app.rng)
    won = coinflip.winner(challenge.side, result)  # type: ignore[arg-type]
    winner_id = challenger_id if won == "challenger" else me.id
    # the gate: one acceptor, however many try at once (the others were refused above or
    # find it taken here, before any write of theirs)
    taken = await CoinFlipChallenge.filter(id=challenge.id, status="open").using_db(
        conn).update(status="done", acceptor_id=me.id, winner_id=winner_id, result=result,
                     resolved_at=turn.now)
    if not taken:
        raise NotAllowed(f"flip #{challenge.id} was just taken")
    await apply_delta(conn, me.id, -challenge.wager, 0, "flip_stake", "coinflip stake",
                      turn.source_key, rules)
    prize = 2 * challenge.wager
    await apply_delta(conn, winner_id, prize, 0, "flip_payout", f"coinflip #{challenge.id}",
                      turn.source_key, rules, WIN)
    for uid in (challenger_id, me.id):
        await record_round(conn, turn.community, uid, "coinflip", challenge.wager,
                           prize if uid == winner_id else 0,
                           "win" if uid == winner_id else "lose", turn.now)
    other = users[challenger_id].username
    winner_name = turn.player.name if winner_id == me.id else other
    turn.say(f"🪙 it's {result}! {winner_name} wins {money(prize)} (flip #{challenge.id} "
             f"against {other})")
    if challenge.notify_platform != turn.event.platform.value \
            or challenge.notify_channel != turn.event.channel:
        turn.replies.append(Reply(
            platform=Platform(challenge.notify_platform), channel=challenge.notify_channel,
            text=f"{mention(other)} your flip #{challenge.id}: it's {result} — "
                 f"{'you win ' + money(prize) if winner_id == challenger_id else 'you lost'}"))


async def flips(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rows = await CoinFlipChallenge.filter(community_id=turn.community, status="open",
                                          expires_at__gt=turn.now).using_db(conn).order_by(
        "id").limit(10).values("id", "wager", "side", "expires_at", "challenger__username")
    if not rows:
        turn.say("no open flips — !flip <bet> [heads|tails] opens one")
        return
    listing = ", ".join(
        f"#{r['id']} {r['challenger__username']} {money(r['wager'])} on {r['side']}"
        f" ({format_duration(int((r['expires_at'] - turn.now).total_seconds()))})"
        for r in rows)
    turn.say(f"🪙 open flips: {listing} — !accept <id>", Card(title="🪙 open flips", fields=tuple(
        CardField(name=f"#{r['id']} {r['challenger__username']}"[:256],
                  value=f"{money(r['wager'])} on {r['side']}") for r in rows)))


async def cancelflip(turn: Turn, conn: BaseDBAsyncClient) -> None:
    user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
    mine = await CoinFlipChallenge.filter(community_id=turn.community, challenger_id=user.id,
                                          status="open").using_db(conn).first()
    if mine is None:
        raise NotAllowed("you have no open flip")
    await CoinFlipChallenge.filter(id=mine.id, status="open").using_db(conn).update(
        status="cancelled", resolved_at=turn.now)
    balance = await apply_delta(conn, user.id, mine.wager, 0, "flip_refund",
                                f"coinflip #{mine.id} cancelled", turn.source_key, turn.rules)
    turn.say(f"🪙 flip #{mine.id} cancelled — {money(mine.wager)} back, now "
             f"{money(balance.wealth)}")


# --- the lottery ---------------------------------------------------------------------------


def next_draw_at(now: datetime, every_s: int = 86_400) -> datetime:
    """The draw tickets bought now go into: the next slot of ``every_s`` seconds from 00:00
    UTC (the next midnight by default: GAME.md's daily draw)."""
    return next_due(now, timedelta(seconds=every_s))


async def current_draw(conn: BaseDBAsyncClient, community: int, now: datetime, lock: bool,
                       every_s: int = 86_400) -> LotteryDraw:
    """The open draw (created on first need; an earlier draw's unwon shares are added to it
    when that draw is drawn: jobs/gambling_cron.py)."""
    draw_at = next_draw_at(now, every_s)
    await conn.execute_query(
        "INSERT INTO lottery_draws (community_id, draw_at, status, pool, rollover_in,"
        " numbers, rollover_out) VALUES ($1, $2, 'open', 0, 0, '', 0)"
        " ON CONFLICT (community_id, draw_at) DO NOTHING", [community, draw_at])
    query = LotteryDraw.filter(community_id=community, draw_at=draw_at)
    if lock:
        query = query.select_for_update()
    draw = await query.using_db(conn).first()
    assert draw is not None
    return draw


async def lottery_(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    numbers = lottery.parse_ticket(turn.cmd.args, rules)
    user = await _lock_free(turn, conn)
    draw = await current_draw(conn, turn.community, turn.now, lock=True,
                              every_s=turn.app.settings.lottery_draw_every_s)
    if draw.status != "open":
        raise NotAllowed("the draw is under way — try again in a minute")
    held = await LotteryTicket.filter(draw_id=draw.id, user_id=user.id).using_db(conn).count()
    if held >= rules.lottery_max_tickets:
        raise NotAllowed(f"you have {held} tickets for this draw — the most you can hold")
    price = rules.lottery_ticket_price
    if user.wealth < price:
        raise NotAllowed(f"a ticket costs {money(price)} — you have {money(user.wealth)}")
    await apply_delta(conn, user.id, -price, 0, "lottery_ticket", "lottery ticket",
                      turn.source_key, rules)
    cut = lottery.pool_cut(price, rules)
    await LotteryDraw.filter(id=draw.id).using_db(conn).update(pool=draw.pool + cut)
    await LotteryTicket.create(using_db=conn, community_id=turn.community, draw_id=draw.id,
                               user_id=user.id, numbers=_numbers(numbers), created_at=turn.now,
                               **_where(turn))
    left = int((draw.draw_at - turn.now).total_seconds())
    turn.say(f"🎟️ ticket {' '.join(map(str, numbers))} ({held + 1}/{rules.lottery_max_tickets})"
             f" — pool {money(draw.pool + cut)}, drawn in {format_duration(left)}")


def _numbers(numbers: tuple[int, ...]) -> str:
    return ",".join(str(n) for n in numbers)


async def lotto(turn: Turn, conn: BaseDBAsyncClient) -> None:
    draw = await current_draw(conn, turn.community, turn.now, lock=False,
                              every_s=turn.app.settings.lottery_draw_every_s)
    mine = await LotteryTicket.filter(draw_id=draw.id, user_id=turn.player.id).using_db(
        conn).order_by("id").values_list("numbers", flat=True)
    tickets = ", ".join(str(n).replace(",", " ") for n in mine) or "none (!lottery n1 n2 n3)"
    left = int((draw.draw_at - turn.now).total_seconds())
    turn.say(f"🎟️ lottery pool {money(draw.pool)}, drawn in {format_duration(left)} — "
             f"your tickets: {tickets}")


# --- stats ---------------------------------------------------------------------------------


async def gamblestats(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rows = await PlayerGamblingStats.filter(community_id=turn.community,
                                            user_id=turn.player.id).using_db(conn).values(
        "game_type", "rounds", "wins", "wagered", "paid", "biggest_win")
    if not rows:
        turn.say("no gambling yet — !slots, !blackjack, !flip, !lottery")
        return
    by_game = {r["game_type"]: r for r in rows}
    parts, fields = [], []
    for game in GAMES:
        r = by_game.get(game)
        if r is None:
            continue
        net = r["paid"] - r["wagered"]
        sign = "+" if net >= 0 else "-"
        text = (f"{game} {r['rounds']} played, {r['wins']} won, {sign}{money(abs(net))},"
                f" best {money(r['biggest_win'])}")
        parts.append(text)
        fields.append(CardField(name=game, value=text.removeprefix(f"{game} ")))
    turn.say("🎲 " + " · ".join(parts), Card(title="🎲 gambling", fields=tuple(fields)))
