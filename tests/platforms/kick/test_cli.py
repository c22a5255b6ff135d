"""``kingpin kick listen`` / ``authorize``: missing credentials, the whole stack, OAuth."""

from __future__ import annotations

import asyncio
import io
import json
import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from arq.jobs import Job

from game.events import Platform, decode_event
from game.replies import Reply
from kingpin import communities
from kingpin.cli import Stack
from kingpin.keys import Keys
from kingpin.outbox import push_replies
from kingpin.settings import Settings
from kingpin.tokens import StoredToken, TokenStore
from platforms.kick.channels import row_of
from platforms.kick.cli import main, run_authorize, run_listen, run_subscribe
from platforms.kick.config import KickSettings
from platforms.kick.oauth import challenge_for

from .pusher_server import Conn, FakePusher
from .support import CHANNELS, frame_file, frame_json
from .test_api import Stub, stub  # noqa: F401 - the stub fixture


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("KINGPIN_KICK_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env file
    return monkeypatch


def run_main(argv: list[str]) -> tuple[int, list[str]]:
    err = io.StringIO()
    code = main(argv, err=err)
    return code, err.getvalue().splitlines()


def test_listen_without_anything_names_every_missing_variable(clean_env: Any) -> None:
    code, lines = run_main(["listen"])
    assert code == 2
    # the channels come from the communities: KINGPIN_KICK_CHANNELS is optional
    assert lines == ["kingpin kick: missing KINGPIN_KICK_CLIENT_ID, KINGPIN_KICK_CLIENT_SECRET"]


def test_listen_names_exactly_what_is_missing(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("KINGPIN_KICK_CHANNELS", json.dumps([CHANNELS[0].model_dump()]))
    clean_env.setenv("KINGPIN_KICK_CLIENT_ID", "abc")
    code, lines = run_main(["listen"])
    assert (code, lines) == (2, ["kingpin kick: missing KINGPIN_KICK_CLIENT_SECRET"])
    # reading needs no credentials, and the channels may all come from the communities
    assert KickSettings().missing_for_listen(read_only=True) == []
    clean_env.delenv("KINGPIN_KICK_CHANNELS")
    assert KickSettings().missing_for_listen(read_only=True) == []


def test_authorize_without_the_app_credentials(clean_env: Any) -> None:
    code, lines = run_main(["authorize"])
    assert (code, lines) == (2, ["kingpin kick: missing KINGPIN_KICK_CLIENT_ID, "
                                 "KINGPIN_KICK_CLIENT_SECRET"])


def test_unusable_settings_are_one_line_too(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("KINGPIN_KICK_CHANNELS", "not json")
    code, lines = run_main(["listen", "--read-only"])
    assert code == 2 and len(lines) == 1 and "KINGPIN_KICK_CHANNELS" in lines[0]
    clean_env.setenv("KINGPIN_KICK_CHANNELS", json.dumps([{"broadcaster_user_id": 5}]))
    code, lines = run_main(["listen", "--read-only"])
    assert code == 2 and len(lines) == 1
    assert "needs channel_id and chatroom_id" in lines[0]


@pytest.fixture
def stack(settings: Settings, db_url: str, redis_url: str) -> Stack:
    return Stack(settings=settings, db_url=db_url, redis_url=redis_url,
                 keys=Keys(settings.redis_prefix))


async def test_listen_without_a_stored_token_exits_2(stack: Stack, clean_env: Any) -> None:
    await TokenStore().delete("kick", "4242")
    ks = KickSettings(_env_file=None, channels=[CHANNELS[0]], client_id="id",
                      client_secret="secret")
    err = io.StringIO()
    assert await run_listen(stack, ks, read_only=False, err=err, init_database=False) == 2
    assert err.getvalue().splitlines() == [
        "kingpin kick: no Kick token stored: run `kingpin kick authorize` (or listen "
        "--read-only)"]


@pytest.mark.usefixtures("kick_rows")
async def test_listen_runs_the_stack_and_flushes_on_shutdown(
        stack: Stack, private_redis: tuple[Any, Keys], stub: Stub,  # noqa: F811
        clean_env: Any) -> None:
    redis, keys = private_redis
    store = TokenStore()
    await store.delete("kick", "4242")
    await store.save(StoredToken(platform="kick", account_id="4242", account_name="KingpinBot",
                                 access_token="access-1", refresh_token="refresh-1",
                                 scopes=("chat:write",), expires_at=None))
    chat = frame_json(frame_file("pusher_ChatMessageEvent.message.frame.json"))
    stop = asyncio.Event()

    # 12 replies too long to merge: the budget (10 per 30 s) sends 10, 2 wait
    texts = [f"@p{i} " + "x" * 400 for i in range(12)]
    await push_replies(redis, keys, [Reply(platform=Platform.KICK, channel="1270821", text=t)
                                     for t in texts], 10_000)

    async def script(conn: Conn) -> None:
        await conn.send_raw(chat)
        for _ in range(300):
            if len(stub.chats) >= 10:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        stop.set()  # SIGTERM: the buffered event must still reach Redis

    # batches wait 5 s: only the shutdown flush can bring the event to Redis in time
    slow = Stack(settings=stack.settings.model_copy(update={"batch_max_wait_ms": 5000}),
                 db_url=stack.db_url, redis_url=stack.redis_url, keys=keys)
    async with FakePusher(expected_channels=5, scripts=[script]) as server:
        ks = KickSettings(_env_file=None, channels=[CHANNELS[0]], client_id="id",
                          client_secret="secret", pusher_url=server.url, api_url=stub.url,
                          id_url=stub.url)
        err = io.StringIO()
        code = await asyncio.wait_for(
            run_listen(slow, ks, read_only=False, err=err, stop=stop, init_database=False), 4)
    assert code == 0, err.getvalue()
    ids = []
    for job_id in await redis.zrange(keys.queue, 0, -1):
        job = Job(job_id.decode(), redis, _queue_name=keys.queue,
                  _deserializer=redis.job_deserializer)
        info = await job.info()
        if info is not None:
            ids += [decode_event(p).event_id for p in info.args[1]]
    assert "bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932" in ids
    # replies: 10 went out through the API, the 2 over budget are back in the outbox
    assert [c["content"] for c in stub.chats] == texts[:10]
    left = [Reply.model_validate_json(r).text
            for r in await redis.lrange(keys.outbox("kick"), 0, -1)]
    assert left == texts[10:]
    await store.delete("kick", "4242")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_authorize_pkce_flow_stores_the_token(stack: Stack, stub: Stub,  # noqa: F811
                                                    clean_env: Any) -> None:
    await TokenStore().delete("kick", "4242")
    port = free_port()
    ks = KickSettings(_env_file=None, client_id="client-id", client_secret="client-secret",
                      id_url=stub.url, api_url=stub.url, redirect_host="127.0.0.1",
                      redirect_port=port, authorize_timeout_s=10)
    seen: dict[str, Any] = {}

    async def browser(url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        seen.update({k: v[0] for k, v in query.items()})
        async with aiohttp.ClientSession() as http:
            # a forged redirect with the wrong state is refused
            async with http.get(f"{ks.callback_uri}?code=evil&state=wrong") as resp:
                assert resp.status == 400
            async with http.get(f"{ks.callback_uri}?code=the-code&state={query['state'][0]}"
                                ) as resp:
                assert resp.status == 200

    err = io.StringIO()
    code = await run_authorize(stack, ks, err=err, on_url=browser, init_database=False)
    assert code == 0, err.getvalue()
    assert urlsplit(err.getvalue().splitlines()[1]).path == "/oauth/authorize"
    assert seen["response_type"] == "code" and seen["code_challenge_method"] == "S256"
    assert seen["redirect_uri"] == f"http://127.0.0.1:{port}/kick/callback"
    assert seen["client_id"] == "client-id" and "chat:write" in seen["scope"].split()
    exchange = stub.token_forms[-1]
    assert exchange["grant_type"] == "authorization_code" and exchange["code"] == "the-code"
    assert challenge_for(exchange["code_verifier"]) == seen["code_challenge"]
    assert 43 <= len(exchange["code_verifier"]) <= 128
    saved = await TokenStore().get("kick", "4242")
    assert saved is not None and saved.account_name == "KingpinBot"
    assert saved.access_token == "access-2" and saved.refresh_token == "refresh-1"
    await TokenStore().delete("kick", "4242")


@pytest.mark.usefixtures("kick_rows")
async def test_subscribe_webhooks_for_each_channel(stack: Stack, stub: Stub,  # noqa: F811
                                                   clean_env: Any) -> None:
    store = TokenStore()
    for account in ("4242", "1270821"):
        await store.delete("kick", account)
    await store.save(StoredToken(platform="kick", account_id="4242", account_name="KingpinBot",
                                 access_token="access-1", refresh_token="refresh-1",
                                 scopes=("events:subscribe",), expires_at=None))
    await store.save(StoredToken(platform="kick", account_id="1270821",
                                 account_name="litneyspears", access_token="access-1",
                                 refresh_token="refresh-1", scopes=(), expires_at=None))
    # one channel from the env (it joins the default community), one a community owns
    ks = KickSettings(_env_file=None, channels=[CHANNELS[0]], client_id="id",
                      client_secret="secret", api_url=stub.url, id_url=stub.url,
                      bot_user_id=4242)
    channel_id, label = row_of(CHANNELS[1])
    await communities.add_channel("local", "kick", channel_id, "chat", label)
    err = io.StringIO()
    assert await run_subscribe(stack, ks, err=err, init_database=False) == 0, err.getvalue()
    assert sorted(b["broadcaster_user_id"] for b in stub.subscribed) == [70715, 1270821]
    stub.subscribed.sort(key=lambda b: b["broadcaster_user_id"] != 1270821)
    names = {e["name"] for e in stub.subscribed[0]["events"]}
    assert {"chat.message.sent", "channel.subscription.gifts", "kicks.gifted",
            "livestream.status.updated"} <= names
    assert all(e["version"] == 1 for e in stub.subscribed[0]["events"])
    assert stub.subscribed[0]["method"] == "webhook"
    for account in ("4242", "1270821"):
        await store.delete("kick", account)


@pytest.mark.usefixtures("kick_rows")
async def test_subscribe_when_no_community_owns_a_kick_channel(stack: Stack,
                                                               clean_env: Any) -> None:
    ks = KickSettings(_env_file=None, client_id="id", client_secret="secret")
    err = io.StringIO()
    assert await run_subscribe(stack, ks, err=err, init_database=False) == 2
    assert err.getvalue().splitlines() == [
        "kingpin kick: no community owns a Kick channel (kingpin community add-channel, or "
        "KINGPIN_KICK_CHANNELS)"]
