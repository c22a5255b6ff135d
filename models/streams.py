"""Streaming sessions."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.communities import Community


class StreamingSession(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    title = fields.CharField(max_length=200, default="")
    platform = fields.CharField(max_length=16, null=True)
    channel = fields.CharField(max_length=128, null=True)
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True, db_index=True)
    started_by = fields.CharField(max_length=200, default="")

    class Meta:
        table = "streaming_sessions"
