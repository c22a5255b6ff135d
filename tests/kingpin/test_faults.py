"""Outage or bug: the one classification every process uses (kingpin/faults.py)."""

from __future__ import annotations

import logging

import asyncpg
import pytest
import redis.exceptions
from tortoise.exceptions import IntegrityError, OperationalError

from kingpin.faults import Outages, is_connection_broken, is_transient, service_of


def wrapped(outer: BaseException, inner: BaseException) -> BaseException:
    try:
        try:
            raise inner
        except BaseException as exc:
            raise outer from exc
    except BaseException as exc:  # noqa: BLE001
        return exc


@pytest.mark.parametrize("exc", [
    asyncpg.InterfaceError("cannot perform operation: connection is closed"),
    asyncpg.InternalClientError("cannot switch to state 12; another operation is in progress"),
    asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle"),
    asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
    asyncpg.exceptions.DeadlockDetectedError("deadlock detected"),
    asyncpg.exceptions.SerializationError("could not serialize access"),
    asyncpg.exceptions.TooManyConnectionsError("too many clients"),
    ConnectionRefusedError(111, "Connection refused"),
    TimeoutError(),
    redis.exceptions.ConnectionError("Error 111 connecting"),
    redis.exceptions.BusyLoadingError("Redis is loading the dataset in memory"),
    redis.exceptions.TimeoutError("Timeout reading from socket"),
    wrapped(OperationalError("x"), asyncpg.exceptions.AdminShutdownError("x")),
    wrapped(RuntimeError("an earlier event in the chain failed"),
            wrapped(OperationalError("y"), asyncpg.InterfaceError("connection is closed"))),
])
def test_outages_and_contention_are_transient(exc: BaseException) -> None:
    assert is_transient(exc)


@pytest.mark.parametrize("exc", [
    RuntimeError("bug"), KeyError("x"), ValueError("bad"),
    asyncpg.exceptions.CharacterNotInRepertoireError("invalid byte sequence 0x00"),
    asyncpg.exceptions.UniqueViolationError("duplicate key"),
    asyncpg.exceptions._base.DataError("invalid input for query argument $1"),
    wrapped(OperationalError("x"), asyncpg.exceptions.CharacterNotInRepertoireError("0x00")),
    wrapped(IntegrityError("x"), asyncpg.exceptions.CheckViolationError("wealth >= 0")),
    redis.exceptions.ResponseError("ERR Error running script"),
])
def test_bugs_and_refused_values_are_not(exc: BaseException) -> None:
    assert not is_transient(exc)


def test_a_lost_connection_is_broken_a_deadlock_is_not() -> None:
    assert is_connection_broken(asyncpg.InterfaceError("connection is closed"))
    assert is_connection_broken(wrapped(OperationalError("x"), ConnectionResetError()))
    assert not is_connection_broken(asyncpg.exceptions.DeadlockDetectedError("x"))


def test_service_names() -> None:
    assert service_of(redis.exceptions.ConnectionError()) == "Redis"
    assert service_of(asyncpg.InterfaceError("x")) == "PostgreSQL"


def test_one_line_per_outage(caplog: pytest.LogCaptureFixture) -> None:
    outages = Outages(logging.getLogger("t.outage"))
    with caplog.at_level(logging.INFO, logger="t.outage"):
        for _ in range(50):
            outages.down("Redis", ConnectionRefusedError())
        outages.up("Redis")
        outages.up("Redis")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2 and "unreachable" in lines[0] and "back" in lines[1]
