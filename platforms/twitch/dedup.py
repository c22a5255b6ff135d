"""A bounded in-process memory of EventSub message ids (the publisher dedups again in Redis)."""

from __future__ import annotations

from collections import OrderedDict


class RecentIds:
    """LRU set: ``seen(id)`` is True when the id was already seen (and refreshes it)."""

    def __init__(self, size: int = 10_000) -> None:
        if size < 1:
            raise ValueError("size must be positive")
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def seen(self, message_id: str) -> bool:
        if message_id in self._ids:
            self._ids.move_to_end(message_id)
            return True
        self._ids[message_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return False

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._ids
