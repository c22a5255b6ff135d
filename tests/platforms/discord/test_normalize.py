"""Raw Discord payloads -> normalized events (pure functions, recorded payloads)."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from game.commands import ALIASES, parse_command
from game.events import ChatMessage, Platform, Role
from platforms.discord.model import GuildConfig, GuildContext, mention_name
from platforms.discord.normalize import (
    PERMISSION_FLAGS,
    SLASH_ARGS,
    actor_from_payload,
    interaction_command_text,
    missing_game_commands,
    normalize_interaction,
    normalize_message,
    permission_bits,
    permission_names,
    rewrite_mentions,
    slash_text,
    snowflake_time,
)
from tests.platforms.discord.support import (
    GUILD_ID,
    MOD_ROLE,
    OWNER_ID,
    RESOLVED_USER_ID,
    TEXT_CHANNEL,
    dispatch,
    load,
    resolved,
    slash_interaction,
    user_option,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MANAGE_GUILD = PERMISSION_FLAGS["manage_guild"]
ADMINISTRATOR = PERMISSION_FLAGS["administrator"]


COMMUNITY = 1


def ctx(**config: object) -> GuildContext:
    """The test guild, owned by community 1, with that community's config."""
    cfg = GuildConfig(guild_id=GUILD_ID, community_id=COMMUNITY,
                      text_channels=frozenset({TEXT_CHANNEL}), **config)  # type: ignore[arg-type]
    return GuildContext(guild_id=GUILD_ID, community_id=COMMUNITY, owner_id=OWNER_ID,
                        config=cfg)


# --- slash command -> chat text ---

ROYALE = "Royale_Alchemist#5658"  # legacy name: spaces -> _, real discriminator kept


@pytest.mark.parametrize(("name", "options", "text"), [
    ("play", [], "!play"),
    ("rob", [user_option()], f"!rob @{ROYALE}"),
    ("bail", [], "!bail"),
    ("checkin", [], "!checkin"),
    ("profile", [], "!profile"),
    ("balance", [], "!balance"),
    ("level", [], "!level"),
    ("lb", [], "!lb"),
    ("lb", [{"type": 3, "name": "metric", "value": "xp"}], "!lb xp"),
    ("lb", [{"type": 3, "name": "metric", "value": "messages"}], "!lb messages"),
    ("rank", [], "!rank"),
    ("givewealth", [user_option(), {"type": 4, "name": "amount", "value": 2500}],
     f"!givewealth @{ROYALE} 2500"),
    ("givexp", [user_option(), {"type": 4, "name": "amount", "value": 40}],
     f"!givexp @{ROYALE} 40"),
    ("startsession", [], "!startsession"),
    ("startsession", [{"type": 3, "name": "title", "value": "Friday  heist\nnight"}],
     "!startsession Friday heist night"),
    ("endsession", [], "!endsession"),
    ("help", [], "!help"),
    ("link", [], "!link"),
    ("link", [{"type": 3, "name": "code", "value": " K7PX2M9Q "}], "!link K7PX2M9Q"),
    ("unlink", [{"type": 3, "name": "platform", "value": "twitch"}], "!unlink twitch"),
    ("config", [{"type": 3, "name": "key", "value": "rob.cooldown_s"}], "!config rob.cooldown_s"),
    ("config", [{"type": 3, "name": "key", "value": "play.cooldown_s"},
                {"type": 3, "name": "value", "value": "default"}],
     "!config play.cooldown_s default"),
])
def test_every_slash_command_maps_to_its_chat_command(
    name: str, options: list[dict[str, object]], text: str
) -> None:
    payload = slash_interaction(name, options, with_resolved=True)
    assert interaction_command_text(payload["data"]) == text
    event = normalize_interaction(payload, ctx(), NOW)
    assert isinstance(event, ChatMessage)
    assert event.text == text
    cmd = parse_command(event.text)
    if name not in ("link", "unlink"):  # built by the game elsewhere
        assert cmd is not None and cmd.name == name


def test_the_slash_table_covers_every_game_command() -> None:
    assert missing_game_commands() == set()
    assert set(SLASH_ARGS) == set(ALIASES) | {"link", "unlink"}


def test_slash_text_drops_empty_options_and_never_doubles_the_at() -> None:
    assert slash_text("rob", {"user": "@bob"}) == "!rob @bob"
    assert slash_text("rob", {}) == "!rob"  # the game answers "usage: !rob @user"
    assert slash_text("startsession", {"title": "   "}) == "!startsession"
    assert slash_text("givexp", {"user": "bob", "amount": 0}) == "!givexp @bob 0"


