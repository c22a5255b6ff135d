from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import supplies
from game.catalogue import Buff, catalogue
from game.errors import NotAllowed, TargetError
from game.matching import match_name
from game.rules import Rules

CAT = catalogue()
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
XP125, XP150, XP200 = (CAT.buffs[k] for k in ("xp_boost_125", "xp_boost_150", "xp_boost_200"))
DAY = NOW + timedelta(hours=24)


def test_a_first_buff_runs_24_hours() -> None:
    assert supplies.buy_buff(XP150, {}, NOW) == supplies.BuffPurchase(DAY, None, False)
    got = supplies.buy_buff(XP150, {}, NOW, Rules(buff_hours=2))
    assert got.expires_at == NOW + timedelta(hours=2)


def test_another_categorys_buff_does_not_matter() -> None:
    active = {"business": (Decimal("1.5"), NOW + timedelta(hours=3))}
    assert supplies.buy_buff(XP125, active, NOW) == supplies.BuffPurchase(DAY, None, False)


def test_a_stronger_buff_replaces() -> None:
    active = {"xp": (Decimal("1.25"), NOW + timedelta(hours=20))}
    assert supplies.buy_buff(XP200, active, NOW) == supplies.BuffPurchase(
        DAY, Decimal("1.25"), False)


def test_the_same_strength_refreshes_to_a_full_day() -> None:
    active = {"xp": (Decimal("1.50"), NOW + timedelta(hours=1))}  # 1.50 == 1.5
    assert supplies.buy_buff(XP150, active, NOW) == supplies.BuffPurchase(DAY, None, True)


def test_a_weaker_buff_is_refused_while_a_stronger_runs() -> None:
    active = {"xp": (Decimal("1.5"), NOW + timedelta(hours=3, minutes=20))}
    with pytest.raises(NotAllowed) as err:
        supplies.buy_buff(XP125, active, NOW)
    assert err.value.message == (
        "XP x1.5 is active for 3 h 20 min more — XP Boost x1.25 is weaker and can't replace it")


def test_an_expired_buff_is_ignored() -> None:
    active = {"xp": (Decimal(2), NOW)}
    assert supplies.buy_buff(XP125, active, NOW) == supplies.BuffPurchase(DAY, None, False)


@given(st.lists(st.tuples(st.sampled_from([XP125, XP150, XP200]), st.integers(0, 30 * 3600)),
                max_size=12))
def test_buying_in_any_order_keeps_the_strongest_running(
    purchases: list[tuple[Buff, int]],
) -> None:
    """Simulated purchases (each some seconds after the last): a purchase is refused exactly
    when a strictly stronger buff runs; while a buff runs it never gets weaker."""
    active: dict[str, tuple[Decimal, datetime]] = {}
    now = NOW
    for buff, wait in purchases:
        now += timedelta(seconds=wait)
        running = active.get("xp")
        live = running is not None and running[1] > now
        try:
            got = supplies.buy_buff(buff, active, now)
        except NotAllowed:
            assert live and running is not None and running[0] > buff.multiplier
            continue
        assert not (live and running is not None and running[0] > buff.multiplier)
        assert got.expires_at == now + timedelta(hours=24)
        if live and running is not None:
            assert got.refreshed == (running[0] == buff.multiplier)
            assert got.replaced == (running[0] if running[0] < buff.multiplier else None)
        else:
            assert (got.replaced, got.refreshed) == (None, False)
        active["xp"] = (buff.multiplier, got.expires_at)


def test_active_buffs_keeps_the_running_ones() -> None:
    rows: list[tuple[str, Decimal, datetime]] = [
        ("xp", Decimal("1.25"), NOW + timedelta(hours=1)),
        ("xp", Decimal("2"), NOW + timedelta(minutes=5)),
        ("business", Decimal("1.5"), NOW),  # ran out
        ("rob_attack", Decimal("1.05"), NOW + timedelta(hours=2)),
    ]
    assert supplies.active_buffs(rows, NOW) == {
        "xp": (Decimal("2"), NOW + timedelta(minutes=5)),
        "rob_attack": (Decimal("1.05"), NOW + timedelta(hours=2)),
    }


def test_holding_limits() -> None:
    for item in CAT.consumables.values():
        for held in range(item.hold):
            supplies.check_hold(item, held)
        with pytest.raises(NotAllowed) as err:
            supplies.check_hold(item, item.hold)
        assert f"{item.hold} {item.name}s" in err.value.message
    assert CAT.consumables["bail_bond"].hold == 5


@pytest.mark.parametrize(("value", "text"), [
    ("1.10", "x1.1"), ("2", "x2"), ("2.00", "x2"), ("1.25", "x1.25"), ("1.05", "x1.05"),
    ("1.5", "x1.5"), ("10", "x10"),
])
def test_times(value: str, text: str) -> None:
    assert supplies.times(Decimal(value)) == text


def test_buffs_line() -> None:
    active = {
        "business": (Decimal("1.25"), NOW + timedelta(hours=20)),
        "xp": (Decimal("1.5"), NOW + timedelta(hours=3, minutes=20)),
        "crate_drop": (Decimal("1.03"), NOW - timedelta(seconds=1)),  # ran out
    }
    assert supplies.format_buffs(active, NOW) == (
        "buffs: XP x1.5 (3 h 20 min left) · Business x1.25 (20 h left)")
    assert supplies.format_buffs({}, NOW) == "no active buffs — !supplies lists them"


def test_supplies_line_lists_every_supply_in_one_chat_line() -> None:
    line = supplies.format_supplies(CAT)
    assert len(line) <= 450 and "\n" not in line
    assert line.startswith("supplies (24 h buffs): XP x1.25 $25,000, x1.5 $50,000, x2 $100,000")
    for item in CAT.consumables.values():
        assert f"{item.name} ${item.price:,} (hold {item.hold})" in line
    for buff in CAT.buffs.values():
        assert f"{supplies.times(buff.multiplier)} ${buff.price:,}" in line


@pytest.mark.parametrize(("query", "key"), [
    ("xp x2", "xp_boost_200"), ("XP Boost x1.25", "xp_boost_125"), ("hustle", "play_wealth_110"),
    ("play wealth", "play_wealth_110"), ("rob attack x1.1", "rob_attack_110"),
    ("Rob Attack x1.10", "rob_attack_110"), ("bail", "bail_bond"), ("reroll", "reroll_token"),
    ("crate magnet", "crate_magnet"), ("crate drops", "crate_luck_103"),
])
def test_what_the_supplies_line_shows_can_be_typed(query: str, key: str) -> None:
    assert match_name(query, supplies.supply_candidates(CAT), "supply") == key


def test_an_ambiguous_supply_asks_which() -> None:
    with pytest.raises(TargetError) as err:
        match_name("xp", supplies.supply_candidates(CAT), "supply")
    assert err.value.message == "which one: XP Boost x1.25, XP Boost x1.5, XP Boost x2?"
