"""Tortoise ORM models, one module per area, and the config aerich reads."""

from __future__ import annotations

from typing import Any

MODEL_MODULES = [
    "models.communities",
    "models.players",
    "models.ledger",
    "models.state",
    "models.streams",
    "models.processing",
    "models.admin",
    "models.platforms",
    "models.economy",
    "models.crates",
    "models.gambling",
    "models.heists",
    "models.notifications",
    "models.progression",
]


def tortoise_config(db_url: str, pool_max: int = 20) -> dict[str, Any]:
    return {
        "connections": {"default": _with_pool(db_url, pool_max)},
        "apps": {
            "models": {
                "models": [*MODEL_MODULES, "aerich.models"],
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _with_pool(db_url: str, pool_max: int) -> str:
    sep = "&" if "?" in db_url else "?"
    if "maxsize=" in db_url:
        return db_url
    return f"{db_url}{sep}minsize=1&maxsize={pool_max}"
