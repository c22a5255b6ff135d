"""Replies through a local stub of Kick's API (POST /public/v1/chat) and OAuth server
(POST /oauth/token): rate limits, expired tokens, refused reply links, the Redis budget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from game.events import Platform
from game.replies import Reply
from kingpin.keys import Keys
from kingpin.outbox import LIMITS, OutboxSender, push_replies
from kingpin.settings import Settings
from kingpin.tokens import StoredToken, TokenStore
from platforms.kick.api import ChatSender, KickApi, KickApiError, fit_content
from platforms.kick.cli import limits_uri
from platforms.kick.oauth import KickAuthError, OAuthClient, TokenManager


@dataclass
class Stub:
    """Kick's API and OAuth server, answering from scripted responses."""

    chat_script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    chats: list[dict[str, Any]] = field(default_factory=list)
    auths: list[str] = field(default_factory=list)
    token_forms: list[dict[str, str]] = field(default_factory=list)
    subscribed: list[dict[str, Any]] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=lambda: {"access-1"})
    issued: int = 1
    url: str = ""

    async def chat(self, request: web.Request) -> web.Response:
        self.auths.append(request.headers.get("Authorization", ""))
        body = await request.json()
        self.chats.append(body)
        if request.headers.get("Authorization", "").removeprefix("Bearer ") \
                not in self.valid_tokens:
            return web.json_response({"message": "Unauthorized"}, status=401)
        if self.chat_script:
            status, headers = self.chat_script.pop(0)
            if status != 200:
                return web.json_response({"message": "nope"}, status=status, headers=headers)
        return web.json_response({"data": {"is_sent": True, "message_id": "m1"},
                                  "message": "OK"})

    async def token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_forms.append({k: str(v) for k, v in form.items()})
        if form.get("grant_type") == "refresh_token" and form.get("refresh_token") != "refresh-1":
            return web.json_response({"error": "Invalid request"}, status=400)
        self.issued += 1
        access = f"access-{self.issued}"
        self.valid_tokens = {access}
        return web.json_response({"access_token": access, "token_type": "Bearer",
                                  "refresh_token": "refresh-1", "expires_in": 3600,
                                  "scope": "user:read chat:write"})

    async def subscriptions(self, request: web.Request) -> web.Response:
        self.auths.append(request.headers.get("Authorization", ""))
        self.subscribed.append(await request.json())
        return web.json_response({"data": [], "message": "OK"})

    async def users(self, request: web.Request) -> web.Response:
        return web.json_response({"data": [{"user_id": 4242, "name": "KingpinBot",
                                            "email": "", "profile_picture": ""}],
                                  "message": "OK"})


@pytest.fixture
async def stub() -> AsyncIterator[Stub]:
    state = Stub()
    app = web.Application()
    app.router.add_post("/public/v1/chat", state.chat)
    app.router.add_get("/public/v1/users", state.users)
    app.router.add_post("/oauth/token", state.token)
    app.router.add_post("/public/v1/events/subscriptions", state.subscriptions)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.url = f"http://127.0.0.1:{port}"
    yield state
    await runner.cleanup()


class MemoryStore:
    def __init__(self, *tokens: StoredToken) -> None:
        self.tokens = {t.account_id: t for t in tokens}
        self.saved: list[StoredToken] = []

    async def get(self, platform: str, account_id: str) -> StoredToken | None:
        return self.tokens.get(account_id)

    async def all(self, platform: str) -> list[StoredToken]:
        return list(self.tokens.values())

    async def save(self, token: StoredToken) -> None:
        self.tokens[token.account_id] = token
        self.saved.append(token)


def token(account: str = "4242", access: str = "access-1",
          expires_in: float = 3600) -> StoredToken:
    return StoredToken(platform="kick", account_id=account, account_name="KingpinBot",
                       access_token=access, refresh_token="refresh-1", scopes=("chat:write",),
                       expires_at=datetime.now(UTC) + timedelta(seconds=expires_in))


@dataclass
class Rig:
    sender: ChatSender
    store: MemoryStore
    sleeps: list[float]
    http: aiohttp.ClientSession


@pytest.fixture
async def rig(stub: Stub) -> AsyncIterator[Rig]:
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    store = MemoryStore(token())
    async with aiohttp.ClientSession() as http:
        oauth = OAuthClient(http, stub.url, "client-id", "client-secret")
        sender = ChatSender(KickApi(http, stub.url), TokenManager(store, oauth),
                            send_as="user", bot_account="4242", retries=3, sleep=fake_sleep)
        yield Rig(sender, store, sleeps, http)


async def test_reply_is_posted_as_documented(stub: Stub, rig: Rig) -> None:
    await rig.sender("1270821", "@alice you robbed bob for $120", "msg-uuid-1")
    assert stub.chats == [{"type": "user", "content": "@alice you robbed bob for $120",
                           "broadcaster_user_id": 1270821,
                           "reply_to_message_id": "msg-uuid-1"}]
    assert stub.auths == ["Bearer access-1"]
    await rig.sender("1270821", "no reply link", None)
    assert "reply_to_message_id" not in stub.chats[-1]
    assert rig.sender.stats.sent == 2


async def test_429_waits_retry_after_then_sends(stub: Stub, rig: Rig) -> None:
    stub.chat_script = [(429, {"Retry-After": "2"}), (429, {})]
    await rig.sender("1270821", "hello", None)
    assert len(stub.chats) == 3 and rig.sender.stats.sent == 1
    assert rig.sleeps == [2.0, 2.0]  # Retry-After, then exponential (1 * 2 ** 1)
    assert rig.sender.stats.rate_limited == 2


