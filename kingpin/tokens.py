"""OAuth tokens in the database (``platform_tokens``), for the platform listeners."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from tortoise import connections

from kingpin.logs import register_secret


@dataclass(frozen=True)
class StoredToken:
    platform: str
    account_id: str
    account_name: str
    access_token: str
    refresh_token: str | None
    scopes: tuple[str, ...]
    expires_at: datetime | None


class TokenStore:
    """Load and save tokens; Tortoise must be initialised (kingpin.db.init_db)."""

    def __init__(self, connection_name: str = "default") -> None:
        self._name = connection_name

    async def get(self, platform: str, account_id: str) -> StoredToken | None:
        rows = await connections.get(self._name).execute_query_dict(
            "SELECT platform, account_id, account_name, access_token, refresh_token, scopes,"
            " expires_at FROM platform_tokens WHERE platform = $1 AND account_id = $2",
            [platform, account_id],
        )
        return _row(rows[0]) if rows else None

    async def all(self, platform: str) -> list[StoredToken]:
        rows = await connections.get(self._name).execute_query_dict(
            "SELECT platform, account_id, account_name, access_token, refresh_token, scopes,"
            " expires_at FROM platform_tokens WHERE platform = $1 ORDER BY account_id",
            [platform],
        )
        return [_row(r) for r in rows]

    async def save(self, token: StoredToken) -> None:
        register_secret(token.access_token, token.refresh_token)
        await connections.get(self._name).execute_query(
            "INSERT INTO platform_tokens (platform, account_id, account_name, access_token,"
            " refresh_token, scopes, expires_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, now())"
            " ON CONFLICT (platform, account_id) DO UPDATE SET"
            " account_name = EXCLUDED.account_name, access_token = EXCLUDED.access_token,"
            " refresh_token = COALESCE(EXCLUDED.refresh_token, platform_tokens.refresh_token),"
            " scopes = EXCLUDED.scopes, expires_at = EXCLUDED.expires_at, updated_at = now()",
            [token.platform, token.account_id, token.account_name, token.access_token,
             token.refresh_token, json.dumps(list(token.scopes)), token.expires_at],
        )

    async def delete(self, platform: str, account_id: str) -> None:
        await connections.get(self._name).execute_query(
            "DELETE FROM platform_tokens WHERE platform = $1 AND account_id = $2",
            [platform, account_id],
        )


def _row(row: dict[str, object]) -> StoredToken:
    scopes = row["scopes"]
    if isinstance(scopes, str):
        scopes = json.loads(scopes)
    token = StoredToken(
        platform=str(row["platform"]), account_id=str(row["account_id"]),
        account_name=str(row["account_name"]), access_token=str(row["access_token"]),
        refresh_token=row["refresh_token"] if row["refresh_token"] is None
        else str(row["refresh_token"]),
        scopes=tuple(scopes or ()),  # type: ignore[arg-type]
        expires_at=row["expires_at"],  # type: ignore[arg-type]
    )
    register_secret(token.access_token, token.refresh_token)  # masked in every log line
    return token
