"""Turning chat text into commands, and parsing their arguments strictly."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from game.config import TUNABLES
from game.errors import UsageError
from game.events import MAX_NAME, has_control
from game.leaderboards import BOARD_ARGS, METRICS
from game.stats import PERIODS

PREFIX = "!"
MAX_ARGS = 8

ArgKind = Literal["user", "amount", "text", "choice", "item", "title", "count", "id"]
Role = Literal["everyone", "mod", "broadcaster"]
Touches = Literal["self", "target", "all"]


@dataclass(frozen=True)
class Arg:
    """One argument, as Discord shows it (a user picker, a number box, a choice list, a name
    with autocomplete); chat passes the same words in order."""

    name: str
    kind: ArgKind
    about: str
    required: bool = True
    choices: tuple[str, ...] = ()
    max_len: int = 100


@dataclass(frozen=True)
class Spec:
    """Everything about a command except what it does (that is its handler in jobs/)."""

    name: str
    usage: str
    about: str                       # one line: !help and Discord's description
    aliases: tuple[str, ...] = ()
    role: Role = "everyone"          # who may use it (checked before the handler runs)
    lock: str | None = None          # the cooldown the claim locks the player (and the
    #                                  player named, for touches="target") with
    jailed: bool = False             # refused while jailed (GAME.md: play, rob, gambling)
    touches: Touches = "self"        # whose rows it may read or write (batch ordering)
    args: tuple[Arg, ...] = ()
    private: bool = False            # on Discord, answered for the asker's eyes only
    slash: bool = True               # has a Discord slash command
    redeemable: bool = False         # may come from a channel-point redemption (live mode)


def _specs(*specs: Spec) -> dict[str, Spec]:
    return {s.name: s for s in specs}


_USER = Arg("user", "user", "who")
_ITEM = Arg("item", "item", "the item's name (a prefix is enough)", max_len=60)
_BET = Arg("bet", "text", "how much: a number, all or half", max_len=24)
_BOARD = (Arg("period", "choice", "the period (default lifetime)", required=False,
              choices=PERIODS),
          Arg("metric", "choice", "what to rank by (default wealth earned)", required=False,
              choices=tuple(METRICS)))

COMMANDS: dict[str, Spec] = _specs(
    Spec("play", "usage: !play", "Pull a job: earn cash and XP (or get busted)",
         lock="play", jailed=True, redeemable=True),
    Spec("rob", "usage: !rob @user", "Try to rob another player", lock="rob", jailed=True,
         touches="target", redeemable=True, args=(Arg("user", "user", "who to rob"),)),
    Spec("bail", "usage: !bail", "Pay your way out of jail", lock="bail", redeemable=True),
    Spec("checkin", "usage: !checkin", "Daily check-in: keep your streak going",
         lock="checkin"),
    Spec("profile", "usage: !profile", "Your wealth, level and standing",
         aliases=("p", "stats")),
    Spec("balance", "usage: !balance", "How much cash you have", aliases=("bal",)),
    Spec("level", "usage: !level", "Your level and XP"),
    Spec("lb", f"usage: !lb {BOARD_ARGS}",
         "The leaderboard: the top 5 of a period by a metric, and your place",
         aliases=("leaderboard",), touches="all", args=_BOARD),
    Spec("rank", f"usage: !rank {BOARD_ARGS}",
         "Your place on every period's board (or every board of a period)", touches="all",
         args=_BOARD),
    Spec("hof", "usage: !hof", "The hall of fame: the community's all-time records",
         aliases=("halloffame",)),
    Spec("inventory", "usage: !inventory", "Your items, what's equipped and their durability",
         aliases=("inv",)),
    Spec("equip", "usage: !equip <item>", "Equip an item from your inventory",
         args=(_ITEM,)),
    Spec("unequip", "usage: !unequip <weapon|armor|business|housing>",
         "Take off what's in a slot",
         args=(Arg("slot", "choice", "the slot to empty",
                   choices=("weapon", "armor", "business", "housing")),)),
    Spec("sell", "usage: !sell <item>", "Sell an item for half its price", args=(_ITEM,)),
    Spec("escrow", "usage: !escrow [claim]", "Items and crates waiting for room",
         args=(Arg("action", "choice", "claim to move them into your inventory",
                   required=False, choices=("claim",)),)),
    Spec("shop", "usage: !shop", "Your personal shop"),
    Spec("reroll", "usage: !reroll", "Refresh your shop (hourly, or with a Reroll Token)",
         redeemable=True),
    Spec("buy", "usage: !buy <item>", "Buy an item from your shop or the black market",
         args=(_ITEM,)),
    Spec("market", "usage: !market", "The black market: rare stock, rotating every 6 h"),
    Spec("supplies", "usage: !supplies", "Buffs and consumables for sale"),
    Spec("buysupply", "usage: !buysupply <item>", "Buy a buff or a consumable",
         args=(Arg("item", "item", "the supply's name (a prefix is enough)", max_len=60),)),
    Spec("buffs", "usage: !buffs", "Your active buffs"),
    Spec("crates", "usage: !crates", "Your crates"),
    Spec("open", "usage: !open [n]", "Open crates (the best first)",
         args=(Arg("n", "count", "how many (default 1)", required=False),)),
    Spec("titles", "usage: !titles", "Your titles"),
    Spec("title", "usage: !title <name|none>", "Wear a title beside your name",
         args=(Arg("name", "title", "the title, or none", max_len=60),)),
    Spec("insure", "usage: !insure [basic|standard|premium|platinum|none]",
         "Insurance against robbery: see or pick a plan",
         args=(Arg("plan", "choice", "the plan (leave empty to see them)", required=False,
                   choices=("basic", "standard", "premium", "platinum", "none")),)),
    Spec("slots", "usage: !slots <bet|all|half>",
         "Spin the slots: three of a kind pays, 🎰🎰🎰 wins the jackpot", jailed=True,
         args=(_BET,)),
    Spec("jackpot", "usage: !jackpot", "The slots jackpot pool"),
    Spec("blackjack", "usage: !blackjack <bet|all|half>",
         "Deal a hand of blackjack (a natural pays 3:2)", aliases=("bj",), jailed=True,
         args=(_BET,)),
    Spec("hit", "usage: !hit", "Blackjack: take a card"),
    Spec("stand", "usage: !stand", "Blackjack: stand; the dealer plays"),
    Spec("double", "usage: !double", "Blackjack: double the bet, take one card, stand"),
    Spec("flip", "usage: !flip <bet> [heads|tails]",
         "Open a coinflip duel: whoever accepts takes the other side", jailed=True,
         args=(_BET, Arg("side", "choice", "your side (default heads)", required=False,
                         choices=("heads", "tails")))),
    Spec("accept", "usage: !accept <id>", "Take a coinflip duel: the winner takes both stakes",
         jailed=True, touches="all", args=(Arg("id", "id", "the duel's number (!flips)"),)),
    Spec("flips", "usage: !flips", "The open coinflip duels"),
    Spec("cancelflip", "usage: !cancelflip", "Cancel your open coinflip duel (refunded)"),
    Spec("lottery", "usage: !lottery <n1> <n2> <n3>",
         "Buy a lottery ticket: three different numbers from 1 to 20", jailed=True,
         args=tuple(Arg(f"n{i}", "count", f"number {i} (1–20)") for i in (1, 2, 3))),
    Spec("lotto", "usage: !lotto", "The lottery pool and your tickets"),
    Spec("gamblestats", "usage: !gamblestats", "Your gambling record"),
    Spec("economy", "usage: !economy [day|week]",
         "Mods: the community's economy: money made and destroyed, games' returns, inequality",
         role="mod", args=(Arg("period", "choice", "the window (default day)",
                               required=False, choices=("day", "week")),)),
    Spec("givewealth", "usage: !givewealth <user> <amount>", "Broadcaster: give a player cash",
         role="broadcaster", touches="target",
         args=(Arg("user", "user", "who gets it"), Arg("amount", "amount", "how much cash"))),
    Spec("givexp", "usage: !givexp <user> <amount>", "Broadcaster: give a player XP",
         role="broadcaster", touches="target",
         args=(Arg("user", "user", "who gets it"), Arg("amount", "amount", "how much XP"))),
    Spec("givecrate", "usage: !givecrate <user> <common|uncommon|rare|legendary>",
         "Broadcaster: give a player a crate", role="broadcaster", touches="target",
         args=(Arg("user", "user", "who gets it"),
               Arg("tier", "choice", "the crate's tier",
                   choices=("common", "uncommon", "rare", "legendary")))),
    Spec("startsession", "usage: !startsession [title]", "Mods: start a streaming session",
         role="mod", touches="all",
         args=(Arg("title", "text", "what the session is called", required=False,
                   max_len=200),)),
    Spec("endsession", "usage: !endsession", "Mods: end the streaming session", role="mod",
         touches="all"),
    Spec("heist", "usage: !heist start", "Mods: start a heist now (the session must be live)",
         role="mod", args=(Arg("action", "choice", "what to do", choices=("start",)),)),
    Spec("juice", "usage: !juice", "This session's Juicernaut race: the crown and the top "
         "supporters"),
    Spec("juicehall", "usage: !juicehall", "Who wore the Juicernaut crown the most"),
    Spec("factions", "usage: !factions", "The three factions: members and territories held"),
    Spec("faction", "usage: !faction join <name> | !faction leave",
         "Join a faction (level 20+) or leave it (7 days before joining again)",
         args=(Arg("action", "choice", "join or leave", choices=("join", "leave")),
               Arg("name", "text", "the faction to join (!factions lists them)",
                   required=False, max_len=60))),
    Spec("territories", "usage: !territories",
         "The territories: who holds each, its buff and today's leader"),
    Spec("inbox", "usage: !inbox", "What happened to you lately (robbed, level-ups, crates, "
         "heists), kept 30 days", private=True),
    Spec("achievements", "usage: !achievements [@user]",
         "Achievements unlocked, the latest ones and the next one closest (yours or a "
         "player's)", aliases=("ach",),
         args=(Arg("user", "user", "whose (default yours)", required=False),)),
    Spec("missions", "usage: !missions [claim]",
         "Your daily and weekly missions and their progress; claim pays the finished ones",
         args=(Arg("action", "choice", "claim to collect finished missions", required=False,
                   choices=("claim",)),)),
    Spec("help", "usage: !help [command]", "What you can do", aliases=("commands",),
         args=(Arg("command", "text", "a command to explain", required=False, max_len=20),)),
    Spec("link", ("usage: !link to get a code, then !link CODE on your other platform"
                  " (!link confirm <name> / !link cancel for a request from a public code)"),
         "Link your accounts: no code to get one (only you see it), or the code from "
         "another platform", private=True,
         args=(Arg("code", "text", "the code !link gave you on another platform, or confirm"
                   " or cancel", required=False, max_len=16),)),
    Spec("unlink", "usage: !unlink <twitch|kick|discord|console>",
         "Detach one platform's account from your player",
         args=(Arg("platform", "choice", "the platform to detach",
                   choices=("twitch", "kick", "console")),)),
    Spec("config", "usage: !config <key> [value|default]",
         "Broadcaster: show or change one of the game's numbers for this community",
         role="broadcaster",
         args=(Arg("key", "choice", "the number to show or change", choices=tuple(TUNABLES)),
               Arg("value", "text", "the new value, or default; leave empty to show it",
                   required=False, max_len=32))),
)

# derived views (no list of command names is written twice)
ALIASES: dict[str, tuple[str, ...]] = {s.name: s.aliases for s in COMMANDS.values()}
USAGE: dict[str, str] = {s.name: s.usage for s in COMMANDS.values()}
_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in (name, *aliases)}


def help_text(is_mod: bool, is_broadcaster: bool) -> str:
    """``!help``: the commands this asker may use, in registry order (one chat line)."""
    groups: dict[Role, list[str]] = {"everyone": [], "mod": [], "broadcaster": []}
    for spec in COMMANDS.values():
        groups[spec.role].append(f"!{spec.name}")
    text = "commands: " + " ".join(groups["everyone"])
    extra = []
    if is_mod or is_broadcaster:
        extra.append("mods: " + " ".join(groups["mod"]))
    if is_broadcaster:
        extra.append("broadcaster: " + " ".join(groups["broadcaster"]))
    if extra:
        text += f" ({'; '.join(extra)})"
    return text + " — !help <command> for one"


def help_for(word: str) -> str | None:
    """``!help rob``: the command's usage and what it does (None for no such command)."""
    name = _LOOKUP.get(word.lower().removeprefix(PREFIX))
    if name is None:
        return None
    spec = COMMANDS[name]
    return f"{spec.usage.removeprefix('usage: ')} — {spec.about}"



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
