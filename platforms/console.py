"""The console platform: chat as anyone, no credentials.

Lines are ``<who>: <chat text>`` where ``<who>`` is ``[platform][#channel]/name[+role…]`` (or
just ``name[+role…]``), or one of the slash events (``/sub``, ``/gift``, ``/cheer``,
``/kicks``, ``/raid``, ``/donate``, ``/follow``, ``/online``, ``/offline``). Without
``#channel`` a line goes to the console's channel (``KINGPIN_CONSOLE_CHANNEL``, or the first
console channel of ``--community``), so one piped script can drive several communities:
``alice: !play``, ``twitch#beta/alice: !play``, ``#beta-room/bob: hi``. Each line becomes a
normalized ``Event`` published through the real path; replies for every platform are printed
as ``[<platform>#<channel>] <text>``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

from arq.connections import ArqRedis
from arq.jobs import Job, JobStatus
from pydantic import ValidationError

from game.commands import name_key
from game.events import (
    ChatMessage,
    Cheer,
    Donation,
    Event,
    Follow,
    GiftSubscriptions,
    KicksGifted,
    Platform,
    Raid,
    RewardRedemption,
    Role,
    StreamOffline,
    StreamOnline,
    Subscription,
    UserRef,
)
from kingpin.bus import Publisher
from kingpin.keys import Keys
from kingpin.outbox import LIMITS, OutboxSender

log = logging.getLogger(__name__)

USAGE = (
    "usage: <who>: <text>  (who = [platform][#channel]/name[+broadcaster|+moderator|"
    "+subscriber]) | "
    "/sub <who> [tier] | /gift <who> <count> [tier] | /cheer <who> <bits> | "
    "/kicks <who> <amount> | /raid <who> <viewers> | /donate <who> <usd> | /follow <who> | "
    "/online [platform][#channel] | /offline [platform][#channel] | "
    "/redeem <who> <reward title> [| <message>]"
)


class ConsoleSyntaxError(ValueError):
    pass


class NoWorker(RuntimeError):
    """Published events were not applied in time: no worker serves this queue."""


def parse_where(where: str) -> tuple[Platform, str | None]:
    """``twitch``, ``twitch#chan``, ``#chan`` (the console) -> (platform, channel or None)."""
    name, sep, channel = where.partition("#")
    platform = Platform.CONSOLE
    if name or not sep:
        try:
            platform = Platform(name.lower())
        except ValueError as exc:
            raise ConsoleSyntaxError(f"unknown platform {name!r}") from exc
    if sep and not channel:
        raise ConsoleSyntaxError("a channel name is needed after #")
    return platform, channel or None


def parse_who(who: str) -> tuple[Platform, str | None, UserRef]:
    """``[platform][#channel]/name[+role…]`` -> (platform, channel or None, user)."""
    who = who.strip()
    if not who or any(ch.isspace() for ch in who):
        raise ConsoleSyntaxError("a name has no spaces")
    platform, channel = Platform.CONSOLE, None
    if "/" in who:
        prefix, who = who.split("/", 1)
        platform, channel = parse_where(prefix)
    name, *roles = who.split("+")
    try:
        parsed_roles = frozenset(Role(r.lower()) for r in roles)
    except ValueError as exc:
        raise ConsoleSyntaxError("roles are broadcaster, moderator, subscriber") from exc
    if not name:
        raise ConsoleSyntaxError("a name is needed")
    # a console account's id is its name: the same name is the same account
    return platform, channel, UserRef(id=name_key(name)[:128] or name, name=name,
                                      roles=parsed_roles)


