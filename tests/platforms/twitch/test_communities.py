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

from game.events import Platform
from game.replies import Reply
from kingpin import communities
from kingpin.keys import Keys
from kingpin.outbox import push_replies
from kingpin.settings import Settings
from platforms.twitch.webhook import fresh_timestamp, signature

from .eventsub import (
    EventSubServer,
    config,
    for_channel,
    publishing,
    shutdown,
    start_listener,
)
from .support import (
    BOT,
    TwitchStub,
    chat_payload,
    recorder,
    wait_for,
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


async def test_events_for_an_unowned_broadcaster_publish_nothing(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    publisher, events, publish = publishing(redis, keys)
    async with EventSubServer(stub) as server:
        cfg = config(stub, server.url())
        listener, stop, task = await start_listener(cfg, stub, redis, keys, publish)
        try:
            # a chat message, a raid and a cheer naming a broadcaster no community owns
            await server.deliver(chat_payload(channel=FOREIGN, message_id="foreign-chat",
                                              text="!givewealth me 1000000"), "m-foreign-chat")
            await server.deliver(for_channel("channel.raid", FOREIGN), "m-foreign-raid")
            await server.deliver(for_channel("channel.cheer", FOREIGN), "m-foreign-cheer")
            await server.deliver(chat_payload(channel=BOT, message_id="owned-chat"), "m-owned")
            await wait_for(lambda: [e.event_id for e in events] == ["owned-chat"])
            await publisher.close()
        finally:
            await shutdown(stop, task)
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
    listener, stop, task = await start_listener(cfg, stub, redis, keys, publish)
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
        await shutdown(stop, task)


async def test_a_channel_added_while_running_is_subscribed_on_the_conduit(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    events, publish = recorder()

    async with EventSubServer(stub) as server:
        cfg = config(stub, server.url(), reconcile_every_s=0.5)
        listener, stop, task = await start_listener(
            cfg, stub, redis, Keys(settings.redis_prefix), publish)
        try:
            await wait_for(lambda: len(stub.live) == 9)
            other = await communities.create("streamer-two")
            await communities.add_channel(other.slug, "twitch", NEW, "chat", "newstreamer")
            # all nine on the conduit, with the app token, within the reconcile interval
            await wait_for(lambda: len(stub.live_for(NEW)) == 9, timeout=10)
            assert listener.channels == [BOT, NEW]
            assert {s["type"] for s in stub.live_for(NEW)} == TYPES_9
            assert {s["transport"]["conduit_id"] for s in stub.live_for(NEW)} == {
                server.conduit()}
            # and it is served at once: its events are published
            await server.deliver(for_channel("channel.cheer", NEW), "m-new")
            await wait_for(lambda: [e.event_id for e in events] == ["m-new"])
            await communities.add_channel("local", "twitch", "4242", "chat", "")
            await wait_for(lambda: len(stub.live_for("4242")) == 9, timeout=10)
        finally:
            await shutdown(stop, task)
    assert len(stub.subscriptions) == 9 * 3  # nothing was created twice
    assert set(stub.sub_tokens) <= stub.app_tokens


async def test_a_removed_channel_is_unsubscribed_and_served_no_more(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    events, publish = recorder()

    async with EventSubServer(stub) as server:
        cfg = config(stub, server.url(), broadcaster_ids=[BOT, NEW], reconcile_every_s=0.5)
        listener, stop, task = await start_listener(cfg, stub, redis, keys, publish)
        try:
            await wait_for(lambda: len(stub.live) == 9 + 9)
            assert await communities.remove_channel("local", "twitch", NEW)
            await wait_for(lambda: stub.live_for(NEW) == [], timeout=10)
            assert len(stub.deleted) == 9 and len(stub.live) == 9  # the bot's channel stays
            # whatever still arrives for it is dropped, and so are replies to it
            await server.deliver(chat_payload(channel=NEW), "late")
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
            await shutdown(stop, task)
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
        for sub in webhook_subs(channel, callback):
            stub.live[sub["id"]] = sub
    stub.live["someone-else"] = {**webhook_subs(FOREIGN, "https://other.example")[0],
                                 "id": "someone-else"}

    _, publish = recorder()
    cfg = webhook_config(stub, callback, reconcile_every_s=0.5)
    listener, stop, task = await start_listener(cfg, stub, redis, Keys(settings.redis_prefix),
                                                publish)
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
        await shutdown(stop, task)
    assert len(stub.subscriptions) == 9  # only the added channel's were created


def for_channels_webhook(channel: str, callback: str) -> list[dict[str, Any]]:
    from platforms.twitch.subscriptions import all_specs

    return [{"id": f"old-{callback}-{channel}-{spec.type}", "status": "enabled",
             "type": spec.type, "version": spec.version, "condition": spec.condition_dict,
             "transport": {"method": "webhook", "callback": callback}}
            for spec in all_specs([channel], BOT)]


def webhook_subs(channel: str, callback: str) -> list[dict[str, Any]]:
    return [{**sub, "created_at": "2026-11-23T12:00:00Z", "cost": 0}
            for sub in for_channels_webhook(channel, callback)]


async def test_env_broadcasters_join_the_default_community_at_start(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    other = await communities.create("streamer-three")
    await communities.add_channel(other.slug, "twitch", "42", "chat", "theirs")
    await communities.add_channel(other.slug, "twitch", "555", "chat", "dbonly")

    _, publish = recorder()
    async with EventSubServer(stub) as server:
        cfg = config(stub, server.url(), broadcaster_ids=[NEW, "42"])
        listener, stop, task = await start_listener(
            cfg, stub, redis, Keys(settings.redis_prefix), publish)
        try:
            # NEW joined the default community; 42 stays where it was; 555 (not in the env)
            # is served because a community owns it
            assert await chat_rows() == [(1, NEW, "chat"), (other.id, "42", "chat"),
                                         (other.id, "555", "chat")]
            assert sorted(listener.channels) == sorted([NEW, "42", "555"])
            await wait_for(lambda: {c for c in (NEW, "42", "555")
                                    if len(stub.live_for(c)) == 9} == {NEW, "42", "555"})
        finally:
            await shutdown(stop, task)
