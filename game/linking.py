"""Linking accounts: one-time codes, who may join whom, and the merge arithmetic.

Pure rules. ``jobs/linking.py`` loads the rows, calls these and writes the outcome.

A code is *private* when it was issued where the answer is seen by its asker only (a Discord
slash command answers ephemerally, the console is a local terminal): typing it on another
platform joins the accounts at once. A code issued on Twitch or Kick was posted in public
chat, so anyone could type it first: redeeming it only files a request, which the account
that asked for the code completes with ``!link confirm`` (or either side drops with
``!link cancel``) before the code expires.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from game.commands import USAGE, name_key
from game.errors import NotAllowed, UsageError
from game.levels import level_for_xp
from game.rules import DEFAULT_RULES, Rules

# No look-alikes: no 0/O, no 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_TTL = timedelta(minutes=10)

LINK_USAGE = USAGE["link"]
UNLINK_USAGE = USAGE["unlink"]
_NEW_CODE = "type !link on your other platform for a new one"
# where the reply to !link reaches its asker only (see the module docstring)
PRIVATE_PLATFORMS = frozenset({"discord", "console"})
CONFIRM = "confirm"
CANCEL = "cancel"


def new_code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """The code as stored (upper case), or ``None`` if ``text`` can't be a code."""
    code = text.strip().upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def platform_label(platform: str) -> str:
    return platform.capitalize()


def is_private(platform: str) -> bool:
    """Can the code ``!link`` gives on ``platform`` be shown to its asker alone?"""
    return platform in PRIVATE_PLATFORMS


def parse_link(args: tuple[str, ...]) -> tuple[str, str | None]:
    """``!link`` -> ("issue", None); ``!link confirm <name>`` -> ("confirm", the name, or
    ``None`` when none was given); ``!link cancel`` -> ("cancel", None); ``!link CODE`` ->
    ("redeem", the code or ``None`` if it can't be one)."""
    if not args:
        return "issue", None
    word = args[0].strip().lower()
    if word == CONFIRM and len(args) <= 2:  # 7 letters: never a code
        return word, args[1].removeprefix("@") if len(args) == 2 else None
    if len(args) != 1:
        raise UsageError(LINK_USAGE)
    if word == CANCEL:
        return word, None
    return "redeem", normalize_code(args[0])


def minutes_left(expires_at: datetime, now: datetime) -> int:
    """Whole minutes until ``expires_at``, rounded up (at least 1)."""
    return max(1, math.ceil((expires_at - now).total_seconds() / 60))


def issued_text(code: str, private: bool, ttl: timedelta = CODE_TTL) -> str:
    minutes = int(ttl.total_seconds()) // 60
    text = f"your link code is {code} — type !link {code} on your other platform within " \
           f"{minutes} min"
    return text if private else f"{text}, then !link confirm <that account's name> here"


def requested_text(requester_platform: str, requester_name: str, owner_name: str,
                   owner_platform: str, minutes: int) -> str:
    """What the redeemer of a public code is told (after the ``@name`` of the reply); the
    owner must name the account that asked to confirm (GAME.md)."""
    label = platform_label(owner_platform)
    return (f"({platform_label(requester_platform)}) asked to link with {owner_name} ({label})"
            f" — {owner_name}, type !link confirm {requester_name} on {label} within"
            f" {minutes} min if that's you (!link cancel calls it off)")


@dataclass(frozen=True)
class IssuedCode:
    """A stored code. ``owner_id`` is the player its account belongs to *now* (``None`` if the
    account was unlinked since), ``user_id`` the player that asked for it, ``owner_name`` that
    account's name. ``pending_*``: the account that redeemed a public code and waits for
    ``!link confirm`` (``None`` while nobody has)."""

    user_id: int
    owner_id: int | None
    platform: str
    platform_user_id: str
    expires_at: datetime
    used_at: datetime | None
    code: str = ""
    owner_name: str = ""
    pending_platform: str | None = None
    pending_user_id: str | None = None
    pending_name: str | None = None

    @property
    def private(self) -> bool:
        return is_private(self.platform)

    @property
    def pending(self) -> bool:
        return self.pending_platform is not None


