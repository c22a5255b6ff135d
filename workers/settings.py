"""``arq workers.settings.WorkerSettings``: the arq CLI entry point.

The arq CLI needs a class with attributes, so this module (and only this one) reads the
KINGPIN_* settings when it is imported. ``kingpin worker`` does the same without it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from arq.connections import RedisSettings

from kingpin.logs import configure_logging
from kingpin.services import resolve_redis_url
from kingpin.settings import Settings
from workers.main import arq_cli_options


def _build() -> type:
    settings = Settings()
    options: dict[str, Any] = arq_cli_options(settings)
    options["redis_settings"] = RedisSettings.from_dsn(
        resolve_redis_url(settings.secret("redis_url"), settings.data_dir)
    )
    options["on_startup"] = _logging_first(options["on_startup"], settings)
    return type("WorkerSettings", (), options)


def _logging_first(startup: Callable[[dict[str, Any]], Awaitable[None]], settings: Settings
                   ) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """arq's CLI sets up its own logging after importing this module; ours (KINGPIN_LOG_LEVEL,
    no secret in any line, arq's handler included) joins it before the worker's startup."""

    async def on_startup(ctx: dict[str, Any]) -> None:
        configure_logging(settings.log_level, settings)
        arq_log = logging.getLogger("arq")
        if arq_log.handlers:  # arq prints its own lines; not a second time through ours
            arq_log.propagate = False
        await startup(ctx)

    return on_startup


WorkerSettings = _build()
