"""The economy report (game/economy_report.py): measures, classification, formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.economy_report import (
    ADMIN,
    BAIL,
    CHECKIN,
    FLIPS,
    ONE_LINE_MAX,
    OTHER,
    PAYOUTS,
    PLAY,
    REWARDS,
    ROBS,
    SHOP,
    SOURCES,
    TRANSFER_LABELS,
    WAGERS,
    Flow,
    GameTotals,
    LedgerTotals,
    build_report,
    card,
    gini,
    one_line,
    rtp,
    source_of,
    top_count,
    top_share,
)
from game.replies import (
    CARD_DESCRIPTION_MAX,
    CARD_FIELD_NAME_MAX,
    CARD_FIELD_VALUE_MAX,
    CARD_FIELDS_MAX,
    CARD_TITLE_MAX,
)

wealths = st.lists(st.integers(0, 10**12), max_size=200)
EVENT_TYPES = sorted(SOURCES) + ["support_cheer", "support_raid", "mystery_event"]


# --- Gini and the richest 1% ----------------------------------------------------------------


@given(st.integers(1, 500), st.integers(0, 10**12))
def test_gini_of_an_equal_distribution_is_zero(n: int, each: int) -> None:
    assert gini([each] * n) == 0


@given(st.integers(1, 500), st.integers(1, 10**12))
def test_gini_when_one_holds_everything_is_n_minus_one_over_n(n: int, amount: int) -> None:
    wealth = [0] * (n - 1) + [amount]
    assert gini(wealth) == Decimal(n - 1) / Decimal(n)


def test_gini_of_known_distributions() -> None:
    assert gini([]) == 0
    assert gini([0, 0, 0]) == 0
    assert gini([1, 2, 3, 4]) == Decimal("0.25")  # (2·30 − 5·10) / (4·10)
    assert gini([0, 100]) == Decimal("0.5")
    assert gini([-50, 100]) == Decimal("0.5")  # a negative balance counts as nothing


@given(wealths)
def test_gini_is_between_zero_and_one_and_ignores_order(wealth: list[int]) -> None:
    g = gini(wealth)
    assert 0 <= g < 1
    assert gini(list(reversed(wealth))) == g
    assert gini([w * 3 for w in wealth]) == g  # scale free


def test_top_share_takes_the_richest_one_percent_and_at_least_one_player() -> None:
    assert top_share([], 0.01) == 0
    assert top_share([0] * 10, 0.01) == 0
    assert top_share([5], 0.01) == 1
    assert top_share([10, 30, 60], 0.01) == Decimal("0.6")  # one player: the richest
    hundred = [1] * 99 + [901]
    assert top_share(hundred, 0.01) == Decimal("0.901")
    assert top_share(hundred, Decimal("0.01")) == top_share(hundred, 0.01)
    assert top_count(150) == 1 and top_count(200) == 2 and top_count(1000) == 10
    assert top_share([1] * 198 + [50, 50], 0.01) == Decimal(100) / Decimal(298)
    with pytest.raises(ValueError):
        top_share([1, 2], 0)


@given(wealths)
def test_top_share_is_a_share_at_least_the_richest_players(wealth: list[int]) -> None:
    share = top_share(wealth, 0.01)
    assert 0 <= share <= 1
    if sum(wealth):
        assert share >= Decimal(max(wealth)) / Decimal(sum(wealth))


# --- classification -------------------------------------------------------------------------


def test_every_event_type_has_one_home() -> None:
    assert source_of("play") == PLAY
    assert source_of("checkin") == CHECKIN
    assert source_of("support_gift_subscriptions") == REWARDS
    assert source_of("support_donation") == REWARDS
    assert source_of("admin_wealth") == ADMIN
    for t in ("slots_payout", "slots_jackpot", "blackjack_payout", "lottery_payout"):
        assert source_of(t) == PAYOUTS
    for t in ("slots_wager", "blackjack_wager", "lottery_ticket"):
        assert source_of(t) == WAGERS
    assert source_of("buy") == source_of("supply") == SHOP
    assert source_of("bail") == BAIL
    assert source_of("rob") == source_of("robbed") == ROBS
    for t in ("flip_stake", "flip_payout", "flip_refund"):
        assert source_of(t) == FLIPS
    assert source_of("something_new") == OTHER


def report_of(flows: dict[str, Flow], **kw: object) -> object:
    defaults: dict[str, object] = {"wealth": [100, 200], "active_players": 2}
    defaults.update(kw)
    return build_report(LedgerTotals(flows), **defaults)  # type: ignore[arg-type]


def test_created_and_destroyed_by_source() -> None:
    r = build_report(LedgerTotals({
        "play": Flow(10_000, -1_500),   # wins create, losses destroy
        "chat": Flow(500, 0),
        "checkin": Flow(2_000, 0),
        "support_cheer": Flow(300, 0),
        "support_subscription": Flow(500, 0),
        "bail": Flow(0, -4_000),
        "buy": Flow(0, -1_000),
        "supply": Flow(0, -2_000),
        "sell": Flow(250, 0),
        "slots_wager": Flow(0, -5_000),
        "slots_payout": Flow(4_000, 0),
    }), wealth=[1, 2, 3], active_players=3)
    assert r.created_by(PLAY) == 10_000 and r.destroyed_by(PLAY) == 1_500
    assert r.created_by(REWARDS) == 800
    assert r.destroyed_by(SHOP) == 3_000
    assert r.created_by("sell") == 250
    assert r.destroyed_by(WAGERS) == 5_000 and r.created_by(PAYOUTS) == 4_000
    assert r.created_total == 10_000 + 500 + 2_000 + 800 + 250 + 4_000
    assert r.destroyed_total == 1_500 + 4_000 + 3_000 + 5_000
    assert r.net_change == r.created_total - r.destroyed_total
    assert [s.amount for s in r.created] == sorted((s.amount for s in r.created), reverse=True)
    assert all(s.amount > 0 for s in (*r.created, *r.destroyed))


def test_a_transfer_is_neither_created_nor_destroyed() -> None:
    r = build_report(LedgerTotals({
        "rob": Flow(7_000, 0), "robbed": Flow(0, -7_000),
        "flip_stake": Flow(0, -2_000), "flip_payout": Flow(2_000, 0),
    }), wealth=[5_000, 9_000], active_players=2)
    assert r.created == () and r.destroyed == ()
    assert r.created_total == r.destroyed_total == r.net_change == 0
    assert {s.label: s.amount for s in r.transfers} == {ROBS: 7_000, FLIPS: 2_000}
    assert r.transfer_net == 0


def test_stakes_in_escrow_are_the_transfers_net() -> None:
    r = build_report(LedgerTotals({"flip_stake": Flow(0, -1_000), "play": Flow(3_000, 0)}),
                     wealth=[2_000], active_players=1)
    assert r.transfer_net == -1_000
    assert r.net_change == 2_000  # 3,000 created, 1,000 still in escrow
    assert r.created_total == 3_000


flows = st.dictionaries(
    st.sampled_from(EVENT_TYPES),
    st.builds(Flow, st.integers(0, 10**12), st.integers(-(10**12), 0)), max_size=30)


@given(flows)
def test_the_report_adds_up_to_the_ledger(fl: dict[str, Flow]) -> None:
    r = build_report(LedgerTotals(fl), wealth=[1], active_players=1)
    assert r.net_change == LedgerTotals(fl).net
    kept = {k: f for k, f in fl.items() if source_of(k) not in TRANSFER_LABELS}
    assert r.created_total == sum(f.positive for f in kept.values())
    assert r.destroyed_total == -sum(f.negative for f in kept.values())
    assert r.transfer_net == sum(f.positive + f.negative for k, f in fl.items()
                                 if source_of(k) in TRANSFER_LABELS)


def test_ledger_totals_from_sql_rows_add_up_a_type_twice() -> None:
    totals = LedgerTotals.from_rows([("play", 10, -3), ("chat", 5, 0), ("play", 1, -1)])
    assert totals.flows == {"play": Flow(11, -4), "chat": Flow(5, 0)}
    assert totals.net == 12
    with pytest.raises(ValueError):
        Flow(-1, 0)


def test_per_active_player_and_growth() -> None:
    r = build_report(LedgerTotals({"play": Flow(1_000, 0)}), wealth=[1_500, 500, 0],
                     active_players=4)
    assert r.net_per_active == 250
    assert r.growth == Decimal(1_000) / Decimal(1_000)  # supply 2,000, was 1,000
    empty = build_report(LedgerTotals(), wealth=[], active_players=0)
    assert empty.net_per_active is None and empty.growth is None and empty.gini == 0


# --- return to player -----------------------------------------------------------------------


def test_measured_rtp_next_to_the_designed_one() -> None:
    assert rtp(1_000, 950) == Decimal("0.95")
    assert rtp(0, 0) is None
    r = build_report(
        LedgerTotals(), wealth=[1], active_players=1,
        games={"lottery": GameTotals(10_000, 4_500, 10), "slots": GameTotals(2_000, 2_400, 7),
               "coinflip": GameTotals(0, 0, 0)},
        designed={"slots": Decimal("0.95"), "lottery": Decimal("0.9"),
                  "blackjack": Decimal("0.994"), "coinflip": Decimal(1)})
    lines = {g.game: g for g in r.games}
    assert [g.game for g in r.games] == ["slots", "blackjack", "coinflip", "lottery"]
    assert lines["slots"].measured == Decimal("1.2") and lines["slots"].designed == Decimal("0.95")
    assert lines["lottery"].measured == Decimal("0.45") and lines["lottery"].rounds == 10
    assert lines["blackjack"].measured is None  # nothing wagered: no measure, still designed
    assert lines["coinflip"].measured is None
    assert "slots 120.0% (95.0%)" in one_line(r)
    assert "lotto 45.0% (90.0%)" in one_line(r)


# --- formatting -----------------------------------------------------------------------------

big = st.integers(0, 10**15)


@st.composite
def reports(draw: st.DrawFn) -> object:
    fl = draw(st.dictionaries(st.sampled_from(EVENT_TYPES), st.builds(
        Flow, big, st.integers(-(10**15), 0)), max_size=40))
    games = draw(st.dictionaries(
        st.sampled_from(["slots", "blackjack", "coinflip", "lottery", "roulette"]),
        st.builds(GameTotals, big, big, big)))
    designed = {g: Decimal(draw(st.integers(0, 10**6))) / 1000 for g in games}
    return build_report(
        LedgerTotals(fl), wealth=draw(st.lists(big, max_size=50)),
        active_players=draw(st.integers(0, 10**7)), games=games, designed=designed,
        jackpot_pool=draw(big), lottery_pool=draw(big),
        window=draw(st.sampled_from(["day", "week", "day 30"])))


@given(reports())
def test_the_one_line_fits_a_chat_message(report: object) -> None:
    text = one_line(report)  # type: ignore[arg-type]
    assert 0 < len(text) <= ONE_LINE_MAX
    assert "Economy" in text


def test_the_one_line_shows_the_headline_figures() -> None:
    r = build_report(
        LedgerTotals({"play": Flow(900_000, -50_000), "checkin": Flow(100_000, 0),
                      "bail": Flow(0, -150_000), "slots_wager": Flow(0, -100_000),
                      "slots_payout": Flow(60_000, 0)}),
        wealth=[1_000_000] * 99 + [9_000_000], active_players=80,
        games={"slots": GameTotals(100_000, 60_000, 400)}, designed={"slots": Decimal("0.55")},
        jackpot_pool=12_000, lottery_pool=4_500, window="day")
    text = one_line(r)
    assert text.startswith("📊 Economy (day): supply $108,000,000 (+$760,000, +0.7%)")
    assert "+$9,500/active player (80 active)" in text
    assert "created $1,060,000: play 85%, check-in 9%, gambling payouts 6%" in text
    assert "destroyed $300,000: bail 50%, wagers 33%, play 17%" in text
    assert "slots 60.0% (55.0%)" in text
    assert "jackpot $12,000, lottery $4,500" in text
    assert "Gini 0.07, top 1% 8.3%" in text


@given(reports())
def test_the_card_keeps_the_card_limits(report: object) -> None:
    c = card(report)  # type: ignore[arg-type]
    assert len(c.title) <= CARD_TITLE_MAX
    assert c.description is None or len(c.description) <= CARD_DESCRIPTION_MAX
    assert len(c.fields) <= CARD_FIELDS_MAX
    for f in c.fields:
        assert 0 < len(f.name) <= CARD_FIELD_NAME_MAX
        assert 0 < len(f.value) <= CARD_FIELD_VALUE_MAX


def test_the_card_shows_sources_games_pools_and_inequality() -> None:
    labels = [f"support_kind{i}" for i in range(5)] + sorted(SOURCES)
    r = build_report(LedgerTotals({t: Flow(10**14, -(10**14)) for t in labels}),
                     wealth=[0, 10], active_players=2,
                     games={"slots": GameTotals(100, 90, 1)}, designed={"slots": Decimal("0.5")},
                     jackpot_pool=10_000, lottery_pool=900)
    c = card(r)
    names = [f.name for f in c.fields]
    assert names[0].startswith("Created") and names[1].startswith("Destroyed")
    assert "Net supply change" in names and "Pools" in names and "Inequality" in names
    by_name = {f.name: f.value for f in c.fields}
    assert "slots: 90.0% / 50.0%" in by_name["Return to player (measured / designed)"]
    assert "robs: $200,000,000,000,000 paid out" in by_name["Transfers (not created)"]
    assert "Gini 0.50" in by_name["Inequality"]
