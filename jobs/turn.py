"""One command being handled (``Turn``) and the shape of a handler; every feature's
handlers (jobs/commands.py, jobs/inventory.py, jobs/shop.py, …) take these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from game.commands import Command
from game.events import ChatMessage
from game.redemptions import Redeemed
from game.replies import Card, Reply, mention
from game.rules import DEFAULT_RULES, Rules
from jobs import state
from jobs.context import AppContext
from jobs.players import PlayerRef


@dataclass
class Turn:
    """One command being handled: who, where, when, and what to say back."""

    app: AppContext
    event: ChatMessage
    player: PlayerRef
    cmd: Command
    now: datetime
    community: int
    rules: Rules = DEFAULT_RULES  # the community's (defaults + its !config values)
    target: PlayerRef | None = None
    # the actor, already locked with jail and cooldown when the claim could do it
    snapshot: state.Snapshot | None = None
    # the player named (``target``), locked by the claim with the actor when it found them
    target_snapshot: state.Snapshot | None = None
    replies: list[Reply] = field(default_factory=list)

    @property
    def source_key(self) -> str:
        return self.event.key

    @property
    def redeemed(self) -> bool:
        """The command came from a channel-point redemption (``economy.live_mode``)."""
        return isinstance(self.event, Redeemed)

    def say(self, text: str, card: Card | None = None) -> None:
        """Answer the asker; ``card`` is the same information structured, for platforms that
        show cards (the text stays the whole answer)."""
        self.replies.append(Reply(
            platform=self.event.platform, channel=self.event.channel,
            text=f"{mention(self.player.name)} {text}",
            # a redemption's id is no chat message to answer in a thread
            reply_to=None if self.redeemed else self.event.event_id,
            source_received_at=self.event.received_at, card=card,
        ))

    def say_private(self, text: str) -> None:
        """``say``, for the asker's eyes only (``Reply.private``): never merged with other
        replies, and never posted where others read it (see kingpin/outbox.py)."""
        self.say(text)
        self.replies[-1] = self.replies[-1].model_copy(update={"private": True})

    def tell(self, name: str, text: str) -> None:
        self.replies.append(Reply(
            platform=self.event.platform, channel=self.event.channel,
            text=f"{mention(name)} {text}",
        ))

    def announce(self, text: str | None) -> None:
        if text:
            self.replies.append(Reply(
                platform=self.event.platform, channel=self.event.channel, text=text,
            ))


Handler = Callable[[Turn, BaseDBAsyncClient], Awaitable[None]]
