"""Commands end to end through the batch job, with bad input of every kind."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from game.commands import USAGE
from game.events import Platform, encode_event
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.projector import project_once
from tests.support import chat, clear_outbox, fetch, outbox_texts, wealth_of

BROADCASTER = frozenset({"broadcaster"})


async def say(app: AppContext, *events: Any) -> list[str]:
    for platform in ("console", "twitch", "kick"):
        await clear_outbox(app, platform)
    await apply_batch(app, uuid.uuid4().hex, [encode_event(e) for e in events])
    texts = await outbox_texts(app)
    for platform in ("twitch", "kick"):
        texts += await outbox_texts(app, platform)
    return texts


async def give(app: AppContext, name: str, amount: int) -> None:
    await say(app, chat(name, "hi"))  # players exist once they have been seen
    out = await say(app, chat("boss", f"!givewealth {name} {amount}", roles=BROADCASTER))
    assert out[0].startswith("@boss gave"), out


async def test_play_pays_and_sets_a_cooldown(app: AppContext, clock: Any) -> None:
    first = await say(app, chat("alice", "!play"))
    assert len(first) >= 1 and first[0].startswith("@alice ")
    again = await say(app, chat("alice", "!play"))
    assert "cooldown" in again[0] or "jail" in again[0]
    clock.now += timedelta(seconds=31)
    later = await say(app, chat("alice", "!play"))
    assert "cooldown" not in later[0]
    rows = await fetch("SELECT total_play_count FROM users WHERE username = 'alice'")
    assert rows[0]["total_play_count"] == 2


async def test_busted_play_jails_and_jail_blocks_play_and_rob(app: AppContext, clock: Any) -> None:
    import random

    class Busted(random.Random):
        def random(self) -> float:  # the first draw decides "busted"
            return 0.0

    await give(app, "alice", 10_000)
    app.rng = Busted()
    out = await say(app, chat("alice", "!play"))
    assert "jail" in out[0]
    app.rng = random.Random(1)
    clock.now += timedelta(minutes=5)
    blocked = await say(app, chat("alice", "!play"))
    assert "you're in jail for 55 min more — !bail costs $750" in blocked[0]
    await say(app, chat("bob", "hi"))
    blocked = await say(app, chat("alice", "!rob @bob"))
    assert "jail" in blocked[0]
    freed = await say(app, chat("alice", "!bail"))
    assert "$750 bail" in freed[0]  # Punk: 10,000 × 0.15 × 0.5
    assert await wealth_of("alice") == 9_250
    assert "not in jail" in (await say(app, chat("alice", "!bail")))[0]


async def test_a_negative_play_with_nothing_to_lose_never_says_lost_0(app: AppContext) -> None:
    import random

    class Negative(random.Random):
        draws = iter((0.99, 0.0))  # not busted, then the negative event

        def random(self) -> float:
            return next(self.draws, 0.5)

    app.rng = Negative(1)
    [out] = await say(app, chat("alice", "!play"))
    assert out.startswith("@alice 💸 you ") and "nothing" in out and "$0" not in out
    rows = await fetch("SELECT wealth, total_play_count, losses FROM users")
    assert rows == [{"wealth": 0, "total_play_count": 1, "losses": 1}]


async def test_jail_expires_by_time(app: AppContext, clock: Any) -> None:
    import random

    from jobs.maintenance import expire_timers

    class Busted(random.Random):
        def random(self) -> float:
            return 0.0

    app.rng = Busted()
    await say(app, chat("alice", "!play"))
    clock.now += timedelta(minutes=61)
    result = await expire_timers({"app": app})
    assert result["released"] == 1 and result["cooldowns"] == 1


@pytest.mark.parametrize("text,expected", [
    ("!rob", "usage: !rob @user"),
    ("!rob @", "usage: !rob @user"),
    ("!rob @a @b", "usage: !rob @user"),
    ("!rob @nobody", "I don't know nobody"),
    ("!rob @alice", "you can't rob yourself"),
    ("!rob @ALICE", "you can't rob yourself"),
    ("!rob @аlice", "I don't know аlice"),  # Cyrillic а: a look-alike is someone else
    ("!rob @" + "x" * 5000, "usage: !rob @user"),
    ("!rob @@@", "usage: !rob @user"),
    ("!rob @@alice", "usage: !rob @user"),
])
async def test_rob_bad_targets(app: AppContext, text: str, expected: str) -> None:
    await give(app, "alice", 1_000)
    out = await say(app, chat("alice", text))
    assert len(out) == 1 and expected in out[0] and len(out[0]) < 300
    assert await wealth_of("alice") == 1_000
    assert (await fetch("SELECT COUNT(*) AS n FROM cooldowns"))[0]["n"] == 0


async def test_an_ambiguous_mention_says_where_the_players_play(app: AppContext) -> None:
    await say(app, chat("bob", "hi", platform=Platform.TWITCH, user_id="tw-bob"),
              chat("bob", "hi", platform=Platform.KICK, user_id="ki-bob"))
    out = await say(app, chat("alice", "!rob @bob"))  # on the console: no bob here
    assert out == ["@alice two players are called bob: one plays on Twitch, one on Kick"
                   " — mention them from the platform they play on"]
    # typed where one of them plays, the mention is that one
    out = await say(app, chat("alice", "!rob @bob", platform=Platform.KICK, user_id="ki-al"))
    assert out == ["@alice bob has nothing worth stealing"]


async def test_rob_a_broke_target(app: AppContext) -> None:
    await say(app, chat("bob", "hello"))
    out = await say(app, chat("alice", "!rob @bob"))
    assert "nothing worth stealing" in out[0]


async def test_rob_moves_money_and_notifies_the_victim(app: AppContext, clock: Any) -> None:
    import random

    class Lucky(random.Random):
        def random(self) -> float:
            return 0.0

        def randint(self, a: int, b: int) -> int:
            return 1000 if (a, b) == (800, 2800) else a  # the share: 10.00%

    await give(app, "bob", 10_000)
    app.rng = Lucky()
    out = await say(app, chat("alice", "!rob @Bob"))
    assert "you robbed bob for $1,000" in out[0]
    assert any(t.startswith("@bob you were robbed by alice") for t in out)
    assert await wealth_of("bob") == 9_000 and await wealth_of("alice") == 1_000
    clock.now += timedelta(minutes=6)
    again = await say(app, chat("alice", "!rob @bob"))
    assert "already robbed bob today" in again[0]


async def test_the_claim_finds_and_locks_the_robs_target(
    app: AppContext, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A target with that name on the asker's platform is found and locked by the claim
    (state.CLAIM_AND_LOCK_PAIR), with the per-target cooldown: no mention lookup, no lock of
    their own."""
    import random

    from jobs import commands, state

    class Lucky(random.Random):
        def random(self) -> float:
            return 0.0

    async def unused(*args: Any, **kw: Any) -> Any:
        raise AssertionError("the claim had this")

    await give(app, "bob", 10_000)
    await say(app, chat("alice", "hi"))
    app.rng = Lucky()
    monkeypatch.setattr(commands, "resolve_mention", unused)
    monkeypatch.setattr(state, "lock_for_command", unused)
    out = await say(app, chat("alice", "!rob @Bob"))
    assert "you robbed bob for" in out[0]
    clock.now += timedelta(minutes=6)
    assert "already robbed bob today" in (await say(app, chat("alice", "!rob @bob")))[0]
    assert (await say(app, chat("alice", "!rob @alice")))[0] == "@alice you can't rob yourself"


