"""``economy.live_mode = channel_points`` through ``apply_batch`` on real PostgreSQL and Redis:
while the community's session is open, a redemption mapped to play/rob/bail/reroll runs the
command for its redeemer (once however often it is delivered), typed commands answer how to
redeem; offline, in free mode or unmapped, a redemption changes nothing."""

from __future__ import annotations

import json
import uuid
from typing import Any

from game.events import (
    Event,
    Platform,
    RewardRedemption,
    StreamOffline,
    StreamOnline,
    UserRef,
    encode_event,
)
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.redemptions import map_reward
from tests.support import NOON, chat, clear_outbox, fetch, outbox_texts, wealth_of

BROADCASTER = frozenset({"broadcaster"})


def _base(event_id: str | None = None) -> dict[str, Any]:
    return {"platform": Platform.TWITCH, "channel": "c",
            "event_id": event_id or uuid.uuid4().hex[:12], "occurred_at": NOON,
            "received_at": NOON}


def redeem(name: str, title: str, text: str = "", *, reward_id: str = "r-play",
           event_id: str | None = None) -> RewardRedemption:
    return RewardRedemption(**_base(event_id), user=UserRef(id=name.lower(), name=name),
                            reward_id=reward_id, reward_title=title, input=text)


async def say(app: AppContext, *events: Event) -> list[str]:
    await clear_outbox(app, "twitch")
    await apply_batch(app, uuid.uuid4().hex, [encode_event(e) for e in events])
    return await outbox_texts(app, "twitch")


def typed(name: str, text: str, **kw: Any) -> Any:
    return chat(name, text, platform=Platform.TWITCH, channel="c", **kw)


async def channel_points(app: AppContext, live: bool = True) -> None:
    out = await say(app, typed("boss", "!config economy.live_mode channel_points",
                               roles=BROADCASTER))
    assert out == ["@boss economy.live_mode is now channel_points (was: economy.live_mode = "
                   "free)"], out
    if live:
        await say(app, StreamOnline(**_base(), title="live"))


async def plays(name: str) -> int:
    rows = await fetch("SELECT total_play_count FROM users WHERE username = $1", name)
    return int(rows[0]["total_play_count"]) if rows else 0


async def test_a_play_redemption_plays_once_however_often_delivered(app: AppContext) -> None:
    await channel_points(app)
    event = redeem("Ann", "Play", event_id="red-1")
    out = await say(app, event, event, event)
    assert await say(app, event) == []  # and again in another batch: no second answer
    assert await plays("Ann") == 1
    assert len(out) == 1 and out[0].startswith("@Ann "), out
    assert (await fetch("SELECT COUNT(*) AS n FROM game_events WHERE event_type = 'play'")
            )[0]["n"] == 1
    # same rules as typed: the cooldown holds for the next redemption
    again = await say(app, redeem("Ann", "Kingpin: Play"))
    assert "cooldown" in again[0] and await plays("Ann") == 1


async def test_the_answer_to_a_redemption_is_not_threaded_under_it(app: AppContext) -> None:
    await channel_points(app)
    await clear_outbox(app, "twitch")
    await apply_batch(app, "b", [encode_event(redeem("Ann", "play"))])
    raw = await app.redis.lrange(app.keys.outbox("twitch"), 0, -1)
    assert [json.loads(r).get("reply_to") for r in raw] == [None]


async def test_a_rob_redemption_robs_the_player_in_its_message(app: AppContext) -> None:
    import random

    class Lucky(random.Random):
        def random(self) -> float:
            return 0.0

        def randint(self, a: int, b: int) -> int:
            return 1000 if (a, b) == (800, 2800) else a  # the share: 10.00%

    await say(app, typed("bob", "hi"))
    await say(app, typed("boss", "!givewealth bob 10000", roles=BROADCASTER))
    await channel_points(app)
    app.rng = Lucky()
    out = await say(app, redeem("Ann", "Rob", "@bob", reward_id="r-rob"))
    assert "you robbed bob for $1,000" in out[0], out
    assert any(t.startswith("@bob you were robbed by Ann") for t in out)
    assert await wealth_of("bob") == 9_000 and await wealth_of("Ann") == 1_000
    # no target: the usage, nothing robbed
    missing = await say(app, redeem("Cy", "Rob", "", reward_id="r-rob"))
    assert missing == ["@Cy usage: !rob @user"]


