"""`kingpin economy simulate`: the pure rules over a synthetic population (GAME.md "Economy
health"), so a broadcaster sees what a config change does before making it. No database.

Every simulated day each player who shows up has one session (a random start, a length of
their archetype) in which their messages, plays, robs, bets and tickets fall at random
times, in time order; plays keep the !play cooldown and robs the global !rob cooldown. The
real rules decide everything: ``chat_reward`` (its once-per-interval cap), ``resolve_play``
(busts jail the player), ``resolve_rob``, ``resolve_checkin`` (streaks, check-in crates),
``bail_cost``, crate drops opened with ``open_crate``, and the games of ``game.gambling``:
``parse_bet`` for every bet, slots with the jackpot pool, blackjack played by
``basic_strategy``, coinflips between two players, and lottery tickets drawn at the day's
end. Players are processed one after another each day, in an order shuffled every day (a
rob sees its target's wealth as it is at that moment of the run, not of the clock).

The archetypes (``ARCHETYPES``, overridable by a config file):

* **casual**: shows up on 35% of days for 45 min; 12 messages, 6 plays, a check-in 40% of
  the time, a rob one day in five; waits out jail; one slots spin at 5% of their wealth one
  day in two, no other game.
* **daily**: shows up on 90% of days for 90 min; 40 messages, 25 plays, checks in 95% of the
  time, 2 robs, pays bail; 3 slots spins and 2 blackjack hands at 5%, a coinflip at 5% one
  day in two, a lottery ticket a day.
* **grinder**: shows up on 98% of days for 5 h; 250 messages, 200 plays, checks in 98% of
  the time, 8 robs, pays bail; 10 spins and 6 hands at 10%, 2 flips at 5%, 5 tickets.

Counts are per day and may be fractional (1.5 = one, and a second half the time); bets are
shares of the player's wealth, within the game's minimum and the tier's maximum. A rob
picks three players at random and robs the richest it may (not itself, not someone with
nothing, not one it robbed in the last 24 h). Not simulated: shops, gear, buffs, businesses,
housing, insurance, factions, missions, heists, streams and the Juicernaut: their money
does not move, and crate items and titles are kept, never sold.

Defaults give 1,000 players × 30 days; ``load_config`` reads the TOML of ``--config``:

    players = 1000
    days = 30
    seed = 7
    start_wealth = 0
    [mix]                     # archetype shares (need not add up to 1)
    casual = 0.6
    daily = 0.3
    grinder = 0.1
    [archetypes.grinder]      # any field of Archetype
    plays = 120
    [rules]                   # any field of Rules, by name
    play_negative_chance = 0.2
    checkin_wealth_per_day = 50
    [rules.play_table.kingpin]
    positive_wealth = [20000, 60000]

An unknown key anywhere is refused with a ``ConfigError`` naming it.
"""

from __future__ import annotations

import dataclasses
import math
import random
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from game.actions import (
    bail_cost,
    chat_reward,
    resolve_checkin,
    resolve_play,
    resolve_rob,
)
from game.catalogue import Catalogue, ItemTier, catalogue
from game.crates import open_crate
from game.economy_report import (
    BLACKJACK,
    COINFLIP,
    LOTTERY,
    SLOTS,
    EconomyReport,
    Flow,
    GameTotals,
    LedgerTotals,
    build_report,
    percent,
    ratio,
    signed_money,
)
from game.errors import GameError
from game.gambling import blackjack, coinflip, lottery, slots
from game.gambling.bets import max_bet, parse_bet
from game.levels import level_for_xp
from game.replies import money
from game.rules import DEFAULT_RULES, PlayTierTable, Rules, Tier, floor_share

DAY_S = 86_400
START = datetime(2025, 1, 6, tzinfo=UTC)  # a Monday, 00:00 UTC

# the kinds of a session's actions, in the order ties are processed
CHAT, PLAY, ROB, SLOT, HAND, FLIP, TICKET = range(7)  # all but CHAT wait for jail


class ConfigError(ValueError):
    """A config file the simulation refuses: the message names the key."""


