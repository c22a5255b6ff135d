"""The slot machine (GAME.md "Gambling"; the symbols are content: game/content/slots.toml).

Three independent reels, each drawing a symbol by weight (an exact integer draw,
``crates.weighted_choice``). Three of a kind pays ``three`` × the bet, except the jackpot
symbol's line, which wins the jackpot pool instead (the caller pays the pool and reseeds it);
exactly two equal reels (any positions, the third different) pay that symbol's ``two`` × the
bet. Every wager feeds ``jackpot_cut`` into the pool. Payouts are floors of exact Decimal
products (``floor_share``); the designed return is an exact rational from the weights.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from game.crates import weighted_choice
from game.rules import DEFAULT_RULES, Rules, floor_share

if TYPE_CHECKING:
    from game.actions import Rng

Reels = tuple[str, str, str]
SlotKind = Literal["jackpot", "three", "two", "none"]
ZERO = Decimal(0)


@dataclass(frozen=True)
class Symbol:
    symbol: str
    weight: int
    three: Decimal | None  # None for the jackpot symbol: its line wins the pool
    two: Decimal
    jackpot: bool = False


@dataclass(frozen=True)
class SlotResult:
    reels: Reels
    kind: SlotKind
    multiplier: Decimal  # of the bet; 0 for "jackpot" (the pool is paid) and "none"
    payout: int          # floor(bet × multiplier); 0 for a jackpot: the caller pays the pool
    jackpot: bool


def _decimal(value: Any, what: str) -> Decimal:
    if not isinstance(value, str):  # a TOML float would not be exact
        raise ValueError(f"{what}: multipliers are strings (exact Decimals), not {value!r}")
    number = Decimal(value)
    if not number.is_finite() or number < 0:
        raise ValueError(f"{what}: {value!r} is not a non-negative multiplier")
    return number


def _exact(value: Fraction) -> Decimal:
    """A rational as a Decimal: exact when its denominator has only the factors 2 and 5 (the
    shipped weights total 100), else rounded to 60 significant digits."""
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(value.numerator) / Decimal(value.denominator)


@dataclass(frozen=True)
class SlotMachine:
    symbols: tuple[Symbol, ...]
    by_symbol: dict[str, Symbol] = field(init=False, repr=False, compare=False)
    weights: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.symbols:
            raise ValueError("slots: at least one symbol")
        keys = [s.symbol for s in self.symbols]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"slots: duplicate symbol {', '.join(dupes)}")
        for s in self.symbols:
            if not s.symbol:
                raise ValueError("slots: a symbol is not empty")
            if isinstance(s.weight, bool) or not isinstance(s.weight, int) or s.weight <= 0:
                raise ValueError(f"slots: {s.symbol} weight {s.weight!r} is not positive")
            if s.jackpot != (s.three is None):
                raise ValueError(f"slots: {s.symbol}: the jackpot symbol and only it has no "
                                 "three-of-a-kind multiplier")
        jackpots = [s.symbol for s in self.symbols if s.jackpot]
        if len(jackpots) != 1:
            raise ValueError(f"slots: exactly one jackpot symbol, not {len(jackpots)}")
        object.__setattr__(self, "by_symbol", {s.symbol: s for s in self.symbols})
        object.__setattr__(self, "weights", {s.symbol: s.weight for s in self.symbols})

    @property
    def jackpot_symbol(self) -> str:
        return next(s.symbol for s in self.symbols if s.jackpot)

    @property
    def total_weight(self) -> int:
        return sum(self.weights.values())

    def spin(self, rng: Rng) -> Reels:
        return (weighted_choice(self.weights, rng), weighted_choice(self.weights, rng),
                weighted_choice(self.weights, rng))

    def score(self, reels: Reels, bet: int) -> SlotResult:
        """What ``reels`` pay on ``bet`` (a jackpot line pays the pool: payout 0 here)."""
        if len(reels) != 3 or any(r not in self.by_symbol for r in reels):
            raise ValueError(f"not three symbols of this machine: {reels!r}")
        if bet < 0:
            raise ValueError("a bet is not negative")
        (top, count), = Counter(reels).most_common(1)
        symbol = self.by_symbol[top]
        if count == 3 and symbol.three is None:
            return SlotResult(reels, "jackpot", ZERO, 0, True)
        if count == 3:
            assert symbol.three is not None
            return SlotResult(reels, "three", symbol.three,
                              floor_share(bet, symbol.three), False)
        if count == 2:
            return SlotResult(reels, "two", symbol.two, floor_share(bet, symbol.two), False)
        return SlotResult(reels, "none", ZERO, 0, False)

    # --- the designed return ---------------------------------------------------------------

    def _p(self, symbol: Symbol) -> Fraction:
        return Fraction(symbol.weight, self.total_weight)

    def jackpot_fraction(self) -> Fraction:
        return self._p(self.by_symbol[self.jackpot_symbol]) ** 3

    def rtp_ex_jackpot_fraction(self) -> Fraction:
        """Σ P(three of s) × three_s + Σ P(exactly two of s) × two_s, exactly, where
        P(three) = p³ and P(exactly two) = 3 p² (1 − p). The jackpot line is left out."""
        total = Fraction(0)
        for s in self.symbols:
            p = self._p(s)
            if s.three is not None:
                total += p ** 3 * Fraction(s.three)
            total += 3 * p ** 2 * (1 - p) * Fraction(s.two)
        return total

    def rtp_fraction(self, pool: int, bet: int) -> Fraction:
        if bet <= 0:
            raise ValueError("the bet is positive")
        return self.rtp_ex_jackpot_fraction() + self.jackpot_fraction() * Fraction(pool, bet)


def build(doc: Mapping[str, Any]) -> SlotMachine:
    """The machine from a parsed slots.toml (exposed so tests can feed broken ones)."""
    symbols = []
    for raw in doc["symbol"]:
        name = raw["symbol"]
        jackpot = raw.get("jackpot", False)
        if not isinstance(jackpot, bool):
            raise ValueError(f"slots: {name}: jackpot is true or false")
        three = raw.get("three")
        symbols.append(Symbol(
            symbol=name, weight=raw["weight"],
            three=None if three is None else _decimal(three, f"slots {name} three"),
            two=_decimal(raw["two"], f"slots {name} two"), jackpot=jackpot,
        ))
    return SlotMachine(tuple(symbols))


@cache
def machine() -> SlotMachine:
    text = resources.files("game.content").joinpath("slots.toml").read_text(encoding="utf-8")
    return build(tomllib.loads(text))


# --- the shipped machine ---------------------------------------------------------------------


def spin(rng: Rng) -> Reels:
    """Three independent reels, each an exact weighted draw."""
    return machine().spin(rng)


def score(reels: Reels, bet: int) -> SlotResult:
    return machine().score(reels, bet)


def jackpot_cut(bet: int, rules: Rules = DEFAULT_RULES) -> int:
    """What each wager adds to the jackpot pool: floor(bet × jackpot_share)."""
    return floor_share(bet, rules.jackpot_share)


def jackpot_chance() -> Decimal:
    """P(the jackpot line) per spin: (jackpot weight / total weight)³ = 1e-6 as shipped."""
    return _exact(machine().jackpot_fraction())


def rtp_ex_jackpot() -> Decimal:
    """The expected return per unit bet from the paying lines, the jackpot left out."""
    return _exact(machine().rtp_ex_jackpot_fraction())


def designed_rtp(pool: int, bet: int) -> Decimal:
    """The exact expected return per unit ``bet`` with the jackpot pool at ``pool``:
    ``rtp_ex_jackpot() + jackpot_chance() × pool / bet`` (before payout floors)."""
    return _exact(machine().rtp_fraction(pool, bet))


def house_edge_ex_jackpot() -> Decimal:
    """1 − rtp_ex_jackpot(): what the house keeps per unit bet, before the jackpot pays."""
    return _exact(1 - machine().rtp_ex_jackpot_fraction())
