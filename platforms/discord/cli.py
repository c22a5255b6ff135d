"""``kingpin discord ...``: run the Discord listener, or sync its slash commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

import aiohttp
import discord

from kingpin.bus import Publisher, connect_redis
from kingpin.cli import Stack, resolve
from kingpin.communities import Directory
from kingpin.db import close_db, init_db
from kingpin.logs import configure_logging
from kingpin.outbox import LIMITS, OutboxSender
from kingpin.settings import Settings
from platforms.discord.bot import KingpinBot
from platforms.discord.boundary import Boundary
from platforms.discord.config import API_BASE, DiscordConfig
from platforms.discord.connection import install_log_filter, run_bot
from platforms.discord.replies import DiscordRest, DiscordSender, InteractionStore
from platforms.discord.repository import ConfigCache, DiscordConfigRepo

log = logging.getLogger("kingpin.discord")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kingpin discord",
                                     description="The Kingpin Discord bot")
    sub = parser.add_subparsers(dest="command", required=True)
    listen = sub.add_parser("listen", help="connect to Discord: slash commands, chat, voice")
    listen.add_argument("--no-sync", action="store_true",
                        help="do not sync the slash commands on start")
    return parser


async def listen(stack: Stack, config: DiscordConfig, token: str, *, sync: bool) -> int:
    settings = stack.settings
    await init_db(stack.db_url, settings.db_pool_max)
    redis = await connect_redis(stack.redis_url, stack.keys)
    publisher = Publisher.from_settings(redis, stack.keys, settings)
    session = aiohttp.ClientSession()
    store = InteractionStore(redis, stack.keys.prefix, ttl_s=config.interaction_ttl_s)
    sender = DiscordSender(DiscordRest(session, api_base=config.api_base, bot_token=token,
                                       retries=config.send_retries), store)
    outbox = OutboxSender(redis=redis, keys=stack.keys, platform="discord", send=sender.send,
                          send_private=sender.send_private, send_card=sender.send_card,
                          limits=LIMITS["discord"],
                          storage_uri=f"async+{stack.redis_url}")
    # which guilds communities own: one cache for the process, shared by every bot it makes
    boundary = Boundary(Directory(), redis, stack.keys)

    def make_bot() -> KingpinBot:
        return KingpinBot(
            publisher=publisher,
            configs=ConfigCache(DiscordConfigRepo(), config.config_cache_s), store=store,
            boundary=boundary, sender=sender, outbox=outbox, env_guild_ids=config.guild_ids,
            sync_commands=sync and config.sync_commands,
            sync_interval_s=config.guild_refresh_s,
            followup_grace_s=config.followup_grace_s, voice_activity=config.voice_activity,
        )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    if config.api_base.rstrip("/") != API_BASE:
        # discord.py's own REST calls (login, command sync) go where the replies go
        discord.http.Route.BASE = config.api_base.rstrip("/")
    install_log_filter()
    try:
        return await run_bot(make_bot, token, stop, min_s=config.reconnect_min_s,
                             max_s=config.reconnect_max_s)
    finally:
        with contextlib.suppress(Exception):
            await publisher.close()
        await session.close()
        await redis.aclose()
        await close_db()


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    config = DiscordConfig()
    missing = config.missing_for_listen()
    token = config.secret_token()
    if missing or token is None:
        print(f"kingpin discord {args.command}: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    settings = Settings()
    configure_logging(settings.log_level, settings, config)
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLogger().level))
    try:
        return asyncio.run(listen(resolve(settings), config, token, sync=not args.no_sync))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
