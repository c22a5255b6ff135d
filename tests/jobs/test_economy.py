"""The economy end to end through the batch job: shops and the Black Market, inventory and
gear, supplies and buffs, crates and titles, insurance, and what play and rob do with them."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import timedelta
from typing import Any

from game.events import encode_event
from jobs.apply import apply_batch
from jobs.context import AppContext
from jobs.projector import project_once
from tests.jobs.test_commands import BROADCASTER, give, say
from tests.support import chat, fetch, outbox_texts, wealth_of


async def uid(name: str) -> int:
    return int((await fetch("SELECT id FROM users WHERE username = $1", name))[0]["id"])


async def hold(name: str, *items: str, equipped: bool = False, durability: int = 100) -> None:
    """Put catalogue items straight into a player's inventory (equipped in their slot)."""
    user = await uid(name)
    for key in items:
        await fetch(
            "INSERT INTO user_inventory (community_id, user_id, item_id, durability,"
            " is_equipped, slot, is_escrowed, acquired_at, notify_platform, notify_channel)"
            " SELECT 1, $1, key, $3, $4, CASE WHEN $4 THEN type END, false, now(), '', ''"
            " FROM items WHERE key = $2 RETURNING id", user, key, durability, equipped)


async def inventory_of(name: str) -> list[dict[str, Any]]:
    return await fetch(
        "SELECT item_id, durability, is_equipped, slot, is_escrowed FROM user_inventory"
        " WHERE user_id = $1 ORDER BY id", await uid(name))


async def stock_market(*offers: tuple[str, int, int]) -> list[int]:
    ids = []
    for key, stock, price in offers:
        rows = await fetch(
            "INSERT INTO black_market_inventory (community_id, item_id, rotation_at, stock,"
            " initial_stock, price, featured) VALUES (1, $1, now(), $2, $2, $3, false)"
            " RETURNING id", key, stock, price)
        ids.append(rows[0]["id"])
    return ids


class Fixed(random.Random):
    """Every ``random()`` draw is ``value`` (0.0: every chance succeeds)."""

    def __init__(self, value: float) -> None:
        super().__init__(7)
        self.value = value

    def random(self) -> float:
        return self.value


# --- shops ---------------------------------------------------------------------------------


async def test_shop_buy_equip_sell_round_trip(app: AppContext) -> None:
    await give(app, "alice", 5_000)
    shop = await say(app, chat("alice", "!shop"))
    assert shop[0].startswith("@alice 🛒 your shop: ")
    rows = await fetch("SELECT item_id, price FROM player_shop_inventory")
    assert 6 <= len(rows) <= 10 or len(rows) == 7  # a Punk's shop: the 7 common items
    tiers = await fetch("SELECT DISTINCT i.tier FROM player_shop_inventory s"
                        " JOIN items i ON i.key = s.item_id")
    assert {t["tier"] for t in tiers} == {"common"}
    key, price = rows[0]["item_id"], rows[0]["price"]
    name = (await fetch("SELECT name FROM items WHERE key = $1", key))[0]["name"]
    bought = await say(app, chat("alice", f"!buy {name.lower()}"))
    assert f"bought {name} for ${price:,}" in bought[0]
    assert await wealth_of("alice") == 5_000 - price
    equipped = await say(app, chat("alice", f"!equip {name[:4]}"))
    assert f"equipped {name}" in equipped[0]
    inv = await say(app, chat("alice", "!inv"))
    assert f"{name} [" in inv[0] and "1/10" in inv[0]
    sold = await say(app, chat("alice", f"!sell {name}"))
    assert f"sold {name} for ${price // 2:,}" in sold[0]
    assert await wealth_of("alice") == 5_000 - price + price // 2
    kinds = await fetch("SELECT event_type FROM game_events WHERE user_id = $1 ORDER BY id",
                        await uid("alice"))
    assert [k["event_type"] for k in kinds][-2:] == ["buy", "sell"]


