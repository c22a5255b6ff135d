from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game.replies import merge_texts, split_text

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=2000)


@given(texts, st.integers(10, 500))
def test_split_respects_the_limit_and_keeps_every_word(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(len(p) <= limit for p in parts)
    assert "".join(parts).replace(" ", "") == "".join(text.split()).replace(" ", "") or \
        "".join("".join(parts).split()) == "".join(text.split())


@given(st.lists(texts, min_size=1, max_size=30), st.integers(20, 500))
def test_merge_packs_without_losing_text(items: list[str], limit: int) -> None:
    merged = merge_texts(items, limit)
    assert all(len(m) <= limit for m in merged)
    assert len(merged) <= sum(len(split_text(t, limit)) for t in items)
    joined = "".join("".join(merged).split())
    for item in items:
        for word in item.split():
            assert word[:limit] in joined


def test_merge_reduces_message_count() -> None:
    assert merge_texts(["@a hi", "@b hello", "@c yo"], 500) == ["@a hi | @b hello | @c yo"]