def test_interaction_fields_from_the_docs_payload() -> None:
    payload = slash_interaction("rob", [user_option()], with_resolved=True)
    event = normalize_interaction(payload, ctx(mod_role_id=MOD_ROLE), NOW)
    assert event is not None
    assert event.platform is Platform.DISCORD
    assert event.event_id == "786008729715212338"  # the interaction id
    assert event.channel == "645027906669510667"
    assert event.user.id == "53908232506183680"
    assert event.user.name == "Mason#1337"
    assert event.guild == GUILD_ID  # communities own guilds: every event says which
    # the member has the configured mod role (permissions 2147483647 alone would not do)
    assert event.user.roles == frozenset({Role.MODERATOR})
    assert event.occurred_at == snowflake_time("786008729715212338")
    assert event.received_at == NOW


def test_real_slash_capture_is_read_and_unknown_commands_are_ignored() -> None:
    d = dispatch("gateway_INTERACTION_CREATE.slash_command_no_options.real_capture.json")
    assert normalize_interaction(d, ctx(), NOW) is None  # "/hello" is not ours
    d["data"]["name"] = "checkin"
    event = normalize_interaction(d, ctx(), NOW)
    assert event is not None
    assert event.text == "!checkin"
    assert event.event_id == "1233227149545177169"
    assert event.channel == "1011977515109187707"
    # a new-style username (discriminator "0"): the unique username, not the nick "adr"
    assert event.user.name == "wrathful_vengeance_god_unleashed"
    assert event.user.id == "395786107780071424"
    # permissions 1125899906842623 include Administrator: no role unless the community
    # names a permission; not the owner
    assert event.user.roles == frozenset()
    assert event.occurred_at.year == 2024


def test_modal_submits_user_commands_and_dms_are_not_chat() -> None:
    modal = dispatch("gateway_INTERACTION_CREATE.modal_submit.real_capture.json")
    assert normalize_interaction(modal, ctx(), NOW) is None
    user_cmd = load("interaction_user_command.resolved_user.docs.json")
    assert normalize_interaction(user_cmd, ctx(), NOW) is None  # data.type 2 (USER command)
    dm = slash_interaction("play")
    del dm["guild_id"]
    dm["user"] = dm.pop("member")["user"]
    assert normalize_interaction(dm, ctx(), NOW) is None


def test_broken_interactions_are_skipped_not_raised() -> None:
    no_member = slash_interaction("play")
    del no_member["member"]
    assert normalize_interaction(no_member, ctx(), NOW) is None
    bad_id = slash_interaction("play")
    bad_id["id"] = "not-a-snowflake"
    assert normalize_interaction(bad_id, ctx(), NOW) is None
    unresolved = slash_interaction("rob", [user_option(user_id="1")], with_resolved=True)
    assert interaction_command_text(unresolved["data"]) == "!rob"  # usage answer, no crash
    odd = slash_interaction("play")
    odd["data"]["options"] = "nonsense"
    assert normalize_interaction(odd, ctx(), NOW) is None


def roles(payload: dict[str, object], context: GuildContext) -> frozenset[Role]:
    event = normalize_interaction(payload, context, NOW)
    assert event is not None
    return event.user.roles


def test_roles_owner_is_broadcaster_mod_role_is_moderator() -> None:
    payload = slash_interaction("play")
    payload["member"]["permissions"] = "0"
    assert roles(payload, ctx()) == frozenset()
    assert roles(payload, ctx(mod_role_id=MOD_ROLE)) == frozenset({Role.MODERATOR})
    owner = GuildContext(guild_id=GUILD_ID, community_id=COMMUNITY,
                         owner_id="53908232506183680", config=ctx().config)
    assert roles(payload, owner) == frozenset({Role.BROADCASTER})


def test_permissions_make_no_moderator_unless_the_community_names_them() -> None:
    payload = slash_interaction("play")
    payload["member"]["roles"] = []
    for bits in (MANAGE_GUILD, ADMINISTRATOR, 2147483647):
        payload["member"]["permissions"] = str(bits)
        assert roles(payload, ctx()) == frozenset(), bits
    named, unknown = permission_bits(["manage_guild", "kick_members", "run_the_show"])
    assert unknown == ["run_the_show"]
    payload["member"]["permissions"] = str(MANAGE_GUILD)  # Manage Server alone
    assert roles(payload, ctx(mod_permissions=named)) == frozenset({Role.MODERATOR})
    payload["member"]["permissions"] = str(ADMINISTRATOR)  # not named
    assert roles(payload, ctx(mod_permissions=named)) == frozenset()
    assert permission_bits(32) == (MANAGE_GUILD, [])
    assert permission_bits("manage_guild") == (MANAGE_GUILD, [])
    assert permission_bits(True)[0] == 0 and permission_bits(-1)[0] == 0
    assert permission_names(named) == "kick_members, manage_guild"


