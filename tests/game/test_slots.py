"""The slot machine (GAME.md "Gambling"; symbols in game/content/slots.toml).

Designed return, exact from the weights (total 100, p = w / 100), the jackpot left out:
  three of a kind  Σ p³ × three   = (30³·2 + 25³·3 + 20³·4 + 15³·6 + 7³·15 + 2³·50) / 100³
                                  = 158,670 / 1,000,000
  exactly two      Σ 3p²(1−p) × two
                   = 3·(30²·70·0.5 + 25²·75·0.5 + 20²·80·1 + 15²·85·1.5 + 7²·93·3 + 2²·98·5
                        + 1²·99·2) / 100³ = 394,362 / 1,000,000
  RTP ex jackpot = 0.553032, house edge ex jackpot = 0.446968.
The jackpot line 🎰🎰🎰 comes up with P = (1/100)³ = 1e-6 per spin and adds pool / bet × 1e-6
(a $10,000 pool on a $100 bet: +0.0001, RTP 0.553132).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from game.gambling import slots
from game.rules import DEFAULT_RULES

WEIGHTS = {"🍒": 30, "🍋": 25, "🍊": 20, "🍇": 15, "💎": 7, "7️⃣": 2, "🎰": 1}
THREE = {"🍒": 2, "🍋": 3, "🍊": 4, "🍇": 6, "💎": 15, "7️⃣": 50}
TWO: dict[str, Fraction] = {"🍒": Fraction(1, 2), "🍋": Fraction(1, 2), "🍊": Fraction(1),
                            "🍇": Fraction(3, 2), "💎": Fraction(3), "7️⃣": Fraction(5),
                            "🎰": Fraction(2)}
DESIGNED_RTP_EX_JACKPOT = Decimal("0.553032")
SPINS = 1_000_000
RTP_TOLERANCE = 0.004  # the payout's sd per unit bet is ≈ 0.87: ±0.004 is ≈ 4.6 sd at 10⁶
SHARE_TOLERANCE = 0.01  # on a reel's symbol share at 60,000 spins: ≥ 5 sd


def doc(**changes: Any) -> dict[str, Any]:
    symbols = [{"symbol": s, "weight": w, "two": str(Decimal(TWO[s].numerator)
                                                      / TWO[s].denominator)} | (
        {"three": str(THREE[s])} if s in THREE else {"jackpot": True})
        for s, w in WEIGHTS.items()]
    symbols[0] = {**symbols[0], **changes}
    return {"symbol": symbols}


def test_the_shipped_table() -> None:
    machine = slots.machine()
    assert machine.weights == WEIGHTS
    assert machine.jackpot_symbol == "🎰"
    assert {s.symbol: s.three for s in machine.symbols if s.three is not None} == {
        k: Decimal(v) for k, v in THREE.items()}
    assert {s.symbol: Fraction(s.two) for s in machine.symbols} == TWO
    assert slots.build(doc()) == machine


@pytest.mark.parametrize("changes", [
    {"weight": 0}, {"weight": -3}, {"weight": 1.5}, {"symbol": "🍋"}, {"jackpot": True},
    {"three": 2}, {"two": 0.5}, {"two": "-1"}, {"two": "NaN"}, {"jackpot": "yes"},
])
def test_a_broken_table_fails_at_load(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="slots"):
        slots.build(doc(**changes))


def test_exactly_one_jackpot_symbol() -> None:
    no_jackpot = doc()
    no_jackpot["symbol"][-1] = {"symbol": "🎰", "weight": 1, "two": "2", "three": "100"}
    with pytest.raises(ValueError, match="exactly one jackpot"):
        slots.build(no_jackpot)
    two_jackpots = doc(jackpot=True)
    del two_jackpots["symbol"][0]["three"]
    with pytest.raises(ValueError, match="exactly one jackpot"):
        slots.build(two_jackpots)


def test_score_three_two_none_and_jackpot() -> None:
    assert slots.score(("🍇", "🍇", "🍇"), 1_000) == slots.SlotResult(
        ("🍇", "🍇", "🍇"), "three", Decimal(6), 6_000, False)
    assert slots.score(("7️⃣", "7️⃣", "7️⃣"), 100).payout == 5_000
    for reels in [("💎", "💎", "🍒"), ("💎", "🍒", "💎"), ("🍒", "💎", "💎")]:
        result = slots.score(reels, 1_000)  # type: ignore[arg-type]
        assert (result.kind, result.multiplier, result.payout) == ("two", Decimal(3), 3_000)
    assert slots.score(("🍒", "🍒", "🍋"), 101).payout == 50  # floor(101 × 0.5)
    assert slots.score(("🍇", "🍇", "🍊"), 333).payout == 499  # floor(333 × 1.5)
    assert slots.score(("🎰", "🎰", "🍒"), 100).payout == 200  # two jackpot symbols: ×2
    none = slots.score(("🍒", "🍋", "🍊"), 1_000)
    assert (none.kind, none.payout, none.jackpot) == ("none", 0, False)
    jackpot = slots.score(("🎰", "🎰", "🎰"), 1_000)
    assert (jackpot.kind, jackpot.payout, jackpot.jackpot) == ("jackpot", 0, True)
    with pytest.raises(ValueError):
        slots.score(("🍒", "🍒", "🍌"), 100)  # type: ignore[arg-type]


def test_jackpot_cut() -> None:
    assert DEFAULT_RULES.jackpot_share == Decimal("0.02")
    assert [slots.jackpot_cut(b) for b in (100, 149, 150, 35_000, 99_999)] == [
        2, 2, 3, 700, 1_999]


def test_designed_rtp_is_the_closed_form() -> None:
    threes = Fraction(sum(WEIGHTS[s] ** 3 * m for s, m in THREE.items()), 100 ** 3)
    twos = Fraction(sum(3 * w ** 2 * (100 - w) * TWO[s] for s, w in WEIGHTS.items()), 100 ** 3)
    assert threes == Fraction(158_670, 10 ** 6)
    assert twos == Fraction(394_362, 10 ** 6)
    assert threes + twos == Fraction(DESIGNED_RTP_EX_JACKPOT)
    assert slots.rtp_ex_jackpot() == DESIGNED_RTP_EX_JACKPOT
    assert slots.designed_rtp(0, 100) == DESIGNED_RTP_EX_JACKPOT
    assert slots.house_edge_ex_jackpot() == Decimal("0.446968")
    assert slots.jackpot_chance() == Decimal("0.000001")
    assert slots.designed_rtp(10_000, 100) == Decimal("0.553132")
    assert slots.designed_rtp(DEFAULT_RULES.jackpot_seed, 10_000) == Decimal("0.553033")
    with pytest.raises(ValueError):
        slots.designed_rtp(10_000, 0)


def test_a_million_spins_return_the_designed_rtp() -> None:
    """10⁶ spins (an equivalent sampler: random.choices over the same weights, in chunks),
    each distinct line scored once by ``score``: the measured return ex jackpot is within
    ±0.004 of 0.553032, and the kinds come up as often as the weights say."""
    rng = random.Random(20240611)
    symbols, weights = list(WEIGHTS), list(WEIGHTS.values())
    lines: Counter[tuple[str, ...]] = Counter()
    chunk = 250_000
    for _ in range(SPINS // chunk):
        reels = rng.choices(symbols, weights, k=3 * chunk)
        lines.update(zip(reels[0::3], reels[1::3], reels[2::3], strict=True))
    bet = 100  # every multiplier × 100 is whole: no floor in the measure
    paid, kinds = 0, Counter[str]()
    for line, count in lines.items():
        result = slots.score(line, bet)  # type: ignore[arg-type]
        paid += result.payout * count
        kinds[result.kind] += count
    measured = paid / (SPINS * bet)
    assert abs(measured - float(DESIGNED_RTP_EX_JACKPOT)) <= RTP_TOLERANCE, measured
    p_three = sum((w / 100) ** 3 for s, w in WEIGHTS.items() if s != "🎰")
    p_two = sum(3 * (w / 100) ** 2 * (1 - w / 100) for w in WEIGHTS.values())
    assert abs(kinds["three"] / SPINS - p_three) <= 0.001
    assert abs(kinds["two"] / SPINS - p_two) <= 0.002
    assert kinds["jackpot"] <= 6  # expected 1 in 10⁶ spins


def test_spin_draws_three_independent_weighted_reels() -> None:
    rng = random.Random(7)
    spins = [slots.spin(rng) for _ in range(60_000)]
    for reel in range(3):
        counts = Counter(s[reel] for s in spins)
        for symbol, weight in WEIGHTS.items():
            assert abs(counts[symbol] / len(spins) - weight / 100) <= SHARE_TOLERANCE
    # independent reels: the first two agree as often as Σ p² says (0.2024)
    same = sum(a == b for a, b, _ in spins) / len(spins)
    assert abs(same - sum((w / 100) ** 2 for w in WEIGHTS.values())) <= SHARE_TOLERANCE


@dataclass
class FixedRng:
    """Returns ``value`` for every randint and records the range asked for."""
    value: int
    asked: list[tuple[int, int]]

    def randint(self, a: int, b: int) -> int:
        self.asked.append((a, b))
        return self.value

    def random(self) -> float:
        raise AssertionError("spin draws exact integers")

    def uniform(self, a: float, b: float) -> float:
        raise AssertionError("spin draws exact integers")

    def choice(self, seq: tuple[str, ...]) -> str:
        raise AssertionError("spin draws exact integers")


@pytest.mark.parametrize(("value", "symbol"), [(1, "🍒"), (30, "🍒"), (31, "🍋"),
                                                (97, "💎"), (98, "7️⃣"), (99, "7️⃣"), (100, "🎰")])
def test_spin_is_an_exact_integer_draw_per_reel(value: int, symbol: str) -> None:
    rng = FixedRng(value, [])
    assert slots.spin(rng) == (symbol, symbol, symbol)
    assert rng.asked == [(1, 100)] * 3
