"""Coinflip duels (GAME.md "Gambling"): a challenger opens ``!flip <bet> [heads|tails]``, an
acceptor matches the stake and takes the other side, one fair toss decides, the winner takes
both stakes. Nothing is created or kept by the house: the designed return is exactly 1.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from game.crates import weighted_choice
from game.errors import UsageError

if TYPE_CHECKING:
    from game.actions import Rng

Side = Literal["heads", "tails"]
Role = Literal["challenger", "acceptor"]
SIDES: tuple[Side, Side] = ("heads", "tails")
DEFAULT_SIDE: Side = "heads"  # a challenger who names no side calls heads
USAGE = "usage: !flip <bet> [heads|tails]"
_NAMES: dict[str, Side] = {"heads": "heads", "head": "heads", "h": "heads",
                           "tails": "tails", "tail": "tails", "t": "tails"}
_FAIR: dict[Side, int] = {"heads": 1, "tails": 1}


def parse_side(arg: str | None, usage: str = USAGE) -> Side | None:
    """The side named by ``arg`` (heads/head/h, tails/tail/t, any case); None when none is
    given. Anything else is a ``UsageError``."""
    if arg is None or not arg.strip():
        return None
    text = arg.strip()
    side = _NAMES.get(text.casefold()) if text.isascii() else None
    if side is None:
        raise UsageError(f"{usage} — the side is heads or tails")
    return side


def other(side: Side) -> Side:
    """The acceptor's side."""
    return "tails" if side == "heads" else "heads"


def toss(rng: Rng) -> Side:
    """One fair toss, an exact integer draw."""
    return weighted_choice(_FAIR, rng)


def winner(challenger_side: Side, result: Side) -> Role:
    return "challenger" if result == challenger_side else "acceptor"


def prize(bet: int) -> int:
    """What the winner receives: both stakes."""
    return 2 * bet


def designed_rtp() -> Decimal:
    """Expected return per unit staked: ½ × 2 = 1 (no house edge)."""
    return Decimal(1)
