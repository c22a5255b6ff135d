"""Delivery bookkeeping: applied events and flushed chat-activity batches."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.communities import Community


class ProcessedEvent(Model):
    """Written in the same transaction as an event's effect: the apply-side dedup."""

    id = fields.BigIntField(primary_key=True)
    # no database constraint: every row of this hot table would take a FOR KEY SHARE lock
    # on its community's one row (docs/architecture.md, "Hot rows"); the value comes from the
    # player's row or the channel directory, never from input
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE, db_constraint=False
    )
    platform = fields.CharField(max_length=16)
    event_id = fields.CharField(max_length=128)
    kind = fields.CharField(max_length=40)
    processed_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    # The event's replies (JSON list), written with the commit: a worker that dies after
    # the commit but before pushing leaves them here for the re-run (delivery guarantee 6).
    replies = fields.TextField(null=True)
    batch_id = fields.CharField(max_length=64, null=True)  # the published batch that applied it

    class Meta:
        table = "processed_events"
        unique_together = (("community_id", "platform", "event_id"),)


class EventBatchQueue(Model):
    """One row per chat-activity batch flushed from Redis; its batch id makes the flush
    idempotent."""

    id = fields.BigIntField(primary_key=True)
    batch_id = fields.CharField(max_length=64, unique=True)
    status = fields.CharField(max_length=20, default="applied")
    event_count = fields.IntField(default=0)
    player_count = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "event_batch_queue"
