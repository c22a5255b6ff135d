"""Kick's public API: who is this token (``GET /public/v1/users``) and sending chat
(``POST /public/v1/chat``: ``type`` "user" or "bot", ``broadcaster_user_id``, ``content``
at most 500 characters, optional ``reply_to_message_id``; scope ``chat:write``).

As "user" the message is posted by the token's account into ``broadcaster_user_id``'s chat;
as "bot" Kick ignores ``broadcaster_user_id`` and posts into the token owner's own channel
(docs.kick.com/apis/chat), so with ``send_as = "bot"`` each broadcaster authorizes the app
and their own token is used for their channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import aiohttp

from platforms.kick.oauth import TokenManager

log = logging.getLogger("platforms.kick.api")

MAX_CONTENT = 500


class KickApiError(RuntimeError):
    """A failure worth retrying later (5xx, network, still rate limited)."""


def fit_content(text: str, limit: int = MAX_CONTENT) -> str:
    """At most ``limit`` characters, counted as UTF-16 units (what a JS backend counts)."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    out: list[str] = []
    used = 0
    for ch in text:
        units = 2 if ord(ch) > 0xFFFF else 1
        if used + units > limit - 1:
            break
        out.append(ch)
        used += units
    return "".join(out) + "…"


@dataclass
class KickApi:
    session: aiohttp.ClientSession
    api_url: str

    def url(self, path: str) -> str:
        return f"{self.api_url.rstrip('/')}{path}"

    async def subscribe_events(self, access_token: str, broadcaster_user_id: int,
                               events: list[str]) -> Any:
        """``POST /public/v1/events/subscriptions`` (method webhook, version 1 each): Kick
        then posts those events for that broadcaster to the app's webhook URL."""
        body = {"broadcaster_user_id": broadcaster_user_id, "method": "webhook",
                "events": [{"name": name, "version": 1} for name in events]}
        async with self.session.post(self.url("/public/v1/events/subscriptions"), json=body,
                                     headers={"Authorization": f"Bearer {access_token}"}
                                     ) as resp:
            if resp.status != 200:
                raise KickApiError(f"events/subscriptions answered {resp.status}: "
                                   f"{(await resp.text())[:200]}")
            return await resp.json(content_type=None)

    async def current_user(self, access_token: str) -> dict[str, Any]:
        """``GET /public/v1/users`` without ids: the authorized user (user_id, name)."""
        async with self.session.get(self.url("/public/v1/users"),
                                    headers={"Authorization": f"Bearer {access_token}"}) as resp:
            if resp.status != 200:
                raise KickApiError(f"users endpoint answered {resp.status}: "
                                   f"{(await resp.text())[:200]}")
            data = await resp.json(content_type=None)
        users = data.get("data") if isinstance(data, dict) else None
        if not isinstance(users, list) or not users or not isinstance(users[0], dict):
            raise KickApiError("users endpoint answered without a user")
        return users[0]


@dataclass
class SendStats:
    sent: int = 0
    dropped: int = 0
    rate_limited: int = 0
    refreshed: int = 0


@dataclass
class ChatSender:
    """The ``send(channel, text, reply_to)`` coroutine OutboxSender drives for Kick."""

    api: KickApi
    tokens: TokenManager
    send_as: Literal["user", "bot"] = "user"
    bot_account: str | None = None  # account whose token posts (send_as "user")
    retries: int = 3
    max_retry_after_s: float = 30.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    stats: SendStats = field(default_factory=SendStats)

    def _account(self, channel: str) -> str:
        if self.send_as == "bot":
            return channel
        if self.bot_account is None:
            raise KickApiError("no Kick account to send with")
        return self.bot_account

    async def __call__(self, channel: str, text: str, reply_to: str | None) -> None:
        if not channel.isascii() or not channel.isdigit():
            log.error("kick: reply for channel %r dropped (not a broadcaster user id)", channel)
            self.stats.dropped += 1
            return
        account = self._account(channel)
        token = await self.tokens.access_token(account)
        body: dict[str, Any] = {"type": self.send_as, "content": fit_content(text)}
        if self.send_as == "user":
            body["broadcaster_user_id"] = int(channel)
        if reply_to:
            body["reply_to_message_id"] = reply_to
        refreshed = False
        attempt = 0
        while True:
            async with self.api.session.post(
                self.api.url("/public/v1/chat"), json=body,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            ) as resp:
                status = resp.status
                retry_after = resp.headers.get("Retry-After")
                detail = (await resp.text())[:300]
            if 200 <= status < 300:
                self.stats.sent += 1
                return
            if status == 401 and not refreshed:
                token = await self.tokens.force_refresh(account, token)
                refreshed = True
                self.stats.refreshed += 1
                continue
            if status == 429:
                self.stats.rate_limited += 1
                if attempt >= self.retries:
                    raise KickApiError(f"rate limited on channel {channel} after "
                                       f"{attempt + 1} tries")
                delay = _retry_after(retry_after, default=2.0 ** attempt)
                log.warning("kick: rate limited sending to %s; waiting %.1fs", channel,
                            min(delay, self.max_retry_after_s))
                await self.sleep(min(delay, self.max_retry_after_s))
                attempt += 1
                continue
            if status == 400 and "reply_to_message_id" in body:
                # the message we answer may be gone: say it without the reply link
                log.info("kick: reply link to %s refused on %s; sending plain", reply_to, channel)
                body.pop("reply_to_message_id")
                continue
            if status >= 500 or status == 408:
                raise KickApiError(f"chat endpoint answered {status}: {detail}")
            # 400/401/403/404...: retrying would fail the same way
            self.stats.dropped += 1
            log.error("kick: reply to channel %s dropped: chat endpoint answered %d: %s",
                      channel, status, detail)
            return


def _retry_after(value: str | None, default: float) -> float:
    if value is None:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        return default
