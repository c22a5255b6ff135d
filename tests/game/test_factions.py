"""Factions and territories: the pure rules (game/factions.py) and docs/rules.md's table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import factions as f
from game.errors import NotAllowed
from game.modifiers import Modifiers, play_rewards
from game.rules import DEFAULT_RULES
from tests.game.test_rules_doc import tables

CONTENT = f.content()
KEYS = [t.key for t in CONTENT.territories]
FACTIONS = [x.key for x in CONTENT.factions]
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def test_the_content_is_game_md() -> None:
    assert [x.name for x in CONTENT.factions] == ["The Volkov Bratva", "Dead Circuit",
                                                  "Kessler Group"]
    got = [(t.name, t.kind, t.percent, t.contested) for t in CONTENT.territories]
    assert got == [
        ("Chrome Heights", "xp", 5, False), ("Neon Mile", "business", 10, False),
        ("The Ports", "rob", 5, False), ("Silicon Sprawl", "crate", 10, False),
        ("Black Bazaar", "shop", 5, False), ("The Hollows", "defense", 5, False),
        ("Midtown", "xp", 5, False), ("Rustlands", "business", 10, False),
        ("Memorial District", "wealth", 5, False), ("Ashfall", "xp", 10, True),
        ("Deadzone", "rob", 10, True), ("Freeport", "all", 15, True)]


def test_the_rules_page_lists_the_territories() -> None:
    rows = tables()[("territory", "buff", "contested")]
    assert [(r["territory"], r["buff"], r["contested"]) for r in rows] == [
        (t.name, t.buff_text, "yes" if t.contested else "no") for t in CONTENT.territories]


@pytest.mark.parametrize("data,error", [
    ({"faction": [{"key": "a", "name": "A"}]}, "needs factions and territories"),
    ({"faction": [{"key": "a", "name": "A"}],
      "territory": [{"key": "t", "name": "T", "kind": "luck", "percent": 5}]}, "buff kind"),
    ({"faction": [{"key": "a", "name": "A"}],
      "territory": [{"key": "t", "name": "T", "kind": "xp", "percent": 0}]}, "percent"),
    ({"faction": [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}],
      "territory": [{"key": "t", "name": "T", "kind": "xp", "percent": 5}]}, "duplicate"),
])
def test_broken_content_is_refused(data: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        f.build(data)


# --- joining -------------------------------------------------------------------------------


@given(st.integers(1, 200))
def test_joining_needs_level_20(level: int) -> None:
    if level >= 20:
        f.check_join(level, None, None, NOW)
    else:
        with pytest.raises(NotAllowed, match="from level 20"):
            f.check_join(level, None, None, NOW)


def test_a_member_cannot_join_again() -> None:
    with pytest.raises(NotAllowed, match="already in a faction"):
        f.check_join(50, "volkov", None, NOW)


@given(st.integers(0, 14 * 24 * 3600))
def test_seven_days_after_leaving(seconds: int) -> None:
    left = NOW - timedelta(seconds=seconds)
    if seconds >= 7 * 24 * 3600:
        f.check_join(20, None, left, NOW)
    else:
        with pytest.raises(NotAllowed, match="join one again in"):
            f.check_join(20, None, left, NOW)


@given(st.dictionaries(st.sampled_from(KEYS), st.integers(0, 50)))
def test_the_home_territory_has_the_fewest_members_first_in_catalogue_order(
        counts: dict[str, int]) -> None:
    home = f.home_territory(counts, CONTENT.territories)
    fewest = min(counts.get(k, 0) for k in KEYS)
    assert counts.get(home, 0) == fewest
    assert all(counts.get(k, 0) > fewest for k in KEYS[:KEYS.index(home)])


# --- scores --------------------------------------------------------------------------------


@given(st.integers(0, 500), st.integers(0, 50), st.integers(0, 50), st.integers(0, 9),
       st.integers(0, 3), st.integers(0, 99))
def test_points_per_scoring_event(messages: int, plays: int, robs: int, missions: int,
                                  checkins: int, other: int) -> None:
    stats = {"messages": messages, "plays": plays, "robs": robs, "missions_done": missions,
             "checkins": checkins, "wealth_earned": other, "defenses": other}
    assert f.points_of(stats) == messages + 10 * plays + 20 * robs + 25 * missions \
        + 15 * checkins


# --- the daily evaluation ------------------------------------------------------------------

points_of_factions = st.dictionaries(st.sampled_from(FACTIONS), st.integers(0, 1000))
holders = st.sampled_from([None, *FACTIONS])


@given(holders, points_of_factions)
def test_an_uncontested_territory_goes_to_the_single_leader(
        holder: str | None, points: dict[str, int]) -> None:
    got = f.winner(holder, points, contested=False)
    ranked = sorted((p for p in points.values() if p > 0), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
        assert got == holder  # nobody scored, or a tie for first: unchanged
    else:
        assert got is not None and points[got] == ranked[0]


@given(holders, points_of_factions)
def test_a_contested_territory_needs_twice_the_second_place(
        holder: str | None, points: dict[str, int]) -> None:
    got = f.winner(holder, points, contested=True)
    ranked = sorted((p for p in points.values() if p > 0), reverse=True)
    second = ranked[1] if len(ranked) > 1 else 0
    if ranked and ranked[0] >= 2 * second and ranked[0] != second:
        assert got is not None and points[got] == ranked[0]
    else:
        assert got == holder


def test_contested_examples() -> None:
    assert f.winner("volkov", {"circuit": 199, "volkov": 100}, contested=True) == "volkov"
    assert f.winner("volkov", {"circuit": 200, "volkov": 100}, contested=True) == "circuit"
    assert f.winner(None, {"circuit": 1}, contested=True) == "circuit"
    assert f.winner("kessler", {}, contested=True) == "kessler"


def test_evaluate_lists_the_changes_in_catalogue_order() -> None:
    held = {"chrome_heights": "volkov", "freeport": "volkov"}
    points = {"freeport": {"circuit": 300, "volkov": 100},
              "chrome_heights": {"volkov": 5, "kessler": 4},
              "midtown": {"kessler": 1}}
    changes = f.evaluate(held, points, CONTENT.territories)
    assert [(c.territory.key, c.old, c.new) for c in changes] == [
        ("midtown", None, "kessler"), ("freeport", "volkov", "circuit")]


# --- the weekly rewards --------------------------------------------------------------------


def test_weekly_rewards_example() -> None:
    held = {"chrome_heights": "volkov", "neon_mile": "volkov", "freeport": "volkov",
            "midtown": "circuit"}
    members = {"volkov": {1: 500, 2: 100, 3: 99, 4: 40, 5: 500},
               "circuit": {7: 100, 8: 1000}}
    rewards = {r.faction: r for r in f.weekly_rewards(held, members, CONTENT.territories)}
    v, c = rewards["volkov"], rewards["circuit"]
    # (2 × $2,000 + $3,000 contested) × 1.25 for most territories
    assert (v.wealth, v.xp) == (8_750, 875)
    assert v.members == (1, 2, 5) and (v.wealth_each, v.xp_each) == (2_916, 291)
    assert v.crates == (1, 5, 2)  # the top 3 by points, ties by player id
    assert (c.wealth, c.xp, c.wealth_each, c.xp_each, c.crates) == (2_000, 200, 1_000, 100, ())
    assert "kessler" not in rewards


def test_a_tie_on_territories_goes_to_points_and_a_full_tie_to_nobody() -> None:
    assert f.week_winner({"volkov": 2, "circuit": 2}, {"volkov": 10, "circuit": 11}) == \
        "circuit"
    assert f.week_winner({"volkov": 2, "circuit": 2}, {"volkov": 10, "circuit": 10}) is None
    assert f.week_winner({"volkov": 3, "circuit": 2}, {"circuit": 99}) == "volkov"
    assert f.week_winner({}, {"circuit": 99}) is None


@given(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(FACTIONS)),
       st.dictionaries(st.sampled_from(FACTIONS),
                       st.dictionaries(st.integers(1, 40), st.integers(1, 400), max_size=12)))
def test_shares_never_exceed_the_pool(held: dict[str, str | None],
                                      members: dict[str, dict[int, int]]) -> None:
    rewards = f.weekly_rewards(held, members, CONTENT.territories)
    for r in rewards:
        n = len(r.members)
        assert all(members[r.faction][u] >= 100 for u in r.members)
        assert r.wealth_each * n <= r.wealth and r.wealth - r.wealth_each * n < max(n, 1) \
            or n == 0
        assert len(r.crates) <= 3
    assert sum(1 for r in rewards if r.crates) <= 1


# --- the buffs -----------------------------------------------------------------------------


def test_held_territories_fill_the_modifiers() -> None:
    mods = f.territory_modifiers(["chrome_heights", "midtown", "ashfall", "freeport",
                                  "black_bazaar", "gone"])
    assert mods == {"territory_xp": Decimal("0.20"), "territory_all": Decimal("0.15"),
                    "territory_shop": Decimal("0.05")}
    assert f.buffs_text(["chrome_heights", "midtown", "ashfall", "freeport"]) == \
        "XP +20%, all rewards +15%"
    # +20% XP and +15% all rewards on a play's 100 XP: 135
    assert play_rewards(100, 100, Modifiers(**mods), DEFAULT_RULES)[1] == 135


@given(st.lists(st.sampled_from(KEYS), unique=True))
def test_every_buff_kind_sums_its_territories(held: list[str]) -> None:
    mods = f.territory_modifiers(held)
    for kind, name in f.BUFF_KINDS.items():
        want = sum((t.buff for t in CONTENT.territories if t.key in held and t.kind == kind),
                   Decimal(0))
        assert mods.get(name, Decimal(0)) == want
