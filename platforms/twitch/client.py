"""twitchio 3 as the transport: Helix, OAuth, token refresh and the conduit's WebSocket shards.

* ``point_at(cfg)`` sets twitchio's base URLs (``Route.BASE``, ``Route.ID_BASE``, the EventSub
  ``WSS``) from the settings, so tests run twitchio against local servers.
* ``TokenHooks`` keeps the user tokens in the database (``platform_tokens``) through twitchio's
  ``load_tokens``/``save_tokens`` hooks; twitchio validates them hourly and refreshes them
  (on add, on a 401, on validation), and every refresh is written back at once
  (``event_token_refreshed``). The app token is twitchio's (client credentials at login).
* ``ConduitClient`` is twitchio's ``AutoClient`` on one conduit (reused by id, created when
  there is none) whose shards are ``Shard`` WebSockets: a notification goes, as the raw
  EventSub JSON, to ``on_notification`` — twitchio's event models are not built.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import twitchio
from twitchio.eventsub import websockets as eventsub_ws
from twitchio.exceptions import HTTPException, InvalidTokenException
from twitchio.http import Route

from kingpin.logs import register_secret
from kingpin.tokens import StoredToken
from platforms.twitch.auth import PLATFORM, TokenStoreLike
from platforms.twitch.config import TwitchConfig

log = logging.getLogger(__name__)

# the raw EventSub message ({metadata, payload}) of a notification or a revocation
OnMessage = Callable[[Mapping[str, Any]], Awaitable[None]]


def point_at(cfg: TwitchConfig) -> None:
    """twitchio's endpoints are class attributes and a module constant: one per process."""
    Route.BASE = cfg.helix_url.rstrip("/") + "/"
    Route.ID_BASE = cfg.oauth_url.rstrip("/").removesuffix("/oauth2") + "/"
    eventsub_ws.WSS = cfg.eventsub_ws_url


def http_error(exc: HTTPException) -> str:
    """What an HTTPException may say in a log line: status and Twitch's message, never the
    request URL (a token request carries the client secret and refresh token in it)."""
    extra = exc.extra if isinstance(exc.extra, dict) else {}
    return f"{exc.status} {extra.get('message') or extra.get('error') or ''}".strip()


class TokenHooks(twitchio.Client):
    """twitchio's token hooks over ``platform_tokens``."""

    def __init__(self, *, store: TokenStoreLike, **options: Any) -> None:
        super().__init__(**options)
        self.store = store
        self.refreshes = 0

    async def load_tokens(self, path: str | None = None, /) -> None:
        register_secret(self.http._app_token)  # generated at login, just before this
        for stored in await self.store.all(PLATFORM):
            if not stored.refresh_token:
                continue  # an app token kept by an older version: twitchio makes its own
            try:
                await self.add_token(stored.access_token, stored.refresh_token)
            except InvalidTokenException:
                log.warning("twitch: the stored token of %s is invalid and cannot be refreshed:"
                            " run `kingpin twitch authorize` again", stored.account_id)
            except HTTPException as exc:
                log.warning("twitch: loading the token of %s failed (%s)", stored.account_id,
                            http_error(exc))
        self.http._has_loaded = True

    async def save_tokens(self, path: str | None = None, /) -> None:
        for user_id, data in self.tokens.items():
            await self._store(user_id, str(data["token"]), str(data["refresh"]), None, None)

    async def event_token_refreshed(self, payload: twitchio.TokenRefreshedPayload) -> None:
        register_secret(payload.token, payload.refresh_token)
        scopes = tuple(payload.scopes.selected) if payload.scopes else None
        await self._store(payload.user_id, payload.token, payload.refresh_token, scopes,
                          payload.expires_in)
        self.refreshes += 1
        log.info("twitch: token of %s refreshed and stored", payload.user_id)

    async def _store(self, user_id: str, access: str, refresh: str,
                     scopes: tuple[str, ...] | None, expires_in: int | None) -> None:
        old = await self.store.get(PLATFORM, user_id)
        if old is not None and old.access_token == access:
            return
        expires = (datetime.now(UTC) + timedelta(seconds=expires_in) if expires_in
                   else old.expires_at if old is not None else None)
        await self.store.save(StoredToken(
            PLATFORM, user_id, old.account_name if old is not None else user_id, access,
            refresh or (old.refresh_token if old is not None else None),
            scopes if scopes is not None else old.scopes if old is not None else (), expires))

    def has_token(self, user_id: str) -> bool:
        return user_id in self.tokens


class HttpClient(TokenHooks):
    """twitchio's Client for Helix only (the webhook transport): no adapter is started."""


