"""Twitch OAuth: tokens live in the database (kingpin.tokens.TokenStore) and refresh themselves.

* User tokens (the bot, each broadcaster) come once from ``kingpin twitch authorize`` (the
  authorization-code flow), then refresh with the ``refresh_token`` grant before they expire
  or when Twitch answers 401.
* The app token (``client_credentials``) is fetched on first use and stored under account
  ``app``; it has no refresh token, a new one is simply requested.
* Every token is validated hourly against ``/validate`` as Twitch requires; a 401 there
  triggers a refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import aiohttp
from aiohttp import web

from kingpin.tokens import StoredToken

log = logging.getLogger(__name__)

PLATFORM = "twitch"
APP_ACCOUNT = "app"  # account_id of the app access token in platform_tokens

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


class TokenMissing(OAuthError):
    """No usable token for an account: the broadcaster/bot must run ``authorize``."""


class TokenStoreLike(Protocol):
    async def get(self, platform: str, account_id: str) -> StoredToken | None: ...

    async def save(self, token: StoredToken) -> None: ...

    async def all(self, platform: str) -> list[StoredToken]: ...


Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class OAuthClient:
    """The few id.twitch.tv endpoints we use; ``base_url`` is configurable for tests."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, client_id: str,
                 client_secret: str) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret

    def authorize_url(self, redirect_uri: str, scopes: tuple[str, ...], state: str) -> str:
        query = urlencode({
            "response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
            "scope": " ".join(scopes), "state": state, "force_verify": "true",
        })
        return f"{self.base_url}/authorize?{query}"

    async def _token(self, form: dict[str, str]) -> dict[str, Any]:
        form = {"client_id": self.client_id, "client_secret": self._secret, **form}
        async with self.session.post(f"{self.base_url}/token", data=form) as resp:
            body = await _json(resp)
            if resp.status != 200 or "access_token" not in body:
                raise OAuthError(f"token endpoint answered {resp.status}: "
                                 f"{body.get('message') or body.get('error') or body}")
            return body

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        return await self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    async def client_credentials(self) -> dict[str, Any]:
        return await self._token({"grant_type": "client_credentials"})

    async def exchange_code(self, code: str, redirect_uri: str) -> dict[str, Any]:
        return await self._token({"grant_type": "authorization_code", "code": code,
                                  "redirect_uri": redirect_uri})

    async def validate(self, access_token: str) -> dict[str, Any] | None:
        """The token's owner and scopes, or None when Twitch says it is no longer valid."""
        headers = {"Authorization": f"OAuth {access_token}"}
        async with self.session.get(f"{self.base_url}/validate", headers=headers) as resp:
            if resp.status == 401:
                return None
            body = await _json(resp)
            if resp.status != 200:
                raise OAuthError(f"validate answered {resp.status}: {body}")
            return body


async def _json(resp: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        body = await resp.json(content_type=None)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


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


class TokenManager:
    """Hands out fresh access tokens by account (a Twitch user id, or ``APP_ACCOUNT``)."""

    def __init__(self, store: TokenStoreLike, oauth: OAuthClient, *, clock: Clock = utcnow,
                 refresh_margin_s: float = 300) -> None:
        self.store = store
        self.oauth = oauth
        self.clock = clock
        self.margin = timedelta(seconds=refresh_margin_s)
        self._cache: dict[str, StoredToken] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.refreshes = 0

    def _lock(self, account: str) -> asyncio.Lock:
        return self._locks.setdefault(account, asyncio.Lock())

    def _fresh(self, token: StoredToken) -> bool:
        return token.expires_at is None or token.expires_at - self.margin > self.clock()

    async def has(self, account: str) -> bool:
        return (account in self._cache
                or await self.store.get(PLATFORM, account) is not None)

    async def stored(self, account: str) -> StoredToken | None:
        if account in self._cache:
            return self._cache[account]
        token = await self.store.get(PLATFORM, account)
        if token is not None:
            self._cache[account] = token
        return token

    async def token(self, account: str) -> str:
        cached = self._cache.get(account)
        if cached is not None and self._fresh(cached):
            return cached.access_token
        return await self.refresh(account)

    async def refresh(self, account: str, stale: str | None = None) -> str:
        """A usable access token for ``account``; ``stale`` is one that Twitch just refused.

        Re-reads the store first: another process may already have refreshed it.
        """
        async with self._lock(account):
            current = await self.store.get(PLATFORM, account)
            if (current is not None and self._fresh(current)
                    and (stale is None or current.access_token != stale)):
                self._cache[account] = current
                return current.access_token
            now = self.clock()
            if account == APP_ACCOUNT:
                body = await self.oauth.client_credentials()
                token = StoredToken(PLATFORM, APP_ACCOUNT, "app", str(body["access_token"]),
                                    None, (), _expiry(body, now))
            else:
                if current is None or not current.refresh_token:
                    raise TokenMissing(f"no Twitch token for user {account}: "
                                       "run `kingpin twitch authorize`")
                try:
                    body = await self.oauth.refresh(current.refresh_token)
                except OAuthError as exc:
                    raise TokenMissing(f"refreshing the token of user {account} failed ({exc}):"
                                       " run `kingpin twitch authorize` again") from exc
                token = StoredToken(
                    PLATFORM, account, current.account_name, str(body["access_token"]),
                    str(body.get("refresh_token") or current.refresh_token),
                    _scopes(body, current.scopes), _expiry(body, now),
                )
            await self.store.save(token)
            self._cache[account] = token
            self.refreshes += 1
            log.info("twitch: token of %s refreshed (expires %s)", account, token.expires_at)
            return token.access_token

    async def validate_all(self) -> None:
        """Twitch asks apps to validate every token hourly; invalid ones are refreshed."""
        for stored in await self.store.all(PLATFORM):
            try:
                info = await self.oauth.validate(stored.access_token)
                if info is None:
                    log.info("twitch: token of %s no longer valid, refreshing",
                             stored.account_id)
                    await self.refresh(stored.account_id, stale=stored.access_token)
            except (OAuthError, aiohttp.ClientError, TimeoutError) as exc:
                log.warning("twitch: validating the token of %s failed: %s",
                            stored.account_id, exc)

    async def run_validation(self, stop: asyncio.Event, every_s: float = 3600) -> None:
        while not stop.is_set():
            await self.validate_all()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every_s)


async def authorize(oauth: OAuthClient, store: TokenStoreLike, *, redirect_uri: str,
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
