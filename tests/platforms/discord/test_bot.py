"""The listener's handlers on discord.py objects built from recorded payloads (no network).

Messages and interactions go through discord.py's own parsing (``discord.Message``,
``discord.Interaction`` and the CommandTree's dispatch), then through our handlers; the
interaction's HTTP side (defer, follow-up) is replaced by recorders.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
import pytest

from game.events import ChatMessage, Role
from jobs.context import AppContext
from kingpin import communities
from kingpin.bus import Publisher as RedisPublisher
from kingpin.communities import Directory
from kingpin.keys import Keys
from kingpin.settings import Settings
from platforms.discord.bot import NOT_IN_DMS, KingpinBot, describe_config
from platforms.discord.boundary import NOT_OWNED, STAT, Boundary
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
    """The DiscordConfigRepo interface in memory (the real one is tested on PostgreSQL); its
    configs are the default community's, as the real one reads them for an owned guild."""

    def __init__(self) -> None:
        self.configs: dict[str, GuildConfig] = {}
        self.reads = 0
        self.community_id: int | None = 1

    async def get(self, guild_id: str) -> GuildConfig:
        self.reads += 1
        config = self.configs.get(guild_id, GuildConfig(guild_id=guild_id))
        return dataclasses.replace(config, community_id=self.community_id)

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


def boundary(redis: Any, settings: Settings, **kwargs: Any) -> Boundary:
    return Boundary(Directory(**kwargs), redis, Keys(settings.redis_prefix))


@pytest.fixture
async def bot(app: AppContext, redis: Any, settings: Settings, repo: MemoryRepo) -> Any:
    """The bot in the test guild, which the default community owns (on the real database)."""
    await communities.adopt("discord", [(GUILD_ID, "test guild")])
    store = InteractionStore(redis, settings.redis_prefix)
    client = KingpinBot(publisher=Publisher(), configs=ConfigCache(repo, 30.0),  # type: ignore[arg-type]
                        store=store, boundary=boundary(redis, settings), sync_commands=False,
                        voice_activity=False, clock=lambda: NOW)
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
    assert {e.guild for e in events} == {GUILD_ID}
    # Mason owns the guild: broadcaster; his permissions (all of them) make no moderator
    assert events[0].user.roles == frozenset({Role.BROADCASTER})


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
    ("config", [{"type": 3, "name": "key", "value": "jail.minutes"},
                {"type": 3, "name": "value", "value": "5"}], "!config jail.minutes 5"),
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
    manager = copy.deepcopy(nobody)  # Manage Server is not a moderator unless configured
    manager["member"]["permissions"] = str(1 << 5)
    ix, recorder = interaction(bot, manager)
    await bot.config_prefix(ix, False)
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
    assert describe_config(GuildConfig(guild_id="1")).count("none") == 4
    assert "manage_guild" in describe_config(GuildConfig(guild_id="1", mod_permissions=32))


async def test_only_the_owner_sets_the_mod_role(bot: KingpinBot, repo: MemoryRepo) -> None:
    """A mod must not be able to hand the mod role to everybody."""
    guild = guild_of(bot)
    repo.configs[GUILD_ID] = GuildConfig(guild_id=GUILD_ID, mod_role_id=MOD_ROLE)
    mod = slash_interaction("play")  # Mason of the docs has MOD_ROLE and is not the owner
    everyone = guild.default_role
    ix, recorder = interaction(bot, mod)
    await bot.config_modrole(ix, everyone)
    assert recorder.sent == [("Only the server owner can change this.", {"ephemeral": True})]
    assert repo.configs[GUILD_ID].mod_role_id == MOD_ROLE
    owner = copy.deepcopy(mod)
    owner["member"]["user"]["id"] = OWNER_ID
    ix, recorder = interaction(bot, owner)
    await bot.config_modrole(ix, None)
    assert recorder.sent == [("Mod role cleared.", {"ephemeral": True})]
    assert repo.configs[GUILD_ID].mod_role_id is None


