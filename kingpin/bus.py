"""Publishing events: dedup at publish, micro-batched arq jobs, JSON on the wire.

Every platform listener (and the console) owns one ``Publisher``. ``publish()`` only buffers;
a batch goes out when it holds ``max_events`` or is ``max_wait_ms`` old. Dedup is a Redis
``SET NX`` per event: claimed first with a short TTL, extended to the full TTL once the batch
is enqueued, so a publisher that dies in between does not make the platform's redelivery look
like a duplicate for long.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool

from game.events import Event, encode_event
from kingpin.faults import Outages, is_transient
from kingpin.keys import Keys, install_arq_prefix
from kingpin.settings import Settings

log = logging.getLogger(__name__)

APPLY_JOB = "apply_events"
CLAIM_TTL_S = 120

# Claim each key for this batch (SET NX with a short TTL, the batch id as value); return the
# 1-based positions claimed by this batch, now or by an earlier try whose answer was lost.
CLAIM_SCRIPT = """
local fresh = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[2], 'NX', 'EX', ARGV[1]) then table.insert(fresh, i)
  elseif redis.call('GET', key) == ARGV[2] then table.insert(fresh, i) end
end
return fresh
"""
# Once the batch is enqueued, keep each claim for its dedup window (ARGV[i] for KEYS[i]).
CONFIRM_SCRIPT = """
for i, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[i]) end
return #KEYS
"""


def job_serializer(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), default=str).encode()


def job_deserializer(raw: bytes) -> Any:
    return json.loads(raw)


async def connect_redis(url: str, keys: Keys, *, wait: bool = True) -> ArqRedis:
    """An arq pool with the JSON serializer (never pickle), the project's queue name, and
    arq's own keys under the project's prefix.

    With ``wait`` (every listener), a Redis that does not answer yet is waited for with
    backoff however long it takes (one log line); without, the first failure is raised."""
    install_arq_prefix(keys)
    settings = RedisSettings.from_dsn(url)
    settings.conn_retries = 0  # retries are ours: one log line per outage, not one per try
    outages = Outages(log)
    delay = 0.5
    while True:
        try:
            pool = await create_pool(
                settings,
                job_serializer=job_serializer,
                job_deserializer=job_deserializer,
                default_queue_name=keys.queue,
            )
        except Exception as exc:
            if not wait or not is_transient(exc):
                raise
            outages.down("Redis", exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
            continue
        outages.up("Redis")
        return pool


@dataclass
class _Item:
    key: str
    payload: str
    ttl_s: int
    claimed: bool = False


@dataclass
class _Batch:
    """What one flush sends: its id stays the same across retries, so a retry after a failed
    confirm finds its job already queued instead of queueing the same events twice."""

    batch_id: str
    items: list[_Item]


@dataclass
class PublishStats:
    published: int = 0
    duplicates: int = 0
    batches: int = 0


@dataclass
class Publisher:
    redis: ArqRedis
    keys: Keys
    max_events: int = 300
    max_wait_ms: int = 50
    dedup_ttl_s: int = 7 * 24 * 3600
    # plain chat is by far the most events; its claims live shorter (commands are also
    # deduplicated at apply, in processed_events, for the full window)
    chat_dedup_ttl_s: int = 3600
    stats: PublishStats = field(default_factory=PublishStats)
    job_ids: list[str] = field(default_factory=list)
    _buffer: list[_Item] = field(default_factory=list)
    _unsent: _Batch | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _ticker: asyncio.Task[None] | None = None
    _outages: Outages = field(default_factory=lambda: Outages(log))

    async def publish(self, event: Event) -> None:
        ttl = self.chat_dedup_ttl_s if event.kind == "chat_message" else self.dedup_ttl_s
        self._buffer.append(_Item(self.keys.seen(event.key), encode_event(event), ttl))
        if len(self._buffer) >= self.max_events:
            await self.flush()
        elif self._ticker is None or self._ticker.done():
            self._ticker = asyncio.create_task(self._flush_later())

    async def _flush_later(self) -> None:
        """Flush in the background; while Redis is away, keep every event and try again with
        backoff (one log line when it goes, one when it is back)."""
        delay = self.max_wait_ms / 1000
        while self._buffer or self._unsent is not None:
            await asyncio.sleep(delay)
            try:
                await self.flush()
                self._outages.up("Redis")
                delay = self.max_wait_ms / 1000
            except Exception as exc:  # noqa: BLE001 - keep the buffer, try again on the next tick
                if is_transient(exc):
                    self._outages.down("Redis", exc)
                else:
                    log.exception("publish failed; %d events kept for retry", self.pending)
                delay = min(max(delay * 2, 0.1), 5.0)

    async def flush(self) -> str | None:
        """Send what is buffered as one job; returns its id, or None if nothing was new.

        A batch that failed to go out is retried first, with the same id and events."""
        async with self._lock:
            if self._unsent is None:
                items = self._buffer[: self.max_events]
                self._buffer = self._buffer[self.max_events:]
                if not items:
                    return None
                first: dict[str, _Item] = {}
                for it in items:
                    first.setdefault(it.key, it)
                unique = list(first.values())
                self.stats.duplicates += len(items) - len(unique)  # twice in one batch
                self._unsent = _Batch(uuid.uuid4().hex, unique)
            job_id = await self._send(self._unsent)
            self._unsent = None
            return job_id

    @property
    def pending(self) -> int:
        """Events not yet handed to Redis (buffered, or in a batch waiting for a retry)."""
        return len(self._buffer) + (len(self._unsent.items) if self._unsent else 0)

    async def _send(self, batch: _Batch) -> str | None:
        items = batch.items
        unclaimed = [it for it in items if not it.claimed]
        if unclaimed:
            fresh_at = await self.redis.eval(  # type: ignore[misc]
                CLAIM_SCRIPT, len(unclaimed), *[it.key for it in unclaimed], str(CLAIM_TTL_S),
                batch.batch_id,
            )
            for position in fresh_at:
                unclaimed[int(position) - 1].claimed = True
            self.stats.duplicates += len(unclaimed) - len(fresh_at)
        fresh = [it for it in items if it.claimed]
        batch.items = fresh  # duplicates are dropped for good, counted once
        if not fresh:
            return None
        job_id = f"batch:{batch.batch_id}"
        # None: a job with this id exists already (an earlier try queued it): not again
        await self.redis.enqueue_job(
            APPLY_JOB, batch.batch_id, [it.payload for it in fresh], _job_id=job_id
        )
        await self.redis.eval(  # type: ignore[misc]
            CONFIRM_SCRIPT, len(fresh), *[it.key for it in fresh],
            *[str(it.ttl_s) for it in fresh]
        )
        self.stats.published += len(fresh)
        self.stats.batches += 1
        self.job_ids.append(job_id)
        return job_id

    @classmethod
    def from_settings(cls, redis: ArqRedis, keys: Keys, settings: Settings) -> Publisher:
        """The publisher every listener uses, tuned by KINGPIN_BATCH_* and *_DEDUP_TTL_S."""
        return cls(redis, keys, max_events=settings.batch_max_events,
                   max_wait_ms=settings.batch_max_wait_ms, dedup_ttl_s=settings.dedup_ttl_s,
                   chat_dedup_ttl_s=settings.chat_dedup_ttl_s)

    async def close(self) -> None:
        while self._buffer or self._unsent is not None:
            await self.flush()
        if self._ticker is not None:
            self._ticker.cancel()