class Shard(eventsub_ws.Websocket):
    """A conduit shard: notifications and revocations go raw to the client's
    ``on_message``. A ``session_reconnect`` opens the reconnect URL in the background while
    this connection keeps delivering; once the new one is welcomed it takes the shard's
    place (the session and its place on the conduit move with it, as Twitch documents) and
    this one is closed. Any other drop (close, error, keepalive silence) is twitchio's: the
    shard is re-associated with a fresh session."""

    _handover: asyncio.Task[None] | None = None

    async def _process_notification(self, data: Any) -> None:
        client = self._client
        if isinstance(client, ConduitClient):
            await client.on_message(data)

    async def _process_revocation(self, data: Any) -> None:
        client = self._client
        if isinstance(client, ConduitClient):
            await client.on_message(data)

    async def _process_reconnect(self, data: Any) -> None:
        url = (data.get("payload") or {}).get("session", {}).get("reconnect_url")
        if not isinstance(url, str) or not url.startswith(("ws://", "wss://")):
            log.warning("twitch conduit: shard %s got session_reconnect without a URL",
                        self._shard_id)
            return
        if self._handover is None or self._handover.done():
            self._handover = asyncio.create_task(self._move(url))

    _closer: asyncio.Task[None] | None = None

    async def _create_connection_task(self) -> None:
        if self._handover is not None and not self._handover.done():
            return  # the old connection ended while moving: the move decides
        # in a task of its own: twitchio calls this from the keepalive task, which close()
        # cancels before it closes the socket (the old connection would stay open)
        if self._closer is None:
            self._closer = asyncio.create_task(super()._create_connection_task())

    async def _move(self, url: str) -> None:
        client = self._client
        if not isinstance(client, ConduitClient) or self._shard_id is None:
            return
        new = Shard(keep_alive_timeout=self._keep_alive_timeout,
                    reconnect_attempts=self._original_attempts, client=client,
                    http=self._http, shard_id=self._shard_id)
        try:
            await new.connect(url=url, reconnect=False, fail_once=True)
        except Exception as exc:  # noqa: BLE001 - then a fresh session takes the shard
            log.warning("twitch conduit: shard %s could not follow session_reconnect (%s); "
                        "re-associating it", self._shard_id, type(exc).__name__)
            self._handover = None
            await self.close()
            return
        client.conduit_info._sockets[self._shard_id] = new
        client.stats.handovers += 1
        log.info("twitch conduit: shard %s moved to the reconnect URL (session %s)",
                 self._shard_id, new.session_id)
        self._client = None  # closing the old connection must not re-associate the shard
        await self.close()


class ConduitTooSmall(RuntimeError):
    """This process was given shards the conduit does not have."""


class ConduitStats:
    def __init__(self) -> None:
        self.handovers = 0
        self.conduits_created = 0


class ConduitClient(TokenHooks, twitchio.AutoClient):
    """twitchio's AutoClient on our conduit.

    ``conduit_id``: the one to reuse (None: create one). One that Twitch no longer has (an
    unused conduit is deleted after 72 h) is replaced by a new one; ``on_conduit`` hears the
    id in use, so the caller can keep it for the next start. ``shard_count`` is what a
    created conduit gets, and what an existing one is scaled up to by the process that
    serves all shards or shard 0.
    """

    def __init__(self, *, on_message: OnMessage, on_conduit: Callable[[str], Awaitable[None]],
                 shard_count: int, keepalive_s: int = 10, **options: Any) -> None:
        super().__init__(**options)
        self.on_message = on_message
        self.on_conduit = on_conduit
        self.wanted_shards = shard_count
        self.keepalive_s = keepalive_s
        self.stats = ConduitStats()

    async def _setup(self) -> None:
        conduits = {c.id: c for c in await self.fetch_conduits()}
        wanted = self._conduit_id if isinstance(self._conduit_id, str) else None
        if wanted is not None and wanted not in conduits:
            log.warning("twitch conduit: %s no longer exists on Twitch; creating a new one",
                        wanted)
            wanted = None
        if wanted is None:
            created = await self.create_conduit(self.wanted_shards)
            self.stats.conduits_created += 1
            wanted, count = created.id, created.shard_count
            log.info("twitch conduit: created %s with %d shards", wanted, count)
        else:
            count = conduits[wanted].shard_count
            if count < self.wanted_shards and (not self._shard_ids or 0 in self._shard_ids):
                count = (await conduits[wanted].update(self.wanted_shards)).shard_count
                log.info("twitch conduit: %s scaled to %d shards", wanted, count)
        missing = [n for n in self._shard_ids if n >= count]
        if missing:
            raise ConduitTooSmall(f"conduit {wanted} has {count} shards, so shards "
                                  f"{','.join(map(str, missing))} do not exist (set "
                                  "KINGPIN_TWITCH_SHARD_COUNT for the process with shard 0)")
        self._conduit_id = wanted
        await self.on_conduit(wanted)
        await super()._setup()

    async def _associate_shards(self, shard_ids: list[int]) -> None:
        """twitchio's, with our Shard for a socket (10 shards per batch)."""
        async with self._associate_lock:
            batch: list[eventsub_ws.Websocket] = []
            for n in shard_ids:
                batch.append(Shard(client=self, http=self._http, shard_id=str(n),
                                   keep_alive_timeout=self.keepalive_s))
                if len(batch) == 10:
                    await self._process_batched(batch)
                    batch = []
            if batch:
                await self._process_batched(batch)
            self._shard_ids = sorted(int(k) for k in self.conduit_info._sockets)

    @property
    def sessions(self) -> dict[str, str | None]:
        """shard id -> the session id of its connection, for the shards this process holds."""
        return {k: s.session_id for k, s in self.conduit_info.websockets.items()}

    async def scale_to(self, shard_count: int) -> None:
        """More shards for more subscriptions (the process holds every shard)."""
        await self.conduit_info.update_shard_count(shard_count)
        log.info("twitch conduit: %s now has %d shards", self.conduit_info.id, shard_count)


async def user_by_login(cfg: TwitchConfig, login: str) -> dict[str, Any] | None:
    """Helix Get Users for one login with an app token (``kingpin community add-channel``);
    None when Twitch knows no such user. Raises twitchio's HTTPException or a network error."""
    from twitchio.authentication import ManagedHTTPClient

    point_at(cfg)
    http = ManagedHTTPClient(client_id=cfg.client_id or "",
                             client_secret=cfg.secret("client_secret"))
    try:
        app = await http.client_credentials_token()
        register_secret(app.access_token)
        http._app_token = app.access_token
        body = await http.get_users(logins=[login])
    finally:
        await http.close()
    users = body.get("data")
    if not isinstance(users, list) or not users or not isinstance(users[0], dict):
        return None
    return dict(users[0])
