"""Tortoise lifecycle and aerich migrations."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from tortoise import Tortoise
from tortoise.backends.asyncpg.client import AsyncpgDBClient

from models import tortoise_config


class KingpinConnection(asyncpg.Connection):  # type: ignore[misc]
    """asyncpg connection that skips the reset query on release to the pool.

    The default (``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``) costs
    a round trip per transaction; Kingpin uses no advisory locks, cursors, LISTEN or session
    settings, and asyncpg still ends any open transaction on release."""

    def get_reset_query(self) -> str:
        return ""


AsyncpgDBClient.connection_class = KingpinConnection

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


async def init_db(db_url: str, pool_max: int = 20) -> None:
    from kingpin.services import to_tortoise_url

    await Tortoise.init(config=tortoise_config(to_tortoise_url(db_url), pool_max))


async def close_db() -> None:
    await Tortoise.close_connections()


async def discard_connections() -> None:
    """After a lost or broken connection: every pooled connection is closed on release and
    replaced by a fresh one (none is handed out again in a state the failure left it in).
    Reset on release is skipped for speed (``KingpinConnection``), so this is what keeps a
    broken connection out of the pool."""
    from tortoise import connections

    try:
        client = connections.get("default")
    except Exception:  # noqa: BLE001 - Tortoise not initialised: nothing pooled
        return
    expire = getattr(client, "_expire_connections", None)
    if expire is not None:
        await expire()


NOT_MIGRATED = "the database has no Kingpin schema yet — run `kingpin migrate` first"


async def schema_ready(db_url: str) -> bool:
    """True when the migrations have been applied (the newest table of migration 0 exists)."""
    from kingpin.services import to_asyncpg_dsn

    try:
        conn = await asyncpg.connect(to_asyncpg_dsn(db_url))
    except asyncpg.InvalidCatalogNameError:  # the database itself does not exist yet
        return False
    try:
        return bool(await conn.fetchval("SELECT to_regclass('processed_events') IS NOT NULL"))
    finally:
        await conn.close()


async def migrate(db_url: str) -> list[str]:
    """Apply every aerich migration not yet applied; returns the versions applied."""
    from aerich import Command

    from kingpin.services import ensure_database_exists, to_tortoise_url

    await ensure_database_exists(db_url)
    config = tortoise_config(to_tortoise_url(db_url), 2)
    # (re)initialise explicitly: aerich skips Tortoise.init when a previous init in this
    # process left the context marked as initialised
    await Tortoise.init(config=config)
    command = Command(config, app="models", location=str(MIGRATIONS))
    await command.init()
    try:
        return await command.upgrade(run_in_transaction=True)
    finally:
        await Tortoise.close_connections()
