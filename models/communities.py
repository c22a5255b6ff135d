"""Communities: one streamer's world (its channels, players, economy, sessions, settings).

A community owns channels: ``(platform, channel id)`` for Twitch and Kick and the console, a
guild (and the game's channels in it) for Discord. An event from a channel no community owns
never reaches the game. Every game table carries ``community_id``.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

DEFAULT_COMMUNITY_ID = 1  # created by the migration: a self-hoster's only community


class Community(Model):
    id = fields.BigIntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "communities"


class CommunityChannel(Model):
    """A channel a community owns. ``channel_id`` is what the platform's events carry as their
    channel (Twitch broadcaster user id, Kick broadcaster user id with the ids the listener
    subscribes in ``label`` (platforms/kick/channels.py), Discord guild id for the guild
    itself or a channel id for its feed and voice channels, the console's channel name);
    ``role`` is chat, feed or voice."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="channels", on_delete=fields.CASCADE
    )
    platform = fields.CharField(max_length=16)
    channel_id = fields.CharField(max_length=128)
    role = fields.CharField(max_length=8, default="chat")
    label = fields.CharField(max_length=200, default="")  # login, slug or name, for people
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "community_channels"
        unique_together = (("platform", "channel_id"),)
        indexes = (("community_id", "platform"),)
