"""Timed player state: cooldowns and jail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.communities import Community

if TYPE_CHECKING:
    from models.players import User


class Cooldown(Model):
    id = fields.BigIntField(primary_key=True)
    # no database constraint: every row of this hot table would take a FOR KEY SHARE lock
    # on its community's one row (docs/architecture.md, "Hot rows"); the value comes from the
    # player's row or the channel directory, never from input
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE, db_constraint=False
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="cooldowns", on_delete=fields.CASCADE
    )
    command_type = fields.CharField(max_length=50)
    # '' for a command's own cooldown, a player id for per-target ones
    target_identifier = fields.CharField(max_length=255, default="")
    expires_at = fields.DatetimeField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cooldowns"
        unique_together = (("community_id", "user_id", "command_type", "target_identifier"),)


class Jail(Model):
    """A player currently in jail. Removed on bail or by the expiry job."""

    id = fields.BigIntField(primary_key=True)
    # no database constraint: every row of this hot table would take a FOR KEY SHARE lock
    # on its community's one row (docs/architecture.md, "Hot rows"); the value comes from the
    # player's row or the channel directory, never from input
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE, db_constraint=False
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="jail", on_delete=fields.CASCADE
    )
    jailed_at = fields.DatetimeField()
    release_at = fields.DatetimeField(db_index=True)
    reason = fields.CharField(max_length=100, default="")

    class Meta:
        table = "jail"
        unique_together = (("community_id", "user_id"),)
