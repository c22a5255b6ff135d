"""What every job needs, built once per worker in workers/ and passed through arq's ctx."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from arq.connections import ArqRedis

from game.rules import DEFAULT_RULES, Rules
from jobs.config import RulesCache
from jobs.heist_board import HeistBoard
from jobs.redemptions import MappingCache
from kingpin.communities import Directory
from kingpin.faults import Outages
from kingpin.keys import Keys
from kingpin.settings import Settings


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    redis: ArqRedis
    keys: Keys
    settings: Settings
    rules: Rules = DEFAULT_RULES
    rng: random.Random = field(default_factory=random.SystemRandom)
    clock: Callable[[], datetime] = utcnow
    outages: Outages = field(default_factory=lambda: Outages(logging.getLogger("kingpin.outage")))
    directory: Directory = field(default_factory=Directory)
    heist_board: HeistBoard = field(default_factory=HeistBoard)
    # each community's channel-point reward mappings (economy.live_mode)
    redemptions: MappingCache = field(default_factory=MappingCache)
    rules_cache: RulesCache = field(init=False)

    def __post_init__(self) -> None:
        self.rules_cache = RulesCache(self.rules)


def app_from(ctx: dict[str, object]) -> AppContext:
    app = ctx["app"]
    assert isinstance(app, AppContext)
    return app
