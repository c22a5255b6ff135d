"""The normalized event: the one contract between platforms and workers.

Frozen pydantic v2 models, a discriminated union on ``kind``, JSON on the wire.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    field_validator,
)

SCHEMA_VERSION: Literal[1] = 1
MAX_TEXT = 10_000
MAX_NAME = 64


class Platform(StrEnum):
    TWITCH = "twitch"
    KICK = "kick"
    DISCORD = "discord"
    CONSOLE = "console"


class Role(StrEnum):
    BROADCASTER = "broadcaster"
    MODERATOR = "moderator"
    SUBSCRIBER = "subscriber"


def has_control(text: str) -> bool:
    """True if ``text`` holds a control character (Unicode category Cc: NUL, newline, ESC,
    DEL, C1 controls such as U+0085)."""
    # printable text has none (isprintable is False for every Cc), so the common case is cheap
    return not text.isprintable() and any(unicodedata.category(ch) == "Cc" for ch in text)


def _refuse_control(value: object) -> object:
    """Ids never hold control characters; checked before stripping, so ``"id\n"`` is refused
    rather than quietly becoming ``"id"``. Format characters (Cf, e.g. the zero-width joiner
    in emoji) are allowed: ids are opaque, store fine, and console ids are names."""
    if isinstance(value, str) and has_control(value):
        raise ValueError("control characters are not allowed in ids")
    return value


# An id: no control character anywhere (so "id\n" is refused, never quietly "id") and no
# surrounding whitespace (an id with any is malformed). Checked by the schema's own regex,
# not a Python callback per field: three of them cost the chat path ~5 µs per event
# (``python -m benchmarks.inprocess chat --profile``).
_CC = r"\x00-\x1f\x7f-\x9f"
IDENT_PATTERN = rf"^[^\s{_CC}](?:[^{_CC}]*[^\s{_CC}])?$"
Ident = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128, pattern=IDENT_PATTERN),
]

_ZWJ = "\u200d"


def clean_name(raw: str) -> str:
    """Display names as shown in chat: NFC, no control/format characters (the zero-width
    joiner inside emoji excepted), bounded length; a name with nothing visible left is "?".

    Cleaning a clean name changes nothing, so an event survives encode/decode unchanged."""
    if raw.isascii() and raw.isprintable():  # the common case, cheaply
        text = raw
    else:
        text = unicodedata.normalize("NFC", raw)
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == _ZWJ)
        text = unicodedata.normalize("NFC", text)
    text = text.strip()[:MAX_NAME].rstrip()
    if not text.replace(_ZWJ, "").strip():
        return "?"
    return text


def clean_text(raw: str) -> str:
    """Free text stored as given (stream and reward titles): control characters go, those
    that are whitespace become a space."""
    if not has_control(raw):
        return raw
    kept = (ch if unicodedata.category(ch) != "Cc" else " " if ch.isspace() else ""
            for ch in raw)
    return "".join(kept)


class UserRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: Ident
    name: str = Field(min_length=1, max_length=200)
    roles: frozenset[Role] = frozenset()

    @field_validator("name")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_name(value)

    @property
    def is_mod(self) -> bool:
        return bool(self.roles & {Role.BROADCASTER, Role.MODERATOR})

    @property
    def is_broadcaster(self) -> bool:
        return Role.BROADCASTER in self.roles


class _EventBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    schema_version: Literal[1] = SCHEMA_VERSION
    platform: Platform
    event_id: Ident
    channel: Ident
    # Discord: the guild the channel is in (communities own guilds, not single channels)
    guild: Ident | None = None
    user: UserRef | None = None
    occurred_at: AwareDatetime
    received_at: AwareDatetime

    @property
    def key(self) -> str:
        """The dedup key: the platform's own event id, scoped by platform."""
        return f"{self.platform.value}:{self.event_id}"

    @property
    def owner_key(self) -> str:
        """What a community owns for this event: the guild on Discord, else the channel."""
        return self.guild or self.channel


class ChatMessage(_EventBase):
    kind: Literal["chat_message"] = "chat_message"
    user: UserRef
    text: str = Field(max_length=MAX_TEXT)


class Subscription(_EventBase):
    kind: Literal["subscription"] = "subscription"
    user: UserRef
    tier: int = Field(default=1, ge=1, le=3)
    months: int = Field(default=1, ge=1, le=10_000)
    is_gift: bool = False


class GiftSubscriptions(_EventBase):
    kind: Literal["gift_subscriptions"] = "gift_subscriptions"
    # user is the gifter; None when anonymous
    count: int = Field(ge=1, le=10_000)
    tier: int = Field(default=1, ge=1, le=3)
    recipients: tuple[UserRef, ...] = ()
    # Kick's socket names the gifter, and the recipients, by username only: ``user`` is None
    # then and the name is here (the player is found by it in the community at apply)
    gifter_name: str | None = Field(default=None, min_length=1, max_length=200)
    recipient_names: tuple[str, ...] = Field(default=(), max_length=10_000)

    @field_validator("gifter_name")
    @classmethod
    def _clean_gifter(cls, value: str | None) -> str | None:
        return None if value is None else clean_name(value)

    @field_validator("recipient_names")
    @classmethod
    def _clean_recipients(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(clean_name(name[:200]) for name in value)


class Cheer(_EventBase):
    kind: Literal["cheer"] = "cheer"
    bits: int = Field(ge=1, le=10_000_000)


class KicksGifted(_EventBase):
    kind: Literal["kicks_gifted"] = "kicks_gifted"
    amount: int = Field(ge=1, le=100_000_000)


class Donation(_EventBase):
    kind: Literal["donation"] = "donation"
    amount: Decimal = Field(gt=0, le=Decimal(1_000_000), decimal_places=2)
    currency: Annotated[str, BeforeValidator(_refuse_control)] = Field(
        default="USD", min_length=3, max_length=3)


class Follow(_EventBase):
    kind: Literal["follow"] = "follow"
    user: UserRef


class Raid(_EventBase):
    kind: Literal["raid"] = "raid"
    user: UserRef
    viewers: int = Field(ge=0, le=10_000_000)


class RewardRedemption(_EventBase):
    kind: Literal["reward_redemption"] = "reward_redemption"
    user: UserRef
    reward_id: Ident
    reward_title: str = Field(max_length=200)
    input: str = Field(default="", max_length=MAX_TEXT)

    @field_validator("reward_title")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)


class StreamOnline(_EventBase):
    kind: Literal["stream_online"] = "stream_online"
    title: str = Field(default="", max_length=200)

    @field_validator("title")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)


class StreamOffline(_EventBase):
    kind: Literal["stream_offline"] = "stream_offline"


Event = Annotated[
    ChatMessage
    | Subscription
    | GiftSubscriptions
    | Cheer
    | KicksGifted
    | Donation
    | Follow
    | Raid
    | RewardRedemption
    | StreamOnline
    | StreamOffline,
    Field(discriminator="kind"),
]

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
EVENT_LIST_ADAPTER: TypeAdapter[list[Event]] = TypeAdapter(list[Event])


def decode_events(raw_events: list[str]) -> list[Event]:
    """Parse a batch in one call; raises pydantic.ValidationError if any event is malformed
    (callers fall back to ``decode_event`` one by one to keep the good ones)."""
    return EVENT_LIST_ADAPTER.validate_json("[" + ",".join(raw_events) + "]")


def decode_event(raw: str | bytes) -> Event:
    """Parse one event from JSON; raises pydantic.ValidationError on anything malformed."""
    return EVENT_ADAPTER.validate_json(raw)


def encode_event(event: Event) -> str:
    return event.model_dump_json()

