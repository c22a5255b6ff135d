"""Finding and creating players; resolving @mentions. Identity is the platform user id."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from game.commands import MAX_LISTED, ambiguous_mention, name_key
from game.errors import TargetError
from game.events import UserRef


@dataclass(frozen=True)
class PlayerRef:
    id: int
    name: str


def db() -> BaseDBAsyncClient:
    return connections.get("default")


async def ensure_player(community: int, platform: str, user: UserRef) -> PlayerRef:
    """The community's player behind a platform account, created on first sight; renames
    are recorded."""
    key = name_key(user.name)[:100]
    name = user.name[:100]
    conn = db()
    _, rows = await conn.execute_query(
        "SELECT user_id, username FROM player_identities"
        " WHERE community_id = $1 AND platform = $2 AND platform_user_id = $3",
        [community, platform, user.id],
    )
    if rows:
        user_id, current = rows[0]["user_id"], rows[0]["username"]
        if current != name:
            await _rename(conn, community, platform, user.id, user_id, name, key)
        return PlayerRef(user_id, name)
    try:
        async with in_transaction("default") as tx:
            created = await tx.execute_query_dict(
                "INSERT INTO users (community_id, username, display_name) VALUES ($1, $2, $2)"
                " RETURNING id", [community, name]
            )
            user_id = created[0]["id"]
            await tx.execute_query(
                "INSERT INTO player_identities (community_id, user_id, platform,"
                " platform_user_id, username, username_key) VALUES ($1, $2, $3, $4, $5, $6)",
                [community, user_id, platform, user.id, name, key],
            )
        return PlayerRef(user_id, name)
    except IntegrityError:  # created concurrently by another job: use that one
        _, rows = await conn.execute_query(
            "SELECT user_id FROM player_identities WHERE community_id = $1 AND platform = $2"
            " AND platform_user_id = $3",
            [community, platform, user.id],
        )
        return PlayerRef(rows[0]["user_id"], name)


Account = tuple[int, str, str]  # community, platform, platform user id


async def ensure_players(accounts: list[tuple[int, str, UserRef]]) -> dict[Account, int]:
    """Bulk ``ensure_player``: (community, platform, platform user id) -> player id, creating
    newcomers in one transaction (ids drawn from the sequence first, so each identity gets
    its own row; rows that lose a race to a concurrent creator are removed again before
    commit)."""
    wanted = {(community, platform, user.id): user for community, platform, user in accounts}
    if not wanted:
        return {}
    keys = list(wanted)
    found = await _lookup(db(), keys)
    missing = [k for k in keys if k not in found]
    renamed = [k for k in keys if k in found and found[k][1] != wanted[k].name[:100]]
    for account in renamed:
        user = wanted[account]
        community, platform, uid = account
        await _rename(db(), community, platform, uid, found[account][0], user.name[:100],
                      name_key(user.name)[:100])
    result = {k: v[0] for k, v in found.items()}
    if not missing:
        return result
    async with in_transaction("default") as tx:
        ids = await tx.execute_query_dict(
            "SELECT nextval(pg_get_serial_sequence('users', 'id')) AS id"
            " FROM generate_series(1, $1)", [len(missing)],
        )
        new_ids = [r["id"] for r in ids]
        names = [wanted[k].name[:100] for k in missing]
        communities = [k[0] for k in missing]
        await tx.execute_query(
            "INSERT INTO users (id, community_id, username, display_name)"
            " SELECT id, c, name, name FROM unnest($1::bigint[], $2::bigint[], $3::text[])"
            " AS t(id, c, name)",
            [new_ids, communities, names],
        )
        won = await tx.execute_query_dict(
            "INSERT INTO player_identities (user_id, community_id, platform, platform_user_id,"
            " username, username_key) SELECT * FROM unnest($1::bigint[], $2::bigint[],"
            " $3::text[], $4::text[], $5::text[], $6::text[])"
            " ON CONFLICT (community_id, platform, platform_user_id) DO NOTHING"
            " RETURNING user_id, community_id, platform, platform_user_id",
            [new_ids, communities, [k[1] for k in missing], [k[2] for k in missing], names,
             [name_key(wanted[k].name)[:100] for k in missing]],
        )
        kept = {r["user_id"] for r in won}
        lost = [i for i in new_ids if i not in kept]
        if lost:
            await tx.execute_query("DELETE FROM users WHERE id = ANY($1::bigint[])", [lost])
        for r in won:
            result[(r["community_id"], r["platform"], r["platform_user_id"])] = r["user_id"]
    if lost:  # created by someone else meanwhile
        for k, v in (await _lookup(db(), [k for k in missing if k not in result])).items():
            result[k] = v[0]
    return result


async def _lookup(
    conn: BaseDBAsyncClient, keys: list[Account]
) -> dict[Account, tuple[int, str]]:
    if not keys:
        return {}
    _, rows = await conn.execute_query(
        "SELECT i.community_id, i.platform, i.platform_user_id, i.user_id, i.username"
        " FROM player_identities i"
        " JOIN unnest($1::bigint[], $2::text[], $3::text[]) AS k(community, platform, uid)"
        " ON i.community_id = k.community AND i.platform = k.platform"
        " AND i.platform_user_id = k.uid",
        [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]],
    )
    return {(r["community_id"], r["platform"], r["platform_user_id"]):
            (r["user_id"], r["username"]) for r in rows}


async def rename_player(
    conn: BaseDBAsyncClient, community: int, platform: str, user: UserRef, user_id: int
) -> None:
    """Record a new display name (on the caller's connection, e.g. inside its transaction)."""
    await _rename(conn, community, platform, user.id, user_id, user.name[:100],
                  name_key(user.name)[:100])


async def _rename(
    conn: BaseDBAsyncClient, community: int, platform: str, platform_user_id: str,
    user_id: int, name: str, key: str,
) -> None:
    await conn.execute_query(
        "UPDATE player_identities SET username = $4, username_key = $5, updated_at = now()"
        " WHERE community_id = $1 AND platform = $2 AND platform_user_id = $3",
        [community, platform, platform_user_id, name, key],
    )
    await conn.execute_query(
        "UPDATE users SET username = $2, display_name = $2 WHERE id = $1", [user_id, name]
    )


# One probe of the name index per name: as ``username_key = ANY($3)``, the generic plan of a
# table without statistics yet filtered a platform's every name (0.4 ms a mention at 5,000).
BY_NAMES = (
    "SELECT k.key AS username_key, i.user_id, i.username FROM unnest($3::text[]) AS k(key)"
    " CROSS JOIN LATERAL (SELECT user_id, username FROM player_identities"
    " WHERE community_id = $1 AND username_key = k.key AND platform = $2"
    " ORDER BY updated_at DESC LIMIT 1) i"
)

# The one name of a mention (``!rob @name``): a plain parameter, so PostgreSQL plans it once
# per connection (the array of BY_NAMES, with its guessed length, was planned on every call:
# 0.18 ms of PostgreSQL CPU a rob).
BY_NAME = (
    "SELECT $3::text AS username_key, user_id, username FROM player_identities"
    " WHERE community_id = $1 AND username_key = $3 AND platform = $2"
    " ORDER BY updated_at DESC LIMIT 1"
)


async def find_by_usernames(
    conn: BaseDBAsyncClient, community: int, platform: str, names: list[str]
) -> dict[str, PlayerRef]:
    """The community's players by their current username on ``platform`` (case-insensitive:
    ``name_key``; the most recently seen account when two had the name), keyed by
    ``name_key``; names nobody has are missing."""
    keys = sorted({name_key(n)[:100] for n in names})
    if not keys:
        return {}
    _, rows = await conn.execute_query(BY_NAME if len(keys) == 1 else BY_NAMES,
                                       [community, platform, keys[0] if len(keys) == 1 else keys])
    return {r["username_key"]: PlayerRef(r["user_id"], r["username"]) for r in rows}


async def resolve_mention(
    community: int, platform: str, name: str, conn: BaseDBAsyncClient | None = None
) -> PlayerRef:
    """In the asker's community: by current username on the platform where it was typed,
    then on linked accounts."""
    key = name_key(name)
    conn = conn or db()
    found = await find_by_usernames(conn, community, platform, [name])
    if found:
        return next(iter(found.values()))
    _, rows = await conn.execute_query(
        "SELECT user_id, (array_agg(username ORDER BY updated_at DESC))[1] AS username,"
        " array_agg(DISTINCT platform) AS platforms FROM player_identities"
        " WHERE community_id = $1 AND username_key = $2 GROUP BY user_id ORDER BY user_id"
        " LIMIT $3",
        [community, key, MAX_LISTED + 1],
    )
    if len(rows) == 1:
        return PlayerRef(rows[0]["user_id"], rows[0]["username"])
    if len(rows) > 1:
        listed = [tuple(r["platforms"]) for r in rows[:MAX_LISTED]]
        raise TargetError(ambiguous_mention(name, listed, more=len(rows) > MAX_LISTED))
    raise TargetError(f"I don't know {name} — they have to chat first")
