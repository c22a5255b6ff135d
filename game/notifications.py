"""Notifications (GAME.md "Notifications and feed"): what is stored for a player, and what is
notable enough for the community's Discord feed. Pure."""

from __future__ import annotations

from game.levels import Progress
from game.rules import Tier

RETENTION_DAYS = 30
INBOX_SHOWN = 5  # newest notifications !inbox lists
FEED_TIER = Tier.CAPTAIN  # promotions to this tier and above are posted to the feed
BIG_ROB = 25_000  # a rob taking this much or more is posted to the feed
HARD_HEISTS = frozenset({"riddle", "math"})  # their wins are posted to the feed


def progress_kind(prog: Progress) -> str | None:
    """``tier_up``, ``level_up`` or None (nothing to store)."""
    if prog.tier_changed and prog.tier_after > prog.tier_before:
        return "tier_up"
    return "level_up" if prog.leveled_up else None


def promotion_is_notable(prog: Progress) -> bool:
    return progress_kind(prog) == "tier_up" and prog.tier_after >= FEED_TIER


def inbox_text(entries: list[tuple[str, bool]], total_unread: int) -> str:
    """``!inbox``'s line: the newest entries (text, unread), the unread ones marked."""
    if not entries:
        return f"📭 nothing in your inbox (notifications are kept {RETENTION_DAYS} days)"
    head = f"📬 {total_unread} new" if total_unread else "📬 nothing new"
    return head + " — " + " · ".join(("• " if unread else "") + text
                                     for text, unread in entries)
