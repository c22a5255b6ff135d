"""Starting the Discord bot and keeping it started: retry while Discord cannot be reached.

discord.py's ``Client.start`` logs in over REST, then runs the gateway with
``connect(reconnect=True)``. It retries the gateway by itself (its own jittered backoff), but
only after a successful login: a login that cannot reach Discord raises (``OSError`` /
``aiohttp.ClientError``, ``DiscordServerError`` for 5xx, a timeout). ``run_bot`` is the loop
around it:

* unreachable (those errors, and ``GatewayNotFound``): one log line ``discord: cannot reach
  Discord (...), retrying in Ns``, then a fresh bot after an exponential backoff (``min_s``
  doubling up to ``max_s``), forever, until it connects or ``stop`` is set;
* refused (a bad token, the Message Content intent not enabled, another 4xx, a gateway close
  code that no retry fixes): one line on stderr, exit status 2;
* ``stop`` set (SIGTERM/SIGINT): the current bot is closed and the loop returns 0, also in the
  middle of a backoff or of a login.

``OneLineReconnects`` turns discord.py's own gateway retry log (a traceback per attempt) into
one line per attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Callable

import aiohttp
import discord

log = logging.getLogger("kingpin.discord")

UNREACHABLE: tuple[type[BaseException], ...] = (
    OSError, aiohttp.ClientError, asyncio.TimeoutError, discord.GatewayNotFound,
)
BAD_TOKEN_CLOSE = 4004  # the gateway's "Authentication failed"


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line, without the traceback."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def is_unreachable(exc: BaseException) -> bool:
    if isinstance(exc, discord.HTTPException):
        return isinstance(exc, discord.DiscordServerError) or exc.status == 429
    return isinstance(exc, UNREACHABLE)


def refusal(exc: BaseException) -> str | None:
    """The one line for an error no retry fixes, or None when it is not one."""
    if isinstance(exc, discord.LoginFailure):
        return "Discord refused KINGPIN_DISCORD_TOKEN (login failed)"
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return ("enable the Message Content intent for this bot in the Developer Portal"
                " (Bot -> Privileged Gateway Intents)")
    if isinstance(exc, discord.ConnectionClosed):
        if exc.code == BAD_TOKEN_CLOSE:
            return "Discord refused KINGPIN_DISCORD_TOKEN (gateway authentication failed)"
        return f"the Discord gateway closed the connection for good ({describe(exc)})"
    if isinstance(exc, discord.HTTPException) and not is_unreachable(exc):
        return f"Discord refused a request ({describe(exc)})"
    return None


class OneLineReconnects(logging.Filter):
    """discord.py logs each gateway retry with ``log.exception``: keep the line, drop the
    traceback, say what failed."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.msg == "Attempting a reconnect in %.2fs":
            exc = record.exc_info[1]
            record.msg = "discord: cannot reach the Discord gateway (%s), retrying in %.2fs"
            record.args = (describe(exc) if exc else "unknown", *tuple(record.args or ()))
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = None
            record.exc_text = None
        return True


def install_log_filter() -> None:
    client_log = logging.getLogger("discord.client")
    if not any(isinstance(f, OneLineReconnects) for f in client_log.filters):
        client_log.addFilter(OneLineReconnects())


async def run_bot(make_bot: Callable[[], discord.Client], token: str, stop: asyncio.Event, *,
                  min_s: float = 1.0, max_s: float = 60.0) -> int:
    """Run bots made by ``make_bot`` until ``stop``; the exit status (0 stopped, 2 refused)."""
    delay = min_s
    while not stop.is_set():
        started = time.monotonic()
        try:
            await _attempt(make_bot(), token, stop)
            if stop.is_set():
                return 0
            raise ConnectionError("the connection ended")  # noqa: TRY301 - retried below
        except Exception as exc:  # noqa: BLE001 - classified: retried, refused, or re-raised
            if stop.is_set():
                log.debug("discord: stopped while connecting (%s)", describe(exc))
                return 0
            line = refusal(exc)
            if line is not None:
                print(f"kingpin discord: {line}", file=sys.stderr)
                return 2
            if not is_unreachable(exc):
                raise
            if time.monotonic() - started > max_s:
                delay = min_s  # it was up for a while: a new outage starts from the bottom
            log.warning("discord: cannot reach Discord (%s), retrying in %gs", describe(exc),
                        delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        delay = min(delay * 2, max_s)
    return 0


async def _attempt(bot: discord.Client, token: str, stop: asyncio.Event) -> None:
    """One bot from login to close: returns once ``stop`` closed it, raises what ``start``
    raised. discord.py's ``close`` does not wake a gateway retry that is sleeping, so the
    start task is cancelled after the bot is closed."""
    async with bot:
        start = asyncio.create_task(bot.start(token))
        stopper = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({start, stopper}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            start.cancel()
            raise
        finally:
            stopper.cancel()
        if start.done():
            start.result()
            return
        await bot.close()
        start.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await start