async def test_buy_refuses_what_it_cannot_do_and_changes_nothing(app: AppContext) -> None:
    await give(app, "alice", 100)
    await say(app, chat("alice", "!shop"))
    name = (await fetch("SELECT i.name FROM player_shop_inventory s JOIN items i"
                        " ON i.key = s.item_id ORDER BY s.price DESC LIMIT 1"))[0]["name"]
    poor = await say(app, chat("alice", f"!buy {name}"))
    assert "that costs" in poor[0] and "you have $100" in poor[0]
    assert "no item for sale called plasma" in (await say(app, chat("alice", "!buy plasma")))[0]
    assert "usage: !buy <item>" in (await say(app, chat("alice", "!buy")))[0]
    assert await wealth_of("alice") == 100
    assert await inventory_of("alice") == []


async def test_an_ambiguous_name_lists_the_candidates(app: AppContext) -> None:
    await say(app, chat("alice", "hi"))
    await hold("alice", "combat_knife", "coffin_motel")
    out = await say(app, chat("alice", "!equip c"))
    assert "which one: Combat Knife, Coffin Motel?" in out[0]
    assert "equipped Coffin Motel as your housing" in (
        await say(app, chat("alice", "!equip coffin")))[0]


async def test_fifty_concurrent_buyers_of_a_stock_of_three(app: AppContext) -> None:
    names = [f"buyer{i}" for i in range(50)]
    for name in names:
        await give(app, name, 60_000)
    [offer] = await stock_market(("mantis_blades", 3, 50_000))
    events = [encode_event(chat(n, "!buy mantis")) for n in names]
    await asyncio.gather(*(apply_batch(app, uuid.uuid4().hex, [e]) for e in events))
    assert (await fetch("SELECT stock FROM black_market_inventory WHERE id = $1",
                        offer))[0]["stock"] == 0
    owners = await fetch("SELECT user_id FROM user_inventory WHERE item_id = 'mantis_blades'")
    paid = await fetch("SELECT user_id FROM game_events WHERE event_type = 'buy'")
    assert len(owners) == 3 and sorted(o["user_id"] for o in owners) == sorted(
        p["user_id"] for p in paid)
    wealth = [await wealth_of(n) for n in names]
    assert sorted(wealth) == [10_000] * 3 + [60_000] * 47
    texts = await outbox_texts(app)
    assert sum("sold out" in t for t in texts) == 47


async def test_market_lists_the_rotation_and_reroll_has_a_cooldown_or_a_token(
        app: AppContext, clock: Any) -> None:
    await give(app, "alice", 20_000)
    assert "opens at the next rotation" in (await say(app, chat("alice", "!market")))[0]
    await stock_market(("kevlar_vest", 5, 3_000))
    assert "Kevlar Vest $3,000 (5 left)" in (await say(app, chat("alice", "!market")))[0]
    assert "new shop" in (await say(app, chat("alice", "!reroll")))[0]
    assert "cooldown" in (await say(app, chat("alice", "!reroll")))[0]
    assert "bought a Reroll Token (1/10)" in (
        await say(app, chat("alice", "!buysupply reroll")))[0]
    assert "used a Reroll Token, 0 left" in (await say(app, chat("alice", "!reroll")))[0]
    clock.now += timedelta(hours=1, seconds=1)
    assert "new shop:" in (await say(app, chat("alice", "!reroll")))[0]


# --- supplies and buffs --------------------------------------------------------------------


async def test_a_buff_multiplies_play_and_a_weaker_one_is_refused(app: AppContext) -> None:
    await give(app, "alice", 200_000)
    out = await say(app, chat("alice", "!buysupply xp x2"))
    assert "XP Boost x2 active for 24 h" in out[0]
    assert "is weaker" in (await say(app, chat("alice", "!buysupply xp boost x1.5")))[0]
    assert "XP x2" in (await say(app, chat("alice", "!buffs")))[0]

    class Positive(random.Random):
        draws = iter((0.99, 0.99, 0.99))  # not busted, positive, no crate

        def random(self) -> float:
            return next(self.draws, 0.99)

        def randint(self, a: int, b: int) -> int:
            return a

    app.rng = Positive()
    xp_before = (await fetch("SELECT xp FROM users WHERE username = 'alice'"))[0]["xp"]
    await say(app, chat("alice", "!play"))
    xp_after = (await fetch("SELECT xp FROM users WHERE username = 'alice'"))[0]["xp"]
    assert xp_after - xp_before == 2 * 6  # a Punk's least XP, doubled


