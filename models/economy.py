"""The economy: the item catalogue, inventories, shops and the black market, supplies and
buffs, insurance, business revenue, and the cron bookkeeping that runs each due time once.

The catalogue tables (``items``) are shared content seeded from game/content by ``kingpin
seed``; everything else is per community. Per-community tables here carry ``community_id``
without a database constraint to ``communities`` (rows come from play, rob and the crons:
docs/architecture.md, "Hot rows"); the player's foreign key keeps them consistent (a
community's players cascade, and their rows with them).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.communities import Community
from models.players import User


def _community() -> fields.ForeignKeyRelation[Community]:
    return fields.ForeignKeyField("models.Community", related_name=False,
                                  on_delete=fields.CASCADE, db_constraint=False)


def _user() -> fields.ForeignKeyRelation[User]:
    return fields.ForeignKeyField("models.User", related_name=False, on_delete=fields.CASCADE)


class Item(Model):
    """The catalogue (game/content/items.toml): weapons, armor, businesses, housing."""

    # the content key (``rusty_knife``): what user_inventory.item_id and the others hold
    key = fields.CharField(max_length=50, primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    type = fields.CharField(max_length=50)
    tier = fields.CharField(max_length=50)
    base_durability = fields.IntField(default=100)
    rob_bonus = fields.DecimalField(max_digits=5, decimal_places=2, default=0)
    defense_bonus = fields.DecimalField(max_digits=5, decimal_places=2, default=0)
    revenue_min = fields.IntField(default=0)
    revenue_max = fields.IntField(default=0)
    operating_cost = fields.IntField(default=0)
    insurance_percent = fields.DecimalField(max_digits=5, decimal_places=2, default=0)
    upkeep_cost = fields.IntField(default=0)
    purchase_price = fields.BigIntField()
    sell_price = fields.BigIntField()

    class Meta:
        table = "items"


class UserInventory(Model):
    """An item a player holds: in the inventory, equipped in its slot, or in escrow until
    ``escrow_expires_at`` (overflow from crates, thefts and merges)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    item: fields.ForeignKeyRelation[Item] = fields.ForeignKeyField(
        "models.Item", related_name=False, on_delete=fields.RESTRICT)
    durability = fields.IntField()
    is_equipped = fields.BooleanField(default=False)
    slot = fields.CharField(max_length=50, null=True)  # set while equipped
    is_escrowed = fields.BooleanField(default=False)
    escrow_expires_at = fields.DatetimeField(null=True)
    # where the player was when it went to escrow: told there if it expires unclaimed
    notify_platform = fields.CharField(max_length=16, default="")
    notify_channel = fields.CharField(max_length=128, default="")
    acquired_at = fields.DatetimeField(auto_now_add=True)
    equipped_at = fields.DatetimeField(null=True)

    class Meta:
        table = "user_inventory"
        indexes = (("community_id", "user_id"), ("escrow_expires_at",))


class PlayerShopInventory(Model):
    """A player's personal shop (``!shop``), rolled on first look and by ``!reroll``."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    item: fields.ForeignKeyRelation[Item] = fields.ForeignKeyField(
        "models.Item", related_name=False, on_delete=fields.CASCADE)
    price = fields.BigIntField()
    rolled_at = fields.DatetimeField()

    class Meta:
        table = "player_shop_inventory"
        unique_together = (("community_id", "user_id", "item_id"),)


class BlackMarketInventory(Model):
    """One offer of a community's black market rotation (``!market``); stock is shared."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    item: fields.ForeignKeyRelation[Item] = fields.ForeignKeyField(
        "models.Item", related_name=False, on_delete=fields.CASCADE)
    rotation_at = fields.DatetimeField()  # the due time of the rotation that stocked it
    stock = fields.IntField()
    initial_stock = fields.IntField()
    price = fields.BigIntField()
    featured = fields.BooleanField(default=False)

    class Meta:
        table = "black_market_inventory"
        unique_together = (("community_id", "rotation_at", "item_id"),)


class ActiveBuff(Model):
    """A consumable buff in effect (one per category)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    category = fields.CharField(max_length=20)
    buff_key = fields.CharField(max_length=50)
    multiplier = fields.DecimalField(max_digits=6, decimal_places=3)
    expires_at = fields.DatetimeField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "active_buffs"
        unique_together = (("community_id", "user_id", "category"),)


class UserConsumable(Model):
    """Consumables held: Bail Bonds, Reroll Tokens, Crate Magnets."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    key = fields.CharField(max_length=50)
    quantity = fields.IntField(default=0)

    class Meta:
        table = "user_consumables"
        unique_together = (("community_id", "user_id", "key"),)


class UserInsurance(Model):
    """A player's insurance plan (``!insure``), charged daily."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    plan = fields.CharField(max_length=20)
    share = fields.DecimalField(max_digits=4, decimal_places=2)
    premium = fields.BigIntField()
    started_at = fields.DatetimeField()
    paid_until = fields.DatetimeField()  # the first premium is paid when the plan is taken

    class Meta:
        table = "user_insurance"
        unique_together = (("community_id", "user_id"),)


class HousingDebt(Model):
    """Days of unpaid housing upkeep (GAME.md: ≥3 debuffs play wealth, ≥7 evicts)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    debt_days = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "housing_debt"
        unique_together = (("community_id", "user_id"),)


class BusinessRevenueHistory(Model):
    """Every business payout (and its day, for the daily cap)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    item: fields.ForeignKeyRelation[Item] = fields.ForeignKeyField(
        "models.Item", related_name=False, on_delete=fields.CASCADE)
    amount = fields.BigIntField()
    due_at = fields.DatetimeField()
    collected_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "business_revenue_history"
        unique_together = (("community_id", "user_id", "due_at"),)
        indexes = (("community_id", "user_id", "collected_at"),)


class CronRun(Model):
    """One run of a scheduled job for a community at one due time: the row is the claim, so
    the run happens once however many workers tick, and a due time missed while no worker
    ran is found (no row) and run once when they come back."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    job = fields.CharField(max_length=40)
    due_at = fields.DatetimeField()
    ran_at = fields.DatetimeField(auto_now_add=True)
    result: fields.Field[dict] = fields.JSONField(default=dict)  # type: ignore[type-arg]

    class Meta:
        table = "cron_runs"
        unique_together = (("community_id", "job", "due_at"),)
