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
               refresh: str | None = "refresh-1") -> StoredToken:
    return StoredToken("twitch", account, f"user{account}", access or f"access-{account}",
                       refresh, ("user:read:chat",),
                       datetime.now(UTC) + timedelta(seconds=expires_in_s))


@dataclass
class TwitchStub:
    """A local Helix + OAuth server recording what the adapter asks for.

    ``chat_script`` is a list of (status, body, headers) answers for POST /chat/messages,
    consumed in order; when empty, messages are accepted.

    EventSub subscriptions as Twitch keeps them: ``live`` (id -> subscription) is what
    POST created and DELETE has not removed; a second POST of the same type, version,
    condition and transport is a 409; GET lists them in pages of ``page_size`` (``user_id``
    filters on any condition field), raids with Twitch's empty ``from_broadcaster_user_id``.
    """

    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    live: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    page_size: int = 100
    sub_tokens: list[str] = field(default_factory=list)
    chat: list[dict[str, Any]] = field(default_factory=list)
    chat_times: list[float] = field(default_factory=list)
    chat_script: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=set)
    reject_tokens: set[str] = field(default_factory=set)
    issued: int = 0
    url: str = ""
    _runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/helix/eventsub/subscriptions", self._subscribe)
        app.router.add_get("/helix/eventsub/subscriptions", self._list)
        app.router.add_delete("/helix/eventsub/subscriptions", self._delete)
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

    def _bearer(self, request: web.Request) -> str:
        return request.headers.get("Authorization", "").removeprefix("Bearer ")

    async def _subscribe(self, request: web.Request) -> web.Response:
        token = self._bearer(request)
        if token in self.reject_tokens:
            return web.json_response({"error": "Unauthorized", "status": 401,
                                      "message": "Invalid OAuth token"}, status=401)
        body = await request.json()
        same = {k: body.get(k) for k in ("type", "version", "condition")}
        for sub in self.live.values():
            transport = {k: v for k, v in body["transport"].items() if k != "secret"}
            if ({k: sub.get(k) for k in same} == same
                    and {k: sub["transport"].get(k) for k in transport} == transport):
                return web.json_response({"error": "Conflict", "status": 409,
                                          "message": "subscription already exists"},
                                         status=409)
        self.subscriptions.append(body)
        self.sub_tokens.append(token)
        sub_id = str(uuid.uuid4())
        transport = {k: v for k, v in body["transport"].items() if k != "secret"}
        self.live[sub_id] = {"id": sub_id, "status": "enabled", **body,
                             "transport": transport}
        return web.json_response({"data": [self.live[sub_id]], "total": len(self.live),
                                  "total_cost": 0, "max_total_cost": 10}, status=202)

    def live_for(self, channel: str) -> list[dict[str, Any]]:
        return [s for s in self.live.values() if channel in (
            s["condition"].get("broadcaster_user_id"),
            s["condition"].get("to_broadcaster_user_id"))]

    async def _list(self, request: web.Request) -> web.Response:
        user = request.query.get("user_id")
        subs = [copy.deepcopy(s) for s in self.live.values()
                if user is None or user in s["condition"].values()]
        for sub in subs:
            if "to_broadcaster_user_id" in sub["condition"]:
                sub["condition"].setdefault("from_broadcaster_user_id", "")
        start = int(request.query.get("after") or 0)
        page = subs[start:start + self.page_size]
        more = start + self.page_size < len(subs)
        return web.json_response({"data": page, "total": len(subs), "total_cost": 0,
                                  "max_total_cost": 10,
                                  "pagination": {"cursor": str(start + self.page_size)}
                                  if more else {}})

    async def _delete(self, request: web.Request) -> web.Response:
        sub_id = request.query.get("id", "")
        if self.live.pop(sub_id, None) is None:
            return web.json_response({"error": "Not Found", "status": 404,
                                      "message": "subscription not found"}, status=404)
        self.deleted.append(sub_id)
        return web.Response(status=204)

    async def _chat(self, request: web.Request) -> web.Response:
        token = self._bearer(request)
        if token in self.reject_tokens:
            return web.json_response({"status": 401, "message": "Invalid OAuth token"},
                                     status=401)
        body = await request.json()
        if self.chat_script:
            status, answer, headers = self.chat_script.pop(0)
            if status != 200 or not answer.get("data", [{}])[0].get("is_sent", True):
                return web.json_response(answer, status=status, headers=headers)
        self.chat.append(body)
        self.chat_times.append(time.monotonic())
        return web.json_response({"data": [{"message_id": str(uuid.uuid4()), "is_sent": True,
                                            "drop_reason": None}]})

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.append({k: str(v) for k, v in form.items()})
        if form.get("grant_type") == "refresh_token" and form.get("refresh_token") == "revoked":
            return web.json_response({"status": 400, "message": "Invalid refresh token"},
                                     status=400)
        self.issued += 1
        access = f"new-access-{self.issued}"
        self.valid_tokens.add(access)
        answer: dict[str, Any] = {"access_token": access, "expires_in": 14400,
                                  "token_type": "bearer"}
        if form.get("grant_type") != "client_credentials":
            answer["refresh_token"] = f"new-refresh-{self.issued}"
            answer["scope"] = ["user:read:chat", "user:write:chat"]
        return web.json_response(answer)

    async def _validate(self, request: web.Request) -> web.Response:
        token = request.headers.get("Authorization", "").removeprefix("OAuth ")
        if token in self.reject_tokens or token not in self.valid_tokens:
            return web.json_response({"status": 401, "message": "invalid access token"},
                                     status=401)
        return web.json_response({"client_id": "cid", "login": "kingpinbot",
                                  "scopes": ["user:read:chat"], "user_id": BOT,
                                  "expires_in": 5000})


async def wait_for(predicate: Any, timeout: float = 5.0,  # noqa: ASYNC109
                   interval: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(interval)
