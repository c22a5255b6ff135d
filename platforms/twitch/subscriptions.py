"""Which EventSub subscriptions each served channel gets.

Every channel gets the same nine, all created with the app token on the transport (the
conduit, or the webhook callback): chat (as the bot), subscribe, gift, resub, cheer,
channel-point redemptions, raid (to the channel), online, offline. Twitch checks each
user's authorization itself: chat needs ``user:bot`` from the bot and ``channel:bot`` from the
broadcaster (or the bot being a moderator there); subs, cheers and redemptions need the
broadcaster's scopes (``kingpin twitch authorize --role broadcaster``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

# what identifies a subscription on Twitch: type, version, the non-empty condition fields
SubKey = tuple[str, str, frozenset[tuple[str, str]]]

CHAT = "channel.chat.message"
# type -> the condition key naming the channel
BROADCASTER_TYPES: tuple[str, ...] = (
    "channel.subscribe",
    "channel.subscription.gift",
    "channel.subscription.message",
    "channel.cheer",
    "channel.channel_points_custom_reward_redemption.add",
)
UNSCOPED_TYPES: tuple[str, ...] = ("channel.raid", "stream.online", "stream.offline")


@dataclass(frozen=True)
class SubSpec:
    type: str
    version: str
    condition: tuple[tuple[str, str], ...]

    @property
    def condition_dict(self) -> dict[str, str]:
        return dict(self.condition)

    @property
    def channel(self) -> str:
        cond = self.condition_dict
        return cond.get("broadcaster_user_id") or cond.get("to_broadcaster_user_id", "")

    @property
    def key(self) -> SubKey:
        return self.type, self.version, frozenset((k, v) for k, v in self.condition if v)


def listed_spec(sub: Mapping[str, Any]) -> SubSpec | None:
    """A subscription as Helix lists it (Get EventSub Subscriptions) -> its SubSpec; Twitch
    lists unused condition fields as empty strings (a raid's ``from_broadcaster_user_id``)."""
    cond = sub.get("condition")
    if not isinstance(cond, Mapping):
        return None
    pairs = tuple(sorted((str(k), str(v)) for k, v in cond.items() if v))
    return SubSpec(str(sub.get("type", "")), str(sub.get("version", "")), pairs)


def _spec(sub_type: str, broadcaster: str, bot: str) -> SubSpec:
    cond: tuple[tuple[str, str], ...]
    if sub_type == CHAT:
        cond = (("broadcaster_user_id", broadcaster), ("user_id", bot))
    elif sub_type == "channel.raid":
        cond = (("to_broadcaster_user_id", broadcaster),)
    else:
        cond = (("broadcaster_user_id", broadcaster),)
    return SubSpec(sub_type, "1", cond)


def all_specs(broadcasters: Iterable[str], bot: str) -> list[SubSpec]:
    """Every subscription for every channel (the same on both transports)."""
    specs = []
    for broadcaster in dict.fromkeys(broadcasters):
        for sub_type in (CHAT, *BROADCASTER_TYPES, *UNSCOPED_TYPES):
            specs.append(_spec(sub_type, broadcaster, bot))
    return specs
