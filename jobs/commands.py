"""Command handlers: load rows, call game/, write in the caller's transaction, say something.

Each handler runs inside the event's transaction (the processed-event row is already written).
The rule every handler keeps: all checks that can refuse (raise ``GameError``) come before the
first write. A refusal then commits only the processed-event row and becomes the reply; any
other exception rolls the whole transaction back (see jobs/apply.py).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from tortoise.backends.base.client import BaseDBAsyncClient

from game import actions
from game.actions import money
from game.commands import (
    COMMANDS,
    USAGE,
    check_arguments,
    help_for,
    help_text,
    parse_amount,
    parse_mention,
)
from game.errors import NotAllowed, TargetError, UsageError, format_duration
from game.inventory import wear
from game.levels import total_xp_for_level, xp_to_next
from game.notifications import BIG_ROB
from game.replies import Card, CardField
from jobs import state
from jobs.crates import crate_text, grant_crate
from jobs.factions import profile_line as faction_line
from jobs.inventory import give_item, holdings, placement_text
from jobs.ledger import (
    Change,
    apply_change_with_commit,
    apply_delta,
    debit_with_commit,
    record_event,
)
from jobs.modifiers import Equipped
from jobs.notifications import notify, progressed, to_feed
from jobs.players import resolve_mention
from jobs.supplies import use_consumable
from jobs.turn import Handler, Turn
from kingpin.db import Deferred, OneTripTransaction
from models.economy import UserInventory

__all__ = ["Handler", "Turn"]  # the shapes every handler module takes, from jobs/turn.py


async def prepare(turn: Turn, conn: BaseDBAsyncClient) -> None:
    """Argument parsing and mention lookup, before any handler runs."""
    check_arguments(turn.cmd)
    spec = COMMANDS[turn.cmd.name]
    user = turn.event.user
    if spec.role == "broadcaster" and not user.is_broadcaster:
        raise NotAllowed(f"only the broadcaster can use !{spec.name}")
    if spec.role == "mod" and not user.is_mod:
        raise NotAllowed(f"only mods can use !{spec.name}")
    if spec.touches == "target":  # a command about another player: find them first
        if len(turn.cmd.args) != len(spec.args):
            raise UsageError(spec.usage)
        name = parse_mention(turn.cmd.args[0], spec.usage)
        if spec.args[1:] and spec.args[1].kind == "amount":
            parse_amount(turn.cmd.args[1], spec.usage, turn.rules.admin_max_amount)
        if turn.target is None:  # not found (and locked) by the claim already
            turn.target = await resolve_mention(turn.community, turn.event.platform.value,
                                                name, conn)


def _check_jail(turn: Turn, snap: state.Snapshot) -> None:
    tier = turn.rules.tier_for_level(snap.user.level)
    actions.check_not_jailed(snap.jailed_until, turn.now, snap.user.wealth, tier, turn.rules)


async def play(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    snap = turn.snapshot or (
        await state.lock_for_command(conn, [turn.player.id], "play", turn.now))[turn.player.id]
    user = snap.user
    _check_jail(turn, snap)
    actions.check_cooldown("play", snap.cooldown, turn.now)
    tier = rules.tier_for_level(user.level)
    outcome = actions.resolve_play(tier, user.wealth, turn.app.rng, rules, snap.gear.mods)
    won = outcome.kind == "positive"
    change = Change(
        wealth=outcome.wealth_delta, xp=outcome.xp_delta, event_type="play",
        description=outcome.text,
        counters={"total_play_count": 1, "wins": int(won), "losses": int(not won)},
        cooldowns=(("play", "", turn.now + timedelta(seconds=rules.play_cooldown_s)),),
        detail={"busted": True} if outcome.kind == "busted" else None,
    )
    balance = await apply_change_with_commit(conn, user, change, turn.source_key, rules)
    if outcome.kind == "busted":
        await state.send_to_jail(conn, user.id, turn.now, actions.jail_release_at(turn.now, rules),
                                 "busted on !play")
        turn.say(f"🚔 you {outcome.text} — jailed for {rules.jail_minutes} min (!bail)")
        return
    crate = ""
    if outcome.crate is not None:  # 2% of plays: the rare extra round trips
        placed = await grant_crate(conn, turn.community, user.id, outcome.crate, "play",
                                   turn.now, rules, (turn.event.platform.value,
                                                     turn.event.channel))
        if outcome.magnet_used:
            await use_consumable(conn, turn.community, user.id, "crate_magnet")
        crate = f" 📦 found {crate_text(outcome.crate, placed, rules)}"
        await notify(conn, turn.now, (turn.community, user.id, "crate_drop",
                                      f"📦 a {outcome.crate} crate dropped on a job"[:500]))
        if outcome.crate == "legendary":
            turn.replies += await to_feed(turn.app, turn.community, "Legendary drop",
                                          f"📦 {turn.player.name} found a legendary crate!")
    if won:
        turn.say(f"💰 you {outcome.text} (+{outcome.xp_delta} XP) — now "
                 f"{money(balance.wealth)}{crate}")
    elif outcome.wealth_delta:
        turn.say(f"💸 you {outcome.text} — now {money(balance.wealth)}{crate}")
    else:  # nothing to lose: the text says so, and "now $0" would only rub it in
        turn.say(f"💸 you {outcome.text}{crate}")
    await progressed(turn, conn, turn.player.id, turn.player.name, balance.progress)


async def rob(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    assert turn.target is not None
    target = turn.target
    if target.id == turn.player.id:
        raise TargetError("you can't rob yourself")
    if turn.snapshot is not None and turn.target_snapshot is not None:  # locked by the claim
        snaps = {turn.player.id: turn.snapshot, target.id: turn.target_snapshot}
    else:
        snaps = await state.lock_for_command(conn, [turn.player.id, target.id], "rob",
                                             turn.now, str(target.id))
    if target.id not in snaps:
        raise TargetError(f"I don't know {target.name} — they have to chat first")
    snap, victim_snap = snaps[turn.player.id], snaps[target.id]
    user, victim = snap.user, victim_snap.user
    _check_jail(turn, snap)
    actions.check_cooldown("rob", snap.cooldown, turn.now)
    if snap.target_cooldown is not None and snap.target_cooldown > turn.now:
        left = int((snap.target_cooldown - turn.now).total_seconds())
        raise TargetError(
            f"you already robbed {target.name} today — try again in {format_duration(left)}"
        )
    actions.check_rob_target(user.id, victim.id, victim.wealth, target.name,
                             victim_snap.gear.mods.juicernaut)
    victim_gear = sorted(victim_snap.gear.equipped.values(), key=lambda e: e.id)
    outcome = actions.resolve_rob(user.level, victim.level, victim.wealth, turn.app.rng, rules,
                                  attacker=snap.gear.mods, target=victim_snap.gear.mods,
                                  target_equipped=len(victim_gear))
    cooldowns = (
        ("rob", "", turn.now + timedelta(seconds=rules.rob_cooldown_s)),
        ("rob", str(target.id), turn.now + timedelta(seconds=rules.rob_target_cooldown_s)),
    )
    counters = {"rob_count": 1, "rob_success_count": int(outcome.success)}
    notes, _, weapon_wear = _wear(snap.gear.equipped.get("weapon"), outcome.weapon_wear,
                                  "your")
    armor = victim_snap.gear.equipped.get("armor")
    victim_notes, worn_armor, armor_wear = _wear(armor, outcome.armor_wear, "your")
    await _write_wear(conn, weapon_wear, armor_wear)
    if outcome.success:
        stole = False
        kept = f" (insurance kept {money(outcome.insured)})" if outcome.insured else ""
        if outcome.gained:  # the victim is locked and holds at least this (resolve_rob)
            await debit_with_commit(conn, victim.id, outcome.gained, "robbed",
                                    f"robbed by {turn.player.name}{kept}", turn.source_key,
                                    rules)
        balance = await apply_change_with_commit(conn, user, Change(
            outcome.gained, outcome.xp_delta, "rob", f"robbed {target.name}", counters,
            cooldowns, {"target": target.id, "won": True},
        ), turn.source_key, rules)
        if outcome.stolen_item is not None:
            taken: Equipped | None = victim_gear[outcome.stolen_item]
            if armor is not None and taken is not None and taken.id == armor.id:
                taken = worn_armor  # as this rob left it (None: it broke)
            if taken is not None and await _may_take(conn, turn, taken):
                notes.append(await _steal_item(turn, conn, taken, victim.id))
                victim_notes.append(f"they took your {taken.item.name}")
                stole = True
        turn.say(f"🔫 you robbed {target.name} for {money(outcome.gained)} "
                 f"(+{outcome.xp_delta} XP) — now {money(balance.wealth)}"
                 + "".join(f"; {n}" for n in notes))
        told = (f"you were robbed by {turn.player.name} and lost {money(outcome.gained)}"
                f"{kept}" + "".join(f"; {n}" for n in victim_notes))
        turn.tell(target.name, told)
        await notify(conn, turn.now, (turn.community, victim.id,
                                      "item_stolen" if stole else "robbed", f"💸 {told}"))
        if outcome.gained >= BIG_ROB:
            turn.replies += await to_feed(
                turn.app, turn.community, "Big rob",
                f"🔫 {turn.player.name} robbed {target.name} for {money(outcome.gained)}")
    else:
        balance = await apply_change_with_commit(conn, user, Change(
            0, outcome.xp_delta, "rob", f"failed to rob {target.name}", counters, cooldowns,
            {"target": target.id, "won": False},
        ), turn.source_key, rules)
        turn.say(f"🏃 {target.name} got away — the rob failed (+{outcome.xp_delta} XP)"
                 + "".join(f"; {n}" for n in notes))
        if victim_notes:
            turn.tell(target.name, f"{turn.player.name} tried to rob you and failed; "
                      + "; ".join(victim_notes))
    await progressed(turn, conn, turn.player.id, turn.player.name, balance.progress)


def _wear(piece: Equipped | None, loss: int, whose: str
          ) -> tuple[list[str], Equipped | None, tuple[int, int] | None]:
    """A rob's wear on an equipped weapon or armor: a note if it broke, the piece as it is
    now (None once broken), and the (row, durability left) to write (0: destroyed)."""
    if piece is None:
        return [], None, None
    left, broken = wear(piece.durability, loss)
    if broken:
        return [f"{whose} {piece.item.name} broke"], None, (piece.id, 0)
    return [], replace(piece, durability=left), (piece.id, left)


# Hand-written (the rob is a hot path: ``python -m benchmarks.inprocess commands`` paid two
# ORM round trips per rob for this): a piece's wear, or a broken piece deleted, prepared once
# per connection (kingpin/db.Deferred; as text with arrays each was planned anew, 0.2 ms).
_WEAR = Deferred("kp_wear", "bigint, int",
                 "UPDATE user_inventory SET durability = $2 WHERE id = $1")
_BREAK = Deferred("kp_break", "bigint", "DELETE FROM user_inventory WHERE id = $1")


async def _write_wear(conn: BaseDBAsyncClient, *changes: tuple[int, int] | None) -> None:
    """Nothing later in the rob reads the wear, so it travels with the COMMIT when the
    transaction can carry it (kingpin/db.OneTripTransaction): no round trip of its own."""
    for row_id, left in (c for c in changes if c is not None):
        params: list[object] = [row_id, left] if left > 0 else [row_id]
        statement = _WEAR if left > 0 else _BREAK
        if isinstance(conn, OneTripTransaction):
            conn.defer_call(statement, params)
        else:
            await conn.execute_query(statement.sql, params)


async def _may_take(conn: BaseDBAsyncClient, turn: Turn, taken: Equipped) -> bool:
    """A business changes hands only to a robber below the businesses limit (GAME.md: up to
    3 owned); otherwise the victim keeps it."""
    if taken.item.type != "business":
        return True
    held = await holdings(conn, turn.community, turn.player.id)
    owned = sum(1 for h in held if h.item.type == "business")
    return owned < turn.rules.businesses_owned_max


async def _steal_item(turn: Turn, conn: BaseDBAsyncClient, taken: Equipped, victim_id: int
                      ) -> str:
    """The rare extra of a rob: one of the victim's equipped items changes hands (to the
    robber's inventory, else escrow, else it is lost on the way)."""
    await UserInventory.filter(id=taken.id, user_id=victim_id).using_db(conn).delete()
    placed = await give_item(conn, turn.community, turn.player.id, taken.item, turn.now,
                             turn.rules, (turn.event.platform.value, turn.event.channel),
                             durability=taken.durability)
    # the projector's row of it (an item owned: achievements count distinct items)
    await record_event(conn, turn.community, turn.player.id, "item_stolen",
                       f"took {taken.item.name}", turn.source_key,
                       {"lost" if placed == "lost" else "item": taken.item.key,
                        "from": victim_id})
    return f"you also took their {placement_text(taken.item.name, placed, turn.rules)}"


