"""``!economy [day|week]``: the community's economy health from the ledger (mods and the
broadcaster). The aggregates are SQL over ``game_events``, ``gambling_sessions`` and
``users``; the report itself is pure (game/economy_report.py)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient

from game.commands import USAGE
from game.economy_report import GameTotals, LedgerTotals, build_report, card, one_line
from game.errors import UsageError
from game.gambling import blackjack, coinflip, lottery, slots
from game.rules import Rules
from jobs.turn import Turn

WINDOWS = {"day": timedelta(days=1), "week": timedelta(days=7)}
_GAMES = {"slots": "slots", "blackjack": "blackjack", "coinflip": "coinflip",
          "lottery": "lottery"}


def designed_returns(jackpot_pool: int, rules: Rules) -> dict[str, Decimal]:
    """Each game's designed return to player, from its tables (docs/rules.md); the slots'
    with the jackpot as it stands, for a $1,000 spin."""
    return {"slots": slots.designed_rtp(jackpot_pool, 1_000),
            "blackjack": blackjack.designed_rtp(), "coinflip": coinflip.designed_rtp(),
            "lottery": lottery.designed_rtp(rules)}


async def economy(turn: Turn, conn: BaseDBAsyncClient) -> None:
    args = [a.lower() for a in turn.cmd.args]
    if len(args) > 1 or (args and args[0] not in WINDOWS):
        raise UsageError(USAGE["economy"])
    window = args[0] if args else "day"
    since = turn.now - WINDOWS[window]
    c = turn.community
    flows = await conn.execute_query_dict(
        "SELECT event_type, COALESCE(SUM(GREATEST(wealth_delta, 0)), 0) AS pos,"
        " COALESCE(SUM(LEAST(wealth_delta, 0)), 0) AS neg FROM game_events"
        " WHERE community_id = $1 AND created_at > $2 GROUP BY event_type", [c, since])
    games = await conn.execute_query_dict(
        "SELECT game_type, SUM(wager) AS wagered, SUM(payout) AS paid, COUNT(*) AS rounds"
        " FROM gambling_sessions WHERE community_id = $1 AND created_at > $2"
        " GROUP BY game_type", [c, since])
    active = await conn.execute_query_dict(
        "SELECT COUNT(DISTINCT user_id) AS n FROM game_events WHERE community_id = $1"
        " AND created_at > $2", [c, since])
    wealth = await conn.execute_query_dict(
        "SELECT wealth FROM users WHERE community_id = $1", [c])
    pools = await conn.execute_query_dict(
        "SELECT (SELECT pool FROM slot_jackpots WHERE community_id = $1) AS jackpot,"
        " (SELECT COALESCE(SUM(pool), 0) FROM lottery_draws WHERE community_id = $1"
        "  AND status = 'open') AS lottery", [c])
    jackpot = int(pools[0]["jackpot"] or turn.rules.jackpot_seed)
    report = build_report(
        LedgerTotals.from_rows((r["event_type"], int(r["pos"]), int(r["neg"])) for r in flows),
        wealth=[int(r["wealth"]) for r in wealth], active_players=int(active[0]["n"]),
        games={_GAMES[g["game_type"]]: GameTotals(int(g["wagered"]), int(g["paid"]),
                                                  int(g["rounds"]))
               for g in games if g["game_type"] in _GAMES},
        designed=designed_returns(jackpot, turn.rules),
        jackpot_pool=jackpot, lottery_pool=int(pools[0]["lottery"] or 0), window=window)
    turn.say(one_line(report), card(report))
