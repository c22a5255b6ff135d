"""EventSub over webhooks: an aiohttp endpoint Twitch POSTs to (Twitch-Eventsub-* headers).

Every request is checked before anything else: HMAC-SHA256 (the subscription secret) over
message id + timestamp + raw body must equal ``Twitch-Eventsub-Message-Signature``
(``sha256=<hex>``, compared in constant time), and the timestamp must be at most 10 minutes
old. Then: ``webhook_callback_verification`` is answered with the challenge (text/plain),
``revocation`` is logged, a ``notification`` whose message id was already seen is acknowledged
and dropped, others go to ``on_notification``. Answers are 2xx and immediate: the handler only
buffers into the publisher.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from platforms.twitch.auth import Clock, utcnow
from platforms.twitch.dedup import RecentIds
from platforms.twitch.normalize import parse_time
from platforms.twitch.subscriptions import SubSpec
from platforms.twitch.sync import Subscriptions

log = logging.getLogger(__name__)

# message_id, payload ({subscription, event}), message timestamp
OnNotification = Callable[[str, Mapping[str, Any], str | None], Awaitable[None]]

H_ID = "Twitch-Eventsub-Message-Id"
H_TIMESTAMP = "Twitch-Eventsub-Message-Timestamp"
H_SIGNATURE = "Twitch-Eventsub-Message-Signature"
H_TYPE = "Twitch-Eventsub-Message-Type"
MAX_AGE = timedelta(minutes=10)


def signature(secret: str, message_id: str, timestamp: str, body: bytes) -> str:
    """The value Twitch puts in Twitch-Eventsub-Message-Signature."""
    mac = hmac.new(secret.encode(), message_id.encode() + timestamp.encode() + body,
                   hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


@dataclass
class WebhookStats:
    notifications: int = 0
    duplicates: int = 0
    rejected_signature: int = 0
    rejected_stale: int = 0
    verifications: int = 0
    revocations: int = 0


@dataclass
class WebhookReceiver:
    secret: str
    on_notification: OnNotification
    dedup: RecentIds
    clock: Clock = utcnow
    path: str = "/twitch/eventsub"
    stats: WebhookStats = field(default_factory=WebhookStats)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.path, self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Never a 500 (Twitch would retry and, in the end, revoke the subscription): anything
        unexpected is a 400 and one log line; the client never sees a traceback."""
        try:
            return await self._handle(request)
        except web.HTTPException:
            raise  # aiohttp's own answers (413 for a body over client_max_size, ...)
        except Exception as exc:  # noqa: BLE001 - answered 400, logged
            log.error("twitch webhook: message %r refused (400) after %s: %s",
                      request.headers.get(H_ID, ""), type(exc).__name__, exc)
            log.debug("twitch webhook: the failure", exc_info=True)
            return web.Response(status=400, text="bad request")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        message_id = request.headers.get(H_ID, "")
        timestamp = request.headers.get(H_TIMESTAMP, "")
        given = request.headers.get(H_SIGNATURE, "")
        kind = request.headers.get(H_TYPE, "")
        body = await request.read()
        if not message_id or not timestamp or not given:
            self.stats.rejected_signature += 1
            return web.Response(status=400, text="missing EventSub headers")
        expected = signature(self.secret, message_id, timestamp, body)
        if not hmac.compare_digest(expected.encode(), given.encode()):
            self.stats.rejected_signature += 1
            log.warning("twitch webhook: bad signature on message %s (%s)", message_id, kind)
            return web.Response(status=403, text="bad signature")
        sent_at = parse_time(timestamp)
        now = self.clock()
        if sent_at is None or now - sent_at > MAX_AGE or sent_at - now > MAX_AGE:
            self.stats.rejected_stale += 1
            log.warning("twitch webhook: message %s timestamp %s out of range", message_id,
                        timestamp)
            return web.Response(status=403, text="stale timestamp")
        try:
            payload: Any = json.loads(body)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            log.warning("twitch webhook: message %s is not readable JSON (%s)", message_id,
                        type(exc).__name__)
            return web.Response(status=400, text="not JSON")
        if not isinstance(payload, dict):
            log.warning("twitch webhook: message %s is not a JSON object", message_id)
            return web.Response(status=400, text="not an object")
        if kind == "webhook_callback_verification":
            challenge = payload.get("challenge")
            sub = payload.get("subscription")
            sub = sub if isinstance(sub, dict) else {}
            if not isinstance(challenge, str):
                log.warning("twitch webhook: verification %s has no challenge string",
                            message_id)
                return web.Response(status=400, text="no challenge")
            self.stats.verifications += 1
            log.info("twitch webhook: verifying %s (%s)", sub.get("type"), sub.get("id"))
            return web.Response(text=challenge, content_type="text/plain")
        if self.dedup.seen(message_id):
            self.stats.duplicates += 1
            log.debug("twitch webhook: duplicate message %s dropped", message_id)
            return web.Response(status=204)
        if kind == "notification":
            self.stats.notifications += 1
            try:
                await self.on_notification(message_id, payload, timestamp)
            except Exception:  # noqa: BLE001 - still 2xx: a redelivery would fail the same way
                log.exception("twitch webhook: handling message %s failed", message_id)
            return web.Response(status=204)
        if kind == "revocation":
            self.stats.revocations += 1
            sub = payload.get("subscription") or {}
            log.warning("twitch webhook: subscription %s (%s) revoked: %s; condition %s",
                        sub.get("type"), sub.get("id"), sub.get("status"),
                        sub.get("condition"))
            return web.Response(status=204)
        log.info("twitch webhook: message type %r ignored", kind)
        return web.Response(status=204)


@dataclass
class WebhookTransport:
    """Serves the receiver, then makes the subscriptions equal to ``specs`` (app token,
    through twitchio): the ones our callback already has (from an earlier run) are kept,
    the rest are created; those no longer wanted (a channel removed, also while we were
    down) are deleted. ``update(specs)`` does the same later."""

    receiver: WebhookReceiver
    subscriptions: Subscriptions
    specs: Sequence[SubSpec]
    callback_url: str
    host: str = "0.0.0.0"  # noqa: S104 - Twitch must reach it
    port: int = 8080
    bound_port: int | None = None
    _ready: bool = False

    @property
    def created(self) -> list[str]:
        return self.subscriptions.ids()

    async def run(self, stop: asyncio.Event) -> None:
        runner = web.AppRunner(self.receiver.app(), access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            server = getattr(site, "_server", None)
            sockets = getattr(server, "sockets", None) or []
            self.bound_port = sockets[0].getsockname()[1] if sockets else self.port
            log.info("twitch webhook: listening on %s:%s%s", self.host, self.bound_port,
                     self.receiver.path)
            await self.subscribe()
            await stop.wait()
        finally:
            with contextlib.suppress(Exception):
                await runner.cleanup()

    async def subscribe(self) -> None:
        await self.subscriptions.adopt_listed()
        self._ready = True
        await self.subscriptions.sync(self.specs)

    async def update(self, specs: Sequence[SubSpec]) -> None:
        """The subscriptions wanted from now on (applied once the endpoint is up)."""
        self.specs = list(specs)
        if self._ready:
            await self.subscriptions.sync(self.specs)


def fresh_timestamp(now: datetime) -> str:
    """A timestamp in Twitch's format (for tests and tools)."""
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
