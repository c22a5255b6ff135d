"""The outbox: replies queued by jobs, drained within a platform budget shared in Redis."""

from __future__ import annotations

from typing import Any

from game.events import Platform
from game.replies import Reply
from kingpin.outbox import OutboxSender, PlatformLimits, pop_replies, push_replies
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


def _private(text: str, reply_to: str, channel: str = "c") -> Reply:
    return Reply(platform=Platform.TWITCH, channel=channel, text=text, reply_to=reply_to,
                 private=True)


async def test_a_private_reply_is_never_merged_with_public_ones(
    redis: Any, settings: Settings, redis_url: str
) -> None:
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    public: list[tuple[str, str, str | None]] = []
    private: list[tuple[str, str, str | None]] = []

    async def send(channel: str, text: str, reply_to: str | None) -> None:
        public.append((channel, text, reply_to))

    async def send_private(channel: str, text: str, reply_to: str | None) -> None:
        private.append((channel, text, reply_to))

    await push_replies(redis, keys, [
        Reply(platform=Platform.TWITCH, channel="c", text="@a you robbed b", reply_to="msg-1"),
        _private("@c your link code is ABCD2345", "msg-2"),
        Reply(platform=Platform.TWITCH, channel="c", text="@b you were robbed"),
        _private("@d your link code is EFGH6789", "msg-3"),
    ], 10_000)
    assert [r.private for r in await pop_replies(redis, keys, "twitch", 10)] == [
        False, True, False, True]  # the flag survives the JSON round trip
    await push_replies(redis, keys, [
        Reply(platform=Platform.TWITCH, channel="c", text="@a you robbed b", reply_to="msg-1"),
        _private("@c your link code is ABCD2345", "msg-2"),
        Reply(platform=Platform.TWITCH, channel="c", text="@b you were robbed"),
        _private("@d your link code is EFGH6789", "msg-3"),
    ], 10_000)
    sender = OutboxSender(redis=redis, keys=keys, platform="twitch", send=send,
                          send_private=send_private,
                          limits=PlatformLimits(max_len=500, messages=100, window_s=1))
    assert await sender.drain_once() == 3
    assert public == [("c", "@a you robbed b | @b you were robbed", "msg-1")]
    assert private == [("c", "@c your link code is ABCD2345", "msg-2"),
                       ("c", "@d your link code is EFGH6789", "msg-3")]

    # without send_private (the console): still one message each, never merged
    alone: list[str] = []

    async def printer(channel: str, text: str, reply_to: str | None) -> None:
        alone.append(text)

    await push_replies(redis, keys, [reply("@a hi", "c"), _private("@c code", "m"),
                                     reply("@b hi", "c")], 10_000)
    console = OutboxSender(redis=redis, keys=keys, platform="twitch", send=printer,
                           limits=PlatformLimits(max_len=500, messages=100, window_s=1))
    await console.drain_once()
    assert alone == ["@a hi | @b hi", "@c code"]


async def test_a_private_reply_kept_over_budget_stays_private_and_apart(
    redis: Any, settings: Settings, redis_url: str
) -> None:
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    public: list[str] = []
    private: list[str] = []

    async def send(channel: str, text: str, reply_to: str | None) -> None:
        public.append(text)

    async def send_private(channel: str, text: str, reply_to: str | None) -> None:
        private.append(text)

    sender = OutboxSender(redis=redis, keys=keys, platform="twitch", send=send,
                          send_private=send_private,
                          limits=PlatformLimits(max_len=500, messages=1, window_s=60),
                          storage_uri=f"async+{redis_url}")
    await push_replies(redis, keys, [reply("@a hi"), _private("@c code", "m", "chan")], 10_000)
    assert await sender.drain_once() == 1  # the budget allows one message
    assert public == ["@a hi"] and private == []
    assert sender.waiting == 1
    assert [r.private for r in sender._waiting["chan"]] == [True]
    sender._limiter = None  # the window has passed
    await push_replies(redis, keys, [reply("@b hi")], 10_000)
    assert await sender.drain_once() == 2
    assert public == ["@a hi", "@b hi"] and private == ["@c code"]
    # put back on shutdown, it is still private
    await push_replies(redis, keys, [_private("@d code", "m2", "chan")], 10_000)
    sender._limiter = MovingWindowRateLimiterStub()  # type: ignore[assignment]
    await sender.drain_once()
    assert await sender.requeue_waiting() == 1
    [again] = await pop_replies(redis, keys, "twitch", 10)
    assert again.private and again.text == "@d code" and again.reply_to == "m2"


class MovingWindowRateLimiterStub:
    """A budget that is always spent."""

    async def hit(self, *args: Any) -> bool:
        return False


def test_limits_storage_uri_accepts_every_redis_url_form() -> None:
    from kingpin.outbox import limits_storage_uri

    assert limits_storage_uri("redis://127.0.0.1:6379/0") == "async+redis://127.0.0.1:6379/0"
    assert limits_storage_uri("async+redis://h/1") == "async+redis://h/1"
    assert limits_storage_uri("rediss://h:6380") == "async+rediss://h:6380"
    assert limits_storage_uri("unix:///tmp/r.sock") == "async+redis+unix:///tmp/r.sock"
    assert limits_storage_uri("async+unix:///tmp/r.sock") == "async+redis+unix:///tmp/r.sock"


