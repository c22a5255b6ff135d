from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from game.events import ChatMessage, Platform, UserRef, decode_event, encode_event
from game.monetization import support_reward

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def make(**kw: object) -> ChatMessage:
    base: dict[str, object] = dict(platform=Platform.TWITCH, event_id="m1", channel="c1",
                                   user=UserRef(id="1", name="Alice"), occurred_at=NOW,
                                   received_at=NOW, text="!play")
    base.update(kw)
    return ChatMessage(**base)  # type: ignore[arg-type]


def test_json_round_trip() -> None:
    event = make()
    again = decode_event(encode_event(event))
    assert again == event and again.kind == "chat_message"
    assert event.key == "twitch:m1"


def test_unknown_kind_and_missing_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        decode_event('{"kind": "nope", "platform": "twitch"}')
    with pytest.raises(ValidationError):
        decode_event('{"kind": "chat_message", "platform": "twitch", "event_id": "x"}')
    with pytest.raises(ValidationError):
        decode_event("not json at all")


def test_naive_timestamps_and_huge_text_are_rejected() -> None:
    with pytest.raises(ValidationError):
        make(occurred_at=datetime(2026, 1, 1))
    with pytest.raises(ValidationError):
        make(text="x" * 10_001)
    assert len(make(text="x" * 5000).text) == 5000


def test_names_are_cleaned() -> None:
    assert make(user=UserRef(id="1", name="Bob\u0000\u202e")).user.name == "Bob"
    assert make(user=UserRef(id="1", name="🔥fire🔥")).user.name == "🔥fire🔥"


def test_events_are_frozen() -> None:
    with pytest.raises(ValidationError):
        make().text = "x"  # type: ignore[misc]


def test_support_rewards_follow_the_rulebook() -> None:
    from game.events import Cheer, Donation, GiftSubscriptions, KicksGifted, Raid, Subscription

    base = dict(platform=Platform.TWITCH, event_id="x", channel="c", occurred_at=NOW,
                received_at=NOW, user=UserRef(id="1", name="a"))
    assert support_reward(Subscription(**base, tier=3)).wealth == 1000  # type: ignore[union-attr,arg-type]
    assert support_reward(Subscription(**base, tier=1, is_gift=True)) is None  # type: ignore[arg-type]
    gift = support_reward(GiftSubscriptions(**base, count=5))  # type: ignore[arg-type]
    assert gift is not None and (gift.wealth, gift.xp) == (2500, 500)
    assert support_reward(Cheer(**base, bits=100)).wealth == 100  # type: ignore[union-attr,arg-type]
    assert support_reward(KicksGifted(**base, amount=7)).wealth == 7  # type: ignore[union-attr,arg-type]
    raid = support_reward(Raid(**base, viewers=50))  # type: ignore[arg-type]
    assert raid is not None and (raid.wealth, raid.xp) == (10, 100)
    assert support_reward(Donation(**base, amount="4.99")).wealth == 499  # type: ignore[union-attr,arg-type]
