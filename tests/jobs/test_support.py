"""Support rewards through ``apply_batch`` on real PostgreSQL and Redis: one reward and one
``monetization_events`` row per platform event, gifts (gifter and recipients, Twitch's
two-event form, a list plus per-recipient events), community overrides, and Kick's gifter
known only by username, found or credited when the account first appears."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

from game.events import (
    ChatMessage,
    Event,
    GiftSubscriptions,
    Platform,
    StreamOffline,
    StreamOnline,
    Subscription,
    UserRef,
    encode_event,
)
from game.monetization import KindReward
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.monetization import set_reward
from jobs.monetization_cron import credit_waiting
from platforms.kick.pusher_events import normalize_frame
from tests.platforms.kick.support import INDEX, frame_file
from tests.support import NOON, chat, fetch, outbox_texts, wealth_of


def base(platform: Platform = Platform.TWITCH, event_id: str | None = None) -> dict[str, Any]:
    return dict(platform=platform, event_id=event_id or f"ev-{uuid.uuid4().hex[:10]}",
                channel="c", occurred_at=NOON, received_at=NOON)


def sub(name: str, uid: str, *, tier: int = 1, is_gift: bool = False,
        event_id: str | None = None, platform: Platform = Platform.TWITCH) -> Subscription:
    return Subscription(**base(platform, event_id), user=UserRef(id=uid, name=name), tier=tier,
                        is_gift=is_gift)


async def apply(app: AppContext, *events: Event, batch: str | None = None) -> None:
    await apply_batch(app, batch or uuid.uuid4().hex, [encode_event(e) for e in events])


async def rows(kind: str | None = None) -> list[dict[str, Any]]:
    return await fetch(
        "SELECT m.kind, m.event_id, m.user_id, u.username AS player, m.platform_user_id,"
        " m.username, m.quantity, m.tier, m.usd, m.wealth, m.xp, m.session_id,"
        " m.credited_at IS NOT NULL AS credited FROM monetization_events m"
        " LEFT JOIN users u ON u.id = m.user_id"
        + (" WHERE m.kind = $1" if kind else "") + " ORDER BY m.id", *([kind] if kind else []))


async def crates_of(name: str) -> list[str]:
    found = await fetch("SELECT c.tier FROM user_crates c JOIN users u ON u.id = c.user_id"
                        " WHERE u.username = $1 ORDER BY c.id", name)
    return [r["tier"] for r in found]


async def xp_of(name: str) -> int:
    found = await fetch("SELECT xp FROM users WHERE username = $1", name)
    return int(found[0]["xp"]) if found else 0


async def test_the_same_sub_three_times_rewards_once_and_writes_one_row(
        app: AppContext) -> None:
    await apply(app, StreamOnline(**base(), title="live"))
    session = (await fetch("SELECT id FROM streaming_sessions"))[0]["id"]
    event = sub("Carol", "9", event_id="sub-1")
    await apply(app, event, event, event, batch="b1")  # three times in one batch
    await apply(app, event, batch="b2")  # and again in other batches
    await apply(app, event, event, batch="b3")
    assert (await wealth_of("Carol"), await xp_of("Carol")) == (500, 100)
    assert await rows() == [{
        "kind": "sub_t1", "event_id": "sub-1", "user_id": 1, "player": "Carol",
        "platform_user_id": "9", "username": "Carol", "quantity": 1, "tier": 1,
        "usd": Decimal("5.00"), "wealth": 500, "xp": 100, "session_id": session,
        "credited": True}]
    ledger = await fetch("SELECT event_type, wealth_delta, detail FROM game_events ORDER BY id")
    assert ledger == [{"event_type": "support_sub_t1", "wealth_delta": 500, "detail": None},
                      {"event_type": "contribution", "wealth_delta": 0,
                       "detail": '{"usd_cents": 500}'}]  # counted once too
    contributions = await fetch("SELECT usd, events FROM session_contributions")
    assert contributions == [{"usd": Decimal("5.00"), "events": 1}]
    said = await outbox_texts(app, "twitch")
    assert said.count("@Carol thanks for the tier 1 sub! +$500, +100 XP") == 1


async def test_a_twitch_gift_of_5_rewards_the_gifter_once_and_each_recipient_once(
        app: AppContext) -> None:
    """Twitch: one channel.subscription.gift for the gifter, one channel.subscribe with
    is_gift=true per recipient; each delivered twice, across batches."""
    gift = GiftSubscriptions(**base(event_id="gift-1"), user=UserRef(id="100", name="Santa"),
                             count=5)
    subs = [sub(f"kid{i}", f"20{i}", is_gift=True, event_id=f"gifted-{i}") for i in range(5)]
    await apply(app, gift, *subs[:3], gift)
    await apply(app, *subs, gift, subs[0])
    assert (await wealth_of("Santa"), await xp_of("Santa")) == (2_500, 500)
    for i in range(5):
        assert await wealth_of(f"kid{i}") == 0  # a gifted sub pays the recipient no sub
        assert await crates_of(f"kid{i}") == ["common"]
    assert [(r["kind"], r["quantity"], r["player"]) for r in await rows()] == [
        ("gift_sub", 5, "Santa"), *[("gift_recipient", 1, f"kid{i}") for i in range(3)],
        *[("gift_recipient", 1, f"kid{i}") for i in range(3, 5)]]
    said = await outbox_texts(app, "twitch")
    assert said.count("@Santa thanks for gifting 5 subs! +$2,500, +500 XP") == 1
    assert said.count("@kid0 enjoy the gifted sub! a common crate (!open)") == 1


async def test_a_gift_listing_its_recipients_and_their_own_events_rewards_each_once(
        app: AppContext) -> None:
    """Both forms of one gift: two recipients' own gifted-sub events first, then the gift
    that lists all five (made players if unseen), then the other three's own events."""
    kids = [UserRef(id=f"30{i}", name=f"elf{i}") for i in range(5)]
    await apply(app, *[sub(k.name, k.id, is_gift=True) for k in kids[:2]])
    gift = GiftSubscriptions(**base(Platform.KICK, "kick-gift-1"),
                             user=UserRef(id="400", name="Rudolph"), count=5,
                             recipients=tuple(kids))
    await apply(app, *[sub(k.name, k.id, is_gift=True, platform=Platform.KICK)
                       for k in kids[:2]])
    await apply(app, gift, gift)
    await apply(app, *[sub(k.name, k.id, is_gift=True, platform=Platform.KICK)
                       for k in kids[2:]])
    assert await wealth_of("Rudolph") == 2_500
    for kid in kids[:2]:  # their own events on Twitch and on Kick (two players): the list none
        assert await crates_of(kid.name) == ["common", "common"]
    for kid in kids[2:]:
        assert await crates_of(kid.name) == ["common"]
    listed = [r for r in await rows("gift_recipient") if r["event_id"].startswith("kick-gift")]
    assert sorted(r["event_id"] for r in listed) == [f"kick-gift-1>30{i}" for i in range(5)]
    said = await outbox_texts(app, "kick")
    assert "🎁 for the gifted subs: elf2, elf3, elf4 get a common crate (!open)" in said


