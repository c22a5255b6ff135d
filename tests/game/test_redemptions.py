"""Which command a reward redemption runs (``economy.live_mode = channel_points``): a mapping
by id beats one by folded title, which beats the default (the command's name, alone or after
the game's); a redemption as the command typed; what a mapping stores."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.commands import COMMANDS, parse_command
from game.events import ChatMessage, Platform, RewardRedemption, UserRef
from game.matching import fold
from game.redemptions import (
    GAME_NAME,
    REDEEMABLE,
    RedemptionError,
    as_command,
    check_command,
    check_platform,
    default_command,
    how_to_redeem,
    resolve,
    reward_key,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
commands = st.sampled_from(REDEEMABLE)
ids = st.text("0123456789abcdef-", min_size=1, max_size=36)
titles = st.text(min_size=0, max_size=40)


def redemption(title: str = "Play", text: str = "", reward_id: str = "r1") -> RewardRedemption:
    return RewardRedemption(platform=Platform.TWITCH, event_id="ev1", channel="c",
                            user=UserRef(id="9", name="Ann"), occurred_at=NOW,
                            received_at=NOW, reward_id=reward_id, reward_title=title,
                            input=text)


def test_the_redeemable_commands_come_from_the_registry() -> None:
    assert REDEEMABLE == ("play", "rob", "bail", "reroll")
    assert all(COMMANDS[name].redeemable for name in REDEEMABLE)


@given(commands, st.sampled_from(["{}", "{} ", "!{}", "{}!", "{}:", "{} {}"]),
       st.booleans(), st.booleans())
def test_a_title_naming_the_command_runs_it_by_default(
        command: str, shape: str, game: bool, upper: bool) -> None:
    title = shape.format(command.capitalize(), "") if shape != "{} {}" else command
    if game:
        title = f"{GAME_NAME}: {title}"
    if upper:
        title = title.upper()
    assert default_command(title) == command
    assert resolve("some-id", title, {}) == command


@given(titles)
def test_other_titles_run_nothing_by_default(title: str) -> None:
    folded = fold(title)
    game = fold(GAME_NAME)
    expected = next((c for c in REDEEMABLE if folded in (c, game + c)), None)
    assert default_command(title) == expected
    assert resolve("rid", title, {}) == expected


@pytest.mark.parametrize("title", ["Play more", "Kingpin", "Rob the bank", "Hydrate",
                                   "Kingpin: Play Play", ""])
def test_near_misses_run_nothing(title: str) -> None:
    assert resolve("rid", title, {}) is None


@given(ids, titles, commands, commands, commands)
def test_by_id_beats_by_title_beats_the_default(
        reward_id: str, title: str, by_id: str, by_title: str, other: str) -> None:
    folded = fold(title)
    mappings = {reward_id: by_id}
    if folded and folded != reward_id:
        mappings[folded] = by_title
    assert resolve(reward_id, title, mappings) == by_id
    if folded and folded != reward_id:
        assert resolve(reward_id + "x", title, mappings) == by_title
        # a title mapping wins over the default a title would have
        assert resolve("nope", other.capitalize(), {fold(other): by_title}) == by_title


@given(ids, titles, st.text(min_size=1, max_size=10))
def test_a_mapping_to_something_not_redeemable_is_ignored(
        reward_id: str, title: str, junk: str) -> None:
    if junk in REDEEMABLE:
        return
    mappings = {reward_id: junk, fold(title): junk}
    assert resolve(reward_id, title, mappings) == default_command(title)


@given(commands, st.text(max_size=60))
def test_a_redemption_becomes_the_command_as_typed(command: str, text: str) -> None:
    event = redemption("Whatever", text)
    cmd_event = as_command(event, command)
    assert isinstance(cmd_event, ChatMessage)
    assert cmd_event.kind == "chat_message"
    for field in ("platform", "event_id", "channel", "guild", "user", "occurred_at",
                  "received_at"):
        assert getattr(cmd_event, field) == getattr(event, field)
    assert cmd_event.reward_id == event.reward_id
    assert cmd_event.reward_title == event.reward_title
    cmd = parse_command(cmd_event.text)
    assert cmd is not None and cmd.name == command
    if COMMANDS[command].args:  # !rob: the first word of the message, if any
        assert cmd.args == tuple(text.split()[:1])
    else:
        assert cmd.args == ()


def test_rob_takes_its_target_from_the_message() -> None:
    assert as_command(redemption("Rob", "@bob"), "rob").text == "!rob @bob"
    assert as_command(redemption("Rob", "  bob please "), "rob").text == "!rob bob"
    assert as_command(redemption("Rob", ""), "rob").text == "!rob"
    assert as_command(redemption("Play", "@bob"), "play").text == "!play"


def test_the_answer_to_a_typed_command_names_the_reward() -> None:
    assert how_to_redeem("play", "Kingpin: Play") == (
        "this stream runs on channel points: redeem “Kingpin: Play” to play")
    assert how_to_redeem("play", None) == (
        "this stream runs on channel points: redeem “Play” to play")
    assert how_to_redeem("rob", None) == (
        "this stream runs on channel points: redeem “Rob” with who to rob in its message to rob")


@given(st.uuids())
def test_ids_are_stored_as_given_and_titles_folded(uuid: object) -> None:
    assert reward_key(f" {uuid} ") == str(uuid)
    assert reward_key("01KBHE7RZNHB0SKDV1H86CD4F3") == "01KBHE7RZNHB0SKDV1H86CD4F3"
    assert reward_key("9001") == "9001"
    assert reward_key("Kingpin: Play") == "kingpinplay"
    assert reward_key("title:Kingpin: Rob") == "kingpinrob"  # Kick's socket id form


@given(titles)
def test_a_stored_title_matches_the_redemptions_with_that_title(title: str) -> None:
    try:
        key = reward_key(title)
    except RedemptionError:
        assert not fold(title) or len(fold(title)) > 200
        return
    assert resolve("another-id", title, {key: "bail"}) == "bail"


@pytest.mark.parametrize("bad", ["", "  ", "!!!", "💀"])
def test_nothing_usable_is_refused(bad: str) -> None:
    with pytest.raises(RedemptionError):
        reward_key(bad)


def test_platforms_and_commands_of_a_mapping() -> None:
    assert check_platform(" Twitch ") == "twitch"
    assert check_command("!Play") == "play"
    with pytest.raises(RedemptionError, match="twitch or kick"):
        check_platform("discord")
    with pytest.raises(RedemptionError, match="play, rob, bail, reroll"):
        check_command("checkin")
