"""Turning chat text into commands, and parsing their arguments strictly."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from game.errors import UsageError
from game.events import MAX_NAME, has_control

PREFIX = "!"
MAX_ARGS = 8

# canonical name -> aliases
ALIASES: dict[str, tuple[str, ...]] = {
    "play": (),
    "rob": (),
    "bail": (),
    "checkin": (),
    "profile": ("p", "stats"),
    "balance": ("bal",),
    "level": (),
    "lb": ("leaderboard",),
    "rank": (),
    "givewealth": (),
    "givexp": (),
    "startsession": (),
    "endsession": (),
    "help": ("commands",),
    "link": (),
    "unlink": (),
    "config": (),
}
_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in (name, *aliases)}

# every command's usage line: the answer to arguments it cannot take
USAGE: dict[str, str] = {
    "play": "usage: !play",
    "rob": "usage: !rob @user",
    "bail": "usage: !bail",
    "checkin": "usage: !checkin",
    "profile": "usage: !profile",
    "balance": "usage: !balance",
    "level": "usage: !level",
    "lb": "usage: !lb [wealth|xp|messages]",
    "rank": "usage: !rank",
    "givewealth": "usage: !givewealth <user> <amount>",
    "givexp": "usage: !givexp <user> <amount>",
    "startsession": "usage: !startsession [title]",
    "endsession": "usage: !endsession",
    "help": "usage: !help",
    "link": ("usage: !link to get a code, then !link CODE on your other platform"
             " (!link confirm <name> / !link cancel for a request from a public code)"),
    "unlink": "usage: !unlink <twitch|kick|discord|console>",
    "config": "usage: !config <key> [value|default]",
}

LEADERBOARD_METRICS = ("wealth", "xp", "messages")

_WORD = re.compile(r"[a-z]{1,20}", re.ASCII)
_AMOUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+", re.ASCII)


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...]
    raw_word: str


def parse_command(text: str) -> Command | None:
    """``None`` for plain chat and for unknown commands (ignored silently)."""
    stripped = text.strip()
    if not stripped.startswith(PREFIX):
        return None
    body = stripped[len(PREFIX):]
    if not body or body[0].isspace():
        return None
    parts = body.split(maxsplit=MAX_ARGS)
    if not parts:
        return None
    word = parts[0].lower()
    if not _WORD.fullmatch(word):
        return None
    name = _LOOKUP.get(word)
    if name is None:
        return None
    return Command(name=name, args=tuple(parts[1:MAX_ARGS + 1]), raw_word=word)


def check_arguments(cmd: Command) -> None:
    """Every text argument of every command: a control character (NUL, ESC, DEL, any Unicode
    Cc that is not whitespace; whitespace ones just separate arguments) gets the usage."""
    if any(has_control(arg) for arg in cmd.args):
        raise UsageError(USAGE[cmd.name])


def name_key(name: str) -> str:
    """The lookup key for a username: compatibility-normalized and case-folded.

    Look-alike letters from other scripts stay distinct (Cyrillic 'а' is not Latin 'a'),
    so a look-alike name never resolves to somebody else.
    """
    return unicodedata.normalize("NFKC", name).casefold().strip()


def parse_mention(arg: str, usage: str) -> str:
    """``@name`` or ``name`` -> the name, or a usage error (also for ``@@@`` or ``@@bob``: no
    platform's names start with ``@``)."""
    name = arg[1:] if arg.startswith("@") else arg
    name = name.strip()
    if (not name or name.startswith("@") or len(name) > MAX_NAME
            or any(unicodedata.category(c)[0] == "C" for c in name)):
        raise UsageError(usage)
    return name


PLATFORM_NAMES = {"twitch": "Twitch", "kick": "Kick", "discord": "Discord",
                  "console": "the console"}
_COUNTS = ("zero", "one", "two", "three", "four", "five")
MAX_LISTED = len(_COUNTS) - 1


def ambiguous_mention(name: str, players: list[tuple[str, ...]], more: bool) -> str:
    """The answer to a mention that several players match, none of them on the asker's
    platform: where each plays (the asker cannot mention them here, so says who they mean
    from there). ``players`` holds each match's platforms; ``more``: others were left out."""
    count = f"more than {_COUNTS[len(players)]}" if more else _COUNTS[len(players)]
    places = [" and ".join(PLATFORM_NAMES.get(p, p) for p in sorted(ps)) for ps in players]
    if len(set(places)) == 1:
        where = f"{'both' if len(places) == 2 and not more else 'all'} play on {places[0]}"
    else:
        where = ", ".join([f"one plays on {places[0]}", *(f"one on {p}" for p in places[1:])])
    return (f"{count} players are called {name}: {where}"
            " — mention them from the platform they play on")


def parse_amount(arg: str, usage: str, maximum: int) -> int:
    """A positive whole number in ASCII digits (``1,000`` allowed). Refuses ``-5``, ``1e9``,
    ``0x10``, non-ASCII digits such as ``٣``, zero and anything above ``maximum``."""
    text = arg.strip()
    if len(text) > 24 or not _AMOUNT.fullmatch(text):
        raise UsageError(f"{usage} — the amount must be a positive whole number")
    value = int(text.replace(",", ""))
    if value <= 0:
        raise UsageError(f"{usage} — the amount must be a positive whole number")
    if value > maximum:
        raise UsageError(f"{usage} — the amount can be at most {maximum:,}")
    return value
