"""Answer, "Did you mean", or nothing: the calibrated decision on the matcher's best entry."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from bot.authoring import evaluate
from bot.knowledge.loader import load_knowledge
from bot.matching.bands import CALIBRATED, Bands, Evidence, Meaning
from bot.matching.base import Scored
from bot.matching.fuzzy import FuzzyMatcher, build_matcher

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
DATA = KNOWLEDGE.parent / "tests" / "data"
# Out of scope (questions_set4.tsv): a long story about a medicine change; the whole message
# leans to one entry, the question inside it to another. Score and margin alone answered it.
PULLED = (
    "I've had rheumatoid arthritis for ten years and I'm on methotrexate. My rheumatologist is "
    "talking about switching me to a biologic, what's the difference and what are the side "
    "effects?"
)


def _evidence(
    score: float, runner_up: float, *, long: bool, agree: bool, topic: float | None = None
) -> Evidence:
    return Evidence(Scored("x", score), runner_up, long=long, agree=agree, topic=topic)


@pytest.fixture(scope="module")
def matcher() -> FuzzyMatcher:
    return build_matcher(load_knowledge(KNOWLEDGE))


def test_a_long_story_whose_question_agrees_is_answered_without_a_clear_lead() -> None:
    """On a topic the topic signal recognises."""
    close_race = _evidence(60.0, 59.0, long=True, agree=True, topic=0.35)
    assert CALIBRATED.answers(close_race)
    assert not CALIBRATED.answers(replace(close_race, topic=0.0))


def test_a_long_story_pulling_elsewhere_than_its_question_is_only_offered() -> None:
    assert not CALIBRATED.answers(_evidence(60.0, 59.0, long=True, agree=False))
    assert not CALIBRATED.answers(_evidence(50.0, 20.0, long=True, agree=False))


def test_short_messages_keep_their_bar() -> None:
    bar = CALIBRATED.threshold + CALIBRATED.scope_weight * 100.0 * CALIBRATED.missing_outside
    assert CALIBRATED.answers(_evidence(bar, bar, long=False, agree=True))
    assert not CALIBRATED.answers(_evidence(bar - 1.0, bar - 1.0, long=False, agree=True))


BEFORE_SCOPE = Bands(
    threshold=48.0,
    long_threshold=44.0,
    margin_weight=0.25,
    margin_cap=10.0,
    long_min_margin=0.0,
    meaning_weight=0.1,
    disagree_penalty=15.0,
    disagree_min_margin=2.0,
)


@pytest.mark.parametrize("long", [False, True])
def test_without_embeddings_nothing_is_answered_that_was_not_before(long: bool) -> None:
    """While the embeddings load nothing says a message is out of scope: score and margin
    alone must then clear at least the bars the bands had before the scope signal."""
    for score in range(30, 80):
        for runner_up in (0.0, score - 12.0, score - 4.0, float(score)):
            evidence = _evidence(float(score), runner_up, long=long, agree=True)
            assert not CALIBRATED.answers(evidence) or BEFORE_SCOPE.answers(evidence)


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


def test_a_topic_the_model_is_sure_of_raises_the_confidence() -> None:
    """A near miss the topic signal doubts stays a "Did you mean"; the same score on a
    message it recognises as the entry's topic is answered."""
    bands = Bands(threshold=60.0, topic_weight=0.3)
    doubted = Evidence(Scored("x", 50.0), 30.0, long=False, agree=True, topic=0.1)
    sure = Evidence(Scored("x", 50.0), 30.0, long=False, agree=True, topic=0.9)
    assert not bands.answers(doubted)  # 50 + 3
    assert bands.answers(sure)  # 50 + 27
    assert not bands.answers(replace(sure, topic=None))  # without the model: the strictest bar


def test_a_least_word_score_holds_however_sure_the_topic() -> None:
    bands = Bands(threshold=60.0, topic_weight=0.5, min_score=40.0)
    weak = Evidence(Scored("x", 30.0), 10.0, long=False, agree=True, topic=1.0)
    assert not bands.answers(weak)  # 30 + 50 clears the bar, but the words barely match
    assert not bands.undecided(replace(weak, topic=None))  # no embedding can change that
    assert bands.answers(replace(weak, top=Scored("x", 40.0)))


def test_embeddings_are_consulted_where_the_topic_could_lift_a_message_over_the_bar() -> None:
    bands = Bands(threshold=60.0, topic_weight=0.3)
    assert bands.undecided(_evidence(45.0, 20.0, long=False, agree=True))  # up to 45 + 30
    assert not bands.undecided(_evidence(25.0, 20.0, long=False, agree=True))
    assert not bands.undecided(_evidence(61.0, 20.0, long=False, agree=True))  # answered anyway


