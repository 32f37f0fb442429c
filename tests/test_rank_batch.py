"""A long message's readings are scored together (one rapidfuzz call per signal): the ranking
and the reply must be those of scoring each reading on its own."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.authoring import evaluate
from bot.knowledge.loader import load_knowledge
from bot.matching.base import Scored
from bot.matching.fuzzy import FuzzyMatcher, _Asked, build_matcher
from bot.matching.parts import readings

ROOT = Path(__file__).resolve().parents[1]
LONG = ROOT / "tests" / "data" / "dev_long_questions.tsv"


class OneByOne(FuzzyMatcher):
    """The same matcher, each reading scored in a call of its own."""

    def _rank_many(self, asked: Sequence[_Asked]) -> list[tuple[Scored, ...]]:
        return [super(OneByOne, self)._rank_many([a])[0] for a in asked]


@pytest.fixture(scope="module")
def pair() -> tuple[FuzzyMatcher, FuzzyMatcher]:
    batched = build_matcher(load_knowledge(ROOT / "knowledge"))
    alone = OneByOne(
        batched.kb, threshold=batched.threshold, bands=batched.bands, meaning=batched._meaning
    )
    return batched, alone


@pytest.mark.slow
def test_long_messages_rank_and_reply_as_when_each_reading_is_scored_alone(
    pair: tuple[FuzzyMatcher, FuzzyMatcher],
) -> None:
    batched, alone = pair
    messages = [c.question for c in evaluate.read_cases(LONG)]
    several = [m for m in messages if len(readings(m)) > 2]
    assert len(several) >= 10  # the set still has long messages read in several ways
    for message in several:
        assert batched.rank(message) == alone.rank(message), message
        assert batched.match(message) == alone.match(message), message
