"""Replies through twitchio's Send Chat Message (local Helix stub), in the Redis-shared budget."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from game.events import Platform
from game.replies import Reply
from kingpin.keys import Keys
from kingpin.outbox import PlatformLimits, push_replies
from kingpin.settings import Settings
from platforms.twitch.chat import ChatSender, RetryLater, TwitchOutboxSender
from platforms.twitch.client import HttpClient, point_at

from .eventsub import config
from .support import BOT, MemoryTokenStore, TwitchStub, user_token, wait_for

CHANNEL = "1337"


async def logged_in(stub: TwitchStub, store: MemoryTokenStore) -> HttpClient:
    stub.own(*store.tokens.values())
    point_at(config(stub, "ws://unused"))
    client = HttpClient(client_id="cid", client_secret="csecret", bot_id=BOT, store=store,
                        fetch_client_user=False)
    await client.login()
    return client


@pytest.fixture
async def helix(stub: TwitchStub) -> AsyncIterator[HttpClient]:
    client = await logged_in(stub, MemoryTokenStore(user_token(BOT)))
    yield client
    await client.close()


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.calls.append(delay)


def sender(helix: HttpClient, **kw: Any) -> ChatSender:
    kw.setdefault("sleep", Sleeps())
    return ChatSender(helix, BOT, **kw)


async def test_send_posts_the_helix_body_with_the_reply_parent(
    helix: HttpClient, stub: TwitchStub
) -> None:
    chat = sender(helix)
    await chat.send(CHANNEL, "@alice you robbed bob for 120", "cc106a89-msg")
    await chat.send(CHANNEL, "x" * 600, None)
    assert stub.chat[0] == {"broadcaster_id": CHANNEL, "sender_id": BOT,
                            "message": "@alice you robbed bob for 120",
                            "reply_parent_message_id": "cc106a89-msg"}
    assert "reply_parent_message_id" not in stub.chat[1]
    assert len(stub.chat[1]["message"]) == 500
    assert chat.stats.sent == 2 and len(chat.sent_ids) == 2
    assert set(stub.chat_tokens) == {f"access-{BOT}"}  # the bot's user token


async def test_send_as_app_uses_the_app_token(helix: HttpClient, stub: TwitchStub) -> None:
    await sender(helix, as_app=True).send(CHANNEL, "from the app", None)
    assert stub.chat[0]["sender_id"] == BOT and stub.chat_tokens[0] in stub.app_tokens


async def test_429_backs_off_and_retries(
    helix: HttpClient, stub: TwitchStub, caplog: pytest.LogCaptureFixture
) -> None:
    stub.chat_script = [(429, {"error": "Too Many Requests", "status": 429},
                         {"Ratelimit-Reset": str(int(time.time()) + 3)})]
    sleeps = Sleeps()
    chat = sender(helix, sleep=sleeps)
    with caplog.at_level(logging.WARNING, logger="platforms.twitch.chat"):
        await chat.send(CHANNEL, "hello", None)
    assert [m["message"] for m in stub.chat] == ["hello"]
    assert chat.stats.retried == 1 and chat.stats.sent == 1
    assert sleeps.calls == [1.0]  # twitchio does not show the headers: a plain backoff
    assert any("429" in r.getMessage() for r in caplog.records)


async def test_persistent_5xx_is_handed_back_to_the_outbox_then_delivered(
    helix: HttpClient, stub: TwitchStub, redis: Any, settings: Settings,
    caplog: pytest.LogCaptureFixture
) -> None:
    keys = Keys(settings.redis_prefix)
    stub.chat_script = [(502, {"message": "bad gateway"}, {})] * 3
    chat = sender(helix, retries=2)
    with pytest.raises(RetryLater):
        await chat.send(CHANNEL, "direct", None)
    assert chat.stats.deferred == 1 and chat.stats.retried == 2 and stub.chat == []
    # through the outbox: the next attempt is kept, not lost, and goes out when Twitch is back
    stub.chat_script = [(500, {"message": "boom"}, {})] * 3
    await push_replies(redis, keys, [Reply(platform=Platform.TWITCH, channel=CHANNEL,
                                           text="kept for later")], 100)
    outbox = TwitchOutboxSender(redis=redis, keys=keys, platform="twitch", send=chat.send,
                                limits=PlatformLimits(max_len=500, messages=20, window_s=1))
    with caplog.at_level(logging.WARNING):
        assert await outbox.drain_once() == 0
    assert outbox.waiting == 1
    assert any("kept for retry" in r.getMessage() for r in caplog.records)
    assert await outbox.drain_once() == 1
    assert [m["message"] for m in stub.chat] == ["kept for later"]
    assert chat.stats.deferred == 2


async def test_refusals_are_logged_counted_and_not_retried(
    helix: HttpClient, stub: TwitchStub, caplog: pytest.LogCaptureFixture
) -> None:
    drops: list[tuple[str, str]] = []

    async def on_drop(channel: str, reason: str) -> None:
        drops.append((channel, reason))

    stub.chat_script = [
        (200, {"data": [{"message_id": "", "is_sent": False,
                         "drop_reason": {"code": "msg_duplicate",
                                         "message": "duplicate message"}}]}, {}),
        (403, {"error": "Forbidden", "status": 403,
               "message": "The sender is banned from this chat"}, {}),
    ]
    chat = sender(helix, on_drop=on_drop)
    with caplog.at_level(logging.WARNING, logger="platforms.twitch.chat"):
        await chat.send(CHANNEL, "one", None)
        await chat.send(CHANNEL, "two", None)
    assert drops == [(CHANNEL, "msg_duplicate"), (CHANNEL, "http_403")]
    assert chat.stats.dropped == 2 and chat.stats.retried == 0 and stub.chat == []
    assert sum("msg_duplicate" in r.getMessage() or "403" in r.getMessage()
               for r in caplog.records) == 2


async def test_a_refused_reply_parent_is_sent_unthreaded(
    helix: HttpClient, stub: TwitchStub
) -> None:
    stub.chat_script = [(400, {"status": 400, "message": "reply parent not found"}, {})]
    chat = sender(helix)
    await chat.send(CHANNEL, "hi", "deleted-message")
    assert stub.chat == [{"broadcaster_id": CHANNEL, "sender_id": BOT, "message": "hi"}]
    assert chat.stats.replies_unparented == 1


def max_in_window(times: list[float], window: float) -> int:
    return max(sum(1 for u in times if t <= u < t + window) for t in times)


async def test_a_burst_of_200_replies_goes_out_within_the_budget_none_lost(
    helix: HttpClient, stub: TwitchStub, redis: Any, settings: Settings, redis_url: str
) -> None:
    keys = Keys(settings.redis_prefix)
    texts = [(f"@viewer{i:03d} " + "you cracked the safe and walked off with loot " * 2).strip()
             for i in range(200)]
    assert all(90 < len(t) < 110 for t in texts)
    await push_replies(redis, keys, [Reply(platform=Platform.TWITCH, channel=CHANNEL, text=t,
                                           reply_to=f"msg-{i}") for i, t in enumerate(texts)],
                       10_000)
    chat = sender(helix)
    outbox = TwitchOutboxSender(redis=redis, keys=keys, platform="twitch", send=chat.send,
                                limits=PlatformLimits(max_len=500, messages=20, window_s=1),
                                storage_uri=f"async+{redis_url}")
    stop = asyncio.Event()
    started = time.monotonic()
    runner = asyncio.create_task(outbox.run(stop, idle_s=0.02))
    try:
        await wait_for(lambda: outbox.sent > 0 and outbox.waiting == 0
                       and all(t in " | ".join(m["message"] for m in stub.chat) for t in texts),
                       timeout=10, interval=0.05)
    finally:
        stop.set()
        await runner
    elapsed = time.monotonic() - started
    sent = [m["message"] for m in stub.chat]
    assert all(len(m) <= 500 for m in sent)
    delivered = " | ".join(sent)
    assert all(t in delivered for t in texts)  # merged, none lost
    assert 20 < len(sent) < 200  # merged under pressure, and more than one window's worth
    # the per-channel budget held: measured where the stub receives them, so a window a
    # little under the budget's second leaves room for the HTTP round trip's jitter (a
    # loaded CI machine bunched 21 into 0.9 s once); no budget at all sends 200 in one
    assert max_in_window(stub.chat_times, 0.8) <= 20
    assert elapsed >= len(sent) / 20 - 1.2  # it really waited for the window
    assert outbox.merged > 0 and chat.stats.dropped == 0


async def test_moderator_channels_get_the_bigger_budget(
    helix: HttpClient, stub: TwitchStub, redis: Any, settings: Settings, redis_url: str
) -> None:
    keys = Keys(settings.redis_prefix)
    await push_replies(redis, keys, [Reply(platform=Platform.TWITCH, channel=ch,
                                           text=f"{i:02d}" + "y" * 400)
                                     for ch in ("modded", "plain") for i in range(40)], 10_000)
    outbox = TwitchOutboxSender(
        redis=redis, keys=keys, platform="twitch", send=sender(helix).send,
        limits=PlatformLimits(max_len=500, messages=20, window_s=30),
        mod_limits=PlatformLimits(max_len=500, messages=100, window_s=30),
        storage_uri=f"async+{redis_url}", mod_channels={"modded"})
    await outbox.drain_once()
    per_channel = {ch: sum(1 for m in stub.chat if m["broadcaster_id"] == ch)
                   for ch in ("modded", "plain")}
    assert per_channel == {"modded": 40, "plain": 20}
    assert outbox.waiting == 20
    # shutting down: what was popped but not sent goes back to the head of the outbox, in order
    assert await outbox.requeue_waiting() == 20 and outbox.waiting == 0
    back = [json.loads(r)["text"][:2] for r in await redis.lrange(keys.outbox("twitch"), 0, -1)]
    assert back == [f"{i:02d}" for i in range(20, 40)]


async def test_without_a_usable_token_the_reply_is_kept_and_the_sender_slows_down(
    stub: TwitchStub
) -> None:
    # Twitch revokes the bot's token while running and refuses its refresh token
    store = MemoryTokenStore(user_token(BOT, "soon-dead", refresh="revoked"))
    client = await logged_in(stub, store)
    stub.reject_tokens.add("soon-dead")
    try:
        sleeps = Sleeps()
        chat = sender(client, sleep=sleeps)
        with pytest.raises(RetryLater):
            await chat.send(CHANNEL, "hello", None)
    finally:
        await client.close()
    assert sleeps.calls == [10.0] and chat.stats.deferred == 1 and stub.chat == []
    # a token that could not even be loaded at start: the same, without asking Twitch
    client = await logged_in(stub, MemoryTokenStore())
    try:
        chat = sender(client, sleep=sleeps)
        with pytest.raises(RetryLater):
            await chat.send(CHANNEL, "hello", None)
    finally:
        await client.close()
    assert sleeps.calls == [10.0, 10.0] and chat.stats.deferred == 1 and stub.chat == []
