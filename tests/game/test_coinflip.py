"""Coinflip duels (GAME.md "Gambling"): a fair toss, the acceptor takes the other side, the
winner takes both stakes. Designed return 1 (house edge 0)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.errors import UsageError
from game.gambling import coinflip

TOSSES = 1_000_000
TOLERANCE = 0.002  # on the heads share: sd at 10⁶ tosses is 0.0005, so 4 sd


@pytest.mark.parametrize(("arg", "side"), [
    ("heads", "heads"), ("HEADS", "heads"), (" head ", "heads"), ("h", "heads"),
    ("tails", "tails"), ("Tail", "tails"), ("t", "tails"), (None, None), ("", None),
])
def test_parse_side(arg: str | None, side: str | None) -> None:
    assert coinflip.parse_side(arg) == side


@pytest.mark.parametrize("arg", ["edge", "hed", "heads!", "ｈｅａｄｓ", "1", "🪙", "headstails"])
def test_any_other_side_gets_the_usage(arg: str) -> None:
    with pytest.raises(UsageError, match=r"^usage: !flip <bet> \[heads\|tails\] — "):
        coinflip.parse_side(arg)


@given(st.text(max_size=12))
def test_parse_side_never_crashes(text: str) -> None:
    try:
        assert coinflip.parse_side(text) in {"heads", "tails", None}
    except UsageError:
        pass


def test_the_acceptor_takes_the_other_side_and_the_toss_decides() -> None:
    assert coinflip.other("heads") == "tails" and coinflip.other("tails") == "heads"
    assert coinflip.winner("heads", "heads") == "challenger"
    assert coinflip.winner("heads", "tails") == "acceptor"
    assert coinflip.winner("tails", "tails") == "challenger"
    assert coinflip.winner("tails", "heads") == "acceptor"
    assert coinflip.prize(500) == 1_000
    assert coinflip.designed_rtp() == Decimal(1)


@dataclass
class FixedRng:
    value: int

    def randint(self, a: int, b: int) -> int:
        assert (a, b) == (1, 2)
        return self.value

    def random(self) -> float:
        raise AssertionError("an exact integer draw")

    def uniform(self, a: float, b: float) -> float:
        raise AssertionError("an exact integer draw")

    def choice(self, seq: tuple[str, ...]) -> str:
        raise AssertionError("an exact integer draw")


def test_a_toss_is_an_exact_integer_draw() -> None:
    assert coinflip.toss(FixedRng(1)) == "heads"
    assert coinflip.toss(FixedRng(2)) == "tails"


def test_a_million_tosses_are_fair_and_return_the_stakes() -> None:
    rng = random.Random(424242)
    heads = sum(coinflip.toss(rng) == "heads" for _ in range(TOSSES))
    assert abs(heads / TOSSES - 0.5) <= TOLERANCE, heads
    # a challenger on heads staking 1 each time: paid 2 per win, so the return is 2 × share
    measured_rtp = coinflip.prize(1) * heads / TOSSES
    assert abs(measured_rtp - float(coinflip.designed_rtp())) <= 2 * TOLERANCE
