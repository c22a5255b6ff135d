"""The Twitch listener process: EventSub in, normalized events to the publisher, replies out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from game.events import ChatMessage, Event
from kingpin.bus import Publisher, connect_redis
from kingpin.cli import Stack
from kingpin.keys import Keys
from kingpin.outbox import LIMITS
from kingpin.tokens import TokenStore
from platforms.twitch.auth import APP_ACCOUNT, Clock, OAuthClient, TokenManager, utcnow
from platforms.twitch.chat import ChatSender, TwitchOutboxSender
from platforms.twitch.config import TwitchConfig
from platforms.twitch.dedup import RecentIds
from platforms.twitch.eventsub_ws import EventSubSocket
from platforms.twitch.helix import Helix
from platforms.twitch.normalize import normalize
from platforms.twitch.subscriptions import all_specs, plan_websocket
from platforms.twitch.webhook import WebhookReceiver, WebhookTransport

log = logging.getLogger(__name__)

Publish = Callable[[Event], Awaitable[None]]


@dataclass
class DispatchStats:
    received: int = 0
    published: int = 0
    ignored: int = 0
    own_messages: int = 0


@dataclass
class Dispatcher:
    """Turns one EventSub notification into at most one published Event."""

    publish: Publish
    bot_user_id: str
    own_channels: frozenset[str]
    mod_channels: set[str] = field(default_factory=set)
    sent_ids: RecentIds = field(default_factory=lambda: RecentIds(2000))
    clock: Clock = utcnow
    stats: DispatchStats = field(default_factory=DispatchStats)

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
        if isinstance(event, ChatMessage) and self._own(event):
            self.stats.own_messages += 1
            return
        await self.publish(event)
        self.stats.published += 1

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
    runners: list[Any] = field(default_factory=list)
    dispatcher: Dispatcher | None = None
    sender: ChatSender | None = None
    outbox: TwitchOutboxSender | None = None

    async def build(self) -> None:
        cfg = self.cfg
        assert cfg.client_id and cfg.bot_user_id  # checked by the CLI
        bot = cfg.bot_user_id
        helix = Helix(self.session, cfg.helix_url, cfg.client_id, self.tokens)
        channels = list(dict.fromkeys(cfg.broadcaster_ids))
        mod_channels = set(cfg.mod_channels)
        if bot in channels:
            mod_channels.add(bot)  # the broadcaster's own account: broadcaster budget
        sent_ids = RecentIds(2000)
        self.dispatcher = Dispatcher(self.publish, bot, frozenset(channels), mod_channels,
                                     sent_ids, self.clock)
        dedup = RecentIds(cfg.dedup_cache_size)
        if cfg.transport == "webhook":
            secret = cfg.secret("webhook_secret") or ""
            assert cfg.webhook_callback_url
            receiver = WebhookReceiver(secret, self.dispatcher, dedup, self.clock,
                                       cfg.webhook_path)
            self.runners.append(WebhookTransport(receiver, helix, all_specs(channels, bot),
                                                 cfg.webhook_callback_url, cfg.webhook_host,
                                                 cfg.webhook_port))
        else:
            authorized = {c for c in channels if await self.tokens.has(c)}
            for owner, specs in plan_websocket(channels, bot, authorized).items():
                self.runners.append(EventSubSocket(
                    url=cfg.eventsub_ws_url, owner=owner, specs=specs, helix=helix,
                    on_notification=self.dispatcher, dedup=dedup,
                    keepalive_timeout_s=cfg.keepalive_timeout_s,
                    keepalive_margin_s=cfg.keepalive_margin_s,
                    reconnect_min_s=cfg.reconnect_min_s, reconnect_max_s=cfg.reconnect_max_s,
                ))
        self.sender = ChatSender(helix, bot, APP_ACCOUNT if cfg.send_as == "app" else bot,
                                 retries=cfg.send_retries, sent_ids=sent_ids,
                                 on_drop=self._count_drop)
        self.outbox = TwitchOutboxSender(
            redis=self.redis, keys=self.keys, platform="twitch", send=self.sender.send,
            limits=LIMITS["twitch"], storage_uri=self.storage_uri, mod_channels=mod_channels)

    async def _count_drop(self, channel: str, reason: str) -> None:
        await self.redis.hincrby(self.keys.outbox_dropped, "twitch:rejected", 1)

    async def run(self, stop: asyncio.Event) -> bool:
        """Run until ``stop``; False if a part died on its own (the process should exit)."""
        if self.outbox is None:
            await self.build()
        assert self.outbox is not None
        tasks = [asyncio.create_task(r.run(stop)) for r in self.runners]
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
            log.info("twitch: listening to %d channel(s) over %s",
                     len(cfg.broadcaster_ids), cfg.transport)
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