async def test_a_reward_config_override_changes_the_payout(app: AppContext) -> None:
    from jobs.players import db

    await set_reward(db(), 1, "sub_t1", KindReward(1_234, 7, "rare"))
    await set_reward(db(), 1, "gift_recipient", KindReward(50, 0, None))
    await apply(app, sub("Dave", "11"))
    assert (await wealth_of("Dave"), await xp_of("Dave")) == (1_234, 7)
    assert await crates_of("Dave") == ["rare"]
    await apply(app, sub("Erin", "12", is_gift=True))
    assert (await wealth_of("Erin"), await crates_of("Erin")) == (50, [])
    said = await outbox_texts(app, "twitch")
    assert "@Dave thanks for the tier 1 sub! +$1,234, +7 XP + a rare crate (!open)" in said
    # another community keeps the rulebook's
    assert (await rows("sub_t1"))[0]["wealth"] == 1_234
    from jobs.monetization import reset_reward

    assert await reset_reward(db(), 1, "sub_t1")
    await apply(app, sub("Faye", "13"))
    assert await wealth_of("Faye") == 500


async def _own_kick_channel() -> None:
    # the recorded GiftedSubscriptionsEvent comes from chatroom 715 (broadcaster 70715)
    await fetch("INSERT INTO community_channels (community_id, platform, channel_id, role,"
                " label) VALUES (1, 'kick', '70715', 'chat', '70715')")


def kick_chat(name: str, uid: str) -> ChatMessage:
    return chat(name, "hello", platform=Platform.KICK, channel="70715", user_id=uid)


def recorded_gift() -> GiftSubscriptions:
    event = normalize_frame(frame_file(
        "pusher_GiftedSubscriptionsEvent.chatroom_channel.gifted_total.5.frame.json"),
        INDEX, NOON)
    assert isinstance(event, GiftSubscriptions) and event.user is None
    return event


