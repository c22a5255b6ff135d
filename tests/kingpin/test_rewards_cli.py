"""``kingpin community rewards``: a community's support rewards listed with its overrides
marked, set per kind, reset to the rulebook's; unknown kinds and negative values refused in
one line."""

from __future__ import annotations

from typing import Any

import pytest

from kingpin.communities import CommunityError, create
from kingpin.community_cli import build_parser, execute
from tests.kingpin.test_community_cli import env, kingpin  # noqa: F401 - fixtures
from tests.support import fetch


async def run(*args: str) -> list[str]:
    return await execute(build_parser().parse_args(["rewards", *args]))


async def test_list_set_and_reset(app: Any) -> None:
    listed = await run("local")
    assert listed[0] == "support rewards of 'local' (* = the community's own):"
    assert "  sub_t1          $500 + 100 XP per sub" in listed
    assert "  gift_recipient  $0 + 0 XP + common crate to each gift's recipient" in listed
    assert "  bits_100        $100 + 0 XP per 100 bits" in listed
    assert len(listed) == 10
    assert await run("local", "set", "sub_t1", "--wealth", "600") == [
        "sub_t1 of 'local' now pays $600 + 100 XP per sub"]  # the XP stays as it was
    assert await run("local", "set", "gift_recipient", "--crate", "none", "--xp", "5") == [
        "gift_recipient of 'local' now pays $0 + 5 XP to each gift's recipient"]
    listed = await run("local")
    assert "  sub_t1        * $600 + 100 XP per sub" in listed
    assert "  gift_recipient* $0 + 5 XP to each gift's recipient" in listed
    assert await fetch("SELECT kind, wealth, xp, crate_tier FROM reward_config ORDER BY kind") == [
        {"kind": "gift_recipient", "wealth": 0, "xp": 5, "crate_tier": None},
        {"kind": "sub_t1", "wealth": 600, "xp": 100, "crate_tier": None}]
    assert await run("local", "reset", "SUB_T1") == [
        "sub_t1 of 'local' is back to the rulebook's $500 + 100 XP per sub"]
    assert await run("local", "reset", "sub_t1") == [
        "sub_t1 of 'local' already pays the rulebook's $500 + 100 XP per sub"]
    # each community its own
    await create("beta")
    await run("beta", "set", "kick", "--wealth", "3")
    assert "  kick          * $3 + 0 XP per kick" in await run("beta")
    assert "  kick            $1 + 0 XP per kick" in await run("local")


@pytest.mark.parametrize(("args", "says"), [
    (("local", "set", "sub_t9", "--wealth", "5"), "unknown reward kind 'sub_t9'"),
    (("local", "reset", "nope"), "unknown reward kind 'nope'"),
    (("local", "set", "kick", "--wealth", "-5"), "--wealth cannot be negative"),
    (("local", "set", "kick", "--xp", "-1"), "--xp cannot be negative"),
    (("local", "set", "kick", "--crate", "golden"), "crate must be one of"),
    (("local", "set", "kick"), "set what?"),
    (("nope",), "no community called 'nope'"),
])
async def test_refusals(app: Any, args: tuple[str, ...], says: str) -> None:
    with pytest.raises(CommunityError, match=says):
        await run(*args)
    assert await fetch("SELECT * FROM reward_config") == []


async def test_the_installed_command_answers_in_one_line(app: Any, kingpin: Any) -> None:  # noqa: F811
    done = kingpin("community", "rewards", "local", "set", "raid_viewer", "--wealth", "20")
    assert done.code == 0 and done.line == (
        "raid_viewer of 'local' now pays $20 + 2 XP per raiding viewer")
    refused = kingpin("community", "rewards", "local", "set", "raid_viewer", "--xp", "-2")
    assert refused.code == 2 and refused.out == ""
    assert refused.line == "kingpin community rewards: --xp cannot be negative"
    assert len(kingpin("community", "rewards", "local").out.splitlines()) == 10
