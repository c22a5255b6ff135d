"""``kingpin discord listen``: exit 2 without a token or with one Discord refuses; retry with
one line per attempt while Discord cannot be reached; exit 0 on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl
from aiohttp import web

from platforms.discord.cli import main
from platforms.discord.config import DiscordConfig
from platforms.discord.connection import install_log_filter, run_bot
from tests.platforms.discord.test_gateway import jr

ROOT = Path(__file__).resolve().parents[3]


def test_listen_without_token_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in list(os.environ):
        if name.startswith("KINGPIN_"):
            monkeypatch.delenv(name)
    assert main(["listen"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.strip().endswith("missing KINGPIN_DISCORD_TOKEN")


def test_listen_without_token_as_a_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINGPIN_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-m", "platforms.discord.cli", "listen"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["kingpin discord listen: missing KINGPIN_DISCORD_TOKEN"]
    assert done.stdout == ""


def test_config_reads_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINGPIN_DISCORD_TOKEN", "abc")
    monkeypatch.setenv("KINGPIN_DISCORD_GUILD_IDS", "290926798626357999, 1011977515109187704")
    config = DiscordConfig(_env_file=None)  # type: ignore[call-arg]
    assert config.secret_token() == "abc"
    assert "abc" not in repr(config)
    assert config.guild_ids == [290926798626357999, 1011977515109187704]
    assert config.missing_for_listen() == []
    assert config.api_base == "https://discord.com/api/v10"


# --- Discord unreachable: one line per attempt, retry with backoff, exit 0 on SIGTERM ---

UNREACHABLE = "discord: cannot reach Discord ("


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listen_env(db_url: str, redis_url: str, prefix: str, api_base: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINGPIN_")}
    env.update({
        "PYTHONPATH": str(ROOT), "KINGPIN_DATABASE_URL": db_url, "KINGPIN_REDIS_URL": redis_url,
        "KINGPIN_REDIS_PREFIX": prefix, "KINGPIN_DISCORD_TOKEN": "stub-bot-token",
        "KINGPIN_DISCORD_API_BASE": api_base, "KINGPIN_DISCORD_RECONNECT_MIN_S": "0.05",
        "KINGPIN_DISCORD_RECONNECT_MAX_S": "0.2", "KINGPIN_DISCORD_VOICE_ACTIVITY": "false",
    })
    return env


@contextlib.asynccontextmanager
async def rest_stub(routes: dict[str, Any]) -> AsyncIterator[str]:
    """A local stand-in for Discord's REST API answering GETs; yields its API base."""
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_get(f"/api/v10{path}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/api/v10"
    finally:
        await runner.cleanup()


async def start_listen(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "platforms.discord.cli", "listen", "--no-sync", cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def read_until(stream: asyncio.StreamReader, done: Any, limit_s: float) -> list[str]:
    lines: list[str] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_s
    while not done(lines):
        left = deadline - loop.time()
        if left <= 0:
            raise AssertionError("the listener did not say it:\n" + "".join(lines))
        raw = await asyncio.wait_for(stream.readline(), left)
        if not raw:
            raise AssertionError("the listener ended:\n" + "".join(lines))
        lines.append(raw.decode())
    return lines


async def test_listen_with_discord_unreachable_retries_with_one_line_and_exits_0_on_sigterm(
    db_url: str, redis_url: str, settings: Any, tmp_path: Path
) -> None:
    env = listen_env(db_url, redis_url, settings.redis_prefix,
                     f"http://127.0.0.1:{closed_port()}/api/v10")
    proc = await start_listen(env, tmp_path)
    try:
        assert proc.stderr is not None and proc.stdout is not None
        lines = await read_until(proc.stderr,
                                 lambda ls: sum(UNREACHABLE in line for line in ls) >= 3, 60)
        proc.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(proc.communicate(), 30)
        lines += rest.decode().splitlines(keepends=True)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    text = "".join(lines)
    assert proc.returncode == 0, text
    assert "Traceback" not in text
    retries = [line for line in lines if UNREACHABLE in line]
    assert all("retrying in " in line and "Connect" in line for line in retries), retries
    # the backoff doubles up to the cap: 0.05, 0.1, 0.2, 0.2, ...
    assert [line.rsplit("retrying in ", 1)[1].strip() for line in retries[:3]] == [
        "0.05s", "0.1s", "0.2s"]


async def test_listen_with_a_token_discord_refuses_exits_2_with_one_line(
    db_url: str, redis_url: str, settings: Any, tmp_path: Path
) -> None:
    async def me(request: web.Request) -> web.Response:
        return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)

    async with rest_stub({"/users/@me": me}) as api_base:
        proc = await start_listen(
            listen_env(db_url, redis_url, settings.redis_prefix, api_base), tmp_path)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    text = err.decode()
    assert proc.returncode == 2, text
    assert "Traceback" not in text and UNREACHABLE not in text
    assert "kingpin discord: Discord refused KINGPIN_DISCORD_TOKEN (login failed)" in (
        text.splitlines())


async def test_an_unreachable_gateway_is_one_line_per_retry_and_stop_ends_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Login works, the gateway does not answer: discord.py retries it by itself; each retry
    is one line (no traceback), and a stop during its backoff sleep ends the bot at once."""
    user = {"id": "1", "username": "Kingpin", "discriminator": "0", "avatar": None,
            "bot": True, "flags": 0, "global_name": None}

    async def me(request: web.Request) -> web.Response:
        return jr(user)

    async def application(request: web.Request) -> web.Response:
        return jr({"id": "1", "name": "Kingpin", "description": "", "icon": None,
                   "bot_public": True, "flags": 0, "bot_require_code_grant": False,
                   "verify_key": "0" * 64, "owner": user})

    async with rest_stub({"/users/@me": me, "/oauth2/applications/@me": application}) as base:
        monkeypatch.setattr(discord.http.Route, "BASE", base)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                            yarl.URL(f"ws://127.0.0.1:{closed_port()}/"))
        install_log_filter()
        stop = asyncio.Event()
        caplog.set_level(logging.INFO)
        task = asyncio.create_task(run_bot(
            lambda: discord.Client(intents=discord.Intents.none()), "stub-bot-token", stop,
            min_s=0.05, max_s=0.2))
        for _ in range(500):
            if any("Discord gateway" in r.getMessage() for r in caplog.records):
                break
            await asyncio.sleep(0.02)
        stop.set()
        assert await asyncio.wait_for(task, 5) == 0
    gateway = [r for r in caplog.records if "cannot reach the Discord gateway" in r.getMessage()]
    assert gateway, [r.getMessage() for r in caplog.records]
    assert all(r.exc_info is None and r.levelno == logging.WARNING for r in gateway)
    assert "retrying in" in gateway[0].getMessage()
