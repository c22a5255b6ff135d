"""The Kick webhook receiver (aiohttp).

Kick signs every delivery (docs.kick.com/events/webhook-security): ``Kick-Event-Signature``
is base64 of an RSA PKCS#1 v1.5 / SHA-256 signature over
``<Kick-Event-Message-Id>.<Kick-Event-Message-Timestamp>.<raw body>``, checked with Kick's
public key. A delivery is answered:

* 401 bad or missing signature; 400 missing headers or a timestamp outside
  ``max_age_s`` (replays);
* 200 for a duplicate ``Kick-Event-Message-Id`` (already published), for event types we do
  not use and for verified bodies we cannot read (not JSON, nested too deep, or anything
  unexpected while reading them: "unreadable", logged; a retry would not read better);
* 200 "unowned" for an event of a broadcaster no community owns: acknowledged (a retry
  would not change that), handed to ``on_unowned`` (a log line and a counter), not published;
* 200 once the event is in Redis (published *and* flushed); 500 if that failed, so Kick
  retries (it tries 3 times) and nothing is lost. That is the only 500.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from game.events import Event
from platforms.kick.common import BoundedSet, Unowned, parse_time
from platforms.kick.config import ChannelIndex
from platforms.kick.webhook_events import normalize_webhook

log = logging.getLogger("platforms.kick.webhook")

# Kick's published webhook key (docs.kick.com/events/webhook-security, also served at
# https://api.kick.com/public/v1/public-key).
KICK_PUBLIC_KEY_PEM = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq/+l1WnlRrGSolDMA+A8
6rAhMbQGmQ2SapVcGM3zq8ANXjnhDWocMqfWcTd95btDydITa10kDvHzw9WQOqp2
MZI7ZyrfzJuz5nhTPCiJwTwnEtWft7nV14BYRDHvlfqPUaZ+1KR4OCaO/wWIk/rQ
L/TjY0M70gse8rlBkbo2a8rKhu69RQTRsoaf4DVhDPEeSeI5jVrRDGAMGL3cGuyY
6CLKGdjVEM78g3JfYOvDU/RvfqD7L89TZ3iN94jrmWdGz34JNlEI5hqK8dd7C5EF
BEbZ5jgB8s8ReQV8H+MkuffjdAj3ajDDX3DOJMIut1lBrUVD1AaSrGCKHooWoL2e
twIDAQAB
-----END PUBLIC KEY-----
"""

H_ID = "Kick-Event-Message-Id"
H_TIMESTAMP = "Kick-Event-Message-Timestamp"
H_SIGNATURE = "Kick-Event-Signature"
H_TYPE = "Kick-Event-Type"
H_VERSION = "Kick-Event-Version"


def load_public_key(pem: str | bytes) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("the Kick webhook key must be an RSA public key")
    return key


def signed_payload(message_id: str, timestamp: str, body: bytes) -> bytes:
    return f"{message_id}.{timestamp}.".encode() + body


def verify_signature(key: rsa.RSAPublicKey, message_id: str, timestamp: str, body: bytes,
                     signature_b64: str) -> bool:
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        key.verify(signature, signed_payload(message_id, timestamp, body),
                   padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


Publish = Callable[[Event], Awaitable[None]]  # must not return before the event is durable
OnUnowned = Callable[[Unowned], Awaitable[None]]


@dataclass
class WebhookStats:
    accepted: int = 0
    published: int = 0
    duplicates: int = 0
    rejected: int = 0


@dataclass
class WebhookReceiver:
    public_key: rsa.RSAPublicKey
    index: ChannelIndex
    publish: Publish
    max_age_s: float = 600.0
    dedup_size: int = 20_000
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    stats: WebhookStats = field(default_factory=WebhookStats)
    on_unowned: OnUnowned | None = None

    def __post_init__(self) -> None:
        self._seen = BoundedSet(self.dedup_size)

    def app(self, path: str, max_body: int = 1_048_576) -> web.Application:
        app = web.Application(client_max_size=max_body)
        app.router.add_post(path, self.handle)
        return app

    def _reject(self, status: int, reason: str, message_id: str | None) -> web.Response:
        self.stats.rejected += 1
        log.warning("kick webhook rejected (%d %s) message_id=%s", status, reason, message_id)
        return web.Response(status=status, text=reason)

    async def handle(self, request: web.Request) -> web.Response:
        """Never a 500 but for a failed publish: anything unexpected before the signature is
        checked is a 400, after it a 200 "unreadable" (a retry would fail the same way);
        either with one log line and no traceback to the client."""
        body = await request.read()
        try:
            checked = self._check(request, body)
        except Exception as exc:  # noqa: BLE001 - answered and logged, never a 500
            return self._reject(400, f"unreadable request ({type(exc).__name__})",
                                request.headers.get(H_ID) or None)
        if isinstance(checked, web.Response):
            return checked
        message_id, event_type, sent_at, now = checked
        try:
            return await self._accept(message_id, event_type, body, sent_at, now)
        except Exception as exc:  # noqa: BLE001 - a verified body we cannot read: dropped
            log.error("kick webhook %s (%s): verified delivery failed with %s: %s; dropped",
                      message_id, event_type, type(exc).__name__, exc)
            log.debug("kick webhook: the failure", exc_info=True)
            self._seen.add(message_id)
            return web.Response(status=200, text="unreadable")

    def _check(self, request: web.Request, body: bytes
               ) -> web.Response | tuple[str, str, datetime, datetime]:
        """A rejection, or the verified (message id, type, sent at, now)."""
        message_id = request.headers.get(H_ID, "").strip()
        timestamp = request.headers.get(H_TIMESTAMP, "").strip()
        signature = request.headers.get(H_SIGNATURE, "").strip()
        event_type = request.headers.get(H_TYPE, "").strip()
        if not (message_id and timestamp and signature and event_type):
            return self._reject(400, "missing Kick-Event headers", message_id or None)
        if not verify_signature(self.public_key, message_id, timestamp, body, signature):
            return self._reject(401, "bad signature", message_id)
        now = self.clock()
        sent_at = parse_time(timestamp, fallback=datetime.min.replace(tzinfo=UTC))
        if sent_at.year == 1 or abs((now - sent_at).total_seconds()) > self.max_age_s:
            return self._reject(400, "stale or unreadable timestamp", message_id)
        return message_id, event_type, sent_at, now

    async def _accept(self, message_id: str, event_type: str, body: bytes, sent_at: datetime,
                      now: datetime) -> web.Response:
        if message_id in self._seen:
            self.stats.duplicates += 1
            log.info("kick webhook duplicate %s (%s) dropped", message_id, event_type)
            return web.Response(status=200, text="duplicate")
        self.stats.accepted += 1
        try:
            payload: Any = json.loads(body)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            log.error("kick webhook %s (%s): verified body is not readable JSON (%s); dropped",
                      message_id, event_type, type(exc).__name__)
            self._seen.add(message_id)
            return web.Response(status=200, text="unreadable")
        event = normalize_webhook(event_type, message_id, payload, self.index, sent_at, now)
        if isinstance(event, Unowned):
            self._seen.add(message_id)
            if self.on_unowned is not None:
                await self.on_unowned(event)
            return web.Response(status=200, text="unowned")
        if event is not None:
            try:
                await self.publish(event)
            except Exception:  # noqa: BLE001 - answer 500: Kick retries, nothing is lost
                log.exception("kick webhook %s (%s): publish failed", message_id, event_type)
                return web.Response(status=500, text="try again")
            self.stats.published += 1
        self._seen.add(message_id)
        return web.Response(status=200, text="ok")
