"""EventSub over WebSocket: the public protocol, spoken with ``websockets``.

One ``EventSubSocket`` per token owner (see subscriptions.py). Per connection:

* ``session_welcome`` on a fresh connection: create its subscriptions with the session id.
  ``update(specs)`` changes them on the live session (creates the new ones, deletes the
  ones no longer wanted) and is what a fresh session subscribes to next.
* ``session_keepalive`` / any message: the connection is alive. Nothing for
  ``keepalive_timeout_seconds`` + margin: drop it and reconnect.
* ``notification``: dropped if its ``metadata.message_id`` was seen (bounded LRU shared by all
  sockets), else handed to ``on_notification``.
* ``session_reconnect``: connect to ``reconnect_url`` while the old connection keeps
  delivering; when the new one says welcome, close the old one. Subscriptions move with the
  session, so none are created again.
* ``revocation``: logged, dropped.

Any drop (close, error, keepalive timeout) reconnects to the configured URL with exponential
backoff and jitter; a fresh session creates the subscriptions again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import websockets
from websockets.asyncio.client import ClientConnection

from platforms.twitch.dedup import RecentIds
from platforms.twitch.helix import Helix
from platforms.twitch.subscriptions import SubSpec
from platforms.twitch.sync import Subscriptions

log = logging.getLogger(__name__)

# message_id, payload ({subscription, event}), metadata.message_timestamp
OnNotification = Callable[[str, Mapping[str, Any], str | None], Awaitable[None]]

WELCOME_WAIT_S = 10.0  # Twitch sends the welcome at once; it closes unused sessions after 10 s


@dataclass
class SocketStats:
    connects: int = 0
    welcomes: int = 0
    reconnects: int = 0  # session_reconnect handovers
    drops: int = 0
    keepalive_timeouts: int = 0
    notifications: int = 0
    duplicates: int = 0
    revocations: int = 0


@dataclass(eq=False)
class _Conn:
    ws: ClientConnection
    url: str
    fresh: bool  # a new session (subscribe on welcome), not a session_reconnect handover
    welcomed: bool = False
    reader: asyncio.Task[None] | None = None


@dataclass
class EventSubSocket:
    url: str
    owner: str
    specs: Sequence[SubSpec]
    helix: Helix
    on_notification: OnNotification
    dedup: RecentIds
    keepalive_timeout_s: int | None = None
    keepalive_margin_s: float = 5.0
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 60.0
    stats: SocketStats = field(default_factory=SocketStats)
    session_id: str | None = None
    # the live session's subscriptions (None between sessions)
    subscriptions: Subscriptions | None = None
    _keepalive_s: float = WELCOME_WAIT_S
    _subscribing: asyncio.Task[None] | None = None

    async def update(self, specs: Sequence[SubSpec]) -> None:
        """What this connection should carry from now on: applied to the live session at
        once, and to every fresh session."""
        self.specs = list(specs)
        if self.subscriptions is not None:
            await self.subscriptions.sync(self.specs)

    def initial_url(self) -> str:
        if self.keepalive_timeout_s is None:
            return self.url
        sep = "&" if urlsplit(self.url).query else "?"
        query = urlencode({"keepalive_timeout_seconds": self.keepalive_timeout_s})
        return f"{self.url}{sep}{query}"

    async def run(self, stop: asyncio.Event) -> None:
        delay = self.reconnect_min_s
        while not stop.is_set():
            healthy = False
            try:
                healthy = await self._session(stop)
            except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                log.warning("twitch eventsub (%s): connection failed: %s", self.owner, exc)
            except Exception:  # noqa: BLE001 - the listener never dies of one bad session
                log.exception("twitch eventsub (%s): session crashed", self.owner)
            if stop.is_set():
                break
            self.stats.drops += 1
            if healthy:
                delay = self.reconnect_min_s
            wait = delay * (0.75 + random.random() / 2)
            log.info("twitch eventsub (%s): reconnecting in %.1fs", self.owner, wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
            delay = min(self.reconnect_max_s, delay * 2)

    async def _open(self, url: str, fresh: bool,
                    queue: asyncio.Queue[tuple[_Conn, str | None]]) -> _Conn:
        ws = await websockets.connect(url, open_timeout=10, ping_interval=None,
                                      max_size=2**22, close_timeout=2)
        self.stats.connects += 1
        conn = _Conn(ws, url, fresh)
        conn.reader = asyncio.create_task(self._read(conn, queue))
        return conn

    @staticmethod
    async def _read(conn: _Conn, queue: asyncio.Queue[tuple[_Conn, str | None]]) -> None:
        try:
            async for raw in conn.ws:
                await queue.put((conn, raw if isinstance(raw, str) else raw.decode("utf-8",
                                                                                 "replace")))
        except websockets.ConnectionClosed:
            pass
        except Exception:  # noqa: BLE001 - reported as a close below
            log.exception("twitch eventsub: reader failed on %s", conn.url)
        finally:
            await queue.put((conn, None))

    @staticmethod
    async def _close(conn: _Conn | None) -> None:
        if conn is None:
            return
        with contextlib.suppress(Exception):
            await conn.ws.close()
        if conn.reader is not None:
            conn.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await conn.reader

    async def _session(self, stop: asyncio.Event) -> bool:
        """One chain of connections (a fresh one plus reconnect handovers). True if welcomed."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[_Conn, str | None]] = asyncio.Queue()
        current: _Conn | None = await self._open(self.initial_url(), True, queue)
        pending: _Conn | None = None
        welcomed = False
        self._keepalive_s = WELCOME_WAIT_S
        deadline = loop.time() + WELCOME_WAIT_S
        stopper = asyncio.create_task(stop.wait())
        try:
            while True:
                getter = asyncio.create_task(queue.get())
                done, _ = await asyncio.wait({getter, stopper},
                                             timeout=max(0.0, deadline - loop.time()),
                                             return_when=asyncio.FIRST_COMPLETED)
                if getter not in done:
                    getter.cancel()
                    if stopper in done:
                        return welcomed
                    self.stats.keepalive_timeouts += 1
                    log.warning("twitch eventsub (%s): nothing for %.0fs; reconnecting",
                                self.owner, self._keepalive_s + self.keepalive_margin_s)
                    return welcomed
                conn, raw = getter.result()
                if raw is None:  # a connection closed
                    code = conn.ws.close_code
                    if conn is current:
                        log.info("twitch eventsub (%s): connection closed (%s %s)", self.owner,
                                 code, conn.ws.close_reason)
                        current = None
                        if pending is None:
                            return welcomed
                    elif conn is pending:
                        log.warning("twitch eventsub (%s): reconnect target closed (%s)",
                                    self.owner, code)
                        pending = None
                        if current is None:
                            return welcomed
                    continue
                if conn is current or conn is pending:
                    deadline = loop.time() + self._keepalive_s + self.keepalive_margin_s
                message = _parse(raw)
                if message is None:
                    log.warning("twitch eventsub (%s): unreadable frame %.200r", self.owner, raw)
                    continue
                metadata, payload = message
                kind = metadata.get("message_type")
                if kind == "session_welcome":
                    session = payload.get("session") if isinstance(payload, Mapping) else None
                    session = session if isinstance(session, Mapping) else {}
                    if conn is pending:
                        await self._close(current)
                        current, pending = conn, None
                        self.stats.reconnects += 1
                        log.info("twitch eventsub (%s): moved to session %s", self.owner,
                                 session.get("id"))
                    elif conn is not current or conn.welcomed:
                        continue
                    conn.welcomed = welcomed = True
                    self.stats.welcomes += 1
                    self.session_id = str(session.get("id") or "")
                    keepalive = session.get("keepalive_timeout_seconds")
                    if isinstance(keepalive, int | float) and keepalive > 0:
                        self._keepalive_s = float(keepalive)
                    deadline = loop.time() + self._keepalive_s + self.keepalive_margin_s
                    if conn.fresh:
                        self._start_subscribing(self.session_id)
                elif kind == "session_keepalive":
                    pass
                elif kind == "notification":
                    await self._notification(metadata, payload)
                elif kind == "session_reconnect":
                    url = _reconnect_url(payload)
                    if url and pending is None and conn is current:
                        log.info("twitch eventsub (%s): asked to reconnect", self.owner)
                        try:
                            pending = await self._open(url, False, queue)
                        except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                            log.warning("twitch eventsub (%s): reconnect URL failed: %s",
                                        self.owner, exc)
                elif kind == "revocation":
                    self.stats.revocations += 1
                    sub = payload.get("subscription") if isinstance(payload, Mapping) else None
                    sub = sub if isinstance(sub, Mapping) else {}
                    log.warning("twitch eventsub (%s): subscription %s (%s) revoked: %s; "
                                "condition %s", self.owner, sub.get("type"), sub.get("id"),
                                sub.get("status"), sub.get("condition"))
                else:
                    log.debug("twitch eventsub (%s): %s message ignored", self.owner, kind)
        finally:
            stopper.cancel()
            self.subscriptions = None  # they die with the session (websocket_disconnected)
            if self._subscribing is not None and not self._subscribing.done():
                self._subscribing.cancel()
            for leftover in (current, pending):
                await self._close(leftover)

    async def _notification(self, metadata: Mapping[str, Any],
                            payload: Mapping[str, Any]) -> None:
        message_id = metadata.get("message_id")
        if not isinstance(message_id, str) or not message_id:
            log.warning("twitch eventsub (%s): notification without message_id", self.owner)
            return
        if self.dedup.seen(message_id):
            self.stats.duplicates += 1
            log.debug("twitch eventsub: duplicate message %s dropped", message_id)
            return
        self.stats.notifications += 1
        timestamp = metadata.get("message_timestamp")
        try:
            await self.on_notification(message_id, payload,
                                       timestamp if isinstance(timestamp, str) else None)
        except Exception:  # noqa: BLE001 - one bad payload never kills the listener
            log.exception("twitch eventsub: handling message %s (%s) failed", message_id,
                          metadata.get("subscription_type"))

    def _start_subscribing(self, session_id: str) -> None:
        if self._subscribing is not None and not self._subscribing.done():
            self._subscribing.cancel()
        self._subscribing = asyncio.create_task(self._subscribe(session_id))

    async def _subscribe(self, session_id: str) -> None:
        self.subscriptions = Subscriptions(self.helix, self.owner,
                                           {"method": "websocket", "session_id": session_id})
        await self.subscriptions.sync(self.specs)


def _parse(raw: str) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    try:
        message = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(message, dict):
        return None
    metadata = message.get("metadata")
    payload = message.get("payload")
    if not isinstance(metadata, dict):
        return None
    return metadata, payload if isinstance(payload, dict) else {}


def _reconnect_url(payload: Mapping[str, Any]) -> str | None:
    session = payload.get("session")
    if isinstance(session, Mapping):
        url = session.get("reconnect_url")
        if isinstance(url, str) and url.startswith(("ws://", "wss://")):
            return url
    return None
