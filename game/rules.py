"""Every number of the rulebook (GAME.md) that the first slice uses, in one place.

A deployment can override tunable values through ``bot_config``; the code reads them from a
``Rules`` instance passed in, never from literals scattered around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum


class Tier(IntEnum):
    PUNK = 0
    ASSOCIATE = 1
    SOLDIER = 2
    CAPTAIN = 3
    UNDERBOSS = 4
    KINGPIN = 5

    @property
    def title(self) -> str:
        return self.name.capitalize()


def floor_share(amount: int, *shares: Decimal | int) -> int:
    """``floor(amount × share × …)`` exactly: Decimal shares become integer ratios, so no
    float product ever rounds (GAME.md: Captain bail on $3,888 is $729, never $728)."""
    numerator, denominator = amount, 1
    for share in shares:
        if not isinstance(share, Decimal | int):  # a float share would bring the bug back
            raise TypeError(f"shares are Decimal or int, not {type(share).__name__}")
        top, bottom = share.as_integer_ratio()
        numerator, denominator = numerator * top, denominator * bottom
    return numerator // denominator


@dataclass(frozen=True)
class PlayTierTable:
    positive_wealth: tuple[int, int]
    positive_xp: tuple[int, int]
    negative_wealth: tuple[int, int]


PLAY_TABLE: dict[Tier, PlayTierTable] = {
    Tier.PUNK: PlayTierTable((40, 500), (6, 65), (30, 200)),
    Tier.ASSOCIATE: PlayTierTable((450, 2_000), (45, 165), (150, 900)),
    Tier.SOLDIER: PlayTierTable((2_000, 6_000), (150, 360), (500, 2_800)),
    Tier.CAPTAIN: PlayTierTable((6_000, 16_000), (350, 760), (1_500, 8_000)),
    Tier.UNDERBOSS: PlayTierTable((15_000, 40_000), (700, 1_500), (4_000, 20_000)),
    Tier.KINGPIN: PlayTierTable((40_000, 100_000), (1_400, 3_200), (12_000, 55_000)),
}


@dataclass(frozen=True)
class Rules:
    # levels and tiers
    level_cap: int = 200
    xp_base: int = 100
    xp_growth: float = 1.25
    # first level of each tier, in Tier order
    tier_min_levels: tuple[int, ...] = (1, 20, 40, 60, 80, 100)
    # money multipliers are Decimal: money arithmetic is exact (see floor_share)
    tier_multipliers: tuple[Decimal, ...] = tuple(
        Decimal(m) for m in ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5"))
    bail_multipliers: tuple[Decimal, ...] = tuple(
        Decimal(m) for m in ("0.5", "0.75", "1.0", "1.25", "1.5", "2.0"))

    # chat activity
    chat_reward_interval_s: int = 60
    chat_xp: tuple[int, int] = (1, 3)
    chat_wealth: int = 5

    # !play
    play_cooldown_s: int = 30
    play_bust_chance: float = 0.05
    play_negative_chance: float = 0.15
    play_table: dict[Tier, PlayTierTable] = field(default_factory=lambda: dict(PLAY_TABLE))

    # !rob
    rob_cooldown_s: int = 300
    rob_target_cooldown_s: int = 24 * 3600
    rob_base_chance: float = 0.60
    rob_gear_cap: float = 0.15
    rob_level_factor: float = 0.01
    rob_level_cap: float = 0.10
    rob_chance_bounds: tuple[float, float] = (0.45, 0.85)
    rob_buffed_bounds: tuple[float, float] = (0.05, 0.95)
    rob_steal_share: tuple[float, float] = (0.08, 0.28)
    rob_xp_success: int = 50
    rob_xp_failure: int = 10

    # jail and bail
    jail_minutes: int = 60
    bail_share: Decimal = Decimal("0.15")
    bail_bounds: tuple[int, int] = (500, 100_000)
    bail_free_below: int = 500

    # !checkin
    checkin_wealth_base: int = 100
    checkin_wealth_per_day: int = 100
    checkin_xp_base: int = 20
    checkin_xp_per_day: int = 20
    checkin_streak_cap: int = 30
    checkin_legendary_every: int = 28
    checkin_uncommon_every: int = 7

    # items and inventory (GAME.md "Items, inventory, !equip, !sell")
    inventory_cap: int = 10
    escrow_slots: int = 3
    escrow_hours: int = 24
    sell_share: Decimal = Decimal("0.5")
    businesses_owned_max: int = 3
    durability_loss: tuple[int, int] = (2, 3)  # per rob, attacker's weapon and target's armor
    rob_item_steal_chance: float = 0.05

    # shops
    shop_size: tuple[int, int] = (6, 10)
    # item tiers a player's personal shop offers, in Tier order
    shop_tiers: tuple[tuple[str, ...], ...] = (
        ("common",), ("common", "uncommon"), ("common", "uncommon", "rare"),
        ("common", "uncommon", "rare"), ("uncommon", "rare"), ("uncommon", "rare"))
    reroll_cooldown_s: int = 3600
    market_rotation_hours: int = 6
    market_legendary_chance: float = 0.30
    # (how many kinds, stock of each) per tier on a rotation; legendary: at most one kind
    market_kinds: tuple[tuple[int, int], ...] = ((3, 5), (3, 5), (2, 3), (1, 1))
    market_stock: tuple[tuple[int, int], ...] = ((10, 20), (5, 10), (3, 8), (1, 3))
    market_featured_discount: Decimal = Decimal("0.25")
    buff_hours: int = 24
    crate_magnet_use_up_chance: float = 0.5

    # crates
    crate_drop_chance: float = 0.02
    crate_hold: int = 10
    crate_escrow_slots: int = 3
    crate_escrow_hours: int = 1

    # the Juicernaut's crown (GAME.md "!play", "Businesses"): applied by Modifiers
    juicernaut_wealth: Decimal = Decimal("1.25")
    juicernaut_xp: Decimal = Decimal(2)
    juicernaut_crate: Decimal = Decimal(3)
    juicernaut_business: Decimal = Decimal("1.5")
    # what the crown holder gets when the session ends, by their session total in USD:
    # (at least, wealth, XP, crate tier or "")
    juicernaut_rewards: tuple[tuple[Decimal, int, int, str], ...] = (
        (Decimal(0), 1_000, 200, ""), (Decimal(5), 3_000, 500, "common"),
        (Decimal(15), 7_500, 1_000, "uncommon"), (Decimal(30), 15_000, 2_000, "rare"),
        (Decimal(50), 30_000, 4_000, "legendary"))

    # heists (GAME.md "Heists"): the first 15 min into a session, then 60-120 min after the
    # previous one ended; correct answers are collected for the grace window after the first
    heist_first_delay_s: int = 900
    heist_gap_min_s: int = 3600
    heist_gap_max_s: int = 7200
    heist_grace_s: int = 3

    # businesses, housing, insurance (cron)
    business_payouts_per_day: int = 8
    business_variance: Decimal = Decimal("0.20")
    business_daily_cap: int = 50_000
    debt_debuff_days: int = 3
    debt_debuff: Decimal = Decimal("0.8")
    debt_evict_days: int = 7

    # gambling (GAME.md "Gambling"); the slot symbols are content (game/content/slots.toml)
    gamble_min_bet: int = 100
    gamble_max_bets: tuple[int, ...] = (10_000, 20_000, 35_000, 50_000, 75_000, 100_000)
    jackpot_seed: int = 10_000
    jackpot_share: Decimal = Decimal("0.02")  # of each slots wager, into the pool
    blackjack_payout: Decimal = Decimal("1.5")  # a natural pays 3:2
    blackjack_idle_s: int = 120  # an idle hand stands
    flip_min_bet: int = 500
    flip_expiry_minutes: int = 10
    lottery_ticket_price: int = 1_000
    lottery_max_tickets: int = 5  # per player per draw
    lottery_numbers: tuple[int, int] = (1, 20)
    lottery_picks: int = 3
    lottery_pool_share: Decimal = Decimal("0.90")  # of ticket money; the rest leaves
    # the pool's shares for 3, 2 and 1 matching numbers
    lottery_prize_shares: tuple[Decimal, ...] = (Decimal("0.70"), Decimal("0.20"),
                                                 Decimal("0.10"))

    # leaderboards
    leaderboard_size: int = 5

    # missions (GAME.md "Missions"): how many a player draws per period, the reward per
    # difficulty (wealth, XP; × tier_multipliers), the all-of-a-period bonus (wealth, XP,
    # crate tier or ""; not multiplied) and the caps on mission wealth per UTC day and week
    missions_per_period: tuple[tuple[str, int], ...] = (("daily", 3), ("weekly", 2))
    mission_rewards: tuple[tuple[str, int, int], ...] = (
        ("easy", 500, 50), ("medium", 1_000, 100), ("hard", 2_000, 200))
    mission_bonus: tuple[tuple[str, int, int, str], ...] = (
        ("daily", 500, 50, ""), ("weekly", 2_000, 200, "common"))
    mission_wealth_caps: tuple[tuple[str, int], ...] = (("daily", 15_000), ("weekly", 50_000))

    # economy modes (GAME.md "Economy modes"): "free", or "channel_points" while live
    live_mode: str = "free"

    # admin
    admin_max_amount: int = 1_000_000_000_000

    def tier_for_level(self, level: int) -> Tier:
        tier = Tier.PUNK
        for t, first in zip(Tier, self.tier_min_levels, strict=True):
            if level >= first:
                tier = t
        return tier


DEFAULT_RULES = Rules()

# ``live_mode``'s values: commands work the same live or offline, or (while the community's
# session is open) play/rob/bail/reroll come from channel-point redemptions
LIVE_MODES = ("free", "channel_points")
CHANNEL_POINTS = "channel_points"
