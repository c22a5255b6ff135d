"""docs/rules.md against the data it describes: the economy's tables (items, supplies,
insurance plans, crates, drop odds, titles, shops, the Black Market) against ``catalogue()``
and ``Rules``, the economy's numbers in the prose against ``Rules``, gambling (the tier bet
maximums, the slot machine's table, the games' numbers and their designed returns and house
edges) against ``Rules``, slots.toml and ``game.gambling``, economy health (the ledger's
sources, the report's windows and measures, ``kingpin economy simulate``) against
game/economy_report.py, jobs/economy.py and game/simulate.py, and the "Commands:" lines
against the command registry. A number changed in the page or in the code alone fails here,
so the page cannot drift."""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

from game import economy_report, simulate
from game.catalogue import ITEM_TIERS, ITEM_TYPES, Item, catalogue
from game.commands import ALIASES, COMMANDS, USAGE
from game.errors import NotAllowed
from game.gambling import blackjack, coinflip, lottery, slots
from game.gambling.bets import parse_bet
from game.replies import money as dollars
from game.rules import DEFAULT_RULES, Tier, floor_share
from game.supplies import CATEGORY_LABELS
from jobs import economy as economy_job
from jobs import gambling as gambling_job
from kingpin import economy_cli
from kingpin.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
RULES = DEFAULT_RULES

# the commands the economy's sections describe (with the core commands they changed)
ECONOMY_COMMANDS = (
    "play", "rob", "bail", "checkin",
    "inventory", "equip", "unequip", "sell", "escrow",
    "shop", "reroll", "buy", "market",
    "supplies", "buysupply", "buffs",
    "crates", "open", "titles", "title", "givecrate",
    "insure",
)
# the commands of "Gambling" and "Economy health"
GAMBLING_COMMANDS = (
    "slots", "jackpot", "blackjack", "hit", "stand", "double",
    "flip", "accept", "flips", "cancelflip", "lottery", "lotto", "gamblestats",
)
HEALTH_COMMANDS = ("economy",)
# the commands of "Achievements" (its table: tests/game/test_achievements.py)
ACHIEVEMENT_COMMANDS = ("achievements",)
# the commands of "Factions and territories" (its table: tests/game/test_factions.py)
FACTION_COMMANDS = ("factions", "faction", "territories")
# the commands of "Missions" (its table: tests/game/test_missions.py)
MISSION_COMMANDS = ("missions",)

Row = dict[str, str]


@cache
def text() -> str:
    return DOC.read_text(encoding="utf-8")


@cache
def flat() -> str:
    """The page with every run of whitespace one space (prose wraps anywhere)."""
    return " ".join(text().split())


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


