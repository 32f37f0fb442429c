"""Advice on a knowledge base that loads but could answer people better (`kb lint`).

Unlike validation problems these do not stop the bot: they point at phrasings that pull
towards the wrong entry, entries only reachable by their exact wording, near-duplicates and
answers that read badly as a chat message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import combinations

from rapidfuzz import fuzz

from bot.knowledge.model import Entry, KnowledgeBase, Problem
from bot.matching.fuzzy import FuzzyMatcher
from bot.text import normalise

LONG_ANSWER_CHARS = 600
MAX_TITLE_CHARS = 40
MIN_QUESTIONS = 5
NEAR_DUPLICATE = 90.0

MatcherFactory = Callable[[KnowledgeBase], FuzzyMatcher]


def lint(kb: KnowledgeBase, make_matcher: MatcherFactory = FuzzyMatcher) -> list[Problem]:
    """Every warning for a knowledge base that already passed validation."""
    warnings = _entry_shape(kb) + _stolen_phrasings(kb, make_matcher(kb))
    warnings += _unreachable(kb, make_matcher) + _near_duplicates(kb)
    return sorted(warnings, key=lambda p: (p.file, p.line, p.message))


def _at(entry: Entry, message: str) -> Problem:
    return Problem(entry.file, entry.line, message)


def _entry_shape(kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []
    for e in kb.entries.values():
        if len(e.answer) > LONG_ANSWER_CHARS:
            found.append(
                _at(
                    e,
                    f"answer of '{e.id}' is {len(e.answer)} characters; over "
                    f"{LONG_ANSWER_CHARS} reads as a wall of text in a chat",
                )
            )
        if len(e.title) > MAX_TITLE_CHARS:
            found.append(
                _at(
                    e,
                    f"title of '{e.id}' is {len(e.title)} characters; buttons show about "
                    f"{MAX_TITLE_CHARS}",
                )
            )
        if len(e.questions) < MIN_QUESTIONS:
            found.append(
                _at(
                    e,
                    f"'{e.id}' has {len(e.questions)} questions; give at least "
                    f"{MIN_QUESTIONS} differently worded ones",
                )
            )
        if not e.source.reference:
            found.append(_at(e, f"'{e.id}' names no reference from the article's list"))
        seen: set[str] = set()
        for q in e.questions:
            if normalise(q) in seen:
                found.append(_at(e, f"'{e.id}' lists the question '{q}' twice"))
            seen.add(normalise(q))
    return found


def _stolen_phrasings(kb: KnowledgeBase, matcher: FuzzyMatcher) -> list[Problem]:
    """Phrasings whose best match is another entry, even though they are listed here."""
    found: list[Problem] = []
    for e in kb.entries.values():
        for q in e.questions:
            ranked = matcher.rank(q)
            if ranked and ranked[0].id != e.id:
                found.append(
                    _at(
                        e,
                        f"question '{q}' of '{e.id}' matches '{ranked[0].id}' better "
                        f"({ranked[0].score:.0f}); reword it or move it",
                    )
                )
    return found


def _unreachable(kb: KnowledgeBase, make_matcher: MatcherFactory) -> list[Problem]:
    """Two-fold check: hide half of every entry's phrasings and ask with the hidden half.

    An entry that none of its hidden phrasings reach is only found by exact wording.
    """
    reached: dict[str, int] = dict.fromkeys(kb.entries, 0)
    asked: dict[str, int] = dict.fromkeys(kb.entries, 0)
    for fold in (0, 1):
        kept = {
            i: replace(e, questions=e.questions[fold::2] or e.questions)
            for i, e in kb.entries.items()
        }
        matcher = make_matcher(replace(kb, entries=kept))
        for i, e in kb.entries.items():
            for q in e.questions[1 - fold :: 2]:
                asked[i] += 1
                result = matcher.match(q)
                reached[i] += result.match is not None and result.match.id == i
    return [
        _at(
            kb.entries[i],
            f"'{i}' is reached by only {reached[i]} of {asked[i]} of its own "
            "questions when they are held out; add more varied phrasings or synonyms",
        )
        for i in kb.entries
        if asked[i] and reached[i] * 2 < asked[i]
    ]


def _near_duplicates(kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []
    for a, b in combinations(kb.entries.values(), 2):
        similarity = fuzz.token_set_ratio(normalise(a.answer), normalise(b.answer))
        if similarity >= NEAR_DUPLICATE:
            found.append(
                _at(
                    b,
                    f"answer of '{b.id}' is nearly the same as '{a.id}' "
                    f"({similarity:.0f}% alike); merge them or make them distinct",
                )
            )
    return found
