"""The outbox: jobs append replies to Redis; each platform process drains its own list.

Sending respects the platform's budget, kept in Redis (``limits`` moving window) so several
listener processes for one platform share it. Under pressure, replies waiting for one channel
are merged into as few messages as the length limit allows; nothing is dropped silently.
A ``private`` reply (for its addressee's eyes only) is never merged: it goes out on its own.
A reply with a ``card`` goes out on its own through ``send_card`` where the platform has one
(Discord); elsewhere its card is ignored and its text is an ordinary reply.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from limits import RateLimitItemPerSecond
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import Redis

from game.replies import Card, Reply, merge_texts, split_text
from kingpin.faults import Outages, is_transient
from kingpin.keys import Keys

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlatformLimits:
    max_len: int
    messages: int  # per window, per channel
    window_s: int
    merge: bool = True  # pack waiting replies into fewer messages


# Per-platform budgets (DESIGN.md "Replies"). Kick publishes none: be conservative.
LIMITS: dict[str, PlatformLimits] = {
    "twitch": PlatformLimits(max_len=500, messages=20, window_s=30),
    "twitch_mod": PlatformLimits(max_len=500, messages=100, window_s=30),
    "kick": PlatformLimits(max_len=500, messages=10, window_s=30),
    "discord": PlatformLimits(max_len=2000, messages=5, window_s=5),
    "console": PlatformLimits(max_len=500, messages=1_000_000, window_s=1, merge=False),
}


async def push_replies(redis: Redis, keys: Keys, replies: Iterable[Reply], max_len: int) -> None:
    by_platform: dict[str, list[str]] = defaultdict(list)
    now = datetime.now(UTC)
    for reply in replies:
        stamped = reply.model_copy(update={"queued_at": now})
        by_platform[reply.platform.value].append(stamped.model_dump_json(exclude_none=True))
    if not by_platform:
        return
    async with redis.pipeline(transaction=False) as pipe:
        for platform, payloads in by_platform.items():
            pipe.rpush(keys.outbox(platform), *payloads)
            pipe.llen(keys.outbox(platform))
        results = await pipe.execute()
    for (platform, _), length in zip(by_platform.items(), results[1::2], strict=True):
        if length > max_len:
            dropped = length - max_len
            await redis.ltrim(keys.outbox(platform), dropped, -1)  # type: ignore[misc]
            await redis.hincrby(keys.outbox_dropped, platform, dropped)  # type: ignore[misc]
            log.warning("outbox for %s over %d: dropped the %d oldest replies",
                        platform, max_len, dropped)


async def pop_replies(redis: Redis, keys: Keys, platform: str, count: int) -> list[Reply]:
    raw = await redis.lpop(keys.outbox(platform), count)  # type: ignore[misc]
    if not raw:
        return []
    replies = []
    for item in raw:
        try:
            replies.append(Reply.model_validate_json(item))
        except ValueError:
            log.error("unreadable outbox entry on %s dropped: %.200r", platform, item)
    return replies


def limits_storage_uri(url: str) -> str:
    """The `limits` storage URI for a Redis URL: ``redis://…``, ``rediss://…`` and
    ``unix:///path`` (also already prefixed with ``async+``) all work."""
    url = url.removeprefix("async+")
    if url.startswith("unix://"):
        return "async+redis+" + url
    return "async+" + url


Send = Callable[[str, str, str | None], Awaitable[None]]  # channel, text, reply_to
SendCard = Callable[[str, str, str | None, Card], Awaitable[None]]  # … and the card


