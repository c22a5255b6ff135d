"""The outbox: replies queued by jobs, drained within a platform budget shared in Redis."""

from __future__ import annotations

from typing import Any

from game.events import Platform
from game.replies import Reply
from kingpin.outbox import OutboxSender, PlatformLimits, push_replies
from kingpin.settings import Settings


def reply(text: str, channel: str = "chan") -> Reply:
    return Reply(platform=Platform.TWITCH, channel=channel, text=text)


async def test_a_burst_goes_out_within_budget_and_nothing_is_lost(
    redis: Any, settings: Settings, redis_url: str
) -> None:
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    sent: list[str] = []

    async def send(channel: str, text: str, reply_to: str | None) -> None:
        sent.append(text)

    limits = PlatformLimits(max_len=500, messages=20, window_s=30)
    texts = [f"@viewer{i} reply number {i}" for i in range(200)]
    await push_replies(redis, keys, [reply(t) for t in texts], 10_000)
    sender = OutboxSender(redis=redis, keys=keys, platform="twitch", send=send, limits=limits,
                          storage_uri=f"async+{redis_url}")
    for _ in range(5):
        await sender.drain_once()
    assert len(sent) <= 20  # the per-channel budget
    assert all(len(s) <= 500 for s in sent)
    delivered = " | ".join(sent)
    assert all(t in delivered for t in texts)  # merged, not dropped
    assert sender.merged > 0 and sender.waiting == 0

    # a second sender process shares the same budget through Redis
    other: list[str] = []

    async def send_other(channel: str, text: str, reply_to: str | None) -> None:
        other.append(text)

    twin = OutboxSender(redis=redis, keys=keys, platform="twitch", send=send_other,
                        limits=limits, storage_uri=f"async+{redis_url}")
    await push_replies(redis, keys, [reply("x" * 400) for _ in range(30)], 10_000)
    await twin.drain_once()
    assert len(sent) + len(other) <= 20
    assert twin.waiting > 0  # kept, to go out when the window allows


async def test_long_replies_are_split_at_the_limit(redis: Any, settings: Settings) -> None:
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    sent: list[str] = []

    async def send(channel: str, text: str, reply_to: str | None) -> None:
        sent.append(text)

    await push_replies(redis, keys, [reply("word " * 300)], 10_000)
    sender = OutboxSender(redis=redis, keys=keys, platform="twitch", send=send,
                          limits=PlatformLimits(max_len=500, messages=100, window_s=1))
    await sender.drain_once()
    assert len(sent) == 3 and all(len(s) <= 500 for s in sent)


async def test_a_failing_send_keeps_the_message(redis: Any, settings: Settings) -> None:
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    calls: list[str] = []

    async def flaky(channel: str, text: str, reply_to: str | None) -> None:
        calls.append(text)
        if len(calls) == 1:
            raise ConnectionError("platform down")

    await push_replies(redis, keys, [reply("hello")], 10_000)
    sender = OutboxSender(redis=redis, keys=keys, platform="twitch", send=flaky,
                          limits=PlatformLimits(max_len=500, messages=100, window_s=1))
    assert await sender.drain_once() == 0
    assert await sender.drain_once() == 1
    assert calls == ["hello", "hello"]


async def test_an_overfull_outbox_drops_the_oldest_and_counts_them(
    redis: Any, settings: Settings
) -> None:
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    await push_replies(redis, keys, [reply(f"r{i}") for i in range(15)], 10)
    assert await redis.llen(keys.outbox("twitch")) == 10
    assert int(await redis.hget(keys.outbox_dropped, "twitch")) == 5


async def test_merged_replies_still_answer_the_message_that_asked(
    redis: Any, settings: Settings
) -> None:
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    got: list[tuple[str, str | None]] = []

    async def send(channel: str, text: str, reply_to: str | None) -> None:
        got.append((text, reply_to))

    await push_replies(redis, keys, [
        Reply(platform=Platform.TWITCH, channel="c", text="@a you robbed b", reply_to="msg-1"),
        Reply(platform=Platform.TWITCH, channel="c", text="@b you were robbed"),
    ], 10_000)
    sender = OutboxSender(redis=redis, keys=keys, platform="twitch", send=send,
                          limits=PlatformLimits(max_len=500, messages=100, window_s=1))
    await sender.drain_once()
    assert got == [("@a you robbed b | @b you were robbed", "msg-1")]
