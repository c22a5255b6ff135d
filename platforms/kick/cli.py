"""``kingpin kick listen`` and ``kingpin kick authorize``.

"Missing credentials" for ``listen``: reading Kick needs no secret (the Pusher socket is
public, webhooks are verified with Kick's public key), but a bot that cannot answer is not
a bot, so ``listen`` requires, unless ``--read-only``, ``KINGPIN_KICK_CLIENT_ID`` +
``KINGPIN_KICK_CLIENT_SECRET`` (tokens are refreshed with them) and a token stored by
``authorize``. Anything missing: one line on stderr, exit status 2. The channels are the
ones communities own (``KINGPIN_KICK_CHANNELS`` entries join the default community first),
so ``listen`` always opens the database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import re
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

import aiohttp
from pydantic import ValidationError
from pydantic_settings import SettingsError

from platforms.kick.config import ENV_PREFIX, KickSettings

if TYPE_CHECKING:
    from kingpin.cli import Stack

log = logging.getLogger("platforms.kick")

PROG = "kingpin kick"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Kingpin on Kick")
    sub = parser.add_subparsers(dest="command", required=True)
    listen = sub.add_parser("listen", help="read Kick chat/events and send the game's replies")
    listen.add_argument("--read-only", action="store_true",
                        help="no OAuth: read and publish events, send nothing")
    sub.add_parser("authorize", help="authorize the bot account (OAuth 2.1 + PKCE) and store "
                                     "its token in the database")
    sub.add_parser("subscribe", help="subscribe the channels communities own to Kick's "
                                     "webhooks (events go to the webhook URL set in the Kick "
                                     "app)")
    return parser


def _fail(message: str, err: TextIO) -> int:
    print(f"{PROG}: {message}", file=err)
    return 2


def _settings(err: TextIO) -> KickSettings | None:
    try:
        return KickSettings()
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(p) for p in first.get("loc", ())]
        where = (loc[0].upper() + "".join(f"[{p}]" for p in loc[1:])) if loc else "?"
        print(f"{PROG}: invalid {ENV_PREFIX}{where}: {first.get('msg')}", file=err)
    except SettingsError as exc:  # e.g. a JSON value that is not JSON
        found = re.search(r'field "(\w+)"', str(exc))
        name = found.group(1).upper() if found else "?"
        print(f"{PROG}: invalid {ENV_PREFIX}{name}: not valid JSON", file=err)
    return None


def limits_uri(redis_url: str) -> str:
    """The ``limits`` storage URI for our Redis URL (shared rate-limit budget)."""
    if redis_url.startswith("unix://"):
        return "async+redis+unix://" + redis_url[len("unix://"):]
    return f"async+{redis_url}"


def main(argv: list[str] | None = None, *, err: TextIO | None = None) -> int:
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    kick = _settings(err)
    if kick is None:
        return 2
    if args.command == "listen":
        missing = kick.missing_for_listen(read_only=args.read_only)
        if missing:
            return _fail(f"missing {', '.join(missing)}", err)
        problem = kick.config_problem()
        if problem:
            return _fail(problem, err)
    else:
        missing = kick.missing_for_authorize()
        if missing:
            return _fail(f"missing {', '.join(missing)}", err)

    from kingpin.cli import resolve
    from kingpin.logs import configure_logging
    from kingpin.settings import Settings

    settings = Settings()
    configure_logging(settings.log_level, settings, kick)
    logging.getLogger("arq").setLevel(logging.WARNING)
    try:
        stack = resolve(settings)
        if args.command == "listen":
            return asyncio.run(run_listen(stack, kick, read_only=args.read_only, err=err))
        if args.command == "subscribe":
            return asyncio.run(run_subscribe(stack, kick, err=err))
        return asyncio.run(run_authorize(stack, kick, err=err))
    except KeyboardInterrupt:
        return 130


async def _choose_account(kick: KickSettings) -> tuple[str | None, str | None]:
    """(account whose token sends, problem) from the tokens in the database."""
    from kingpin.tokens import TokenStore

    stored = await TokenStore().all("kick")
    ids = [t.account_id for t in stored]
    if kick.send_as == "bot":
        missing = [ch.key for ch in kick.channels if ch.key not in ids]
        if not ids or (kick.channels and len(missing) == len(kick.channels)):
            return None, ("no Kick token stored for any configured broadcaster: run "
                          f"`{PROG} authorize` logged in as each broadcaster")
        for key in missing:
            log.warning("kick: no token for broadcaster %s: replies there will fail", key)
        return None, None
    if kick.bot_user_id is not None:
        if str(kick.bot_user_id) not in ids:
            return None, (f"no Kick token stored for {ENV_PREFIX}BOT_USER_ID="
                          f"{kick.bot_user_id}: run `{PROG} authorize` logged in as it")
        return str(kick.bot_user_id), None
    if not ids:
        return None, f"no Kick token stored: run `{PROG} authorize` (or listen --read-only)"
    if len(ids) > 1:
        return None, (f"{len(ids)} Kick tokens stored ({', '.join(ids)}): set "
                      f"{ENV_PREFIX}BOT_USER_ID to the one that sends")
    return ids[0], None


async def run_listen(stack: Stack, kick: KickSettings, *, read_only: bool,
                     err: TextIO | None = None, stop: asyncio.Event | None = None,
                     init_database: bool = True) -> int:
    """The listener until SIGINT/SIGTERM (or ``stop``); 0, or 2 (unusable setup), 1 (Kick's
    socket refused us for good). ``init_database=False`` when Tortoise is already set up."""
    from kingpin.bus import Publisher, connect_redis
    from kingpin.communities import Directory
    from kingpin.db import close_db, init_db
    from kingpin.outbox import LIMITS, OutboxSender
    from kingpin.tokens import TokenStore
    from platforms.kick.api import ChatSender, KickApi
    from platforms.kick.channels import CommunityChannels
    from platforms.kick.listener import KickListener
    from platforms.kick.oauth import OAuthClient, TokenManager
    from platforms.kick.pusher import PusherFatal

    err = err or sys.stderr
    settings = stack.settings
    db_open = False
    session: aiohttp.ClientSession | None = None
    redis = None
    try:
        account: str | None = None
        if init_database:
            await init_db(stack.db_url, 4)
            db_open = True
        if not read_only:
            account, problem = await _choose_account(kick)
            if problem:
                return _fail(problem, err)
        redis = await connect_redis(stack.redis_url, stack.keys)
        outbox = None
        if not read_only:
            session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=kick.http_timeout_s))
            oauth = OAuthClient(session, kick.id_url, kick.client_id or "", kick.secret() or "")
            chat = ChatSender(KickApi(session, kick.api_url),
                              TokenManager(TokenStore(), oauth, margin_s=kick.refresh_margin_s),
                              send_as=kick.send_as, bot_account=account,
                              retries=kick.send_retries, max_retry_after_s=kick.max_retry_after_s)
            outbox = OutboxSender(redis=redis, keys=stack.keys, platform="kick", send=chat,
                                  limits=LIMITS["kick"], storage_uri=limits_uri(stack.redis_url))
        publisher = Publisher.from_settings(redis, stack.keys, settings)
        channels = CommunityChannels(Directory(ttl_s=kick.reconcile_s), redis,
                                     stack.keys.stats)
        listener = KickListener(kick, publisher, outbox, channels=channels)
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        log.info("kick: listening via %s%s on the channels communities own (re-read every "
                 "%.0fs)", kick.transport, " (read-only)" if read_only else "",
                 kick.reconcile_s)
        try:
            await listener.run(stop)
        except PusherFatal as exc:
            print(f"{PROG}: Kick's socket refused us: {exc}", file=err)
            return 1
        finally:
            if outbox is not None:  # replies popped but not sent go back for the next run
                with contextlib.suppress(Exception):
                    if (kept := await outbox.requeue_waiting()):
                        log.info("kick: %d unsent replies put back in the outbox", kept)
        return 0
    finally:
        if session is not None:
            await session.close()
        if redis is not None:
            await redis.aclose()
        if db_open:
            await close_db()


async def run_authorize(stack: Stack, kick: KickSettings, *, err: TextIO | None = None,
                        on_url: Callable[[str], Awaitable[None] | None] | None = None,
                        init_database: bool = True) -> int:
    """Print the authorize URL, wait for Kick's redirect, store the tokens."""
    from kingpin.db import close_db, init_db
    from kingpin.tokens import StoredToken, TokenStore
    from platforms.kick.api import KickApi, KickApiError
    from platforms.kick.oauth import (
        PLATFORM,
        KickAuthError,
        OAuthClient,
        authorize_url,
        callback_parts,
        make_verifier,
        wait_for_callback,
    )

    err = err or sys.stderr
    verifier = make_verifier()
    state = secrets.token_urlsafe(24)
    redirect = kick.callback_uri
    url = authorize_url(kick.id_url, kick.client_id or "", redirect, kick.scopes, state,
                        verifier)
    host, port, path = callback_parts(redirect)
    pending: list[asyncio.Task[None]] = []

    def ready(bound_port: int) -> None:
        print(f"Open this URL logged in as the bot account (waiting on {host}:{bound_port}):\n"
              f"{url}", file=err, flush=True)
        if on_url is not None:
            result = on_url(url)
            if asyncio.iscoroutine(result):
                pending.append(asyncio.ensure_future(result))

    try:
        result = await wait_for_callback(host, port, path, state, kick.authorize_timeout_s,
                                         ready=ready)
    except TimeoutError:
        return _fail(f"no answer from Kick within {kick.authorize_timeout_s:.0f}s", err)
    except KickAuthError as exc:
        return _fail(str(exc), err)
    finally:
        for task in pending:
            with contextlib.suppress(Exception):
                await task
    async with aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=kick.http_timeout_s)) as session:
        try:
            token = await OAuthClient(session, kick.id_url, kick.client_id or "",
                                      kick.secret() or "").exchange(result.code, verifier,
                                                                    redirect)
            user = await KickApi(session, kick.api_url).current_user(token.access_token)
        except (KickAuthError, KickApiError, aiohttp.ClientError) as exc:
            return _fail(f"authorization failed: {exc}", err)
    user_id, name = user.get("user_id"), user.get("name")
    if not isinstance(user_id, int | str) or not str(user_id).strip():
        return _fail("Kick did not say which account authorized", err)
    if init_database:
        await init_db(stack.db_url, 2)
    try:
        await TokenStore().save(StoredToken(
            platform=PLATFORM, account_id=str(user_id), account_name=str(name or user_id),
            access_token=token.access_token, refresh_token=token.refresh_token,
            scopes=token.scopes, expires_at=token.expires_at,
        ))
    finally:
        if init_database:
            await close_db()
    print(f"stored the Kick token of {name} ({user_id}), scopes: "
          f"{' '.join(token.scopes) or '?'}, expires {token.expires_at or 'never'}; "
          f"now {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", file=err)
    return 0


