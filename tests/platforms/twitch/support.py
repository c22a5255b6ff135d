"""Shared helpers for the Twitch tests: fixtures, envelopes, local stubs, an in-memory store."""

from __future__ import annotations

import asyncio
import copy
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from kingpin.tokens import StoredToken

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "twitch"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
BOT = "2914196"
CHANNEL = "1971641"


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def payload(kind: str) -> dict[str, Any]:
    return copy.deepcopy(load(f"eventsub_payload_{kind}.json"))


def envelope(body: dict[str, Any], message_id: str | None = None,
             timestamp: str = "2026-11-23T12:00:00.123456789Z") -> dict[str, Any]:
    sub = body["subscription"]
    return {
        "metadata": {
            "message_id": message_id or str(uuid.uuid4()),
            "message_type": "notification",
            "message_timestamp": timestamp,
            "subscription_type": sub["type"],
            "subscription_version": sub["version"],
        },
        "payload": body,
    }


def recorder() -> tuple[list[Any], Any]:
    """A list and a ``publish`` coroutine appending every event to it."""
    events: list[Any] = []

    async def publish(event: Any) -> None:
        events.append(event)

    return events, publish


def chat_payload(channel: str = CHANNEL, text: str = "!rob bob", message_id: str | None = None,
                 chatter: str = "4145994", login: str = "viewer32") -> dict[str, Any]:
    body = payload("channel.chat.message")
    ev = body["event"]
    ev["broadcaster_user_id"] = channel
    ev["chatter_user_id"] = chatter
    ev["chatter_user_login"] = login
    ev["message_id"] = message_id or str(uuid.uuid4())
    ev["message"]["text"] = text
    return body


class MemoryTokenStore:
    """The TokenStore interface over a dict (the DB-backed one is tested separately)."""

    def __init__(self, *tokens: StoredToken) -> None:
        self.tokens = {(t.platform, t.account_id): t for t in tokens}
        self.saved: list[StoredToken] = []

    async def get(self, platform: str, account_id: str) -> StoredToken | None:
        return self.tokens.get((platform, account_id))

    async def all(self, platform: str) -> list[StoredToken]:
        return [t for (p, _), t in sorted(self.tokens.items()) if p == platform]

    async def save(self, token: StoredToken) -> None:
        self.tokens[(token.platform, token.account_id)] = token
        self.saved.append(token)


