"""The ledger: every wealth/XP change is a row here, written with the balance change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.communities import Community

if TYPE_CHECKING:
    from models.players import User


class GameEvent(Model):
    id = fields.BigIntField(primary_key=True)
    # no database constraint: every row of this hot table would take a FOR KEY SHARE lock
    # on its community's one row (docs/architecture.md, "Hot rows"); the value comes from the
    # player's row or the channel directory, never from input
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE, db_constraint=False
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="game_events", on_delete=fields.RESTRICT
    )
    event_type = fields.CharField(max_length=40)
    wealth_delta = fields.BigIntField(default=0)
    xp_delta = fields.BigIntField(default=0)
    description = fields.TextField(default="")
    source_key = fields.CharField(max_length=200, null=True)
    # what the projector needs beyond the deltas (a rob's target and outcome, a crate's
    # tier, the messages a chat flush counted...): small, written only where it says more
    detail: fields.Field[Any] = fields.JSONField(null=True)
    # the writing transaction's id (``xid8``, ``DEFAULT pg_current_xact_id()``, added by the
    # progression migration and not declared here: no insert names it) orders the projector
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "game_events"
        indexes = (("user_id", "created_at"), ("community_id", "created_at"))
