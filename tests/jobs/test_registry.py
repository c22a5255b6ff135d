"""The command registry and the handlers stay in step."""

from __future__ import annotations

from game.commands import ALIASES, COMMANDS, USAGE, parse_command
from jobs.apply import LOCK_ON_CLAIM
from jobs.handlers import HANDLERS


def test_every_registry_command_has_a_handler_and_no_handler_is_unlisted() -> None:
    assert set(HANDLERS) == set(COMMANDS)


def test_every_command_parses_by_its_name_and_aliases_and_has_its_usage() -> None:
    for name, aliases in ALIASES.items():
        for word in (name, *aliases):
            cmd = parse_command(f"!{word} x")
            assert cmd is not None and cmd.name == name
        assert USAGE[name].startswith(f"usage: !{name}")


def test_the_claim_locks_exactly_the_commands_the_registry_says() -> None:
    assert LOCK_ON_CLAIM == {"play": "play", "rob": "rob", "bail": "bail", "checkin": "checkin"}
    assert all(COMMANDS[name].lock == lock for name, lock in LOCK_ON_CLAIM.items())
