"""Heists (GAME.md "Heists (timed, cross-platform)"): the six kinds, their puzzles, how an
answer is judged and the crate it wins. The kinds' numbers and the content pools are data
(game/content/heists.toml), read once and checked at import.

Pure: the caller passes an ``rng`` (a ``random.Random`` will do) and the community's recent
content keys, and keeps the clock, the grace window and the per-player answer count
(``MAX_ANSWERS_PER_PLAYER``) itself.

Judging a chat message (``is_correct``); the whole message is compared, so a message holding
several guesses (``paris london``, ``ABC-123 XYZ-456``, ``41 42``) never wins. An optional
leading ``!grab`` (any case, then a space or nothing) is dropped first, and so are invisible
characters (zero-width spaces, the tag characters some chat clients append to a repeated
message):

* text kinds (quick grab, trivia, word scramble, riddle): ``normalize_answer`` of the message
  equals an accepted form, spacing between words aside: case, accents, punctuation and a
  leading a/an/the never matter, and neither does where the words break (``eiffeltower``
  wins for "Eiffel Tower", like game.matching's folded names; ``dont`` for "don't");
* code crack: the exact characters of the code, surrounding whitespace aside, except that
  lowercase letters are allowed (``abc-123`` wins for ``ABC-123``: chat users cannot be asked
  to type capitals). ``ABC123``, ``ABC 123`` and ``ABC-124`` do not win;
* math hack: the message is one plain decimal number equal to the answer (``42``, ``+42``,
  ``42.0``); ``4 2``, ``42 43``, ``forty-two`` and ``4.2e1`` do not win.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Collection, Mapping, MutableSequence, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal, Protocol, TypeVar

from game.catalogue import ITEM_TIERS, ItemTier, _unique, _weights
from game.crates import weighted_choice
from game.matching import words
from game.replies import a_or_an

T = TypeVar("T")


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


E = TypeVar("E", bound=_Keyed)

HeistKind = Literal["grab", "code", "trivia", "scramble", "riddle", "math"]
HEIST_KINDS: tuple[HeistKind, ...] = ("grab", "code", "trivia", "scramble", "riddle", "math")
TEXT_KINDS: frozenset[HeistKind] = frozenset({"grab", "trivia", "scramble", "riddle"})

RECENT_WINDOW = 10          # content does not repeat within the last 10 of its kind
MAX_ANSWERS_PER_PLAYER = 5  # answers a player may give per heist

CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # A-Z without I and O
ARTICLES = frozenset({"a", "an", "the"})
GRAB_WORDS = (2, 5)       # a grab phrase's word count
SCRAMBLE_LETTERS = (5, 10)  # a scramble word's length
MAX_TEXT = 200            # a phrase or question, so an announcement stays well under 500
MAX_ANSWER = 60           # an answer, shown in the win and timeout lines
_GENERATE_TRIES = 1000    # fresh codes and sums before a recent one is allowed again


class HeistRng(Protocol):
    """What the heist draws use; ``random.Random`` has it all."""

    def random(self) -> float: ...

    def randint(self, a: int, b: int) -> int: ...

    def uniform(self, a: float, b: float) -> float: ...

    def choice(self, seq: Sequence[T]) -> T: ...

    def shuffle(self, x: MutableSequence[Any]) -> None: ...


# --- content -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindRules:
    kind: HeistKind
    name: str                      # "quick grab", "code crack", …
    chance: Decimal                # percent
    time_limit_s: int
    odds: Mapping[ItemTier, int]   # crate tier weights (percent)


@dataclass(frozen=True)
class GrabPhrase:
    key: str
    text: str


@dataclass(frozen=True)
class ScrambleWord:
    key: str
    word: str


@dataclass(frozen=True)
class Question:
    key: str
    question: str
    answer: str
    also: tuple[str, ...] = ()  # other accepted answers

    def accepted(self) -> tuple[str, ...]:
        """The normalized answers that win, the canonical one first, without repeats."""
        return tuple(dict.fromkeys(normalize_answer(a) for a in (self.answer, *self.also)))


@dataclass(frozen=True)
class Riddle(Question):
    pass


@dataclass(frozen=True)
class Trivia(Question):
    pass


Q = TypeVar("Q", bound=Question)


@dataclass(frozen=True)
class Pools:
    grab: tuple[GrabPhrase, ...]
    scramble: tuple[ScrambleWord, ...]
    riddle: tuple[Riddle, ...]
    trivia: tuple[Trivia, ...]


@dataclass(frozen=True)
class HeistContent:
    kinds: Mapping[HeistKind, KindRules]
    pools: Pools


def _text(raw: Mapping[str, Any], field: str, what: str, limit: int = MAX_TEXT) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise ValueError(f"{what}: {field} is a non-empty string without surrounding spaces")
    if len(value) > limit:
        raise ValueError(f"{what}: {field} is longer than {limit} characters")
    return value


def _fields(raw: Any, allowed: set[str], what: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{what}: a table")
    unknown = set(raw) - allowed
    if unknown:
        raise ValueError(f"{what}: unknown field {', '.join(sorted(unknown))}")
    return raw


def _kind(kind: HeistKind, raw: Any) -> KindRules:
    what = f"heist kind {kind}"
    raw = _fields(raw, {"name", "chance", "time_limit_s", "odds"}, what)
    chance_text = raw.get("chance")
    if not isinstance(chance_text, str):  # a TOML float would not be exact
        raise ValueError(f"{what}: chance is a string (an exact Decimal), not {chance_text!r}")
    try:
        chance = Decimal(chance_text)
    except InvalidOperation:
        raise ValueError(f"{what}: chance {chance_text!r} is not a number") from None
    if not chance.is_finite() or chance < 0:
        raise ValueError(f"{what}: chance {chance_text!r} is not a percentage")
    limit = raw.get("time_limit_s")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        raise ValueError(f"{what}: time_limit_s is a positive number of seconds")
    odds = _weights(raw.get("odds", {}), ITEM_TIERS, f"{what} crate odds")
    if sum(odds.values()) != 100:
        raise ValueError(f"{what}: crate odds sum to 100, not {sum(odds.values())}")
    return KindRules(kind=kind, name=_text(raw, "name", what), chance=chance,
                     time_limit_s=limit, odds=MappingProxyType(odds))


def _question(cls: type[Q], raw: Any, what: str) -> Q:
    raw = _fields(raw, {"key", "question", "answer", "also"}, what)
    also = raw.get("also", [])
    if not isinstance(also, list):
        raise ValueError(f"{what}: also is a list of answers")
    item = cls(key=_text(raw, "key", what), question=_text(raw, "question", what),
               answer=_text(raw, "answer", what, MAX_ANSWER),
               also=tuple(_text({"also": a}, "also", what, MAX_ANSWER) for a in also))
    if not all(item.accepted()):
        raise ValueError(f"{what}: an answer normalizes to nothing")
    return item


def _grab(raw: Any, what: str) -> GrabPhrase:
    raw = _fields(raw, {"key", "text"}, what)
    phrase = GrabPhrase(key=_text(raw, "key", what), text=_text(raw, "text", what))
    count = len(words(phrase.text))
    if not GRAB_WORDS[0] <= count <= GRAB_WORDS[1] or not normalize_answer(phrase.text):
        raise ValueError(f"{what}: a phrase of {GRAB_WORDS[0]}-{GRAB_WORDS[1]} words")
    return phrase


def _scramble(raw: Any, what: str) -> ScrambleWord:
    raw = _fields(raw, {"key", "word"}, what)
    entry = ScrambleWord(key=_text(raw, "key", what), word=_text(raw, "word", what))
    low, high = SCRAMBLE_LETTERS
    if not re.fullmatch(rf"[a-z]{{{low},{high}}}", entry.word) or len(set(entry.word)) < 2:
        raise ValueError(f"{what}: one lowercase word of {low}-{high} letters a-z, "
                         "not all the same letter")
    return entry


def build(doc: Mapping[str, Any]) -> HeistContent:
    """The kinds and pools from a parsed heists.toml (exposed so tests can feed broken ones).

    Raises ``ValueError`` for: not exactly the six kinds, a chance that is not an exact
    percentage or chances not summing to 100, crate odds not summing to 100, a missing,
    empty or overlong text, an answer that normalizes to nothing, a duplicate key in a pool,
    a pool no larger than ``RECENT_WINDOW``, a grab phrase not of 2-5 words, a scramble word
    not of 5-10 letters a-z or of one repeated letter, an unknown field.
    """
    raw_kinds = doc.get("kind", {})
    if not isinstance(raw_kinds, Mapping) or set(raw_kinds) != set(HEIST_KINDS):
        raise ValueError(f"heist kinds: exactly {', '.join(HEIST_KINDS)}")
    kinds = {k: _kind(k, raw_kinds[k]) for k in HEIST_KINDS}
    total = sum(r.chance for r in kinds.values())
    if total != 100:
        raise ValueError(f"heist kinds: chances sum to 100, not {total}")
    if any(_chance_weight(r.chance) != r.chance * 10 for r in kinds.values()):
        raise ValueError("heist kinds: chances have at most one decimal place")
    raw_pools = _fields(doc.get("pool"), {"grab", "scramble", "riddle", "trivia"}, "pools")

    def entries(name: str) -> list[Any]:
        found = raw_pools.get(name)
        if not isinstance(found, list) or len(found) <= RECENT_WINDOW:
            raise ValueError(f"pool {name}: more than {RECENT_WINDOW} entries")
        return found

    pools = Pools(
        grab=tuple(_grab(r, f"grab {i}") for i, r in enumerate(entries("grab"), 1)),
        scramble=tuple(_scramble(r, f"scramble {i}")
                       for i, r in enumerate(entries("scramble"), 1)),
        riddle=tuple(_question(Riddle, r, f"riddle {i}")
                     for i, r in enumerate(entries("riddle"), 1)),
        trivia=tuple(_question(Trivia, r, f"trivia {i}")
                     for i, r in enumerate(entries("trivia"), 1)),
    )
    for name in ("grab", "scramble", "riddle", "trivia"):
        _unique([e.key for e in getattr(pools, name)], f"{name} key")
    return HeistContent(kinds=MappingProxyType(kinds), pools=pools)


def _chance_weight(chance: Decimal) -> int:
    """A chance as an integer draw weight: tenths of a percent."""
    return int(chance * 10)


@cache
def content() -> HeistContent:
    text = resources.files("game.content").joinpath("heists.toml").read_text(encoding="utf-8")
    return build(tomllib.loads(text))


def pools() -> Pools:
    """The content pools (for the seeding job as much as for the puzzles)."""
    return content().pools



# --- judging -------------------------------------------------------------------------------

_PREFIX = re.compile(r"!grab(?:\s+|$)", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)


def _message(text: str) -> str:
    """The message without invisible characters, surrounding whitespace and ``!grab``."""
    visible = "".join(c for c in text
                      if c.isspace() or not unicodedata.category(c).startswith("C"))
    stripped = visible.strip()
    prefix = _PREFIX.match(stripped)
    return stripped[prefix.end():] if prefix else stripped


def normalize_answer(text: str) -> str:
    """A text answer as it is compared: ``!grab`` dropped, folded words (case, accents and
    punctuation gone: game.matching.words) joined by single spaces, a leading a/an/the
    dropped when more words follow (``The Eiffel Tower`` -> ``eiffel tower``)."""
    found = words(_message(text))
    if len(found) > 1 and found[0] in ARTICLES:
        found = found[1:]
    return " ".join(found)


def _joined(normalized: str) -> str:
    return normalized.replace(" ", "")


def is_correct(kind: HeistKind, accepted: Collection[str], message: str) -> bool:
    """Whether a chat message wins a heist of ``kind`` (see the module docstring)."""
    if kind in TEXT_KINDS:
        guess = _joined(normalize_answer(message))
        return bool(guess) and any(guess == _joined(a) for a in accepted)
    text = _message(message)
    if kind == "code":
        return text.isascii() and text.upper() in accepted
    if not _NUMBER.fullmatch(text):
        return False
    return any(Decimal(text) == Decimal(a) for a in accepted)


# --- puzzles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Puzzle:
    kind: HeistKind
    content_key: str             # remembered for "not within the last RECENT_WINDOW"
    prompt: str                  # the announcement line
    answer: str                  # the canonical answer, shown when nobody wins
    accepted: tuple[str, ...]    # the normalized forms that win (is_correct)


def _prompt(kind: HeistKind, ask: str, shown: str) -> str:
    return f"🚨 HEIST! {ask}: {shown} ({KINDS[kind].time_limit_s} s)"


def choose_kind(rng: HeistRng) -> HeistKind:
    """A heist kind by the kinds' chances (an exact draw over tenths of a percent)."""
    return weighted_choice({k: _chance_weight(r.chance) for k, r in KINDS.items()}, rng)


