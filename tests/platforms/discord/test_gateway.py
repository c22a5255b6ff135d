"""The whole listener against a local stand-in for Discord, over real sockets.

A small aiohttp server speaks the public protocol discord.py uses: REST (login, application
info, command sync, interaction callbacks, webhooks, channel messages) and the gateway
WebSocket (HELLO -> IDENTIFY -> READY -> GUILD_CREATE, then dispatches). Recorded payloads are
dispatched through it; the bot publishes, defers, stores the token in Redis, and answers
through the outbox with a follow-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from aiohttp import web

from game.events import Platform
from game.replies import Reply
from jobs.context import AppContext
from kingpin import communities
from kingpin.bus import Publisher as RedisPublisher
from kingpin.communities import Directory
from kingpin.keys import Keys
from kingpin.outbox import LIMITS, OutboxSender, push_replies
from kingpin.settings import Settings
from platforms.discord.bot import KingpinBot, build_intents
from platforms.discord.boundary import NOT_OWNED, Boundary
from platforms.discord.model import GuildConfig
from platforms.discord.replies import DiscordRest, DiscordSender, InteractionStore
from platforms.discord.repository import ConfigCache
from tests.platforms.discord.support import dispatch, load, member_payload
from tests.platforms.discord.test_bot import MemoryRepo, Publisher

# ids of the real slash-command capture: its guild, channel and application
GUILD = "1011977515109187704"
CHANNEL = "1011977515109187707"
APP = "1223724819821105283"
OWNER = "395786107780071424"  # the capture's invoking user owns the stub guild
TOKEN = "stub-bot-token"


def jr(data: Any) -> web.Response:
    """JSON the way Discord sends it: discord.py parses only an exact application/json."""
    return web.Response(body=json.dumps(data).encode(),
                        headers={"Content-Type": "application/json"})


@dataclass
class StubDiscord:
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    identify: dict[str, Any] | None = None
    outgoing: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    base: str = ""
    seq: int = 0

    def app(self) -> web.Application:
        app = web.Application()
        r = app.router
        r.add_get("/api/v10/users/@me", self.me)
        r.add_get("/api/v10/oauth2/applications/@me", self.application)
        r.add_get("/api/v10/gateway/bot", self.gateway_bot)
        r.add_put("/api/v10/applications/{app}/guilds/{guild}/commands", self.sync)
        r.add_put("/api/v10/applications/{app}/commands", self.sync)
        r.add_post("/api/v10/interactions/{id}/{token}/callback", self.callback)
        r.add_patch("/api/v10/webhooks/{app}/{token}/messages/@original", self.webhook)
        r.add_post("/api/v10/webhooks/{app}/{token}", self.webhook)
        r.add_post("/api/v10/channels/{channel}/messages", self.webhook)
        r.add_get("/gateway", self.ws)
        return app

    async def _record(self, request: web.Request) -> Any:
        body = await request.json() if request.can_read_body else None
        self.requests.append((request.method, request.path, body))
        return body

    def bot_user(self) -> dict[str, Any]:
        return {"id": APP, "username": "Kingpin", "discriminator": "0", "avatar": None,
                "bot": True, "verified": True, "mfa_enabled": False, "flags": 0,
                "global_name": None}

    async def me(self, request: web.Request) -> web.Response:
        await self._record(request)
        return jr(self.bot_user())

    async def application(self, request: web.Request) -> web.Response:
        await self._record(request)
        return jr({
            "id": APP, "name": "Kingpin", "description": "", "icon": None, "bot_public": True,
            "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": 0,
            "owner": {"id": OWNER, "username": "owner", "discriminator": "0", "avatar": None},
        })

    async def gateway_bot(self, request: web.Request) -> web.Response:
        await self._record(request)
        return jr({
            "url": self.base.replace("http", "ws") + "/gateway", "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0,
                                    "max_concurrency": 1},
        })

    async def sync(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        return jr([
            {**cmd, "id": str(1_300_000_000_000_000_000 + i), "application_id": APP,
             "version": "1", "guild_id": request.match_info.get("guild")}
            for i, cmd in enumerate(body)
        ])

    async def callback(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        return jr({"interaction": {
            "id": request.match_info["id"], "type": 2,
            "response_message_loading": body["type"] == 5}})

    async def webhook(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        return jr({"id": "1", "content": (body or {}).get("content")})

    async def ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45_000}})
        reader = asyncio.create_task(self._read(ws))
        try:
            while not ws.closed:
                try:
                    frame = await asyncio.wait_for(self.outgoing.get(), 0.1)
                except TimeoutError:
                    continue
                await ws.send_json(frame)
        finally:
            reader.cancel()
        return ws

    async def _read(self, ws: web.WebSocketResponse) -> None:
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                continue
            frame = msg.json()
            if frame["op"] == 1:
                await ws.send_json({"op": 11})
            elif frame["op"] == 2:
                self.identify = frame["d"]
                self.send("READY", {
                    "v": 10, "user": self.bot_user(), "session_id": "stub-session",
                    "resume_gateway_url": self.base.replace("http", "ws") + "/gateway",
                    "guilds": [{"id": GUILD, "unavailable": True}],
                    "application": {"id": APP, "flags": 0}, "shard": [0, 1],
                })
                self.send("GUILD_CREATE", guild_create())

    def send(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        self.outgoing.put_nowait({"op": 0, "t": event, "s": self.seq, "d": data})

    def paths(self, method: str) -> list[str]:
        return [p for m, p, _ in self.requests if m == method]


def guild_create() -> dict[str, Any]:
    everyone = {"id": GUILD, "name": "@everyone", "permissions": "104324673", "position": 0,
                "color": 0, "hoist": False, "managed": False, "mentionable": False}
    return {
        "id": GUILD, "name": "stub guild", "owner_id": OWNER, "unavailable": False,
        "member_count": 1, "large": False, "roles": [everyone], "emojis": [], "stickers": [],
        "features": [], "threads": [], "stage_instances": [], "guild_scheduled_events": [],
        "channels": [{"id": CHANNEL, "type": 0, "name": "general", "position": 0,
                      "permission_overwrites": []}],
        "voice_states": [], "members": [], "presences": [],
    }


@pytest.fixture
async def stub(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[StubDiscord]:
    server = StubDiscord()
    runner = web.AppRunner(server.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    server.base = f"http://{host}:{port}"
    monkeypatch.setattr(discord.http.Route, "BASE", f"{server.base}/api/v10")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(f"{server.base.replace('http', 'ws')}/gateway"))
    yield server
    await runner.cleanup()


async def eventually(check: Any, limit_s: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit_s
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the listener")
        await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def running_bot(stub: StubDiscord, redis: Any, settings: Settings, redis_url: str,
                      publisher: Any, **options: Any) -> AsyncIterator[KingpinBot]:
    """The bot started against the stub (real Redis and database), closed at the end."""
    keys = Keys(settings.redis_prefix)
    repo = MemoryRepo()
    repo.configs[GUILD] = GuildConfig(guild_id=GUILD, text_channels=frozenset({CHANNEL}))
    async with aiohttp.ClientSession() as session:
        store = InteractionStore(redis, keys.prefix)
        sender = DiscordSender(DiscordRest(session, api_base=f"{stub.base}/api/v10",
                                           bot_token=TOKEN), store)
        outbox = OutboxSender(redis=redis, keys=keys, platform="discord", send=sender.send,
                              send_private=sender.send_private, limits=LIMITS["discord"],
                              storage_uri=f"async+{redis_url}")
        options.setdefault("boundary", Boundary(Directory(), redis, keys))
        bot = KingpinBot(publisher=publisher, configs=ConfigCache(repo),  # type: ignore[arg-type]
                         store=store, sender=sender, outbox=outbox, **options)
        task = asyncio.create_task(bot.start(TOKEN))
        try:
            await eventually(bot.is_ready)
            yield bot
        finally:
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 10)


def puts(stub: StubDiscord, guild: str | None = None) -> list[list[dict[str, Any]]]:
    """The bulk command overwrites sent: to the guild, or (None) the global ones."""
    path = (f"/api/v10/applications/{APP}/guilds/{guild}/commands" if guild
            else f"/api/v10/applications/{APP}/commands")
    return [b for m, p, b in stub.requests if m == "PUT" and p == path]


async def test_listener_end_to_end_over_the_gateway(
    stub: StubDiscord, app: AppContext, redis: Any, settings: Settings, redis_url: str
) -> None:
    keys = Keys(settings.redis_prefix)
    publisher = Publisher()
    assert await Directory().owner("discord", GUILD) is None
    async with running_bot(stub, redis, settings, redis_url, publisher,
                           env_guild_ids=[int(GUILD)], voice_activity=True) as bot:
        # the env guild joined the default community at start
        owner = await Directory().owner("discord", GUILD)
        assert owner is not None and (owner.slug, owner.role) == ("local", "chat")
        # IDENTIFY asked for the intents we document
        assert stub.identify is not None
        assert stub.identify["intents"] == build_intents().value
        assert build_intents().message_content and build_intents().voice_states
        assert not build_intents().members and not build_intents().presences
        # no global commands (a guild nobody owns sees none); the tree was synced to the
        # guild, every command included
        assert puts(stub) == [[]]
        [synced] = puts(stub, GUILD)
        names = {c["name"] for c in synced}
        assert {"play", "rob", "lb", "givewealth", "link", "unlink", "kingpin"} <= names

        # a chat message in the activity channel
        message = load("message_object.docs.json")
        message.update(guild_id=GUILD, channel_id=CHANNEL, member=member_payload(
            {"roles": [], "joined_at": "2017-03-13T19:19:14.040000+00:00"}))
        stub.send("MESSAGE_CREATE", message)
        # a slash command: the real capture, as our /play
        interaction = dispatch(
            "gateway_INTERACTION_CREATE.slash_command_no_options.real_capture.json")
        interaction["data"]["name"] = "play"
        interaction.setdefault("attachment_size_limit", 8_388_608)
        stub.send("INTERACTION_CREATE", copy.deepcopy(interaction))
        await eventually(lambda: len(publisher.events) == 2)
        chat, play = publisher.events
        assert (chat.text, chat.channel, chat.event_id) == ("Supa Hot", CHANNEL,
                                                           "334385199974967042")
        assert (play.text, play.event_id) == ("!play", interaction["id"])
        assert play.user.name == "wrathful_vengeance_god_unleashed"
        assert "broadcaster" in play.user.roles  # the stub guild's owner

        # deferred within the deadline, with "thinking"
        [(path, body)] = [(p, b) for m, p, b in stub.requests if "/callback" in p]
        assert path == f"/api/v10/interactions/{interaction['id']}/{interaction['token']}" \
            "/callback"
        assert body["type"] == 5
        # the worker's answer comes back through the outbox as the interaction's response
        await push_replies(redis, keys, [Reply(
            platform=Platform.DISCORD, channel=CHANNEL, reply_to=interaction["id"],
            text="@wrathful_vengeance_god_unleashed you pulled a job: +$120")], 10_000)
        webhook = f"/api/v10/webhooks/{APP}/{interaction['token']}/messages/@original"
        await eventually(lambda: webhook in stub.paths("PATCH"))

        # /link: deferred ephemerally by discord.py (flags 64 on the callback), and the
        # private code edits that ephemeral original, never the channel
        link = copy.deepcopy(interaction)
        link.update(id=str(int(interaction["id"]) + 1), token="LINK_TOKEN")
        link["data"]["name"] = "link"
        stub.send("INTERACTION_CREATE", link)
        await eventually(lambda: len(publisher.events) == 3)
        assert publisher.events[2].text == "!link"
        callback = f"/api/v10/interactions/{link['id']}/LINK_TOKEN/callback"
        [body] = [b for m, p, b in stub.requests if p == callback]
        assert body["type"] == 5 and body["data"]["flags"] == 64
        await push_replies(redis, keys, [Reply(
            platform=Platform.DISCORD, channel=CHANNEL, reply_to=link["id"], private=True,
            text="@wrathful_vengeance_god_unleashed your link code is ABCD2345")], 10_000)
        original = f"/api/v10/webhooks/{APP}/LINK_TOKEN/messages/@original"
        await eventually(lambda: original in stub.paths("PATCH"))
        assert not any("ABCD2345" in json.dumps(b) for m, p, b in stub.requests
                       if "/channels/" in p)
        assert bot.is_ready()


def slash(number: int) -> dict[str, Any]:
    """The real slash capture as our /play, with its own id and token."""
    interaction = dispatch("gateway_INTERACTION_CREATE.slash_command_no_options.real_capture.json")
    interaction["data"]["name"] = "play"
    interaction.setdefault("attachment_size_limit", 8_388_608)
    interaction.update(id=str(int(interaction["id"]) + number), token=f"TOKEN{number}")
    return interaction


async def test_a_guild_added_at_runtime_is_served_and_a_removed_one_stops(
    stub: StubDiscord, app: AppContext, redis: Any, settings: Settings, redis_url: str,
    publisher: RedisPublisher,
) -> None:
    keys = Keys(settings.redis_prefix)
    ttl = 0.3
    boundary = Boundary(Directory(ttl_s=ttl), redis, keys)

    async def answered(number: int) -> dict[str, Any]:
        stub.send("INTERACTION_CREATE", slash(number))
        path = f"/api/v10/interactions/{slash(number)['id']}/TOKEN{number}/callback"
        await eventually(lambda: path in stub.paths("POST"))
        [body] = [b for m, p, b in stub.requests if p == path]
        return body  # type: ignore[no-any-return]

    async def jobs() -> int:
        await publisher.flush()
        return int(await redis.zcard(keys.queue))

    async def within(check: Callable[[], bool], limit_s: float) -> float:
        started = asyncio.get_running_loop().time()
        await eventually(check, limit_s)
        return asyncio.get_running_loop().time() - started

    async with running_bot(stub, redis, settings, redis_url, publisher, boundary=boundary,
                           sync_interval_s=0.1, voice_activity=False):
        # nobody owns the guild: the commands go nowhere, a stale one is answered privately
        assert puts(stub) == [[]] and puts(stub, GUILD) == []
        body = await answered(1)
        assert body["type"] == 4 and body["data"]["content"] == NOT_OWNED
        assert body["data"]["flags"] == 64
        assert await jobs() == 0

        # a community takes the guild (the CLI, in another process): served within the
        # Directory's TTL, and the guild gets the commands, without a restart
        await communities.add_channel("local", "discord", GUILD)
        took = await within(lambda: len(puts(stub, GUILD)) == 1, 5)
        assert took < ttl + 1.0
        assert "play" in {c["name"] for c in puts(stub, GUILD)[0]}
        assert (await answered(2))["type"] == 5  # deferred: published
        await eventually(lambda: bool(publisher.job_ids))
        assert await jobs() == 1

        # taken away again: not answered any more, and the commands are removed
        assert await communities.remove_channel("local", "discord", GUILD)
        took = await within(lambda: len(puts(stub, GUILD)) == 2, 5)
        assert took < ttl + 1.0 and puts(stub, GUILD)[1] == []
        assert (await answered(3))["data"]["content"] == NOT_OWNED
        assert await jobs() == 1
