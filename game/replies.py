"""Replies: what jobs queue for the platforms to say. JSON on the wire, like events."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from game.events import Platform


def a_or_an(word: str) -> str:
    """``word`` with its indefinite article: "a rare", "an uncommon"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 member``, ``2 members``, ``0 territories`` (``many``: an irregular plural)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def money(amount: int) -> str:
    """``$1,234``: how every amount of wealth is shown."""
    return f"${amount:,}"

# Structured-card limits; a renderer may still shorten a card to fit its own totals.
CARD_TITLE_MAX = 256
CARD_DESCRIPTION_MAX = 4096
CARD_FIELD_NAME_MAX = 256
CARD_FIELD_VALUE_MAX = 1024
CARD_FIELDS_MAX = 25
CARD_FOOTER_MAX = 2048


class CardField(BaseModel):
    """One labelled value of a card, e.g. ``Wealth: $5,000``."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=CARD_FIELD_NAME_MAX)
    value: str = Field(min_length=1, max_length=CARD_FIELD_VALUE_MAX)
    inline: bool = True  # may sit next to its neighbours rather than on its own line


class Card(BaseModel):
    """The same information as a reply's text, structured for platforms that can show it as
    a card (a title, a description, labelled fields). Plain-text platforms ignore it."""

    model_config = ConfigDict(frozen=True)

    title: str = Field(min_length=1, max_length=CARD_TITLE_MAX)
    description: str | None = Field(default=None, min_length=1, max_length=CARD_DESCRIPTION_MAX)
    fields: tuple[CardField, ...] = Field(default=(), max_length=CARD_FIELDS_MAX)
    footer: str | None = Field(default=None, min_length=1, max_length=CARD_FOOTER_MAX)


class Reply(BaseModel):
    model_config = ConfigDict(frozen=True)

    platform: Platform
    channel: str = Field(min_length=1, max_length=128)
    text: str = Field(min_length=1, max_length=20_000)
    reply_to: str | None = None  # the platform message id being answered, if any
    broadcast: bool = False  # an announcement for every connected chat
    # for the eyes of the user being answered only (e.g. a !link code): the outbox never
    # merges it with other replies, and Discord shows it ephemerally or not at all. Jobs set
    # it only where a reply can stay private (Discord, the console), never on Twitch or Kick.
    private: bool = False
    # optional structured form of ``text`` (same information); ``text`` stays the whole reply
    # for the platforms that only show text. A carded reply is never merged where the
    # platform shows cards (see kingpin/outbox.py).
    card: Card | None = None
    # when the platform received the event being answered, and when the reply was queued:
    # their difference is the end-to-end latency the benchmarks report
    source_received_at: datetime | None = None
    queued_at: datetime | None = None


def mention(name: str) -> str:
    return f"@{name}"


def split_text(text: str, limit: int) -> list[str]:
    """Split at the platform's length limit, preferring word boundaries; never loses text."""
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def merge_texts(texts: list[str], limit: int, sep: str = " | ") -> list[str]:
    """Pack several replies for one channel into as few messages as the limit allows."""
    pieces = [p for t in texts for p in split_text(t, limit)]
    merged: list[str] = []
    current = ""
    for piece in pieces:
        if not current:
            current = piece
        elif len(current) + len(sep) + len(piece) <= limit:
            current = f"{current}{sep}{piece}"
        else:
            merged.append(current)
            current = piece
    if current:
        merged.append(current)
    return merged
