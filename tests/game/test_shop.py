from __future__ import annotations

import math
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import shop
from game.catalogue import ITEM_TIERS, catalogue
from game.errors import CooldownActive, NotAllowed
from game.rules import DEFAULT_RULES, Rules, Tier

CAT = catalogue()
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
tiers = st.sampled_from(list(Tier))
seeds = st.integers(min_value=0, max_value=2**32)
ORDER = list(CAT.items)


# --- prices --------------------------------------------------------------------------------


def test_price_after_floors_the_exact_product() -> None:
    assert shop.price_after(10_000, Decimal("0.25")) == 7_500
    assert shop.price_after(750, Decimal("0.25")) == 562
    assert shop.price_after(999, Decimal("0.05")) == 949  # 949.05
    assert shop.price_after(500, Decimal(0)) == 500
    assert shop.price_after(500, Decimal(1)) == 0


@given(st.integers(0, 10**12), st.decimals(min_value=0, max_value=1, places=4))
def test_price_after_is_exact(price: int, discount: Decimal) -> None:
    got = shop.price_after(price, discount)
    assert got == math.floor(Fraction(price) * (1 - Fraction(discount)))
    assert 0 <= got <= price


@pytest.mark.parametrize("bad", [Decimal("-0.1"), Decimal("1.01"), Decimal(25)])
def test_a_discount_is_a_fraction(bad: Decimal) -> None:
    with pytest.raises(ValueError):
        shop.price_after(100, bad)


def test_check_affordable() -> None:
    shop.check_affordable(1_000, 1_000)
    with pytest.raises(NotAllowed) as err:
        shop.check_affordable(12_000, 11_999)
    assert err.value.message == "that costs $12,000 — you have $11,999"


# --- the personal shop ---------------------------------------------------------------------


def test_shop_tiers_follow_the_rulebook() -> None:
    assert [shop.shop_tiers(t) for t in Tier] == [
        ("common",), ("common", "uncommon"), ("common", "uncommon", "rare"),
        ("common", "uncommon", "rare"), ("uncommon", "rare"), ("uncommon", "rare")]
    with pytest.raises(ValueError):
        shop.shop_tiers(Tier.PUNK, Rules(shop_tiers=(("mythic",),) * 6))


@given(tiers, seeds)
def test_a_shop_offers_only_the_allowed_tiers(tier: Tier, seed: int) -> None:
    keys = shop.roll_shop(tier, random.Random(seed), CAT)
    allowed = shop.shop_tiers(tier)
    pool = [k for k, i in CAT.items.items() if i.tier in allowed]
    assert all(CAT.items[k].tier in allowed for k in keys)
    assert len(set(keys)) == len(keys)
    low, high = DEFAULT_RULES.shop_size
    assert min(low, len(pool)) <= len(keys) <= high
    assert list(keys) == sorted(keys, key=ORDER.index)


@given(tiers, seeds, st.integers(1, 12), st.integers(0, 12))
def test_shop_size_within_bounds_or_everything(
    tier: Tier, seed: int, low: int, extra: int,
) -> None:
    rules = Rules(shop_size=(low, low + extra))
    keys = shop.roll_shop(tier, random.Random(seed), CAT, rules)
    pool = [k for k, i in CAT.items.items() if i.tier in shop.shop_tiers(tier)]
    assert len(set(keys)) == len(keys)
    assert set(keys) <= set(pool)
    if len(pool) <= low:
        assert list(keys) == pool
    else:
        assert low <= len(keys) <= low + extra


def test_every_allowed_item_turns_up_and_nothing_else() -> None:
    for tier in Tier:
        seen: set[str] = set()
        for seed in range(200):
            seen |= set(shop.roll_shop(tier, random.Random(seed), CAT))
        allowed = shop.shop_tiers(tier)
        assert seen == {k for k, i in CAT.items.items() if i.tier in allowed}
        assert "mantis_blades" not in seen  # no tier's shop sells a legendary


def test_reroll_is_free_once_the_cooldown_is_over() -> None:
    assert shop.check_reroll(None, NOW, 0) == "free"
    assert shop.check_reroll(NOW, NOW, 0) == "free"
    assert shop.check_reroll(NOW - timedelta(seconds=1), NOW, 3) == "free"  # token kept


