"""Support rewards (GAME.md "Streams, Juicernaut and monetization"): the giver of a sub,
gift, bits, kicks, raid or donation is rewarded once per platform event (the event's
``processed_events`` row sees to that), and what it is worth in USD counts for the
session's Juicernaut."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from game.events import Event
from game.monetization import support_reward
from game.replies import Reply, mention
from game.rules import Rules
from jobs.context import AppContext
from jobs.ledger import apply_delta
from jobs.sessions import contribute


async def reward_support(app: AppContext, conn: BaseDBAsyncClient, event: Event, player: Any,
                         now: datetime, community: int, rules: Rules) -> list[Reply]:
    reward = support_reward(event)
    if reward is None or player is None:
        return []
    await apply_delta(conn, player.id, reward.wealth, reward.xp, f"support_{event.kind}",
                      reward.text, event.key, rules)
    gains = f"+${reward.wealth:,}" + (f", +{reward.xp:,} XP" if reward.xp else "")
    replies = [Reply(platform=event.platform, channel=event.channel,
                     text=f"{mention(player.name)} {reward.text}! {gains}")]
    replies += await contribute(app, conn, community, player.id, player.name, reward.usd, now,
                                (event.platform, event.channel))
    return replies
