"""Which failures are outages (wait and retry) and which are bugs or bad input (contain).

One classification for every process (DESIGN.md, delivery guarantee 2): an outage of
PostgreSQL or Redis, a connection the driver lost or left in a broken state, lock contention
and cancellation by the server all mean "the same work will succeed later"; anything else
(a value the database refuses, a bug) means "this work will fail again": it costs only its
own event. The cause chain is walked, since Tortoise and our own code wrap driver errors.
"""

from __future__ import annotations

import logging
import time

import asyncpg
import asyncpg.exceptions
import redis.exceptions
from tortoise.exceptions import DBConnectionError, TransactionManagementError

# asyncpg's client-side errors ("connection is closed", "cannot switch to state …; another
# operation is in progress", protocol errors) come from a broken connection, not from input.
# Its client-side DataError (a Python value it cannot encode) is the exception: bad input.
_PG_CLIENT = (asyncpg.InterfaceError, asyncpg.InternalClientError)
_PG_BAD_INPUT = (asyncpg.exceptions._base.DataError,)
# Server-side: class 08 (connection), 57P0x/57014 (shutdown, cannot connect now, cancelled),
# 53 (out of resources), 40 (serialization failure, deadlock), 55P03 (lock not available).
_PG_SERVER = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.TransactionRollbackError,
    asyncpg.exceptions.LockNotAvailableError,
)
# redis-py: ConnectionError covers refused, reset, LOADING, auth during a restart; a
# replica promoted or a full server answer ReadOnly / OOM until the operator fixes it.
_REDIS = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.InvalidResponse,
    redis.exceptions.ReadOnlyError,
    redis.exceptions.OutOfMemoryError,
    redis.exceptions.TryAgainError,
    redis.exceptions.ClusterDownError,
)
# OSError includes ConnectionRefusedError, socket errors and the builtin TimeoutError.
_OTHER = (OSError, ConnectionError, DBConnectionError, TransactionManagementError)


def _transient_itself(exc: BaseException) -> bool:
    if isinstance(exc, _PG_BAD_INPUT):
        return False
    return isinstance(exc, _PG_CLIENT + _PG_SERVER + _REDIS + _OTHER)


def causes(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it (``__cause__`` / ``__context__``), nearest first."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(chain) < 20:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return chain


def is_transient(exc: BaseException) -> bool:
    """True when the failure is an outage or contention: retrying the same work is right."""
    return any(_transient_itself(e) for e in causes(exc))


def is_connection_broken(exc: BaseException) -> bool:
    """True when a PostgreSQL connection may be unusable (lost, or left mid-protocol): the
    pool must not hand it out again."""
    broken = _PG_CLIENT + (asyncpg.PostgresConnectionError,
                           asyncpg.exceptions.OperatorInterventionError, OSError)
    return any(isinstance(e, broken) and not isinstance(e, _PG_BAD_INPUT)
               for e in causes(exc))


def service_of(exc: BaseException) -> str:
    """Which server an outage is about, for the one log line per outage."""
    for e in causes(exc):
        if isinstance(e, redis.exceptions.RedisError):
            return "Redis"
    return "PostgreSQL"


class Outages:
    """One warning when a service goes away, one line when it is back: not a line per retry.

    Each process keeps one (in its context object); callers report every failure and every
    success, this decides what is worth a log line."""

    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        self._since: dict[str, float] = {}

    def down(self, service: str, exc: BaseException) -> None:
        if service not in self._since:
            self._since[service] = time.monotonic()
            self._log.warning("%s unreachable (%s: %s); waiting and retrying", service,
                              exc.__class__.__name__, str(exc)[:200])

    def up(self, service: str) -> None:
        started = self._since.pop(service, None)
        if started is not None:
            self._log.warning("%s is back after %.1f s", service, time.monotonic() - started)

    def is_down(self, service: str) -> bool:
        return service in self._since