@pytest.mark.parametrize("amount", ["-5", "1e9", "0x10", "٣", "0", "lots", "5.5"])
async def test_givewealth_refuses_bad_amounts(app: AppContext, amount: str) -> None:
    await say(app, chat("alice", "hi"))
    out = await say(app, chat("boss", f"!givewealth alice {amount}", roles=BROADCASTER))
    assert out == ["@boss usage: !givewealth <user> <amount> — the amount must be a positive "
                   "whole number"]
    assert await wealth_of("alice") == 0
    assert (await fetch("SELECT COUNT(*) AS n FROM audit_log"))[0]["n"] == 0


async def test_givewealth_and_givexp_are_broadcaster_only_and_audited(app: AppContext) -> None:
    await say(app, chat("alice", "hi"))
    refused = await say(app, chat("mod", "!givewealth alice 100", roles=frozenset({"moderator"})))
    assert "only the broadcaster" in refused[0]
    out = await say(app, chat("boss", "!givexp @alice 250", roles=BROADCASTER))
    assert out[0] == "@boss gave 250 XP to alice"
    assert any("alice reached level 3" in t for t in out)  # 100 + 125 XP
    audit = await fetch("SELECT action, details FROM audit_log")
    assert len(audit) == 1 and audit[0]["action"] == "givexp"
    rows = await fetch("SELECT level, xp FROM users WHERE username = 'alice'")
    assert rows[0]["level"] == 3 and rows[0]["xp"] == 250


async def test_checkin_once_per_day(app: AppContext, clock: Any) -> None:
    assert "day 1 streak" in (await say(app, chat("alice", "!checkin")))[0]
    assert "cooldown" in (await say(app, chat("alice", "!checkin")))[0]
    clock.now += timedelta(days=1)
    assert "day 2 streak: +$300, +60 XP" in (await say(app, chat("alice", "!checkin")))[0]
    clock.now += timedelta(days=2)
    assert "day 1 streak" in (await say(app, chat("alice", "!checkin")))[0]