def _fresh(entries: Sequence[E], rng: HeistRng, recent: Collection[str]) -> E:
    """A random entry whose key is not recent (any entry when all are)."""
    fresh = [e for e in entries if e.key not in recent]
    return rng.choice(fresh or entries)


def make_code(rng: HeistRng) -> str:
    """``XXX-000``: three letters A-Z without I and O, a dash, three digits."""
    letters = "".join(rng.choice(CODE_LETTERS) for _ in range(3))
    return f"{letters}-{rng.randint(0, 999):03d}"


def _code_pair(rng: HeistRng) -> tuple[str, str]:
    code = make_code(rng)
    return code, code


def _math_pair(rng: HeistRng) -> tuple[str, str]:
    expression, answer = make_math(rng)
    return expression, str(answer)


def make_math(rng: HeistRng) -> tuple[str, int]:
    """``(expression, answer)``, one of the four forms, uniformly: a × b (2-12 each),
    a + b (10-99 each), a ÷ b with a whole result (b and the result 2-12), a × b + c (a, b
    2-12, c 1-20)."""
    form = rng.randint(1, 4)
    a, b = rng.randint(2, 12), rng.randint(2, 12)
    if form == 1:
        return f"{a} × {b}", a * b
    if form == 2:
        a, b = rng.randint(10, 99), rng.randint(10, 99)
        return f"{a} + {b}", a + b
    if form == 3:
        return f"{a * b} ÷ {b}", a
    c = rng.randint(1, 20)
    return f"{a} × {b} + {c}", a * b + c


