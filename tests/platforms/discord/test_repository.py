"""Per-guild config in PostgreSQL (the real migrated schema)."""

from __future__ import annotations

from typing import Any

import pytest

from platforms.discord.model import GuildConfig
from platforms.discord.repository import ConfigCache, DiscordConfigRepo

GUILD = "290926798626357999"
OTHER = "1011977515109187704"


async def test_round_trip(app: Any) -> None:
    repo = DiscordConfigRepo()
    assert await repo.get(GUILD) == GuildConfig(guild_id=GUILD)  # no row: defaults
    await repo.add_activity_channel(GUILD, "10", "text")  # channels without a config row
    assert (await repo.get(GUILD)).text_channels == {"10"}
    await repo.set_feed_channel(GUILD, "11")
    await repo.set_mod_role(GUILD, "539082325061836999")
    await repo.set_prefix_commands(GUILD, False)
    await repo.add_activity_channel(GUILD, "12", "voice")
    await repo.add_activity_channel(OTHER, "20", "text")
    assert await repo.get(GUILD) == GuildConfig(
        guild_id=GUILD, feed_channel_id="11", mod_role_id="539082325061836999",
        prefix_commands=False, text_channels=frozenset({"10"}), voice_channels=frozenset({"12"}),
    )
    # re-adding changes the kind; a channel id belongs to one guild only
    await repo.add_activity_channel(GUILD, "10", "voice")
    assert (await repo.get(GUILD)).voice_channels == {"10", "12"}
    await repo.add_activity_channel(OTHER, "12", "text")
    assert (await repo.get(GUILD)).voice_channels == {"10"}
    assert (await repo.get(OTHER)).text_channels == {"12", "20"}
    # removing: only from its own guild
    assert await repo.remove_activity_channel(GUILD, "20") is False
    assert await repo.remove_activity_channel(GUILD, "10") is True
    assert await repo.remove_activity_channel(GUILD, "10") is False
    await repo.set_feed_channel(GUILD, None)
    await repo.set_mod_role(GUILD, None)
    assert await repo.get(GUILD) == GuildConfig(guild_id=GUILD, prefix_commands=False)
    with pytest.raises(ValueError, match="kind"):
        await repo.add_activity_channel(GUILD, "30", "stage")


async def test_cache_reads_once_per_ttl_and_invalidates(app: Any) -> None:
    repo = DiscordConfigRepo()
    now = [0.0]
    cache = ConfigCache(repo, ttl_s=30, clock=lambda: now[0])
    assert (await cache.get(GUILD)).feed_channel_id is None
    await repo.set_feed_channel(GUILD, "11")
    assert (await cache.get(GUILD)).feed_channel_id is None  # cached
    now[0] = 31
    assert (await cache.get(GUILD)).feed_channel_id == "11"  # expired: read again
    await repo.set_feed_channel(GUILD, "12")
    cache.invalidate(GUILD)
    assert (await cache.get(GUILD)).feed_channel_id == "12"
