"""``kingpin community redemptions``: a community's reward mappings listed, mapped (an id as
given, a title folded; another command for the same reward replaces it) and unmapped; bad
platforms, commands, rewards and shapes refused in one line."""

from __future__ import annotations

from typing import Any

import pytest

from kingpin.communities import CommunityError, create
from kingpin.community_cli import build_parser, execute
from tests.kingpin.test_community_cli import env, kingpin  # noqa: F401 - fixtures
from tests.support import fetch

UUID = "5cc8aa5b-1f3e-4a5b-9c2d-0123456789ab"
DEFAULT = ('  without a mapping, a reward titled play, rob, bail, reroll (or "Kingpin: '
           '<command>") runs that command')


async def run(*args: str) -> list[str]:
    return await execute(build_parser().parse_args(["redemptions", *args]))


async def test_map_list_and_unmap(app: Any) -> None:
    assert await run("local") == ["redemptions of 'local' (economy.live_mode = free):", DEFAULT]
    assert await run("map", "local", "twitch", UUID, "rob") == [
        f"twitch reward '{UUID}' of 'local' now runs rob"]
    assert await run("map", "local", "Kick", "Kingpin: Jackpot!", "!play") == [
        "kick reward 'kingpinjackpot' of 'local' now runs play"]
    assert await run("map", "local", "twitch", UUID, "bail") == [
        f"twitch reward '{UUID}' of 'local' now runs bail (it ran rob)"]
    assert await run("local") == [
        "redemptions of 'local' (economy.live_mode = free):",
        "  kick   'kingpinjackpot' runs play",
        f"  twitch '{UUID}' runs bail",
        DEFAULT]
    assert await fetch("SELECT community_id, platform, reward, command FROM redemption_mappings"
                       " ORDER BY platform") == [
        {"community_id": 1, "platform": "kick", "reward": "kingpinjackpot", "command": "play"},
        {"community_id": 1, "platform": "twitch", "reward": UUID, "command": "bail"}]
    # by the title as typed, or as listed
    assert await run("unmap", "local", "kick", "KINGPIN: jackpot") == [
        "kick reward 'kingpinjackpot' of 'local' is no longer mapped"]
    assert await run("unmap", "local", "twitch", UUID) == [
        f"twitch reward '{UUID}' of 'local' is no longer mapped"]
    assert await fetch("SELECT * FROM redemption_mappings") == []
    # each community its own
    beta = await create("beta")
    await run("map", "beta", "twitch", "Play", "reroll")
    assert await run("local") == ["redemptions of 'local' (economy.live_mode = free):", DEFAULT]
    assert (await fetch("SELECT community_id FROM redemption_mappings")) == [
        {"community_id": beta.id}]


async def test_the_listing_shows_the_live_mode(app: Any) -> None:
    await fetch("INSERT INTO bot_config (community_id, key, value, updated_at)"
                " VALUES (1, 'economy.live_mode', '\"channel_points\"', now())")
    assert (await run("local"))[0] == (
        "redemptions of 'local' (economy.live_mode = channel_points):")


@pytest.mark.parametrize(("args", "says"), [
    (("map", "local", "discord", "Play", "play"), "rewards are redeemed on twitch or kick"),
    (("map", "local", "twitch", "Play", "checkin"), "a reward can run play, rob, bail, reroll"),
    (("map", "local", "twitch", "!!!", "play"), "neither a reward id nor a title"),
    (("unmap", "local", "twitch", "Play"), "'local' has no twitch mapping for 'Play'"),
    (("unmap", "local", "console", "Play"), "rewards are redeemed on twitch or kick"),
    (("map", "local", "twitch", "Play"), "usage: redemptions <slug> | redemptions map"),
    (("local", "map", "twitch", "Play", "play"), "usage: redemptions <slug>"),
    (("nope",), "no community called 'nope'"),
    (("map", "nope", "twitch", "Play", "play"), "no community called 'nope'"),
])
async def test_refusals(app: Any, args: tuple[str, ...], says: str) -> None:
    with pytest.raises(CommunityError, match=says):
        await run(*args)
    assert await fetch("SELECT * FROM redemption_mappings") == []


async def test_as_an_operator_runs_it(app: Any, kingpin: Any) -> None:  # noqa: F811
    done = kingpin("community", "redemptions", "map", "local", "twitch", "Kingpin: Rob", "rob")
    assert (done.code, done.line) == (0, "twitch reward 'kingpinrob' of 'local' now runs rob")
    done = kingpin("community", "redemptions", "map", "local", "twitch", "x", "heist")
    assert done.code == 2
    assert done.line == ("kingpin community redemptions: a reward can run play, rob, bail, "
                         "reroll, not 'heist'")
    done = kingpin("community", "redemptions", "local")
    assert done.code == 0 and "  twitch 'kingpinrob' runs rob" in done.out
