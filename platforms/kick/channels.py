"""The Kick channels a listener serves: the ones communities own, and the row format.

A community owns a Kick channel through one ``community_channels`` row:

* ``platform`` = ``"kick"``, ``role`` = ``"chat"``;
* ``channel_id`` = the broadcaster's Kick **user** id, as decimal text (``"676"``): what the
  Kick normalizers put in ``Event.channel`` (webhooks name only that id, the chat API takes
  it), so it is what apply looks up;
* ``label`` = compact JSON with what the socket needs to subscribe, and the slug for people::

      {"slug":"xqc","channel_id":668,"chatroom_id":668}

  Every key is optional. ``channel_id`` here is Kick's *channel* id (``channel.<id>`` Pusher
  channels), not the row's column; ``chatroom_id`` names the ``chatrooms.<id>`` ones. A row
  without both is served by webhooks only (the socket cannot name its Pusher channels; the
  listener says so once). A plain, non-JSON label is read as the slug.

Write rows with ``channel_row(...)`` and read them with ``parse_channel_row(...)``, e.g.::

    channel_id, label = channel_row(676, channel_id=668, chatroom_id=668, slug="xqc")
    await communities.add_channel("xqc", "kick", channel_id, "chat", label)

Kick's public API does not return the chatroom id; ``https://kick.com/api/v2/channels/<slug>``
has ``id`` (channel id), ``chatroom.id`` and ``user_id`` (the broadcaster user id).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from platforms.kick.config import KickChannel

log = logging.getLogger("platforms.kick")

PLATFORM = "kick"
ROLE = "chat"
LABEL_MAX = 200  # community_channels.label
UNOWNED_COUNTER = "unowned_events_kick"  # field of <prefix>:stats


def channel_row(broadcaster_user_id: int | str, *, channel_id: int | None = None,
                chatroom_id: int | None = None, slug: str | None = None) -> tuple[str, str]:
    """``(channel_id, label)`` of the row that gives a community this Kick channel.
    ValueError if an id is not a positive integer or the label would not fit."""
    if isinstance(broadcaster_user_id, str):
        text = broadcaster_user_id.strip()
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"a Kick broadcaster user id is a number, not {text!r}")
        broadcaster_user_id = int(text)
    try:
        channel = KickChannel(broadcaster_user_id=broadcaster_user_id, channel_id=channel_id,
                              chatroom_id=chatroom_id, slug=slug or None)
    except ValidationError as exc:
        raise ValueError(f"not a Kick channel: {exc.errors()[0].get('msg')}") from exc
    return row_of(channel)


def row_of(channel: KickChannel) -> tuple[str, str]:
    """``(channel_id, label)`` for a ``KickChannel`` (e.g. a KINGPIN_KICK_CHANNELS entry)."""
    label: dict[str, Any] = {}
    if channel.slug:
        label["slug"] = channel.slug
    if channel.channel_id is not None:
        label["channel_id"] = channel.channel_id
    if channel.chatroom_id is not None:
        label["chatroom_id"] = channel.chatroom_id
    text = json.dumps(label, separators=(",", ":"), ensure_ascii=False) if label else ""
    if len(text) > LABEL_MAX:
        raise ValueError(f"the row's label would be {len(text)} characters (at most "
                         f"{LABEL_MAX}): shorten the slug")
    return channel.key, text


def parse_channel_row(channel_id: str, label: str) -> KickChannel:
    """The ``KickChannel`` a row describes; ValueError if it is not a Kick channel row."""
    text = channel_id.strip()
    if not (text.isascii() and text.isdigit()) or int(text) <= 0:
        raise ValueError(f"channel_id {channel_id!r} is not a Kick broadcaster user id")
    values: dict[str, Any] = {}
    label = label.strip()
    if label.startswith("{"):
        try:
            parsed = json.loads(label)
        except ValueError as exc:
            raise ValueError(f"label is not JSON: {exc}") from exc
        if not isinstance(parsed, dict):
            raise ValueError("label is not a JSON object")
        values = parsed
    elif label:
        values = {"slug": label}
    named = values.pop("broadcaster_user_id", None)
    if named is not None and str(named) != text:
        raise ValueError(f"label names broadcaster {named}, the row {text}")
    try:
        return KickChannel(broadcaster_user_id=int(text), **values)
    except (ValidationError, TypeError) as exc:
        raise ValueError(f"label does not describe a Kick channel: {exc}") from exc


class ChannelSource(Protocol):
    """Where a listener's channels come from."""

    async def adopt(self, channels: Sequence[KickChannel]) -> int: ...
    async def load(self) -> list[KickChannel]: ...
    async def count_unowned(self, count: int) -> None: ...


@dataclass
class StaticChannels:
    """A fixed channel table (protocol tests without a database): these are owned."""

    channels: Sequence[KickChannel] = ()
    unowned: int = 0

    async def adopt(self, channels: Sequence[KickChannel]) -> int:
        return 0

    async def load(self) -> list[KickChannel]:
        return list(self.channels)

    async def count_unowned(self, count: int) -> None:
        self.unowned += count


@dataclass
class CommunityChannels:
    """The Kick chat channels communities own, read through a ``Directory`` (refreshed on
    every ``load``: the listener's reconcile interval is the cache's lifetime)."""

    directory: Any  # kingpin.communities.Directory
    redis: Any = None  # for the counter in <prefix>:stats
    stats_key: str | None = None
    _bad: set[tuple[str, str]] = field(default_factory=set)

    async def adopt(self, channels: Sequence[KickChannel]) -> int:
        from kingpin import communities

        joined = await communities.adopt(PLATFORM, [row_of(ch) for ch in channels], ROLE)
        self.directory.invalidate()
        return joined

    async def load(self) -> list[KickChannel]:
        await self.directory.refresh()
        found = []
        for row in await self.directory.channels(PLATFORM, ROLE):
            try:
                found.append(parse_channel_row(row.channel_id, row.label))
            except ValueError as exc:
                if (row.channel_id, row.label) not in self._bad:
                    self._bad.add((row.channel_id, row.label))
                    log.warning("kick: community %s: channel row %r is unusable and not "
                                "served: %s", row.slug, row.channel_id, exc)
        return found

    async def count_unowned(self, count: int) -> None:
        if self.redis is None or self.stats_key is None:
            return
        await asyncio.wait_for(
            self.redis.hincrby(self.stats_key, UNOWNED_COUNTER, count), 2)
