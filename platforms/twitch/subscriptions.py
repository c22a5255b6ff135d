"""Which EventSub subscriptions each configured channel gets, and whose token creates them.

A WebSocket session only accepts subscriptions created by ONE user ("websocket transport
cannot have subscriptions created by different users"), so the WebSocket transport opens one
connection per token owner: the bot (chat in every channel) and each broadcaster who ran
``authorize`` (their subs, cheers, redemptions, raids, stream up/down). A broadcaster without a
token still gets chat (through the bot) and raid/online/offline (which need no scope) through
the bot's connection; the scoped types are skipped with a warning.
Webhooks use the app token for everything; Twitch checks each user's authorization itself.
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
    owner: str  # the user whose token creates it on WebSocket

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


def listed_spec(sub: Mapping[str, Any], owner: str) -> SubSpec | None:
    """A subscription as Helix lists it (Get EventSub Subscriptions) -> its SubSpec; Twitch
    lists unused condition fields as empty strings (a raid's ``from_broadcaster_user_id``)."""
    cond = sub.get("condition")
    if not isinstance(cond, Mapping):
        return None
    pairs = tuple(sorted((str(k), str(v)) for k, v in cond.items() if v))
    return SubSpec(str(sub.get("type", "")), str(sub.get("version", "")), pairs, owner)


def _spec(sub_type: str, broadcaster: str, owner: str, bot: str) -> SubSpec:
    cond: tuple[tuple[str, str], ...]
    if sub_type == CHAT:
        cond = (("broadcaster_user_id", broadcaster), ("user_id", bot))
    elif sub_type == "channel.raid":
        cond = (("to_broadcaster_user_id", broadcaster),)
    else:
        cond = (("broadcaster_user_id", broadcaster),)
    return SubSpec(sub_type, "1", cond, owner)


def all_specs(broadcasters: Iterable[str], bot: str) -> list[SubSpec]:
    """Every subscription for every channel (the webhook transport creates all of them)."""
    specs = []
    for broadcaster in dict.fromkeys(broadcasters):
        for sub_type in (CHAT, *BROADCASTER_TYPES, *UNSCOPED_TYPES):
            specs.append(_spec(sub_type, broadcaster, bot, bot))
    return specs


def warn_unauthorized(broadcaster: str) -> None:
    log.warning("twitch#%s: the broadcaster has no token (run `kingpin twitch authorize` as "
                "them): subs, gifts, cheers and redemptions are not received there",
                broadcaster)


def plan_websocket(broadcasters: Iterable[str], bot: str,
                   authorized: set[str]) -> dict[str, list[SubSpec]]:
    """owner user id -> the subscriptions its WebSocket connection carries (pure: the caller
    warns once about each broadcaster without a token, ``warn_unauthorized``)."""
    plan: dict[str, list[SubSpec]] = {}
    for broadcaster in dict.fromkeys(broadcasters):
        plan.setdefault(bot, []).append(_spec(CHAT, broadcaster, bot, bot))
        if broadcaster in authorized:
            for sub_type in (*BROADCASTER_TYPES, *UNSCOPED_TYPES):
                plan.setdefault(broadcaster, []).append(_spec(sub_type, broadcaster,
                                                              broadcaster, bot))
        else:
            for sub_type in UNSCOPED_TYPES:
                plan[bot].append(_spec(sub_type, broadcaster, bot, bot))
    return plan
