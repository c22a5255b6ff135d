"""Factions and territories (GAME.md "Factions and territories"): the pure rules.

Three factions fight over twelve territories per community. A member scores for their faction
in their home territory (chosen when they join); each day every territory goes to the faction
with the most points there that day (a contested one needs twice the second place); each
week the factions are paid for the territories they hold, shared among their active members.
The territories a faction holds give every member their buffs (``territory_modifiers``).

The content (names, buffs) is game/content/factions.toml; the numbers are ``FactionRules``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from game.errors import NotAllowed

# a territory buff's kind → the Modifiers field it fills
BUFF_KINDS: Mapping[str, str] = MappingProxyType({
    "xp": "territory_xp", "wealth": "territory_wealth", "rob": "territory_rob",
    "defense": "territory_defense", "crate": "territory_crate",
    "business": "territory_business", "shop": "territory_shop", "all": "territory_all",
})
BUFF_LABELS: Mapping[str, str] = MappingProxyType({
    "xp": "XP", "wealth": "wealth", "rob": "rob", "defense": "defense", "crate": "crate",
    "business": "business", "shop": "shop", "all": "all rewards",
})


@dataclass(frozen=True)
class FactionRules:
    """GAME.md's faction numbers (one place)."""

    join_level: int = 20
    rejoin_days: int = 7
    # points per counter of game/stats (GAME.md: message 1, play 10, rob 20, mission 25,
    # check-in 15)
    points: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({
        "messages": 1, "plays": 10, "robs": 20, "missions_done": 25, "checkins": 15}))
    contested_margin: int = 2  # a contested territory needs ≥ 2 × the second place
    weekly_wealth: int = 2_000  # per territory held
    weekly_xp: int = 200
    contested_factor: Decimal = Decimal("1.5")
    most_territories_bonus: Decimal = Decimal("1.25")
    share_min_points: int = 100  # a member's weekly points to share the reward
    top_crates: int = 3  # the winning faction's top members get a crate
    top_crate_tier: str = "rare"


FACTION_RULES = FactionRules()


@dataclass(frozen=True)
class FactionDef:
    key: str
    name: str
    description: str


@dataclass(frozen=True)
class TerritoryDef:
    key: str
    name: str
    kind: str  # a BUFF_KINDS key
    percent: int
    contested: bool = False

    @property
    def buff(self) -> Decimal:
        return Decimal(self.percent) / 100

    @property
    def buff_text(self) -> str:
        sign = "−" if self.kind == "shop" else "+"
        return f"{BUFF_LABELS[self.kind]} {sign}{self.percent}%"


@dataclass(frozen=True)
class Content:
    factions: tuple[FactionDef, ...]
    territories: tuple[TerritoryDef, ...]

    def faction(self, key: str) -> FactionDef:
        return next(f for f in self.factions if f.key == key)

    def territory(self, key: str) -> TerritoryDef:
        return next(t for t in self.territories if t.key == key)


def build(data: Mapping[str, Any]) -> Content:
    """The content of a parsed factions.toml, checked (exposed so tests can feed bad ones)."""
    factions = tuple(FactionDef(f["key"], f["name"], f.get("description", ""))
                     for f in data.get("faction", ()))
    territories = tuple(TerritoryDef(t["key"], t["name"], t["kind"], int(t["percent"]),
                                     bool(t.get("contested", False)))
                        for t in data.get("territory", ()))
    if not factions or not territories:
        raise ValueError("factions.toml needs factions and territories")
    for what, keys in (("faction", [f.key for f in factions]),
                       ("territory", [t.key for t in territories])):
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate {what} key")
    for t in territories:
        if t.kind not in BUFF_KINDS:
            raise ValueError(f"territory {t.key}: unknown buff kind {t.kind!r}")
        if not 0 < t.percent < 100:
            raise ValueError(f"territory {t.key}: percent must be 1–99")
    return Content(factions, territories)


@cache
def content() -> Content:
    text = resources.files("game.content").joinpath("factions.toml").read_text(encoding="utf-8")
    return build(tomllib.loads(text))


# --- joining -------------------------------------------------------------------------------


def check_join(level: int, current: str | None, left_at: datetime | None, now: datetime,
               rules: FactionRules = FACTION_RULES) -> None:
    """GAME.md: level 20+, not already in a faction, not within 7 days of leaving one."""
    if current is not None:
        raise NotAllowed("you are already in a faction — !faction leave first")
    if level < rules.join_level:
        raise NotAllowed(f"factions take players from level {rules.join_level} "
                         f"(you are level {level})")
    if left_at is not None:
        wait = left_at + timedelta(days=rules.rejoin_days) - now
        if wait > timedelta(0):
            raise NotAllowed(f"you left a faction recently: you can join one again in "
                             f"{_duration(wait)}")


def _duration(wait: timedelta) -> str:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


def home_territory(members: Mapping[str, int], territories: Sequence[TerritoryDef]) -> str:
    """The territory a joining player scores in: where their faction has the fewest members,
    ties by catalogue order (so a faction spreads over the map as it grows)."""
    return min(territories, key=lambda t: members.get(t.key, 0)).key


# --- scores --------------------------------------------------------------------------------


def points_of(stats: Mapping[str, int], rules: FactionRules = FACTION_RULES) -> int:
    """The faction points of counter increments (game/stats counters)."""
    return sum(n * stats.get(counter, 0) for counter, n in rules.points.items())


# --- the daily evaluation ------------------------------------------------------------------


