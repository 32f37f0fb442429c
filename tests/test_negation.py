"""Words a message says are absent do not pull it toward a topic (bot/matching/negation.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.matching.fuzzy import FuzzyMatcher, build_matcher
from bot.matching.negation import without_negated

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"


@pytest.fixture(scope="module")
def matcher() -> FuzzyMatcher:
    return build_matcher(load_knowledge(KNOWLEDGE))


def _stems(matcher: FuzzyMatcher, message: str) -> set[str]:
    return set(matcher.analyse(message).terms)


@pytest.mark.parametrize(
    ("message", "absent"),
    [
        ("why does the flu give me back pain with no MSK injury at all?", "muscl"),
        ("Covid has been ruled out, so why does my back ache?", "covid"),
        ("It's not my muscles, the GP said. Why does my back ache?", "muscl"),
        ("My back aches without any fever, why?", "fever"),
    ],
)
def test_a_negated_concept_is_not_read(matcher: FuzzyMatcher, message: str, absent: str) -> None:
    said = message.replace("no ", "").replace("not ", "").replace("without any ", "")
    assert absent in _stems(matcher, said.replace("ruled out", "")), "the word counts unnegated"
    assert absent not in _stems(matcher, message)
    assert "back" in _stems(matcher, message)  # the rest of the message still counts


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        ("why do places that are not infected hurt too", "infected"),  # what is asked
        ("I have no idea why my back aches when I have the flu", "back"),  # no negation
        ("I'm not sure why my back aches", "back"),
        ("I can't sleep with this backache, is that normal?", "sleep"),  # a symptom had
        ("It won't go away and it isn't getting better", "better"),
        ("No fever, but my back is killing me with this cold", "back"),  # the clause turns
        ("Isn't it the flu that makes my back ache?", "flu"),  # a question, not a denial
    ],
)
def test_what_is_had_or_asked_is_read(message: str, kept: str) -> None:
    assert kept in without_negated(message).lower()


def test_a_message_without_negation_is_read_as_written() -> None:
    message = "Why does my back hurt so much when I'm sick with the flu?"
    assert without_negated(message) is message
