"""Crates and titles: the crate catalogue (shared content, seeded from game/content), and
each community's crates held, crates opened and titles won."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.communities import Community
from models.economy import _community, _user
from models.players import User


class CrateType(Model):
    tier = fields.CharField(max_length=20, primary_key=True)
    name = fields.CharField(max_length=100)
    wealth_min = fields.BigIntField()
    wealth_max = fields.BigIntField()
    duplicate_title_payout = fields.BigIntField()

    class Meta:
        table = "crate_types"


class CrateLootTable(Model):
    """A weight of a crate: ``kind`` content (weapon, armor, wealth, title) or item_tier."""

    id = fields.IntField(primary_key=True)
    crate: fields.ForeignKeyRelation[CrateType] = fields.ForeignKeyField(
        "models.CrateType", related_name=False, on_delete=fields.CASCADE)
    table_name = fields.CharField(max_length=20)  # contents | item_tiers
    entry = fields.CharField(max_length=20)
    weight = fields.IntField()

    class Meta:
        table = "crate_loot_tables"
        unique_together = (("crate_id", "table_name", "entry"),)


class CrateTitle(Model):
    key = fields.CharField(max_length=60, primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    tier = fields.CharField(max_length=20)

    class Meta:
        table = "crate_titles"


class UserCrate(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    tier = fields.CharField(max_length=20)
    source = fields.CharField(max_length=40)
    is_escrowed = fields.BooleanField(default=False)
    escrow_expires_at = fields.DatetimeField(null=True)
    # where the player was when it went to escrow: told there if it expires unclaimed
    notify_platform = fields.CharField(max_length=16, default="")
    notify_channel = fields.CharField(max_length=128, default="")
    acquired_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user_crates"
        indexes = (("community_id", "user_id"), ("escrow_expires_at",))


class CrateOpen(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    tier = fields.CharField(max_length=20)
    kind = fields.CharField(max_length=20)
    item_key = fields.CharField(max_length=50, null=True)
    title_key = fields.CharField(max_length=60, null=True)
    wealth = fields.BigIntField(default=0)
    duplicate = fields.BooleanField(default=False)
    placed = fields.CharField(max_length=20, default="")  # inventory | escrow | lost
    opened_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "crate_opens"
        indexes = (("community_id", "user_id", "opened_at"),)


class UserTitle(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    title: fields.ForeignKeyRelation[CrateTitle] = fields.ForeignKeyField(
        "models.CrateTitle", related_name=False, on_delete=fields.CASCADE)
    is_equipped = fields.BooleanField(default=False)
    unlocked_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user_titles"
        unique_together = (("community_id", "user_id", "title_id"),)
