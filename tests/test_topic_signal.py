"""The learned topic signal: among close contenders, the topic people mean moves first."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from toy_knowledge import toy_kb

from bot.authoring import evaluate
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching import fuzzy, topic_signal
from bot.matching.bands import CALIBRATED, Meaning
from bot.matching.fuzzy import FuzzyMatcher, build_matcher
from bot.matching.topic_signal import TopicModel
from bot.semantic.embeddings import Vectors

ROOT = Path(__file__).resolve().parents[1]
_FOOD = {"broth", "soup", "noodles", "ramen"}


def _embed(texts: Sequence[str]) -> Vectors:
    """Toy meanings: one axis for food words, one for everything else."""
    rows = np.array(
        [[sum(w in _FOOD for w in t.lower().split()), 1.0] for t in texts], dtype=np.float32
    )
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _kb() -> KnowledgeBase:
    return toy_kb(
        {"heat": ("does heat help when sick",), "soup": ("does a bowl of broth help when sick",)}
    )


def _topic() -> TopicModel:
    """Food words point at "soup", the rest at "heat" (features: message, then last ask)."""
    weights = np.zeros((5, 2))
    weights[0, 1] = weights[2, 1] = 1.0  # the food axis of the message and of its ask
    weights[4, 0] = 0.5  # bias towards heat
    return TopicModel(weights, ("heat", "soup"))


def _matchers() -> tuple[FuzzyMatcher, FuzzyMatcher]:
    kb = _kb()
    return FuzzyMatcher(kb), FuzzyMatcher(kb, meaning=Meaning(kb, _embed, topic=_topic()))


def test_a_close_contender_of_the_likelier_topic_comes_first() -> None:
    words, topic = _matchers()
    question = "would ramen noodles help when sick"
    lexical = words.rank(question)
    assert lexical[0].id == "heat"  # a tie on words, broken by the id
    assert lexical[0].score - lexical[1].score < topic_signal.RANK_GATE
    assert topic.rank(question)[0].id == "soup"
    result = topic.match(question)
    first = result.match or result.suggestions[0]
    assert first.id == "soup"


def test_the_topic_never_lowers_a_score_nor_reorders_a_clear_lead() -> None:
    words, topic = _matchers()
    for question in ("would ramen noodles help when sick", "does heat help when sick"):
        before = {s.id: s.score for s in words.rank(question)}
        after = {s.id: s.score for s in topic.rank(question)}
        assert all(after[i] >= score for i, score in before.items())
    clear = "does heat help when sick"
    assert words.rank(clear)[0].score - words.rank(clear)[1].score >= topic_signal.RANK_GATE
    assert topic.rank(clear) == words.rank(clear)


def test_an_unsure_reply_offers_the_likelier_topic_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the ranking term off, word matching alone leads; the offer still follows the topic."""
    monkeypatch.setattr(topic_signal, "RANK_WEIGHT", 0.0)
    words, topic = _matchers()
    question = "would ramen noodles help when sick"
    assert words.match(question).match is None
    assert [s.id for s in words.match(question).suggestions] == ["heat", "soup"]
    assert [s.id for s in topic.match(question).suggestions] == ["soup", "heat"]


