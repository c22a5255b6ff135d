"""A small local server speaking the public Pusher Channels protocol (version 7).

Each connection: ``pusher:connection_established`` first, ``pusher_internal:
subscription_succeeded`` for every ``pusher:subscribe``, ``pusher:pong`` for every client
``pusher:ping`` (unless told to ignore them); ``pusher:unsubscribe`` is recorded (Pusher
sends no answer to it). What it does after the subscriptions is the
test's script for that connection (one coroutine per connection, in order).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed


@dataclass
class Conn:
    number: int
    ws: ServerConnection
    subscribed: list[str] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    pongs: int = 0
    pings: int = 0
    all_subscribed: asyncio.Event = field(default_factory=asyncio.Event)
    got_pong: asyncio.Event = field(default_factory=asyncio.Event)
    got_ping: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(self, event: str, data: Any, channel: str | None = None,
                   encode: bool = True) -> None:
        message: dict[str, Any] = {"event": event,
                                   "data": json.dumps(data) if encode else data}
        if channel is not None:
            message["channel"] = channel
        await self.ws.send(json.dumps(message))

    async def send_raw(self, text: str) -> None:
        await self.ws.send(text)

    def drop(self) -> None:
        """Abrupt loss of the connection (no close frame)."""
        self.ws.transport.abort()


Script = Callable[[Conn], Awaitable[None]]


@dataclass
class FakePusher:
    expected_channels: int
    scripts: list[Script] = field(default_factory=list)
    activity_timeout: float = 120
    answer_pings: bool = True
    connections: list[Conn] = field(default_factory=list)
    first_frame: dict[str, Any] | None = None  # instead of connection_established
    server: Server | None = None
    port: int = 0
    connected: asyncio.Event = field(default_factory=asyncio.Event)

    async def __aenter__(self) -> FakePusher:
        self.server = await serve(self._handler, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.server.wait_closed(), 3)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/app/32cbd69e4b950bf97679?protocol=7&client=js"

    async def _handler(self, ws: ServerConnection) -> None:
        conn = Conn(number=len(self.connections) + 1, ws=ws)
        self.connections.append(conn)
        self.connected.set()
        if self.first_frame is not None:
            await ws.send(json.dumps(self.first_frame))
        else:
            await conn.send("pusher:connection_established",
                            {"socket_id": f"{conn.number}.42",
                             "activity_timeout": self.activity_timeout})
        reader = asyncio.create_task(self._read(conn))
        script = self.scripts[conn.number - 1] if conn.number <= len(self.scripts) else None
        try:
            if script is not None:
                await asyncio.wait_for(conn.all_subscribed.wait(), 5)
                await script(conn)
            await reader
        except (ConnectionClosed, asyncio.CancelledError):
            pass
        finally:
            reader.cancel()

    async def _read(self, conn: Conn) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in conn.ws:
                message = json.loads(raw)
                conn.received.append(message)
                event = message.get("event")
                if event == "pusher:subscribe":
                    channel = message["data"]["channel"]
                    conn.subscribed.append(channel)
                    await conn.send("pusher_internal:subscription_succeeded", {}, channel)
                    if len(conn.subscribed) >= self.expected_channels:
                        conn.all_subscribed.set()
                elif event == "pusher:unsubscribe":
                    conn.unsubscribed.append(message["data"]["channel"])
                elif event == "pusher:ping":
                    conn.pings += 1
                    conn.got_ping.set()
                    if self.answer_pings:
                        await conn.send("pusher:pong", {})
                elif event == "pusher:pong":
                    conn.pongs += 1
                    conn.got_pong.set()
