"""The webhook receiver over a real local HTTP socket, deliveries signed with a test key."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from platforms.kick.config import KickSettings
from platforms.kick.listener import KickListener
from platforms.kick.webhook import (
    KICK_PUBLIC_KEY_PEM,
    load_public_key,
    signed_payload,
    verify_signature,
)

from .support import CHANNELS, FIXTURES, Sink, load


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def sign(key: rsa.RSAPrivateKey, message_id: str, timestamp: str, body: bytes) -> str:
    signature = key.sign(signed_payload(message_id, timestamp, body), padding.PKCS1v15(),
                         hashes.SHA256())
    return base64.b64encode(signature).decode()


@dataclass
class Hook:
    listener: KickListener
    sink: Sink
    url: str
    key: rsa.RSAPrivateKey
    http: aiohttp.ClientSession
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    async def post(self, event_type: str, body: Any, *, message_id: str,
                   timestamp: str | None = None, raw: bytes | None = None,
                   signature: str | None = None, headers: dict[str, str] | None = None
                   ) -> tuple[int, str]:
        data = raw if raw is not None else json.dumps(body).encode()
        ts = timestamp or self.now.strftime("%Y-%m-%dT%H:%M:%SZ")
        sent = {
            "Kick-Event-Message-Id": message_id, "Kick-Event-Message-Timestamp": ts,
            "Kick-Event-Signature": signature or sign(self.key, message_id, ts, data),
            "Kick-Event-Type": event_type, "Kick-Event-Version": "1",
            "Kick-Event-Subscription-Id": "01SUBSCRIPTION", "Content-Type": "application/json",
        }
        sent.update(headers or {})
        async with self.http.post(self.url, data=data, headers=sent) as resp:
            return resp.status, await resp.text()


@pytest.fixture
async def hook(private_key: rsa.RSAPrivateKey) -> AsyncIterator[Hook]:
    settings = KickSettings(_env_file=None, channels=list(CHANNELS), transport="webhook",
                            webhook_port=0, webhook_public_key=pem(private_key),
                            webhook_max_age_s=300)
    sink = Sink()
    listener = KickListener(settings, sink)
    stop = asyncio.Event()
    task = asyncio.create_task(listener.run(stop))
    for _ in range(200):
        if listener.webhook_port:
            break
        await asyncio.sleep(0.01)
    async with aiohttp.ClientSession() as http:
        yield Hook(listener, sink,
                   f"http://127.0.0.1:{listener.webhook_port}{settings.webhook_path}",
                   private_key, http)
    stop.set()
    await asyncio.wait_for(task, 5)


def follow_body() -> Any:
    return load("webhook_channel.followed.docs.json")["body"]


async def test_valid_delivery_is_published_once_and_duplicates_dropped(hook: Hook) -> None:
    status, _ = await hook.post("channel.followed", follow_body(), message_id="01VALID")
    assert status == 200
    assert [e.event_id for e in hook.sink.events] == ["01VALID"]
    assert hook.sink.flushes >= 1  # answered only after the flush
    status, text = await hook.post("channel.followed", follow_body(), message_id="01VALID")
    assert (status, text) == (200, "duplicate")
    assert len(hook.sink.events) == 1


async def test_tampered_body_or_signature_is_refused(hook: Hook) -> None:
    body = follow_body()
    raw = json.dumps(body).encode()
    ts = hook.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    good = sign(hook.key, "01TAMPER", ts, raw)
    tampered = raw.replace(b"follower_name", b"someone_else")
    status, _ = await hook.post("channel.followed", None, message_id="01TAMPER", raw=tampered,
                                timestamp=ts, signature=good)
    assert status == 401
    # a signature over another message id does not carry over
    status, _ = await hook.post("channel.followed", None, message_id="01OTHER", raw=raw,
                                timestamp=ts, signature=good)
    assert status == 401
    status, _ = await hook.post("channel.followed", body, message_id="01BAD",
                                signature="not base64!")
    assert status == 401
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    status, _ = await hook.post("channel.followed", None, message_id="01KEY", raw=raw,
                                timestamp=ts, signature=sign(other_key, "01KEY", ts, raw))
    assert status == 401
    assert hook.sink.events == []
    # then the genuine delivery still goes through
    status, _ = await hook.post("channel.followed", None, message_id="01TAMPER", raw=raw,
                                timestamp=ts, signature=good)
    assert status == 200 and len(hook.sink.events) == 1


async def test_stale_and_future_timestamps_are_refused(hook: Hook) -> None:
    old = (hook.now - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, _ = await hook.post("channel.followed", follow_body(), message_id="01OLD",
                                timestamp=old)
    assert status == 400
    future = (hook.now + timedelta(minutes=10)).isoformat()
    status, _ = await hook.post("channel.followed", follow_body(), message_id="01NEW",
                                timestamp=future)
    assert status == 400
    status, _ = await hook.post("channel.followed", follow_body(), message_id="01GARBAGE",
                                timestamp="yesterday")
    assert status == 400
    recent = (hook.now - timedelta(seconds=30)).isoformat()  # RFC 3339 with offset
    status, _ = await hook.post("channel.followed", follow_body(), message_id="01RECENT",
                                timestamp=recent)
    assert status == 200
    assert [e.event_id for e in hook.sink.events] == ["01RECENT"]


async def test_missing_headers(hook: Hook) -> None:
    async with hook.http.post(hook.url, data=b"{}") as resp:
        assert resp.status == 400
    assert hook.sink.events == []


async def test_publish_failure_answers_500_and_the_retry_is_not_a_duplicate(hook: Hook) -> None:
    hook.sink.fail_flush = 1
    status, _ = await hook.post("channel.followed", follow_body(), message_id="01RETRY")
    assert status == 500
    status, _ = await hook.post("channel.followed", follow_body(), message_id="01RETRY")
    assert status == 200
    assert [e.event_id for e in hook.sink.events] == ["01RETRY"]


async def test_unknown_types_and_unreadable_bodies_are_acknowledged(hook: Hook) -> None:
    status, _ = await hook.post("channel.brand_new", follow_body(), message_id="01NEWTYPE")
    assert status == 200
    status, text = await hook.post("channel.followed", None, message_id="01NOTJSON",
                                   raw=b"<html>")
    assert (status, text) == (200, "unreadable")
    assert hook.sink.events == []


async def test_redemption_status_updates_count_once(hook: Hook) -> None:
    body = load("webhook_channel.reward.redemption.updated.docs.json")["body"]
    for message_id, status_value in (("01P", "pending"), ("01A", "accepted"),
                                     ("01R", "rejected")):
        status, _ = await hook.post("channel.reward.redemption.updated",
                                    dict(body, status=status_value), message_id=message_id)
        assert status == 200
    assert [e.event_id for e in hook.sink.events] == ["redemption:01KBHE78QE4HZY1617DK5FC7YD"]


async def test_chat_message_uses_the_message_id(hook: Hook) -> None:
    body = load("webhook_chat.message.sent.real_capture.json")
    status, _ = await hook.post("chat.message.sent", body, message_id="01CHAT")
    assert status == 200
    assert [e.event_id for e in hook.sink.events] == ["306a5724-94a2-4053-85d3-0d0c4af40806"]


def test_the_published_kick_key_loads_and_rejects_foreign_signatures(
        private_key: rsa.RSAPrivateKey) -> None:
    kick = load_public_key(KICK_PUBLIC_KEY_PEM)
    assert kick.key_size == 2048
    body = b'{"x":1}'
    signature = sign(private_key, "01", "2025-01-01T00:00:00Z", body)
    assert verify_signature(load_public_key(pem(private_key)), "01", "2025-01-01T00:00:00Z",
                            body, signature)
    assert not verify_signature(kick, "01", "2025-01-01T00:00:00Z", body, signature)
    shipped = load_public_key((FIXTURES / "webhook_public_key.pem").read_bytes())
    assert shipped.public_numbers() == kick.public_numbers()


DEEP_BODIES = {
    "array": b"[" * 60_000 + b"]" * 60_000,
    "object": b'{"a":' * 60_000 + b"1" + b"}" * 60_000,
    "inside a real body": json.dumps(follow_body()).encode()[:-1]
    + b', "extra": ' + b"[" * 60_000 + b"]" * 60_000 + b"}",
}


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
async def test_a_signed_body_nested_60000_deep_is_200_unreadable(
    hook: Hook, shape: str, caplog: pytest.LogCaptureFixture
) -> None:
    message_id = f"01DEEP{shape.upper().replace(' ', '')}"
    status, text = await hook.post("channel.followed", None, message_id=message_id,
                                   raw=DEEP_BODIES[shape])
    assert (status, text) == (200, "unreadable")  # not 500: Kick would retry it 3 times
    assert any(message_id in r.getMessage() for r in caplog.records)
    # a retry of it is a duplicate, and the receiver still works
    status, text = await hook.post("channel.followed", None, message_id=message_id,
                                   raw=DEEP_BODIES[shape])
    assert (status, text) == (200, "duplicate")
    status, _ = await hook.post("channel.followed", follow_body(), message_id="01AFTER")
    assert status == 200
    assert [e.event_id for e in hook.sink.events] == ["01AFTER"]


async def test_an_unexpected_failure_before_the_signature_is_a_400_not_500(
    hook: Hook, caplog: pytest.LogCaptureFixture
) -> None:
    """A message id that is not UTF-8 (aiohttp keeps it as surrogates) cannot be checked:
    400 with a log line, never a 500 (Kick retries those) and never a traceback."""
    host, port = hook.url.split("//", 1)[1].split("/", 1)[0].split(":")
    path = "/" + hook.url.split("//", 1)[1].split("/", 1)[1]
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n"
        b"Kick-Event-Message-Id: \xff\xfe-bad\r\n"
        b"Kick-Event-Message-Timestamp: 2025-01-01T00:00:00Z\r\n"
        b"Kick-Event-Signature: AAAA\r\nKick-Event-Type: channel.followed\r\n"
        b"Content-Type: application/json\r\nConnection: close\r\n"
        b"Content-Length: 2\r\n\r\n{}")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    assert answer.split(b"\r\n", 1)[0].split()[1] == b"400", answer
    assert b"Traceback" not in answer
    assert any(r.name == "platforms.kick.webhook" for r in caplog.records)
    assert hook.sink.events == []


@pytest.mark.parametrize("timestamp", [
    "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59.999999999Z",
    "9999-12-31T23:59:59-01:00", "99999999999999999999", "1e400",
])
async def test_timestamps_in_year_1_or_9999_are_400(hook: Hook, timestamp: str) -> None:
    status, text = await hook.post("channel.followed", follow_body(), message_id="01FAR",
                                   timestamp=timestamp)
    assert (status, text) == (400, "stale or unreadable timestamp")
    assert hook.sink.events == []
