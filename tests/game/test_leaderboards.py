"""The leaderboards' words, values and records (pure), and docs/rules.md's tables of them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.commands import ALIASES, USAGE, parse_command
from game.errors import UsageError
from game.leaderboards import (
    BOARD_ARGS,
    METRICS,
    PERIOD_WORDS,
    RECORDS,
    Candidate,
    best_of,
    ledger_candidates,
    metric_of,
    parse_board,
    period_of,
    show,
    show_record,
)
from game.stats import PERIODS, STATS, Entry
from tests.game.test_rules_doc import flat, table

USAGE_LB = USAGE["lb"]
METRIC_WORDS = [(w, m.name) for m in METRICS.values() for w in (m.name, *m.aliases)]
PERIOD_WORD_LIST = [(w, p) for p, ws in PERIOD_WORDS.items() for w in (p, *ws)]


@pytest.mark.parametrize(("word", "metric"), METRIC_WORDS)
@pytest.mark.parametrize(("pword", "period"), PERIOD_WORD_LIST)
def test_every_period_and_metric_parses_in_either_order(word: str, metric: str, pword: str,
                                                        period: str) -> None:
    assert parse_board([pword, word], USAGE_LB) == (period, metric)
    assert parse_board([word.upper(), pword], USAGE_LB) == (period, metric)
    assert parse_board([word], USAGE_LB) == (None, metric)
    assert parse_board([pword], USAGE_LB) == (period, None)


def test_no_argument_is_the_default_and_every_counter_is_a_snapshot_column() -> None:
    assert parse_board([], USAGE_LB) == (None, None)
    assert all(m.column in STATS for m in METRICS.values())
    assert set(PERIOD_WORDS) == set(PERIODS)
    assert BOARD_ARGS == ("[daily|weekly|monthly|annual|lifetime] [wealth|xp|messages|plays"
                          "|robs|robwins|checkins|crates|usd|gambling]")
    assert USAGE["lb"] == f"usage: !lb {BOARD_ARGS}"
    assert USAGE["rank"] == f"usage: !rank {BOARD_ARGS}"
    assert ALIASES["hof"] == ("halloffame",)
    cmd = parse_command("!halloffame")
    assert cmd is not None and cmd.name == "hof"


@given(st.lists(st.text(max_size=12), max_size=4))
def test_anything_else_gets_the_usage(words: list[str]) -> None:
    periods = [period_of(w) for w in words]
    metrics = [metric_of(w) for w in words]
    valid = (len(words) <= 2 and all(p or m for p, m in zip(periods, metrics, strict=True))
             and sum(p is not None for p in periods) <= 1
             and sum(m is not None for m in metrics) <= 1)
    if valid:
        period, metric = parse_board(words, USAGE_LB)
        assert period == next((p for p in periods if p), None)
        assert metric == next((m for m in metrics if m), None)
    else:
        with pytest.raises(UsageError) as err:
            parse_board(words, USAGE_LB)
        assert str(err.value) == USAGE_LB


@pytest.mark.parametrize(("metric", "value", "shown"), [
    ("wealth", 1234, "$1,234"), ("gambling", -50, "-$50"), ("gambling", 0, "$0"),
    ("usd", 1250, "$12.50"), ("usd", 5, "$0.05"), ("usd", 123_456_78, "$123,456.78"),
    ("plays", 1234, "1,234"), ("xp", 7, "7"),
])
def test_values_are_shown_as_players_read_them(metric: str, value: int, shown: str) -> None:
    assert show(metric, value) == shown


def test_records_are_shown_with_their_unit() -> None:
    assert show_record("biggest_rob", 25_000) == "$25,000"
    assert show_record("longest_streak", 1) == "1 day"
    assert show_record("longest_streak", 12) == "12 days"
    assert show_record("most_juicernaut", 3) == "×3"


def _entry(i: int, kind: str, wealth: int, detail: dict[str, object],
           community: int = 1, user: int = 1) -> Entry:
    return Entry(id=i, community_id=community, user_id=user, event_type=kind, wealth=wealth,
                 xp=0, created_at=datetime(2026, 1, 1, tzinfo=UTC), detail=detail)


def test_the_ledgers_candidates_are_robs_won_and_jackpots_the_first_of_equals() -> None:
    got = best_of(ledger_candidates([
        _entry(1, "rob", 500, {"target": 9, "won": True}, user=2),
        _entry(2, "rob", 900, {"target": 8, "won": False}, user=3),  # a failed rob
        _entry(3, "rob", 500, {"target": 7, "won": True}, user=4),   # equal: the first stays
        _entry(4, "slots_jackpot", 10_000, {"win": True}, user=5),
        _entry(5, "slots_payout", 50_000, {"win": True}, user=6),    # not a jackpot
        _entry(6, "rob", 700, {"target": 9, "won": True}, community=2, user=7),
    ]))
    assert sorted(got, key=lambda c: (c.community_id, c.record)) == [
        Candidate(1, "biggest_jackpot", 5, 10_000),
        Candidate(1, "biggest_rob", 2, 500, 9),
        Candidate(2, "biggest_rob", 7, 700, 9),
    ]


@given(st.lists(st.tuples(st.integers(1, 3), st.sampled_from(sorted(RECORDS)),
                          st.integers(1, 50), st.integers(0, 10**6)), max_size=30))
def test_best_of_keeps_the_first_highest_per_community_and_record(
        rows: list[tuple[int, str, int, int]]) -> None:
    cands = [Candidate(c, r, u, v) for c, r, u, v in rows]
    best = {(c.community_id, c.record): c for c in best_of(cands)}
    assert set(best) == {(c, r) for c, r, _, _ in rows}
    for (community, record), c in best.items():
        mine = [x for x in cands if (x.community_id, x.record) == (community, record)]
        top = max(x.value for x in mine)
        assert c == next(x for x in mine if x.value == top)


# --- docs/rules.md -----------------------------------------------------------------------------

def test_the_metrics_table_is_the_code() -> None:
    rows = table("metric", "also", "counts", "shown as")
    assert [r["metric"] for r in rows] == [f"`{m}`" for m in METRICS]
    for row, m in zip(rows, METRICS.values(), strict=True):
        assert row["also"] == ", ".join(f"`{a}`" for a in m.aliases)
        assert row["shown as"] == {"money": "dollars", "usd": "dollars and cents",
                                   "count": "a count"}[m.shown]
        assert row["counts"], m.name


def test_the_periods_table_is_the_code() -> None:
    rows = table("period", "also", "starts")
    assert [r["period"] for r in rows] == [f"`{p}`" for p in PERIODS]
    for row, p in zip(rows, PERIODS, strict=True):
        assert row["also"] == ", ".join(f"`{a}`" for a in PERIOD_WORDS[p])


def test_the_records_table_is_the_code() -> None:
    rows = table("record", "what", "on the feed")
    assert [r["record"] for r in rows] == [r.label for r in RECORDS.values()]
    assert [r["on the feed"] == "yes" for r in rows] == [
        r.announced for r in RECORDS.values()]


def test_the_commands_in_the_section_are_the_registry() -> None:
    section = flat().split("## Leaderboards and hall of fame", 1)[1].split(" ## ", 1)[0]
    for name in ("lb", "rank", "hof"):
        assert f"`{USAGE[name].removeprefix('usage: ')}`" in section, name
    assert re.search(r"`!halloffame`", section)
