"""Tortoise lifecycle and aerich migrations."""

from __future__ import annotations

import base64
import contextlib
import itertools
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    NestedTransactionContext,
    TransactionContext,
    TransactionContextPooled,
)

from models import tortoise_config


class KingpinConnection(asyncpg.Connection):  # type: ignore[misc]
    """asyncpg connection that skips the reset query on release to the pool.

    The default (``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``) costs
    a round trip per transaction; Kingpin uses no advisory locks, cursors, LISTEN or session
    settings, and asyncpg still ends any open transaction on release."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the names of the SQL-level prepared statements made on this connection (Deferred)
        self.kp_prepared: set[str] = set()

    def get_reset_query(self) -> str:
        return ""


AsyncpgDBClient.connection_class = KingpinConnection

_SAVEPOINTS = itertools.count(1)


class _Savepoint(TransactionWrapper):
    """A block nested in a ``OneTripTransaction``: plain ``SAVEPOINT`` statements (asyncpg's
    own nested transactions refuse a transaction they did not start)."""

    name = ""

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(_Savepoint(self))

    async def savepoint(self) -> None:
        self.name = f"kp_sp_{next(_SAVEPOINTS)}"
        await self._connection.execute(f"SAVEPOINT {self.name}")

    async def release_savepoint(self) -> None:
        await self._connection.execute(f"RELEASE SAVEPOINT {self.name}")
        self._finalized = True

    async def savepoint_rollback(self) -> None:
        await self._connection.execute(f"ROLLBACK TO SAVEPOINT {self.name}")
        self._finalized = True


@dataclass(frozen=True)
class Deferred:
    """A write that travels with a ``COMMIT`` (``OneTripTransaction.defer_call``) as
    ``EXECUTE name(literals)`` of an SQL-level prepared statement, made on each connection the
    first time it is used there (its ``PREPARE`` goes in the same message). A statement sent
    as text is planned afresh every time (0.04–0.2 ms of PostgreSQL CPU each for these, with
    pg_stat_statements' track_planning); a prepared one is planned once."""

    name: str
    types: str  # the parameters' types, as PREPARE takes them: "bigint, text"
    sql: str  # with $1…$n

    def prepare(self) -> str:
        return f"PREPARE {self.name}({self.types}) AS {self.sql}"

    def call(self, params: list[object]) -> str:
        return f"EXECUTE {self.name}({', '.join(sql_literal(p) for p in params)})"


class OneTripTransaction(_Savepoint):
    """A transaction whose last writes travel with its ``COMMIT``: ``defer(sql)`` statements
    (without parameters: see ``inline``) and ``defer_call`` ones (``Deferred``) are sent as
    ``<sql>; …; COMMIT`` in one simple query when the block ends, so they cost no round trip
    of their own. If one fails, PostgreSQL skips the rest and nothing commits."""

    def __init__(self, connection: AsyncpgDBClient) -> None:
        super().__init__(connection)
        self.deferred: list[str] = []
        self.to_prepare: dict[str, Deferred] = {}

    def defer(self, sql: str) -> None:
        self.deferred.append(sql)

    def defer_call(self, statement: Deferred, params: list[object]) -> None:
        prepared: set[str] | None = getattr(self._connection, "kp_prepared", None)
        if prepared is None:  # not a KingpinConnection: the statement as text
            self.deferred.append(inline(statement.sql, params))
            return
        if statement.name not in prepared:
            self.to_prepare[statement.name] = statement
        self.deferred.append(statement.call(params))

    async def begin(self) -> None:
        await self._connection.execute("BEGIN")

    async def commit(self) -> None:
        prepares = [s.prepare() for s in self.to_prepare.values()]
        statements = ";".join([*prepares, *self.deferred, "COMMIT"])
        self._finalized = True
        try:
            await self._connection.execute(statements)
        except Exception:
            # a deferred write failed and the COMMIT never ran: end the transaction here,
            # not in the pool's reset (which complains about it)
            if not self._connection.is_closed() and self._connection.is_in_transaction():
                with contextlib.suppress(Exception):
                    await self._connection.execute("ROLLBACK")
            # a PREPARE outlives a rollback: ask the connection which statements it has
            await self._resync_prepared()
            raise
        if prepares:
            self._connection.kp_prepared.update(self.to_prepare)

    async def _resync_prepared(self) -> None:
        prepared: set[str] | None = getattr(self._connection, "kp_prepared", None)
        if prepared is None or self._connection.is_closed():
            return
        with contextlib.suppress(Exception):
            rows = await self._connection.fetch(
                "SELECT name FROM pg_prepared_statements WHERE from_sql")
            prepared.clear()
            prepared.update(r["name"] for r in rows)

    async def rollback(self) -> None:
        self._finalized = True
        await self._connection.execute("ROLLBACK")


def one_trip_transaction(name: str = "default") -> TransactionContext:
    """``in_transaction`` for a ``OneTripTransaction`` (the context yields it)."""
    client = connections.get(name)
    if isinstance(client, TransactionWrapper):
        raise RuntimeError("one_trip_transaction cannot be nested in another transaction")
    pooled = cast(AsyncpgDBClient, client)
    return TransactionContextPooled(OneTripTransaction(pooled), pooled._pool_init_lock)


def dollar_quoted(text: str) -> str:
    """``text`` as a PostgreSQL string literal, for a statement sent without parameters. The
    text may hold no ``$`` (JSON can write it as ``\\u0024``) and no NUL, so the quote
    cannot end early."""
    if "$" in text or "\x00" in text:
        raise ValueError("text for a dollar-quoted literal holds '$' or NUL")
    return f"$kp${text}$kp$"


def sql_literal(value: object) -> str:
    """A parameter value as SQL text that cannot break out of its place: integers from
    ``int``, timestamps from ``datetime.isoformat``, text dollar-quoted when it holds no
    ``$`` and base64-encoded otherwise (only letters, digits, ``+/=`` inside the quotes),
    lists as ``ARRAY[…]``. Anything else is refused."""
    if value is None:
        return "NULL"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return f"'{value.isoformat()}'::timestamptz"
    if isinstance(value, str):
        if "$" not in value and "\x00" not in value:
            return dollar_quoted(value)
        encoded = base64.b64encode(value.encode()).decode()
        return f"convert_from(decode('{encoded}', 'base64'), 'UTF8')"
    if isinstance(value, list | tuple):  # empty: '{}', which takes the parameter's type
        return "ARRAY[" + ",".join(sql_literal(v) for v in value) + "]" if value else "'{}'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


_PARAM = re.compile(r"\$(\d+)")


def inline(sql: str, params: list[object]) -> str:
    """``sql`` with its ``$n`` parameters replaced by literals, for ``OneTripTransaction.defer``.
    The statement text itself must hold no ``$n`` outside parameters (ours do not)."""
    return _PARAM.sub(lambda m: sql_literal(params[int(m.group(1)) - 1]), sql)


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def per_player(columns: str, table: str, where: str = "") -> str:
    """``SELECT columns FROM table`` for each (community_id, user_id) of the arrays $1 and $2:
    one index probe per player, whatever the statistics say. (``(community_id, user_id) IN
    (SELECT * FROM unnest(...))`` was planned as a nested loop over a sequential scan while a
    table or a new period had no statistics yet: a second for 3,000 players.) ``columns``
    are the table's (alias ``x``); ``where`` adds conditions with AND."""
    extra = f" AND {where}" if where else ""
    return (f"SELECT t.* FROM unnest($1::bigint[], $2::bigint[]) AS p(community_id, user_id)"
            f" CROSS JOIN LATERAL (SELECT {columns} FROM {table} x"
            f" WHERE x.community_id = p.community_id AND x.user_id = p.user_id{extra}"
            # OFFSET 0 keeps the planner from flattening the probe back into a join
            " OFFSET 0) t")


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
    """Apply every aerich migration not yet applied, then write the content catalogue
    (game/content, idempotent); returns the versions applied."""
    from aerich import Command
    from tortoise import connections

    from jobs.content import seed_catalogue
    from kingpin.services import ensure_database_exists, to_tortoise_url

    await ensure_database_exists(db_url)
    config = tortoise_config(to_tortoise_url(db_url), 2)
    # (re)initialise explicitly: aerich skips Tortoise.init when a previous init in this
    # process left the context marked as initialised
    await Tortoise.init(config=config)
    command = Command(config, app="models", location=str(MIGRATIONS))
    await command.init()
    try:
        applied = await command.upgrade(run_in_transaction=True)
        await seed_catalogue(connections.get("default"))
        return applied
    finally:
        await Tortoise.close_connections()
