from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from game.events import (
    MAX_NAME,
    ChatMessage,
    Platform,
    RewardRedemption,
    StreamOnline,
    UserRef,
    clean_name,
    decode_event,
    encode_event,
)
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
    assert raid is not None and (raid.wealth, raid.xp) == (500, 100)  # $10 and 2 XP per viewer
    assert support_reward(Raid(**base, viewers=1)).wealth == 10  # type: ignore[union-attr,arg-type]
    assert support_reward(Raid(**base, viewers=0)) is None  # type: ignore[arg-type]
    assert support_reward(Donation(**base, amount="4.99")).wealth == 499  # type: ignore[union-attr,arg-type]


# --- control characters (issue 6, item 8) ---------------------------------------------------

CONTROL = st.characters(categories=["Cc"])  # NUL, \n, \x1b, DEL, \x85 …
with_control = st.tuples(st.text(max_size=20), CONTROL, st.text(max_size=20)).map("".join)
ID_FIELDS = ("event_id", "channel")


@given(with_control, st.sampled_from(ID_FIELDS))
def test_any_id_with_a_control_character_is_refused(text: str, field: str) -> None:
    with pytest.raises(ValidationError):
        make(**{field: text})


@given(with_control)
def test_any_user_id_or_reward_id_with_a_control_character_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        UserRef(id=text, name="alice")
    with pytest.raises(ValidationError):
        RewardRedemption(platform=Platform.TWITCH, event_id="r1", channel="c", occurred_at=NOW,
                         received_at=NOW, user=UserRef(id="1", name="a"), reward_id=text,
                         reward_title="t")


def test_a_nul_in_an_id_is_refused_also_from_json() -> None:
    raw = encode_event(make()).replace('"m1"', '"bad\\u0000guy"')
    assert "\\u0000" in raw
    with pytest.raises(ValidationError, match="string_pattern_mismatch"):
        decode_event(raw)


@given(st.sampled_from((" id", "id ", "\tid", "id\u00a0")))
def test_an_id_with_surrounding_whitespace_is_malformed(text: str) -> None:
    with pytest.raises(ValidationError):
        UserRef(id=text, name="alice")


def test_format_characters_are_allowed_in_ids() -> None:
    # a console account's id is its name: emoji joined by ZWJ stay playable
    assert make(user=UserRef(id="👩\u200d💻", name="👩\u200d💻")).user.id == "👩\u200d💻"


@given(st.text(min_size=1, max_size=200))
@example("a" * 63 + " b")  # cut at 64 characters right after a space
@example("é" * 63 + " b")
def test_clean_names_have_no_control_character_and_are_stable(raw: str) -> None:
    name = clean_name(raw)
    assert name and len(name) <= MAX_NAME
    assert not any(unicodedata.category(ch) == "Cc" for ch in name)
    assert clean_name(name) == name  # cleaning twice changes nothing: events round-trip
    assert unicodedata.normalize("NFC", name) == name


@given(st.text(st.characters(categories=["Cc", "Cf", "Zs"]), min_size=1, max_size=50))
def test_a_name_of_only_control_format_or_space_characters_becomes_a_question_mark(
    raw: str,
) -> None:
    assert UserRef(id="1", name=raw).name == "?"


@given(ids=st.text(min_size=1, max_size=40), name=st.text(min_size=1, max_size=80),
       text=st.text(max_size=200), title=st.text(max_size=200))
def test_any_accepted_event_round_trips(ids: str, name: str, text: str, title: str) -> None:
    try:
        chat_event = make(event_id=ids, channel=ids, user=UserRef(id=ids, name=name),
                          text=text)
        online = StreamOnline(platform=Platform.KICK, event_id=ids, channel=ids,
                              occurred_at=NOW, received_at=NOW, title=title)
    except ValidationError:
        assume(False)
        return
    for event in (chat_event, online):
        assert decode_event(encode_event(event)) == event
    # chat text stays as typed (a command refuses control characters in its arguments);
    # everything that names or identifies something holds none
    kept = (chat_event.event_id, chat_event.channel, chat_event.user.id, chat_event.user.name,
            online.title)
    assert not any(unicodedata.category(ch) == "Cc" for value in kept for ch in value)
