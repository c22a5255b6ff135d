"""EventSub notification payload -> normalized ``Event``. Pure functions, no I/O.

The payload is the ``{subscription, event}`` object: the body of a webhook notification and the
``payload`` of a WebSocket ``notification`` message. ``message_id`` is the EventSub message id
(``metadata.message_id`` or the ``Twitch-Eventsub-Message-Id`` header), the same on every
redelivery, so it is the ``event_id`` of every non-chat event. Chat messages use their own
``message_id`` (the id a reply must point at).

Shared chat: while channels share chat, a message typed in channel B is also delivered to the
``channel.chat.message`` subscription of channel A, with ``source_broadcaster_user_id`` = B and
``source_message_id`` = the id it has in B. Policy (docs/platforms/twitch.md):

* B is one of ours (in ``own_channels``): the copy seen in A is dropped; B's own subscription
  delivers the message once, in the channel it was typed in.
* B is not ours: the copy is kept, attributed to A, with ``event_id = source_message_id`` so
  that if several of our channels share chat with B, the publisher's dedup lets it count once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from game.events import (
    ChatMessage,
    Cheer,
    Event,
    GiftSubscriptions,
    Platform,
    Raid,
    RewardRedemption,
    Role,
    StreamOffline,
    StreamOnline,
    Subscription,
    UserRef,
)

log = logging.getLogger(__name__)

PLATFORM = Platform.TWITCH
TIERS = {"1000": 1, "2000": 2, "3000": 3}
BADGE_ROLES = {
    "broadcaster": Role.BROADCASTER,
    "moderator": Role.MODERATOR,
    "lead_moderator": Role.MODERATOR,
    "subscriber": Role.SUBSCRIBER,
    "founder": Role.SUBSCRIBER,  # a founder badge replaces the subscriber badge
}

_FRACTION = re.compile(r"(\.\d{6})\d+")


class PayloadError(ValueError):
    """A field we need is missing or malformed."""


def parse_time(raw: object) -> datetime | None:
    """RFC 3339 as Twitch sends it (nanoseconds, ``Z``) -> aware UTC datetime, or None."""
    if not isinstance(raw, str) or not raw:
        return None
    text = _FRACTION.sub(r"\1", raw.strip()).replace("Z", "+00:00").replace("z", "+00:00")
    try:
        value = datetime.fromisoformat(text)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    except (ValueError, OverflowError):  # unreadable, or an offset that leaves year 1..9999
        return None


def _str(event: Mapping[str, Any], key: str) -> str:
    value = event.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise PayloadError(f"missing or empty {key!r}")
    return value


def _opt_str(event: Mapping[str, Any], key: str) -> str | None:
    value = event.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _int(event: Mapping[str, Any], key: str) -> int:
    value = event.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PayloadError(f"missing or non-integer {key!r}")
    try:
        return int(value)
    except ValueError as exc:
        raise PayloadError(f"non-integer {key!r}: {value!r}") from exc


def _tier(event: Mapping[str, Any]) -> int:
    raw = event.get("tier")
    if raw not in TIERS:
        raise PayloadError(f"unknown tier {raw!r}")
    return TIERS[raw]


def _user(event: Mapping[str, Any], prefix: str = "user",
          roles: frozenset[Role] = frozenset()) -> UserRef:
    user_id = _str(event, f"{prefix}_id")
    login = _opt_str(event, f"{prefix}_login") or _opt_str(event, f"{prefix}_name") or user_id
    return UserRef(id=user_id, name=login, roles=roles)


def badge_roles(badges: object) -> frozenset[Role]:
    roles: set[Role] = set()
    if isinstance(badges, list):
        for badge in badges:
            if isinstance(badge, Mapping):
                role = BADGE_ROLES.get(str(badge.get("set_id", "")))
                if role is not None:
                    roles.add(role)
    return frozenset(roles)


class _Ctx:
    """What every builder needs besides the event object."""

    def __init__(self, message_id: str, occurred_at: datetime, received_at: datetime,
                 own_channels: frozenset[str]) -> None:
        self.message_id = message_id
        self.occurred_at = occurred_at
        self.received_at = received_at
        self.own_channels = own_channels

    def base(self, channel: str, event_id: str | None = None,
             occurred_at: datetime | None = None) -> dict[str, Any]:
        return {
            "platform": PLATFORM, "event_id": event_id or self.message_id, "channel": channel,
            "occurred_at": occurred_at or self.occurred_at, "received_at": self.received_at,
        }


def _chat(ev: Mapping[str, Any], ctx: _Ctx) -> Event | None:
    channel = _str(ev, "broadcaster_user_id")
    event_id = _str(ev, "message_id")
    source = _opt_str(ev, "source_broadcaster_user_id")
    if source is not None and source != channel:
        if source in ctx.own_channels:
            log.debug("twitch#%s: shared-chat copy of %s from our channel %s dropped",
                      channel, event_id, source)
            return None
        event_id = _opt_str(ev, "source_message_id") or event_id
    roles = badge_roles(ev.get("badges"))
    chatter = _str(ev, "chatter_user_id")
    if chatter == channel:
        roles |= {Role.BROADCASTER}
    message = ev.get("message")
    text = message.get("text") if isinstance(message, Mapping) else None
    if not isinstance(text, str):
        raise PayloadError("missing 'message.text'")
    return ChatMessage(**ctx.base(channel, event_id),
                       user=_user(ev, "chatter_user", roles), text=text)


def _subscribe(ev: Mapping[str, Any], ctx: _Ctx) -> Event:
    return Subscription(**ctx.base(_str(ev, "broadcaster_user_id")), user=_user(ev),
                        tier=_tier(ev), months=1, is_gift=bool(ev.get("is_gift", False)))


def _resub(ev: Mapping[str, Any], ctx: _Ctx) -> Event:
    months = ev.get("cumulative_months")
    return Subscription(**ctx.base(_str(ev, "broadcaster_user_id")), user=_user(ev),
                        tier=_tier(ev),
                        months=max(1, _int(ev, "cumulative_months")) if months else 1,
                        is_gift=False)


def _gift(ev: Mapping[str, Any], ctx: _Ctx) -> Event:
    anonymous = bool(ev.get("is_anonymous", False)) or not _opt_str(ev, "user_id")
    return GiftSubscriptions(**ctx.base(_str(ev, "broadcaster_user_id")),
                             user=None if anonymous else _user(ev),
                             count=_int(ev, "total"), tier=_tier(ev))


def _cheer(ev: Mapping[str, Any], ctx: _Ctx) -> Event:
    anonymous = bool(ev.get("is_anonymous", False)) or not _opt_str(ev, "user_id")
    return Cheer(**ctx.base(_str(ev, "broadcaster_user_id")),
                 user=None if anonymous else _user(ev), bits=_int(ev, "bits"))


def _raid(ev: Mapping[str, Any], ctx: _Ctx) -> Event:
    return Raid(**ctx.base(_str(ev, "to_broadcaster_user_id")),
                user=_user(ev, "from_broadcaster_user"), viewers=_int(ev, "viewers"))


def _online(ev: Mapping[str, Any], ctx: _Ctx) -> Event:
    return StreamOnline(**ctx.base(_str(ev, "broadcaster_user_id"),
                                   occurred_at=parse_time(ev.get("started_at"))))


def _offline(ev: Mapping[str, Any], ctx: _Ctx) -> Event:
    return StreamOffline(**ctx.base(_str(ev, "broadcaster_user_id")))


def _redemption(ev: Mapping[str, Any], ctx: _Ctx) -> Event:
    reward = ev.get("reward")
    if not isinstance(reward, Mapping):
        raise PayloadError("missing 'reward'")
    user_input = ev.get("user_input")
    return RewardRedemption(
        **ctx.base(_str(ev, "broadcaster_user_id"),
                   occurred_at=parse_time(ev.get("redeemed_at"))),
        user=_user(ev), reward_id=_str(reward, "id"),
        reward_title=str(reward.get("title") or "")[:200],
        input=user_input if isinstance(user_input, str) else "",
    )


Builder = Callable[[Mapping[str, Any], _Ctx], Event | None]

# (type, version) -> builder. Everything else is ignored (None).
BUILDERS: dict[tuple[str, str], Builder] = {
    ("channel.chat.message", "1"): _chat,
    ("channel.subscribe", "1"): _subscribe,
    ("channel.subscription.message", "1"): _resub,
    ("channel.subscription.gift", "1"): _gift,
    ("channel.cheer", "1"): _cheer,
    ("channel.raid", "1"): _raid,
    ("stream.online", "1"): _online,
    ("stream.offline", "1"): _offline,
    ("channel.channel_points_custom_reward_redemption.add", "1"): _redemption,
}


def normalize(payload: Mapping[str, Any], *, message_id: str, received_at: datetime,
              message_timestamp: object = None,
              own_channels: frozenset[str] = frozenset()) -> Event | None:
    """One EventSub notification -> one Event, or None (ignored type or unusable payload).

    Never raises on bad input: a missing or malformed field is logged and the payload skipped.
    """
    subscription = payload.get("subscription") if isinstance(payload, Mapping) else None
    event = payload.get("event") if isinstance(payload, Mapping) else None
    if not isinstance(subscription, Mapping) or not isinstance(event, Mapping):
        log.warning("twitch: notification %s without subscription/event skipped", message_id)
        return None
    kind = str(subscription.get("type", ""))
    version = str(subscription.get("version", ""))
    builder = BUILDERS.get((kind, version))
    channel = event.get("broadcaster_user_id") or event.get("to_broadcaster_user_id")
    if builder is None:
        log.debug("twitch#%s: %s v%s (%s) ignored", channel, kind, version, message_id)
        return None
    occurred = parse_time(message_timestamp) or received_at
    ctx = _Ctx(message_id, occurred, received_at, own_channels)
    try:
        return builder(event, ctx)
    except (PayloadError, ValidationError) as exc:
        log.warning("twitch#%s: %s notification %s skipped: %s", channel, kind, message_id, exc)
        return None
