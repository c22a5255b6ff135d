"""Kick settings (env prefix ``KINGPIN_KICK_``), built at runtime in the entry point.

The channels the bot plays in are the ones communities own (``community_channels`` rows,
format in ``platforms.kick.channels``). ``KINGPIN_KICK_CHANNELS``, a JSON list of objects::

    [{"broadcaster_user_id": 676, "channel_id": 668, "chatroom_id": 668, "slug": "xqc"}]

names channels that join the default community when the listener starts (so setups from
before communities keep working). ``broadcaster_user_id`` is the channel's identity
everywhere in Kingpin (``Event.channel``, ``Reply.channel``, the row's ``channel_id``): it is
what webhooks carry and what the chat API takes. ``channel_id`` and ``chatroom_id`` are
needed by the Pusher socket only (its channels are named after them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "KINGPIN_KICK_"

# Kick's public Pusher app (the one kick.com itself uses), as of 2024-07 (key changed then from
# eb1d5f283081a78b932c; see zSoulweaver/kient#17) and still in use in 2025/2026 clients.
DEFAULT_PUSHER_KEY = "32cbd69e4b950bf97679"
DEFAULT_PUSHER_CLUSTER = "us2"
PUSHER_QUERY = "protocol=7&client=js&version=8.4.0&flash=false"

# Channel names seen carrying events (see tests/fixtures/kick/SOURCES.md).
DEFAULT_PUSHER_CHANNELS = (
    "chatrooms.{chatroom_id}.v2",  # chat messages, subs, hosts, bans
    "chatrooms.{chatroom_id}",  # ChatMessageSentEvent (sub / gift info messages)
    "chatroom_{chatroom_id}",  # GiftedSubscriptionsEvent, RewardRedeemedEvent, KicksGifted
    "channel.{channel_id}",  # live / offline, ChannelSubscriptionEvent, lucky gift users
    "channel_{channel_id}",  # gift leaderboards (ignored, harmless)
)

DEFAULT_SCOPES = "user:read channel:read chat:write events:subscribe"


class KickChannel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    broadcaster_user_id: int = Field(gt=0)
    channel_id: int | None = Field(default=None, gt=0)
    chatroom_id: int | None = Field(default=None, gt=0)
    slug: str | None = None

    @property
    def key(self) -> str:
        """The Kingpin channel id: the broadcaster's Kick user id, as text."""
        return str(self.broadcaster_user_id)


@dataclass(frozen=True)
class ChannelIndex:
    """Finds the configured channel behind a Pusher channel name or a webhook broadcaster."""

    channels: tuple[KickChannel, ...] = ()
    _by_chatroom: dict[int, KickChannel] = field(default_factory=dict, compare=False)
    _by_channel: dict[int, KickChannel] = field(default_factory=dict, compare=False)
    _by_broadcaster: dict[int, KickChannel] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for ch in self.channels:
            self._by_broadcaster[ch.broadcaster_user_id] = ch
            if ch.chatroom_id is not None:
                self._by_chatroom[ch.chatroom_id] = ch
            if ch.channel_id is not None:
                self._by_channel[ch.channel_id] = ch

    def by_chatroom(self, chatroom_id: int) -> KickChannel | None:
        return self._by_chatroom.get(chatroom_id)

    def by_channel(self, channel_id: int) -> KickChannel | None:
        return self._by_channel.get(channel_id)

    def by_broadcaster(self, user_id: int) -> KickChannel | None:
        return self._by_broadcaster.get(user_id)

    def by_pusher_name(self, name: str) -> KickChannel | None:
        """``chatrooms.1.v2`` / ``chatrooms.1`` / ``chatroom_1`` / ``channel.2`` / ``channel_2``."""
        kind, number = parse_pusher_channel(name)
        if number is None:
            return None
        return self.by_chatroom(number) if kind == "chatroom" else self.by_channel(number)


def parse_pusher_channel(name: str) -> tuple[str, int | None]:
    for prefix, kind in (("chatrooms.", "chatroom"), ("chatroom_", "chatroom"),
                         ("channel.", "channel"), ("channel_", "channel")):
        if name.startswith(prefix):
            head = name[len(prefix):].split(".", 1)[0]
            return kind, int(head) if head.isascii() and head.isdigit() else None
    return "", None


class KickSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # channels that join the default community at start (see module docstring)
    channels: list[KickChannel] = Field(default_factory=list)
    # how often the listener re-reads the channels communities own (subscribes new ones,
    # unsubscribes removed ones), seconds
    reconcile_s: float = Field(default=10.0, gt=0)
    # how events arrive: the Pusher socket (no credentials needed), Kick's signed webhooks,
    # or both (then the socket only contributes chat messages and raids; see docs)
    transport: Literal["socket", "webhook", "both"] = "socket"

    # OAuth app (https://kick.com/settings/developer); needed to send replies
    client_id: str | None = None
    client_secret: SecretStr | None = None
    scopes: str = DEFAULT_SCOPES
    redirect_host: str = "localhost"
    redirect_port: int = Field(default=36571, ge=1, le=65535)
    redirect_path: str = "/kick/callback"
    redirect_uri: str | None = None  # full override (must be registered in the Kick app)
    authorize_timeout_s: float = Field(default=300.0, gt=0)

    # Kick public API
    api_url: str = "https://api.kick.com"
    id_url: str = "https://id.kick.com"
    http_timeout_s: float = Field(default=10.0, gt=0)
    # "user": post as the authorized (bot) account into each broadcaster's chat;
    # "bot": post with the broadcaster's own token (each broadcaster authorizes the app)
    send_as: Literal["user", "bot"] = "user"
    bot_user_id: int | None = Field(default=None, gt=0)  # which stored token sends ("user")
    send_retries: int = Field(default=3, ge=0, le=10)
    max_retry_after_s: float = Field(default=30.0, gt=0)
    refresh_margin_s: float = Field(default=120.0, ge=0)

    # Pusher socket
    pusher_key: str = DEFAULT_PUSHER_KEY
    pusher_cluster: str = DEFAULT_PUSHER_CLUSTER
    pusher_url: str | None = None  # full override (tests, proxies)
    pusher_channels: list[str] = Field(default_factory=lambda: list(DEFAULT_PUSHER_CHANNELS))
    activity_timeout_s: float | None = Field(default=None, gt=0)  # else the server's
    pong_timeout_s: float = Field(default=30.0, gt=0)
    connect_timeout_s: float = Field(default=15.0, gt=0)
    reconnect_min_s: float = Field(default=1.0, ge=0)
    reconnect_max_s: float = Field(default=60.0, gt=0)

    # merging the several frames Kick sends for one sub / gift (seconds)
    coalesce_s: float = Field(default=2.0, ge=0)
    dedup_size: int = Field(default=20_000, ge=100)

    # webhook receiver (put it behind an HTTPS reverse proxy; Kick posts to your app's URL)
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8081, ge=0, le=65535)
    webhook_path: str = "/kick/webhook"
    webhook_public_key: str | None = None  # PEM text; default: Kick's published key
    webhook_public_key_file: Path | None = None
    webhook_max_age_s: float = Field(default=600.0, gt=0)
    webhook_max_body: int = Field(default=1_048_576, ge=1024)

    @model_validator(mode="after")
    def _check(self) -> KickSettings:
        if self.reconnect_max_s < self.reconnect_min_s:
            raise ValueError("reconnect_max_s must be >= reconnect_min_s")
        return self

    # --- derived ---

    @property
    def uses_socket(self) -> bool:
        return self.transport in ("socket", "both")

    @property
    def uses_webhook(self) -> bool:
        return self.transport in ("webhook", "both")

    @property
    def socket_url(self) -> str:
        if self.pusher_url:
            return self.pusher_url
        return (f"wss://ws-{self.pusher_cluster}.pusher.com/app/{self.pusher_key}"
                f"?{PUSHER_QUERY}")

    @property
    def callback_uri(self) -> str:
        if self.redirect_uri:
            return self.redirect_uri
        return f"http://{self.redirect_host}:{self.redirect_port}{self.redirect_path}"

    def index(self) -> ChannelIndex:
        return ChannelIndex(tuple(self.channels))

    def secret(self) -> str | None:
        return self.client_secret.get_secret_value() if self.client_secret else None

    def subscriptions(self, channels: Iterable[KickChannel] | None = None) -> list[str]:
        """Every Pusher channel name to subscribe to for ``channels`` (default: the env's),
        in order, without repeats; channels without socket ids have none."""
        names: dict[str, None] = {}
        for ch in self.channels if channels is None else channels:
            for template in self.pusher_channels:
                if "{chatroom_id}" in template and ch.chatroom_id is None:
                    continue
                if "{channel_id}" in template and ch.channel_id is None:
                    continue
                names[template.format(chatroom_id=ch.chatroom_id, channel_id=ch.channel_id,
                                      broadcaster_user_id=ch.broadcaster_user_id)] = None
        return list(names)

    def missing_for_listen(self, *, read_only: bool) -> list[str]:
        """The KINGPIN_KICK_* variables ``listen`` cannot start without (the channels come
        from the communities: KINGPIN_KICK_CHANNELS is optional)."""
        missing: list[str] = []
        if not read_only:
            if not self.client_id:
                missing.append(f"{ENV_PREFIX}CLIENT_ID")
            if not self.secret():
                missing.append(f"{ENV_PREFIX}CLIENT_SECRET")
        return missing

    def missing_for_authorize(self) -> list[str]:
        missing = []
        if not self.client_id:
            missing.append(f"{ENV_PREFIX}CLIENT_ID")
        if not self.secret():
            missing.append(f"{ENV_PREFIX}CLIENT_SECRET")
        return missing

    def config_problem(self) -> str | None:
        """A configuration that cannot work, in one line (None when fine)."""
        if self.uses_socket:
            for i, ch in enumerate(self.channels):
                if ch.chatroom_id is None or ch.channel_id is None:
                    return (f"{ENV_PREFIX}CHANNELS[{i}] needs channel_id and chatroom_id "
                            f"for the socket transport")
        return None
