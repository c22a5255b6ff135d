"""Reply routing: outbox -> interaction follow-ups or channel messages, against a local stub
of Discord's REST endpoints over a real socket, with the interaction tokens in real Redis."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from redis.asyncio import Redis

from game.events import Platform
from game.replies import Card, CardField, Reply
from kingpin.keys import Keys
from kingpin.outbox import LIMITS, OutboxSender, push_replies
from kingpin.settings import Settings
from platforms.discord.replies import (
    DiscordApiError,
    DiscordRest,
    DiscordSender,
    InteractionStore,
    PendingInteraction,
    addresses_only,
    card_content,
    card_embed,
    mentions_name,
    private_hint,
)

APP = "775799577604522054"
CHANNEL = "1011977515109187707"
BOT_TOKEN = "bot-token-for-tests"


@dataclass
class StubDiscord:
    """Just enough of the REST API: webhooks for interaction tokens, channel messages."""

    valid_tokens: set[str] = field(default_factory=set)
    requests: list[tuple[str, str, dict[str, Any] | None, str | None]] = field(
        default_factory=list)
    rate_limit_next: int = 0
    originals: dict[str, str] = field(default_factory=dict)  # token -> content
    ephemeral: set[str] = field(default_factory=set)  # tokens deferred with ephemeral=True
    refuse_embeds: bool = False  # answer any message with embeds 400 Invalid Form Body

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/v10/webhooks/{app}/{token}", self.followup)
        app.router.add_patch("/api/v10/webhooks/{app}/{token}/messages/@original", self.edit)
        app.router.add_delete("/api/v10/webhooks/{app}/{token}/messages/@original", self.delete)
        app.router.add_post("/api/v10/channels/{channel}/messages", self.message)
        return app

    async def _record(self, request: web.Request) -> dict[str, Any] | None:
        body = await request.json() if request.can_read_body else None
        self.requests.append((request.method, request.path, body,
                              request.headers.get("Authorization")))
        return body

    def _refused(self, body: dict[str, Any] | None) -> web.Response | None:
        if self.refuse_embeds and (body or {}).get("embeds"):
            return web.json_response({"message": "Invalid Form Body", "code": 50035},
                                     status=400)
        return None

    def _limited(self) -> web.Response | None:
        if self.rate_limit_next > 0:
            self.rate_limit_next -= 1
            return web.json_response({"message": "You are being rate limited.",
                                      "retry_after": 0.05, "global": False}, status=429)
        return None

    def _unknown(self) -> web.Response:
        return web.json_response({"message": "Unknown Webhook", "code": 10015}, status=404)

    async def followup(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        if (limited := self._limited()) is not None:
            return limited
        if request.match_info["token"] not in self.valid_tokens:
            return self._unknown()
        if (refused := self._refused(body)) is not None:
            return refused
        return web.json_response({"id": "1", "content": (body or {}).get("content")})

    async def edit(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        token = request.match_info["token"]
        if token not in self.valid_tokens:
            return self._unknown()
        if token not in self.originals:
            return web.json_response({"message": "Unknown Message", "code": 10008}, status=404)
        if (refused := self._refused(body)) is not None:
            return refused
        self.originals[token] = (body or {}).get("content", "")
        return web.json_response({"id": "2", "content": self.originals[token]})

    async def delete(self, request: web.Request) -> web.Response:
        await self._record(request)
        token = request.match_info["token"]
        if token not in self.valid_tokens or self.originals.pop(token, None) is None:
            return self._unknown()
        return web.Response(status=204)

    async def message(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        if (limited := self._limited()) is not None:
            return limited
        if request.headers.get("Authorization") != f"Bot {BOT_TOKEN}":
            return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        if (refused := self._refused(body)) is not None:
            return refused
        return web.json_response({"id": "3", "content": (body or {}).get("content")})

    def defer(self, token: str, ephemeral: bool = False) -> None:
        """What Discord does on a deferred response: a "thinking..." original message (with
        ``ephemeral``, one only the invoker sees)."""
        self.valid_tokens.add(token)
        self.originals[token] = ""
        if ephemeral:
            self.ephemeral.add(token)

    def calls(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p, _, _ in self.requests]

    def public_texts(self) -> list[str]:
        """Everything the channel's other members can read: channel messages, originals of
        public interactions, follow-ups without the ephemeral flag."""
        seen: list[str] = []
        for method, path, body, _ in self.requests:
            content = (body or {}).get("content")
            if content is None:
                continue
            token = path.split("/")[5] if "/webhooks/" in path else None
            if method == "POST" and "/channels/" in path:
                seen.append(content)
            elif method == "PATCH" and token not in self.ephemeral:
                seen.append(content)
            elif method == "POST" and token is not None and not (body or {}).get("flags", 0) & 64:
                seen.append(content)
        return seen


@pytest.fixture
async def stub() -> AsyncIterator[tuple[StubDiscord, str]]:
    server = StubDiscord()
    runner = web.AppRunner(server.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield server, f"http://{host}:{port}/api/v10"
    await runner.cleanup()


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@dataclass
class Rig:
    stub: StubDiscord
    store: InteractionStore
    sender: DiscordSender
    outbox: OutboxSender
    keys: Keys
    redis: Any
    clock: Clock

    async def defer(self, interaction_id: str, token: str, user: str,
                    channel: str = CHANNEL, ephemeral: bool = False) -> None:
        self.stub.defer(token, ephemeral)
        await self.store.remember(PendingInteraction(
            interaction_id=interaction_id, application_id=APP, token=token, channel_id=channel,
            user_name=user, created=self.clock(), ephemeral=ephemeral,
        ))

    async def reply(self, *replies: Reply) -> int:
        await push_replies(self.redis, self.keys, replies, 10_000)
        return await self.outbox.drain_once()


@pytest.fixture
async def rig(stub: tuple[StubDiscord, str], redis: Any, settings: Settings, redis_url: str
              ) -> AsyncIterator[Rig]:
    server, base = stub
    keys = Keys(settings.redis_prefix)
    clock = Clock()
    async with aiohttp.ClientSession() as session:
        store = InteractionStore(redis, keys.prefix, ttl_s=900, clock=clock)
        sender = DiscordSender(DiscordRest(session, api_base=base, bot_token=BOT_TOKEN), store)
        outbox = OutboxSender(redis=redis, keys=keys, platform="discord", send=sender.send,
                              send_private=sender.send_private, send_card=sender.send_card,
                              limits=LIMITS["discord"],
                              storage_uri=f"async+{redis_url}")
        yield Rig(server, store, sender, outbox, keys, redis, clock)


def reply(text: str, reply_to: str | None = None, channel: str = CHANNEL,
          private: bool = False, card: Card | None = None) -> Reply:
    return Reply(platform=Platform.DISCORD, channel=channel, text=text, reply_to=reply_to,
                 private=private, card=card)


CODE_TEXT = "@alice your link code is ABCD2345 — type !link ABCD2345 on your other platform " \
            "within 10 min"


async def test_a_reply_to_a_deferred_interaction_replaces_the_placeholder(rig: Rig) -> None:
    await rig.defer("1233227149545177169", "tok-a", "alice")
    assert await rig.reply(reply("@alice you pulled a job: +$120", "1233227149545177169")) == 1
    assert rig.stub.calls() == [("PATCH", f"/api/v10/webhooks/{APP}/tok-a/messages/@original")]
    _, _, body, auth = rig.stub.requests[0]
    assert body == {"content": "@alice you pulled a job: +$120",
                    "allowed_mentions": {"parse": []}}
    assert auth is None  # webhook endpoints take the token in the path, not the bot token
    assert rig.stub.originals["tok-a"] == "@alice you pulled a job: +$120"
    # a second reply to the same interaction is a new follow-up message
    await rig.reply(reply("@alice level up! You're level 2", "1233227149545177169"))
    assert rig.stub.calls()[-1] == ("POST", f"/api/v10/webhooks/{APP}/tok-a")
    assert rig.sender.followups == 2 and rig.sender.channel_messages == 0


async def test_any_process_can_answer_the_token_lives_in_redis(
    rig: Rig, redis: Any, settings: Settings
) -> None:
    await rig.defer("1", "tok-b", "bob")
    key = f"{settings.redis_prefix}:discord:ix:1"
    assert 0 < await redis.ttl(key) <= 900
    # another process: its own store and sender, same Redis
    async with aiohttp.ClientSession() as session:
        other = DiscordSender(
            DiscordRest(session, api_base=rig.sender.rest.api_base, bot_token=BOT_TOKEN),
            InteractionStore(redis, settings.redis_prefix))
        await other.send(CHANNEL, "@bob hi", "1")
    assert rig.stub.calls() == [("PATCH", f"/api/v10/webhooks/{APP}/tok-b/messages/@original")]
    # the first answer is claimed once: this process now only follows up
    await rig.sender.send(CHANNEL, "@bob again", "1")
    assert rig.stub.calls()[-1] == ("POST", f"/api/v10/webhooks/{APP}/tok-b")


async def test_a_reply_without_pending_interaction_is_a_channel_message(rig: Rig) -> None:
    # a prefix command: reply_to is the message id -> a Discord reply to it
    await rig.reply(reply("@carol you're broke", "334385199974967042"))
    # an announcement: a plain message
    await rig.reply(reply("A heist is starting!", None, channel="42"))
    calls = rig.stub.requests
    assert [(m, p) for m, p, _, _ in calls] == [
        ("POST", f"/api/v10/channels/{CHANNEL}/messages"),
        ("POST", "/api/v10/channels/42/messages"),
    ]
    assert calls[0][2] == {
        "content": "@carol you're broke", "allowed_mentions": {"parse": []},
        "message_reference": {"message_id": "334385199974967042", "fail_if_not_exists": False},
    }
    assert "message_reference" not in (calls[1][2] or {})
    assert calls[0][3] == f"Bot {BOT_TOKEN}"
    # a synthetic (voice) id is never used as a message reference
    await rig.sender.send(CHANNEL, "@dave level 3", f"voice:1:2:{29000000}")
    assert "message_reference" not in (rig.stub.requests[-1][2] or {})


async def test_expired_token_falls_back_to_the_channel(rig: Rig) -> None:
    await rig.defer("7", "tok-old", "erin")
    rig.stub.valid_tokens.discard("tok-old")  # Discord no longer knows it
    await rig.reply(reply("@erin checked in", "7"))
    assert rig.stub.calls() == [
        ("PATCH", f"/api/v10/webhooks/{APP}/tok-old/messages/@original"),
        ("POST", f"/api/v10/channels/{CHANNEL}/messages"),
    ]
    assert rig.outbox.waiting == 0


async def test_merged_replies_still_answer_the_interaction_they_mention(rig: Rig) -> None:
    """``!rob`` queues the robber's answer and the victim's notice; the outbox merges them
    into one message answering the robber's interaction."""
    await rig.defer("11", "tok-rob", "frank")
    await rig.defer("12", "tok-play", "gina")
    sent = await rig.reply(reply("@frank you robbed @hank for $300", "11"),
                           reply("@hank you were robbed by @frank"))
    assert sent == 1
    assert rig.stub.calls() == [("PATCH", f"/api/v10/webhooks/{APP}/tok-rob/messages/@original")]
    assert rig.stub.originals["tok-rob"] == \
        "@frank you robbed @hank for $300 | @hank you were robbed by @frank"
    assert rig.stub.originals["tok-play"] == ""  # gina's command is still waiting
    # two players' answers merged: the oldest mentioned interaction gets the text, the other's
    # placeholder goes (its answer is in that message)
    await rig.defer("13", "tok-ivy", "ivy")
    await rig.reply(reply("@gina +$50", "12"), reply("@ivy +$70", "13"))
    assert rig.stub.calls()[-2:] == [
        ("PATCH", f"/api/v10/webhooks/{APP}/tok-play/messages/@original"),
        ("DELETE", f"/api/v10/webhooks/{APP}/tok-ivy/messages/@original"),
    ]
    assert await rig.store.unanswered_in_channel(CHANNEL) == []


