"""EventSub WebSocket against a local server speaking the public protocol, Helix stubbed."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import websockets
from websockets.asyncio.server import ServerConnection

from game.events import ChatMessage, Cheer, Event, StreamOnline, Subscription
from kingpin.bus import Publisher
from kingpin.keys import Keys
from kingpin.settings import Settings
from platforms.twitch.auth import OAuthClient, TokenManager
from platforms.twitch.config import TwitchConfig
from platforms.twitch.listener import Listener

from .support import (
    BOT,
    MemoryTokenStore,
    TwitchStub,
    chat_payload,
    envelope,
    load,
    payload,
    user_token,
    wait_for,
)

Script = Callable[[ServerConnection, "EventSubServer"], Awaitable[None]]


class EventSubServer:
    """websockets.serve with one script per path; records every connection."""

    def __init__(self, scripts: dict[str, Script]) -> None:
        self.scripts = scripts
        self.connections: list[tuple[str, ServerConnection]] = []
        self.closed_by_client: list[str] = []
        self.port = 0
        self._server: Any = None

    async def __aenter__(self) -> EventSubServer:
        self._server = await websockets.serve(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()
        await self._server.wait_closed()

    def url(self, path: str = "/ws") -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    async def _handle(self, ws: ServerConnection) -> None:
        path = ws.request.path.split("?")[0]
        self.connections.append((path, ws))
        try:
            await self.scripts[path](ws, self)
            await ws.wait_closed()
        except websockets.ConnectionClosed:
            pass
        if ws.protocol.close_rcvd_then_sent:  # the adapter closed it
            self.closed_by_client.append(path)


def welcome(session_id: str, keepalive: int = 10) -> str:
    return json.dumps({
        "metadata": {"message_id": str(uuid.uuid4()), "message_type": "session_welcome",
                     "message_timestamp": "2026-11-23T12:00:00.0Z"},
        "payload": {"session": {"id": session_id, "status": "connected",
                                "connected_at": "2026-11-23T12:00:00.0Z",
                                "keepalive_timeout_seconds": keepalive,
                                "reconnect_url": None}},
    })


def keepalive() -> str:
    return json.dumps(load("eventsub_ws_session_keepalive.docs.json"))


def reconnect(url: str) -> str:
    message = load("eventsub_ws_session_reconnect.docs.json")
    message["payload"]["session"]["reconnect_url"] = url
    return json.dumps(message)


def note(body: dict[str, Any], message_id: str) -> str:
    return json.dumps(envelope(body, message_id))


def for_channel(kind: str, channel: str) -> dict[str, Any]:
    body = payload(kind)
    for key in ("broadcaster_user_id", "to_broadcaster_user_id"):
        if key in body["event"]:
            body["event"][key] = channel
    return body


def config(stub: TwitchStub, ws_url: str, **extra: Any) -> TwitchConfig:
    values: dict[str, Any] = dict(
        client_id="cid", client_secret="csecret", bot_user_id=BOT, broadcaster_ids=[BOT],
        eventsub_ws_url=ws_url, helix_url=stub.helix_url, oauth_url=stub.oauth_url,
        reconnect_min_s=0.05, reconnect_max_s=0.2, keepalive_margin_s=0.3,
    )
    values.update(extra)
    return TwitchConfig(_env_file=None, **values)


async def start_listener(cfg: TwitchConfig, stub: TwitchStub, redis: Any, keys: Keys,
                         publish: Callable[[Event], Awaitable[None]],
                         store: MemoryTokenStore | None = None
                         ) -> tuple[Listener, asyncio.Event, asyncio.Task[None],
                                    aiohttp.ClientSession]:
    store = store or MemoryTokenStore(user_token(BOT))
    stub.valid_tokens |= {t.access_token for t in store.tokens.values()}
    session = aiohttp.ClientSession()
    tokens = TokenManager(store, OAuthClient(session, cfg.oauth_url, "cid", "csecret"))
    listener = Listener(cfg, session, tokens, publish, redis, keys, storage_uri=None)
    await listener.build()
    stop = asyncio.Event()
    task = asyncio.create_task(listener.run(stop))
    return listener, stop, task, session


async def shutdown(stop: asyncio.Event, task: asyncio.Task[None],
                   session: aiohttp.ClientSession) -> None:
    stop.set()
    await asyncio.wait_for(task, 10)
    await session.close()


async def test_welcome_notifications_duplicates_and_session_reconnect(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    publisher = Publisher(redis, keys, max_wait_ms=2)
    events: list[Event] = []

    async def publish(event: Event) -> None:
        events.append(event)
        await publisher.publish(event)

    chat = chat_payload(channel=BOT, text="!rob bob", message_id="chat-1")
    specs_per_session = 9  # chat + 8 channel types, the bot being the broadcaster
    handed_over = asyncio.Event()

    async def first(ws: ServerConnection, server: EventSubServer) -> None:
        await ws.send(welcome("session-1"))
        await wait_for(lambda: len(stub.subscriptions) == specs_per_session)
        await ws.send(keepalive())
        await ws.send(note(chat, "m-chat"))
        await ws.send(note(chat, "m-chat"))  # redelivered: same metadata.message_id
        await ws.send(note(for_channel("channel.cheer", BOT), "m-cheer"))
        await ws.send(reconnect(server.url("/reconnect")))
        # the old connection keeps delivering until the new one is welcomed
        await ws.send(note(for_channel("stream.online", BOT), "m-online"))
        handed_over.set()

    async def second(ws: ServerConnection, server: EventSubServer) -> None:
        await handed_over.wait()
        await asyncio.sleep(0.1)
        await ws.send(welcome("session-1"))
        await ws.send(note(for_channel("channel.cheer", BOT), "m-cheer"))  # duplicate again
        await ws.send(note(for_channel("channel.subscribe", BOT), "m-sub"))
        await ws.send(keepalive())

    async with EventSubServer({"/ws": first, "/reconnect": second}) as server:
        cfg = config(stub, server.url())
        listener, stop, task, session = await start_listener(cfg, stub, redis, keys, publish)
        try:
            await wait_for(lambda: len(events) == 4)
            await wait_for(lambda: server.closed_by_client == ["/ws"])
            await asyncio.sleep(0.2)  # nothing more arrives
        finally:
            await shutdown(stop, task, session)

    assert [type(e) for e in events] == [ChatMessage, Cheer, StreamOnline, Subscription]
    assert [e.event_id for e in events] == ["chat-1", "m-cheer", "m-online", "m-sub"]
    assert events[0].text == "!rob bob" and events[0].channel == BOT
    # subscriptions: once, for the first session only, with the bot's token
    assert len(stub.subscriptions) == specs_per_session
    assert {s["transport"]["session_id"] for s in stub.subscriptions} == {"session-1"}
    assert {s["transport"]["method"] for s in stub.subscriptions} == {"websocket"}
    assert set(stub.sub_tokens) == {f"access-{BOT}"}
    types = sorted(s["type"] for s in stub.subscriptions)
    assert types == sorted([
        "channel.chat.message", "channel.subscribe", "channel.subscription.gift",
        "channel.subscription.message", "channel.cheer",
        "channel.channel_points_custom_reward_redemption.add", "channel.raid",
        "stream.online", "stream.offline"])
    chat_sub = next(s for s in stub.subscriptions if s["type"] == "channel.chat.message")
    assert chat_sub["condition"] == {"broadcaster_user_id": BOT, "user_id": BOT}
    raid_sub = next(s for s in stub.subscriptions if s["type"] == "channel.raid")
    assert raid_sub["condition"] == {"to_broadcaster_user_id": BOT}
    socket = listener.sockets[BOT]
    assert socket.stats.reconnects == 1 and socket.stats.duplicates == 2
    assert [path for path, _ in server.connections] == ["/ws", "/reconnect"]
    # and the real publisher took them (deduped again in Redis)
    await publisher.close()
    assert publisher.stats.published == 4 and publisher.job_ids


async def test_keepalive_timeout_reconnects_and_subscribes_again(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    sessions = iter(f"session-{i}" for i in range(1, 100))

    async def silent(ws: ServerConnection, server: EventSubServer) -> None:
        await ws.send(welcome(next(sessions), keepalive=1))  # then nothing at all

    events: list[Event] = []

    async def publish(event: Event) -> None:
        events.append(event)

    async with EventSubServer({"/ws": silent}) as server:
        cfg = config(stub, server.url(), broadcaster_ids=["1337"])  # no broadcaster token
        listener, stop, task, session = await start_listener(
            cfg, stub, redis, Keys(settings.redis_prefix), publish)
        try:
            await wait_for(lambda: len(server.connections) >= 2, timeout=6)
            await wait_for(lambda: len(stub.subscriptions) >= 8, timeout=3)
        finally:
            await shutdown(stop, task, session)

    socket = listener.sockets[BOT]
    assert socket.stats.keepalive_timeouts >= 1
    assert server.closed_by_client[:1] == ["/ws"]  # the adapter dropped the silent one
    by_session: dict[str, list[str]] = {}
    for sub in stub.subscriptions:
        by_session.setdefault(sub["transport"]["session_id"], []).append(sub["type"])
    # without the broadcaster's token: chat + the three unscoped types, per fresh session
    assert by_session["session-1"] == by_session["session-2"] == [
        "channel.chat.message", "channel.raid", "stream.online", "stream.offline"]


async def test_a_dropped_connection_reconnects_with_backoff_and_revocations_are_dropped(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    count = 0

    async def flaky(ws: ServerConnection, server: EventSubServer) -> None:
        nonlocal count
        count += 1
        await ws.send(welcome(f"s{count}"))
        if count == 1:
            await ws.send("this is not json")
            await ws.send(json.dumps(load("eventsub_ws_revocation.docs.json")))
            bad = for_channel("channel.cheer", BOT)
            del bad["event"]["bits"]
            await ws.send(note(bad, "m-bad"))  # logged and skipped, the socket lives on
            await ws.send(note(for_channel("channel.raid", BOT), "m-raid"))
            await asyncio.sleep(0.1)
            await ws.close(code=4000, reason="internal server error")
            return
        await ws.send(note(for_channel("channel.raid", BOT), "m-raid"))  # redelivered
        await ws.send(note(for_channel("stream.offline", BOT), "m-off"))

    events: list[Event] = []

    async def publish(event: Event) -> None:
        events.append(event)

    async with EventSubServer({"/ws": flaky}) as server:
        cfg = config(stub, server.url())
        listener, stop, task, session = await start_listener(
            cfg, stub, redis, Keys(settings.redis_prefix), publish)
        try:
            await wait_for(lambda: len(events) == 2)
            await asyncio.sleep(0.2)
        finally:
            await shutdown(stop, task, session)

    assert [e.event_id for e in events] == ["m-raid", "m-off"]
    socket = listener.sockets[BOT]
    assert socket.stats.revocations == 1 and socket.stats.drops >= 1
    assert len(server.connections) == 2
    assert {s["transport"]["session_id"] for s in stub.subscriptions} == {"s1", "s2"}


async def test_broadcaster_token_gets_its_own_connection(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    seen: list[str] = []

    async def hello(ws: ServerConnection, server: EventSubServer) -> None:
        seen.append("x")
        await ws.send(welcome(f"sess-{len(seen)}"))

    async def publish(event: Event) -> None:
        pass

    store = MemoryTokenStore(user_token(BOT), user_token("1337"))
    async with EventSubServer({"/ws": hello}) as server:
        cfg = config(stub, server.url(), broadcaster_ids=["1337"])
        _, stop, task, session = await start_listener(
            cfg, stub, redis, Keys(settings.redis_prefix), publish, store)
        try:
            await wait_for(lambda: len(stub.subscriptions) == 9)
        finally:
            await shutdown(stop, task, session)
    by_token: dict[str, set[str]] = {}
    for sub, token in zip(stub.subscriptions, stub.sub_tokens, strict=True):
        by_token.setdefault(token, set()).add(sub["type"])
    # one user per WebSocket session: the two owners never share a session id
    sessions_by_token: dict[str, set[str]] = {}
    for sub, token in zip(stub.subscriptions, stub.sub_tokens, strict=True):
        sessions_by_token.setdefault(token, set()).add(sub["transport"]["session_id"])
    assert by_token[f"access-{BOT}"] == {"channel.chat.message"}
    assert "channel.subscribe" in by_token["access-1337"]
    assert len(by_token["access-1337"]) == 8
    assert sessions_by_token[f"access-{BOT}"].isdisjoint(sessions_by_token["access-1337"])


def test_the_in_process_dedup_is_a_bounded_lru() -> None:
    from platforms.twitch.dedup import RecentIds

    ids = RecentIds(3)
    assert [ids.seen(x) for x in "abc"] == [False, False, False]
    assert ids.seen("a") is True  # refreshes a
    assert ids.seen("d") is False  # evicts b, the least recently seen
    assert len(ids) == 3 and "b" not in ids and "a" in ids
    assert ids.seen("b") is False
