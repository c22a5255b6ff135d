"""Linking rules: codes, who may join whom, and the merge arithmetic."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.errors import NotAllowed, UsageError
from game.levels import level_for_xp
from game.linking import (
    CODE_ALPHABET,
    CODE_LENGTH,
    IssuedCode,
    PlayerSnapshot,
    cancelled_text,
    check_code,
    check_confirm,
    check_platforms,
    check_requester,
    check_unlink,
    is_private,
    issued_text,
    merge_players,
    minutes_left,
    new_code,
    normalize_code,
    parse_link,
    parse_unlink,
    requested_text,
)
from game.rules import DEFAULT_RULES

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
COUNTERS = ("wealth", "xp", "total_play_count", "wins", "losses", "rob_count",
            "rob_success_count", "messages_sent", "lifetime_wealth_earned")

moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1),
                       timezones=st.just(UTC))
small = st.integers(min_value=0, max_value=10**6)
big = st.integers(min_value=0, max_value=10**15)


@st.composite
def snapshots(draw: st.DrawFn, player_id: int) -> PlayerSnapshot:
    return PlayerSnapshot(
        id=player_id, created_at=draw(moments), wealth=draw(big), xp=draw(big),
        checkin_streak=draw(st.integers(0, 400)),
        last_checkin_date=draw(st.none() | st.dates(date(2025, 1, 1), date(2027, 1, 1))),
        total_play_count=draw(small), wins=draw(small), losses=draw(small),
        rob_count=draw(small), rob_success_count=draw(small), messages_sent=draw(big),
        lifetime_wealth_earned=draw(big), last_chat_reward_at=draw(st.none() | moments),
        last_seen=draw(moments),
    )


@given(snapshots(1), snapshots(2))
def test_merge_adds_up_keeps_the_best_streak_and_recomputes_the_level(
    a: PlayerSnapshot, b: PlayerSnapshot
) -> None:
    m = merge_players(a, b)
    for name in COUNTERS:
        assert getattr(m, name) == getattr(a, name) + getattr(b, name), name
    assert m.checkin_streak == max(a.checkin_streak, b.checkin_streak)
    holders = [p for p in (a, b) if p.checkin_streak == m.checkin_streak]
    assert m.last_checkin_date in [p.last_checkin_date for p in holders]
    assert m.level == level_for_xp(a.xp + b.xp)
    assert m.status_tier == DEFAULT_RULES.tier_for_level(m.level).title
    assert m.level >= max(level_for_xp(a.xp), level_for_xp(b.xp))
    assert m.last_seen == max(a.last_seen, b.last_seen)
    rewards = [t for t in (a.last_chat_reward_at, b.last_chat_reward_at) if t is not None]
    assert m.last_chat_reward_at == (max(rewards) if rewards else None)


@given(snapshots(1), snapshots(2))
def test_the_older_player_survives_whatever_the_order(a: PlayerSnapshot, b: PlayerSnapshot
                                                      ) -> None:
    m, swapped = merge_players(a, b), merge_players(b, a)
    assert m == swapped
    older = a if (a.created_at, a.id) <= (b.created_at, b.id) else b
    assert m.survivor_id == older.id
    assert {m.survivor_id, m.absorbed_id} == {1, 2}


@given(snapshots(1))
def test_merging_with_a_fresh_player_keeps_the_progress(a: PlayerSnapshot) -> None:
    fresh = PlayerSnapshot(2, NOW, 0, 0, 0, None, 0, 0, 0, 0, 0, 0, 0, None, NOW)
    m = merge_players(a, fresh)
    assert (m.wealth, m.xp, m.checkin_streak) == (a.wealth, a.xp, a.checkin_streak)
    assert m.last_checkin_date == a.last_checkin_date


def test_equal_streaks_keep_the_later_date() -> None:
    base = PlayerSnapshot(1, NOW, 0, 0, 5, date(2026, 11, 20), 0, 0, 0, 0, 0, 0, 0, None, NOW)
    other = PlayerSnapshot(2, NOW, 0, 0, 5, date(2026, 11, 22), 0, 0, 0, 0, 0, 0, 0, None, NOW)
    assert merge_players(base, other).last_checkin_date == date(2026, 11, 22)


@given(st.integers(min_value=0, max_value=2**32))
def test_codes_use_the_unambiguous_alphabet(seed: int) -> None:
    code = new_code(random.Random(seed))
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("0O1IL")
    assert normalize_code(code.lower()) == code
    assert normalize_code(f"  {code} ") == code


@pytest.mark.parametrize("text", ["", "ABC", "ABCD23456", "ABCD234O", "ABCD2341", "ABCD-234",
                                  "ABCD 234", "ÄBCD2345", "abcd234l"])
def test_malformed_codes_are_refused(text: str) -> None:
    assert normalize_code(text) is None


def _code(**kw: object) -> IssuedCode:
    values: dict[str, object] = dict(user_id=1, owner_id=1, platform="twitch",
                                     platform_user_id="t1", expires_at=NOW + timedelta(minutes=5),
                                     used_at=None)
    values.update(kw)
    return IssuedCode(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("code,player,platform,account,expected", [
    (None, 2, "kick", "k2", "doesn't exist"),
    (_code(), 1, "twitch", "t1", "on your other platform, not here"),
    (_code(), 1, "kick", "k1", "already linked"),
    (_code(used_at=NOW), 1, "kick", "k1", "already linked"),
    (_code(used_at=NOW), 2, "kick", "k2", "already used"),
    (_code(expires_at=NOW), 2, "kick", "k2", "expired"),
    (_code(owner_id=None), 2, "kick", "k2", "no longer valid"),
    (_code(owner_id=3), 2, "kick", "k2", "no longer valid"),
])
def test_code_refusals(code: IssuedCode | None, player: int, platform: str, account: str,
                       expected: str) -> None:
    with pytest.raises(NotAllowed, match=expected):
        check_code(code, player, platform, account, NOW)


def test_a_valid_code_passes() -> None:
    check_code(_code(), 2, "kick", "k2", NOW)


def test_one_account_per_platform() -> None:
    check_platforms(["twitch"], ["kick", "discord"])
    with pytest.raises(NotAllowed, match="two Twitch accounts"):
        check_platforms(["twitch"], ["kick", "twitch"])


def test_unlink_rules() -> None:
    check_unlink("kick", ["twitch", "kick"])
    with pytest.raises(NotAllowed, match="no Kick account"):
        check_unlink("kick", ["twitch", "discord"])
    with pytest.raises(NotAllowed, match="only account"):
        check_unlink("kick", ["kick"])
    assert parse_unlink(("KICK",), ("twitch", "kick")) == "kick"
    for args in [(), ("youtube",), ("kick", "twitch")]:
        with pytest.raises(UsageError):
            parse_unlink(args, ("twitch", "kick"))


# --- private codes, public codes and their confirmation ---

PENDING = dict(pending_platform="kick", pending_user_id="k2", pending_name="bo")


def test_only_discord_and_the_console_show_a_code_privately() -> None:
    assert is_private("discord") and is_private("console")
    assert not is_private("twitch") and not is_private("kick")
    assert _code(platform="discord").private and not _code().private
    assert issued_text("ABCD2345", private=True) == (
        "your link code is ABCD2345 — type !link ABCD2345 on your other platform within 10 min")
    assert issued_text("ABCD2345", private=False).endswith(
        "within 10 min, then !link confirm <that account's name> here")


@pytest.mark.parametrize("args,expected", [
    ((), ("issue", None)),
    (("confirm",), ("confirm", None)),
    (("CONFIRM",), ("confirm", None)),
    (("Cancel",), ("cancel", None)),
    (("confirm", "@Bo"), ("confirm", "Bo")),
    (("confirm", "bo"), ("confirm", "bo")),
    (("abcd2345",), ("redeem", "ABCD2345")),
    (("hello",), ("redeem", None)),  # not a code: "doesn't exist", like today
])
def test_parse_link(args: tuple[str, ...], expected: tuple[str, str | None]) -> None:
    assert parse_link(args) == expected


def test_parse_link_usage() -> None:
    for args in (("confirm", "bo", "now"), ("cancel", "now"), ("abcd2345", "x")):
        with pytest.raises(UsageError):
            parse_link(args)


def test_a_pending_code_refuses_every_other_redeemer() -> None:
    pending = _code(**PENDING)
    with pytest.raises(NotAllowed, match="you already asked — now type !link confirm on Twitch"):
        check_code(pending, 2, "kick", "k2", NOW)
    with pytest.raises(NotAllowed, match="someone already asked .* !link cancel on Twitch"):
        check_code(pending, 3, "discord", "d3", NOW)
    with pytest.raises(NotAllowed, match="expired"):  # expiry comes first
        check_code(_code(**PENDING, expires_at=NOW), 3, "discord", "d3", NOW)


def test_confirm_rules() -> None:
    check_confirm(_code(**PENDING), None, NOW, "bo")
    check_confirm(_code(**PENDING), None, NOW, "BO")  # names compare as mentions do
    with pytest.raises(NotAllowed, match="bo .Kick. asked to link with you — .* !link confirm bo"):
        check_confirm(_code(**PENDING), None, NOW)
    with pytest.raises(NotAllowed, match="is bo .Kick., not eve — nothing was linked"):
        check_confirm(_code(**PENDING), None, NOW, "eve")
    with pytest.raises(NotAllowed, match="nobody has asked to link with you"):
        check_confirm(None, None, NOW)
    with pytest.raises(NotAllowed, match="nobody has asked to link with you"):
        check_confirm(_code(), None, NOW)  # a code nobody typed yet
    asked = _code(owner_name="ann", **PENDING)
    with pytest.raises(NotAllowed, match="only ann can confirm — type !link confirm on Twitch"):
        check_confirm(None, asked, NOW)
    with pytest.raises(NotAllowed, match="request has expired"):
        check_confirm(_code(**PENDING, expires_at=NOW), None, NOW)
    with pytest.raises(NotAllowed, match="no longer valid"):
        check_confirm(_code(**PENDING, owner_id=3), None, NOW)


def test_the_requester_must_still_be_someone_else() -> None:
    check_requester(2, 1)
    with pytest.raises(NotAllowed, match="no longer linked"):
        check_requester(None, 1)
    with pytest.raises(NotAllowed, match="already linked"):
        check_requester(1, 1)


def test_request_and_cancel_texts() -> None:
    assert requested_text("kick", "bo", "ann", "twitch", 7) == (
        "(Kick) asked to link with ann (Twitch) — ann, type !link confirm bo on Twitch within"
        " 7 min if that's you (!link cancel calls it off)")
    assert cancelled_text([("bo", "kick")], []) == (
        "bo (Kick) won't be linked — your link code no longer works")
    assert cancelled_text([(None, None)], [("ann", "twitch")]) == (
        "your link code no longer works; your request to link with ann (Twitch) is cancelled")
    with pytest.raises(NotAllowed, match="nothing|no link code"):
        cancelled_text([], [])


@pytest.mark.parametrize("left,minutes", [
    (timedelta(minutes=10), 10), (timedelta(minutes=9, seconds=1), 10),
    (timedelta(seconds=1), 1), (timedelta(0), 1),
])
def test_minutes_left_rounds_up(left: timedelta, minutes: int) -> None:
    assert minutes_left(NOW + left, NOW) == minutes
