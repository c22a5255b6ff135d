"""What each ledger row counts for: the one place that says a row is a play, a rob won, a
crate opened or three chat messages (DESIGN.md "Progress is a projection of the ledger").

Leaderboards, mission objectives, achievements and faction scores all read these counters,
so a new kind of ledger row is taught here once and every one of them sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

# the counters kept per player and period (leaderboard_snapshots' columns)
STATS = (
    "wealth_earned", "xp_earned", "messages", "plays", "robs", "rob_wins", "defenses",
    "checkins", "crates_opened", "contributed_cents", "gambling_net", "gambling_games",
    "gambling_wins", "heists_won", "missions_done",
)
PERIODS = ("daily", "weekly", "monthly", "annual", "lifetime")
LIFETIME_START = date(1970, 1, 1)
# ``period_start`` as SQL over a date expression ``{day}``: the projector's upsert spreads a
# day's counters over the periods in PostgreSQL (tests/jobs/test_projector.py checks they agree)
PERIOD_START_SQL = {
    "daily": "{day}",
    "weekly": "{day} - extract(dow FROM {day})::int",  # Sunday is 0, as weeks start
    "monthly": "date_trunc('month', {day})::date",
    "annual": "date_trunc('year', {day})::date",
    "lifetime": f"DATE '{LIFETIME_START.isoformat()}'",
}

# ledger event types of the gambling games: a stake counts a game, every row counts toward
# the net, a row whose detail says ``win`` counts a win
GAMBLING_STAKES = frozenset({"slots_wager", "blackjack_wager", "flip_stake", "lottery_ticket"})
GAMBLING_ROWS = GAMBLING_STAKES | {"slots_payout", "slots_jackpot", "blackjack_payout",
                                   "flip_payout", "flip_refund", "lottery_payout"}


@dataclass(frozen=True)
class Entry:
    """One ledger row as the projector reads it."""

    id: int
    community_id: int
    user_id: int
    event_type: str
    wealth: int
    xp: int
    created_at: datetime
    detail: Mapping[str, Any] = field(default_factory=dict)


def period_start(period: str, day: date) -> date:
    """The first day of the period holding ``day`` (weeks start on Sunday, UTC)."""
    if period == "daily":
        return day
    if period == "weekly":
        return day - timedelta(days=(day.weekday() + 1) % 7)
    if period == "monthly":
        return day.replace(day=1)
    if period == "annual":
        return day.replace(month=1, day=1)
    if period == "lifetime":
        return LIFETIME_START
    raise ValueError(f"not a period: {period}")


def period_end(period: str, start: date) -> date | None:
    """The first day after the period that starts on ``start`` (None: lifetime)."""
    if period == "daily":
        return start + timedelta(days=1)
    if period == "weekly":
        return start + timedelta(days=7)
    if period == "monthly":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    if period == "annual":
        return start.replace(year=start.year + 1)
    if period == "lifetime":
        return None
    raise ValueError(f"not a period: {period}")


def starts(day: date) -> dict[str, date]:
    """Every period's start for ``day``."""
    return {p: period_start(p, day) for p in PERIODS}


def credits(entry: Entry) -> list[tuple[int, dict[str, int]]]:
    """The counters one ledger row adds, per player it credits (a failed rob also counts a
    defense for its target)."""
    d = entry.detail or {}
    mine: dict[str, int] = {}
    if entry.wealth > 0:
        mine["wealth_earned"] = entry.wealth
    if entry.xp > 0:
        mine["xp_earned"] = entry.xp
    kind = entry.event_type
    out: list[tuple[int, dict[str, int]]] = []
    if kind == "chat":
        if int(d.get("messages", 0)) > 0:
            mine["messages"] = int(d["messages"])
    elif kind == "play":
        mine["plays"] = 1
    elif kind == "rob":
        mine["robs"] = 1
        if d.get("won"):
            mine["rob_wins"] = 1
        elif d.get("target"):
            out.append((int(d["target"]), {"defenses": 1}))
    elif kind == "checkin":
        mine["checkins"] = 1
    elif kind == "crate_open":
        mine["crates_opened"] = 1
    elif kind == "contribution":
        if int(d.get("usd_cents", 0)) > 0:
            mine["contributed_cents"] = int(d["usd_cents"])
    elif kind == "heist_win":
        mine["heists_won"] = 1
    elif kind == "mission":
        mine["missions_done"] = 1
    if kind in GAMBLING_ROWS:
        if entry.wealth:
            mine["gambling_net"] = entry.wealth
        if kind in GAMBLING_STAKES:
            mine["gambling_games"] = 1
        if d.get("win"):
            mine["gambling_wins"] = 1
    if mine:
        out.insert(0, (entry.user_id, mine))
    return out
