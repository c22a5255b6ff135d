"""Blackjack (GAME.md "Gambling"): ``!blackjack <bet>``, ``!hit``, ``!stand``, ``!double``.

One fresh 52-card deck per hand, the dealer hits soft 17, a natural pays 3:2 (floored to the
dollar: a $101 natural returns $101 + $151), double on the first two cards only. The rest of
the table, where GAME.md is silent:

* deal order player, dealer, player, dealer; ``dealer[0]`` is the up card, ``dealer[1]`` the
  hole card;
* the dealer peeks: a natural on either side settles the hand at the deal (both: push; the
  player's only: 3:2; the dealer's only: the bet is lost, and only the bet, since nothing
  could be doubled yet). A dealer natural always shows an ace or a ten-value up card, so this
  is the American "peek on an ace or ten" table;
* a player who reaches 21 stands automatically (there is nothing to gain by hitting); a bust
  settles at once and the dealer draws nothing;
* no splitting, no insurance, no surrender, no even money (GAME.md lists none);
* the 2-minute idle stand is the caller's clock: it calls ``stand`` on a hand left open.

The hand is a frozen value the caller stores between commands (``to_json``/``from_json``);
every function here returns a new one.

Exact return of one fresh deck played with ``basic_strategy`` (``exact_rtp``, an exhaustive
recursion over the remaining deck, ≈ 1.5 s): RTP = ``BASIC_STRATEGY_RTP`` =
158,052,880,690,976,942,761 / 158,967,762,540,051,465,000 ≈ 0.9942448592 per unit bet, a
house edge of ≈ 0.57551408%. Per unit bet means before the dollar floor of an odd bet's 3:2
(P(paid natural) ≈ 0.0465, so an odd bet loses a further ≈ $0.023 a hand).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import cache
from math import factorial
from typing import Any, Literal, Protocol, get_args

from game.errors import NotAllowed
from game.replies import money
from game.rules import DEFAULT_RULES, Rules, floor_share

Status = Literal["open", "done"]
Outcome = Literal["blackjack", "win", "push", "lose", "bust", "dealer_bust"]
Action = Literal["hit", "stand", "double"]
Strategy = Callable[[Sequence[str], str], Action]

RANKS = ("A", "2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K")
SUITS = ("♠", "♥", "♦", "♣")
DECK: tuple[str, ...] = tuple(rank + suit for suit in SUITS for rank in RANKS)
# a card's value with an ace as 1; face cards count 10
_VALUE: dict[str, int] = {card: min(RANKS.index(card[:-1]) + 1, 10) for card in DECK}
_CARDS = frozenset(DECK)
_OUTCOMES = frozenset(get_args(Outcome))
_JSON_VERSION = 1


class DeckRng(Protocol):
    """What dealing needs from a random source (``random.Random`` fits)."""

    def shuffle(self, x: list[str]) -> None: ...


def new_deck(rng: DeckRng) -> tuple[str, ...]:
    """One shuffled 52-card deck, top card first."""
    cards = list(DECK)
    rng.shuffle(cards)
    return tuple(cards)


def value(cards: Sequence[str]) -> tuple[int, bool]:
    """The best total of ``cards`` (an ace counts 11 when that stays ≤ 21) and whether it is
    soft (an ace counted as 11)."""
    total = 0
    ace = False
    for card in cards:
        v = _VALUE[card]
        total += v
        ace = ace or v == 1
    if ace and total <= 11:
        return total + 10, True
    return total, False


def is_natural(cards: Sequence[str]) -> bool:
    """Blackjack: an ace and a ten-value card as the first two cards."""
    return len(cards) == 2 and value(cards)[0] == 21


@dataclass(frozen=True, slots=True)
class Hand:
    bet: int
    deck: tuple[str, ...]  # what is left of the deck, top first
    player: tuple[str, ...]
    dealer: tuple[str, ...]  # up card first, then the hole card and the dealer's draws
    doubled: bool = False
    status: Status = "open"
    outcome: Outcome | None = None
    payout: int = 0  # paid back in total when done, the stake included

    @property
    def stake(self) -> int:
        """What the player has on the table: the bet, twice it once doubled."""
        return 2 * self.bet if self.doubled else self.bet

    @property
    def up_card(self) -> str:
        return self.dealer[0]

    @property
    def can_double(self) -> bool:
        return self.status == "open" and len(self.player) == 2 and not self.doubled

    @property
    def net(self) -> int:
        """The player's gain on a settled hand (negative on a loss)."""
        return self.payout - self.stake


