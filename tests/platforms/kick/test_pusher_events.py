"""Pusher frame normalizers on recorded frames (tests/fixtures/kick, see SOURCES.md)."""

from __future__ import annotations

import copy
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from game.events import (
    ChatMessage,
    GiftSubscriptions,
    KicksGifted,
    Platform,
    Raid,
    RewardRedemption,
    Role,
    StreamOffline,
    StreamOnline,
    Subscription,
    decode_event,
    encode_event,
)
from platforms.kick.common import Unowned
from platforms.kick.pusher_events import (
    Coalescer,
    Frame,
    GiftFragment,
    SubFragment,
    decode_frame,
    merge,
    normalize_frame,
    parse_frame,
)

from .support import INDEX, NOW, data_frame, frame_file


def norm(frame: Frame, received_at: datetime = NOW):  # noqa: ANN201
    event = normalize_frame(frame, INDEX, received_at)
    if event is not None:  # every event survives the JSON wire unchanged
        assert decode_event(encode_event(event)) == event
    return event


def test_decode_frame_undoes_the_double_json_encoding() -> None:
    frame = frame_file("pusher_ChatMessageEvent.message.frame.json")
    assert frame.event == "App\\Events\\ChatMessageEvent"
    assert frame.channel == "chatrooms.1221707.v2"
    assert isinstance(frame.data, dict) and frame.data["chatroom_id"] == 1221707
    assert decode_frame("not json") is None
    assert decode_frame(json.dumps([1, 2])) is None
    err = frame_file("pusher_error_4200.frame.json")  # data already an object here
    assert err.data == {"code": 4200, "message": "Please reconnect immediately"}


def test_chat_message() -> None:
    event = norm(frame_file("pusher_ChatMessageEvent.message.frame.json"))
    assert isinstance(event, ChatMessage)
    assert event.platform is Platform.KICK
    assert event.event_id == "bbcdbcfd-8619-40c2-a0d0-ae7cf4c7a932"
    assert event.channel == "1270821"  # the broadcaster's user id, via chatroom 1221707
    assert event.user.id == "3528468"
    assert event.user.name == "OhLookItsMax"  # username, as typed in @mentions
    assert event.user.roles == {Role.SUBSCRIBER}  # vip grants nothing
    assert event.text.startswith("[emote:3989851:litneyspears4Max]on my way")
    assert event.occurred_at == datetime(2025, 7, 17, 8, 44, 56, tzinfo=UTC)
    assert event.received_at == NOW


@pytest.mark.parametrize("source", ["frame", "data"])
def test_chat_replies(source: str) -> None:
    if source == "frame":
        event = norm(frame_file("pusher_ChatMessageEvent.reply.frame.json"))
        assert isinstance(event, ChatMessage)
        assert event.event_id == "37e2ddbd-302c-4e5a-beda-4913c1747459"
        assert event.text.startswith("this is what someone deals with")
        assert event.user.roles == {Role.SUBSCRIBER}
    else:
        event = norm(data_frame("App\\Events\\ChatMessageEvent", "chatrooms.2346570.v2",
                                "pusher_ChatMessageEvent.reply.data.json"))
        assert isinstance(event, ChatMessage)
        assert event.event_id == "b776e9d4-a30e-4154-8747-f8f02c2818a6"
        assert event.text == "Test 7"
        assert event.user.name == "TheStaticMage"
        assert event.user.roles == {Role.BROADCASTER}
        assert event.user.is_broadcaster and event.user.is_mod


def test_celebration_is_the_users_chat_line_founder_is_a_subscriber() -> None:
    event = norm(frame_file(
        "pusher_ChatMessageEvent.celebration_subscription_renewed.frame.json"))
    assert isinstance(event, ChatMessage)
    assert event.text == "\U0001f389"
    assert event.user.roles == {Role.SUBSCRIBER}
    assert event.channel == "31047000"


def test_moderator_and_og_badges() -> None:
    frame = frame_file("pusher_ChatMessageEvent.message.frame.json")
    data = copy.deepcopy(frame.data)
    data["sender"]["identity"]["badges"] = [{"type": "moderator", "text": "Moderator"},
                                            {"type": "og", "text": "OG"}]
    event = norm(Frame(frame.event, frame.channel, data))
    assert isinstance(event, ChatMessage)
    assert event.user.roles == {Role.MODERATOR, Role.SUBSCRIBER}


