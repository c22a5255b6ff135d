"""Tokens in the database through twitchio's load/save hooks: loaded and validated at login,
refreshed by twitchio (on load, on a Helix 401, at the hourly validation) and stored at once;
the app token is twitchio's; `kingpin twitch authorize` stores a new one."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from tortoise import connections

from kingpin.tokens import StoredToken, TokenStore
from platforms.twitch.auth import ALL_SCOPES, BOT_SCOPES, OAuth, authorize
from platforms.twitch.client import HttpClient, point_at

from .eventsub import config
from .support import BOT, TwitchStub, user_token, wait_for


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[TokenStore]:
    await connections.get("default").execute_query("DELETE FROM platform_tokens")
    yield TokenStore()
    await connections.get("default").execute_query("DELETE FROM platform_tokens")


@pytest.fixture
async def client_for(stub: TwitchStub) -> AsyncIterator[Any]:
    """A twitchio client logged in against the stub, tokens from ``store``."""
    clients: list[HttpClient] = []

    async def make(store: Any) -> HttpClient:
        point_at(config(stub, "ws://unused"))
        client = HttpClient(client_id="cid", client_secret="csecret", bot_id=BOT, store=store,
                            fetch_client_user=False)
        clients.append(client)
        await client.login()
        return client

    yield make
    for client in clients:
        await client.close()


async def test_tokens_load_from_the_database_through_twitchios_hook(
    store: TokenStore, stub: TwitchStub, client_for: Any
) -> None:
    await store.save(user_token(BOT, "bot-access"))
    await store.save(user_token("1337", "caster-access"))
    stub.own(*await store.all("twitch"))
    client = await client_for(store)
    assert client.has_token(BOT) and client.has_token("1337")
    assert {"bot-access", "caster-access"} <= set(stub.validations)  # validated on load
    # the app token is twitchio's own (client credentials at login), not a stored row
    assert stub.token_requests[0]["grant_type"] == "client_credentials"
    assert stub.token_requests[0]["client_secret"] == "csecret"
    assert [t.account_id for t in await store.all("twitch")] == ["1337", BOT]


async def test_an_invalid_stored_token_is_refreshed_by_twitchio_and_stored(
    store: TokenStore, stub: TwitchStub, client_for: Any
) -> None:
    await store.save(user_token(BOT, "expired-access", refresh="bot-refresh"))
    stub.refresh_owners["bot-refresh"] = BOT  # the access token itself is no longer valid
    client = await client_for(store)
    await wait_for(lambda: client.refreshes == 1)
    grants = [r["grant_type"] for r in stub.token_requests]
    assert grants == ["client_credentials", "refresh_token"]
    assert stub.token_requests[1]["refresh_token"] == "bot-refresh"
    saved = await store.get("twitch", BOT)
    assert saved is not None and saved.access_token == client.tokens[BOT]["token"]
    assert saved.access_token.startswith("new-access-")
    assert saved.refresh_token is not None and saved.refresh_token.startswith("new-refresh-")
    assert saved.account_name == f"user{BOT}"  # kept from the stored row
    assert saved.expires_at is not None and saved.expires_at > datetime.now(UTC) + timedelta(
        hours=3)


async def test_a_401_from_helix_refreshes_stores_and_retries_once(
    store: TokenStore, stub: TwitchStub, client_for: Any
) -> None:
    token = user_token(BOT, "soon-revoked")
    await store.save(token)
    stub.own(token)
    client = await client_for(store)
    stub.reject_tokens.add("soon-revoked")  # Twitch revoked it after we loaded it
    room = client.create_partialuser("1337")
    sent = await room.send_message("hi", BOT, token_for=BOT)
    assert sent.sent and [m["message"] for m in stub.chat] == ["hi"]
    assert stub.chat_tokens[0].startswith("new-access-")
    await wait_for(lambda: client.refreshes == 1)
    saved = await store.get("twitch", BOT)
    assert saved is not None and saved.access_token == stub.chat_tokens[0]


async def test_hourly_validation_refreshes_a_token_twitch_stopped_accepting(
    store: TokenStore, stub: TwitchStub, client_for: Any
) -> None:
    token = user_token(BOT, "good-for-now")
    await store.save(token)
    stub.own(token)
    client = await client_for(store)
    stub.reject_tokens.add("good-for-now")
    # twitchio validates every token an hour after the last time; pretend an hour went by
    client.http._tokens[BOT]["last_validated"] = (
        datetime.now() - timedelta(hours=1)).isoformat()  # noqa: DTZ005 - twitchio's naive
    await client.http._revalidate_all()
    await wait_for(lambda: client.refreshes == 1)
    saved = await store.get("twitch", BOT)
    assert saved is not None and saved.access_token.startswith("new-access-")


async def test_a_revoked_refresh_token_leaves_the_account_without_a_token(
    store: TokenStore, stub: TwitchStub, client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    await store.save(user_token(BOT, "dead-access", refresh="revoked"))
    caplog.set_level(logging.DEBUG)
    client = await client_for(store)
    assert not client.has_token(BOT)
    assert any("authorize" in r.getMessage() for r in caplog.records)
    ours = [r for r in caplog.records if r.name.startswith(("platforms.twitch", "twitchio"))]
    assert all("dead-access" not in r.getMessage() for r in ours)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


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
    point_at(config(stub, "ws://unused"))
    oauth = OAuth(stub.oauth_url, "cid", "csecret")
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
    await oauth.close()
    exchange = stub.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code" and exchange["code"] == "the-code"
    assert exchange["redirect_uri"] == redirect
    assert isinstance(token, StoredToken)
    assert (token.account_id, token.account_name) == (BOT, "kingpinbot")
    saved = await store.get("twitch", BOT)
    assert saved is not None and saved.access_token == token.access_token
    assert saved.refresh_token == "new-refresh-1"
