"""``!link`` and ``!unlink``: issue a one-time code, join two players, detach an account.

``!link`` gives a code; ``!link CODE`` on another platform joins at once when the code was
private (issued on Discord or the console, where only its asker saw it), and otherwise files a
request on the code's row (``pending_*``) that the code's own account completes with
``!link confirm``; ``!link cancel`` by either side voids the code (game/linking.py).

Runs inside the event's transaction (see jobs/commands.py); every refusal comes before the
first write, as there. A merge moves everything that references the absorbed player to the
survivor with UPDATEs — ledger rows included, so
``sum(users.wealth) == sum(game_events.wealth_delta)`` (and XP) holds per player and overall —
then deletes the absorbed ``users`` row. Tables referencing ``users``: game_events,
player_identities, cooldowns (also ``target_identifier`` = a player id), jail, audit_log
(actor and target) and link_codes; tests/jobs/test_linking.py fails if another one appears.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from tortoise.backends.base.client import BaseDBAsyncClient

from game.actions import money
from game.errors import NotAllowed
from game.events import Platform
from game.linking import (
    CANCEL,
    CODE_TTL,
    CONFIRM,
    IssuedCode,
    Merged,
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
    parse_link,
    parse_unlink,
    platform_label,
    requested_text,
)
from game.rules import DEFAULT_RULES
from game.stats import STATS
from jobs import state
from jobs.activity import account_ident

if TYPE_CHECKING:
    from jobs.commands import Turn

log = logging.getLogger(__name__)

PLATFORMS = tuple(p.value for p in Platform)
CODE_TRIES = 5
# used and expired codes are kept this long (for support questions), then pruned by !link
KEEP_OLD_CODES = timedelta(days=1)

_SNAPSHOT_COLUMNS = (
    "id, created_at, wealth, xp, checkin_streak, last_checkin_date, total_play_count, wins,"
    " losses, rob_count, rob_success_count, messages_sent, lifetime_wealth_earned,"
    " last_chat_reward_at, last_seen"
)


_CODE_COLUMNS = (
    "c.id, c.code, c.user_id, c.platform, c.platform_user_id, c.expires_at, c.used_at,"
    " c.pending_platform, c.pending_user_id, c.pending_name,"
    " i.user_id AS owner_id, COALESCE(i.username, '') AS owner_name"
    " FROM link_codes c LEFT JOIN player_identities i ON i.community_id = c.community_id"
    " AND i.platform = c.platform AND i.platform_user_id = c.platform_user_id"
)


async def link(turn: Turn, conn: BaseDBAsyncClient) -> None:
    action, code = parse_link(turn.cmd.args)
    if action == "issue":
        await _issue(turn, conn)
    elif action == CONFIRM:
        await _confirm(turn, conn, code)
    elif action == CANCEL:
        await _cancel(turn, conn)
    else:
        await _redeem(turn, conn, code)


async def _current_player(conn: BaseDBAsyncClient, community: int, platform: str,
                          account: str) -> int | None:
    _, rows = await conn.execute_query(
        "SELECT user_id FROM player_identities WHERE community_id = $1 AND platform = $2"
        " AND platform_user_id = $3",
        [community, platform, account],
    )
    return int(rows[0]["user_id"]) if rows else None


async def _issue(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """A fresh code for this account; its earlier unused codes stop working."""
    platform, account = turn.event.platform.value, turn.event.user.id
    await conn.execute_query(
        "DELETE FROM link_codes WHERE community_id = $4 AND ((platform = $1"
        " AND platform_user_id = $2 AND used_at IS NULL) OR expires_at < $3)",
        [platform, account, turn.now - KEEP_OLD_CODES, turn.community],
    )
    for _ in range(CODE_TRIES):
        code = new_code(turn.app.rng)
        rows = await conn.execute_query_dict(
            "INSERT INTO link_codes (community_id, code, user_id, platform, platform_user_id,"
            " created_at, expires_at) VALUES ($7, $1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (community_id, code) DO NOTHING RETURNING id",
            [code, turn.player.id, platform, account, turn.now, turn.now + CODE_TTL,
             turn.community],
        )
        if rows:
            break
    else:
        raise RuntimeError("no free link code after several draws")
    if is_private(platform):
        turn.say_private(issued_text(code, private=True))
    else:
        turn.say(issued_text(code, private=False))


async def _redeem(turn: Turn, conn: BaseDBAsyncClient, code: str | None) -> None:
    """``!link CODE``: a private code joins now; a public one files a request (nothing else
    changes until its own account confirms)."""
    platform, account = turn.event.platform.value, turn.event.user.id
    found = await _load_codes(conn, turn.community, "c.code = $1", [code]) if code else []
    issued, code_id = found[0] if found else (None, 0)
    # the typing account's player as of now (turn.player was resolved before the transaction)
    me = await _current_player(conn, turn.community, platform, account) or turn.player.id
    check_code(issued, me, platform, account, turn.now)
    assert issued is not None
    if issued.private:
        await _join(turn, conn, issued, code_id, me, issued.user_id)
        return
    accounts = await _accounts(conn, me, issued.user_id)
    check_platforms([a["platform"] for a in accounts if a["user_id"] == me],
                    [a["platform"] for a in accounts if a["user_id"] == issued.user_id])
    await conn.execute_query(
        "UPDATE link_codes SET pending_platform = $2, pending_user_id = $3, pending_name = $4,"
        " pending_at = $5 WHERE id = $1",
        [code_id, platform, account, turn.player.name[:100], turn.now],
    )
    log.info("link requested: platform=%s channel=%s user=%s event_id=%s player=%d code_of=%s:%s",
             platform, turn.event.channel, account, turn.event.event_id, me, issued.platform,
             issued.platform_user_id)
    turn.say(requested_text(platform, turn.player.name, issued.owner_name, issued.platform,
                            minutes_left(issued.expires_at, turn.now)))


async def _confirm(turn: Turn, conn: BaseDBAsyncClient, name: str | None) -> None:
    """``!link confirm <name>`` from the account a public code was given to, naming the
    account that asked: join its requester."""
    platform, account = turn.event.platform.value, turn.event.user.id
    mine = await _load_codes(
        conn, turn.community,
        "c.platform = $1 AND c.platform_user_id = $2 AND c.used_at IS NULL",
        [platform, account])
    code, code_id = next(((c, i) for c, i in mine if c.pending), (None, 0))
    asked = None
    if code is None:
        requested = await _load_codes(
            conn, turn.community, "c.pending_platform = $1 AND c.pending_user_id = $2"
            " AND c.used_at IS NULL AND c.expires_at > $3", [platform, account, turn.now])
        asked = requested[0][0] if requested else None
    check_confirm(code, asked, turn.now, name)
    assert code is not None and code.owner_id is not None
    assert code.pending_platform is not None and code.pending_user_id is not None
    requester = await _current_player(conn, turn.community, code.pending_platform,
                                      code.pending_user_id)
    check_requester(requester, code.owner_id)
    assert requester is not None
    await _join(turn, conn, code, code_id, code.owner_id, requester)


async def _join(turn: Turn, conn: BaseDBAsyncClient, issued: IssuedCode, code_id: int,
                me: int, other: int) -> None:
    """Merge the players ``me`` (the typing account's) and ``other``; mark the code used."""
    platform, account = turn.event.platform.value, turn.event.user.id
    players = await _lock_players(conn, me, other)
    if len(players) != 2:  # one of them was merged away meanwhile
        raise NotAllowed("that link code is no longer valid — type !link on your other "
                         "platform for a new one")
    accounts = await _accounts(conn, me, other)
    check_platforms([a["platform"] for a in accounts if a["user_id"] == me],
                    [a["platform"] for a in accounts if a["user_id"] == other])
    merged = merge_players(players[me], players[other], turn.rules)
    await conn.execute_query("UPDATE link_codes SET used_at = $2 WHERE id = $1",
                             [code_id, turn.now])
    await absorb(conn, merged)
    await state.audit(conn, turn.community, merged.survivor_id, platform, turn.player.name,
                      "link_merge",
                      merged.survivor_id, json.dumps({
                          "event": turn.source_key,
                          "code": issued.code,
                          "confirmed": not issued.private,
                          "requester": None if issued.private else {
                              "platform": issued.pending_platform,
                              "platform_user_id": issued.pending_user_id,
                              "username": issued.pending_name,
                          },
                          "survivor": _plain(players[merged.survivor_id]),
                          "absorbed": _plain(players[merged.absorbed_id]),
                          "merged": _plain(merged),
                          "accounts": [
                              {k: a[k] for k in ("user_id", "platform", "platform_user_id",
                                                 "username")} for a in accounts
                          ],
                      }, default=str))
    log.info("accounts linked: platform=%s channel=%s user=%s event_id=%s survivor=%d "
             "absorbed=%d", platform, turn.event.channel, account, turn.event.event_id,
             merged.survivor_id, merged.absorbed_id)
    labels = sorted({platform_label(a["platform"]) for a in accounts})
    joined = " and ".join([", ".join(labels[:-1]), labels[-1]]) if len(labels) > 1 else labels[0]
    turn.say(f"linked — your {joined} accounts are one player now: {money(merged.wealth)}, "
             f"level {merged.level}")


async def _load_codes(conn: BaseDBAsyncClient, community: int, where: str, args: list[Any]
                      ) -> list[tuple[IssuedCode, int]]:
    """The community's code rows (newest first), locked, with the player and name their
    account has now."""
    rows = await conn.execute_query_dict(
        f"SELECT {_CODE_COLUMNS} WHERE c.community_id = ${len(args) + 1} AND ({where})"
        " ORDER BY c.id DESC FOR UPDATE OF c", [*args, community],
    )
    return [(IssuedCode(
        code=r["code"], user_id=r["user_id"], owner_id=r["owner_id"], platform=r["platform"],
        platform_user_id=r["platform_user_id"], expires_at=r["expires_at"], used_at=r["used_at"],
        owner_name=r["owner_name"], pending_platform=r["pending_platform"],
        pending_user_id=r["pending_user_id"], pending_name=r["pending_name"],
    ), int(r["id"])) for r in rows]


async def _cancel(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """``!link cancel``: void the live codes this account got, and those it asked to join."""
    platform, account = turn.event.platform.value, turn.event.user.id
    live = await _load_codes(
        conn, turn.community, "c.used_at IS NULL AND c.expires_at > $3 AND ((c.platform = $1 AND"
        " c.platform_user_id = $2) OR (c.pending_platform = $1 AND c.pending_user_id = $2))",
        [platform, account, turn.now])
    owned = [c for c, _ in live if (c.platform, c.platform_user_id) == (platform, account)]
    asked = [c for c, _ in live if (c.platform, c.platform_user_id) != (platform, account)]
    text = cancelled_text([(c.pending_name, c.pending_platform) for c in owned],
                          [(c.owner_name, c.platform) for c in asked])
    await conn.execute_query("DELETE FROM link_codes WHERE id = ANY($1::bigint[])",
                             [[i for _, i in live]])
    log.info("link cancelled: platform=%s channel=%s user=%s event_id=%s codes=%d",
             platform, turn.event.channel, account, turn.event.event_id, len(live))
    turn.say(text)


async def _lock_players(conn: BaseDBAsyncClient, *ids: int) -> dict[int, PlayerSnapshot]:
    """Row-lock in id order (like jobs.state.lock_users) and read what a merge needs."""
    rows = await conn.execute_query_dict(
        f"SELECT {_SNAPSHOT_COLUMNS} FROM users WHERE id = ANY($1::bigint[])"
        " ORDER BY id FOR UPDATE",
        [sorted(set(ids))],
    )
    return {r["id"]: PlayerSnapshot(**r) for r in rows}


async def _accounts(conn: BaseDBAsyncClient, *user_ids: int) -> list[dict[str, Any]]:
    return await conn.execute_query_dict(
        "SELECT id, user_id, platform, platform_user_id, username FROM player_identities"
        " WHERE user_id = ANY($1::bigint[]) ORDER BY updated_at DESC, id DESC FOR UPDATE",
        [list(user_ids)],
    )


# The economy's rows of the absorbed player ($2) move to the survivor ($1); in the two
# placements $3 is the cap (inventory, crates) and $4 the escrow hours. GAME.md: the
# inventories merge up to the cap, the overflow to escrow (docs/rules.md: a merge destroys
# nothing, so its overflow goes to escrow even past the 3 slots; crates likewise); the
# survivor's equipment stays on, the absorbed player's comes off; a title both own is kept
# once; per buff category the stronger (then the longer) buff stays; consumables add up;
# the survivor's insurance plan stays (else the absorbed one's); housing debt: the larger;
# the absorbed player's personal shop goes.
_COUNTERS = (*STATS, "faction_points")  # every counter of leaderboard_snapshots
_STATS = ", ".join(_COUNTERS)

_ECONOMY_MERGE = (
    "UPDATE user_inventory v SET user_id = $1, is_equipped = false, slot = NULL,"
    " equipped_at = NULL,"
    " is_escrowed = v.is_escrowed OR r.rank > GREATEST(0, r.cap - r.held),"
    " escrow_expires_at = CASE WHEN v.is_escrowed THEN v.escrow_expires_at"
    "  WHEN r.rank > GREATEST(0, r.cap - r.held) THEN now() + make_interval(hours => $4) END"
    " FROM (SELECT x.id, row_number() OVER (ORDER BY x.is_escrowed, x.id) AS rank,"
    "  (SELECT count(*) FROM user_inventory y WHERE y.user_id = $1 AND NOT y.is_escrowed)"
    "  AS held, $3::int AS cap FROM user_inventory x WHERE x.user_id = $2) r"
    " WHERE v.id = r.id",
    "UPDATE user_crates c SET user_id = $1,"
    " is_escrowed = c.is_escrowed OR r.rank > GREATEST(0, r.cap - r.held),"
    " escrow_expires_at = CASE WHEN c.is_escrowed THEN c.escrow_expires_at"
    "  WHEN r.rank > GREATEST(0, r.cap - r.held) THEN now() + make_interval(hours => $4) END"
    " FROM (SELECT x.id, row_number() OVER (ORDER BY x.is_escrowed, x.id) AS rank,"
    "  (SELECT count(*) FROM user_crates y WHERE y.user_id = $1 AND NOT y.is_escrowed)"
    "  AS held, $3::int AS cap FROM user_crates x WHERE x.user_id = $2) r"
    " WHERE c.id = r.id",
    "UPDATE crate_opens SET user_id = $1 WHERE user_id = $2",
    "INSERT INTO user_titles (community_id, user_id, title_id, is_equipped, unlocked_at)"
    " SELECT community_id, $1, title_id, false, unlocked_at FROM user_titles"
    " WHERE user_id = $2 ON CONFLICT (community_id, user_id, title_id) DO NOTHING",
    "DELETE FROM user_titles WHERE user_id = $2 AND user_id <> $1",
    "INSERT INTO active_buffs (community_id, user_id, category, buff_key, multiplier,"
    " expires_at, created_at) SELECT community_id, $1, category, buff_key, multiplier,"
    " expires_at, created_at FROM active_buffs WHERE user_id = $2 AND expires_at > now()"
    " ON CONFLICT (community_id, user_id, category) DO UPDATE SET"
    " buff_key = EXCLUDED.buff_key, multiplier = EXCLUDED.multiplier,"
    " expires_at = EXCLUDED.expires_at WHERE active_buffs.expires_at <= now()"
    " OR (EXCLUDED.multiplier, EXCLUDED.expires_at)"
    " > (active_buffs.multiplier, active_buffs.expires_at)",
    "DELETE FROM active_buffs WHERE user_id = $2 AND user_id <> $1",
    "INSERT INTO user_consumables (community_id, user_id, key, quantity)"
    " SELECT community_id, $1, key, quantity FROM user_consumables WHERE user_id = $2"
    " ON CONFLICT (community_id, user_id, key) DO UPDATE SET"
    " quantity = user_consumables.quantity + EXCLUDED.quantity",
    "DELETE FROM user_consumables WHERE user_id = $2 AND user_id <> $1",
    "INSERT INTO user_insurance (community_id, user_id, plan, share, premium, started_at,"
    " paid_until) SELECT community_id, $1, plan, share, premium, started_at, paid_until"
    " FROM user_insurance WHERE user_id = $2 ON CONFLICT (community_id, user_id) DO NOTHING",
    "DELETE FROM user_insurance WHERE user_id = $2 AND user_id <> $1",
    "INSERT INTO housing_debt (community_id, user_id, debt_days, updated_at)"
    " SELECT community_id, $1, debt_days, updated_at FROM housing_debt WHERE user_id = $2"
    " ON CONFLICT (community_id, user_id) DO UPDATE SET"
    " debt_days = GREATEST(housing_debt.debt_days, EXCLUDED.debt_days)",
    "DELETE FROM housing_debt WHERE user_id = $2 AND user_id <> $1",
    "INSERT INTO business_revenue_history (community_id, user_id, item_id, amount, due_at,"
    " collected_at) SELECT community_id, $1, item_id, amount, due_at, collected_at"
    " FROM business_revenue_history WHERE user_id = $2"
    " ON CONFLICT (community_id, user_id, due_at) DO UPDATE SET"
    " amount = business_revenue_history.amount + EXCLUDED.amount",
    "DELETE FROM business_revenue_history WHERE user_id = $2 AND user_id <> $1",
    "DELETE FROM player_shop_inventory WHERE user_id = $2 AND user_id <> $1",
    # live streams: contributions add up; the crown, support records and heist wins follow
    "INSERT INTO session_contributions (community_id, session_id, user_id, usd, events,"
    " updated_at) SELECT community_id, session_id, $1, usd, events, updated_at"
    " FROM session_contributions WHERE user_id = $2"
    " ON CONFLICT (community_id, session_id, user_id) DO UPDATE SET"
    " usd = session_contributions.usd + EXCLUDED.usd,"
    " events = session_contributions.events + EXCLUDED.events",
    "DELETE FROM session_contributions WHERE user_id = $2 AND user_id <> $1",
    "UPDATE streaming_sessions s SET juicernaut_id = $1, juicernaut_usd = GREATEST("
    " s.juicernaut_usd, COALESCE((SELECT c.usd FROM session_contributions c"
    " WHERE c.session_id = s.id AND c.user_id = $1), 0)) WHERE s.juicernaut_id = $2",
    "UPDATE monetization_events SET user_id = $1 WHERE user_id = $2",
    "UPDATE heist_events SET winner_id = $1 WHERE winner_id = $2",
    "UPDATE user_notifications SET user_id = $1 WHERE user_id = $2",
    # gambling: hands, duels, tickets and rounds follow the survivor; totals add up
    "UPDATE blackjack_hands SET user_id = $1 WHERE user_id = $2",
    "UPDATE coin_flip_challenges SET challenger_id = $1 WHERE challenger_id = $2",
    "UPDATE coin_flip_challenges SET acceptor_id = $1 WHERE acceptor_id = $2",
    "UPDATE coin_flip_challenges SET winner_id = $1 WHERE winner_id = $2",
    "UPDATE lottery_tickets SET user_id = $1 WHERE user_id = $2",
    "UPDATE gambling_sessions SET user_id = $1 WHERE user_id = $2",
    "UPDATE slot_jackpots SET last_winner_id = $1 WHERE last_winner_id = $2",
    "INSERT INTO player_gambling_stats (community_id, user_id, game_type, rounds, wins,"
    " wagered, paid, biggest_win) SELECT community_id, $1, game_type, rounds, wins, wagered,"
    " paid, biggest_win FROM player_gambling_stats WHERE user_id = $2"
    " ON CONFLICT (community_id, user_id, game_type) DO UPDATE SET"
    " rounds = player_gambling_stats.rounds + EXCLUDED.rounds,"
    " wins = player_gambling_stats.wins + EXCLUDED.wins,"
    " wagered = player_gambling_stats.wagered + EXCLUDED.wagered,"
    " paid = player_gambling_stats.paid + EXCLUDED.paid,"
    " biggest_win = GREATEST(player_gambling_stats.biggest_win, EXCLUDED.biggest_win)",
    "DELETE FROM player_gambling_stats WHERE user_id = $2 AND user_id <> $1",
    # progress (the projection of the ledger, whose rows move to the survivor too): the
    # counters add up, records and archives follow, a mission or achievement held twice is
    # kept once, the survivor's faction wins over the absorbed one's
    "INSERT INTO leaderboard_snapshots (community_id, user_id, period, period_start, "
    f"{_STATS}, updated_at) SELECT community_id, $1, period, period_start, {_STATS},"
    " updated_at FROM leaderboard_snapshots WHERE user_id = $2"
    " ON CONFLICT (community_id, period, period_start, user_id) DO UPDATE SET "
    + ", ".join(f"{c} = leaderboard_snapshots.{c} + EXCLUDED.{c}" for c in _COUNTERS),
    "DELETE FROM leaderboard_snapshots WHERE user_id = $2 AND user_id <> $1",
    "UPDATE leaderboard_history SET user_id = $1 WHERE user_id = $2",
    "UPDATE hall_of_fame_records SET user_id = $1 WHERE user_id = $2",
    "INSERT INTO player_progress (community_id, user_id, rob_streak, rob_streak_best,"
    " items_seen, state) SELECT community_id, $1, rob_streak, rob_streak_best, items_seen,"
    " state FROM player_progress WHERE user_id = $2 ON CONFLICT (community_id, user_id)"
    " DO UPDATE SET rob_streak_best = GREATEST(player_progress.rob_streak_best,"
    " EXCLUDED.rob_streak_best), items_seen = (SELECT COALESCE(jsonb_agg(DISTINCT k), '[]')"
    " FROM jsonb_array_elements(player_progress.items_seen || EXCLUDED.items_seen) AS k),"
    # the counters in state add up; a best streak is the better of the two
    " state = (SELECT COALESCE(jsonb_object_agg(k, CASE WHEN k LIKE '%streak%'"
    " THEN GREATEST(a, b) ELSE a + b END), '{}') FROM (SELECT k,"
    " COALESCE((player_progress.state->>k)::bigint, 0) AS a,"
    " COALESCE((EXCLUDED.state->>k)::bigint, 0) AS b"
    " FROM jsonb_object_keys(player_progress.state || EXCLUDED.state) AS k) AS x)",
    "DELETE FROM player_progress WHERE user_id = $2 AND user_id <> $1",
    "UPDATE user_missions m SET user_id = $1 WHERE user_id = $2 AND NOT EXISTS (SELECT 1"
    " FROM user_missions x WHERE x.user_id = $1 AND x.period = m.period"
    " AND x.period_start = m.period_start)",
    "DELETE FROM user_missions WHERE user_id = $2 AND user_id <> $1",
    "UPDATE mission_completions m SET user_id = $1 WHERE user_id = $2 AND NOT EXISTS ("
    "SELECT 1 FROM mission_completions x WHERE x.user_id = $1 AND x.period = m.period"
    " AND x.period_start = m.period_start AND x.key = m.key)",
    "DELETE FROM mission_completions WHERE user_id = $2 AND user_id <> $1",
    "INSERT INTO user_achievements (community_id, user_id, achievement_id, unlocked_at)"
    " SELECT community_id, $1, achievement_id, unlocked_at FROM user_achievements"
    " WHERE user_id = $2 ON CONFLICT (community_id, user_id, achievement_id) DO NOTHING",
    "DELETE FROM user_achievements WHERE user_id = $2 AND user_id <> $1",
    "UPDATE faction_members m SET user_id = $1 WHERE user_id = $2 AND NOT EXISTS (SELECT 1"
    " FROM faction_members x WHERE x.user_id = $1)",
    "DELETE FROM faction_members WHERE user_id = $2 AND user_id <> $1",
)


async def absorb(conn: BaseDBAsyncClient, merged: Merged) -> None:
    """Move every reference from the absorbed player to the survivor, write the merged
    balances and counters, delete the absorbed row. Both rows must be locked already."""
    s, a = merged.survivor_id, merged.absorbed_id
    for sql in (
        "UPDATE game_events SET user_id = $1 WHERE user_id = $2",
        "UPDATE player_identities SET user_id = $1 WHERE user_id = $2",
        "UPDATE link_codes SET user_id = $1 WHERE user_id = $2",
        "UPDATE audit_log SET actor_id = $1 WHERE actor_id = $2",
        "UPDATE audit_log SET target_id = $1 WHERE target_id = $2",
        # one cooldown per command (and target): the later expiry wins
        "INSERT INTO cooldowns (community_id, user_id, command_type, target_identifier,"
        " expires_at, created_at) SELECT community_id, $1, command_type, target_identifier,"
        " expires_at, created_at FROM cooldowns WHERE user_id = $2"
        " ON CONFLICT (community_id, user_id, command_type, target_identifier)"
        " DO UPDATE SET expires_at = GREATEST(cooldowns.expires_at, EXCLUDED.expires_at)",
        "DELETE FROM cooldowns WHERE user_id = $2 AND user_id <> $1",
        # anyone's per-target cooldown on the absorbed player now points at the survivor
        "INSERT INTO cooldowns (community_id, user_id, command_type, target_identifier,"
        " expires_at, created_at) SELECT community_id, user_id, command_type,"
        " $1::bigint::text, expires_at, created_at FROM cooldowns"
        " WHERE target_identifier = $2::bigint::text"
        " ON CONFLICT (community_id, user_id, command_type, target_identifier)"
        " DO UPDATE SET expires_at = GREATEST(cooldowns.expires_at, EXCLUDED.expires_at)",
        "DELETE FROM cooldowns WHERE target_identifier = $2::bigint::text"
        " OR (user_id = $1 AND target_identifier = $1::bigint::text)",
        # jail: the later release wins (with its reason)
        "INSERT INTO jail (community_id, user_id, jailed_at, release_at, reason)"
        " SELECT community_id, $1, jailed_at, release_at, reason FROM jail WHERE user_id = $2"
        " ON CONFLICT (community_id, user_id) DO UPDATE SET"
        " jailed_at = CASE WHEN EXCLUDED.release_at > jail.release_at"
        "  THEN EXCLUDED.jailed_at ELSE jail.jailed_at END,"
        " reason = CASE WHEN EXCLUDED.release_at > jail.release_at"
        "  THEN EXCLUDED.reason ELSE jail.reason END,"
        " release_at = GREATEST(jail.release_at, EXCLUDED.release_at)",
        "DELETE FROM jail WHERE user_id = $2 AND user_id <> $1",
    ):
        await conn.execute_query(sql, [s, a])
    rules = DEFAULT_RULES  # the inventory's numbers are not per community
    for sql in _ECONOMY_MERGE:
        extra = [rules.inventory_cap, rules.escrow_hours] if "user_inventory v" in sql else (
            [rules.crate_hold, rules.crate_escrow_hours] if "user_crates c" in sql else [])
        await conn.execute_query(sql, [s, a, *extra])
    await conn.execute_query(
        "DELETE FROM link_codes WHERE user_id = $1 AND used_at IS NULL", [s]
    )
    await conn.execute_query(
        "UPDATE users SET wealth = $2, xp = $3, level = $4, status_tier = $5,"
        " checkin_streak = $6, last_checkin_date = $7, total_play_count = $8, wins = $9,"
        " losses = $10, rob_count = $11, rob_success_count = $12, messages_sent = $13,"
        " lifetime_wealth_earned = $14, last_chat_reward_at = $15, last_seen = $16,"
        " updated_at = now() WHERE id = $1",
        [s, merged.wealth, merged.xp, merged.level, merged.status_tier, merged.checkin_streak,
         merged.last_checkin_date, merged.total_play_count, merged.wins, merged.losses,
         merged.rob_count, merged.rob_success_count, merged.messages_sent,
         merged.lifetime_wealth_earned, merged.last_chat_reward_at, merged.last_seen],
    )
    await conn.execute_query("DELETE FROM users WHERE id = $1", [a])


def _plain(obj: PlayerSnapshot | Merged) -> dict[str, Any]:
    return dict(vars(obj))


async def unlink(turn: Turn, conn: BaseDBAsyncClient) -> None:
    platform = parse_unlink(turn.cmd.args, PLATFORMS)
    me = turn.player.id
    if not await _lock_players(conn, me):
        raise NotAllowed("that didn't work — please try again")
    accounts = await _accounts(conn, me)
    check_unlink(platform, [a["platform"] for a in accounts])
    gone = next(a for a in accounts if a["platform"] == platform)
    rest = [a for a in accounts if a is not gone]
    await conn.execute_query("DELETE FROM player_identities WHERE id = $1", [gone["id"]])
    await conn.execute_query(
        "DELETE FROM link_codes WHERE community_id = $3 AND platform = $1"
        " AND platform_user_id = $2 AND used_at IS NULL",
        [platform, gone["platform_user_id"], turn.community],
    )
    await conn.execute_query(  # its requests to join others' codes go too
        "UPDATE link_codes SET pending_platform = NULL, pending_user_id = NULL,"
        " pending_name = NULL, pending_at = NULL WHERE community_id = $3"
        " AND pending_platform = $1 AND pending_user_id = $2 AND used_at IS NULL",
        [platform, gone["platform_user_id"], turn.community],
    )
    await conn.execute_query(  # the name follows the most recently active remaining account
        "UPDATE users SET username = $2, display_name = $2, updated_at = now() WHERE id = $1",
        [me, rest[0]["username"]],
    )
    await state.audit(conn, turn.community, me, turn.event.platform.value, turn.player.name,
                      "unlink", me,
                      json.dumps({"event": turn.source_key, "platform": platform,
                                  "platform_user_id": gone["platform_user_id"],
                                  "username": gone["username"]}))
    # chat from the detached account makes a new player right away, not only at the next flush
    ident = account_ident(turn.community, platform, gone["platform_user_id"])
    await cast("Awaitable[int]", turn.app.redis.srem(turn.app.keys.known_accounts, ident))
    log.info("account unlinked: platform=%s channel=%s user=%s event_id=%s player=%d "
             "detached=%s:%s", turn.event.platform.value, turn.event.channel,
             turn.event.user.id, turn.event.event_id, me, platform, gone["platform_user_id"])
    turn.say(f"your {platform_label(platform)} account {gone['username']} is unlinked — "
             f"it starts as a new player next time it chats")
