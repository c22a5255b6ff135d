"""The running heists as the chat path sees them: one query per process at most every
``ttl_s`` (not a database read per message), kept when the database cannot be reached
(answers are judged against what was last known rather than dropped)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tortoise import connections

from game.heists import HeistKind
from kingpin.faults import is_transient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Running:
    id: int
    community: int
    kind: HeistKind
    accepted: tuple[str, ...]
    started_at: datetime
    ends_at: datetime


_RUNNING_SQL = (
    "SELECT id, community_id, kind, accepted, started_at, ends_at FROM heist_events"
    " WHERE status = 'active'"
)


class HeistBoard:
    def __init__(self, ttl_s: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._loaded_at: float | None = None
        self._running: dict[int, Running] = {}
        self._version: str | None = None

    def invalidate(self) -> None:
        self._loaded_at = None

    async def running(self, version: str | None = None) -> dict[int, Running]:
        """community id -> its running heist. Read again when older than ``ttl_s`` or when
        ``version`` (Redis's, bumped by every start and end) is not the one last read at."""
        now = self._clock()
        fresh = self._loaded_at is not None and now - self._loaded_at < self.ttl_s
        if fresh and (version is None or version == self._version):
            return self._running
        self._version = version
        try:
            rows = await connections.get("default").execute_query_dict(_RUNNING_SQL)
        except Exception as exc:
            if not is_transient(exc):
                raise
            log.warning("running heists could not be read; judging against the last known")
            self._loaded_at = now
            return self._running
        self._running = {int(r["community_id"]): Running(
            int(r["id"]), int(r["community_id"]), r["kind"], tuple(accepted_of(r["accepted"])),
            r["started_at"], r["ends_at"]) for r in rows}
        self._loaded_at = now
        return self._running


def accepted_of(raw: object) -> list[str]:
    """A heist row's ``accepted`` column (asyncpg hands JSONB over as text)."""
    if isinstance(raw, str):
        raw = json.loads(raw)
    return [str(a) for a in raw] if isinstance(raw, list) else []
