"""Live streams: sessions, what supporters gave in them (the Juicernaut), the monetization
events that rewarded them, and each community's reward numbers and channel-point mappings.
Per community; the hot ones without a database constraint to ``communities``
(models/economy.py says why)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.communities import Community
from models.economy import _community
from models.players import User


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
    # the Juicernaut: the session's top contributor (taken only by a strictly higher total)
    juicernaut: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.SET_NULL, null=True)
    juicernaut_usd = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    total_usd = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    # what the session's end paid the crown holder (a ledger row has the money too)
    reward_wealth = fields.BigIntField(null=True)
    summary = fields.TextField(null=True)

    class Meta:
        table = "streaming_sessions"
        indexes = (("community_id", "ended_at"),)


class SessionContribution(Model):
    """A supporter's total in one session, in USD (GAME.md's rates)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    session: fields.ForeignKeyRelation[StreamingSession] = fields.ForeignKeyField(
        "models.StreamingSession", related_name=False, on_delete=fields.CASCADE)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.CASCADE)
    usd = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    events = fields.IntField(default=0)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "session_contributions"
        unique_together = (("community_id", "session_id", "user_id"),)


class MonetizationEvent(Model):
    """One support event as the platform sent it (a sub, a gift of n subs, bits, kicks, a
    raid, a donation), with what it paid. ``user`` is null while the giver is known only by
    a username nobody in the community has yet (credited when that account first appears)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    platform = fields.CharField(max_length=16)
    event_id = fields.CharField(max_length=128)
    kind = fields.CharField(max_length=32)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.SET_NULL, null=True)
    platform_user_id = fields.CharField(max_length=128, null=True)
    username = fields.CharField(max_length=200, default="")
    quantity = fields.BigIntField(default=1)  # subs gifted, bits, kicks, viewers, cents
    tier = fields.SmallIntField(null=True)
    usd = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    wealth = fields.BigIntField(default=0)
    xp = fields.BigIntField(default=0)
    session: fields.ForeignKeyNullableRelation[StreamingSession] = fields.ForeignKeyField(
        "models.StreamingSession", related_name=False, on_delete=fields.SET_NULL, null=True)
    created_at = fields.DatetimeField()
    credited_at = fields.DatetimeField(null=True)

    class Meta:
        table = "monetization_events"
        unique_together = (("community_id", "platform", "event_id"),)
        indexes = (("community_id", "platform", "credited_at"),)


class RewardConfig(Model):
    """A community's reward for one kind of support (``sub_t1``, ``gift_sub``, ``bits_100``,
    ``kick``, ``raid_viewer``, ``donation_usd``, ``gift_recipient``); a kind without a row
    pays GAME.md's default (game/monetization.py)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    kind = fields.CharField(max_length=32)
    wealth = fields.BigIntField(default=0)
    xp = fields.BigIntField(default=0)
    crate_tier = fields.CharField(max_length=20, null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reward_config"
        unique_together = (("community_id", "kind"),)


class RedemptionMapping(Model):
    """``economy.live_mode = channel_points``: a Twitch channel-point reward or Kick reward
    (by id, or by its folded title) that runs a command."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    platform = fields.CharField(max_length=16)
    reward = fields.CharField(max_length=200)  # the reward id, or the folded title
    command = fields.CharField(max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "redemption_mappings"
        unique_together = (("community_id", "platform", "reward"),)
