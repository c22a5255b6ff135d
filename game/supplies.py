"""Supplies (GAME.md "Shops": ``!supplies``, ``!buysupply``, ``!buffs``): timed buffs and
consumable items.

A buff lasts ``buff_hours`` from its purchase; one is active per category:

* none active (or the active one has run out): the new one starts;
* a stronger one than the active one replaces it (the old one's time is gone);
* the same strength refreshes it: it runs ``buff_hours`` from now (no stacking of time);
* a weaker one while a stronger is active is refused, saying what is active and for how long.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from game.catalogue import BUFF_CATEGORIES, Buff, BuffCategory, Catalogue, Consumable
from game.errors import NotAllowed, format_duration
from game.replies import money
from game.rules import DEFAULT_RULES, Rules

CATEGORY_LABELS: dict[str, str] = {
    "xp": "XP", "rob_attack": "Rob attack", "rob_defense": "Rob defense",
    "business": "Business", "crate_drop": "Crate drops", "play_wealth": "Play wealth",
}

# the player's buffs by category (``BuffCategory`` keys, or plain ``str`` ones as rows hold)
Active = Mapping[str, tuple[Decimal, datetime]] | Mapping[BuffCategory, tuple[Decimal, datetime]]
C = TypeVar("C", bound=str)



def times(multiplier: Decimal) -> str:
    """``x1.5``, ``x1.25``, ``x1.05``, ``x2`` (trailing zeros dropped: ``1.10`` is ``x1.1``)."""
    normal = multiplier.normalize()
    return f"x{normal:f}" if normal != normal.to_integral_value() else f"x{int(normal)}"


def _left(until: datetime, now: datetime) -> str:
    return format_duration(math.ceil((until - now).total_seconds()))


def active_buffs(
    rows: Iterable[tuple[C, Decimal, datetime]], now: datetime,
) -> dict[C, tuple[Decimal, datetime]]:
    """The buffs still running at ``now``, one per category (the strongest, should rows
    ever hold two), as ``buy_buff`` and ``format_buffs`` take them."""
    out: dict[C, tuple[Decimal, datetime]] = {}
    for category, multiplier, expires_at in rows:
        if expires_at <= now:
            continue
        held = out.get(category)
        if held is None or (multiplier, expires_at) > held:
            out[category] = (multiplier, expires_at)
    return out


@dataclass(frozen=True)
class BuffPurchase:
    expires_at: datetime
    replaced: Decimal | None  # the multiplier of the weaker active buff it replaces
    refreshed: bool           # the same strength was active: its time starts again


def buy_buff(buff: Buff, active: Active, now: datetime,
             rules: Rules = DEFAULT_RULES) -> BuffPurchase:
    """What buying ``buff`` does, given the player's buffs (expired ones are ignored)."""
    expires_at = now + timedelta(hours=rules.buff_hours)
    current = active.get(buff.category)
    if current is None or current[1] <= now:
        return BuffPurchase(expires_at, None, False)
    multiplier, until = current
    if buff.multiplier > multiplier:
        return BuffPurchase(expires_at, multiplier, False)
    if buff.multiplier == multiplier:
        return BuffPurchase(expires_at, None, True)
    raise NotAllowed(
        f"{label(buff.category)} {times(multiplier)} is active for {_left(until, now)} more"
        f" — {buff.name} is weaker and can't replace it"
    )


def check_hold(consumable: Consumable, held: int) -> None:
    """Refuses one more of ``consumable`` at its holding limit."""
    if held >= consumable.hold:
        raise NotAllowed(
            f"you already hold {held} {consumable.name}s — the most you can carry"
        )


def label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def buff_line(category: str, multiplier: Decimal, expires_at: datetime, now: datetime) -> str:
    """``XP x1.5 (3 h 20 min left)``."""
    return f"{label(category)} {times(multiplier)} ({_left(expires_at, now)} left)"


def format_buffs(active: Active, now: datetime) -> str:
    """The ``!buffs`` answer, one chat line, in category order."""
    lines = [buff_line(c, *active[c], now) for c in BUFF_CATEGORIES
             if c in active and active[c][1] > now]
    if not lines:
        return "no active buffs — !supplies lists them"
    return "buffs: " + " · ".join(lines)


def format_supplies(cat: Catalogue, rules: Rules = DEFAULT_RULES) -> str:
    """The ``!supplies`` answer, one chat line: the buffs by category, then the items with
    their holding limits."""
    groups: list[str] = []
    for category in BUFF_CATEGORIES:
        offers = sorted((b for b in cat.buffs.values() if b.category == category),
                        key=lambda b: b.multiplier)
        if offers:
            groups.append(f"{CATEGORY_LABELS[category]} " + ", ".join(
                f"{times(b.multiplier)} {money(b.price)}" for b in offers))
    items = [f"{c.name} {money(c.price)} (hold {c.hold})" for c in cat.consumables.values()]
    return (f"supplies ({rules.buff_hours} h buffs): " + " · ".join(groups + items)
            + " — !buysupply <name>")


def supply_candidates(cat: Catalogue) -> list[tuple[str, str]]:
    """What ``!buysupply <name>`` matches (``match_name``): every buff under its name and
    under the words ``!supplies`` shows (``XP x2``, ``Play wealth x1.1``), then every item."""
    out = [(b.key, b.name) for b in cat.buffs.values()]
    out += [(b.key, f"{CATEGORY_LABELS[b.category]} {times(b.multiplier)}")
            for b in cat.buffs.values()]
    return out + [(c.key, c.name) for c in cat.consumables.values()]
