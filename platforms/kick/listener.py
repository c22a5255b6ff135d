"""The Kick listener: socket and/or webhook in, normalized events to the publisher, the
outbox drained through Kick's chat API.

Delivery: every event goes through a bounded in-process LRU of event keys (the same message
seen twice -- two Pusher channels, socket and webhook -- is published once) and then the
Publisher, which dedups again in Redis across processes. Socket events are buffered by the
Publisher (micro-batches); a webhook is answered 200 only after its event is flushed to Redis.
With ``transport = both`` the socket only contributes chat messages (same id on both paths)
and raids (no webhook exists for them); everything else comes from the signed webhooks.

Channels: the listener serves exactly the Kick channels communities own (``channels``, a
``ChannelSource``; see ``platforms.kick.channels``). At start the KINGPIN_KICK_CHANNELS
entries join the default community, then the owned channels are read; every
``reconcile_s`` they are read again and the socket subscribes the new ones and unsubscribes
the removed ones. An event for a channel no community owns (a frame still in flight after an
unsubscribe, a webhook for a broadcaster nobody owns, a sub merged after its channel left)
is dropped before publishing: one log line, and ``unowned_events_kick`` in
``<prefix>:stats``.
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
from kingpin.faults import Outages, is_transient
from platforms.kick.channels import ChannelSource, StaticChannels
from platforms.kick.common import BoundedSet, Unowned
from platforms.kick.config import ChannelIndex, KickChannel, KickSettings
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
    unowned: int = 0
    reconciles: int = 0


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
    # the channels served; None: the settings' channels, fixed (tests of the protocols)
    channels: ChannelSource | None = None

    def __post_init__(self) -> None:
        s = self.settings
        self.source: ChannelSource = self.channels or StaticChannels(tuple(s.channels))
        self.index = s.index()
        self.served: frozenset[KickChannel] = frozenset(s.channels)
        self._socketless: set[int] = set()
        self._outages = Outages(log)
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
                dedup_size=s.dedup_size, clock=self.clock, on_unowned=self.drop_unowned,
            )

    # --- events in ---

    async def on_frame(self, frame: Frame) -> None:
        parsed = parse_frame(frame, self.index, self.clock(), self.unknown_events)
        if parsed is None:
            return
        if isinstance(parsed, Unowned):
            await self.drop_unowned(parsed)
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

    def owns(self, event: Event) -> bool:
        channel = event.channel
        return (channel.isascii() and channel.isdigit()
                and self.index.by_broadcaster(int(channel)) is not None)

    async def drop_unowned(self, what: Unowned) -> None:
        """The edge of the trust boundary: one log line, one count, nothing published."""
        self.stats.unowned += 1
        log.warning("kick: event from a channel no community owns dropped: platform=kick "
                    "channel=%s event=%s event_id=%s", what.where, what.what, what.event_id)
        try:
            await self.source.count_unowned(1)
        except Exception as exc:  # noqa: BLE001 - a lost count never stops the listener
            log.debug("kick: counting an unowned event failed: %s", exc)

    async def _unowned_event(self, event: Event) -> bool:
        if self.owns(event):
            return False
        await self.drop_unowned(Unowned(where=event.channel, what=event.kind,
                                        event_id=event.event_id))
        return True

    async def publish(self, event: Event) -> None:
        """Buffered publish (socket): at most once per key in this process."""
        if await self._unowned_event(event):
            return
        if not self.seen.add(event.key):
            self.stats.duplicates += 1
            log.debug("kick: duplicate %s dropped", event.key)
            return
        await self.sink.publish(event)
        self.stats.published += 1

    async def publish_durably(self, event: Event) -> None:
        """Webhook: returns only once the event (or its twin) is flushed to Redis."""
        if await self._unowned_event(event):
            return
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

    # --- channels ---

    async def reconcile(self) -> None:
        """Serve exactly the channels the source owns now (raises if it cannot be read)."""
        owned = await self.source.load()
        first = self.stats.reconciles == 0
        self.stats.reconciles += 1
        now = frozenset(owned)
        added, removed = now - self.served, self.served - now
        self.index = ChannelIndex(tuple(owned))
        if self.webhook is not None:
            self.webhook.index = self.index
        self.served = now
        if first:
            log.info("kick: serving %d channel(s) owned by communities", len(owned))
        else:
            for ch in sorted(added, key=lambda c: c.broadcaster_user_id):
                log.info("kick: now serving channel %s (%s)", ch.key, ch.slug or "-")
            for ch in sorted(removed, key=lambda c: c.broadcaster_user_id):
                log.info("kick: channel %s (%s) no longer owned by a community: dropped",
                         ch.key, ch.slug or "-")
        if self.socket is not None:
            for ch in owned:
                if (ch.chatroom_id is None or ch.channel_id is None) \
                        and ch.broadcaster_user_id not in self._socketless:
                    self._socketless.add(ch.broadcaster_user_id)
                    log.warning("kick: channel %s has no chatroom_id/channel_id in its row: "
                                "not on the socket (webhooks only)", ch.key)
            await self.socket.set_channels(self.settings.subscriptions(owned))

    async def _refresh(self, first: bool) -> bool:
        """One reconcile (the first adopts the env's channels); False if it failed."""
        try:
            if first and self.settings.channels:
                joined = await self.source.adopt(self.settings.channels)
                if joined:
                    log.info("kick: %d channel(s) of %sCHANNELS joined the default community",
                             joined, "KINGPIN_KICK_")
            await self.reconcile()
        except Exception as exc:  # noqa: BLE001 - the loop goes on with what it serves
            if is_transient(exc):
                self._outages.down("the community directory (PostgreSQL)", exc)
            else:
                log.exception("kick: reading the channels communities own failed")
            return False
        self._outages.up("the community directory (PostgreSQL)")
        return True

    async def start_channels(self, stop: asyncio.Event) -> bool:
        """Adopt and load until it works (or ``stop``): the socket starts with the list."""
        while not stop.is_set():
            if await self._refresh(first=True):
                return True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.reconcile_s)
        return False

    async def _reconcile_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.reconcile_s)
            if not stop.is_set():
                await self._refresh(first=False)

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
        if not await self.start_channels(stop):
            await self.sink.close()
            return
        tasks: dict[str, asyncio.Task[None]] = {
            "coalesce": asyncio.create_task(self._coalesce_loop(stop)),
            "channels": asyncio.create_task(self._reconcile_loop(stop)),
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
