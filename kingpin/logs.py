"""Logging for every entry point: one stderr handler, and no secret in any line it prints.

``configure_logging`` is called by each entry point (``kingpin``, the platform listeners, the
arq worker's startup). It installs, on every handler, a filter that replaces each known secret
with ``***`` in the fully formatted message, its traceback and stack: every ``SecretStr`` of
the settings objects in use (the password only, for URLs), in the forms libraries print it
(as is, URL-encoded, JSON- and repr-escaped). Secrets learned later (a refreshed OAuth token)
are added with ``register_secret``. ``tortoise.db_client`` never prints query parameters:
tokens are written as parameters, and a value that is not known yet cannot be redacted.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from types import TracebackType
from urllib.parse import parse_qsl, quote, quote_plus, unquote, unquote_plus, urlsplit

from pydantic import BaseModel, SecretStr

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"
# shorter values would mask ordinary words everywhere; no real secret is that short
MIN_SECRET_LEN = 4
DB_CLIENT_LOGGER = "tortoise.db_client"


def secret_forms(value: str) -> set[str]:
    """``value`` as it may appear in a log line: raw, URL-encoded, JSON- and repr-escaped."""
    forms = {value, quote(value, safe=""), quote(value), quote_plus(value),
             json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
             repr(value)[1:-1]}
    return {form for form in forms if len(form) >= MIN_SECRET_LEN}


def url_secrets(url: str) -> set[str]:
    """The password of a URL (as written and decoded) and any ``password=`` query value."""
    try:
        parts = urlsplit(url)
        written = parts.password
    except ValueError:
        return set()
    found = set()
    if written:
        found |= {written, unquote(written), unquote_plus(written)}
    for key, value in parse_qsl(parts.query, keep_blank_values=False):
        if key.lower() in ("password", "pass", "passwd"):
            found.add(value)
    return found


def settings_secrets(*configs: BaseModel) -> set[str]:
    """Every ``SecretStr`` value of these settings objects; for a URL, only its password."""
    found: set[str] = set()
    for config in configs:
        for name in type(config).model_fields:
            value = getattr(config, name, None)
            if not isinstance(value, SecretStr):
                continue
            text = value.get_secret_value()
            if "://" in text:
                found |= url_secrets(text)
            elif text:
                found.add(text)
    return found


class RedactSecrets(logging.Filter):
    """A handler filter: every known secret (all its forms) becomes ``***`` in the record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._forms: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        forms = set(self._forms)
        for secret in secrets:
            if secret:
                forms |= secret_forms(secret)
        if forms == self._forms:
            return
        self._forms = forms
        # longest first, so a secret containing another is masked whole
        alternatives = sorted(forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, alternatives)))

    def redact(self, text: str) -> str:
        pattern = self._pattern
        return pattern.sub(MASK, text) if pattern is not None else text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._pattern is None:
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record: the handler reports it
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class HideQueryParams(logging.Filter):
    """On ``tortoise.db_client``: the SQL stays, the parameter list becomes ``<N params>``."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 2 and isinstance(args[0], str):
            values = args[1]
            if values is None or isinstance(values, list | tuple):
                record.args = (args[0], f"<{len(values or ())} params>")
        return True


def _all_handlers() -> Iterator[logging.Handler]:
    yield from logging.getLogger().handlers
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            yield from logger.handlers


def _redactors() -> Iterator[RedactSecrets]:
    for handler in _all_handlers():
        for found in handler.filters:
            if isinstance(found, RedactSecrets):
                yield found


def configure_logging(level: str, *configs: BaseModel, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at ``level`` with FORMAT; no secret of ``configs`` (or ``secrets``) is
    ever printed, by any handler present now (arq's own included). Safe to call again."""
    known = settings_secrets(*configs) | {s for s in secrets if s}
    root = logging.getLogger()
    if not root.handlers:  # like basicConfig: a process that set up logging keeps its setup
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
        root.setLevel(level.upper())
    for existing in _all_handlers():
        redactor = next((f for f in existing.filters if isinstance(f, RedactSecrets)), None)
        if redactor is None:
            redactor = RedactSecrets()
            existing.addFilter(redactor)
        redactor.add(*known)
    db_client = logging.getLogger(DB_CLIENT_LOGGER)
    if not any(isinstance(f, HideQueryParams) for f in db_client.filters):
        db_client.addFilter(HideQueryParams())
    _redact_uncaught(known)


def register_secret(*values: str | None) -> None:
    """A secret learned at runtime (a fresh OAuth token): masked from now on by every handler
    ``configure_logging`` set up. A no-op when logging was not configured that way."""
    for redactor in _redactors():
        redactor.add(*values)


def _redact_uncaught(known: set[str]) -> None:
    """A traceback that escapes ``main`` is printed by ``sys.excepthook``: masked as well."""
    previous = sys.excepthook
    if getattr(previous, "_kingpin_redacts", False):
        return

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        import traceback

        text = "".join(traceback.format_exception(kind, exc, tb))
        redactors = list(_redactors()) or [RedactSecrets(known)]
        for redactor in redactors:
            text = redactor.redact(text)
        sys.stderr.write(text)

    hook._kingpin_redacts = True  # type: ignore[attr-defined]
    sys.excepthook = hook
