from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.commands import name_key, parse_amount, parse_command, parse_mention
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


def test_look_alike_letters_stay_distinct() -> None:
    assert name_key("Alice") == name_key("alice") == name_key("ＡＬＩＣＥ")
    assert name_key("аlice") != name_key("alice")  # Cyrillic а
    assert name_key("🔥fire🔥") == "🔥fire🔥"
