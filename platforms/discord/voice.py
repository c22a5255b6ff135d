"""Voice activity: people talking together in a configured voice channel earn like chat.

Once a minute the listener takes a snapshot of who is in the configured voice channels and
``voice_messages`` (pure) turns it into synthetic chat messages:

* only channels configured as ``voice`` activity channels count, never the guild's AFK channel;
* a channel counts while at least two humans are in it; bots are ignored, and so is anybody
  deafened (self or server): they are not listening, so they neither earn nor make a pair;
* each counted human gets one ``ChatMessage`` for that minute, text ``[voice]`` (not a
  command), event id ``voice:<guild>:<user>:<minute>`` with minute = Unix time // 60. The id is
  deterministic, so a second listener process or a restart within the minute publishes the
  same ids and the publisher's dedup drops them: at most one per member per minute.

The worker then counts it as chat activity (chat XP/wealth at most once per 60 s per player,
and it counts toward the message statistics like any chat line).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from game.events import ChatMessage
from platforms.discord.model import Actor, GuildContext
from platforms.discord.normalize import actor_from_payload, chat_event, is_snowflake

VOICE_TEXT = "[voice]"
MIN_HUMANS = 2


@dataclass(frozen=True)
class VoicePresence:
    """One member in one voice channel at snapshot time."""

    guild_id: str
    channel_id: str
    actor: Actor
    deaf: bool = False  # self-deafened or server-deafened


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def voice_event_id(guild_id: str, user_id: str, minute: int) -> str:
    return f"voice:{guild_id}:{user_id}:{minute}"


def voice_messages(
    presences: Iterable[VoicePresence], contexts: Mapping[str, GuildContext], minute: int,
    received_at: datetime,
) -> list[ChatMessage]:
    """Who earns this minute, as synthetic chat messages (sorted by guild, channel, user)."""
    rooms: dict[tuple[str, str], dict[str, Actor]] = defaultdict(dict)
    for presence in presences:
        ctx = contexts.get(presence.guild_id)
        if ctx is None or presence.channel_id not in ctx.config.voice_channels:
            continue
        if presence.channel_id == ctx.afk_channel_id:
            continue
        if presence.actor.bot or presence.deaf:
            continue
        rooms[(presence.guild_id, presence.channel_id)][presence.actor.id] = presence.actor
    occurred_at = datetime.fromtimestamp(minute * 60, tz=UTC)
    events: list[ChatMessage] = []
    for (guild_id, channel_id), members in sorted(rooms.items()):
        if len(members) < MIN_HUMANS:
            continue
        ctx = contexts[guild_id]
        for user_id in sorted(members):
            event = chat_event(
                event_id=voice_event_id(guild_id, user_id, minute), channel=channel_id,
                actor=members[user_id], text=VOICE_TEXT, ctx=ctx, occurred_at=occurred_at,
                received_at=received_at,
            )
            if event is not None:
                events.append(event)
    return events


def presence_from_payload(payload: Mapping[str, object]) -> VoicePresence | None:
    """A VOICE_STATE_UPDATE ``d`` (with its ``member``) -> presence; None when leaving."""
    guild_id, channel_id = payload.get("guild_id"), payload.get("channel_id")
    if not is_snowflake(guild_id) or not is_snowflake(channel_id):
        return None
    member = payload.get("member")
    actor = actor_from_payload(None, member if isinstance(member, Mapping) else None)
    if actor is None:
        return None
    deaf = bool(payload.get("deaf")) or bool(payload.get("self_deaf"))
    return VoicePresence(guild_id=str(guild_id), channel_id=str(channel_id), actor=actor,
                         deaf=deaf)
