"""Pure normalizers for Kick webhook bodies (docs.kick.com/events/event-types, version 1).

``event_id`` is the ``Kick-Event-Message-Id`` header (a ULID, Kick's idempotency key, the
same on every retry), except:

* ``chat.message.sent`` uses the body's ``message_id``: a reply to it must name that id
  (``reply_to_message_id``), and it is the id the Pusher socket gives the same message, so
  running both transports never counts a message twice;
* ``channel.reward.redemption.updated`` uses ``redemption:<body id>``: Kick sends one
  webhook per status change (pending, accepted, ...) of the same redemption; it counts once,
  and a ``rejected`` update publishes nothing.

``channel`` is the broadcaster's user id (``broadcaster.user_id``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from game.events import (
    ChatMessage,
    Event,
    Follow,
    GiftSubscriptions,
    KicksGifted,
    Platform,
    RewardRedemption,
    Role,
    StreamOffline,
    StreamOnline,
    Subscription,
    UserRef,
)
from platforms.kick.common import (
    Malformed,
    Unowned,
    as_id,
    as_int,
    as_name,
    as_obj,
    as_text,
    log,
    obj,
    parse_time,
    roles_from_badges,
)
from platforms.kick.config import ChannelIndex, KickChannel

IGNORED = frozenset({"livestream.metadata.updated", "moderation.banned"})


class Unconfigured(LookupError):
    pass


def _channel(body: dict[str, Any], index: ChannelIndex) -> KickChannel:
    broadcaster = obj(body.get("broadcaster"), "broadcaster")
    user_id = as_int(broadcaster.get("user_id"))
    if user_id is None:
        raise Malformed("broadcaster.user_id missing")
    found = index.by_broadcaster(user_id)
    if found is None:
        raise Unconfigured(str(user_id))
    return found


def _user(ch: KickChannel, raw: Any, what: str) -> UserRef:
    user = obj(raw, what)
    user_id = as_id(user.get("user_id"), f"{what}.user_id")
    name = as_name(user.get("username")) or as_name(user.get("channel_slug"))
    if name is None:
        raise Malformed(f"{what}.username missing")
    identity = as_obj(user.get("identity"))
    roles = roles_from_badges(identity.get("badges"))
    if user_id == ch.key:
        roles = roles | {Role.BROADCASTER}
    return UserRef(id=user_id, name=name, roles=roles)


def _anonymous(raw: Any) -> bool:
    return (not isinstance(raw, dict) or bool(raw.get("is_anonymous"))
            or raw.get("user_id") is None)


def _base(ch: KickChannel, event_id: str, occurred_at: datetime,
          received_at: datetime) -> dict[str, Any]:
    return {"platform": Platform.KICK, "event_id": event_id, "channel": ch.key,
            "occurred_at": occurred_at, "received_at": received_at}


Handler = Callable[[dict[str, Any], str, KickChannel, datetime, datetime], "Event | None"]


def chat_message_sent(body: dict[str, Any], message_id: str, ch: KickChannel,
                      sent_at: datetime, received_at: datetime) -> Event | None:
    content = body.get("content")
    if not isinstance(content, str):
        raise Malformed("content missing")
    if not content.strip():
        return None
    return ChatMessage(**_base(ch, as_id(body.get("message_id"), "message_id"),
                               parse_time(body.get("created_at"), sent_at), received_at),
                       user=_user(ch, body.get("sender"), "sender"), text=content)


def channel_followed(body: dict[str, Any], message_id: str, ch: KickChannel,
                     sent_at: datetime, received_at: datetime) -> Event | None:
    return Follow(**_base(ch, message_id, sent_at, received_at),
                  user=_user(ch, body.get("follower"), "follower"))


def subscription(body: dict[str, Any], message_id: str, ch: KickChannel,
                 sent_at: datetime, received_at: datetime) -> Event | None:
    months = as_int(body.get("duration"), 1) or 1
    return Subscription(**_base(ch, message_id, parse_time(body.get("created_at"), sent_at),
                                received_at),
                        user=_user(ch, body.get("subscriber"), "subscriber"),
                        months=min(max(months, 1), 10_000))


def subscription_gifts(body: dict[str, Any], message_id: str, ch: KickChannel,
                       sent_at: datetime, received_at: datetime) -> Event | None:
    giftees = body.get("giftees")
    if not isinstance(giftees, list) or not giftees:
        raise Malformed("giftees missing")
    recipients = []
    for raw in giftees:
        try:
            recipients.append(_user(ch, raw, "giftee"))
        except (Malformed, ValidationError) as exc:
            log.info("kick: giftee skipped in %s: %s", message_id, exc)
    gifter = body.get("gifter")
    user = None if _anonymous(gifter) else _user(ch, gifter, "gifter")
    return GiftSubscriptions(**_base(ch, message_id, parse_time(body.get("created_at"), sent_at),
                                     received_at),
                             user=user, count=min(len(giftees), 10_000),
                             recipients=tuple(recipients))


def kicks_gifted(body: dict[str, Any], message_id: str, ch: KickChannel,
                 sent_at: datetime, received_at: datetime) -> Event | None:
    gift = obj(body.get("gift"), "gift")
    amount = as_int(gift.get("amount"))
    if amount is None or amount < 1:
        raise Malformed("gift.amount missing")
    return KicksGifted(**_base(ch, message_id, parse_time(body.get("created_at"), sent_at),
                               received_at),
                       user=_user(ch, body.get("sender"), "sender"), amount=amount)


def reward_redemption(body: dict[str, Any], message_id: str, ch: KickChannel,
                      sent_at: datetime, received_at: datetime) -> Event | None:
    status = body.get("status")
    if status == "rejected":
        log.info("kick: redemption %s rejected; nothing published", body.get("id"))
        return None
    reward = obj(body.get("reward"), "reward")
    title = as_text(reward.get("title"))
    user_input = as_text(body.get("user_input"))
    return RewardRedemption(
        **_base(ch, f"redemption:{as_id(body.get('id'), 'id')}",
                parse_time(body.get("redeemed_at"), sent_at), received_at),
        user=_user(ch, body.get("redeemer"), "redeemer"),
        reward_id=as_id(reward.get("id"), "reward.id"), reward_title=title[:200],
        input=user_input,
    )


def livestream_status(body: dict[str, Any], message_id: str, ch: KickChannel,
                      sent_at: datetime, received_at: datetime) -> Event | None:
    is_live = body.get("is_live")
    if not isinstance(is_live, bool):
        raise Malformed("is_live missing")
    if is_live:
        title = as_text(body.get("title"))
        return StreamOnline(**_base(ch, message_id, parse_time(body.get("started_at"), sent_at),
                                    received_at), title=title[:200])
    return StreamOffline(**_base(ch, message_id, parse_time(body.get("ended_at"), sent_at),
                                 received_at))


HANDLERS: dict[str, Handler] = {
    "chat.message.sent": chat_message_sent,
    "channel.followed": channel_followed,
    "channel.subscription.new": subscription,
    "channel.subscription.renewal": subscription,
    "channel.subscription.gifts": subscription_gifts,
    "kicks.gifted": kicks_gifted,
    "channel.reward.redemption.updated": reward_redemption,
    "livestream.status.updated": livestream_status,
}


def normalize_webhook(event_type: str, message_id: str, body: Any, index: ChannelIndex,
                      sent_at: datetime, received_at: datetime) -> Event | Unowned | None:
    """One verified webhook -> Event, Unowned (a broadcaster not in ``index``) or None;
    never raises on a bad payload."""
    if event_type in IGNORED:
        return None
    handler = HANDLERS.get(event_type)
    if handler is None:
        log.info("kick: unknown webhook type %r (message %s) skipped", event_type, message_id)
        return None
    try:
        payload = obj(body, "body")
        ch = _channel(payload, index)
        return handler(payload, message_id, ch, sent_at, received_at)
    except Unconfigured as exc:
        return Unowned(where=str(exc), what=event_type, event_id=message_id)
    except (Malformed, ValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
        log.warning("kick: webhook %s skipped (platform=kick event_id=%s): %s", event_type,
                    message_id, exc)
    return None
