from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import inventory as inv
from game.catalogue import catalogue
from game.errors import NotAllowed, UsageError
from game.rules import DEFAULT_RULES, Rules

CAT = catalogue()
ITEMS = list(CAT.items.values())
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
small = st.integers(min_value=0, max_value=30)


# --- placement -----------------------------------------------------------------------------


def test_items_go_to_the_inventory_then_escrow_then_are_lost() -> None:
    assert inv.place_item(0, 0) == "inventory"
    assert inv.place_item(9, 3) == "inventory"
    assert inv.place_item(10, 0) == "escrow"
    assert inv.place_item(10, 2) == "escrow"
    assert inv.place_item(10, 3) == "lost"
    assert inv.place_item(12, 3) == "lost"  # over the cap after a merge: still full


def test_crates_use_their_own_hold() -> None:
    rules = Rules(crate_hold=2, crate_escrow_slots=1, inventory_cap=50, escrow_slots=50)
    assert [inv.place_crate(h, e, rules) for h, e in [(1, 0), (2, 0), (2, 1)]] == [
        "inventory", "escrow", "lost"]
    assert inv.place_crate(10, 2) == "escrow"
    assert inv.place_crate(10, 3) == "lost"


@given(small, small, small, small)
def test_placement_order(held: int, escrowed: int, cap: int, slots: int) -> None:
    where = inv.place(held, escrowed, cap, slots)
    assert (where == "inventory") == (held < cap)
    assert (where == "escrow") == (held >= cap and escrowed < slots)
    assert (where == "lost") == (held >= cap and escrowed >= slots)


def test_escrow_expiry() -> None:
    assert inv.escrow_expiry(NOW) == NOW + timedelta(hours=24)
    assert inv.crate_escrow_expiry(NOW) == NOW + timedelta(hours=1)
    assert inv.escrow_expiry(NOW, Rules(escrow_hours=2)) == NOW + timedelta(hours=2)


@given(small, small, small)
def test_claimable_fills_the_inventory_and_no_more(n: int, held: int, cap: int) -> None:
    c = inv.claimable(n, held, cap)
    assert 0 <= c <= n
    assert held + c <= max(held, cap)
    assert c == n or held + c >= cap


def test_claim_examples() -> None:
    assert inv.claimable(3, 8, 10) == 2
    assert inv.claimable(3, 0, 10) == 3
    assert inv.claimable(3, 10, 10) == 0
    assert inv.claimable(3, 11, 10) == 0


# --- selling and wear ----------------------------------------------------------------------


def test_sell_price_is_half_the_price_floored() -> None:
    prices = {i.key: inv.sell_price(i) for i in ITEMS}
    assert prices["brass_knuckles"] == 375
    assert prices["combat_knife"] == 500
    assert prices["penthouse_suite"] == 50_000


@given(st.integers(0, 10**12), st.decimals(min_value=0, max_value=1, places=4))
def test_sell_price_is_exact(price: int, share: Decimal) -> None:
    item = replace(ITEMS[0], price=price)
    got = inv.sell_price(item, Rules(sell_share=share))
    assert got == math.floor(Fraction(price) * Fraction(share))
    assert 0 <= got <= price


@given(st.integers(0, 200), st.integers(0, 200))
def test_wear(durability: int, loss: int) -> None:
    left, broken = inv.wear(durability, loss)
    assert left == max(0, durability - loss)
    assert broken == (left == 0)


@given(st.integers(1, 100), st.integers(1, 10))
def test_an_item_breaks_on_the_rob_that_takes_it_to_zero(start: int, loss: int) -> None:
    durability, robs, broken = start, 0, False
    while not broken:
        before = durability
        durability, broken = inv.wear(durability, loss)
        assert durability < before
        robs += 1
    assert durability == 0
    assert robs == math.ceil(Fraction(start, loss))


def test_a_full_item_breaks_after_the_expected_robs() -> None:
    durability, robs = 100, 0
    while True:
        durability, broken = inv.wear(durability, 3)
        robs += 1
        if broken:
            break
    assert robs == 34  # 33 robs leave 1 point


def test_wear_never_repairs() -> None:
    with pytest.raises(ValueError):
        inv.wear(50, -1)


@given(st.integers(0, 2**32))
def test_wear_loss_is_in_the_rules_range(seed: int) -> None:
    assert 2 <= inv.wear_loss(random.Random(seed)) <= 3


# --- owning and equipping ------------------------------------------------------------------


def test_at_most_three_businesses() -> None:
    cart = CAT.items["food_cart"]
    for owned in range(3):
        inv.check_can_own(cart, owned)
    with pytest.raises(NotAllowed) as err:
        inv.check_can_own(cart, 3)
    assert "3 businesses" in err.value.message
    with pytest.raises(NotAllowed):
        inv.check_can_own(cart, 1, Rules(businesses_owned_max=1))
    inv.check_can_own(CAT.items["combat_knife"], 99)  # only businesses are limited


def test_every_item_has_its_types_slot() -> None:
    assert {inv.slot_for(i) for i in ITEMS} == set(inv.SLOTS)
    assert all(inv.slot_for(i) == i.type for i in ITEMS)


def test_equipping_replaces_what_is_in_the_slot() -> None:
    knife = CAT.items["combat_knife"]
    assert inv.check_equip(knife, 7, {}) is None
    assert inv.check_equip(knife, 7, {"armor": 3}) is None
    assert inv.check_equip(knife, 7, {"weapon": 5, "armor": 3}) == 5
    with pytest.raises(NotAllowed) as err:
        inv.check_equip(knife, 7, {"weapon": 7})
    assert err.value.message == "your Combat Knife is already equipped"


@pytest.mark.parametrize(("text", "slot"), [
    ("weapon", "weapon"), ("Weapons", "weapon"), ("ARMOR", "armor"), ("armour", "armor"),
    ("business", "business"), ("Businesses", "business"), ("housing", "housing"),
    (" housing ", "housing"),
])
def test_parse_slot(text: str, slot: str) -> None:
    assert inv.parse_slot(text) == slot


@pytest.mark.parametrize("text", ["gun", "", "weap", "house", "knife", "slot", "armor2"])
def test_parse_slot_refuses_anything_else(text: str) -> None:
    with pytest.raises(UsageError) as err:
        inv.parse_slot(text)
    assert err.value.message == inv.UNEQUIP_USAGE


def test_unequip() -> None:
    assert inv.check_unequip("weapon", {"weapon": 4}) == 4
    with pytest.raises(NotAllowed) as err:
        inv.check_unequip("housing", {"weapon": 4})
    assert err.value.message == "you have no housing equipped"


def test_defaults_are_the_rulebooks() -> None:
    assert (DEFAULT_RULES.inventory_cap, DEFAULT_RULES.escrow_slots) == (10, 3)
