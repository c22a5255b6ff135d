"""The listener serves exactly the broadcasters communities own: env channels adopted at start,
channels added or removed with the CLI followed within seconds (both transports), events and
webhook deliveries for anyone else dropped before publishing, replies to a removed channel
dropped. Real EventSub WebSocket / Helix protocols against the local servers, real
PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import aiohttp
from tortoise import connections
from websockets.asyncio.server import ServerConnection

from game.events import Event, Platform
from game.replies import Reply
from kingpin import communities
from kingpin.bus import Publisher
from kingpin.keys import Keys
from kingpin.outbox import push_replies
from kingpin.settings import Settings
from platforms.twitch.webhook import fresh_timestamp, signature

from .support import (
    BOT,
    MemoryTokenStore,
    TwitchStub,
    chat_payload,
    recorder,
    user_token,
    wait_for,
)
from .test_eventsub_ws import (
    EventSubServer,
    config,
    for_channel,
    note,
    shutdown,
    start_listener,
    welcome,
)

FOREIGN = "999000"  # a broadcaster no community owns
NEW = "1337"
SECRET = "s3cre7-kingpin-test"
TYPES_9 = {"channel.chat.message", "channel.subscribe", "channel.subscription.gift",
           "channel.subscription.message", "channel.cheer",
           "channel.channel_points_custom_reward_redemption.add", "channel.raid",
           "stream.online", "stream.offline"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_config(stub: TwitchStub, callback: str, **extra: Any) -> Any:
    return config(stub, "ws://unused", transport="webhook", webhook_host="127.0.0.1",
                  webhook_port=free_port(), webhook_callback_url=callback,
                  webhook_secret=SECRET, broadcaster_ids=[NEW], **extra)


async def keys_under(redis: Any, prefix: str) -> set[str]:
    return {k if isinstance(k, str) else k.decode()
            async for k in redis.scan_iter(match=f"{prefix}:*")}


async def chat_rows() -> list[tuple[int, str, str]]:
    rows = await connections.get("default").execute_query_dict(
        "SELECT community_id, channel_id, role FROM community_channels"
        " WHERE platform = 'twitch' ORDER BY channel_id")
    return [(int(r["community_id"]), r["channel_id"], r["role"]) for r in rows]


def hello() -> Any:
    count = 0

    async def script(ws: ServerConnection, server: EventSubServer) -> None:
        nonlocal count
        count += 1
        await ws.send(welcome(f"sess-{count}"))

    return script


async def test_events_for_an_unowned_broadcaster_publish_nothing(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    publisher = Publisher(redis, keys, max_wait_ms=2)
    events: list[Event] = []

    async def publish(event: Event) -> None:
        events.append(event)
        await publisher.publish(event)

    sent = asyncio.Event()

    async def script(ws: ServerConnection, server: EventSubServer) -> None:
        await ws.send(welcome("s1"))
        await wait_for(lambda: len(stub.subscriptions) == 9)
        # a chat message, a raid and a cheer naming a broadcaster no community owns
        await ws.send(note(chat_payload(channel=FOREIGN, message_id="foreign-chat",
                                        text="!givewealth me 1000000"), "m-foreign-chat"))
        await ws.send(note(for_channel("channel.raid", FOREIGN), "m-foreign-raid"))
        await ws.send(note(for_channel("channel.cheer", FOREIGN), "m-foreign-cheer"))
        await ws.send(note(chat_payload(channel=BOT, message_id="owned-chat"), "m-owned"))
        sent.set()

    async with EventSubServer({"/ws": script}) as server:
        cfg = config(stub, server.url())
        listener, stop, task, session = await start_listener(cfg, stub, redis, keys, publish)
        try:
            await sent.wait()
            await wait_for(lambda: [e.event_id for e in events] == ["owned-chat"])
            await publisher.close()
        finally:
            await shutdown(stop, task, session)
    # nothing of the foreign ones was claimed or queued under the prefix: only the owned one
    found = await keys_under(redis, settings.redis_prefix)
    assert {k for k in found if ":seen:" in k} == {keys.seen("twitch:owned-chat")}
    queued = [await redis.get(k) for k in found if ":arq:job:" in k]
    assert queued and not any("foreign" in str(job) for job in queued)
    assert await redis.hget(keys.stats, "unowned_events_twitch") in ("3", b"3")


async def test_a_webhook_delivery_for_an_unowned_broadcaster_is_acked_not_published(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    events, publish = recorder()

    cfg = webhook_config(stub, "https://kingpin.example/eventsub")
    listener, stop, task, session = await start_listener(cfg, stub, redis, keys, publish)
    try:
        webhook = listener.runners[0]
        await wait_for(lambda: webhook.bound_port is not None and len(stub.live) == 9)
        url = f"http://127.0.0.1:{webhook.bound_port}{webhook.receiver.path}"
        statuses = []
        for message_id, channel in (("w-foreign", FOREIGN), ("w-owned", NEW)):
            body = json.dumps(for_channel("channel.cheer", channel)).encode()
            stamp = fresh_timestamp(listener.clock())
            headers = {"Twitch-Eventsub-Message-Id": message_id,
                       "Twitch-Eventsub-Message-Timestamp": stamp,
                       "Twitch-Eventsub-Message-Signature": signature(SECRET, message_id,
                                                                      stamp, body),
                       "Twitch-Eventsub-Message-Type": "notification",
                       "Content-Type": "application/json"}
            async with aiohttp.ClientSession() as client, client.post(
                    url, data=body, headers=headers) as resp:
                statuses.append(resp.status)
        assert statuses == [204, 204]  # acknowledged, so Twitch stops redelivering
        assert [e.event_id for e in events] == ["w-owned"]
        assert await redis.hget(keys.stats, "unowned_events_twitch") in ("1", b"1")
    finally:
        await shutdown(stop, task, session)


async def test_a_channel_added_while_running_is_subscribed_over_websocket(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    events, publish = recorder()

    store = MemoryTokenStore(user_token(BOT), user_token(NEW), user_token("42"))
    async with EventSubServer({"/ws": hello()}) as server:
        cfg = config(stub, server.url(), reconcile_every_s=0.5)
        listener, stop, task, session = await start_listener(
            cfg, stub, redis, Keys(settings.redis_prefix), publish, store)
        try:
            await wait_for(lambda: len(stub.live) == 9)
            other = await communities.create("streamer-two")
            await communities.add_channel(other.slug, "twitch", NEW, "chat", "newstreamer")
            # its chat on the bot's connection, the other eight on its own (it has a token)
            await wait_for(lambda: len(stub.live_for(NEW)) == 9, timeout=10)
            assert listener.channels == [BOT, NEW]
            by_owner = {s["type"]: s["transport"]["session_id"] for s in stub.live_for(NEW)}
            assert set(by_owner) == TYPES_9
            bot_session = listener.sockets[BOT].session_id
            assert by_owner.pop("channel.chat.message") == bot_session
            assert set(by_owner.values()) == {listener.sockets[NEW].session_id} != {bot_session}
            # a second one without a token, in the default community: chat + raid/up/down
            await communities.add_channel("local", "twitch", "4242", "chat", "")
            await wait_for(lambda: len(stub.live_for("4242")) == 4, timeout=10)
            assert {s["transport"]["session_id"] for s in stub.live_for("4242")} == {
                bot_session}
        finally:
            await shutdown(stop, task, session)
    assert len(stub.subscriptions) == 9 + 9 + 4  # nothing was created twice


async def test_a_removed_channel_is_unsubscribed_and_served_no_more(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    events, publish = recorder()

    sockets: dict[str, ServerConnection] = {}
    count = 0

    async def script(ws: ServerConnection, server: EventSubServer) -> None:
        nonlocal count
        count += 1
        sockets[f"sess-{count}"] = ws
        await ws.send(welcome(f"sess-{count}"))

    store = MemoryTokenStore(user_token(BOT), user_token(NEW))
    async with EventSubServer({"/ws": script}) as server:
        cfg = config(stub, server.url(), broadcaster_ids=[BOT, NEW], reconcile_every_s=0.5)
        listener, stop, task, session = await start_listener(cfg, stub, redis, keys, publish,
                                                             store)
        try:
            await wait_for(lambda: len(stub.live) == 9 + 9)
            bot_session = listener.sockets[BOT].session_id
            assert await communities.remove_channel("local", "twitch", NEW)
            await wait_for(lambda: stub.live_for(NEW) == [], timeout=10)
            assert len(stub.deleted) == 9 and len(stub.live) == 9  # the bot's channel stays
            await wait_for(lambda: NEW not in listener.sockets)  # its connection is closed
            await wait_for(lambda: server.closed_by_client != [])
            # whatever still arrives for it is dropped, and so are replies to it
            await sockets[str(bot_session)].send(note(chat_payload(channel=NEW), "late"))
            await wait_for(lambda: listener.dispatcher.stats.unowned == 1)  # type: ignore[union-attr]
            await push_replies(redis, keys, [
                Reply(platform=Platform.TWITCH, channel=NEW, text="to the removed one"),
                Reply(platform=Platform.TWITCH, channel=BOT, text="to the bot's channel")],
                100)
            await wait_for(lambda: len(stub.chat) == 1)
            await asyncio.sleep(0.2)
            assert [c["broadcaster_id"] for c in stub.chat] == [BOT]
            assert await redis.hget(keys.outbox_dropped, "twitch:unowned") in ("1", b"1")
        finally:
            await shutdown(stop, task, session)
    assert events == []


async def test_webhook_subscriptions_follow_the_communities(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    """Kept across a restart, deleted when the channel went while we were down, created
    for a channel added, deleted for a channel removed — one page of Helix at a time."""
    callback = "https://kingpin.example/eventsub"
    stub.page_size = 4
    # an earlier run left subscriptions: for NEW (still owned) and FOREIGN (gone since)
    for channel in (NEW, FOREIGN):
        for sub in for_channels_webhook(channel, callback):
            stub.live[sub["id"]] = sub
    stub.live["someone-else"] = {**for_channels_webhook(FOREIGN, "https://other.example")[0],
                                 "id": "someone-else"}

    _, publish = recorder()
    cfg = webhook_config(stub, callback, reconcile_every_s=0.5)
    listener, stop, task, session = await start_listener(cfg, stub, redis,
                                                         Keys(settings.redis_prefix), publish)
    try:
        await wait_for(lambda: [s["id"] for s in stub.live_for(FOREIGN)] == ["someone-else"])
        assert len(stub.live_for(NEW)) == 9 and stub.subscriptions == []  # kept, not redone
        await communities.add_channel("local", "twitch", "4242", "chat", "")
        await wait_for(lambda: len(stub.live_for("4242")) == 9, timeout=10)
        assert {s["transport"]["callback"] for s in stub.live_for("4242")} == {callback}
        assert {s["type"] for s in stub.live_for("4242")} == TYPES_9
        assert await communities.remove_channel("local", "twitch", NEW)
        await wait_for(lambda: stub.live_for(NEW) == [], timeout=10)
        assert len(stub.live_for("4242")) == 9
    finally:
        await shutdown(stop, task, session)
    assert len(stub.subscriptions) == 9  # only the added channel's were created


def for_channels_webhook(channel: str, callback: str) -> list[dict[str, Any]]:
    from platforms.twitch.subscriptions import all_specs

    return [{"id": f"old-{callback}-{channel}-{spec.type}", "status": "enabled",
             "type": spec.type, "version": spec.version, "condition": spec.condition_dict,
             "transport": {"method": "webhook", "callback": callback}}
            for spec in all_specs([channel], BOT)]


async def test_env_broadcasters_join_the_default_community_at_start(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    other = await communities.create("streamer-three")
    await communities.add_channel(other.slug, "twitch", "42", "chat", "theirs")
    await communities.add_channel(other.slug, "twitch", "555", "chat", "dbonly")

    _, publish = recorder()
    async with EventSubServer({"/ws": hello()}) as server:
        cfg = config(stub, server.url(), broadcaster_ids=[NEW, "42"])
        listener, stop, task, session = await start_listener(
            cfg, stub, redis, Keys(settings.redis_prefix), publish)
        try:
            # NEW joined the default community; 42 stays where it was; 555 (not in the env)
            # is served because a community owns it
            assert await chat_rows() == [(1, NEW, "chat"), (other.id, "42", "chat"),
                                         (other.id, "555", "chat")]
            assert sorted(listener.channels) == sorted([NEW, "42", "555"])
            await wait_for(lambda: {c for c in (NEW, "42", "555")
                                    if len(stub.live_for(c)) == 4} == {NEW, "42", "555"})
        finally:
            await shutdown(stop, task, session)