async def run_subscribe(stack: Stack, kick: KickSettings, *, err: TextIO | None = None,
                        init_database: bool = True) -> int:
    """Subscribe every broadcaster communities own (after the KINGPIN_KICK_CHANNELS ones
    joined the default community) to the webhook events Kingpin uses, with the
    broadcaster's own token when stored, else the bot account's."""
    from kingpin.communities import Directory
    from kingpin.db import close_db, init_db
    from kingpin.tokens import TokenStore
    from platforms.kick.api import KickApi, KickApiError
    from platforms.kick.channels import CommunityChannels
    from platforms.kick.oauth import KickAuthError, OAuthClient, TokenManager
    from platforms.kick.webhook_events import HANDLERS

    err = err or sys.stderr
    if init_database:
        await init_db(stack.db_url, 2)
    failures = 0
    try:
        source = CommunityChannels(Directory())
        await source.adopt(kick.channels)
        owned = await source.load()
        if not owned:
            print(f"{PROG}: no community owns a Kick channel (kingpin community add-channel, "
                  f"or {ENV_PREFIX}CHANNELS)", file=err)
            return 2
        account, _ = await _choose_account(kick)
        stored = {t.account_id for t in await TokenStore().all("kick")}
        async with aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=kick.http_timeout_s)) as session:
            tokens = TokenManager(TokenStore(), OAuthClient(
                session, kick.id_url, kick.client_id or "", kick.secret() or ""),
                margin_s=kick.refresh_margin_s)
            api = KickApi(session, kick.api_url)
            for ch in owned:
                who = ch.key if ch.key in stored else account
                if who is None:
                    print(f"{PROG}: {ch.key}: no token to subscribe with", file=err)
                    failures += 1
                    continue
                try:
                    await api.subscribe_events(await tokens.access_token(who),
                                               ch.broadcaster_user_id, sorted(HANDLERS))
                except (KickApiError, KickAuthError, aiohttp.ClientError) as exc:
                    print(f"{PROG}: {ch.key}: {exc}", file=err)
                    failures += 1
                    continue
                print(f"subscribed broadcaster {ch.key} to {len(HANDLERS)} webhook events",
                      file=err)
    finally:
        if init_database:
            await close_db()
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
