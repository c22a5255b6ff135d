"""The Kick listener: socket and/or webhook in, normalized events to the publisher, the
outbox drained through Kick's chat API.

Delivery: every event goes through a bounded in-process LRU of event keys (the same message
seen twice -- two Pusher channels, socket and webhook -- is published once) and then the
Publisher, which dedups again in Redis across processes. Socket events are buffered by the
Publisher (micro-batches); a webhook is answered 200 only after its event is flushed to Redis.
With ``transport = both`` the socket only contributes chat messages (same id on both paths)
and raids (no webhook exists for them); everything else comes from the signed webhooks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from aiohttp import web

from game.events import Event
from platforms.kick.common import BoundedSet
from platforms.kick.config import KickSettings
from platforms.kick.pusher import Backoff, PusherClient
from platforms.kick.pusher_events import (
    Coalescer,
    Frame,
    GiftFragment,
    SubFragment,
    merge,
    parse_frame,
)
from platforms.kick.webhook import WebhookReceiver, load_public_key

log = logging.getLogger("platforms.kick")

SOCKET_KINDS_BESIDE_WEBHOOK = frozenset({"chat_message", "raid"})


class Sink(Protocol):
    async def publish(self, event: Event) -> None: ...
    async def flush(self) -> Any: ...
    async def close(self) -> None: ...


class Runner(Protocol):
    async def run(self, stop: asyncio.Event) -> None: ...


@dataclass
class ListenerStats:
    published: int = 0
    duplicates: int = 0
    filtered: int = 0


@dataclass
class KickListener:
    settings: KickSettings
    sink: Sink
    outbox: Runner | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    stats: ListenerStats = field(default_factory=ListenerStats)
    socket: PusherClient | None = None
    webhook: WebhookReceiver | None = None
    webhook_port: int | None = None  # bound port, once serving
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        s = self.settings
        self.index = s.index()
        self.seen = BoundedSet(s.dedup_size)
        self.coalescer = Coalescer(s.coalesce_s)
        self.unknown_events: set[str] = set()
        self.socket_kinds = SOCKET_KINDS_BESIDE_WEBHOOK if s.transport == "both" else None
        if s.uses_socket and self.socket is None:
            self.socket = PusherClient(
                url=s.socket_url, channels=s.subscriptions(), on_frame=self.on_frame,
                activity_timeout_s=s.activity_timeout_s, pong_timeout_s=s.pong_timeout_s,
                connect_timeout_s=s.connect_timeout_s,
                backoff=Backoff(minimum=s.reconnect_min_s, maximum=s.reconnect_max_s),
            )
        if s.uses_webhook and self.webhook is None:
            pem: str | bytes = s.webhook_public_key or ""
            if not pem and s.webhook_public_key_file is not None:
                pem = s.webhook_public_key_file.read_bytes()
            from platforms.kick.webhook import KICK_PUBLIC_KEY_PEM

            self.webhook = WebhookReceiver(
                public_key=load_public_key(pem or KICK_PUBLIC_KEY_PEM), index=self.index,
                publish=self.publish_durably, max_age_s=s.webhook_max_age_s,
                dedup_size=s.dedup_size, clock=self.clock,
            )

    # --- events in ---

    async def on_frame(self, frame: Frame) -> None:
        parsed = parse_frame(frame, self.index, self.clock(), self.unknown_events)
        if parsed is None:
            return
        if isinstance(parsed, SubFragment | GiftFragment):
            if self.socket_kinds is not None:
                self.stats.filtered += 1  # subs and gifts come from the webhooks
                return
            self.coalescer.add(parsed, time.monotonic())
            if self.settings.coalesce_s <= 0:
                await self.flush_fragments(force=True)
            return
        if self.socket_kinds is not None and parsed.kind not in self.socket_kinds:
            self.stats.filtered += 1
            return
        await self.publish(parsed)

    async def publish(self, event: Event) -> None:
        """Buffered publish (socket): at most once per key in this process."""
        if not self.seen.add(event.key):
            self.stats.duplicates += 1
            log.debug("kick: duplicate %s dropped", event.key)
            return
        await self.sink.publish(event)
        self.stats.published += 1

    async def publish_durably(self, event: Event) -> None:
        """Webhook: returns only once the event (or its twin) is flushed to Redis."""
        if event.key in self.seen:
            self.stats.duplicates += 1
        else:
            await self.sink.publish(event)
            self.seen.add(event.key)
            self.stats.published += 1
        await self.sink.flush()

    async def flush_fragments(self, force: bool = False) -> None:
        groups = self.coalescer.drain() if force else self.coalescer.due(time.monotonic())
        for fragments in groups:
            event = merge(fragments)
            if event is not None:
                await self.publish(event)

    async def _coalesce_loop(self, stop: asyncio.Event) -> None:
        tick = min(0.1, max(self.settings.coalesce_s / 4, 0.01))
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), tick)
            try:
                await self.flush_fragments()
            except Exception:  # noqa: BLE001 - never lose the loop
                log.exception("kick: merging sub/gift frames failed")

    # --- lifecycle ---

    async def _serve_webhook(self, stop: asyncio.Event) -> None:
        assert self.webhook is not None
        s = self.settings
        runner = web.AppRunner(self.webhook.app(s.webhook_path, s.webhook_max_body),
                               access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, s.webhook_host, s.webhook_port)
        await site.start()
        server = site._server  # noqa: SLF001 - the bound port when configured as 0
        sockets = getattr(server, "sockets", None) or []
        self.webhook_port = sockets[0].getsockname()[1] if sockets else s.webhook_port
        log.info("kick webhook receiver on %s:%s%s", s.webhook_host, self.webhook_port,
                 s.webhook_path)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop``; raises PusherFatal if Kick's socket refuses us for good."""
        tasks: dict[str, asyncio.Task[None]] = {
            "coalesce": asyncio.create_task(self._coalesce_loop(stop)),
        }
        if self.socket is not None:
            tasks["socket"] = asyncio.create_task(self.socket.run(stop))
        if self.webhook is not None:
            tasks["webhook"] = asyncio.create_task(self._serve_webhook(stop))
        if self.outbox is not None:
            tasks["outbox"] = asyncio.create_task(self.outbox.run(stop))
        self.ready.set()
        failure: BaseException | None = None
        try:
            pending = set(tasks.values())
            while pending and failure is None:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    if task.cancelled():
                        continue
                    if task.exception() is not None:
                        failure = task.exception()
            if failure is not None:
                log.error("kick listener stopping: %s", failure)
        finally:
            stop.set()
            await asyncio.gather(*tasks.values(), return_exceptions=True)
            await self.flush_fragments(force=True)
            await self.sink.close()
        if failure is not None:
            raise failure
