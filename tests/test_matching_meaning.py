"""Ranking by meaning: among close contenders, the entry nearer the message in meaning first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from toy_knowledge import toy_kb

from bot.authoring import evaluate
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.bands import CALIBRATED, Meaning
from bot.matching.fuzzy import MEANING_RANK_GATE, FuzzyMatcher, build_matcher
from bot.semantic.embeddings import Vectors

ROOT = Path(__file__).resolve().parents[1]
# Toy meanings: words about food lie along one axis, about warmth along another.
_AXES = {"broth": 0, "soup": 0, "noodles": 0, "hot": 1, "heat": 1, "pack": 1, "blanket": 1}


def _embed(texts: Sequence[str]) -> Vectors:
    rows = np.full((len(texts), 3), 0.1, dtype=np.float32)
    for row, text in zip(rows, texts, strict=True):
        for word in text.lower().split():
            if word in _AXES:
                row[_AXES[word]] += 1.0
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _kb() -> KnowledgeBase:
    return toy_kb(
        {
            "heat": ("does a hot pack help when sick", "is heat good when sick"),
            "soup": ("does broth help when sick", "is soup good when sick"),
        }
    )


def _matchers() -> tuple[FuzzyMatcher, FuzzyMatcher]:
    kb = _kb()
    return FuzzyMatcher(kb), FuzzyMatcher(kb, meaning=Meaning(kb, _embed))


@pytest.mark.parametrize(("question", "meant"), [("is noodles good when sick", "soup")])
def test_a_close_contender_nearer_in_meaning_comes_first(question: str, meant: str) -> None:
    words, meaning = _matchers()
    lexical = words.rank(question)
    assert lexical[0].id != meant  # a tie on words, broken by the id
    assert lexical[0].score - lexical[1].score < MEANING_RANK_GATE
    assert meaning.rank(question)[0].id == meant


def test_meaning_never_lowers_a_score() -> None:
    words, meaning = _matchers()
    for question in ("is noodles good when sick", "is a blanket good when sick"):
        before = {s.id: s.score for s in words.rank(question)}
        after = {s.id: s.score for s in meaning.rank(question)}
        assert all(after[i] >= score for i, score in before.items())


def test_a_clear_lead_is_not_reordered_by_meaning() -> None:
    words, meaning = _matchers()
    question = "is heat good when sick with noodles broth soup"
    lexical = words.rank(question)
    assert lexical[0].score - lexical[1].score >= MEANING_RANK_GATE
    assert meaning.rank(question) == lexical


def test_meaning_puts_the_right_entry_first_more_often_on_a_story_first_set() -> None:
    """Leave-one-writer-out it gained on the pooled sets (bench/BANDS.md); here, on one."""
    kb = load_knowledge(ROOT / "knowledge")
    cases = evaluate.read_cases(ROOT / "tests" / "data" / "questions_set2.tsv")
    lexical = FuzzyMatcher(kb, bands=CALIBRATED)
    before = evaluate.user_figures(evaluate.run_replies(lexical, cases))
    after = evaluate.user_figures(evaluate.run_replies(build_matcher(kb), cases))
    assert after.top1_or_suggestion.hits > before.top1_or_suggestion.hits
    assert after.wrong.hits <= before.wrong.hits


def test_a_message_is_embedded_once_though_ranking_and_bands_both_weigh_it() -> None:
    """Meaning is on the path of every close message: the ranking and then the bands ask about
    the same text, and the second must not pay for a second embedding."""
    kb = _kb()
    embedded: list[str] = []

    def counting(texts: Sequence[str]) -> Vectors:
        embedded.extend(texts)
        return _embed(texts)

    matcher = FuzzyMatcher(kb, meaning=Meaning(kb, counting))
    question = "is noodles good when sick"
    matcher.match(question)
    assert embedded.count(question) == 1
    matcher.match(question)
    assert embedded.count(question) == 1
