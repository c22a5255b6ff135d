"""The few Helix calls the listener makes (base URL configurable, so tests use a local stub)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from platforms.twitch.auth import TokenManager

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class HelixResponse:
    status: int
    body: dict[str, Any]
    headers: Mapping[str, str]

    @property
    def message(self) -> str:
        return str(self.body.get("message") or self.body.get("error") or "")

    def retry_after(self, cap_s: float, now: float | None = None) -> float:
        """Seconds until the rate-limit bucket refills (``Ratelimit-Reset``), capped."""
        raw = self.headers.get("Ratelimit-Reset")
        try:
            reset = float(raw) if raw is not None else None
        except ValueError:
            reset = None
        if reset is None:
            return min(1.0, cap_s)
        return max(0.0, min(cap_s, reset - (time.time() if now is None else now)))


class HelixError(RuntimeError):
    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(f"Helix {status}: {message}")
        self.status = status


class RetryLater(HelixError):
    """Twitch is rate limiting (429) or failing (5xx, network): try again later."""


class Helix:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, client_id: str,
                 tokens: TokenManager) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.tokens = tokens

    async def call(self, method: str, path: str, *, account: str,
                   json: Mapping[str, Any] | None = None,
                   params: Mapping[str, str] | None = None) -> HelixResponse:
        """One request with ``account``'s token; a 401 refreshes the token and retries once."""
        token = await self.tokens.token(account)
        for attempt in range(2):
            headers = {"Client-Id": self.client_id, "Authorization": f"Bearer {token}"}
            async with self.session.request(method, f"{self.base_url}{path}", headers=headers,
                                            json=json, params=params) as resp:
                try:
                    body = await resp.json(content_type=None)
                except ValueError:
                    body = None
                result = HelixResponse(resp.status, body if isinstance(body, dict) else {},
                                       dict(resp.headers))
            if result.status == 401 and attempt == 0:
                log.info("twitch: Helix %s %s answered 401; refreshing the token of %s",
                         method, path, account)
                token = await self.tokens.refresh(account, stale=token)
                continue
            return result
        return result  # pragma: no cover - the loop always returns

    async def create_subscription(self, sub_type: str, version: str,
                                  condition: Mapping[str, str], transport: Mapping[str, str],
                                  *, account: str, retries: int = 3, max_wait_s: float = 10,
                                  sleep: Sleep = asyncio.sleep) -> str | None:
        """POST /eventsub/subscriptions; returns the subscription id, "exists" on 409, or None
        when Twitch refused it (logged with the reason)."""
        body = {"type": sub_type, "version": version, "condition": dict(condition),
                "transport": dict(transport)}
        channel = condition.get("broadcaster_user_id") or condition.get("to_broadcaster_user_id")
        for attempt in range(retries + 1):
            try:
                resp = await self.call("POST", "/eventsub/subscriptions", account=account,
                                       json=body)
            except (aiohttp.ClientError, TimeoutError) as exc:
                log.warning("twitch#%s: creating %s failed (%s); attempt %d/%d",
                            channel, sub_type, exc, attempt + 1, retries + 1)
                await sleep(min(max_wait_s, 0.5 * 2 ** attempt))
                continue
            if resp.status in (200, 202):
                data = resp.body.get("data") or [{}]
                sub_id = str(data[0].get("id", "")) or "created"
                log.info("twitch#%s: subscribed to %s v%s (%s)", channel, sub_type, version,
                         sub_id)
                return sub_id
            if resp.status == 409:
                log.info("twitch#%s: %s already subscribed", channel, sub_type)
                return "exists"
            if resp.status == 429 or resp.status >= 500:
                delay = (resp.retry_after(max_wait_s) if resp.status == 429
                         else min(max_wait_s, 0.5 * 2 ** attempt))
                log.warning("twitch#%s: creating %s answered %d (%s); retry in %.1fs",
                            channel, sub_type, resp.status, resp.message, delay)
                await sleep(delay)
                continue
            log.error("twitch#%s: Twitch refused %s v%s (%d: %s); check the token's scopes",
                      channel, sub_type, version, resp.status, resp.message)
            return None
        log.error("twitch#%s: giving up on %s after %d attempts", channel, sub_type, retries + 1)
        return None

    async def list_subscriptions(self, *, account: str, user_id: str | None = None
                                 ) -> list[dict[str, Any]]:
        """GET /eventsub/subscriptions, every page; ``user_id`` keeps those whose condition
        names that user. Raises ``HelixError`` on any answer but 200."""
        subs: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            params = {"user_id": user_id} if user_id else {}
            if cursor:
                params["after"] = cursor
            resp = await self.call("GET", "/eventsub/subscriptions", account=account,
                                   params=params)
            if resp.status != 200:
                raise HelixError(resp.status, resp.message)
            data = resp.body.get("data")
            page = [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []
            subs.extend(page)
            pagination = resp.body.get("pagination")
            cursor = pagination.get("cursor") if isinstance(pagination, dict) else None
            if not cursor or not page:
                return subs

    async def delete_subscription(self, sub_id: str, *, account: str) -> bool:
        """DELETE /eventsub/subscriptions?id=…; True once it is gone (204, or 404: it was)."""
        resp = await self.call("DELETE", "/eventsub/subscriptions", account=account,
                               params={"id": sub_id})
        if resp.status in (204, 404):
            return True
        log.warning("twitch: deleting subscription %s answered %d (%s)", sub_id, resp.status,
                    resp.message)
        return False