# --- voice activity ---


def two_in_voice() -> dict[str, Any]:
    """A recorded member and the guild's owner in the voice channel: guild_of's arguments."""
    real = dispatch("gateway_VOICE_STATE_UPDATE.real_capture.json")
    alice = member_payload(real["member"])
    bob = member_payload(real["member"])
    bob["user"] = {**bob["user"], "id": OWNER_ID, "username": "Mason", "discriminator": "0"}
    states = []
    for member in (alice, bob):
        state = load("voice_state_object.docs.json")
        state.update(user_id=member["user"]["id"], channel_id=VOICE_CHANNEL)
        states.append(state)
    return {"voice_states": states, "members": [alice, bob]}


async def test_voice_tick_publishes_for_pairs_in_configured_channels(bot: KingpinBot) -> None:
    guild_of(bot, **two_in_voice())
    assert await bot.voice_tick(NOW) == 2
    again = await bot.voice_tick(NOW)  # same minute: same ids (the publisher dedups)
    ids = [e.event_id for e in published(bot)]
    assert again == 2 and ids[:2] == ids[2:]
    assert ids[0] == f"voice:{GUILD_ID}:{OWNER_ID}:{minute_of(NOW)}"
    roles = {e.user.id: e.user.roles for e in published(bot)}
    assert Role.BROADCASTER in roles[OWNER_ID]


# --- the boundary: only guilds a community owns ---


async def queued(redis: Any, settings: Settings) -> tuple[int, list[bytes]]:
    """Batch jobs waiting in this run's queue, and the publisher's dedup claims."""
    keys = Keys(settings.redis_prefix)
    seen = [k async for k in redis.scan_iter(match=f"{settings.redis_prefix}:seen:*")]
    return await redis.zcard(keys.queue), seen


async def test_the_owner_of_a_guild_no_community_owns_reaches_nothing(
    bot: KingpinBot, repo: MemoryRepo, redis: Any, settings: Settings,
    publisher: RedisPublisher, caplog: pytest.LogCaptureFixture,
) -> None:
    assert await communities.remove_channel("local", "discord", GUILD_ID)
    bot.boundary.directory.invalidate()
    bot.publisher = publisher  # the real one: events would be jobs in Redis
    caplog.set_level(logging.INFO)
    guild = guild_of(bot, **two_in_voice())
    # the owner (all permissions), with an activity channel and the mod role configured
    repo.configs[GUILD_ID] = dataclasses.replace(repo.configs[GUILD_ID], mod_role_id=MOD_ROLE)
    give = slash_interaction("givewealth", [
        user_option(), {"type": 4, "name": "amount", "value": 10**12}], with_resolved=True)
    give["member"]["user"]["id"] = OWNER_ID
    ix, recorder = interaction(bot, give)
    await bot.tree._call(ix)
    assert recorder.deferred is None  # answered at once, privately; nothing to wait for
    assert recorder.sent == [(NOT_OWNED, {"ephemeral": True})]
    await bot.on_message(message(bot, guild, content="!givewealth @bob 1000000"))
    await bot.on_message(message(bot, guild, id="334385199974967043", content="hi all"))
    assert await bot.voice_tick(NOW) == 0
    ix, recorder = interaction(bot, give)  # /kingpin config: no settings for nobody's guild
    await bot.config_prefix(ix, False)
    assert recorder.sent == [(NOT_OWNED, {"ephemeral": True})]

    await publisher.flush()
    assert await queued(redis, settings) == (0, [])
    assert repo.reads == 0  # not even its config was read
    stats = await redis.hgetall(Keys(settings.redis_prefix).stats)
    assert stats[STAT.encode()] == b"2"  # the slash command and the typed command
    lines = [r for r in caplog.records if "no community owns" in r.getMessage()]
    assert len(lines) == 1 and GUILD_ID in lines[0].getMessage()  # one line per guild a minute

    # the same guild given to a community is served (the Directory's TTL, here invalidated)
    await communities.adopt("discord", [(GUILD_ID, "")])
    bot.boundary.directory.invalidate()
    ix, recorder = interaction(bot, give)
    await bot.tree._call(ix)
    assert recorder.deferred == {"thinking": True} and recorder.sent == []
    await publisher.flush()
    jobs, seen = await queued(redis, settings)
    assert jobs == 1 and len(seen) == 1


