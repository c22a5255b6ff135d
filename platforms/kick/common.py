"""Small pure helpers shared by the Pusher and webhook normalizers."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from game.events import Role, clean_name

log = logging.getLogger("platforms.kick")

# Kick badge types -> Kingpin roles. "og" and "founder" are early/first subscribers of the
# channel: they are subscribers. "vip", "sub_gifter", "verified", "staff" grant no role.
BADGE_ROLES: dict[str, Role] = {
    "broadcaster": Role.BROADCASTER,
    "moderator": Role.MODERATOR,
    "subscriber": Role.SUBSCRIBER,
    "founder": Role.SUBSCRIBER,
    "og": Role.SUBSCRIBER,
}


class Malformed(ValueError):
    """A payload lacks something we need (logged and skipped by the callers)."""


@dataclass(frozen=True)
class Unowned:
    """A payload for a channel no community owns (not in the listener's channel table):
    never published; the listener logs it and counts it (``unowned_events_kick``)."""

    where: str  # the Pusher channel name, or the webhook's broadcaster user id
    what: str  # the socket event name / webhook type
    event_id: str | None = None


def roles_from_badges(badges: Any) -> frozenset[Role]:
    roles: set[Role] = set()
    if not isinstance(badges, list):
        return frozenset()
    for badge in badges:
        if isinstance(badge, dict):
            role = BADGE_ROLES.get(str(badge.get("type", "")).lower())
            if role is not None:
                roles.add(role)
    return frozenset(roles)


def as_id(value: Any, what: str) -> str:
    """A platform id (int or digit string) as text; Malformed if absent or odd."""
    if isinstance(value, bool) or value is None:
        raise Malformed(f"{what} missing")
    if isinstance(value, int):
        if value <= 0:
            raise Malformed(f"{what} not positive")
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()[:128]
    raise Malformed(f"{what} has an unexpected type {type(value).__name__}")


def as_int(value: Any, default: int | None = None) -> int | None:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return default


def as_name(value: Any) -> str | None:
    if isinstance(value, str) and clean_name(value) != "?":
        return value
    return None


def obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{what} is not an object")
    return value


def parse_time(value: Any, fallback: datetime) -> datetime:
    """Kick sends ISO 8601 (with Z, offsets, microseconds or a space) or epoch seconds."""
    try:
        if isinstance(value, bool) or value is None:
            return fallback
        if isinstance(value, int | float):
            return datetime.fromtimestamp(float(value), UTC)
        if isinstance(value, str) and value.strip():
            text = value.strip().replace(" ", "T", 1)
            if text.endswith("Z"):
                text = text[:-1] + "+00:00"
            # Python < 3.11 rejects nanoseconds: keep microseconds
            head, dot, rest = text.partition(".")
            if dot:
                digits = "".join(ch for ch in rest if ch.isdigit())
                tail = rest[len(digits):]
                text = f"{head}.{digits[:6]}{tail}"
            parsed = datetime.fromisoformat(text)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return fallback
    return fallback


def stable_id(prefix: str, *parts: Any) -> str:
    """A deterministic event id from payload values (for frames Kick sends without one)."""
    raw = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return f"{prefix}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


class BoundedSet:
    """An in-process LRU of recently seen keys (bounded; the Redis dedup is the real one)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._keys: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str) -> bool:
        """Remember ``key``; False if it was already there (refreshed as most recent)."""
        if key in self._keys:
            self._keys.move_to_end(key)
            return False
        self._keys[key] = None
        while len(self._keys) > self.size:
            self._keys.popitem(last=False)
        return True


def as_text(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def as_obj(value: Any) -> dict[str, Any]:
    """An optional sub-object: the dict, or {} for anything else."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
