"""Communities and the channels they own: the repository (operators' CLI) and the cached
``Directory`` that listeners and workers ask "who owns this channel?".

The mapping is data in PostgreSQL (``communities``, ``community_channels``). Listeners and
workers cache it for a few seconds (``Directory``), so a channel added or removed with the
CLI is served or dropped within that time without a restart. An event from a channel no
community owns never reaches the game (DESIGN.md, "Communities").
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from models.communities import DEFAULT_COMMUNITY_ID

PLATFORMS = ("twitch", "kick", "discord", "console")
ROLES = ("chat", "feed", "voice")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class CommunityError(Exception):
    """An operator's request that cannot be done, with the reason to show."""


@dataclass(frozen=True)
class Channel:
    community_id: int
    slug: str
    platform: str
    channel_id: str
    role: str
    label: str


@dataclass(frozen=True)
class CommunityInfo:
    id: int
    slug: str
    name: str
    channels: tuple[Channel, ...] = ()


def db() -> BaseDBAsyncClient:
    return connections.get("default")


_CHANNELS_SQL = (
    "SELECT c.community_id, m.slug, c.platform, c.channel_id, c.role, c.label"
    " FROM community_channels c JOIN communities m ON m.id = c.community_id"
)


def _channel(row: dict[str, object]) -> Channel:
    return Channel(int(row["community_id"]), str(row["slug"]), str(row["platform"]),  # type: ignore[call-overload]
                   str(row["channel_id"]), str(row["role"]), str(row["label"]))


class Directory:
    """Who owns ``(platform, channel id)`` (for Discord: the guild id), cached ``ttl_s``.

    One query loads the whole mapping; it is reloaded when older than ``ttl_s``. A process
    keeps one (listeners and workers alike)."""

    def __init__(self, ttl_s: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._loaded_at: float | None = None
        self._owner: dict[tuple[str, str], Channel] = {}
        self._all: list[Channel] = []
        self._by_community: dict[int, list[Channel]] = {}

    async def _fresh(self) -> None:
        now = self._clock()
        if self._loaded_at is None or now - self._loaded_at >= self.ttl_s:
            await self.refresh()

    async def refresh(self) -> None:
        rows = await db().execute_query_dict(_CHANNELS_SQL)
        channels = [_channel(r) for r in rows]
        self._all = channels
        self._owner = {(c.platform, c.channel_id): c for c in channels}
        self._by_community = {}
        for c in channels:
            self._by_community.setdefault(c.community_id, []).append(c)
        self._loaded_at = self._clock()

    def invalidate(self) -> None:
        self._loaded_at = None

    async def owner(self, platform: str, channel_id: str) -> Channel | None:
        """The owning community's channel row, or None if no community owns it."""
        await self._fresh()
        return self._owner.get((platform, channel_id))

    async def channels(self, platform: str | None = None, role: str | None = None
                       ) -> list[Channel]:
        """Every owned channel (of a platform, of a role)."""
        await self._fresh()
        return [c for c in self._all
                if (platform is None or c.platform == platform)
                and (role is None or c.role == role)]

    async def of_community(self, community_id: int) -> list[Channel]:
        await self._fresh()
        return list(self._by_community.get(community_id, ()))


# --- the repository (operators) ---

def check_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise CommunityError(f"{slug!r} is not a slug: lowercase letters, digits, - and _, "
                             "at most 64, starting with a letter or digit")
    return slug


async def create(slug: str, name: str = "") -> CommunityInfo:
    slug = check_slug(slug)
    try:
        rows = await db().execute_query_dict(
            "INSERT INTO communities (slug, name) VALUES ($1, $2) RETURNING id", [slug, name])
    except IntegrityError as exc:
        raise CommunityError(f"a community called {slug!r} exists already") from exc
    return CommunityInfo(int(rows[0]["id"]), slug, name)


async def get(slug: str) -> CommunityInfo:
    rows = await db().execute_query_dict(
        "SELECT id, slug, name FROM communities WHERE slug = $1", [slug.strip().lower()])
    if not rows:
        raise CommunityError(f"no community called {slug!r} (kingpin community list)")
    cid = int(rows[0]["id"])
    channels = await db().execute_query_dict(
        _CHANNELS_SQL + " WHERE c.community_id = $1 ORDER BY c.platform, c.role, c.channel_id",
        [cid])
    return CommunityInfo(cid, rows[0]["slug"], rows[0]["name"],
                         tuple(_channel(c) for c in channels))


async def list_all() -> list[tuple[CommunityInfo, int]]:
    """Every community with its number of channels."""
    rows = await db().execute_query_dict(
        "SELECT m.id, m.slug, m.name, COUNT(c.id) AS channels FROM communities m"
        " LEFT JOIN community_channels c ON c.community_id = m.id"
        " GROUP BY m.id ORDER BY m.slug")
    return [(CommunityInfo(int(r["id"]), r["slug"], r["name"]), int(r["channels"]))
            for r in rows]


async def rename(slug: str, name: str) -> CommunityInfo:
    info = await get(slug)
    await db().execute_query("UPDATE communities SET name = $2 WHERE id = $1", [info.id, name])
    return CommunityInfo(info.id, info.slug, name, info.channels)


async def add_channel(slug: str, platform: str, channel_id: str, role: str = "chat",
                      label: str = "") -> Channel:
    """Give a channel to a community; refused if another community owns it."""
    if platform not in PLATFORMS:
        raise CommunityError(f"unknown platform {platform!r} ({', '.join(PLATFORMS)})")
    if role not in ROLES:
        raise CommunityError(f"unknown channel role {role!r} ({', '.join(ROLES)})")
    channel_id = channel_id.strip()
    if not channel_id or any(not ch.isprintable() for ch in channel_id):
        raise CommunityError("a channel id must be printable text")
    info = await get(slug)
    rows = await db().execute_query_dict(
        "INSERT INTO community_channels (community_id, platform, channel_id, role, label)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (platform, channel_id) DO UPDATE"
        " SET role = EXCLUDED.role, label = EXCLUDED.label"
        " WHERE community_channels.community_id = EXCLUDED.community_id RETURNING id",
        [info.id, platform, channel_id, role, label[:200]])
    if not rows:
        owner = await db().execute_query_dict(
            "SELECT m.slug FROM community_channels c JOIN communities m ON m.id = c.community_id"
            " WHERE c.platform = $1 AND c.channel_id = $2", [platform, channel_id])
        raise CommunityError(f"{platform} {channel_id} belongs to {owner[0]['slug']!r}; "
                             "remove it there first")
    return Channel(info.id, info.slug, platform, channel_id, role, label[:200])


async def remove_channel(slug: str, platform: str, channel_id: str) -> bool:
    info = await get(slug)
    count, _ = await db().execute_query(
        "DELETE FROM community_channels WHERE community_id = $1 AND platform = $2"
        " AND channel_id = $3", [info.id, platform, channel_id.strip()])
    return bool(count)


async def adopt(platform: str, channels: Iterable[tuple[str, str]], role: str = "chat",
                community_id: int = DEFAULT_COMMUNITY_ID) -> int:
    """Channels named in today's env variables join the default community at start (those
    some community owns already stay where they are). Returns how many joined."""
    joined = 0
    for channel_id, label in channels:
        rows = await db().execute_query_dict(  # RETURNING: Tortoise miscounts INSERT's status
            "INSERT INTO community_channels (community_id, platform, channel_id, role, label)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (platform, channel_id) DO NOTHING"
            " RETURNING id",
            [community_id, platform, str(channel_id), role, label[:200]])
        joined += len(rows)
    return joined
