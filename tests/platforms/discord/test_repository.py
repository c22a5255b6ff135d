"""Per-guild config in PostgreSQL (the real migrated schema)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from tortoise import connections

from kingpin import communities
from platforms.discord.model import GuildConfig
from platforms.discord.repository import (
    MOD_PERMISSIONS_KEY,
    ConfigCache,
    DiscordConfigRepo,
    GuildNotOwned,
)

GUILD = "290926798626357999"
OTHER = "1011977515109187704"
LOCAL = 1  # the default community


@pytest.fixture
async def owned(app: Any) -> None:
    await communities.adopt("discord", [(GUILD, ""), (OTHER, "")])


async def rows(table: str, guild: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(
        f"SELECT * FROM {table} WHERE guild_id = $1", [guild]))


async def test_round_trip(owned: None) -> None:
    repo = DiscordConfigRepo()
    assert await repo.get(GUILD) == GuildConfig(guild_id=GUILD, community_id=LOCAL)  # defaults
    await repo.add_activity_channel(GUILD, "10", "text")  # channels without a config row
    assert (await repo.get(GUILD)).text_channels == {"10"}
    await repo.set_feed_channel(GUILD, "11")
    await repo.set_mod_role(GUILD, "539082325061836999")
    await repo.set_prefix_commands(GUILD, False)
    await repo.add_activity_channel(GUILD, "12", "voice")
    await repo.add_activity_channel(OTHER, "20", "text")
    assert await repo.get(GUILD) == GuildConfig(
        guild_id=GUILD, community_id=LOCAL, feed_channel_id="11", mod_role_id="539082325061836999",
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
    assert await repo.get(GUILD) == GuildConfig(guild_id=GUILD, community_id=LOCAL,
                                                prefix_commands=False)
    with pytest.raises(ValueError, match="kind"):
        await repo.add_activity_channel(GUILD, "30", "stage")


async def test_cache_reads_once_per_ttl_and_invalidates(owned: None) -> None:
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


async def test_a_guild_no_community_owns_cannot_be_configured(app: Any) -> None:
    repo = DiscordConfigRepo()
    for change in (repo.set_feed_channel(GUILD, "11"), repo.set_mod_role(GUILD, "5"),
                   repo.set_prefix_commands(GUILD, False),
                   repo.add_activity_channel(GUILD, "10", "text")):
        with pytest.raises(GuildNotOwned, match="not part of a Kingpin community"):
            await change
    assert await rows("discord_server_config", GUILD) == []
    assert await rows("discord_activity_channels", GUILD) == []
    assert await repo.get(GUILD) == GuildConfig(guild_id=GUILD)  # nobody's: no settings


async def test_settings_belong_to_the_community_that_wrote_them(owned: None) -> None:
    repo = DiscordConfigRepo()
    await repo.set_mod_role(GUILD, "5")
    await repo.add_activity_channel(GUILD, "10", "text")
    # the guild leaves the default community: nobody's now, its settings count for nothing
    assert await communities.remove_channel("local", "discord", GUILD)
    assert await repo.get(GUILD) == GuildConfig(guild_id=GUILD)
    with pytest.raises(GuildNotOwned):
        await repo.set_mod_role(GUILD, "6")
    assert [r["mod_role_id"] for r in await rows("discord_server_config", GUILD)] == ["5"]
    await repo.set_mod_role(GUILD, None)  # clearing is allowed (the CLI does it on removal)
    assert [r["mod_role_id"] for r in await rows("discord_server_config", GUILD)] == [None]
    # another community takes it: it starts from the defaults, not from the old mod role
    other = await communities.create("other")
    await communities.add_channel("other", "discord", GUILD)
    assert await repo.get(GUILD) == GuildConfig(guild_id=GUILD, community_id=other.id)
    await repo.set_prefix_commands(GUILD, False)
    [row] = await rows("discord_server_config", GUILD)
    assert (row["community_id"], row["mod_role_id"], row["prefix_commands"]) == (
        other.id, None, False)
    await repo.add_activity_channel(GUILD, "10", "voice")  # taken over by the new owner
    assert (await repo.get(GUILD)).voice_channels == {"10"}


async def test_mod_permissions_are_the_owning_communitys_bot_config(
    owned: None, caplog: pytest.LogCaptureFixture
) -> None:
    repo = DiscordConfigRepo()
    assert (await repo.get(GUILD)).mod_permissions == 0  # none by default
    conn = connections.get("default")
    other = await communities.create("other")
    for community, value in ((LOCAL, '["manage_guild", "kick_members", "nonsense"]'),
                             (other.id, '["administrator"]')):
        await conn.execute_query(
            "INSERT INTO bot_config (community_id, key, value, updated_at)"
            " VALUES ($1, $2, $3::jsonb, now())", [community, MOD_PERMISSIONS_KEY, value])
    caplog.set_level(logging.WARNING)
    assert (await repo.get(GUILD)).mod_permissions == (1 << 5) | (1 << 1)
    assert any("nonsense" in r.getMessage() for r in caplog.records)
    assert await communities.remove_channel("local", "discord", GUILD)
    await communities.add_channel("other", "discord", GUILD)
    assert (await repo.get(GUILD)).mod_permissions == 1 << 3
