"""Replies: twitchio's Send Chat Message, within the per-channel budget shared through Redis.

``ChatSender.send(channel, text, reply_to)`` is the coroutine the outbox calls; the Helix call
is twitchio's (``PartialUser.send_message``). A 429, a 5xx or a network failure backs off a
few times; then it raises ``RetryLater`` so the OutboxSender keeps the message for its next
round (logged there). Refusals that will not change on retry (a drop reason such as
``msg_duplicate``, 403, 422...) are dropped with a warning and counted (``stats.dropped`` and
the ``twitch:rejected`` field of the outbox-dropped hash in Redis). A reply whose parent
Twitch does not accept (400) is sent again as a plain message. A reply to a channel the
listener no longer serves (``serves`` says no: its community gave it up) is dropped with a
warning and counted (``twitch:unowned``), never sent.

``TwitchOutboxSender`` uses Twitch's moderator budget (100 per 30 s instead of 20) in the
channels where the bot is a moderator or the broadcaster.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp
import twitchio
from limits import RateLimitItemPerSecond
from twitchio.exceptions import HTTPException, MessageRejectedError

from kingpin.outbox import LIMITS, OutboxSender, PlatformLimits
from platforms.twitch.client import http_error
from platforms.twitch.dedup import RecentIds

log = logging.getLogger(__name__)

MAX_LEN = 500
RETRYABLE_DROPS = {"msg_ratelimit", "msg_rate_limit", "ratelimit"}
NO_TOKEN_WAIT_S = 10.0

OnDrop = Callable[[str, str], Awaitable[None]]  # channel, reason
Sleep = Callable[[float], Awaitable[None]]
UNOWNED = "unowned"  # the drop reason of a reply to a channel no community owns


class RetryLater(RuntimeError):
    """Twitch is rate limiting (429) or failing (5xx, network), or there is no token yet."""


@dataclass
class SendStats:
    sent: int = 0
    retried: int = 0  # 429/5xx/network answers that were retried
    deferred: int = 0  # handed back to the outbox (RetryLater)
    dropped: int = 0  # refused by Twitch for good
    replies_unparented: int = 0


@dataclass
class ChatSender:
    client: twitchio.Client
    bot_user_id: str
    as_app: bool = False  # send with the app token (Chat Bot badge) instead of the bot's
    retries: int = 3
    max_wait_s: float = 10.0
    sent_ids: RecentIds = field(default_factory=lambda: RecentIds(2000))
    on_drop: OnDrop | None = None
    sleep: Sleep = asyncio.sleep
    stats: SendStats = field(default_factory=SendStats)
    serves: Callable[[str], bool] | None = None  # None: every channel

    async def send(self, channel: str, text: str, reply_to: str | None) -> None:
        if self.serves is not None and not self.serves(channel):
            log.warning("twitch#%s: reply dropped, no community owns the channel now: %.80r",
                        channel, text)
            await self._drop(channel, UNOWNED)
            return
        if len(text) > MAX_LEN:  # the outbox splits at 500 already; never send more
            log.warning("twitch#%s: reply of %d chars cut to %d", channel, len(text), MAX_LEN)
            text = text[:MAX_LEN]
        if not self.as_app and self.bot_user_id not in self.client.tokens:
            # twitchio dropped the token (refresh refused) or never had it: keep the reply
            log.error("twitch#%s: cannot send: no usable token for the bot %s (run `kingpin "
                      "twitch authorize --role bot`)", channel, self.bot_user_id)
            self.stats.deferred += 1
            await self.sleep(self.max_wait_s)
            raise RetryLater(f"send to {channel} deferred: no token")
        room = self.client.create_partialuser(channel)
        parent = reply_to or None
        failures = 0
        while True:
            status: int | None
            try:
                sent = await room.send_message(
                    text, self.bot_user_id, token_for=None if self.as_app else self.bot_user_id,
                    reply_to_message_id=parent)
            except MessageRejectedError as exc:
                code = str(exc.code or "unknown")
                if code not in RETRYABLE_DROPS:
                    log.warning("twitch#%s: Twitch did not send a reply (%s: %s): %.80r",
                                channel, code, exc.message, text)
                    await self._drop(channel, code)
                    return
                status = 429
            except HTTPException as exc:
                status = exc.status
                if exc.route is not None and exc.route.use_id:
                    # the refresh after a 401 was refused: authorize again; keep the reply
                    log.error("twitch#%s: cannot send: the token could not be refreshed (%s):"
                              " run `kingpin twitch authorize` again", channel, http_error(exc))
                    self.stats.deferred += 1
                    await self.sleep(self.max_wait_s)
                    raise RetryLater(f"send to {channel} deferred: no token") from None
                if status == 400 and parent is not None:
                    log.info("twitch#%s: reply parent %s refused (%s); sending unthreaded",
                             channel, parent, http_error(exc))
                    parent = None
                    self.stats.replies_unparented += 1
                    continue
                if status != 429 and status < 500:
                    log.error("twitch#%s: Twitch refused a reply (%s): %.80r", channel,
                              http_error(exc), text)
                    await self._drop(channel, f"http_{status}")
                    return
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                log.warning("twitch#%s: send failed: %s", channel, type(exc).__name__)
                status = None
            else:
                self.stats.sent += 1
                if sent.id:
                    self.sent_ids.seen(str(sent.id))
                return
            failures += 1
            if failures > self.retries:
                self.stats.deferred += 1
                log.warning("twitch#%s: send still failing (%s) after %d tries; the outbox "
                            "keeps the message", channel, status, failures)
                raise RetryLater(f"send to {channel} deferred")
            self.stats.retried += 1
            delay = min(self.max_wait_s, 0.5 * 2 ** failures)
            log.warning("twitch#%s: send answered %s; retry %d/%d in %.1fs", channel,
                        status, failures, self.retries, delay)
            await self.sleep(delay)

    async def _drop(self, channel: str, reason: str) -> None:
        self.stats.dropped += 1
        if self.on_drop is not None:
            try:
                await self.on_drop(channel, reason)
            except Exception:  # noqa: BLE001 - the counter is best effort; the log line is not
                log.exception("twitch#%s: counting a dropped reply failed", channel)


@dataclass
class TwitchOutboxSender(OutboxSender):
    """OutboxSender with the moderator budget in ``mod_channels`` (shared, updated live)."""

    mod_channels: set[str] = field(default_factory=set)
    mod_limits: PlatformLimits = field(default_factory=lambda: LIMITS["twitch_mod"])

    def __post_init__(self) -> None:
        super().__post_init__()
        self._mod_item = RateLimitItemPerSecond(self.mod_limits.messages,
                                                self.mod_limits.window_s)

    async def _acquire(self, channel: str) -> bool:
        if self._limiter is None:
            return True
        item = self._mod_item if channel in self.mod_channels else self._item
        return await self._limiter.hit(item, self.platform, channel)
