"""Per-guild Discord settings in the database (raw SQL; Tortoise must be initialised).

Tables (models/platforms.py): ``discord_server_config`` (one row per guild, created on the
first change) and ``discord_activity_channels`` (a channel belongs to one guild, kind
``text`` or ``voice``). Both carry the community that owns the guild
(``community_channels``: platform ``discord``, the guild id, role ``chat``):

* a guild no community owns has no settings and cannot be configured (``GuildNotOwned``;
  clearing the feed channel or the mod role is allowed);
* settings count only for the community that wrote them: a guild given to another community
  starts from the defaults (its old row is replaced on the first change there);
* the defaults: prefix commands on, no feed channel, no mod role, no activity channels (so
  nothing is read until a channel is added);
* ``mod_permissions`` comes from the owning community's ``bot_config`` key
  ``discord.mod_permissions`` (permission names, e.g. ``["manage_guild"]``; none by default).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from platforms.discord.model import TEXT, VOICE, GuildConfig
from platforms.discord.normalize import permission_bits

log = logging.getLogger(__name__)

KINDS = (TEXT, VOICE)
MOD_PERMISSIONS_KEY = "discord.mod_permissions"

# the community that owns the guild $1 (no row: nobody)
_OWNER = ("SELECT community_id FROM community_channels WHERE platform = 'discord'"
          " AND channel_id = $1 AND role = 'chat'")


class GuildNotOwned(Exception):
    """A guild no community owns cannot be configured."""

    def __init__(self, guild_id: str) -> None:
        super().__init__(f"discord guild {guild_id} is not part of a Kingpin community")
        self.guild_id = guild_id


class DiscordConfigRepo:
    def __init__(self, connection_name: str = "default") -> None:
        self._name = connection_name

    def _conn(self) -> BaseDBAsyncClient:
        return connections.get(self._name)

    async def get(self, guild_id: str) -> GuildConfig:
        conn = self._conn()
        owner = await conn.execute_query_dict(_OWNER, [guild_id])
        if not owner:
            return GuildConfig(guild_id=guild_id)
        community = int(owner[0]["community_id"])
        rows = await conn.execute_query_dict(
            "SELECT feed_channel_id, mod_role_id, prefix_commands FROM discord_server_config"
            " WHERE guild_id = $1 AND community_id = $2", [guild_id, community],
        )
        channels = await conn.execute_query_dict(
            "SELECT channel_id, kind FROM discord_activity_channels WHERE guild_id = $1"
            " AND community_id = $2 ORDER BY channel_id", [guild_id, community],
        )
        perms = await conn.execute_query_dict(
            "SELECT value FROM bot_config WHERE community_id = $1 AND key = $2",
            [community, MOD_PERMISSIONS_KEY],
        )
        text = frozenset(str(c["channel_id"]) for c in channels if c["kind"] == TEXT)
        voice = frozenset(str(c["channel_id"]) for c in channels if c["kind"] == VOICE)
        config = GuildConfig(guild_id=guild_id, community_id=community, text_channels=text,
                             voice_channels=voice,
                             mod_permissions=_mod_permissions(guild_id, perms))
        if not rows:
            return config
        row = rows[0]
        return GuildConfig(
            **{**config.__dict__,
               "feed_channel_id": _opt(row["feed_channel_id"]),
               "mod_role_id": _opt(row["mod_role_id"]),
               "prefix_commands": bool(row["prefix_commands"])},
        )

    async def _upsert(self, guild_id: str, column: str, value: object) -> None:
        if column not in ("feed_channel_id", "mod_role_id", "prefix_commands"):
            raise ValueError(column)
        conn = self._conn()
        # a row another community wrote is not this community's: start from the defaults
        # (unowned: no owner row, the comparison is NULL and nothing is deleted)
        await conn.execute_query(
            "DELETE FROM discord_server_config WHERE guild_id = $1"
            f" AND community_id <> ({_OWNER})", [guild_id])
        # (execute_query counts no INSERT: asyncpg's status is "INSERT <oid> <rows>")
        written = await conn.execute_query_dict(
            f"INSERT INTO discord_server_config (community_id, guild_id, {column}, updated_at)"
            f" SELECT community_id, $1, $2, now() FROM ({_OWNER}) AS owner"
            f" ON CONFLICT (guild_id) DO UPDATE SET {column} = EXCLUDED.{column},"
            " community_id = EXCLUDED.community_id, updated_at = now() RETURNING id",
            [guild_id, value],
        )
        if written:
            return
        if value is None:  # clearing is no configuring: allowed also once the guild is gone
            await conn.execute_query(
                f"UPDATE discord_server_config SET {column} = NULL, updated_at = now()"
                " WHERE guild_id = $1", [guild_id])
            return
        raise GuildNotOwned(guild_id)

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
        written = await self._conn().execute_query_dict(
            "INSERT INTO discord_activity_channels (community_id, guild_id, channel_id, kind)"
            f" SELECT community_id, $1, $2, $3 FROM ({_OWNER}) AS owner"
            " ON CONFLICT (channel_id) DO UPDATE SET guild_id = EXCLUDED.guild_id,"
            " kind = EXCLUDED.kind, community_id = EXCLUDED.community_id RETURNING id",
            [guild_id, channel_id, kind],
        )
        if not written:
            raise GuildNotOwned(guild_id)

    async def remove_activity_channel(self, guild_id: str, channel_id: str) -> bool:
        count, _ = await self._conn().execute_query(
            "DELETE FROM discord_activity_channels WHERE guild_id = $1 AND channel_id = $2",
            [guild_id, channel_id],
        )
        return bool(count)


def _mod_permissions(guild_id: str, rows: list[dict[str, object]]) -> int:
    if not rows:
        return 0
    value = rows[0]["value"]
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    bits, unknown = permission_bits(value)
    if unknown:
        log.warning("discord guild=%s: %s names unknown permissions %s; ignored", guild_id,
                    MOD_PERMISSIONS_KEY, ", ".join(unknown)[:200])
    return bits


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
