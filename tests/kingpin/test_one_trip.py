"""kingpin/db.OneTripTransaction: the final write travels with the COMMIT, all or nothing;
nested blocks are savepoints; the dollar-quoted literal cannot end early."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from game.events import Platform
from game.replies import Reply
from jobs.apply import dump_replies, load_replies
from jobs.context import AppContext
from kingpin.db import Deferred, dollar_quoted, one_trip_transaction


async def _rows(event_id: str) -> list[dict[str, Any]]:
    return await connections.get("default").execute_query_dict(
        "SELECT event_id, replies FROM processed_events WHERE event_id LIKE $1", [event_id + "%"])


async def _insert(tx: Any, event_id: str) -> int:
    rows = await tx.execute_query_dict(
        "INSERT INTO processed_events (community_id, platform, event_id, kind)"
        " VALUES (1, 'console', $1, 'chat') RETURNING id", [event_id])
    return int(rows[0]["id"])


async def test_the_final_write_commits_with_the_transaction(app: AppContext) -> None:
    async with one_trip_transaction() as tx:
        row = await _insert(tx, "ot-final")
        tx.defer(  # type: ignore[attr-defined]
            f"UPDATE processed_events SET replies = {dollar_quoted('kept')} WHERE id = {row}")
    assert await _rows("ot-final") == [{"event_id": "ot-final", "replies": "kept"}]


async def test_a_failing_final_write_commits_nothing_and_leaves_the_pool_clean(
    app: AppContext,
) -> None:
    complaints: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: complaints.append(context))
    with pytest.raises(Exception, match="no_such_table"):
        async with one_trip_transaction() as tx:
            await _insert(tx, "ot-fail")
            tx.defer("UPDATE no_such_table SET x = 1")  # type: ignore[attr-defined]
    assert await _rows("ot-fail") == []
    for _ in range(25):  # every pooled connection still works, none left mid-transaction
        async with one_trip_transaction() as tx:
            await _insert(tx, f"ot-fail-after-{_}")
    assert len(await _rows("ot-fail-after-")) == 25
    loop.set_exception_handler(None)
    # ended by us, not by the pool's reset ("Resetting connection with an active transaction")
    assert complaints == []


async def test_an_error_rolls_everything_back(app: AppContext) -> None:
    with pytest.raises(RuntimeError):
        async with one_trip_transaction() as tx:
            await _insert(tx, "ot-err")
            tx.defer("SELECT 1")  # type: ignore[attr-defined]
            raise RuntimeError("bug")
    assert await _rows("ot-err") == []


async def test_a_nested_block_is_a_savepoint(app: AppContext) -> None:
    """What first-sight player creation does inside a command: a nested block that loses a
    race rolls back alone, and the outer transaction goes on and commits."""
    async with one_trip_transaction() as tx:
        await _insert(tx, "ot-nest-outer")
        with pytest.raises(IntegrityError):
            async with in_transaction("default") as inner:
                await _insert(inner, "ot-nest-inner")
                await _insert(inner, "ot-nest-outer")  # duplicate: the block fails
        async with in_transaction("default") as inner:
            await _insert(inner, "ot-nest-kept")
    assert sorted(r["event_id"] for r in await _rows("ot-nest")) == ["ot-nest-kept",
                                                                      "ot-nest-outer"]


def test_the_literal_refuses_what_could_end_it_early() -> None:
    for bad in ("a$kp$b", "x$kp", "$", "nul\x00"):
        with pytest.raises(ValueError):
            dollar_quoted(bad)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=60))
def test_stored_replies_hold_no_dollar_and_read_back_the_same(text: str) -> None:
    reply = Reply(platform=Platform.CONSOLE, channel="local", text=text or "x")
    stored = dump_replies([reply])
    assert "$" not in stored and "\x00" not in stored
    dollar_quoted(stored)  # accepted
    assert load_replies(stored) == [reply]


async def test_replies_with_dollars_survive_the_database(app: AppContext) -> None:
    texts = ["@a$kp$b won $1,000", "ends with $kp", "\\$ and $$ and '\"", "ünïcödé 🎲 $"]
    replies = [Reply(platform=Platform.CONSOLE, channel="local", text=t) for t in texts]
    async with one_trip_transaction() as tx:
        row = await _insert(tx, "ot-dollars")
        tx.defer(  # type: ignore[attr-defined]
            f"UPDATE processed_events SET replies = {dollar_quoted(dump_replies(replies))}"
            f" WHERE id = {row}")
    [stored] = await _rows("ot-dollars")
    assert [r.text for r in load_replies(stored["replies"])] == texts


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=40)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # read-only queries
@given(texts=st.lists(_TEXT, min_size=1, max_size=4),
       number=st.integers(min_value=-(2**62), max_value=2**62))
@example(texts=["a$kp$b", "x$kp", "'; DROP TABLE users; --"], number=-1)  # the base64 path
async def test_inlined_parameters_read_back_exactly(app: AppContext, texts: list[str],
                                                    number: int) -> None:
    """Whatever the text ($, quotes, backslashes, a closing dollar tag), an inlined parameter
    is a value, never SQL."""
    from datetime import UTC, datetime

    from kingpin.db import inline

    when = datetime(2026, 12, 2, 18, 30, 1, 123456, tzinfo=UTC)
    sql = inline("SELECT $1::text AS t, $2::bigint AS n, $3::timestamptz AS w,"
                 " $4::text[] AS a, $5::text AS nothing",
                 [texts[0], number, when, texts, None])
    rows = await connections.get("default").execute_query_dict(sql)
    assert rows == [{"t": texts[0], "n": number, "w": when, "a": texts, "nothing": None}]


async def test_an_empty_list_takes_the_parameters_type(app: AppContext) -> None:
    """A command without cooldowns sends empty arrays: ``ARRAY[]`` has no type, '{}' takes
    the one its place gives it."""
    from kingpin.db import inline

    rows = await connections.get("default").execute_query_dict(
        inline("SELECT $1::text[] AS a, $2::timestamptz[] AS b", [[], ()]))
    assert rows == [{"a": [], "b": []}]


def test_no_literal_for_what_it_cannot_render_safely() -> None:
    from datetime import datetime

    from kingpin.db import sql_literal

    for bad in (1.5, True, datetime(2026, 1, 1), object()):
        with pytest.raises((ValueError, TypeError)):
            sql_literal(bad)


async def test_it_refuses_to_nest_in_another_transaction(app: AppContext) -> None:
    async with in_transaction("default"):
        with pytest.raises(RuntimeError, match="nested"):
            one_trip_transaction()


_NOTE = Deferred("kp_test_mark", "text",
                 "INSERT INTO processed_events (community_id, platform, event_id, kind)"
                 " VALUES (1, 'console', $1, 'chat')")


async def _backend_and_plans(tx: Any) -> tuple[int, int]:
    rows = await tx.execute_query_dict(
        "SELECT pg_backend_pid() AS pid, (SELECT count(*) FROM pg_prepared_statements"
        " WHERE name = 'kp_test_mark') AS made")
    return int(rows[0]["pid"]), int(rows[0]["made"])


async def test_a_deferred_call_is_prepared_once_per_connection(app: AppContext) -> None:
    seen: dict[int, int] = {}
    for n in range(12):
        async with one_trip_transaction() as tx:
            pid, made = await _backend_and_plans(tx)
            # made on this connection by an earlier transaction, or never: once at most
            assert made == (1 if pid in seen else 0)
            seen[pid] = seen.get(pid, 0) + 1
            tx.defer_call(_NOTE, [f"ot-call-{n}"])  # type: ignore[attr-defined]
    assert len(await _rows("ot-call-")) == 12


async def test_a_failed_commit_still_knows_what_it_prepared(app: AppContext) -> None:
    """The PREPARE ran before the duplicate failed (a PREPARE outlives the rollback): the
    connection must not send it again, which PostgreSQL would refuse ("already exists")."""
    await connections.get("default").execute_query(
        "INSERT INTO processed_events (community_id, platform, event_id, kind)"
        " VALUES (1, 'console', 'ot-dup', 'chat')")
    fresh = Deferred("kp_test_dup", _NOTE.types, _NOTE.sql)  # prepared nowhere yet
    with pytest.raises(Exception, match="duplicate key"):
        async with one_trip_transaction() as tx:
            tx.defer_call(fresh, ["ot-dup"])  # type: ignore[attr-defined]
    for n in range(30):  # every pooled connection, the one that failed among them
        async with one_trip_transaction() as tx:
            tx.defer_call(fresh, [f"ot-dup-after-{n}"])  # type: ignore[attr-defined]
    assert len(await _rows("ot-dup-after-")) == 30


async def test_a_deferred_call_takes_any_text_as_a_value(app: AppContext) -> None:
    texts = ["a$kp$b", "'); DROP TABLE users; --", "ünï $1 $$"]
    for text in texts:
        async with one_trip_transaction() as tx:
            tx.defer_call(_NOTE, ["ot-text-" + text])  # type: ignore[attr-defined]
    assert sorted(r["event_id"] for r in await _rows("ot-text-")) == sorted(
        "ot-text-" + t for t in texts)
