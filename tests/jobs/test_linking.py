"""!link / !unlink end to end through the batch job, against the real database."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from typing import Any

from game.events import ChatMessage, Platform, encode_event
from game.replies import Reply
from jobs import activity
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.projector import project_once
from kingpin.outbox import pop_replies
from tests.support import chat, clear_outbox, fetch, outbox_texts

TW, KI, DC, CO = Platform.TWITCH, Platform.KICK, Platform.DISCORD, Platform.CONSOLE
BROADCASTER = frozenset({"broadcaster"})
TOTALS = ("wealth", "xp", "total_play_count", "wins", "losses", "rob_count",
          "rob_success_count", "messages_sent", "lifetime_wealth_earned")
# every foreign key to users that jobs/linking.absorb moves to the survivor
HANDLED_FKS = {
    ("audit_log", "actor_id"), ("audit_log", "target_id"), ("cooldowns", "user_id"),
    ("game_events", "user_id"), ("jail", "user_id"), ("link_codes", "user_id"),
    ("player_identities", "user_id"), ("user_inventory", "user_id"),
    ("user_crates", "user_id"), ("crate_opens", "user_id"), ("user_titles", "user_id"),
    ("active_buffs", "user_id"), ("user_consumables", "user_id"),
    ("user_insurance", "user_id"), ("housing_debt", "user_id"),
    ("business_revenue_history", "user_id"), ("player_shop_inventory", "user_id"),
    ("blackjack_hands", "user_id"), ("coin_flip_challenges", "challenger_id"),
    ("coin_flip_challenges", "acceptor_id"), ("coin_flip_challenges", "winner_id"),
    ("lottery_tickets", "user_id"), ("gambling_sessions", "user_id"),
    ("player_gambling_stats", "user_id"), ("slot_jackpots", "last_winner_id"),
    ("streaming_sessions", "juicernaut_id"), ("session_contributions", "user_id"),
    ("monetization_events", "user_id"), ("heist_events", "winner_id"),
    ("user_notifications", "user_id"), ("leaderboard_snapshots", "user_id"),
    ("leaderboard_history", "user_id"), ("hall_of_fame_records", "user_id"),
    ("player_progress", "user_id"), ("user_missions", "user_id"),
    ("mission_completions", "user_id"), ("user_achievements", "user_id"),
    ("faction_members", "user_id"),
}


async def say(app: AppContext, *events: ChatMessage) -> list[str]:
    for platform in Platform:
        await clear_outbox(app, platform.value)
    await apply_batch(app, uuid.uuid4().hex, [encode_event(e) for e in events])
    texts: list[str] = []
    for platform in Platform:
        texts += await outbox_texts(app, platform.value)
    return texts


async def replies(app: AppContext, *events: ChatMessage) -> list[Reply]:
    """Like ``say``, with the whole queued replies (``private`` included)."""
    for platform in Platform:
        await clear_outbox(app, platform.value)
    await apply_batch(app, uuid.uuid4().hex, [encode_event(e) for e in events])
    found: list[Reply] = []
    for platform in Platform:
        found += await pop_replies(app.redis, app.keys, platform.value, 1000)
    return found


def on(platform: Platform, name: str, text: str, **kw: Any) -> ChatMessage:
    return chat(name, text, platform=platform, channel=f"{platform.value}-chan",
                user_id=f"{platform.value}-{name}", **kw)


PRIVATE = (DC, CO)  # where the !link code is shown to its asker only


async def get_code(app: AppContext, platform: Platform, name: str) -> str:
    out = await say(app, on(platform, name, "!link"))
    tail = "" if platform in PRIVATE else ", then !link confirm <that account's name> here"
    found = re.fullmatch(rf"@{name} your link code is ([A-Z0-9]{{8}}) — type !link \1 on your "
                         rf"other platform within 10 min{tail}", out[0])
    assert found, out
    return found.group(1)


async def link(app: AppContext, a: tuple[Platform, str], b: tuple[Platform, str]) -> list[str]:
    """``a`` gets a code, ``b`` types it; a public code is then confirmed by ``a``."""
    code = await get_code(app, *a)
    out = await say(app, on(b[0], b[1], f"!link {code}"))
    if a[0] in PRIVATE:
        return out
    assert "asked to link with" in out[0], out
    return await say(app, on(a[0], a[1], f"!link confirm {b[1]}"))


async def player_of(platform: Platform, name: str) -> dict[str, Any]:
    rows = await fetch(
        "SELECT u.* FROM users u JOIN player_identities i ON i.user_id = u.id"
        " WHERE i.platform = $1 AND i.platform_user_id = $2",
        platform.value, f"{platform.value}-{name}",
    )
    assert len(rows) == 1
    return rows[0]


async def count(sql: str, *args: Any) -> int:
    return int((await fetch(f"SELECT COUNT(*) AS n FROM {sql}", *args))[0]["n"])


async def totals() -> dict[str, int]:
    cols = ", ".join(f"COALESCE(SUM({c}), 0)::bigint AS {c}" for c in TOTALS)
    return dict((await fetch(f"SELECT {cols} FROM users"))[0])


async def progress_on_both(app: AppContext, clock: Any) -> None:
    """Two players with wealth, XP, streaks, cooldowns and counters of their own."""
    await say(app, on(TW, "ann", "!checkin"), on(KI, "bo", "!checkin"))
    clock.now += timedelta(days=1)
    await say(app, on(KI, "bo", "!checkin"))
    for _ in range(3):
        await say(app, on(TW, "ann", "!play"), on(KI, "bo", "!play"))
        clock.now += timedelta(seconds=31)
    await say(app, on(TW, "ann", "hello"), on(KI, "bo", "hi"), on(KI, "bo", "hey"))
    await activity.flush(app)


async def test_link_gives_a_one_time_code_valid_for_ten_minutes(app: AppContext, clock: Any
                                                                ) -> None:
    code = await get_code(app, TW, "ann")
    rows = await fetch("SELECT * FROM link_codes")
    assert len(rows) == 1 and rows[0]["code"] == code and rows[0]["platform"] == "twitch"
    assert rows[0]["expires_at"] == clock.now + timedelta(minutes=10)
    again = await get_code(app, TW, "ann")  # a new code replaces the unused one
    assert again != code
    assert [r["code"] for r in await fetch("SELECT code FROM link_codes")] == [again]


async def test_linking_merges_progress_into_the_older_player(app: AppContext, clock: Any) -> None:
    await progress_on_both(app, clock)
    ann, bo = await player_of(TW, "ann"), await player_of(KI, "bo")
    assert ann["id"] < bo["id"] and ann["wealth"] > 0 and bo["wealth"] > 0
    before = await totals()
    clock.now += timedelta(minutes=1)
    code = await get_code(app, KI, "bo")  # the newer player asks, the older one answers
    clock.now += timedelta(minutes=9, seconds=58)
    out = await say(app, on(TW, "ann", f"!link {code.lower()}"))  # lower case is fine
    assert out == ["@ann (Twitch) asked to link with bo (Kick) — bo, type !link confirm ann on "
                   "Kick within 1 min if that's you (!link cancel calls it off)"]
    assert await count("users") == 2 and await totals() == before  # nothing joined yet
    clock.now += timedelta(seconds=1)
    out = await say(app, on(KI, "bo", "!link confirm ann"))
    assert len(out) == 1 and out[0].startswith("@bo linked — your Kick and Twitch accounts are "
                                               "one player now: $"), out
    assert await count("users") == 1
    merged = await player_of(KI, "bo")
    assert merged["id"] == ann["id"] == (await player_of(TW, "ann"))["id"]
    assert await totals() == before  # every total is the sum of the two
    for column in TOTALS:
        assert merged[column] == ann[column] + bo[column], column
    assert merged["checkin_streak"] == 2 == bo["checkin_streak"]
    assert merged["last_checkin_date"] == bo["last_checkin_date"]
    from game.levels import level_for_xp
    assert merged["level"] == level_for_xp(merged["xp"])
    ledger = await fetch("SELECT user_id, SUM(wealth_delta) AS w, SUM(xp_delta) AS x"
                         " FROM game_events GROUP BY user_id")
    assert ledger == [{"user_id": ann["id"], "w": merged["wealth"], "x": merged["xp"]}]
    assert (await fetch("SELECT used_at FROM link_codes"))[0]["used_at"] == clock.now


async def test_the_code_owner_survives_when_it_is_older(app: AppContext) -> None:
    await say(app, on(TW, "ann", "!checkin"))
    await say(app, on(KI, "bo", "!checkin"))
    ann = await player_of(TW, "ann")
    out = await link(app, (TW, "ann"), (KI, "bo"))
    assert "one player now: $" in out[0]
    assert (await player_of(KI, "bo"))["id"] == ann["id"]
    assert await count("users") == 1


async def test_an_expired_code_changes_nothing(app: AppContext, clock: Any) -> None:
    await say(app, on(KI, "bo", "hi"))
    code = await get_code(app, TW, "ann")
    clock.now += timedelta(minutes=10)
    out = await say(app, on(KI, "bo", f"!link {code}"))
    assert out == ["@bo that link code has expired — type !link on your other platform for a "
                   "new one"]
    assert await count("users") == 2
    assert await count("link_codes WHERE used_at IS NULL") == 1


async def test_a_code_works_once(app: AppContext) -> None:
    code = await get_code(app, DC, "ann")  # private: joins at once
    await say(app, on(KI, "bo", f"!link {code}"))
    assert await count("users") == 1
    again = await say(app, on(KI, "bo", f"!link {code}"))
    assert again == ["@bo these accounts are already linked"]
    other = await say(app, on(TW, "cy", f"!link {code}"))
    assert other == ["@cy that link code was already used — type !link on your other platform "
                     "for a new one"]
    assert await count("users") == 2
    assert await count("player_identities WHERE user_id = $1",
                       (await player_of(DC, "ann"))["id"]) == 2


async def test_wrong_codes_and_usage(app: AppContext) -> None:
    await get_code(app, TW, "ann")
    for text in ("!link ZZZZZZZZ", "!link hello", "!link ABCD234O"):
        out = await say(app, on(KI, "bo", text))
        assert out == ["@bo that link code doesn't exist — type !link on your other platform "
                       "for a new one"], text
    out = await say(app, on(KI, "bo", "!link AAAA AAAA"))
    assert out == ["@bo usage: !link to get a code, then !link CODE on your other platform"
                   " (!link confirm <name> / !link cancel for a request from a public code)"]
    assert await count("users") == 2


async def test_a_code_from_the_same_player_is_refused(app: AppContext) -> None:
    code = await get_code(app, TW, "ann")
    out = await say(app, on(TW, "ann", f"!link {code}"))
    assert out == ["@ann type that code on your other platform, not here"]
    assert await count("link_codes WHERE used_at IS NULL") == 1


async def test_one_account_per_platform(app: AppContext) -> None:
    code = await get_code(app, TW, "ann")
    out = await say(app, on(TW, "bo", f"!link {code}"))
    assert out == ["@bo can't link: you'd have two Twitch accounts — one per platform "
                   "(!unlink twitch on one of them first)"]
    assert await count("users") == 2
    await say(app, on(KI, "cy", f"!link {code}"))  # ann + cy: Twitch and Kick
    await say(app, on(TW, "ann", "!link confirm cy"))
    code = await get_code(app, KI, "dee")
    out = await say(app, on(TW, "ann", f"!link {code}"))
    assert "two Kick accounts" in out[0]
    assert await count("users") == 3
    assert await count("link_codes WHERE used_at IS NULL") == 1  # still usable after a fix


async def test_after_linking_there_is_one_balance_one_cooldown_one_leaderboard_entry(
    app: AppContext, clock: Any
) -> None:
    await say(app, on(TW, "ann", "!play"))
    clock.now += timedelta(seconds=10)
    await say(app, on(KI, "bo", "!play"))  # bo's cooldown ends 10 s after ann's
    await link(app, (TW, "ann"), (KI, "bo"))
    rows = await fetch("SELECT expires_at FROM cooldowns WHERE command_type = 'play'")
    assert rows == [{"expires_at": clock.now + timedelta(seconds=30)}]  # the later one
    clock.now += timedelta(seconds=25)
    out = await say(app, on(TW, "ann", "!play"))
    assert "cooldown for 5s" in out[0] or "jail" in out[0]
    clock.now += timedelta(seconds=6)
    first = await say(app, on(TW, "ann", "!play"))
    second = await say(app, on(KI, "bo", "!play"))
    assert "cooldown" not in first[0]
    assert "cooldown" in second[0] or "jail" in second[0]
    balance_tw = await say(app, on(TW, "ann", "!balance"))
    balance_ki = await say(app, on(KI, "bo", "!balance"))
    assert balance_tw[0].removeprefix("@ann") == balance_ki[0].removeprefix("@bo")
    await project_once(app)  # boards read the projector's counters
    lb = await say(app, on(KI, "bo", "!lb"))
    assert "1. " in lb[0] and "2. " not in lb[0] and "you're #1" in lb[0]
    assert await count("users") == 1


async def test_chat_on_both_accounts_after_linking_counts_for_one_player(app: AppContext) -> None:
    await link(app, (TW, "ann"), (KI, "bo"))  # three messages, all commands
    await activity.flush(app)
    await say(app, on(TW, "ann", "hello"), on(KI, "bo", "hi"))
    await activity.flush(app)
    rows = await fetch("SELECT messages_sent FROM users")
    assert rows == [{"messages_sent": 5}]
    # one reward, not two (every flush also writes a row counting the messages)
    assert await count("game_events WHERE event_type = 'chat' AND wealth_delta > 0") == 1


async def test_jail_timers_and_rob_targets_follow_the_merge(app: AppContext, clock: Any) -> None:
    await say(app, on(TW, "ann", "hi"), on(KI, "bo", "hi"), on(TW, "cy", "hi"))
    ann, bo, cy = (await player_of(TW, "ann"), await player_of(KI, "bo"),
                   await player_of(TW, "cy"))
    now = clock.now
    await fetch("INSERT INTO jail (community_id, user_id, jailed_at, release_at, reason) VALUES"
                " (1, $1, $3, $4, 'early'), (1, $2, $3, $5, 'late')",
                ann["id"], bo["id"], now, now + timedelta(minutes=5), now + timedelta(minutes=50))
    hour = timedelta(hours=1)
    for user, target, expires in [
        (cy, str(ann["id"]), now + hour),  # cy robbed both: the later cooldown stays
        (cy, str(bo["id"]), now + 2 * hour),
        (ann, "", now + hour),
        (ann, str(bo["id"]), now + 3 * hour),  # ann robbed bo: a cooldown on herself, dropped
    ]:
        await fetch("INSERT INTO cooldowns (community_id, user_id, command_type,"
                    " target_identifier, expires_at) VALUES (1, $1, 'rob', $2, $3)",
                    user["id"], target, expires)
    await link(app, (KI, "bo"), (TW, "ann"))
    jail = await fetch("SELECT user_id, release_at, reason FROM jail")
    assert jail == [{"user_id": ann["id"], "release_at": now + timedelta(minutes=50),
                     "reason": "late"}]
    cds = await fetch("SELECT user_id, target_identifier, expires_at FROM cooldowns"
                      " ORDER BY user_id, target_identifier")
    assert cds == [
        {"user_id": ann["id"], "target_identifier": "", "expires_at": now + timedelta(hours=1)},
        {"user_id": cy["id"], "target_identifier": str(ann["id"]),
         "expires_at": now + timedelta(hours=2)},
    ]


async def test_unlink_detaches_an_account_that_then_starts_fresh(app: AppContext,
                                                                  clock: Any) -> None:
    await progress_on_both(app, clock)
    await link(app, (TW, "ann"), (KI, "bo"))
    before = await player_of(TW, "ann")
    out = await say(app, on(TW, "ann", "!unlink kick"))
    assert out == ["@ann your Kick account bo is unlinked — it starts as a new player next time "
                   "it chats"]
    assert await player_of(TW, "ann") == {**before, "updated_at": (await player_of(
        TW, "ann"))["updated_at"]}  # progress stays with the player
    await say(app, on(KI, "bo", "hi"))  # plain chat: a new player at once, before any flush
    new = await player_of(KI, "bo")
    assert new["id"] != before["id"] and new["xp"] == 0 and new["wealth"] == 0
    assert await say(app, on(KI, "bo", "!balance")) == ["@bo you have $0"]
    assert await count("users") == 2


async def test_unlink_refusals(app: AppContext) -> None:
    out = await say(app, on(TW, "ann", "!unlink twitch"))
    assert out == ["@ann that's your only account — there's nothing to unlink it from"]
    out = await say(app, on(TW, "ann", "!unlink kick"))
    assert out == ["@ann you have no Kick account linked"]
    for text in ("!unlink", "!unlink youtube", "!unlink kick twitch"):
        out = await say(app, on(TW, "ann", text))
        assert out == ["@ann usage: !unlink <twitch|kick|discord|console>"], text
    assert await count("player_identities") == 1
    assert await count("audit_log") == 0


async def test_unlinking_the_account_you_type_on(app: AppContext) -> None:
    await say(app, on(KI, "bo", "hi"))  # bo is older: the player is called bo
    await link(app, (TW, "ann"), (KI, "bo"))
    assert (await player_of(TW, "ann"))["username"] == "bo"
    out = await say(app, on(KI, "bo", "!unlink kick"))
    assert "your Kick account bo is unlinked" in out[0]
    assert (await player_of(TW, "ann"))["username"] == "ann"  # named after what is left
    assert (await say(app, on(KI, "bo", "!balance"))) == ["@bo you have $0"]


async def test_link_and_unlink_are_audited(app: AppContext) -> None:
    await say(app, on(TW, "ann", "!checkin"), on(KI, "bo", "!checkin"))
    ann, bo = await player_of(TW, "ann"), await player_of(KI, "bo")
    await link(app, (TW, "ann"), (KI, "bo"))
    await say(app, on(KI, "bo", "!unlink twitch"))
    rows = await fetch("SELECT actor_id, actor_platform, action, target_id, details"
                       " FROM audit_log ORDER BY id")
    assert [(r["action"], r["actor_id"], r["target_id"]) for r in rows] == [
        ("link_merge", ann["id"], ann["id"]), ("unlink", ann["id"], ann["id"]),
    ]
    merge = json.loads(rows[0]["details"])
    assert merge["survivor"]["id"] == ann["id"] and merge["absorbed"]["id"] == bo["id"]
    assert merge["merged"]["wealth"] == ann["wealth"] + bo["wealth"]
    assert {a["platform"] for a in merge["accounts"]} == {"twitch", "kick"}
    unlink = json.loads(rows[1]["details"])
    assert unlink["platform"] == "twitch" and unlink["platform_user_id"] == "twitch-ann"


async def test_a_redelivered_link_event_changes_nothing_twice(app: AppContext) -> None:
    await say(app, on(TW, "ann", "!checkin"), on(KI, "bo", "!checkin"))
    code = await get_code(app, DC, "ann")
    event = on(KI, "bo", f"!link {code}", event_id="kick-msg-1")
    first = await say(app, event, event)  # twice in one batch
    assert len(first) == 1 and "one player now" in first[0]
    state = (await totals(), await count("users"), await count("audit_log"),
             await count("game_events"))
    assert await say(app, event) == []  # and again in a later batch
    assert (await totals(), await count("users"), await count("audit_log"),
            await count("game_events")) == state


async def test_a_redelivered_confirm_changes_nothing_twice(app: AppContext) -> None:
    await say(app, on(TW, "ann", "!checkin"), on(KI, "bo", "!checkin"))
    code = await get_code(app, TW, "ann")
    request = on(KI, "bo", f"!link {code}", event_id="kick-msg-2")
    assert len(await say(app, request, request)) == 1
    assert await say(app, request) == []
    confirm = on(TW, "ann", "!link confirm bo", event_id="twitch-msg-3")
    first = await say(app, confirm, confirm)
    assert len(first) == 1 and "one player now" in first[0]
    state = (await totals(), await count("users"), await count("audit_log"),
             await count("game_events"), await fetch("SELECT * FROM link_codes"))
    assert await say(app, confirm) == []
    assert (await totals(), await count("users"), await count("audit_log"),
            await count("game_events"), await fetch("SELECT * FROM link_codes")) == state
    assert await count("users") == 1


async def test_every_foreign_key_to_users_is_handled_by_the_merge(app: AppContext) -> None:
    rows = await fetch(
        "SELECT c.conrelid::regclass::text AS tbl, a.attname AS col FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)"
        " WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass"
    )
    assert {(r["tbl"].strip('"'), r["col"]) for r in rows} == HANDLED_FKS


async def test_two_accounts_racing_for_one_code(app: AppContext) -> None:
    code = await get_code(app, DC, "ann")
    out = await say(app, on(KI, "bo", f"!link {code}"), on(TW, "cy", f"!link {code}"))
    assert len(out) == 2
    assert sum("one player now" in t for t in out) == 1
    assert sum("already used" in t for t in out) == 1
    assert await count("users") == 2


async def test_two_accounts_racing_for_one_public_code(app: AppContext) -> None:
    code = await get_code(app, TW, "ann")
    out = await say(app, on(KI, "bo", f"!link {code}"), on(DC, "cy", f"!link {code}"))
    assert len(out) == 2
    assert sum("asked to link with ann" in t for t in out) == 1
    assert sum("someone already asked" in t for t in out) == 1
    assert await count("users") == 3
    assert await count("link_codes WHERE pending_user_id IS NOT NULL") == 1


# --- private codes join at once; public ones need the confirmation of their own account ---

NOBODY = "nobody has asked to link with you — type !link CODE on your other platform first"


def code_in(text: str) -> str:
    found = re.search(r"your link code is ([A-Z0-9]{8}) ", text)
    assert found, text
    return found.group(1)


async def test_only_codes_shown_to_their_asker_alone_are_private_replies(app: AppContext
                                                                         ) -> None:
    for platform, private in [(DC, True), (CO, True), (TW, False), (KI, False)]:
        [reply] = await replies(app, on(platform, "ann", "!link"))
        assert reply.private is private, platform
        assert reply.channel == f"{platform.value}-chan" and reply.reply_to
        tail = "within 10 min" if private else "then !link confirm <that account's name> here"
        assert reply.text.endswith(tail)


async def test_a_private_code_from_the_console_joins_at_once(app: AppContext) -> None:
    await say(app, on(TW, "ann", "!checkin"), on(CO, "ann", "!checkin"))
    before = await totals()
    [reply] = await replies(app, on(CO, "ann", "!link"))
    assert reply.private is True
    out = await say(app, on(TW, "ann", f"!link {code_in(reply.text)}"))
    assert len(out) == 1 and out[0].startswith(
        "@ann linked — your Console and Twitch accounts are one player now: $"), out
    assert await count("users") == 1 and await totals() == before
    audit = json.loads((await fetch("SELECT details FROM audit_log"))[0]["details"])
    assert audit["confirmed"] is False and audit["requester"] is None


async def test_a_public_code_only_files_a_request_until_its_owner_confirms(
    app: AppContext, clock: Any
) -> None:
    await say(app, on(TW, "ann", "!checkin"), on(KI, "bo", "!checkin"))
    before = await totals()
    code = await get_code(app, TW, "ann")
    clock.now += timedelta(minutes=3)
    out = await say(app, on(KI, "bo", f"!link {code}"))
    assert out == ["@bo (Kick) asked to link with ann (Twitch) — ann, type !link confirm bo on "
                   "Twitch within 7 min if that's you (!link cancel calls it off)"]
    [row] = await fetch("SELECT * FROM link_codes")
    assert (row["pending_platform"], row["pending_user_id"], row["pending_name"],
            row["pending_at"], row["used_at"]) == ("kick", "kick-bo", "bo", clock.now, None)
    assert await count("users") == 2 and await totals() == before  # nothing joined yet
    assert await count("audit_log") == 0
    again = await say(app, on(KI, "bo", f"!link {code}"))
    assert again == ["@bo you already asked — now type !link confirm on Twitch from the account "
                     "that got the code"]
    clock.now += timedelta(minutes=6, seconds=59)
    out = await say(app, on(TW, "ann", "!link CONFIRM @Bo"))  # any case, @ or not
    assert len(out) == 1 and out[0].startswith(
        "@ann linked — your Kick and Twitch accounts are one player now: $"), out
    assert await count("users") == 1 and await totals() == before
    assert (await player_of(KI, "bo"))["id"] == (await player_of(TW, "ann"))["id"]
    assert (await fetch("SELECT used_at FROM link_codes"))[0]["used_at"] == clock.now
    audit = json.loads((await fetch("SELECT details FROM audit_log"))[0]["details"])
    assert audit["confirmed"] is True and audit["code"] == code
    assert audit["requester"] == {"platform": "kick", "platform_user_id": "kick-bo",
                                  "username": "bo"}
    assert await say(app, on(TW, "ann", "!link confirm")) == [f"@ann {NOBODY}"]


async def test_only_the_account_that_got_the_code_can_confirm(app: AppContext) -> None:
    code = await get_code(app, TW, "ann")
    await say(app, on(KI, "bo", f"!link {code}"))
    refusals = [
        (on(KI, "bo", "!link confirm"),
         "@bo only ann can confirm — type !link confirm on Twitch from that account"),
        (on(TW, "cy", "!link confirm"), f"@cy {NOBODY}"),
        (on(DC, "ann", "!link confirm"), f"@ann {NOBODY}"),  # the same name elsewhere
    ]
    for event, expected in refusals:
        assert await say(app, event) == [expected]
    assert await count("users") == 4
    assert await count("link_codes WHERE used_at IS NULL AND pending_user_id = 'kick-bo'") == 1
    out = await say(app, on(TW, "ann", "!link confirm bo"))
    assert "one player now" in out[0]
    assert await count("users") == 3


async def test_a_code_seen_in_public_chat_does_not_give_the_account_away(
    app: AppContext
) -> None:
    """The attack: someone types the code from the public chat first, then !unlinks."""
    await say(app, on(TW, "victim", "!checkin"))
    victim = await player_of(TW, "victim")
    code = await get_code(app, TW, "victim")
    await say(app, on(KI, "thief", f"!link {code}"))
    assert (await say(app, on(KI, "thief", "!link confirm")))[0].startswith(
        "@thief only victim can confirm")
    assert await say(app, on(KI, "thief", "!unlink twitch")) == [
        "@thief you have no Twitch account linked"]
    assert await player_of(TW, "victim") == victim
    assert (await player_of(KI, "thief"))["id"] != victim["id"]
    # the victim sees what happened and drops it
    assert await say(app, on(TW, "victim", "!link cancel")) == [
        "@victim thief (Kick) won't be linked — your link code no longer works"]
    assert await say(app, on(KI, "thief", f"!link {code}")) == [
        "@thief that link code doesn't exist — type !link on your other platform for a new one"]


async def test_a_second_account_cannot_take_over_a_pending_request(app: AppContext) -> None:
    code = await get_code(app, TW, "ann")
    await say(app, on(KI, "bo", f"!link {code}"))
    out = await say(app, on(DC, "mallory", f"!link {code}"))
    assert out == ["@mallory someone already asked to link with that code — if it's yours, type "
                   "!link cancel on Twitch and get a new one (on Discord, /link shows it to you "
                   "alone)"]
    [row] = await fetch("SELECT pending_user_id FROM link_codes")
    assert row["pending_user_id"] == "kick-bo"
    await say(app, on(TW, "ann", "!link confirm bo"))
    ann = await player_of(TW, "ann")
    assert (await player_of(KI, "bo"))["id"] == ann["id"]
    assert (await player_of(DC, "mallory"))["id"] != ann["id"]
    assert await count("users") == 2


async def test_either_side_can_cancel_and_the_code_dies(app: AppContext) -> None:
    code = await get_code(app, TW, "ann")
    await say(app, on(KI, "bo", f"!link {code}"))
    assert await say(app, on(TW, "ann", "!link cancel")) == [
        "@ann bo (Kick) won't be linked — your link code no longer works"]
    assert await count("link_codes") == 0
    assert await say(app, on(TW, "ann", "!link confirm")) == [f"@ann {NOBODY}"]
    code = await get_code(app, TW, "ann")
    await say(app, on(KI, "bo", f"!link {code}"))
    assert await say(app, on(KI, "bo", "!link Cancel")) == [
        "@bo your request to link with ann (Twitch) is cancelled"]
    assert await count("link_codes") == 0
    assert await say(app, on(TW, "ann", "!link confirm")) == [f"@ann {NOBODY}"]
    assert await say(app, on(KI, "bo", "!link cancel")) == [
        "@bo you have no link code or link request to cancel"]
    await get_code(app, TW, "ann")  # a code nobody asked for yet
    assert await say(app, on(TW, "ann", "!link cancel")) == [
        "@ann your link code no longer works"]
    assert await count("link_codes") == 0 and await count("users") == 2


async def test_a_pending_request_expires_with_its_code(app: AppContext, clock: Any) -> None:
    code = await get_code(app, TW, "ann")
    clock.now += timedelta(minutes=5)
    await say(app, on(KI, "bo", f"!link {code}"))
    clock.now += timedelta(minutes=5)
    assert await say(app, on(TW, "ann", "!link confirm")) == [
        "@ann that link request has expired — type !link for a new code"]
    assert await say(app, on(KI, "bo", "!link cancel")) == [
        "@bo you have no link code or link request to cancel"]
    assert await count("users") == 2
    out = await link(app, (TW, "ann"), (KI, "bo"))  # a new code starts over
    assert "one player now" in out[0]
    assert await count("users") == 1


async def test_a_new_code_or_an_unlink_drops_the_pending_request(app: AppContext) -> None:
    code = await get_code(app, TW, "ann")
    await say(app, on(KI, "bo", f"!link {code}"))
    await get_code(app, TW, "ann")  # replaces the code the request was for
    assert await say(app, on(TW, "ann", "!link confirm")) == [f"@ann {NOBODY}"]
    await link(app, (DC, "bo"), (KI, "bo"))  # bo's Discord and Kick accounts: one player
    code = await get_code(app, TW, "ann")
    await say(app, on(KI, "bo", f"!link {code}"))
    await say(app, on(DC, "bo", "!unlink kick"))
    assert await say(app, on(TW, "ann", "!link confirm")) == [f"@ann {NOBODY}"]
    assert await count("users") == 2  # ann and bo; the detached Kick account has none yet


async def test_confirm_needs_the_name_of_the_account_that_asked(app: AppContext) -> None:
    """The owner types what they were told: without the asker's name, or with another name,
    nothing is merged (GAME.md: !link confirm <name>)."""
    await say(app, on(TW, "ann", "!checkin"), on(KI, "stranger", "!checkin"))
    code = await get_code(app, TW, "ann")
    await say(app, on(KI, "stranger", f"!link {code}"))
    before = (await totals(), await count("users"), await count("audit_log"))
    assert await say(app, on(TW, "ann", "!link confirm")) == [
        "@ann stranger (Kick) asked to link with you — if that's your account, type "
        "!link confirm stranger (!link cancel calls it off)"]
    assert await say(app, on(TW, "ann", "!link confirm bo")) == [
        "@ann the account that asked is stranger (Kick), not bo — nothing was linked; "
        "!link confirm stranger if that's yours, else !link cancel"]
    assert (await totals(), await count("users"), await count("audit_log")) == before
    assert await count("link_codes WHERE used_at IS NULL AND pending_user_id IS NOT NULL") == 1


async def test_a_merge_moves_the_economy_and_destroys_nothing(app: AppContext) -> None:
    """GAME.md: inventories merge up to the cap, the overflow to escrow; the rest of the
    economy follows the survivor (docs/rules.md, "Linking accounts")."""
    await say(app, on(DC, "ann", "hi"))
    await say(app, on(TW, "ann", "hi"))
    older, newer = (await player_of(DC, "ann"))["id"], (await player_of(TW, "ann"))["id"]

    async def put(user: int, n: int, item: str, equipped: bool) -> None:
        for _ in range(n):
            await fetch(
                "INSERT INTO user_inventory (community_id, user_id, item_id, durability,"
                " is_equipped, slot, is_escrowed, acquired_at, notify_platform,"
                " notify_channel) VALUES (1, $1, $2, 100, $3, CASE WHEN $3 THEN 'weapon' END,"
                " false, now(), '', '')", user, item, equipped)

    await put(older, 1, "rusty_knife", True)
    await put(older, 6, "food_cart", False)
    await put(newer, 1, "mantis_blades", True)
    await put(newer, 5, "padded_vest", False)
    for user, tier in ((older, "rare"), (newer, "common"), (newer, "legendary")):
        await fetch("INSERT INTO user_crates (community_id, user_id, tier, source, is_escrowed,"
                    " acquired_at, notify_platform, notify_channel)"
                    " VALUES (1, $1, $2, 'test', false, now(), '', '')", user, tier)
    for user in (older, newer):
        await fetch("INSERT INTO user_titles (community_id, user_id, title_id, is_equipped,"
                    " unlocked_at) VALUES (1, $1, 'the_godfather', true, now())", user)
        await fetch("INSERT INTO user_consumables (community_id, user_id, key, quantity)"
                    " VALUES (1, $1, 'bail_bond', 2)", user)
    await fetch("INSERT INTO active_buffs (community_id, user_id, category, buff_key,"
                " multiplier, expires_at, created_at) VALUES"
                " (1, $1, 'xp', 'xp_boost_125', 1.25, now() + interval '1 hour', now()),"
                " (1, $2, 'xp', 'xp_boost_200', 2, now() + interval '1 hour', now())",
                older, newer)
    await fetch("INSERT INTO user_insurance (community_id, user_id, plan, share, premium,"
                " started_at, paid_until) VALUES (1, $1, 'basic', 0.25, 1000, now(), now())",
                newer)
    out = await link(app, (DC, "ann"), (TW, "ann"))
    assert any("one player now" in t for t in out), out
    rows = await fetch("SELECT user_id, item_id, is_equipped, is_escrowed FROM user_inventory")
    assert {r["user_id"] for r in rows} == {older} and len(rows) == 13  # nothing destroyed
    assert sum(not r["is_escrowed"] for r in rows) == 10
    assert sum(r["is_escrowed"] for r in rows) == 3
    assert [r["item_id"] for r in rows if r["is_equipped"]] == ["rusty_knife"]
    crates = await fetch("SELECT user_id FROM user_crates")
    assert [c["user_id"] for c in crates] == [older] * 3
    titles = await fetch("SELECT user_id, is_equipped FROM user_titles")
    assert titles == [{"user_id": older, "is_equipped": True}]
    assert (await fetch("SELECT quantity FROM user_consumables"))[0]["quantity"] == 4
    buffs = await fetch("SELECT user_id, multiplier FROM active_buffs")
    assert len(buffs) == 1 and buffs[0]["user_id"] == older and buffs[0]["multiplier"] == 2
    assert (await fetch("SELECT user_id, plan FROM user_insurance")) == [
        {"user_id": older, "plan": "basic"}]


async def test_progress_follows_the_merge_counters_add_up(app: AppContext) -> None:
    await say(app, on(TW, "ann", "!play"), on(KI, "bo", "!play"))
    await project_once(app)
    await fetch("INSERT INTO player_progress (community_id, user_id, rob_streak,"
                " rob_streak_best, items_seen, state) SELECT community_id, id, 1,"
                " CASE WHEN username = 'ann' THEN 3 ELSE 5 END,"
                " CASE WHEN username = 'ann' THEN '[\"pipe\"]'::jsonb"
                " ELSE '[\"pipe\", \"knife\"]'::jsonb END,"
                " CASE WHEN username = 'ann' THEN '{\"jackpots\": 1, \"checkin_streak\": 9}'"
                " ::jsonb ELSE '{\"jackpots\": 2, \"checkin_streak\": 4}'::jsonb END"
                " FROM users")
    await link(app, (TW, "ann"), (KI, "bo"))
    plays = await fetch("SELECT plays FROM leaderboard_snapshots WHERE period = 'lifetime'")
    assert plays == [{"plays": 2}]
    progress = await fetch("SELECT rob_streak_best, items_seen, state FROM player_progress")
    assert len(progress) == 1
    assert progress[0]["rob_streak_best"] == 5
    assert sorted(json.loads(progress[0]["items_seen"])) == ["knife", "pipe"]
    assert json.loads(progress[0]["state"]) == {"jackpots": 3, "checkin_streak": 9}