def _draw(hand: Hand) -> tuple[str, tuple[str, ...]]:
    if not hand.deck:
        raise ValueError("the deck is empty")
    return hand.deck[0], hand.deck[1:]


def _check_open(hand: Hand) -> None:
    if hand.status != "open":
        raise NotAllowed("that hand is over — !blackjack <bet> deals a new one")


def deal(bet: int, rng: DeckRng, rules: Rules = DEFAULT_RULES) -> Hand:
    """A new hand on a fresh deck for ``bet`` (already checked and taken by the caller).
    A natural on either side settles it at once (the dealer peeks)."""
    if isinstance(bet, bool) or not isinstance(bet, int) or bet <= 0:
        raise ValueError(f"a bet is a positive whole number, not {bet!r}")
    deck = new_deck(rng)
    player, dealer = (deck[0], deck[2]), (deck[1], deck[3])
    hand = Hand(bet, deck[4:], player, dealer)
    mine, theirs = is_natural(player), is_natural(dealer)
    if mine and theirs:
        return _settle(hand, "push", bet)
    if mine:
        return _settle(hand, "blackjack", bet + floor_share(bet, rules.blackjack_payout))
    if theirs:
        return _settle(hand, "lose", 0)
    return hand


def _settle(hand: Hand, outcome: Outcome, payout: int, *, deck: tuple[str, ...] | None = None,
            player: tuple[str, ...] | None = None, dealer: tuple[str, ...] | None = None,
            doubled: bool | None = None) -> Hand:
    return Hand(hand.bet, hand.deck if deck is None else deck,
                hand.player if player is None else player,
                hand.dealer if dealer is None else dealer,
                hand.doubled if doubled is None else doubled, "done", outcome, payout)


def hit(hand: Hand, rules: Rules = DEFAULT_RULES) -> Hand:
    """One more card: a bust settles the hand, 21 stands on it, anything else stays open."""
    _check_open(hand)
    card, deck = _draw(hand)
    player = (*hand.player, card)
    total, _ = value(player)
    if total > 21:
        return _settle(hand, "bust", 0, deck=deck, player=player)
    drawn = Hand(hand.bet, deck, player, hand.dealer, hand.doubled)
    return _dealer_plays(drawn) if total == 21 else drawn


def stand(hand: Hand, rules: Rules = DEFAULT_RULES) -> Hand:
    """The dealer draws to 17, hitting a soft 17, and the hand settles."""
    _check_open(hand)
    return _dealer_plays(hand)


def double(hand: Hand, rules: Rules = DEFAULT_RULES) -> Hand:
    """Double the bet on the first two cards (the caller has checked and taken the extra
    bet): exactly one more card, then the dealer plays, unless that card busts."""
    _check_open(hand)
    if not hand.can_double:
        raise NotAllowed("you can only !double on your first two cards")
    card, deck = _draw(hand)
    player = (*hand.player, card)
    if value(player)[0] > 21:
        return _settle(hand, "bust", 0, deck=deck, player=player, doubled=True)
    return _dealer_plays(Hand(hand.bet, deck, player, hand.dealer, True))


def _dealer_hits(total: int, soft: bool) -> bool:
    """The house rule (GAME.md): the dealer hits below 17 and on a soft 17."""
    return total < 17 or (total == 17 and soft)


def dealer_must_hit(cards: Sequence[str]) -> bool:
    """Below 17, or a soft 17."""
    return _dealer_hits(*value(cards))


