"""Tokens in the database: refresh, 401 handling, hourly validation, app token, authorize."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from tortoise import connections

from kingpin.tokens import StoredToken, TokenStore
from platforms.twitch.auth import (
    ALL_SCOPES,
    APP_ACCOUNT,
    BOT_SCOPES,
    OAuthClient,
    TokenManager,
    TokenMissing,
    authorize,
)
from platforms.twitch.helix import Helix

from .support import BOT, TwitchStub, user_token


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[TokenStore]:
    await connections.get("default").execute_query("DELETE FROM platform_tokens")
    yield TokenStore()
    await connections.get("default").execute_query("DELETE FROM platform_tokens")


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


def manager(store: Any, stub: TwitchStub, session: aiohttp.ClientSession) -> TokenManager:
    return TokenManager(store, OAuthClient(session, stub.oauth_url, "cid", "csecret"))


async def test_an_expiring_token_refreshes_itself_and_is_stored(
    store: TokenStore, stub: TwitchStub, session: aiohttp.ClientSession
) -> None:
    await store.save(user_token(BOT, "old-access", expires_in_s=60))  # inside the 5 min margin
    tokens = manager(store, stub, session)
    assert await tokens.token(BOT) == "new-access-1"
    request = stub.token_requests[0]
    assert request == {"client_id": "cid", "client_secret": "csecret",
                       "grant_type": "refresh_token", "refresh_token": "refresh-1"}
    saved = await store.get("twitch", BOT)
    assert saved is not None and saved.access_token == "new-access-1"
    assert saved.refresh_token == "new-refresh-1"
    assert saved.expires_at is not None and saved.expires_at > datetime.now(UTC) + timedelta(
        hours=3)
    # fresh now: no further request
    assert await tokens.token(BOT) == "new-access-1" and len(stub.token_requests) == 1


async def test_a_401_from_helix_refreshes_and_retries_once(
    store: TokenStore, stub: TwitchStub, session: aiohttp.ClientSession
) -> None:
    await store.save(user_token(BOT, "revoked-access"))
    stub.reject_tokens.add("revoked-access")
    tokens = manager(store, stub, session)
    helix = Helix(session, stub.helix_url, "cid", tokens)
    resp = await helix.call("POST", "/chat/messages", account=BOT,
                            json={"broadcaster_id": "1", "sender_id": BOT, "message": "hi"})
    assert resp.status == 200
    assert [r["grant_type"] for r in stub.token_requests] == ["refresh_token"]
    assert (await store.get("twitch", BOT)).access_token == "new-access-1"  # type: ignore


async def test_another_process_refreshed_first(
    store: TokenStore, stub: TwitchStub, session: aiohttp.ClientSession
) -> None:
    await store.save(user_token(BOT, "a1"))
    tokens = manager(store, stub, session)
    assert await tokens.token(BOT) == "a1"
    await store.save(user_token(BOT, "a2-from-elsewhere"))
    assert await tokens.refresh(BOT, stale="a1") == "a2-from-elsewhere"
    assert stub.token_requests == []


async def test_hourly_validation_refreshes_invalid_tokens(
    store: TokenStore, stub: TwitchStub, session: aiohttp.ClientSession
) -> None:
    await store.save(user_token(BOT, "still-good"))
    await store.save(user_token("1337", "gone-bad"))
    stub.valid_tokens.add("still-good")
    tokens = manager(store, stub, session)
    stop = asyncio.Event()
    task = asyncio.create_task(tokens.run_validation(stop, every_s=3600))
    await asyncio.sleep(0.3)
    stop.set()
    await asyncio.wait_for(task, 2)
    assert (await store.get("twitch", BOT)).access_token == "still-good"  # type: ignore
    assert (await store.get("twitch", "1337")).access_token == "new-access-1"  # type: ignore
    assert len(stub.token_requests) == 1


async def test_a_revoked_refresh_token_says_to_authorize_again(
    store: TokenStore, stub: TwitchStub, session: aiohttp.ClientSession
) -> None:
    await store.save(user_token(BOT, "x", expires_in_s=-10, refresh="revoked"))
    with pytest.raises(TokenMissing, match="authorize"):
        await manager(store, stub, session).token(BOT)
    with pytest.raises(TokenMissing, match="authorize"):
        await manager(store, stub, session).token("no-such-user")


async def test_app_token_comes_from_client_credentials_and_is_stored(
    store: TokenStore, stub: TwitchStub, session: aiohttp.ClientSession
) -> None:
    tokens = manager(store, stub, session)
    assert await tokens.token(APP_ACCOUNT) == "new-access-1"
    assert stub.token_requests[0]["grant_type"] == "client_credentials"
    saved = await store.get("twitch", APP_ACCOUNT)
    assert saved is not None and saved.refresh_token is None
    # a second process reads it from the database instead of asking again
    other = manager(store, stub, session)
    assert await other.token(APP_ACCOUNT) == "new-access-1" and stub.issued == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_authorize_walks_the_code_flow_and_stores_the_token(
    store: TokenStore, stub: TwitchStub, session: aiohttp.ClientSession
) -> None:
    port = free_port()
    redirect = f"http://localhost:{port}/callback"
    announced: asyncio.Queue[str] = asyncio.Queue()
    oauth = OAuthClient(session, stub.oauth_url, "cid", "csecret")
    flow = asyncio.create_task(authorize(oauth, store, redirect_uri=redirect, scopes=ALL_SCOPES,
                                         announce=announced.put_nowait, timeout_s=10))
    url = await asyncio.wait_for(announced.get(), 5)
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert url.startswith(f"{stub.oauth_url}/authorize?")
    assert query["client_id"] == "cid" and query["redirect_uri"] == redirect
    assert query["response_type"] == "code"
    assert query["scope"].split() == list(ALL_SCOPES)
    assert set(BOT_SCOPES) <= set(query["scope"].split())
    callback = f"http://127.0.0.1:{port}/callback"
    # a forged redirect (wrong state) is refused and does not finish the flow
    async with session.get(callback, params={"code": "evil", "state": "forged"}) as resp:
        assert resp.status == 400
    assert not flow.done()
    # the browser comes back from Twitch with the code
    async with session.get(callback, params={"code": "the-code", "state": query["state"],
                                             "scope": query["scope"]}) as resp:
        assert resp.status == 200
    token = await asyncio.wait_for(flow, 5)
    exchange = stub.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code" and exchange["code"] == "the-code"
    assert exchange["redirect_uri"] == redirect
    assert isinstance(token, StoredToken)
    assert (token.account_id, token.account_name) == (BOT, "kingpinbot")
    saved = await store.get("twitch", BOT)
    assert saved is not None and saved.access_token == token.access_token
    assert saved.refresh_token == "new-refresh-1"