async def test_429_for_too_long_raises_so_the_outbox_keeps_it(stub: Stub, rig: Rig) -> None:
    stub.chat_script = [(429, {"Retry-After": "999"})] * 4
    with pytest.raises(KickApiError):
        await rig.sender("1270821", "hello", None)
    assert rig.sleeps == [30.0, 30.0, 30.0]  # capped at max_retry_after_s


async def test_expired_token_is_refreshed_and_stored(stub: Stub, rig: Rig) -> None:
    stub.valid_tokens = {"access-9"}  # Kick no longer accepts access-1: 401
    stub.issued = 8
    await rig.sender("1270821", "hello", None)
    assert stub.auths == ["Bearer access-1", "Bearer access-9"]
    assert stub.token_forms[-1] == {"grant_type": "refresh_token", "client_id": "client-id",
                                    "client_secret": "client-secret",
                                    "refresh_token": "refresh-1"}
    assert rig.store.saved[-1].access_token == "access-9"
    assert rig.store.saved[-1].expires_at is not None


async def test_token_close_to_expiry_is_refreshed_before_sending(stub: Stub, rig: Rig) -> None:
    rig.store.tokens["4242"] = token(expires_in=30)  # inside the refresh margin
    await rig.sender("1270821", "hello", None)
    assert stub.auths == ["Bearer access-2"] and len(stub.token_forms) == 1


async def test_refused_reply_link_is_sent_plain(stub: Stub, rig: Rig) -> None:
    stub.chat_script = [(400, {})]
    await rig.sender("1270821", "hello", "deleted-message")
    assert [("reply_to_message_id" in c) for c in stub.chats] == [True, False]
    assert rig.sender.stats.sent == 1


async def test_permanent_refusals_are_dropped_server_errors_raise(stub: Stub, rig: Rig) -> None:
    stub.chat_script = [(403, {})]
    await rig.sender("1270821", "hello", None)
    assert rig.sender.stats.dropped == 1
    stub.chat_script = [(502, {})]
    with pytest.raises(KickApiError):
        await rig.sender("1270821", "hello", None)
    await rig.sender("not-a-number", "hello", None)  # never posted
    assert len(stub.chats) == 2


async def test_bot_mode_uses_the_broadcasters_token(stub: Stub, rig: Rig) -> None:
    rig.store.tokens["1270821"] = token(account="1270821")
    rig.sender.send_as = "bot"
    await rig.sender("1270821", "hello", None)
    assert stub.chats[-1] == {"type": "bot", "content": "hello"}
    with pytest.raises(KickAuthError):
        await rig.sender("70715", "hello", None)  # that broadcaster never authorized


def test_content_fits_500_utf16_units() -> None:
    assert fit_content("a" * 500) == "a" * 500
    cut = fit_content("\U0001f389" * 300)  # 600 UTF-16 units
    assert len(cut.encode("utf-16-le")) // 2 <= 500 and cut.endswith("…")


async def test_outbox_drains_kick_replies_through_the_api_within_the_redis_budget(
        stub: Stub, rig: Rig, redis: Any, settings: Settings, redis_url: str) -> None:
    keys = Keys(settings.redis_prefix)
    replies = [Reply(platform=Platform.KICK, channel="1270821", text=f"@p{i} line {i}")
               for i in range(30)]
    replies.append(Reply(platform=Platform.KICK, channel="70715", text="@solo hi",
                         reply_to="msg-9"))
    await push_replies(redis, keys, replies, 10_000)
    outbox = OutboxSender(redis=redis, keys=keys, platform="kick", send=rig.sender,
                          limits=LIMITS["kick"], storage_uri=limits_uri(redis_url))
    stop = asyncio.Event()
    task = asyncio.create_task(outbox.run(stop))
    for _ in range(300):
        if len(stub.chats) >= 2 and outbox.waiting == 0:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await task
    by_channel: dict[int, list[str]] = {}
    for chat in stub.chats:
        by_channel.setdefault(chat["broadcaster_user_id"], []).append(chat["content"])
    assert len(by_channel[1270821]) <= LIMITS["kick"].messages  # the shared budget
    assert all(len(c) <= 500 for c in by_channel[1270821])
    delivered = " | ".join(by_channel[1270821])
    assert all(f"@p{i} line {i}" in delivered for i in range(30))  # merged, none lost
    solo = [c for c in stub.chats if c["broadcaster_user_id"] == 70715]
    assert solo == [{"type": "user", "content": "@solo hi", "broadcaster_user_id": 70715,
                     "reply_to_message_id": "msg-9"}]


async def test_tokens_refresh_in_the_database(stub: Stub, db_url: str) -> None:
    store = TokenStore()
    await store.delete("kick", "4242")
    await store.save(token(expires_in=-60))  # already expired
    async with aiohttp.ClientSession() as http:
        manager = TokenManager(store, OAuthClient(http, stub.url, "client-id", "secret"))
        assert await manager.access_token("4242") == "access-2"
        # a second process reads the refreshed token instead of refreshing again
        other = TokenManager(store, OAuthClient(http, stub.url, "client-id", "secret"))
        assert await other.access_token("4242") == "access-2"
    saved = await store.get("kick", "4242")
    assert saved is not None and saved.access_token == "access-2"
    assert saved.refresh_token == "refresh-1" and saved.scopes == ("user:read", "chat:write")
    assert len(stub.token_forms) == 1
    await store.delete("kick", "4242")