async def bail(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    snap = turn.snapshot or (
        await state.lock_for_command(conn, [turn.player.id], "bail", turn.now))[turn.player.id]
    user, until = snap.user, snap.jailed_until
    if until is None or until <= turn.now:
        raise NotAllowed("you're not in jail")
    cost = actions.bail_cost(user.wealth, rules.tier_for_level(user.level), rules)
    await state.release_from_jail(conn, user.id)
    if cost and snap.gear.held("bail_bond"):  # GAME.md: free with a Bail Bond (consumed)
        await use_consumable(conn, turn.community, user.id, "bail_bond")
        turn.say(f"🔓 your Bail Bond covered the {money(cost)} bail — you walk free "
                 f"({snap.gear.held('bail_bond') - 1} left)")
    elif cost:
        balance = await apply_delta(conn, user.id, -cost, 0, "bail", "paid bail",
                                    turn.source_key, rules)
        turn.say(f"🔓 you paid {money(cost)} bail and walk free — now {money(balance.wealth)}")
    else:
        turn.say("🔓 bail was free (under $500) — you walk free")


async def checkin(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    user = turn.snapshot.user if turn.snapshot else (
        await state.lock_users(conn, turn.player.id))[turn.player.id]
    outcome = actions.resolve_checkin(user.last_checkin_date, user.checkin_streak, turn.now,
                                      rules)
    await conn.execute_query(
        "UPDATE users SET checkin_streak = $2, last_checkin_date = $3 WHERE id = $1",
        [user.id, outcome.streak, turn.now.date()],
    )
    balance = await apply_delta(conn, user.id, outcome.wealth_delta, outcome.xp_delta, "checkin",
                                f"check-in day {outcome.streak}", turn.source_key, rules)
    crate = ""
    if outcome.crate is not None:  # GAME.md: day 28 legendary, every other 7th uncommon
        placed = await grant_crate(conn, turn.community, user.id, outcome.crate, "checkin",
                                   turn.now, rules, (turn.event.platform.value,
                                                     turn.event.channel))
        crate = f" 📦 and {crate_text(outcome.crate, placed, rules)}"
    turn.say(f"📅 checked in — day {outcome.streak} streak: +{money(outcome.wealth_delta)}, "
             f"+{outcome.xp_delta} XP — now {money(balance.wealth)}{crate}")
    await progressed(turn, conn, turn.player.id, turn.player.name, balance.progress)


async def profile(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    user = await state.load_user(conn, turn.player.id)
    tier = rules.tier_for_level(user.level)
    jail = await state.jailed_until(conn, user.id)
    jailed = ""
    if jail is not None and jail > turn.now:
        jailed = format_duration(int((jail - turn.now).total_seconds()))
    progress = _xp_progress(user.level, user.xp, turn)
    robs = f"{user.rob_success_count}/{user.rob_count}"
    gear = await state.load_gear(conn, user.id, turn.now)
    side = await faction_line(conn, turn.community, user.id, gear.territories)
    title = await state.worn_title(conn, user.id)
    # the rob chance against a player of the same level without gear or buffs
    chance = actions.rob_chance(user.level, user.level, attacker=gear.mods, rules=rules)
    worn = ", ".join(f"{e.item.name} ({e.durability}/{e.item.durability})"
                     if e.item.type in ("weapon", "armor") else e.item.name
                     for _, e in sorted(gear.equipped.items()))
    fields = [
        *([CardField(name="Title", value=title)] if title else []),
        CardField(name="Tier", value=tier.title),
        CardField(name="Level", value=f"{user.level} ({progress})"),
        CardField(name="Wealth", value=money(user.wealth)),
        CardField(name="Streak", value=str(user.checkin_streak)),
        CardField(name="Plays", value=str(user.total_play_count)),
        CardField(name="Robs", value=robs),
        CardField(name="Messages", value=f"{user.messages_sent:,}"),
        CardField(name="Rob chance", value=f"{chance:.0%}"),
        *([CardField(name="Faction", value=side)] if side else []),
        *([CardField(name="Gear", value=worn[:1024])] if worn else []),
    ]
    if jailed:
        fields.append(CardField(name="🚔 Jailed", value=jailed))
    turn.say(
        f"{f'«{title}» ' if title else ''}{tier.title} | level {user.level} ({progress}) | "
        f"{money(user.wealth)} | streak {user.checkin_streak} | plays {user.total_play_count} | "
        f"robs {robs} | messages {user.messages_sent:,} | rob chance {chance:.0%}"
        f"{f' | gear: {worn}' if worn else ''}"
        f"{f' | faction: {side}' if side else ''}"
        f"{f' | 🚔 jailed {jailed}' if jailed else ''}",
        Card(title="📇 profile", fields=tuple(fields)),
    )


def _xp_progress(level: int, xp: int, turn: Turn) -> str:
    rules = turn.rules
    if level >= rules.level_cap:
        return f"{xp:,} XP, max level"
    into = xp - total_xp_for_level(level, rules)
    return f"{into:,}/{xp_to_next(level, rules):,} XP"


async def balance(turn: Turn, conn: BaseDBAsyncClient) -> None:
    user = await state.load_user(conn, turn.player.id)
    turn.say(f"you have {money(user.wealth)}")


async def level(turn: Turn, conn: BaseDBAsyncClient) -> None:
    user = await state.load_user(conn, turn.player.id)
    tier = turn.rules.tier_for_level(user.level)
    turn.say(f"level {user.level} {tier.title} — {_xp_progress(user.level, user.xp, turn)}")


async def give(turn: Turn, conn: BaseDBAsyncClient) -> None:
    rules = turn.rules
    assert turn.target is not None
    what = "wealth" if turn.cmd.name == "givewealth" else "xp"
    amount = parse_amount(turn.cmd.args[1], USAGE[turn.cmd.name], rules.admin_max_amount)
    await state.lock_users(conn, turn.target.id)
    balance = await apply_delta(
        conn, turn.target.id, amount if what == "wealth" else 0, amount if what == "xp" else 0,
        f"admin_{what}", f"given by {turn.player.name}", turn.source_key, rules,
    )
    await state.audit(conn, turn.community, turn.player.id, turn.event.platform.value,
                      turn.player.name,
                      turn.cmd.name, turn.target.id,
                      json.dumps({"amount": amount, "event": turn.source_key}))
    shown = money(amount) if what == "wealth" else f"{amount:,} XP"
    turn.say(f"gave {shown} to {turn.target.name}")
    await progressed(turn, conn, turn.target.id, turn.target.name, balance.progress)


async def help_(turn: Turn, conn: BaseDBAsyncClient) -> None:
    if turn.cmd.args:
        about = help_for(turn.cmd.args[0])
        if about is None:
            raise UsageError(f"no command !{turn.cmd.args[0].removeprefix('!')[:20]}"
                             " — !help lists them")
        turn.say(about)
        return
    user = turn.event.user
    turn.say(help_text(user.is_mod, user.is_broadcaster))