async def test_a_bail_bond_pays_the_bail(app: AppContext) -> None:
    await give(app, "alice", 100_000)
    await say(app, chat("alice", "!buysupply bail bond"))
    app.rng = Fixed(0.0)  # busted
    assert "jail" in (await say(app, chat("alice", "!play")))[0]
    out = await say(app, chat("alice", "!bail"))
    assert "Bail Bond covered" in out[0]
    assert await wealth_of("alice") == 85_000
    held = await fetch("SELECT quantity FROM user_consumables WHERE key = 'bail_bond'")
    assert held[0]["quantity"] == 0


# --- rob with gear -------------------------------------------------------------------------


async def test_rob_wears_gear_steals_an_item_and_insurance_keeps_a_share(
        app: AppContext) -> None:
    await give(app, "bob", 100_000)
    await say(app, chat("alice", "hi"))
    await hold("alice", "rusty_knife", equipped=True, durability=3)
    await hold("bob", "leather_jacket", equipped=True)
    assert "insured: Platinum" in (await say(app, chat("bob", "!insure platinum")))[0]
    bob_before = await wealth_of("bob")

    class Rob(random.Random):
        def random(self) -> float:
            return 0.0  # success, and the item theft

        def randint(self, a: int, b: int) -> int:
            return {(800, 2800): 1000, (2, 3): 3}.get((a, b), a)

    app.rng = Rob()
    out = await say(app, chat("alice", "!rob @bob"))
    stolen = bob_before // 10
    insured = stolen * 90 // 100
    assert f"you robbed bob for ${stolen - insured:,}" in out[0]
    assert "your Rusty Knife broke" in out[0]
    assert "you also took their Leather Jacket" in out[0]
    assert any("insurance kept" in t and "they took your Leather Jacket" in t for t in out)
    assert await wealth_of("bob") == bob_before - (stolen - insured)
    assert await wealth_of("alice") == stolen - insured
    assert [r["item_id"] for r in await inventory_of("alice")] == ["leather_jacket"]
    assert await inventory_of("bob") == []


async def test_a_stolen_item_goes_to_escrow_when_the_robber_is_full(app: AppContext) -> None:
    await give(app, "bob", 10_000)
    await say(app, chat("alice", "hi"))
    await hold("alice", *["food_cart"] * 10)
    await hold("bob", "kevlar_vest", equipped=True)
    app.rng = Fixed(0.0)
    out = await say(app, chat("alice", "!rob @bob"))
    assert "Kevlar Vest waits in escrow" in out[0]
    claim = await say(app, chat("alice", "!escrow claim"))
    assert "no room" in claim[0]
    await say(app, chat("alice", "!sell food cart"))
    assert "claimed Kevlar Vest" in (await say(app, chat("alice", "!escrow claim")))[0]


# --- crates and titles ---------------------------------------------------------------------


async def test_givecrate_open_and_titles(app: AppContext) -> None:
    await say(app, chat("alice", "hi"))
    refused = await say(app, chat("alice", "!givecrate alice legendary"))
    assert "only the broadcaster" in refused[0]
    boss = dict(roles=BROADCASTER)
    for _ in range(3):
        out = await say(app, chat("boss", "!givecrate alice legendary", **boss))
        assert "gave alice a legendary crate" in out[0]
    assert "usage: !givecrate" in (await say(app, chat("boss", "!givecrate alice gold",
                                                        **boss)))[0]
    assert "3 legendary" in (await say(app, chat("alice", "!crates")))[0]

    class TitleFirst(random.Random):
        def choices(self, *a: Any, **kw: Any) -> Any:  # pragma: no cover - unused
            raise AssertionError

    app.rng = random.Random(3)
    opened = await say(app, chat("alice", "!open 3"))
    assert "opened 3 crates" in opened[0]
    assert (await fetch("SELECT count(*) AS n FROM user_crates"))[0]["n"] == 0
    assert (await fetch("SELECT count(*) AS n FROM crate_opens"))[0]["n"] == 3
    assert "no crates" in (await say(app, chat("alice", "!open")))[0]
    await fetch("INSERT INTO user_titles (community_id, user_id, title_id, is_equipped,"
                " unlocked_at) VALUES (1, $1, 'the_godfather', false, now())"
                " ON CONFLICT DO NOTHING", await uid("alice"))
    assert "The Godfather" in (await say(app, chat("alice", "!titles")))[0]
    assert "wear the title “The Godfather”" in (
        await say(app, chat("alice", "!title godfather")))[0]
    assert "no title" in (await say(app, chat("alice", "!title none")))[0]


