"""The community's Discord feed: the notable events of progression (a titled achievement, a
territory changing hands, a hall-of-fame record, a promotion) reach the feed channel as
embeds, end to end: commands through the real pipeline, the projector and the daily cron on
PostgreSQL, the outbox in Redis, the Discord sender against the local REST stub."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from jobs.context import AppContext
from jobs.factions import evaluate_territories
from tests.jobs.test_commands import BROADCASTER, give, say
from tests.jobs.test_notifications import rob_until_it_works
from tests.platforms.discord.test_replies import Rig, rig, stub  # noqa: F401 - fixtures
from tests.support import chat, fetch, project_all

FEED = "1011977515109187999"


async def test_notable_progress_reaches_the_feed_as_embeds(app: AppContext, rig: Rig,  # noqa: F811
                                                           clock: Any) -> None:
    clock.now = datetime.now(UTC).replace(microsecond=0)  # ledger rows carry the real time
    await fetch("INSERT INTO community_channels (community_id, platform, channel_id, role,"
                " label) VALUES (1, 'discord', $1, 'feed', 'feed')", FEED)
    app.directory.invalidate()
    await say(app, chat("alice", "hi", at=clock.now))
    # a promotion to Captain and, through the projector, titled achievements
    await say(app, chat("boss", "!givexp alice 1000000000", roles=BROADCASTER, at=clock.now))
    await say(app, chat("boss", "!givewealth alice 1000000", roles=BROADCASTER, at=clock.now))
    await say(app, chat("alice", "!faction join volkov", at=clock.now))
    await say(app, chat("alice", "!checkin", at=clock.now))  # points for her territory
    await give(app, "victim", 100_000)
    await rob_until_it_works(app, clock)  # the first biggest rob: a record
    await project_all(app)
    # the daily evaluation at the next midnight: Chrome Heights changes hands
    today = datetime.now(UTC).date()
    clock.now = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
    assert (await evaluate_territories({"app": app}))["changes"] == 1
    await project_all(app)
    for _ in range(200):  # within Discord's per-channel budget (5 per 5 s): a few seconds
        await rig.outbox.drain_once()
        if not rig.outbox.waiting and not await app.redis.llen(app.keys.outbox("discord")):
            break
        await asyncio.sleep(0.05)
    posted = [body for method, path, body, _ in rig.stub.requests
              if method == "POST" and path.endswith(f"/channels/{FEED}/messages")]
    titles = [e["title"] for body in posted for e in (body or {}).get("embeds", [])]
    for notable in ("Promotion", "Achievement unlocked", "Territory change", "Hall of fame"):
        assert notable in titles, (notable, titles)
    change = next(b for b in posted if b.get("embeds")
                  and b["embeds"][0]["title"] == "Territory change")
    assert "Chrome Heights" in change["embeds"][0]["description"]