@cache
def tables() -> dict[tuple[str, ...], tuple[Row, ...]]:
    """Every Markdown table of the page, by its header row."""
    found: dict[tuple[str, ...], tuple[Row, ...]] = {}
    block: list[str] = []
    for line in [*text().splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            header = tuple(_cells(block[0]))
            assert re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", block[1].replace(" ", "")), block[1]
            assert header not in found, f"two tables headed {header}"
            found[header] = tuple(dict(zip(header, _cells(r), strict=True))
                                  for r in block[2:])
            block = []
    return found


def table(*header: str) -> tuple[Row, ...]:
    assert header in tables(), f"docs/rules.md has no table headed {' | '.join(header)}"
    return tables()[header]


def money(cell: str) -> int:
    assert re.fullmatch(r"\$\d{1,3}(,\d{3})*", cell), f"not an amount: {cell!r}"
    return int(cell[1:].replace(",", ""))


def span(cell: str, of: Callable[[str], int] = int) -> tuple[int, int]:
    """``a–b`` (or a single ``a``) as a pair."""
    low, _, high = cell.partition("–")
    return of(low), of(high or low)


def share(cell: str) -> Decimal:
    assert re.fullmatch(r"\d+\.\d+", cell), f"not a share: {cell!r}"
    return Decimal(cell)


def pct(value: float | Decimal) -> str:
    """``0.05`` -> ``5%``."""
    return f"{(Decimal(str(value)) * 100).normalize():f}%"


def test_every_table_is_found() -> None:
    assert len(tables()) >= 13


# --- items ---------------------------------------------------------------------------------

_ITEM_COLUMNS = {
    "weapon": ("weapon", "tier", "price", "rob bonus"),
    "armor": ("armor", "tier", "price", "defense bonus"),
    "business": ("business", "tier", "price", "daily revenue", "operating cost / day"),
    "housing": ("housing", "tier", "price", "insurance", "upkeep / day"),
}


def _item_effects(item: Item) -> dict[str, object]:
    if item.type == "weapon":
        return {"rob bonus": item.rob_bonus}
    if item.type == "armor":
        return {"defense bonus": item.defense_bonus}
    if item.type == "business":
        return {"daily revenue": item.revenue, "operating cost / day": item.operating_cost}
    return {"insurance": item.insurance, "upkeep / day": item.upkeep}


def _doc_effects(type_: str, row: Row) -> dict[str, object]:
    if type_ == "weapon":
        return {"rob bonus": share(row["rob bonus"])}
    if type_ == "armor":
        return {"defense bonus": share(row["defense bonus"])}
    if type_ == "business":
        return {"daily revenue": span(row["daily revenue"], money),
                "operating cost / day": money(row["operating cost / day"])}
    return {"insurance": share(row["insurance"]), "upkeep / day": money(row["upkeep / day"])}


@pytest.mark.parametrize("type_", ITEM_TYPES)
def test_item_table_is_the_catalogue(type_: str) -> None:
    rows = table(*_ITEM_COLUMNS[type_])
    items = catalogue().items_of(type_)  # type: ignore[arg-type]
    assert [r[type_] for r in rows] == [i.name for i in items]
    for row, item in zip(rows, items, strict=True):
        assert row["tier"] == item.tier, item.name
        assert money(row["price"]) == item.price, item.name
        assert _doc_effects(type_, row) == _item_effects(item), item.name


# --- supplies and insurance ----------------------------------------------------------------


def test_buff_table_is_the_catalogue() -> None:
    rows = table("buff", "category", "multiplier", "price")
    buffs = list(catalogue().buffs.values())
    assert [r["buff"] for r in rows] == [b.name for b in buffs]
    for row, buff in zip(rows, buffs, strict=True):
        assert row["category"] == CATEGORY_LABELS[buff.category], buff.name
        assert row["multiplier"].startswith("×"), buff.name
        assert Decimal(row["multiplier"][1:]) == buff.multiplier, buff.name
        assert money(row["price"]) == buff.price, buff.name


def test_consumable_table_is_the_catalogue() -> None:
    rows = table("consumable", "price", "hold", "used by")
    items = list(catalogue().consumables.values())
    assert [r["consumable"] for r in rows] == [c.name for c in items]
    for row, item in zip(rows, items, strict=True):
        assert money(row["price"]) == item.price, item.name
        assert int(row["hold"]) == item.hold, item.name


def test_insurance_table_is_the_catalogue() -> None:
    rows = table("plan", "keeps", "premium / day")
    plans = list(catalogue().plans.values())
    assert [r["plan"] for r in rows] == [p.key for p in plans]
    for row, plan in zip(rows, plans, strict=True):
        assert share(row["keeps"]) == plan.share, plan.key
        assert money(row["premium / day"]) == plan.premium, plan.key
    assert USAGE["insure"] == f"usage: !insure [{'|'.join([*catalogue().plans, 'none'])}]"


# --- crates and titles ---------------------------------------------------------------------


def test_crate_table_is_the_catalogue() -> None:
    rows = table("crate", "weapon", "armor", "wealth", "title", "item tiers C/U/R/L", "cash",
                 "duplicate title pays")
    crates = [catalogue().crates[t] for t in ITEM_TIERS]
    assert [r["crate"] for r in rows] == [c.name for c in crates]
    for row, crate in zip(rows, crates, strict=True):
        assert {k: int(row[k]) for k in crate.contents} == crate.contents, crate.name
        weights = [int(w) for w in row["item tiers C/U/R/L"].split("/")]
        assert weights == [crate.item_tiers[t] for t in ITEM_TIERS], crate.name
        assert span(row["cash"], money) == crate.wealth, crate.name
        assert money(row["duplicate title pays"]) == crate.duplicate_title, crate.name
    pays = "/".join(f"{c.duplicate_title:,}" for c in crates)
    assert f"a duplicate that pays {pays}" in flat()


def test_drop_odds_table_is_the_catalogue() -> None:
    columns = tuple(f"{t} crate" for t in ITEM_TIERS)
    rows = table("player tier", *columns)
    assert [r["player tier"] for r in rows] == [t.title for t in Tier]
    for row, tier in zip(rows, Tier, strict=True):
        odds = catalogue().drop_odds[tier]
        assert sum(odds.values()) == 100, tier.title  # the page shows them as percent
        assert [row[c] for c in columns] == [f"{odds[t]}%" for t in ITEM_TIERS], tier.title


def test_title_table_is_the_catalogue() -> None:
    rows = table("title tier", "titles")
    assert [r["title tier"] for r in rows] == list(ITEM_TIERS)
    for row in rows:
        names = [t.name for t in catalogue().titles.values() if t.tier == row["title tier"]]
        assert row["titles"].split(", ") == names, row["title tier"]
    # the crates' 40 (the achievement tier's titles: tests/game/test_achievements.py)
    assert sum(t.tier in ITEM_TIERS for t in catalogue().titles.values()) == 40


# --- shops ---------------------------------------------------------------------------------


def test_shop_tier_table_is_the_rules() -> None:
    rows = table("player tier", "personal shop sells")
    assert [r["player tier"] for r in rows] == [t.title for t in Tier]
    for row, tier in zip(rows, Tier, strict=True):
        assert tuple(row["personal shop sells"].split(", ")) == RULES.shop_tiers[tier]
    punk = [i for i in catalogue().items.values() if i.tier in RULES.shop_tiers[Tier.PUNK]]
    assert f"a Punk's shop can hold only the {len(punk)} common items" in flat()


def test_market_table_is_the_rules() -> None:
    rows = table("market tier", "in a rotation", "kinds", "stock of each")
    assert [r["market tier"] for r in rows] == list(ITEM_TIERS)
    for index, row in enumerate(rows):
        legendary = row["market tier"] == "legendary"
        chance = pct(RULES.market_legendary_chance) if legendary else "always"
        assert row["in a rotation"] == chance
        assert span(row["kinds"]) == RULES.market_kinds[index], row["market tier"]
        assert span(row["stock of each"]) == RULES.market_stock[index], row["market tier"]


# --- the numbers in the prose --------------------------------------------------------------


def _phrases() -> list[str]:
    r = RULES
    hours = r.reroll_cooldown_s // 3600
    assert hours * 3600 == r.reroll_cooldown_s
    slots = "/".join(f"{h:02d}" for h in range(0, 24, r.market_rotation_hours))
    payout_hours = 24 // r.business_payouts_per_day
    return [
        # !play and crates
        f"Chance {pct(r.crate_drop_chance)} × Crate drops buff × {r.juicernaut_crate} for the"
        " Juicernaut",
        f"× {r.juicernaut_wealth} for the Juicernaut",
        f"× {r.debt_debuff} from {r.debt_debuff_days} housing debt days",
        f"× {r.juicernaut_xp} for the Juicernaut",
        f"used up with {pct(r.crate_magnet_use_up_chance)} chance",
        # !rob
        f"{pct(r.rob_item_steal_chance)} chance that one of the target's equipped items",
        f"lose {r.durability_loss[0]}–{r.durability_loss[1]} durability each",
        # !checkin
        f"A streak of a multiple of {r.checkin_legendary_every} days",
        f"any other multiple of {r.checkin_uncommon_every}",
        # items
        f"The inventory holds {r.inventory_cap} items",
        f"toward the {r.inventory_cap}",
        f"escrow ({r.escrow_slots} slots for {r.escrow_hours} h)",
        f"pays {pct(r.sell_share)} of the list price",
        f"**Businesses:** at most {r.businesses_owned_max} owned",
        f"a business beyond {r.businesses_owned_max}",
        f"durability {catalogue().items['rusty_knife'].durability}",
        # shops
        f"{r.shop_size[0]}–{r.shop_size[1]} distinct items",
        f"holds {r.shop_size[0]}–{r.shop_size[1]} items of the allowed tiers",
        f"free once every {hours} h",
        f"a free reroll starts the {hours} h",
        f"rolled every {r.market_rotation_hours} h ({slots} UTC)",
        f"one featured offer at {pct(r.market_featured_discount)}",
        # supplies
        f"Buffs** last {r.buff_hours} h",
        f"restarts the full {r.buff_hours} h",
        # crates
        f"A player holds {r.crate_hold} crates",
        f"{r.crate_escrow_slots} escrow slots for {r.crate_escrow_hours} h",
        f"n from 1 to {r.crate_hold}",
        # businesses, housing
        f"every {payout_hours} h ({r.business_payouts_per_day} a day)",
        f"(1 ± up to {pct(r.business_variance)}, in whole basis points)",
        f"/ {r.business_payouts_per_day} × factor",
        f"${r.business_daily_cap:,} daily cap",
        f"× {r.juicernaut_business} for the Juicernaut",
        f"{r.debt_debuff_days} debt days play wealth ×{r.debt_debuff}",
        f"on day {r.debt_evict_days} the housing is unequipped",
        # a merge
        f"inventory up to {r.inventory_cap}, the rest go to escrow for {r.escrow_hours} h, even"
        f" past the {r.escrow_slots} slots",
        f"(up to {r.crate_hold}, the rest to crate escrow for {r.crate_escrow_hours} h)",
    ]


@pytest.mark.parametrize("phrase", _phrases())
def test_prose_numbers_are_the_rules(phrase: str) -> None:
    assert phrase in flat(), phrase


# --- commands ------------------------------------------------------------------------------


def _command_lines() -> list[str]:
    """The backticked usages of every "Commands:" paragraph."""
    usages: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text()):
        if paragraph.startswith("Commands: "):
            usages += re.findall(r"`([^`]+)`", paragraph)
    return usages


