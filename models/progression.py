"""Progress: everything the projector (jobs/projector.py) derives from the ledger.

DESIGN.md "Progress is a projection of the ledger": no command writes these rows. The
projector reads new ``game_events`` rows in commit order and updates the per-period counters
(``leaderboard_snapshots``), missions, achievements and faction scores; the catalogues
(mission templates, achievements, factions) are shared content seeded from game/content.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.communities import Community
from models.economy import _community, _user
from models.players import User


class ProjectorState(Model):
    """The projector's watermark: the last (transaction id, ledger id) it projected, written
    in the transaction that writes the projection (exactly once)."""

    name = fields.CharField(max_length=40, primary_key=True)
    last_xid = fields.BigIntField(default=0)  # game_events.xid (xid8) as a number
    last_id = fields.BigIntField(default=0)
    rows_projected = fields.BigIntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "projector_state"


class LeaderboardSnapshot(Model):
    """One player's counters for one period (daily, weekly, monthly, annual, lifetime): the
    leaderboards, mission progress and weekly faction shares read these."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    period = fields.CharField(max_length=10)
    period_start = fields.DateField()
    wealth_earned = fields.BigIntField(default=0)
    xp_earned = fields.BigIntField(default=0)
    messages = fields.BigIntField(default=0)
    plays = fields.BigIntField(default=0)
    robs = fields.BigIntField(default=0)
    rob_wins = fields.BigIntField(default=0)
    defenses = fields.BigIntField(default=0)
    checkins = fields.BigIntField(default=0)
    crates_opened = fields.BigIntField(default=0)
    contributed_cents = fields.BigIntField(default=0)
    gambling_net = fields.BigIntField(default=0)
    gambling_games = fields.BigIntField(default=0)
    gambling_wins = fields.BigIntField(default=0)
    heists_won = fields.BigIntField(default=0)
    missions_done = fields.BigIntField(default=0)
    faction_points = fields.BigIntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "leaderboard_snapshots"
        unique_together = (("community_id", "period", "period_start", "user_id"),)


class LeaderboardHistory(Model):
    """A finished period's top places per metric, archived once at its rollover."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    period = fields.CharField(max_length=10)
    period_start = fields.DateField()
    metric = fields.CharField(max_length=24)
    rank = fields.IntField()
    value = fields.BigIntField()
    archived_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "leaderboard_history"
        unique_together = (("community_id", "period", "period_start", "metric", "rank"),)


class HallOfFameRecord(Model):
    """The community's all-time records (biggest rob, longest streak, biggest jackpot, most
    Juicernaut wins, richest ever): one row per record, replaced when beaten."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    record = fields.CharField(max_length=24)
    value = fields.BigIntField()
    detail = fields.CharField(max_length=200, default="")
    set_at = fields.DatetimeField()

    class Meta:
        table = "hall_of_fame_records"
        unique_together = (("community_id", "record"),)


class PlayerProgress(Model):
    """Running state the counters cannot hold: the current and best rob-win streak, the
    distinct items a player has owned, and the like (``state``: small JSON)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    rob_streak = fields.IntField(default=0)
    rob_streak_best = fields.IntField(default=0)
    items_seen: fields.Field[Any] = fields.JSONField(default=list)  # item keys ever owned
    state: fields.Field[Any] = fields.JSONField(default=dict)

    class Meta:
        table = "player_progress"
        unique_together = (("community_id", "user_id"),)


class MissionTemplate(Model):
    key = fields.CharField(max_length=60, primary_key=True)
    period = fields.CharField(max_length=10)  # daily | weekly
    category = fields.CharField(max_length=20)
    difficulty = fields.CharField(max_length=10)  # easy | medium | hard
    objective = fields.CharField(max_length=24)  # a leaderboard_snapshots counter
    target = fields.IntField()
    luck = fields.BooleanField(default=False)
    description = fields.CharField(max_length=200)

    class Meta:
        table = "mission_templates"


class UserMission(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    template: fields.ForeignKeyRelation[MissionTemplate] = fields.ForeignKeyField(
        "models.MissionTemplate", related_name=False, on_delete=fields.CASCADE)
    period = fields.CharField(max_length=10)
    period_start = fields.DateField()
    target = fields.IntField()
    progress = fields.BigIntField(default=0)
    assigned_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)
    claimed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "user_missions"
        unique_together = (("community_id", "user_id", "period", "period_start",
                            "template_id"),)


class MissionCompletion(Model):
    """A claimed mission or period bonus (``key``: the template's key or ``bonus``): the
    unique key makes a claim pay once."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    period = fields.CharField(max_length=10)
    period_start = fields.DateField()
    key = fields.CharField(max_length=60)
    wealth = fields.BigIntField(default=0)
    xp = fields.BigIntField(default=0)
    crate = fields.CharField(max_length=20, null=True)
    claimed_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "mission_completions"
        unique_together = (("community_id", "user_id", "period", "period_start", "key"),)


class Achievement(Model):
    key = fields.CharField(max_length=60, primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    category = fields.CharField(max_length=20)
    metric = fields.CharField(max_length=30)
    threshold = fields.BigIntField()
    wealth = fields.BigIntField(default=0)
    xp = fields.BigIntField(default=0)
    title_key = fields.CharField(max_length=60, null=True)  # a crate_titles key
    description = fields.CharField(max_length=200)

    class Meta:
        table = "achievements"


class UserAchievement(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    achievement: fields.ForeignKeyRelation[Achievement] = fields.ForeignKeyField(
        "models.Achievement", related_name=False, on_delete=fields.CASCADE)
    unlocked_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user_achievements"
        unique_together = (("community_id", "user_id", "achievement_id"),)


class Faction(Model):
    key = fields.CharField(max_length=30, primary_key=True)
    name = fields.CharField(max_length=60, unique=True)
    description = fields.CharField(max_length=200, default="")

    class Meta:
        table = "factions"


class Territory(Model):
    """A community's territory (the catalogue is game/content) and who holds it."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    key = fields.CharField(max_length=30)
    faction: fields.ForeignKeyNullableRelation[Faction] = fields.ForeignKeyField(
        "models.Faction", related_name=False, null=True, on_delete=fields.SET_NULL)
    held_since = fields.DatetimeField(null=True)

    class Meta:
        table = "territories"
        unique_together = (("community_id", "key"),)


class FactionMember(Model):
    """A player's faction (``faction`` null once left), home territory and dates."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    faction: fields.ForeignKeyNullableRelation[Faction] = fields.ForeignKeyField(
        "models.Faction", related_name=False, null=True, on_delete=fields.SET_NULL)
    territory_key = fields.CharField(max_length=30, null=True)
    joined_at = fields.DatetimeField(null=True)
    left_at = fields.DatetimeField(null=True)
    captures = fields.IntField(default=0)

    class Meta:
        table = "faction_members"
        unique_together = (("community_id", "user_id"),)


class TerritoryScore(Model):
    """Points per territory, faction and day (UTC), added by the projector."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    territory_key = fields.CharField(max_length=30)
    faction: fields.ForeignKeyRelation[Faction] = fields.ForeignKeyField(
        "models.Faction", related_name=False, on_delete=fields.CASCADE)
    day = fields.DateField()
    points = fields.BigIntField(default=0)

    class Meta:
        table = "territory_scores"
        unique_together = (("community_id", "territory_key", "faction_id", "day"),)
