"""Row access shared by command handlers: locks, cooldowns, jail. SQL only, no rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from jobs.modifiers import NO_GEAR, Gear, gear_from_row, modifier_columns


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    wealth: int
    xp: int
    level: int
    checkin_streak: int
    last_checkin_date: date | None
    messages_sent: int
    total_play_count: int
    rob_count: int
    rob_success_count: int
    lifetime_wealth_earned: int


_USER_COLUMNS = (
    "id, username, wealth, xp, level, checkin_streak, last_checkin_date, messages_sent,"
    " total_play_count, rob_count, rob_success_count, lifetime_wealth_earned"
)


async def lock_users(conn: BaseDBAsyncClient, *user_ids: int) -> dict[int, UserRow]:
    """Row-lock players in id order (so two robbers never deadlock) and return them.

    ``FOR NO KEY UPDATE`` everywhere a player is locked (the claim, the chat flush, the crons):
    it serializes changes to the player as ``FOR UPDATE`` would, but not the foreign-key checks
    of rows that reference the player (``FOR KEY SHARE``), which the projector's progress rows
    take in bulk; with ``FOR UPDATE`` the two waited on each other and deadlocked."""
    ids = sorted(set(user_ids))
    _, rows = await conn.execute_query(
        f"SELECT {_USER_COLUMNS} FROM users WHERE id = ANY($1::bigint[]) ORDER BY id"
        " FOR NO KEY UPDATE", [ids],
    )
    return {r["id"]: UserRow(**dict(r)) for r in rows}


@dataclass(frozen=True)
class Snapshot:
    """A locked player with what guards need: jail and the command's cooldowns."""

    user: UserRow
    jailed_until: datetime | None
    cooldown: datetime | None
    target_cooldown: datetime | None
    gear: Gear = NO_GEAR  # buffs, equipped items, consumables, insurance, housing debt


_U_COLUMNS = ", ".join(f"u.{c.strip()}" for c in _USER_COLUMNS.split(","))
_SNAPSHOT_EXTRA = ("jailed_until", "cooldown", "target_cooldown")


def snapshot_from_row(row: dict[str, object]) -> Snapshot:
    data = {k: row[k] for k in UserRow.__dataclass_fields__}
    extra = {k: row.get(k) for k in _SNAPSHOT_EXTRA}
    return Snapshot(UserRow(**data), **extra, gear=gear_from_row(row))  # type: ignore[arg-type]


# The claim (apply-side dedup): the row of an event applied before, whether an earlier run
# of this same batch ($B) applied it, and its replies (they may never have gone out:
# jobs/apply.Answers). $1 platform, $2 event id. The row itself is written with the COMMIT.
def claimed_before(batch_param: str, community_param: str) -> str:
    return ("old AS (SELECT id, batch_id = " + batch_param + " AS same_batch, replies"
            " FROM processed_events WHERE community_id = " + community_param +
            " AND platform = $1 AND event_id = $2)")


CLAIMED_BEFORE_COLUMNS = ("(SELECT id FROM old) AS old_id,"
                          " (SELECT same_batch FROM old) AS old_same_batch,"
                          " (SELECT replies FROM old) AS old_replies")

# Claim an event and lock its player with jail, cooldown and Modifiers (jobs/modifiers.py), in
# one round trip: $1 platform, $2 event id, $3 platform user id, $4 cooldown command, $5 batch
# id, $6 community, $7 now.
CLAIM_AND_LOCK = (
    f"WITH {claimed_before('$5', '$6')},"
    f" snap AS (SELECT {_U_COLUMNS}, i.username AS identity_name, j.release_at AS jailed_until,"
    " (SELECT expires_at FROM cooldowns c WHERE c.community_id = u.community_id"
    "  AND c.user_id = u.id AND c.command_type = $4"
    "  AND c.target_identifier = '') AS cooldown,"
    f" {modifier_columns('$7')}"
    " FROM player_identities i JOIN users u ON u.id = i.user_id"
    " LEFT JOIN jail j ON j.community_id = u.community_id AND j.user_id = u.id"
    " WHERE i.community_id = $6 AND i.platform = $1 AND i.platform_user_id = $3"
    " FOR NO KEY UPDATE OF u)"
    f" SELECT {CLAIMED_BEFORE_COLUMNS}, snap.*"
    " FROM (SELECT 1) AS one"
    " LEFT JOIN snap ON true"
)

