"""Which of many regexes can match a text at all, from one scan for the literals each needs.

Most messages match none of the detector's few hundred patterns, yet each pattern costs a
search. Every match of a pattern contains one of a set of literal strings, read off its parse
tree when it is compiled (`required`): any match of "(?:numb|tingl)[a-z]* (?:bum|groin)"
contains "numb" or "tingl". One Aho-Corasick scan (pyahocorasick) finds every such literal in
the text, and a pattern none of whose literals occur is not searched: its search could only
find nothing. A pattern without such a set, or with a literal shorter than `SHORTEST`
characters (which nearly every text has), is always searched. Without pyahocorasick every
pattern is searched: the same answers, only slower.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

try:
    import ahocorasick
except ImportError:  # pragma: no cover - the dependency is in pyproject.toml
    ahocorasick = None

try:  # the regex engine's parser (a pattern's literals are read off its parse tree)
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python implementation
    C = _parser = None

SHORTEST = 3
"""Literals shorter than this are in almost every text: a pattern needing one always runs."""
_PRODUCT = 64
"""At most this many exact strings are followed through a sequence or an alternation."""

Literals = frozenset[str] | None
"""Strings one of which every match contains, or None when nothing is known."""
_Info = tuple[frozenset[str] | None, Literals]
"""(every string the node can match, when few; the literals every match contains)."""
_UNKNOWN: _Info = (None, None)
_LITERAL = getattr(C, "LITERAL", None)
_EMPTY: _Info = (frozenset({""}), None)


def literals_of(pattern: re.Pattern[str]) -> Literals:
    """`required` for a compiled pattern (parsed again: its compiled form keeps no tree)."""
    if _parser is None:  # pragma: no cover - another Python implementation
        return None
    try:
        return required(_parser.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):  # pragma: no cover - compiled already, so parses
        return None


def required(parsed: Any) -> Literals:
    """The literals one of which every match of a parsed pattern (`re._parser.parse`)
    contains; None when none is known (then the pattern is always searched)."""
    if C is None or parsed.state.flags & C.SRE_FLAG_IGNORECASE:
        return None
    try:
        return _sequence(parsed.data)[1]
    except (AttributeError, TypeError, ValueError, RecursionError):  # another engine's tree
        return None


def _best(candidates: Iterable[Literals]) -> Literals:
    """The most selective candidate: the longest shortest literal, then the fewest."""
    usable = [c for c in candidates if c and "" not in c]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


def _sequence(items: Any) -> _Info:
    """A concatenation: exact strings while they stay few, then the best requirement of its
    parts (each part's match is inside the whole one's)."""
    data = getattr(items, "data", items)  # a parsed SubPattern's own list (faster to walk)
    literal = _LITERAL
    chars = [av for op, av in data if op is literal]
    if len(chars) == len(data):  # a plain word or phrase: the common case
        word = frozenset({"".join(map(chr, chars))})
        return word, (word if chars else None)
    current: set[str] = {""}
    candidates: list[Literals] = []
    whole = True
    run: list[str] = []  # consecutive literal characters, added in one step
    for op, av in data:
        if op is literal:
            run.append(chr(av))
            continue
        if run:
            tail = "".join(run)
            current = {s + tail for s in current}
            run = []
        exact, needed = _node(op, av)
        if exact is not None and len(current) * len(exact) <= _PRODUCT:
            current = {s + e for s in current for e in exact}
            continue
        whole = False
        candidates += [frozenset(current), needed]
        current = set(exact) if exact is not None else {""}
    if run:
        tail = "".join(run)
        current = {s + tail for s in current}
    done = frozenset(current)
    if whole:
        return done, (None if "" in done else done)
    candidates.append(done)
    return None, _best(candidates)


def _node(op: Any, av: Any) -> _Info:
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):  # zero width: adds nothing to the match
        return _EMPTY
    if op is C.IN:
        return _charset(av)
    if op is C.BRANCH:
        return _branch(av[1])
    if op is C.SUBPATTERN:
        _, added, _, body = av
        return _UNKNOWN if added & C.SRE_FLAG_IGNORECASE else _sequence(body)
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        return _repeat(*av)
    return _UNKNOWN  # any character, a negated set, a back-reference ...


def _charset(items: Sequence[tuple[Any, Any]]) -> _Info:
    """A set of a few plain characters ("[ab]") is each of them; anything else is unknown."""
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.RANGE and av[1] - av[0] < 10:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return _UNKNOWN
    exact = frozenset(chars)
    return (exact, exact) if 0 < len(chars) <= 10 else _UNKNOWN


def _branch(branches: Sequence[Any]) -> _Info:
    """An alternation: every branch's strings, or the union of every branch's literals
    (unknown as soon as one branch has none). A plain word's branch is read here (most
    branches are one: no call, no set of its own)."""
    literal = _LITERAL
    exact: set[str] | None = set()
    needed: set[str] | None = set()
    for branch in branches:
        data = getattr(branch, "data", branch)
        chars = [av for op, av in data if op is literal]
        if len(chars) == len(data):
            word = "".join(map(chr, chars))
            if exact is not None:
                exact.add(word)
            if needed is not None and word:
                needed.add(word)
            elif needed is not None:
                needed = None  # an empty branch: the alternation may match nothing
            continue
        e, n = _sequence(data)
        if exact is not None:
            exact = None if e is None else exact | e
        if needed is not None:
            own = e if e is not None and "" not in e else n
            needed = None if own is None else needed | own
    known = frozenset(exact) if exact is not None and len(exact) <= _PRODUCT else None
    return known, (None if needed is None else frozenset(needed))


def _repeat(low: int, high: int, body: Any) -> _Info:
    exact, needed = _sequence(body)
    if exact is not None and high <= 3:  # "s?", "(?:ly){1,2}": spell the few strings out
        out: set[str] = set()
        level = {""}
        for count in range(high + 1):
            if count:
                level = {s + e for s in level for e in exact}
            if count >= low:
                out |= level
            if len(out) > _PRODUCT:
                break
        else:
            found = frozenset(out)
            return found, (None if "" in found else found)
    if low == 0:
        return _UNKNOWN
    if exact is not None and "" not in exact:
        needed = exact
    return None, needed


class Prefilter:
    """For a list of patterns' literal sets: which patterns can match a given text."""

    def __init__(self, needs: Sequence[Literals]) -> None:
        self.size = len(needs)
        always = set(range(len(needs)))
        self._automaton: Any = None
        if ahocorasick is not None:
            by_literal: dict[str, tuple[int, ...]] = {}
            for i, literals in enumerate(needs):
                if literals and min(map(len, literals)) >= SHORTEST:
                    always.discard(i)
                    # Most literals are one pattern's own: added in one step (a loop over
                    # tens of thousands of words was a tenth of a cold start).
                    shared = by_literal.keys() & literals
                    for literal in shared:
                        by_literal[literal] += (i,)
                    by_literal.update(dict.fromkeys(literals - shared, (i,)))
            if by_literal:
                automaton = ahocorasick.Automaton()
                for literal, which in by_literal.items():
                    automaton.add_word(literal, which)
                automaton.make_automaton()
                self._automaton = automaton
        self._always = frozenset(always)

    def possible(self, text: str) -> AbstractSet[int]:
        """The indices of the patterns that may match somewhere in `text` (the others
        certainly do not)."""
        if self._automaton is None:
            return self._always
        found = set(self._always)
        for _, which in self._automaton.iter(text):
            found.update(which)
        return found
