"""Pure rules for the first slice: play, rob, jail and bail, check-in, chat rewards.

Every function takes state, ``now`` and ``rng`` as arguments and returns an outcome; the
shell in jobs/ loads rows, calls these and writes the result in one transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from game.content.play_texts import BUSTED, NEGATIVE, NOTHING_TO_LOSE, POSITIVE
from game.errors import CooldownActive, Jailed, TargetError
from game.rules import DEFAULT_RULES, Rules, Tier, floor_share


class Rng(Protocol):
    def random(self) -> float: ...

    def randint(self, a: int, b: int) -> int: ...

    def uniform(self, a: float, b: float) -> float: ...

    def choice(self, seq: tuple[str, ...]) -> str: ...


def money(amount: int) -> str:
    return f"${amount:,}"


# --- guards -------------------------------------------------------------------------------


def check_cooldown(command: str, expires_at: datetime | None, now: datetime) -> None:
    if expires_at is not None and expires_at > now:
        raise CooldownActive(command, math.ceil((expires_at - now).total_seconds()))


def bail_cost(wealth: int, tier: Tier, rules: Rules = DEFAULT_RULES) -> int:
    """Bail for a player with ``wealth``; 0 means free."""
    if wealth < rules.bail_free_below:
        return 0
    raw = floor_share(wealth, rules.bail_share, rules.bail_multipliers[tier])
    low, high = rules.bail_bounds
    return max(low, min(high, raw))


def check_not_jailed(
    jailed_until: datetime | None, now: datetime, wealth: int, tier: Tier,
    rules: Rules = DEFAULT_RULES,
) -> None:
    if jailed_until is not None and jailed_until > now:
        left = math.ceil((jailed_until - now).total_seconds())
        raise Jailed(left, bail_cost(wealth, tier, rules))


def jail_release_at(now: datetime, rules: Rules = DEFAULT_RULES) -> datetime:
    return now + timedelta(minutes=rules.jail_minutes)


# --- !play -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlayOutcome:
    kind: Literal["busted", "positive", "negative"]
    wealth_delta: int
    xp_delta: int
    text: str


def resolve_play(tier: Tier, wealth: int, rng: Rng, rules: Rules = DEFAULT_RULES) -> PlayOutcome:
    if rng.random() < rules.play_bust_chance:
        return PlayOutcome("busted", 0, 0, rng.choice(BUSTED))
    table = rules.play_table[tier]
    if rng.random() < rules.play_negative_chance:
        loss = min(max(0, wealth), rng.randint(*table.negative_wealth))
        if loss == 0:
            return PlayOutcome("negative", 0, 0, rng.choice(NOTHING_TO_LOSE))
        text = rng.choice(NEGATIVE[tier]).format(amount=money(loss))
        return PlayOutcome("negative", -loss, 0, text)
    gain = rng.randint(*table.positive_wealth)
    xp = rng.randint(*table.positive_xp)
    text = rng.choice(POSITIVE[tier]).format(amount=money(gain))
    return PlayOutcome("positive", gain, xp, text)


# --- !rob --------------------------------------------------------------------------------


def rob_chance(
    attacker_level: int,
    target_level: int,
    weapon: float = 0.0,
    armor: float = 0.0,
    attack_buff: float = 1.0,
    defense_buff: float = 1.0,
    rules: Rules = DEFAULT_RULES,
) -> float:
    level_term = rules.rob_level_factor * (attacker_level - target_level)
    level_term = max(-rules.rob_level_cap, min(rules.rob_level_cap, level_term))
    chance = (
        rules.rob_base_chance
        + min(weapon, rules.rob_gear_cap)
        - min(armor, rules.rob_gear_cap)
        + level_term
    )
    low, high = rules.rob_chance_bounds
    chance = max(low, min(high, chance))
    chance = chance * attack_buff / defense_buff
    low, high = rules.rob_buffed_bounds
    return max(low, min(high, chance))


def check_rob_target(
    attacker_id: int, target_id: int | None, target_wealth: int, target_name: str
) -> None:
    if target_id is None:
        raise TargetError(f"I don't know {target_name} — they have to chat first")
    if target_id == attacker_id:
        raise TargetError("you can't rob yourself")
    if target_wealth <= 0:
        raise TargetError(f"{target_name} has nothing worth stealing")


@dataclass(frozen=True)
class RobOutcome:
    success: bool
    stolen: int
    xp_delta: int
    chance: float


def resolve_rob(
    attacker_level: int,
    target_level: int,
    target_wealth: int,
    rng: Rng,
    rules: Rules = DEFAULT_RULES,
) -> RobOutcome:
    chance = rob_chance(attacker_level, target_level, rules=rules)
    if rng.random() >= chance:
        return RobOutcome(False, 0, rules.rob_xp_failure, chance)
    share = rng.uniform(*rules.rob_steal_share)
    stolen = min(target_wealth, max(1, math.floor(target_wealth * share)))
    return RobOutcome(True, stolen, rules.rob_xp_success, chance)


# --- !checkin ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckinOutcome:
    streak: int
    wealth_delta: int
    xp_delta: int
    crate: Literal["legendary", "uncommon"] | None


def resolve_checkin(
    last_checkin: date | None, streak: int, now: datetime, rules: Rules = DEFAULT_RULES
) -> CheckinOutcome:
    """Once per UTC day; ``now`` must be timezone-aware (UTC)."""
    today = now.date()
    if last_checkin is not None and last_checkin >= today:
        midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), now.tzinfo)
        raise CooldownActive("checkin", math.ceil((midnight - now).total_seconds()))
    new_streak = streak + 1 if last_checkin == today - timedelta(days=1) else 1
    capped = min(new_streak, rules.checkin_streak_cap)
    crate: Literal["legendary", "uncommon"] | None = None
    if new_streak % rules.checkin_legendary_every == 0:
        crate = "legendary"
    elif new_streak % rules.checkin_uncommon_every == 0:
        crate = "uncommon"
    return CheckinOutcome(
        new_streak,
        rules.checkin_wealth_base + rules.checkin_wealth_per_day * capped,
        rules.checkin_xp_base + rules.checkin_xp_per_day * capped,
        crate,
    )


# --- chat activity -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChatReward:
    wealth: int
    xp: int


def chat_reward(
    last_reward_at: datetime | None, last_message_at: datetime, rng: Rng,
    rules: Rules = DEFAULT_RULES,
) -> ChatReward | None:
    """At most one reward per ``chat_reward_interval_s`` per player."""
    if last_reward_at is not None and (
        last_message_at - last_reward_at
    ).total_seconds() < rules.chat_reward_interval_s:
        return None
    return ChatReward(rules.chat_wealth, rng.randint(*rules.chat_xp))
