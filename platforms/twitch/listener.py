"""The Twitch listener process: EventSub in, normalized events to the publisher, replies out.

It serves exactly the broadcasters that communities own (``community_channels`` rows with
platform ``twitch``, role ``chat``): at start the ones named in
``KINGPIN_TWITCH_BROADCASTER_IDS`` join the default community, then every
``KINGPIN_TWITCH_RECONCILE_EVERY_S`` the directory is read again and the EventSub
subscriptions follow it (a channel added is subscribed, a removed one unsubscribed). A
notification for a broadcaster no community owns is dropped before publishing, with a log
line and the ``unowned_events_twitch`` counter in ``<prefix>:stats``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from game.events import ChatMessage, Event
from kingpin import communities
from kingpin.bus import Publisher, connect_redis
from kingpin.cli import Stack
from kingpin.communities import Directory
from kingpin.keys import Keys
from kingpin.outbox import LIMITS
from kingpin.tokens import TokenStore
from platforms.twitch.auth import APP_ACCOUNT, Clock, OAuthClient, TokenManager, utcnow
from platforms.twitch.chat import UNOWNED, ChatSender, TwitchOutboxSender
from platforms.twitch.config import TwitchConfig
from platforms.twitch.dedup import RecentIds
from platforms.twitch.eventsub_ws import EventSubSocket
from platforms.twitch.helix import Helix
from platforms.twitch.normalize import normalize
from platforms.twitch.subscriptions import all_specs, plan_websocket, warn_unauthorized
from platforms.twitch.webhook import WebhookReceiver, WebhookTransport

log = logging.getLogger(__name__)

Publish = Callable[[Event], Awaitable[None]]
UNOWNED_COUNTER = "unowned_events_twitch"  # field of the <prefix>:stats hash


@dataclass
class DispatchStats:
    received: int = 0
    published: int = 0
    ignored: int = 0
    own_messages: int = 0
    unowned: int = 0


@dataclass
class Dispatcher:
    """Turns one EventSub notification into at most one published Event.

    ``own_channels`` are the broadcasters communities own (replaced as they change): an
    event for any other channel is dropped here, never published (``on_unowned`` counts it).
    """

    publish: Publish
    bot_user_id: str
    own_channels: frozenset[str]
    mod_channels: set[str] = field(default_factory=set)
    sent_ids: RecentIds = field(default_factory=lambda: RecentIds(2000))
    clock: Clock = utcnow
    stats: DispatchStats = field(default_factory=DispatchStats)
    on_unowned: Callable[[Event], Awaitable[None]] | None = None

    async def __call__(self, message_id: str, payload: Mapping[str, Any],
                       message_timestamp: str | None) -> None:
        self.stats.received += 1
        try:
            event = normalize(payload, message_id=message_id, received_at=self.clock(),
                              message_timestamp=message_timestamp,
                              own_channels=self.own_channels)
        except Exception:  # noqa: BLE001 - normalize should not raise; never die of it
            log.exception("twitch: normalizing message %s failed", message_id)
            event = None
        if event is None:
            self.stats.ignored += 1
            return
        if event.owner_key not in self.own_channels:
            await self._unowned(event)
            return
        if isinstance(event, ChatMessage) and self._own(event):
            self.stats.own_messages += 1
            return
        await self.publish(event)
        self.stats.published += 1

    async def _unowned(self, event: Event) -> None:
        self.stats.unowned += 1
        log.warning("twitch: event from a channel no community owns dropped: platform=%s "
                    "channel=%s event_id=%s kind=%s", event.platform.value, event.channel,
                    event.event_id, event.kind)
        if self.on_unowned is not None:
            try:
                await self.on_unowned(event)
            except Exception:  # noqa: BLE001 - the counter is best effort; the line is not
                log.debug("twitch: counting an unowned event failed", exc_info=True)

    def _own(self, event: ChatMessage) -> bool:
        """The bot's own messages: they tell us its status in the channel, then are dropped.

        When the bot account is the broadcaster's own account, only the messages we sent are
        dropped: the broadcaster typing commands must still play.
        """
        if event.user.id != self.bot_user_id:
            return False
        if event.user.is_mod:
            self.mod_channels.add(event.channel)
        elif event.channel != self.bot_user_id:
            self.mod_channels.discard(event.channel)
        return event.event_id in self.sent_ids or event.channel != self.bot_user_id


@dataclass
class Listener:
    """Everything ``listen`` runs, assembled from explicit dependencies (tests build it too)."""

    cfg: TwitchConfig
    session: aiohttp.ClientSession
    tokens: TokenManager
    publish: Publish
    redis: Any
    keys: Keys
    storage_uri: str | None
    clock: Clock = utcnow
    directory: Directory | None = None
    runners: list[Any] = field(default_factory=list)
    dispatcher: Dispatcher | None = None
    sender: ChatSender | None = None
    outbox: TwitchOutboxSender | None = None
    webhook: WebhookTransport | None = None
    sockets: dict[str, EventSubSocket] = field(default_factory=dict)  # token owner -> socket
    _channels: list[str] = field(default_factory=list)  # owned, in the directory's order
    _authorized: set[str] = field(default_factory=set)
    _socket_runs: dict[str, tuple[asyncio.Event, asyncio.Task[None]]] = field(
        default_factory=dict)
    _helix: Helix | None = None
    _dedup: RecentIds | None = None
    _mod_channels: set[str] = field(default_factory=set)
    _failing: bool = False

    async def build(self) -> None:
        cfg = self.cfg
        assert cfg.client_id and cfg.bot_user_id  # checked by the CLI
        bot = cfg.bot_user_id
        self._helix = helix = Helix(self.session, cfg.helix_url, cfg.client_id, self.tokens)
        if self.directory is None:
            self.directory = Directory(ttl_s=cfg.reconcile_every_s)
        await self.adopt_env_channels()
        self._mod_channels = mod_channels = set(cfg.mod_channels)
        sent_ids = RecentIds(2000)
        self.dispatcher = Dispatcher(self.publish, bot, frozenset(), mod_channels,
                                     sent_ids, self.clock, on_unowned=self._count_unowned)
        self._dedup = RecentIds(cfg.dedup_cache_size)
        if cfg.transport == "webhook":
            secret = cfg.secret("webhook_secret") or ""
            assert cfg.webhook_callback_url
            receiver = WebhookReceiver(secret, self.dispatcher, self._dedup, self.clock,
                                       cfg.webhook_path)
            self.webhook = WebhookTransport(receiver, helix, [], cfg.webhook_callback_url,
                                            cfg.webhook_host, cfg.webhook_port)
            self.runners.append(self.webhook)
        self.sender = ChatSender(helix, bot, APP_ACCOUNT if cfg.send_as == "app" else bot,
                                 retries=cfg.send_retries, sent_ids=sent_ids,
                                 on_drop=self._count_drop, serves=self.serves)
        self.outbox = TwitchOutboxSender(
            redis=self.redis, keys=self.keys, platform="twitch", send=self.sender.send,
            limits=LIMITS["twitch"], storage_uri=self.storage_uri, mod_channels=mod_channels)
        await self.reconcile()

    async def adopt_env_channels(self) -> None:
        """KINGPIN_TWITCH_BROADCASTER_IDS join the default community (existing setups keep
        working); a channel some community owns already stays where it is."""
        ids = list(dict.fromkeys(self.cfg.broadcaster_ids))
        if ids:
            joined = await communities.adopt("twitch", [(channel, "") for channel in ids])
            if joined:
                log.info("twitch: %d channel(s) of KINGPIN_TWITCH_BROADCASTER_IDS joined the "
                         "default community", joined)

    def serves(self, channel: str) -> bool:
        return self.dispatcher is not None and channel in self.dispatcher.own_channels

    @property
    def channels(self) -> list[str]:
        """The broadcasters served now (owned by a community), in the directory's order."""
        return list(self._channels)

    async def reconcile(self) -> None:
        """Read the directory again; make the boundary and the subscriptions follow it."""
        assert self.directory is not None and self.dispatcher is not None
        await self.directory.refresh()
        rows = await self.directory.channels("twitch", "chat")
        channels = list(dict.fromkeys(row.channel_id for row in rows))
        before = set(self._channels)
        added = [c for c in channels if c not in before]
        removed = before - set(channels)
        self._channels = channels
        self.dispatcher.own_channels = frozenset(channels)
        bot = self.cfg.bot_user_id or ""
        if bot in channels:
            self._mod_channels.add(bot)  # the broadcaster's own account: broadcaster budget
        if added or removed:
            log.info("twitch: serving %d channel(s); added %s, removed %s", len(channels),
                     ",".join(added) or "none", ",".join(sorted(removed)) or "none")
        if self.webhook is not None:
            await self.webhook.update(all_specs(channels, bot))
            return
        self._authorized -= removed
        for channel in added:
            if await self.tokens.has(channel):
                self._authorized.add(channel)
            else:
                warn_unauthorized(channel)
        plan = plan_websocket(channels, bot, self._authorized)
        for owner, specs in plan.items():
            socket = self.sockets.get(owner)
            if socket is None:
                self.sockets[owner] = self._socket(owner, specs)
            else:
                await socket.update(specs)
        for owner in [o for o in self.sockets if o not in plan]:
            await self._retire(owner)

    def _socket(self, owner: str, specs: Sequence[Any]) -> EventSubSocket:
        cfg = self.cfg
        assert self._helix is not None and self.dispatcher is not None
        assert self._dedup is not None
        return EventSubSocket(
            url=cfg.eventsub_ws_url, owner=owner, specs=list(specs), helix=self._helix,
            on_notification=self.dispatcher, dedup=self._dedup,
            keepalive_timeout_s=cfg.keepalive_timeout_s,
            keepalive_margin_s=cfg.keepalive_margin_s,
            reconnect_min_s=cfg.reconnect_min_s, reconnect_max_s=cfg.reconnect_max_s,
        )

    async def _retire(self, owner: str) -> None:
        """A token owner with nothing left to carry: delete its subscriptions, close it."""
        socket = self.sockets.pop(owner)
        await socket.update([])
        run = self._socket_runs.pop(owner, None)
        if run is not None:
            stop, task = run
            stop.set()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 10)
        log.info("twitch eventsub (%s): connection closed, nothing left to receive", owner)

    def _start_sockets(self) -> None:
        for owner, socket in self.sockets.items():
            if owner not in self._socket_runs:
                stop = asyncio.Event()
                self._socket_runs[owner] = (stop, asyncio.create_task(socket.run(stop)))

    async def _watch(self, stop: asyncio.Event) -> None:
        """Reconcile every ``reconcile_every_s`` and run the WebSocket connections; a
        connection that ends on its own ends this (the listener stops)."""
        try:
            self._start_sockets()
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.cfg.reconcile_every_s)
                if stop.is_set():
                    break
                for owner, (_, task) in self._socket_runs.items():
                    if task.done():
                        raise RuntimeError(f"the EventSub connection of {owner} ended")
                try:
                    await self.reconcile()
                except Exception as exc:  # noqa: BLE001 - DB away: keep serving what we know
                    if not self._failing:
                        log.warning("twitch: reading the community channels failed (%s: %s); "
                                    "serving the last known %d channel(s) until it works",
                                    type(exc).__name__, exc, len(self._channels))
                    self._failing = True
                    continue
                if self._failing:
                    log.info("twitch: community channels readable again")
                    self._failing = False
                self._start_sockets()
        finally:
            runs = list(self._socket_runs.values())
            self._socket_runs.clear()
            for socket_stop, _ in runs:
                socket_stop.set()
            for _, task in runs:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await asyncio.wait_for(task, 10)

    async def _count_unowned(self, event: Event) -> None:
        await self.redis.hincrby(self.keys.stats, UNOWNED_COUNTER, 1)

    async def _count_drop(self, channel: str, reason: str) -> None:
        field_name = "twitch:unowned" if reason == UNOWNED else "twitch:rejected"
        await self.redis.hincrby(self.keys.outbox_dropped, field_name, 1)

    async def run(self, stop: asyncio.Event) -> bool:
        """Run until ``stop``; False if a part died on its own (the process should exit)."""
        if self.outbox is None:
            await self.build()
        assert self.outbox is not None
        tasks = [asyncio.create_task(r.run(stop)) for r in self.runners]
        tasks.append(asyncio.create_task(self._watch(stop)))
        tasks.append(asyncio.create_task(self.outbox.run(stop)))
        tasks.append(asyncio.create_task(
            self.tokens.run_validation(stop, self.cfg.validate_every_s)))
        stopper = asyncio.create_task(stop.wait())
        clean = True
        try:
            done, _ = await asyncio.wait([stopper, *tasks],
                                         return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not stopper and not stop.is_set():
                    clean = False
                    exc = None if task.cancelled() else task.exception()
                    log.error("twitch: a listener task ended unexpectedly (%r); stopping", exc,
                              exc_info=exc)
        finally:
            stop.set()
            stopper.cancel()
            _, pending = await asyncio.wait(tasks, timeout=10)
            for task in pending:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            try:
                requeued = await self.outbox.requeue_waiting()
                if requeued:
                    log.info("twitch: %d unsent replies put back in the outbox", requeued)
            except Exception:  # noqa: BLE001 - Redis gone: say how many were lost
                log.exception("twitch: %d unsent replies could not be put back",
                              self.outbox.waiting)
        return clean


class SetupError(RuntimeError):
    """Something the operator must fix before the listener can start (exit status 2)."""


async def check_tokens(cfg: TwitchConfig, tokens: TokenManager) -> None:
    bot = cfg.bot_user_id or ""
    if not await tokens.has(bot):
        raise SetupError(f"no Twitch token for the bot user {bot}: run `kingpin twitch "
                         "authorize` logged in as the bot account")


async def run_listener(cfg: TwitchConfig, stack: Stack, stop: asyncio.Event, *,
                       init_database: bool = True) -> int:
    """listen: tokens from the DB, events to the publisher, outbox to Helix, until ``stop``."""
    from kingpin.db import close_db, init_db

    settings = stack.settings
    if init_database:
        await init_db(stack.db_url, 2)
    redis = await connect_redis(stack.redis_url, stack.keys)
    publisher = Publisher.from_settings(redis, stack.keys, settings)
    try:
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            oauth = OAuthClient(session, cfg.oauth_url, cfg.client_id or "",
                                cfg.secret("client_secret") or "")
            tokens = TokenManager(TokenStore(), oauth)
            try:
                await check_tokens(cfg, tokens)
            except SetupError as exc:
                print(f"kingpin twitch listen: {exc}", file=sys.stderr)
                return 2
            listener = Listener(cfg, session, tokens, publisher.publish, redis, stack.keys,
                                storage_uri=f"async+{stack.redis_url}")
            await listener.build()
            log.info("twitch: listening to %d channel(s) over %s", len(listener.channels),
                     cfg.transport)
            if not listener.channels:
                log.warning("twitch: no community owns a Twitch channel yet; waiting for "
                            "`kingpin community add-channel <slug> twitch <login|id>`")
            try:
                clean = await listener.run(stop)
            finally:
                await publisher.close()  # flush what is buffered
                log.info("twitch: stopped; %s published", publisher.stats.published)
    finally:
        await redis.aclose()
        if init_database:
            await close_db()
    return 0 if clean else 1


async def listen(cfg: TwitchConfig, stack: Stack) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return await run_listener(cfg, stack, stop)