async def test_play_drops_a_crate_and_a_magnet_forces_it(app: AppContext) -> None:
    await give(app, "alice", 100_000)
    assert "bought a Crate Magnet (1/3)" in (
        await say(app, chat("alice", "!buysupply crate magnet")))[0]

    class NoLuck(random.Random):
        draws = iter((0.99, 0.99, 0.99, 0.0))  # no bust, positive, no drop, magnet used up

        def random(self) -> float:
            return next(self.draws, 0.99)

        def getrandbits(self, k: int) -> int:  # randint and choice: not from random()
            return super().getrandbits(k)

    app.rng = NoLuck()
    out = await say(app, chat("alice", "!play"))
    assert "📦 found a " in out[0] or "📦 found an " in out[0], out
    assert (await fetch("SELECT count(*) AS n FROM user_crates"))[0]["n"] == 1
    held = await fetch("SELECT quantity FROM user_consumables WHERE key = 'crate_magnet'")
    assert held[0]["quantity"] == 0


async def test_checkin_day_seven_gives_an_uncommon_crate(app: AppContext, clock: Any) -> None:
    await say(app, chat("alice", "hi"))
    await fetch("UPDATE users SET checkin_streak = 6, last_checkin_date = $1"
                " WHERE username = 'alice'", (clock.now - timedelta(days=1)).date())
    out = await say(app, chat("alice", "!checkin"))
    assert "day 7 streak" in out[0] and "an uncommon crate" in out[0]
    assert (await fetch("SELECT tier FROM user_crates"))[0]["tier"] == "uncommon"


async def test_crates_overflow_to_escrow_then_are_lost(app: AppContext) -> None:
    await say(app, chat("alice", "hi"))
    boss = dict(roles=BROADCASTER)
    texts = [(await say(app, chat("boss", "!givecrate alice common", **boss)))[0]
             for _ in range(14)]
    assert sum("waits in escrow" in t for t in texts) == 3
    assert "is lost" in texts[-1]
    assert (await fetch("SELECT count(*) AS n FROM user_crates"))[0]["n"] == 13


# --- insurance -----------------------------------------------------------------------------


async def test_insure_lists_takes_switches_and_drops(app: AppContext) -> None:
    await give(app, "alice", 20_000)
    assert "you have no plan" in (await say(app, chat("alice", "!insure")))[0]
    assert "insured: Standard" in (await say(app, chat("alice", "!insure standard")))[0]
    assert await wealth_of("alice") == 15_000
    assert "already on the Standard plan" in (
        await say(app, chat("alice", "!insure standard")))[0]
    assert "no insurance plan called gold" in (await say(app, chat("alice", "!insure gold")))[0]
    assert "already on the Standard" in (await say(app, chat("alice", "!insure STAND")))[0]
    assert "insurance dropped" in (await say(app, chat("alice", "!insure none")))[0]
    assert await fetch("SELECT * FROM user_insurance") == []


async def test_help_lists_the_economy(app: AppContext) -> None:
    out = await say(app, chat("alice", "!help"))
    assert "!shop" in out[0] and "!givecrate" not in out[0]
    assert "!buy <item>" in (await say(app, chat("alice", "!help buy")))[0]


async def test_profile_shows_the_rob_chance_gear_and_title_and_lb_the_title(
        app: AppContext) -> None:
    await give(app, "alice", 60_000)
    bare = await say(app, chat("alice", "!profile"))
    assert "rob chance 60%" in bare[0] and "gear:" not in bare[0]
    await stock_market(("mantis_blades", 1, 50_000))
    await say(app, chat("alice", "!buy mantis blades"))
    await say(app, chat("alice", "!equip mantis"))
    await fetch("INSERT INTO user_titles (community_id, user_id, title_id, is_equipped,"
                " unlocked_at) VALUES (1, $1, 'kingmaker', true, now())", await uid("alice"))
    geared = await say(app, chat("alice", "!profile"))
    assert geared[0].startswith("@alice «Kingmaker» Punk")
    assert "rob chance 75%" in geared[0] and "gear: Mantis Blades (100/100)" in geared[0]
    await project_once(app)  # boards read the projector's counters
    assert "alice «Kingmaker» $" in (await say(app, chat("alice", "!lb")))[0]


