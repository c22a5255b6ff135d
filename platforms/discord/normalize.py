"""Discord payloads -> normalized events. Pure functions on raw dicts and plain values.

* A slash command becomes the chat command it stands for (``/rob user:@x`` -> ``!rob @x``),
  event id = the interaction id, so the workers treat it exactly like typed chat.
* A message in a configured activity channel becomes a ``ChatMessage`` (event id = message
  id); mentions (``<@123>``) are rewritten to ``@username`` so ``!rob @x`` typed in Discord
  reads like it does on Twitch.
* Every event carries ``guild``: communities own guilds, not single channels.
* Roles count only in a guild a community owns (``GuildContext.community_id``): the guild
  owner is the broadcaster; the mod role that community configured, or a permission its
  ``bot_config`` names (none by default: *Manage Server* alone is not a moderator), makes a
  moderator.

Anything malformed is logged (lazy %s, with guild/channel/event id) and skipped, never raised.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import discord
from pydantic import ValidationError

from game.commands import ALIASES, COMMANDS, parse_command
from game.events import ChatMessage, Platform, Role, UserRef
from platforms.discord.model import Actor, GuildContext

log = logging.getLogger(__name__)

DISCORD_EPOCH_MS = 1_420_070_400_000
# permission name -> bit, as discord.py names them (Manage Server is "manage_guild")
PERMISSION_FLAGS: dict[str, int] = {
    name: getattr(discord.Permissions, name).flag for name in discord.Permissions.VALID_FLAGS}

# interaction types / application command types / option types (Discord API v10)
INTERACTION_APPLICATION_COMMAND = 2
CHAT_INPUT = 1
OPTION_SUB_COMMAND = 1
OPTION_SUB_COMMAND_GROUP = 2
OPTION_STRING = 3
OPTION_INTEGER = 4
OPTION_BOOLEAN = 5
OPTION_USER = 6
OPTION_NUMBER = 10
# message types that are a person talking: DEFAULT and REPLY
CHAT_MESSAGE_TYPES = frozenset({0, 19})

# Slash command -> the arguments of the chat command it stands for, in order: every game
# command of the registry (game.commands.COMMANDS) that has one.
SLASH_ARGS: dict[str, tuple[str, ...]] = {
    spec.name: tuple(arg.name for arg in spec.args) for spec in COMMANDS.values() if spec.slash
}
USER_ARGS = frozenset(
    a.name for spec in COMMANDS.values() for a in spec.args if a.kind == "user")

_SNOWFLAKE = re.compile(r"[0-9]{1,20}", re.ASCII)
_USER_MENTION = re.compile(r"<@!?([0-9]{1,20})>", re.ASCII)


def is_snowflake(value: object) -> bool:
    return isinstance(value, str) and _SNOWFLAKE.fullmatch(value) is not None


def snowflake_time(snowflake: str | int) -> datetime:
    """When a Discord id was created (ms since the Discord epoch in the top 42 bits)."""
    ms = (int(snowflake) >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def roles_for(actor: Actor, ctx: GuildContext) -> frozenset[Role]:
    """Roles only where a community owns the guild, and only from that community's config
    (a config read while another community owned the guild counts for nothing)."""
    if ctx.community_id is None:
        return frozenset()
    roles: set[Role] = set()
    if ctx.owner_id is not None and actor.id == ctx.owner_id:
        roles.add(Role.BROADCASTER)
    config = ctx.config
    if config.community_id != ctx.community_id:
        return frozenset(roles)
    if config.mod_role_id is not None and config.mod_role_id in actor.role_ids:
        roles.add(Role.MODERATOR)
    if config.mod_permissions and actor.permissions is not None and (
            actor.permissions & config.mod_permissions):
        roles.add(Role.MODERATOR)
    return frozenset(roles)


def permission_bits(value: object) -> tuple[int, list[str]]:
    """A community's ``discord.mod_permissions`` (a list of discord.py permission names such
    as ``["manage_guild"]``, or one name, or the integer bit set) -> (bits, unknown names)."""
    if isinstance(value, bool):
        return 0, [str(value)]
    if isinstance(value, int):
        return (value, []) if value >= 0 else (0, [str(value)])
    names: Iterable[object] = [value] if isinstance(value, str) else (
        value if isinstance(value, list) else [value])
    bits, unknown = 0, []
    for name in names:
        flag = PERMISSION_FLAGS.get(name) if isinstance(name, str) else None
        if flag is None:
            unknown.append(str(name))
        else:
            bits |= flag
    return bits, unknown


def permission_names(bits: int) -> str:
    """``32 | 2`` -> ``"kick_members, manage_guild"``, for showing a config."""
    return ", ".join(sorted(name for name, flag in PERMISSION_FLAGS.items() if bits & flag))


def actor_from_payload(
    user: Mapping[str, Any] | None, member: Mapping[str, Any] | None = None
) -> Actor | None:
    """From a user object and/or a (partial) guild member object; None if there is no user."""
    if user is None and member is not None:
        user = member.get("user")
    if not isinstance(user, Mapping):
        return None
    user_id, username = user.get("id"), user.get("username")
    if not is_snowflake(user_id) or not isinstance(username, str) or not username.strip():
        return None
    role_ids: frozenset[str] = frozenset()
    permissions: int | None = None
    if isinstance(member, Mapping):
        raw_roles = member.get("roles")
        if isinstance(raw_roles, list):
            role_ids = frozenset(str(r) for r in raw_roles if is_snowflake(str(r)))
        raw_perms = member.get("permissions")
        if isinstance(raw_perms, str | int) and str(raw_perms).isdigit():
            permissions = int(raw_perms)
    discriminator = user.get("discriminator")
    return Actor(
        id=str(user_id), username=username,
        discriminator=discriminator if isinstance(discriminator, str) else None,
        bot=bool(user.get("bot", False)), role_ids=role_ids, permissions=permissions,
    )


def chat_event(
    *, event_id: str, channel: str, actor: Actor, text: str, ctx: GuildContext,
    occurred_at: datetime, received_at: datetime,
) -> ChatMessage | None:
    """The one place a ChatMessage is built; a value the schema refuses is logged and dropped."""
    try:
        return ChatMessage(
            platform=Platform.DISCORD, event_id=event_id, channel=channel,
            guild=ctx.guild_id,
            user=UserRef(id=actor.id, name=actor.name, roles=roles_for(actor, ctx)),
            text=text, occurred_at=occurred_at, received_at=received_at,
        )
    except ValidationError as exc:
        log.warning("discord guild=%s channel=%s event=%s: unusable event skipped: %s",
                    ctx.guild_id, channel, event_id, exc.errors()[0].get("msg"))
        return None


# --- slash commands ---


def slash_text(command: str, args: Mapping[str, object]) -> str:
    """The chat command a slash command stands for; user arguments are already names.

    ``slash_text("givewealth", {"user": "bob", "amount": 500})`` -> ``"!givewealth @bob 500"``.
    Missing optional arguments are left out (the game answers usage for missing required ones).
    """
    parts = [f"!{command}"]
    for name in SLASH_ARGS[command]:
        value = args.get(name)
        if value is None or isinstance(value, bool):
            continue
        text = " ".join(str(value).split())  # one line, single spaces
        if not text:
            continue
        parts.append(f"@{text.lstrip('@')}" if name in USER_ARGS else text)
    return " ".join(parts)


def interaction_command_text(data: Mapping[str, Any]) -> str | None:
    """``interaction.data`` of a slash command -> chat text; None if it is not a game command.

    USER options arrive as ids; their usernames come from ``data.resolved.users``.
    """
    if data.get("type", CHAT_INPUT) != CHAT_INPUT:
        return None
    name = data.get("name")
    if not isinstance(name, str) or name not in SLASH_ARGS:
        return None
    resolved = data.get("resolved")
    users = resolved.get("users", {}) if isinstance(resolved, Mapping) else {}
    args: dict[str, object] = {}
    options = data.get("options") or []
    if not isinstance(options, list):
        return None
    for option in options:
        if not isinstance(option, Mapping):
            continue
        kind, key, value = option.get("type"), option.get("name"), option.get("value")
        if kind in (OPTION_SUB_COMMAND, OPTION_SUB_COMMAND_GROUP) or not isinstance(key, str):
            return None  # game commands have no subcommands
        if kind == OPTION_USER:
            user = users.get(str(value)) if isinstance(users, Mapping) else None
            actor = actor_from_payload(user if isinstance(user, Mapping) else None)
            if actor is None:
                log.warning("discord /%s: user option %s not in resolved data; left out",
                            name, value)
                continue
            args[key] = actor.name
        elif kind in (OPTION_STRING, OPTION_INTEGER, OPTION_NUMBER) and isinstance(
            value, str | int | float
        ):
            args[key] = value
    return slash_text(name, args)


def normalize_interaction(
    payload: Mapping[str, Any], ctx: GuildContext, received_at: datetime
) -> ChatMessage | None:
    """INTERACTION_CREATE ``d`` of a guild slash command -> ChatMessage (else None)."""
    event_id = payload.get("id")
    if payload.get("type") != INTERACTION_APPLICATION_COMMAND or not is_snowflake(event_id):
        return None
    if payload.get("guild_id") is None:
        return None  # DMs are not played in
    data = payload.get("data")
    text = interaction_command_text(data) if isinstance(data, Mapping) else None
    if text is None:
        return None
    channel = payload.get("channel_id") or (payload.get("channel") or {}).get("id")
    actor = actor_from_payload(payload.get("user"), payload.get("member"))
    if actor is None or not is_snowflake(channel):
        log.warning("discord guild=%s channel=%s event=%s: interaction without user/channel",
                    ctx.guild_id, channel, event_id)
        return None
    return chat_event(event_id=str(event_id), channel=str(channel), actor=actor, text=text,
                      ctx=ctx, occurred_at=snowflake_time(str(event_id)),
                      received_at=received_at)


# --- messages ---


def rewrite_mentions(content: str, names: Mapping[str, str]) -> str:
    """``<@123>`` / ``<@!123>`` -> ``@name`` for the users the message mentions."""
    def repl(match: re.Match[str]) -> str:
        name = names.get(match.group(1))
        return f"@{name}" if name else match.group(0)

    return _USER_MENTION.sub(repl, content)


def accepts_message(
    ctx: GuildContext, channel_id: str, parent_id: str | None, content: str
) -> bool:
    """Activity text channels (and threads in them) count; with prefix commands turned off a
    message that parses as a command is not published (it would run as one)."""
    config = ctx.config
    if channel_id not in config.text_channels and parent_id not in config.text_channels:
        return False
    return config.prefix_commands or parse_command(content) is None


def normalize_message(
    payload: Mapping[str, Any], ctx: GuildContext, received_at: datetime,
    parent_id: str | None = None,
) -> ChatMessage | None:
    """MESSAGE_CREATE ``d`` -> ChatMessage when it is a person talking in an activity channel.

    Bots, webhooks, system messages and DMs are ignored. Permissions are not in the payload,
    so only the owner and the mod role give roles here (the live path adds the community's
    mod permissions).
    """
    event_id, channel = payload.get("id"), payload.get("channel_id")
    if not is_snowflake(event_id) or not is_snowflake(channel):
        return None
    if payload.get("guild_id") is None or payload.get("webhook_id") is not None:
        return None
    if payload.get("type", 0) not in CHAT_MESSAGE_TYPES:
        return None
    author = payload.get("author")
    if isinstance(author, Mapping) and author.get("bot"):
        return None
    actor = actor_from_payload(author if isinstance(author, Mapping) else None,
                               payload.get("member"))
    if actor is None:
        log.warning("discord guild=%s channel=%s event=%s: message without a usable author",
                    ctx.guild_id, channel, event_id)
        return None
    names: dict[str, str] = {}
    for user in payload.get("mentions") or []:
        mentioned = actor_from_payload(user) if isinstance(user, Mapping) else None
        if mentioned is not None:
            names[mentioned.id] = mentioned.name
    content = payload.get("content")
    text = rewrite_mentions(content if isinstance(content, str) else "", names)
    if not accepts_message(ctx, str(channel), parent_id, text):
        return None
    return chat_event(event_id=str(event_id), channel=str(channel), actor=actor, text=text,
                      ctx=ctx, occurred_at=_timestamp(payload.get("timestamp"), str(event_id)),
                      received_at=received_at)


def _timestamp(value: object, snowflake: str) -> datetime:
    """A message's ISO8601 ``timestamp``, else the time encoded in its id."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
    return snowflake_time(snowflake)


def missing_game_commands() -> set[str]:
    """Game commands without a slash command (should be empty; a test keeps it so)."""
    return set(ALIASES) - set(SLASH_ARGS)
