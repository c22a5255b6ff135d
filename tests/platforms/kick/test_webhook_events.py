"""Webhook body normalizers on Kick's documented examples and real captures."""

from __future__ import annotations

import copy
import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from game.events import (
    ChatMessage,
    Follow,
    GiftSubscriptions,
    KicksGifted,
    RewardRedemption,
    Role,
    StreamOffline,
    StreamOnline,
    Subscription,
    decode_event,
    encode_event,
)
from platforms.kick.common import Unowned
from platforms.kick.webhook_events import normalize_webhook

from .support import INDEX, NOW, load

SENT = datetime(2026, 11, 23, 11, 59, 58, tzinfo=UTC)
MSG = "01KBHF0000000000000000MSG1"


def doc(name: str) -> tuple[str, Any]:
    raw = load(name)
    return raw["headers"]["Kick-Event-Type"], raw["body"]


def norm(event_type: str, body: Any, message_id: str = MSG):  # noqa: ANN201
    event = normalize_webhook(event_type, message_id, body, INDEX, SENT, NOW)
    if event is not None and not isinstance(event, Unowned):
        assert decode_event(encode_event(event)) == event
    return event


def test_chat_message_docs_example() -> None:
    event = norm(*doc("webhook_chat.message.sent.docs.json"))
    assert isinstance(event, ChatMessage)
    # the chat message id, not the delivery id: replies name it, the socket uses it too
    assert event.event_id == "unique_message_id_123"
    assert event.channel == "123456789"
    assert (event.user.id, event.user.name) == ("987654321", "sender_name")
    assert event.user.roles == {Role.MODERATOR, Role.SUBSCRIBER}  # sub_gifter: nothing
    assert event.text.startswith("Hello [emote:4148074:HYPERCLAP]")
    assert event.occurred_at == datetime(2025, 1, 14, 16, 8, 6, tzinfo=UTC)


def test_chat_message_real_capture_broadcaster() -> None:
    event = norm("chat.message.sent", load("webhook_chat.message.sent.real_capture.json"))
    assert isinstance(event, ChatMessage)
    assert event.event_id == "306a5724-94a2-4053-85d3-0d0c4af40806"
    assert event.user.roles == {Role.BROADCASTER}
    assert event.text == "Test 8"
    # nanosecond timestamp kept to the microsecond
    assert event.occurred_at == datetime(2025, 8, 20, 7, 7, 44, 479216, tzinfo=UTC)


def test_follow() -> None:
    event = norm(*doc("webhook_channel.followed.docs.json"))
    assert isinstance(event, Follow)
    assert event.event_id == MSG and event.user.name == "follower_name"
    assert event.user.id == "987654321"


@pytest.mark.parametrize("name, months", [
    ("webhook_channel.subscription.new.docs.json", 1),
    ("webhook_channel.subscription.renewal.docs.json", 3),
])
def test_subscriptions(name: str, months: int) -> None:
    event = norm(*doc(name))
    assert isinstance(event, Subscription)
    assert event.event_id == MSG and event.months == months and not event.is_gift
    assert (event.user.id, event.user.name) == ("987654321", "subscriber_name")


def test_gifts() -> None:
    event = norm(*doc("webhook_channel.subscription.gifts.docs.json"))
    assert isinstance(event, GiftSubscriptions)
    assert event.count == 1 and event.user is not None
    assert (event.user.id, event.user.name) == ("987654321", "gifter_name")
    assert [(r.id, r.name) for r in event.recipients] == [("561654654", "giftee_name")]


def test_anonymous_gift() -> None:
    event = norm("channel.subscription.gifts",
                 load("webhook_channel.subscription.gifts.anonymous.kicklib.json"))
    assert isinstance(event, GiftSubscriptions)
    assert event.user is None and event.count == 1


def test_kicks() -> None:
    event = norm(*doc("webhook_kicks.gifted.docs.json"))
    assert isinstance(event, KicksGifted)
    assert event.amount == 500 and event.user.name == "gift_sender"


def test_reward_redemption_counts_once_per_redemption() -> None:
    event_type, body = doc("webhook_channel.reward.redemption.updated.docs.json")
    assert norm(event_type, body) is None  # the example is "rejected"
    pending = norm(event_type, dict(body, status="pending"), "01A")
    accepted = norm(event_type, dict(body, status="accepted"), "01B")
    assert isinstance(pending, RewardRedemption) and isinstance(accepted, RewardRedemption)
    assert pending.event_id == accepted.event_id == "redemption:01KBHE78QE4HZY1617DK5FC7YD"
    assert pending.reward_id == "01KBHE7RZNHB0SKDV1H86CD4F3"
    assert (pending.reward_title, pending.input, pending.channel) == ("Uban Request",
                                                                      "unban me", "333")


@pytest.mark.parametrize("name, kind", [
    ("webhook_livestream.status.updated.started.docs.json", StreamOnline),
    ("webhook_livestream.status.updated.ended.docs.json", StreamOffline),
])
def test_livestream_status(name: str, kind: type) -> None:
    event = norm(*doc(name))
    assert isinstance(event, kind)
    if isinstance(event, StreamOnline):
        assert event.title == "Stream Title"
        assert event.occurred_at == datetime(2025, 1, 1, 0, 0, tzinfo=UTC)


def test_livestream_real_capture() -> None:
    event = norm("livestream.status.updated",
                 load("webhook_livestream.status.updated.real_capture.kicklib.json"))
    assert isinstance(event, StreamOnline) and event.channel == "4809577"
    assert event.title == "Multiplatform bot!"


@pytest.mark.parametrize("name", ["webhook_livestream.metadata.updated.docs.json",
                                  "webhook_moderation.banned.docs.json"])
def test_types_we_do_not_use(name: str) -> None:
    assert norm(*doc(name)) is None


def test_unknown_type_and_unconfigured_broadcaster(caplog: pytest.LogCaptureFixture) -> None:
    _, body = doc("webhook_channel.followed.docs.json")
    with caplog.at_level(logging.INFO, logger="platforms.kick"):
        assert norm("channel.brand_new_thing", body) is None
        other = copy.deepcopy(body)
        other["broadcaster"]["user_id"] = 5
        # a broadcaster not in the table: the listener drops and counts it
        assert norm("channel.followed", other) == Unowned(where="5", what="channel.followed",
                                                          event_id=MSG)
    assert "unknown webhook type" in caplog.text


@pytest.mark.parametrize("mutate", [
    lambda b: b.pop("sender"),
    lambda b: b["sender"].__setitem__("user_id", None),
    lambda b: b.pop("broadcaster"),
    lambda b: b.__setitem__("content", 5),
    lambda b: b["sender"].__setitem__("identity", "odd"),
    lambda b: b.__setitem__("new_field", [1]),
])
def test_missing_or_new_fields_never_crash(mutate) -> None:  # noqa: ANN001
    _, body = doc("webhook_chat.message.sent.docs.json")
    body = copy.deepcopy(body)
    mutate(body)
    event = norm("chat.message.sent", body)
    assert event is None or isinstance(event, ChatMessage)


@pytest.mark.parametrize("event_type", ["chat.message.sent", "channel.followed",
                                        "channel.subscription.new", "channel.subscription.gifts",
                                        "kicks.gifted", "channel.reward.redemption.updated",
                                        "livestream.status.updated"])
def test_garbage_bodies(event_type: str) -> None:
    for body in (None, [], "x", {}, {"broadcaster": {"user_id": 123456789}}):
        assert norm(event_type, body) is None