def test_subscription_shapes_share_one_event_id() -> None:
    """ChannelSubscriptionEvent and ChatMessageSentEvent(subscribe) describe the same sub of
    harleydagoat on channel 715 (captured together): same event id, so it counts once."""
    channel_sub = norm(frame_file("pusher_ChannelSubscriptionEvent.frame.json"))
    info = norm(frame_file("pusher_ChatMessageSentEvent.subscribe.frame.json"))
    assert isinstance(channel_sub, Subscription) and isinstance(info, Subscription)
    assert channel_sub.event_id == info.event_id == "sub:70715:harleydagoat"
    assert channel_sub.user.id == info.user.id == "52689656"
    assert info.months == 1 and not info.is_gift
    assert info.occurred_at == datetime.fromtimestamp(1779434075, UTC)


def test_subscription_event_alone_has_no_user_id(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="platforms.kick"):
        assert norm(frame_file("pusher_SubscriptionEvent.frame.json")) is None
    assert "gabcit89" in caplog.text and "no user id" in caplog.text


def test_subscription_event_gives_months_to_its_merged_twin() -> None:
    resub = data_frame("App\\Events\\SubscriptionEvent", "chatrooms.2587388.v2",
                       "pusher_SubscriptionEvent.resub.data.json")  # Ra_ab, 18 months
    twin = copy.deepcopy(frame_file("pusher_ChannelSubscriptionEvent.frame.json"))
    twin_data = {"user_ids": [30389514], "username": "Ra_ab", "channel_id": 2587387}
    fragments = [parse_frame(resub, INDEX, NOW),
                 parse_frame(Frame(twin.event, "channel.2587387", twin_data), INDEX, NOW)]
    assert all(isinstance(f, SubFragment) for f in fragments)
    event = merge(fragments)  # type: ignore[arg-type]
    assert isinstance(event, Subscription)
    assert (event.user.id, event.user.name, event.months) == ("30389514", "Ra_ab", 18)
    assert event.event_id == "sub:2587000:ra_ab"


def test_gift_info_message_carries_the_gifter() -> None:
    event = norm(frame_file("pusher_ChatMessageSentEvent.gift.frame.json"))
    assert isinstance(event, GiftSubscriptions)
    assert event.count == 5 and event.tier == 1
    assert event.user is not None and (event.user.id, event.user.name) == ("2289061",
                                                                             "PhatBoiLotto")
    assert event.channel == "1270821"
    assert event.occurred_at == datetime.fromtimestamp(1751605454, UTC)


@pytest.mark.parametrize("name, count, gifter", [
    ("pusher_GiftedSubscriptionsEvent.chatroom_channel.gifted_total.5.frame.json", 5,
     "Bagginsss"),
    ("pusher_GiftedSubscriptionsEvent.chatroom_channel.gifter_total.frame.json", 1, "F1Aa"),
    ("pusher_GiftedSubscriptionsEvent.legacy_app_events_v2.frame.json", 1, "court"),
    ("pusher_LuckyUsersWhoGotGiftSubscriptionsEvent.frame.json", 50, "astra555"),
])
def test_gift_shapes_without_gifter_id(name: str, count: int, gifter: str) -> None:
    frame = frame_file(name)
    fragment = parse_frame(frame, INDEX, NOW)
    assert isinstance(fragment, GiftFragment) and fragment.gifter_name == gifter
    event = norm(frame)
    assert isinstance(event, GiftSubscriptions)
    assert event.count == count  # gifter_total (cumulative) is never the count
    assert event.user is None  # no gifter id in these shapes: counted, not credited
    assert event.event_id.startswith("gift:")


def _gift_twins() -> tuple[Frame, Frame, Frame]:
    """The recorded ChatMessageSentEvent gift plus GiftedSubscriptionsEvent frames for the
    same gift (the recorded chatroom_channel shape with this gift's names), whole and in two
    chunks."""
    info = frame_file("pusher_ChatMessageSentEvent.gift.frame.json")
    names = [u["username"] for u in info.data["message"]["giftedUsers"]]
    shape = frame_file("pusher_GiftedSubscriptionsEvent.chatroom_channel.gifted_total.5."
                       "frame.json")
    whole = dict(shape.data, chatroom_id=1221707, gifted_usernames=names,
                 gifter_username="PhatBoiLotto")
    chunk = dict(whole, gifted_usernames=names[:2], gifted_total=2)
    rest = dict(whole, gifted_usernames=names[2:], gifted_total=3)
    return (info, Frame(shape.event, "chatroom_1221707", whole),
            Frame(shape.event, "chatroom_1221707", {"chunks": [chunk, rest]}))


