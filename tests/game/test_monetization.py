"""The support reward rule (game/monetization.py): the rulebook's defaults, per unit and
linear in the quantity, never negative, a community's overrides applied to their kind only."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.catalogue import ITEM_TIERS
from game.events import (
    Cheer,
    Donation,
    Event,
    Follow,
    GiftSubscriptions,
    KicksGifted,
    Platform,
    Raid,
    Subscription,
    UserRef,
)
from game.monetization import (
    DEFAULT_REWARDS,
    KINDS,
    UNIT,
    KindReward,
    RewardConfigError,
    check_kind,
    gains,
    parse_amount,
    parse_crate,
    pay,
    reward_for,
    rewards_with,
    support_of,
    support_reward,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
BASE: dict[str, Any] = dict(platform=Platform.TWITCH, event_id="x", channel="c",
                            occurred_at=NOW, received_at=NOW, user=UserRef(id="1", name="a"))

kinds = st.sampled_from(KINDS)
amounts = st.integers(min_value=0, max_value=10**9)
rewards = st.builds(KindReward, amounts, amounts, st.sampled_from((None, *ITEM_TIERS)))
tables = st.dictionaries(kinds, rewards).map(rewards_with)

events = st.one_of(
    st.builds(lambda t, g: Subscription(**BASE, tier=t, is_gift=g), st.integers(1, 3),
              st.booleans()),
    st.builds(lambda n, t: GiftSubscriptions(**BASE, count=n, tier=t), st.integers(1, 10_000),
              st.integers(1, 3)),
    st.builds(lambda b: Cheer(**BASE, bits=b), st.integers(1, 10_000_000)),
    st.builds(lambda k: KicksGifted(**BASE, amount=k), st.integers(1, 100_000_000)),
    st.builds(lambda v: Raid(**BASE, viewers=v), st.integers(0, 10_000_000)),
    st.builds(lambda c: Donation(**BASE, amount=Decimal(c) / 100), st.integers(1, 10**8)),
)


def test_the_defaults_are_the_rulebooks() -> None:
    assert {k: (r.wealth, r.xp, r.crate) for k, r in DEFAULT_REWARDS.items()} == {
        "sub_t1": (500, 100, None), "sub_t2": (750, 150, None), "sub_t3": (1_000, 200, None),
        "gift_sub": (500, 100, None), "gift_recipient": (0, 0, "common"),
        "bits_100": (100, 0, None), "kick": (1, 0, None), "raid_viewer": (10, 2, None),
        "donation_usd": (100, 0, None)}


def test_support_rewards_follow_the_rulebook() -> None:
    def paid(event: Event) -> tuple[int, int] | None:
        reward = support_reward(event)
        return None if reward is None else (reward.wealth, reward.xp)

    assert paid(Subscription(**BASE, tier=1)) == (500, 100)
    assert paid(Subscription(**BASE, tier=2)) == (750, 150)
    assert paid(Subscription(**BASE, tier=3)) == (1_000, 200)
    assert paid(Subscription(**BASE, is_gift=True)) is None  # the recipient's, not a sub
    assert paid(GiftSubscriptions(**BASE, count=5)) == (2_500, 500)
    assert paid(Cheer(**BASE, bits=100)) == (100, 0)
    assert paid(Cheer(**BASE, bits=1)) == (1, 0)  # $1 per bit, exact for any count
    assert paid(Cheer(**BASE, bits=150)) == (150, 0)
    assert paid(KicksGifted(**BASE, amount=7)) == (7, 0)
    assert paid(Raid(**BASE, viewers=42)) == (420, 84)
    assert paid(Raid(**BASE, viewers=0)) is None  # never "+$0"
    assert paid(Donation(**BASE, amount=Decimal("4.99"))) == (499, 0)
    assert support_of(Follow(**BASE)) is None
    gift = support_of(GiftSubscriptions(**BASE, count=3, tier=2))
    assert gift is not None and (gift.kind, gift.quantity, gift.tier, gift.usd) == (
        "gift_sub", 3, 2, Decimal(15))
    cheer = support_of(Cheer(**BASE, bits=250))
    assert cheer is not None and (cheer.quantity, cheer.usd) == (250, Decimal("2.5"))


@given(events, tables)
def test_rewards_are_never_negative(event: Event, table: Any) -> None:
    support = support_of(event)
    if support is None:
        return
    reward = reward_for(support, table)
    assert reward.wealth >= 0 and reward.xp >= 0 and reward.usd >= 0


@given(kinds, rewards, st.integers(0, 10**6), st.integers(0, 10**6))
def test_pay_is_linear_in_whole_units(kind: str, per: KindReward, a: int, b: int) -> None:
    table = rewards_with({kind: per})
    unit = UNIT.get(kind, 1)
    whole = pay(kind, (a + b) * unit, table)
    left, right = pay(kind, a * unit, table), pay(kind, b * unit, table)
    assert (whole.wealth, whole.xp) == (left.wealth + right.wealth, left.xp + right.xp)
    assert (whole.wealth, whole.xp) == ((a + b) * per.wealth, (a + b) * per.xp)


@given(kinds, rewards, st.integers(0, 10**9))
def test_a_fraction_of_a_unit_rounds_down(kind: str, per: KindReward, quantity: int) -> None:
    paid = pay(kind, quantity, rewards_with({kind: per}))
    unit = UNIT.get(kind, 1)
    assert paid.wealth == per.wealth * quantity // unit and paid.xp == per.xp * quantity // unit
    assert paid.crate == (per.crate if quantity else None)  # once, whatever the quantity


@given(events, kinds, rewards)
def test_an_override_changes_its_kind_only(event: Event, kind: str, per: KindReward) -> None:
    support = support_of(event)
    if support is None:
        return
    table = rewards_with({kind: per})
    before, after = reward_for(support), reward_for(support, table)
    if support.kind != kind:
        assert after == before
    else:
        assert after == reward_for(support, rewards_with({kind: per}))
        assert (after.wealth, after.xp, after.crate) == (
            pay(kind, support.quantity, table).wealth, pay(kind, support.quantity, table).xp,
            per.crate if support.quantity else None)
    assert after.usd == before.usd  # USD is the rulebook's, not configurable


def test_rows_of_unknown_kinds_and_negative_numbers_do_not_count() -> None:
    table = rewards_with({"nope": KindReward(5), "kick": KindReward(-3, -1)})
    assert "nope" not in table and table["kick"] == KindReward(0, 0)


@pytest.mark.parametrize(("text", "says"), [
    ("-5", "cannot be negative"), ("x", "whole number"), ("1.5", "whole number"),
    ("10000000000000", "whole number")])
def test_bad_amounts_are_refused(text: str, says: str) -> None:
    with pytest.raises(RewardConfigError, match=says):
        parse_amount(text, "--wealth")


def test_kinds_crates_and_gains() -> None:
    assert parse_amount("1,000", "w") == 1000 and check_kind(" Sub_T1 ") == "sub_t1"
    with pytest.raises(RewardConfigError, match="unknown reward kind 'sub_t4'"):
        check_kind("sub_t4")
    assert parse_crate("RARE") == "rare" and parse_crate("none") is None
    with pytest.raises(RewardConfigError, match="crate must be one of"):
        parse_crate("golden")
    assert gains(500, 100) == "+$500, +100 XP"
    assert gains(0, 0, "a common crate (!open)") == "a common crate (!open)"
    assert gains(5, 0, "a rare crate (!open)") == "+$5 + a rare crate (!open)"
