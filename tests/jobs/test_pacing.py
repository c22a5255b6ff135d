"""Background work paces itself (jobs/pacing.py): the projector's batches and the chat
flush's transactions pause in proportion to the work they did."""

from __future__ import annotations

import time
from typing import Any

import pytest

from jobs import pacing


async def test_a_pause_is_as_long_as_the_work_at_half_share() -> None:
    began = time.monotonic() - 0.05
    t0 = time.monotonic()
    await pacing.pause_after(began)
    assert 0.045 <= time.monotonic() - t0 < 0.5


async def test_a_smaller_share_pauses_longer() -> None:
    began = time.monotonic() - 0.02
    t0 = time.monotonic()
    await pacing.pause_after(began, share=0.25)
    assert time.monotonic() - t0 >= 0.055  # three times the work


async def test_the_projector_pauses_between_full_batches_unless_far_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jobs import projector

    behind = projector.CATCH_UP_AFTER_S + 1
    # (rows, seconds the oldest waited): paced while close, full speed while far behind
    batches = iter([(projector.BATCH_ROWS, 0.5), (projector.BATCH_ROWS, behind),
                    (projector.BATCH_ROWS, 1.0), (3, 0.2)])
    pauses: list[float] = []

    async def once(app: Any, limit: int) -> tuple[int, float]:
        return next(batches)

    async def pause(began: float, share: float = 0.5) -> None:
        pauses.append(began)

    monkeypatch.setattr(projector, "_project_batch", once)
    monkeypatch.setattr(projector, "pause_after", pause)
    monkeypatch.setattr(projector, "app_from", lambda ctx: None)
    result = await projector.project({})
    assert result == {"projected": 3 * projector.BATCH_ROWS + 3}
    assert len(pauses) == 2  # after the full batches close to now; none after the last
