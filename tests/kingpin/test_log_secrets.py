"""No secret reaches the logs: every entry point at DEBUG, with marker secrets, grepped.

Each marker carries a tag of letters and digits that no escaping changes (URL-encoding,
JSON, repr), so "the tag is nowhere in the output" covers every form a secret may take.
The database password is one whose URL-encoded form differs from itself; the Redis one is
URL-safe (arq's ``RedisSettings.from_dsn`` does not decode the password).
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

import asyncpg
import pytest

from kingpin.logs import (
    DB_CLIENT_LOGGER,
    FORMAT,
    MASK,
    HideQueryParams,
    RedactSecrets,
    register_secret,
)
from kingpin.services import redis_server_binary, to_asyncpg_dsn, with_database

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

DB_PASSWORD = "s3cr3t/pa ss@word%PgPw7tag"
REDIS_PASSWORD = "RdPw7tag-x~y_z"
TWITCH_SECRET = "TwSec7tag0123456789"
TWITCH_HOOK_SECRET = "TwHook7tag0123456789"
TWITCH_OLD_ACCESS, TWITCH_OLD_REFRESH = "TwOldAcc7tag", "TwOldRef7tag"
TWITCH_NEW_ACCESS, TWITCH_NEW_REFRESH = "TwNewAcc7tag", "TwNewRef7tag"
KICK_SECRET = "KkSec7tag0123456789"
KICK_ACCESS, KICK_REFRESH = "KkAcc7tag", "KkRef7tag"
DISCORD_TOKEN = "DcTok7tag.GhIjKl.MnOpQr"
SECRETS = (DB_PASSWORD, REDIS_PASSWORD, TWITCH_SECRET, TWITCH_HOOK_SECRET, TWITCH_OLD_ACCESS,
           TWITCH_OLD_REFRESH, TWITCH_NEW_ACCESS, TWITCH_NEW_REFRESH, KICK_SECRET,
           KICK_ACCESS, KICK_REFRESH, DISCORD_TOKEN)
TAGS = ("PgPw7tag", "RdPw7tag", "TwSec7tag", "TwHook7tag", "TwOldAcc7tag", "TwOldRef7tag",
        "TwNewAcc7tag", "TwNewRef7tag", "KkSec7tag", "KkAcc7tag", "KkRef7tag", "DcTok7tag")
BOT = "2914196"


def assert_no_secret(output: str) -> None:
    for secret in SECRETS:
        for form in (secret, quote(secret, safe=""), quote(secret), quote_plus(secret),
                     json.dumps(secret)[1:-1], repr(secret)[1:-1]):
            assert form not in output, f"a secret ({form!r}) was printed:\n{output[-4000:]}"
    leaked = [tag for tag in TAGS if tag in output]
    assert not leaked, f"secrets {leaked} were printed in some form:\n{output[-4000:]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or "postgres"
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}"))


class _TwitchOAuth(BaseHTTPRequestHandler):
    """Twitch's token and validate endpoints: the stored token is invalid, a refresh gives
    the new marker tokens."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._json(200, {"access_token": TWITCH_NEW_ACCESS, "refresh_token": TWITCH_NEW_REFRESH,
                         "expires_in": 14400, "scope": ["user:read:chat"],
                         "token_type": "bearer"})

    def do_GET(self) -> None:  # noqa: N802
        # Twitch takes "OAuth <token>" and "Bearer <token>" (twitchio sends the latter)
        token = self.headers.get("Authorization", "").removeprefix("OAuth ").removeprefix(
            "Bearer ")
        if token != TWITCH_NEW_ACCESS:
            self._json(401, {"status": 401, "message": "invalid access token"})
            return
        self._json(200, {"client_id": "cid", "login": "bot", "scopes": ["user:read:chat"],
                         "user_id": BOT, "expires_in": 5000})

    def _json(self, status: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass
class Setup:
    env: dict[str, str]
    cwd: Path
    migrate_output: str
    seed_output: str


def run(setup: Setup, *args: str, stdin: str | None = None, timeout: float = 30) -> str:
    done = subprocess.run(args, cwd=setup.cwd, env=setup.env, input=stdin, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                          check=False)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout[-4000:]}"
    return done.stdout


