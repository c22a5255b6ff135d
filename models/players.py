"""Players (``users``) and their platform accounts (``player_identities``)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.communities import Community


class User(Model):
    """One person across all platforms. Balances change only together with a ledger row."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    username = fields.CharField(max_length=100)
    display_name = fields.CharField(max_length=100, null=True)
    wealth = fields.BigIntField(default=0)
    xp = fields.BigIntField(default=0)
    level = fields.IntField(default=1)
    status_tier = fields.CharField(max_length=50, default="Punk")
    checkin_streak = fields.IntField(default=0)
    last_checkin_date = fields.DateField(null=True)
    total_play_count = fields.IntField(default=0)
    wins = fields.IntField(default=0)
    losses = fields.IntField(default=0)
    rob_count = fields.IntField(default=0)
    rob_success_count = fields.IntField(default=0)
    messages_sent = fields.BigIntField(default=0)
    lifetime_wealth_earned = fields.BigIntField(default=0)
    last_chat_reward_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    last_seen = fields.DatetimeField(auto_now_add=True)

    class Meta:
        # no index on a counter that commands change (xp, wealth, messages): each made every
        # command's update of the row write index entries instead of a HOT update in place;
        # the boards read leaderboard_snapshots
        table = "users"


class PlayerIdentity(Model):
    """One platform account of a player: identity is the platform user id, never the name."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="identities", on_delete=fields.CASCADE
    )
    platform = fields.CharField(max_length=16)
    platform_user_id = fields.CharField(max_length=128)
    username = fields.CharField(max_length=100)
    username_key = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "player_identities"
        unique_together = (("community_id", "platform", "platform_user_id"),)
        # one name index serves both lookups (by name on a platform, and by name anywhere), and
        # shares no prefix with the unique key beyond community_id, so the planner never scans
        # a platform's names to find a platform user id
        indexes = (("community_id", "username_key", "platform"),)
