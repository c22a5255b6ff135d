"""The slash commands: one per game command (plus /link and /unlink) and /kingpin config.

Game commands do nothing themselves: every callback hands the interaction to
``Handlers.game_command``, which defers, turns ``interaction.data`` into the equivalent chat
command (normalize.interaction_command_text) and publishes it. The typed parameters here only
shape Discord's UI (a user picker, an integer box, a choice list).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, Literal, Protocol

import discord
from discord import app_commands

from game.catalogue import catalogue
from game.commands import COMMANDS, Arg, Spec
from game.matching import fold, words

ActivityChannel = discord.TextChannel | discord.VoiceChannel | discord.StageChannel

# deferred ephemerally: their answers (a /link code) are for the invoker's eyes only
PRIVATE_COMMANDS = frozenset(s.name for s in COMMANDS.values() if s.private)


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


Complete = Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]


def _choices_for(names: list[str]) -> Complete:
    """An autocomplete over ``names``: those whose folded name or any word of it starts with
    what was typed (the game matches the same way), at most 25 (Discord's limit)."""

    async def complete(interaction: discord.Interaction, current: str
                       ) -> list[app_commands.Choice[str]]:
        typed = fold(current)
        hits = [n for n in names if not typed or fold(n).startswith(typed)
                or any(w.startswith(typed) for w in words(n))]
        return [app_commands.Choice(name=n, value=n) for n in hits[:25]]

    return complete


def _autocomplete(spec: Spec, arg: Arg) -> Complete:
    cat = catalogue()
    if arg.kind == "title":
        return _choices_for(["none", *(t.name for t in cat.titles.values())])
    if spec.name == "buysupply":
        return _choices_for([*(b.name for b in cat.buffs.values()),
                             *(c.name for c in cat.consumables.values())])
    return _choices_for([i.name for i in cat.items.values()])


def _annotation(arg: Arg) -> Any:
    if arg.kind == "user":
        return discord.Member
    if arg.kind == "amount":
        return app_commands.Range[int, 1]
    if arg.kind == "count":
        return app_commands.Range[int, 1, 100]
    if arg.kind == "id":
        return app_commands.Range[int, 1]
    if arg.kind == "choice":
        return Literal[arg.choices]  # type: ignore[valid-type]
    return app_commands.Range[str, 1, arg.max_len]


def game_command(spec: Spec, h: Handlers) -> app_commands.Command:
    """The slash command for a registry entry: its options typed from the entry's arguments
    (a user picker, a number box, a choice list, a name with autocomplete)."""

    async def callback(interaction: discord.Interaction, **_: Any) -> None:
        await h.game_command(interaction)

    params = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                annotation=discord.Interaction)]
    for arg in spec.args:
        annotation = _annotation(arg)
        params.append(inspect.Parameter(
            arg.name, inspect.Parameter.KEYWORD_ONLY,
            annotation=annotation if arg.required else annotation | None,
            default=inspect.Parameter.empty if arg.required else None))
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = f"slash_{spec.name}"
    described = app_commands.describe(**{a.name: a.about for a in spec.args})(callback)
    completes = {a.name: _autocomplete(spec, a) for a in spec.args if a.kind in ("item", "title")}
    if completes:
        described = app_commands.autocomplete(**completes)(described)
    return app_commands.Command(name=spec.name, description=spec.about[:100],
                                callback=described)


def build_commands(h: Handlers) -> list[app_commands.Command | app_commands.Group]:
    commands: list[app_commands.Command | app_commands.Group] = [
        app_commands.guild_only(game_command(spec, h)) for spec in COMMANDS.values()
        if spec.slash]
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
