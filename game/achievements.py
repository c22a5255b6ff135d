"""Achievements (GAME.md "Achievements"): the catalogue (game/content/achievements.toml) and
which of them a player's progress unlocks.

Pure: the projector (jobs/achievements.py) gathers a player's ``Facts`` (the lifetime
counters of game/stats plus the facts the counters cannot hold: level, check-in streak, the
best rob-win streak, distinct items owned, …) and asks ``newly_unlocked``; it stores, pays
and announces what comes back. Every metric only grows, so more progress never takes an
unlock back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from game.catalogue import ACHIEVEMENT_TITLES, Catalogue, catalogue, title_key
from game.catalogue import _load as load_content
from game.replies import money
from game.stats import STATS, Entry

# the facts beyond the lifetime counters (jobs/achievements.py gathers them)
EXTRA_METRICS = (
    "level",                  # users.level
    "checkin_streak",         # the best check-in streak seen (users.checkin_streak)
    "rob_streak",             # the best run of robs won in a row
    "items",                  # distinct items ever owned (bought, from a crate, stolen)
    "legendary_crate_items",  # legendary items opened from crates
    "jackpots",               # slots jackpots won
    "blackjack_wins",         # blackjack hands won (a payout above the stake)
    "juicernaut_wins",        # sessions ended wearing the Juicernaut crown
    "faction_joined",         # 1 once in a faction
    "faction_days",           # whole days in the current faction
    "faction_captures",       # territories captured with the faction
)
METRICS = (*STATS, *EXTRA_METRICS)
CATEGORIES = ("wealth", "level", "rob", "checkin", "chat", "items", "gambling", "faction",
              "juicernaut", "support")
# how many of the latest unlocks ``!achievements`` names
LATEST_SHOWN = 3

Facts = Mapping[str, int]


@dataclass(frozen=True)
class Achievement:
    key: str
    name: str
    category: str
    metric: str
    threshold: int
    description: str
    wealth: int = 0
    xp: int = 0
    title: str | None = None  # a title's name (an achievement-only title)

    @property
    def title_key(self) -> str | None:
        return title_key(self.title) if self.title else None

    @property
    def notable(self) -> bool:
        """Posted to the community's Discord feed as a card: the ones that give a title."""
        return self.title is not None


def build(doc: Mapping[str, Any], cat: Catalogue) -> tuple[Achievement, ...]:
    """The achievements of a parsed achievements.toml, checked against the title catalogue
    (exposed so tests can feed broken ones)."""
    out: list[Achievement] = []
    for raw in doc["achievement"]:
        a = Achievement(
            key=str(raw["key"]), name=str(raw["name"]), category=str(raw["category"]),
            metric=str(raw["metric"]), threshold=int(raw["threshold"]),
            description=str(raw["description"]), wealth=int(raw.get("wealth", 0)),
            xp=int(raw.get("xp", 0)), title=raw.get("title"))
        if a.metric not in METRICS:
            raise ValueError(f"achievement {a.key}: no metric {a.metric!r}")
        if a.category not in CATEGORIES:
            raise ValueError(f"achievement {a.key}: no category {a.category!r}")
        if a.threshold <= 0 or a.wealth < 0 or a.xp < 0:
            raise ValueError(f"achievement {a.key}: threshold positive, rewards not negative")
        if not (a.wealth or a.xp or a.title):
            raise ValueError(f"achievement {a.key}: rewards nothing")
        if a.title is not None:
            held = cat.titles.get(title_key(a.title))
            if held is None or held.name != a.title or held.tier != ACHIEVEMENT_TITLES:
                raise ValueError(f"achievement {a.key}: {a.title!r} is no achievement title")
        out.append(a)
    for what, values in (("key", [a.key for a in out]),
                         ("name", [a.name.casefold() for a in out]),
                         ("title", [a.title for a in out if a.title])):
        if len(set(values)) != len(values):
            raise ValueError(f"two achievements share a {what}")
    return tuple(out)


@cache
def achievements() -> tuple[Achievement, ...]:
    return build(load_content("achievements.toml"), catalogue())


def by_key() -> dict[str, Achievement]:
    return {a.key: a for a in achievements()}


def unlocked_by(facts: Facts, catalogue_: Iterable[Achievement] | None = None
                ) -> list[Achievement]:
    """Every achievement ``facts`` reach (a metric at or above its threshold)."""
    return [a for a in (achievements() if catalogue_ is None else catalogue_)
            if facts.get(a.metric, 0) >= a.threshold]