async def test_unanswered_placeholders_are_swept_after_the_grace(rig: Rig) -> None:
    await rig.defer("21", "tok-slow", "jack")
    assert await rig.sender.sweep(grace_s=180) == 0
    rig.clock.now += 181
    assert await rig.sender.sweep(grace_s=180) == 1
    assert rig.stub.calls() == [("DELETE", f"/api/v10/webhooks/{APP}/tok-slow/messages/@original")]
    assert await rig.sender.sweep(grace_s=180) == 0  # once
    # the answer arrives late: still delivered, as a follow-up (the placeholder is gone)
    await rig.sender.send(CHANNEL, "@jack finally", "21")
    assert rig.stub.calls()[-1] == ("POST", f"/api/v10/webhooks/{APP}/tok-slow")


async def test_rate_limits_are_retried_and_long_replies_split(rig: Rig) -> None:
    rig.stub.rate_limit_next = 1
    await rig.sender.send(CHANNEL, "hello", None)
    assert [m for m, *_ in rig.stub.requests] == ["POST", "POST"]  # 429, then sent
    rig.stub.requests.clear()
    await rig.defer("31", "tok-long", "kim")
    words = " ".join(f"word{i}" for i in range(700))  # ~5,000 characters
    await rig.reply(reply(words, "31"))
    bodies = [b for _, _, b, _ in rig.stub.requests]
    assert rig.stub.calls()[0][0] == "PATCH"
    assert all(c[0] == "POST" for c in rig.stub.calls()[1:])
    assert all(len(b["content"]) <= 2000 for b in bodies if b)
    assert " ".join(b["content"] for b in bodies if b) == words


