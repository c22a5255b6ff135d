"""The Discord listener: a discord.py Client with a CommandTree, publishing normalized events.

Gateway intents: the defaults (guilds, guild messages, voice states, ...) plus
``message_content``, a *privileged* intent to switch on in the Developer Portal (Bot ->
Privileged Gateway Intents -> Message Content) for prefix commands and chat text. Members and
presences are not needed: voice members are cached from voice states, and interactions and
messages carry their author's member data.

The bot answers only in guilds a community owns (``boundary.Boundary``): anything from another
guild is dropped before publishing, and the slash commands live as guild commands in the owned
guilds only (none globally), synced within ``sync_interval_s`` of a guild being added and
cleared when it is removed.
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

from game.commands import parse_command
from game.events import ChatMessage, Role
from kingpin import communities
from kingpin.bus import Publisher
from kingpin.faults import is_transient
from kingpin.outbox import OutboxSender
from platforms.discord.adapters import (
    actor_of,
    guild_context,
    interaction_event,
    message_event,
    voice_presences,
)
from platforms.discord.boundary import NOT_OWNED, Boundary
from platforms.discord.commands import PRIVATE_COMMANDS, ActivityChannel, build_commands
from platforms.discord.model import TEXT, VOICE, GuildConfig, GuildContext
from platforms.discord.normalize import permission_names, roles_for
from platforms.discord.replies import DiscordSender, InteractionStore, PendingInteraction
from platforms.discord.repository import ConfigCache, GuildNotOwned
from platforms.discord.voice import minute_of, voice_messages

log = logging.getLogger(__name__)

TROUBLE = "Kingpin is having trouble right now; try again in a moment."
NOT_IN_DMS = "Kingpin is played in a server, not in direct messages."
# a guild whose command sync Discord refused (e.g. invited without applications.commands)
# is tried again after this long
SYNC_RETRY_S = 600.0


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
        boundary: Boundary, sender: DiscordSender | None = None,
        outbox: OutboxSender | None = None, env_guild_ids: list[int] | None = None,
        sync_commands: bool = True, sync_interval_s: float = 10.0,
        followup_grace_s: float = 180.0, voice_activity: bool = True,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(intents=build_intents(), allowed_mentions=discord.AllowedMentions.none())
        self.publisher = publisher
        self.configs = configs
        self.store = store
        self.boundary = boundary
        self.sender = sender
        self.outbox = outbox
        # KINGPIN_DISCORD_GUILD_IDS: they join the default community at start
        self.env_guild_ids = env_guild_ids or []
        self.sync_commands = sync_commands
        self.sync_interval_s = sync_interval_s
        self._adopted = not self.env_guild_ids
        self._synced: set[str] = set()  # guilds holding our commands (synced by this process)
        self._sync_failed: dict[str, float] = {}  # guild -> when to try again
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
        await self.adopt_env_guilds()
        if self.sync_commands:
            await self.sync_tree()
        self._spawn(self.communities_loop())
        if self.outbox is not None:
            self._spawn(self.outbox.run(self.stop))
        if self.sender is not None:
            self._spawn(self.sender.sweep_loop(self.stop, self.followup_grace_s))
        if self.voice_activity:
            self._spawn(self.voice_loop())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        self._tasks.append(asyncio.create_task(coro))

    async def adopt_env_guilds(self) -> None:
        """The guilds in KINGPIN_DISCORD_GUILD_IDS join the default community (those another
        community owns stay there). The database being away is retried by the loop."""
        if self._adopted:
            return
        try:
            await communities.adopt("discord", [(str(g), "") for g in self.env_guild_ids])
        except Exception as exc:
            if not is_transient(exc):
                raise
            log.warning("discord: KINGPIN_DISCORD_GUILD_IDS not adopted yet (%s: %s); "
                        "retrying", type(exc).__name__, str(exc)[:200])
            return
        self._adopted = True
        self.boundary.directory.invalidate()
        log.info("discord: guilds of KINGPIN_DISCORD_GUILD_IDS belong to a community (the "
                 "default one unless another owns them): %s",
                 ", ".join(str(g) for g in self.env_guild_ids))

    async def sync_tree(self) -> None:
        """At start: no global commands (an unowned guild sees none; it also clears a global
        set synced by an older version), and the env guilds' commands at once. A refusal
        here is fatal (one line, status 2): the operator named these guilds."""
        assert self.application_id is not None
        await self.http.bulk_upsert_global_commands(self.application_id, [])
        for guild_id in self.env_guild_ids:
            await self._sync_guild(str(guild_id))

    async def _sync_guild(self, guild_id: str) -> None:
        guild = discord.Object(id=int(guild_id))
        self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        self._synced.add(guild_id)
        self._sync_failed.pop(guild_id, None)
        log.info("discord: %d slash commands synced to guild %s", len(synced), guild_id)

    async def _unsync_guild(self, guild_id: str) -> None:
        guild = discord.Object(id=int(guild_id))
        self.tree.clear_commands(guild=guild)  # its interactions now fall back to the global
        await self.tree.sync(guild=guild)      # tree (registered, never synced): not served
        self._synced.discard(guild_id)
        log.info("discord: slash commands removed from guild %s (no community owns it)",
                 guild_id)

    async def communities_tick(self) -> None:
        """Owned guilds the bot is in get the commands; guilds no longer owned lose them."""
        await self.adopt_env_guilds()
        if not self.sync_commands:
            return
        owned = await self.boundary.owned_guilds()
        present = {str(g.id) for g in self.guilds}
        now = time.monotonic()
        for guild_id in sorted((owned & present) - self._synced):
            if self._sync_failed.get(guild_id, 0.0) > now:
                continue
            try:
                await self._sync_guild(guild_id)
            except discord.HTTPException as exc:
                retry = SYNC_RETRY_S if 400 <= exc.status < 500 and exc.status != 429 else 0
                self._sync_failed[guild_id] = now + retry
                log.warning("discord: slash commands not synced to guild %s (%s %s); "
                            "retrying in %gs", guild_id, exc.status, exc.text[:200], retry)
        for guild_id in sorted(self._synced - owned):
            try:
                await self._unsync_guild(guild_id)
            except discord.HTTPException as exc:
                log.warning("discord: slash commands not removed from guild %s (%s %s)",
                            guild_id, exc.status, exc.text[:200])

    async def communities_loop(self) -> None:
        await self.wait_until_ready()
        while not self.stop.is_set():
            try:
                await self.communities_tick()
            except Exception:  # noqa: BLE001 - try again next round
                log.exception("discord: community guild refresh failed")
            try:
                await asyncio.wait_for(self.stop.wait(), self.sync_interval_s)
                return
            except TimeoutError:
                pass

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

    async def context_for(self, guild: discord.Guild | None, guild_id: int,
                          community_id: int) -> GuildContext:
        config = await self.configs.get(str(guild_id))
        return guild_context(guild, guild_id, config, community_id)

    async def publish(self, event: ChatMessage) -> bool:
        """The last gate: only an event whose guild a community owns is published."""
        if await self.boundary.community_of(event.guild) is None:
            await self.boundary.dropped(event.guild, event.channel, event.event_id, "event")
            return False
        await self.publisher.publish(event)
        return True

    # --- prefix commands and chat ---

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None or message.author.bot or message.webhook_id is not None:
            return  # DMs, bots and webhooks never play
        try:
            community = await self.boundary.community_of(message.guild.id)
            if community is None:
                # its config is not even read; plain chat there is no event (no guild that
                # nobody owns has activity channels), a typed command is one dropped
                if parse_command(message.content) is not None:
                    await self.boundary.dropped(message.guild.id, message.channel.id,
                                                message.id, "typed command")
                return
            ctx = await self.context_for(message.guild, message.guild.id, community)
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
        if interaction.guild_id is None:
            await interaction.response.send_message(NOT_IN_DMS, ephemeral=True)
            return
        community = await self.boundary.community_of(interaction.guild_id)
        if community is None:
            await interaction.response.send_message(NOT_OWNED, ephemeral=True)
            name = data.get("name") if isinstance(data, dict) else None
            await self.boundary.dropped(interaction.guild_id, interaction.channel_id,
                                        interaction.id, f"slash command /{name}")
            return
        ephemeral = isinstance(data, dict) and data.get("name") in PRIVATE_COMMANDS
        if ephemeral:
            await interaction.response.defer(ephemeral=True, thinking=True)
        else:
            await interaction.response.defer(thinking=True)
        received_at = self.clock()
        try:
            ctx = await self.context_for(interaction.guild, interaction.guild_id, community)
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
            if not await self.publish(event):
                await interaction.followup.send(NOT_OWNED)
        except Exception:  # noqa: BLE001 - answer something rather than "thinking..." forever
            log.exception("discord guild=%s channel=%s event=%s: slash command not published",
                          interaction.guild_id, interaction.channel_id, interaction.id)
            with contextlib.suppress(discord.HTTPException):
                await interaction.followup.send(TROUBLE)

    async def _on_tree_error(self, interaction: discord.Interaction,
                             error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        if isinstance(original, GuildNotOwned):  # a config change racing a removal
            text = NOT_OWNED
        else:
            text = TROUBLE
            log.error("discord guild=%s channel=%s event=%s: command failed: %s",
                      interaction.guild_id, interaction.channel_id, interaction.id, error,
                      exc_info=error)
        with contextlib.suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)

    # --- /kingpin config ---

    async def _admin(self, interaction: discord.Interaction, *, owner_only: bool = False
                     ) -> GuildConfig | None:
        """Defer privately; the config if the guild is a community's and the user is its
        owner or a mod (``owner_only``: the owner), else answer no."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        if interaction.guild_id is None:
            return None
        community = await self.boundary.community_of(interaction.guild_id)
        if community is None:
            await interaction.followup.send(NOT_OWNED, ephemeral=True)
            return None
        ctx = await self.context_for(interaction.guild, interaction.guild_id, community)
        roles = roles_for(actor_of(interaction.user, interaction.permissions.value), ctx)
        if owner_only and Role.BROADCASTER not in roles:
            await interaction.followup.send("Only the server owner can change this.",
                                            ephemeral=True)
            return None
        if not roles:
            await interaction.followup.send(
                "Only the server owner or the Kingpin mod role can change this.",
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
        # the owner only: a mod must not hand the mod role to everybody
        if await self._admin(interaction, owner_only=True) is None:
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
            community = await self.boundary.community_of(guild.id)
            if community is None:
                continue  # nobody's guild: not even its config is read
            ctx = await self.context_for(guild, guild.id, community)
            if not ctx.config.voice_channels:
                continue
            contexts[ctx.guild_id] = ctx
            presences.extend(voice_presences(guild, ctx.config.voice_channels))
        events = voice_messages(presences, contexts, minute_of(now), now)
        published = 0
        for event in events:
            published += await self.publish(event)
        return published

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
        " (the server owner always counts)",
        f"Mod permissions: {permission_names(config.mod_permissions) or 'none'}",
        f"!commands in chat: {'on' if config.prefix_commands else 'off'}",
        f"Text activity channels: {channels(config.text_channels)}",
        f"Voice activity channels: {channels(config.voice_channels)}",
    ])
