"""normalize() on the recorded EventSub payloads in tests/fixtures/twitch/."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from game.events import (
    ChatMessage,
    Cheer,
    GiftSubscriptions,
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
from platforms.twitch.normalize import normalize, parse_time
from platforms.twitch.subscriptions import BROADCASTER_TYPES, CHAT, UNSCOPED_TYPES

from .support import NOW, load, payload

MID = "befa7b53-d79d-478f-86b9-120f112b044e"
TS = "2022-11-16T10:11:12.464757833Z"


def norm(body: dict[str, Any], **kw: Any) -> Any:
    kw.setdefault("message_id", MID)
    kw.setdefault("received_at", NOW)
    kw.setdefault("message_timestamp", TS)
    event = normalize(body, **kw)
    if event is not None:  # every event survives the wire
        assert decode_event(encode_event(event)) == event
    return event


def test_every_subscribed_type_has_a_fixture_and_a_normalizer() -> None:
    for kind in (CHAT, *BROADCASTER_TYPES, *UNSCOPED_TYPES):
        assert norm(payload(kind)) is not None, kind


def test_chat_message() -> None:
    event = norm(payload("channel.chat.message"))
    assert isinstance(event, ChatMessage)
    assert event.platform is Platform.TWITCH
    assert event.event_id == "cc106a89-1814-919d-454c-f4f2f970aae7"  # the chat message id
    assert event.channel == "1971641"
    assert event.user.id == "4145994" and event.user.name == "viewer32"
    assert event.user.roles == {Role.MODERATOR, Role.SUBSCRIBER}  # sub-gifter is no role
    assert event.text == "Hi chat"
    assert event.occurred_at == datetime(2022, 11, 16, 10, 11, 12, 464757, tzinfo=UTC)
    assert event.received_at == NOW


def test_chat_roles_from_badges_and_the_broadcaster_account() -> None:
    body = payload("channel.chat.message")
    body["event"]["badges"] = [{"set_id": "founder", "id": "0", "info": "3"}]
    assert norm(body).user.roles == {Role.SUBSCRIBER}
    body["event"]["badges"] = []
    assert norm(body).user.roles == frozenset()
    body["event"]["chatter_user_id"] = body["event"]["broadcaster_user_id"]
    body["event"]["badges"] = [{"set_id": "broadcaster", "id": "1", "info": ""}]
    assert norm(body).user.roles == {Role.BROADCASTER}


def test_shared_chat_copy_from_one_of_our_channels_is_dropped() -> None:
    body = payload("channel.chat.message.shared_chat")
    source = body["event"]["source_broadcaster_user_id"]
    assert norm(body, own_channels=frozenset({"1971641", source})) is None


def test_shared_chat_from_a_foreign_channel_counts_once_by_source_id() -> None:
    body = payload("channel.chat.message.shared_chat")
    event = norm(body, own_channels=frozenset({"1971641"}))
    assert isinstance(event, ChatMessage)
    assert event.channel == "1971641"
    assert event.event_id == "e03f6d5d-8ec8-4c63-b473-9e5fe61e289b"  # source_message_id
    # the same message delivered to another of our channels gets the same id -> one effect
    body["event"]["broadcaster_user_id"] = "555"
    body["event"]["message_id"] = "other-copy-id"
    twin = norm(body, own_channels=frozenset({"1971641", "555"}))
    assert twin is not None and twin.key == event.key


def test_roles_come_only_from_the_owned_channels_own_badges() -> None:
    """A foreign broadcaster (or mod) chatting into one of our channels over shared chat is
    nobody here: ``source_badges`` (their own room) and ``source_broadcaster_user_id`` grant
    nothing; only ``badges`` in our channel and being its owner do."""
    body = payload("channel.chat.message.shared_chat")
    ev = body["event"]
    ev["chatter_user_id"] = ev["source_broadcaster_user_id"]
    ev["source_badges"] = [{"set_id": "broadcaster", "id": "1", "info": ""},
                           {"set_id": "moderator", "id": "1", "info": ""}]
    ev["badges"] = []
    event = norm(body, own_channels=frozenset({"1971641"}))
    assert isinstance(event, ChatMessage) and event.user.roles == frozenset()


def test_subscribe() -> None:
    event = norm(payload("channel.subscribe"))
    assert isinstance(event, Subscription)
    assert event.event_id == MID and event.channel == "1337"
    assert event.user.id == "1234" and event.user.name == "cool_user"
    assert (event.tier, event.months, event.is_gift) == (1, 1, False)


@pytest.mark.parametrize(("raw", "tier"), [("1000", 1), ("2000", 2), ("3000", 3)])
def test_subscribe_tiers_and_gifted(raw: str, tier: int) -> None:
    body = payload("channel.subscribe")
    body["event"]["tier"] = raw
    body["event"]["is_gift"] = True
    event = norm(body)
    assert event.tier == tier and event.is_gift is True


def test_resub_message_counts_cumulative_months() -> None:
    event = norm(payload("channel.subscription.message"))
    assert isinstance(event, Subscription)
    assert event.months == 15 and event.tier == 1 and not event.is_gift
    assert event.event_id == MID


def test_gift() -> None:
    event = norm(payload("channel.subscription.gift"))
    assert isinstance(event, GiftSubscriptions)
    assert event.user is not None and event.user.id == "1234"
    assert event.count == 2 and event.tier == 1 and event.channel == "1337"


def test_anonymous_gift_has_no_user() -> None:
    event = norm(load("eventsub_payload_channel.subscription.gift.anonymous.twitch_cli.json"))
    assert isinstance(event, GiftSubscriptions)
    assert event.user is None and event.count == 5


def test_cheer_and_anonymous_cheer() -> None:
    event = norm(payload("channel.cheer"))
    assert isinstance(event, Cheer)
    assert event.bits == 1000 and event.user is not None and event.user.name == "cool_user"
    anonymous = norm(load("eventsub_payload_channel.cheer.anonymous.json"))
    assert isinstance(anonymous, Cheer) and anonymous.user is None and anonymous.bits == 1000


def test_raid_is_attributed_to_the_raiding_broadcaster() -> None:
    event = norm(payload("channel.raid"))
    assert isinstance(event, Raid)
    assert event.channel == "1337"  # to_broadcaster_user_id
    assert event.user.id == "1234" and event.user.name == "cool_user"
    assert event.viewers == 9001


def test_stream_online_and_offline() -> None:
    online = norm(payload("stream.online"))
    assert isinstance(online, StreamOnline) and online.channel == "1337"
    assert online.occurred_at == datetime(2020, 10, 11, 10, 11, 12, 123000, tzinfo=UTC)
    offline = norm(payload("stream.offline"))
    assert isinstance(offline, StreamOffline) and offline.channel == "1337"
    assert offline.event_id == MID


def test_reward_redemption() -> None:
    event = norm(payload("channel.channel_points_custom_reward_redemption.add"))
    assert isinstance(event, RewardRedemption)
    assert event.user.id == "9001" and event.user.name == "cooler_user"
    assert (event.reward_id, event.reward_title, event.input) == ("9001", "title", "pogchamp")
    assert event.event_id == MID


def test_ignored_types_and_versions() -> None:
    follow = load("eventsub_ws_notification_channel.follow.docs.json")["payload"]
    assert norm(follow) is None
    update = load("eventsub_ws_notification_channel.update.real_capture.json")["payload"]
    assert norm(update) is None
    body = payload("channel.chat.message")
    body["subscription"]["version"] = "2"
    assert norm(body) is None


@pytest.mark.parametrize(("kind", "mutate"), [
    ("channel.chat.message", lambda ev: ev.pop("chatter_user_id")),
    ("channel.chat.message", lambda ev: ev.update(message=None)),
    ("channel.subscribe", lambda ev: ev.update(tier="4000")),
    ("channel.cheer", lambda ev: ev.update(bits=0)),
    ("channel.cheer", lambda ev: ev.update(bits="lots")),
    ("channel.raid", lambda ev: ev.pop("to_broadcaster_user_id")),
    ("channel.channel_points_custom_reward_redemption.add", lambda ev: ev.pop("reward")),
    ("channel.subscription.gift", lambda ev: ev.update(total=None)),
])
def test_bad_payloads_are_logged_and_skipped(kind: str, mutate: Any,
                                             caplog: pytest.LogCaptureFixture) -> None:
    body = payload(kind)
    mutate(body["event"])
    with caplog.at_level(logging.WARNING, logger="platforms.twitch.normalize"):
        assert norm(body) is None
    assert any(MID in r.getMessage() and kind in r.getMessage() for r in caplog.records)


def test_garbage_never_raises() -> None:
    for junk in ({}, {"subscription": None}, {"subscription": {}, "event": []},
                 {"subscription": {"type": "channel.cheer", "version": "1"}, "event": {}}):
        assert norm(junk) is None


def test_new_fields_are_ignored() -> None:
    body = payload("channel.cheer")
    body["event"]["brand_new_field"] = {"x": 1}
    assert isinstance(norm(body), Cheer)


def test_parse_time() -> None:
    assert parse_time("2020-07-15T17:16:03.17106713Z") == datetime(
        2020, 7, 15, 17, 16, 3, 171067, tzinfo=UTC)
    assert parse_time("2019-11-16T10:11:12Z") == datetime(2019, 11, 16, 10, 11, 12, tzinfo=UTC)
    assert parse_time("yesterday") is None and parse_time(None) is None