def check_code(code: IssuedCode | None, player_id: int, platform: str, platform_user_id: str,
               now: datetime) -> None:
    """Refuse a code that can't join the typing account (``platform``, ``platform_user_id``,
    of player ``player_id``) to another player. Nothing changes on a refusal."""
    if code is None:
        raise NotAllowed(f"that link code doesn't exist — {_NEW_CODE}")
    if code.user_id == player_id:
        if code.used_at is None and (code.platform, code.platform_user_id) == (
                platform, platform_user_id):
            raise NotAllowed("type that code on your other platform, not here")
        raise NotAllowed("these accounts are already linked")
    if code.used_at is not None:
        raise NotAllowed(f"that link code was already used — {_NEW_CODE}")
    if code.expires_at <= now:
        raise NotAllowed(f"that link code has expired — {_NEW_CODE}")
    if code.owner_id != code.user_id:  # its account was unlinked meanwhile
        raise NotAllowed(f"that link code is no longer valid — {_NEW_CODE}")
    if code.pending:
        label = platform_label(code.platform)
        if (code.pending_platform, code.pending_user_id) == (platform, platform_user_id):
            raise NotAllowed(f"you already asked — now type !link confirm on {label} from the "
                             f"account that got the code")
        raise NotAllowed(f"someone already asked to link with that code — if it's yours, type "
                         f"!link cancel on {label} and get a new one (on Discord, /link shows "
                         f"it to you alone)")


def check_confirm(code: IssuedCode | None, asked: IssuedCode | None, now: datetime,
                  name: str | None = None) -> None:
    """``!link confirm <name>``: ``code`` is the typing account's unused code, ``asked`` a
    live code that this account asked to join (to say who has to confirm instead); ``name``
    must be the name of the account that asked, so nobody merges a stranger by typing what
    they were told."""
    if code is None or not code.pending:
        if asked is not None:
            label = platform_label(asked.platform)
            raise NotAllowed(f"only {asked.owner_name} can confirm — type !link confirm on "
                             f"{label} from that account")
        raise NotAllowed("nobody has asked to link with you — type !link CODE on your other "
                         "platform first")
    if code.expires_at <= now:
        raise NotAllowed("that link request has expired — type !link for a new code")
    if code.owner_id != code.user_id:
        raise NotAllowed("that link request is no longer valid — type !link for a new code")
    asker = code.pending_name or ""
    where = platform_label(code.pending_platform or "")
    if name is None:
        raise NotAllowed(f"{asker} ({where}) asked to link with you — if that's your account, "
                         f"type !link confirm {asker} (!link cancel calls it off)")
    if name_key(name) != name_key(asker):
        raise NotAllowed(f"the account that asked is {asker} ({where}), not {name} — nothing "
                         f"was linked; !link confirm {asker} if that's yours, else !link cancel")


def check_requester(requester_id: int | None, owner_id: int) -> None:
    """The player behind the account that asked, as of now (``None``: the account is gone)."""
    if requester_id is None:
        raise NotAllowed("the account that asked is no longer linked to anyone — type !link "
                         "for a new code")
    if requester_id == owner_id:
        raise NotAllowed("these accounts are already linked")


def check_platforms(first: list[str], second: list[str]) -> None:
    """A player holds at most one account per platform."""
    both = sorted(set(first) & set(second))
    if both:
        label = platform_label(both[0])
        raise NotAllowed(f"can't link: you'd have two {label} accounts — one per platform "
                         f"(!unlink {both[0]} on one of them first)")


def check_unlink(platform: str, platforms: list[str]) -> None:
    """``platforms``: the platforms of the player's accounts, one entry per account."""
    if platform not in platforms:
        raise NotAllowed(f"you have no {platform_label(platform)} account linked")
    if len(platforms) <= 1:
        raise NotAllowed("that's your only account — there's nothing to unlink it from")


