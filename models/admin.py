"""Bot configuration and the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.communities import Community

if TYPE_CHECKING:
    from models.players import User


class BotConfig(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=100)
    value: fields.Field[Any] = fields.JSONField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "bot_config"
        unique_together = (("community_id", "key"),)


class AuditLog(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    actor_platform = fields.CharField(max_length=16, default="")
    actor_name = fields.CharField(max_length=100, default="")
    action = fields.CharField(max_length=50)
    target: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="audit_targets", null=True, on_delete=fields.SET_NULL
    )
    details: fields.Field[Any] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_log"
        indexes = (("community_id", "created_at"),)
