"""Delivering outbox replies on Discord: interaction follow-ups or channel messages.

A slash command is deferred at once (Discord's 3-second deadline) and its token is kept in
Redis for the token's 15 minutes, under the project's prefix, so *any* discord process that
drains the outbox can answer it:

* a reply whose ``reply_to`` is a pending interaction answers it: the first answer replaces
  the "thinking..." message (``PATCH /webhooks/{app}/{token}/messages/@original``; Discord
  deprecates doing that with the POST), later ones are follow-ups
  (``POST /webhooks/{app}/{token}``);
* a reply with no ``reply_to`` that mentions the invoker of a pending interaction in that
  channel answers that interaction too (the outbox merges a command's replies, e.g. ``!rob``'s
  answer and the victim's notice, and a merged message has no ``reply_to``);
* anything else goes to the channel as a normal message, as a Discord reply when
  ``reply_to`` is a message id (prefix commands);
* a deferred command nobody answered in ``followup_grace_s`` has its placeholder deleted by
  the sweeper (the answer may have gone out merged; a later answer still arrives as a
  follow-up while the token lives).

Private replies (``Reply.private``, e.g. a ``!link`` code) come through ``send_private``
and are only ever shown to their addressee: they answer their interaction when it was
deferred ephemerally (``/link``), and otherwise (a typed ``!link``, an expired token, an
interaction deferred in public) the channel gets ``PRIVATE_HINT`` instead of the text. A
public reply to an ephemeral interaction stays in it only when it addresses the invoker
alone; a merged message that also answers others goes to the channel.

Replies with a ``Reply.card`` (``!profile``, ``!lb``, ``!rank``) come through ``send_card``
and are routed the same way, as an embed (``card_embed``, within Discord's 6,000-character
total) under a short content line: the player's ``@mention`` and the card's title. If Discord
refuses the embed (HTTP 400) the same message goes again as the whole plain text.

Mentions never ping (``allowed_mentions: {parse: []}``): replies say ``@name`` as plain text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from game.replies import Card
from platforms.discord.normalize import is_snowflake

log = logging.getLogger(__name__)

USER_AGENT = "DiscordBot (https://github.com/kingpin-game/kingpin, 0.1)"
NO_PINGS: dict[str, list[str]] = {"parse": []}
EPHEMERAL = 64  # message flag: only the interaction's invoker sees it
# what the channel sees instead of a private reply that can't be delivered privately
PRIVATE_HINT = "use /link to get your code privately"
MAX_RETRY_AFTER_S = 10.0
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
EMBED_COLOUR = 0xF1C40F  # gold
EMBED_TOTAL_MAX = 6000  # title + description + field names and values + footer
CONTENT_MAX = 2000

# HGETALL + HSETNX answered, without creating a hash for an unknown id
CLAIM_SCRIPT = """
local raw = redis.call('HGETALL', KEYS[1])
if #raw == 0 then return false end
local first = redis.call('HSETNX', KEYS[1], 'answered', '1')
return {first, raw}
"""
_WEBHOOK_TOKEN = re.compile(r"(/webhooks/[0-9]+/)[^/]+")


UNKNOWN_MESSAGE = 10008  # JSON error code: the message (e.g. a deleted placeholder) is gone


class DiscordApiError(Exception):
    def __init__(self, status: int, method: str, path: str, body: str) -> None:
        super().__init__(f"{method} {path} -> HTTP {status}: {body[:200]}")
        self.status = status
        self.code: int | None = None
        try:
            code = json.loads(body).get("code")
            self.code = code if isinstance(code, int) else None
        except (ValueError, AttributeError):
            pass


class DiscordRest:
    """The few REST calls replies need, with a configurable API base (tests use a stub)."""

    def __init__(self, session: aiohttp.ClientSession, *, api_base: str, bot_token: str | None,
                 retries: int = 2) -> None:
        self.session = session
        self.api_base = api_base.rstrip("/")
        self.bot_token = bot_token
        self.retries = retries

    async def _request(self, method: str, path: str, body: dict[str, Any] | None = None,
                       *, auth: bool = True) -> Any:
        headers = {"User-Agent": USER_AGENT}
        if auth and self.bot_token:
            headers["Authorization"] = f"Bot {self.bot_token}"
        for attempt in range(self.retries + 1):
            async with self.session.request(method, f"{self.api_base}{path}", json=body,
                                            headers=headers) as resp:
                text = await resp.text()
                if resp.status == 429 and attempt < self.retries:
                    await asyncio.sleep(_retry_after(resp.headers, text))
                    continue
                if resp.status >= 400:
                    safe_path = _WEBHOOK_TOKEN.sub(r"\1<token>", path)  # never log tokens
                    raise DiscordApiError(resp.status, method, safe_path, text)
                return json.loads(text) if text else None
        raise AssertionError("unreachable")  # pragma: no cover

    async def create_message(self, channel_id: str, content: str,
                             reply_to_message: str | None = None,
                             embeds: Embeds | None = None) -> Any:
        body = _body(content, embeds)
        if reply_to_message is not None:
            body["message_reference"] = {"message_id": reply_to_message,
                                         "fail_if_not_exists": False}
        return await self._request("POST", f"/channels/{channel_id}/messages", body)

    async def edit_original(self, app_id: str, token: str, content: str,
                            embeds: Embeds | None = None) -> Any:
        return await self._request(
            "PATCH", f"/webhooks/{app_id}/{token}/messages/@original",
            _body(content, embeds), auth=False,
        )

    async def create_followup(self, app_id: str, token: str, content: str,
                              ephemeral: bool = False, embeds: Embeds | None = None) -> Any:
        body = _body(content, embeds)
        if ephemeral:
            body["flags"] = EPHEMERAL
        return await self._request("POST", f"/webhooks/{app_id}/{token}", body, auth=False)

    async def delete_original(self, app_id: str, token: str) -> None:
        await self._request("DELETE", f"/webhooks/{app_id}/{token}/messages/@original",
                            auth=False)


Embeds = list[dict[str, Any]]


def _body(content: str, embeds: Embeds | None) -> dict[str, Any]:
    body: dict[str, Any] = {"content": content, "allowed_mentions": NO_PINGS}
    if embeds is not None:
        body["embeds"] = embeds
    return body


_MARKDOWN = re.compile(r"([\\*_~|`])")


def _escape(text: str) -> str:
    """Game text is plain: names like ``big_boss_`` must not turn into markdown."""
    return _MARKDOWN.sub(r"\\\1", text)


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, marked with … when cut (never ending mid-escape)."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ""
    cut = text[:limit - 1]
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:
        cut = cut[:-1]
    return cut + "…"


def card_embed(card: Card) -> dict[str, Any]:
    """A card as one embed: per-part limits (the card's own) and the 6,000-character total;
    what would overflow the total is shortened (the description) or left out (fields that
    don't fit, the footer)."""
    budget = EMBED_TOTAL_MAX
    title = _clip(_escape(card.title), 256)
    budget -= len(title)
    embed: dict[str, Any] = {"title": title, "color": EMBED_COLOUR}
    if card.description:
        description = _clip(_escape(card.description), min(4096, budget))
        if description:
            embed["description"] = description
            budget -= len(description)
    fields = []
    for f in card.fields:
        name, value = _clip(_escape(f.name), 256), _clip(_escape(f.value), 1024)
        if len(name) + len(value) > budget:
            break
        fields.append({"name": name, "value": value, "inline": f.inline})
        budget -= len(name) + len(value)
    if fields:
        embed["fields"] = fields
    if card.footer:
        footer = _clip(card.footer, min(2048, budget))
        if footer:
            embed["footer"] = {"text": footer}
    return embed


def card_content(text: str, card: Card) -> str:
    """The plain line above an embed: the reply's ``@addressee`` (so it reads, and is found,
    as an answer to them) and the card's title."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    line = f"{first} {card.title}" if first.startswith("@") else card.title
    return _clip(line, CONTENT_MAX)


def _retry_after(headers: Any, text: str) -> float:
    value: Any = None
    try:
        value = json.loads(text).get("retry_after")
    except (ValueError, AttributeError):
        value = headers.get("Retry-After")
    try:
        return max(0.0, min(float(value), MAX_RETRY_AFTER_S))
    except (TypeError, ValueError):
        return 1.0


@dataclass(frozen=True)
class PendingInteraction:
    interaction_id: str
    application_id: str
    token: str
    channel_id: str
    user_name: str
    created: float
    ephemeral: bool = False  # deferred with ephemeral=True: its original is the invoker's only


class InteractionStore:
    """Deferred interactions waiting for their answer, shared by every discord process.

    ``<prefix>:discord:ix:<id>`` (hash, TTL = token life) holds the token; two sorted sets
    (all pending, and pending per channel) let the sweeper and the mention fallback find them.
    ``claim`` marks an interaction answered atomically (HSETNX), so exactly one process
    replaces the placeholder.
    """

    def __init__(self, redis: Redis, prefix: str, ttl_s: int = 900,
                 clock: Callable[[], float] = time.time) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl_s = ttl_s
        self.clock = clock

    def key(self, interaction_id: str) -> str:
        return f"{self.prefix}:discord:ix:{interaction_id}"

    def channel_key(self, channel_id: str) -> str:
        return f"{self.prefix}:discord:ix:channel:{channel_id}"

    @property
    def pending_key(self) -> str:
        return f"{self.prefix}:discord:ix:pending"

    async def remember(self, item: PendingInteraction) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.key(item.interaction_id), mapping={
                "application_id": item.application_id, "token": item.token,
                "channel_id": item.channel_id, "user_name": item.user_name,
                "created": repr(item.created), "ephemeral": "1" if item.ephemeral else "0",
            })
            pipe.expire(self.key(item.interaction_id), self.ttl_s)
            pipe.zadd(self.channel_key(item.channel_id), {item.interaction_id: item.created})
            pipe.expire(self.channel_key(item.channel_id), self.ttl_s)
            pipe.zadd(self.pending_key, {item.interaction_id: item.created})
            await pipe.execute()

    async def get(self, interaction_id: str) -> PendingInteraction | None:
        raw = await self.redis.hgetall(self.key(interaction_id))  # type: ignore[misc]
        return _pending(interaction_id, raw)

    async def claim(self, interaction_id: str) -> tuple[PendingInteraction, bool] | None:
        """The interaction and whether this caller is the first to answer it; None if unknown
        (never deferred here, or its token expired)."""
        result = await self.redis.eval(  # type: ignore[misc]
            CLAIM_SCRIPT, 1, self.key(interaction_id))
        if not result:
            return None
        first, flat = result
        raw = {flat[i]: flat[i + 1] for i in range(0, len(flat) - 1, 2)}
        item = _pending(interaction_id, raw)
        if item is None:
            return None
        if first:
            await self._forget(item)
        return item, bool(first)

    async def _forget(self, item: PendingInteraction) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrem(self.channel_key(item.channel_id), item.interaction_id)
            pipe.zrem(self.pending_key, item.interaction_id)
            await pipe.execute()

    async def unanswered_in_channel(self, channel_id: str) -> list[PendingInteraction]:
        """Pending interactions of a channel, oldest first (expired entries pruned)."""
        now = self.clock()
        await self.redis.zremrangebyscore(self.channel_key(channel_id), "-inf",
                                          now - self.ttl_s)
        ids = await self.redis.zrange(self.channel_key(channel_id), 0, 49)
        items = []
        for raw_id in ids:
            iid = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
            item = await self.get(iid)
            if item is not None:
                items.append(item)
        return items

    async def overdue(self, grace_s: float) -> list[str]:
        """Ids deferred more than ``grace_s`` ago and still unanswered (expired ones pruned)."""
        now = self.clock()
        await self.redis.zremrangebyscore(self.pending_key, "-inf", now - self.ttl_s)
        ids = await self.redis.zrangebyscore(self.pending_key, "-inf", now - grace_s,
                                             start=0, num=100)
        return [i.decode() if isinstance(i, bytes) else str(i) for i in ids]


def _pending(interaction_id: str, raw: dict[Any, Any]) -> PendingInteraction | None:
    fields = {(k.decode() if isinstance(k, bytes) else str(k)):
              (v.decode() if isinstance(v, bytes) else str(v)) for k, v in raw.items()}
    if "token" not in fields or "application_id" not in fields:
        return None
    try:
        created = float(fields.get("created", "0"))
    except ValueError:
        created = 0.0
    return PendingInteraction(
        interaction_id=interaction_id, application_id=fields["application_id"],
        token=fields["token"], channel_id=fields.get("channel_id", ""),
        user_name=fields.get("user_name", ""), created=created,
        ephemeral=fields.get("ephemeral") == "1",
    )


def mentions_name(text: str, name: str) -> bool:
    """``@name`` appears in ``text`` as a whole mention (case-insensitive)."""
    if not name:
        return False
    pattern = rf"(?<![\w@])@{re.escape(name)}(?![\w#])"
    return re.search(pattern, text, re.IGNORECASE) is not None


_ANY_MENTION = re.compile(r"(?<![\w@])@(?=\S)")


def addresses_only(text: str, name: str) -> bool:
    """Every ``@mention`` in ``text`` is ``@name`` (and there is at least one)."""
    if not name:
        return False
    pattern = rf"(?<![\w@])@{re.escape(name)}(?![\w#])"
    mine = [m.start() for m in re.finditer(pattern, text, re.IGNORECASE)]
    return bool(mine) and mine == [m.start() for m in _ANY_MENTION.finditer(text)]


def private_hint(text: str) -> str:
    """The channel's stand-in for a private reply: its ``@addressee`` and ``PRIVATE_HINT``."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    return f"{first} {PRIVATE_HINT}" if first.startswith("@") else PRIVATE_HINT


class TokenGone(Exception):
    """The interaction token is no longer usable (expired or unknown)."""


@dataclass
class DiscordSender:
    """``send`` and ``send_private(channel, text, reply_to)`` for kingpin.outbox.OutboxSender."""

    rest: DiscordRest
    store: InteractionStore
    followups: int = 0
    channel_messages: int = 0
    private_hints: int = 0

    async def send(self, channel: str, text: str, reply_to: str | None) -> None:
        await self._route(channel, text, reply_to, None)

    async def send_card(self, channel: str, text: str, reply_to: str | None, card: Card
                        ) -> None:
        """``send``, shown as an embed: routed by ``text`` exactly like ``send``."""
        await self._route(channel, text, reply_to, card)

    async def _post(self, call: Callable[[str, Embeds | None], Awaitable[Any]], text: str,
                    card: Card | None) -> None:
        """One message: the card as an embed under a short line, or the plain text (also
        when Discord refuses the embed)."""
        if card is None:
            await call(text, None)
            return
        try:
            await call(card_content(text, card), [card_embed(card)])
        except DiscordApiError as exc:
            if exc.status != 400:
                raise
            log.warning("discord: embed refused (%s); sending the plain text", exc)
            await call(text, None)

    async def _channel_message(self, channel: str, text: str, reference: str | None,
                               card: Card | None) -> None:
        await self._post(lambda content, embeds: self.rest.create_message(
            channel, content, reference, embeds), text, card)
        self.channel_messages += 1

    async def _route(self, channel: str, text: str, reply_to: str | None, card: Card | None
                     ) -> None:
        if reply_to is not None:
            claimed = await self.store.claim(reply_to)
            if claimed is not None:
                item, first = claimed
                if item.ephemeral and not addresses_only(text, item.user_name):
                    # merged with answers to others: those must not vanish into one person's
                    # ephemeral message, so all of it goes to the channel
                    if first:
                        await self._delete_placeholder(item)
                elif await self._answer(item, first, text, card=card):
                    await self._settle_mentioned(channel, text)
                    return
                # token gone: say it in channel
                await self._channel_message(channel, text, None, card)
                return
        elif await self._adopt(channel, text, card):
            return
        reference = reply_to if is_snowflake(reply_to) else None
        await self._channel_message(channel, text, reference, card)

    async def send_private(self, channel: str, text: str, reply_to: str | None) -> None:
        """A private reply: into its ephemeral interaction, else only a hint in the channel."""
        if reply_to is not None:
            claimed = await self.store.claim(reply_to)
            if claimed is not None:
                item, first = claimed
                if item.ephemeral:
                    if await self._answer(item, first, text, private=True):
                        return
                elif await self._answer(item, first, private_hint(text)):
                    self.private_hints += 1
                    return
        # a typed command (reply_to is its message), or the token is gone
        reference = reply_to if is_snowflake(reply_to) else None
        await self.rest.create_message(channel, private_hint(text), reference)
        self.channel_messages += 1
        self.private_hints += 1

    async def _answer(self, item: PendingInteraction, first: bool, text: str,
                      private: bool = False, card: Card | None = None) -> bool:
        """Answer the interaction (``private``: only into an ephemeral one, follow-ups flagged
        ephemeral too); False if its token is no longer valid."""
        assert item.ephemeral or not private
        app, token = item.application_id, item.token

        async def edit(content: str, embeds: Embeds | None) -> Any:
            return await self.rest.edit_original(app, token, content, embeds)

        async def followup(content: str, embeds: Embeds | None) -> Any:
            return await self.rest.create_followup(app, token, content, ephemeral=private,
                                                   embeds=embeds)

        try:
            if first:
                try:
                    await self._post(edit, text, card)
                except DiscordApiError as exc:
                    if exc.code != UNKNOWN_MESSAGE:
                        raise
                    # the placeholder is gone (deleted by the sweeper or a user): follow up
                    await self._post(followup, text, card)
            else:
                await self._post(followup, text, card)
        except DiscordApiError as exc:
            if exc.status in (401, 404):
                log.info("discord interaction=%s channel=%s: token no longer valid (%s);"
                         " answering in the channel", item.interaction_id, item.channel_id,
                         exc.status)
                return False
            raise
        self.followups += 1
        return True

    async def _adopt(self, channel: str, text: str, card: Card | None = None) -> bool:
        """A merged reply without reply_to answers the oldest pending interaction whose
        invoker it mentions; other pending invokers it mentions get their placeholder
        removed (their answer is in this message)."""
        matches = [it for it in await self.store.unanswered_in_channel(channel)
                   if not it.ephemeral and mentions_name(text, it.user_name)]
        adopted = False
        for item in matches:
            claimed = await self.store.claim(item.interaction_id)
            if claimed is None or not claimed[1]:
                continue
            if not adopted:
                adopted = await self._answer(item, True, text, card=card)
            else:
                await self._delete_placeholder(item)
        return adopted

    async def _settle_mentioned(self, channel: str, text: str) -> None:
        """Other pending invokers a merged message mentions got their answer in it: their
        placeholders go."""
        for item in await self.store.unanswered_in_channel(channel):
            if item.ephemeral or not mentions_name(text, item.user_name):
                continue  # an ephemeral one waits for its own (possibly private) answer
            claimed = await self.store.claim(item.interaction_id)
            if claimed is not None and claimed[1]:
                await self._delete_placeholder(item)

    async def _delete_placeholder(self, item: PendingInteraction) -> None:
        try:
            await self.rest.delete_original(item.application_id, item.token)
        except DiscordApiError as exc:
            log.info("discord interaction=%s: placeholder not deleted (%s)",
                     item.interaction_id, exc.status)

    async def sweep(self, grace_s: float) -> int:
        """Remove the placeholder of interactions unanswered for ``grace_s``; returns count."""
        swept = 0
        for iid in await self.store.overdue(grace_s):
            claimed = await self.store.claim(iid)
            if claimed is None:
                await self.store.redis.zrem(self.store.pending_key, iid)
                continue
            item, first = claimed
            if first:
                log.info("discord interaction=%s channel=%s: no answer in %.0f s;"
                         " placeholder removed", iid, item.channel_id, grace_s)
                await self._delete_placeholder(item)
                swept += 1
        return swept

    async def sweep_loop(self, stop: asyncio.Event, grace_s: float, every_s: float = 15.0
                         ) -> None:
        """Every ``every_s`` until ``stop``. A Redis outage is one line when it starts and one
        when it ends, however long it lasts; any other failure is logged and retried."""
        down = False
        while not stop.is_set():
            try:
                await self.sweep(grace_s)
            except REDIS_DOWN as exc:  # Redis unreachable: next round
                if not down:
                    log.warning("discord: cannot reach Redis to sweep unanswered interactions"
                                " (%s: %s); retrying every %gs", type(exc).__name__, exc,
                                every_s)
                down = True
            except Exception:  # noqa: BLE001 - a Discord hiccup or a bug: next round
                log.exception("discord: sweeping unanswered interactions failed")
            else:
                if down:
                    log.info("discord: Redis is back; sweeping unanswered interactions again")
                down = False
            try:
                await asyncio.wait_for(stop.wait(), every_s)
            except TimeoutError:
                pass