def test_one_gift_in_two_shapes_counts_once_and_keeps_the_gifter() -> None:
    info, whole, _ = _gift_twins()
    alone_info, alone_whole = norm(info), norm(whole)
    assert isinstance(alone_info, GiftSubscriptions)
    assert isinstance(alone_whole, GiftSubscriptions)
    # whichever shape arrives, the id is the same: the Redis dedup keeps one
    assert alone_info.event_id == alone_whole.event_id
    merged = merge([parse_frame(whole, INDEX, NOW), parse_frame(info, INDEX, NOW)])
    assert isinstance(merged, GiftSubscriptions)
    assert merged.event_id == alone_info.event_id
    assert merged.count == 5
    assert merged.user is not None and merged.user.id == "2289061"


def test_chunked_gift_merges_to_the_whole() -> None:
    info, whole, chunks = _gift_twins()
    parts = [Frame(whole.event, whole.channel, c) for c in chunks.data["chunks"]]
    fragments = [parse_frame(p, INDEX, NOW) for p in parts]
    fragments.append(parse_frame(info, INDEX, NOW))
    merged = merge(fragments)  # type: ignore[arg-type]
    assert isinstance(merged, GiftSubscriptions)
    assert merged.count == 5  # not 2 + 3 + 5
    assert merged.event_id == norm(info).event_id  # type: ignore[union-attr]


def test_two_gifts_by_one_gifter_in_one_window_both_count() -> None:
    info, whole, _ = _gift_twins()
    other = copy.deepcopy(info.data)
    other["message"]["id"] = "00000000-0000-0000-0000-000000000001"
    other["message"]["giftedUsers"] = [{"username": f"someone{i}", "monthsSubscribed": 1}
                                       for i in range(3)]
    other["message"]["subscriptions_count"] = 3
    frags = [parse_frame(f, INDEX, NOW) for f in (info, Frame(info.event, info.channel, other))]
    merged = merge(frags)  # type: ignore[arg-type]
    assert isinstance(merged, GiftSubscriptions) and merged.count == 8


def test_coalescer_groups_by_fact_and_waits_the_window() -> None:
    info, whole, _ = _gift_twins()
    sub = parse_frame(frame_file("pusher_ChannelSubscriptionEvent.frame.json"), INDEX, NOW)
    c = Coalescer(window_s=2.0)
    for frag in (parse_frame(info, INDEX, NOW), sub, parse_frame(whole, INDEX, NOW)):
        assert frag is not None and not isinstance(frag, ChatMessage)
        c.add(frag, now=100.0)  # type: ignore[arg-type]
    assert len(c) == 2
    assert c.due(101.0) == []
    groups = c.due(102.5)
    assert sorted(len(g) for g in groups) == [1, 2] and len(c) == 0
    events = [merge(g) for g in groups]
    assert {type(e) for e in events} == {Subscription, GiftSubscriptions}


@pytest.mark.parametrize("source", ["frame", "data", "verified_user"])
def test_incoming_host_is_a_raid(source: str) -> None:
    if source == "frame":
        event = norm(frame_file("pusher_StreamHostedEvent.frame.json"))
        expected = ("af4673b8-a06f-4d47-84d2-9fb8c75117e2", "2341810", "ABC", 8, "12340")
    elif source == "data":
        event = norm(data_frame("App\\Events\\StreamHostedEvent", "chatrooms.668.v2",
                                "pusher_StreamHostedEvent.data.json"))
        expected = ("6c7ff7a9-e386-4c33-bb6f-ef88f2bcdc6e", "3953291", "BrandonDLive", 30,
                    "676")
    else:
        event = norm(data_frame("App\\Events\\StreamHostedEvent", "chatrooms.668.v2",
                                "pusher_StreamHostedEvent.verified_user.data.json"))
        expected = ("d50fc4d8-2a8e-407a-a348-7738da76ec3e", "4037126", "Dapt", 40, "676")
    assert isinstance(event, Raid)
    assert (event.event_id, event.user.id, event.user.name, event.viewers,
            event.channel) == expected


def test_legacy_host_event_is_left_to_its_twin() -> None:
    # StreamHostEvent arrives with StreamHostedEvent for the same host; no user id in it
    frame = data_frame("App\\Events\\StreamHostEvent", "chatrooms.668.v2",
                       "pusher_StreamHostEvent.data.json")
    assert norm(frame) is None


def test_reward_redeemed() -> None:
    event = norm(frame_file("pusher_RewardRedeemedEvent.frame.json"))
    assert isinstance(event, RewardRedemption)
    assert (event.user.id, event.user.name) == ("1502053", "Bombg")
    assert event.reward_title == "da bears" and event.reward_id == "title:da bears"
    assert event.input == "" and event.channel == "20309000"
    # deterministic within the 10 s bucket (redelivery), distinct later (a new redemption)
    again = norm(frame_file("pusher_RewardRedeemedEvent.frame.json"))
    later = norm(frame_file("pusher_RewardRedeemedEvent.frame.json"),
                 NOW + timedelta(seconds=30))
    assert again is not None and later is not None
    assert again.event_id == event.event_id != later.event_id