async def test_a_kick_gifter_known_only_by_username_is_found(app: AppContext) -> None:
    await _own_kick_channel()
    # the gifter and two recipients chatted before (other capitals: case does not matter)
    await apply(app, kick_chat("bagginsss", "k1"), kick_chat("EVILNERO", "k2"),
                kick_chat("pokerrolex", "k3"))
    gift = recorded_gift()
    await apply(app, gift, gift)
    assert (await wealth_of("bagginsss"), await xp_of("bagginsss")) == (2_500, 500)
    assert await crates_of("EVILNERO") == ["common"] and await crates_of("pokerrolex") == [
        "common"]
    gifter = (await rows("gift_sub"))[0]
    assert (gifter["player"], gifter["platform_user_id"], gifter["credited"]) == (
        "bagginsss", None, True)
    waiting = [r for r in await rows("gift_recipient") if not r["credited"]]
    assert sorted(r["username"] for r in waiting) == ["Monkey_Toes219", "Turkii13", "fukinjuan"]
    said = await outbox_texts(app, "kick")
    assert "@bagginsss thanks for gifting 5 subs! +$2,500, +500 XP" in said
    assert any("EVILNERO, pokerrolex get a common crate (!open); fukinjuan, Monkey_Toes219,"
               " Turkii13 when they first chat here" in t for t in said), said


async def test_an_unknown_gifter_is_credited_once_when_the_account_first_appears(
        app: AppContext) -> None:
    await _own_kick_channel()
    await apply(app, StreamOnline(**base(), title="live"))
    gift = recorded_gift()
    await apply(app, gift)
    assert await wealth_of("Bagginsss") == 0
    pending = (await rows("gift_sub"))[0]
    assert (pending["user_id"], pending["username"], pending["credited"], pending["wealth"]) == (
        None, "Bagginsss", False, 2_500)
    assert "@Bagginsss thanks for gifting 5 subs! chat here once to collect +$2,500, +500 XP" in (
        await outbox_texts(app, "kick"))
    ctx = {"app": app}
    assert await credit_waiting(ctx) == {"credited": 0}  # nobody has the name yet
    await apply(app, kick_chat("BAGGINSSS", "k9"), kick_chat("turkii13", "k8"))
    runs = await asyncio.gather(credit_waiting(ctx), credit_waiting(ctx))
    assert sum(r["credited"] for r in runs) == 2  # the gifter and one recipient, once each
    assert await credit_waiting(ctx) == {"credited": 0}
    assert (await wealth_of("BAGGINSSS"), await xp_of("BAGGINSSS")) == (2_500, 500)
    assert await crates_of("turkii13") == ["common"]
    credited = (await rows("gift_sub"))[0]
    assert (credited["player"], credited["credited"]) == ("BAGGINSSS", True)
    # the session it was recorded in is still open: its USD counts for the Juicernaut
    assert await fetch("SELECT usd FROM session_contributions") == [{"usd": Decimal("25.00")}]
    said = await outbox_texts(app, "kick")
    assert said.count("@BAGGINSSS thanks for gifting 5 subs! +$2,500, +500 XP") == 1
    assert said.count("@turkii13 enjoy the gifted sub! a common crate (!open)") == 1


async def test_a_credit_after_its_session_ended_does_not_count_for_the_juicernaut(
        app: AppContext) -> None:
    await _own_kick_channel()
    await apply(app, StreamOnline(**base(), title="live"))
    await apply(app, recorded_gift())
    await apply(app, StreamOffline(**base()))
    await apply(app, StreamOnline(**base(), title="again"))  # a new session is open
    await apply(app, kick_chat("Bagginsss", "k9"))
    assert await credit_waiting({"app": app}) == {"credited": 1}
    assert await wealth_of("Bagginsss") == 2_500
    assert await fetch("SELECT usd FROM session_contributions") == []


async def test_an_anonymous_gift_rewards_its_recipients_and_is_settled(app: AppContext) -> None:
    gift = GiftSubscriptions(**base(Platform.KICK), count=1,
                             recipients=(UserRef(id="501", name="lucky"),))
    await apply(app, gift)
    assert await crates_of("lucky") == ["common"]
    gifter = (await rows("gift_sub"))[0]
    assert (gifter["user_id"], gifter["username"], gifter["credited"]) == (None, "", True)
    assert await credit_waiting({"app": app}) == {"credited": 0}