def scramble(word: str, rng: HeistRng) -> str:
    """The word's letters in a random order that is not the word itself (the loaded words
    have at least two different letters; after 100 equal shuffles, the word rotated by one
    letter, which then differs)."""
    letters = list(word)
    for _ in range(100):
        rng.shuffle(letters)
        if "".join(letters) != word:
            return "".join(letters)
    return word[1:] + word[0]  # pragma: no cover - a 1 in 5**100 chance at worst


def _generated(make: Callable[[HeistRng], tuple[str, str]], rng: HeistRng,
               recent: Collection[str]) -> tuple[str, str]:
    """``(key, answer)`` from ``make``, a key not in ``recent`` (after ``_GENERATE_TRIES``
    recent ones in a row, whatever came last: only a huge ``recent`` gets there)."""
    for _ in range(_GENERATE_TRIES):
        made = make(rng)
        if made[0] not in recent:
            break
    return made


def make_puzzle(kind: HeistKind, rng: HeistRng, recent: Collection[str] = ()) -> Puzzle:
    """A puzzle of ``kind`` whose content key is not in ``recent`` (the community's last
    ``RECENT_WINDOW`` keys of the kind); when every entry of a pool is recent, any entry.
    Generated kinds are keyed by the code or the expression itself."""
    p = pools()
    if kind == "grab":
        g = _fresh(p.grab, rng, recent)
        return Puzzle(kind, g.key, _prompt(kind, "First to type the phrase wins a crate", g.text),
                      g.text, (normalize_answer(g.text),))
    if kind == "scramble":
        w = _fresh(p.scramble, rng, recent)
        return Puzzle(kind, w.key, _prompt(kind, "Unscramble the word to win a crate",
                                           scramble(w.word, rng).upper()),
                      w.word, (normalize_answer(w.word),))
    if kind == "riddle" or kind == "trivia":
        questions: Sequence[Question] = p.riddle if kind == "riddle" else p.trivia
        q = _fresh(questions, rng, recent)
        ask = "Riddle — first right answer wins a crate" if kind == "riddle" else \
            "Trivia — first right answer wins a crate"
        return Puzzle(kind, q.key, _prompt(kind, ask, q.question), q.answer, q.accepted())
    if kind == "code":
        code, _ = _generated(_code_pair, rng, recent)
        return Puzzle(kind, code, _prompt(kind, "First to type the code wins a crate", code),
                      code, (code,))
    expression, answer = _generated(_math_pair, rng, recent)
    return Puzzle(kind, expression, _prompt(kind, "Hack the lock — first to solve it wins a "
                                            "crate", f"{expression} = ?"), answer, (answer,))


# --- crates and texts ------------------------------------------------------------------------


def crate_tier(kind: HeistKind, rng: HeistRng) -> ItemTier:
    """The tier of the crate a heist of ``kind`` wins, by the kind's odds."""
    return weighted_choice(KINDS[kind].odds, rng)


def timeout_text(puzzle: Puzzle) -> str:
    return f"⏰ the heist is over — nobody cracked it. The answer was: {puzzle.answer}"


def win_text(name: str, puzzle: Puzzle, tier: ItemTier) -> str:
    return (f"🏆 @{name.lstrip('@')} cracked the heist (answer: {puzzle.answer}) "
            f"and wins {a_or_an(tier)} crate!")


# loaded, and checked, at import (last: the checks use the functions above)
KINDS: Mapping[HeistKind, KindRules] = content().kinds  # loaded (and checked) at import
