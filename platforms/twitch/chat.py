"""Replies: Helix Send Chat Message, within the per-channel budget shared through Redis.

``ChatSender.send(channel, text, reply_to)`` is the coroutine the outbox calls. A 429 waits
for ``Ratelimit-Reset`` and a 5xx/network failure backs off, a few times; then it raises
``RetryLater`` so the OutboxSender keeps the message for its next round (logged there).
Refusals that will not change on retry (``is_sent: false`` with a drop reason, 403, 422...)
are dropped with a warning and counted (``stats.dropped`` and the ``twitch:rejected`` field of
the outbox-dropped hash in Redis). A reply whose parent Twitch does not accept (400) is
sent again as a plain message. A reply to a channel the listener no longer serves (``serves``
says no: its community gave it up) is dropped with a warning and counted
(``twitch:unowned``), never sent.

``TwitchOutboxSender`` uses Twitch's moderator budget (100 per 30 s instead of 20) in the
channels where the bot is a moderator or the broadcaster.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp
from limits import RateLimitItemPerSecond

from kingpin.outbox import LIMITS, OutboxSender, PlatformLimits
from platforms.twitch.auth import OAuthError
from platforms.twitch.dedup import RecentIds
from platforms.twitch.helix import Helix, HelixResponse, RetryLater, Sleep

log = logging.getLogger(__name__)

MAX_LEN = 500
RETRYABLE_DROPS = {"msg_ratelimit", "msg_rate_limit", "ratelimit"}

OnDrop = Callable[[str, str], Awaitable[None]]  # channel, reason
UNOWNED = "unowned"  # the drop reason of a reply to a channel no community owns


@dataclass
class SendStats:
    sent: int = 0
    retried: int = 0  # 429/5xx/network answers that were retried
    deferred: int = 0  # handed back to the outbox (RetryLater)
    dropped: int = 0  # refused by Twitch for good
    replies_unparented: int = 0


@dataclass
class ChatSender:
    helix: Helix
    bot_user_id: str
    account: str  # whose token sends: the bot's user id, or APP_ACCOUNT
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
        body: dict[str, str] = {"broadcaster_id": channel, "sender_id": self.bot_user_id,
                                "message": text}
        if reply_to:
            body["reply_parent_message_id"] = reply_to
        failures = 0
        while True:
            resp: HelixResponse | None
            try:
                resp = await self.helix.call("POST", "/chat/messages", account=self.account,
                                             json=body)
            except (aiohttp.ClientError, TimeoutError) as exc:
                log.warning("twitch#%s: send failed: %s", channel, exc)
                resp = None
            except OAuthError as exc:  # no usable token: wait, keep the reply, say why
                log.error("twitch#%s: cannot send: %s", channel, exc)
                self.stats.deferred += 1
                await self.sleep(self.max_wait_s)
                raise RetryLater(None, f"send to {channel} deferred: no token") from exc
            if resp is not None and resp.status == 200:
                data = (resp.body.get("data") or [{}])[0]
                if data.get("is_sent"):
                    self.stats.sent += 1
                    if data.get("message_id"):
                        self.sent_ids.seen(str(data["message_id"]))
                    return
                reason = data.get("drop_reason") or {}
                code = str(reason.get("code") or "unknown")
                if code in RETRYABLE_DROPS:
                    resp = None  # treat like a 429 below
                else:
                    log.warning("twitch#%s: Twitch did not send a reply (%s: %s): %.80r",
                                channel, code, reason.get("message"), text)
                    await self._drop(channel, code)
                    return
            if resp is not None and resp.status == 400 and "reply_parent_message_id" in body:
                log.info("twitch#%s: reply parent %s refused (%s); sending unthreaded",
                         channel, reply_to, resp.message)
                del body["reply_parent_message_id"]
                self.stats.replies_unparented += 1
                continue
            if resp is None or resp.status == 429 or resp.status >= 500:
                failures += 1
                status = resp.status if resp is not None else None
                if failures > self.retries:
                    self.stats.deferred += 1
                    log.warning("twitch#%s: send still failing (%s) after %d tries; the outbox "
                                "keeps the message", channel, status, failures)
                    raise RetryLater(status, f"send to {channel} deferred")
                self.stats.retried += 1
                delay = (resp.retry_after(self.max_wait_s) if resp is not None
                         and resp.status == 429 else min(self.max_wait_s, 0.5 * 2 ** failures))
                log.warning("twitch#%s: send answered %s; retry %d/%d in %.1fs", channel,
                            status, failures, self.retries, delay)
                await self.sleep(delay)
                continue
            log.error("twitch#%s: Twitch refused a reply (%d: %s): %.80r", channel,
                      resp.status, resp.message, text)
            await self._drop(channel, f"http_{resp.status}")
            return

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
