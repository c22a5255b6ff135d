"""twitchio on a conduit against the local EventSub WebSocket server and the Helix stub, over
real sockets: conduit creation and shard assignment, subscriptions, every notification
type, duplicates, session_reconnect, revocation, a dropped socket, the conduit reused across
a restart, shards split between processes, shards scaled with the subscriptions."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest

from game.events import (
    ChatMessage,
    Cheer,
    Event,
    GiftSubscriptions,
    Raid,
    RewardRedemption,
    StreamOffline,
    StreamOnline,
    Subscription,
)
from kingpin.keys import Keys
from kingpin.settings import Settings
from platforms.twitch.client import ConduitClient
from platforms.twitch.listener import Listener, RetryBuild, conduit_key, start

from .eventsub import (
    EventSubServer,
    config,
    for_channel,
    keepalive,
    publishing,
    serving,
    shutdown,
    start_listener,
)
from .support import BOT, MemoryTokenStore, TwitchStub, chat_payload, load, user_token, wait_for

TYPES_9 = {"channel.chat.message", "channel.subscribe", "channel.subscription.gift",
           "channel.subscription.message", "channel.cheer",
           "channel.channel_points_custom_reward_redemption.add", "channel.raid",
           "stream.online", "stream.offline"}
ALL_KINDS = [("channel.subscribe", Subscription), ("channel.subscription.gift",
             GiftSubscriptions), ("channel.subscription.message", Subscription),
             ("channel.cheer", Cheer), ("channel.raid", Raid),
             ("stream.online", StreamOnline), ("stream.offline", StreamOffline),
             ("channel.channel_points_custom_reward_redemption.add", RewardRedemption)]


def recorder() -> tuple[list[Event], Any]:
    events: list[Event] = []

    async def publish(event: Event) -> None:
        events.append(event)

    return events, publish


def conduit_client(listener: Any) -> ConduitClient:
    assert isinstance(listener.client, ConduitClient)
    return listener.client


async def test_conduit_shards_subscriptions_and_every_notification_type(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    publisher, events, publish = publishing(redis, keys)
    async with EventSubServer(stub) as server:
        cfg = config(stub, server.url())
        listener, stop, task = await start_listener(cfg, stub, redis, keys, publish)
        try:
            # a conduit with two shards (one channel: 9 subscriptions), both on live sessions
            assert len(stub.conduits) == 1 and server.shards_ready(2)
            conduit = server.conduit()
            assert stub.conduits[conduit]["shard_count"] == 2
            assert await redis.get(conduit_key(keys)) in (conduit, conduit.encode())
            assigned = {s["id"]: s["transport"] for _, batch in stub.shard_updates
                        for s in batch}
            assert set(assigned) == {"0", "1"}
            assert {t["method"] for t in assigned.values()} == {"websocket"}
            assert {t["session_id"] for t in assigned.values()} == set(server.sessions)
            # the nine subscriptions, on the conduit, with the app token
            assert {s["type"] for s in stub.subscriptions} == TYPES_9
            assert len(stub.subscriptions) == 9
            assert {json.dumps(s["transport"]) for s in stub.subscriptions} == {
                json.dumps({"method": "conduit", "conduit_id": conduit})}
            assert set(stub.sub_tokens) <= stub.app_tokens
            chat_sub = next(s for s in stub.subscriptions if s["type"] == "channel.chat.message")
            assert chat_sub["condition"] == {"broadcaster_user_id": BOT, "user_id": BOT}
            raid_sub = next(s for s in stub.subscriptions if s["type"] == "channel.raid")
            assert raid_sub["condition"] == {"to_broadcaster_user_id": BOT}

            chat = chat_payload(channel=BOT, text="!rob bob", message_id="chat-1")
            await server.deliver(chat, "m-chat")
            await server.deliver(chat, "m-chat", shard="1")  # redelivered, other shard
            await server.send(server.shard_session("1"), keepalive())
            for n, (kind, _) in enumerate(ALL_KINDS):
                await server.deliver(for_channel(kind, BOT), f"m-{n}", shard=str(n % 2))
            await server.send(server.shard_session("0"),
                              json.dumps(load("eventsub_ws_revocation.docs.json")))
            await server.send(server.shard_session("0"), "this is not json")
            await wait_for(lambda: len(events) == 1 + len(ALL_KINDS))
            await asyncio.sleep(0.2)  # nothing more arrives
        finally:
            await shutdown(stop, task)
    # two shards are two sockets: the order between them is not kept, each arrives once
    by_id = {e.event_id: e for e in events}
    assert len(by_id) == len(events)
    assert {k: type(v) for k, v in by_id.items()} == {
        "chat-1": ChatMessage, **{f"m-{n}": cls for n, (_, cls) in enumerate(ALL_KINDS)}}
    assert by_id["chat-1"].text == "!rob bob"  # type: ignore[union-attr]
    assert listener.notifications is not None
    assert listener.notifications.stats.duplicates == 1
    assert listener.notifications.stats.revocations == 1
    await publisher.close()
    assert publisher.stats.published == len(events) and publisher.job_ids


async def test_session_reconnect_moves_the_shard_without_losing_or_duplicating(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    events, publish = recorder()
    async with serving(stub, redis, Keys(settings.redis_prefix), publish) as (
            server, listener):
        session = server.shard_session("0")
        updates = len(stub.shard_updates)
        await server.deliver(for_channel("channel.cheer", BOT), "m-before")
        await server.reconnect(session)
        # the old connection keeps delivering while the new one is opened
        await server.deliver(for_channel("stream.online", BOT), "m-during")
        await wait_for(lambda: conduit_client(listener).stats.handovers == 1)
        await wait_for(lambda: session in server.closed_by_client)  # the old one, by us
        assert [p for p, s in server.history if s == session] == [
            "/ws", f"/reconnect/{session}"]
        # same session, same shard: Twitch delivers on the new connection now
        await server.deliver(for_channel("channel.cheer", BOT), "m-before")  # again
        await server.deliver(for_channel("channel.subscribe", BOT), "m-after")
        await wait_for(lambda: len(events) == 3)
        await asyncio.sleep(0.2)
        assert server.shard_session("0") == session
        assert len(stub.shard_updates) == updates  # nothing re-assigned
        assert conduit_client(listener).sessions["0"] == session
    assert [e.event_id for e in events] == ["m-before", "m-during", "m-after"]
    assert len(stub.subscriptions) == 9  # subscriptions stay on the conduit


async def test_a_dropped_shard_socket_is_reassociated_and_nothing_is_lost_or_doubled(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    events, publish = recorder()
    async with serving(stub, redis, Keys(settings.redis_prefix), publish) as (
            server, listener):
        first = server.shard_session("0")
        await server.deliver(for_channel("channel.raid", BOT), "m-raid")
        await wait_for(lambda: len(events) == 1)
        await server.drop(first)  # Twitch closes it (4000)
        # twitchio connects a fresh session and points shard 0 at it
        await wait_for(lambda: server.shards_ready(2)
                       and server.shard_session("0") != first, timeout=10)
        second = server.shard_session("0")
        assert conduit_client(listener).sessions["0"] == second
        await server.deliver(for_channel("channel.raid", BOT), "m-raid")  # redelivered
        await server.deliver(for_channel("stream.offline", BOT), "m-off")
        await wait_for(lambda: len(events) == 2)
        await asyncio.sleep(0.2)
    assert [e.event_id for e in events] == ["m-raid", "m-off"]
    assert len(stub.subscriptions) == 9  # the conduit kept them: none made again
    assert [s["id"] for _, batch in stub.shard_updates for s in batch].count("0") == 2


async def test_the_conduit_is_reused_by_id_across_a_restart(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    events, publish = recorder()
    async with EventSubServer(stub) as server:
        cfg = config(stub, server.url())
        _, stop, task = await start_listener(cfg, stub, redis, keys, publish)
        conduit = server.conduit()
        await shutdown(stop, task)
        await wait_for(lambda: not server.sessions)  # both shards' sockets closed
        # the second run takes the same conduit, its subscriptions and its shards
        listener, stop, task = await start_listener(cfg, stub, redis, keys, publish)
        try:
            assert list(stub.conduits) == [conduit]
            assert [m for m, _ in stub.conduit_requests] == ["POST"]
            assert conduit_client(listener).conduit_info.id == conduit
            assert server.shards_ready(2)
            await server.deliver(for_channel("stream.online", BOT), "m-up")
            await wait_for(lambda: [e.event_id for e in events] == ["m-up"])
        finally:
            await shutdown(stop, task)
        assert len(stub.subscriptions) == 9 and not stub.deleted  # kept, not made again

        # a conduit Twitch deleted (unused for 72 h) is replaced, and subscribed again
        stub.conduits.clear()
        stub.live.clear()
        listener, stop, task = await start_listener(cfg, stub, redis, keys, publish)
        try:
            assert len(stub.conduits) == 1 and server.conduit() != conduit
            assert await redis.get(conduit_key(keys)) in (server.conduit(),
                                                          server.conduit().encode())
            assert len(stub.live) == 9
        finally:
            await shutdown(stop, task)


async def test_two_processes_share_one_conduit_with_disjoint_shards(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    events_a, publish_a = recorder()
    events_b, publish_b = recorder()
    async with EventSubServer(stub) as server:
        cfg_a = config(stub, server.url(), shards="0-1", shard_count=4)
        cfg_b = config(stub, server.url(), shards="2-3", shard_count=4)
        a, stop_a, task_a = await start_listener(cfg_a, stub, redis, keys, publish_a)
        b, stop_b, task_b = await start_listener(cfg_b, stub, redis, keys, publish_b)
        try:
            assert len(stub.conduits) == 1 and server.shards_ready(4)
            assert stub.conduits[server.conduit()]["shard_count"] == 4
            assert sorted(conduit_client(a).sessions) == ["0", "1"]
            assert sorted(conduit_client(b).sessions) == ["2", "3"]
            # the process with shard 0 keeps the subscriptions; the other only receives
            assert a.subscriptions is not None and b.subscriptions is None
            assert len(stub.subscriptions) == 9
            for shard in "0123":
                await server.deliver(for_channel("channel.cheer", BOT), f"m-{shard}",
                                     shard=shard)
            await wait_for(lambda: len(events_a) + len(events_b) == 4)
        finally:
            await shutdown(stop_a, task_a)
            await shutdown(stop_b, task_b)
    assert sorted(e.event_id for e in events_a) == ["m-0", "m-1"]
    assert sorted(e.event_id for e in events_b) == ["m-2", "m-3"]


async def test_shards_scale_with_the_subscriptions(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    from kingpin import communities

    events, publish = recorder()
    store = MemoryTokenStore(user_token(BOT))
    async with EventSubServer(stub) as server:
        cfg = config(stub, server.url(), max_per_shard=9, reconcile_every_s=0.3)
        listener, stop, task = await start_listener(cfg, stub, redis,
                                                    Keys(settings.redis_prefix), publish, store)
        try:
            assert stub.conduits[server.conduit()]["shard_count"] == 2  # 9 subs: 1 + 1
            await communities.add_channel("local", "twitch", "4242", "chat", "")
            await wait_for(lambda: len(stub.live) == 18, timeout=10)
            await wait_for(lambda: server.shards_ready(3), timeout=10)  # 18 subs: 2 + 1
            assert stub.conduits[server.conduit()]["shard_count"] == 3
            # the server sees the shard's socket before twitchio records its session
            await wait_for(lambda: sorted(conduit_client(listener).sessions) == ["0", "1", "2"],
                           timeout=10)
            await server.deliver(for_channel("channel.cheer", "4242"), "m-new", shard="2")
            await wait_for(lambda: [e.event_id for e in events] == ["m-new"])
        finally:
            await shutdown(stop, task)


async def test_a_process_without_shard_0_waits_for_the_conduit_of_the_one_with_it(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None,
    caplog: pytest.LogCaptureFixture
) -> None:
    keys = Keys(settings.redis_prefix)
    events, publish = recorder()
    async with EventSubServer(stub) as server:
        store = MemoryTokenStore(user_token(BOT))
        stub.own(*store.tokens.values())
        later = Listener(config(stub, server.url(), shards="1"), store, publish, redis, keys,
                         storage_uri=None)
        stop = asyncio.Event()
        waiting = asyncio.create_task(start(later, stop, first_wait_s=0.05, max_wait_s=0.1))
        await wait_for(lambda: any("shard 0" in r.getMessage() for r in caplog.records))
        assert not waiting.done() and stub.conduits == {}  # it did not make its own
        first, stop_first, task_first = await start_listener(
            config(stub, server.url(), shards="0"), stub, redis, keys, publish, store)
        try:
            assert await asyncio.wait_for(waiting, 5) is True
            assert len(stub.conduits) == 1 and server.shards_ready(2)
            assert sorted(conduit_client(later).sessions) == ["1"]
            await server.deliver(for_channel("stream.online", BOT), "m-1", shard="1")
            runner = asyncio.create_task(later.run(stop))
            await wait_for(lambda: [e.event_id for e in events] == ["m-1"])
        finally:
            await shutdown(stop, runner)
            await shutdown(stop_first, task_first)


async def test_twitch_unreachable_at_start_is_retried_until_stopped(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None,
    caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    cfg = config(stub, f"ws://127.0.0.1:{closed}/ws", helix_url=f"http://127.0.0.1:{closed}/helix")
    store = MemoryTokenStore(user_token(BOT))
    stub.own(*store.tokens.values())
    _, publish = recorder()
    listener = Listener(cfg, store, publish, redis, Keys(settings.redis_prefix),
                        storage_uri=None)
    stop = asyncio.Event()
    trying = asyncio.create_task(start(listener, stop, first_wait_s=0.05, max_wait_s=0.1))
    await wait_for(lambda: sum("trying again" in r.getMessage() for r in caplog.records) >= 3)
    assert not trying.done()  # waiting, not exiting
    stop.set()
    assert await asyncio.wait_for(trying, 5) is False
    assert listener.client is None


async def test_a_silent_shard_is_reconnected_after_the_keepalive(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    """Slow by nature (twitchio checks every keepalive, 10 s at the least, and gives 5 s
    more): a shard whose server goes quiet gets a fresh session, the other kept alive."""
    events, publish = recorder()
    async with serving(stub, redis, Keys(settings.redis_prefix), publish) as (
            server, listener):
        quiet, talking = server.shard_session("0"), server.shard_session("1")

        async def keep_talking() -> None:
            while True:
                await asyncio.sleep(2)
                await server.send(talking, keepalive())

        chatter = asyncio.create_task(keep_talking())
        try:
            await wait_for(lambda: server.shards_ready(2) and server.shard_session("0") != quiet,
                           timeout=30, interval=0.2)
            await wait_for(lambda: quiet in server.closed_by_client)
            assert server.shard_session("1") == talking  # kept alive by its keepalives
            await server.deliver(for_channel("stream.online", BOT), "m-back")
            await wait_for(lambda: [e.event_id for e in events] == ["m-back"])
        finally:
            chatter.cancel()


async def test_shards_the_conduit_does_not_have_are_refused_with_the_reason(
    stub: TwitchStub, redis: Any, settings: Settings, twitch_channels: None
) -> None:
    keys = Keys(settings.redis_prefix)
    _, publish = recorder()
    async with EventSubServer(stub) as server:
        store = MemoryTokenStore(user_token(BOT))
        _, stop, task = await start_listener(config(stub, server.url()), stub, redis, keys,
                                             publish, store)
        try:
            beyond = Listener(config(stub, server.url(), shards="2-3"), store, publish, redis,
                              keys, storage_uri=None)
            with pytest.raises(RetryBuild, match="has 2 shards, so shards 2,3 do not exist"):
                await beyond.build()
            assert stub.conduits[server.conduit()]["shard_count"] == 2  # not rescaled by it
            assert all(s["id"] in ("0", "1") for _, batch in stub.shard_updates for s in batch)
        finally:
            await shutdown(stop, task)