def test_reroll_in_the_cooldown_takes_a_token_or_waits() -> None:
    until = NOW + timedelta(minutes=20)
    assert shop.check_reroll(until, NOW, 1) == "token"
    with pytest.raises(CooldownActive) as err:
        shop.check_reroll(until, NOW, 0)
    assert err.value.seconds_left == 1200
    assert err.value.message == (
        "!reroll is on cooldown for 20 min — a Reroll Token (!supplies) skips it")
    assert str(err.value) == err.value.message


@given(st.integers(-7200, 7200), st.integers(0, 10))
def test_reroll_decision(offset: int, tokens: int) -> None:
    until = NOW + timedelta(seconds=offset)
    if offset <= 0:
        assert shop.check_reroll(until, NOW, tokens) == "free"
    elif tokens:
        assert shop.check_reroll(until, NOW, tokens) == "token"
    else:
        with pytest.raises(CooldownActive):
            shop.check_reroll(until, NOW, tokens)


def test_a_free_reroll_starts_the_hour() -> None:
    assert shop.reroll_cooldown_until(NOW) == NOW + timedelta(hours=1)


# --- the Black Market ----------------------------------------------------------------------


KINDS = dict(zip(ITEM_TIERS, DEFAULT_RULES.market_kinds, strict=True))
STOCK = dict(zip(ITEM_TIERS, DEFAULT_RULES.market_stock, strict=True))


def check_market(offers: tuple[shop.MarketOffer, ...]) -> None:
    keys = [o.item_key for o in offers]
    assert len(set(keys)) == len(keys)
    counts = Counter(CAT.items[k].tier for k in keys)
    for tier in ("common", "uncommon", "rare"):
        low, high = KINDS[tier]
        assert low <= counts[tier] <= high, (tier, counts)
    assert counts["legendary"] in (0, 1)
    for offer in offers:
        item = CAT.items[offer.item_key]
        low, high = STOCK[item.tier]
        assert low <= offer.stock <= high
        if offer.featured:
            assert offer.price == math.floor(Fraction(item.price) * Fraction(3, 4))
        else:
            assert offer.price == item.price
    assert sum(o.featured for o in offers) == 1
    tiers_in_order = [ITEM_TIERS.index(CAT.items[k].tier) for k in keys]
    assert tiers_in_order == sorted(tiers_in_order)


@given(seeds)
def test_a_market_rotation_follows_the_rulebook(seed: int) -> None:
    check_market(shop.roll_market(random.Random(seed), CAT))


def test_the_legendary_turns_up_on_about_30_percent_of_rotations() -> None:
    rolls = 3000
    legendary = 0
    featured: Counter[str] = Counter()
    for seed in range(rolls):
        offers = shop.roll_market(random.Random(seed), CAT)
        check_market(offers)
        legendary += any(CAT.items[o.item_key].tier == "legendary" for o in offers)
        featured.update(CAT.items[o.item_key].tier for o in offers if o.featured)
    # binomial(3000, 0.3): sd 0.0084, so ±0.035 is over 4 sd
    assert abs(legendary / rolls - 0.30) < 0.035
    assert set(featured) == set(ITEM_TIERS)  # any offer may be the featured one


def test_no_legendary_chance_means_none() -> None:
    for seed in range(100):
        offers = shop.roll_market(random.Random(seed), CAT, Rules(market_legendary_chance=0.0))
        assert all(CAT.items[o.item_key].tier != "legendary" for o in offers)
        offers = shop.roll_market(random.Random(seed), CAT, Rules(market_legendary_chance=1.0))
        assert sum(CAT.items[o.item_key].tier == "legendary" for o in offers) == 1


def test_a_tier_with_fewer_items_than_kinds_offers_them_all() -> None:
    rules = Rules(market_kinds=((50, 50), (50, 50), (50, 50), (1, 1)))
    offers = shop.roll_market(random.Random(1), CAT, rules)
    non_legendary = {k for k, i in CAT.items.items() if i.tier != "legendary"}
    assert non_legendary <= {o.item_key for o in offers}


def test_check_in_stock() -> None:
    shop.check_in_stock(CAT.items["mantis_blades"], 1)
    with pytest.raises(NotAllowed) as err:
        shop.check_in_stock(CAT.items["mantis_blades"], 0)
    assert err.value.message == (
        "Mantis Blades is sold out on the Black Market — it rotates every 6 h")
