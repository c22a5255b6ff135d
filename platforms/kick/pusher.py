"""A small Pusher Channels client (protocol 7) for Kick's public chat socket.

Protocol (https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol):
the server opens with ``pusher:connection_established`` (``socket_id``, ``activity_timeout``
in seconds); we ``pusher:subscribe`` to each public channel (``auth`` empty) and get
``pusher_internal:subscription_succeeded``; either side sends ``pusher:ping`` after
``activity_timeout`` seconds of silence and the other answers ``pusher:pong``; no answer
within the pong timeout means the connection is dead. ``pusher:error`` codes (and WebSocket
close codes) 4000-4099 mean "do not reconnect with the same parameters", 4100-4199
"reconnect after backing off", 4200-4299 "reconnect immediately", 4300-4399 other errors.

Pusher does not replay what was sent while we were away; after any drop we reconnect with
jittered exponential backoff and subscribe again. ``set_channels`` changes the list while
connected: ``pusher:subscribe`` for the new names, ``pusher:unsubscribe`` for the gone ones.
Every frame received is handed to ``on_frame`` exactly once, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from platforms.kick.pusher_events import Frame, decode_frame

log = logging.getLogger("platforms.kick.pusher")

DEFAULT_ACTIVITY_TIMEOUT_S = 120.0


class PusherFatal(RuntimeError):
    """4000-4099: reconnecting with the same parameters cannot work (wrong key, app gone)."""


class _Reconnect(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, reason: str, *, immediately: bool = False) -> None:
        super().__init__(reason)
        self.immediately = immediately


def classify(code: int | None) -> str:
    """What the Pusher protocol says to do after error/close ``code``."""
    if code is None:
        return "backoff"
    if 4000 <= code <= 4099:
        return "fatal"
    if 4100 <= code <= 4199:
        return "backoff"
    if 4200 <= code <= 4299:
        return "immediate"
    if 4300 <= code <= 4399:
        return "continue"
    return "backoff"


@dataclass
class Backoff:
    minimum: float = 1.0
    maximum: float = 60.0
    attempt: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def next(self) -> float:
        delay = min(self.maximum, self.minimum * (2 ** self.attempt))
        self.attempt = min(self.attempt + 1, 30)
        return delay * (0.5 + self.rng.random() / 2)  # "equal jitter"

    def reset(self) -> None:
        self.attempt = 0


@dataclass
class PusherStats:
    connections: int = 0
    frames: int = 0
    pings_sent: int = 0
    pongs_sent: int = 0
    subscribed: set[str] = field(default_factory=set)


OnFrame = Callable[[Frame], Awaitable[None]]


@dataclass
class PusherClient:
    url: str
    channels: list[str]
    on_frame: OnFrame
    activity_timeout_s: float | None = None  # None: use the server's
    pong_timeout_s: float = 30.0
    connect_timeout_s: float = 15.0
    backoff: Backoff = field(default_factory=Backoff)
    stats: PusherStats = field(default_factory=PusherStats)
    on_connected: Callable[[], None] | None = None
    _ws: ClientConnection | None = field(default=None, init=False, repr=False)
    _sent: dict[str, None] = field(default_factory=dict, init=False, repr=False)
    _sync_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    async def set_channels(self, channels: list[str]) -> None:
        """Serve exactly ``channels`` from now on. On an open connection the difference is
        sent at once; a connection being made (or made again) subscribes the whole list."""
        self.channels = list(channels)
        if self._ws is not None:
            with contextlib.suppress(ConnectionClosed):  # the reconnect subscribes them all
                await self._sync(self._ws)

    async def _sync(self, ws: ClientConnection) -> None:
        """Subscribe what is wanted and not yet asked for on ``ws``, unsubscribe the rest."""
        async with self._sync_lock:
            wanted = dict.fromkeys(self.channels)
            for name in [n for n in self._sent if n not in wanted]:
                await self._send(ws, "pusher:unsubscribe", {"channel": name})
                del self._sent[name]
                self.stats.subscribed.discard(name)
            for name in wanted:
                if name not in self._sent:
                    await self._send(ws, "pusher:subscribe", {"auth": "", "channel": name})
                    self._sent[name] = None

    async def run(self, stop: asyncio.Event) -> None:
        """Stay connected until ``stop`` is set; raises PusherFatal for 4000-4099."""
        while not stop.is_set():
            started = time.monotonic()
            immediately = False
            try:
                await self._session(stop)
                if stop.is_set():
                    return
                reason = "connection ended"
            except _Reconnect as exc:
                reason, immediately = str(exc), exc.immediately
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd is not None else None
                action = classify(code)
                if action == "fatal":
                    why = exc.rcvd.reason if exc.rcvd is not None else ""
                    raise PusherFatal(f"socket closed with {code}: {why}") from exc
                reason, immediately = f"socket closed ({code})", action == "immediate"
            except InvalidURI as exc:
                raise PusherFatal(str(exc)) from exc
            except (OSError, InvalidHandshake, TimeoutError, ValueError) as exc:
                reason = f"{type(exc).__name__}: {exc}"
            if stop.is_set():
                return
            lasted = time.monotonic() - started
            # "immediately" once; a connection that dies at once again backs off
            delay = 0.0 if immediately and lasted > 1.0 else self.backoff.next()
            log.warning("kick socket: %s; reconnecting in %.1fs", reason, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)

    async def _session(self, stop: asyncio.Event) -> None:
        async with connect(self.url, open_timeout=self.connect_timeout_s, ping_interval=None,
                           close_timeout=2, max_size=2 ** 21,
                           user_agent_header="kingpin-kick/1") as ws:
            activity = await self._handshake(ws)
            self.stats.connections += 1
            self.backoff.reset()
            self._sent = {}
            self.stats.subscribed.clear()
            self._ws = ws
            try:
                await self._sync(ws)
                if self.on_connected is not None:
                    self.on_connected()
                stopper = asyncio.ensure_future(stop.wait())
                try:
                    await self._read_loop(ws, activity, stopper)
                finally:
                    stopper.cancel()
            finally:
                self._ws = None

    async def _handshake(self, ws: ClientConnection) -> float:
        raw = await asyncio.wait_for(ws.recv(), self.connect_timeout_s)
        frame = decode_frame(raw)
        if frame is None:
            raise _Reconnect("no handshake frame")
        if frame.event == "pusher:error":
            self._on_error(frame)
        if frame.event != "pusher:connection_established":
            raise _Reconnect(f"unexpected first frame {frame.event!r}")
        data = frame.data if isinstance(frame.data, dict) else {}
        server = data.get("activity_timeout")
        server_s = float(server) if isinstance(server, int | float) and server > 0 \
            else DEFAULT_ACTIVITY_TIMEOUT_S
        activity = min(self.activity_timeout_s, server_s) if self.activity_timeout_s \
            else server_s
        log.info("kick socket connected (socket_id=%s, activity timeout %.0fs); subscribing "
                 "to %d channels", data.get("socket_id"), activity, len(self.channels))
        return activity

    async def _read_loop(self, ws: ClientConnection, activity: float,
                         stopper: asyncio.Future[Any]) -> None:
        waiting_pong = False
        while True:
            timeout = self.pong_timeout_s if waiting_pong else activity
            receiver = asyncio.ensure_future(ws.recv())
            done, _ = await asyncio.wait({receiver, stopper}, timeout=timeout,
                                         return_when=asyncio.FIRST_COMPLETED)
            if stopper in done:
                receiver.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                    await receiver
                return
            if not done:  # silence
                receiver.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                    await receiver
                if waiting_pong:
                    raise _Reconnect("no pong in time", immediately=True)
                await self._send(ws, "pusher:ping", {})
                self.stats.pings_sent += 1
                waiting_pong = True
                continue
            raw = receiver.result()  # raises ConnectionClosed when the socket closed
            waiting_pong = False  # any message proves the connection alive
            frame = decode_frame(raw)
            if frame is None:
                continue
            await self._dispatch(ws, frame)

    async def _dispatch(self, ws: ClientConnection, frame: Frame) -> None:
        event = frame.event
        if event == "pusher:ping":
            await self._send(ws, "pusher:pong", {})
            self.stats.pongs_sent += 1
        elif event == "pusher:pong":
            return
        elif event == "pusher:error":
            self._on_error(frame)
        elif event == "pusher_internal:subscription_succeeded":
            if frame.channel in self._sent:  # not one we have unsubscribed since
                self.stats.subscribed.add(frame.channel)
            log.debug("kick socket: subscribed to %s", frame.channel)
        elif event == "pusher:subscription_error":
            log.error("kick socket: subscription to %s refused: %.200r", frame.channel,
                      frame.data)
        elif event.startswith(("pusher:", "pusher_internal:")):
            log.debug("kick socket: %s ignored", event)
        else:
            self.stats.frames += 1
            try:
                await self.on_frame(frame)
            except Exception:  # noqa: BLE001 - one bad frame never kills the listener
                log.exception("kick socket: handling %s on %s failed", event, frame.channel)

    def _on_error(self, frame: Frame) -> None:
        data = frame.data
        if isinstance(data, str):
            with contextlib.suppress(ValueError):
                data = json.loads(data)
        code = data.get("code") if isinstance(data, dict) else None
        message = data.get("message") if isinstance(data, dict) else data
        code = code if isinstance(code, int) else None
        action = classify(code)
        if code is None or action == "continue":
            log.warning("kick socket: pusher error %s: %s", code, message)
            return
        if action == "fatal":
            raise PusherFatal(f"pusher error {code}: {message}")
        raise _Reconnect(f"pusher error {code}: {message}", immediately=action == "immediate")

    @staticmethod
    async def _send(ws: ClientConnection, event: str, data: dict[str, Any]) -> None:
        await ws.send(json.dumps({"event": event, "data": data}, separators=(",", ":")))