@dataclass
class OutboxSender:
    """Drains one platform's outbox through ``send`` within that platform's budget.

    Private replies go one by one, unmerged, through ``send_private`` (same arguments); with
    no ``send_private`` through ``send`` — right only where every reply reaches one reader
    anyway (the console). Jobs mark replies private only on platforms that can keep them so.

    With ``send_card`` set, a public reply carrying a ``card`` (whose text fits one message)
    goes alone, unmerged, through ``send_card(channel, text, reply_to, card)``; without it
    the card is ignored and the text is merged and split like any other reply.
    """

    redis: Redis
    keys: Keys
    platform: str
    send: Send
    limits: PlatformLimits
    storage_uri: str | None = None
    send_private: Send | None = None
    send_card: SendCard | None = None
    sent: int = 0
    merged: int = 0
    _limiter: MovingWindowRateLimiter | None = None
    _waiting: dict[str, list[Reply]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        if self.storage_uri is not None:
            storage = RedisStorage(
                limits_storage_uri(self.storage_uri), implementation="redispy",
                key_prefix=self.keys.ratelimit_namespace(),
            )
            self._limiter = MovingWindowRateLimiter(storage)
        self._item = RateLimitItemPerSecond(self.limits.messages, self.limits.window_s)

    async def _acquire(self, channel: str) -> bool:
        if self._limiter is None:
            return True
        return await self._limiter.hit(self._item, self.platform, channel)

    async def drain_once(self, batch: int = 200) -> int:
        """Send what the budget allows now; keep the rest waiting (merged). Returns sent."""
        for reply in await pop_replies(self.redis, self.keys, self.platform, batch):
            self._waiting[reply.channel].append(reply)
        sent = 0
        for channel in list(self._waiting):
            pending = self._waiting.pop(channel)
            public = [r for r in pending if not r.private and not self._carded(r)]
            kept: list[Reply] = []
            if public:
                if self.limits.merge:
                    texts = merge_texts([r.text for r in public], self.limits.max_len)
                    self.merged += max(0, len(public) - len(texts))
                else:
                    texts = [p for r in public for p in split_text(r.text, self.limits.max_len)]
                # merged text answers the first message that asked for an answer
                reply_to = next((r.reply_to for r in public if r.reply_to), None)
                count, kept = await self._deliver(channel, self.send, public[0], texts, reply_to)
                sent += count
            for reply in pending:
                if reply.private:  # on its own, never merged with anything
                    count, rest = await self._deliver(
                        channel, self.send_private or self.send, reply,
                        split_text(reply.text, self.limits.max_len), reply.reply_to)
                    sent += count
                    kept += rest
                elif self._carded(reply):  # on its own too, with its card
                    count, rest = await self._deliver_card(channel, reply)
                    sent += count
                    kept += rest
            if kept:  # over budget or failed: kept for this channel; merges with newcomers
                self._waiting[channel] = kept
        self.sent += sent
        return sent

    async def _deliver(self, channel: str, send: Send, template: Reply, texts: list[str],
                       reply_to: str | None) -> tuple[int, list[Reply]]:
        """Send ``texts`` in order; returns how many went out and the replies to keep."""
        for i, text in enumerate(texts):
            first = reply_to if i == 0 else None
            if not await self._acquire(channel):
                return i, self._rest(template, texts[i:], first)
            try:
                await send(channel, text, first)
            except Exception:  # noqa: BLE001 - a platform failure must not kill the sender
                log.exception("send failed on %s#%s; message kept for retry",
                              self.platform, channel)
                return i, self._rest(template, texts[i:], first)
        return len(texts), []

    def _carded(self, reply: Reply) -> bool:
        """Goes through ``send_card``: public, has a card, and the text fits one message (the
        text is what the platform falls back to if the card can't be shown)."""
        return (self.send_card is not None and reply.card is not None and not reply.private
                and len(reply.text.strip()) <= self.limits.max_len)

    async def _deliver_card(self, channel: str, reply: Reply) -> tuple[int, list[Reply]]:
        assert self.send_card is not None and reply.card is not None
        if not await self._acquire(channel):
            return 0, [reply]
        try:
            await self.send_card(channel, reply.text.strip(), reply.reply_to, reply.card)
        except Exception:  # noqa: BLE001 - a platform failure must not kill the sender
            log.exception("send failed on %s#%s; message kept for retry", self.platform, channel)
            return 0, [reply]
        return 1, []

    @staticmethod
    def _rest(template: Reply, texts: list[str], reply_to: str | None) -> list[Reply]:
        return [template.model_copy(update={"text": t, "reply_to": reply_to if n == 0 else None})
                for n, t in enumerate(texts)]

    async def requeue_waiting(self) -> int:
        """Put replies popped but not yet sent back at the head of the outbox (on shutdown)."""
        items = [reply for replies in self._waiting.values() for reply in replies]
        self._waiting.clear()
        if items:
            await self.redis.lpush(  # type: ignore[misc]
                self.keys.outbox(self.platform), *[r.model_dump_json() for r in reversed(items)])
        return len(items)

    @property
    def waiting(self) -> int:
        return sum(len(v) for v in self._waiting.values())

    async def run(self, stop: asyncio.Event, idle_s: float = 0.05) -> None:
        """Drain until told to stop. Redis going away is one log line (and one when it is
        back), with backoff between tries; a bug is logged with its traceback."""
        outages = Outages(log)
        wait_s = idle_s
        while not stop.is_set():
            try:
                sent = await self.drain_once()
                outages.up("Redis")
                wait_s = idle_s
            except Exception as exc:  # noqa: BLE001 - never let the sender die
                sent = 0
                if is_transient(exc):
                    outages.down("Redis", exc)
                    wait_s = min(max(wait_s * 2, 0.5), 5.0)
                else:
                    log.exception("outbox drain failed on %s", self.platform)
            if sent == 0:
                try:
                    await asyncio.wait_for(stop.wait(), wait_s)
                except TimeoutError:
                    pass
