"""The Twitch listener process: EventSub in, normalized events to the publisher, replies out.

Transport: twitchio 3. Over WebSocket, one **conduit** (reused by id across restarts) whose
shards are twitchio WebSockets; several processes may share it, each with its own shards
(``--shards 0-3``). Over webhooks, the receiver in webhook.py. Either way the subscriptions
(app token) are kept equal to what the communities own.

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
import math
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from twitchio.exceptions import HTTPException

from game.events import ChatMessage, Event
from kingpin import communities
from kingpin.bus import Publisher, connect_redis
from kingpin.cli import Stack
from kingpin.communities import Directory
from kingpin.keys import Keys
from kingpin.outbox import LIMITS
from kingpin.tokens import TokenStore
from platforms.twitch.auth import Clock, TokenStoreLike, utcnow
from platforms.twitch.chat import UNOWNED, ChatSender, TwitchOutboxSender
from platforms.twitch.client import (
    ConduitClient,
    ConduitTooSmall,
    HttpClient,
    TokenHooks,
    http_error,
    point_at,
)
from platforms.twitch.config import TwitchConfig
from platforms.twitch.dedup import RecentIds
from platforms.twitch.normalize import normalize
from platforms.twitch.subscriptions import all_specs
from platforms.twitch.sync import Subscriptions
from platforms.twitch.webhook import WebhookReceiver, WebhookTransport

log = logging.getLogger(__name__)

Publish = Callable[[Event], Awaitable[None]]
UNOWNED_COUNTER = "unowned_events_twitch"  # field of the <prefix>:stats hash
SUBS_PER_CHANNEL = 9


def conduit_key(keys: Keys) -> str:
    """Where the id of the deployment's conduit is kept (Redis, under the prefix)."""
    return f"{keys.prefix}:twitch:conduit"


def shards_for(subscriptions: int, per_shard: int) -> int:
    """twitchio's rule: one shard per ``per_shard`` subscriptions, plus one; two at least."""
    return max(2, min(20_000, math.ceil(subscriptions / per_shard) + 1))


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
class NotificationStats:
    notifications: int = 0
    duplicates: int = 0
    revocations: int = 0
    unreadable: int = 0


@dataclass
class Notifications:
    """The raw EventSub messages the conduit's shards hand over (``{metadata, payload}``):
    a notification whose ``metadata.message_id`` was seen is dropped (bounded LRU, shared
    with the webhook receiver; the publisher dedups again in Redis), the others go to the
    dispatcher; a revocation is logged."""

    dispatch: Callable[[str, Mapping[str, Any], str | None], Awaitable[None]]
    dedup: RecentIds
    stats: NotificationStats = field(default_factory=NotificationStats)

    async def __call__(self, message: Mapping[str, Any]) -> None:
        metadata = message.get("metadata") if isinstance(message, Mapping) else None
        payload = message.get("payload") if isinstance(message, Mapping) else None
        if not isinstance(metadata, Mapping) or not isinstance(payload, Mapping):
            self.stats.unreadable += 1
            log.warning("twitch eventsub: a message without metadata or payload dropped")
            return
        if metadata.get("message_type") == "revocation":
            self.stats.revocations += 1
            sub = payload.get("subscription")
            sub = sub if isinstance(sub, Mapping) else {}
            log.warning("twitch eventsub: subscription %s (%s) revoked: %s; condition %s",
                        sub.get("type"), sub.get("id"), sub.get("status"), sub.get("condition"))
            return
        message_id = metadata.get("message_id")
        if not isinstance(message_id, str) or not message_id:
            self.stats.unreadable += 1
            log.warning("twitch eventsub: notification without message_id dropped")
            return
        if self.dedup.seen(message_id):
            self.stats.duplicates += 1
            log.debug("twitch eventsub: duplicate message %s dropped", message_id)
            return
        self.stats.notifications += 1
        timestamp = metadata.get("message_timestamp")
        try:
            await self.dispatch(message_id, payload,
                                timestamp if isinstance(timestamp, str) else None)
        except Exception:  # noqa: BLE001 - one bad payload never kills the listener
            log.exception("twitch eventsub: handling message %s (%s) failed", message_id,
                          metadata.get("subscription_type"))


class RetryBuild(RuntimeError):
    """The listener cannot start yet (Twitch unreachable, no conduit id yet): try again."""


