from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.commands import (
    ALIASES,
    USAGE,
    ambiguous_mention,
    check_arguments,
    name_key,
    parse_amount,
    parse_command,
    parse_mention,
)
from game.errors import UsageError


def test_commands_and_aliases() -> None:
    assert parse_command("!play").name == "play"  # type: ignore[union-attr]
    assert parse_command("  !P  ").name == "profile"  # type: ignore[union-attr]
    assert parse_command("!stats").name == "profile"  # type: ignore[union-attr]
    assert parse_command("!rob @bob").args == ("@bob",)  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["hello", "!", "!!", "!unknowncmd", "!pl4y", "! play",
                                  "!plаy", "!🎰", "", "play"])
def test_plain_chat_and_unknown_commands_are_ignored(text: str) -> None:
    assert parse_command(text) is None


def test_a_5000_character_line_is_parsed_safely() -> None:
    cmd = parse_command("!rob " + "a" * 5000)
    assert cmd is not None and cmd.name == "rob"
    with pytest.raises(UsageError):
        parse_mention(cmd.args[0], "usage: !rob @user")
    assert parse_command("x" * 5000) is None
    many = parse_command("!lb " + "a " * 3000)
    assert many is not None and len(many.args) <= 8


@pytest.mark.parametrize("bad", ["-5", "1e9", "0x10", "٣", "0", "1.5", "", "12abc",
                                 "１２", "1,00", "99999999999999999999999999"])
def test_bad_amounts_are_refused(bad: str) -> None:
    with pytest.raises(UsageError, match="usage"):
        parse_amount(bad, "usage: !givewealth <user> <amount>", 10**12)


def test_good_amounts() -> None:
    assert parse_amount("5000", "u", 10**12) == 5000
    assert parse_amount("1,000,000", "u", 10**12) == 1_000_000
    with pytest.raises(UsageError, match="at most"):
        parse_amount("5001", "u", 5000)


@given(st.text(max_size=40))
def test_parse_amount_never_crashes(text: str) -> None:
    try:
        value = parse_amount(text, "u", 10**12)
    except UsageError:
        return
    assert 0 < value <= 10**12


@given(st.text(max_size=300))
def test_parse_command_never_crashes(text: str) -> None:
    parse_command(text)


def test_mentions() -> None:
    assert parse_mention("@Bob", "u") == "Bob"
    assert parse_mention("bob", "u") == "bob"
    with pytest.raises(UsageError):
        parse_mention("@", "u")
    with pytest.raises(UsageError):
        parse_mention("@bad\u0000name", "u")


@pytest.mark.parametrize("arg", ["@@@", "@@", "@@bob", "@ @"])
def test_a_mention_of_only_at_signs_or_a_doubled_at_is_a_usage_error(arg: str) -> None:
    with pytest.raises(UsageError, match="usage: !rob @user"):
        parse_mention(arg, USAGE["rob"])


def test_every_command_has_a_usage_line() -> None:
    assert set(USAGE) == set(ALIASES)
    assert all(line.startswith(f"usage: !{name}") for name, line in USAGE.items())


CONTROL = st.characters(categories=["Cc"]).filter(lambda ch: not ch.isspace())
ARG_TEXT = st.text(st.characters(exclude_categories=["Cc", "Zs", "Zl", "Zp"]), max_size=10)


@given(st.sampled_from(sorted({a for n, al in ALIASES.items() for a in (n, *al)})),
       st.lists(ARG_TEXT, max_size=3), ARG_TEXT, CONTROL, ARG_TEXT)
def test_any_argument_with_a_control_character_gets_the_usage(
    word: str, before: list[str], left: str, control: str, right: str,
) -> None:
    cmd = parse_command(" ".join([f"!{word}", *before, left + control + right]))
    assert cmd is not None
    with pytest.raises(UsageError) as err:
        check_arguments(cmd)
    assert err.value.message == USAGE[cmd.name]


@given(st.text(max_size=100))
def test_arguments_without_control_characters_pass(text: str) -> None:
    cmd = parse_command("!startsession " + text)
    assert cmd is not None
    if not any(unicodedata.category(ch) == "Cc" for arg in cmd.args for ch in arg):
        check_arguments(cmd)


def test_look_alike_letters_stay_distinct() -> None:
    assert name_key("Alice") == name_key("alice") == name_key("ＡＬＩＣＥ")
    assert name_key("аlice") != name_key("alice")  # Cyrillic а
    assert name_key("🔥fire🔥") == "🔥fire🔥"


@pytest.mark.parametrize("players,more,expected", [
    ([("twitch",), ("kick",)], False,
     "two players are called bob: one plays on Twitch, one on Kick"),
    ([("kick", "twitch"), ("discord",), ("console",)], False,
     "three players are called bob: one plays on Kick and Twitch, one on Discord, one on the"
     " console"),
    ([("discord",), ("discord",)], False, "two players are called bob: both play on Discord"),
    ([("discord",)] * 5, True,
     "more than five players are called bob: all play on Discord"),
])
def test_an_ambiguous_mention_says_where_each_player_plays(
    players: list[tuple[str, ...]], more: bool, expected: str,
) -> None:
    text = ambiguous_mention("bob", players, more)
    assert text == f"{expected} — mention them from the platform they play on"
