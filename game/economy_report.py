"""The economy report (GAME.md "Economy health"), pure: `!economy` and `kingpin economy
simulate` both build it from plain aggregates.

The money supply is what the players hold (the sum of ``users.wealth``). Every ledger row
(``game_events.wealth_delta``) either creates money into a player's hands (positive), destroys
it (negative) or moves it between players (a transfer: a rob, a coinflip's escrowed stakes
and pot). ``SOURCES`` is the one home of that classification: each ``event_type`` has one
label; a label's positive rows are money created, its negative rows money destroyed (a
play's loss is destroyed under "play", a negative admin grant under "admin"), and the
transfer labels are shown apart, as neither. So over any window::

    supply change = created − destroyed + transfers' net

where the transfers' net is 0 unless coinflip stakes sat in escrow across the window's
edges.

The handler aggregates with SQL and passes plain values in; for the ledger::

    SELECT event_type,
           COALESCE(SUM(wealth_delta) FILTER (WHERE wealth_delta > 0), 0),
           COALESCE(SUM(wealth_delta) FILTER (WHERE wealth_delta < 0), 0)
      FROM game_events WHERE community_id = $1 AND created_at >= $2 GROUP BY event_type

goes to ``LedgerTotals.from_rows``. Each game's wagered and paid (``GameTotals``) give its
measured return to player, shown next to the designed one the caller passes (slots:
``designed_rtp``, blackjack: its exact RTP, coinflip 1, lottery the pool share).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from game.replies import (
    CARD_FIELD_VALUE_MAX,
    CARD_FIELDS_MAX,
    CARD_TITLE_MAX,
    Card,
    CardField,
    money,
)

ONE_LINE_MAX = 480  # Twitch and Kick take 500; room for the mention

# labels: where money comes from and goes to
PLAY = "play"
CHAT = "chat"
CHECKIN = "check-in"
REWARDS = "rewards"  # support_* (subs, gifts, bits, kicks, raids, donations)
ADMIN = "admin"
PAYOUTS = "gambling payouts"
SELL = "sell"
BUSINESS = "business"
CRATES = "crates"
PROGRESS = "progress"  # mission, achievement and faction rewards (the projector's)
BAIL = "bail"
SHOP = "shop"
UPKEEP = "upkeep"
PREMIUMS = "premiums"
WAGERS = "wagers"
OTHER = "other"  # an event type this table does not know yet: still counted by its sign
# transfers between players: neither created nor destroyed
ROBS = "robs"
FLIPS = "flips"
TRANSFER_LABELS = frozenset({ROBS, FLIPS})

SUPPORT_PREFIX = "support_"

SOURCES: Mapping[str, str] = MappingProxyType({
    "play": PLAY,
    "chat": CHAT,
    "checkin": CHECKIN,
    "admin_wealth": ADMIN,
    "slots_payout": PAYOUTS,
    "slots_jackpot": PAYOUTS,
    "blackjack_payout": PAYOUTS,
    "lottery_payout": PAYOUTS,
    "sell": SELL,
    "business": BUSINESS,
    "crate": CRATES,       # before progression: one row per !open with the cash total
    "crate_open": CRATES,  # one row per crate opened
    "mission": PROGRESS,
    "mission_bonus": PROGRESS,
    "achievement": PROGRESS,
    "faction_reward": PROGRESS,
    "bail": BAIL,
    "buy": SHOP,
    "supply": SHOP,
    "upkeep": UPKEEP,
    "insurance_premium": PREMIUMS,
    "slots_wager": WAGERS,
    "blackjack_wager": WAGERS,
    "lottery_ticket": WAGERS,
    "rob": ROBS,      # the attacker's gain
    "robbed": ROBS,   # the victim's loss, the same amount
    "flip_stake": FLIPS,   # a stake into escrow
    "flip_payout": FLIPS,  # the pot to the winner
    "flip_refund": FLIPS,  # an expired or cancelled flip's stake back
})

# the games, in the order reports show them
SLOTS = "slots"
BLACKJACK = "blackjack"
COINFLIP = "coinflip"
LOTTERY = "lottery"
GAMES = (SLOTS, BLACKJACK, COINFLIP, LOTTERY)
SHORT_GAME_NAMES = MappingProxyType({SLOTS: "slots", BLACKJACK: "bj", COINFLIP: "flip",
                                     LOTTERY: "lotto"})

TOP_SHARE = Decimal("0.01")


def source_of(event_type: str) -> str:
    """The label of a ledger row's ``event_type`` (``SOURCES``; ``support_*`` are rewards)."""
    label = SOURCES.get(event_type)
    if label is not None:
        return label
    if event_type.startswith(SUPPORT_PREFIX):
        return REWARDS
    return OTHER


