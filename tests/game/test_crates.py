from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import crates
from game.catalogue import ITEM_TIERS, Catalogue, ItemTier, catalogue
from game.modifiers import NO_MODIFIERS, Modifiers
from game.rules import DEFAULT_RULES, Tier

CAT = catalogue()
DRAWS = 200_000
TOLERANCE = 0.005  # absolute, on a share: ≥ 3 standard deviations at 100,000 draws
crate_tiers = st.sampled_from(ITEM_TIERS)
seeds = st.integers(0, 2**32)


def assert_matches(counts: Counter[Any], weights: Mapping[Any, int]) -> None:
    """Observed shares within TOLERANCE of weight / total; a zero weight never observed."""
    total, observed = sum(weights.values()), sum(counts.values())
    for key, weight in weights.items():
        share = weight / total
        assert abs(counts[key] / observed - share) <= TOLERANCE, (key, counts[key], share)
        if weight == 0:
            assert counts[key] == 0, key
    assert set(counts) <= set(weights)


# --- weighted_choice ----------------------------------------------------------------------


def test_weighted_choice_refuses_weights_that_cannot_be_drawn() -> None:
    rng = random.Random(1)
    with pytest.raises(ValueError):
        crates.weighted_choice({"a": 0, "b": 0}, rng)
    with pytest.raises(ValueError):
        crates.weighted_choice({"a": 5, "b": -1}, rng)
    with pytest.raises(ValueError):
        crates.weighted_choice({}, rng)


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 5), min_size=1),
       seeds)
def test_weighted_choice_never_picks_a_zero_weight(weights: dict[str, int], seed: int) -> None:
    if not any(weights.values()):
        weights = {**weights, "x": 1}
    rng = random.Random(seed)
    for _ in range(20):
        assert weights[crates.weighted_choice(weights, rng)] > 0


def test_weighted_choice_draws_every_integer_slot_once() -> None:
    """Exact, not approximate: randint(1, total) maps each of the total slots to one key."""

    class Slots:
        def __init__(self) -> None:
            self.next = 0

        def randint(self, a: int, b: int) -> int:
            self.next += 1
            return self.next

    weights = {"c": 3, "u": 0, "r": 2, "l": 1}
    rng = Slots()
    picks = Counter(crates.weighted_choice(weights, rng) for _ in range(6))  # type: ignore[arg-type]
    assert picks == {"c": 3, "r": 2, "l": 1}


# --- drops ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_drop_tiers_follow_the_odds_of_the_player_tier(tier: Tier) -> None:
    rng = random.Random(1000 + tier)
    counts = Counter(crates.drop_tier(tier, rng, CAT) for _ in range(DRAWS))
    assert_matches(counts, CAT.drop_odds[tier])


def test_drop_chance_is_game_md_s_product_capped_at_one() -> None:
    assert crates.drop_chance(NO_MODIFIERS) == Decimal("0.02")
    mods = Modifiers(crate_drop=Decimal("1.03"), juicernaut=True,
                     territory_crate=Decimal("0.10"))
    assert crates.drop_chance(mods) == Decimal("0.06798")  # 0.02 × 1.03 × 3 × 1.1
    assert crates.drop_chance(Modifiers(crate_drop=Decimal(100))) == 1
    assert crates.drop_chance(Modifiers(territory_crate=Decimal(60), juicernaut=True)) == 1


@pytest.mark.parametrize("mods", [NO_MODIFIERS, Modifiers(juicernaut=True,
                                                          territory_crate=Decimal("0.10"))])
def test_drops_happen_at_the_drop_chance(mods: Modifiers) -> None:
    rng = random.Random(5)
    plays = 100_000
    drops = [crates.roll_drop(Tier.SOLDIER, mods, rng, DEFAULT_RULES, CAT) for _ in range(plays)]
    rate = sum(crate is not None for crate, _ in drops) / plays
    assert abs(rate - float(crates.drop_chance(mods))) <= 0.002
    assert not any(used for _, used in drops)  # no magnet held, none used


def test_a_crate_magnet_forces_the_drop_and_is_used_up_half_the_time() -> None:
    rng = random.Random(9)
    mods = Modifiers(crate_magnets=2)
    plays = 100_000
    drops = [crates.roll_drop(Tier.PUNK, mods, rng, DEFAULT_RULES, CAT) for _ in range(plays)]
    assert all(crate is not None for crate, _ in drops)
    used = sum(u for _, u in drops) / plays
    # used up only when it forced the drop: (1 − 0.02) × 0.5
    assert abs(used - 0.98 * DEFAULT_RULES.crate_magnet_use_up_chance) <= TOLERANCE
    counts = Counter(crate for crate, _ in drops)
    assert_matches(counts, CAT.drop_odds[Tier.PUNK])  # forced drops keep the odds


def test_a_natural_drop_leaves_the_magnet_alone() -> None:
    class Always(random.Random):
        def random(self) -> float:
            return 0.0  # under any chance: the drop happens, and so would a use-up

    crate, used = crates.roll_drop(Tier.KINGPIN, Modifiers(crate_magnets=1), Always(1))
    assert crate is not None and used is False


def test_no_magnet_no_forced_drop() -> None:
    class Never(random.Random):
        def random(self) -> float:
            return 0.999

    assert crates.roll_drop(Tier.KINGPIN, NO_MODIFIERS, Never(1)) == (None, False)
    crate, used = crates.roll_drop(Tier.KINGPIN, Modifiers(crate_magnets=1), Never(1))
    assert crate is not None and used is False  # 0.999 ≥ 0.5: not used up


# --- opening -------------------------------------------------------------------------------