def test_command_lines_are_the_registry() -> None:
    usages = _command_lines()
    shown = {u.split()[0].removeprefix("!"): u for u in usages}
    assert len(shown) == len(usages), "a command listed twice"
    assert sorted(shown) == sorted(ECONOMY_COMMANDS + GAMBLING_COMMANDS + HEALTH_COMMANDS
                                   + ACHIEVEMENT_COMMANDS + FACTION_COMMANDS
                                   + MISSION_COMMANDS)
    for name, usage in shown.items():
        assert f"usage: {usage}" == USAGE[name], name


def test_every_game_that_jail_blocks_is_listed() -> None:
    """The jail bullet names exactly the gambling commands the registry refuses while jailed
    (in registry order), and the hand's moves are not among them."""
    blocked = [n for n, spec in COMMANDS.items() if spec.jailed and n not in ("play", "rob")]
    assert set(blocked) <= set(GAMBLING_COMMANDS)
    games = ", ".join(f"`!{n}`" for n in blocked)
    assert f"jail blocks starting a game ({games}), not finishing a hand already dealt" in flat()
    moves = ("hit", "stand", "double")
    assert not any(COMMANDS[n].jailed for n in (*moves, "cancelflip", "jackpot", "flips",
                                                 "lotto", "gamblestats"))
    assert f"({', '.join(f'`!{n}`' for n in moves)})" in flat()
    assert ALIASES["blackjack"] == ("bj",)
    assert "`!bj` is `!blackjack`" in flat()


