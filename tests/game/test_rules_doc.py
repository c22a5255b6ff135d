"""docs/rules.md against the data it describes: the economy's tables (items, supplies,
insurance plans, crates, drop odds, titles, shops, the Black Market) against ``catalogue()``
and ``Rules``, the economy's numbers in the prose against ``Rules``, and the "Commands:"
lines against the command registry. A number changed in the page or in the data alone fails
here, so the page cannot drift."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from game.catalogue import ITEM_TIERS, ITEM_TYPES, Item, catalogue
from game.commands import USAGE
from game.rules import DEFAULT_RULES, Tier
from game.supplies import CATEGORY_LABELS

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
    assert len(catalogue().titles) == 40


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
    assert sorted(shown) == sorted(ECONOMY_COMMANDS)
    for name, usage in shown.items():
        assert f"usage: {usage}" == USAGE[name], name
