"""Per-community rules and ``!config``: the broadcaster reads or sets a tunable number of the
rulebook for their community (validated by game/config.py, stored in ``bot_config``,
audited); every rule the community's commands use reads these values.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient

from game.config import CONFIG_USAGE, TUNABLES, default_of, parse_value, rules_with, show
from game.errors import UsageError
from game.rules import Rules
from jobs import state
from jobs.players import db

if TYPE_CHECKING:
    from jobs.commands import Turn

T = TypeVar("T")


class CommunityCache(Generic[T]):
    """A value per community (its rules, its reward mappings), reloaded after ``ttl_s``; the
    stale or unknown ones of a batch are loaded together by ``load`` (one query). A change
    made in this process is seen at once after ``forget``, other processes within ``ttl_s``."""

    def __init__(self, ttl_s: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._values: dict[int, tuple[float, T]] = {}

    async def load(self, communities: list[int]) -> dict[int, T]:
        raise NotImplementedError

    async def get(self, community: int) -> T:
        return (await self.get_many([community]))[community]

    async def get_many(self, communities: Iterable[int]) -> dict[int, T]:
        now = self._clock()
        found: dict[int, T] = {}
        missing: list[int] = []
        for community in set(communities):
            cached = self._values.get(community)
            if cached is not None and now - cached[0] < self.ttl_s:
                found[community] = cached[1]
            else:
                missing.append(community)
        if missing:
            loaded = await self.load(missing)
            for community in missing:
                self._values[community] = (now, loaded[community])
                found[community] = loaded[community]
        return found

    def forget(self, community: int) -> None:
        self._values.pop(community, None)


class RulesCache(CommunityCache[Rules]):
    """Each community's ``Rules`` (defaults + its stored values); a change through
    ``!config`` is seen at once in the process that made it."""

    def __init__(self, base: Rules, ttl_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(ttl_s, clock)
        self.base = base

    async def load(self, communities: list[int]) -> dict[int, Rules]:
        rows = await db().execute_query_dict(
            "SELECT community_id, key, value FROM bot_config"
            " WHERE community_id = ANY($1::bigint[])", [communities])
        values: dict[int, dict[str, Any]] = {c: {} for c in communities}
        for r in rows:
            values[r["community_id"]][r["key"]] = _plain(r["value"])
        return {c: rules_with(values[c], self.base) for c in communities}


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def config(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!config <key>`` shows a value; ``!config <key> <value>`` sets it; ``!config <key>
    default`` goes back to GAME.md's number. Broadcaster only (the registry's role)."""
    args = turn.cmd.args
    if not args or len(args) > 2:
        raise UsageError(CONFIG_USAGE)
    tunable = TUNABLES.get(args[0].lower())
    if tunable is None:
        raise UsageError(CONFIG_USAGE)
    if len(args) == 1:
        turn.say(show(tunable, turn.rules))
        return
    old = show(tunable, turn.rules)
    if args[1].lower() == "default":
        await conn.execute_query(
            "DELETE FROM bot_config WHERE community_id = $1 AND key = $2",
            [turn.community, tunable.key])
        stored = default_of(tunable)
    else:
        _, stored = parse_value(tunable.key, args[1])
        await conn.execute_query(
            "INSERT INTO bot_config (community_id, key, value, updated_at)"
            " VALUES ($1, $2, $3::jsonb, now()) ON CONFLICT (community_id, key)"
            " DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
            [turn.community, tunable.key, json.dumps(stored)])
    await state.audit(conn, turn.community, turn.player.id, turn.event.platform.value,
                      turn.player.name, "config", None,
                      json.dumps({"key": tunable.key, "value": stored, "before": old,
                                  "event": turn.source_key}))
    turn.app.rules_cache.forget(turn.community)
    turn.say(f"{tunable.key} is now {stored} (was: {old.split(' — ')[0]})")
