"""Platform credentials and per-guild Discord configuration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.communities import Community

if TYPE_CHECKING:
    from models.players import User


class PlatformToken(Model):
    """OAuth tokens live in the database, not in files; listeners refresh them here."""

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    # "app" for app tokens, else the platform user id (broadcaster or bot account)
    account_id = fields.CharField(max_length=128)
    account_name = fields.CharField(max_length=100, default="")
    access_token = fields.TextField()
    refresh_token = fields.TextField(null=True)
    scopes: fields.Field[Any] = fields.JSONField(default=list)
    expires_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "platform_tokens"
        unique_together = (("platform", "account_id"),)


class DiscordServerConfig(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    guild_id = fields.CharField(max_length=32, unique=True)
    feed_channel_id = fields.CharField(max_length=32, null=True)
    mod_role_id = fields.CharField(max_length=32, null=True)
    prefix_commands = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "discord_server_config"


class DiscordActivityChannel(Model):
    """Channels whose messages (text) or presence (voice) count as the game's chat."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    guild_id = fields.CharField(max_length=32, db_index=True)
    channel_id = fields.CharField(max_length=32, unique=True)
    kind = fields.CharField(max_length=8, default="text")  # text | voice

    class Meta:
        table = "discord_activity_channels"


class LinkCode(Model):
    """A one-time code from !link: joins the account that asked to the one that answers."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=16)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="link_codes", on_delete=fields.CASCADE
    )
    platform = fields.CharField(max_length=16)
    platform_user_id = fields.CharField(max_length=128)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(db_index=True)
    used_at = fields.DatetimeField(null=True)
    # a public code (issued where everyone reads the reply) joins nothing when redeemed: the
    # redeeming account waits here until the code's own account types !link confirm
    pending_platform = fields.CharField(max_length=16, null=True)
    pending_user_id = fields.CharField(max_length=128, null=True)
    pending_name = fields.CharField(max_length=100, null=True)
    pending_at = fields.DatetimeField(null=True)

    class Meta:
        table = "link_codes"
        unique_together = (("community_id", "code"),)
