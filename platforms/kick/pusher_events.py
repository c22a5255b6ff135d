"""Pure normalizers for Kick's Pusher frames: frame -> ``game.events`` Event (or None).

A frame is ``{"event": name, "channel": pusher channel, "data": "<JSON string>"}``: ``data``
is JSON encoded a second time (``decode_frame`` undoes both). Channel identity: every event's
``channel`` is the configured broadcaster's Kick user id (found through the Pusher channel
name, see ``config.ChannelIndex``); frames from channels we did not configure are skipped.

Kick describes one subscription or one gift with several frames (different shapes, different
Pusher channels, none with a shared id). Those shapes become *fragments* that the listener
merges for ``coalesce_s`` seconds (``Coalescer``) into one event whose ``event_id`` depends
only on what every shape carries, so whichever shapes arrive, a sub or a gift counts once:

* subscription: ``sub:<channel>:<username>`` -- one user subscribes to a channel at most
  once a month, and dedup records live 7 days, so the key never hides a real second sub.
* gift: ``gift:<hash of channel, gifter, sorted recipient usernames>``.

``normalize_frame`` is the same pipeline for a single frame (no waiting): what the listener
publishes when only that shape arrives.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from game.events import (
    ChatMessage,
    Event,
    GiftSubscriptions,
    KicksGifted,
    Platform,
    Raid,
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
    as_list,
    as_name,
    as_obj,
    as_text,
    log,
    obj,
    parse_time,
    roles_from_badges,
    stable_id,
)
from platforms.kick.config import ChannelIndex, KickChannel, parse_pusher_channel

# Frames we know and deliberately drop (moderation, pins, polls, goals, leaderboards...).
IGNORED = frozenset({
    "App\\Events\\MessageDeletedEvent",
    "App\\Events\\UserBannedEvent",
    "App\\Events\\UserUnbannedEvent",
    "App\\Events\\PinnedMessageCreatedEvent",
    "App\\Events\\PinnedMessageDeletedEvent",
    "App\\Events\\ChatroomUpdatedEvent",
    "App\\Events\\ChatroomClearEvent",
    "App\\Events\\PollUpdateEvent",
    "App\\Events\\PollDeleteEvent",
    "App\\Events\\LivestreamUpdated",
    "App\\Events\\ChatMoveToSupportedChannelEvent",  # our channel hosting someone else
    "App\\Events\\StreamHostEvent",  # legacy twin of StreamHostedEvent, without a user id
    "App\\Events\\FollowersUpdated",
    "GiftsLeaderboardUpdated",
    "GoalProgressUpdateEvent",
    "PredictionCreated",
    "PredictionUpdated",
})

REWARD_BUCKET_S = 10  # see normalize_reward_redeemed


@dataclass(frozen=True)
class Frame:
    event: str
    channel: str
    data: Any


def decode_frame(raw: str | bytes) -> Frame | None:
    """One WebSocket text message -> Frame (``data`` decoded twice); None if not a frame."""
    try:
        message = json.loads(raw)
    except (ValueError, TypeError):
        log.warning("kick: undecodable socket message %.200r", raw)
        return None
    if not isinstance(message, dict) or not isinstance(message.get("event"), str):
        log.warning("kick: socket message without an event %.200r", raw)
        return None
    data = message.get("data")
    if isinstance(data, str):
        try:
            data = json.loads(data) if data else {}
        except ValueError:
            pass  # some protocol frames carry plain strings
    channel = message.get("channel")
    return Frame(event=message["event"], channel=channel if isinstance(channel, str) else "",
                 data=data)


# --- fragments: the shapes Kick splits one sub / one gift into ---


@dataclass(frozen=True)
class SubFragment:
    channel: str
    username: str
    user_id: str | None
    months: int | None
    occurred_at: datetime
    received_at: datetime
    source: str

    @property
    def group(self) -> tuple[str, str, str]:
        return ("sub", self.channel, self.username.lower())


@dataclass(frozen=True)
class GiftFragment:
    channel: str
    gifter_name: str | None
    gifter_id: str | None
    recipients: tuple[str, ...]
    count: int | None  # declared number of gifts in this frame, if it says
    occurred_at: datetime
    received_at: datetime
    source: str
    message_id: str | None = None

    @property
    def group(self) -> tuple[str, str, str]:
        return ("gift", self.channel, (self.gifter_name or "").lower())


Fragment = SubFragment | GiftFragment


@dataclass
class Context:
    index: ChannelIndex
    received_at: datetime

    def channel(self, frame: Frame, data: dict[str, Any]) -> KickChannel:
        found = self.index.by_pusher_name(frame.channel)
        if found is None:
            # fall back on ids inside the payload
            for key, lookup in (("chatroom_id", self.index.by_chatroom),
                                ("channel_id", self.index.by_channel)):
                number = as_int(data.get(key))
                if number is not None and (hit := lookup(number)) is not None:
                    return hit
            raise Unconfigured(frame.channel)
        return found


class Unconfigured(LookupError):
    pass


def _base(ch: KickChannel, event_id: str, occurred_at: datetime, ctx: Context) -> dict[str, Any]:
    return {"platform": Platform.KICK, "event_id": event_id, "channel": ch.key,
            "occurred_at": occurred_at, "received_at": ctx.received_at}


def _user(ch: KickChannel, user_id: str, name: str,
          roles: frozenset[Role] = frozenset()) -> UserRef:
    if user_id == ch.key:
        roles = roles | {Role.BROADCASTER}
    return UserRef(id=user_id, name=name, roles=roles)


# --- one function per shape ---


def normalize_chat_message(frame: Frame, ctx: Context) -> Event | None:
    """App\\Events\\ChatMessageEvent: type message, reply, celebration (a resub share)."""
    data = obj(frame.data, "data")
    ch = ctx.channel(frame, data)
    sender = obj(data.get("sender"), "sender")
    user_id = as_id(sender.get("id"), "sender.id")
    name = as_name(sender.get("username")) or as_name(sender.get("slug"))
    if name is None:
        raise Malformed("sender.username missing")
    identity = as_obj(sender.get("identity"))
    content = data.get("content")
    if not isinstance(content, str):
        raise Malformed("content missing")
    if not content.strip():
        return None
    return ChatMessage(
        **_base(ch, as_id(data.get("id"), "id"), parse_time(data.get("created_at"),
                                                           ctx.received_at), ctx),
        user=_user(ch, user_id, name, roles_from_badges(identity.get("badges"))),
        text=content,
    )


def fragment_subscription_event(frame: Frame, ctx: Context) -> SubFragment | None:
    """App\\Events\\SubscriptionEvent: ``{chatroom_id, username, months}`` (no user id)."""
    data = obj(frame.data, "data")
    ch = ctx.channel(frame, data)
    name = as_name(data.get("username"))
    if name is None:
        raise Malformed("username missing")
    return SubFragment(channel=ch.key, username=name, user_id=None,
                       months=as_int(data.get("months")), occurred_at=ctx.received_at,
                       received_at=ctx.received_at, source="SubscriptionEvent")


def fragment_channel_subscription(frame: Frame, ctx: Context) -> SubFragment | None:
    """App\\Events\\ChannelSubscriptionEvent: ``{user_ids: [id], username, channel_id}``."""
    data = obj(frame.data, "data")
    ch = ctx.channel(frame, data)
    name = as_name(data.get("username"))
    ids = data.get("user_ids")
    if name is None or not isinstance(ids, list) or not ids:
        raise Malformed("username or user_ids missing")
    user_id = as_id(ids[0], "user_ids[0]") if len(ids) == 1 else None
    if user_id is None:
        log.info("kick: ChannelSubscriptionEvent on %s with %d user ids; id not used",
                 ch.key, len(ids))
    return SubFragment(channel=ch.key, username=name, user_id=user_id, months=None,
                       occurred_at=ctx.received_at, received_at=ctx.received_at,
                       source="ChannelSubscriptionEvent")


def fragment_chat_message_sent(frame: Frame, ctx: Context) -> Fragment | None:
    """App\\Events\\ChatMessageSentEvent (``chatrooms.<id>``): info messages ``action``
    ``subscribe`` (user id + months) and ``gift`` (gifter id + recipients + count)."""
    data = obj(frame.data, "data")
    message = obj(data.get("message"), "message")
    ch = ctx.channel(frame, {**data, **message})
    user = obj(data.get("user"), "user")
    action = message.get("action")
    occurred = parse_time(message.get("created_at"), ctx.received_at)
    name = as_name(user.get("username"))
    if name is None:
        raise Malformed("user.username missing")
    user_id = as_id(user.get("id"), "user.id")
    if action == "subscribe":
        months = as_int(message.get("months_subscribed")) or as_int(user.get("months_subscribed"))
        return SubFragment(channel=ch.key, username=name, user_id=user_id, months=months,
                           occurred_at=occurred, received_at=ctx.received_at,
                           source="ChatMessageSentEvent")
    if action == "gift":
        gifted = as_list(message.get("giftedUsers"))
        recipients = tuple(n for g in gifted if isinstance(g, dict)
                           and (n := as_name(g.get("username"))))
        return GiftFragment(channel=ch.key, gifter_name=name, gifter_id=user_id,
                            recipients=recipients,
                            count=as_int(message.get("subscriptions_count")),
                            occurred_at=occurred, received_at=ctx.received_at,
                            source="ChatMessageSentEvent",
                            message_id=as_text(message.get("id")) or None)
    log.debug("kick: ChatMessageSentEvent action %r on %s ignored", action, ch.key)
    return None


def fragment_gifted_subscriptions(frame: Frame, ctx: Context) -> GiftFragment | None:
    """GiftedSubscriptionsEvent (``chatroom_<id>``, with ``gifter_total``/``gifted_total``)
    and the older App\\Events\\GiftedSubscriptionsEvent (``chatrooms.<id>.v2``)."""
    data = obj(frame.data, "data")
    ch = ctx.channel(frame, data)
    names = data.get("gifted_usernames")
    if not isinstance(names, list):
        raise Malformed("gifted_usernames missing")
    recipients = tuple(n for raw in names if (n := as_name(raw)))
    return GiftFragment(channel=ch.key, gifter_name=as_name(data.get("gifter_username")),
                        gifter_id=None, recipients=recipients,
                        count=as_int(data.get("gifted_total")),  # gifter_total is cumulative
                        occurred_at=ctx.received_at, received_at=ctx.received_at,
                        source="GiftedSubscriptionsEvent")


def fragment_lucky_users(frame: Frame, ctx: Context) -> GiftFragment | None:
    """App\\Events\\LuckyUsersWhoGotGiftSubscriptionsEvent (``channel.<id>``)."""
    data = obj(frame.data, "data")
    channel = as_obj(data.get("channel"))
    ch = ctx.channel(frame, {"channel_id": channel.get("id")})
    names = data.get("usernames")
    if not isinstance(names, list):
        raise Malformed("usernames missing")
    return GiftFragment(channel=ch.key, gifter_name=as_name(data.get("gifter_username")),
                        gifter_id=None, recipients=tuple(n for raw in names if (n := as_name(raw))),
                        count=None, occurred_at=ctx.received_at, received_at=ctx.received_at,
                        source="LuckyUsersWhoGotGiftSubscriptionsEvent")


def normalize_stream_hosted(frame: Frame, ctx: Context) -> Event | None:
    """App\\Events\\StreamHostedEvent: someone hosts/raids us (``message.id`` is the id).
    Its legacy twin App\\Events\\StreamHostEvent has no user id and is ignored."""
    data = obj(frame.data, "data")
    ch = ctx.channel(frame, data)
    message = obj(data.get("message"), "message")
    user = obj(data.get("user"), "user")
    name = as_name(user.get("username"))
    if name is None:
        raise Malformed("user.username missing")
    viewers = as_int(message.get("numberOfViewers"), 0) or 0
    return Raid(**_base(ch, as_id(message.get("id"), "message.id"),
                        parse_time(message.get("createdAt"), ctx.received_at), ctx),
                user=_user(ch, as_id(user.get("id"), "user.id"), name),
                viewers=max(0, viewers))


def normalize_reward_redeemed(frame: Frame, ctx: Context) -> Event | None:
    """RewardRedeemedEvent (``chatroom_<id>``): no redemption id, no reward id, no time.

    The event id hashes the payload with the receive time cut into 10 s buckets: a user may
    redeem the same reward with the same input many times a day, so a payload-only id would
    swallow real redemptions. Webhooks (channel.reward.redemption.updated) carry real ids."""
    data = obj(frame.data, "data")
    ch = ctx.channel(frame, data)
    title = data.get("reward_title")
    name = as_name(data.get("username"))
    if not isinstance(title, str) or not title.strip() or name is None:
        raise Malformed("reward_title or username missing")
    user_id = as_id(data.get("user_id"), "user_id")
    user_input = as_text(data.get("user_input"))
    bucket = int(ctx.received_at.timestamp()) // REWARD_BUCKET_S
    return RewardRedemption(
        **_base(ch, stable_id("reward", ch.key, user_id, title, user_input, bucket),
                ctx.received_at, ctx),
        user=_user(ch, user_id, name), reward_id=f"title:{title.strip()}"[:128],
        reward_title=title.strip()[:200], input=user_input,
    )


def normalize_kicks_gifted(frame: Frame, ctx: Context) -> Event | None:
    """KicksGifted: ``{gift_transaction_id, sender{id, username}, gift{amount...}}``."""
    data = obj(frame.data, "data")
    ch = ctx.channel(frame, data)
    sender = obj(data.get("sender"), "sender")
    gift = obj(data.get("gift"), "gift")
    name = as_name(sender.get("username"))
    amount = as_int(gift.get("amount"))
    if name is None or amount is None or amount < 1:
        raise Malformed("sender.username or gift.amount missing")
    event_id = data.get("gift_transaction_id")
    if not isinstance(event_id, str) or not event_id:
        event_id = stable_id("kicks", ch.key, data)
    return KicksGifted(**_base(ch, event_id, parse_time(data.get("created_at"),
                                                         ctx.received_at), ctx),
                       user=_user(ch, as_id(sender.get("id"), "sender.id"), name),
                       amount=amount)


def normalize_streamer_is_live(frame: Frame, ctx: Context) -> Event | None:
    """App\\Events\\StreamerIsLive: ``{livestream: {id, channel_id, session_title, ...}}``."""
    data = obj(frame.data, "data")
    stream = obj(data.get("livestream"), "livestream")
    ch = ctx.channel(frame, {"channel_id": stream.get("channel_id")})
    title = as_text(stream.get("session_title"))
    return StreamOnline(**_base(ch, f"live:{as_id(stream.get('id'), 'livestream.id')}",
                                parse_time(stream.get("created_at"), ctx.received_at), ctx),
                        title=title[:200])


def normalize_stop_stream(frame: Frame, ctx: Context) -> Event | None:
    """App\\Events\\StopStreamBroadcast: ``{livestream: {id, channel: {id, is_banned}}}``."""
    data = obj(frame.data, "data")
    stream = obj(data.get("livestream"), "livestream")
    channel = as_obj(stream.get("channel"))
    ch = ctx.channel(frame, {"channel_id": channel.get("id")})
    return StreamOffline(**_base(ch, f"offline:{as_id(stream.get('id'), 'livestream.id')}",
                                 ctx.received_at, ctx))


Parser = Callable[[Frame, Context], "Event | Fragment | None"]

PARSERS: dict[str, Parser] = {
    "App\\Events\\ChatMessageEvent": normalize_chat_message,
    "App\\Events\\SubscriptionEvent": fragment_subscription_event,
    "App\\Events\\ChannelSubscriptionEvent": fragment_channel_subscription,
    "App\\Events\\ChatMessageSentEvent": fragment_chat_message_sent,
    "GiftedSubscriptionsEvent": fragment_gifted_subscriptions,
    "App\\Events\\GiftedSubscriptionsEvent": fragment_gifted_subscriptions,
    "App\\Events\\LuckyUsersWhoGotGiftSubscriptionsEvent": fragment_lucky_users,
    "App\\Events\\StreamHostedEvent": normalize_stream_hosted,
    "RewardRedeemedEvent": normalize_reward_redeemed,
    "App\\Events\\RewardRedeemedEvent": normalize_reward_redeemed,
    "KicksGifted": normalize_kicks_gifted,
    "App\\Events\\KicksGifted": normalize_kicks_gifted,
    "App\\Events\\StreamerIsLive": normalize_streamer_is_live,
    "App\\Events\\StopStreamBroadcast": normalize_stop_stream,
}

def parse_frame(frame: Frame, index: ChannelIndex, received_at: datetime,
                unknown: set[str] | None = None) -> Event | Fragment | Unowned | None:
    """Event, fragment (to be merged), Unowned (a frame we use, from a channel not in
    ``index``) or None; never raises on a bad payload. Unknown event names are logged at
    INFO once per name remembered in ``unknown`` (else at DEBUG)."""
    if frame.event.startswith(("pusher:", "pusher_internal:")) or frame.event in IGNORED:
        return None
    parser = PARSERS.get(frame.event)
    if parser is None:
        if unknown is not None and frame.event not in unknown and len(unknown) < 1000:
            unknown.add(frame.event)
            log.info("kick: unknown socket event %r on %r skipped", frame.event, frame.channel)
        else:
            log.debug("kick: unknown socket event %r on %r skipped", frame.event,
                      frame.channel)
        return None
    ctx = Context(index=index, received_at=received_at)
    try:
        return parser(frame, ctx)
    except Unconfigured:
        return Unowned(where=frame.channel, what=frame.event, event_id=_frame_id(frame))
    except (Malformed, ValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
        log.warning("kick: %s on %r skipped (platform=kick channel=%s event_id=%s): %s",
                    frame.event, frame.channel, parse_pusher_channel(frame.channel)[1],
                    _frame_id(frame), exc)
    return None


def _frame_id(frame: Frame) -> str:
    data = frame.data if isinstance(frame.data, dict) else {}
    for value in (data.get("id"), (data.get("message") or {}).get("id")
                  if isinstance(data.get("message"), dict) else None):
        if isinstance(value, str | int):
            return str(value)
    return "-"


# --- merging fragments into one event (pure) ---


def merge_subscription(fragments: Iterable[SubFragment]) -> Subscription | None:
    frags = list(fragments)
    if not frags:
        return None
    first = frags[0]
    user_id = next((f.user_id for f in frags if f.user_id), None)
    # the id-bearing shape carries the name as the account has it now
    name = next((f.username for f in frags if f.user_id), first.username)
    if user_id is None:
        log.warning("kick: subscription by %r on %s has no user id in any frame (%s); skipped",
                    first.username, first.channel, ", ".join(sorted({f.source for f in frags})))
        return None
    months = max((f.months for f in frags if f.months), default=1)
    occurred = min(f.occurred_at for f in frags)
    try:
        return Subscription(
            platform=Platform.KICK, event_id=f"sub:{first.channel}:{first.username.lower()}"[:128],
            channel=first.channel, occurred_at=occurred,
            received_at=min(f.received_at for f in frags),
            user=UserRef(id=user_id, name=name,
                         roles=frozenset({Role.BROADCASTER}) if user_id == first.channel
                         else frozenset()),
            months=min(max(1, months), 10_000),
        )
    except ValidationError as exc:
        log.warning("kick: subscription on %s skipped: %s", first.channel, exc)
        return None


def merge_gifts(fragments: Iterable[GiftFragment]) -> GiftSubscriptions | None:
    """One gift announced by several shapes (or in chunks): recipients are the union; the
    count is the largest of (sum per shape, number of distinct recipients)."""
    frags = list(fragments)
    if not frags:
        return None
    first = frags[0]
    spelled: dict[str, str] = {}  # each recipient once, as the first frame spells them
    for f in frags:
        for r in f.recipients:
            spelled.setdefault(r.lower(), r)
    recipients = sorted(spelled)
    per_source: dict[str, int] = {}
    for f in frags:
        declared = f.count if f.count and f.count > 0 else len(f.recipients)
        per_source[f.source] = per_source.get(f.source, 0) + declared
    count = max([len(recipients), *per_source.values()])
    if count < 1:
        log.warning("kick: gift on %s by %r without a count skipped", first.channel,
                    first.gifter_name)
        return None
    gifter_name = next((f.gifter_name for f in frags if f.gifter_id and f.gifter_name),
                       first.gifter_name)
    gifter_id = next((f.gifter_id for f in frags if f.gifter_id), None)
    if recipients:
        event_id = stable_id("gift", first.channel, (gifter_name or "").lower(), recipients)
    else:
        ids = sorted({f.message_id for f in frags if f.message_id})
        event_id = (stable_id("gift", first.channel, ids) if ids else
                    stable_id("gift", first.channel, (gifter_name or "").lower(), count,
                              int(first.received_at.timestamp()) // REWARD_BUCKET_S))
    user = None
    if gifter_id and gifter_name:
        user = UserRef(id=gifter_id, name=gifter_name,
                       roles=frozenset({Role.BROADCASTER}) if gifter_id == first.channel
                       else frozenset())
    elif gifter_name:
        log.info("kick: gift of %d by %r on %s arrived without the gifter's id; credited by "
                 "username", count, gifter_name, first.channel)
    try:
        return GiftSubscriptions(
            platform=Platform.KICK, event_id=event_id, channel=first.channel,
            occurred_at=min(f.occurred_at for f in frags),
            received_at=min(f.received_at for f in frags),
            user=user, count=min(count, 10_000),
            gifter_name=gifter_name[:200] if user is None and gifter_name else None,
            recipient_names=tuple(spelled[r] for r in recipients[:10_000]),
        )
    except ValidationError as exc:
        log.warning("kick: gift on %s skipped: %s", first.channel, exc)
        return None


def merge(fragments: list[Fragment]) -> Event | None:
    if not fragments:
        return None
    if isinstance(fragments[0], SubFragment):
        return merge_subscription(f for f in fragments if isinstance(f, SubFragment))
    return merge_gifts(f for f in fragments if isinstance(f, GiftFragment))


def normalize_frame(frame: Frame, index: ChannelIndex, received_at: datetime) -> Event | None:
    """The pure normalizer: one frame -> Event or None (fragments merged on their own)."""
    parsed = parse_frame(frame, index, received_at)
    if isinstance(parsed, SubFragment | GiftFragment):
        return merge([parsed])
    return None if isinstance(parsed, Unowned) else parsed


@dataclass
class Coalescer:
    """Holds sub/gift fragments for ``window_s`` so the shapes of one fact merge into one
    event. Time comes in as an argument (``now``, monotonic seconds)."""

    window_s: float
    _groups: dict[tuple[str, str, str], tuple[float, list[Fragment]]] = field(
        default_factory=dict)

    def add(self, fragment: Fragment, now: float) -> None:
        started, frags = self._groups.get(fragment.group, (now, []))
        frags.append(fragment)
        self._groups[fragment.group] = (started, frags)

    def due(self, now: float) -> list[list[Fragment]]:
        ready = [key for key, (started, _) in self._groups.items()
                 if now - started >= self.window_s]
        return [self._groups.pop(key)[1] for key in ready]

    def drain(self) -> list[list[Fragment]]:
        groups = [frags for _, frags in self._groups.values()]
        self._groups.clear()
        return groups

    def __len__(self) -> int:
        return len(self._groups)