async def test_other_errors_keep_the_reply_for_retry(rig: Rig) -> None:
    rig.sender.rest.bot_token = "wrong"  # 401 on channel messages: not a token problem
    await rig.reply(reply("@lee hi"))
    assert rig.outbox.waiting == 1  # kept by the OutboxSender
    rig.sender.rest.bot_token = BOT_TOKEN
    await rig.outbox.drain_once()
    assert rig.outbox.waiting == 0
    with pytest.raises(DiscordApiError) as info:
        rig.sender.rest.bot_token = "wrong"
        await rig.sender.rest.create_message(CHANNEL, "x")
    assert info.value.status == 401
    with pytest.raises(DiscordApiError) as info:
        await rig.sender.rest.create_followup(APP, "secret-token", "x")
    assert "secret-token" not in str(info.value)  # tokens never reach logs


def test_mentions_match_whole_names_only() -> None:
    assert mentions_name("@bob you won", "bob")
    assert mentions_name("gg @BOB", "bob")
    assert not mentions_name("@bobby you won", "bob")
    assert not mentions_name("mail@bob.example", "bob")
    assert mentions_name("@Mason#1337 hi", "Mason#1337")
    assert not mentions_name("@Mason#1337 hi", "Mason")
    assert not mentions_name("@bob", "")


