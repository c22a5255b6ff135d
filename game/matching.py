"""Lenient names: what a player types after ``!buy``, ``!equip``, ``!sell``, ``!buysupply``,
``!title`` or ``!insure``, resolved to one catalogue entry.

Names are *folded* before they are compared: compatibility-decomposed (NFKD), combining
marks dropped (``é`` -> ``e``), case-folded (``ß`` -> ``ss``), and everything that is not a
letter or a digit removed, so spacing and punctuation never matter: ``Mono-Wire Garrote``,
``mono wire garrote`` and ``MONOWIRE-GARROTE`` are the same name. A folded name is also split
into *words* at the punctuation and spaces of the original (``mono``, ``wire``, ``garrote``).

A query is tried against the candidates in four passes; the first pass that matches anything
decides (one candidate: the answer; several: "which one: …?"):

1. exact: the folded query is the folded name (``monowiregarrote``);
2. start: the folded query starts the folded name (``mono w``, ``monowi``);
3. word start: it starts the name from one of its later words (``wire``, ``garrote``,
   ``wire garr``);
4. words: every word of the query starts a word of the name, in order (``mono garrote``,
   ``xp x2`` for "XP Boost x2").

A candidate may be given under several names (its display name and its key, say: the same
key twice); the first name given for a key is the one shown in a "which one" list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from typing import TypeVar

from game.errors import TargetError

K = TypeVar("K", bound=Hashable)

MAX_LISTED = 5  # candidate names shown in a "which one" answer

_SEPARATORS = re.compile(r"[^\w]+|_+")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``: letters and digits only, accents dropped, case-folded."""
    folded = _strip_marks(_strip_marks(text).casefold())  # casefold can decompose again
    return tuple(w for w in _SEPARATORS.split(folded) if w)


def fold(text: str) -> str:
    """``text`` as it is compared: its folded words run together (``Mono-Wire Garrote`` ->
    ``monowiregarrote``, ``Café`` -> ``cafe``)."""
    return "".join(words(text))


def _starts(name_words: tuple[str, ...], query: str) -> tuple[bool, bool]:
    """(the query starts the whole name, the query starts the name from a later word)."""
    whole = "".join(name_words).startswith(query)
    later = any("".join(name_words[i:]).startswith(query) for i in range(1, len(name_words)))
    return whole, later


def _word_prefixes(name_words: tuple[str, ...], query_words: tuple[str, ...]) -> bool:
    """Every query word starts a name word, in order (each name word used once)."""
    i = 0
    for qw in query_words:
        while i < len(name_words) and not name_words[i].startswith(qw):
            i += 1
        if i == len(name_words):
            return False
        i += 1
    return True


def match_name(
    query: str, candidates: Iterable[tuple[K, str]], what: str = "item", *, hint: str = "",
) -> K:
    """The key of the one candidate ``query`` names (see the module docstring for how).

    Raises ``TargetError`` when nothing matches (``no item called X``) or when several do
    (``which one: Combat Knife, Coffin Motel?``, at most ``MAX_LISTED`` names). An empty or
    overlong query is the caller's usage error; a query that folds to nothing (``!!!``)
    matches nothing. ``hint`` is added to the "no … called" answer (``!shop lists them``).
    """
    shown: dict[K, str] = {}
    passes: tuple[list[K], list[K], list[K], list[K]] = ([], [], [], [])
    q_words = words(query)
    q = "".join(q_words)
    for key, name in candidates:
        shown.setdefault(key, name)
        if not q:
            continue
        n_words = words(name)
        whole, later = _starts(n_words, q)
        hits = ("".join(n_words) == q, whole, later, _word_prefixes(n_words, q_words))
        for found, bucket in zip(hits, passes, strict=True):
            if found and key not in bucket:
                bucket.append(key)
    for bucket in passes:
        if len(bucket) == 1:
            return bucket[0]
        if bucket:
            names = [shown[k] for k in bucket[:MAX_LISTED]]
            more = ", …" if len(bucket) > MAX_LISTED else ""
            raise TargetError(f"which one: {', '.join(names)}{more}?")
    tail = f" — {hint}" if hint else ""
    raise TargetError(f"no {what} called {query.strip()}{tail}")
