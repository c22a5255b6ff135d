"""Support rewards (GAME.md "Streams, Juicernaut and monetization").

Every support event (sub, gift, bits, kicks, raid, donation) writes one ``monetization_events``
row in its own transaction, with what it paid, and rewards its giver by the community's
reward table (``reward_config`` over game/monetization.py's defaults). Exactly once per
platform event: the event's ``processed_events`` row sees to that, and the row's unique key
``(community, platform, event_id)`` too.

* **Gift recipients** get the ``gift_recipient`` reward once each: from a gift that lists
  them (Kick; by id, or by username on Kick's socket), or from their own gifted-sub event
  (Twitch sends one per recipient, the gift itself lists nobody). Each recipient's reward is
  a row of its own (``<event id>><recipient>``). Should a platform send both forms for the
  same gift, a recipient already rewarded as one within ``GIFT_PAIR_WINDOW`` gets nothing
  more (checked under the recipient's row lock).
* **A gifter known only by username** (Kick's socket) is found by it on that platform in
  the community. Nobody has it: the row waits with ``user_id`` NULL and
  jobs/monetization_cron.py credits it when that account first appears. Recipients known
  only by a username nobody has wait the same way.

``credited_at`` is when the row was settled: paid, or, for an anonymous giver, recorded
with nobody to pay (``user_id`` NULL); NULL only while a row waits for its player.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from game.commands import name_key
from game.events import Event, GiftSubscriptions, Platform, Subscription
from game.levels import progress_text
from game.monetization import (
    RECIPIENT_TEXT,
    KindReward,
    RewardTable,
    SupportReward,
    gains,
    pay,
    reward_for,
    rewards_with,
    support_of,
)
from game.replies import Reply, a_or_an, mention
from game.rules import Rules
from jobs import state
from jobs.context import AppContext
from jobs.crates import crate_text, grant_crate
from jobs.ledger import apply_delta
from jobs.players import PlayerRef, ensure_players, find_by_usernames
from jobs.sessions import contribute, open_session_id
from models.streams import RewardConfig

# a recipient rewarded once within this time of another gift form naming them is not
# rewarded again (a platform sending both a gift's list and per-recipient events)
GIFT_PAIR_WINDOW = timedelta(minutes=10)
NAMES_SHOWN = 10  # recipients named in a gift's reply

Origin = tuple[Platform, str]


# --- the community's reward table ---

async def overrides(conn: BaseDBAsyncClient, community: int) -> dict[str, KindReward]:
    rows = await RewardConfig.filter(community_id=community).using_db(conn).values_list(
        "kind", "wealth", "xp", "crate_tier")
    return {str(k): KindReward(int(w), int(x), c) for k, w, x, c in rows}  # type: ignore[arg-type]


async def reward_table(conn: BaseDBAsyncClient, community: int) -> RewardTable:
    return rewards_with(await overrides(conn, community))


async def set_reward(conn: BaseDBAsyncClient, community: int, kind: str,
                     reward: KindReward) -> None:
    """Store a kind's whole reward for the community (the caller checked it)."""
    await conn.execute_query(
        "INSERT INTO reward_config (community_id, kind, wealth, xp, crate_tier, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (community_id, kind) DO UPDATE"
        " SET wealth = EXCLUDED.wealth, xp = EXCLUDED.xp, crate_tier = EXCLUDED.crate_tier,"
        " updated_at = now()", [community, kind, reward.wealth, reward.xp, reward.crate])


async def reset_reward(conn: BaseDBAsyncClient, community: int, kind: str) -> bool:
    """Back to the rulebook's reward; False if the community had none of its own."""
    deleted = await RewardConfig.filter(community_id=community, kind=kind).using_db(
        conn).delete()
    return bool(deleted)


# --- the rows ---

@dataclass(frozen=True)
class Row:
    """One ``monetization_events`` row."""

    community: int
    platform: str
    event_id: str
    kind: str
    user_id: int | None
    platform_user_id: str | None
    username: str
    quantity: int
    tier: int | None
    usd: Decimal
    wealth: int
    xp: int
    session_id: int | None
    created_at: datetime
    credited_at: datetime | None


_INSERT = (
    "INSERT INTO monetization_events (community_id, platform, event_id, kind, user_id,"
    " platform_user_id, username, quantity, tier, usd, wealth, xp, session_id, created_at,"
    " credited_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    " ON CONFLICT (community_id, platform, event_id) DO NOTHING RETURNING id"
)


async def record(conn: BaseDBAsyncClient, row: Row) -> bool:
    """Write the row; False if the platform event (or recipient) has one already."""
    rows = await conn.execute_query_dict(_INSERT, [
        row.community, row.platform, row.event_id, row.kind, row.user_id,
        row.platform_user_id, row.username[:200], row.quantity, row.tier, row.usd,
        row.wealth, row.xp, row.session_id, row.created_at, row.credited_at])
    return bool(rows)