def _int(text: str, what: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise ConsoleSyntaxError(f"{what} must be a whole number")
    return int(text)


@dataclass
class LineParser:
    channel: str
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def _base(self, platform: Platform, channel: str | None) -> dict[str, Any]:
        now = self.clock()
        return {"platform": platform, "event_id": uuid.uuid4().hex,
                "channel": channel or self.channel, "occurred_at": now, "received_at": now}

    def parse(self, line: str) -> Event | None:
        """One input line -> an event; None for a blank line; ConsoleSyntaxError if malformed."""
        text = line.rstrip("\r\n")
        if not text.strip():
            return None
        try:
            if text.startswith("/"):
                return self._slash(text.split())
            who, sep, body = text.partition(":")
            if not sep:
                raise ConsoleSyntaxError("expected <who>: <text>")
            platform, channel, user = parse_who(who)
            body = body.strip()
            if not body:
                raise ConsoleSyntaxError("the chat text is empty")
            return ChatMessage(**self._base(platform, channel), user=user, text=body)
        except ValidationError as exc:
            raise ConsoleSyntaxError(exc.errors()[0]["msg"]) from exc

    def _slash(self, parts: list[str]) -> Event:
        verb, args = parts[0].lower(), parts[1:]
        if verb in ("/online", "/offline"):
            if len(args) > 1:
                raise ConsoleSyntaxError(f"{verb} [platform][#channel]")
            platform, channel = parse_where(args[0]) if args else (Platform.CONSOLE, None)
            cls = StreamOnline if verb == "/online" else StreamOffline
            return cls(**self._base(platform, channel))
        if verb == "/redeem":
            return self._redeem(args)
        shapes = {"/sub": (1, 2), "/gift": (2, 3), "/cheer": (2, 2), "/kicks": (2, 2),
                  "/raid": (2, 2), "/donate": (2, 2), "/follow": (1, 1)}
        if verb not in shapes:
            raise ConsoleSyntaxError(f"unknown event {verb}")
        low, high = shapes[verb]
        if not low <= len(args) <= high:
            raise ConsoleSyntaxError(f"wrong number of arguments for {verb}")
        platform, channel, user = parse_who(args[0])
        base = {**self._base(platform, channel), "user": user}
        if verb == "/sub":
            return Subscription(**base, tier=_int(args[1], "tier") if len(args) > 1 else 1)
        if verb == "/gift":
            tier = _int(args[2], "tier") if len(args) > 2 else 1
            return GiftSubscriptions(**base, count=_int(args[1], "count"), tier=tier)
        if verb == "/cheer":
            return Cheer(**base, bits=_int(args[1], "bits"))
        if verb == "/kicks":
            return KicksGifted(**base, amount=_int(args[1], "amount"))
        if verb == "/raid":
            return Raid(**base, viewers=_int(args[1], "viewers"))
        if verb == "/donate":
            try:
                amount = Decimal(args[1])
            except InvalidOperation as exc:
                raise ConsoleSyntaxError("the amount must be a number like 5 or 4.99") from exc
            if not amount.is_finite():
                raise ConsoleSyntaxError("the amount must be a number like 5 or 4.99")
            return Donation(**base, amount=amount)
        return Follow(**base)

    def _redeem(self, args: list[str]) -> Event:
        """``/redeem <who> <reward title> [| <message>]``: a channel-point redemption."""
        title, _, message = " ".join(args[1:]).partition("|")
        if not args or not title.strip():
            raise ConsoleSyntaxError("/redeem <who> <reward title> [| <message>]")
        platform, channel, user = parse_who(args[0])
        return RewardRedemption(**self._base(platform, channel), user=user,
                                reward_id=f"console-{uuid.uuid4().hex[:12]}",
                                reward_title=title.strip(), input=message.strip())


@dataclass
class Console:
    """Publishes typed lines and prints every platform's replies."""

    redis: ArqRedis
    keys: Keys
    publisher: Publisher
    parser: LineParser
    out: TextIO = sys.stdout
    err: TextIO = sys.stderr
    printed: int = 0
    hinted: bool = False
    senders: list[OutboxSender] = field(default_factory=list)

    def __post_init__(self) -> None:
        for platform in Platform:
            self.senders.append(OutboxSender(
                redis=self.redis, keys=self.keys, platform=platform.value,
                send=self._printer(platform.value), limits=LIMITS["console"],
            ))

    def _printer(self, platform: str) -> Any:
        async def send(channel: str, text: str, reply_to: str | None) -> None:
            print(f"[{platform}#{channel}] {text}", file=self.out, flush=True)
            self.printed += 1
        return send

    async def feed(self, line: str) -> None:
        try:
            event = self.parser.parse(line)
        except ConsoleSyntaxError as exc:
            print(f"{exc} — {USAGE}", file=self.err, flush=True)
            return
        if event is not None:
            # one line at a time: each line sees the effects of the lines before it
            await self.publisher.publish(event)
            await self.publisher.flush()
            await self.wait_applied()

    async def drain(self) -> int:
        sent = 0
        for sender in self.senders:
            sent += await sender.drain_once()
        return sent

    async def print_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            if await self.drain() == 0:
                try:
                    await asyncio.wait_for(stop.wait(), 0.02)
                except TimeoutError:
                    pass

    async def wait_applied(self, limit_s: float = 120.0, hint_after_s: float = 3.0) -> None:
        """Until every batch this console published has been applied (or failed for good).

        Raises ``NoWorker`` after ``limit_s``; says on stderr what it is waiting for after
        ``hint_after_s`` (with ``--no-worker`` a worker process must be running)."""
        await self.publisher.close()
        now = asyncio.get_running_loop().time
        deadline, hint_at = now() + limit_s, now() + hint_after_s
        while self.publisher.job_ids:
            job_id = self.publisher.job_ids[0]
            job = Job(job_id, self.redis, _queue_name=self.keys.queue,
                      _deserializer=self.redis.job_deserializer)
            while True:
                status = await job.status()
                if status in (JobStatus.complete, JobStatus.not_found):
                    self.publisher.job_ids.pop(0)
                    break
                if now() > deadline:
                    raise NoWorker(f"nothing applied the events within {limit_s:.0f}s — is a "
                                   "worker running? (`kingpin worker`)")
                if not self.hinted and now() > hint_at:
                    self.hinted = True
                    print("waiting for a worker to apply the events… (`kingpin worker`)",
                          file=self.err, flush=True)
                await asyncio.sleep(0.02)


async def read_lines(stream: TextIO) -> Any:
    """Yield stdin lines without blocking the event loop."""
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, stream.readline)
        if not line:
            return
        yield line


async def community_channel(db_url: str, slug: str) -> str:
    """The first console channel (by name) of the community ``slug``: where ``--community``
    sends lines without ``#channel``. Raises ``CommunityError`` (unknown slug, no console
    channel)."""
    from kingpin.communities import CommunityError, get
    from kingpin.db import close_db, init_db

    await init_db(db_url, 1)
    try:
        info = await get(slug)
    finally:
        await close_db()
    for channel in info.channels:
        if channel.platform == Platform.CONSOLE.value and channel.role == "chat":
            return channel.channel_id
    raise CommunityError(f"{info.slug!r} has no console channel: kingpin community "
                         f"add-channel {info.slug} console <name>")
