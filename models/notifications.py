"""What happened to a player while they were not looking (``!inbox``), kept 30 days."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.communities import Community
from models.economy import _community, _user
from models.players import User


class UserNotification(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    kind = fields.CharField(max_length=24)  # robbed, item_stolen, level_up, crate_drop, heist
    text = fields.CharField(max_length=500)
    created_at = fields.DatetimeField(db_index=True)
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "user_notifications"
        indexes = (("community_id", "user_id", "created_at"),)