async def test_renames_keep_progress_and_identity_is_the_user_id(app: AppContext) -> None:
    await say(app, chat("OldName", "!checkin", platform=Platform.TWITCH, user_id="42"))
    out = await say(app, chat("NewName", "!balance", platform=Platform.TWITCH, user_id="42"))
    assert out == ["@NewName you have $200"]
    assert (await fetch("SELECT COUNT(*) AS n FROM users"))[0]["n"] == 1
    # somebody else taking the old name is a different player
    out = await say(app, chat("OldName", "!balance", platform=Platform.TWITCH, user_id="43"))
    assert out == ["@OldName you have $0"]


async def test_emoji_names_work_and_long_lines_get_short_answers(app: AppContext) -> None:
    out = await say(app, chat("🔥blaze🔥", "!checkin"))
    assert out[0].startswith("@🔥blaze🔥 ")
    out = await say(app, chat("bob", "!rob @🔥blaze🔥"))
    assert "blaze" in out[0]
    assert await say(app, chat("bob", "x" * 5000)) == []
    out = await say(app, chat("bob", "!lb " + "z" * 5000))
    assert out[0].startswith("@bob usage: !lb") and len(out[0]) < 200


async def test_unknown_commands_are_silent_but_counted_as_chat(app: AppContext) -> None:
    assert await say(app, chat("alice", "!dance")) == []


async def test_profile_and_leaderboard(app: AppContext) -> None:
    await give(app, "alice", 5_000)
    await give(app, "bob", 7_000)
    prof = await say(app, chat("alice", "!p"))
    assert "Punk | level 1" in prof[0] and "$5,000" in prof[0]
    await project_once(app)  # boards read the projector's counters
    lb = await say(app, chat("alice", "!lb"))
    assert "1. bob $7,000 2. alice $5,000" in lb[0] and "you're #2" in lb[0]
    assert "#2" in (await say(app, chat("alice", "!rank")))[0]


async def test_support_events_reward_once(app: AppContext) -> None:
    from game.events import Cheer, UserRef

    cheer = Cheer(platform=Platform.TWITCH, event_id="cheer-1", channel="c",
                  user=UserRef(id="9", name="carol"), occurred_at=clock_now(),
                  received_at=clock_now(), bits=500)
    for _ in range(3):
        await apply_batch(app, "x", [encode_event(cheer)])
    assert await wealth_of("carol") == 500


async def test_a_raid_pays_10_dollars_and_2_xp_per_viewer(app: AppContext) -> None:
    from game.events import Raid, UserRef

    def raid(event_id: str, viewers: int) -> Raid:
        return Raid(platform=Platform.TWITCH, event_id=event_id, channel="c",
                    user=UserRef(id="7", name="raider"), occurred_at=clock_now(),
                    received_at=clock_now(), viewers=viewers)

    out = await say(app, raid("raid-1", 42))
    assert out == ["@raider thanks for the raid with 42 viewers! +$420, +84 XP"]
    assert await say(app, raid("raid-2", 0)) == []
    rows = await fetch("SELECT wealth, xp FROM users WHERE username = 'raider'")
    assert rows == [{"wealth": 420, "xp": 84}]


def clock_now() -> Any:
    from tests.support import NOON

    return NOON


async def test_sessions_open_and_close(app: AppContext) -> None:
    mod = frozenset({"moderator"})
    assert "only mods" in (await say(app, chat("alice", "!startsession")))[0]
    assert "session started" in (await say(app, chat("m", "!startsession Friday", roles=mod)))[0]
    assert "already" in (await say(app, chat("m", "!startsession", roles=mod)))[0]
    assert "session ended" in (await say(app, chat("m", "!endsession", roles=mod)))[0]
    assert "no session" in (await say(app, chat("m", "!endsession", roles=mod)))[0]


async def test_a_nul_in_the_session_title_gets_the_usage_and_changes_nothing(
    app: AppContext,
) -> None:
    mod = frozenset({"moderator"})
    out = await say(app, chat("m", "!startsession bad\x00title", roles=mod))
    assert out == ["@m usage: !startsession [title]"]
    assert await fetch("SELECT * FROM streaming_sessions") == []
    assert "session started" in (await say(app, chat("m", "!startsession good", roles=mod)))[0]