async def test_direct_messages_are_no_game_events(
    bot: KingpinBot, redis: Any, settings: Settings, publisher: RedisPublisher
) -> None:
    bot.publisher = publisher
    data = copy.deepcopy(slash_interaction("play"))
    data.pop("guild_id")
    data["user"] = data.pop("member")["user"]
    data.update(application_id=APP_ID, attachment_size_limit=8_388_608, version=1,
                channel={"id": "645027906669510667", "type": 1})
    ix = discord.Interaction(data=data, state=bot._connection)  # type: ignore[arg-type]
    recorder = Recorder()
    ix._cs_response = recorder  # type: ignore[attr-defined]
    await bot.game_command(ix)
    assert recorder.sent == [(NOT_IN_DMS, {"ephemeral": True})]
    dm = load("message_object.docs.json")
    dm["content"] = "!play"
    channel = discord.DMChannel(me=bot.user, state=bot._connection,  # type: ignore[arg-type]
                                data={"id": dm["channel_id"], "type": 1,  # type: ignore[typeddict-item]
                                      "recipients": []})
    await bot.on_message(discord.Message(state=bot._connection, channel=channel, data=dm))  # type: ignore[arg-type]
    await publisher.flush()
    assert await queued(redis, settings) == (0, [])
    assert await redis.hget(Keys(settings.redis_prefix).stats, STAT) is None  # not guild events


def slash_by(user_id: str, *, roles: list[str], permissions: int) -> dict[str, Any]:
    payload = slash_interaction("endsession")
    payload["member"]["user"]["id"] = user_id
    payload["member"]["roles"] = roles
    payload["member"]["permissions"] = str(permissions)
    return payload


async def test_roles_come_only_from_the_owning_communitys_config(
    bot: KingpinBot, repo: MemoryRepo
) -> None:
    guild_of(bot)
    member, everything = "53908232506183680", 2147483647  # Administrator, Manage Server, ...

    async def roles_of(payload: dict[str, Any]) -> frozenset[Role]:
        bot.configs.invalidate(GUILD_ID)
        before = len(published(bot))
        ix, _ = interaction(bot, payload)
        await bot.tree._call(ix)
        [event] = published(bot)[before:]
        return event.user.roles

    # no mod role, no permission named: every permission there is makes nobody a moderator
    assert await roles_of(slash_by(member, roles=[MOD_ROLE], permissions=everything)) == set()
    assert await roles_of(slash_by(OWNER_ID, roles=[], permissions=0)) == {Role.BROADCASTER}
    repo.configs[GUILD_ID] = dataclasses.replace(repo.configs[GUILD_ID], mod_role_id=MOD_ROLE)
    assert await roles_of(slash_by(member, roles=[MOD_ROLE], permissions=0)) == {
        Role.MODERATOR}
    assert await roles_of(slash_by(member, roles=[], permissions=everything)) == set()
    repo.configs[GUILD_ID] = dataclasses.replace(repo.configs[GUILD_ID], mod_permissions=1 << 5)
    assert await roles_of(slash_by(member, roles=[], permissions=1 << 5)) == {Role.MODERATOR}
    # a config written by another community (the guild changed hands) counts for nothing
    repo.community_id = 2
    assert await roles_of(slash_by(member, roles=[MOD_ROLE], permissions=everything)) == set()
    assert await roles_of(slash_by(OWNER_ID, roles=[], permissions=0)) == {Role.BROADCASTER}
