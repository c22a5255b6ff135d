"""``economy.live_mode = channel_points``, the shell: a community's reward mappings (cached,
and managed by operators with ``kingpin community redemptions``), redemptions turned into
the commands they map to before a batch runs, and the gate that, while the community's
session is open, lets play/rob/bail/reroll come only from redemptions.

A redemption becomes its command early (``as_commands``, in ``jobs.apply.apply_batch``): a
``game.redemptions.Redeemed`` chat message with the redemption's platform, event id, channel,
redeemer and times, so it takes the typed command's whole path (the claim and
``processed_events``, the row lock, batch ordering, the handler, the replies). ``admits``
then runs inside its transaction: a redemption while no session is open runs nothing, and a
typed redeemable command while one is open answers how to redeem instead.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tortoise.backends.base.client import BaseDBAsyncClient

from game.events import Event, RewardRedemption
from game.redemptions import (
    REDEEMABLE,
    as_command,
    check_command,
    check_platform,
    how_to_redeem,
    resolve,
    reward_key,
)
from game.rules import CHANNEL_POINTS
from jobs.config import CommunityCache
from models.streams import RedemptionMapping, StreamingSession

if TYPE_CHECKING:
    from jobs.context import AppContext
    from jobs.turn import Turn

log = logging.getLogger(__name__)

TITLES_TTL_S = 30 * 86_400  # the reward titles learned from redemptions

# platform -> reward (id or folded title) -> command
CommunityMappings = dict[str, dict[str, str]]


class MappingCache(CommunityCache[CommunityMappings]):
    """Each community's mappings (a redemption costs no query while they are fresh)."""

    async def load(self, communities: list[int]) -> dict[int, CommunityMappings]:
        rows = await RedemptionMapping.filter(community_id__in=communities).values_list(
            "community_id", "platform", "reward", "command")
        found: dict[int, CommunityMappings] = {c: {} for c in communities}
        for community, platform, reward, command in rows:
            found[community].setdefault(platform, {})[reward] = command
        return found


async def as_commands(app: AppContext, events: list[tuple[Event, int]]
                      ) -> list[tuple[Event, int]]:
    """``events`` with each redemption that runs a command, in a community whose live mode
    is channel points, turned into that command (the others stay as they are: they change
    nothing, as any redemption did before). No query while the caches are fresh."""
    asked = {c for e, c in events if isinstance(e, RewardRedemption)}
    if not asked:
        return events
    rules = await app.rules_cache.get_many(asked)
    modal = [c for c in asked if rules[c].live_mode == CHANNEL_POINTS]
    mappings = await app.redemptions.get_many(modal) if modal else {}
    out: list[tuple[Event, int]] = []
    titles: dict[int, dict[str, str]] = {}
    for event, community in events:
        if isinstance(event, RewardRedemption):
            command = (resolve(event.reward_id, event.reward_title,
                               mappings[community].get(event.platform.value, {}))
                       if community in mappings else None)
            if command is None:
                log.debug("redemption runs nothing (live mode %s): platform=%s community=%s "
                          "channel=%s user=%s event_id=%s reward=%s", rules[community].live_mode,
                          event.platform, community, event.channel, event.user.id,
                          event.event_id, event.reward_id)
            else:
                titles.setdefault(community, {})[command] = event.reward_title
                event = as_command(event, command)
        out.append((event, community))
    await _remember_titles(app, titles)
    return out


async def _remember_titles(app: AppContext, titles: dict[int, dict[str, str]]) -> None:
    if not titles:
        return
    async with app.redis.pipeline(transaction=False) as pipe:
        for community, by_command in titles.items():
            key = app.keys.reward_titles(community)
            pipe.hset(key, mapping=by_command)  # type: ignore[arg-type]
            pipe.expire(key, TITLES_TTL_S)
        await pipe.execute()


async def admits(turn: Turn, conn: BaseDBAsyncClient) -> bool:
    """May the turn's command run? In channel-points mode a redemption runs only while the
    community's session is open, and a typed play/rob/bail/reroll only while it is not (it
    answers how to redeem instead). Free mode costs nothing: the rules are already loaded."""
    redeemed = turn.redeemed
    if turn.rules.live_mode != CHANNEL_POINTS:
        if redeemed:  # the mode changed since the batch began
            _nothing(turn, "free mode")
        return not redeemed
    if not redeemed and turn.cmd.name not in REDEEMABLE:
        return True
    live = await StreamingSession.filter(
        community_id=turn.community, ended_at__isnull=True).using_db(conn).exists()
    if redeemed and not live:
        _nothing(turn, "offline")
        return False
    if not redeemed and live:
        title = await turn.app.redis.hget(  # type: ignore[misc]
            turn.app.keys.reward_titles(turn.community), turn.cmd.name)
        turn.say(how_to_redeem(turn.cmd.name, title.decode() if isinstance(title, bytes)
                               else title))
        return False
    return True


def _nothing(turn: Turn, why: str) -> None:
    event = turn.event
    log.debug("redemption runs nothing (%s): platform=%s community=%s channel=%s user=%s "
              "event_id=%s cmd=%s", why, event.platform, turn.community, event.channel,
              event.user.id, event.event_id, turn.cmd.name)


# --- the operators' side (kingpin community redemptions) ---

async def mappings_of(community: int) -> list[tuple[str, str, str]]:
    """(platform, reward, command) of every mapping of the community, sorted."""
    rows = await RedemptionMapping.filter(community_id=community).order_by(
        "platform", "command", "reward").values_list("platform", "reward", "command")
    return [(str(p), str(r), str(c)) for p, r, c in rows]


async def map_reward(community: int, platform: str, reward: str, command: str
                     ) -> tuple[str, str, str, str | None]:
    """Store (or change) a mapping: (platform, stored reward key, command, the command it
    ran before or None). RedemptionError when refused."""
    platform, command = check_platform(platform), check_command(command)
    key = reward_key(reward)
    old = await RedemptionMapping.get_or_none(community_id=community, platform=platform,
                                              reward=key)
    if old is None:
        await RedemptionMapping.create(community_id=community, platform=platform, reward=key,
                                       command=command)
        return platform, key, command, None
    before = old.command
    old.command = command
    await old.save(update_fields=["command"])
    return platform, key, command, before


async def unmap_reward(community: int, platform: str, reward: str) -> list[str]:
    """Remove the mapping of ``reward`` (as the listing shows it, or its id or title): the
    keys removed (none: there was no such mapping)."""
    platform = check_platform(platform)
    keys = {reward.strip()}
    try:
        keys.add(reward_key(reward))
    except ValueError:
        pass
    found = await RedemptionMapping.filter(community_id=community, platform=platform,
                                           reward__in=sorted(keys)).values_list("reward",
                                                                                flat=True)
    if found:
        await RedemptionMapping.filter(community_id=community, platform=platform,
                                       reward__in=list(found)).delete()
    return [str(k) for k in found]
