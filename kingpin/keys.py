"""Redis key names, all under one configurable prefix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str = "kp"

    @property
    def queue(self) -> str:
        return f"{self.prefix}:queue"

    def seen(self, event_key: str) -> str:
        return f"{self.prefix}:seen:{event_key}"

    def outbox(self, platform: str) -> str:
        return f"{self.prefix}:outbox:{platform}"

    @property
    def outbox_dropped(self) -> str:
        return f"{self.prefix}:outbox:dropped"

    @property
    def activity_pending(self) -> str:
        return f"{self.prefix}:activity:pending"

    @property
    def activity_flushing_set(self) -> str:
        """Ids of flushes renamed but not yet finished (a crash leaves them here)."""
        return f"{self.prefix}:activity:flushing"

    def activity_flushing(self, batch_id: str) -> str:
        return f"{self.prefix}:activity:flushing:{batch_id}"

    def activity_applied(self, batch_id: str) -> str:
        return f"{self.prefix}:activity:applied:{batch_id}"

    @property
    def activity_quarantine(self) -> str:
        """Chat-activity entries set aside because they could not be applied (hash)."""
        return f"{self.prefix}:activity:quarantine"

    @property
    def activity_lock(self) -> str:
        return f"{self.prefix}:activity:lock"

    @property
    def known_accounts(self) -> str:
        return f"{self.prefix}:known"

    @property
    def stats(self) -> str:
        return f"{self.prefix}:stats"

    def ratelimit_namespace(self) -> str:
        return f"{self.prefix}:rl"