# --- inputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flow:
    """One event type's rows over the window: the sum of the positive deltas and the sum of
    the negative ones (≤ 0, as SQL sums them)."""

    positive: int = 0
    negative: int = 0

    def __post_init__(self) -> None:
        if self.positive < 0 or self.negative > 0:
            raise ValueError("positive sums are ≥ 0 and negative sums ≤ 0")


@dataclass(frozen=True)
class LedgerTotals:
    flows: Mapping[str, Flow] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, int, int]]) -> LedgerTotals:
        """From ``(event_type, sum of positive deltas, sum of negative deltas)`` rows; a type
        that comes twice adds up."""
        acc: dict[str, tuple[int, int]] = {}
        for event_type, positive, negative in rows:
            pos, neg = acc.get(event_type, (0, 0))
            acc[event_type] = (pos + int(positive), neg + int(negative))
        return cls({k: Flow(p, n) for k, (p, n) in acc.items()})

    @property
    def net(self) -> int:
        return sum(f.positive + f.negative for f in self.flows.values())


@dataclass(frozen=True)
class GameTotals:
    """One game over the window: money wagered, money paid back (slots: payouts and the
    jackpot; coinflip: stakes of the flips that were played, not the refunded ones, against
    the pots), and how many rounds (spins, hands, flips, tickets)."""

    wagered: int = 0
    paid: int = 0
    rounds: int = 0


# --- measures ----------------------------------------------------------------------------


def gini(wealth: Sequence[int]) -> Decimal:
    """The Gini index of the players' wealth: 0 when everyone holds the same (or nobody holds
    anything), (n − 1)/n when one player holds it all. A negative balance counts as 0.

    ``G = (2 Σ i·x_(i) − (n + 1) Σ x) / (n Σ x)`` over the ascending order, i from 1: an exact
    integer fraction, divided once."""
    values = sorted(max(0, int(w)) for w in wealth)
    n, total = len(values), sum(values)
    if n == 0 or total == 0:
        return Decimal(0)
    ranked = sum(i * x for i, x in enumerate(values, start=1))
    return Decimal(2 * ranked - (n + 1) * total) / Decimal(n * total)


def top_count(players: int, share: Decimal | float = TOP_SHARE) -> int:
    """How many players are "the richest ``share``": floor(n × share), at least one."""
    exact = share if isinstance(share, Decimal) else Decimal(str(share))
    if not 0 < exact <= 1:
        raise ValueError("share is in (0, 1]")
    return max(1, math.floor(players * exact)) if players else 0


def top_share(wealth: Sequence[int], share: Decimal | float = TOP_SHARE) -> Decimal:
    """The share of all money the richest ``share`` of the players hold (at least one
    player); 0 when nobody holds anything."""
    values = sorted((max(0, int(w)) for w in wealth), reverse=True)
    total = sum(values)
    if total == 0:
        return Decimal(0)
    return Decimal(sum(values[:top_count(len(values), share)])) / Decimal(total)


def rtp(wagered: int, paid: int) -> Decimal | None:
    """Measured return to player: paid / wagered (None when nothing was wagered)."""
    return Decimal(paid) / Decimal(wagered) if wagered > 0 else None


# --- the report --------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLine:
    label: str
    amount: int  # ≥ 0: created, destroyed, or (transfers) paid out to players


@dataclass(frozen=True)
class GameLine:
    game: str
    wagered: int
    paid: int
    rounds: int
    measured: Decimal | None
    designed: Decimal | None


