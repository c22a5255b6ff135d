"""Missions' rules: the content, the draw (3 daily and 2 weekly, one per category, at most one
luck-based), rewards × the tier multiplier, the bonus and the caps."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.missions import (
    BONUS_KEY,
    Ready,
    Shown,
    Template,
    bonus_due,
    bonus_ready,
    build,
    claim_text,
    count_for,
    draw,
    missions_text,
    nothing_text,
    pay,
    reward,
    templates,
)
from game.rules import DEFAULT_RULES, Tier

RULES = DEFAULT_RULES


@given(st.integers(0, 2**32), st.sampled_from(("daily", "weekly")))
def test_a_draw_is_full_one_per_category_at_most_one_luck(seed: int, period: str) -> None:
    n = count_for(period)
    drawn = draw(templates(), period, n, random.Random(seed))
    assert len(drawn) == n
    assert all(t.period == period for t in drawn)
    assert len({t.category for t in drawn}) == n
    assert sum(t.luck for t in drawn) <= 1


@given(st.integers(0, 2**32))
def test_the_same_seed_draws_the_same(seed: int) -> None:
    assert draw(templates(), "daily", 3, random.Random(seed)) == draw(
        templates(), "daily", 3, random.Random(seed))


def _t(key: str, category: str, luck: bool) -> dict[str, object]:
    return {"key": key, "period": "daily", "category": category, "difficulty": "easy",
            "objective": "plays", "target": 1, "luck": luck, "description": key}


@given(st.integers(0, 2**32))
def test_luck_and_categories_bind_even_when_most_templates_are_lucky(seed: int) -> None:
    pool = build({"mission": [_t(f"l{i}", f"c{i}", True) for i in range(6)]
                  + [_t("a", "a", False), _t("b", "b", False), _t("c", "c", False),
                     _t("a2", "a", False)]},
                 RULES.__class__(missions_per_period=(("daily", 3),)))
    drawn = draw(pool, "daily", 3, random.Random(seed))
    assert len(drawn) == 3 and sum(t.luck for t in drawn) <= 1
    assert len({t.category for t in drawn}) == 3


def test_content_too_thin_for_a_full_draw_is_refused() -> None:
    with pytest.raises(ValueError, match="categories without luck"):
        build({"mission": [_t("a", "a", False), _t("b", "b", False), _t("c", "c", True)]},
              RULES.__class__(missions_per_period=(("daily", 3),)))
    bad = _t("x", "x", False) | {"objective": "missions_done"}
    with pytest.raises(ValueError, match="not an objective"):
        build({"mission": [bad]})
    with pytest.raises(ValueError, match="share a key"):
        build({"mission": [_t("a", "a", False), _t("a", "b", False)]},
              RULES.__class__(missions_per_period=()))


def test_every_template_counts_a_real_counter_and_luck_marks_chance() -> None:
    lucky = {"rob_wins", "gambling_wins", "heists_won", "crates_opened"}
    for t in templates():
        assert isinstance(t, Template) and t.target > 0
        assert t.luck == (t.objective in lucky), t.key
    assert {t.category for t in templates()} >= {
        "chat", "jobs", "crime", "routine", "gambling", "crates", "heists"}


@pytest.mark.parametrize("difficulty,tier,expected", [
    ("easy", Tier.PUNK, (500, 50)), ("medium", Tier.PUNK, (1_000, 100)),
    ("hard", Tier.PUNK, (2_000, 200)), ("easy", Tier.ASSOCIATE, (550, 55)),
    ("medium", Tier.CAPTAIN, (1_300, 130)), ("hard", Tier.KINGPIN, (3_000, 300)),
])
def test_rewards_by_difficulty_times_the_tier_multiplier(
        difficulty: str, tier: Tier, expected: tuple[int, int]) -> None:
    assert reward(difficulty, tier) == expected


def test_the_bonus() -> None:
    assert bonus_ready("daily") == Ready("daily", BONUS_KEY, "all daily missions", 500, 50, "")
    assert bonus_ready("weekly").crate == "common" and bonus_ready("weekly").wealth == 2_000
    assert bonus_due(3, 3, False) and not bonus_due(3, 2, False)
    assert not bonus_due(3, 3, True) and not bonus_due(0, 0, False)


@given(st.lists(st.integers(0, 10_000), max_size=8), st.integers(0, 20_000),
       st.integers(0, 60_000))
def test_caps_pay_up_to_what_is_left_and_drop_the_rest(
        amounts: list[int], paid_day: int, paid_week: int) -> None:
    paid_week = max(paid_week, paid_day)  # today is in this week
    ready = [Ready("daily", f"k{i}", "m", a, 10) for i, a in enumerate(amounts)]
    out = pay(ready, paid_day, paid_week)
    total = sum(p.wealth for p in out)
    assert paid_day + total <= max(paid_day, 15_000)
    assert paid_week + total <= max(paid_week, 50_000)
    room = max(0, min(15_000 - paid_day, 50_000 - paid_week))
    assert total == min(sum(amounts), room)  # paid up to the cap, not less
    for p in out:
        assert p.wealth + p.dropped == p.ready.wealth and p.wealth >= 0
        assert (p.cap != "") == (p.dropped > 0)


def test_the_claim_says_what_a_cap_held_back() -> None:
    out = pay([Ready("daily", "a", "m", 1_000, 100), bonus_ready("daily")], 14_500, 14_500)
    text = claim_text(out, {}, RULES)
    assert text == ("🎁 1 mission claimed: +$500, +100 XP · 🏆 all daily missions done, "
                    "bonus: +$0, +50 XP · ⚠️ today's mission cap of $15,000 is reached: "
                    "$1,000 not paid")
    weekly = pay([Ready("weekly", "a", "m", 2_000, 200)], 0, 49_000)
    assert "this week's mission cap of $50,000 is reached: $1,000 not paid" in claim_text(
        weekly, {}, RULES)
    crate = claim_text(pay([bonus_ready("weekly")], 0, 0), {"weekly": "a common crate (!open)"},
                       RULES)
    assert crate == ("🏆 all weekly missions done, bonus: +$2,000, +200 XP and a common crate"
                     " (!open)")


def test_what_missions_shows() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday
    starts = {"daily": date(2026, 11, 23), "weekly": date(2026, 11, 22)}
    shown = [Shown("daily", "Pull 3 jobs (!play)", 5, 3, 500, False),
             Shown("daily", "Send 20 chat messages", 7, 20, 500, False),
             Shown("daily", "Check in (!checkin)", 1, 1, 500, True),
             Shown("weekly", "Win a heist", 0, 1, 1_000, False)]
    assert missions_text(shown, now, starts) == (
        "📋 daily (resets in 12 h): 🎁 Pull 3 jobs (!play) (done: $500) · • Send 20 chat"
        " messages 7/20 ($500) · ✅ Check in (!checkin) | weekly (resets in 132 h): • Win a"
        " heist 0/1 ($1,000) — !missions claim")
    assert "!missions claim" not in missions_text(shown[1:], now, starts)
    assert nothing_text(shown[2:3]).startswith("every mission is claimed")
    assert nothing_text(shown[1:]).startswith("nothing to claim yet")


def test_the_rules_page_lists_every_template() -> None:
    from tests.game.test_rules_doc import table

    rows = table("Key", "Period", "Category", "Difficulty", "Objective", "Target", "Luck",
                 "Mission")
    assert [(r["Key"], r["Period"], r["Category"], r["Difficulty"], r["Objective"],
             int(r["Target"].replace(",", "")), r["Luck"] == "yes", r["Mission"])
            for r in rows] == [
        (t.key, t.period, t.category, t.difficulty, t.objective, t.target, t.luck,
         t.description) for t in templates()]
    assert all(r["Luck"] in ("yes", "no") for r in rows)


def test_the_rules_page_states_the_numbers() -> None:
    from tests.game.test_rules_doc import flat

    page = flat()
    for difficulty, wealth, xp in RULES.mission_rewards:
        assert f"{difficulty} ${wealth:,} and {xp} XP" in page
    for period, wealth, xp, _ in RULES.mission_bonus:
        assert f"{period} ${wealth:,} and {xp} XP" in page
    assert "$15,000 of mission wealth (missions and bonuses) per UTC day and $50,000" in page
    assert dict(RULES.mission_wealth_caps) == {"daily": 15_000, "weekly": 50_000}
    assert RULES.missions_per_period == (("daily", 3), ("weekly", 2))
