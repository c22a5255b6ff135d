"""Achievements' rules: the catalogue, which facts unlock what (exact thresholds, monotone),
the rob streak, the facts read off ledger rows, the texts, and docs/rules.md's table."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import achievements as ach
from game.catalogue import ACHIEVEMENT_TITLES, ITEM_TIERS, catalogue
from game.crates import open_crate
from game.replies import money
from game.stats import STATS, Entry

CAT = ach.achievements()
DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"

facts = st.dictionaries(st.sampled_from(ach.METRICS), st.integers(0, 10**9))


def test_every_achievement_of_game_md_is_there() -> None:
    ladders = {
        "wealth_earned": [10**3, 10**4, 10**5, 10**6, 10**7, 10**8],
        "level": [5, 10, 25, 50, 75, 100],
        "rob_wins": [5, 25, 100, 500], "defenses": [50], "rob_streak": [10],
        "checkin_streak": [7, 14, 30, 60, 365], "messages": [100, 1_000, 10_000],
        "items": [10, 50, 100], "legendary_crate_items": [1],
        "gambling_wins": [10, 100, 1_000], "jackpots": [1], "blackjack_wins": [100],
        "faction_joined": [1], "faction_days": [30], "faction_captures": [10],
        "juicernaut_wins": [1, 10], "contributed_cents": [100_000],
    }
    got: dict[str, list[int]] = {}
    for a in CAT:
        got.setdefault(a.metric, []).append(a.threshold)
    assert got == ladders
    assert all(a.wealth or a.xp or a.title for a in CAT)
    assert not any(a.xp for a in CAT if a.metric == "level")  # XP would level into the next


def test_titles_exist_and_crates_never_drop_them() -> None:
    cat = catalogue()
    given_titles = {a.title_key for a in CAT if a.title_key}
    tier = {k for k, t in cat.titles.items() if t.tier == ACHIEVEMENT_TITLES}
    assert given_titles == tier and len(tier) == 22
    assert all(cat.titles[k].name == a.title for a in CAT if (k := a.title_key))
    rng = random.Random(7)
    for crate in ITEM_TIERS:
        only_titles = replace(cat, crates={**cat.crates, crate: replace(
            cat.crates[crate], contents={"weapon": 0, "armor": 0, "wealth": 0, "title": 1})})
        for _ in range(300):
            loot = open_crate(crate, rng, frozenset(), only_titles)
            assert loot.title_key not in tier


@pytest.mark.parametrize("broken,message", [
    ({"metric": "nope"}, "no metric"),
    ({"category": "nope"}, "no category"),
    ({"threshold": 0}, "threshold positive"),
    ({"wealth": 0, "xp": 0}, "rewards nothing"),
    ({"title": "The Godfather"}, "no achievement title"),  # a crate title
    ({"title": "Nobody"}, "no achievement title"),
])
def test_a_broken_catalogue_is_refused(broken: dict[str, object], message: str) -> None:
    raw = {"key": "k", "name": "N", "category": "chat", "metric": "messages",
           "threshold": 1, "wealth": 1, "description": "d"}
    with pytest.raises(ValueError, match=message):
        ach.build({"achievement": [{**raw, **broken}]}, catalogue())


def test_two_achievements_with_one_key_are_refused() -> None:
    raw = {"key": "k", "name": "N", "category": "chat", "metric": "messages",
           "threshold": 1, "wealth": 1, "description": "d"}
    with pytest.raises(ValueError, match="share a key"):
        ach.build({"achievement": [raw, {**raw, "name": "M"}]}, catalogue())


@given(st.sampled_from(CAT))
def test_thresholds_are_exact(a: ach.Achievement) -> None:
    assert a in ach.unlocked_by({a.metric: a.threshold})
    assert a not in ach.unlocked_by({a.metric: a.threshold - 1})
    others = {m: 10**12 for m in ach.METRICS if m != a.metric}
    assert a not in ach.unlocked_by({**others, a.metric: a.threshold - 1})


@given(facts, facts)
def test_more_progress_never_unlocks_less(base: dict[str, int], more: dict[str, int]) -> None:
    grown = {m: base.get(m, 0) + more.get(m, 0) for m in ach.METRICS}
    assert set(ach.unlocked_by(base)) <= set(ach.unlocked_by(grown))


@given(facts, st.sets(st.sampled_from([a.key for a in CAT])))
def test_newly_unlocked_is_what_is_reached_and_not_held(f: dict[str, int],
                                                        held: set[str]) -> None:
    new = ach.newly_unlocked(f, held)
    assert {a.key for a in new} == {a.key for a in ach.unlocked_by(f)} - held
    assert [a.key for a in new] == [a.key for a in CAT if a in new]  # catalogue order
    # once stored, the same facts unlock nothing more
    assert ach.newly_unlocked(f, held | {a.key for a in new}) == []


@given(facts, st.sets(st.sampled_from([a.key for a in CAT])))
def test_closest_is_locked_and_nearest(f: dict[str, int], held: set[str]) -> None:
    best = ach.closest(f, held)
    locked = [a for a in CAT if a.key not in held]
    if not locked:
        assert best is None
        return
    assert best is not None and best.key not in held

    def share(a: ach.Achievement) -> float:
        return min(f.get(a.metric, 0), a.threshold) / a.threshold

    assert all(share(best) >= share(a) for a in locked)


def test_closest_of_a_new_player_is_the_first_and_none_when_all_are_held() -> None:
    assert ach.closest({}, ()) == CAT[0]
    assert ach.closest({"messages": 60}, ()) == ach.by_key()["messages_100"]
    assert ach.closest({}, [a.key for a in CAT]) is None


@given(st.integers(0, 50), st.integers(0, 50), st.lists(st.booleans(), max_size=40))
def test_rob_streaks(current: int, best: int, won: list[bool]) -> None:
    best = max(best, current)
    now, top = ach.rob_streaks(current, best, won)
    run = current
    expect = best
    for w in won:
        run = run + 1 if w else 0
        expect = max(expect, run)
    assert (now, top) == (run, expect) and top >= best
    # splitting the rows over two batches gives the same
    cut = len(won) // 2
    assert ach.rob_streaks(*ach.rob_streaks(current, best, won[:cut]), won[cut:]) == (now, top)


def _entry(kind: str, detail: dict[str, object]) -> Entry:
    return Entry(1, 1, 1, kind, 0, 0, datetime(2026, 1, 1, tzinfo=UTC), detail)


def test_items_and_legendary_crate_items_from_rows() -> None:
    cat = catalogue()
    legendary = next(i.key for i in cat.items.values() if i.tier == "legendary")
    common = next(i.key for i in cat.items.values() if i.tier == "common")
    assert ach.item_of(_entry("buy", {"item": common})) == common
    assert ach.item_of(_entry("item_stolen", {"lost": common})) is None
    assert ach.item_of(_entry("crate_open", {"tier": "rare"})) is None
    assert ach.is_legendary_crate_item(_entry("crate_open", {"item": legendary,
                                                             "rarity": "legendary"}), cat)
    assert ach.is_legendary_crate_item(_entry("crate_open", {"item": legendary}), cat)
    assert not ach.is_legendary_crate_item(_entry("crate_open", {"item": common,
                                                                 "rarity": "common"}), cat)
    assert not ach.is_legendary_crate_item(_entry("buy", {"item": legendary}), cat)
    assert not ach.is_legendary_crate_item(_entry("crate_open", {"tier": "legendary"}), cat)


def test_texts() -> None:
    k = ach.by_key()
    line = ach.unlock_line("alice", [k["messages_100"], k["messages_10k"]])
    assert line == ("🏆 alice unlocked Chatterbox (send 100 chat messages), Voice of the Streets"
                    " (send 10,000 chat messages) — +$500, +50 XP; +$10,000, +1,000 XP, the "
                    "title “The Voice” (!title)")
    assert ach.note_text(k["level_5"]) == "🏆 achievement Climbing (reach level 5): +$500"
    text = ach.summary_text("you have", {"messages": 150, "contributed_cents": 12_345},
                            ["messages_100"])
    assert text.startswith("🏆 you have 1/41 achievements — latest: Chatterbox — next: ")
    assert ach.progress_text(k["contributed_1000"], {"contributed_cents": 12_345}) == \
        "$123/$1,000"
    every = [a.key for a in CAT]
    assert ach.summary_text("bob has", {}, every).endswith("— every one unlocked!")
    assert ach.summary_text("bob has", {}, []) == (
        "🏆 bob has 0/41 achievements — next: Pocket Money (earn $1,000, $0/$1,000) for "
        "+100 XP")


def test_every_metric_is_a_counter_or_a_fact() -> None:
    assert set(ach.METRICS) == set(STATS) | set(ach.EXTRA_METRICS)


def _table() -> list[list[str]]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index("| achievement | unlocked by | wealth | XP | title |")
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def test_the_rules_table_is_the_catalogue() -> None:
    expected = [[a.name, a.description, money(a.wealth) if a.wealth else "—",
                 f"{a.xp:,}" if a.xp else "—", a.title or "—"] for a in CAT]
    assert _table() == expected
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"* {len(CAT)} achievements (table)" in text
    own = sum(t.tier == ACHIEVEMENT_TITLES for t in catalogue().titles.values())
    assert f"(the achievement tier of the title catalogue, {own})" in text
    assert f"The catalogue holds {len(catalogue().items)} items today" in text