def run_until(setup: Setup, *args: str, ready: str, timeout: float = 15,
              sig: int = signal.SIGTERM) -> str:
    """Start a long-running process, wait for ``ready`` in its output, stop it with ``sig``."""
    out = setup.cwd / f"out-{uuid.uuid4().hex[:6]}.log"
    with out.open("w") as sink:
        proc = subprocess.Popen(args, cwd=setup.cwd, env=setup.env, stdout=sink,  # noqa: S603
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + timeout
            while ready not in out.read_text() and proc.poll() is None:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            text = out.read_text()
            assert ready in text, f"{args}: no {ready!r} in:\n{text[-4000:]}"
            proc.send_signal(sig)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return out.read_text()


@pytest.fixture(scope="module")
def setup(pg_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    binary = redis_server_binary()
    if binary is None:
        pytest.skip("no redis-server binary")
    cwd = tmp_path_factory.mktemp("log-secrets")  # no .env here
    redis_port = free_port()
    redis = subprocess.Popen(  # noqa: S603 - fixed argv
        [binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--requirepass", REDIS_PASSWORD, "--dir", str(cwd)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    name = f"kingpin_logs_{uuid.uuid4().hex[:10]}"
    base = to_asyncpg_dsn(pg_server_url)
    closed = free_port()  # nothing listens there: platform sockets fail and retry
    oauth = ThreadingHTTPServer(("127.0.0.1", 0), _TwitchOAuth)
    threading.Thread(target=oauth.serve_forever, daemon=True).start()
    oauth_url = f"http://127.0.0.1:{oauth.server_address[1]}/oauth2"
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({
        "PYTHONPATH": str(ROOT),
        "KINGPIN_LOG_LEVEL": "DEBUG",
        "KINGPIN_DATABASE_URL": with_password(with_database(base, name), DB_PASSWORD),
        "KINGPIN_REDIS_URL": f"redis://:{REDIS_PASSWORD}@127.0.0.1:{redis_port}/0",
        "KINGPIN_DATA_DIR": str(cwd / ".kingpin"),
        "KINGPIN_TWITCH_CLIENT_ID": "cid",
        "KINGPIN_TWITCH_CLIENT_SECRET": TWITCH_SECRET,
        "KINGPIN_TWITCH_WEBHOOK_SECRET": TWITCH_HOOK_SECRET,
        "KINGPIN_TWITCH_BOT_USER_ID": BOT,
        "KINGPIN_TWITCH_BROADCASTER_IDS": BOT,
        "KINGPIN_TWITCH_EVENTSUB_WS_URL": f"ws://127.0.0.1:{closed}/ws",
        "KINGPIN_TWITCH_HELIX_URL": f"http://127.0.0.1:{closed}/helix",
        "KINGPIN_TWITCH_OAUTH_URL": oauth_url,
        "KINGPIN_KICK_CHANNELS": json.dumps([{"broadcaster_user_id": 676, "channel_id": 668,
                                              "chatroom_id": 668, "slug": "x"}]),
        "KINGPIN_KICK_CLIENT_ID": "kid",
        "KINGPIN_KICK_CLIENT_SECRET": KICK_SECRET,
        "KINGPIN_KICK_PUSHER_URL": f"ws://127.0.0.1:{closed}/app/key",
        "KINGPIN_KICK_API_URL": f"http://127.0.0.1:{closed}",
        "KINGPIN_KICK_ID_URL": f"http://127.0.0.1:{closed}",
        "KINGPIN_DISCORD_TOKEN": DISCORD_TOKEN,
        "KINGPIN_DISCORD_API_BASE": f"http://127.0.0.1:{closed}/api/v10",
    })
    partial = Setup(env, cwd, "", "")
    try:
        migrate_output = run(partial, str(BIN / "kingpin"), "migrate")
        seed_output = run(partial, str(BIN / "kingpin"), "seed")

        async def tokens() -> None:
            later = timedelta(hours=4)
            conn = await asyncpg.connect(with_database(base, name))
            try:
                await conn.executemany(
                    "INSERT INTO platform_tokens (platform, account_id, account_name,"
                    " access_token, refresh_token, scopes, expires_at, updated_at)"
                    " VALUES ($1, $2, $3, $4, $5, '[\"user:read:chat\"]', now() + $6,"
                    " now())",
                    [("twitch", BOT, "bot", TWITCH_OLD_ACCESS, TWITCH_OLD_REFRESH, later),
                     ("kick", "676", "bot", KICK_ACCESS, KICK_REFRESH, later)])
            finally:
                await conn.close()

        asyncio.run(tokens())
        yield Setup(env, cwd, migrate_output, seed_output)
    finally:
        oauth.shutdown()
        redis.terminate()
        redis.wait(5)

        async def drop() -> None:
            admin = await asyncpg.connect(with_database(base, "postgres"))
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await admin.close()

        asyncio.run(drop())


def test_migrate(setup: Setup) -> None:
    assert "applied" in setup.migrate_output
    assert "DEBUG" in setup.migrate_output  # the level was honoured: there was something to grep
    assert_no_secret(setup.migrate_output)


def test_seed(setup: Setup) -> None:
    assert "seeded" in setup.seed_output
    assert "tortoise.db_client" in setup.seed_output  # query logging is on, parameters are not
    assert "<2 params>" in setup.seed_output
    assert_no_secret(setup.seed_output)


def test_console(setup: Setup) -> None:
    output = run(setup, str(BIN / "kingpin"), "console", stdin="alice: !play\n")
    assert "[console#local]" in output
    assert_no_secret(output)


def test_kingpin_worker(setup: Setup) -> None:
    output = run_until(setup, str(BIN / "kingpin"), "worker", ready="worker ready")
    assert_no_secret(output)


def test_arq_worker(setup: Setup) -> None:
    output = run_until(setup, str(BIN / "arq"), "workers.settings.WorkerSettings",
                       ready="worker ready")
    assert "DEBUG" in output  # KINGPIN_LOG_LEVEL applies under arq's CLI too
    assert_no_secret(output)


def test_twitch_listener_with_a_token_refresh(setup: Setup) -> None:
    # the stored token is refused by validate: the listener refreshes it and stores the new one
    output = run_until(setup, str(BIN / "kingpin"), "twitch", "listen", ready="refreshed",
                       sig=signal.SIGINT)
    assert "platform_tokens" in output  # the save was logged, without its parameters
    assert_no_secret(output)


def test_kick_listener(setup: Setup) -> None:
    output = run_until(setup, str(BIN / "kingpin"), "kick", "listen", ready="kick socket",
                       sig=signal.SIGINT)
    assert_no_secret(output)


def test_discord_listener(setup: Setup) -> None:
    # Discord itself is out of reach here: whatever the listener prints while it tries
    output = run_until(setup, str(BIN / "kingpin"), "discord", "listen", "--no-sync",
                       ready="tortoise", sig=signal.SIGINT)
    assert_no_secret(output)


# --- the filters themselves, in this process ---


def _capture(name: str, *filters: logging.Filter) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT))
    for found in filters:
        handler.addFilter(found)
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_every_form_of_a_secret_is_masked_in_messages_and_tracebacks() -> None:
    logger, stream = _capture(f"kp.test.{uuid.uuid4().hex}", RedactSecrets([DB_PASSWORD]))
    logger.debug("url %s", f"asyncpg://u:{quote(DB_PASSWORD, safe='')}@h/db")
    logger.info("json %s plus %s", json.dumps({"pw": DB_PASSWORD}), quote_plus(DB_PASSWORD))
    logger.warning("config %s", {"password": DB_PASSWORD})
    try:
        raise RuntimeError(f"refused {DB_PASSWORD}")
    except RuntimeError:
        logger.exception("failed")
    output = stream.getvalue()
    assert_no_secret(output)
    assert output.count(MASK) == 5  # the traceback's source line names no value
    assert "Traceback" in output


def test_a_secret_registered_later_is_masked_from_then_on() -> None:
    logger, stream = _capture(f"kp.test.{uuid.uuid4().hex}", RedactSecrets())
    logger.info("before %s", TWITCH_NEW_ACCESS)
    register_secret(TWITCH_NEW_ACCESS, None)
    logger.info("after %s", TWITCH_NEW_ACCESS)
    first, second = stream.getvalue().splitlines()
    assert TWITCH_NEW_ACCESS in first
    assert second.endswith(f"after {MASK}")


def test_tortoise_query_parameters_are_never_printed() -> None:
    logger, stream = _capture(DB_CLIENT_LOGGER)
    logger.filters[:] = [HideQueryParams()]
    try:
        logger.debug("%s: %s", "UPDATE platform_tokens SET access_token = $1", [KICK_ACCESS])
        logger.debug("%s: %s", "INSERT INTO t VALUES ($1)", [[KICK_ACCESS], [KICK_REFRESH]])
        logger.debug("%s: %s", "SELECT 1", None)
    finally:
        logger.filters.clear()
        logger.handlers.clear()
        logger.propagate = True
    assert_no_secret(stream.getvalue())
    assert [line.split(": ", 1)[1] for line in stream.getvalue().splitlines()] == [
        "UPDATE platform_tokens SET access_token = $1: <1 params>",
        "INSERT INTO t VALUES ($1): <2 params>", "SELECT 1: <0 params>"]


def test_an_uncaught_traceback_is_masked_too(tmp_path: Path) -> None:
    code = ("from kingpin.logs import configure_logging\n"
            "from kingpin.settings import Settings\n"
            "settings = Settings()\n"
            "configure_logging('INFO', settings)\n"
            f"raise SystemError({DB_PASSWORD!r})\n")
    url = with_password("postgresql://postgres@127.0.0.1:1/x", DB_PASSWORD)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, text=True,
                          capture_output=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT),
                               "KINGPIN_DATABASE_URL": url})
    assert done.returncode == 1
    assert f"SystemError: {MASK}" in done.stderr
    assert_no_secret(done.stdout + done.stderr)