@pytest.mark.parametrize("word", sorted(USAGE))
@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x7f", "\x9b"])  # not whitespace
async def test_every_command_refuses_control_characters_in_its_arguments(
    app: AppContext, word: str, control: str,
) -> None:
    await give(app, "alice", 1_000)
    before = await fetch("SELECT id, wealth, xp, total_play_count, username FROM users"
                         " ORDER BY id")
    out = await say(app, chat("alice", f"!{word} alice 5{control}0", roles=BROADCASTER))
    assert out == [f"@alice {USAGE[word]}"]
    assert await fetch("SELECT id, wealth, xp, total_play_count, username FROM users"
                       " ORDER BY id") == before
    for table in ("streaming_sessions", "cooldowns", "jail", "link_codes", "audit_log"):
        rows = await fetch(f"SELECT COUNT(*) AS n FROM {table}")
        assert rows[0]["n"] == (1 if table == "audit_log" else 0), table


async def test_a_rename_on_a_locking_command_keeps_progress(app: AppContext) -> None:
    import asyncio

    await say(app, chat("Before", "!checkin", platform=Platform.TWITCH, user_id="77"))
    out = await asyncio.wait_for(
        say(app, chat("After", "!play", platform=Platform.TWITCH, user_id="77")), 10)
    assert out[0].startswith("@After ")
    rows = await fetch("SELECT username, total_play_count FROM users")
    assert rows == [{"username": "After", "total_play_count": 1}]


async def _replies(app: AppContext, *events: Any) -> list[Any]:
    """Like ``say``, but the whole queued replies (console outbox), cards included."""
    from game.replies import Reply

    await clear_outbox(app)
    await apply_batch(app, uuid.uuid4().hex, [encode_event(e) for e in events])
    raw = await app.redis.lrange(app.keys.outbox("console"), 0, -1)  # type: ignore[misc]
    return [Reply.model_validate_json(r) for r in raw]


async def test_profile_carries_a_card_with_the_same_information(
    app: AppContext, clock: Any
) -> None:
    import random

    class Busted(random.Random):
        def random(self) -> float:
            return 0.0

    await give(app, "alice", 5_000)
    [plain] = await _replies(app, chat("alice", "!profile"))
    assert plain.card is not None and plain.card.title == "📇 profile"
    fields = {f.name: f.value for f in plain.card.fields}
    assert fields == {"Tier": "Punk", "Level": "1 (0/100 XP)", "Wealth": "$5,000",
                      "Streak": "0", "Plays": "0", "Robs": "0/0", "Messages": "0",
                      "Rob chance": "60%"}
    for value in fields.values():
        assert value in plain.text
    assert plain.text.startswith("@alice Punk | level 1 (0/100 XP) | $5,000")
    # jailed: one more field, and the text says it too
    app.rng = Busted()
    await say(app, chat("alice", "!play"))
    app.rng = random.Random(1)
    [jailed] = await _replies(app, chat("alice", "!profile"))
    assert jailed.card is not None
    assert jailed.card.fields[-1].name == "🚔 Jailed"
    assert f"🚔 jailed {jailed.card.fields[-1].value}" in jailed.text
    assert {f.name: f.value for f in jailed.card.fields}["Plays"] == "1"


async def test_leaderboard_and_rank_carry_cards_matching_their_text(app: AppContext) -> None:
    await give(app, "alice", 5_000)
    await give(app, "bob", 7_000)
    await project_once(app)  # boards read the projector's counters
    [lb] = await _replies(app, chat("alice", "!lb"))
    assert lb.card is not None and lb.card.title == "🏆 lifetime wealth earned"
    assert lb.card.description == "1. bob $7,000\n2. alice $5,000"
    assert [(f.name, f.value) for f in lb.card.fields] == [("You", "#2"),
                                                           ("Wealth earned", "$5,000")]
    assert lb.text == ("@alice 🏆 lifetime wealth earned: 1. bob $7,000 2. alice $5,000"
                       " — you're #2 ($5,000)")
    for line in lb.card.description.splitlines():
        assert line in lb.text
    [xp] = await _replies(app, chat("bob", "!lb xp"))
    assert xp.card is not None and xp.card.title == "🏆 lifetime XP earned"
    assert xp.card.fields[0].value == "unranked" and xp.text.endswith("— you're not on it yet")
    [rank] = await _replies(app, chat("alice", "!rank"))
    assert rank.card is not None and rank.card.title == "🏆 wealth earned"
    assert [f.name for f in rank.card.fields] == ["today", "week", "month", "year",
                                                  "lifetime"]
    assert rank.card.fields[-1].value == "#2 · $5,000"
    assert rank.text.startswith("@alice wealth earned: today ")
    assert rank.text.endswith(" · lifetime #2 ($5,000)")
    # other answers stay plain, and refusals carry no card
    [balance] = await _replies(app, chat("alice", "!balance"))
    [usage] = await _replies(app, chat("alice", "!lb nonsense"))
    assert balance.card is None and usage.card is None