def test_word_matching_and_the_topic_agreeing_answer_below_the_bar() -> None:
    """A message both signals put on one entry, in scope, is answered though the summed
    confidence is short; the same words where the topic is unsure, another topic leads, the
    message looks out of scope or the words barely match are still only offered."""
    bands = Bands(
        threshold=70.0, topic_weight=0.1, agree_topic=0.7, agree_outside=0.2, agree_score=50.0
    )
    both = Evidence(
        Scored("x", 55.0), 50.0, long=False, agree=True, topic=0.8, topic_lead=0.7, outside=0.1
    )
    assert bands.confidence(both) < bands.threshold and bands.answers(both)
    assert not bands.answers(replace(both, topic=0.6, topic_lead=0.3))
    assert not bands.answers(replace(both, topic_lead=-0.1))
    assert not bands.answers(replace(both, outside=0.5))
    assert not bands.answers(replace(both, top=Scored("x", 45.0)))
    unmeasured = replace(both, topic=None, topic_lead=None, outside=None)
    assert not bands.answers(unmeasured)  # without the embeddings: the bar alone
    assert bands.undecided(unmeasured)  # so they are worth consulting
    assert not replace(bands, agree_topic=math.inf).answers(both)


def test_a_story_pulling_away_from_its_question_is_not_answered(matcher: FuzzyMatcher) -> None:
    evidence = matcher.evidence(PULLED)
    assert evidence is not None and evidence.long and not evidence.agree
    assert FuzzyMatcher(matcher.kb).match(PULLED).band == "answer"  # score and margin alone
    assert matcher.match(PULLED).band != "answer"


def test_meaning_sides_with_the_entry_a_message_is_about(matcher: FuzzyMatcher) -> None:
    meaning = Meaning.packaged(matcher.kb)
    asked = ["does a bowl of my nan's chicken broth do anything when I'm crook"]
    assert meaning.margin(asked, "chicken-soup", ["heat-treatment"]) > 0.1
    assert meaning.margin(asked, "heat-treatment", ["chicken-soup"]) < -0.1


def test_meaning_does_not_wait_for_a_load_running_elsewhere(
    matcher: FuzzyMatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The detector loads the embeddings in a background thread at start-up; a question asked
    meanwhile is decided without meaning instead of blocking the event loop on that load."""
    import bot.matching.bands as bands_module
    from bot.semantic.embeddings import Embedder

    fresh = Embedder()
    monkeypatch.setattr(bands_module, "shared_embedder", lambda: fresh)
    meaning = Meaning.packaged(matcher.kb)
    asked = ["does a bowl of my nan's chicken broth do anything when I'm crook"]
    with fresh._lock:  # as while another thread loads
        assert meaning.margin(asked, "chicken-soup", ["heat-treatment"]) is None
    margin = meaning.margin(asked, "chicken-soup", ["heat-treatment"])  # loads here, once
    assert margin is not None and margin > 0.1


@pytest.mark.parametrize("name", ["questions_set4.tsv", "questions_set5.tsv"])
def test_calibrated_bands_answer_more_right_and_fewer_wrong(
    matcher: FuzzyMatcher, name: str
) -> None:
    """Against score and margin alone (the bands before calibration), on long-message sets."""
    cases = evaluate.read_cases(DATA / name)
    before = evaluate.user_figures(evaluate.run_replies(FuzzyMatcher(matcher.kb), cases))
    after = evaluate.user_figures(evaluate.run_replies(matcher, cases))
    assert after.top1.hits > before.top1.hits
    assert after.wrong.hits < before.wrong.hits
    assert after.top1_or_suggestion.hits >= before.top1_or_suggestion.hits


def test_nothing_in_common_gives_no_evidence(matcher: FuzzyMatcher) -> None:
    assert matcher.evidence("what is the capital of peru") is None


def test_the_decision_is_the_same_without_the_meaning_margin(matcher: FuzzyMatcher) -> None:
    """The calibrated bands give the meaning margin no weight, so a match leaves it
    unmeasured (its rivals' phrasings are not embedded); answered or not is what the full
    evidence, margin included, decides, on every question of questions.tsv."""
    assert matcher.bands.meaning_weight == 0.0
    for case in evaluate.read_cases(DATA / "questions.tsv"):
        evidence = matcher.evidence(case.question)
        if evidence is None:
            continue
        answered = matcher.match(case.question).match is not None
        assert answered == (matcher.bands.answers(evidence) and not _asked_instead(matcher, case))


def _asked_instead(matcher: FuzzyMatcher, case: evaluate.Case) -> bool:
    """The topic signal's sure topic that word matching missed turns an answer into a
    question (FuzzyMatcher._sure_unranked)."""
    ranked = matcher.rank(case.question)
    return matcher._sure_unranked(case.question, ranked) is not None
