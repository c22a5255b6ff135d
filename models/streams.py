"""Streaming sessions."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class StreamingSession(Model):
    id = fields.BigIntField(primary_key=True)
    title = fields.CharField(max_length=200, default="")
    platform = fields.CharField(max_length=16, null=True)
    channel = fields.CharField(max_length=128, null=True)
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True, db_index=True)
    started_by = fields.CharField(max_length=200, default="")

    class Meta:
        table = "streaming_sessions"