def user_token(account: str, access: str = "", expires_in_s: float = 3600,
               refresh: str | None = None) -> StoredToken:
    return StoredToken("twitch", account, f"user{account}", access or f"access-{account}",
                       refresh if refresh is not None else f"refresh-{account}",
                       ("user:read:chat",),
                       datetime.now(UTC) + timedelta(seconds=expires_in_s))


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class TwitchStub:
    """A local Helix + OAuth server speaking the public protocol twitchio speaks, recording
    what it is asked.

    OAuth: ``/oauth2/token`` (client credentials, refresh, authorization code; parameters in
    the query as twitchio sends them, or the form) and ``/oauth2/validate``; every token
    knows its owner (``own``), an app token has none.

    EventSub subscriptions as Twitch keeps them: ``live`` (id -> subscription) is what
    POST created and DELETE has not removed; a second POST of the same type, version,
    condition and transport is a 409; GET lists them in pages of ``page_size`` (``user_id``
    filters on any condition field, ``conduit_id`` on the conduit), raids with Twitch's
    empty ``from_broadcaster_user_id``. Conduits (POST/GET/PATCH ``/eventsub/conduits``) and
    their shards (GET/PATCH ``/eventsub/conduits/shards``): a shard is assigned a WebSocket
    session only if ``session_alive`` says the session exists.

    ``chat_script`` is a list of (status, body, headers) answers for POST /chat/messages,
    consumed in order; when empty, messages are accepted.
    """

    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    live: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    page_size: int = 100
    sub_tokens: list[str] = field(default_factory=list)
    chat: list[dict[str, Any]] = field(default_factory=list)
    chat_tokens: list[str] = field(default_factory=list)
    chat_times: list[float] = field(default_factory=list)
    chat_script: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    validations: list[str] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)  # access token -> user id
    refresh_owners: dict[str, str] = field(default_factory=dict)
    app_tokens: set[str] = field(default_factory=set)
    reject_tokens: set[str] = field(default_factory=set)
    code_owner: str = BOT
    conduits: dict[str, dict[str, Any]] = field(default_factory=dict)
    shards: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    shard_updates: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    conduit_requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    session_alive: Any = None  # callable(session_id) -> bool, set by the EventSub server
    issued: int = 0
    url: str = ""
    _runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/helix/eventsub/subscriptions", self._subscribe)
        app.router.add_get("/helix/eventsub/subscriptions", self._list)
        app.router.add_delete("/helix/eventsub/subscriptions", self._delete)
        app.router.add_post("/helix/eventsub/conduits", self._create_conduit)
        app.router.add_get("/helix/eventsub/conduits", self._get_conduits)
        app.router.add_patch("/helix/eventsub/conduits", self._update_conduit)
        app.router.add_get("/helix/eventsub/conduits/shards", self._get_shards)
        app.router.add_patch("/helix/eventsub/conduits/shards", self._update_shards)
        app.router.add_post("/helix/chat/messages", self._chat)
        app.router.add_post("/oauth2/token", self._token)
        app.router.add_get("/oauth2/validate", self._validate)
        return app

    async def start(self) -> TwitchStub:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def helix_url(self) -> str:
        return f"{self.url}/helix"

    @property
    def oauth_url(self) -> str:
        return f"{self.url}/oauth2"

    def own(self, *tokens: StoredToken) -> None:
        """These stored tokens are valid, for their accounts."""
        for token in tokens:
            self.owners[token.access_token] = token.account_id
            if token.refresh_token:
                self.refresh_owners[token.refresh_token] = token.account_id

    def _bearer(self, request: web.Request) -> str:
        return request.headers.get("Authorization", "").removeprefix("Bearer ")

    def _unauthorized(self, token: str, *, app: bool = False) -> web.Response | None:
        known = token in self.app_tokens if app else (token in self.owners
                                                      or token in self.app_tokens)
        if token in self.reject_tokens or not known:
            return web.json_response({"error": "Unauthorized", "status": 401,
                                      "message": "Invalid OAuth token"}, status=401)
        return None

    # --- EventSub subscriptions ---

    async def _subscribe(self, request: web.Request) -> web.Response:
        token = self._bearer(request)
        refused = self._unauthorized(token, app=True)
        if refused is not None:
            return refused
        body = await request.json()
        transport = {k: v for k, v in body["transport"].items() if k != "secret"}
        if transport.get("method") == "conduit" and transport.get(
                "conduit_id") not in self.conduits:
            return web.json_response({"error": "Bad Request", "status": 400,
                                      "message": "conduit not found"}, status=400)
        same = {k: body.get(k) for k in ("type", "version", "condition")}
        for sub in self.live.values():
            if ({k: sub.get(k) for k in same} == same
                    and {k: sub["transport"].get(k) for k in transport} == transport):
                return web.json_response({"error": "Conflict", "status": 409,
                                          "message": "subscription already exists"},
                                         status=409)
        self.subscriptions.append(body)
        self.sub_tokens.append(token)
        sub_id = str(uuid.uuid4())
        self.live[sub_id] = {"id": sub_id, "status": "enabled", **body,
                             "transport": transport, "created_at": now_iso(), "cost": 0}
        return web.json_response({"data": [self.live[sub_id]], "total": len(self.live),
                                  "total_cost": 0, "max_total_cost": 10000}, status=202)

    def live_for(self, channel: str) -> list[dict[str, Any]]:
        return [s for s in self.live.values() if channel in (
            s["condition"].get("broadcaster_user_id"),
            s["condition"].get("to_broadcaster_user_id"))]

    async def _list(self, request: web.Request) -> web.Response:
        refused = self._unauthorized(self._bearer(request))
        if refused is not None:
            return refused
        user = request.query.get("user_id")
        conduit = request.query.get("conduit_id")
        subs = [copy.deepcopy(s) for s in self.live.values()
                if (user is None or user in s["condition"].values())
                and (conduit is None or s["transport"].get("conduit_id") == conduit)]
        for sub in subs:
            if "to_broadcaster_user_id" in sub["condition"]:
                sub["condition"].setdefault("from_broadcaster_user_id", "")
        start = int(request.query.get("after") or 0)
        page = subs[start:start + self.page_size]
        more = start + self.page_size < len(subs)
        return web.json_response({"data": page, "total": len(subs), "total_cost": 0,
                                  "max_total_cost": 10000,
                                  "pagination": {"cursor": str(start + self.page_size)}
                                  if more else {}})

    async def _delete(self, request: web.Request) -> web.Response:
        refused = self._unauthorized(self._bearer(request))
        if refused is not None:
            return refused
        sub_id = request.query.get("id", "")
        if self.live.pop(sub_id, None) is None:
            return web.json_response({"error": "Not Found", "status": 404,
                                      "message": "subscription not found"}, status=404)
        self.deleted.append(sub_id)
        return web.Response(status=204)

    # --- conduits ---

    async def _create_conduit(self, request: web.Request) -> web.Response:
        refused = self._unauthorized(self._bearer(request), app=True)
        if refused is not None:
            return refused
        self.conduit_requests.append(("POST", dict(request.query)))
        count = int(request.query["shard_count"])
        conduit_id = str(uuid.uuid4())
        self.conduits[conduit_id] = {"id": conduit_id, "shard_count": count}
        self.shards[conduit_id] = {}
        return web.json_response({"data": [self.conduits[conduit_id]]})

    async def _get_conduits(self, request: web.Request) -> web.Response:
        refused = self._unauthorized(self._bearer(request), app=True)
        if refused is not None:
            return refused
        return web.json_response({"data": list(self.conduits.values())})

    async def _update_conduit(self, request: web.Request) -> web.Response:
        refused = self._unauthorized(self._bearer(request), app=True)
        if refused is not None:
            return refused
        self.conduit_requests.append(("PATCH", dict(request.query)))
        conduit = self.conduits.get(request.query.get("id", ""))
        if conduit is None:
            return web.json_response({"status": 404, "message": "conduit not found"},
                                     status=404)
        conduit["shard_count"] = int(request.query["shard_count"])
        shards = self.shards[conduit["id"]]
        for shard_id in [s for s in shards if int(s) >= conduit["shard_count"]]:
            del shards[shard_id]
        return web.json_response({"data": [conduit]})

    def shard_list(self, conduit_id: str) -> list[dict[str, Any]]:
        count = self.conduits[conduit_id]["shard_count"]
        known = self.shards[conduit_id]
        return [known.get(str(n)) or {"id": str(n), "status": "websocket_disconnected",
                                       "transport": {"method": "websocket", "session_id": ""}}
                for n in range(count)]

    def _shards_request(self, request: web.Request) -> tuple[str, web.Response | None]:
        """The conduit a shards request names, or the answer refusing it."""
        refused = self._unauthorized(self._bearer(request), app=True)
        conduit_id = request.query.get("conduit_id", "")
        if refused is None and conduit_id not in self.conduits:
            refused = web.json_response({"status": 404, "message": "conduit not found"},
                                        status=404)
        return conduit_id, refused

    async def _get_shards(self, request: web.Request) -> web.Response:
        conduit_id, refused = self._shards_request(request)
        if refused is not None:
            return refused
        return web.json_response({"data": self.shard_list(conduit_id), "pagination": {}})

    async def _update_shards(self, request: web.Request) -> web.Response:
        conduit_id, refused = self._shards_request(request)
        if refused is not None:
            return refused
        body = await request.json()
        self.shard_updates.append((conduit_id, body["shards"]))
        done, errors = [], []
        for shard in body["shards"]:
            session = shard["transport"].get("session_id", "")
            if int(shard["id"]) >= self.conduits[conduit_id]["shard_count"]:
                errors.append({"id": shard["id"], "message": "shard id out of range",
                               "code": "invalid_parameter"})
            elif self.session_alive is not None and not self.session_alive(session):
                errors.append({"id": shard["id"], "message": "websocket session not found",
                               "code": "websocket_session_not_found"})
            else:
                row = {"id": str(shard["id"]), "status": "enabled",
                       "transport": {"method": "websocket", "session_id": session,
                                     "connected_at": now_iso()}}
                self.shards[conduit_id][str(shard["id"])] = row
                done.append(row)
        return web.json_response({"data": done, "errors": errors}, status=202)

    def shard_of(self, session_id: str) -> list[tuple[str, str]]:
        """(conduit, shard) pairs whose transport is this session."""
        return [(c, s) for c, shards in self.shards.items() for s, row in shards.items()
                if row["transport"].get("session_id") == session_id]

    def disconnected(self, session_id: str) -> None:
        for conduit, shard in self.shard_of(session_id):
            row = self.shards[conduit][shard]
            row["status"] = "websocket_disconnected"

    # --- chat ---

    async def _chat(self, request: web.Request) -> web.Response:
        token = self._bearer(request)
        refused = self._unauthorized(token)
        if refused is not None:
            return refused
        body = await request.json()
        if self.chat_script:
            status, answer, headers = self.chat_script.pop(0)
            if status != 200 or not answer.get("data", [{}])[0].get("is_sent", True):
                return web.json_response(answer, status=status, headers=headers)
        self.chat.append(body)
        self.chat_tokens.append(token)
        self.chat_times.append(time.monotonic())
        return web.json_response({"data": [{"message_id": str(uuid.uuid4()), "is_sent": True,
                                            "drop_reason": None}]})

    # --- OAuth ---

    async def _token(self, request: web.Request) -> web.Response:
        form = {**dict(request.query), **{k: str(v) for k, v in (await request.post()).items()}}
        self.token_requests.append(form)
        grant = form.get("grant_type")
        refresh = form.get("refresh_token", "")
        if grant == "refresh_token" and (refresh == "revoked"
                                         or refresh not in self.refresh_owners):
            return web.json_response({"status": 400, "message": "Invalid refresh token"},
                                     status=400)
        self.issued += 1
        access = f"new-access-{self.issued}"
        answer: dict[str, Any] = {"access_token": access, "expires_in": 14400,
                                  "token_type": "bearer"}
        if grant == "client_credentials":
            self.app_tokens.add(access)
        else:
            owner = self.refresh_owners[refresh] if grant == "refresh_token" else self.code_owner
            new_refresh = f"new-refresh-{self.issued}"
            self.owners[access] = owner
            self.refresh_owners[new_refresh] = owner
            answer["refresh_token"] = new_refresh
            answer["scope"] = ["user:read:chat", "user:write:chat"]
        return web.json_response(answer)

    async def _validate(self, request: web.Request) -> web.Response:
        # Twitch takes "OAuth <token>" (its docs) and "Bearer <token>" (what twitchio sends)
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("OAuth ").removeprefix("Bearer ")
        self.validations.append(token)
        if token in self.reject_tokens or (token not in self.owners
                                           and token not in self.app_tokens):
            return web.json_response({"status": 401, "message": "invalid access token"},
                                     status=401)
        if token in self.app_tokens:
            return web.json_response({"client_id": "cid", "scopes": [], "expires_in": 5000000})
        owner = self.owners[token]
        return web.json_response({"client_id": "cid",
                                  "login": "kingpinbot" if owner == BOT else f"user{owner}",
                                  "scopes": ["user:read:chat"], "user_id": owner,
                                  "expires_in": 14000})


async def wait_for(predicate: Any, timeout: float = 5.0,  # noqa: ASYNC109
                   interval: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(interval)