async def test_bail_and_reroll_redemptions_run_their_commands(app: AppContext) -> None:
    await channel_points(app)
    assert "not in jail" in (await say(app, redeem("Ann", "Kingpin: Bail")))[0]
    assert "new shop" in (await say(app, redeem("Ann", "REROLL")))[0]


async def test_unmapped_free_mode_and_offline_redemptions_do_nothing(app: AppContext) -> None:
    # free mode (the default), live
    await say(app, StreamOnline(**_base(), title="live"))
    assert await say(app, redeem("Ann", "Play")) == []
    assert await plays("Ann") == 0
    # channel points, live, but a reward that maps to nothing
    await channel_points(app, live=False)
    assert await say(app, redeem("Ann", "Hydrate", reward_id="r-water")) == []
    assert await plays("Ann") == 0
    # channel points, offline
    await say(app, StreamOffline(**_base()))
    assert await say(app, redeem("Ann", "Play")) == []
    assert await plays("Ann") == 0
    assert (await fetch("SELECT COUNT(*) AS n FROM game_events WHERE event_type = 'play'")
            )[0]["n"] == 0


async def test_typed_commands_answer_how_to_redeem_while_live(app: AppContext) -> None:
    await channel_points(app)
    out = await say(app, typed("Ann", "!play"))
    assert out == ["@Ann this stream runs on channel points: redeem “Play” to play"]
    assert await plays("Ann") == 0
    out = await say(app, typed("Ann", "!rob bob"))
    assert out == ["@Ann this stream runs on channel points: redeem “Rob” with who to rob in "
                   "its message to rob"]
    # once a reward has been redeemed, its title is the one named
    await say(app, redeem("Cy", "Kingpin: Play"))
    out = await say(app, typed("Ann", "!play"))
    assert out == ["@Ann this stream runs on channel points: redeem “Kingpin: Play” to play"]
    # other commands run as usual
    balance = await say(app, typed("Ann", "!balance"))
    assert balance[0].startswith("@Ann ") and "channel points" not in balance[0]
    # offline, typed commands play
    await say(app, StreamOffline(**_base()))
    await say(app, typed("Ann", "!play"))
    assert await plays("Ann") == 1


async def test_a_mapping_by_id_beats_the_title(app: AppContext) -> None:
    await map_reward(1, "twitch", "5cc8aa5b-0000-4000-8000-000000000001", "bail")
    await map_reward(1, "twitch", "Big Heist", "rob")
    await channel_points(app)
    # titled "Play", but its id says bail
    out = await say(app, redeem("Ann", "Play", reward_id="5cc8aa5b-0000-4000-8000-000000000001"))
    assert "not in jail" in out[0] and await plays("Ann") == 0
    # by title, on another id: rob
    assert "usage: !rob" in (await say(app, redeem("Ann", "big heist!", reward_id="x1")))[0]
    # the mappings are the platform's: on Kick the same id is only its title
    await say(app, StreamOnline(**{**_base(), "platform": Platform.KICK, "channel": "chan"}))
    await clear_outbox(app, "kick")
    kick = RewardRedemption(**{**_base(), "platform": Platform.KICK, "channel": "chan"},
                            user=UserRef(id="k1", name="Kay"),
                            reward_id="5cc8aa5b-0000-4000-8000-000000000001",
                            reward_title="Play")
    await apply_batch(app, "k", [encode_event(kick)])
    assert await plays("Kay") == 1


async def test_a_redemption_from_a_new_viewer_creates_them_and_plays(app: AppContext) -> None:
    await channel_points(app)
    out = await say(app, redeem("Newbie", "play"))
    assert out and out[0].startswith("@Newbie ")
    assert await plays("Newbie") == 1
    # recorded as the command it became (its kind is chat_message), under its own id
    rows = await fetch("SELECT platform, kind FROM processed_events ORDER BY id DESC LIMIT 1")
    assert rows == [{"platform": "twitch", "kind": "chat_message"}]


async def test_config_refuses_other_live_modes(app: AppContext) -> None:
    out = await say(app, typed("boss", "!config economy.live_mode paid", roles=BROADCASTER))
    assert out == ["@boss economy.live_mode takes one of free, channel_points"]
    out = await say(app, typed("boss", "!config economy.live_mode", roles=BROADCASTER))
    assert out[0].startswith("@boss economy.live_mode = free — ")
    out = await say(app, typed("mod", "!config economy.live_mode channel_points",
                               roles=frozenset({"moderator"})))
    assert "only the broadcaster" in out[0]
    assert await fetch("SELECT key FROM bot_config") == []
