"""Keeping one transport's EventSub subscriptions equal to the wanted ones, through twitchio.

``Subscriptions`` is the state of one transport (the conduit, or the webhook callback): which
subscriptions it has, with their ids. ``sync(wanted)`` creates what is missing and deletes
what is no longer wanted, so a channel added to a community is subscribed and a removed one
unsubscribed without a restart. Both transports use the app token (twitchio picks it for
``conduit`` and ``webhook``); Twitch checks each user's authorization itself.

* ``adopt_listed()`` takes what Twitch already has for this transport (conduit and webhook
  subscriptions outlive the process): live ones join the state (``sync`` deletes those no
  longer wanted), dead ones (revoked, failed) are deleted so a wanted one is made afresh.
* A subscription Twitch refused (403 missing authorization, 400...) is remembered as refused
  and not asked again until it stops being wanted (a channel removed and added again
  retries it), so a reconcile every few seconds does not repeat the same error line.
* 429/5xx are retried a few times with a backoff; a deletion that fails keeps the
  subscription in the state, and the next ``sync`` tries again.
* An id we do not know (409 "already subscribed") is looked up in the listing when the
  subscription is to be deleted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import twitchio
from twitchio.eventsub import SubscriptionType
from twitchio.exceptions import HTTPException

from platforms.twitch.client import http_error
from platforms.twitch.subscriptions import SubKey, SubSpec, listed_spec

log = logging.getLogger(__name__)

EXISTS = "exists"  # the id of a subscription Twitch answered 409 for
# statuses of a listed subscription that still delivers (or is about to)
LIVE = frozenset({"enabled", "webhook_callback_verification_pending"})
_NETWORK = (aiohttp.ClientError, TimeoutError, OSError)
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class SyncStats:
    created: int = 0
    failed: int = 0
    deleted: int = 0
    delete_failed: int = 0


@dataclass
class Subscriptions:
    client: twitchio.Client
    transport: Mapping[str, str]  # {"method": "conduit", "conduit_id"} or webhook + callback
    retries: int = 3
    sleep: Sleep = asyncio.sleep
    # key -> (spec, subscription id; None when Twitch refused it)
    done: dict[SubKey, tuple[SubSpec, str | None]] = field(default_factory=dict)
    stats: SyncStats = field(default_factory=SyncStats)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def ids(self) -> list[str]:
        return [sub_id for _, sub_id in self.done.values() if sub_id is not None]

    @property
    def count(self) -> int:
        return sum(1 for _, sub_id in self.done.values() if sub_id is not None)

    async def sync(self, wanted: Sequence[SubSpec]) -> None:
        async with self._lock:
            want = {spec.key: spec for spec in wanted}
            for key in [k for k in self.done if k not in want]:
                if await self._delete(*self.done[key]):
                    del self.done[key]
            for key, spec in want.items():
                if key not in self.done:
                    self.done[key] = (spec, await self._create(spec))

    async def _listed(self) -> list[dict[str, Any]]:
        """Every subscription of this transport, as Twitch lists them (every page)."""
        conduit = self.transport.get("conduit_id")
        found = await self.client.fetch_eventsub_subscriptions(conduit_id=conduit or None)
        subs = []
        async for sub in found.subscriptions:
            if conduit is None and (sub.transport.method != self.transport.get("method")
                                    or sub.transport.callback != self.transport.get("callback")):
                continue
            subs.append({"id": sub.id, "status": sub.status, "type": sub.type,
                         "version": sub.version, "condition": dict(sub.condition)})
        return subs

    async def adopt_listed(self) -> None:
        try:
            listed = await self._listed()
        except (*_NETWORK, HTTPException) as exc:
            log.warning("twitch: listing the existing subscriptions failed (%s); creating "
                        "them anew", _why(exc))
            return
        async with self._lock:
            for sub in listed:
                spec = listed_spec(sub)
                if spec is None or not sub["id"]:
                    continue
                if sub["status"] in LIVE:
                    self.done[spec.key] = (spec, sub["id"])
                else:
                    await self._delete(spec, sub["id"])

    async def _create(self, spec: SubSpec) -> str | None:
        for attempt in range(self.retries + 1):
            try:
                resp = await self.client.http.create_eventsub_subscription(
                    type=SubscriptionType(spec.type), version=spec.version,
                    condition=spec.condition_dict,  # type: ignore[arg-type]
                    transport=dict(self.transport),  # type: ignore[arg-type]
                    token_for=None)
            except HTTPException as exc:
                if exc.status == 409:
                    log.info("twitch#%s: %s already subscribed", spec.channel, spec.type)
                    self.stats.created += 1
                    return EXISTS
                if exc.status == 429 or exc.status >= 500:
                    await self._backoff(spec, attempt, http_error(exc))
                    continue
                log.error("twitch#%s: Twitch refused %s v%s (%s); check the authorizations",
                          spec.channel, spec.type, spec.version, http_error(exc))
                break
            except _NETWORK as exc:
                await self._backoff(spec, attempt, _why(exc))
                continue
            except Exception:  # noqa: BLE001 - logged, the rest still go
                log.exception("twitch#%s: creating %s failed", spec.channel, spec.type)
                break
            data: list[Any] = list(resp.get("data") or [])
            sub_id = str((data[0] if data else {}).get("id") or EXISTS)
            self.stats.created += 1
            log.info("twitch#%s: subscribed to %s v%s (%s)", spec.channel, spec.type,
                     spec.version, sub_id)
            return sub_id
        self.stats.failed += 1
        return None

    async def _backoff(self, spec: SubSpec, attempt: int, why: str) -> None:
        delay = min(10.0, 0.5 * 2 ** attempt)
        log.warning("twitch#%s: creating %s failed (%s); attempt %d/%d, next in %.1fs",
                    spec.channel, spec.type, why, attempt + 1, self.retries + 1, delay)
        if attempt < self.retries:
            await self.sleep(delay)

    async def _delete(self, spec: SubSpec, sub_id: str | None) -> bool:
        """True once it is gone (or was never made)."""
        if sub_id is None:
            return True
        try:
            ids = [sub_id] if sub_id != EXISTS else await self._lookup(spec)
            for one in ids:
                try:
                    await self.client.delete_eventsub_subscription(one)
                except HTTPException as exc:
                    if exc.status != 404:  # 404: it is gone already
                        raise
        except (*_NETWORK, HTTPException) as exc:
            self.stats.delete_failed += 1
            log.warning("twitch#%s: deleting %s failed (%s); trying again later",
                        spec.channel, spec.type, _why(exc))
            return False
        self.stats.deleted += 1
        log.info("twitch#%s: unsubscribed from %s", spec.channel, spec.type)
        return True

    async def _lookup(self, spec: SubSpec) -> list[str]:
        found = []
        for sub in await self._listed():
            same = listed_spec(sub)
            if same is not None and same.key == spec.key and sub["id"]:
                found.append(str(sub["id"]))
        return found


def _why(exc: BaseException) -> str:
    return http_error(exc) if isinstance(exc, HTTPException) else type(exc).__name__