# --- gambling ------------------------------------------------------------------------------


def _multiplier(value: Decimal) -> str:
    return f"×{value.normalize():f}"


def _number(value: float | int | Decimal) -> str:
    """``3`` -> ``3``, ``0.5`` -> ``0.5`` (as the page writes counts)."""
    return f"{Decimal(str(value)).normalize():f}"


def test_max_bet_table_is_the_rules() -> None:
    rows = table("player tier", "max bet")
    assert [r["player tier"] for r in rows] == [t.title for t in Tier]
    assert [money(r["max bet"]) for r in rows] == list(RULES.gamble_max_bets)


def test_slot_table_is_slots_toml() -> None:
    rows = table("symbol", "weight", "three of a kind", "two of a kind")
    machine = slots.machine()
    assert [r["symbol"] for r in rows] == [s.symbol for s in machine.symbols]
    for row, symbol in zip(rows, machine.symbols, strict=True):
        assert int(row["weight"]) == symbol.weight, symbol.symbol
        three = "the jackpot pool" if symbol.three is None else _multiplier(symbol.three)
        assert row["three of a kind"] == three, symbol.symbol
        assert row["two of a kind"] == _multiplier(symbol.two), symbol.symbol
    # "a weight is the percent chance per reel" holds only while they add up to 100
    assert machine.total_weight == 100
    assert f"weights out of {machine.total_weight}" in flat()
    assert f"three {machine.jackpot_symbol} win the community's jackpot pool" in flat()