# The same for a command against a player named in it (``!rob @name``): the claim, the actor,
# the target by current name on the platform (jobs/players.BY_NAME) and both locked in id
# order with their jail, cooldowns (the target's own: ``target_cooldown``) and Modifiers, one
# row each: one round trip where the claim, the mention and the lock took three. $1 platform,
# $2 event id, $3 platform user id, $4 cooldown command, $5 batch id, $6 community, $7 now,
# $8 the target's name key. A target not found here is looked for the slow way
# (jobs/players.resolve_mention: linked accounts, ambiguity).
CLAIM_AND_LOCK_PAIR = (
    f"WITH {claimed_before('$5', '$6')},"
    " actor AS (SELECT user_id, username FROM player_identities WHERE community_id = $6"
    "  AND platform = $1 AND platform_user_id = $3),"
    " target AS (SELECT user_id, username FROM player_identities WHERE community_id = $6"
    "  AND username_key = $8 AND platform = $1 ORDER BY updated_at DESC LIMIT 1),"
    f" snap AS (SELECT {_U_COLUMNS}, j.release_at AS jailed_until,"
    " (SELECT expires_at FROM cooldowns c WHERE c.community_id = u.community_id"
    "  AND c.user_id = u.id AND c.command_type = $4"
    "  AND c.target_identifier = '') AS cooldown,"
    " (SELECT expires_at FROM cooldowns c WHERE c.community_id = u.community_id"
    "  AND c.user_id = u.id AND c.command_type = $4"
    "  AND c.target_identifier = (SELECT user_id::text FROM target)) AS target_cooldown,"
    f" {modifier_columns('$7')}"
    " FROM users u"
    " LEFT JOIN jail j ON j.community_id = u.community_id AND j.user_id = u.id"
    " WHERE u.id IN ((SELECT user_id FROM actor), (SELECT user_id FROM target))"
    " ORDER BY u.id FOR NO KEY UPDATE OF u)"
    f" SELECT {CLAIMED_BEFORE_COLUMNS}, (SELECT user_id FROM actor) AS actor_id,"
    " (SELECT username FROM actor) AS identity_name,"
    " (SELECT user_id FROM target) AS target_id, (SELECT username FROM target) AS target_name,"
    " snap.* FROM (SELECT 1) AS one LEFT JOIN snap ON true ORDER BY snap.id"
)


# ``u.id IN ($1, $5)``, not ``= ANY($1::bigint[])``: PostgreSQL's generic plan guesses ten
# elements for an array parameter, costs the ten players' subqueries above the custom plan's
# two, and so planned this statement afresh on every call (1.1 ms of PostgreSQL CPU a rob,
# more than running it: pg_stat_statements with track_planning, ``benchmarks.load``).
LOCK_FOR_COMMAND = (
    f"SELECT {_U_COLUMNS}, j.release_at AS jailed_until,"
    " (SELECT expires_at FROM cooldowns c WHERE c.community_id = u.community_id"
    "  AND c.user_id = u.id AND c.command_type = $2"
    "  AND c.target_identifier = '') AS cooldown,"
    " (SELECT expires_at FROM cooldowns c WHERE c.community_id = u.community_id"
    "  AND c.user_id = u.id AND c.command_type = $2"
    "  AND c.target_identifier = $3 AND $3 <> '') AS target_cooldown,"
    f" {modifier_columns('$4')}"
    " FROM users u"
    " LEFT JOIN jail j ON j.community_id = u.community_id AND j.user_id = u.id"
    " WHERE u.id IN ($1, $5) ORDER BY u.id FOR NO KEY UPDATE OF u"
)


async def lock_for_command(
    conn: BaseDBAsyncClient, user_ids: list[int], command: str, now: datetime, target: str = ""
) -> dict[int, Snapshot]:
    """Lock one or two players in id order and read their jail, cooldowns and Modifiers: one
    round trip."""
    ids = sorted(set(user_ids))
    if not 1 <= len(ids) <= 2:
        raise ValueError("lock_for_command locks one or two players")
    _, rows = await conn.execute_query(LOCK_FOR_COMMAND, [ids[0], command, target, now, ids[-1]])
    return {r["id"]: snapshot_from_row(dict(r)) for r in rows}


