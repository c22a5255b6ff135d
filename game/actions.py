"""Pure rules of the core commands: play, rob, jail and bail, check-in, chat rewards.

Every function takes state, ``now`` and ``rng`` as arguments and returns an outcome; the
shell in jobs/ loads rows, calls these and writes the result in one transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal, Protocol

from game.catalogue import Catalogue, ItemTier
from game.content.play_texts import BUSTED, NEGATIVE, NOTHING_TO_LOSE, POSITIVE
from game.crates import roll_drop
from game.errors import CooldownActive, Jailed, TargetError
from game.inventory import wear_loss
from game.modifiers import NO_MODIFIERS, Modifiers, play_rewards, rob_xp
from game.replies import money
from game.rules import DEFAULT_RULES, Rules, Tier, floor_share

STEAL_SHARE_UNIT = 10_000  # the rob share is drawn in basis points (a whole number of 0.01%)


class Rng(Protocol):
    def random(self) -> float: ...

    def randint(self, a: int, b: int) -> int: ...

    def uniform(self, a: float, b: float) -> float: ...

    def choice(self, seq: tuple[str, ...]) -> str: ...



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
    crate: ItemTier | None = None  # a crate dropped (never on a busted play)
    magnet_used: bool = False      # a Crate Magnet forced the drop and is used up


def resolve_play(
    tier: Tier, wealth: int, rng: Rng, rules: Rules = DEFAULT_RULES,
    mods: Modifiers = NO_MODIFIERS, cat: Catalogue | None = None,
) -> PlayOutcome:
    """One !play. A positive event's wealth and XP go through ``play_rewards`` (buffs →
    Juicernaut → territories → housing debt); a loss is never multiplied. Every play that is
    not busted rolls a crate drop (``crates.roll_drop``)."""
    if rng.random() < rules.play_bust_chance:
        return PlayOutcome("busted", 0, 0, rng.choice(BUSTED))
    table = rules.play_table[tier]
    kind: Literal["positive", "negative"]
    if rng.random() < rules.play_negative_chance:
        kind, xp = "negative", 0
        delta = -min(max(0, wealth), rng.randint(*table.negative_wealth))
        if delta == 0:
            text = rng.choice(NOTHING_TO_LOSE)
        else:
            text = rng.choice(NEGATIVE[tier]).format(amount=money(-delta))
    else:
        kind = "positive"
        delta, xp = play_rewards(rng.randint(*table.positive_wealth),
                                 rng.randint(*table.positive_xp), mods, rules)
        text = rng.choice(POSITIVE[tier]).format(amount=money(delta))
    crate, magnet_used = roll_drop(tier, mods, rng, rules, cat)
    return PlayOutcome(kind, delta, xp, text, crate, magnet_used)


# --- !rob --------------------------------------------------------------------------------


def _exact(value: float | Decimal) -> Decimal:
    """A rule's number as the Decimal it was written as (0.6, not 0.59999…)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _clamp(value: Decimal, bounds: tuple[float | Decimal, float | Decimal]) -> Decimal:
    return max(_exact(bounds[0]), min(_exact(bounds[1]), value))


def rob_chance(
    attacker_level: int,
    target_level: int,
    *,
    attacker: Modifiers = NO_MODIFIERS,
    target: Modifiers = NO_MODIFIERS,
    rules: Rules = DEFAULT_RULES,
) -> float:
    """GAME.md: ``0.60 + min(weapon + territory rob, 0.15) − min(armor + territory defense,
    0.15) + clamp(0.01 × Δlevel, ±0.10)``, clamped to [0.45, 0.85], then × the attacker's
    rob-attack buff ÷ the target's rob-defense buff, clamped to [0.05, 0.95]. Computed in
    exact decimals; the result is a float to draw against."""
    cap = _exact(rules.rob_gear_cap)
    level_cap = _exact(rules.rob_level_cap)
    level_term = _exact(rules.rob_level_factor) * (attacker_level - target_level)
    level_term = max(-level_cap, min(level_cap, level_term))
    chance = (
        _exact(rules.rob_base_chance)
        + min(attacker.weapon + attacker.territory_rob, cap)
        - min(target.armor + target.territory_defense, cap)
        + level_term
    )
    chance = _clamp(chance, rules.rob_chance_bounds)
    chance = chance * attacker.rob_attack / target.rob_defense
    return float(_clamp(chance, rules.rob_buffed_bounds))


def check_rob_target(
    attacker_id: int, target_id: int | None, target_wealth: int, target_name: str,
    target_crowned: bool = False,
) -> None:
    if target_id is None:
        raise TargetError(f"I don't know {target_name} — they have to chat first")
    if target_id == attacker_id:
        raise TargetError("you can't rob yourself")
    if target_wealth <= 0:
        raise TargetError(f"{target_name} has nothing worth stealing")
    if target_crowned:
        raise TargetError(f"{target_name} wears the Juicernaut crown — they can't be robbed")


@dataclass(frozen=True)
class RobOutcome:
    success: bool
    stolen: int    # gross: the share of the target's wealth taken
    xp_delta: int
    chance: float
    insured: int   # floor(stolen × target's insurance): the target keeps it
    gained: int    # stolen − insured: what the attacker gets and the target loses
    stolen_item: int | None  # index into the target's equipped items, on success only
    weapon_wear: int  # durability the attacker's weapon loses (if one is equipped)
    armor_wear: int   # durability the target's armor loses (if one is equipped)


def steal_share_range(rules: Rules = DEFAULT_RULES) -> tuple[int, int]:
    """``rob_steal_share`` in basis points (800, 2800), kept inside the rule's bounds."""
    low, high = (_exact(s) * STEAL_SHARE_UNIT for s in rules.rob_steal_share)
    return math.ceil(low), math.floor(high)


def resolve_rob(
    attacker_level: int,
    target_level: int,
    target_wealth: int,
    rng: Rng,
    rules: Rules = DEFAULT_RULES,
    attacker: Modifiers = NO_MODIFIERS,
    target: Modifiers = NO_MODIFIERS,
    target_equipped: int = 0,
) -> RobOutcome:
    """One !rob. On success the share of the target's wealth is drawn exactly (a whole number
    of basis points, one floor; at least $1, at most all of it); the target's insurance keeps
    ``floor(stolen × insurance)``; the attacker gains the rest and the target loses exactly
    that. ``target_equipped`` is how many items the target has equipped: on success one of
    them is stolen with ``rob_item_steal_chance``. Gear wears on every rob."""
    chance = rob_chance(attacker_level, target_level, attacker=attacker, target=target,
                        rules=rules)
    success = rng.random() < chance
    stolen = insured = 0
    stolen_item: int | None = None
    if success:
        share = rng.randint(*steal_share_range(rules))
        stolen = min(max(0, target_wealth), max(1, target_wealth * share // STEAL_SHARE_UNIT))
        insured = floor_share(stolen, target.insurance)
        if target_equipped > 0 and rng.random() < rules.rob_item_steal_chance:
            stolen_item = rng.randint(0, target_equipped - 1)
    xp = rob_xp(rules.rob_xp_success if success else rules.rob_xp_failure, attacker)
    weapon_wear, armor_wear = wear_loss(rng, rules), wear_loss(rng, rules)
    return RobOutcome(success, stolen, xp, chance, insured, stolen - insured, stolen_item,
                      weapon_wear, armor_wear)


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