def test_bet_refusals_are_the_code_and_in_the_stated_order() -> None:
    """The page quotes parse_bet's refusals; the first check that fails is the one given."""
    low, punk_max = RULES.gamble_min_bet, RULES.gamble_max_bets[0]

    def refusal(arg: str, wealth: int) -> str:
        with pytest.raises(NotAllowed) as refused:
            parse_bet(arg, wealth, Tier.PUNK, RULES, usage=USAGE["slots"])
        return str(refused.value)

    below = refusal(str(low - 1), 0)  # below the minimum and above the wealth: the minimum
    assert below == f"the smallest bet is {dollars(low)}"
    assert f'below the minimum ("{below}")' in flat()
    assert refusal(str(punk_max + 1), 0) == f"your tier can bet at most {dollars(punk_max)}"
    assert refusal(str(low), low - 1) == f"you only have {dollars(low - 1)}"
    poor = refusal("all", 80)
    assert f'minimum is refused ("{poor}")' in flat()
    assert parse_bet("all", 10 * punk_max, Tier.PUNK, RULES, usage="") == punk_max


def _edge(rtp: Decimal, places: int) -> str:
    return f"{((1 - rtp) * 100).quantize(Decimal(1).scaleb(-places)).normalize():f}%"


def _gambling_phrases() -> list[str]:
    r = RULES
    seed, share = dollars(r.jackpot_seed), pct(r.jackpot_share)
    one_in = int(1 / slots.machine().jackpot_fraction())
    natural = Fraction(r.blackjack_payout)
    idle = r.blackjack_idle_s // 60
    bj = blackjack.BASIC_STRATEGY_RTP
    bj_rtp = blackjack.designed_rtp()
    low, high = r.lottery_numbers
    prizes = [f"{m} match{'es' if m > 1 else ''} share{'' if m > 1 else 's'} {pct(s)}"
              for m, s in zip(lottery.prize_matches(r), r.lottery_prize_shares, strict=True)]
    prizes[0] += " of the pool"
    odds = lottery.match_odds(r)
    draws = math.comb(high - low + 1, r.lottery_picks)
    odds_text = ", ".join(
        f"{m} match{'es' if m > 1 else ''} {odds[m] * draws} in {draws:,}"
        for m in lottery.prize_matches(r))
    every_s = Settings.model_fields["lottery_draw_every_s"].default
    lotto_rtp = lottery.designed_rtp(r)
    return [
        # bets
        f"At least {dollars(r.gamble_min_bet)} and at most the tier's maximum",
        f"more than {r.lottery_max_tickets} tickets in a draw",
        # slots
        f"The pool starts at {seed} and grows by {share} of each wager",
        f"adds floor(bet × {share}) to the pool",
        f"The winning spin's own {share} is added before the pool pays",
        f"the pool then starts again at {seed}",
        f"returns exactly RTP {slots.rtp_ex_jackpot()} of each dollar bet, a house edge of"
        f" {pct(slots.house_edge_ex_jackpot())}",
        f"with p = weight/{slots.machine().total_weight}",
        f"comes up 1 in {one_in:,} spins and adds 1/{one_in:,} × pool / bet",
        f"at the {seed} seed a $1,000 spin's designed RTP is"
        f" {slots.designed_rtp(r.jackpot_seed, 1_000)}",
        f"returns {slots.rtp_ex_jackpot() + r.jackpot_share} of each dollar with the {share}"
        " included",
        # blackjack
        f"(blackjack) pays {natural.numerator}:{natural.denominator}",
        f"the player's only: {natural.numerator}:{natural.denominator}",
        f"a $101 natural wins {dollars(floor_share(101, r.blackjack_payout))}",
        f"An idle hand stands after {idle} min",
        f"after {idle} min without one the hand stands by itself",
        f"RTP = {bj.numerator:,} / {bj.denominator:,} ≈ {bj_rtp.quantize(Decimal('1e-12'))}"
        f" per unit bet, a house edge of {_edge(bj_rtp, 4)}",
        # coinflip duels
        f"(min {dollars(r.flip_min_bet)}, one open per player)",
        f"takes both stakes: RTP {coinflip.designed_rtp()}, no house edge",
        f"An open flip expires in {r.flip_expiry_minutes} min with a refund",
        f"a flip past its {r.flip_expiry_minutes} min",
        f"no side means {coinflip.DEFAULT_SIDE}",
        # the lottery
        f"A ticket is {r.lottery_picks} unique numbers from {low} to {high} and costs"
        f" {dollars(r.lottery_ticket_price)}; at most {r.lottery_max_tickets} tickets per"
        " player per draw",
        "The draw is daily at 00:00 UTC",
        f"{pct(r.lottery_pool_share)} of ticket money forms the pool",
        ", ".join(prizes),
        f"`KINGPIN_LOTTERY_DRAW_EVERY_S`, default {every_s}",
        f"**Odds per ticket:** {odds_text}",
        f"**Designed RTP {lotto_rtp}** (a house edge of {pct(1 - lotto_rtp)})",
        # !gamblestats
        f"record per game ({', '.join(gambling_job.GAMES)})",
    ]


