"""Items a player holds: where a new one goes, what it sells for, wear, slots and escrow
(GAME.md "Items, inventory, !equip, !sell"; crates share the placement rule, "Crates").

A new item (bought, dropped, stolen, merged) goes into the inventory while it has room, else
into escrow while a slot is free (``!escrow claim`` moves it back within ``escrow_hours``),
else it is lost and the player is told so. Crates follow the same rule with their own hold
and their own, shorter escrow.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import datetime, timedelta
from typing import Literal, Protocol, TypeVar

from game.catalogue import ITEM_TYPES, Item, ItemType
from game.commands import USAGE
from game.errors import NotAllowed, UsageError
from game.matching import fold
from game.rules import DEFAULT_RULES, Rules, floor_share

Placement = Literal["inventory", "escrow", "lost"]
Slot = ItemType
SLOTS: tuple[Slot, ...] = ITEM_TYPES
K = TypeVar("K", bound=Hashable)
# what is equipped, by slot (``Slot`` keys, or plain ``str`` ones as rows hold them)
Equipped = Mapping[str, K] | Mapping[Slot, K]


class Rng(Protocol):
    def randint(self, a: int, b: int) -> int: ...


# --- placement -----------------------------------------------------------------------------


def place(held: int, escrowed: int, cap: int, escrow_slots: int) -> Placement:
    """Where one more goes: the inventory while ``held < cap``, else escrow while
    ``escrowed < escrow_slots``, else lost."""
    if held < cap:
        return "inventory"
    if escrowed < escrow_slots:
        return "escrow"
    return "lost"


def place_item(held: int, escrowed: int, rules: Rules = DEFAULT_RULES) -> Placement:
    return place(held, escrowed, rules.inventory_cap, rules.escrow_slots)


def place_crate(held: int, escrowed: int, rules: Rules = DEFAULT_RULES) -> Placement:
    return place(held, escrowed, rules.crate_hold, rules.crate_escrow_slots)


def escrow_expiry(now: datetime, rules: Rules = DEFAULT_RULES) -> datetime:
    """When an item put in escrow ``now`` is gone if not claimed."""
    return now + timedelta(hours=rules.escrow_hours)


def crate_escrow_expiry(now: datetime, rules: Rules = DEFAULT_RULES) -> datetime:
    return now + timedelta(hours=rules.crate_escrow_hours)


def claimable(n_escrowed: int, held: int, cap: int) -> int:
    """How many of ``n_escrowed`` (unexpired) fit back into an inventory holding ``held``."""
    return max(0, min(n_escrowed, cap - held))


# --- selling and wear ----------------------------------------------------------------------


def sell_price(item: Item, rules: Rules = DEFAULT_RULES) -> int:
    """``floor(price × sell_share)``, whatever the item's wear."""
    return floor_share(item.price, rules.sell_share)


def wear_loss(rng: Rng, rules: Rules = DEFAULT_RULES) -> int:
    """Durability one rob takes off the attacker's weapon and off the target's armor."""
    return rng.randint(*rules.durability_loss)


def wear(durability: int, loss: int) -> tuple[int, bool]:
    """(durability after losing ``loss``, never below 0; broken: it reached 0). A broken item
    is destroyed (removed from the inventory, the player told)."""
    if loss < 0:
        raise ValueError("wear never repairs")
    left = max(0, durability - loss)
    return left, left == 0


# --- owning and equipping ------------------------------------------------------------------


def check_can_own(item: Item, owned_businesses: int, rules: Rules = DEFAULT_RULES) -> None:
    """Refuses a business beyond ``businesses_owned_max`` (held in the inventory or in
    escrow: the caller counts both). Anything else may be owned."""
    if item.type == "business" and owned_businesses >= rules.businesses_owned_max:
        raise NotAllowed(
            f"you own {owned_businesses} businesses — the most you can have;"
            " !sell one first"
        )


def slot_for(item: Item) -> Slot:
    return item.slot


def check_equip(item: Item, item_id: K, equipped: Equipped[K]) -> K | None:
    """Equipping ``item`` (the held one with id ``item_id``): what comes out of its slot (the
    id of the item equipped there now), or ``None`` if the slot is empty. Refuses the item
    that is equipped already. Equipped items stay in the inventory (they count towards
    ``inventory_cap``; equipping only marks them), so swapping never overflows."""
    current = equipped.get(slot_for(item))
    if current == item_id:
        raise NotAllowed(f"your {item.name} is already equipped")
    return current


_SLOT_WORDS: dict[str, Slot] = {
    "weapon": "weapon", "weapons": "weapon",
    "armor": "armor", "armors": "armor", "armour": "armor", "armours": "armor",
    "business": "business", "businesses": "business",
    "housing": "housing", "housings": "housing",
}
UNEQUIP_USAGE = USAGE["unequip"]


def parse_slot(text: str) -> Slot:
    """``!unequip <slot>``: one of the four slot names, any case, singular or plural."""
    slot = _SLOT_WORDS.get(fold(text))
    if slot is None:
        raise UsageError(UNEQUIP_USAGE)
    return slot


def check_unequip(slot: Slot, equipped: Equipped[K]) -> K:
    """The id of what ``!unequip <slot>`` takes off; refuses an empty slot."""
    current = equipped.get(slot)
    if current is None:
        raise NotAllowed(f"you have no {slot} equipped")
    return current
