"""Blackjack (GAME.md "Gambling"): one fresh deck per hand, the dealer hits soft 17, a natural
pays 3:2 (floored), double on the first two cards only; the dealer peeks.

Exact return of basic strategy (``exact_rtp``, recomputed here):
RTP = 158,052,880,690,976,942,761 / 158,967,762,540,051,465,000 ≈ 0.994244859,
house edge ≈ 0.5755%. A million simulated hands must land within 4 standard errors of it.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.errors import NotAllowed
from game.gambling import blackjack as bj
from game.gambling.blackjack import Hand
from game.rules import DEFAULT_RULES, Rules

SIM_HANDS = 1_000_000
SIM_SIGMA = 1.15  # sd of one hand's net per unit bet with doubles (≈ 1.12 measured)
SIM_TOLERANCE = 4 * SIM_SIGMA / math.sqrt(SIM_HANDS)  # ≈ 0.0046


class Stacked:
    """A 'shuffle' that puts ``top`` first (deal order: player, dealer, player, dealer, then
    the draws), the rest of the deck after it in deck order."""

    def __init__(self, *top: str) -> None:
        self.top = list(top)

    def shuffle(self, x: list[str]) -> None:
        rest = [c for c in x if c not in self.top]
        x[:] = self.top + rest


def dealt(player: Sequence[str], dealer: Sequence[str], *draws: str, bet: int = 100) -> Hand:
    top = (player[0], dealer[0], player[1], dealer[1], *draws)
    return bj.deal(bet, Stacked(*top))


# --- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(("cards", "expected"), [
    ((), (0, False)),
    (("5♠", "6♦"), (11, False)),
    (("K♠", "Q♥"), (20, False)),
    (("A♠", "6♦"), (17, True)),
    (("A♠", "6♦", "10♣"), (17, False)),
    (("A♠", "A♥"), (12, True)),
    (("A♠", "A♥", "9♦"), (21, True)),
    (("A♠", "A♥", "A♦", "A♣"), (14, True)),
    (("A♠", "K♦"), (21, True)),
    (("A♠", "5♦", "5♣", "K♥"), (21, False)),
    (("K♠", "Q♥", "2♦"), (22, False)),
    (("10♠", "9♥", "A♦", "A♣"), (21, False)),
])
def test_value(cards: tuple[str, ...], expected: tuple[int, bool]) -> None:
    assert bj.value(cards) == expected


def test_a_fresh_deck_is_52_distinct_cards_shuffled() -> None:
    deck = bj.new_deck(random.Random(1))
    assert len(deck) == 52 and set(deck) == set(bj.DECK)
    assert deck != bj.DECK and bj.new_deck(random.Random(2)) != deck
    assert bj.is_natural(("J♣", "A♦")) and not bj.is_natural(("A♦", "5♣", "5♥"))


# --- the deal and naturals ----------------------------------------------------------------


def test_deal_order_and_an_open_hand() -> None:
    hand = dealt(("10♠", "7♦"), ("9♣", "5♥"), "2♠")
    assert hand.player == ("10♠", "7♦") and hand.dealer == ("9♣", "5♥")
    assert hand.deck[0] == "2♠" and len(hand.deck) == 48
    assert (hand.status, hand.outcome, hand.payout, hand.doubled) == ("open", None, 0, False)
    assert hand.up_card == "9♣" and hand.can_double and hand.stake == 100


@pytest.mark.parametrize(("bet", "payout"), [(100, 250), (101, 252), (1, 2), (333, 832)])
def test_a_natural_pays_3_to_2_floored(bet: int, payout: int) -> None:
    hand = dealt(("A♠", "K♦"), ("9♣", "7♥"), bet=bet)
    assert (hand.status, hand.outcome, hand.payout) == ("done", "blackjack", payout)
    assert hand.net == payout - bet
    assert bj.result_text(hand) == f"blackjack! you win ${payout - bet:,}"


def test_the_natural_payout_comes_from_the_rules() -> None:
    even_money = Rules(blackjack_payout=Decimal(1))
    hand = bj.deal(100, Stacked("A♠", "9♣", "K♦", "7♥"), even_money)
    assert hand.payout == 200


def test_a_dealer_natural_settles_at_the_deal() -> None:
    hand = dealt(("10♠", "9♦"), ("A♣", "Q♥"))
    assert (hand.status, hand.outcome, hand.payout) == ("done", "lose", 0)
    assert bj.result_text(hand) == "dealer has blackjack — you lose $100"
    ten_up = dealt(("10♠", "9♦"), ("K♣", "A♥"))
    assert (ten_up.status, ten_up.outcome) == ("done", "lose")
    with pytest.raises(NotAllowed):
        bj.double(hand)


def test_two_naturals_push() -> None:
    hand = dealt(("A♠", "K♦"), ("A♣", "10♥"))
    assert (hand.status, hand.outcome, hand.payout) == ("done", "push", 100)
    assert bj.result_text(hand) == "push (both blackjack) — your $100 back"


def test_a_three_card_21_is_no_natural() -> None:
    hand = bj.hit(dealt(("A♠", "5♦"), ("10♣", "10♥"), "5♣"))
    assert hand.player == ("A♠", "5♦", "5♣")
    assert (hand.outcome, hand.payout) == ("win", 200)  # 21 beats 20, even money


def test_bets_are_positive_whole_numbers() -> None:
    for bad in (0, -5, True):
        with pytest.raises(ValueError):
            bj.deal(bad, random.Random(1))


# --- the player's moves -------------------------------------------------------------------


def test_a_bust_settles_and_the_dealer_draws_nothing() -> None:
    hand = bj.hit(dealt(("10♠", "6♦"), ("5♣", "6♥"), "K♣", "10♦"))
    assert hand.player == ("10♠", "6♦", "K♣") and hand.dealer == ("5♣", "6♥")
    assert (hand.status, hand.outcome, hand.payout) == ("done", "bust", 0)
    assert bj.result_text(hand) == "bust with 26 — you lose $100"
    with pytest.raises(NotAllowed):
        bj.hit(hand)
    with pytest.raises(NotAllowed):
        bj.stand(hand)


def test_hitting_21_stands() -> None:
    hand = bj.hit(dealt(("10♠", "6♦"), ("10♣", "7♥"), "5♣", "9♦"))
    assert (hand.status, hand.outcome, hand.payout) == ("done", "win", 200)
    assert hand.dealer == ("10♣", "7♥")


def test_hit_keeps_a_hand_open_below_21() -> None:
    hand = bj.hit(dealt(("2♠", "3♦"), ("10♣", "7♥"), "4♣"))
    assert hand.status == "open" and hand.player == ("2♠", "3♦", "4♣")
    assert not hand.can_double


def test_the_dealer_hits_soft_17() -> None:
    hand = bj.stand(dealt(("10♠", "8♦"), ("A♣", "6♥"), "2♣", "9♦"))
    assert hand.dealer == ("A♣", "6♥", "2♣")  # soft 17 drew, soft 19 stands
    assert (hand.outcome, hand.payout) == ("lose", 0)
    assert bj.result_text(hand) == "dealer's 19 beats 18 — you lose $100"


def test_the_dealer_stands_on_hard_17_and_draws_below() -> None:
    hard = bj.stand(dealt(("10♠", "8♦"), ("10♣", "7♥"), "2♣"))
    assert hard.dealer == ("10♣", "7♥") and (hard.outcome, hard.payout) == ("win", 200)
    assert bj.result_text(hard) == "18 beats 17 — you win $100"
    soft_18 = bj.stand(dealt(("10♠", "8♦"), ("A♣", "7♥"), "2♣"))
    assert soft_18.dealer == ("A♣", "7♥") and soft_18.outcome == "push"
    low = bj.stand(dealt(("10♠", "8♦"), ("2♣", "3♥"), "A♣", "A♦", "K♠", "6♣"))
    # 5, soft 16, soft 17 (hits), hard 17 after the K: stands
    assert low.dealer == ("2♣", "3♥", "A♣", "A♦", "K♠") and low.outcome == "win"


def test_push_returns_the_stake() -> None:
    hand = bj.stand(dealt(("10♠", "8♦"), ("10♣", "8♥")))
    assert (hand.outcome, hand.payout, hand.net) == ("push", 100, 0)
    assert bj.result_text(hand) == "push (18 each) — your $100 back"


def test_dealer_bust_pays_double_the_stake() -> None:
    hand = bj.stand(dealt(("10♠", "2♦"), ("10♣", "6♥"), "K♠"))
    assert (hand.outcome, hand.payout) == ("dealer_bust", 200)
    assert bj.result_text(hand) == "dealer busts with 26 — you win $100"


def test_double_takes_one_card_and_the_dealer_plays() -> None:
    hand = bj.double(dealt(("6♠", "5♦"), ("10♣", "7♥"), "2♣", "9♦"))
    assert hand.player == ("6♠", "5♦", "2♣") and hand.doubled and hand.stake == 200
    assert (hand.status, hand.outcome, hand.payout) == ("done", "lose", 0)
    won = bj.double(dealt(("6♠", "5♦"), ("10♣", "7♥"), "9♣"))
    assert (won.outcome, won.payout) == ("win", 400)
    assert bj.result_text(won) == "20 beats 17 — you win $200"
    pushed = bj.double(dealt(("6♠", "5♦"), ("10♣", "7♥"), "6♣"))
    assert (pushed.outcome, pushed.payout) == ("push", 200)


def test_a_doubled_bust_loses_both_stakes_and_the_dealer_draws_nothing() -> None:
    hand = bj.double(dealt(("10♠", "6♦"), ("5♣", "6♥"), "K♣"))
    assert (hand.outcome, hand.payout, hand.net) == ("bust", 0, -200)
    assert hand.dealer == ("5♣", "6♥")
    assert bj.result_text(hand) == "bust with 26 — you lose $200"


def test_double_only_on_the_first_two_cards() -> None:
    hand = bj.hit(dealt(("2♠", "3♦"), ("10♣", "7♥"), "4♣"))
    with pytest.raises(NotAllowed, match="first two cards"):
        bj.double(hand)
    assert bj.double(dealt(("2♠", "3♦"), ("10♣", "7♥"), "4♣")).doubled


def test_the_natural_floor_is_exact_on_big_bets() -> None:
    bet = 10**15 + 1
    assert dealt(("A♠", "K♦"), ("9♣", "7♥"), bet=bet).payout == bet + (3 * bet) // 2


# --- chat text ----------------------------------------------------------------------------


def test_show_hides_the_hole_card_until_revealed() -> None:
    hand = dealt(("K♠", "7♦"), ("9♣", "5♥"))
    assert bj.show(hand, reveal=False) == "you: K♠ 7♦ (17) · dealer: 9♣ ?"
    assert "5♥" not in bj.show(hand, reveal=False)
    done = bj.stand(dealt(("A♠", "6♦"), ("9♣", "5♥"), "4♠"))
    assert bj.show(done, reveal=True) == "you: A♠ 6♦ (soft 17) · dealer: 9♣ 5♥ 4♠ (18)"
    doubled = bj.double(dealt(("6♠", "5♦"), ("10♣", "7♥"), "9♣"))
    assert bj.show(doubled, reveal=True).endswith("· doubled to $200")
    natural = dealt(("A♠", "K♦"), ("9♣", "7♥"))
    assert bj.show(natural, reveal=True).startswith("you: A♠ K♦ (blackjack)")
    with pytest.raises(ValueError):
        bj.result_text(hand)


# --- storage ------------------------------------------------------------------------------

moves = st.lists(st.sampled_from(["hit", "stand", "double"]), max_size=8)


def played(seed: int, bet: int, actions: list[str]) -> Hand:
    hand = bj.deal(bet, random.Random(seed))
    for action in actions:
        if hand.status != "open" or (action == "double" and not hand.can_double):
            continue
        hand = {"hit": bj.hit, "stand": bj.stand, "double": bj.double}[action](hand)
    return hand


@given(st.integers(0, 2**32), st.integers(1, 10**15), moves)
def test_json_round_trip(seed: int, bet: int, actions: list[str]) -> None:
    hand = played(seed, bet, actions)
    text = bj.to_json(hand)
    back = bj.from_json(text)
    assert back == hand and bj.to_json(back) == text
    if hand.status == "open":  # the stored hand plays on exactly like the original
        assert bj.stand(back) == bj.stand(hand)
        assert bj.hit(back) == bj.hit(hand)


@pytest.mark.parametrize("change", [
    {"v": 2}, {"bet": 0}, {"bet": -1}, {"bet": True}, {"bet": "100"}, {"payout": 1.5},
    {"doubled": 1}, {"status": "closed"}, {"outcome": "lose"}, {"payout": 5},
    {"deck": []}, {"player": ["A♠", "A♠"]}, {"dealer": ["X♠", "2♣"]},
])
def test_from_json_refuses_what_is_not_a_stored_hand(change: dict[str, object]) -> None:
    doc = json.loads(bj.to_json(dealt(("K♠", "7♦"), ("9♣", "5♥"))))
    with pytest.raises(ValueError):
        bj.from_json(json.dumps(doc | change))


def test_from_json_refuses_a_settled_hand_without_outcome() -> None:
    doc = json.loads(bj.to_json(bj.stand(dealt(("K♠", "7♦"), ("9♣", "5♥")))))
    bj.from_json(json.dumps(doc))
    with pytest.raises(ValueError):
        bj.from_json(json.dumps(doc | {"outcome": None}))
    with pytest.raises(ValueError):
        bj.from_json("[]")


# --- strategy and the exact return --------------------------------------------------------


@pytest.mark.parametrize(("cards", "up", "action"), [
    (("10♠", "6♦"), "10♣", "hit"), (("10♠", "6♦"), "6♣", "stand"),
    (("10♠", "2♦"), "3♣", "hit"), (("10♠", "2♦"), "4♣", "stand"),
    (("6♠", "5♦"), "A♣", "double"), (("6♠", "4♦"), "10♣", "hit"),
    (("6♠", "4♦"), "9♣", "double"), (("5♠", "4♦"), "2♣", "hit"), (("5♠", "4♦"), "3♣", "double"),
    (("2♠", "3♦", "6♣"), "6♣", "hit"), (("10♠", "7♦"), "A♣", "stand"),
    (("A♠", "7♦"), "3♣", "double"), (("A♠", "7♦"), "8♣", "stand"), (("A♠", "7♦"), "9♣", "hit"),
    (("A♠", "3♦", "4♣"), "3♣", "stand"), (("A♠", "8♦"), "6♣", "double"),
    (("A♠", "8♦"), "5♣", "stand"), (("A♠", "6♦"), "2♣", "hit"), (("A♠", "2♦"), "5♣", "double"),
    (("A♠", "A♦"), "6♣", "hit"), (("8♠", "8♦"), "7♣", "hit"), (("A♠", "5♦", "5♣"), "6♣", "stand"),
])
def test_basic_strategy(cards: tuple[str, ...], up: str, action: str) -> None:
    assert bj.basic_strategy(cards, up) == action


def test_exact_rtp_of_basic_strategy() -> None:
    rtp = bj.exact_rtp(bj.basic_strategy)
    assert isinstance(rtp, Fraction)
    assert rtp == bj.BASIC_STRATEGY_RTP
    assert rtp == Fraction(158_052_880_690_976_942_761, 158_967_762_540_051_465_000)
    assert f"{float(1 - rtp):.6%}" == "0.575514%"
    assert abs(Fraction(bj.designed_rtp()) - rtp) < Fraction(1, 10**59)  # 60 digits
    assert str(bj.designed_rtp()).startswith("0.99424485924406")


def always_stand(cards: Sequence[str], up: str) -> bj.Action:
    return "stand"


def test_exact_rtp_counts_naturals_at_the_peek() -> None:
    """Paying a natural 3:2 instead of 1:1 is worth exactly ½ × P(player natural, no dealer
    natural): 2·4·16/(52·51) × (1 − 2·3·15/(50·49))."""
    even = bj.exact_rtp(always_stand, Rules(blackjack_payout=Decimal(1)))
    three_two = bj.exact_rtp(always_stand, DEFAULT_RULES)
    p_natural = Fraction(2 * 4 * 16, 52 * 51) * (1 - Fraction(2 * 3 * 15, 50 * 49))
    assert three_two - even == p_natural / 2


def test_exact_rtp_refuses_a_late_double() -> None:
    def doubles(cards: Sequence[str], up: str) -> bj.Action:
        total = bj.value(cards)[0]
        if len(cards) == 2 and total < 8:
            return "hit"
        return "double" if total < 12 else "stand"

    with pytest.raises(ValueError, match="doubles on"):
        bj.exact_rtp(doubles)


def test_a_million_hands_land_on_the_exact_return() -> None:
    rng = random.Random(20240611)
    bet, net = 100, 0
    moves = {"hit": bj.hit, "stand": bj.stand, "double": bj.double}
    for _ in range(SIM_HANDS):
        hand = bj.deal(bet, rng)
        while hand.status == "open":
            hand = moves[bj.basic_strategy(hand.player, hand.up_card)](hand)
        net += hand.payout - hand.stake
    measured = 1 + net / (bet * SIM_HANDS)
    assert abs(measured - float(bj.exact_rtp(bj.basic_strategy))) < SIM_TOLERANCE