async def load_user(conn: BaseDBAsyncClient, user_id: int) -> UserRow:
    _, rows = await conn.execute_query(f"SELECT {_USER_COLUMNS} FROM users WHERE id = $1",
                                       [user_id])
    return UserRow(**dict(rows[0]))


async def jailed_until(conn: BaseDBAsyncClient, user_id: int) -> datetime | None:
    _, rows = await conn.execute_query(  # the key is (community_id, user_id)
        "SELECT release_at FROM jail WHERE community_id = (SELECT community_id FROM users"
        " WHERE id = $1) AND user_id = $1",
                                       [user_id])
    return rows[0]["release_at"] if rows else None


async def send_to_jail(
    conn: BaseDBAsyncClient, user_id: int, now: datetime, release_at: datetime, reason: str
) -> None:
    await conn.execute_query(  # the jail row is in the player's community
        "INSERT INTO jail (community_id, user_id, jailed_at, release_at, reason)"
        " SELECT community_id, id, $2, $3, $4 FROM users WHERE id = $1"
        " ON CONFLICT (community_id, user_id) DO UPDATE SET jailed_at = EXCLUDED.jailed_at,"
        " release_at = EXCLUDED.release_at, reason = EXCLUDED.reason",
        [user_id, now, release_at, reason],
    )


async def release_from_jail(conn: BaseDBAsyncClient, user_id: int) -> None:
    await conn.execute_query(
        "DELETE FROM jail WHERE community_id = (SELECT community_id FROM users WHERE id = $1)"
        " AND user_id = $1", [user_id])


async def audit(
    conn: BaseDBAsyncClient, community: int, actor_id: int | None, platform: str,
    actor_name: str, action: str, target_id: int | None, details: str,
) -> None:
    await conn.execute_query(
        "INSERT INTO audit_log (community_id, actor_id, actor_platform, actor_name, action,"
        " target_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
        [community, actor_id, platform, actor_name[:100], action, target_id, details],
    )


async def cooldown_until(conn: BaseDBAsyncClient, user_id: int, command: str) -> datetime | None:
    """The player's own cooldown of ``command`` (not a per-target one)."""
    rows = await conn.execute_query_dict(
        "SELECT c.expires_at FROM cooldowns c JOIN users u ON u.id = c.user_id"
        " AND u.community_id = c.community_id WHERE c.user_id = $1 AND c.command_type = $2"
        " AND c.target_identifier = ''", [user_id, command])
    return rows[0]["expires_at"] if rows else None


async def set_cooldown(conn: BaseDBAsyncClient, user_id: int, command: str,
                       until: datetime) -> None:
    await conn.execute_query(
        "INSERT INTO cooldowns (community_id, user_id, command_type, target_identifier,"
        " expires_at) SELECT community_id, id, $2, '', $3 FROM users WHERE id = $1"
        " ON CONFLICT (community_id, user_id, command_type, target_identifier)"
        " DO UPDATE SET expires_at = EXCLUDED.expires_at", [user_id, command, until])


async def load_gear(conn: BaseDBAsyncClient, user_id: int, now: datetime) -> Gear:
    """A player's Modifiers and gear without a lock (for showing them)."""
    rows = await conn.execute_query_dict(
        f"SELECT {modifier_columns('$2')} FROM users u WHERE u.id = $1", [user_id, now])
    return gear_from_row(rows[0]) if rows else NO_GEAR


async def worn_title(conn: BaseDBAsyncClient, user_id: int) -> str | None:
    rows = await conn.execute_query_dict(
        "SELECT t.name FROM user_titles ut JOIN crate_titles t ON t.key = ut.title_id"
        " JOIN users u ON u.id = ut.user_id AND u.community_id = ut.community_id"
        " WHERE ut.user_id = $1 AND ut.is_equipped", [user_id])
    return str(rows[0]["name"]) if rows else None