@pytest.mark.parametrize("crate", ITEM_TIERS)
def test_crate_contents_and_item_tiers_follow_the_crate_tables(crate: ItemTier) -> None:
    kind = CAT.crates[crate]
    rng = random.Random(2000 + ITEM_TIERS.index(crate))
    loots = [crates.open_crate(crate, rng, frozenset(), CAT) for _ in range(DRAWS)]
    assert_matches(Counter(loot.kind for loot in loots), kind.contents)
    item_tiers = Counter(CAT.items[loot.item_key].tier for loot in loots if loot.item_key)
    assert_matches(item_tiers, kind.item_tiers)  # every tier has weapons and armor
    distinct = set(loots)  # the checks below, once per distinct loot
    for loot in distinct:
        if loot.kind in ("weapon", "armor"):
            assert loot.item_key is not None and CAT.items[loot.item_key].type == loot.kind
            assert loot.wealth == 0 and loot.title_key is None
        elif loot.kind == "wealth":
            assert kind.wealth[0] <= loot.wealth <= kind.wealth[1]
        else:
            assert loot.title_key is not None and CAT.titles[loot.title_key].tier == crate
            assert not loot.duplicate and loot.wealth == 0
    wealth = [loot.wealth for loot in loots if loot.kind == "wealth"]
    assert (min(wealth), max(wealth)) == kind.wealth  # uniform over the whole range
    assert abs(sum(wealth) / len(wealth) - sum(kind.wealth) / 2) <= 0.01 * kind.wealth[1]


@given(st.sampled_from(["rare", "legendary"]), st.sets(st.integers(0, 9)), seeds)
def test_a_title_is_never_one_already_owned_while_some_are_new(
    crate: ItemTier, owned_idx: set[int], seed: int,
) -> None:
    tier_titles = sorted(k for k, t in CAT.titles.items() if t.tier == crate)
    owned = frozenset(tier_titles[i] for i in owned_idx)
    only_titles = replace(CAT, crates={**CAT.crates, crate: replace(
        CAT.crates[crate], contents={"weapon": 0, "armor": 0, "wealth": 0, "title": 1})})
    loot = crates.open_crate(crate, random.Random(seed), owned, only_titles)
    assert loot.kind == "title" and loot.title_key in tier_titles
    if len(owned) < len(tier_titles):
        assert loot.title_key not in owned and not loot.duplicate and loot.wealth == 0
    else:
        assert loot.duplicate and loot.wealth == CAT.crates[crate].duplicate_title


@pytest.mark.parametrize(("crate", "payout"), [("common", 500), ("uncommon", 1_500),
                                               ("rare", 5_000), ("legendary", 15_000)])
def test_a_duplicate_title_pays_the_crate_s_duplicate_payout(crate: ItemTier,
                                                             payout: int) -> None:
    owned = frozenset(k for k, t in CAT.titles.items() if t.tier == crate)
    only_titles = replace(CAT, crates={**CAT.crates, crate: replace(
        CAT.crates[crate], contents={"weapon": 0, "armor": 0, "wealth": 0, "title": 1})})
    rng = random.Random(3)
    loots = [crates.open_crate(crate, rng, owned, only_titles) for _ in range(200)]
    assert all(loot.duplicate and loot.wealth == payout and loot.title_key in owned
               for loot in loots)
    assert len({loot.title_key for loot in loots}) == len(owned)  # any of them, at random


def test_a_tier_without_titles_pays_wealth_instead() -> None:
    no_rare = replace(CAT, titles={k: t for k, t in CAT.titles.items() if t.tier != "rare"},
                      crates={**CAT.crates, "rare": replace(
                          CAT.crates["rare"],
                          contents={"weapon": 0, "armor": 0, "wealth": 0, "title": 1})})
    loot = crates.open_crate("rare", random.Random(1), frozenset(), no_rare)
    assert loot.kind == "wealth" and 4_000 <= loot.wealth <= 10_000


def test_an_empty_item_tier_falls_back_to_the_nearest_lower_then_higher() -> None:
    def without(*gone: str) -> Catalogue:
        weapons = tuple(i for i in CAT.by_type["weapon"] if i.tier not in gone)
        return replace(CAT, by_type={**CAT.by_type, "weapon": weapons})

    cat = without("rare")
    assert crates.nearest_item_tier("weapon", "rare", cat) == "uncommon"
    assert crates.nearest_item_tier("weapon", "legendary", cat) == "legendary"
    cat = without("common", "uncommon")
    assert crates.nearest_item_tier("weapon", "common", cat) == "rare"
    assert crates.nearest_item_tier("weapon", "uncommon", cat) == "rare"
    cat = without(*ITEM_TIERS)
    with pytest.raises(ValueError):
        crates.nearest_item_tier("weapon", "rare", cat)


def test_an_opened_crate_uses_the_fallback_tier() -> None:
    weapons = tuple(i for i in CAT.by_type["weapon"] if i.tier != "legendary")
    cat = replace(CAT, by_type={**CAT.by_type, "weapon": weapons}, crates={
        **CAT.crates, "legendary": replace(
            CAT.crates["legendary"], contents={"weapon": 1, "armor": 0, "wealth": 0, "title": 0},
            item_tiers={"common": 0, "uncommon": 0, "rare": 0, "legendary": 1})})
    rng = random.Random(4)
    keys = {crates.open_crate("legendary", rng, frozenset(), cat).item_key for _ in range(100)}
    assert keys == {"plasma_cutter", "mono_wire_garrote"}  # rare weapons, both at random


@given(crate_tiers, seeds)
def test_open_crate_is_deterministic_for_a_seed(crate: ItemTier, seed: int) -> None:
    assert (crates.open_crate(crate, random.Random(seed))
            == crates.open_crate(crate, random.Random(seed)))
