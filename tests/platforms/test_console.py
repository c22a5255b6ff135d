"""The console platform: line format, and the real CLI end to end over a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from game.events import (
    ChatMessage,
    Cheer,
    Donation,
    GiftSubscriptions,
    Platform,
    RewardRedemption,
    Role,
)
from platforms.console import ConsoleSyntaxError, LineParser
from tests.support import fetch

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def parser() -> LineParser:
    return LineParser(channel="local")


def test_chat_lines(parser: LineParser) -> None:
    event = parser.parse("alice: !play\n")
    assert isinstance(event, ChatMessage)
    assert (event.platform, event.user.name, event.user.id, event.text) == (
        Platform.CONSOLE, "alice", "alice", "!play")
    kick = parser.parse("kick/Bob: !rob @alice")
    assert kick is not None and kick.platform == Platform.KICK and kick.user.name == "Bob"
    boss = parser.parse("twitch/streamer+broadcaster+moderator: !startsession")
    assert boss is not None and boss.user is not None
    assert boss.user.roles == {Role.BROADCASTER, Role.MODERATOR}
    assert parser.parse("alice: a: b") is not None  # only the first colon separates
    assert parser.parse("   \n") is None
    long = parser.parse("alice: " + "x" * 5000)
    assert isinstance(long, ChatMessage) and len(long.text) == 5000


def test_slash_events(parser: LineParser) -> None:
    gift = parser.parse("/gift twitch/dave 5 2")
    assert isinstance(gift, GiftSubscriptions) and (gift.count, gift.tier) == (5, 2)
    cheer = parser.parse("/cheer carol 500")
    assert isinstance(cheer, Cheer) and cheer.bits == 500
    donation = parser.parse("/donate erin 4.99")
    assert isinstance(donation, Donation) and str(donation.amount) == "4.99"
    online = parser.parse("/online kick")
    assert online is not None and online.kind == "stream_online" and online.user is None


def test_a_line_may_name_its_channel(parser: LineParser) -> None:
    plain = parser.parse("twitch/alice: !play")
    assert plain is not None and (plain.platform, plain.channel) == (Platform.TWITCH, "local")
    twitch = parser.parse("twitch#beta/alice+moderator: !play")
    assert isinstance(twitch, ChatMessage)
    assert (twitch.platform, twitch.channel, twitch.user.name, twitch.text) == (
        Platform.TWITCH, "beta", "alice", "!play")
    assert twitch.user.roles == {Role.MODERATOR}
    console = parser.parse("console#beta-room/bob: hi")
    assert console is not None and (console.platform, console.channel) == (
        Platform.CONSOLE, "beta-room")
    short = parser.parse("#beta-room/bob: hi")  # no platform: the console
    assert short is not None and (short.platform, short.channel) == (
        Platform.CONSOLE, "beta-room")
    kick = parser.parse("KICK#676/erin: !balance")
    assert kick is not None and (kick.platform, kick.channel) == (Platform.KICK, "676")
    # a '#' in a name without a platform prefix is still part of the name
    named = parser.parse("alice#1: hi")
    assert isinstance(named, ChatMessage) and (named.user.name, named.channel) == (
        "alice#1", "local")


def test_slash_events_may_name_their_channel(parser: LineParser) -> None:
    sub = parser.parse("/sub #beta-room/alice 2")
    assert sub is not None and (sub.platform, sub.channel) == (Platform.CONSOLE, "beta-room")
    gift = parser.parse("/gift twitch#beta/dave 5")
    assert isinstance(gift, GiftSubscriptions) and (gift.channel, gift.count) == ("beta", 5)
    online = parser.parse("/online kick#676")
    assert online is not None and (online.platform, online.channel) == (Platform.KICK, "676")
    console = parser.parse("/offline #beta-room")
    assert console is not None and (console.platform, console.channel) == (
        Platform.CONSOLE, "beta-room")
    default = parser.parse("/online")
    assert default is not None and (default.platform, default.channel) == (
        Platform.CONSOLE, "local")


@pytest.mark.parametrize("line", [
    "no colon here", ": !play", "alice:", "bad/alice: hi", "alice+king: hi", "a b: hi",
    "twitch#/alice: hi", "#/alice: hi", "mars#beta/alice: hi", "/alice: hi", "/sub #/alice",
    "/online #", "/online mars#x", "/sub twitch#beta/ 1",
    "/sub", "/gift dave", "/gift dave many", "/sub dave 4", "/cheer x -5", "/cheer x ٣",
    "/donate x abc", "/donate x NaN", "/donate x -1", "/online mars", "/dance now",
])
def test_malformed_lines_are_refused(parser: LineParser, line: str) -> None:
    with pytest.raises(ConsoleSyntaxError):
        parser.parse(line)


def test_event_ids_are_unique(parser: LineParser) -> None:
    a, b = parser.parse("a: hi"), parser.parse("a: hi")
    assert a is not None and b is not None and a.event_id != b.event_id


def run_console(db_url: str, redis_url: str, prefix: str, stdin: str) -> Any:
    env = {**os.environ, "KINGPIN_DATABASE_URL": db_url, "KINGPIN_REDIS_URL": redis_url,
           "KINGPIN_REDIS_PREFIX": prefix, "KINGPIN_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "kingpin.cli", "console"], input=stdin, capture_output=True,
        text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )


async def test_piped_console_answers_every_line_and_exits_0(
    app: Any, db_url: str, redis_url: str, settings: Any
) -> None:
    stdin = ("alice: !play\nbob: !checkin\nalice: !rob @bob\nalice: !profile\n"
             "this line is malformed\nalice: !rob\n")
    result = run_console(db_url, redis_url, settings.redis_prefix, stdin)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert all(line.startswith("[console#local] ") for line in lines), lines
    assert lines[0].startswith("[console#local] @alice ")
    assert any("@bob 📅 checked in — day 1 streak" in line for line in lines)
    # the rob's answer names bob, unless !play got alice jailed (5%: the console plays for real)
    assert any(line.startswith("[console#local] @alice ") and ("bob" in line or "jail" in line)
               for line in lines[2:]), lines
    assert any("Punk | level" in line for line in lines)
    assert lines[-1] == "[console#local] @alice usage: !rob @user"
    assert "usage:" in result.stderr and "expected <who>: <text>" in result.stderr
    assert "Traceback" not in result.stderr


async def test_console_prints_other_platforms_with_their_prefix(
    app: Any, db_url: str, redis_url: str, settings: Any
) -> None:
    result = run_console(db_url, redis_url, settings.redis_prefix,
                         "/sub twitch/dave 3\nkick/erin: !balance\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[twitch#local] @dave thanks for the tier 3 sub! +$1,000, +200 XP",
        "[twitch#local] ⬆️ dave reached level 2!",
        "[kick#local] @erin you have $0",
    ]


async def test_no_worker_waits_with_a_hint_then_exits_1_with_one_line(
    app: Any, redis: Any, settings: Any
) -> None:
    import io

    from kingpin.bus import Publisher
    from kingpin.keys import Keys
    from platforms.console import Console, LineParser, NoWorker

    keys = Keys(settings.redis_prefix)
    err = io.StringIO()
    console = Console(redis=redis, keys=keys, publisher=Publisher(redis, keys),
                      parser=LineParser(channel="local"), out=io.StringIO(), err=err)
    await console.publisher.publish(LineParser(channel="local").parse("alice: !play"))
    with pytest.raises(NoWorker, match="is a worker running"):
        await console.wait_applied(limit_s=0.5, hint_after_s=0.1)
    assert "waiting for a worker" in err.getvalue()


def test_redeem_lines(parser: LineParser) -> None:
    event = parser.parse("/redeem twitch#c/alice Kingpin: Rob | @bob pls")
    assert isinstance(event, RewardRedemption)
    assert (event.platform, event.channel, event.user.name) == (Platform.TWITCH, "c", "alice")
    assert (event.reward_title, event.input) == ("Kingpin: Rob", "@bob pls")
    plain = parser.parse("/redeem bob Play")
    assert isinstance(plain, RewardRedemption) and plain.input == ""
    for bad in ("/redeem", "/redeem bob", "/redeem bob | input only"):
        with pytest.raises(ConsoleSyntaxError):
            parser.parse(bad)


async def test_channel_points_from_the_console(
    app: Any, db_url: str, redis_url: str, settings: Any
) -> None:
    result = run_console(db_url, redis_url, settings.redis_prefix,
                         "boss+broadcaster: !config economy.live_mode channel_points\n"
                         "/online\nalice: !play\n/redeem alice Play\n")
    assert result.returncode == 0, result.stderr
    alice = [line for line in result.stdout.splitlines()
             if line.startswith("[console#local] @alice")]
    assert alice[0] == ("[console#local] @alice this stream runs on channel points: redeem"
                        " “Play” to play")
    assert len(alice) == 2 and "redeem" not in alice[1], result.stdout
    played = await fetch("SELECT total_play_count FROM users WHERE username = 'alice'")
    assert played[0]["total_play_count"] == 1  # the redemption played, the typed one did not
