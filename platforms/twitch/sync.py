"""Keeping one transport's EventSub subscriptions equal to the wanted ones.

``Subscriptions`` is the state of one transport (a WebSocket session, or the webhook callback):
which subscriptions it has created, with their ids. ``sync(wanted)`` creates what is missing
and deletes (DELETE /eventsub/subscriptions) what is no longer wanted, so a channel added to a
community is subscribed and a removed one unsubscribed without a restart.

* A subscription Twitch refused (403 missing scope, 400...) is remembered as refused and not
  asked again until it stops being wanted (a channel removed and added again retries it),
  so a reconcile every few seconds does not repeat the same error line.
* A deletion that fails (network, 429, 5xx) keeps the subscription in the state; the next
  ``sync`` tries again.
* An id we do not know (409 "already subscribed", e.g. after a restart) is looked up with
  Get EventSub Subscriptions filtered by the channel, matching type, version, condition and
  this transport (the callback URL, or the WebSocket session id).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from platforms.twitch.auth import OAuthError
from platforms.twitch.helix import Helix, HelixError
from platforms.twitch.subscriptions import SubKey, SubSpec, listed_spec

log = logging.getLogger(__name__)

# ids create_subscription returns without a real one: 409, or a 202 without an id
UNKNOWN_IDS = frozenset({"exists", "created"})
# statuses of a listed subscription that still delivers (or is about to)
LIVE = frozenset({"enabled", "webhook_callback_verification_pending"})
_FAILURES = (aiohttp.ClientError, TimeoutError, HelixError, OAuthError)


@dataclass
class SyncStats:
    created: int = 0
    failed: int = 0
    deleted: int = 0
    delete_failed: int = 0


@dataclass
class Subscriptions:
    helix: Helix
    account: str  # whose token creates, lists and deletes
    transport: Mapping[str, str]
    # key -> (spec, subscription id; None when Twitch refused it)
    done: dict[SubKey, tuple[SubSpec, str | None]] = field(default_factory=dict)
    stats: SyncStats = field(default_factory=SyncStats)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def ids(self) -> list[str]:
        return [sub_id for _, sub_id in self.done.values() if sub_id is not None]

    def ours(self, sub: Mapping[str, Any]) -> bool:
        """A listed subscription delivers to this transport."""
        transport = sub.get("transport")
        if not isinstance(transport, Mapping):
            return False
        if self.transport.get("method") != transport.get("method"):
            return False
        if self.transport.get("method") == "websocket":
            return bool(transport.get("session_id") == self.transport.get("session_id"))
        return bool(transport.get("callback") == self.transport.get("callback"))

    async def sync(self, wanted: Sequence[SubSpec]) -> None:
        async with self._lock:
            want = {spec.key: spec for spec in wanted}
            for key in [k for k in self.done if k not in want]:
                if await self._delete(*self.done[key]):
                    del self.done[key]
            for key, spec in want.items():
                if key not in self.done:
                    self.done[key] = (spec, await self._create(spec))

    async def adopt_listed(self) -> None:
        """Take what Twitch already has for this transport (webhooks survive a restart):
        live ones join the state (``sync`` deletes those no longer wanted), dead ones
        (revoked, failed) are deleted so a wanted one can be created afresh."""
        try:
            listed = await self.helix.list_subscriptions(account=self.account)
        except _FAILURES as exc:
            log.warning("twitch: listing the existing subscriptions failed (%s); creating "
                        "them anew", exc)
            return
        async with self._lock:
            for sub in listed:
                spec = listed_spec(sub, self.account)
                sub_id = str(sub.get("id") or "")
                if spec is None or not sub_id or not self.ours(sub):
                    continue
                if sub.get("status") in LIVE:
                    self.done[spec.key] = (spec, sub_id)
                else:
                    await self._delete(spec, sub_id)

    async def _create(self, spec: SubSpec) -> str | None:
        try:
            sub_id = await self.helix.create_subscription(
                spec.type, spec.version, spec.condition_dict, self.transport,
                account=self.account)
        except Exception:  # noqa: BLE001 - e.g. no token: logged, the rest still go
            log.exception("twitch#%s: creating %s failed", spec.channel, spec.type)
            sub_id = None
        if sub_id is None:
            self.stats.failed += 1
        else:
            self.stats.created += 1
        return sub_id

    async def _delete(self, spec: SubSpec, sub_id: str | None) -> bool:
        """True once it is gone (or was never made)."""
        if sub_id is None:
            return True
        try:
            ids = [sub_id] if sub_id not in UNKNOWN_IDS else await self._lookup(spec)
            for one in ids:
                if not await self.helix.delete_subscription(one, account=self.account):
                    self.stats.delete_failed += 1
                    return False
        except _FAILURES as exc:
            self.stats.delete_failed += 1
            log.warning("twitch#%s: deleting %s failed (%s); trying again later",
                        spec.channel, spec.type, exc)
            return False
        self.stats.deleted += 1
        log.info("twitch#%s: unsubscribed from %s", spec.channel, spec.type)
        return True

    async def _lookup(self, spec: SubSpec) -> list[str]:
        listed = await self.helix.list_subscriptions(account=self.account,
                                                     user_id=spec.channel)
        found = []
        for sub in listed:
            same = listed_spec(sub, self.account)
            if same is not None and same.key == spec.key and self.ours(sub) and sub.get("id"):
                found.append(str(sub["id"]))
        return found