# --- private replies (a /link code) ---


async def test_a_private_reply_edits_the_ephemeral_original(rig: Rig) -> None:
    await rig.defer("41", "tok-link", "alice", ephemeral=True)
    await rig.defer("42", "tok-play", "bob")
    # queued together with public replies for the same channel: never merged with them
    sent = await rig.reply(reply("@bob you pulled a job: +$120", "42"),
                           reply(CODE_TEXT, "41", private=True),
                           reply("@carol level up!"))
    assert sent == 2
    assert rig.stub.originals["tok-link"] == CODE_TEXT  # the ephemeral original, alone
    assert rig.stub.originals["tok-play"] == "@bob you pulled a job: +$120 | @carol level up!"
    assert not any("ABCD2345" in t for t in rig.stub.public_texts())
    # a second private answer is a follow-up flagged ephemeral
    await rig.reply(reply("@alice again: ABCD2345", "41", private=True))
    method, path, body, _ = rig.stub.requests[-1]
    assert (method, path) == ("POST", f"/api/v10/webhooks/{APP}/tok-link")
    assert body is not None and body["flags"] == 64
    assert not any("ABCD2345" in t for t in rig.stub.public_texts())
    assert rig.sender.private_hints == 0


async def test_a_private_reply_with_no_private_way_only_hints_in_the_channel(rig: Rig) -> None:
    # a typed !link: reply_to is the message; the channel gets the hint as a reply to it
    await rig.reply(reply(CODE_TEXT, "334385199974967042", private=True))
    assert rig.stub.requests[-1][2] == {
        "content": "@alice use /link to get your code privately",
        "allowed_mentions": {"parse": []},
        "message_reference": {"message_id": "334385199974967042", "fail_if_not_exists": False},
    }
    # an interaction deferred in public (an older listener): its answer is the hint
    await rig.defer("43", "tok-public", "alice")
    await rig.reply(reply(CODE_TEXT, "43", private=True))
    assert rig.stub.originals["tok-public"] == "@alice use /link to get your code privately"
    # an ephemeral one whose token is gone: the hint in the channel
    await rig.defer("44", "tok-gone", "alice", ephemeral=True)
    rig.stub.valid_tokens.discard("tok-gone")
    await rig.reply(reply(CODE_TEXT, "44", private=True))
    assert rig.stub.calls()[-1] == ("POST", f"/api/v10/channels/{CHANNEL}/messages")
    assert (rig.stub.requests[-1][2] or {})["content"] == \
        "@alice use /link to get your code privately"
    # no reply_to at all
    await rig.sender.send_private(CHANNEL, CODE_TEXT, None)
    assert "message_reference" not in (rig.stub.requests[-1][2] or {})
    assert rig.sender.private_hints == 4
    assert not any("ABCD2345" in t for t in rig.stub.public_texts())
    assert rig.outbox.waiting == 0