def winner(holder: str | None, points: Mapping[str, int], contested: bool,
           rules: FactionRules = FACTION_RULES) -> str | None:
    """Who holds a territory after a day with ``points`` (faction → points there): the
    faction with the most points; a contested territory needs at least twice the second
    place. No points, a tie for first or a contested lead too small: it stays with its
    holder (None: nobody)."""
    ranked = sorted(((p, f) for f, p in points.items() if p > 0), reverse=True)
    if not ranked:
        return holder
    best, leader = ranked[0]
    second = ranked[1][0] if len(ranked) > 1 else 0
    if best == second:
        return holder
    if contested and best < rules.contested_margin * second:
        return holder
    return leader


@dataclass(frozen=True)
class Change:
    territory: TerritoryDef
    old: str | None
    new: str


def evaluate(holders: Mapping[str, str | None], points: Mapping[str, Mapping[str, int]],
             territories: Sequence[TerritoryDef], rules: FactionRules = FACTION_RULES
             ) -> list[Change]:
    """Each territory's change of hands after a day (territory → faction → points), in
    catalogue order."""
    changes: list[Change] = []
    for t in territories:
        old = holders.get(t.key)
        new = winner(old, points.get(t.key, {}), t.contested, rules)
        if new is not None and new != old:
            changes.append(Change(t, old, new))
    return changes


def change_text(change: Change, names: Mapping[str, str]) -> str:
    t = change.territory
    taken = f" from {names[change.old]}" if change.old else ""
    return (f"🏴 {names[change.new]} took {t.name}{taken} — {names[change.new]}'s members now "
            f"get {t.buff_text}")


# --- the weekly rewards --------------------------------------------------------------------


@dataclass(frozen=True)
class Reward:
    faction: str
    territories: int
    wealth: int  # the faction's pool
    xp: int
    members: tuple[int, ...]  # who shares it (≥ share_min_points that week)
    wealth_each: int
    xp_each: int
    crates: tuple[int, ...]  # the winning faction's top members


def pool(held: Iterable[TerritoryDef], bonus: bool, rules: FactionRules = FACTION_RULES
         ) -> tuple[int, int]:
    """(wealth, XP) a faction earns for a week: per territory held, a contested one ×1.5,
    the whole ×1.25 for the faction holding the most territories. Exact, floored once."""
    wealth = xp = Decimal(0)
    for t in held:
        factor = rules.contested_factor if t.contested else Decimal(1)
        wealth += rules.weekly_wealth * factor
        xp += rules.weekly_xp * factor
    if bonus:
        wealth *= rules.most_territories_bonus
        xp *= rules.most_territories_bonus
    return int(wealth), int(xp)


def week_winner(held: Mapping[str, int], points: Mapping[str, int]) -> str | None:
    """The faction holding the most territories (none held: none); a tie goes to the tied
    faction with the most points that week, and a tie on both leaves no winner."""
    ranked = sorted(((n, points.get(f, 0), f) for f, n in held.items() if n > 0), reverse=True)
    if not ranked:
        return None
    if len(ranked) > 1 and ranked[0][:2] == ranked[1][:2]:
        return None
    return ranked[0][2]


def weekly_rewards(holders: Mapping[str, str | None],
                   member_points: Mapping[str, Mapping[int, int]],
                   territories: Sequence[TerritoryDef], rules: FactionRules = FACTION_RULES
                   ) -> list[Reward]:
    """Each faction's weekly reward (territory → holder; faction → member → points that
    week). The pool is shared equally (floored) among the members with at least
    ``share_min_points``; the winning faction's top 3 members by points (at least one point;
    ties by player id) get a crate. A faction holding nothing earns nothing."""
    held: dict[str, list[TerritoryDef]] = {}
    for t in territories:
        owner = holders.get(t.key)
        if owner is not None:
            held.setdefault(owner, []).append(t)
    totals = {f: sum(m.values()) for f, m in member_points.items()}
    best = week_winner({f: len(ts) for f, ts in held.items()}, totals)
    out: list[Reward] = []
    for faction, ts in held.items():
        wealth, xp = pool(ts, faction == best, rules)
        members = member_points.get(faction, {})
        sharing = tuple(sorted(u for u, p in members.items() if p >= rules.share_min_points))
        crates: tuple[int, ...] = ()
        if faction == best:
            ranked = sorted((u for u, p in members.items() if p > 0),
                            key=lambda u: (-members[u], u))
            crates = tuple(ranked[:rules.top_crates])
        n = len(sharing)
        out.append(Reward(faction, len(ts), wealth, xp, sharing,
                          wealth // n if n else 0, xp // n if n else 0, crates))
    return out


def week_of(due: date) -> date:
    """The week a Sunday 00:00 run pays for: the seven days before it."""
    return due - timedelta(days=7)


# --- the buffs -----------------------------------------------------------------------------


def territory_modifiers(held: Iterable[str], territories: Sequence[TerritoryDef] | None = None
                        ) -> dict[str, Decimal]:
    """The Modifiers territory_* fields the held territories (keys) give, summed per kind;
    unknown keys (content removed) give nothing."""
    defs = {t.key: t for t in (territories if territories is not None else
                               content().territories)}
    out: dict[str, Decimal] = {}
    for key in held:
        t = defs.get(key)
        if t is not None:
            name = BUFF_KINDS[t.kind]
            out[name] = out.get(name, Decimal(0)) + t.buff
    return out


def buffs_text(held: Iterable[str], territories: Sequence[TerritoryDef] | None = None) -> str:
    """The held territories' buffs, summed per kind, in catalogue order: ``XP +10%, rob +5%``."""
    mods = territory_modifiers(held, territories)
    parts = []
    for kind, name in BUFF_KINDS.items():
        if name in mods:
            sign = "−" if kind == "shop" else "+"
            parts.append(f"{BUFF_LABELS[kind]} {sign}{(mods[name] * 100).normalize():f}%")
    return ", ".join(parts)
