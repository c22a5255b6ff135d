"""Plain values the Discord normalizers work on: who acted, and a guild's game settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.events import clean_name

TEXT = "text"
VOICE = "voice"


def mention_name(username: str, discriminator: str | None = None) -> str:
    """The name a player is known (and @mentioned) by: the unique Discord username.

    Whitespace becomes ``_`` so the name survives as one chat-command argument; a legacy
    account (or a bot) with a real discriminator keeps it (``name#1234``), because only
    then is the pair unique. The result is cleaned exactly like ``UserRef.name``.
    """
    name = "_".join(username.split())
    if discriminator and discriminator.strip("0"):
        name = f"{name}#{discriminator}"
    return clean_name(name)


@dataclass(frozen=True)
class Actor:
    """A Discord user as the game needs it (from a payload or a discord.py object)."""

    id: str
    username: str
    discriminator: str | None = None
    bot: bool = False
    role_ids: frozenset[str] = frozenset()
    # effective permission bits when known (interaction payloads carry them; messages do not)
    permissions: int | None = None

    @property
    def name(self) -> str:
        return mention_name(self.username, self.discriminator)


@dataclass(frozen=True)
class GuildConfig:
    """One guild's settings from ``discord_server_config`` and ``discord_activity_channels``,
    as the community owning the guild set them (``community_id``; None: no community owns it,
    so there are no settings), and ``mod_permissions``: the permission bits that community's
    ``bot_config`` names as making a moderator (0: none, only the mod role)."""

    guild_id: str
    community_id: int | None = None
    mod_permissions: int = 0
    feed_channel_id: str | None = None
    mod_role_id: str | None = None
    prefix_commands: bool = True
    text_channels: frozenset[str] = frozenset()
    voice_channels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GuildContext:
    """What normalizing an event from one guild needs: the community that owns the guild
    (None: nobody, so nobody has a role there), its owner, AFK channel and config."""

    guild_id: str
    community_id: int | None = None
    owner_id: str | None = None
    afk_channel_id: str | None = None
    config: GuildConfig = field(default_factory=lambda: GuildConfig(guild_id=""))

    @property
    def mod_role_id(self) -> str | None:
        return self.config.mod_role_id