@pytest.mark.parametrize("phrase", _gambling_phrases())
def test_gambling_numbers_are_the_code(phrase: str) -> None:
    assert phrase in flat(), phrase


def test_the_stated_returns_are_consistent() -> None:
    """The page's figures of one game agree with each other (the phrases above check each
    against the code)."""
    bj = blackjack.BASIC_STRATEGY_RTP
    assert abs(Fraction(blackjack.designed_rtp()) - bj) < Fraction(1, 10**50)
    assert slots.house_edge_ex_jackpot() == 1 - slots.rtp_ex_jackpot()
    assert (1 / slots.machine().jackpot_fraction()).denominator == 1  # "1 in N spins"
    assert RULES.blackjack_idle_s % 60 == 0  # "after N min"
    assert Settings.model_fields["lottery_draw_every_s"].default == 24 * 3600  # "daily"
    odds = lottery.match_odds(RULES)
    draws = math.comb(RULES.lottery_numbers[1] - RULES.lottery_numbers[0] + 1,
                      RULES.lottery_picks)
    assert all((p * draws).denominator == 1 for p in odds.values())  # "k in 1,140"


def test_gambling_ledger_types_are_the_report() -> None:
    """The ledger types "Gambling" names for stakes and returns are every type the economy
    report files under wagers, gambling payouts and flips."""
    intro = flat().split("## Gambling ", 1)[1].split("**Bets.**", 1)[0]
    named = re.findall(r"`([a-z_]+)`", intro)
    gambling = {economy_report.WAGERS, economy_report.PAYOUTS, economy_report.FLIPS}
    assert sorted(named) == sorted(k for k, v in economy_report.SOURCES.items()
                                   if v in gambling)


def test_the_games_behave_as_the_page_says() -> None:
    """The few rules the page states as facts, run against the pure games."""
    machine = slots.machine()
    pays = {s.symbol: s for s in machine.symbols}
    cherry, lemon = "🍒", "🍋"
    for reels in ((cherry, cherry, lemon), (cherry, lemon, cherry), (lemon, cherry, cherry)):
        result = slots.score(reels, 1_000)  # "exactly two equal reels, in any positions"
        assert (result.kind, result.payout) == ("two", floor_share(1_000, pays[cherry].two))
    assert slots.jackpot_cut(149) == floor_share(149, RULES.jackpot_share)  # floored
    assert coinflip.prize(500) == 2 * 500
    assert coinflip.parse_side("H") == "heads" and coinflip.parse_side("t") == "tails"


# --- economy health ------------------------------------------------------------------------


def test_source_table_is_the_report() -> None:
    rows = table("source", "ledger rows", "kind")
    labels = [r["source"] for r in rows]
    assert len(set(labels)) == len(labels)
    by_label: dict[str, list[str]] = {}
    for event_type, label in economy_report.SOURCES.items():
        by_label.setdefault(label, []).append(event_type)
    by_label[economy_report.REWARDS] = [f"{economy_report.SUPPORT_PREFIX}*"]
    assert sorted(labels) == sorted(by_label)
    for row in rows:
        shown = re.findall(r"`([^`]+)`", row["ledger rows"])
        assert shown == by_label[row["source"]], row["source"]
        transfer = row["source"] in economy_report.TRANSFER_LABELS
        assert row["kind"] == ("transfer" if transfer else "created / destroyed"), row["source"]
    assert economy_report.source_of("support_sub") == economy_report.REWARDS
    assert economy_report.source_of("no_such_type") == economy_report.OTHER
    assert f"counted by its sign under {economy_report.OTHER}" in flat()