async def test_a_carded_reply_goes_alone_to_send_card(
    redis: Any, settings: Settings, redis_url: str
) -> None:
    from game.replies import Card, CardField
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    card = Card(title="📇 profile", fields=(CardField(name="Wealth", value="$5,000"),))
    texts: list[tuple[str, str, str | None]] = []
    cards: list[tuple[str, str, str | None, Card]] = []

    async def send(channel: str, text: str, reply_to: str | None) -> None:
        texts.append((channel, text, reply_to))

    async def send_card(channel: str, text: str, reply_to: str | None, c: Card) -> None:
        cards.append((channel, text, reply_to, c))

    def batch() -> list[Reply]:
        return [
            Reply(platform=Platform.TWITCH, channel="c", text="@a you robbed b", reply_to="m1"),
            Reply(platform=Platform.TWITCH, channel="c", text="@p Punk | $5,000", reply_to="m2",
                  card=card),
            Reply(platform=Platform.TWITCH, channel="c", text="@b you were robbed"),
            _private("@d your link code is EFGH6789", "m3").model_copy(update={"card": card}),
        ]

    await push_replies(redis, keys, batch(), 10_000)
    [_, carded, *_] = await pop_replies(redis, keys, "twitch", 10)
    assert carded.card == card  # survives the JSON round trip
    await push_replies(redis, keys, batch(), 10_000)
    sender = OutboxSender(redis=redis, keys=keys, platform="twitch", send=send,
                          send_card=send_card,
                          limits=PlatformLimits(max_len=500, messages=100, window_s=1))
    assert await sender.drain_once() == 3
    assert cards == [("c", "@p Punk | $5,000", "m2", card)]
    # a private reply stays private (no send_private here: through send, alone, no card)
    assert texts == [("c", "@a you robbed b | @b you were robbed", "m1"),
                     ("c", "@d your link code is EFGH6789", "m3")]
    assert sender.merged == 1

    # over budget or failing, it is kept with its card and goes out alone later
    calls: list[Card] = []

    async def flaky(channel: str, text: str, reply_to: str | None, c: Card) -> None:
        calls.append(c)
        if len(calls) == 1:
            raise ConnectionError("platform down")

    sender.send_card = flaky
    await push_replies(redis, keys, [batch()[1]], 10_000)
    assert await sender.drain_once() == 0 and sender.waiting == 1
    await push_replies(redis, keys, [reply("@z hi", "c")], 10_000)
    assert await sender.drain_once() == 2
    assert calls == [card, card] and texts[-1] == ("c", "@z hi", None)
    sender._limiter = MovingWindowRateLimiterStub()  # type: ignore[assignment]
    await push_replies(redis, keys, [batch()[1]], 10_000)
    await sender.drain_once()
    assert await sender.requeue_waiting() == 1
    [again] = await pop_replies(redis, keys, "twitch", 10)
    assert again.card == card and again.reply_to == "m2"


async def test_without_send_card_a_carded_reply_is_plain_text(
    redis: Any, settings: Settings
) -> None:
    from game.replies import Card
    from kingpin.keys import Keys

    keys = Keys(settings.redis_prefix)
    sent: list[str] = []

    async def send(channel: str, text: str, reply_to: str | None) -> None:
        sent.append(text)

    await push_replies(redis, keys, [
        Reply(platform=Platform.TWITCH, channel="c", text="@p Punk | $5,000",
              card=Card(title="📇 profile")),
        reply("@b hi", "c"),
    ], 10_000)
    sender = OutboxSender(redis=redis, keys=keys, platform="twitch", send=send,
                          limits=PlatformLimits(max_len=500, messages=100, window_s=1))
    await sender.drain_once()
    assert sent == ["@p Punk | $5,000 | @b hi"]  # Twitch, Kick, the console: as before

    # a carded text too long for one message goes the text way, split
    cards: list[str] = []

    async def send_card(channel: str, text: str, reply_to: str | None, card: Card) -> None:
        cards.append(text)

    sender.send_card = send_card
    await push_replies(redis, keys, [Reply(platform=Platform.TWITCH, channel="c",
                                           text="word " * 300, card=Card(title="t"))], 10_000)
    await sender.drain_once()
    assert cards == [] and len(sent) == 4


async def test_redis_away_is_one_log_line_not_a_traceback_per_try(caplog: Any) -> None:
    """The drain loop rides out Redis being unreachable: it keeps trying with backoff and
    says so once, instead of a traceback every 50 ms."""
    import asyncio
    import logging

    from redis.asyncio import Redis

    from benchmarks.servers import free_port
    from kingpin.keys import Keys

    dead = Redis(port=free_port(), socket_connect_timeout=0.2)

    async def send(channel: str, text: str, reply_to: str | None) -> None:
        raise AssertionError("nothing to send")

    sender = OutboxSender(redis=dead, keys=Keys("kpo"), platform="twitch", send=send,
                          limits=PlatformLimits(max_len=500, messages=20, window_s=30))
    stop = asyncio.Event()
    with caplog.at_level(logging.INFO, logger="kingpin.outbox"):
        task = asyncio.create_task(sender.run(stop))
        await asyncio.sleep(2)
        stop.set()
        await asyncio.wait_for(task, 10)
    lines = [r for r in caplog.records if r.name == "kingpin.outbox"]
    assert len(lines) == 1 and "unreachable" in lines[0].getMessage(), lines
    assert lines[0].exc_info is None
    await dead.aclose()
