"""Missions (GAME.md "Missions"): the templates (game/content/missions.toml), drawing a
player's missions for a period, their rewards, the all-of-a-period bonus and the caps on
mission wealth. Pure: the job (jobs/missions.py) reads progress and writes the rows."""

from __future__ import annotations

import random
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from importlib import resources
from typing import Any

from game.errors import format_duration
from game.replies import money
from game.rules import DEFAULT_RULES, Rules, Tier, floor_share
from game.stats import STATS, period_end

MISSION_PERIODS = ("daily", "weekly")
DIFFICULTIES = ("easy", "medium", "hard")
BONUS_KEY = "bonus"  # mission_completions.key of a period's bonus
# counters a mission may not count: what missions themselves pay or count
NOT_OBJECTIVES = frozenset({"wealth_earned", "xp_earned", "missions_done"})


@dataclass(frozen=True)
class Template:
    key: str
    period: str
    category: str
    difficulty: str
    objective: str
    target: int
    luck: bool
    description: str


def build(data: Mapping[str, Any], rules: Rules = DEFAULT_RULES) -> tuple[Template, ...]:
    """The templates of a missions.toml, checked: known periods, difficulties and counters,
    unique keys, and enough categories that a full draw always succeeds."""
    out: list[Template] = []
    for raw in data.get("mission", []):
        t = Template(key=str(raw["key"]), period=str(raw["period"]),
                     category=str(raw["category"]), difficulty=str(raw["difficulty"]),
                     objective=str(raw["objective"]), target=int(raw["target"]),
                     luck=bool(raw.get("luck", False)), description=str(raw["description"]))
        if t.period not in MISSION_PERIODS:
            raise ValueError(f"{t.key}: not a mission period: {t.period}")
        if t.difficulty not in DIFFICULTIES:
            raise ValueError(f"{t.key}: not a difficulty: {t.difficulty}")
        if t.objective not in STATS or t.objective in NOT_OBJECTIVES:
            raise ValueError(f"{t.key}: not an objective: {t.objective}")
        if not 0 < t.target <= 1_000_000 or not 0 < len(t.key) <= 60:
            raise ValueError(f"{t.key}: bad target or key")
        if not 0 < len(t.description) <= 200 or not 0 < len(t.category) <= 20:
            raise ValueError(f"{t.key}: bad description or category")
        out.append(t)
    if len({t.key for t in out}) != len(out):
        raise ValueError("two mission templates share a key")
    for period, n in rules.missions_per_period:
        steady = {t.category for t in out if t.period == period and not t.luck}
        if len(steady) < n:  # see draw(): this many categories make every draw full
            raise ValueError(f"{period}: {n} missions need {n} categories without luck")
    return tuple(out)


@cache
def templates() -> tuple[Template, ...]:
    text = resources.files("game.content").joinpath("missions.toml").read_text(
        encoding="utf-8")
    return build(tomllib.loads(text))


def count_for(period: str, rules: Rules = DEFAULT_RULES) -> int:
    return dict(rules.missions_per_period)[period]


def draw(pool: Iterable[Template], period: str, n: int, rng: random.Random
         ) -> list[Template]:
    """``n`` of the period's templates, at most one per category and at most one luck-based:
    the templates in a random order, each taken unless its category or the luck slot is
    already used. When the period has ``n`` categories with a template that needs no luck
    (build() checks it) the draw is always full: such a category is never refused until it
    is used."""
    candidates = sorted((t for t in pool if t.period == period), key=lambda t: t.key)
    rng.shuffle(candidates)
    chosen: list[Template] = []
    categories: set[str] = set()
    luck = False
    for t in candidates:
        if len(chosen) == n:
            break
        if t.category in categories or (t.luck and luck):
            continue
        chosen.append(t)
        categories.add(t.category)
        luck = luck or t.luck
    return chosen


def draw_seed(community: int, user: int, period: str, start: date) -> str:
    """The draw's seed: the same player and period always draw the same missions (two
    first looks at once agree)."""
    return f"missions:{community}:{user}:{period}:{start.isoformat()}"


def reward(difficulty: str, tier: Tier, rules: Rules = DEFAULT_RULES) -> tuple[int, int]:
    """(wealth, XP) of a mission of ``difficulty`` for a player of ``tier``: the base ×
    the tier multiplier, rounded down."""
    base = {d: (w, x) for d, w, x in rules.mission_rewards}[difficulty]
    m = rules.tier_multipliers[tier]
    return floor_share(base[0], m), floor_share(base[1], m)


def bonus(period: str, rules: Rules = DEFAULT_RULES) -> tuple[int, int, str]:
    """(wealth, XP, crate tier or "") for finishing all of a period's missions."""
    return {p: (w, x, c) for p, w, x, c in rules.mission_bonus}[period]


def cap_of(period: str, rules: Rules = DEFAULT_RULES) -> int:
    return dict(rules.mission_wealth_caps)[period]


