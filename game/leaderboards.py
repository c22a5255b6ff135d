"""Leaderboards and the hall of fame (GAME.md "Leaderboards and hall of fame"): the metrics
players type, the periods, how a board reads, and when a record is beaten.

The counters themselves are game/stats.py's (``leaderboard_snapshots``' columns, kept by the
projector); this module only says which counter a word on ``!lb`` means and how it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from game.errors import UsageError
from game.replies import money
from game.stats import PERIODS, STATS, Entry

Shown = Literal["money", "count", "usd"]

ARCHIVED = 10        # places archived per metric at each rollover


@dataclass(frozen=True)
class Metric:
    name: str                    # the word players type (and leaderboard_history.metric)
    column: str                  # the leaderboard_snapshots counter
    label: str                   # how a board calls it
    shown: Shown = "count"
    aliases: tuple[str, ...] = ()


METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("wealth", "wealth_earned", "wealth earned", "money",
           ("cash", "money", "earned", "earnings")),
    Metric("xp", "xp_earned", "XP earned", aliases=("exp", "experience")),
    Metric("messages", "messages", "messages", aliases=("msgs", "chat", "chatters")),
    Metric("plays", "plays", "plays", aliases=("play", "jobs")),
    Metric("robs", "robs", "robs", aliases=("rob", "robberies")),
    Metric("robwins", "rob_wins", "robs won", aliases=("robwin", "wins")),
    Metric("checkins", "checkins", "check-ins", aliases=("checkin",)),
    Metric("crates", "crates_opened", "crates opened", aliases=("crate", "opened")),
    Metric("usd", "contributed_cents", "USD contributed", "usd",
           ("contributed", "support", "supporters", "dollars")),
    Metric("gambling", "gambling_net", "gambling net", "money",
           ("gamble", "gamblers", "net")),
)}
DEFAULT_METRIC = "wealth"

PERIOD_WORDS: dict[str, tuple[str, ...]] = {
    "daily": ("day", "today"),
    "weekly": ("week",),
    "monthly": ("month",),
    "annual": ("year", "yearly", "annually"),
    "lifetime": ("alltime", "all", "ever"),
}
# "today's plays", "lifetime wealth earned"
PERIOD_LABELS = {"daily": "today's", "weekly": "this week's", "monthly": "this month's",
                 "annual": "this year's", "lifetime": "lifetime"}
PERIOD_SHORT = {"daily": "today", "weekly": "week", "monthly": "month", "annual": "year",
                "lifetime": "lifetime"}
DEFAULT_PERIOD = "lifetime"

_METRIC_WORDS = {w: m.name for m in METRICS.values() for w in (m.name, *m.aliases)}
_PERIOD_WORDS = {w: p for p, words in PERIOD_WORDS.items() for w in (p, *words)}
assert not set(_METRIC_WORDS) & set(_PERIOD_WORDS)
assert set(PERIOD_WORDS) == set(PERIODS) and all(m.column in STATS for m in METRICS.values())


# the arguments' part of !lb's and !rank's usage
BOARD_ARGS = f"[{'|'.join(PERIODS)}] [{'|'.join(METRICS)}]"


def metric_of(word: str) -> str | None:
    return _METRIC_WORDS.get(word.lower())


def period_of(word: str) -> str | None:
    return _PERIOD_WORDS.get(word.lower())


def parse_board(args: Sequence[str], usage: str) -> tuple[str | None, str | None]:
    """``!lb``/``!rank`` arguments: at most one period and one metric, in either order
    (None for one not given). Anything else, or a second of either, gets the usage."""
    period: str | None = None
    metric: str | None = None
    if len(args) > 2:
        raise UsageError(usage)
    for word in args:
        p, m = period_of(word), metric_of(word)
        if p is not None and period is None:
            period = p
        elif m is not None and metric is None:
            metric = m
        else:
            raise UsageError(usage)
    return period, metric


def show(metric: str, value: int) -> str:
    """A metric's value as a board shows it: ``$1,234``, ``-$50``, ``$12.34``, ``1,234``."""
    shown = METRICS[metric].shown
    if shown == "money":
        return f"-{money(-value)}" if value < 0 else money(value)
    if shown == "usd":
        sign = "-" if value < 0 else ""
        return f"{sign}${abs(value) // 100:,}.{abs(value) % 100:02d}"
    return f"{value:,}"


def board_title(period: str, metric: str) -> str:
    return f"🏆 {PERIOD_LABELS[period]} {METRICS[metric].label}"


def place(position: int | None) -> str:
    return f"#{position}" if position is not None else "unranked"


# --- the hall of fame ---------------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    key: str                     # hall_of_fame_records.record
    label: str
    shown: Shown | Literal["days", "times"]
    announced: bool = False      # a new one goes to the community's Discord feed


RECORDS: dict[str, Record] = {r.key: r for r in (
    Record("biggest_rob", "biggest rob", "money", announced=True),
    Record("longest_streak", "longest check-in streak", "days"),
    Record("biggest_jackpot", "biggest jackpot", "money", announced=True),
    Record("most_juicernaut", "most Juicernaut crowns", "times"),
    Record("richest_ever", "richest ever", "money"),
)}


def show_record(key: str, value: int) -> str:
    shown = RECORDS[key].shown
    if shown == "days":
        return f"{value:,} day{'s' if value != 1 else ''}"
    if shown == "times":
        return f"×{value:,}"
    return money(value)


@dataclass(frozen=True)
class Candidate:
    """A value that may set a record: the player, the value, what to say about it."""

    community_id: int
    record: str
    user_id: int
    value: int
    target_id: int | None = None   # the robbed player, for a rob


def ledger_candidates(entries: Iterable[Entry]) -> list[Candidate]:
    """The robs won and the jackpots in these ledger rows, in ledger order."""
    out: list[Candidate] = []
    for e in entries:
        d = e.detail or {}
        if e.event_type == "rob" and d.get("won") and e.wealth > 0:
            out.append(Candidate(e.community_id, "biggest_rob", e.user_id, e.wealth,
                                 int(d["target"]) if d.get("target") else None))
        elif e.event_type == "slots_jackpot" and e.wealth > 0:
            out.append(Candidate(e.community_id, "biggest_jackpot", e.user_id, e.wealth))
    return out


def best_of(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The highest candidate per (community, record); of equal ones the first (the earlier
    ledger row set it first)."""
    best: dict[tuple[int, str], Candidate] = {}
    for c in candidates:
        held = best.get((c.community_id, c.record))
        if held is None or c.value > held.value:
            best[(c.community_id, c.record)] = c
    return list(best.values())
