"""Background work done in chunks (the projector's batches, the chat flush's transactions)
pauses between chunks, so it takes at most a share of its process's time: commands share
the event loop and PostgreSQL with it, and a burst of background work every few seconds
was their latency's tail (``python -m benchmarks.load``: p99 at 500 commands/s)."""

from __future__ import annotations

import asyncio
import time

# background work gets at most about this share of the time while it has work queued
BACKGROUND_SHARE = 0.5


async def pause_after(began: float, share: float = BACKGROUND_SHARE) -> None:
    """Sleep in proportion to the chunk that began at ``began`` (``time.monotonic()``)."""
    busy = time.monotonic() - began
    await asyncio.sleep(busy * (1 - share) / share)
