"""Heists: the schedule per community, each heist run, the recent content per type (no
repeat within the last 10) and the content pools (game/content/heists.toml, seeded)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.communities import Community
from models.economy import _community
from models.players import User
from models.streams import StreamingSession


class HeistSchedule(Model):
    """When the community's next heist is due (null: none, while one runs or offline)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    session: fields.ForeignKeyNullableRelation[StreamingSession] = fields.ForeignKeyField(
        "models.StreamingSession", related_name=False, on_delete=fields.SET_NULL, null=True)
    next_at = fields.DatetimeField(null=True, db_index=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "heist_schedule"
        unique_together = (("community_id",),)


class HeistEvent(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    session: fields.ForeignKeyNullableRelation[StreamingSession] = fields.ForeignKeyField(
        "models.StreamingSession", related_name=False, on_delete=fields.SET_NULL, null=True)
    kind = fields.CharField(max_length=16)
    content_key = fields.CharField(max_length=64)
    prompt = fields.TextField()
    answer = fields.CharField(max_length=200)  # shown at the end
    accepted: fields.JSONField[list[str]] = fields.JSONField()  # the normalized forms that win
    started_by = fields.CharField(max_length=200, default="")  # a mod's !heist start
    started_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    status = fields.CharField(max_length=10, default="active")  # active | won | expired
    winner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.SET_NULL, null=True)
    winner_name = fields.CharField(max_length=200, null=True)
    winner_platform = fields.CharField(max_length=16, null=True)
    winner_received_at = fields.DatetimeField(null=True)
    grace_s = fields.IntField(default=3)  # the community's grace window when it started
    candidates = fields.IntField(default=0)  # correct answers seen in the grace window
    grace_ends_at = fields.DatetimeField(null=True)  # the grace window after the first
    crate_tier = fields.CharField(max_length=20, null=True)
    resolved_at = fields.DatetimeField(null=True)
    # the announcement and the result reached the outbox (re-sent by the tick if a worker
    # died between the commit and the push)
    announced_at = fields.DatetimeField(null=True)
    result_announced_at = fields.DatetimeField(null=True)

    class Meta:
        table = "heist_events"
        indexes = (("status", "ends_at"), ("community_id", "status"),
                   ("community_id", "started_at"))


class HeistRecentEvent(Model):
    """Content used by the community's recent heists of a type (kept: the last 10)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    kind = fields.CharField(max_length=16)
    content_key = fields.CharField(max_length=64)
    used_at = fields.DatetimeField()

    class Meta:
        table = "heist_recent_events"
        indexes = (("community_id", "kind", "used_at"),)


class HeistGrabPhrase(Model):
    key = fields.CharField(max_length=64, primary_key=True)
    text = fields.CharField(max_length=200)

    class Meta:
        table = "heist_grab_phrases"


class HeistScrambleWord(Model):
    key = fields.CharField(max_length=64, primary_key=True)
    word = fields.CharField(max_length=64)

    class Meta:
        table = "heist_scramble_words"


class HeistRiddle(Model):
    key = fields.CharField(max_length=64, primary_key=True)
    question = fields.TextField()
    answer = fields.CharField(max_length=200)
    also: fields.JSONField[list[str]] = fields.JSONField(default=list)

    class Meta:
        table = "heist_riddles"


class HeistTrivia(Model):
    key = fields.CharField(max_length=64, primary_key=True)
    question = fields.TextField()
    answer = fields.CharField(max_length=200)
    also: fields.JSONField[list[str]] = fields.JSONField(default=list)

    class Meta:
        table = "heist_trivia"
