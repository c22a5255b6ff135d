"""Discord listener settings (env prefix ``KINGPIN_DISCORD_``); built at runtime, not import."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

API_BASE = "https://discord.com/api/v10"

IdList = Annotated[list[int], NoDecode]


class DiscordConfig(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KINGPIN_DISCORD_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # The bot token (Developer Portal -> Bot -> Token). Required by `listen`.
    token: SecretStr | None = None
    # Guilds that join the default community at start (those another community owns stay
    # there); their slash commands are synced at once. Guilds are otherwise given to
    # communities with `kingpin community add-channel <slug> discord <guild id>`.
    guild_ids: IdList = Field(default_factory=list)
    # Sync the slash commands: as guild commands to the guilds communities own (a bulk
    # overwrite per guild; none globally). Off: the commands already there stay.
    sync_commands: bool = True
    # How often the owned guilds are checked for commands to sync (added) or clear (removed)
    guild_refresh_s: float = Field(default=10.0, ge=1, le=3600)
    # REST base for replies (follow-ups and channel messages); tests point it at a stub
    api_base: str = API_BASE

    # Interaction tokens live 15 minutes; this is how long we keep them in Redis
    interaction_ttl_s: int = Field(default=900, ge=60, le=900)
    # A deferred command nobody answered within this time has its "thinking..." removed
    followup_grace_s: int = Field(default=180, ge=10, le=880)
    # Guild configuration is read from the database at most this often per guild
    config_cache_s: float = Field(default=30.0, ge=0, le=3600)
    # Voice activity: sample configured voice channels every minute
    voice_activity: bool = True
    send_retries: int = Field(default=2, ge=0, le=10)
    # Discord unreachable at start: retry after this long, doubling up to the maximum
    reconnect_min_s: float = Field(default=1.0, gt=0, le=60)
    reconnect_max_s: float = Field(default=60.0, gt=0, le=3600)

    @field_validator("guild_ids", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    def secret_token(self) -> str | None:
        return self.token.get_secret_value() if self.token is not None else None

    def missing_for_listen(self) -> list[str]:
        return [] if self.secret_token() else ["KINGPIN_DISCORD_TOKEN"]
