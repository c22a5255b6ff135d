"""The Kick listener serves exactly the channels communities own: the env's channels join the
default community, rows added or removed while it runs are (un)subscribed on a local Pusher
server within the reconcile interval, and an event for a channel nobody owns is dropped at
the edge (a log line, ``unowned_events_kick`` in Redis) on the socket and the webhook."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from tortoise import connections

from kingpin import communities
from kingpin.bus import Publisher
from kingpin.communities import Directory
from kingpin.keys import Keys
from platforms.kick.channels import (
    UNOWNED_COUNTER,
    CommunityChannels,
    channel_row,
    parse_channel_row,
    row_of,
)
from platforms.kick.config import KickChannel, KickSettings
from platforms.kick.listener import KickListener

from .pusher_server import FakePusher
from .support import CHANNELS, frame_file, frame_json, load, published_events
from .test_socket import kick_settings, until
from .test_webhook import pem, private_key, sign  # noqa: F401 - the key fixture

LITNEY, K715 = CHANNELS[0], CHANNELS[1]
CHAT = frame_json(frame_file("pusher_ChatMessageEvent.message.frame.json"))  # LITNEY
CHAT_ID = "bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932"
GIFT = frame_json(frame_file("pusher_ChatMessageSentEvent.gift.frame.json"))  # LITNEY
RECONCILE_S = 0.3

pytestmark = pytest.mark.usefixtures("kick_rows")


def names(ch: KickChannel) -> list[str]:
    return KickSettings(_env_file=None).subscriptions([ch])


async def own(ch: KickChannel, slug: str = "local") -> None:
    channel_id, label = row_of(ch)
    await communities.add_channel(slug, "kick", channel_id, "chat", label)


def subscribed(server: FakePusher, count: int) -> Callable[[], bool]:
    """The first connection asked for ``count`` channels."""
    return lambda: bool(server.connections) and len(server.connections[0].subscribed) == count


async def unowned_count(redis: Any, keys: Keys) -> int:
    return int(await redis.hget(keys.stats, UNOWNED_COUNTER) or 0)


def listener_for(settings: KickSettings, redis: Any, keys: Keys) -> tuple[KickListener,
                                                                          Publisher]:
    publisher = Publisher(redis, keys, max_wait_ms=2)
    source = CommunityChannels(Directory(), redis, keys.stats)
    return KickListener(settings, publisher, channels=source), publisher


@contextlib.asynccontextmanager
async def running(listener: KickListener) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(listener.run(stop))
    try:
        await asyncio.wait_for(listener.ready.wait(), 5)
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)


# --- the row format ---


def test_channel_rows_round_trip_and_refuse_what_is_not_a_kick_channel() -> None:
    assert channel_row(676, channel_id=668, chatroom_id=668, slug="xqc") == (
        "676", '{"slug":"xqc","channel_id":668,"chatroom_id":668}')
    assert channel_row("676") == ("676", "")
    for ch in CHANNELS:
        assert parse_channel_row(*row_of(ch)) == ch
    # what people may have written by hand: a plain slug, a KINGPIN_KICK_CHANNELS entry
    assert parse_channel_row("676", "xqc") == KickChannel(broadcaster_user_id=676, slug="xqc")
    entry = json.dumps({"broadcaster_user_id": 676, "channel_id": 668, "chatroom_id": 668})
    assert parse_channel_row("676", entry).chatroom_id == 668
    # null for what is not known (webhooks only)
    assert parse_channel_row("676", '{"slug":"xqc","channel_id":null,"chatroom_id":null}') == (
        KickChannel(broadcaster_user_id=676, slug="xqc"))
    for channel_id, label in (("xqc", ""), ("0", ""), ("676", '{"chatroom_id": "x"}'),
                              ("676", '{"broadcaster_user_id": 5}'), ("676", "{not json"),
                              ("676", '{"what": 1}')):
        with pytest.raises(ValueError):
            parse_channel_row(channel_id, label)
    with pytest.raises(ValueError):
        channel_row("xqc")
    with pytest.raises(ValueError):
        channel_row(676, slug="x" * 200)


# --- (d) the env's channels join the default community ---


async def test_env_channels_join_the_default_community_and_are_served(
        private_redis: tuple[Any, Keys]) -> None:
    redis, keys = private_redis
    async with FakePusher(expected_channels=5) as server:
        listener, _ = listener_for(kick_settings(server.url, channels=[LITNEY],
                                                 reconcile_s=RECONCILE_S), redis, keys)
        async with running(listener):
            await until(subscribed(server, 5))
    rows = await connections.get("default").execute_query_dict(
        "SELECT community_id, channel_id, role, label FROM community_channels"
        " WHERE platform = 'kick'")
    assert [(r["community_id"], r["channel_id"], r["role"]) for r in rows] == [
        (1, "1270821", "chat")]
    assert parse_channel_row(rows[0]["channel_id"], rows[0]["label"]) == LITNEY
    assert server.connections[0].subscribed == names(LITNEY)


async def test_an_env_channel_another_community_owns_stays_there(
        private_redis: tuple[Any, Keys]) -> None:
    redis, keys = private_redis
    with contextlib.suppress(communities.CommunityError):
        await communities.create("litney")
    await own(LITNEY, "litney")
    async with FakePusher(expected_channels=5) as server:
        listener, _ = listener_for(kick_settings(server.url, channels=[LITNEY]), redis, keys)
        async with running(listener):
            await until(subscribed(server, 5))
    info = await communities.get("litney")
    assert [c.channel_id for c in info.channels] == ["1270821"]


# --- (b), (c): rows added and removed while the listener runs ---


async def test_a_channel_added_at_runtime_is_subscribed_within_the_interval(
        private_redis: tuple[Any, Keys]) -> None:
    redis, keys = private_redis
    async with FakePusher(expected_channels=5) as server:
        listener, publisher = listener_for(
            kick_settings(server.url, channels=[], reconcile_s=RECONCILE_S), redis, keys)
        async with running(listener):
            await until(lambda: bool(server.connections))
            await asyncio.sleep(RECONCILE_S * 2)
            conn = server.connections[0]
            assert conn.subscribed == []  # nobody owns a Kick channel yet
            await own(LITNEY)
            added = asyncio.get_running_loop().time()
            await until(lambda: conn.subscribed == names(LITNEY), limit_s=5)
            assert asyncio.get_running_loop().time() - added < RECONCILE_S * 3
            await conn.send_raw(CHAT)  # and its events are published
            await until(lambda: listener.stats.published == 1)
    assert len(server.connections) == 1  # no reconnect needed
    assert [e.event_id for e in await published_events(publisher, redis, keys)] == [CHAT_ID]


async def test_a_removed_channel_is_unsubscribed_and_its_late_frames_dropped(
        private_redis: tuple[Any, Keys], caplog: pytest.LogCaptureFixture) -> None:
    redis, keys = private_redis
    await own(LITNEY)
    await own(K715)
    async with FakePusher(expected_channels=10) as server:
        listener, publisher = listener_for(
            kick_settings(server.url, channels=[], reconcile_s=RECONCILE_S), redis, keys)
        async with running(listener):
            await until(subscribed(server, 10))
            conn = server.connections[0]
            assert await communities.remove_channel("local", "kick", LITNEY.key)
            await until(lambda: sorted(conn.unsubscribed) == sorted(names(LITNEY)), limit_s=5)
            with caplog.at_level(logging.WARNING, logger="platforms.kick"):
                await conn.send_raw(CHAT)  # still in flight when the unsubscribe left
                await until(lambda: listener.stats.unowned == 1)
            assert listener.socket is not None
            assert listener.socket.stats.subscribed == set(names(K715))
    assert await published_events(publisher, redis, keys) == []
    assert await unowned_count(redis, keys) == 1
    dropped = [r for r in caplog.records if "no community owns" in r.getMessage()]
    assert len(dropped) == 1 and "chatrooms.1221707.v2" in dropped[0].getMessage()
    assert len(server.connections) == 1


async def test_a_reconnect_subscribes_what_is_owned_now(
        private_redis: tuple[Any, Keys]) -> None:
    redis, keys = private_redis
    await own(LITNEY)

    async def first(conn: Any) -> None:
        await communities.remove_channel("local", "kick", LITNEY.key)
        await own(K715)
        await asyncio.sleep(RECONCILE_S * 3)
        conn.drop()

    async with FakePusher(expected_channels=5, scripts=[first]) as server:
        listener, _ = listener_for(
            kick_settings(server.url, channels=[], reconcile_s=RECONCILE_S), redis, keys)
        async with running(listener):
            await until(lambda: len(server.connections) == 2
                        and len(server.connections[1].subscribed) == 5)
    assert server.connections[1].subscribed == names(K715)


async def test_a_sub_merged_after_its_channel_left_is_not_published(
        private_redis: tuple[Any, Keys]) -> None:
    """The last gate sits right before the publisher: frames held to be merged can outlive
    their channel's ownership."""
    redis, keys = private_redis
    await own(LITNEY)
    listener, publisher = listener_for(
        kick_settings("ws://127.0.0.1:1/unused", channels=[], coalesce_s=60), redis, keys)
    await listener.reconcile()
    from platforms.kick.pusher_events import decode_frame

    frame = decode_frame(GIFT)
    assert frame is not None
    await listener.on_frame(frame)  # a gift fragment, held
    await communities.remove_channel("local", "kick", LITNEY.key)
    await listener.reconcile()
    await listener.flush_fragments(force=True)
    assert await published_events(publisher, redis, keys) == []
    assert listener.stats.unowned == 1 and await unowned_count(redis, keys) == 1