def _dealer_plays(hand: Hand) -> Hand:
    dealer, deck = hand.dealer, hand.deck
    while dealer_must_hit(dealer):
        if not deck:
            raise ValueError("the deck is empty")
        dealer, deck = (*dealer, deck[0]), deck[1:]
    mine, theirs = value(hand.player)[0], value(dealer)[0]
    stake = hand.stake
    if theirs > 21:
        outcome: Outcome = "dealer_bust"
        payout = 2 * stake
    elif mine > theirs:
        outcome, payout = "win", 2 * stake
    elif mine == theirs:
        outcome, payout = "push", stake
    else:
        outcome, payout = "lose", 0
    return _settle(hand, outcome, payout, deck=deck, dealer=dealer)


# --- chat text ----------------------------------------------------------------------------


def _cards_text(cards: Sequence[str]) -> str:
    if is_natural(cards):
        label = "blackjack"
    else:
        total, soft = value(cards)
        label = f"soft {total}" if soft else str(total)
    return f"{' '.join(cards)} ({label})"


def show(hand: Hand, *, reveal: bool) -> str:
    """One chat line: ``you: K♠ 7♦ (17) · dealer: 9♣ ?``; the hole card shows with
    ``reveal`` (pass ``hand.status == "done"``)."""
    dealer = _cards_text(hand.dealer) if reveal else f"{hand.dealer[0]} ?"
    doubled = f" · doubled to {money(hand.stake)}" if hand.doubled else ""
    return f"you: {_cards_text(hand.player)} · dealer: {dealer}{doubled}"


def result_text(hand: Hand) -> str:
    """How a settled hand ended, with what it won (the gain over the stake) or lost."""
    if hand.status != "done" or hand.outcome is None:
        raise ValueError("the hand is still open")
    stake, gain = hand.stake, hand.payout - hand.stake
    mine, theirs = value(hand.player)[0], value(hand.dealer)[0]
    match hand.outcome:
        case "blackjack":
            return f"blackjack! you win {money(gain)}"
        case "push":
            both = "both blackjack" if is_natural(hand.player) else f"{mine} each"
            return f"push ({both}) — your {money(stake)} back"
        case "dealer_bust":
            return f"dealer busts with {theirs} — you win {money(gain)}"
        case "win":
            return f"{mine} beats {theirs} — you win {money(gain)}"
        case "bust":
            return f"bust with {mine} — you lose {money(stake)}"
        case "lose":
            if is_natural(hand.dealer):
                return f"dealer has blackjack — you lose {money(stake)}"
            return f"dealer's {theirs} beats {mine} — you lose {money(stake)}"
    raise AssertionError(hand.outcome)  # pragma: no cover


# --- storage ------------------------------------------------------------------------------


def to_json(hand: Hand) -> str:
    """The hand as JSON text for the database; ``from_json`` gives it back exactly."""
    return json.dumps({
        "v": _JSON_VERSION, "bet": hand.bet, "deck": list(hand.deck),
        "player": list(hand.player), "dealer": list(hand.dealer), "doubled": hand.doubled,
        "status": hand.status, "outcome": hand.outcome, "payout": hand.payout,
    }, ensure_ascii=False, separators=(",", ":"))


def _int(doc: dict[str, Any], key: str) -> int:
    number = doc.get(key)
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ValueError(f"stored hand: {key} is not a whole number")
    return number


def _cards(doc: dict[str, Any], key: str) -> tuple[str, ...]:
    cards = doc.get(key)
    if not isinstance(cards, list) or not all(isinstance(c, str) and c in _CARDS
                                              for c in cards):
        raise ValueError(f"stored hand: {key} is not a list of cards")
    return tuple(cards)


