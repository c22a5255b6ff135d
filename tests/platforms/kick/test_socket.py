"""The Pusher socket against a local server speaking the Pusher protocol: handshake,
subscriptions, pings both ways, drops, reconnect + resubscribe, error codes, exactly-once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

from game.events import ChatMessage, GiftSubscriptions, Subscription
from kingpin.bus import Publisher
from kingpin.keys import Keys
from platforms.kick.config import KickSettings
from platforms.kick.listener import KickListener
from platforms.kick.pusher import PusherFatal, classify

from .pusher_server import Conn, FakePusher
from .support import CHANNELS, FIXTURES, Sink, frame_file, frame_json, published_events

LITNEY, K715 = CHANNELS[0], CHANNELS[1]


def kick_settings(url: str, **extra: Any) -> KickSettings:
    values: dict[str, Any] = {
        "channels": [LITNEY, K715], "transport": "socket", "pusher_url": url,
        "reconnect_min_s": 0.05, "reconnect_max_s": 0.2, "coalesce_s": 0.05,
        "connect_timeout_s": 3, "pong_timeout_s": 2,
    }
    values.update(extra)
    return KickSettings(_env_file=None, **values)


async def until(predicate: Callable[[], bool], limit_s: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit_s
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


def recorded(name: str) -> str:
    return frame_json(frame_file(name))


CHAT = recorded("pusher_ChatMessageEvent.message.frame.json")
REPLY = recorded("pusher_ChatMessageEvent.reply.frame.json")
SUB_CHANNEL = recorded("pusher_ChannelSubscriptionEvent.frame.json")
SUB_INFO = recorded("pusher_ChatMessageSentEvent.subscribe.frame.json")
GIFT = recorded("pusher_ChatMessageSentEvent.gift.frame.json")


def test_error_code_ranges_follow_the_protocol() -> None:
    assert [classify(c) for c in (4000, 4001, 4099, 4100, 4199, 4200, 4201, 4299, 4301,
                                  None, 1006)] == [
        "fatal", "fatal", "fatal", "backoff", "backoff", "immediate", "immediate",
        "immediate", "continue", "backoff", "backoff"]


async def test_drop_reconnect_resubscribe_and_every_event_published_exactly_once(
        private_redis: tuple[Any, Keys]) -> None:
    redis, keys = private_redis
    publisher = Publisher(redis, keys, max_wait_ms=2)

    async def first(conn: Conn) -> None:
        await conn.send_raw(CHAT)
        await conn.send_raw(REPLY)
        await conn.send("pusher:ping", {})  # the server checks on us
        await asyncio.wait_for(conn.got_pong.wait(), 3)
        await conn.send_raw(SUB_CHANNEL)
        await asyncio.sleep(0.1)
        conn.drop()

    async def second(conn: Conn) -> None:
        await conn.send_raw(CHAT)  # seen before the drop: must not count twice
        await conn.send_raw(SUB_INFO)  # the same subscription, its other shape
        await conn.send_raw(GIFT)

    async with FakePusher(expected_channels=10, scripts=[first, second]) as server:
        ks = kick_settings(server.url)
        listener = KickListener(ks, publisher)
        stop = asyncio.Event()
        task = asyncio.create_task(listener.run(stop))
        await until(lambda: listener.stats.published >= 4 and len(server.connections) == 2)
        await asyncio.sleep(0.3)  # anything late would show up now
        stop.set()
        await asyncio.wait_for(task, 5)

    one, two = server.connections
    assert one.subscribed == two.subscribed == ks.subscriptions()
    assert set(ks.subscriptions()) == {
        "chatrooms.1221707.v2", "chatrooms.1221707", "chatroom_1221707", "channel.1228709",
        "channel_1228709", "chatrooms.715.v2", "chatrooms.715", "chatroom_715",
        "channel.715", "channel_715"}
    assert one.pongs == 1  # answered the server's ping
    assert all(m["data"] == {"auth": "", "channel": m["data"]["channel"]}
               for m in two.received if m["event"] == "pusher:subscribe")

    # exactly once, read back from the arq jobs in Redis
    published = await published_events(publisher, redis, keys)
    kinds = sorted((e.kind, e.event_id) for e in published)
    assert len(kinds) == len(set(kinds)) == 4
    by_kind = {e.kind: e for e in published}
    assert {e.event_id for e in published if isinstance(e, ChatMessage)} == {
        "bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932", "37e2ddbd-302c-4e5a-beda-4913c1747459"}
    sub = by_kind["subscription"]
    assert isinstance(sub, Subscription) and sub.user.id == "52689656"
    assert isinstance(by_kind["gift_subscriptions"], GiftSubscriptions)
    assert listener.stats.duplicates >= 1  # the redelivered chat line (and the sub twin)
    assert publisher.stats.published == 4


async def test_we_ping_when_idle_and_keep_the_connection() -> None:
    async with FakePusher(expected_channels=10, activity_timeout=120) as server:
        listener = KickListener(kick_settings(server.url, activity_timeout_s=0.2), Sink())
        stop = asyncio.Event()
        task = asyncio.create_task(listener.run(stop))
        await until(lambda: bool(server.connections) and server.connections[0].pings >= 2)
        stop.set()
        await asyncio.wait_for(task, 5)
    assert len(server.connections) == 1
    assert listener.socket is not None and listener.socket.stats.pings_sent >= 2


async def test_no_pong_means_a_dead_connection() -> None:
    async with FakePusher(expected_channels=10, answer_pings=False) as server:
        listener = KickListener(kick_settings(server.url, activity_timeout_s=0.2,
                                              pong_timeout_s=0.2), Sink())
        stop = asyncio.Event()
        task = asyncio.create_task(listener.run(stop))
        await until(lambda: len(server.connections) >= 2
                    and len(server.connections[1].subscribed) == 10)
        stop.set()
        await asyncio.wait_for(task, 5)
    assert server.connections[0].pings >= 1


async def test_error_4200_reconnects_and_resubscribes() -> None:
    error = (FIXTURES / "pusher_error_4200.frame.json").read_text()

    async def first(conn: Conn) -> None:
        await conn.send_raw(json.dumps(json.loads(error)))

    async with FakePusher(expected_channels=10, scripts=[first]) as server:
        listener = KickListener(kick_settings(server.url), Sink())
        stop = asyncio.Event()
        task = asyncio.create_task(listener.run(stop))
        await until(lambda: len(server.connections) >= 2
                    and len(server.connections[1].subscribed) == 10)
        stop.set()
        await asyncio.wait_for(task, 5)


@pytest.mark.parametrize("code", [4001, 4009])
async def test_errors_4000_4099_stop_instead_of_retrying(code: int) -> None:
    frame = {"event": "pusher:error", "data": {"code": code, "message": "Application does "
                                                                        "not exist"}}
    async with FakePusher(expected_channels=10, first_frame=frame) as server:
        listener = KickListener(kick_settings(server.url), Sink())
        with pytest.raises(PusherFatal):
            await asyncio.wait_for(listener.run(asyncio.Event()), 5)
    assert len(server.connections) == 1


async def test_close_code_4100_backs_off_and_comes_back() -> None:
    async def first(conn: Conn) -> None:
        await conn.ws.close(code=4100, reason="Over capacity")

    async with FakePusher(expected_channels=10, scripts=[first]) as server:
        listener = KickListener(kick_settings(server.url), Sink())
        stop = asyncio.Event()
        task = asyncio.create_task(listener.run(stop))
        await until(lambda: len(server.connections) >= 2
                    and len(server.connections[1].subscribed) == 10)
        stop.set()
        await asyncio.wait_for(task, 5)


async def test_bad_frames_never_kill_the_listener() -> None:
    sink = Sink()

    async def first(conn: Conn) -> None:
        await conn.send_raw("this is not json")
        await conn.send_raw(json.dumps({"no": "event"}))
        await conn.send("App\\Events\\ChatMessageEvent", {"id": "x", "sender": 5},
                        "chatrooms.1221707.v2")
        await conn.send("App\\Events\\SomethingNew", {"a": 1}, "chatrooms.1221707.v2")
        await conn.send("App\\Events\\ChatMessageEvent", "{not json", "chatrooms.1221707.v2",
                        encode=False)
        await conn.send_raw(CHAT)

    async with FakePusher(expected_channels=10, scripts=[first]) as server:
        listener = KickListener(kick_settings(server.url), sink)
        stop = asyncio.Event()
        task = asyncio.create_task(listener.run(stop))
        await until(lambda: len(sink.buffer) + len(sink.events) >= 1)
        stop.set()
        await asyncio.wait_for(task, 5)
    assert [e.event_id for e in sink.events] == ["bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932"]
    assert len(server.connections) == 1


async def test_beside_webhooks_the_socket_only_brings_chat_and_raids() -> None:
    sink = Sink()
    ks = kick_settings("ws://127.0.0.1:1/unused", transport="both", webhook_port=0)
    listener = KickListener(ks, sink)
    from platforms.kick.pusher_events import decode_frame

    for raw in (CHAT, SUB_CHANNEL, SUB_INFO, GIFT,
                recorded("pusher_RewardRedeemedEvent.frame.json")):
        frame = decode_frame(raw)
        assert frame is not None
        await listener.on_frame(frame)
    await listener.flush_fragments(force=True)
    await sink.flush()
    assert [e.kind for e in sink.events] == ["chat_message"]
    assert listener.stats.filtered == 3  # two sub shapes, one gift (the reward is unconfigured)

