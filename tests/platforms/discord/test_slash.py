"""The slash commands are generated from the command registry: every game command has one,
its options typed from the registry's arguments, item and title names autocompleted."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from game.commands import COMMANDS
from platforms.discord.commands import build_commands


class _Handlers:
    async def game_command(self, interaction: Any) -> None: ...

    async def config_show(self, interaction: Any) -> None: ...

    async def config_feed(self, interaction: Any, channel: Any) -> None: ...

    async def config_modrole(self, interaction: Any, role: Any) -> None: ...

    async def config_prefix(self, interaction: Any, enabled: bool) -> None: ...

    async def config_activity_add(self, interaction: Any, channel: Any) -> None: ...

    async def config_activity_remove(self, interaction: Any, channel: Any) -> None: ...


def _payloads() -> dict[str, dict[str, Any]]:
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    for command in build_commands(_Handlers()):
        tree.add_command(command)
    return {c.name: c.to_dict(tree) for c in tree.get_commands()}


def test_every_registry_command_is_a_slash_command_with_typed_options() -> None:
    payloads = _payloads()
    assert set(COMMANDS) <= set(payloads)
    for spec in COMMANDS.values():
        options = {o["name"]: o for o in payloads[spec.name].get("options", [])}
        assert list(options) == [a.name for a in spec.args], spec.name
        for arg in spec.args:
            option = options[arg.name]
            assert option["required"] == arg.required
            if arg.kind == "user":
                assert option["type"] == 6
            if arg.kind == "choice":
                assert [c["value"] for c in option["choices"]] == list(arg.choices)
            if arg.kind in ("item", "title"):
                assert option["autocomplete"] is True


async def test_item_and_title_names_autocomplete_leniently() -> None:
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    commands = {c.name: c for c in build_commands(_Handlers())}
    for command in commands.values():
        tree.add_command(command)
    buy = commands["buy"]
    assert isinstance(buy, app_commands.Command)
    complete = buy._params["item"].autocomplete
    assert complete is not None
    names = [c.name for c in await complete(None, "mono wire")]  # type: ignore[arg-type]
    assert names == ["Mono-Wire Garrote"]
    names = [c.name for c in await complete(None, "KNIFE")]  # type: ignore[arg-type]
    assert set(names) == {"Rusty Knife", "Combat Knife"}
    assert len(await complete(None, "")) <= 25  # type: ignore[arg-type]
    title = commands["title"]
    assert isinstance(title, app_commands.Command)
    complete = title._params["name"].autocomplete
    assert complete is not None
    assert [c.name for c in await complete(None, "godf")] == [  # type: ignore[arg-type]
        "The Godfather"]
    supply = commands["buysupply"]
    assert isinstance(supply, app_commands.Command)
    complete = supply._params["item"].autocomplete
    assert complete is not None
    assert "Bail Bond" in [c.name for c in await complete(None, "bail")]  # type: ignore[arg-type]