def from_json(text: str) -> Hand:
    """A hand stored by ``to_json``. Anything that is not one (another version, unknown
    cards, cards missing or twice, an inconsistent settlement) is a ``ValueError``."""
    doc = json.loads(text)
    if not isinstance(doc, dict) or doc.get("v") != _JSON_VERSION:
        raise ValueError("stored hand: unknown format")
    bet, payout = _int(doc, "bet"), _int(doc, "payout")
    deck, player, dealer = _cards(doc, "deck"), _cards(doc, "player"), _cards(doc, "dealer")
    doubled, status, outcome = doc.get("doubled"), doc.get("status"), doc.get("outcome")
    if bet == 0 or not isinstance(doubled, bool):
        raise ValueError("stored hand: bad bet or doubled flag")
    if sorted(deck + player + dealer) != sorted(DECK):
        raise ValueError("stored hand: not one whole deck")
    if len(player) < 2 or len(dealer) < 2 or (doubled and len(player) != 3):
        raise ValueError("stored hand: impossible cards")
    if status == "open":
        if outcome is not None or payout != 0:
            raise ValueError("stored hand: an open hand has no outcome")
        return Hand(bet, deck, player, dealer, doubled, "open", None, 0)
    if status != "done" or outcome not in _OUTCOMES:
        raise ValueError("stored hand: bad status or outcome")
    return Hand(bet, deck, player, dealer, doubled, "done", outcome, payout)


# --- strategy and the exact return --------------------------------------------------------


def _basic(total: int, soft: bool, two_cards: bool, up: int) -> Action:
    """The standard H17 basic strategy of totals, without splits or surrender; ``up`` is the
    dealer's up card, 11 for an ace. A "double" cell on three or more cards hits (stands on
    soft 18 and 19)."""
    if soft:
        if total >= 20:
            return "stand"
        if total == 19:
            return "double" if two_cards and up == 6 else "stand"
        if total == 18:
            if 2 <= up <= 6:
                return "double" if two_cards else "stand"
            return "stand" if up in (7, 8) else "hit"
        low = {17: 3, 16: 4, 15: 4, 14: 5, 13: 5}.get(total)  # doubles against low..6
        return "double" if two_cards and low is not None and low <= up <= 6 else "hit"
    if total >= 17:
        return "stand"
    if total >= 13:
        return "stand" if up <= 6 else "hit"
    if total == 12:
        return "stand" if 4 <= up <= 6 else "hit"
    if two_cards and (total == 11 or (total == 10 and up <= 9)
                      or (total == 9 and 3 <= up <= 6)):
        return "double"
    return "hit"


def basic_strategy(player_cards: Sequence[str], dealer_up: str) -> Action:
    """A fixed strategy for tests and the economy simulator: the standard H17 (multi-deck)
    basic strategy by hard and soft totals, splits read as totals (A-A is soft 12, 8-8 hard
    16). Hard: 17+ stand; 13–16 stand against 2–6; 12 stands against 4–6; 11 doubles; 10
    doubles against 2–9; 9 doubles against 3–6; else hit. Soft: 20+ stand; 19 doubles
    against 6; 18 doubles against 2–6, stands against 7–8, hits 9–A; 17 doubles against 3–6;
    15–16 against 4–6; 13–14 against 5–6; else hit. Doubles only on two cards (a double cell
    on more hits, soft 18–19 stand). Never hits 21."""
    total, soft = value(player_cards)
    up = _VALUE[dealer_up]
    return _basic(total, soft, len(player_cards) == 2, 11 if up == 1 else up)


def exact_rtp(strategy: Strategy = basic_strategy, rules: Rules = DEFAULT_RULES) -> Fraction:
    """The exact expected return per unit bet (stake included: 1 is break-even) of one hand on
    a fresh deck played by ``strategy``, with this module's table rules and a natural paying
    ``rules.blackjack_payout`` (no dollar floor). House edge = 1 − this.

    Exhaustive: every draw is weighted by the rank counts left in the deck (A, 2…9 and the
    sixteen ten-values; suits do not matter), memoized on those counts. The dealer's hole
    card, dealt second but unseen, is drawn when the dealer plays: the order is exchangeable,
    and the peek (no dealer natural, or the hand would be over) is the condition that the
    hole card is not the ace/ten completing it. Counts are kept as whole numbers of
    orderings of the deck: the result is exact (its denominator divides 52! × the payout's).

    ``strategy`` must depend on the ranks held (not their order or suits): it is asked once
    per set of ranks, with ten-values shown as 10, J, Q, K. It may only double on two cards."""
    return _exact_rtp(strategy, Fraction(rules.blackjack_payout))