def recipient_key(event_id: str, recipient: str) -> str:
    """The row id of one recipient of a gift: ``<event id>><recipient>``, hashed to fit."""
    key = f"{event_id}>{recipient}"
    if len(key) <= 128:
        return key
    return f"{event_id[:80]}>{hashlib.sha256(key.encode()).hexdigest()[:40]}"


async def recently_gifted(conn: BaseDBAsyncClient, community: int, platform: str,
                          user_id: int, around: datetime, other_than: int = 0) -> bool:
    """Was the player rewarded as a gift's recipient on ``platform`` within
    ``GIFT_PAIR_WINDOW`` of ``around``? (The index on ``credited_at`` finds it.)"""
    rows = await conn.execute_query_dict(
        "SELECT 1 FROM monetization_events WHERE community_id = $1 AND platform = $2"
        " AND credited_at BETWEEN $3 AND $4 AND kind = 'gift_recipient' AND user_id = $5"
        " AND id <> $6 LIMIT 1",
        [community, platform, around - GIFT_PAIR_WINDOW, around + GIFT_PAIR_WINDOW, user_id,
         other_than])
    return bool(rows)


# --- paying ---

async def give(conn: BaseDBAsyncClient, community: int, player: PlayerRef, kind: str,
               reward: SupportReward, source_key: str, now: datetime, rules: Rules,
               where: tuple[str, str]) -> tuple[str, list[str]]:
    """Pay ``reward`` to the player (whose row the caller locked if it holds a crate): the
    crate's text (where it went) and any level-up line."""
    lines: list[str] = []
    if reward.wealth or reward.xp:
        balance = await apply_delta(conn, player.id, reward.wealth, reward.xp,
                                    f"support_{kind}", reward.text, source_key, rules)
        level_up = progress_text(player.name, balance.progress)
        if level_up:
            lines.append(level_up)
    crate = ""
    if reward.crate:
        placed = await grant_crate(conn, community, player.id, reward.crate, f"support_{kind}",
                                   now, rules, where)
        crate = crate_text(reward.crate, placed, rules)
    return crate, lines


async def credit(app: AppContext, conn: BaseDBAsyncClient, community: int, player: PlayerRef,
                 kind: str, reward: SupportReward, source_key: str, origin: Origin | None,
                 now: datetime, rules: Rules, count_usd: bool = True) -> list[Reply]:
    """``give``, then count the USD for the open session if ``count_usd``; the replies (in
    ``origin``, none without it)."""
    where = (origin[0].value, origin[1]) if origin else ("", "")
    crate, lines = await give(conn, community, player, kind, reward, source_key, now, rules,
                              where)
    replies: list[Reply] = []
    if origin is not None and reward.pays:
        text = f"{mention(player.name)} {reward.text}! {gains(reward.wealth, reward.xp, crate)}"
        replies = [Reply(platform=origin[0], channel=origin[1], text=t) for t in [text, *lines]]
    if count_usd:
        replies += await contribute(app, conn, community, player.id, player.name, reward.usd,
                                    now, origin)
    return replies


async def reward_support(app: AppContext, conn: BaseDBAsyncClient, event: Event, player: Any,
                         now: datetime, community: int, rules: Rules) -> list[Reply]:
    """The event's row and rewards, in the event's transaction; the replies."""
    if isinstance(event, Subscription) and event.is_gift and player is not None:
        return await _gifted_sub(app, conn, event, player, now, community, rules)
    support = support_of(event)
    if support is None:
        return []
    platform = event.platform.value
    origin: Origin = (event.platform, event.channel)
    table = await reward_table(conn, community)
    reward = reward_for(support, table)
    session = await open_session_id(conn, community)
    giver: PlayerRef | None = player
    name = player.name if player is not None else ""
    if giver is None and isinstance(event, GiftSubscriptions) and event.gifter_name:
        name = event.gifter_name
        giver = (await find_by_usernames(conn, community, platform, [name])).get(
            name_key(name)[:100])
    recipients, waiting = ([], []) if not isinstance(event, GiftSubscriptions) else (
        await _recipients(conn, community, event))
    locked = [p.id for p, _ in recipients] + ([giver.id] if giver and reward.crate else [])
    if locked:
        await state.lock_users(conn, *locked)
    # nobody to pay: an anonymous giver (settled now) or a name nobody has yet (waits)
    pending = giver is None and bool(name)
    await record(conn, Row(
        community, platform, event.event_id, support.kind, giver.id if giver else None,
        event.user.id if event.user else None, giver.name if giver else name,
        support.quantity, support.tier, support.usd, reward.wealth, reward.xp, session, now,
        None if pending else now))
    replies: list[Reply] = []
    if giver is not None:
        replies += await credit(app, conn, community, giver, support.kind, reward, event.key,
                                origin, now, rules)
    elif pending and (reward.pays or support.usd):
        owed = gains(reward.wealth, reward.xp,
                     f"{a_or_an(reward.crate)} crate" if reward.crate else "")
        replies.append(Reply(platform=event.platform, channel=event.channel,
                             text=f"{mention(name)} {reward.text}! chat here once to collect "
                                  f"{owed or 'your reward'}"))
    if isinstance(event, GiftSubscriptions):
        replies += await _reward_recipients(app, conn, event, recipients, waiting, table,
                                            session, now, community, rules)
    return replies