@dataclass
class Listener:
    """Everything ``listen`` runs, assembled from explicit dependencies (tests build it too)."""

    cfg: TwitchConfig
    store: TokenStoreLike
    publish: Publish
    redis: Any
    keys: Keys
    storage_uri: str | None
    clock: Clock = utcnow
    directory: Directory | None = None
    runners: list[Any] = field(default_factory=list)
    client: TokenHooks | None = None
    dispatcher: Dispatcher | None = None
    notifications: Notifications | None = None
    subscriptions: Subscriptions | None = None  # None: another process keeps them
    sender: ChatSender | None = None
    outbox: TwitchOutboxSender | None = None
    webhook: WebhookTransport | None = None
    _channels: list[str] = field(default_factory=list)  # owned, in the directory's order
    _mod_channels: set[str] = field(default_factory=set)
    _failing: bool = False

    async def build(self) -> None:
        """Log in to Twitch (tokens from the database), take the conduit, subscribe."""
        cfg = self.cfg
        assert cfg.client_id and cfg.bot_user_id  # checked by the CLI
        bot = cfg.bot_user_id
        point_at(cfg)
        if self.directory is None:
            self.directory = Directory(ttl_s=cfg.reconcile_every_s)
        if self.dispatcher is None:
            await self.adopt_env_channels()
            self._mod_channels = set(cfg.mod_channels)
            self.dispatcher = Dispatcher(self.publish, bot, frozenset(), self._mod_channels,
                                         RecentIds(2000), self.clock,
                                         on_unowned=self._count_unowned)
            self.notifications = Notifications(self.dispatcher, RecentIds(cfg.dedup_cache_size))
        await self._read_channels()
        options: dict[str, Any] = dict(client_id=cfg.client_id,
                                       client_secret=cfg.secret("client_secret") or "",
                                       bot_id=bot, store=self.store, fetch_client_user=False)
        assert self.notifications is not None
        client: TokenHooks
        if cfg.transport == "webhook":
            client = HttpClient(**options)
        else:
            shard_ids = cfg.shard_ids()
            conduit_id = cfg.conduit_id or await self._stored_conduit()
            if shard_ids and 0 not in shard_ids and not conduit_id:
                raise RetryBuild("waiting for the process with shard 0 to create the conduit"
                                 " (or set KINGPIN_TWITCH_CONDUIT_ID)")
            client = ConduitClient(
                on_message=self.notifications, on_conduit=self._keep_conduit,
                shard_count=cfg.shard_count or shards_for(
                    SUBS_PER_CHANNEL * len(self._channels), cfg.max_per_shard),
                keepalive_s=cfg.keepalive_timeout_s, conduit_id=conduit_id or True,
                shard_ids=shard_ids, max_per_shard=cfg.max_per_shard, **options)
        self.client = client
        try:
            await client.login()
        except (aiohttp.ClientError, OSError, TimeoutError, HTTPException, RuntimeError) as exc:
            with contextlib.suppress(Exception):
                await client.close(save_tokens=False)
            self.client = None
            if isinstance(exc, ConduitTooSmall):
                raise RetryBuild(str(exc)) from None
            why = http_error(exc) if isinstance(exc, HTTPException) else type(exc).__name__
            raise RetryBuild(f"logging in to Twitch failed ({why})") from None
        if isinstance(client, ConduitClient):
            conduit = client.conduit_info.id or ""
            log.info("twitch conduit %s: shards %s of %s connected here", conduit,
                     ",".join(sorted(client.sessions, key=int)), client.conduit_info.shard_count)
            if not cfg.shard_ids() or 0 in cfg.shard_ids():
                self.subscriptions = Subscriptions(client, {"method": "conduit",
                                                            "conduit_id": conduit})
        else:
            secret = cfg.secret("webhook_secret") or ""
            assert cfg.webhook_callback_url
            receiver = WebhookReceiver(secret, self.dispatcher, self.notifications.dedup,
                                       self.clock, cfg.webhook_path)
            self.subscriptions = Subscriptions(client, {
                "method": "webhook", "callback": cfg.webhook_callback_url, "secret": secret})
            self.webhook = WebhookTransport(receiver, self.subscriptions, [],
                                            cfg.webhook_callback_url, cfg.webhook_host,
                                            cfg.webhook_port)
            self.runners.append(self.webhook)
        if self.subscriptions is not None and self.webhook is None:
            await self.subscriptions.adopt_listed()
        self.sender = ChatSender(client, bot, as_app=cfg.send_as == "app",
                                 retries=cfg.send_retries, sent_ids=self.dispatcher.sent_ids,
                                 on_drop=self._count_drop, serves=self.serves)
        self.outbox = TwitchOutboxSender(
            redis=self.redis, keys=self.keys, platform="twitch", send=self.sender.send,
            limits=LIMITS["twitch"], storage_uri=self.storage_uri,
            mod_channels=self._mod_channels)
        await self.reconcile()

    async def _stored_conduit(self) -> str | None:
        raw = await self.redis.get(conduit_key(self.keys))
        return raw.decode() if isinstance(raw, bytes) else raw

    async def _keep_conduit(self, conduit_id: str) -> None:
        await self.redis.set(conduit_key(self.keys), conduit_id)

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

    async def _read_channels(self) -> None:
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

    async def reconcile(self) -> None:
        """Read the directory again; make the boundary and the subscriptions follow it."""
        await self._read_channels()
        specs = all_specs(self._channels, self.cfg.bot_user_id or "")
        if self.webhook is not None:
            await self.webhook.update(specs)
            return
        if self.subscriptions is None:
            return  # the process with shard 0 keeps the conduit's subscriptions
        await self.subscriptions.sync(specs)
        client = self.client
        if isinstance(client, ConduitClient) and not self.cfg.shard_ids():
            needed = shards_for(self.subscriptions.count, self.cfg.max_per_shard)
            if needed > (client.conduit_info.shard_count or 0):
                await client.scale_to(needed)

    async def _watch(self, stop: asyncio.Event) -> None:
        """Reconcile every ``reconcile_every_s``."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.cfg.reconcile_every_s)
            if stop.is_set():
                break
            try:
                await self.reconcile()
            except Exception as exc:  # noqa: BLE001 - DB away: keep serving what we know
                if not self._failing:
                    log.warning("twitch: reading the community channels failed (%s); "
                                "serving the last known %d channel(s) until it works",
                                type(exc).__name__, len(self._channels))
                self._failing = True
                continue
            if self._failing:
                log.info("twitch: community channels readable again")
                self._failing = False

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
            await self.close()
        return clean

    async def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                await self.client.close()


class SetupError(RuntimeError):
    """Something the operator must fix before the listener can start (exit status 2)."""


async def check_tokens(cfg: TwitchConfig, store: TokenStoreLike) -> None:
    bot = cfg.bot_user_id or ""
    if await store.get("twitch", bot) is None:
        raise SetupError(f"no Twitch token for the bot user {bot}: run `kingpin twitch "
                         "authorize` logged in as the bot account")


async def start(listener: Listener, stop: asyncio.Event, *, first_wait_s: float = 1.0,
                max_wait_s: float = 30.0) -> bool:
    """``listener.build()`` until it works or ``stop``: Twitch away means waiting (one line
    per try, backing off), never exiting. False if stopped first."""
    wait = first_wait_s
    while not stop.is_set():
        try:
            await listener.build()
            return True
        except RetryBuild as exc:
            log.warning("twitch: %s; trying again in %.0fs", exc, wait)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
        wait = min(max_wait_s, wait * 2)
    return False


async def run_listener(cfg: TwitchConfig, stack: Stack, stop: asyncio.Event, *,
                       init_database: bool = True) -> int:
    """listen: tokens from the DB, events to the publisher, outbox to Helix, until ``stop``."""
    from kingpin.db import close_db, init_db

    settings = stack.settings
    if init_database:
        await init_db(stack.db_url, 2)
    redis = await connect_redis(stack.redis_url, stack.keys)
    publisher = Publisher.from_settings(redis, stack.keys, settings)
    clean = True
    try:
        store = TokenStore()
        try:
            await check_tokens(cfg, store)
        except SetupError as exc:
            print(f"kingpin twitch listen: {exc}", file=sys.stderr)
            return 2
        listener = Listener(cfg, store, publisher.publish, redis, stack.keys,
                            storage_uri=f"async+{stack.redis_url}")
        try:
            if await start(listener, stop):
                log.info("twitch: listening to %d channel(s) over %s", len(listener.channels),
                         cfg.transport)
                if not listener.channels:
                    log.warning("twitch: no community owns a Twitch channel yet; waiting for "
                                "`kingpin community add-channel <slug> twitch <login|id>`")
                clean = await listener.run(stop)
        finally:
            await listener.close()
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
