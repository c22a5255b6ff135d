"""Gambling: the slots jackpot, blackjack hands, coinflip duels, the lottery, every round
played and each player's totals per game. Per community; like the economy's tables, without
a database constraint to ``communities`` (models/economy.py says why)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.communities import Community
from models.economy import _community, _user
from models.players import User


class SlotJackpot(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    pool = fields.BigIntField()
    last_won_at = fields.DatetimeField(null=True)
    last_winner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.SET_NULL, null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "slot_jackpots"
        unique_together = (("community_id",),)


class BlackjackHand(Model):
    """A hand in play (``state`` is game/gambling/blackjack.to_json); the stake was taken
    when it was dealt. ``idle_at``: when it stands by itself."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    bet = fields.BigIntField()
    state = fields.TextField()
    status = fields.CharField(max_length=10, default="open")  # open | done
    notify_platform = fields.CharField(max_length=16, default="")
    notify_channel = fields.CharField(max_length=128, default="")
    created_at = fields.DatetimeField()
    idle_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "blackjack_hands"
        indexes = (("community_id", "user_id", "status"),)


class CoinFlipChallenge(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    challenger: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.CASCADE)
    acceptor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.SET_NULL, null=True)
    winner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.SET_NULL, null=True)
    wager = fields.BigIntField()
    side = fields.CharField(max_length=5)  # the challenger's
    result = fields.CharField(max_length=5, null=True)
    # open | done | cancelled | expired
    status = fields.CharField(max_length=10, default="open")
    notify_platform = fields.CharField(max_length=16, default="")
    notify_channel = fields.CharField(max_length=128, default="")
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "coin_flip_challenges"
        indexes = (("community_id", "status"), ("challenger_id", "status"))


class LotteryDraw(Model):
    """A community's draw at ``draw_at`` (00:00 UTC); its pool holds the tickets' share and
    what earlier draws left unwon."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    draw_at = fields.DatetimeField()
    status = fields.CharField(max_length=10, default="open")  # open | drawn
    pool = fields.BigIntField(default=0)
    rollover_in = fields.BigIntField(default=0)
    numbers = fields.CharField(max_length=40, default="")
    rollover_out = fields.BigIntField(default=0)
    drawn_at = fields.DatetimeField(null=True)

    class Meta:
        table = "lottery_draws"
        unique_together = (("community_id", "draw_at"),)


class LotteryTicket(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    draw: fields.ForeignKeyRelation[LotteryDraw] = fields.ForeignKeyField(
        "models.LotteryDraw", related_name=False, on_delete=fields.CASCADE)
    user: fields.ForeignKeyRelation[User] = _user()
    numbers = fields.CharField(max_length=40)
    matched = fields.IntField(null=True)
    payout = fields.BigIntField(default=0)
    notify_platform = fields.CharField(max_length=16, default="")
    notify_channel = fields.CharField(max_length=128, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "lottery_tickets"
        indexes = (("draw_id", "user_id"),)


class GamblingSession(Model):
    """One round of a game: what was wagered and paid (``!economy`` measures returns)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    game_type = fields.CharField(max_length=20)
    wager = fields.BigIntField()
    payout = fields.BigIntField()
    result = fields.CharField(max_length=20)
    details = fields.TextField(default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "gambling_sessions"
        indexes = (("community_id", "game_type", "created_at"), ("user_id", "created_at"))


class PlayerGamblingStats(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = _community()
    user: fields.ForeignKeyRelation[User] = _user()
    game_type = fields.CharField(max_length=20)
    rounds = fields.IntField(default=0)
    wins = fields.IntField(default=0)
    wagered = fields.BigIntField(default=0)
    paid = fields.BigIntField(default=0)
    biggest_win = fields.BigIntField(default=0)

    class Meta:
        table = "player_gambling_stats"
        unique_together = (("community_id", "user_id", "game_type"),)
