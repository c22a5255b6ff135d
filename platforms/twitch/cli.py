"""``kingpin twitch listen|authorize``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError

from platforms.twitch.auth import ROLE_SCOPES
from platforms.twitch.config import TwitchConfig

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kingpin twitch",
                                     description="The Twitch listener (EventSub + Helix chat)")
    sub = parser.add_subparsers(dest="command", required=True)
    listen = sub.add_parser("listen", help="receive EventSub events and send replies")
    listen.add_argument("--transport", choices=("websocket", "webhook"),
                        help="override KINGPIN_TWITCH_TRANSPORT")
    listen.add_argument("--shards", help="the conduit shards this process connects, e.g. "
                                         "0-3 (default: all; override KINGPIN_TWITCH_SHARDS)")
    auth = sub.add_parser("authorize",
                          help="store a user token (run once as the bot and as each broadcaster)")
    auth.add_argument("--role", choices=sorted(ROLE_SCOPES), default="all",
                      help="which scopes to ask for (default: all, for a bot that is also the "
                           "broadcaster)")
    auth.add_argument("--port", type=int, help="override KINGPIN_TWITCH_AUTHORIZE_PORT")
    auth.add_argument("--host", default="127.0.0.1",
                      help="interface for the local callback server (default 127.0.0.1)")
    return parser


def _config(args: argparse.Namespace) -> TwitchConfig:
    cfg = TwitchConfig()
    update: dict[str, object] = {}
    if getattr(args, "transport", None):
        update["transport"] = args.transport
    if getattr(args, "shards", None):
        update["shards"] = args.shards
    if getattr(args, "port", None):
        update["authorize_port"] = args.port
    return cfg.model_copy(update=update) if update else cfg


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    prog = f"kingpin twitch {args.command}"
    try:
        cfg = _config(args)
    except ValidationError as exc:
        fields = ", ".join(f"KINGPIN_TWITCH_{'_'.join(map(str, e['loc'])).upper()}"
                           for e in exc.errors())
        print(f"{prog}: invalid {fields}", file=sys.stderr)
        return 2
    missing = (cfg.missing_for_listen() if args.command == "listen"
               else cfg.missing_for_authorize())
    if missing:
        print(f"{prog}: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    invalid = cfg.invalid_for_listen() if args.command == "listen" else []
    if invalid:
        print(f"{prog}: invalid {', '.join(invalid)}", file=sys.stderr)
        return 2

    from kingpin.cli import resolve
    from kingpin.logs import configure_logging
    from kingpin.settings import Settings

    settings = Settings()
    configure_logging(settings.log_level, settings, cfg)
    try:
        stack = resolve(settings)
        if args.command == "listen":
            from platforms.twitch.listener import listen

            return asyncio.run(listen(cfg, stack))
        return asyncio.run(_authorize(cfg, stack.db_url, args.role, args.host))
    except KeyboardInterrupt:
        return 130


async def _authorize(cfg: TwitchConfig, db_url: str, role: str, host: str) -> int:
    from kingpin.db import close_db, init_db
    from kingpin.tokens import TokenStore
    from platforms.twitch.auth import OAuth, OAuthError, authorize
    from platforms.twitch.client import point_at

    await init_db(db_url, 2)
    point_at(cfg)
    oauth = OAuth(cfg.oauth_url, cfg.client_id or "", cfg.secret("client_secret") or "")
    try:
        print(f"Register {cfg.redirect_uri} as an OAuth redirect URL of the app, then open"
              " this URL logged in as the account to authorize:", file=sys.stderr)
        try:
            token = await authorize(oauth, TokenStore(), redirect_uri=cfg.redirect_uri,
                                    scopes=ROLE_SCOPES[role], host=host,
                                    announce=lambda url: print(url, flush=True))
        except (OAuthError, TimeoutError) as exc:
            print(f"kingpin twitch authorize: {exc}", file=sys.stderr)
            return 1
    finally:
        await oauth.close()
        await close_db()
    print(f"stored the token of {token.account_name} ({token.account_id}) with scopes "
          f"{' '.join(token.scopes)}")
    return 0