def _health_phrases() -> list[str]:
    windows = economy_job.WINDOWS
    assert list(windows) == ["day", "week"]
    assert windows["day"] == timedelta(days=1)
    top = economy_report.TOP_SHARE
    return [
        f"(at most {economy_report.ONE_LINE_MAX} characters",
        f"the last {windows['day'] // timedelta(hours=1)} h or"
        f" {windows['week'] // timedelta(days=1)} days up to now",
        f"the richest {pct(top)}'s share",
        f"The richest {pct(top)} are the top floor({pct(top)} × players) players, at least one",
        f"coinflip {coinflip.designed_rtp()}; the lottery {lottery.designed_rtp(RULES)}",
    ]


@pytest.mark.parametrize("phrase", _health_phrases())
def test_health_numbers_are_the_code(phrase: str) -> None:
    assert phrase in flat(), phrase


@pytest.mark.parametrize("pool", [RULES.jackpot_seed, 123_456])
def test_the_designed_returns_are_the_ones_described(pool: int) -> None:
    """!economy's designed column: slots for a $1,000 spin with the pool as it stands, the
    basic-strategy blackjack RTP, coinflip 1, the lottery's pool share."""
    assert "with the jackpot as it stands, for a $1,000 spin" in flat()
    assert economy_job.designed_returns(pool, RULES) == {
        "slots": slots.designed_rtp(pool, 1_000), "blackjack": blackjack.designed_rtp(),
        "coinflip": coinflip.designed_rtp(), "lottery": lottery.designed_rtp(RULES)}
    assert economy_report.top_count(150) == 1 and economy_report.top_count(250) == 2


# --- kingpin economy simulate --------------------------------------------------------------


def test_simulate_usage_is_the_cli() -> None:
    parser = economy_cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sim = sub.choices["simulate"]
    options = [o for a in sim._actions for o in a.option_strings if o.startswith("--")
               and o != "--help"]
    line = next(line for line in text().splitlines()
                if line.startswith("`kingpin economy simulate "))
    shown = re.findall(r"--[a-z]+", line)
    assert shown == options
    header = ", ".join(simulate.TABLE_HEADER[1:])
    assert f"then a table of the days ({header})" in flat()


def test_simulate_defaults_are_the_code() -> None:
    config = simulate.SimConfig()
    mix = ", ".join(f"{pct(share)} {kind}" for kind, share in simulate.DEFAULT_MIX.items())
    assert (f"Defaults: {config.players} players, {config.days} days, seed {config.seed},"
            f" everyone starting with {dollars(config.start_wealth)}, the mix {mix}") in flat()
    habits = ", ".join(f"`{f.name}`" for f in dataclasses.fields(simulate.Archetype))
    assert f"`[archetypes.<name>]` (the habits: {habits})" in flat()


def test_archetype_table_is_the_code() -> None:
    rows = table("archetype", "shows up", "session", "messages", "plays", "check-in", "robs",
                 "jailed", "slots", "blackjack", "flips", "tickets")
    assert [r["archetype"] for r in rows] == list(simulate.ARCHETYPES)

    def game(count: float, bet: Decimal) -> str:
        return f"{_number(count)} at {pct(bet)}" if count else "0"

    for row in rows:
        a = simulate.ARCHETYPES[row["archetype"]]
        assert row == {
            "archetype": row["archetype"], "shows up": pct(a.present),
            "session": f"{a.session_minutes} min", "messages": _number(a.messages),
            "plays": _number(a.plays), "check-in": pct(a.checkin), "robs": _number(a.robs),
            "jailed": "pays bail" if a.bails else "waits",
            "slots": game(a.slots, a.slots_bet), "blackjack": game(a.blackjack, a.blackjack_bet),
            "flips": game(a.flips, a.flip_bet), "tickets": _number(a.lottery),
        }, row["archetype"]
