"""The daily lottery (GAME.md "Gambling"): a ticket is ``lottery_picks`` different numbers in
``lottery_numbers``; ``pool_cut`` of each ticket's price feeds the pool (the rest leaves the
economy). A draw picks as many different numbers; tickets matching all of them share the
first prize share of the pool, one fewer the second, and so on (70/20/10% as shipped). Each
share is split equally among its winning tickets (floor); a share nobody wins, a share's
remainder and the floors of the shares themselves stay in the pool for the next draw. No
prize is created from nothing: the payouts and the rollover always add up to the pool.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Generic, TypeVar

from game.errors import UsageError
from game.rules import DEFAULT_RULES, Rules, floor_share

if TYPE_CHECKING:
    from game.actions import Rng

K = TypeVar("K", bound=Hashable)
Ticket = tuple[int, ...]
_NUMBER = re.compile(r"[0-9]{1,6}", re.ASCII)
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
          "ten")


def usage(rules: Rules = DEFAULT_RULES) -> str:
    """``usage: !lottery <n1> <n2> <n3> — three different numbers from 1 to 20``."""
    picks = rules.lottery_picks
    low, high = rules.lottery_numbers
    slots = " ".join(f"<n{i}>" for i in range(1, picks + 1))
    count = _WORDS[picks] if picks < len(_WORDS) else str(picks)
    return f"usage: !lottery {slots} — {count} different numbers from {low} to {high}"


def _check(rules: Rules) -> None:
    low, high = rules.lottery_numbers
    if not 1 <= rules.lottery_picks <= high - low + 1:
        raise ValueError("lottery: picks is between 1 and how many numbers there are")
    if len(rules.lottery_prize_shares) > rules.lottery_picks:
        raise ValueError("lottery: at most one prize share per possible match count")
    if (any(s < 0 for s in rules.lottery_prize_shares)
            or sum(rules.lottery_prize_shares) > 1):
        raise ValueError("lottery: prize shares are non-negative and add up to at most 1")


def parse_ticket(args: Sequence[str], rules: Rules = DEFAULT_RULES) -> Ticket:
    """Exactly ``lottery_picks`` different whole numbers (ASCII digits) within
    ``lottery_numbers``, sorted; anything else is a ``UsageError`` with the usage."""
    low, high = rules.lottery_numbers
    numbers: list[int] = []
    for arg in args:
        text = arg.strip()
        if not _NUMBER.fullmatch(text):
            raise UsageError(usage(rules))
        numbers.append(int(text))
    if (len(numbers) != rules.lottery_picks or len(set(numbers)) != len(numbers)
            or any(not low <= n <= high for n in numbers)):
        raise UsageError(usage(rules))
    return tuple(sorted(numbers))


def draw(rng: Rng, rules: Rules = DEFAULT_RULES) -> Ticket:
    """``lottery_picks`` different numbers, uniformly (a partial Fisher–Yates shuffle of
    exact integer draws), sorted."""
    _check(rules)
    low, high = rules.lottery_numbers
    numbers = list(range(low, high + 1))
    for i in range(rules.lottery_picks):
        j = rng.randint(i, len(numbers) - 1)
        numbers[i], numbers[j] = numbers[j], numbers[i]
    return tuple(sorted(numbers[:rules.lottery_picks]))


def matches(ticket: Sequence[int], drawn: Sequence[int]) -> int:
    return len(set(ticket) & set(drawn))


def pool_cut(price: int, rules: Rules = DEFAULT_RULES) -> int:
    """What a ticket adds to the pool: floor(price × lottery_pool_share)."""
    return floor_share(price, rules.lottery_pool_share)


def prize_matches(rules: Rules = DEFAULT_RULES) -> tuple[int, ...]:
    """The match count each prize share is for, in share order: (3, 2, 1) as shipped."""
    return tuple(rules.lottery_picks - i for i in range(len(rules.lottery_prize_shares)))


@dataclass(frozen=True)
class Settlement(Generic[K]):
    payouts: dict[K, int]        # only positive amounts; a key's tickets are added up
    rollover: int                # what stays in the pool for the next draw
    by_matches: dict[int, int]   # winning tickets per prize match count (3, 2, 1), 0 too
    prize_each: dict[int, int]   # what one ticket with that many matches received


def settle(pool: int, tickets: Sequence[tuple[K, Sequence[int]]], drawn: Sequence[int],
           rules: Rules = DEFAULT_RULES) -> Settlement[K]:
    """Split ``pool`` among ``tickets`` (owner, numbers) for the ``drawn`` numbers.

    Share i of the pool is floor(pool × lottery_prize_shares[i]), for the tickets matching
    ``prize_matches(rules)[i]`` numbers, each getting floor(share / winners). Invariant:
    sum(payouts) + rollover == pool, every payout positive."""
    _check(rules)
    if pool < 0:
        raise ValueError("the pool is not negative")
    winners: dict[int, list[K]] = {m: [] for m in prize_matches(rules)}
    for owner, numbers in tickets:
        hit = matches(numbers, drawn)
        if hit in winners:
            winners[hit].append(owner)
    payouts: dict[K, int] = {}
    prize_each: dict[int, int] = {}
    paid = 0
    for hit, share in zip(prize_matches(rules), rules.lottery_prize_shares, strict=True):
        owners = winners[hit]
        each = floor_share(pool, share) // len(owners) if owners else 0
        prize_each[hit] = each
        if each <= 0:
            continue
        for owner in owners:
            payouts[owner] = payouts.get(owner, 0) + each
        paid += each * len(owners)
    assert 0 <= paid <= pool
    return Settlement(payouts=payouts, rollover=pool - paid,
                      by_matches={m: len(o) for m, o in winners.items()}, prize_each=prize_each)


def match_odds(rules: Rules = DEFAULT_RULES) -> dict[int, Fraction]:
    """P(a ticket matches m of the drawn numbers), m = 0 … picks (hypergeometric):
    C(picks, m) × C(N − picks, picks − m) / C(N, picks). As shipped: 680, 408, 51 and 1
    in 1,140 for 0, 1, 2 and 3 matches."""
    _check(rules)
    low, high = rules.lottery_numbers
    n, k = high - low + 1, rules.lottery_picks
    return {m: Fraction(math.comb(k, m) * math.comb(n - k, k - m), math.comb(n, k))
            for m in range(k + 1)}


def designed_rtp(rules: Rules = DEFAULT_RULES) -> Decimal:
    """Long-run return per unit of ticket money: the pool's share (every pooled dollar is
    paid out eventually, through rollovers); a single draw returns less when a share is
    unwon."""
    return rules.lottery_pool_share
