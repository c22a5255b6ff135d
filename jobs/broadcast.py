"""Broadcasts: an announcement for the whole community (a session starts or ends; later a
heist, a territory changing hands) goes to every chat channel the community owns on every
platform, and on Discord to the community's feed channel (a guild has no one chat channel).
"""

from __future__ import annotations

from game.events import Platform
from game.replies import Reply
from jobs.context import AppContext
from jobs.players import db


async def broadcast(app: AppContext, community: int, text: str,
                    origin: tuple[Platform, str] | None = None) -> list[Reply]:
    """One reply per channel of the community that should hear ``text``; the channel the
    cause came from (``origin``) always hears it, owned or listed or not."""
    return await broadcast_many(app, [(community, text)], origin)


async def broadcast_many(app: AppContext, items: list[tuple[int, str]],
                         origin: tuple[Platform, str] | None = None) -> list[Reply]:
    """``broadcast`` of each (community, text), the feed channels of all of them read in one
    query (the heist tick announces a thousand communities' heists at once)."""
    if not items:
        return []
    feeds: dict[int, list[str]] = {}
    for row in await db().execute_query_dict(
            "SELECT DISTINCT community_id, feed_channel_id FROM discord_server_config"
            " WHERE community_id = ANY($1::bigint[]) AND feed_channel_id IS NOT NULL",
            [sorted({c for c, _ in items})]):
        feeds.setdefault(int(row["community_id"]), []).append(str(row["feed_channel_id"]))
    replies: list[Reply] = []
    for community, text in items:
        seen: set[tuple[str, str]] = set()
        for channel in await app.directory.of_community(community):
            wanted = channel.role == "feed" if channel.platform == "discord" else \
                channel.role == "chat"
            if wanted and (channel.platform, channel.channel_id) not in seen:
                seen.add((channel.platform, channel.channel_id))
                replies.append(Reply(platform=Platform(channel.platform),
                                     channel=channel.channel_id, text=text, broadcast=True))
        # feed channels set from Discord itself (/kingpin config feed) count as well
        for feed in feeds.get(community, ()):
            if ("discord", feed) not in seen:
                seen.add(("discord", feed))
                replies.append(Reply(platform=Platform.DISCORD, channel=feed, text=text,
                                     broadcast=True))
        if origin is not None and (origin[0].value, origin[1]) not in seen:
            replies.append(Reply(platform=origin[0], channel=origin[1], text=text,
                                 broadcast=True))
    return replies