def period_bounds(period: str, start: date) -> tuple[datetime, datetime]:
    """The period's first instant and the first instant after it (UTC)."""
    end = period_end(period, start)
    assert end is not None
    return (datetime.combine(start, time(), UTC), datetime.combine(end, time(), UTC))


@dataclass(frozen=True)
class Ready:
    """A finished, unclaimed mission (or a due bonus: ``key`` BONUS_KEY)."""

    period: str
    key: str
    description: str
    wealth: int
    xp: int
    crate: str = ""


@dataclass(frozen=True)
class Payout:
    ready: Ready
    wealth: int  # paid, after the caps
    dropped: int  # over a cap, not paid
    cap: str  # the cap that bound ("daily" or "weekly"), "" when none did


def pay(ready: Sequence[Ready], paid_day: int, paid_week: int, rules: Rules = DEFAULT_RULES
        ) -> list[Payout]:
    """Each reward paid up to what is left under both caps (mission wealth already paid
    today and this week), in order; the rest of it is dropped. XP and crates are not capped."""
    left = {"daily": cap_of("daily", rules) - paid_day,
            "weekly": cap_of("weekly", rules) - paid_week}
    out: list[Payout] = []
    for r in ready:
        room = max(0, min(left.values()))
        paid = min(r.wealth, room)
        cap = "" if paid == r.wealth else min(left, key=lambda k: (left[k], k))
        for k in left:
            left[k] -= paid
        out.append(Payout(r, paid, r.wealth - paid, cap))
    return out


def bonus_due(assigned: int, done: int, already_paid: bool) -> bool:
    """A period's bonus is due when every one of its missions is done and it was not paid."""
    return assigned > 0 and done >= assigned and not already_paid


# --- what players read ---------------------------------------------------------------------

@dataclass(frozen=True)
class Shown:
    """One assigned mission as ``!missions`` shows it."""

    period: str
    description: str
    progress: int
    target: int
    wealth: int
    claimed: bool

    @property
    def done(self) -> bool:
        return self.progress >= self.target


def line(m: Shown) -> str:
    if m.claimed:
        return f"✅ {m.description}"
    if m.done:
        return f"🎁 {m.description} (done: {money(m.wealth)})"
    return f"• {m.description} {min(m.progress, m.target):,}/{m.target:,} ({money(m.wealth)})"


def missions_text(shown: Sequence[Shown], now: datetime, starts: Mapping[str, date]) -> str:
    """``!missions``: each period's missions with their progress, when they reset, and the
    hint to claim when something is ready."""
    parts = []
    for period in MISSION_PERIODS:
        mine = [m for m in shown if m.period == period]
        _, end = period_bounds(period, starts[period])
        resets = format_duration(int((end - now).total_seconds()))
        parts.append(f"{period} (resets in {resets}): " + " · ".join(line(m) for m in mine))
    ready = any(m.done and not m.claimed for m in shown)
    hint = " — !missions claim" if ready else ""
    return "📋 " + " | ".join(parts) + hint


def claim_text(payouts: Sequence[Payout], crates: Mapping[str, str], rules: Rules
               ) -> str:
    """``!missions claim``: what was paid (missions, then bonuses), and what a cap held back.
    ``crates``: a bonus's period → how its crate was placed, as crates.crate_text says it."""
    missions = [p for p in payouts if p.ready.key != BONUS_KEY]
    parts = []
    if missions:
        n = len(missions)
        parts.append(f"🎁 {n} mission{'s' if n != 1 else ''} claimed: "
                     f"+{money(sum(p.wealth for p in missions))}, "
                     f"+{sum(p.ready.xp for p in missions):,} XP")
    for p in payouts:
        if p.ready.key == BONUS_KEY:
            crate = crates.get(p.ready.period, "")
            parts.append(f"🏆 all {p.ready.period} missions done, bonus: +{money(p.wealth)}, "
                         f"+{p.ready.xp:,} XP" + (f" and {crate}" if crate else ""))
    dropped = sum(p.dropped for p in payouts)
    if dropped:
        cap = next(p.cap for p in payouts if p.dropped)
        window = "today's" if cap == "daily" else "this week's"
        parts.append(f"⚠️ {window} mission cap of {money(cap_of(cap, rules))} is reached: "
                     f"{money(dropped)} not paid")
    return " · ".join(parts)


def nothing_text(shown: Sequence[Shown]) -> str:
    if shown and all(m.claimed for m in shown):
        return "every mission is claimed — new ones come at the reset (!missions)"
    return "nothing to claim yet — !missions shows your progress"


def bonus_ready(period: str, rules: Rules = DEFAULT_RULES) -> Ready:
    wealth, xp, crate = bonus(period, rules)
    return Ready(period, BONUS_KEY, f"all {period} missions", wealth, xp, crate)
