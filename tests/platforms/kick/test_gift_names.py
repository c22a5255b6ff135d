"""Kick's socket names a gift's gifter and recipients by username only: the normalized
gift carries those names (``gifter_name``, ``recipient_names``) so the game can find the
players by them (jobs/monetization.py)."""

from __future__ import annotations

from game.events import GiftSubscriptions, decode_event, encode_event
from platforms.kick.pusher_events import Frame, merge, normalize_frame, parse_frame

from .support import INDEX, NOW, frame_file


def test_a_gift_without_the_gifters_id_carries_the_gifters_and_recipients_names() -> None:
    event = normalize_frame(
        frame_file("pusher_GiftedSubscriptionsEvent.chatroom_channel.gifted_total.5.frame.json"),
        INDEX, NOW)
    assert isinstance(event, GiftSubscriptions)
    assert event.user is None and event.gifter_name == "Bagginsss"
    assert sorted(event.recipient_names, key=str.lower) == [
        "EvilNero", "fukinjuan", "Monkey_Toes219", "pokerrolex", "Turkii13"]
    assert decode_event(encode_event(event)) == event


def test_a_gift_with_the_gifters_id_names_no_gifter_but_keeps_the_recipients() -> None:
    info = frame_file("pusher_ChatMessageSentEvent.gift.frame.json")
    event = normalize_frame(info, INDEX, NOW)
    assert isinstance(event, GiftSubscriptions)
    assert event.user is not None and event.gifter_name is None
    assert len(event.recipient_names) == 5 and "Terraflux" in event.recipient_names


def test_merged_shapes_name_each_recipient_once() -> None:
    info = frame_file("pusher_ChatMessageSentEvent.gift.frame.json")
    names = [u["username"] for u in info.data["message"]["giftedUsers"]]
    shape = frame_file("pusher_GiftedSubscriptionsEvent.chatroom_channel.gifted_total.5."
                       "frame.json")
    lower = dict(shape.data, chatroom_id=1221707, gifter_username="PhatBoiLotto",
                 gifted_usernames=[n.lower() for n in names])
    merged = merge([parse_frame(info, INDEX, NOW),  # type: ignore[list-item]
                    parse_frame(Frame(shape.event, "chatroom_1221707", lower), INDEX, NOW)])
    assert isinstance(merged, GiftSubscriptions)
    assert sorted(merged.recipient_names) == sorted(names)  # as the first frame spells them