def parse_unlink(args: tuple[str, ...], platforms: tuple[str, ...]) -> str:
    if len(args) != 1 or args[0].lower() not in platforms:
        raise UsageError(UNLINK_USAGE)
    return args[0].lower()


@dataclass(frozen=True)
class PlayerSnapshot:
    """The parts of a ``users`` row a merge reads."""

    id: int
    created_at: datetime
    wealth: int
    xp: int
    checkin_streak: int
    last_checkin_date: date | None
    total_play_count: int
    wins: int
    losses: int
    rob_count: int
    rob_success_count: int
    messages_sent: int
    lifetime_wealth_earned: int
    last_chat_reward_at: datetime | None
    last_seen: datetime


@dataclass(frozen=True)
class Merged:
    """The survivor's new values; the absorbed player's row goes away."""

    survivor_id: int
    absorbed_id: int
    wealth: int
    xp: int
    level: int
    status_tier: str
    checkin_streak: int
    last_checkin_date: date | None
    total_play_count: int
    wins: int
    losses: int
    rob_count: int
    rob_success_count: int
    messages_sent: int
    lifetime_wealth_earned: int
    last_chat_reward_at: datetime | None
    last_seen: datetime


def survivor_first(a: PlayerSnapshot, b: PlayerSnapshot) -> tuple[PlayerSnapshot, PlayerSnapshot]:
    """(older, newer): the smaller ``created_at`` survives, the smaller id on a tie."""
    return (a, b) if (a.created_at, a.id) <= (b.created_at, b.id) else (b, a)


def _later(x: datetime | None, y: datetime | None) -> datetime | None:
    if x is None:
        return y
    if y is None:
        return x
    return max(x, y)


def merge_players(a: PlayerSnapshot, b: PlayerSnapshot, rules: Rules = DEFAULT_RULES) -> Merged:
    """Balances and counters add up; the higher streak stays with its date (the later date
    on a tie); level and tier follow the summed XP; chat-reward and last-seen times take the
    later one, so a merge never earns an extra chat reward."""
    old, new = survivor_first(a, b)
    streak_holder = max((old, new), key=lambda p: (p.checkin_streak,
                                                   p.last_checkin_date or date.min))
    xp = old.xp + new.xp
    level = level_for_xp(xp, rules)
    return Merged(
        survivor_id=old.id,
        absorbed_id=new.id,
        wealth=old.wealth + new.wealth,
        xp=xp,
        level=level,
        status_tier=rules.tier_for_level(level).title,
        checkin_streak=streak_holder.checkin_streak,
        last_checkin_date=streak_holder.last_checkin_date,
        total_play_count=old.total_play_count + new.total_play_count,
        wins=old.wins + new.wins,
        losses=old.losses + new.losses,
        rob_count=old.rob_count + new.rob_count,
        rob_success_count=old.rob_success_count + new.rob_success_count,
        messages_sent=old.messages_sent + new.messages_sent,
        lifetime_wealth_earned=old.lifetime_wealth_earned + new.lifetime_wealth_earned,
        last_chat_reward_at=_later(old.last_chat_reward_at, new.last_chat_reward_at),
        last_seen=max(old.last_seen, new.last_seen),
    )


def cancelled_text(owned: list[tuple[str | None, str | None]],
                   asked: list[tuple[str, str]]) -> str:
    """``!link cancel``: ``owned`` are the live codes of the typing account as (requester name,
    requester platform), both ``None`` while nobody asked; ``asked`` the live codes it asked
    to join as (owner name, owner platform). Refuses when there is nothing to cancel."""
    if not owned and not asked:
        raise NotAllowed("you have no link code or link request to cancel")
    parts: list[str] = []
    for name, platform in owned:
        if name is not None and platform is not None:
            parts.append(f"{name} ({platform_label(platform)}) won't be linked — your link code "
                         f"no longer works")
        else:
            parts.append("your link code no longer works")
    for name, platform in asked:
        parts.append(f"your request to link with {name} ({platform_label(platform)}) is "
                     f"cancelled")
    return "; ".join(parts)
