"""XP curve, levels and tiers."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from game.replies import a_or_an
from game.rules import DEFAULT_RULES, Rules, Tier


def xp_to_next(level: int, rules: Rules = DEFAULT_RULES) -> int:
    """XP needed to go from ``level`` to ``level + 1``."""
    return math.floor(rules.xp_base * rules.xp_growth ** (level - 1))


@lru_cache(maxsize=8)
def _thresholds(xp_base: int, xp_growth: float, cap: int) -> tuple[int, ...]:
    """Total XP needed to reach level 1..cap (index 0 is level 1)."""
    totals = [0]
    for level in range(1, cap):
        totals.append(totals[-1] + math.floor(xp_base * xp_growth ** (level - 1)))
    return tuple(totals)


def total_xp_for_level(level: int, rules: Rules = DEFAULT_RULES) -> int:
    return _thresholds(rules.xp_base, rules.xp_growth, rules.level_cap)[level - 1]


def level_for_xp(xp: int, rules: Rules = DEFAULT_RULES) -> int:
    thresholds = _thresholds(rules.xp_base, rules.xp_growth, rules.level_cap)
    return max(1, min(rules.level_cap, bisect_right(thresholds, max(0, xp))))


def tier_for_level(level: int, rules: Rules = DEFAULT_RULES) -> Tier:
    return rules.tier_for_level(level)


@dataclass(frozen=True)
class Progress:
    level_before: int
    level_after: int
    tier_before: Tier
    tier_after: Tier

    @property
    def leveled_up(self) -> bool:
        return self.level_after > self.level_before

    @property
    def tier_changed(self) -> bool:
        return self.tier_after != self.tier_before


def progress(xp_before: int, xp_after: int, rules: Rules = DEFAULT_RULES) -> Progress:
    lb, la = level_for_xp(xp_before, rules), level_for_xp(xp_after, rules)
    return Progress(lb, la, rules.tier_for_level(lb), rules.tier_for_level(la))


def progress_text(name: str, prog: Progress) -> str | None:
    """The announcement for a level-up/tier-up, or None."""
    if prog.tier_changed and prog.tier_after > prog.tier_before:
        return (
            f"🎉 {name} reached level {prog.level_after} and is now "
            f"{a_or_an(prog.tier_after.title)}!"
        )
    if prog.leveled_up:
        return f"⬆️ {name} reached level {prog.level_after}!"
    return None
