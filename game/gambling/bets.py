"""How much a player bets (GAME.md "Gambling"): a positive whole number, ``all`` or ``half``.

Bets are at least ``rules.gamble_min_bet`` (a game may ask for more: flips take
``rules.flip_min_bet``) and at most the tier's ``rules.gamble_max_bets``; ``all`` and ``half``
take that share of the player's wealth (floor), capped at the tier's maximum.
"""

from __future__ import annotations

import re

from game.errors import NotAllowed, UsageError
from game.replies import money
from game.rules import DEFAULT_RULES, Rules, Tier

# ASCII digits only, thousands commas allowed (like game.commands.parse_amount): no "-5",
# "1e9", "0x10", "1.5", "٣" or "１２".
_BET = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+", re.ASCII)
_BET_MAX_CHARS = 24
_SHARES = {"all": (1, 1), "half": (1, 2)}  # numerator, denominator of the player's wealth


def max_bet(tier: Tier, rules: Rules = DEFAULT_RULES) -> int:
    """The most a player of ``tier`` may bet on one game."""
    return rules.gamble_max_bets[int(tier)]


def parse_bet(arg: str | None, wealth: int, tier: Tier, rules: Rules = DEFAULT_RULES, *,
              usage: str, minimum: int | None = None) -> int:
    """The bet ``arg`` stands for, checked against the player's ``wealth`` and ``tier``.

    Raises ``UsageError`` (``usage`` and a reason) for anything that is not a bet,
    ``NotAllowed`` for a bet the rules refuse: below ``minimum`` (default
    ``rules.gamble_min_bet``), above the tier's maximum or above the player's wealth. The
    result is always within [minimum, tier maximum] and never above ``wealth``."""
    low = rules.gamble_min_bet if minimum is None else minimum
    high = max_bet(tier, rules)
    if arg is None or not arg.strip():
        raise UsageError(f"{usage} — say how much to bet")
    text = arg.strip()
    share = _SHARES.get(text.casefold()) if text.isascii() else None
    if share is not None:
        top, bottom = share
        amount = max(wealth, 0) * top // bottom
        bet = min(amount, high)
        if bet < low:
            what = "you only have" if text.casefold() == "all" else "half of your wealth is"
            raise NotAllowed(f"{what} {money(amount)} — the smallest bet is {money(low)}")
        return bet
    if len(text) > _BET_MAX_CHARS or not _BET.fullmatch(text):
        raise UsageError(f"{usage} — the bet is a positive whole number, all or half")
    bet = int(text.replace(",", ""))
    if bet <= 0:
        raise UsageError(f"{usage} — the bet is a positive whole number, all or half")
    if bet < low:
        raise NotAllowed(f"the smallest bet is {money(low)}")
    if bet > high:
        raise NotAllowed(f"your tier can bet at most {money(high)}")
    if bet > wealth:
        raise NotAllowed(f"you only have {money(max(wealth, 0))}")
    return bet
