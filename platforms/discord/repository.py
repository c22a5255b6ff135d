"""Per-guild Discord settings in the database (raw SQL; Tortoise must be initialised).

Tables (models/platforms.py): ``discord_server_config`` (one row per guild, created on the
first change) and ``discord_activity_channels`` (a channel belongs to one guild, kind
``text`` or ``voice``). A guild without a row has the defaults: prefix commands on, no feed
channel, no mod role, no activity channels (so nothing is read until a channel is added).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tortoise import connections

from platforms.discord.model import TEXT, VOICE, GuildConfig

KINDS = (TEXT, VOICE)


class DiscordConfigRepo:
    def __init__(self, connection_name: str = "default") -> None:
        self._name = connection_name

    async def get(self, guild_id: str) -> GuildConfig:
        conn = connections.get(self._name)
        rows = await conn.execute_query_dict(
            "SELECT feed_channel_id, mod_role_id, prefix_commands FROM discord_server_config"
            " WHERE guild_id = $1", [guild_id],
        )
        channels = await conn.execute_query_dict(
            "SELECT channel_id, kind FROM discord_activity_channels WHERE guild_id = $1"
            " ORDER BY channel_id", [guild_id],
        )
        text = frozenset(str(c["channel_id"]) for c in channels if c["kind"] == TEXT)
        voice = frozenset(str(c["channel_id"]) for c in channels if c["kind"] == VOICE)
        if not rows:
            return GuildConfig(guild_id=guild_id, text_channels=text, voice_channels=voice)
        row = rows[0]
        return GuildConfig(
            guild_id=guild_id,
            feed_channel_id=_opt(row["feed_channel_id"]),
            mod_role_id=_opt(row["mod_role_id"]),
            prefix_commands=bool(row["prefix_commands"]),
            text_channels=text, voice_channels=voice,
        )

    async def _upsert(self, guild_id: str, column: str, value: object) -> None:
        if column not in ("feed_channel_id", "mod_role_id", "prefix_commands"):
            raise ValueError(column)
        await connections.get(self._name).execute_query(
            f"INSERT INTO discord_server_config (community_id, guild_id, {column}, updated_at)"
            f" VALUES ({_COMMUNITY_OF_GUILD}, $1, $2, now()) ON CONFLICT (guild_id) DO UPDATE SET"
            f" {column} = EXCLUDED.{column}, updated_at = now()",
            [guild_id, value],
        )

    async def set_feed_channel(self, guild_id: str, channel_id: str | None) -> None:
        await self._upsert(guild_id, "feed_channel_id", channel_id)

    async def set_mod_role(self, guild_id: str, role_id: str | None) -> None:
        await self._upsert(guild_id, "mod_role_id", role_id)

    async def set_prefix_commands(self, guild_id: str, enabled: bool) -> None:
        await self._upsert(guild_id, "prefix_commands", enabled)

    async def add_activity_channel(self, guild_id: str, channel_id: str, kind: str) -> None:
        """Add (or re-kind) a channel; a channel id is unique, so it moves if it was elsewhere."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        await connections.get(self._name).execute_query(
            "INSERT INTO discord_activity_channels (community_id, guild_id, channel_id, kind)"
            f" VALUES ({_COMMUNITY_OF_GUILD}, $1, $2, $3) ON CONFLICT (channel_id) DO UPDATE SET"
            " guild_id = EXCLUDED.guild_id, kind = EXCLUDED.kind",
            [guild_id, channel_id, kind],
        )

    async def remove_activity_channel(self, guild_id: str, channel_id: str) -> bool:
        count, _ = await connections.get(self._name).execute_query(
            "DELETE FROM discord_activity_channels WHERE guild_id = $1 AND channel_id = $2",
            [guild_id, channel_id],
        )
        return bool(count)


# the community that owns the guild ($1); a guild no community owns gets the default's row,
# which changes nothing: its events never reach the game
_COMMUNITY_OF_GUILD = (
    "COALESCE((SELECT community_id FROM community_channels WHERE platform = 'discord'"
    " AND channel_id = $1), 1)"
)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


class ConfigCache:
    """Guild configs read at most every ``ttl_s`` per guild (a chat message must not cost a
    query); a change made through this process is seen at once, other processes within
    ``ttl_s``."""

    def __init__(self, repo: DiscordConfigRepo, ttl_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.repo = repo
        self.ttl_s = ttl_s
        self._clock = clock
        self._entries: dict[str, tuple[float, GuildConfig]] = {}

    async def get(self, guild_id: str) -> GuildConfig:
        now = self._clock()
        entry = self._entries.get(guild_id)
        if entry is not None and now - entry[0] < self.ttl_s:
            return entry[1]
        config = await self.repo.get(guild_id)
        self._entries[guild_id] = (now, config)
        return config

    def invalidate(self, guild_id: str) -> None:
        self._entries.pop(guild_id, None)
