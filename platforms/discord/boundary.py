"""Which guilds the bot serves: those a community owns (DESIGN.md, "Communities").

A community owns a Discord guild by a ``community_channels`` row (platform ``discord``,
channel id = the guild id, role ``chat``). ``kingpin.communities.Directory`` caches that
mapping for a few seconds, so a guild given to a community (or taken away) with the CLI is
served (or dropped) within the Directory's TTL, without a restart.

Anything from a guild no community owns is dropped here, before publishing: the counter
``unowned_events_discord`` in ``<prefix>:stats`` counts every dropped event, and a log line
says so, at most one per guild per ``log_every_s`` (a busy foreign guild must not flood the
log; the line says how many were dropped since the previous one).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from redis.asyncio import Redis

from kingpin.communities import Directory
from kingpin.keys import Keys

log = logging.getLogger(__name__)

PLATFORM = "discord"
GUILD_ROLE = "chat"
STAT = "unowned_events_discord"
NOT_OWNED = "This server is not part of a Kingpin community."


class Boundary:
    def __init__(self, directory: Directory, redis: Redis, keys: Keys, *,
                 log_every_s: float = 60.0, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.directory = directory
        self.redis = redis
        self.keys = keys
        self.log_every_s = log_every_s
        self._clock = clock
        # guild -> (when its last line was logged, drops since then not logged)
        self._logged: dict[str, tuple[float, int]] = {}

    async def community_of(self, guild_id: str | int | None) -> int | None:
        """The community that owns the guild, or None (also for no guild: a DM)."""
        if guild_id is None:
            return None
        channel = await self.directory.owner(PLATFORM, str(guild_id))
        if channel is None or channel.role != GUILD_ROLE:
            return None
        return channel.community_id

    async def owned_guilds(self) -> set[str]:
        return {c.channel_id for c in await self.directory.channels(PLATFORM, GUILD_ROLE)}

    async def dropped(self, guild_id: str | int | None, channel_id: str | int | None,
                      event_id: str | int | None, what: str) -> None:
        """Count one event from an unowned guild; log it unless this guild logged lately."""
        try:
            await self.redis.hincrby(self.keys.stats, STAT, 1)  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - the event is dropped either way
            log.debug("discord: %s not counted (%s)", STAT, exc)
        guild = str(guild_id)
        now = self._clock()
        last = self._logged.get(guild)
        if last is not None and now - last[0] < self.log_every_s:
            self._logged[guild] = (last[0], last[1] + 1)
            return
        more = f" ({last[1]} more from this guild since the last line)" if last and last[1] else ""
        log.warning("discord guild=%s channel=%s event=%s: %s from a guild no community owns "
                    "dropped%s", guild, channel_id, event_id, what, more)
        self._logged[guild] = (now, 0)
