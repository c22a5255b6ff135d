"""Helpers shared by the integration tests."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from tortoise import connections

from game.events import ChatMessage, Platform, Role, UserRef
from jobs.context import AppContext

_counter = iter(range(10**9))
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def chat(name: str, text: str, *, platform: Platform = Platform.CONSOLE,
         channel: str = "local", roles: frozenset[Any] = frozenset(),
         event_id: str | None = None, user_id: str | None = None,
         at: datetime | None = None) -> ChatMessage:
    now = at or NOON
    return ChatMessage(
        platform=platform, event_id=event_id or f"e{next(_counter)}-{uuid.uuid4().hex[:6]}",
        channel=channel,
        user=UserRef(id=user_id or name.lower(), name=name,
                     roles=frozenset(Role(r) for r in roles)),
        occurred_at=now, received_at=now, text=text,
    )


async def project_all(app: AppContext) -> None:
    """Run the projector until no ledger row is left past its watermark (the hooks' own
    rewards are rows too; another database's open transaction on the same server may hold
    the horizon back for a moment, so an empty run is not "done")."""
    from jobs.projector import lag, project_once

    for _ in range(200):
        await project_once(app)
        if not (await lag(connections.get("default")))["n"]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the projector never caught up")


async def fetch(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await connections.get("default").execute_query_dict(sql, list(args))


async def wealth_of(name: str) -> int:
    rows = await fetch("SELECT wealth FROM users WHERE username = $1", name)
    return int(rows[0]["wealth"]) if rows else 0


async def outbox_texts(app: AppContext, platform: str = "console") -> list[str]:
    raw = await app.redis.lrange(app.keys.outbox(platform), 0, -1)
    return [json.loads(r)["text"] for r in raw]


async def clear_outbox(app: AppContext, platform: str = "console") -> None:
    await app.redis.delete(app.keys.outbox(platform))