@dataclass(frozen=True)
class Archetype:
    present: float          # chance to show up on a given day
    session_minutes: int    # how long a day's session lasts
    messages: float         # chat messages per session
    plays: float            # !play per session
    checkin: float          # chance to !checkin in a session
    robs: float             # !rob per session
    bails: bool             # pays bail when jailed (else waits the jail out)
    slots: float            # slots spins per session
    slots_bet: Decimal      # share of wealth bet on a spin
    blackjack: float        # blackjack hands per session
    blackjack_bet: Decimal
    flips: float            # coinflips opened per session
    flip_bet: Decimal
    lottery: float          # lottery tickets per session (at most lottery_max_tickets a draw)


ARCHETYPES: Mapping[str, Archetype] = {
    "casual": Archetype(present=0.35, session_minutes=45, messages=12, plays=6, checkin=0.4,
                        robs=0.2, bails=False, slots=0.5, slots_bet=Decimal("0.05"),
                        blackjack=0, blackjack_bet=Decimal("0.05"), flips=0,
                        flip_bet=Decimal("0.05"), lottery=0),
    "daily": Archetype(present=0.9, session_minutes=90, messages=40, plays=25, checkin=0.95,
                       robs=2, bails=True, slots=3, slots_bet=Decimal("0.05"), blackjack=2,
                       blackjack_bet=Decimal("0.05"), flips=0.5, flip_bet=Decimal("0.05"),
                       lottery=1),
    "grinder": Archetype(present=0.98, session_minutes=300, messages=250, plays=200,
                         checkin=0.98, robs=8, bails=True, slots=10,
                         slots_bet=Decimal("0.10"), blackjack=6,
                         blackjack_bet=Decimal("0.10"), flips=2, flip_bet=Decimal("0.05"),
                         lottery=5),
}
DEFAULT_MIX: Mapping[str, float] = {"casual": 0.6, "daily": 0.3, "grinder": 0.1}


@dataclass(frozen=True)
class SimConfig:
    players: int = 1000
    days: int = 30
    seed: int = 0
    start_wealth: int = 0
    mix: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_MIX))
    archetypes: Mapping[str, Archetype] = field(default_factory=lambda: dict(ARCHETYPES))
    rules: Rules = DEFAULT_RULES

    def __post_init__(self) -> None:
        if self.players < 2:
            raise ConfigError("players: at least 2")
        if self.days < 1:
            raise ConfigError("days: at least 1")
        if self.start_wealth < 0:
            raise ConfigError("start_wealth: not negative")
        unknown = sorted(set(self.mix) - set(self.archetypes))
        if unknown:
            raise ConfigError(f"mix: unknown archetype {', '.join(unknown)}"
                              f" (known: {', '.join(self.archetypes)})")
        if any(share < 0 for share in self.mix.values()) or sum(self.mix.values()) <= 0:
            raise ConfigError("mix: shares are not negative and at least one is positive")


# --- the config file ---------------------------------------------------------------------


