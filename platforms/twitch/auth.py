"""Twitch OAuth: scopes, and ``kingpin twitch authorize`` (the authorization-code flow, once).

User tokens (the bot, each broadcaster) are stored in the database (kingpin.tokens.TokenStore);
from then on twitchio validates and refreshes them (platforms/twitch/client.py).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import twitchio
import twitchio.authentication
from aiohttp import web
from twitchio.exceptions import HTTPException

from kingpin.tokens import StoredToken

log = logging.getLogger(__name__)

PLATFORM = "twitch"

# Verified against the Twitch docs (EventSub subscription types, Send Chat Message; also
# twitchio 3.3 docstrings): see docs/platforms/twitch.md for which call needs which scope.
BOT_SCOPES: tuple[str, ...] = (
    "user:read:chat",  # channel.chat.message with user_id = bot (WebSocket and webhook)
    "user:write:chat",  # POST /chat/messages as the bot
    "user:bot",  # chat with an app token (webhook chat subscription, app-token sends)
)
BROADCASTER_SCOPES: tuple[str, ...] = (
    "channel:bot",  # lets the bot's app token read/write this channel's chat
    "channel:read:subscriptions",  # channel.subscribe / .subscription.gift / .subscription.message
    "bits:read",  # channel.cheer
    "channel:read:redemptions",  # channel.channel_points_custom_reward_redemption.add
)
ALL_SCOPES: tuple[str, ...] = BOT_SCOPES + BROADCASTER_SCOPES
ROLE_SCOPES = {"bot": BOT_SCOPES, "broadcaster": BROADCASTER_SCOPES, "all": ALL_SCOPES}


class OAuthError(RuntimeError):
    pass


class TokenStoreLike(Protocol):
    async def get(self, platform: str, account_id: str) -> StoredToken | None: ...

    async def save(self, token: StoredToken) -> None: ...

    async def all(self, platform: str) -> list[StoredToken]: ...


Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class OAuth:
    """The authorization-code exchange and ``/validate`` of twitchio (base URL from
    ``client.point_at``); the authorize URL is built here, the browser visits it."""

    def __init__(self, base_url: str, client_id: str, client_secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._oauth = twitchio.authentication.OAuth(client_id=client_id,
                                                    client_secret=client_secret)

    def authorize_url(self, redirect_uri: str, scopes: tuple[str, ...], state: str) -> str:
        query = urlencode({
            "response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
            "scope": " ".join(scopes), "state": state, "force_verify": "true",
        })
        return f"{self.base_url}/authorize?{query}"

    async def exchange_code(self, code: str, redirect_uri: str) -> dict[str, Any]:
        try:
            body = await self._oauth.user_access_token(code, redirect_uri=redirect_uri)
        except HTTPException as exc:
            raise OAuthError(f"token endpoint answered {exc.status}") from None
        return dict(body.raw_data)

    async def validate(self, access_token: str) -> dict[str, Any] | None:
        try:
            info = await self._oauth.validate_token(access_token)
        except HTTPException as exc:
            if exc.status == 401:
                return None
            raise OAuthError(f"validate answered {exc.status}") from None
        return dict(info.raw_data)

    async def close(self) -> None:
        await self._oauth.close()


def _expiry(body: dict[str, Any], now: datetime) -> datetime | None:
    expires_in = body.get("expires_in")
    if isinstance(expires_in, int | float) and expires_in > 0:
        return now + timedelta(seconds=float(expires_in))
    return None


def _scopes(body: dict[str, Any], fallback: tuple[str, ...]) -> tuple[str, ...]:
    scope = body.get("scope", body.get("scopes"))
    if isinstance(scope, list):
        return tuple(str(s) for s in scope)
    if isinstance(scope, str) and scope:
        return tuple(scope.split())
    return fallback


async def authorize(oauth: OAuth, store: TokenStoreLike, *, redirect_uri: str,
                    scopes: tuple[str, ...], host: str = "127.0.0.1",
                    announce: Callable[[str], None] = print,
                    timeout_s: float = 600, clock: Clock = utcnow) -> StoredToken:
    """The authorization-code flow, once: print the URL, catch the redirect, store the token."""
    state = secrets.token_urlsafe(24)
    parts = urlsplit(redirect_uri)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    loop = asyncio.get_running_loop()
    result: asyncio.Future[str] = loop.create_future()

    async def callback(request: web.Request) -> web.Response:
        query = request.query
        if query.get("state") != state:
            return web.Response(status=400, text="Unknown or missing state; start again.")
        if "error" in query:
            if not result.done():
                result.set_exception(OAuthError(
                    f"authorization refused: {query.get('error')} "
                    f"{query.get('error_description', '')}".strip()))
            return web.Response(status=400, text="Authorization was refused.")
        code = query.get("code")
        if not code:
            return web.Response(status=400, text="No code in the redirect.")
        if not result.done():
            result.set_result(code)
        return web.Response(text="Kingpin is authorized. You can close this tab.")

    app = web.Application()
    app.router.add_get(path, callback)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        announce(oauth.authorize_url(redirect_uri, scopes, state))
        code = await asyncio.wait_for(result, timeout_s)
    finally:
        await runner.cleanup()
    body = await oauth.exchange_code(code, redirect_uri)
    access = str(body["access_token"])
    info = await oauth.validate(access)
    if not info or not info.get("user_id"):
        raise OAuthError("the new token does not validate")
    token = StoredToken(
        PLATFORM, str(info["user_id"]), str(info.get("login") or info["user_id"]), access,
        body.get("refresh_token"), _scopes(body, _scopes(info, scopes)),
        _expiry(body, clock()),
    )
    await store.save(token)
    return token
