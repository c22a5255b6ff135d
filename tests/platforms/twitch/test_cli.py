"""`kingpin twitch listen|authorize`: refusing to start without credentials; the whole listener."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tortoise import connections

from game.events import Platform
from game.replies import Reply
from kingpin.cli import Stack
from kingpin.keys import Keys
from kingpin.outbox import push_replies
from kingpin.settings import Settings
from kingpin.tokens import TokenStore
from platforms.twitch.cli import main
from platforms.twitch.config import TwitchConfig
from platforms.twitch.listener import run_listener

from .eventsub import EventSubServer
from .support import BOT, TwitchStub, chat_payload, user_token, wait_for

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("KINGPIN_TWITCH_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env file either
    return monkeypatch


def test_listen_without_credentials_exits_2_naming_the_variables(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["listen"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    for name in ("KINGPIN_TWITCH_CLIENT_ID", "KINGPIN_TWITCH_CLIENT_SECRET",
                 "KINGPIN_TWITCH_BOT_USER_ID"):
        assert name in err
    # the channels come from the communities: the env list is optional now
    assert "WEBHOOK" not in err and "BROADCASTER_IDS" not in err


def test_webhook_transport_names_only_what_it_still_needs(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("KINGPIN_TWITCH_CLIENT_ID", "cid")
    clean_env.setenv("KINGPIN_TWITCH_CLIENT_SECRET", "secret")
    clean_env.setenv("KINGPIN_TWITCH_BOT_USER_ID", BOT)
    clean_env.setenv("KINGPIN_TWITCH_BROADCASTER_IDS", "1337, 42")
    assert main(["listen", "--transport", "webhook"]) == 2
    err = capsys.readouterr().err
    assert err == ("kingpin twitch listen: missing KINGPIN_TWITCH_WEBHOOK_CALLBACK_URL, "
                   "KINGPIN_TWITCH_WEBHOOK_SECRET\n")
    assert TwitchConfig().broadcaster_ids == ["1337", "42"]


def test_authorize_without_credentials_exits_2(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["authorize", "--role", "bot"]) == 2
    assert capsys.readouterr().err == ("kingpin twitch authorize: missing "
                                       "KINGPIN_TWITCH_CLIENT_ID, KINGPIN_TWITCH_CLIENT_SECRET\n")


def test_listen_without_credentials_as_a_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINGPIN_TWITCH_")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys; from platforms.twitch.cli import main; sys.exit(main(['listen']))"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "kingpin twitch listen: missing KINGPIN_TWITCH_CLIENT_ID, KINGPIN_TWITCH_CLIENT_SECRET, "
        "KINGPIN_TWITCH_BOT_USER_ID"]


async def test_the_listener_end_to_end(
    db_url: str, redis: Any, settings: Settings, redis_url: str,
    capsys: pytest.CaptureFixture[str], twitch_channels: None
) -> None:
    """Tokens from PostgreSQL, events through the real Publisher into Redis, a queued reply
    out through Helix, a clean stop."""
    await connections.get("default").execute_query("DELETE FROM platform_tokens")
    stub = await TwitchStub().start()
    keys = Keys(settings.redis_prefix)
    stack = Stack(settings=settings, db_url=db_url, redis_url=redis_url, keys=keys)

    server = await EventSubServer(stub).__aenter__()
    cfg = TwitchConfig(_env_file=None, client_id="cid", client_secret="csecret",
                       bot_user_id=BOT, broadcaster_ids=["1337"], eventsub_ws_url=server.url(),
                       helix_url=stub.helix_url, oauth_url=stub.oauth_url)
    stop = asyncio.Event()
    try:
        # no token yet: refuses to start, one line saying what to do
        assert await run_listener(cfg, stack, stop, init_database=False) == 2
        assert "authorize" in capsys.readouterr().err

        token = user_token(BOT, "bot-access")
        await TokenStore().save(token)
        stub.own(token)
        started_ms = int(time.time() * 1000)
        task = asyncio.create_task(run_listener(cfg, stack, stop, init_database=False))
        await wait_for(lambda: server.shards_ready(2) and len(stub.live) == 9, timeout=10)
        note = chat_payload(channel="1337", message_id="e2e-chat", text="!play")
        await server.deliver(note, "e2e-note")
        await server.deliver(note, "e2e-note", shard="1")  # the same message again
        seen = keys.seen("twitch:e2e-chat")
        for _ in range(300):
            if await redis.exists(seen):
                break
            await asyncio.sleep(0.02)
        assert await redis.exists(seen)
        jobs = [json.loads(raw) for raw in
                [await redis.get(k) async for k in
                 redis.scan_iter(match=keys.arq("job:batch:*"))]
                if raw]
        ours = [j for j in jobs if j.get("et", 0) >= started_ms and "e2e-chat" in json.dumps(j)]
        assert len(ours) == 1, ours  # the duplicate did not
        await push_replies(redis, keys, [Reply(platform=Platform.TWITCH, channel="1337",
                                               text="@viewer32 welcome to the family",
                                               reply_to="e2e-chat")], 100)
        await wait_for(lambda: len(stub.chat) == 1)
        assert stub.chat[0] == {"broadcaster_id": "1337", "sender_id": BOT,
                                "message": "@viewer32 welcome to the family",
                                "reply_parent_message_id": "e2e-chat"}
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0
    finally:
        stop.set()
        await server.__aexit__()
        await stub.stop()
        await connections.get("default").execute_query("DELETE FROM platform_tokens")


async def test_a_transport_that_dies_stops_the_listener_with_status_1(
    db_url: str, redis: Any, settings: Settings, redis_url: str, twitch_channels: None
) -> None:
    await connections.get("default").execute_query("DELETE FROM platform_tokens")
    token = user_token(BOT, "bot-access")
    await TokenStore().save(token)
    stub = await TwitchStub().start()
    stub.own(token)
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        cfg = TwitchConfig(_env_file=None, client_id="cid", client_secret="csecret",
                           bot_user_id=BOT, broadcaster_ids=["1337"], transport="webhook",
                           webhook_host="127.0.0.1", webhook_port=busy.getsockname()[1],
                           webhook_callback_url="https://kingpin.example/twitch/eventsub",
                           webhook_secret="s3cre7-s3cre7", helix_url=stub.helix_url,
                           oauth_url=stub.oauth_url)
        stack = Stack(settings=settings, db_url=db_url, redis_url=redis_url,
                      keys=Keys(settings.redis_prefix))
        status = await asyncio.wait_for(
            run_listener(cfg, stack, asyncio.Event(), init_database=False), 15)
        assert status == 1  # the webhook port was taken: exit instead of idling deaf
    finally:
        busy.close()
        await stub.stop()
        await connections.get("default").execute_query("DELETE FROM platform_tokens")


@pytest.mark.parametrize("secret", ["x" * 9, "x" * 101, "sécret-sécret"])
def test_a_webhook_secret_twitch_would_refuse_stops_the_start(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], secret: str
) -> None:
    clean_env.setenv("KINGPIN_TWITCH_CLIENT_ID", "cid")
    clean_env.setenv("KINGPIN_TWITCH_CLIENT_SECRET", "secret")
    clean_env.setenv("KINGPIN_TWITCH_BOT_USER_ID", BOT)
    clean_env.setenv("KINGPIN_TWITCH_BROADCASTER_IDS", "1337")
    clean_env.setenv("KINGPIN_TWITCH_WEBHOOK_CALLBACK_URL", "https://kingpin.example/eventsub")
    clean_env.setenv("KINGPIN_TWITCH_WEBHOOK_SECRET", secret)
    assert main(["listen", "--transport", "webhook"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("kingpin twitch listen: invalid KINGPIN_TWITCH_WEBHOOK_SECRET (")
    assert "10-100 ASCII characters" in err and secret not in err
    # the websocket transport does not use it: no reason to refuse
    for ok in ("x" * 10, "x" * 100):
        clean_env.setenv("KINGPIN_TWITCH_WEBHOOK_SECRET", ok)
        cfg = TwitchConfig(transport="webhook")
        assert cfg.invalid_for_listen() == []
    clean_env.setenv("KINGPIN_TWITCH_WEBHOOK_SECRET", secret)
    assert TwitchConfig(transport="websocket").invalid_for_listen() == []


def test_shards_are_ranges_or_lists_and_a_bad_one_stops_the_start(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from platforms.twitch.config import parse_shards

    assert parse_shards("0-3") == [0, 1, 2, 3]
    assert parse_shards("4-5, 0,2") == [0, 2, 4, 5]
    assert parse_shards(None) == parse_shards("") == []
    clean_env.setenv("KINGPIN_TWITCH_CLIENT_ID", "cid")
    clean_env.setenv("KINGPIN_TWITCH_CLIENT_SECRET", "secret")
    clean_env.setenv("KINGPIN_TWITCH_BOT_USER_ID", BOT)
    for bad in ("3-1", "x", "1-", "0-20000"):
        assert main(["listen", "--shards", bad]) == 2
        err = capsys.readouterr().err
        assert err.startswith("kingpin twitch listen: invalid KINGPIN_TWITCH_SHARDS (")
        assert err.count("\n") == 1
    clean_env.setenv("KINGPIN_TWITCH_SHARDS", "2-3")
    assert TwitchConfig().shard_ids() == [2, 3]
