"""The listener's handlers on discord.py objects built from recorded payloads (no network).

Messages and interactions go through discord.py's own parsing (``discord.Message``,
``discord.Interaction`` and the CommandTree's dispatch), then through our handlers; the
interaction's HTTP side (defer, follow-up) is replaced by recorders.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
import pytest

from game.events import ChatMessage, Role
from kingpin.settings import Settings
from platforms.discord.bot import KingpinBot, describe_config
from platforms.discord.model import GuildConfig
from platforms.discord.replies import InteractionStore
from platforms.discord.repository import ConfigCache
from platforms.discord.voice import minute_of
from tests.platforms.discord.support import (
    GUILD_ID,
    MOD_ROLE,
    OWNER_ID,
    RESOLVED_USER_ID,
    TEXT_CHANNEL,
    VOICE_CHANNEL,
    add_guild,
    dispatch,
    guild_payload,
    load,
    member_payload,
    resolved,
    slash_interaction,
    user_option,
)

NOW = datetime(2026, 11, 23, 12, 0, 30, tzinfo=UTC)
APP_ID = "775799577604522054"


@dataclass
class Publisher:
    events: list[Any] = field(default_factory=list)

    async def publish(self, event: Any) -> None:
        self.events.append(event)


class MemoryRepo:
    """The DiscordConfigRepo interface in memory (the real one is tested on PostgreSQL)."""

    def __init__(self) -> None:
        self.configs: dict[str, GuildConfig] = {}
        self.reads = 0

    async def get(self, guild_id: str) -> GuildConfig:
        self.reads += 1
        return self.configs.get(guild_id, GuildConfig(guild_id=guild_id))

    def _set(self, guild_id: str, **changes: Any) -> None:
        current = self.configs.get(guild_id, GuildConfig(guild_id=guild_id))
        self.configs[guild_id] = GuildConfig(**{**current.__dict__, **changes})

    async def set_feed_channel(self, guild_id: str, channel_id: str | None) -> None:
        self._set(guild_id, feed_channel_id=channel_id)

    async def set_mod_role(self, guild_id: str, role_id: str | None) -> None:
        self._set(guild_id, mod_role_id=role_id)

    async def set_prefix_commands(self, guild_id: str, enabled: bool) -> None:
        self._set(guild_id, prefix_commands=enabled)

    async def add_activity_channel(self, guild_id: str, channel_id: str, kind: str) -> None:
        current = self.configs.get(guild_id, GuildConfig(guild_id=guild_id))
        key = "text_channels" if kind == "text" else "voice_channels"
        self._set(guild_id, **{key: getattr(current, key) | {channel_id}})

    async def remove_activity_channel(self, guild_id: str, channel_id: str) -> bool:
        current = self.configs.get(guild_id, GuildConfig(guild_id=guild_id))
        found = channel_id in current.text_channels | current.voice_channels
        self._set(guild_id, text_channels=current.text_channels - {channel_id},
                  voice_channels=current.voice_channels - {channel_id})
        return found


class Recorder:
    """Stands in for InteractionResponse and the follow-up Webhook."""

    def __init__(self) -> None:
        self.deferred: dict[str, Any] | None = None
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def defer(self, **kwargs: Any) -> None:
        self.deferred = kwargs

    def is_done(self) -> bool:
        return self.deferred is not None

    async def send(self, content: str, **kwargs: Any) -> None:
        self.sent.append((content, kwargs))

    async def send_message(self, content: str, **kwargs: Any) -> None:
        self.sent.append((content, kwargs))


@pytest.fixture
def repo() -> MemoryRepo:
    repo = MemoryRepo()
    repo.configs[GUILD_ID] = GuildConfig(guild_id=GUILD_ID, text_channels=frozenset({TEXT_CHANNEL}),
                                         voice_channels=frozenset({VOICE_CHANNEL}))
    return repo


@pytest.fixture
async def bot(redis: Any, settings: Settings, repo: MemoryRepo) -> Any:
    store = InteractionStore(redis, settings.redis_prefix)
    client = KingpinBot(publisher=Publisher(), configs=ConfigCache(repo, 30.0),  # type: ignore[arg-type]
                        store=store, sync_commands=False, voice_activity=False,
                        clock=lambda: NOW)
    client.http._HTTPClient__session = None  # type: ignore[attr-defined]
    # what READY would set: the bot's own user
    client._connection.user = discord.ClientUser(state=client._connection, data={  # type: ignore[typeddict-item]
        "id": APP_ID, "username": "Kingpin", "discriminator": "0", "avatar": None, "bot": True,
        "mfa_enabled": False, "verified": True, "flags": 0})
    yield client


def guild_of(bot: KingpinBot, **kwargs: Any) -> discord.Guild:
    return add_guild(bot._connection, guild_payload(**kwargs))


def interaction(bot: KingpinBot, payload: dict[str, Any]) -> tuple[Any, Recorder]:
    data = copy.deepcopy(payload)
    data.update(guild_id=GUILD_ID, channel_id=TEXT_CHANNEL, application_id=APP_ID)
    # keys discord.py 2.7 requires that the (older) docs example lacks
    data.setdefault("attachment_size_limit", 8_388_608)
    data.setdefault("version", 1)
    # current payloads carry the channel object (see the real captures); discord.py 2.7 takes
    # channel_id from it
    data.setdefault("channel", {"id": TEXT_CHANNEL, "type": 0, "guild_id": GUILD_ID,
                                "name": "general", "position": 0, "flags": 0})
    data["member"] = member_payload(data["member"])
    ix = discord.Interaction(data=data, state=bot._connection)  # type: ignore[arg-type]
    recorder = Recorder()
    ix._cs_response = recorder  # type: ignore[attr-defined]
    ix._cs_followup = recorder  # type: ignore[attr-defined]
    return ix, recorder


def published(bot: KingpinBot) -> list[ChatMessage]:
    return bot.publisher.events  # type: ignore[attr-defined, no-any-return]


# --- prefix commands and chat ---


def message(bot: KingpinBot, guild: discord.Guild, **changes: Any) -> discord.Message:
    data = load("message_object.docs.json")
    data["guild_id"] = GUILD_ID
    data["member"] = member_payload({"roles": [], "joined_at": "2017-03-13T19:19:14.040000+00:00",
                                     "deaf": False, "mute": False})
    data.update(changes)
    channel = guild.get_channel(int(data["channel_id"])) or guild.get_channel(int(TEXT_CHANNEL))
    return discord.Message(state=bot._connection, channel=channel, data=data)  # type: ignore


async def test_on_message_publishes_chat_from_activity_channels(bot: KingpinBot) -> None:
    guild = guild_of(bot)
    await bot.on_message(message(bot, guild))
    mentioned = resolved()["users"][RESOLVED_USER_ID]
    await bot.on_message(message(bot, guild, id="334385199974967043",
                                 content=f"!rob <@!{RESOLVED_USER_ID}>", mentions=[mentioned]))
    events = published(bot)
    assert [e.text for e in events] == ["Supa Hot", "!rob @Royale_Alchemist#5658"]
    assert events[0].event_id == "334385199974967042"
    assert events[0].channel == TEXT_CHANNEL
    # Mason owns the guild: broadcaster, and an owner has every permission (Manage Server)
    assert events[0].user.roles == frozenset({Role.BROADCASTER, Role.MODERATOR})


async def test_on_message_ignores_bots_other_channels_and_bad_config(
    bot: KingpinBot, repo: MemoryRepo
) -> None:
    guild = guild_of(bot)
    robot = message(bot, guild)
    robot.author = discord.Object(id=1)  # type: ignore[assignment]
    robot.author.bot = True  # type: ignore[attr-defined]
    await bot.on_message(robot)
    repo.configs[GUILD_ID] = GuildConfig(guild_id=GUILD_ID)  # no activity channels
    bot.configs.invalidate(GUILD_ID)
    await bot.on_message(message(bot, guild))

    async def broken(guild_id: str) -> GuildConfig:
        raise RuntimeError("database down")

    bot.configs.repo.get = broken  # type: ignore[method-assign]
    bot.configs.invalidate(GUILD_ID)
    await bot.on_message(message(bot, guild))  # logged, not raised
    assert published(bot) == []


async def test_config_is_cached_between_messages(bot: KingpinBot, repo: MemoryRepo) -> None:
    guild = guild_of(bot)
    for i in range(5):
        await bot.on_message(message(bot, guild, id=str(334385199974967042 + i)))
    assert len(published(bot)) == 5
    assert repo.reads == 1


# --- slash commands through the CommandTree ---


async def test_slash_rob_through_the_tree_defers_stores_token_and_publishes(
    bot: KingpinBot, redis: Any, settings: Settings
) -> None:
    guild_of(bot)
    ix, recorder = interaction(bot, slash_interaction("rob", [user_option()], with_resolved=True))
    await bot.tree._call(ix)  # discord.py's own dispatch: option parsing, then our callback
    assert recorder.deferred == {"thinking": True}
    [event] = published(bot)
    assert event.text == "!rob @Royale_Alchemist#5658"
    assert event.event_id == "786008729715212338"
    assert event.channel == TEXT_CHANNEL
    assert event.user.name == "Mason#1337"
    key = f"{settings.redis_prefix}:discord:ix:786008729715212338"
    stored = await redis.hgetall(key)
    assert stored[b"token"] == b"A_UNIQUE_TOKEN"
    assert stored[b"application_id"] == APP_ID.encode()
    assert stored[b"user_name"] == b"Mason#1337"
    assert 890 <= await redis.ttl(key) <= 900


@pytest.mark.parametrize(("name", "options", "text"), [
    ("play", [], "!play"),
    ("lb", [{"type": 3, "name": "metric", "value": "xp"}], "!lb xp"),
    ("givewealth", [user_option(), {"type": 4, "name": "amount", "value": 7}],
     "!givewealth @Royale_Alchemist#5658 7"),
    ("startsession", [{"type": 3, "name": "title", "value": "Heist night"}],
     "!startsession Heist night"),
    ("link", [{"type": 3, "name": "code", "value": "ABCD1234"}], "!link ABCD1234"),
    ("unlink", [{"type": 3, "name": "platform", "value": "kick"}], "!unlink kick"),
])
async def test_registered_commands_accept_their_options(
    bot: KingpinBot, name: str, options: list[dict[str, Any]], text: str
) -> None:
    guild_of(bot)
    ix, recorder = interaction(bot, slash_interaction(name, options, with_resolved=True))
    await bot.tree._call(ix)
    assert [e.text for e in published(bot)] == [text]
    assert recorder.sent == []


@pytest.mark.parametrize("options", [[], [{"type": 3, "name": "code", "value": "confirm"}]])
async def test_slash_link_is_deferred_ephemerally_and_remembered_so(
    bot: KingpinBot, redis: Any, settings: Settings, options: list[dict[str, Any]]
) -> None:
    guild_of(bot)
    ix, recorder = interaction(bot, slash_interaction("link", options))
    await bot.tree._call(ix)
    assert recorder.deferred == {"ephemeral": True, "thinking": True}  # only the invoker sees
    [event] = published(bot)
    assert event.text == ("!link confirm" if options else "!link")
    key = f"{settings.redis_prefix}:discord:ix:{event.event_id}"
    assert await redis.hget(key, "ephemeral") == b"1"
    ix, recorder = interaction(bot, {**slash_interaction("play"), "id": "786008729715212339"})
    await bot.tree._call(ix)
    assert recorder.deferred == {"thinking": True}  # everything else stays public
    assert await redis.hget(f"{settings.redis_prefix}:discord:ix:786008729715212339",
                            "ephemeral") == b"0"


async def test_publish_failure_answers_instead_of_thinking_forever(bot: KingpinBot) -> None:
    guild_of(bot)

    async def down(event: Any) -> None:
        raise ConnectionError("redis down")

    bot.publisher.publish = down  # type: ignore[method-assign]
    ix, recorder = interaction(bot, slash_interaction("play"))
    await bot.tree._call(ix)
    assert recorder.sent and "trouble" in recorder.sent[0][0]


# --- /kingpin config ---


async def test_admin_group_changes_config_for_mods_only(bot: KingpinBot, repo: MemoryRepo
                                                        ) -> None:
    guild = guild_of(bot)
    nobody = slash_interaction("play")
    nobody["member"]["permissions"] = "0"
    nobody["member"]["roles"] = []
    ix, recorder = interaction(bot, nobody)
    await bot.config_prefix(ix, False)
    assert recorder.deferred == {"ephemeral": True, "thinking": True}
    assert "Only the server owner" in recorder.sent[0][0]
    assert repo.configs[GUILD_ID].prefix_commands is True

    mod = copy.deepcopy(nobody)
    mod["member"]["roles"] = [MOD_ROLE]
    repo.configs[GUILD_ID] = GuildConfig(guild_id=GUILD_ID, mod_role_id=MOD_ROLE)
    bot.configs.invalidate(GUILD_ID)
    ix, recorder = interaction(bot, mod)
    await bot.config_prefix(ix, False)
    assert repo.configs[GUILD_ID].prefix_commands is False

    voice = guild.get_channel(int(VOICE_CHANNEL))
    text = guild.get_channel(int(TEXT_CHANNEL))
    ix, _ = interaction(bot, mod)
    await bot.config_activity_add(ix, voice)  # type: ignore[arg-type]
    ix, _ = interaction(bot, mod)
    await bot.config_activity_add(ix, text)  # type: ignore[arg-type]
    ix, _ = interaction(bot, mod)
    await bot.config_feed(ix, text)  # type: ignore[arg-type]
    config = await bot.configs.get(GUILD_ID)  # invalidated by the change: fresh
    assert config.voice_channels == {VOICE_CHANNEL}
    assert config.text_channels == {TEXT_CHANNEL}
    assert config.feed_channel_id == TEXT_CHANNEL
    ix, recorder = interaction(bot, mod)
    await bot.config_activity_remove(ix, voice)  # type: ignore[arg-type]
    assert "no longer counts" in recorder.sent[0][0]
    ix, recorder = interaction(bot, mod)
    await bot.config_show(ix)
    shown = recorder.sent[0][0]
    assert f"<#{TEXT_CHANNEL}>" in shown and "off" in shown
    assert describe_config(GuildConfig(guild_id="1")).count("none") == 3


# --- voice activity ---


async def test_voice_tick_publishes_for_pairs_in_configured_channels(bot: KingpinBot) -> None:
    real = dispatch("gateway_VOICE_STATE_UPDATE.real_capture.json")
    alice = member_payload(real["member"])
    bob = member_payload(real["member"])
    bob["user"] = {**bob["user"], "id": OWNER_ID, "username": "Mason", "discriminator": "0"}
    states = []
    for member in (alice, bob):
        state = load("voice_state_object.docs.json")
        state.update(user_id=member["user"]["id"], channel_id=VOICE_CHANNEL)
        states.append(state)
    guild_of(bot, voice_states=states, members=[alice, bob])
    assert await bot.voice_tick(NOW) == 2
    again = await bot.voice_tick(NOW)  # same minute: same ids (the publisher dedups)
    ids = [e.event_id for e in published(bot)]
    assert again == 2 and ids[:2] == ids[2:]
    assert ids[0] == f"voice:{GUILD_ID}:{OWNER_ID}:{minute_of(NOW)}"
    roles = {e.user.id: e.user.roles for e in published(bot)}
    assert Role.BROADCASTER in roles[OWNER_ID]
