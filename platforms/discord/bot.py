"""The Discord listener: a discord.py Client with a CommandTree, publishing normalized events.

Gateway intents: the defaults (guilds, guild messages, voice states, ...) plus
``message_content``, a *privileged* intent to switch on in the Developer Portal (Bot ->
Privileged Gateway Intents -> Message Content) for prefix commands and chat text. Members and
presences are not needed: voice members are cached from voice states, and interactions and
messages carry their author's member data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

import discord
from discord import app_commands

from game.events import ChatMessage
from kingpin.bus import Publisher
from kingpin.outbox import OutboxSender
from platforms.discord.adapters import (
    actor_of,
    guild_context,
    interaction_event,
    message_event,
    voice_presences,
)
from platforms.discord.commands import PRIVATE_COMMANDS, ActivityChannel, build_commands
from platforms.discord.model import TEXT, VOICE, GuildConfig, GuildContext
from platforms.discord.normalize import roles_for
from platforms.discord.replies import DiscordSender, InteractionStore, PendingInteraction
from platforms.discord.repository import ConfigCache
from platforms.discord.voice import minute_of, voice_messages

log = logging.getLogger(__name__)

TROUBLE = "Kingpin is having trouble right now; try again in a moment."


def build_intents() -> discord.Intents:
    intents = discord.Intents.default()  # guilds, guild_messages, voice_states, ... (no members)
    intents.message_content = True  # privileged: enable it in the Developer Portal
    intents.presences = False
    intents.members = False
    return intents


def utcnow() -> datetime:
    return datetime.now(UTC)


class KingpinBot(discord.Client):
    def __init__(
        self, *, publisher: Publisher, configs: ConfigCache, store: InteractionStore,
        sender: DiscordSender | None = None, outbox: OutboxSender | None = None,
        sync_guild_ids: list[int] | None = None, sync_commands: bool = True,
        followup_grace_s: float = 180.0, voice_activity: bool = True,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(intents=build_intents(), allowed_mentions=discord.AllowedMentions.none())
        self.publisher = publisher
        self.configs = configs
        self.store = store
        self.sender = sender
        self.outbox = outbox
        self.sync_guild_ids = sync_guild_ids or []
        self.sync_commands = sync_commands
        self.followup_grace_s = followup_grace_s
        self.voice_activity = voice_activity
        self.clock = clock
        self.stop = asyncio.Event()
        self.tree: app_commands.CommandTree[KingpinBot] = app_commands.CommandTree(self)
        for command in build_commands(self):
            self.tree.add_command(command)
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self._tasks: list[asyncio.Task[None]] = []

    # --- lifecycle ---

    async def setup_hook(self) -> None:
        if self.sync_commands:
            await self.sync_tree()
        if self.outbox is not None:
            self._spawn(self.outbox.run(self.stop))
        if self.sender is not None:
            self._spawn(self.sender.sweep_loop(self.stop, self.followup_grace_s))
        if self.voice_activity:
            self._spawn(self.voice_loop())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        self._tasks.append(asyncio.create_task(coro))

    async def sync_tree(self) -> None:
        if self.sync_guild_ids:
            for guild_id in self.sync_guild_ids:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("discord: %d slash commands synced to guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("discord: %d slash commands synced globally", len(synced))

    async def close(self) -> None:
        self.stop.set()
        pending = [t for t in self._tasks if not t.done()]
        if pending:
            _, late = await asyncio.wait(pending, timeout=5)
            for task in late:
                task.cancel()
        await super().close()

    async def on_ready(self) -> None:
        log.info("discord: connected as %s to %d guild(s)", self.user, len(self.guilds))

    # --- context ---

    async def context_for(self, guild: discord.Guild | None, guild_id: int) -> GuildContext:
        config = await self.configs.get(str(guild_id))
        return guild_context(guild, guild_id, config)

    async def publish(self, event: ChatMessage) -> None:
        await self.publisher.publish(event)

    # --- prefix commands and chat ---

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None or message.author.bot or message.webhook_id is not None:
            return  # DMs, bots and webhooks never play
        try:
            ctx = await self.context_for(message.guild, message.guild.id)
            event = message_event(message, ctx, self.clock())
            if event is not None:
                await self.publish(event)
        except Exception:  # noqa: BLE001 - one bad message never kills the listener
            log.exception("discord guild=%s channel=%s event=%s: message not published",
                          message.guild.id, message.channel.id, message.id)

    # --- slash commands ---

    async def game_command(self, interaction: discord.Interaction) -> None:
        """Defer (3-second deadline), remember the token, publish the equivalent chat command.

        ``PRIVATE_COMMANDS`` (``/link``) are deferred ephemerally: the answer that replaces the
        placeholder is seen by the invoker only."""
        data = interaction.data
        ephemeral = isinstance(data, dict) and data.get("name") in PRIVATE_COMMANDS
        if ephemeral:
            await interaction.response.defer(ephemeral=True, thinking=True)
        else:
            await interaction.response.defer(thinking=True)
        received_at = self.clock()
        try:
            if interaction.guild_id is None:
                return
            ctx = await self.context_for(interaction.guild, interaction.guild_id)
            event = interaction_event(interaction, ctx, received_at)
            if event is None:
                log.warning("discord guild=%s channel=%s event=%s: slash command not mapped",
                            interaction.guild_id, interaction.channel_id, interaction.id)
                await interaction.followup.send("That command is not available.")
                return
            await self.store.remember(PendingInteraction(
                interaction_id=str(interaction.id),
                application_id=str(interaction.application_id),
                token=interaction.token, channel_id=event.channel, user_name=event.user.name,
                created=time.time(), ephemeral=ephemeral,
            ))
            await self.publish(event)
        except Exception:  # noqa: BLE001 - answer something rather than "thinking..." forever
            log.exception("discord guild=%s channel=%s event=%s: slash command not published",
                          interaction.guild_id, interaction.channel_id, interaction.id)
            with contextlib.suppress(discord.HTTPException):
                await interaction.followup.send(TROUBLE)

    async def _on_tree_error(self, interaction: discord.Interaction,
                             error: app_commands.AppCommandError) -> None:
        log.error("discord guild=%s channel=%s event=%s: command failed: %s",
                  interaction.guild_id, interaction.channel_id, interaction.id, error,
                  exc_info=error)
        with contextlib.suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(TROUBLE, ephemeral=True)
            else:
                await interaction.response.send_message(TROUBLE, ephemeral=True)

    # --- /kingpin config ---

    async def _admin(self, interaction: discord.Interaction) -> GuildConfig | None:
        """Defer privately; the config if the user is the owner or a mod, else answer no."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        if interaction.guild_id is None:
            return None
        ctx = await self.context_for(interaction.guild, interaction.guild_id)
        actor = actor_of(interaction.user, interaction.permissions.value)
        if not roles_for(actor, ctx):
            await interaction.followup.send(
                "Only the server owner, the Kingpin mod role or Manage Server can change this.",
                ephemeral=True)
            return None
        return ctx.config

    async def _changed(self, interaction: discord.Interaction, text: str) -> None:
        if interaction.guild_id is not None:
            self.configs.invalidate(str(interaction.guild_id))
            log.info("discord guild=%s: config changed by %s: %s", interaction.guild_id,
                     interaction.user.id, text)
        await interaction.followup.send(text, ephemeral=True)

    async def config_show(self, interaction: discord.Interaction) -> None:
        config = await self._admin(interaction)
        if config is not None:
            await interaction.followup.send(describe_config(config), ephemeral=True)

    async def config_feed(self, interaction: discord.Interaction,
                          channel: discord.TextChannel | None) -> None:
        if await self._admin(interaction) is None:
            return
        guild_id = str(interaction.guild_id)
        await self.configs.repo.set_feed_channel(guild_id, str(channel.id) if channel else None)
        await self._changed(interaction, f"Feed channel: {channel.mention}" if channel
                            else "Feed turned off.")

    async def config_modrole(self, interaction: discord.Interaction,
                             role: discord.Role | None) -> None:
        if await self._admin(interaction) is None:
            return
        await self.configs.repo.set_mod_role(str(interaction.guild_id),
                                             str(role.id) if role else None)
        await self._changed(interaction, f"Mod role: {role.mention}" if role
                            else "Mod role cleared.")

    async def config_prefix(self, interaction: discord.Interaction, enabled: bool) -> None:
        if await self._admin(interaction) is None:
            return
        await self.configs.repo.set_prefix_commands(str(interaction.guild_id), enabled)
        await self._changed(interaction, "!commands in chat are " +
                            ("on." if enabled else "off (slash commands only)."))

    async def config_activity_add(self, interaction: discord.Interaction,
                                  channel: ActivityChannel) -> None:
        if await self._admin(interaction) is None:
            return
        kind = TEXT if isinstance(channel, discord.TextChannel) else VOICE
        await self.configs.repo.add_activity_channel(str(interaction.guild_id),
                                                     str(channel.id), kind)
        await self._changed(interaction, f"{channel.mention} now counts as game chat ({kind}).")

    async def config_activity_remove(self, interaction: discord.Interaction,
                                     channel: ActivityChannel) -> None:
        if await self._admin(interaction) is None:
            return
        removed = await self.configs.repo.remove_activity_channel(str(interaction.guild_id),
                                                                  str(channel.id))
        await self._changed(interaction, f"{channel.mention} no longer counts." if removed
                            else f"{channel.mention} was not an activity channel.")

    # --- voice activity ---

    async def voice_tick(self, now: datetime) -> int:
        """Publish this minute's voice earnings for every guild; returns how many."""
        contexts: dict[str, GuildContext] = {}
        presences = []
        for guild in self.guilds:
            ctx = await self.context_for(guild, guild.id)
            if not ctx.config.voice_channels:
                continue
            contexts[ctx.guild_id] = ctx
            presences.extend(voice_presences(guild, ctx.config.voice_channels))
        events = voice_messages(presences, contexts, minute_of(now), now)
        for event in events:
            await self.publish(event)
        return len(events)

    async def voice_loop(self) -> None:
        await self.wait_until_ready()
        while not self.stop.is_set():
            now = self.clock()
            wait = 60 - now.timestamp() % 60 + 1  # one second into the next minute
            try:
                await asyncio.wait_for(self.stop.wait(), wait)
                return
            except TimeoutError:
                pass
            try:
                count = await self.voice_tick(self.clock())
                if count:
                    log.debug("discord: %d voice activity events this minute", count)
            except Exception:  # noqa: BLE001 - try again next minute
                log.exception("discord: voice activity tick failed")


def describe_config(config: GuildConfig) -> str:
    def channels(ids: frozenset[str]) -> str:
        return ", ".join(f"<#{c}>" for c in sorted(ids)) or "none"

    return "\n".join([
        f"Feed channel: {f'<#{config.feed_channel_id}>' if config.feed_channel_id else 'off'}",
        f"Mod role: {f'<@&{config.mod_role_id}>' if config.mod_role_id else 'none'}"
        " (the owner and Manage Server always count)",
        f"!commands in chat: {'on' if config.prefix_commands else 'off'}",
        f"Text activity channels: {channels(config.text_channels)}",
        f"Voice activity channels: {channels(config.voice_channels)}",
    ])
