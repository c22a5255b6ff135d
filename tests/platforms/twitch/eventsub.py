"""The EventSub WebSocket endpoint as Twitch runs it for conduit shards, over a real socket.

Every connection to ``/ws`` is a new session: welcome at once (``keepalive_timeout_seconds``),
then keepalives every ``keepalive_every`` seconds if set. The Helix stub assigns a shard
to a session only while it is connected (``session_alive``); ``deliver`` sends a
notification on the session of a shard of the conduit, as Twitch does. ``reconnect(session)``
sends ``session_reconnect`` with ``/reconnect/<session>``: a connection there resumes the
same session (welcome with the same id) and the shard moves with it; the client closes the
old one. A session whose connection closes is ``websocket_disconnected`` on its shards.

Also the listener helpers the Twitch tests share.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import websockets
from websockets.asyncio.server import ServerConnection

from game.events import Event
from kingpin.bus import Publisher
from kingpin.keys import Keys
from platforms.twitch.config import TwitchConfig
from platforms.twitch.listener import Listener

from .support import BOT, MemoryTokenStore, TwitchStub, envelope, load, payload, user_token


def welcome(session_id: str, keepalive: int = 10) -> str:
    return json.dumps({
        "metadata": {"message_id": str(uuid.uuid4()), "message_type": "session_welcome",
                     "message_timestamp": "2026-11-23T12:00:00.0Z"},
        "payload": {"session": {"id": session_id, "status": "connected",
                                "connected_at": "2026-11-23T12:00:00.0Z",
                                "keepalive_timeout_seconds": keepalive,
                                "reconnect_url": None, "recovery_url": None}},
    })


def keepalive() -> str:
    return json.dumps(load("eventsub_ws_session_keepalive.docs.json"))


def reconnect_message(url: str) -> str:
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


class EventSubServer:
    def __init__(self, stub: TwitchStub, keepalive: int = 10,
                 keepalive_every: float | None = None) -> None:
        self.stub = stub
        self.keepalive = keepalive
        self.keepalive_every = keepalive_every
        self.sessions: dict[str, ServerConnection] = {}  # live session -> its connection
        self.history: list[tuple[str, str]] = []  # (path, session) of every connection
        self.closed_by_client: list[str] = []  # sessions whose connection the client closed
        self.port = 0
        self._count = 0
        self._server: Any = None
        stub.session_alive = lambda session: session in self.sessions

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
        if path.startswith("/reconnect/"):
            session = path.rsplit("/", 1)[1]
        else:
            self._count += 1
            session = f"sess-{self._count}"
        self.history.append((path, session))
        pinger: asyncio.Task[None] | None = None
        try:
            await ws.send(welcome(session, self.keepalive))
            self.sessions[session] = ws
            if self.keepalive_every:
                pinger = asyncio.create_task(self._keepalives(ws))
            await ws.wait_closed()
        except websockets.ConnectionClosed:
            pass
        finally:
            if pinger is not None:
                pinger.cancel()
            if self.sessions.get(session) is ws:
                del self.sessions[session]
                self.stub.disconnected(session)
        if ws.protocol.close_rcvd_then_sent:  # the client closed it
            self.closed_by_client.append(session)

    async def _keepalives(self, ws: ServerConnection) -> None:
        assert self.keepalive_every
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                await asyncio.sleep(self.keepalive_every)
                await ws.send(keepalive())

    def conduit(self) -> str:
        assert len(self.stub.conduits) == 1, self.stub.conduits
        return next(iter(self.stub.conduits))

    def shard_session(self, shard: str = "0") -> str:
        row = self.stub.shards[self.conduit()].get(shard)
        assert row is not None and row["status"] == "enabled", (shard, row)
        return str(row["transport"]["session_id"])

    def shards_ready(self, count: int | None = None) -> bool:
        if len(self.stub.conduits) != 1:
            return False
        rows = self.stub.shards[self.conduit()]
        want = count if count is not None else self.stub.conduits[self.conduit()]["shard_count"]
        live = [r for r in rows.values() if r["status"] == "enabled"
                and r["transport"]["session_id"] in self.sessions]
        return len(live) >= want

    async def send(self, session: str, text: str) -> None:
        await self.sessions[session].send(text)

    async def deliver(self, body: dict[str, Any], message_id: str, shard: str = "0") -> str:
        """A notification on the session the conduit's shard points at (the session id)."""
        session = self.shard_session(shard)
        await self.send(session, note(body, message_id))
        return session

    async def reconnect(self, session: str) -> None:
        await self.send(session, reconnect_message(self.url(f"/reconnect/{session}")))

    async def drop(self, session: str, code: int = 4000) -> None:
        """Twitch closing a connection (4000: internal server error)."""
        await self.sessions[session].close(code=code, reason="internal server error")


def config(stub: TwitchStub, ws_url: str, **extra: Any) -> TwitchConfig:
    values: dict[str, Any] = dict(
        client_id="cid", client_secret="csecret", bot_user_id=BOT, broadcaster_ids=[BOT],
        eventsub_ws_url=ws_url, helix_url=stub.helix_url, oauth_url=stub.oauth_url,
    )
    values.update(extra)
    return TwitchConfig(_env_file=None, **values)


async def start_listener(cfg: TwitchConfig, stub: TwitchStub, redis: Any, keys: Keys,
                         publish: Callable[[Event], Awaitable[None]],
                         store: MemoryTokenStore | None = None
                         ) -> tuple[Listener, asyncio.Event, asyncio.Task[bool]]:
    store = store or MemoryTokenStore(user_token(BOT))
    stub.own(*store.tokens.values())
    listener = Listener(cfg, store, publish, redis, keys, storage_uri=None)
    await listener.build()
    stop = asyncio.Event()
    task = asyncio.create_task(listener.run(stop))
    return listener, stop, task


async def shutdown(stop: asyncio.Event, task: asyncio.Task[bool]) -> None:
    stop.set()
    await asyncio.wait_for(task, 15)


def publishing(redis: Any, keys: Keys) -> tuple[Publisher, list[Event],
                                               Callable[[Event], Awaitable[None]]]:
    """The real publisher (Redis under the test prefix), and the events handed to it."""
    publisher = Publisher(redis, keys, max_wait_ms=2)
    events: list[Event] = []

    async def publish(event: Event) -> None:
        events.append(event)
        await publisher.publish(event)

    return publisher, events, publish


@contextlib.asynccontextmanager
async def serving(stub: TwitchStub, redis: Any, keys: Keys,
                  publish: Callable[[Event], Awaitable[None]], **extra: Any
                  ) -> AsyncIterator[tuple[EventSubServer, Listener]]:
    """The EventSub server, and a listener running against it until the block ends."""
    async with EventSubServer(stub) as server:
        listener, stop, task = await start_listener(config(stub, server.url(), **extra), stub,
                                                    redis, keys, publish)
        try:
            yield server, listener
        finally:
            await shutdown(stop, task)
