"""``arq workers.settings.WorkerSettings``: the arq CLI entry point.

The arq CLI needs a class with attributes, so this module (and only this one) reads the
KINGPIN_* settings when it is imported. ``kingpin worker`` does the same without it.
"""

from __future__ import annotations

from typing import Any

from arq.connections import RedisSettings

from kingpin.services import resolve_redis_url
from kingpin.settings import Settings
from workers.main import arq_cli_options


def _build() -> type:
    settings = Settings()
    options: dict[str, Any] = arq_cli_options(settings)
    options["redis_settings"] = RedisSettings.from_dsn(
        resolve_redis_url(settings.secret("redis_url"), settings.data_dir)
    )
    return type("WorkerSettings", (), options)


WorkerSettings = _build()
