"""Replies: what jobs queue for the platforms to say. JSON on the wire, like events."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from game.events import Platform


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
