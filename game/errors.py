"""Domain errors: each carries the short text the player needs. One translator in jobs/
turns them into a reply; nothing else formats failures."""

from __future__ import annotations


class GameError(Exception):
    """A refusal the player should read. ``message`` is chat-ready (no mention prefix)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(GameError):
    pass


class CooldownActive(GameError):
    def __init__(self, command: str, seconds_left: int) -> None:
        super().__init__(f"!{command} is on cooldown for {format_duration(seconds_left)}")
        self.seconds_left = seconds_left


class Jailed(GameError):
    def __init__(self, seconds_left: int, bail: int) -> None:
        price = "is free" if bail == 0 else f"costs ${bail:,}"
        super().__init__(
            f"you're in jail for {format_duration(seconds_left)} more — !bail {price}"
        )
        self.seconds_left = seconds_left
        self.bail = bail


class NotAllowed(GameError):
    pass


class TargetError(GameError):
    pass


def format_duration(seconds: int) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min" if sec == 0 or minutes >= 10 else f"{minutes} min {sec}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
