"""Bets (GAME.md "Gambling"): min 100, max by tier, all/half of wealth capped at the max;
anything that is not a positive whole number (or all/half) is refused with the usage."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from game.errors import GameError, NotAllowed, UsageError
from game.gambling.bets import max_bet, parse_bet
from game.rules import DEFAULT_RULES, Tier

USAGE = "usage: !slots <bet>"
tiers = st.sampled_from(list(Tier))
wealths = st.integers(-10**6, 10**13)
minimums = st.none() | st.sampled_from([DEFAULT_RULES.gamble_min_bet,
                                        DEFAULT_RULES.flip_min_bet])
digits = st.integers(0, 10**15).map(str)
commas = st.integers(0, 10**15).map(lambda n: f"{n:,}")
words = st.sampled_from(["all", "half", "ALL", "Half", " all ", "half\n"])
garbage = st.sampled_from([
    "-5", "-100", "+100", "1e9", "0x10", "1.5", "1,00", "10,0000", ",100", "100,", "٣٠٠",
    "１２３", "₁₂₃", "²⁰⁰", "all in", "alll", "halfway", "max", "½", "ａｌｌ", "0", "000",
    "9" * 30, "1 000", "1_000", "", "   ", "🎰",
])
bet_args = st.one_of(digits, commas, words, garbage, st.text(max_size=12), st.none())


def is_whole_number(text: str) -> bool:
    """ASCII digits, optionally grouped by thousands commas, positive, at most 24 chars."""
    parts = text.split(",")
    if not all(p.isascii() and p.isdigit() for p in parts) or len(text) > 24:
        return False
    if len(parts) > 1 and not (len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
        return False
    return int(text.replace(",", "")) > 0


def test_max_bet_per_tier() -> None:
    assert [max_bet(t) for t in Tier] == [10_000, 20_000, 35_000, 50_000, 75_000, 100_000]


def test_numbers_commas_all_and_half() -> None:
    assert parse_bet("500", 1_000, Tier.PUNK, usage=USAGE) == 500
    assert parse_bet("1,000", 1_000, Tier.PUNK, usage=USAGE) == 1_000
    assert parse_bet(" 100 ", 100, Tier.PUNK, usage=USAGE) == 100
    assert parse_bet("all", 1_234, Tier.PUNK, usage=USAGE) == 1_234
    assert parse_bet("ALL", 1_234, Tier.PUNK, usage=USAGE) == 1_234
    assert parse_bet("half", 1_235, Tier.PUNK, usage=USAGE) == 617  # floor
    # capped at the tier maximum
    assert parse_bet("all", 10**9, Tier.CAPTAIN, usage=USAGE) == 50_000
    assert parse_bet("half", 90_000, Tier.SOLDIER, usage=USAGE) == 35_000
    assert parse_bet("half", 60_000, Tier.SOLDIER, usage=USAGE) == 30_000


def test_refusals_say_why() -> None:
    with pytest.raises(NotAllowed, match=r"^your tier can bet at most \$35,000$"):
        parse_bet("35,001", 10**6, Tier.SOLDIER, usage=USAGE)
    with pytest.raises(NotAllowed, match=r"^the smallest bet is \$100$"):
        parse_bet("99", 10**6, Tier.PUNK, usage=USAGE)
    with pytest.raises(NotAllowed, match=r"^you only have \$250$"):
        parse_bet("300", 250, Tier.PUNK, usage=USAGE)
    with pytest.raises(NotAllowed, match=r"the smallest bet is \$100"):
        parse_bet("all", 99, Tier.PUNK, usage=USAGE)
    with pytest.raises(NotAllowed, match=r"\$75 — the smallest bet is \$100"):
        parse_bet("half", 150, Tier.PUNK, usage=USAGE)
    # a flip asks for more
    with pytest.raises(NotAllowed, match=r"^the smallest bet is \$500$"):
        parse_bet("400", 10**6, Tier.PUNK, usage=USAGE, minimum=500)
    with pytest.raises(NotAllowed, match=r"\$500"):
        parse_bet("half", 999, Tier.PUNK, usage=USAGE, minimum=500)
    assert parse_bet("half", 1_000, Tier.PUNK, usage=USAGE, minimum=500) == 500


@pytest.mark.parametrize("bad", ["-5", "1e9", "0x10", "٣٠٠", "１２３", "0", "1.5", "1,00",
                                 "all-in", "9" * 25, "", None])
def test_garbage_gets_the_usage_and_a_reason(bad: str | None) -> None:
    with pytest.raises(UsageError, match=rf"^{USAGE} — \S"):
        parse_bet(bad, 10**6, Tier.KINGPIN, usage=USAGE)


@given(bet_args, wealths, tiers, minimums)
@example("all", 10**13, Tier.PUNK, None)
@example("half", 199, Tier.PUNK, None)
@example("100", 100, Tier.PUNK, None)
@example("10,000", 10_000, Tier.PUNK, None)
@example("10,001", 10**6, Tier.PUNK, None)
@example("٣٠٠", 10**6, Tier.PUNK, None)
@example("-500", 10**6, Tier.PUNK, None)
@example("0,100", 10**6, Tier.PUNK, None)
def test_a_bet_is_always_within_the_rules(arg: str | None, wealth: int, tier: Tier,
                                          minimum: int | None) -> None:
    low = DEFAULT_RULES.gamble_min_bet if minimum is None else minimum
    high = DEFAULT_RULES.gamble_max_bets[tier]
    well_formed = arg is not None and (arg.strip().casefold() in {"all", "half"}
                                       or is_whole_number(arg.strip()))
    try:
        bet = parse_bet(arg, wealth, tier, usage=USAGE, minimum=minimum)
    except UsageError as exc:
        assert not well_formed, arg
        assert exc.message.startswith(f"{USAGE} — ")
        return
    except NotAllowed:
        assert well_formed, arg
        return
    assert well_formed, arg
    assert low <= bet <= high
    assert bet <= wealth
    text = arg.strip().casefold()  # type: ignore[union-attr]
    if text == "all":
        assert bet == min(wealth, high)
    elif text == "half":
        assert bet == min(wealth // 2, high)
    else:
        assert bet == int(text.replace(",", ""))


@given(st.integers(1, 10**9), tiers)
def test_a_number_within_the_rules_is_taken_as_is(wealth: int, tier: Tier) -> None:
    high = DEFAULT_RULES.gamble_max_bets[tier]
    for amount in (100, 101, high, min(wealth, high)):
        try:
            assert parse_bet(str(amount), wealth, tier, usage=USAGE) == amount
        except GameError:
            assert amount > wealth or amount < 100
