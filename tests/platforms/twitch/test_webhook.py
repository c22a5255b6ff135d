"""The EventSub webhook receiver over a real local socket: signatures, age, dedup, challenge."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from game.events import Cheer, Event
from platforms.twitch.client import HttpClient, point_at
from platforms.twitch.dedup import RecentIds
from platforms.twitch.listener import Dispatcher
from platforms.twitch.normalize import parse_time
from platforms.twitch.subscriptions import all_specs
from platforms.twitch.sync import Subscriptions
from platforms.twitch.webhook import (
    WebhookReceiver,
    WebhookTransport,
    fresh_timestamp,
    signature,
)

from .eventsub import config
from .support import BOT, NOW, MemoryTokenStore, TwitchStub, load, payload

SECRET = "s3cre7-kingpin-test"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> Any:
        return self.now


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[WebhookReceiver, list[Event], str, Clock]]:
    events: list[Event] = []

    async def publish(event: Event) -> None:
        events.append(event)

    clock = Clock()
    dispatcher = Dispatcher(publish, BOT, frozenset({"1337"}), clock=clock)
    recv = WebhookReceiver(SECRET, dispatcher, RecentIds(100), clock)
    runner = web.AppRunner(recv.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield recv, events, f"http://127.0.0.1:{port}{recv.path}", clock
    await runner.cleanup()


def headers(message_id: str, timestamp: str, body: bytes, kind: str = "notification",
            secret: str = SECRET) -> dict[str, str]:
    return {
        "Twitch-Eventsub-Message-Id": message_id,
        "Twitch-Eventsub-Message-Timestamp": timestamp,
        "Twitch-Eventsub-Message-Signature": signature(secret, message_id, timestamp, body),
        "Twitch-Eventsub-Message-Type": kind,
        "Twitch-Eventsub-Message-Retry": "0",
        "Twitch-Eventsub-Subscription-Type": "channel.cheer",
        "Twitch-Eventsub-Subscription-Version": "1",
        "Content-Type": "application/json",
    }


async def post(url: str, body: bytes, hdrs: dict[str, str]) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.post(url, data=body,
                                                                 headers=hdrs) as resp:
        return resp.status, await resp.text(), resp.headers.get("Content-Type", "")


async def test_valid_tampered_stale_and_duplicate_deliveries(receiver: Any) -> None:
    recv, events, url, clock = receiver
    body = json.dumps(payload("channel.cheer")).encode()
    ts = fresh_timestamp(NOW - timedelta(seconds=3))

    status, _, _ = await post(url, body, headers("msg-1", ts, body))
    assert status == 204
    assert len(events) == 1 and isinstance(events[0], Cheer)
    assert events[0].event_id == "msg-1" and events[0].bits == 1000
    assert events[0].occurred_at == parse_time(ts)

    # tampered: the body changed after signing (bits 1000 -> 9000)
    tampered = body.replace(b'"bits": 1000', b'"bits": 9000')
    assert tampered != body
    status, _, _ = await post(url, tampered, headers("msg-2", ts, body))
    assert status == 403
    # signed with another secret
    status, _, _ = await post(url, body, headers("msg-3", ts, body, secret="not-the-secret"))
    assert status == 403
    # stale: signed correctly but 11 minutes old
    old = fresh_timestamp(NOW - timedelta(minutes=11))
    status, _, _ = await post(url, body, headers("msg-4", old, body))
    assert status == 403
    # duplicate: Twitch redelivers msg-1; acknowledged, not published again
    status, _, _ = await post(url, body, headers("msg-1", ts, body))
    assert status == 204
    # missing headers
    status, _, _ = await post(url, body, {"Content-Type": "application/json"})
    assert status == 400

    assert len(events) == 1
    assert recv.stats.rejected_signature == 3 and recv.stats.rejected_stale == 1
    assert recv.stats.duplicates == 1 and recv.stats.notifications == 1
    # a rejected message id was not remembered: the genuine delivery of msg-4 still counts
    status, _, _ = await post(url, body, headers("msg-4", ts, body))
    assert status == 204 and len(events) == 2


async def test_verification_challenge_with_twitchs_own_signed_request(receiver: Any) -> None:
    recv, events, url, clock = receiver
    fixture = load("eventsub_webhook_callback_verification.signed.json")
    recv.secret = "HELLOabc2321"  # the secret that request was signed with
    hdrs = fixture["headers"]
    clock.now = parse_time(hdrs["Twitch-Eventsub-Message-Timestamp"]) + timedelta(seconds=1)
    body = json.dumps(fixture["body"], separators=(",", ":")).encode()
    status, text, ctype = await post(url, body, hdrs)
    assert status == 200
    assert text == "11535768-497e-14ec-8197-ba2cb5341a01"
    assert ctype.startswith("text/plain")
    assert recv.stats.verifications == 1 and events == []
    # the same request, one byte different, is refused
    status, _, _ = await post(url, body.replace(b"channel.subscribe", b"channel.subscribX"),
                              hdrs)
    assert status == 403


async def test_revocation_is_acknowledged_and_dropped(receiver: Any) -> None:
    recv, events, url, clock = receiver
    body = json.dumps(load("eventsub_webhook_revocation.docs.json")["body"]).encode()
    status, _, _ = await post(url, body, headers("rev-1", fresh_timestamp(NOW), body,
                                                  kind="revocation"))
    assert status == 204
    assert recv.stats.revocations == 1 and events == []


async def test_webhook_transport_creates_every_subscription_with_the_app_token() -> None:
    stub = await TwitchStub().start()
    callback = "https://kingpin.example/twitch/eventsub"
    point_at(config(stub, "ws://unused"))
    client = HttpClient(client_id="cid", client_secret="csecret", bot_id=BOT,
                        store=MemoryTokenStore(), fetch_client_user=False)
    try:
        await client.login()

        async def publish(event: Event) -> None:
            pass

        recv = WebhookReceiver(SECRET, Dispatcher(publish, BOT, frozenset()), RecentIds())
        subs = Subscriptions(client, {"method": "webhook", "callback": callback,
                                      "secret": SECRET})
        transport = WebhookTransport(recv, subs, all_specs(["1337", "42"], BOT), callback,
                                     host="127.0.0.1", port=0)
        await transport.subscribe()
    finally:
        await client.close()
        await stub.stop()
    assert len(stub.subscriptions) == 18 and len(transport.created) == 18
    assert {s["transport"]["method"] for s in stub.subscriptions} == {"webhook"}
    assert {s["transport"]["secret"] for s in stub.subscriptions} == {SECRET}
    assert {s["transport"]["callback"] for s in stub.subscriptions} == {
        "https://kingpin.example/twitch/eventsub"}
    # the app token came from client_credentials and was used for every call
    assert [r["grant_type"] for r in stub.token_requests] == ["client_credentials"]
    assert set(stub.sub_tokens) == {"new-access-1"}


DEEP_BODIES = {
    "array": b"[" * 60_000 + b"]" * 60_000,
    "object": b'{"a":' * 60_000 + b"1" + b"}" * 60_000,
}


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
async def test_a_signed_body_nested_60000_deep_is_400(
    receiver: Any, shape: str, caplog: pytest.LogCaptureFixture
) -> None:
    recv, events, url, clock = receiver
    body = DEEP_BODIES[shape]
    for kind in ("notification", "webhook_callback_verification"):
        status, text, _ = await post(url, body, headers(f"deep-{shape}-{kind}",
                                                        fresh_timestamp(NOW), body, kind))
        assert status == 400, text
        assert "Traceback" not in text
    assert events == []
    assert any("deep-" in r.getMessage() for r in caplog.records)
    # the receiver still works
    good = json.dumps(payload("channel.cheer")).encode()
    status, _, _ = await post(url, good, headers("after-deep", fresh_timestamp(NOW), good))
    assert status == 204 and len(events) == 1


@pytest.mark.parametrize("timestamp", [
    "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00.000000001Z",
    "9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59Z",
])
async def test_timestamps_in_year_1_or_9999_are_refused_not_500(
    receiver: Any, timestamp: str
) -> None:
    recv, events, url, clock = receiver
    body = json.dumps(payload("channel.cheer")).encode()
    status, text, _ = await post(url, body, headers("far-time", timestamp, body))
    assert status == 403, text
    assert events == [] and recv.stats.rejected_stale == 1


def test_parse_time_outside_datetimes_range_is_none() -> None:
    # an offset that moves the instant before year 1 or after 9999 is unreadable, not a crash
    assert parse_time("0001-01-01T00:00:00+01:00") is None
    assert parse_time("9999-12-31T23:59:59.999999999-01:00") is None
    assert parse_time("9999-12-31T23:59:59+01:00") == datetime(9999, 12, 31, 22, 59, 59,
                                                                tzinfo=UTC)


async def test_a_challenge_that_is_not_a_string_is_400(receiver: Any) -> None:
    recv, events, url, clock = receiver
    body = json.dumps({"challenge": {"nested": [1, 2]}, "subscription": {}}).encode()
    status, text, _ = await post(url, body, headers("odd-challenge", fresh_timestamp(NOW), body,
                                                    kind="webhook_callback_verification"))
    assert status == 400, text


async def test_an_unexpected_failure_is_a_4xx_and_a_log_line_never_500(
    receiver: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A message id that is not UTF-8 (aiohttp keeps it as surrogates) cannot even be
    signed over: 400 with a log line, no traceback to the client."""
    recv, events, url, clock = receiver
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    body = b"{}"
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"POST " + recv.path.encode() + b" HTTP/1.1\r\nHost: x\r\n"
        b"Twitch-Eventsub-Message-Id: \xff\xfe-bad\r\n"
        b"Twitch-Eventsub-Message-Timestamp: " + fresh_timestamp(NOW).encode() + b"\r\n"
        b"Twitch-Eventsub-Message-Signature: sha256=00\r\n"
        b"Twitch-Eventsub-Message-Type: notification\r\n"
        b"Content-Type: application/json\r\nConnection: close\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.split()[1] in (b"400", b"403"), answer
    assert b"Traceback" not in answer and b"Error" not in answer.split(b"\r\n\r\n", 1)[1]
    assert events == []
    assert any(r.name == "platforms.twitch.webhook" for r in caplog.records)
