"""What a level change stores and what reaches the feed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game.levels import Progress
from game.notifications import inbox_text, progress_kind, promotion_is_notable
from game.rules import Tier

tiers = st.sampled_from(list(Tier))


@given(st.integers(1, 200), st.integers(0, 50), tiers, tiers)
def test_only_a_rise_is_stored_and_only_captain_up_is_notable(
        level: int, gain: int, before: Tier, after: Tier) -> None:
    prog = Progress(level, level + gain, before, after)
    kind = progress_kind(prog)
    if after > before:
        assert kind == "tier_up"
        assert promotion_is_notable(prog) == (after >= Tier.CAPTAIN)
    else:
        assert kind == ("level_up" if gain else None)
        assert not promotion_is_notable(prog)


def test_inbox_lines() -> None:
    assert "nothing in your inbox" in inbox_text([], 0)
    assert inbox_text([("b", True), ("a", False)], 1) == "📬 1 new — • b · a"
    assert inbox_text([("a", False)], 0) == "📬 nothing new — a"
