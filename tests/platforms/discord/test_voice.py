"""Voice activity: the pure per-minute earning function, and the snapshot from discord.py."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import discord

from game.commands import parse_command
from game.events import ChatMessage, Role
from platforms.discord.adapters import voice_presences
from platforms.discord.model import Actor, GuildConfig, GuildContext
from platforms.discord.voice import (
    VOICE_TEXT,
    VoicePresence,
    minute_of,
    presence_from_payload,
    voice_messages,
)
from tests.platforms.discord.support import (
    AFK_CHANNEL,
    GUILD_ID,
    OWNER_ID,
    VOICE_CHANNEL,
    add_guild,
    dispatch,
    guild_payload,
    load,
    member_payload,
)

NOW = datetime(2026, 11, 23, 12, 0, 30, tzinfo=UTC)
MINUTE = minute_of(NOW)
CONTEXTS = {GUILD_ID: GuildContext(
    guild_id=GUILD_ID, community_id=1, owner_id=OWNER_ID, afk_channel_id=AFK_CHANNEL,
    config=GuildConfig(guild_id=GUILD_ID, community_id=1,
                       voice_channels=frozenset({VOICE_CHANNEL, AFK_CHANNEL})),
)}


def person(uid: str, *, bot: bool = False, deaf: bool = False,
           channel: str = VOICE_CHANNEL, guild: str = GUILD_ID) -> VoicePresence:
    return VoicePresence(guild_id=guild, channel_id=channel,
                         actor=Actor(id=uid, username=f"user{uid}", bot=bot), deaf=deaf)


def earners(presences: list[VoicePresence], minute: int = MINUTE) -> list[str]:
    return [e.user.id for e in voice_messages(presences, CONTEXTS, minute, NOW)]


def test_two_humans_earn_one_alone_does_not() -> None:
    assert earners([person("1")]) == []
    assert earners([person("1"), person("2")]) == ["1", "2"]
    assert earners([person("1"), person("2"), person("3")]) == ["1", "2", "3"]


def test_bots_and_deafened_people_neither_earn_nor_make_a_pair() -> None:
    assert earners([person("1"), person("9", bot=True)]) == []
    assert earners([person("1"), person("2", deaf=True)]) == []
    assert earners([person("1"), person("2"), person("9", bot=True)]) == ["1", "2"]


def test_only_configured_channels_and_never_the_afk_channel() -> None:
    assert earners([person("1", channel="42"), person("2", channel="42")]) == []
    assert earners([person("1", channel=AFK_CHANNEL), person("2", channel=AFK_CHANNEL)]) == []
    assert earners([person("1", guild="777"), person("2", guild="777")]) == []
    # a pair is per channel: one person in each of two channels earns nothing
    two_rooms = {GUILD_ID: GuildContext(guild_id=GUILD_ID, config=GuildConfig(
        guild_id=GUILD_ID, voice_channels=frozenset({VOICE_CHANNEL, "43"})))}
    split = [person("1"), person("2", channel="43")]
    assert voice_messages(split, two_rooms, MINUTE, NOW) == []


def test_once_per_member_per_minute_with_deterministic_ids() -> None:
    room = [person("1"), person("2"), person("1")]  # a duplicate snapshot entry
    first = voice_messages(room, CONTEXTS, MINUTE, NOW)
    again = voice_messages(room, CONTEXTS, MINUTE, NOW)
    later = voice_messages(room, CONTEXTS, MINUTE + 1, NOW)
    ids = [e.event_id for e in first]
    assert ids == [f"voice:{GUILD_ID}:1:{MINUTE}", f"voice:{GUILD_ID}:2:{MINUTE}"]
    assert [e.event_id for e in again] == ids  # same minute, same ids: dedup drops them
    assert not set(ids) & {e.event_id for e in later}
    assert minute_of(datetime(2026, 11, 23, 12, 0, 59, tzinfo=UTC)) == MINUTE
    assert minute_of(datetime(2026, 11, 23, 12, 1, 0, tzinfo=UTC)) == MINUTE + 1


def test_voice_events_are_plain_chat_in_the_voice_channel() -> None:
    owner = VoicePresence(guild_id=GUILD_ID, channel_id=VOICE_CHANNEL,
                          actor=Actor(id=OWNER_ID, username="Mason"))
    events = voice_messages([owner, person("2")], CONTEXTS, MINUTE, NOW)
    assert all(isinstance(e, ChatMessage) for e in events)
    assert all(e.text == VOICE_TEXT and parse_command(e.text) is None for e in events)
    assert all(e.channel == VOICE_CHANNEL for e in events)
    assert {e.guild for e in events} == {GUILD_ID}
    roles = {e.user.id: e.user.roles for e in events}
    assert roles == {OWNER_ID: frozenset({Role.BROADCASTER}), "2": frozenset()}
    assert events[0].occurred_at == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert events[0].received_at == NOW


def test_presences_from_recorded_voice_states() -> None:
    real = presence_from_payload(dispatch("gateway_VOICE_STATE_UPDATE.real_capture.json"))
    assert real is not None
    assert real.guild_id == "1002085020187492383"
    assert real.channel_id == "1006294105111920822"
    assert real.actor.id == "984302584959500299"
    assert real.actor.name == "djsole18#3901"
    assert not real.actor.bot and not real.deaf
    leaving = dispatch("gateway_VOICE_STATE_UPDATE.real_capture.json")
    leaving["channel_id"] = None
    assert presence_from_payload(leaving) is None
    # the docs voice state has no guild_id and no member: not enough to earn from
    assert presence_from_payload(load("voice_state_object.docs.json")) is None


def _voice_state(user: dict[str, Any], channel: str, **flags: bool) -> dict[str, Any]:
    state = load("voice_state_object.docs.json")
    state.update(user_id=user["id"], channel_id=channel, session_id=f"s{user['id']}", **flags)
    return state


def test_snapshot_from_discord_py_voice_cache() -> None:
    """discord.py caches voice members without the members intent; the snapshot reads it."""
    real = dispatch("gateway_VOICE_STATE_UPDATE.real_capture.json")["member"]
    alice = member_payload(real)
    bob = member_payload(real)
    bob["user"] = {**bob["user"], "id": "984302584959500300", "username": "bob",
                   "discriminator": "0"}
    robot = member_payload(real)
    robot["user"] = {**robot["user"], "id": "984302584959500301", "username": "musicbot",
                     "bot": True}
    carol = member_payload(real)
    carol["user"] = {**carol["user"], "id": "984302584959500302", "username": "carol",
                     "discriminator": "0"}
    states = [_voice_state(alice["user"], VOICE_CHANNEL), _voice_state(bob["user"], VOICE_CHANNEL),
              _voice_state(robot["user"], VOICE_CHANNEL),
              _voice_state(carol["user"], VOICE_CHANNEL, self_deaf=True)]
    client = discord.Client(intents=discord.Intents.default())
    guild = add_guild(client._connection, guild_payload(
        voice_states=copy.deepcopy(states), members=[alice, bob, robot, carol]))
    presences = voice_presences(guild, frozenset({VOICE_CHANNEL, "404"}))
    by_id = {p.actor.id: p for p in presences}
    assert set(by_id) == {"984302584959500299", "984302584959500300", "984302584959500301",
                          "984302584959500302"}
    assert by_id["984302584959500301"].actor.bot
    assert by_id["984302584959500302"].deaf
    events = voice_messages(presences, CONTEXTS, MINUTE, NOW)
    assert [e.user.name for e in events] == ["djsole18#3901", "bob"]
