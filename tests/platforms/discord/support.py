"""Helpers for the Discord tests: recorded payloads and discord.py objects built from them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import discord

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "discord"

GUILD_ID = "290926798626357999"
OWNER_ID = "53908099506183680"  # "Mason" of message_object.docs.json owns the test guild
TEXT_CHANNEL = "290926798999357250"  # channel of message_object.docs.json
VOICE_CHANNEL = "157733188964188161"  # channel of voice_state_object.docs.json
AFK_CHANNEL = "157733188964188999"
MOD_ROLE = "539082325061836999"  # the role "Mason" has in the slash-command docs example


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def dispatch(name: str) -> dict[str, Any]:
    """The ``d`` of a recorded gateway dispatch frame."""
    frame = load(name)
    assert frame["op"] == 0
    return copy.deepcopy(frame["d"])


def resolved() -> dict[str, Any]:
    return load("interaction_data_resolved_users_members.real_capture.json")


def slash_interaction(name: str, options: list[dict[str, Any]] | None = None,
                      with_resolved: bool = False) -> dict[str, Any]:
    """The docs' slash-command interaction with its ``data`` made into one of our commands.

    The docs have no CHAT_INPUT example with a USER option, so a USER option carries the id
    from the real ``resolved`` capture and that capture is attached as ``data.resolved``.
    """
    payload = load("interaction_slash_command.string_option.docs.json")
    payload["data"]["name"] = name
    payload["data"]["options"] = options or []
    if with_resolved:
        payload["data"]["resolved"] = resolved()
    return payload


RESOLVED_USER_ID = "961607141037326386"  # "Royale Alchemist", discriminator 5658


def user_option(name: str = "user", user_id: str = RESOLVED_USER_ID) -> dict[str, Any]:
    return {"type": 6, "name": name, "value": user_id}


def member_payload(member: dict[str, Any]) -> dict[str, Any]:
    """A recorded member object with the keys discord.py needs for a Member (flags)."""
    data = copy.deepcopy(member)
    data.setdefault("flags", 0)
    data.setdefault("roles", [])
    return data


def guild_payload(*, voice_states: list[dict[str, Any]] | None = None,
                  members: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A GUILD_CREATE-shaped guild with the test ids (Discord publishes no small example)."""
    role = {"id": GUILD_ID, "name": "@everyone", "permissions": "104324673", "position": 0,
            "color": 0, "hoist": False, "managed": False, "mentionable": False}
    mod = {**role, "id": MOD_ROLE, "name": "mods", "permissions": "0", "position": 1}
    return {
        "id": GUILD_ID, "name": "Kingpin test", "owner_id": OWNER_ID, "afk_channel_id": AFK_CHANNEL,
        "roles": [role, mod],
        "channels": [
            {"id": TEXT_CHANNEL, "type": 0, "name": "general", "position": 0,
             "permission_overwrites": []},
            {"id": VOICE_CHANNEL, "type": 2, "name": "Lounge", "position": 1,
             "permission_overwrites": [], "bitrate": 64000, "user_limit": 0},
            {"id": AFK_CHANNEL, "type": 2, "name": "AFK", "position": 2,
             "permission_overwrites": [], "bitrate": 64000, "user_limit": 0},
        ],
        "voice_states": voice_states or [],
        "members": members or [],
    }


def add_guild(state: Any, data: dict[str, Any]) -> discord.Guild:
    guild = discord.Guild(data=data, state=state)  # type: ignore[arg-type]
    state._add_guild(guild)
    return guild
