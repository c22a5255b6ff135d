"""Tunable numbers of the rulebook a broadcaster can change for their community (``!config``).

Each key maps to one ``Rules`` field, with its kind and the bounds a value must keep (or, for
a choice such as ``economy.live_mode``, the words it may take). Values
are stored per community (``bot_config``) and applied over the defaults by ``rules_with``;
anything not set keeps GAME.md's number. Pure: parsing, validation and formatting only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from game.errors import UsageError
from game.rules import DEFAULT_RULES, LIVE_MODES, Rules


@dataclass(frozen=True)
class Tunable:
    key: str
    field: str
    kind: type  # int or Decimal (money shares and chances are exact), or str: a choice
    low: int | Decimal
    high: int | Decimal
    about: str
    choices: tuple[str, ...] = ()  # kind str: the words allowed (stored as text)

    @classmethod
    def choice(cls, key: str, field: str, choices: tuple[str, ...], about: str) -> Tunable:
        return cls(key, field, str, 0, 0, about, choices)


TUNABLES: dict[str, Tunable] = {t.key: t for t in (
    Tunable("play.cooldown_s", "play_cooldown_s", int, 5, 3600, "seconds between !play"),
    Tunable("play.bust_chance", "play_bust_chance", Decimal, Decimal(0), Decimal("0.5"),
            "chance a !play ends in jail"),
    Tunable("rob.cooldown_s", "rob_cooldown_s", int, 30, 86_400, "seconds between !rob"),
    Tunable("rob.target_cooldown_s", "rob_target_cooldown_s", int, 60, 7 * 86_400,
            "seconds before robbing the same player again"),
    Tunable("rob.base_chance", "rob_base_chance", Decimal, Decimal("0.05"), Decimal("0.95"),
            "base success chance of !rob"),
    Tunable("jail.minutes", "jail_minutes", int, 1, 1440, "minutes in jail when busted"),
    Tunable("bail.share", "bail_share", Decimal, Decimal("0.01"), Decimal(1),
            "share of wealth bail costs (before the tier multiplier)"),
    Tunable("chat.wealth", "chat_wealth", int, 0, 1000, "$ per rewarded chat minute"),
    Tunable("chat.interval_s", "chat_reward_interval_s", int, 10, 3600,
            "seconds between chat rewards"),
    Tunable("checkin.wealth_base", "checkin_wealth_base", int, 0, 100_000,
            "check-in $ on day 1"),
    Tunable("checkin.wealth_per_day", "checkin_wealth_per_day", int, 0, 100_000,
            "check-in $ added per streak day"),
    Tunable("checkin.xp_base", "checkin_xp_base", int, 0, 10_000, "check-in XP on day 1"),
    Tunable("checkin.xp_per_day", "checkin_xp_per_day", int, 0, 10_000,
            "check-in XP added per streak day"),
    Tunable("heist.first_delay_s", "heist_first_delay_s", int, 5, 86_400,
            "seconds from a session's start to its first heist"),
    Tunable("heist.gap_min_s", "heist_gap_min_s", int, 5, 86_400,
            "shortest wait after a heist before the next"),
    Tunable("heist.gap_max_s", "heist_gap_max_s", int, 5, 86_400,
            "longest wait after a heist before the next"),
    Tunable("heist.grace_s", "heist_grace_s", int, 1, 30,
            "seconds correct answers are collected after the first (earliest received wins)"),
    Tunable("leaderboard.size", "leaderboard_size", int, 1, 10, "entries !lb shows"),
    Tunable.choice("economy.live_mode", "live_mode", LIVE_MODES,
                   "while live: commands as usual, or play/rob/bail/reroll by redeeming "
                   "channel-point rewards"),
)}

CONFIG_USAGE = "usage: !config <key> [value|default] — keys: " + ", ".join(TUNABLES)


def _as_stored(tunable: Tunable, value: int | Decimal | str) -> Any:
    """int, the shortest plain decimal text (0.05, not 0.050 or 5E-2), or the choice."""
    if tunable.kind is str:
        return str(value)
    return int(value) if tunable.kind is int else format(Decimal(value).normalize(), "f")


def parse_value(key: str, raw: str) -> tuple[Tunable, Any]:
    """The tunable and the JSON value to store for ``!config key raw``; refuses anything out
    of bounds or of the wrong kind with the allowed range."""
    tunable = TUNABLES.get(key.lower())
    if tunable is None:
        raise UsageError(CONFIG_USAGE)
    if tunable.kind is str:
        if raw.strip().lower() not in tunable.choices:
            raise UsageError(f"{tunable.key} takes {describe_range(tunable)}")
        return tunable, raw.strip().lower()
    text = raw.strip().replace(",", "").replace("_", "")
    value: int | Decimal
    try:
        if tunable.kind is int:
            if not text.isdigit():
                raise ValueError(text)
            value = int(text)
        else:
            value = Decimal(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
            if not value.is_finite():
                raise ValueError(text)
    except (ValueError, InvalidOperation) as exc:
        raise UsageError(f"{tunable.key} takes {describe_range(tunable)}") from exc
    if not tunable.low <= value <= tunable.high:
        raise UsageError(f"{tunable.key} takes {describe_range(tunable)}")
    return tunable, _as_stored(tunable, value)


def describe_range(tunable: Tunable) -> str:
    if tunable.kind is str:
        return f"one of {', '.join(tunable.choices)}"
    kind = "a whole number" if tunable.kind is int else "a number"
    return f"{kind} from {tunable.low} to {tunable.high}"


def default_of(tunable: Tunable) -> Any:
    return _as_stored(tunable, _value(DEFAULT_RULES, tunable))


def _value(rules: Rules, tunable: Tunable) -> int | Decimal | str:
    value = getattr(rules, tunable.field)
    return value if tunable.kind in (int, str) else Decimal(str(value))


def rules_with(values: dict[str, Any], base: Rules = DEFAULT_RULES) -> Rules:
    """``base`` with the community's stored values (unknown keys and unreadable values are
    skipped: a bad row never breaks the game)."""
    changes: dict[str, Any] = {}
    for key, raw in values.items():
        tunable = TUNABLES.get(key)
        if tunable is None:
            continue
        try:
            _, stored = parse_value(key, str(raw))
        except UsageError:
            continue
        current = getattr(base, tunable.field)
        if tunable.kind is int:
            changes[tunable.field] = int(stored)
        elif tunable.kind is str:
            changes[tunable.field] = stored
        elif isinstance(current, float):  # chances the rules draw against as floats
            changes[tunable.field] = float(Decimal(stored))
        else:
            changes[tunable.field] = Decimal(stored)
    return replace(base, **changes) if changes else base


def show(tunable: Tunable, rules: Rules) -> str:
    now = _as_stored(tunable, _value(rules, tunable))
    default = default_of(tunable)
    note = "" if str(now) == str(default) else f" (default {default})"
    return f"{tunable.key} = {now}{note} — {tunable.about}; {describe_range(tunable)}"