def test_an_unsure_reply_offers_a_topic_the_model_is_sure_of(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sure topic that word matching would not offer is offered first, never answered."""
    monkeypatch.setattr(topic_signal, "RANK_WEIGHT", 0.0)
    monkeypatch.setattr(topic_signal, "ORDER_SUGGESTIONS", False)
    monkeypatch.setattr(fuzzy, "MEANING_RANK_WEIGHT", 0.0)  # words alone rank
    kb = _kb()
    topic = FuzzyMatcher(kb, meaning=Meaning(kb, _embed, topic=_topic()), max_suggestions=1)
    question = "would ramen noodles help when sick"
    result = topic.match(question)
    assert result.match is None
    assert [s.id for s in result.suggestions] == ["soup"]
    monkeypatch.setattr(topic_signal, "OFFER_SURE", math.inf)  # off
    assert [s.id for s in topic.match(question).suggestions] == ["heat"]


def test_an_answer_gives_way_to_a_sure_topic_word_matching_never_ranked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The model is sure of "rest", which shares no word with the message: ask, offering it."""
    kb = toy_kb(
        {
            "heat": ("does heat help when sick",),
            "soup": ("does a bowl of broth help when sick",),
            "rest": ("should i lie down",),
        }
    )
    weights = np.zeros((5, 3))
    weights[4, 2] = 5.0  # bias towards rest
    model = TopicModel(weights, ("heat", "soup", "rest"))
    topic = FuzzyMatcher(kb, meaning=Meaning(kb, _embed, topic=model))
    question = "does heat help when sick"
    assert "rest" not in {s.id for s in topic.rank(question)}
    result = topic.match(question)
    assert result.match is None
    assert [s.id for s in result.suggestions][:2] == ["rest", "heat"]
    monkeypatch.setattr(topic_signal, "ANSWER_SURE", math.inf)  # off
    assert topic.match(question).match is not None


def test_a_topic_the_admins_removed_is_never_offered() -> None:
    """The shipped model knows every topic of its training; an admin may delete one from the
    knowledge: the model's sure topic must then not become a button for a missing entry."""
    kb = _kb()
    weights = np.zeros((5, 3))
    weights[4, 2] = 5.0  # sure of "rest", which this knowledge no longer has
    model = TopicModel(weights, ("heat", "soup", "rest"))
    topic = FuzzyMatcher(kb, meaning=Meaning(kb, _embed, topic=model))
    for question in ("does heat help when sick", "would ramen noodles help when sick"):
        result = topic.match(question)
        offered = {s.id for s in result.suggestions}
        assert offered <= set(kb.entries), offered
        assert result.match is None or result.match.id in kb.entries


def test_the_saved_model_depends_on_its_weights_alone(tmp_path: Path) -> None:
    """The trainer must reproduce the shipped file byte for byte."""
    model = _topic()
    model.save(tmp_path / "a.npz")
    model.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    loaded = TopicModel.load(tmp_path / "a.npz")
    assert loaded.ids == model.ids
    assert np.allclose(loaded.weights, model.weights)


def test_the_topic_signal_gives_more_right_answers_on_a_story_first_set() -> None:
    """Leave-one-writer-out it gained on the pooled sets (bench/RANKING.md); here, on one
    (in-sample: the shipped model saw this set)."""
    kb = load_knowledge(ROOT / "knowledge")
    cases = evaluate.read_cases(ROOT / "tests" / "data" / "questions_set5.tsv")
    words_and_meaning = FuzzyMatcher(
        kb, bands=CALIBRATED, meaning=Meaning.packaged(kb, topic=False)
    )
    before = evaluate.user_figures(evaluate.run_replies(words_and_meaning, cases))
    after = evaluate.user_figures(evaluate.run_replies(build_matcher(kb), cases))
    assert after.top1.hits > before.top1.hits
    assert after.wrong.hits <= before.wrong.hits


def test_the_offers_can_weigh_how_close_the_message_is_to_each() -> None:
    """Word score and topic lean one way; a message much closer in meaning to the other
    offer's phrasings puts it first only when the meaning term is weighed (0: off)."""
    scores, likely, near = [57.0, 49.0], [0.42, 0.22], [0.38, 0.45]
    assert topic_signal.offer_order(scores, likely, 5.0, near, 0.0) == [0, 1]
    assert topic_signal.offer_order(scores, likely, 5.0, near, 10.0) == [1, 0]
    assert topic_signal.offer_order(scores, likely, 5.0, None, 10.0) == [0, 1]


def test_an_unsure_reply_orders_its_offers_by_closeness_when_weighed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through the matcher: the meaning term reorders what a "Did you mean" offers."""
    monkeypatch.setattr(topic_signal, "RANK_WEIGHT", 0.0)
    monkeypatch.setattr(topic_signal, "OFFER_SURE", math.inf)
    monkeypatch.setattr(fuzzy, "MEANING_RANK_WEIGHT", 0.0)  # words alone rank
    kb = _kb()
    flat = TopicModel(np.zeros((5, 2)), ("heat", "soup"))  # no opinion
    matcher = FuzzyMatcher(kb, meaning=Meaning(kb, _embed, topic=flat))
    question = "would ramen noodles help when sick"
    before = [s.id for s in matcher.match(question).suggestions]
    monkeypatch.setattr(topic_signal, "OFFER_MEANING_WEIGHT", 100.0)
    after = [s.id for s in matcher.match(question).suggestions]
    assert before[0] == "heat"  # the words alone: "help when sick" is all they share
    assert after[0] == "soup" and sorted(after) == sorted(before)