async def _gifted_sub(app: AppContext, conn: BaseDBAsyncClient, event: Subscription,
                      player: PlayerRef, now: datetime, community: int, rules: Rules
                      ) -> list[Reply]:
    """Twitch's per-recipient event of a gift: the recipient's reward (its gifter is paid
    by the gift's own event)."""
    table = await reward_table(conn, community)
    await state.lock_users(conn, player.id)
    paid = await pay_recipient(conn, community, event.platform.value, player, now, table)
    if not await record(conn, Row(
            community, event.platform.value, event.event_id, "gift_recipient", player.id,
            event.user.id, player.name, 1, event.tier, Decimal(0), paid.wealth, paid.xp,
            await open_session_id(conn, community), now, now)):
        return []
    reward = SupportReward(paid.wealth, paid.xp, Decimal(0), RECIPIENT_TEXT, paid.crate)
    return await credit(app, conn, community, player, "gift_recipient", reward, event.key,
                        (event.platform, event.channel), now, rules, count_usd=False)


async def pay_recipient(conn: BaseDBAsyncClient, community: int, platform: str,
                         player: PlayerRef, around: datetime, table: RewardTable,
                         other_than: int = 0) -> KindReward:
    """What a recipient (row locked) gets: the ``gift_recipient`` reward, or nothing if
    another form of the same gift rewarded them already."""
    if await recently_gifted(conn, community, platform, player.id, around, other_than):
        return KindReward()
    return pay("gift_recipient", 1, table)


async def _recipients(conn: BaseDBAsyncClient, community: int, event: GiftSubscriptions
                      ) -> tuple[list[tuple[PlayerRef, str]], list[str]]:
    """The gift's recipients as players (those with ids made players if unseen), each once,
    with their row key; and the usernames nobody has yet."""
    platform = event.platform.value
    known: list[tuple[PlayerRef, str]] = []
    if event.recipients:
        ids = await ensure_players([(community, platform, r) for r in event.recipients])
        known += [(PlayerRef(ids[(community, platform, r.id)], r.name), r.id)
                  for r in event.recipients if (community, platform, r.id) in ids]
    waiting: dict[str, str] = {}
    if event.recipient_names:
        found = await find_by_usernames(conn, community, platform, list(event.recipient_names))
        for name in event.recipient_names:
            key = name_key(name)[:100]
            if key in found:
                known.append((found[key], f"@{key}"))
            else:
                waiting.setdefault(key, name)
    unique: dict[int, tuple[PlayerRef, str]] = {}
    for player, key in known:  # one player listed twice (by id and by name) counts once
        unique.setdefault(player.id, (player, key))
    return list(unique.values()), list(waiting.values())


async def _reward_recipients(app: AppContext, conn: BaseDBAsyncClient, event: GiftSubscriptions,
                             recipients: list[tuple[PlayerRef, str]], waiting: list[str],
                             table: RewardTable, session: int | None, now: datetime,
                             community: int, rules: Rules) -> list[Reply]:
    """Each listed recipient's reward (their rows locked by the caller), and one reply."""
    platform = event.platform.value
    got: dict[str, list[str]] = {}
    for player, key in recipients:
        paid = await pay_recipient(conn, community, platform, player, now, table)
        if not await record(conn, Row(
                community, platform, recipient_key(event.event_id, key), "gift_recipient",
                player.id, None if key.startswith("@") else key, player.name, 1, event.tier,
                Decimal(0), paid.wealth, paid.xp, session, now, now)):
            continue
        reward = SupportReward(paid.wealth, paid.xp, Decimal(0), RECIPIENT_TEXT, paid.crate)
        if not reward.pays:
            continue
        crate, _ = await give(conn, community, player, "gift_recipient", reward,
                              f"{event.key}>{key}", now, rules, (platform, event.channel))
        got.setdefault(gains(paid.wealth, paid.xp, crate), []).append(player.name)
    owed = pay("gift_recipient", 1, table)
    later = []
    if owed.wealth or owed.xp or owed.crate:
        for name in waiting:
            if await record(conn, Row(
                    community, platform, recipient_key(event.event_id, f"@{name_key(name)}"),
                    "gift_recipient", None, None, name, 1, event.tier, Decimal(0), owed.wealth,
                    owed.xp, session, now, None)):
                later.append(name)
    parts = [f"{_names(names)} {'gets' if len(names) == 1 else 'get'} {what}"
             for what, names in got.items()]
    if later:
        parts.append(f"{_names(later)} when they first chat here")
    if not parts:
        return []
    return [Reply(platform=event.platform, channel=event.channel,
                  text="🎁 for the gifted subs: " + "; ".join(parts))]


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    return shown + (f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else "")