# --- (a) an unowned channel's event publishes nothing ---


async def test_a_frame_from_a_channel_nobody_owns_publishes_nothing_and_is_counted(
        private_redis: tuple[Any, Keys]) -> None:
    redis, keys = private_redis
    await own(K715)
    async with FakePusher(expected_channels=5) as server:
        listener, publisher = listener_for(
            kick_settings(server.url, channels=[], reconcile_s=RECONCILE_S), redis, keys)
        async with running(listener):
            await until(subscribed(server, 5))
            await server.connections[0].send_raw(CHAT)  # LITNEY's chatroom: not ours
            await until(lambda: listener.stats.unowned == 1)
    assert await published_events(publisher, redis, keys) == []
    assert await unowned_count(redis, keys) == 1


async def test_webhooks_of_unowned_broadcasters_are_acknowledged_not_published(
        private_redis: tuple[Any, Keys], private_key: rsa.RSAPrivateKey,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    redis, keys = private_redis
    body = load("webhook_channel.followed.docs.json")["body"]
    owner = int(body["broadcaster"]["user_id"])
    await communities.add_channel("local", "kick", channel_row(owner)[0], "chat")
    stranger = copy.deepcopy(body)
    stranger["broadcaster"]["user_id"] = 5
    settings = KickSettings(_env_file=None, transport="webhook", webhook_port=0,
                            webhook_public_key=pem(private_key), reconcile_s=RECONCILE_S)
    listener, publisher = listener_for(settings, redis, keys)
    async with running(listener), aiohttp.ClientSession() as http:
        await until(lambda: bool(listener.webhook_port))
        url = f"http://127.0.0.1:{listener.webhook_port}{settings.webhook_path}"

        async def post(payload: Any, message_id: str) -> tuple[int, str]:
            data = json.dumps(payload).encode()
            ts = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            headers = {"Kick-Event-Message-Id": message_id,
                       "Kick-Event-Message-Timestamp": ts,
                       "Kick-Event-Signature": sign(private_key, message_id, ts, data),
                       "Kick-Event-Type": "channel.followed", "Kick-Event-Version": "1",
                       "Content-Type": "application/json"}
            async with http.post(url, data=data, headers=headers) as resp:
                return resp.status, await resp.text()

        with caplog.at_level(logging.WARNING, logger="platforms.kick"):
            assert await post(stranger, "01STRANGER") == (200, "unowned")
        assert await post(body, "01OWNER") == (200, "ok")
    assert [e.event_id for e in await published_events(publisher, redis, keys)] == ["01OWNER"]
    assert await unowned_count(redis, keys) == 1
    dropped = [r for r in caplog.records if "no community owns" in r.getMessage()]
    assert len(dropped) == 1 and "01STRANGER" in dropped[0].getMessage()
