"""The slash commands: one per game command (plus /link and /unlink) and /kingpin config.

Game commands do nothing themselves: every callback hands the interaction to
``Handlers.game_command``, which defers, turns ``interaction.data`` into the equivalent chat
command (normalize.interaction_command_text) and publishes it. The typed parameters here only
shape Discord's UI (a user picker, an integer box, a choice list).
"""

from __future__ import annotations

from typing import Literal, Protocol

import discord
from discord import app_commands

from game.config import TUNABLES
from platforms.discord.normalize import SLASH_ARGS

ActivityChannel = discord.TextChannel | discord.VoiceChannel | discord.StageChannel

# deferred ephemerally: their answers (a /link code) are for the invoker's eyes only
PRIVATE_COMMANDS = frozenset({"link"})


class Handlers(Protocol):
    async def game_command(self, interaction: discord.Interaction) -> None: ...

    async def config_show(self, interaction: discord.Interaction) -> None: ...

    async def config_feed(self, interaction: discord.Interaction,
                          channel: discord.TextChannel | None) -> None: ...

    async def config_modrole(self, interaction: discord.Interaction,
                             role: discord.Role | None) -> None: ...

    async def config_prefix(self, interaction: discord.Interaction, enabled: bool) -> None: ...

    async def config_activity_add(self, interaction: discord.Interaction,
                                  channel: ActivityChannel) -> None: ...

    async def config_activity_remove(self, interaction: discord.Interaction,
                                     channel: ActivityChannel) -> None: ...


DESCRIPTIONS: dict[str, str] = {
    "play": "Pull a job: earn cash and XP (or get busted)",
    "rob": "Try to rob another player",
    "bail": "Pay your way out of jail",
    "checkin": "Daily check-in: keep your streak going",
    "profile": "Your wealth, level and standing",
    "balance": "How much cash you have",
    "level": "Your level and XP",
    "lb": "The leaderboard",
    "rank": "Where you stand on the leaderboard",
    "givewealth": "Broadcaster: give a player cash",
    "givexp": "Broadcaster: give a player XP",
    "startsession": "Mods: start a streaming session",
    "endsession": "Mods: end the streaming session",
    "help": "What you can do",
    "link": "Link your accounts: no code to get one (only you see it), or the code from "
            "another platform",
    "unlink": "Detach one platform's account from your player",
    "config": "Broadcaster: show or change one of the game's numbers for this community",
}


async def item_autocomplete(interaction: discord.Interaction, current: str
                            ) -> list[app_commands.Choice[str]]:
    """Hook for item-name options (``!buy``, ``!equip``, ``!sell``) once items exist: look up
    the catalogue/inventory and return up to 25 matches. Attach with ``@cmd.autocomplete``."""
    return []