async def test_public_answers_never_hide_in_someone_elses_ephemeral_message(rig: Rig) -> None:
    await rig.defer("51", "tok-frank", "frank", ephemeral=True)  # /link CODE
    # addressed to the invoker alone: it answers the ephemeral original
    await rig.reply(reply("@frank linked — your Kick and Discord accounts are one player now",
                          "51"))
    assert rig.stub.originals["tok-frank"].startswith("@frank linked")
    # merged with an answer to someone else: everything goes to the channel, the ephemeral
    # placeholder goes away
    await rig.defer("52", "tok-gina", "gina", ephemeral=True)
    await rig.reply(reply("@gina linked — one player now", "52"), reply("@hank +$50"))
    assert rig.stub.calls()[-2:] == [
        ("DELETE", f"/api/v10/webhooks/{APP}/tok-gina/messages/@original"),
        ("POST", f"/api/v10/channels/{CHANNEL}/messages"),
    ]
    assert (rig.stub.requests[-1][2] or {})["content"] == \
        "@gina linked — one player now | @hank +$50"
    # a merged message without reply_to never adopts (or settles) an ephemeral interaction
    await rig.defer("53", "tok-ivy", "ivy", ephemeral=True)
    await rig.reply(reply("@ivy you were robbed by @jo"))
    assert rig.stub.calls()[-1] == ("POST", f"/api/v10/channels/{CHANNEL}/messages")
    assert rig.stub.originals["tok-ivy"] == ""
    assert [i.interaction_id for i in await rig.store.unanswered_in_channel(CHANNEL)] == ["53"]
    await rig.reply(reply(CODE_TEXT.replace("alice", "ivy"), "53", private=True))
    assert rig.stub.originals["tok-ivy"].startswith("@ivy your link code is")