def test_roles_count_only_where_a_community_owns_the_guild() -> None:
    """The owner of some other guild is nobody here; a config another community wrote (the
    guild changed hands since it was read) counts for nothing."""
    payload = slash_interaction("play")
    payload["member"]["user"]["id"] = OWNER_ID
    nobodys = GuildContext(guild_id=GUILD_ID, owner_id=OWNER_ID,
                           config=ctx(mod_role_id=MOD_ROLE).config)
    assert roles(payload, nobodys) == frozenset()
    chat = normalize_message(message(), nobodys, NOW)  # (the bot drops it before publishing)
    assert chat is not None and chat.user.roles == frozenset()
    payload["member"]["user"]["id"] = "53908232506183680"  # has MOD_ROLE
    moved = GuildContext(guild_id=GUILD_ID, community_id=2, owner_id=OWNER_ID,
                         config=ctx(mod_role_id=MOD_ROLE, mod_permissions=ADMINISTRATOR).config)
    assert roles(payload, moved) == frozenset()
    assert roles(payload, ctx(mod_role_id=MOD_ROLE)) == frozenset({Role.MODERATOR})


# --- messages ---


def message(**changes: object) -> dict[str, object]:
    d = load("message_object.docs.json")
    d["guild_id"] = GUILD_ID
    d.update(changes)
    return d


def test_message_in_an_activity_channel_is_chat() -> None:
    event = normalize_message(message(), ctx(), NOW)
    assert event is not None
    assert event.event_id == "334385199974967042"
    assert event.channel == TEXT_CHANNEL
    assert event.text == "Supa Hot"
    assert event.user.id == OWNER_ID and event.user.name == "Mason#9999"
    assert event.guild == GUILD_ID
    assert event.user.roles == frozenset({Role.BROADCASTER})
    # the payload's own timestamp (this docs example's id encodes a time 17 s later)
    assert event.occurred_at == datetime(2017, 7, 11, 17, 27, 7, 299000, tzinfo=UTC)
    no_stamp = message()
    del no_stamp["timestamp"]
    fallback = normalize_message(no_stamp, ctx(), NOW)
    assert fallback is not None
    assert fallback.occurred_at == snowflake_time("334385199974967042")


def test_prefix_command_with_a_mention_reads_like_chat() -> None:
    mentioned = resolved()["users"][RESOLVED_USER_ID]
    d = message(content=f"!rob <@{RESOLVED_USER_ID}>", mentions=[mentioned],
                member={"roles": [MOD_ROLE]})
    event = normalize_message(d, ctx(mod_role_id=MOD_ROLE), NOW)
    assert event is not None
    assert event.text == f"!rob @{ROYALE}"
    assert event.user.roles == frozenset({Role.BROADCASTER, Role.MODERATOR})


def test_messages_outside_activity_channels_bots_webhooks_dms_system_are_ignored() -> None:
    assert normalize_message(message(channel_id="1"), ctx(), NOW) is None
    assert normalize_message(message(), GuildContext(guild_id=GUILD_ID), NOW) is None
    bot = message()
    bot["author"] = {**bot["author"], "bot": True}  # type: ignore[dict-item]
    assert normalize_message(bot, ctx(), NOW) is None
    assert normalize_message(message(webhook_id="123"), ctx(), NOW) is None
    dm = message()
    del dm["guild_id"]
    assert normalize_message(dm, ctx(), NOW) is None
    assert normalize_message(message(type=7), ctx(), NOW) is None  # "joined the server"
    assert normalize_message(message(type=19), ctx(), NOW) is not None  # a reply is chat
    assert normalize_message(message(author=None), ctx(), NOW) is None
    assert normalize_message(message(id="x"), ctx(), NOW) is None


def test_threads_of_activity_channels_count() -> None:
    d = message(channel_id="999999999999999999")
    assert normalize_message(d, ctx(), NOW) is None
    event = normalize_message(d, ctx(), NOW, parent_id=TEXT_CHANNEL)
    assert event is not None and event.channel == "999999999999999999"  # replies go there


def test_prefix_commands_off_keeps_chat_but_not_commands() -> None:
    off = ctx(prefix_commands=False)
    assert normalize_message(message(content="!play"), off, NOW) is None
    assert normalize_message(message(content="gg"), off, NOW) is not None
    assert normalize_message(message(content="!play"), ctx(), NOW) is not None


def test_rewrite_mentions_only_known_users() -> None:
    names = {"1": "alice", "2": "bob"}
    assert rewrite_mentions("<@1> and <@!2> and <@3> <@&1> <#2>", names) == \
        "@alice and @bob and <@3> <@&1> <#2>"


def test_names_are_unique_and_one_argument() -> None:
    assert mention_name("wrathful_vengeance_god_unleashed", "0") == \
        "wrathful_vengeance_god_unleashed"
    assert mention_name("Mahdi BM", "0517") == "Mahdi_BM#0517"
    assert mention_name("bot", "0000") == "bot"
    assert mention_name("x\u200bname\u0007") == "xname"  # cleaned like UserRef.name
    assert actor_from_payload({"id": "12", "username": "   "}) is None
    assert actor_from_payload({"id": "abc", "username": "a"}) is None


def test_snowflake_time_agrees_with_discord_py() -> None:
    for snowflake in ("334385199974967042", "1233227149545177169", "786008729715212338"):
        assert snowflake_time(snowflake) == discord.utils.snowflake_time(int(snowflake))
