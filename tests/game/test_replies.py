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


def test_a_card_keeps_the_embed_limits() -> None:
    import pytest
    from pydantic import ValidationError

    from game.replies import Card, CardField

    field = CardField(name="n" * 256, value="v" * 1024)
    Card(title="t" * 256, description="d" * 4096, fields=(field,) * 25, footer="f")
    bad: list[dict[str, object]] = [
        {"title": ""}, {"title": "t" * 257}, {"title": "t", "description": "d" * 4097},
        {"title": "t", "fields": (field,) * 26},
    ]
    for kwargs in bad:
        with pytest.raises(ValidationError):
            Card.model_validate(kwargs)
    for name, value in (("n" * 257, "v"), ("n", "v" * 1025), ("", "v"), ("n", "")):
        with pytest.raises(ValidationError):
            CardField(name=name, value=value)
    with pytest.raises(ValidationError):  # frozen
        field.name = "x"  # type: ignore[misc]


def test_a_carded_reply_round_trips_and_old_json_still_parses() -> None:
    from game.events import Platform
    from game.replies import Card, CardField, Reply

    card = Card(title="📇 profile", description="line 1\nline 2",
                fields=(CardField(name="Wealth", value="$5,000"),
                        CardField(name="Robs", value="1/2", inline=False)))
    reply = Reply(platform=Platform.DISCORD, channel="c", text="@a Punk | $5,000", card=card)
    again = Reply.model_validate_json(reply.model_dump_json(exclude_none=True))
    assert again == reply and again.card == card and again.card.fields[1].inline is False
    old = '{"platform": "twitch", "channel": "c", "text": "@a hi", "reply_to": "m1"}'
    assert Reply.model_validate_json(old).card is None
    assert "card" not in Reply.model_validate_json(old).model_dump_json(exclude_none=True)


def test_plural_counts_one_and_many() -> None:
    from game.replies import plural

    assert plural(1, "member") == "1 member"
    assert plural(2, "member") == "2 members"
    assert plural(0, "territory", "territories") == "0 territories"
    assert plural(1_000, "crate") == "1,000 crates"