async def test_the_ephemeral_flag_lives_in_redis(rig: Rig, redis: Any, settings: Settings
                                                 ) -> None:
    await rig.defer("61", "tok-e", "kim", ephemeral=True)
    await rig.defer("62", "tok-p", "kim")
    assert await redis.hget(f"{settings.redis_prefix}:discord:ix:61", "ephemeral") == b"1"
    assert (await rig.store.get("61")).ephemeral  # type: ignore[union-attr]
    assert not (await rig.store.get("62")).ephemeral  # type: ignore[union-attr]
    await redis.hdel(f"{settings.redis_prefix}:discord:ix:62", "ephemeral")  # older entries
    assert not (await rig.store.get("62")).ephemeral  # type: ignore[union-attr]


def test_addresses_only_and_the_hint() -> None:
    assert addresses_only("@bob linked", "bob")
    assert addresses_only("@Bob hi, @bob", "bob")
    assert not addresses_only("@bob hi | @cy hi", "bob")
    assert not addresses_only("@bobby hi", "bob")
    assert not addresses_only("no mention", "bob")
    assert addresses_only("@bob mail me at x@y.example", "bob")
    assert not addresses_only("@bob hi", "")
    assert private_hint(CODE_TEXT) == "@alice use /link to get your code privately"
    assert private_hint("a code for you") == "use /link to get your code privately"


PROFILE_TEXT = "@alice Punk | level 1 (0/100 XP) | $5,000 | streak 0 | plays 0 | robs 0/0 | " \
    "messages 2"
PROFILE = Card(title="📇 profile", fields=(
    CardField(name="Tier", value="Punk"), CardField(name="Level", value="1 (0/100 XP)"),
    CardField(name="Wealth", value="$5,000"), CardField(name="Robs", value="0/0")))
PROFILE_EMBED = {
    "title": "📇 profile", "color": 0xF1C40F,
    "fields": [{"name": "Tier", "value": "Punk", "inline": True},
               {"name": "Level", "value": "1 (0/100 XP)", "inline": True},
               {"name": "Wealth", "value": "$5,000", "inline": True},
               {"name": "Robs", "value": "0/0", "inline": True}],
}


async def test_a_card_answers_the_interaction_as_an_embed(rig: Rig) -> None:
    await rig.defer("41", "tok-card", "alice")
    await rig.defer("42", "tok-other", "bob")
    # a carded reply is never merged: bob's answer goes on its own
    assert await rig.reply(reply(PROFILE_TEXT, "41", card=PROFILE), reply("@bob +$5", "42")) == 2
    assert sorted(rig.stub.calls()) == [
        ("PATCH", f"/api/v10/webhooks/{APP}/tok-card/messages/@original"),
        ("PATCH", f"/api/v10/webhooks/{APP}/tok-other/messages/@original"),
    ]
    [body] = [b for _, p, b, _ in rig.stub.requests if "tok-card" in p]
    assert body == {"content": "@alice 📇 profile", "allowed_mentions": {"parse": []},
                    "embeds": [PROFILE_EMBED]}
    [other] = [b for _, p, b, _ in rig.stub.requests if "tok-other" in p]
    assert other == {"content": "@bob +$5", "allowed_mentions": {"parse": []}}
    # a later carded answer to the same interaction: a follow-up with the embed
    await rig.reply(reply(PROFILE_TEXT, "41", card=PROFILE))
    method, path, body, _ = rig.stub.requests[-1]
    assert (method, path) == ("POST", f"/api/v10/webhooks/{APP}/tok-card")
    assert body is not None and body["embeds"] == [PROFILE_EMBED]