# a deck of ranks packed into an int, 5 bits a rank: rank r (0 = ace, 9 = ten-values) counts
# (deck >> 5r) & 31
_BITS = 5
_FULL_COUNTS = (4,) * 9 + (16,)
_FULL = sum(n << (_BITS * r) for r, n in enumerate(_FULL_COUNTS))
_FACT = tuple(factorial(n) for n in range(53))
_STOOD = 6  # dealer final totals: 17..21 → 0..4, bust → 5


def _rank_cards() -> tuple[tuple[str, ...], ...]:
    """The cards of each rank (0 = ace … 9 = the sixteen ten-values: 10♠ J♠ Q♠ K♠ 10♥ …)."""
    return tuple(tuple(c for suit in SUITS for rank in RANKS
                       if _VALUE[c := rank + suit] == r + 1) for r in range(10))


_RANK_CARDS = _rank_cards()


def _cards_of(counts: Sequence[int]) -> tuple[str, ...]:
    """Representative cards for rank counts (suits and faces given out in deck order)."""
    return tuple(card for r, n in enumerate(counts) for card in _RANK_CARDS[r][:n])


def _next_state(hard: int, ace: bool, r: int) -> tuple[int, bool, int]:
    """The dealer's hard total and ace after drawing rank ``r``, and the final slot (17..21 →
    0..4, bust → 5) if the dealer then stops, else -1."""
    hard, ace = hard + r + 1, ace or r == 0
    soft = ace and hard <= 11
    total = hard + 10 if soft else hard
    if total > 21:
        return hard, ace, 5
    return hard, ace, -1 if _dealer_hits(total, soft) else total - 17


_DealerTable = Callable[[int, int, int, bool], tuple[int, ...]]


def _dealer_table() -> _DealerTable:
    """The dealer's play, memoized on (deck, hard total, ace) across a whole computation."""
    fact = _FACT
    memo: dict[int, tuple[int, ...]] = {}
    transitions = {(hard, ace): tuple(_next_state(hard, ace, r) for r in range(10))
                   for hard in range(2, 17) for ace in (False, True)}

    def dealer(deck: int, n: int, hard: int, ace: bool) -> tuple[int, ...]:
        """Final dealer totals from a state that must hit: for each, the number of orderings
        of the ``n`` cards left that end there."""
        key = (deck << 6) | (hard << 1) | ace
        known = memo.get(key)
        if known is not None:
            return known
        acc = [0] * _STOOD
        f = fact[n - 1]
        for r, (hard2, ace2, slot) in enumerate(transitions[hard, ace]):
            count = (deck >> (_BITS * r)) & 31
            if not count:
                continue
            if slot >= 0:
                acc[slot] += count * f
            else:
                sub = dealer(deck - (1 << (_BITS * r)), n - 1, hard2, ace2)
                for i in range(_STOOD):
                    acc[i] += count * sub[i]
        result = tuple(acc)
        memo[key] = result
        return result

    return dealer


@cache
def _exact_rtp(strategy: Strategy, natural_pays: Fraction) -> Fraction:
    pay_top, pay_bottom = natural_pays.numerator, natural_pays.denominator
    dealer = _dealer_table()
    total = sum(_up_card_orderings(up, strategy, dealer, pay_top, pay_bottom)
                for up in range(10))
    return 1 + Fraction(total, pay_bottom * _FACT[52])


