"""Twitch listener settings (env prefix ``KINGPIN_TWITCH_``), built at runtime, never at import."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

EVENTSUB_WS_URL = "wss://eventsub.wss.twitch.tv/ws"
HELIX_URL = "https://api.twitch.tv/helix"
OAUTH_URL = "https://id.twitch.tv/oauth2"
# Twitch refuses a webhook subscription whose secret is not 10-100 ASCII characters
WEBHOOK_SECRET_MIN = 10
WEBHOOK_SECRET_MAX = 100

IdList = Annotated[list[str], NoDecode]


class TwitchConfig(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KINGPIN_TWITCH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Application credentials (dev.twitch.tv console)
    client_id: str | None = None
    client_secret: SecretStr | None = None
    # The account that reads and writes chat (may be the broadcaster itself)
    bot_user_id: str | None = None
    # Channels that join the default community at start (broadcaster user ids, comma-
    # separated); the listener serves every Twitch channel communities own
    broadcaster_ids: IdList = Field(default_factory=list)
    # How often the community channels are read again (a channel added or removed with the
    # CLI is subscribed or unsubscribed within about this long)
    reconcile_every_s: float = Field(default=10.0, ge=0.1, le=30)
    # Channels where the bot is a moderator (100 msgs/30 s instead of 20); learned at runtime too
    mod_channels: IdList = Field(default_factory=list)

    transport: Literal["websocket", "webhook"] = "websocket"
    eventsub_ws_url: str = EVENTSUB_WS_URL
    helix_url: str = HELIX_URL
    oauth_url: str = OAUTH_URL

    # WebSocket shards: the keepalive to ask for (10-600 s); twitchio reconnects a shard that
    # hears nothing for that plus 5 s
    keepalive_timeout_s: int = Field(default=10, ge=10, le=600)
    dedup_cache_size: int = Field(default=10_000, ge=100, le=10_000_000)
    # The conduit: its id (None: the one this deployment created before, kept in Redis
    # under <prefix>:twitch:conduit, else a new one), the shards this process connects
    # ("0-3", "0,2"; None: all of them), how many shards a new conduit gets (None: enough
    # for the channels at start, two at least) and the subscriptions per shard it plans for
    conduit_id: str | None = None
    shards: str | None = None
    shard_count: int | None = Field(default=None, ge=1, le=20_000)
    max_per_shard: int = Field(default=1000, ge=1, le=1_000_000)

    # Webhook transport
    webhook_host: str = "0.0.0.0"  # noqa: S104 - a public endpoint by design
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_path: str = "/twitch/eventsub"
    webhook_callback_url: str | None = None  # public https URL Twitch posts to
    webhook_secret: SecretStr | None = None  # 10-100 ASCII characters

    # Replies: "bot" sends with the bot's user token, "app" with the app token (Chat Bot badge;
    # needs user:bot from the bot and channel:bot from each broadcaster, or moderator status)
    send_as: Literal["bot", "app"] = "bot"
    send_retries: int = Field(default=3, ge=0, le=10)

    # Tokens (twitchio validates them hourly and refreshes them)
    authorize_port: int = Field(default=17563, ge=1, le=65535)
    authorize_redirect_uri: str | None = None  # default http://localhost:<authorize_port>/callback

    @field_validator("broadcaster_ids", "mod_channels", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def secret(self, name: str) -> str | None:
        value = getattr(self, name)
        return value.get_secret_value() if isinstance(value, SecretStr) else value

    def shard_ids(self) -> list[int]:
        """``shards`` as a list ("0-3" -> [0, 1, 2, 3]); empty: every shard of the conduit."""
        return parse_shards(self.shards)

    @property
    def redirect_uri(self) -> str:
        return self.authorize_redirect_uri or f"http://localhost:{self.authorize_port}/callback"

    def missing_for_listen(self) -> list[str]:
        """The KINGPIN_* variables `listen` needs and does not have, in a stable order."""
        missing = []
        if not self.client_id:
            missing.append("KINGPIN_TWITCH_CLIENT_ID")
        if not self.secret("client_secret"):
            missing.append("KINGPIN_TWITCH_CLIENT_SECRET")
        if not self.bot_user_id:
            missing.append("KINGPIN_TWITCH_BOT_USER_ID")
        if self.transport == "webhook":
            if not self.webhook_callback_url:
                missing.append("KINGPIN_TWITCH_WEBHOOK_CALLBACK_URL")
            if not self.secret("webhook_secret"):
                missing.append("KINGPIN_TWITCH_WEBHOOK_SECRET")
        return missing

    def invalid_for_listen(self) -> list[str]:
        """Set but unusable variables, each with why (never the value), in a stable order."""
        invalid = []
        shards = self.invalid_shards()
        if shards:
            invalid.append(shards)
        secret = self.secret("webhook_secret")
        if self.transport == "webhook" and secret and not (
                WEBHOOK_SECRET_MIN <= len(secret) <= WEBHOOK_SECRET_MAX and secret.isascii()):
            invalid.append(f"KINGPIN_TWITCH_WEBHOOK_SECRET (Twitch takes {WEBHOOK_SECRET_MIN}-"
                           f"{WEBHOOK_SECRET_MAX} ASCII characters; this one has {len(secret)}"
                           f"{'' if secret.isascii() else ', not all ASCII'})")
        return invalid

    def invalid_shards(self) -> str | None:
        try:
            parse_shards(self.shards)
        except ValueError as exc:
            return f"KINGPIN_TWITCH_SHARDS ({exc})"
        return None

    def missing_for_authorize(self) -> list[str]:
        missing = []
        if not self.client_id:
            missing.append("KINGPIN_TWITCH_CLIENT_ID")
        if not self.secret("client_secret"):
            missing.append("KINGPIN_TWITCH_CLIENT_SECRET")
        return missing


def parse_shards(text: str | None) -> list[int]:
    """"0-3" -> [0, 1, 2, 3]; "0,2,5-6" -> [0, 2, 5, 6]; None or "" -> []. Raises ValueError."""
    ids: set[int] = set()
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        low, sep, high = part.partition("-")
        if not low.strip().isdigit() or (sep and not high.strip().isdigit()):
            raise ValueError(f"{part!r} is not a shard id or a range like 0-3")
        first, last = int(low), int(high) if sep else int(low)
        if last < first or last >= 20_000:
            raise ValueError(f"{part!r} is not a range of shard ids 0-19999")
        ids.update(range(first, last + 1))
    return sorted(ids)
