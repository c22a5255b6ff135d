"""``economy.live_mode = channel_points``: which command a reward redemption runs. Pure.

A community maps Twitch channel-point rewards and Kick rewards to the redeemable commands of
the registry (``Spec.redeemable``: play, rob, bail, reroll), per platform, by the reward's id
or by its folded title (game/matching.fold: ``Kingpin: Play`` -> ``kingpinplay``). A mapping
by id wins over one by title, which wins over the default: a reward whose folded title is a
redeemable command's name, or that name after the game's (``Play``, ``!rob``, ``Kingpin:
Bail``), runs that command. A redemption becomes the command as if its redeemer had typed it
(``as_command``); for a command that takes a player, the redemption's message names them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from game.commands import COMMANDS, PREFIX
from game.events import ChatMessage, RewardRedemption
from game.matching import fold

GAME_NAME = "Kingpin"
REDEEMABLE: tuple[str, ...] = tuple(s.name for s in COMMANDS.values() if s.redeemable)
PLATFORMS = ("twitch", "kick")  # the platforms with redeemable rewards
MAX_REWARD = 200  # redemption_mappings.reward

# what a reward id looks like: Twitch's are UUIDs, Kick's ULIDs; digits are an id too (and
# a digits-only title folds to the same text, so both readings match the same rewards)
_REWARD_ID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|[0-9A-HJKMNP-TV-Z]{26}|[0-9]{1,40}")

# reward (an id, or a folded title) -> command, for one community on one platform
Mappings = Mapping[str, str]


class RedemptionError(ValueError):
    """An operator's mapping that cannot be stored, with the reason to show."""


class Redeemed(ChatMessage):
    """A reward redemption as the command it maps to: the redemption's platform, event id,
    channel, redeemer and times, with the command as its text. Made at apply, never on the
    wire (its ``kind`` stays ``chat_message``, so every command path takes it as typed)."""

    reward_id: str
    reward_title: str


def default_command(title: str) -> str | None:
    """The redeemable command a reward titled ``title`` runs without any mapping."""
    folded = fold(title)
    game = fold(GAME_NAME)
    for name in REDEEMABLE:
        if folded in (name, game + name):
            return name
    return None


def resolve(reward_id: str, title: str, mappings: Mappings) -> str | None:
    """The command a redemption runs: a mapping by id, else by folded title, else the
    default; None when it runs nothing."""
    by_id = mappings.get(reward_id)
    if by_id in REDEEMABLE:
        return by_id
    folded = fold(title)
    by_title = mappings.get(folded) if folded else None
    if by_title in REDEEMABLE:
        return by_title
    return default_command(title)


def as_command(event: RewardRedemption, command: str) -> Redeemed:
    """The redemption as ``!command``; a command that takes a player (``!rob``) takes the
    first word of the redemption's message (``@bob`` or ``bob``; nothing: the usage)."""
    words = event.input.split()[:1] if COMMANDS[command].args else []
    return Redeemed(
        platform=event.platform, event_id=event.event_id, channel=event.channel,
        guild=event.guild, user=event.user, occurred_at=event.occurred_at,
        received_at=event.received_at, text=" ".join([PREFIX + command, *words]),
        reward_id=event.reward_id, reward_title=event.reward_title,
    )


def how_to_redeem(command: str, title: str | None) -> str:
    """The answer to a typed redeemable command while the stream runs on channel points:
    the reward's title when known (else the title the default mapping takes)."""
    spec = COMMANDS[command]
    what = f" with {spec.args[0].about} in its message" if spec.args else ""
    return (f"this stream runs on channel points: redeem “{title or command.capitalize()}”"
            f"{what} to {command}")


def reward_key(text: str) -> str:
    """What a mapping stores for an operator's ``<reward id or title>``: an id as given, a
    title folded. Raises RedemptionError for nothing usable."""
    text = text.strip()
    if text.lower().startswith("title:"):  # Kick's socket names a reward by its title only
        text = text[len("title:"):].strip()
    elif _REWARD_ID.fullmatch(text):
        return text
    key = fold(text)
    if not key:
        raise RedemptionError(f"{text!r} is neither a reward id nor a title with letters "
                              "or digits")
    if len(key) > MAX_REWARD:
        raise RedemptionError(f"a reward title folds to at most {MAX_REWARD} characters")
    return key


def check_platform(platform: str) -> str:
    """The platform of a mapping, lower-cased; RedemptionError unless it has rewards."""
    platform = platform.strip().lower()
    if platform not in PLATFORMS:
        raise RedemptionError(f"rewards are redeemed on {' or '.join(PLATFORMS)}, not "
                              f"{platform!r}")
    return platform


def check_command(command: str) -> str:
    """The command of a mapping (``play`` or ``!play``); RedemptionError unless redeemable."""
    name = command.strip().lower().removeprefix(PREFIX)
    if name not in REDEEMABLE:
        raise RedemptionError(f"a reward can run {', '.join(REDEEMABLE)}, not {command!r}")
    return name
