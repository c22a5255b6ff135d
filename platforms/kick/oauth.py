"""Kick OAuth 2.1 with PKCE (docs.kick.com/getting-started/generating-tokens-oauth2-flow).

``GET {id}/oauth/authorize`` (response_type=code, client_id, redirect_uri, scope, state,
code_challenge = base64url(SHA-256(verifier)), code_challenge_method=S256), then
``POST {id}/oauth/token`` (form) with grant_type authorization_code (+ code_verifier) or
refresh_token. Tokens live in the ``platform_tokens`` table (kingpin.tokens.TokenStore),
keyed by the Kick user id of the account that authorized; ``TokenManager`` refreshes them
before they expire (and once on a 401).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import aiohttp
from aiohttp import web

from kingpin.tokens import StoredToken

log = logging.getLogger("platforms.kick.oauth")

PLATFORM = "kick"


class KickAuthError(RuntimeError):
    """OAuth failed (bad code, revoked refresh token, no stored token...)."""


def make_verifier() -> str:
    """A PKCE code verifier: 86 URL-safe characters (RFC 7636 allows 43-128)."""
    return secrets.token_urlsafe(64)


def challenge_for(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(id_url: str, client_id: str, redirect_uri: str, scopes: str, state: str,
                  verifier: str) -> str:
    query = urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
        "scope": scopes, "state": state, "code_challenge": challenge_for(verifier),
        "code_challenge_method": "S256",
    })
    return f"{id_url.rstrip('/')}/oauth/authorize?{query}"


@dataclass(frozen=True)
class TokenResponse:
    access_token: str
    refresh_token: str | None
    expires_at: datetime | None
    scopes: tuple[str, ...]


def parse_token_response(data: Any, now: datetime) -> TokenResponse:
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str) \
            or not data["access_token"]:
        raise KickAuthError("the token endpoint answered without an access_token")
    expires_in = data.get("expires_in")
    try:
        seconds = float(expires_in) if expires_in not in (None, "") else None
    except (TypeError, ValueError):
        seconds = None
    refresh = data.get("refresh_token")
    scope = data.get("scope")
    return TokenResponse(
        access_token=data["access_token"],
        refresh_token=refresh if isinstance(refresh, str) and refresh else None,
        expires_at=now + timedelta(seconds=seconds) if seconds else None,
        scopes=tuple(scope.split()) if isinstance(scope, str) else (),
    )


@dataclass
class OAuthClient:
    session: aiohttp.ClientSession
    id_url: str
    client_id: str
    client_secret: str
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    async def _token(self, form: dict[str, str]) -> TokenResponse:
        url = f"{self.id_url.rstrip('/')}/oauth/token"
        async with self.session.post(url, data=form) as resp:
            text = await resp.text()
            if resp.status != 200:
                raise KickAuthError(f"token endpoint answered {resp.status}: {text[:200]}")
            try:
                data = await resp.json(content_type=None)
            except ValueError as exc:
                raise KickAuthError("token endpoint answered non-JSON") from exc
        return parse_token_response(data, self.clock())

    async def exchange(self, code: str, verifier: str, redirect_uri: str) -> TokenResponse:
        return await self._token({
            "grant_type": "authorization_code", "client_id": self.client_id,
            "client_secret": self.client_secret, "redirect_uri": redirect_uri,
            "code_verifier": verifier, "code": code,
        })

    async def refresh(self, refresh_token: str) -> TokenResponse:
        return await self._token({
            "grant_type": "refresh_token", "client_id": self.client_id,
            "client_secret": self.client_secret, "refresh_token": refresh_token,
        })


class TokenStoreLike(Protocol):
    async def get(self, platform: str, account_id: str) -> StoredToken | None: ...
    async def all(self, platform: str) -> list[StoredToken]: ...
    async def save(self, token: StoredToken) -> None: ...


@dataclass
class TokenManager:
    """Hands out a valid access token per Kick account, refreshing it in the store."""

    store: TokenStoreLike
    oauth: OAuthClient
    margin_s: float = 120.0
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    _cache: dict[str, StoredToken] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def _fresh(self, token: StoredToken) -> bool:
        return token.expires_at is None or \
            token.expires_at - self.clock() > timedelta(seconds=self.margin_s)

    async def access_token(self, account_id: str) -> str:
        token = self._cache.get(account_id)
        if token is not None and self._fresh(token):
            return token.access_token
        return (await self._refresh(account_id)).access_token

    async def force_refresh(self, account_id: str, rejected: str) -> str:
        """After Kick answered 401 to ``rejected``: a new token (refreshed once)."""
        return (await self._refresh(account_id, rejected=rejected)).access_token

    def _usable(self, token: StoredToken | None, rejected: str | None) -> bool:
        return token is not None and token.access_token != rejected and self._fresh(token)

    async def _refresh(self, account_id: str, rejected: str | None = None) -> StoredToken:
        lock = self._locks.setdefault(account_id, asyncio.Lock())
        async with lock:
            current = self._cache.get(account_id)
            if current is not None and self._usable(current, rejected):
                return current  # refreshed while we waited
            # another process may have refreshed it: the store is the truth
            stored = await self.store.get(PLATFORM, account_id)
            if stored is None:
                raise KickAuthError(f"no Kick token stored for account {account_id}: "
                                    "run `kingpin kick authorize`")
            if self._usable(stored, rejected):
                self._cache[account_id] = stored
                return stored
            if not stored.refresh_token:
                raise KickAuthError(f"the Kick token of {account_id} expired and has no "
                                    "refresh token: run `kingpin kick authorize`")
            fresh = await self.oauth.refresh(stored.refresh_token)
            token = StoredToken(
                platform=PLATFORM, account_id=account_id, account_name=stored.account_name,
                access_token=fresh.access_token,
                refresh_token=fresh.refresh_token or stored.refresh_token,
                scopes=fresh.scopes or stored.scopes, expires_at=fresh.expires_at,
            )
            await self.store.save(token)
            self._cache[account_id] = token
            log.info("kick: refreshed the token of %s (%s)", stored.account_name, account_id)
            return token


# --- the authorize flow: a tiny local callback server ---


@dataclass
class CallbackResult:
    code: str
    state: str


async def wait_for_callback(host: str, port: int, path: str, state: str,
                            timeout_s: float,
                            ready: Callable[[int], None] | None = None) -> CallbackResult:
    """Serve ``path`` on host:port until Kick redirects the browser there with ?code&state."""
    loop = asyncio.get_running_loop()
    result: asyncio.Future[CallbackResult] = loop.create_future()

    async def callback(request: web.Request) -> web.Response:
        error = request.query.get("error")
        if error:
            if not result.done():
                result.set_exception(KickAuthError(f"authorization refused: {error}"))
            return web.Response(text="Kick authorization was refused. You can close this tab.")
        if request.query.get("state") != state:
            return web.Response(status=400, text="state mismatch; start again")
        code = request.query.get("code", "")
        if not code:
            return web.Response(status=400, text="no code")
        if not result.done():
            result.set_result(CallbackResult(code=code, state=state))
        return web.Response(text="Kingpin is authorized on Kick. You can close this tab.")

    app = web.Application()
    app.router.add_get(path, callback)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    try:
        if ready is not None:
            server: Any = site._server  # noqa: SLF001 - the bound port when asked for 0
            sockets = getattr(server, "sockets", None) or []
            ready(sockets[0].getsockname()[1] if sockets else port)
        return await asyncio.wait_for(result, timeout_s)
    finally:
        await runner.cleanup()


def callback_parts(redirect_uri: str) -> tuple[str, int, str]:
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"unusable redirect URI {redirect_uri!r}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname, port, parts.path or "/"
