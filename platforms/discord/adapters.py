"""discord.py objects -> the plain values the pure normalizers take.

discord.py has already parsed the gateway payload; these functions only read its attributes
(``interaction.data`` stays the raw ``data`` dict, so slash commands reuse the raw mapping).
"""

from __future__ import annotations

import logging
from datetime import datetime

import discord

from game.events import ChatMessage
from platforms.discord.model import Actor, GuildConfig, GuildContext, mention_name
from platforms.discord.normalize import (
    CHAT_MESSAGE_TYPES,
    accepts_message,
    chat_event,
    interaction_command_text,
    rewrite_mentions,
)
from platforms.discord.voice import VoicePresence

log = logging.getLogger(__name__)


def actor_of(user: discord.abc.User, permissions: int | None = None) -> Actor:
    """A Member carries roles and guild permissions; ``permissions`` overrides the latter
    (an interaction's permissions include the channel's overwrites)."""
    role_ids: frozenset[str] = frozenset()
    if isinstance(user, discord.Member):
        role_ids = frozenset(str(r.id) for r in user.roles)
        if permissions is None:
            permissions = user.guild_permissions.value
    discriminator = getattr(user, "discriminator", None)
    return Actor(id=str(user.id), username=user.name,
                 discriminator=discriminator if isinstance(discriminator, str) else None,
                 bot=user.bot, role_ids=role_ids, permissions=permissions)


def guild_context(guild: discord.Guild | None, guild_id: int, config: GuildConfig,
                  community_id: int | None) -> GuildContext:
    """``community_id``: the community that owns the guild (None: nobody; no roles there)."""
    owner = guild.owner_id if guild is not None else None
    afk = guild.afk_channel.id if guild is not None and guild.afk_channel is not None else None
    return GuildContext(guild_id=str(guild_id), community_id=community_id,
                        owner_id=str(owner) if owner else None,
                        afk_channel_id=str(afk) if afk else None, config=config)


def interaction_event(interaction: discord.Interaction, ctx: GuildContext,
                      received_at: datetime) -> ChatMessage | None:
    """A guild slash command -> the ChatMessage it stands for (event id = interaction id)."""
    if interaction.guild_id is None or interaction.channel_id is None:
        return None
    data = interaction.data
    text = interaction_command_text(data) if isinstance(data, dict) else None
    if text is None:
        return None
    actor = actor_of(interaction.user, interaction.permissions.value)
    return chat_event(event_id=str(interaction.id), channel=str(interaction.channel_id),
                      actor=actor, text=text, ctx=ctx, occurred_at=interaction.created_at,
                      received_at=received_at)


def message_event(message: discord.Message, ctx: GuildContext, received_at: datetime
                  ) -> ChatMessage | None:
    """A person talking in an activity text channel (or a thread in one) -> ChatMessage."""
    if message.guild is None or message.author.bot or message.webhook_id is not None:
        return None
    if message.type.value not in CHAT_MESSAGE_TYPES:
        return None
    names = {str(u.id): mention_name(u.name, getattr(u, "discriminator", None))
             for u in message.mentions}
    text = rewrite_mentions(message.content, names)
    parent = getattr(message.channel, "parent_id", None)
    if not accepts_message(ctx, str(message.channel.id), str(parent) if parent else None, text):
        return None
    return chat_event(event_id=str(message.id), channel=str(message.channel.id),
                      actor=actor_of(message.author), text=text, ctx=ctx,
                      occurred_at=message.created_at, received_at=received_at)


def voice_presences(guild: discord.Guild, channel_ids: frozenset[str]) -> list[VoicePresence]:
    """Who is in the guild's configured voice channels right now (from the voice cache)."""
    presences: list[VoicePresence] = []
    for raw_id in channel_ids:
        channel = guild.get_channel(int(raw_id))
        if not isinstance(channel, discord.VoiceChannel | discord.StageChannel):
            continue
        states = channel.voice_states
        for member in channel.members:
            state = states.get(member.id)
            deaf = bool(state and (state.deaf or state.self_deaf))
            presences.append(VoicePresence(guild_id=str(guild.id), channel_id=raw_id,
                                           actor=actor_of(member), deaf=deaf))
    return presences
