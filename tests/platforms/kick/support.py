"""Shared helpers for the Kick tests: fixtures, a channel table matching them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from arq.jobs import Job

from game.events import Event, decode_event
from platforms.kick.config import ChannelIndex, KickChannel
from platforms.kick.pusher_events import Frame, decode_frame

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "kick"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

# broadcaster ids for the channels the recorded frames come from (where a capture does not
# say, the id is made up; chatroom/channel ids are the recorded ones)
CHANNELS = (
    KickChannel(broadcaster_user_id=1270821, channel_id=1228709, chatroom_id=1221707,
                slug="litneyspears"),
    KickChannel(broadcaster_user_id=70715, channel_id=715, chatroom_id=715),
    KickChannel(broadcaster_user_id=31047000, channel_id=31047001, chatroom_id=31047538),
    KickChannel(broadcaster_user_id=2408714, channel_id=2346571, chatroom_id=2346570,
                slug="thestaticmage"),
    KickChannel(broadcaster_user_id=25951000, channel_id=25951001, chatroom_id=25951243),
    KickChannel(broadcaster_user_id=2507000, channel_id=2507001, chatroom_id=2507974),
    KickChannel(broadcaster_user_id=18312333, channel_id=17425723, chatroom_id=17172694,
                slug="nelkboys"),
    KickChannel(broadcaster_user_id=20309000, channel_id=20309633, chatroom_id=20041545),
    KickChannel(broadcaster_user_id=2587000, channel_id=2587387, chatroom_id=2587388),
    KickChannel(broadcaster_user_id=12340, channel_id=12341, chatroom_id=12345),
    KickChannel(broadcaster_user_id=676, channel_id=668, chatroom_id=668, slug="xqc"),
    # webhook examples
    KickChannel(broadcaster_user_id=123456789),
    KickChannel(broadcaster_user_id=4809577),
    KickChannel(broadcaster_user_id=333),
)
INDEX = ChannelIndex(CHANNELS)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def frame_file(name: str) -> Frame:
    """A recorded ``*.frame.json`` through the real decoder (data decoded twice)."""
    frame = decode_frame((FIXTURES / name).read_text(encoding="utf-8"))
    assert frame is not None
    return frame


def data_frame(event: str, channel: str, name: str) -> Frame:
    """A recorded ``*.data.json`` wrapped the way the socket delivers it."""
    raw = json.dumps({"event": event, "channel": channel,
                      "data": json.dumps(load(name))})
    frame = decode_frame(raw)
    assert frame is not None
    return frame


def frame_json(frame: Frame) -> str:
    """Back to the wire format (data JSON-encoded as a string)."""
    return json.dumps({"event": frame.event, "channel": frame.channel,
                       "data": json.dumps(frame.data)})


@dataclass
class Sink:
    events: list[Event] = field(default_factory=list)
    buffer: list[Event] = field(default_factory=list)
    flushes: int = 0
    fail_flush: int = 0  # how many flushes fail (Redis down)

    async def publish(self, event: Event) -> None:
        self.buffer.append(event)

    async def flush(self) -> None:
        if self.fail_flush > 0:
            self.fail_flush -= 1
            raise ConnectionError("redis is down")
        self.flushes += 1
        self.events.extend(self.buffer)
        self.buffer.clear()

    async def close(self) -> None:
        await self.flush()


async def published_events(publisher: Any, redis: Any, keys: Any) -> list[Event]:
    """Every event ``publisher`` put in Redis, read back from its arq jobs."""
    await publisher.flush()
    found = []
    for job_id in publisher.job_ids:
        info = await Job(job_id, redis, _queue_name=keys.queue,
                         _deserializer=redis.job_deserializer).info()
        assert info is not None
        found += [decode_event(p) for p in info.args[1]]
    return found