def newly_unlocked(facts: Facts, already: Iterable[str],
                   catalogue_: Iterable[Achievement] | None = None) -> list[Achievement]:
    """The achievements ``facts`` reach that are not among ``already`` (keys), in catalogue
    order."""
    have = set(already)
    return [a for a in unlocked_by(facts, catalogue_) if a.key not in have]


def closest(facts: Facts, already: Iterable[str],
            catalogue_: Iterable[Achievement] | None = None) -> Achievement | None:
    """The locked achievement nearest to unlocking (the largest share of its threshold
    reached; the first in catalogue order on a tie), or None when all are unlocked."""
    have = set(already)
    locked = [a for a in (achievements() if catalogue_ is None else catalogue_)
              if a.key not in have]
    if not locked:
        return None
    # compare value/threshold as fractions without floats: a/b > c/d ⇔ a·d > c·b
    best = locked[0]
    for a in locked[1:]:
        if (min(facts.get(a.metric, 0), a.threshold) * best.threshold
                > min(facts.get(best.metric, 0), best.threshold) * a.threshold):
            best = a
    return best


def rob_streaks(current: int, best: int, won: Iterable[bool]) -> tuple[int, int]:
    """The rob-win streak after robs in order: a win adds one, a failed rob ends the run;
    (current, best)."""
    for w in won:
        current = current + 1 if w else 0
        best = max(best, current)
    return current, best


def item_of(entry: Entry) -> str | None:
    """The item a ledger row says the player came to own (a crate opened, a buy, a stolen
    item), if any."""
    item = (entry.detail or {}).get("item")
    return str(item) if item else None


def is_legendary_crate_item(entry: Entry, cat: Catalogue) -> bool:
    """A crate opened with a legendary item in it (the row's ``rarity``, else the item's tier
    in the catalogue)."""
    if entry.event_type != "crate_open":
        return False
    item = item_of(entry)
    if item is None:
        return False
    rarity = (entry.detail or {}).get("rarity")
    if rarity is None and item in cat.items:
        rarity = cat.items[item].tier
    return rarity == "legendary"


def reward_text(a: Achievement) -> str:
    parts = []
    if a.wealth:
        parts.append(f"+{money(a.wealth)}")
    if a.xp:
        parts.append(f"+{a.xp:,} XP")
    if a.title:
        parts.append(f"the title “{a.title}”")
    return ", ".join(parts)


def unlock_line(name: str, unlocked: list[Achievement]) -> str:
    """The community's announcement of one player's unlocks in one projector run."""
    names = ", ".join(f"{a.name} ({a.description})" for a in unlocked)
    rewards = "; ".join(reward_text(a) for a in unlocked)
    titled = any(a.title for a in unlocked)
    return (f"🏆 {name} unlocked {names} — {rewards}{' (!title)' if titled else ''}")


def note_text(a: Achievement) -> str:
    """The player's !inbox entry for one unlock."""
    return f"🏆 achievement {a.name} ({a.description}): {reward_text(a)}"


def progress_text(a: Achievement, facts: Facts) -> str:
    have = min(facts.get(a.metric, 0), a.threshold)
    if a.metric == "contributed_cents":
        return f"{money(have // 100)}/{money(a.threshold // 100)}"
    if a.metric == "wealth_earned":
        return f"{money(have)}/{money(a.threshold)}"
    return f"{have:,}/{a.threshold:,}"


def summary_text(whose: str, facts: Facts, unlocked: list[str],
                 catalogue_: Iterable[Achievement] | None = None) -> str:
    """``!achievements``: the count, the latest few (``unlocked``: keys, newest first) and
    the locked one nearest to unlocking."""
    cat = tuple(achievements() if catalogue_ is None else catalogue_)
    known = {a.key: a for a in cat}
    mine = [known[k] for k in unlocked if k in known]
    text = f"🏆 {whose} {len(mine)}/{len(cat)} achievements"
    if mine:
        text += " — latest: " + ", ".join(a.name for a in mine[:LATEST_SHOWN])
    nxt = closest(facts, (a.key for a in mine), cat)
    if nxt is None:
        return text + " — every one unlocked!"
    return (text + f" — next: {nxt.name} ({nxt.description}, "
            f"{progress_text(nxt, facts)}) for {reward_text(nxt)}")