async def test_crate_items_overflow_to_escrow_never_past_ten(app: AppContext) -> None:
    await say(app, chat("alice", "hi"))
    await hold("alice", *["food_cart"] * 10)
    boss = dict(roles=BROADCASTER)
    for _ in range(5):
        await say(app, chat("boss", "!givecrate alice common", **boss))

    class Weapons(random.Random):
        def random(self) -> float:
            return 0.0

    app.rng = Weapons()  # every crate holds a weapon (the first content by weight)
    out = await say(app, chat("alice", "!open 5"))
    assert "opened 5 crates" in out[0]
    rows = await inventory_of("alice")
    assert sum(not r["is_escrowed"] for r in rows) == 10
    assert sum(r["is_escrowed"] for r in rows) == 3
    assert out[0].count("is lost") == 2


async def test_taking_off_the_housing_ends_its_debt(app: AppContext) -> None:
    await say(app, chat("alice", "hi"))
    await hold("alice", "coffin_motel", equipped=True)
    await fetch("INSERT INTO housing_debt (community_id, user_id, debt_days, updated_at)"
                " VALUES (1, $1, 4, now())", await uid("alice"))
    assert "took off Coffin Motel" in (await say(app, chat("alice", "!unequip housing")))[0]
    assert await fetch("SELECT * FROM housing_debt") == []


async def test_a_debit_sent_with_the_commit_never_goes_below_zero(app: AppContext) -> None:
    """The rob's victim debit travels with the COMMIT; if it would overdraw, the whole
    transaction fails (nothing of it commits), never a ledger row without its debit."""
    import pytest

    from jobs.ledger import debit_with_commit
    from kingpin.db import one_trip_transaction

    await give(app, "bob", 100)
    bob = await uid("bob")
    async with one_trip_transaction() as tx:
        await debit_with_commit(tx, bob, 60, "robbed", "test", "k1", app.rules)
    assert await wealth_of("bob") == 40
    with pytest.raises(Exception, match="division by zero"):
        async with one_trip_transaction() as tx:
            await tx.execute_query("UPDATE users SET xp = xp + 1 WHERE id = $1", [bob])
            await debit_with_commit(tx, bob, 41, "robbed", "test", "k2", app.rules)
    assert await wealth_of("bob") == 40
    assert (await fetch("SELECT xp FROM users WHERE id = $1", bob))[0]["xp"] == 0
    assert len(await fetch("SELECT id FROM game_events WHERE source_key = 'k2'")) == 0


async def test_a_faction_holding_the_black_bazaar_buys_for_less(app: AppContext) -> None:
    await give(app, "alice", 5_000)
    await give(app, "bob", 5_000)
    await fetch("INSERT INTO faction_members (community_id, user_id, faction_id, territory_key,"
                " joined_at, captures) VALUES (1, $1, 'circuit', 'black_bazaar', now(), 0)",
                await uid("alice"))
    await fetch("INSERT INTO territories (community_id, key, faction_id)"
                " VALUES (1, 'black_bazaar', 'circuit')")
    paid = {}
    for name in ("alice", "bob"):
        await say(app, chat(name, "!shop"))
        row = (await fetch("SELECT s.item_id, s.price, i.name FROM player_shop_inventory s"
                           " JOIN items i ON i.key = s.item_id WHERE s.user_id = $1"
                           " ORDER BY s.price DESC LIMIT 1", await uid(name)))[0]
        out = await say(app, chat(name, f"!buy {row['name']}"))
        paid[name] = (row["price"], 5_000 - await wealth_of(name), out[0])
    price, spent, text = paid["alice"]
    assert spent == price * 95 // 100 and "5% off: your faction's territory" in text, text
    assert paid["bob"][1] == paid["bob"][0] and "off" not in paid["bob"][2]
