"""Answer, "Did you mean", or nothing: the calibrated decision on the matcher's best entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.matching.bands import CALIBRATED, Bands, Evidence
from bot.matching.base import Scored
from bot.matching.fuzzy import FuzzyMatcher, build_matcher

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
# A long story (well over 25 words) whose ask, read alone, is about the chemical messengers,
# while the story around it (flu, bed, sore back) pulls the whole message elsewhere.
TORN = (
    "My dad is 67 and has had the flu since Thursday, he's in bed with a sore back and can't "
    "get comfortable. What are the chemicals the immune system releases that make him feel "
    "this rotten?"
)


def _evidence(score: float, runner_up: float, *, long: bool, agree: bool) -> Evidence:
    return Evidence(Scored("x", score), runner_up, long=long, agree=agree)


@pytest.fixture(scope="module")
def matcher() -> FuzzyMatcher:
    return build_matcher(load_knowledge(KNOWLEDGE))


def test_a_long_story_whose_question_agrees_is_answered_without_a_clear_lead() -> None:
    close_race = _evidence(60.0, 59.0, long=True, agree=True)
    assert CALIBRATED.answers(close_race)


def test_a_long_story_pulling_elsewhere_than_its_question_is_only_offered() -> None:
    assert not CALIBRATED.answers(_evidence(60.0, 59.0, long=True, agree=False))
    assert not CALIBRATED.answers(_evidence(50.0, 20.0, long=True, agree=False))


def test_short_messages_keep_their_bar() -> None:
    assert CALIBRATED.answers(_evidence(46.0, 10.0, long=False, agree=True))
    assert not CALIBRATED.answers(_evidence(45.0, 10.0, long=False, agree=True))


def test_a_stricter_threshold_moves_every_bar() -> None:
    strict = CALIBRATED.shifted(10.0)
    assert not strict.answers(_evidence(50.0, 10.0, long=False, agree=True))
    assert not strict.answers(_evidence(50.0, 10.0, long=True, agree=True))
    assert strict.shifted(-10.0) == CALIBRATED


def test_margin_and_meaning_add_to_the_confidence() -> None:
    bands = Bands(threshold=50.0, margin_weight=0.5, margin_cap=10.0, meaning_weight=0.1)
    lead = _evidence(46.0, 30.0, long=False, agree=True)  # 46 + 0.5 * min(16, 10) = 51
    assert bands.answers(lead)
    unlike = Evidence(Scored("x", 46.0), 30.0, long=False, agree=True, meaning=-0.2)
    assert not bands.answers(unlike)  # 51 - 0.1 * 100 * 0.2 = 49


def test_the_torn_story_gets_did_you_mean_with_the_asked_topic(matcher: FuzzyMatcher) -> None:
    evidence = matcher.evidence(TORN)
    assert evidence is not None and evidence.long and not evidence.agree
    result = matcher.match(TORN)
    assert result.band == "confirm" and result.match is None
    assert "cytokines" in [s.id for s in result.suggestions]


def test_nothing_in_common_gives_no_evidence(matcher: FuzzyMatcher) -> None:
    assert matcher.evidence("what is the capital of peru") is None