async def test_a_card_in_a_channel_message_and_the_plain_fallback(rig: Rig) -> None:
    lb = Card(title="🏆 lifetime wealth earned",
              description="1. big_boss $7,000\n2. alice $5,000",
              fields=(CardField(name="You", value="#2"),))
    text = "@alice 🏆 lifetime wealth earned: 1. big_boss $7,000 2. alice $5,000 — you're #2"
    # a typed !lb: a Discord reply to that message, with the embed
    await rig.reply(reply(text, "334385199974967042", card=lb))
    [(method, path, body, auth)] = rig.stub.requests
    assert (method, path, auth) == ("POST", f"/api/v10/channels/{CHANNEL}/messages",
                                    f"Bot {BOT_TOKEN}")
    assert body == {
        "content": "@alice 🏆 lifetime wealth earned", "allowed_mentions": {"parse": []},
        "message_reference": {"message_id": "334385199974967042", "fail_if_not_exists": False},
        "embeds": [{"title": "🏆 lifetime wealth earned", "color": 0xF1C40F,
                    "description": "1. big\\_boss $7,000\n2. alice $5,000",
                    "fields": [{"name": "You", "value": "#2", "inline": True}]}],
    }
    # Discord refuses the embed: the same message again, as the whole text
    rig.stub.requests.clear()
    rig.stub.refuse_embeds = True
    assert await rig.reply(reply(text, "334385199974967042", card=lb)) == 1
    assert [b is not None and "embeds" in b for _, _, b, _ in rig.stub.requests] == [True, False]
    assert rig.stub.requests[-1][2] == {
        "content": text, "allowed_mentions": {"parse": []},
        "message_reference": {"message_id": "334385199974967042", "fail_if_not_exists": False},
    }
    # and into an interaction likewise: the placeholder gets the plain text
    await rig.defer("43", "tok-lb", "alice")
    await rig.reply(reply(text, "43", card=lb))
    assert rig.stub.originals["tok-lb"] == text
    assert rig.outbox.waiting == 0


def test_an_embed_stays_within_discords_total() -> None:
    big = Card(title="t" * 256, description="d" * 4096, footer="f" * 2048, fields=tuple(
        CardField(name=f"n{i}" + "*" * 200, value="v" * 1024) for i in range(25)))
    embed = card_embed(big)

    def total(e: dict[str, Any]) -> int:
        return (len(e["title"]) + len(e.get("description", ""))
                + sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", []))
                + len(e.get("footer", {}).get("text", "")))

    assert total(embed) <= 6000
    assert len(embed["title"]) == 256 and len(embed["description"]) == 4096
    assert embed["fields"]  # as many fields as fit, each within its own limits
    assert all(len(f["name"]) <= 256 and len(f["value"]) <= 1024 for f in embed["fields"])
    assert embed["fields"][0]["name"].startswith("n0\\*\\*") and \
        embed["fields"][0]["name"].endswith("…")  # escaped, then cut (never mid-escape)
    assert not embed["fields"][0]["name"][:-1].endswith("\\") or \
        embed["fields"][0]["name"][:-1].endswith("\\\\")
    # the content line: the addressee and the title; a line with no @mention: the title
    assert card_content("@bob Punk | $5", PROFILE) == "@bob 📇 profile"
    assert card_content("Punk | $5", PROFILE) == "📇 profile"


async def test_the_sweep_loop_logs_one_line_per_redis_outage(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis unreachable (a closed port): one warning for the whole outage, no traceback;
    Redis back: one line, and the sweep works again."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    live = rig.store.redis
    dead = Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    rig.store.redis = dead
    caplog.set_level(logging.INFO, logger="platforms.discord.replies")
    stop = asyncio.Event()
    task = asyncio.create_task(rig.sender.sweep_loop(stop, grace_s=180, every_s=0.01))
    try:
        await asyncio.sleep(0.3)
        down = [r for r in caplog.records if "cannot reach Redis" in r.getMessage()]
        assert len(down) == 1 and down[0].exc_info is None and down[0].levelname == "WARNING"
        assert not [r for r in caplog.records if r.exc_info]
        rig.store.redis = live
        for _ in range(100):
            if any("Redis is back" in r.getMessage() for r in caplog.records):
                break
            await asyncio.sleep(0.01)
        assert sum("Redis is back" in r.getMessage() for r in caplog.records) == 1
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
        await dead.aclose()
    await rig.defer("1400000000000000001", "tok-sweep", user="alice")
    rig.clock.now += 181
    assert await rig.sender.sweep(grace_s=180) == 1