@dataclass(frozen=True)
class EconomyReport:
    window: str  # "day", "week", "day 3", …
    created: tuple[SourceLine, ...]    # by label, largest first; nothing of 0
    destroyed: tuple[SourceLine, ...]  # amounts ≥ 0, largest first
    transfers: tuple[SourceLine, ...]  # money paid out to players by transfers
    transfer_net: int  # the transfers' sum: 0 unless flip stakes sat in escrow
    games: tuple[GameLine, ...]
    jackpot_pool: int
    lottery_pool: int
    supply: int  # what the players hold at the window's end
    players: int
    active_players: int  # with any ledger row in the window
    gini: Decimal
    top_share: Decimal
    top_of: Decimal = TOP_SHARE

    @property
    def created_total(self) -> int:
        return sum(s.amount for s in self.created)

    @property
    def destroyed_total(self) -> int:
        return sum(s.amount for s in self.destroyed)

    @property
    def net_change(self) -> int:
        """The supply's change over the window."""
        return self.created_total - self.destroyed_total + self.transfer_net

    @property
    def net_per_active(self) -> Decimal | None:
        if self.active_players <= 0:
            return None
        return Decimal(self.net_change) / Decimal(self.active_players)

    @property
    def growth(self) -> Decimal | None:
        """The supply's change as a fraction of the supply at the window's start."""
        before = self.supply - self.net_change
        return Decimal(self.net_change) / Decimal(before) if before > 0 else None

    def created_by(self, label: str) -> int:
        return next((s.amount for s in self.created if s.label == label), 0)

    def destroyed_by(self, label: str) -> int:
        return next((s.amount for s in self.destroyed if s.label == label), 0)


def _lines(amounts: Mapping[str, int]) -> tuple[SourceLine, ...]:
    return tuple(SourceLine(label, amount)
                 for label, amount in sorted(amounts.items(), key=lambda kv: (-kv[1], kv[0]))
                 if amount)


def build_report(
    ledger: LedgerTotals,
    *,
    wealth: Sequence[int],
    active_players: int,
    games: Mapping[str, GameTotals] | None = None,
    designed: Mapping[str, Decimal] | None = None,
    jackpot_pool: int = 0,
    lottery_pool: int = 0,
    window: str = "day",
    top_of: Decimal = TOP_SHARE,
) -> EconomyReport:
    """The report of one window from its aggregates (see the module's docstring)."""
    created: dict[str, int] = {}
    destroyed: dict[str, int] = {}
    moved: dict[str, int] = {}
    transfer_net = 0
    for event_type, flow in ledger.flows.items():
        label = source_of(event_type)
        if label in TRANSFER_LABELS:
            moved[label] = moved.get(label, 0) + flow.positive
            transfer_net += flow.positive + flow.negative
            continue
        created[label] = created.get(label, 0) + flow.positive
        destroyed[label] = destroyed.get(label, 0) - flow.negative
    games = games or {}
    designed = designed or {}
    names = [g for g in GAMES if g in games or g in designed]
    names += sorted(set(games) - set(GAMES))
    lines = []
    for name in names:
        totals = games.get(name, GameTotals())
        lines.append(GameLine(name, totals.wagered, totals.paid, totals.rounds,
                              rtp(totals.wagered, totals.paid), designed.get(name)))
    return EconomyReport(
        window=window,
        created=_lines(created),
        destroyed=_lines(destroyed),
        transfers=_lines(moved),
        transfer_net=transfer_net,
        games=tuple(lines),
        jackpot_pool=jackpot_pool,
        lottery_pool=lottery_pool,
        supply=sum(max(0, int(w)) for w in wealth),
        players=len(wealth),
        active_players=active_players,
        gini=gini(wealth),
        top_share=top_share(wealth, top_of),
        top_of=top_of,
    )


# --- formatting --------------------------------------------------------------------------


def signed_money(amount: int) -> str:
    """``+$1,234`` / ``−$1,234``."""
    return f"+{money(amount)}" if amount >= 0 else f"−{money(-amount)}"


def percent(value: Decimal | None, places: int = 1, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    shown = (value * 100).quantize(Decimal(1).scaleb(-places))
    if shown == 0:
        shown = abs(shown)  # never "-0.0%"
    if signed:
        return f"+{shown}%" if shown >= 0 else f"−{-shown}%"
    return f"{shown}%"


def ratio(value: Decimal, places: int = 2) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places)))