def _up_card_orderings(up: int, strategy: Strategy, dealer: _DealerTable, pay_top: int,
                       pay_bottom: int) -> int:
    """Σ over the orderings of the whole deck with rank ``up`` as the dealer's up card of the
    player's net × pay_bottom (a natural pays pay_top / pay_bottom)."""
    fact = _FACT
    shut = 9 if up == 0 else 0 if up == 9 else None  # the hole rank of a dealer natural
    up_card = _cards_of([int(r == up) for r in range(10)])[0]
    memo: dict[tuple[int, int], int] = {}

    def stand_value(deck: int, n: int, mine: int, stake: int) -> int:
        """Σ over the hole card h (not completing a natural) of the player's orderings won
        minus lost, × stake × pay_bottom."""
        acc = 0
        for h in range(10):
            count = (deck >> (_BITS * h)) & 31
            if not count or h == shut:
                continue
            hard, ace, slot = _next_state(up + 1, up == 0, h)
            if slot >= 0:
                dist = [0] * _STOOD
                dist[slot] = fact[n - 1]
            else:
                dist = list(dealer(deck - (1 << (_BITS * h)), n - 1, hard, ace))
            won = dist[5] + sum(dist[i] for i in range(5) if 17 + i < mine)
            lost = sum(dist[i] for i in range(5) if 17 + i > mine)
            acc += count * (won - lost)
        return acc * stake * pay_bottom

    def player(deck: int, n: int, hard: int, ace: bool, stake: int) -> int:
        """Σ over orderings of the ``n`` cards left, where the hole card is not the one
        completing a dealer natural, of the player's net × pay_bottom."""
        key = (deck, (hard << 3) | (ace << 2) | stake)
        known = memo.get(key)
        if known is not None:
            return known
        soft = ace and hard <= 11
        mine = hard + 10 if soft else hard
        if mine > 21:
            shut_count = 0 if shut is None else (deck >> (_BITS * shut)) & 31
            result = -stake * pay_bottom * (n - shut_count) * fact[n - 1]
        elif mine == 21 or stake == 2:
            result = stand_value(deck, n, mine, stake)
        else:
            held = [_FULL_COUNTS[r] - ((deck >> (_BITS * r)) & 31) - (r == up)
                    for r in range(10)]
            cards = _cards_of(held)
            action = strategy(cards, up_card)
            if action == "stand":
                result = stand_value(deck, n, mine, stake)
            elif action in ("hit", "double"):
                if action == "double" and len(cards) != 2:
                    raise ValueError(f"the strategy doubles on {' '.join(cards)}")
                stake2 = 2 if action == "double" else 1
                result = 0
                for r in range(10):
                    count = (deck >> (_BITS * r)) & 31
                    if count:
                        result += count * player(deck - (1 << (_BITS * r)), n - 1,
                                                 hard + r + 1, ace or r == 0, stake2)
            else:
                raise ValueError(f"the strategy says {action!r}")
        memo[key] = result
        return result

    total = 0
    for first in range(10):
        for second in range(first, 10):
            counts = list(_FULL_COUNTS)
            weight = counts[up]
            counts[up] -= 1
            weight *= counts[first]
            counts[first] -= 1
            weight *= counts[second]
            counts[second] -= 1
            if weight == 0:
                continue
            if first != second:
                weight *= 2  # either card may come first
            deck = sum(c << (_BITS * r) for r, c in enumerate(counts))
            n = 49
            shut_count = 0 if shut is None else counts[shut]
            if (first, second) == (0, 9):  # a natural: paid unless the dealer has one
                orderings = pay_top * (n - shut_count) * fact[n - 1]
            else:  # a dealer natural takes the bet (the peek), else the hand is played
                orderings = (-pay_bottom * shut_count * fact[n - 1]
                             + player(deck, n, first + second + 2, first == 0, 1))
            total += weight * orderings
    return total


# exact_rtp(basic_strategy) with the shipped 3:2, as computed (tests/game/test_blackjack.py
# recomputes it): kept so the broadcaster's !economy need not spend seconds on it
BASIC_STRATEGY_RTP = Fraction(158_052_880_690_976_942_761, 158_967_762_540_051_465_000)


def designed_rtp() -> Decimal:
    """The exact return per unit bet of basic strategy on the shipped table (3:2), as a
    Decimal to 60 significant digits; the house edge is 1 − this."""
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(BASIC_STRATEGY_RTP.numerator) / Decimal(BASIC_STRATEGY_RTP.denominator)
