"""Settings: pydantic-settings, prefix KINGPIN_. Built in each entry point, passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KINGPIN_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Storage. Empty means "embedded": a local PostgreSQL/Redis under data_dir.
    database_url: SecretStr | None = None
    redis_url: SecretStr | None = None
    data_dir: Path = Path(".kingpin")
    redis_prefix: str = Field(default="kp", pattern=r"^[A-Za-z0-9_.-]{1,32}$")
    db_pool_max: int = Field(default=20, ge=1, le=500)

    # Delivery
    batch_max_events: int = Field(default=300, ge=1, le=5000)
    batch_max_wait_ms: int = Field(default=5, ge=1, le=5000)
    worker_poll_delay_s: float = Field(default=0.005, gt=0, le=5)
    dedup_ttl_s: int = Field(default=7 * 24 * 3600, ge=60)
    chat_dedup_ttl_s: int = Field(default=3600, ge=60)
    processed_retention_days: int = Field(default=7, ge=1)
    # with the 30 s backoff cap, 6000 tries wait out about two days of PostgreSQL/Redis downtime
    job_max_tries: int = Field(default=6000, ge=1)
    # A batch is retried if it takes longer than this (it takes well under a second, more only
    # when it queues behind a backlog for connections).
    apply_timeout_s: int = Field(default=60, ge=2, le=600)
    # A running batch keeps a lease this long on arq's in-progress mark, renewed while it
    # runs: a batch whose worker died is run again by another worker within this.
    lease_s: float = Field(default=6, ge=1, le=60)
    # Cron jobs (activity flush, expiries) run on their own queue with this time limit.
    job_timeout_s: int = Field(default=60, ge=5, le=3600)
    # SIGTERM/SIGINT: running batches get this long to finish; the rest are handed back.
    shutdown_grace_s: float = Field(default=20, ge=0, le=3600)
    worker_max_jobs: int = Field(default=16, ge=1, le=1000)
    command_concurrency: int = Field(default=16, ge=1, le=1000)
    activity_flush_every_s: int = Field(default=10, ge=1, le=3600)
    # the lottery draws every this many seconds from 00:00 UTC (GAME.md: daily); shorter
    # for demos and tests
    lottery_draw_every_s: int = Field(default=86_400, ge=60, le=86_400)

    @field_validator("lottery_draw_every_s")
    @classmethod
    def _divides_a_day(cls, value: int) -> int:
        """Draws are counted from 00:00 UTC: an interval that divides a day keeps one there."""
        if 86_400 % value:
            raise ValueError("must divide a day (86400) evenly, e.g. 60, 120, 3600 or 86400")
        return value

    # Replies
    outbox_max_len: int = Field(default=10_000, ge=10)

    # Console
    console_channel: str = "local"

    # Platform listeners have their own settings (platforms/<name>/config.py,
    # KINGPIN_TWITCH_*, KINGPIN_KICK_*, KINGPIN_DISCORD_*).

    log_level: str = "INFO"

    def secret(self, name: str) -> str | None:
        value = getattr(self, name)
        return value.get_secret_value() if isinstance(value, SecretStr) else value
