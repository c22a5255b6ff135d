"""The lottery (GAME.md "Gambling"): 3 different numbers from 1 to 20, 90% of ticket money
is the pool, 3/2/1 matches share 70/20/10% of it, an unwon share rolls over; no prize is
created from nothing. Long-run return 0.90 per unit of ticket money (house edge 0.10)."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from game.errors import UsageError
from game.gambling import lottery
from game.rules import DEFAULT_RULES, floor_share

USAGE = "usage: !lottery <n1> <n2> <n3> — three different numbers from 1 to 20"
picks = st.lists(st.integers(1, 20), min_size=3, max_size=3, unique=True).map(
    lambda n: tuple(sorted(n)))


def test_the_usage_line() -> None:
    assert lottery.usage() == USAGE
    assert lottery.usage(replace(DEFAULT_RULES, lottery_picks=2, lottery_numbers=(1, 9))) == (
        "usage: !lottery <n1> <n2> — two different numbers from 1 to 9")


def test_parse_ticket_sorts() -> None:
    assert lottery.parse_ticket(("17", "3", "9")) == (3, 9, 17)
    assert lottery.parse_ticket(("1", "20", "02")) == (1, 2, 20)


@pytest.mark.parametrize("args", [
    (), ("1", "2"), ("1", "2", "3", "4"), ("1", "1", "2"), ("0", "5", "6"), ("1", "2", "21"),
    ("-1", "2", "3"), ("1.0", "2", "3"), ("٣", "4", "5"), ("a", "b", "c"), ("1,2,3",),
    ("1", "2", "3" * 30),
])
def test_a_bad_ticket_gets_the_usage(args: tuple[str, ...]) -> None:
    with pytest.raises(UsageError) as info:
        lottery.parse_ticket(args)
    assert info.value.message == USAGE


@given(st.lists(st.text(max_size=4), max_size=5))
def test_parse_ticket_never_crashes(args: list[str]) -> None:
    try:
        ticket = lottery.parse_ticket(tuple(args))
    except UsageError:
        return
    assert len(ticket) == 3 and len(set(ticket)) == 3 and list(ticket) == sorted(ticket)
    assert all(1 <= n <= 20 for n in ticket)


def test_pool_cut_and_designed_rtp() -> None:
    assert lottery.pool_cut(1_000) == 900
    assert lottery.pool_cut(1_001) == 900  # floor(900.9)
    assert lottery.designed_rtp() == Decimal("0.90")
    assert lottery.prize_matches() == (3, 2, 1)


def test_match_odds_by_hand() -> None:
    # C(20,3) = 1140 tickets; 3 hits: 1; 2 hits: C(3,2)·17 = 51; 1 hit: 3·C(17,2) = 408;
    # none: C(17,3) = 680
    assert lottery.match_odds() == {3: Fraction(1, 1140), 2: Fraction(51, 1140),
                                    1: Fraction(408, 1140), 0: Fraction(680, 1140)}


class FixedRng:
    """randint always returns its lowest value: the partial shuffle keeps the order."""

    def randint(self, a: int, b: int) -> int:
        return a

    def random(self) -> float:
        raise AssertionError("an exact integer draw")

    def uniform(self, a: float, b: float) -> float:
        raise AssertionError("an exact integer draw")

    def choice(self, seq: tuple[str, ...]) -> str:
        raise AssertionError("an exact integer draw")


def test_draw_is_three_different_numbers_uniformly() -> None:
    assert lottery.draw(FixedRng()) == (1, 2, 3)
    rng = random.Random(99)
    draws = [lottery.draw(rng) for _ in range(30_000)]
    assert all(len(d) == 3 and len(set(d)) == 3 and list(d) == sorted(d)
               and all(1 <= n <= 20 for n in d) for d in draws)
    seen = Counter(n for d in draws for n in d)
    assert set(seen) == set(range(1, 21))
    for n in range(1, 21):
        assert abs(seen[n] / len(draws) - 3 / 20) <= 0.01  # sd ≈ 0.002
    # a fixed ticket's matches follow the hypergeometric odds
    hits = Counter(lottery.matches((4, 11, 19), d) for d in draws)
    for m, p in lottery.match_odds().items():
        assert abs(hits[m] / len(draws) - float(p)) <= 0.01


def test_matches() -> None:
    assert lottery.matches((1, 2, 3), (1, 2, 3)) == 3
    assert lottery.matches((1, 2, 3), (3, 9, 1)) == 2
    assert lottery.matches((1, 2, 3), (4, 5, 6)) == 0


def test_a_worked_draw() -> None:
    """Pool $10,001, drawn 3 7 15. Shares: floor(7,000.7) = 7,000 for 3 hits (nobody: it
    rolls over whole), floor(2,000.2) = 2,000 for 2 hits (three tickets: $666 each, $2
    stays), floor(1,000.1) = 1,000 for 1 hit (two tickets: $500 each). Paid 1,998 + 1,000;
    rollover 10,001 − 2,998 = 7,003 (7,000 + 2 + the shares' floors, 1)."""
    tickets = [("alice", (3, 7, 20)), ("bob", (3, 15, 1)), ("carol", (7, 15, 2)),
               ("alice", (15, 4, 5)), ("dave", (3, 4, 5)), ("erin", (1, 2, 4))]
    settled = lottery.settle(10_001, tickets, (3, 7, 15))
    assert settled.payouts == {"alice": 666 + 500, "bob": 666, "carol": 666, "dave": 500}
    assert settled.rollover == 7_003
    assert settled.by_matches == {3: 0, 2: 3, 1: 2}
    assert settled.prize_each == {3: 0, 2: 666, 1: 500}
    jackpot = lottery.settle(10_001, [("zoe", (3, 7, 15))] + tickets, (3, 7, 15))
    assert jackpot.payouts["zoe"] == 7_000 and jackpot.rollover == 3


def test_an_empty_draw_rolls_everything_over() -> None:
    settled: lottery.Settlement[str] = lottery.settle(123_456, [], (1, 2, 3))
    assert (settled.payouts, settled.rollover) == ({}, 123_456)
    assert lottery.settle(0, [("a", (1, 2, 3))], (1, 2, 3)).payouts == {}


def test_prize_shares_that_add_up_to_more_than_the_pool_are_refused() -> None:
    rules = replace(DEFAULT_RULES, lottery_prize_shares=(Decimal("0.8"), Decimal("0.3")))
    with pytest.raises(ValueError):
        lottery.settle(1_000, [], (1, 2, 3), rules)


@given(st.integers(0, 10**13),
       st.lists(st.tuples(st.integers(0, 8), picks), max_size=60), picks)
@example(1, [(0, (1, 2, 3))], (1, 2, 3))
@example(99, [(i, (1, 2, 3)) for i in range(40)], (1, 2, 3))
def test_settle_never_pays_more_than_the_pool(pool: int, tickets: list[tuple[int, tuple[int, ...]]],
                                             drawn: tuple[int, ...]) -> None:
    settled = lottery.settle(pool, tickets, drawn)
    assert sum(settled.payouts.values()) + settled.rollover == pool
    assert all(amount > 0 for amount in settled.payouts.values())
    assert settled.rollover >= 0
    # the model: each share floors, then splits equally among its tickets (floor)
    expected: Counter[int] = Counter()
    unwon = pool - sum(floor_share(pool, s) for s in DEFAULT_RULES.lottery_prize_shares)
    for hits, share in zip((3, 2, 1), DEFAULT_RULES.lottery_prize_shares, strict=True):
        owners = [k for k, t in tickets if lottery.matches(t, drawn) == hits]
        amount = floor_share(pool, share)
        assert settled.by_matches[hits] == len(owners)
        if not owners:
            assert settled.prize_each[hits] == 0  # a share nobody wins rolls over whole
            unwon += amount
            continue
        each = amount // len(owners)
        assert settled.prize_each[hits] == each
        unwon += amount - each * len(owners)
        for k in owners:
            expected[k] += each
    assert settled.payouts == {k: v for k, v in expected.items() if v > 0}
    assert settled.rollover == unwon