def _coerce(default: Any, value: Any, key: str) -> Any:
    """``value`` from TOML as the type of ``default`` (a Rules or Archetype field)."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: true or false, not {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: a whole number, not {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{key}: a number, not {value!r}")
        return float(value)
    if isinstance(default, Decimal):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ConfigError(f"{key}: a number, not {value!r}")
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise ConfigError(f"{key}: a number, not {value!r}") from None
        if not number.is_finite():
            raise ConfigError(f"{key}: a finite number, not {value!r}")
        return number
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{key}: text, not {value!r}")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or len(value) != len(default):
            raise ConfigError(f"{key}: a list of {len(default)}, not {value!r}")
        return tuple(_coerce(d, v, f"{key}[{i}]")
                     for i, (d, v) in enumerate(zip(default, value, strict=True)))
    raise ConfigError(f"{key}: cannot be set from a config file")


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: a table, not {value!r}")
    return value


def _refuse_unknown(given: Mapping[str, Any], known: Sequence[str], where: str) -> None:
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ConfigError(f"unknown key {', '.join(f'{where}{k}' for k in unknown)}"
                          f" (known: {', '.join(known)})")


def _play_table(value: Any, default: dict[Tier, PlayTierTable]) -> dict[Tier, PlayTierTable]:
    tiers = {t.name.lower(): t for t in Tier}
    doc = _table(value, "rules.play_table")
    _refuse_unknown({k.lower(): v for k, v in doc.items()}, list(tiers), "rules.play_table.")
    table = dict(default)
    names = [f.name for f in dataclasses.fields(PlayTierTable)]
    for name, raw in doc.items():
        tier = tiers[name.lower()]
        row = _table(raw, f"rules.play_table.{name}")
        _refuse_unknown(row, names, f"rules.play_table.{name}.")
        current = table[tier]
        changes = {k: _coerce(getattr(current, k), v, f"rules.play_table.{name}.{k}")
                   for k, v in row.items()}
        table[tier] = dataclasses.replace(current, **changes)
    return table


def rules_with(overrides: Mapping[str, Any], base: Rules = DEFAULT_RULES) -> Rules:
    """``base`` with the fields of ``overrides`` (by name, TOML values) replaced."""
    names = [f.name for f in dataclasses.fields(Rules)]
    _refuse_unknown(overrides, names, "rules.")
    changes: dict[str, Any] = {}
    for name, value in overrides.items():
        if name == "play_table":
            changes[name] = _play_table(value, base.play_table)
        else:
            changes[name] = _coerce(getattr(base, name), value, f"rules.{name}")
    return dataclasses.replace(base, **changes)


def config_from(doc: Mapping[str, Any], base: SimConfig | None = None) -> SimConfig:
    """A ``SimConfig`` from a parsed TOML document (see the module's docstring)."""
    base = base or SimConfig()
    _refuse_unknown(doc, ("players", "days", "seed", "start_wealth", "mix", "archetypes",
                          "rules"), "")
    changes: dict[str, Any] = {}
    for key in ("players", "days", "seed", "start_wealth"):
        if key in doc:
            changes[key] = _coerce(0, doc[key], key)
    archetypes = dict(base.archetypes)
    if "archetypes" in doc:
        given = _table(doc["archetypes"], "archetypes")
        _refuse_unknown(given, list(archetypes), "archetypes.")
        names = [f.name for f in dataclasses.fields(Archetype)]
        for name, raw in given.items():
            row = _table(raw, f"archetypes.{name}")
            _refuse_unknown(row, names, f"archetypes.{name}.")
            current = archetypes[name]
            archetypes[name] = dataclasses.replace(current, **{
                k: _coerce(getattr(current, k), v, f"archetypes.{name}.{k}")
                for k, v in row.items()})
        changes["archetypes"] = archetypes
    if "mix" in doc:
        mix = _table(doc["mix"], "mix")
        _refuse_unknown(mix, list(archetypes), "mix.")
        changes["mix"] = {k: _coerce(0.0, v, f"mix.{k}") for k, v in mix.items()}
    if "rules" in doc:
        changes["rules"] = rules_with(_table(doc["rules"], "rules"), base.rules)
    for name, arch in archetypes.items():
        for f in ("present", "checkin"):
            if not 0 <= getattr(arch, f) <= 1:
                raise ConfigError(f"archetypes.{name}.{f}: a chance between 0 and 1")
        if arch.session_minutes <= 0 or min(arch.messages, arch.plays, arch.robs, arch.slots,
                                            arch.blackjack, arch.flips, arch.lottery) < 0:
            raise ConfigError(f"archetypes.{name}: counts are not negative, sessions positive")
        for f in ("slots_bet", "blackjack_bet", "flip_bet"):
            if not 0 < getattr(arch, f) <= 1:
                raise ConfigError(f"archetypes.{name}.{f}: a share of wealth in (0, 1]")
    return dataclasses.replace(base, **changes)


def load_config(text: str, base: SimConfig | None = None) -> SimConfig:
    """A ``SimConfig`` from TOML text; a ``ConfigError`` for bad TOML or an unknown key."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}") from None
    return config_from(doc, base)


# --- the simulated world -----------------------------------------------------------------


class Player:
    __slots__ = ("index", "kind", "arch", "wealth", "xp", "level", "tier", "streak",
                 "last_checkin", "last_chat", "jailed_until", "robbed", "titles")

    def __init__(self, index: int, kind: str, arch: Archetype, wealth: int) -> None:
        self.index = index
        self.kind = kind
        self.arch = arch
        self.wealth = wealth
        self.xp = 0
        self.level = 1
        self.tier = Tier.PUNK
        self.streak = 0
        self.last_checkin: date | None = None
        self.last_chat: datetime | None = None
        self.jailed_until = -1  # seconds since the start
        self.robbed: dict[int, int] = {}  # target index → when (seconds since the start)
        self.titles: set[str] = set()


class Ledger:
    """One window's aggregates, as the handler's SQL would give them."""

    def __init__(self) -> None:
        self.flows: dict[str, list[int]] = {}
        self.games: dict[str, list[int]] = {g: [0, 0, 0] for g in (SLOTS, BLACKJACK,
                                                                      COINFLIP, LOTTERY)}
        self.active: set[int] = set()

    def record(self, player: Player, event_type: str, delta: int) -> None:
        """One ledger row (a row of 0 still makes its player active)."""
        self.active.add(player.index)
        player.wealth += delta
        if delta:
            flow = self.flows.get(event_type)
            if flow is None:
                flow = self.flows[event_type] = [0, 0]
            flow[0 if delta > 0 else 1] += delta

    def game(self, name: str, wagered: int, paid: int, rounds: int = 1) -> None:
        totals = self.games[name]
        totals[0] += wagered
        totals[1] += paid
        totals[2] += rounds

    def totals(self) -> LedgerTotals:
        return LedgerTotals({k: Flow(p, n) for k, (p, n) in self.flows.items()})

    def game_totals(self) -> dict[str, GameTotals]:
        return {k: GameTotals(w, p, r) for k, (w, p, r) in self.games.items() if w or p or r}


@dataclass(frozen=True)
class DayResult:
    day: int  # from 1
    report: EconomyReport
    supply_before: int
    tiers: tuple[Tier, ...] = ()  # every player's tier at the day's end, highest first

    @property
    def per_player(self) -> Decimal:
        return Decimal(self.report.net_change) / Decimal(max(1, self.report.players))


def blackjack_rtp(rules: Rules) -> Decimal:
    """Blackjack's designed return with basic strategy: the shipped constant for the shipped
    3:2, else computed exactly for the configured payout (a few seconds)."""
    if rules.blackjack_payout == DEFAULT_RULES.blackjack_payout:
        return blackjack.designed_rtp()
    exact = blackjack.exact_rtp(blackjack.basic_strategy, rules)
    return Decimal(exact.numerator) / Decimal(exact.denominator)


def _count(mean: float, rng: random.Random) -> int:
    """floor(mean), plus one with the fraction's chance: on average ``mean``."""
    whole = math.floor(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


def population(config: SimConfig, rng: random.Random) -> list[Player]:
    """``config.players`` players split by the mix (largest remainders), in shuffled order."""
    total = sum(config.mix.values())
    exact = {k: config.players * v / total for k, v in config.mix.items()}
    counts = {k: math.floor(v) for k, v in exact.items()}
    by_remainder = sorted(exact, key=lambda k: (-(exact[k] - counts[k]), k))
    for k in by_remainder[:config.players - sum(counts.values())]:
        counts[k] += 1
    kinds = [k for k, n in counts.items() for _ in range(n)]
    rng.shuffle(kinds)
    return [Player(i, k, config.archetypes[k], config.start_wealth)
            for i, k in enumerate(kinds)]


class World:
    """The state of one simulation; ``day()`` runs the next day and returns its report."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.rules = config.rules
        self.rng = random.Random(config.seed)
        self.cat: Catalogue = catalogue()
        self.players = population(config, self.rng)
        self.jackpot = self.rules.jackpot_seed
        self.lottery_pool = 0
        self.tickets: list[tuple[int, tuple[int, ...]]] = []
        self.tickets_held: dict[int, int] = {}
        self.today = 0
        self.blackjack_rtp = blackjack_rtp(self.rules)

    # --- helpers -------------------------------------------------------------------------

    def _gain_xp(self, p: Player, xp: int) -> None:
        if xp:
            p.xp += xp
            level = level_for_xp(p.xp, self.rules)
            if level != p.level:
                p.level = level
                p.tier = self.rules.tier_for_level(level)

    def _open(self, p: Player, crate: ItemTier, ledger: Ledger) -> None:
        loot = open_crate(crate, self.rng, frozenset(p.titles), self.cat)
        if loot.title_key is not None:
            p.titles.add(loot.title_key)
        if loot.wealth:
            ledger.record(p, "crate", loot.wealth)

    def _bet(self, p: Player, share: Decimal, minimum: int | None = None) -> int | None:
        low = self.rules.gamble_min_bet if minimum is None else minimum
        amount = min(max(floor_share(p.wealth, share), low), max_bet(p.tier, self.rules))
        try:
            return parse_bet(str(amount), p.wealth, p.tier, self.rules,
                             usage="usage: !bet <amount>", minimum=minimum)
        except GameError:  # too poor for the minimum: no bet
            return None

    # --- actions -------------------------------------------------------------------------

    def _play(self, p: Player, t: int, ledger: Ledger) -> None:
        out = resolve_play(p.tier, p.wealth, self.rng, self.rules, cat=self.cat)
        ledger.record(p, "play", out.wealth_delta)
        self._gain_xp(p, out.xp_delta)
        if out.kind == "busted":
            p.jailed_until = t + self.rules.jail_minutes * 60
        if out.crate is not None:
            self._open(p, out.crate, ledger)

    def _rob(self, p: Player, t: int, ledger: Ledger) -> None:
        rng, players = self.rng, self.players
        window = self.rules.rob_target_cooldown_s
        target: Player | None = None
        for _ in range(3):
            c = players[rng.randrange(len(players))]
            if c is p or c.wealth <= 0 or t - p.robbed.get(c.index, -window) < window:
                continue
            if target is None or c.wealth > target.wealth:
                target = c
        if target is None:
            return
        out = resolve_rob(p.level, target.level, target.wealth, rng, self.rules)
        p.robbed[target.index] = t
        self._gain_xp(p, out.xp_delta)
        if out.success and out.gained:
            ledger.record(p, "rob", out.gained)
            ledger.record(target, "robbed", -out.gained)
        else:
            ledger.record(p, "rob", 0)

    def _slots(self, p: Player, ledger: Ledger) -> None:
        bet = self._bet(p, p.arch.slots_bet)
        if bet is None:
            return
        ledger.record(p, "slots_wager", -bet)
        self.jackpot += slots.jackpot_cut(bet, self.rules)
        result = slots.score(slots.spin(self.rng), bet)
        paid = result.payout
        if result.payout:
            ledger.record(p, "slots_payout", result.payout)
        if result.jackpot:
            paid += self.jackpot
            ledger.record(p, "slots_jackpot", self.jackpot)
            self.jackpot = self.rules.jackpot_seed
        ledger.game(SLOTS, bet, paid)

    def _blackjack(self, p: Player, ledger: Ledger) -> None:
        bet = self._bet(p, p.arch.blackjack_bet)
        if bet is None:
            return
        ledger.record(p, "blackjack_wager", -bet)
        hand = blackjack.deal(bet, self.rng, self.rules)
        while hand.status == "open":
            move = blackjack.basic_strategy(hand.player, hand.up_card)
            if move == "double" and hand.can_double and p.wealth >= hand.bet:
                ledger.record(p, "blackjack_wager", -hand.bet)  # the extra bet
                hand = blackjack.double(hand, self.rules)
            elif move == "stand":
                hand = blackjack.stand(hand, self.rules)
            else:  # hit, or a double the player cannot afford
                hand = blackjack.hit(hand, self.rules)
        if hand.payout:
            ledger.record(p, "blackjack_payout", hand.payout)
        ledger.game(BLACKJACK, hand.stake, hand.payout)

    def _flip(self, p: Player, present: Sequence[Player], ledger: Ledger) -> None:
        bet = self._bet(p, p.arch.flip_bet, self.rules.flip_min_bet)
        if bet is None:
            return
        ledger.record(p, "flip_stake", -bet)
        acceptor: Player | None = None
        for _ in range(3):  # someone in chat today who flips and can match the stake
            c = present[self.rng.randrange(len(present))]
            if c is not p and c.arch.flips > 0 and c.wealth >= bet:
                acceptor = c
                break
        if acceptor is None:  # nobody accepted: the flip expires with a refund
            ledger.record(p, "flip_refund", bet)
            return
        ledger.record(acceptor, "flip_stake", -bet)
        side = coinflip.SIDES[self.rng.randrange(2)]
        won = coinflip.winner(side, coinflip.toss(self.rng))
        ledger.record(p if won == "challenger" else acceptor, "flip_payout", coinflip.prize(bet))
        ledger.game(COINFLIP, 2 * bet, coinflip.prize(bet))

    def _ticket(self, p: Player, ledger: Ledger) -> None:
        price = self.rules.lottery_ticket_price
        held = self.tickets_held.get(p.index, 0)
        if held >= self.rules.lottery_max_tickets or p.wealth < price:
            return
        self.tickets_held[p.index] = held + 1
        ledger.record(p, "lottery_ticket", -price)
        self.lottery_pool += lottery.pool_cut(price, self.rules)
        self.tickets.append((p.index, lottery.draw(self.rng, self.rules)))  # a quick pick
        ledger.game(LOTTERY, price, 0)

    def _draw(self, ledger: Ledger) -> None:
        drawn = lottery.draw(self.rng, self.rules)
        settled = lottery.settle(self.lottery_pool, self.tickets, drawn, self.rules)
        paid = 0
        for index, amount in settled.payouts.items():
            ledger.record(self.players[index], "lottery_payout", amount)
            paid += amount
        self.lottery_pool = settled.rollover
        self.tickets, self.tickets_held = [], {}
        ledger.game(LOTTERY, 0, paid, 0)

    # --- a session -----------------------------------------------------------------------

    def _session(self, p: Player, present: Sequence[Player], ledger: Ledger) -> None:
        rng, rules, arch = self.rng, self.rules, p.arch
        length = arch.session_minutes * 60
        day_start = self.today * DAY_S
        start = day_start + rng.randrange(max(1, DAY_S - length))
        end = start + length
        events: list[tuple[int, int]] = []
        for kind, mean, spacing in (
            (CHAT, arch.messages, 0), (PLAY, arch.plays, rules.play_cooldown_s),
            (ROB, arch.robs, rules.rob_cooldown_s), (SLOT, arch.slots, 0),
            (HAND, arch.blackjack, 0), (FLIP, arch.flips, 0), (TICKET, arch.lottery, 0),
        ):
            times = sorted(rng.randrange(start, end) for _ in range(_count(mean, rng)))
            last = -spacing
            for at in times:
                at = max(at, last + spacing)  # the cooldown pushes the next one back
                last = at
                events.append((at, kind))
        events.sort()
        if rng.random() < arch.checkin:
            self._checkin(p, start, ledger)
        for at, kind in events:
            if kind == CHAT:
                when = START + timedelta(seconds=at)
                reward = chat_reward(p.last_chat, when, rng, rules)
                if reward is not None:
                    p.last_chat = when
                    ledger.record(p, "chat", reward.wealth)
                    self._gain_xp(p, reward.xp)
                continue
            if at < p.jailed_until:
                if not arch.bails:
                    continue  # waits the jail out
                cost = bail_cost(p.wealth, p.tier, rules)
                if cost > p.wealth:
                    continue
                ledger.record(p, "bail", -cost)
                p.jailed_until = -1
            if kind == PLAY:
                self._play(p, at, ledger)
            elif kind == ROB:
                self._rob(p, at, ledger)
            elif kind == SLOT:
                self._slots(p, ledger)
            elif kind == HAND:
                self._blackjack(p, ledger)
            elif kind == FLIP:
                self._flip(p, present, ledger)
            else:
                self._ticket(p, ledger)

    def _checkin(self, p: Player, at: int, ledger: Ledger) -> None:
        out = resolve_checkin(p.last_checkin, p.streak, START + timedelta(seconds=at),
                              self.rules)
        p.last_checkin = (START + timedelta(seconds=at)).date()
        p.streak = out.streak
        ledger.record(p, "checkin", out.wealth_delta)
        self._gain_xp(p, out.xp_delta)
        if out.crate is not None:
            self._open(p, out.crate, ledger)

    def day(self) -> DayResult:
        """Run the next day and return its report."""
        rng = self.rng
        supply_before = sum(p.wealth for p in self.players)
        ledger = Ledger()
        present = [p for p in self.players if rng.random() < p.arch.present]
        order = list(present)
        rng.shuffle(order)
        for p in order:
            self._session(p, present, ledger)
        self._draw(ledger)  # 00:00 UTC: the day's lottery draw
        self.today += 1
        games = ledger.game_totals()
        slot_totals = games.get(SLOTS)
        average_bet = (slot_totals.wagered // slot_totals.rounds if slot_totals
                       else self.rules.gamble_min_bet)
        designed = {
            SLOTS: slots.designed_rtp(self.jackpot, max(1, average_bet)),
            BLACKJACK: self.blackjack_rtp,
            COINFLIP: coinflip.designed_rtp(),
            LOTTERY: lottery.designed_rtp(self.rules),
        }
        report = build_report(
            ledger.totals(), wealth=[p.wealth for p in self.players],
            active_players=len(ledger.active), games=games, designed=designed,
            jackpot_pool=self.jackpot, lottery_pool=self.lottery_pool,
            window=f"day {self.today}",
        )
        tiers = tuple(sorted((p.tier for p in self.players), reverse=True))
        return DayResult(self.today, report, supply_before, tiers)


def run(config: SimConfig) -> Iterator[DayResult]:
    """Each simulated day's result, as it is computed."""
    world = World(config)
    for _ in range(config.days):
        yield world.day()


def simulate(config: SimConfig) -> list[DayResult]:
    return list(run(config))


# --- the final table ---------------------------------------------------------------------

TABLE_HEADER = ("day", "active", "supply", "net change", "per player", "growth", "Gini",
                "top 1%")


def table_rows(days: Sequence[DayResult]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for d in days:
        r = d.report
        rows.append((str(d.day), f"{r.active_players:,}", money(r.supply),
                     signed_money(r.net_change),
                     signed_money(int(d.per_player.to_integral_value())),
                     percent(r.growth, signed=True), ratio(r.gini), percent(r.top_share)))
    return rows


def final_table(days: Sequence[DayResult]) -> str:
    """The days as an aligned text table (day, supply, per-player net change, Gini, top 1%)."""
    rows = [TABLE_HEADER, *table_rows(days)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(TABLE_HEADER))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary(days: Sequence[DayResult]) -> str:
    """What the run says: supply growth, the Gini trend, the biggest source and sink."""
    if not days:
        return "no days simulated"
    first, last = days[0], days[-1]
    created: dict[str, int] = {}
    destroyed: dict[str, int] = {}
    for d in days:
        for s in d.report.created:
            created[s.label] = created.get(s.label, 0) + s.amount
        for s in d.report.destroyed:
            destroyed[s.label] = destroyed.get(s.label, 0) + s.amount
    made, gone = sum(created.values()), sum(destroyed.values())
    later = days[len(days) // 2:]
    growth = [d.report.growth for d in later if d.report.growth is not None]
    average = sum(growth, Decimal(0)) / len(growth) if growth else None
    parts = [
        f"{len(days)} days: supply {money(first.supply_before)} → {money(last.report.supply)}"
        f" ({signed_money(last.report.supply - first.supply_before)});"
        f" growth per day over the last {len(later)} day{'s' if len(later) > 1 else ''}"
        f" {percent(average, 2, signed=True)}",
        f"Gini {ratio(first.report.gini)} → {ratio(last.report.gini)},"
        f" top 1% {percent(first.report.top_share)} → {percent(last.report.top_share)}",
    ]
    tiers: dict[str, int] = {}
    for tier in last.tiers:
        tiers[tier.title] = tiers.get(tier.title, 0) + 1
    parts.append("tiers at the end: " + ", ".join(
        f"{name} {count:,}" for name, count in tiers.items()))
    if made:
        top = max(created, key=lambda k: created[k])
        parts.append(f"created {money(made)}, most by {top}"
                     f" ({percent(Decimal(created[top]) / made)})")
    if gone:
        sink = max(destroyed, key=lambda k: destroyed[k])
        parts.append(f"destroyed {money(gone)} ({percent(Decimal(gone) / made) if made else '—'}"
                     f" of created), most by {sink} ({percent(Decimal(destroyed[sink]) / gone)})")
    return "; ".join(parts)


__all__ = [
    "ARCHETYPES", "DEFAULT_MIX", "Archetype", "ConfigError", "DayResult", "SimConfig",
    "World", "config_from", "final_table", "load_config", "rules_with", "run", "simulate",
    "summary", "table_rows",
]