def build_commands(h: Handlers) -> list[app_commands.Command | app_commands.Group]:
    commands: list[app_commands.Command | app_commands.Group] = []

    def add(command: app_commands.Command) -> None:
        commands.append(app_commands.guild_only(command))

    def simple(name: str) -> app_commands.Command:
        async def callback(interaction: discord.Interaction) -> None:
            await h.game_command(interaction)

        return app_commands.Command(name=name, description=DESCRIPTIONS[name], callback=callback)

    for name, args in SLASH_ARGS.items():
        if not args:
            add(simple(name))

    @app_commands.command(name="rob", description=DESCRIPTIONS["rob"])
    @app_commands.describe(user="who to rob")
    async def rob(interaction: discord.Interaction, user: discord.Member) -> None:
        await h.game_command(interaction)

    @app_commands.command(name="lb", description=DESCRIPTIONS["lb"])
    @app_commands.describe(metric="rank by wealth (default), xp or messages")
    async def lb(interaction: discord.Interaction,
                 metric: Literal["wealth", "xp", "messages"] | None = None) -> None:
        await h.game_command(interaction)

    @app_commands.command(name="givewealth", description=DESCRIPTIONS["givewealth"])
    @app_commands.describe(user="who gets it", amount="how much cash")
    async def givewealth(interaction: discord.Interaction, user: discord.Member,
                         amount: app_commands.Range[int, 1]) -> None:
        await h.game_command(interaction)

    @app_commands.command(name="givexp", description=DESCRIPTIONS["givexp"])
    @app_commands.describe(user="who gets it", amount="how much XP")
    async def givexp(interaction: discord.Interaction, user: discord.Member,
                     amount: app_commands.Range[int, 1]) -> None:
        await h.game_command(interaction)

    @app_commands.command(name="startsession", description=DESCRIPTIONS["startsession"])
    @app_commands.describe(title="what the session is called")
    async def startsession(interaction: discord.Interaction,
                           title: app_commands.Range[str, 1, 200] | None = None) -> None:
        await h.game_command(interaction)

    @app_commands.command(name="link", description=DESCRIPTIONS["link"])
    @app_commands.describe(code="the code !link gave you on another platform, or confirm "
                                "or cancel")
    async def link(interaction: discord.Interaction,
                   code: app_commands.Range[str, 1, 16] | None = None) -> None:
        await h.game_command(interaction)

    @app_commands.command(name="unlink", description=DESCRIPTIONS["unlink"])
    @app_commands.describe(platform="the platform to detach")
    async def unlink(interaction: discord.Interaction,
                     platform: Literal["twitch", "kick", "console"]) -> None:
        await h.game_command(interaction)

    @app_commands.command(name="config", description=DESCRIPTIONS["config"])
    @app_commands.describe(key="the number to show or change",
                           value="the new value, or default; leave empty to show it")
    @app_commands.choices(key=[app_commands.Choice(name=k, value=k) for k in TUNABLES])
    async def config(interaction: discord.Interaction, key: str,
                     value: app_commands.Range[str, 1, 32] | None = None) -> None:
        await h.game_command(interaction)

    with_args: list[app_commands.Command] = [rob, lb, givewealth, givexp, startsession, link,
                                             unlink, config]
    for command in with_args:
        add(command)
    commands.append(build_admin_group(h))
    return commands


def build_admin_group(h: Handlers) -> app_commands.Group:
    """``/kingpin config ...``: hidden from members without Manage Server by default (a server
    can grant it to the mod role under Server Settings -> Integrations); the handlers check
    owner / mod role / Manage Server again."""
    kingpin = app_commands.Group(
        name="kingpin", description="Kingpin administration", guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )
    config = app_commands.Group(name="config", description="Kingpin settings for this server",
                                parent=kingpin)

    @config.command(name="show", description="Show Kingpin's settings for this server")
    async def show(interaction: discord.Interaction) -> None:
        await h.config_show(interaction)

    @config.command(name="feed", description="Set (or clear) the channel for the game's feed")
    @app_commands.describe(channel="the feed channel; leave empty to turn the feed off")
    async def feed(interaction: discord.Interaction,
                   channel: discord.TextChannel | None = None) -> None:
        await h.config_feed(interaction, channel)

    @config.command(name="modrole", description="Set (or clear) the role that moderates Kingpin")
    @app_commands.describe(role="the mod role; leave empty to clear")
    async def modrole(interaction: discord.Interaction, role: discord.Role | None = None
                      ) -> None:
        await h.config_modrole(interaction, role)

    @config.command(name="prefix", description="Allow or refuse !commands typed in chat")
    async def prefix(interaction: discord.Interaction, enabled: bool) -> None:
        await h.config_prefix(interaction, enabled)

    @config.command(name="activity-add",
                    description="Count this text or voice channel as game chat")
    async def activity_add(interaction: discord.Interaction, channel: ActivityChannel) -> None:
        await h.config_activity_add(interaction, channel)

    @config.command(name="activity-remove",
                    description="Stop counting this channel as game chat")
    async def activity_remove(interaction: discord.Interaction, channel: ActivityChannel
                              ) -> None:
        await h.config_activity_remove(interaction, channel)

    return kingpin