def _per_player(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return signed_money(int(value.to_integral_value()))


def _shares(total: int, lines: tuple[SourceLine, ...], keep: int) -> str:
    if not lines or keep <= 0 or total <= 0:
        return ""
    shown = ", ".join(f"{s.label} {percent(Decimal(s.amount) / Decimal(total), 0)}"
                      for s in lines[:keep])
    more = " …" if len(lines) > keep else ""
    return f": {shown}{more}"


def _game_short(line: GameLine, with_designed: bool) -> str:
    name = SHORT_GAME_NAMES.get(line.game, line.game)
    if with_designed and line.designed is not None:
        return f"{name} {percent(line.measured)} ({percent(line.designed)})"
    return f"{name} {percent(line.measured)}"


def one_line(report: EconomyReport) -> str:
    """The headline figures in one chat message (≤ ``ONE_LINE_MAX``): supply and its change,
    per active player, created and destroyed with their biggest sources, each played game's
    RTP (designed in brackets), the pools, Gini and the richest 1%."""
    for keep, with_designed in ((3, True), (2, True), (1, True), (1, False), (0, False)):
        text = _one_line(report, keep, with_designed)
        if len(text) <= ONE_LINE_MAX:
            return text
    return text[:ONE_LINE_MAX - 1] + "…"


def _one_line(report: EconomyReport, keep: int, with_designed: bool) -> str:
    r = report
    head = (f"📊 Economy ({r.window}): supply {money(r.supply)} ({signed_money(r.net_change)},"
            f" {percent(r.growth, signed=True)}), {_per_player(r.net_per_active)}/active player"
            f" ({r.active_players:,} active)")
    flows = (f"created {money(r.created_total)}{_shares(r.created_total, r.created, keep)}"
             f" · destroyed {money(r.destroyed_total)}"
             f"{_shares(r.destroyed_total, r.destroyed, keep)}")
    parts = [head, flows]
    played = [g for g in r.games if g.measured is not None]
    if played:
        parts.append("RTP " + ", ".join(_game_short(g, with_designed) for g in played))
    parts.append(f"jackpot {money(r.jackpot_pool)}, lottery {money(r.lottery_pool)}")
    parts.append(f"Gini {ratio(r.gini)}, top {percent(r.top_of, 0)} {percent(r.top_share)}")
    return " · ".join(parts)


def _value(lines: Iterable[str]) -> str:
    """A card field's value: the lines that fit ``CARD_FIELD_VALUE_MAX`` (never empty)."""
    out = ""
    for line in lines:
        candidate = f"{out}\n{line}" if out else line
        if len(candidate) > CARD_FIELD_VALUE_MAX - 2:
            return (out + "\n…") if out else line[:CARD_FIELD_VALUE_MAX - 1] + "…"
        out = candidate
    return out or "none"


def card(report: EconomyReport) -> Card:
    """The report as a Discord embed's fields (within game/replies.py's Card limits)."""
    r = report
    title = f"📊 Economy — {r.window}"[:CARD_TITLE_MAX]
    description = (f"Supply {money(r.supply)} held by {r.players:,} players;"
                   f" {r.active_players:,} active in the window.")
    fields = [
        CardField(name=f"Created {money(r.created_total)}", inline=False,
                  value=_value(f"{s.label}: {money(s.amount)}" for s in r.created)),
        CardField(name=f"Destroyed {money(r.destroyed_total)}", inline=False,
                  value=_value(f"{s.label}: {money(s.amount)}" for s in r.destroyed)),
        CardField(name="Net supply change", inline=False, value=_value((
            f"{signed_money(r.net_change)} ({percent(r.growth, signed=True)})",
            f"{_per_player(r.net_per_active)} per active player",
        ))),
        CardField(name="Transfers (not created)", inline=False, value=_value((
            *(f"{s.label}: {money(s.amount)} paid out" for s in r.transfers),
            *((f"flip escrow: {signed_money(-r.transfer_net)}",) if r.transfer_net else ()),
        ))),
    ]
    if r.games:
        fields.append(CardField(name="Return to player (measured / designed)", inline=False,
                                value=_value(
            f"{g.game}: {percent(g.measured)} / {percent(g.designed)}"
            f" on {money(g.wagered)} ({g.rounds:,} rounds)" for g in r.games)))
    fields += [
        CardField(name="Pools", value=f"jackpot {money(r.jackpot_pool)}\n"
                                      f"lottery {money(r.lottery_pool)}"),
        CardField(name="Inequality", value=f"Gini {ratio(r.gini)}\nrichest {percent(r.top_of, 0)}"
                                           f" hold {percent(r.top_share)}"),
    ]
    return Card(title=title, description=description, fields=tuple(fields[:CARD_FIELDS_MAX]),
                footer="supply change = created − destroyed; robs and flips move money"
                       " between players")