def test_reward_redeemed_with_input() -> None:
    event = norm(data_frame("RewardRedeemedEvent", "chatroom_2587388",
                            "pusher_RewardRedeemedEvent.with_input.data.json"))
    assert isinstance(event, RewardRedemption)
    assert (event.reward_title, event.input, event.user.name) == ("TIME OUT", "4head",
                                                                  "MyWaffIe")


def test_kicks_gifted() -> None:
    event = norm(frame_file("pusher_KicksGifted.constructed.frame.json"))
    assert isinstance(event, KicksGifted)
    assert (event.event_id, event.amount, event.user.id) == ("01K8CONSTRUCTED0000000000AA",
                                                             500, "987654321")


def test_stream_live_and_offline() -> None:
    live = norm(data_frame("App\\Events\\StreamerIsLive", "channel.668",
                           "pusher_StreamerIsLive.data.json"))
    assert isinstance(live, StreamOnline)
    assert live.event_id == "live:74454116" and live.channel == "676"
    assert live.title.startswith("\U0001f44fLIVE")
    assert live.occurred_at == datetime(2025, 9, 15, 21, 12, 45, tzinfo=UTC)
    off = norm(data_frame("App\\Events\\StopStreamBroadcast", "channel.2587387",
                          "pusher_StopStreamBroadcast.data.json"))
    assert isinstance(off, StreamOffline)
    assert off.event_id == "offline:74409800" and off.channel == "2587000"


@pytest.mark.parametrize("name", [
    "pusher_MessageDeletedEvent.frame.json",
    "pusher_UserBannedEvent.ban.2023.frame.json",
    "pusher_UserBannedEvent.timeout.frame.json",
    "pusher_UserUnbannedEvent.2024.frame.json",
    "pusher_GiftsLeaderboardUpdated.frame.json",
    "pusher_ChatMoveToSupportedChannelEvent.outgoing_host.frame.json",
    "pusher_error_4200.frame.json",
    "pusher_internal_subscription_succeeded.frame.json",
])
def test_frames_we_do_not_use(name: str) -> None:
    assert norm(frame_file(name)) is None


def test_unconfigured_channel_is_skipped() -> None:
    frame = frame_file("pusher_ChatMessageEvent.message.frame.json")
    data = dict(frame.data, chatroom_id=999)
    assert norm(Frame(frame.event, "chatrooms.999.v2", data)) is None
    assert parse_frame(Frame(frame.event, "chatrooms.999.v2", data), INDEX, NOW) == Unowned(
        where="chatrooms.999.v2", what=frame.event, event_id=data["id"])


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("sender"),
    lambda d: d["sender"].pop("id"),
    lambda d: d.__setitem__("sender", "someone"),
    lambda d: d.__setitem__("content", None),
    lambda d: d["sender"].__setitem__("identity", None),  # no badges: fine, no roles
    lambda d: d.__setitem__("created_at", "yesterday"),  # unreadable: received time
    lambda d: d.__setitem__("brand_new_field", {"x": 1}),
])
def test_missing_or_new_fields_never_crash(mutate, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    frame = frame_file("pusher_ChatMessageEvent.message.frame.json")
    data = copy.deepcopy(frame.data)
    mutate(data)
    with caplog.at_level(logging.WARNING, logger="platforms.kick"):
        event = norm(Frame(frame.event, frame.channel, data))
    if event is None:
        assert "skipped" in caplog.text and "bbcdbcfd" in caplog.text
    else:
        assert isinstance(event, ChatMessage)


@pytest.mark.parametrize("name", [
    "pusher_ChatMessageSentEvent.gift.frame.json",
    "pusher_GiftedSubscriptionsEvent.chatroom_channel.gifted_total.5.frame.json",
    "pusher_LuckyUsersWhoGotGiftSubscriptionsEvent.frame.json",
    "pusher_StreamHostedEvent.frame.json",
    "pusher_RewardRedeemedEvent.frame.json",
    "pusher_ChannelSubscriptionEvent.frame.json",
    "pusher_KicksGifted.constructed.frame.json",
])
def test_every_shape_survives_garbage(name: str) -> None:
    frame = frame_file(name)
    for data in (None, [], "text", 42, {}, {"message": None, "user": None, "sender": []}):
        assert norm(Frame(frame.event, frame.channel, data)) is None
