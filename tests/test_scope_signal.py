"""The learned scope signal: near misses that share the article's words but ask something else
are offered, not answered."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.authoring.train_scope import TRAINING, WRITTEN_FOR_TRAINING, question_sets
from bot.knowledge.loader import load_knowledge
from bot.matching.bands import Bands, Evidence, Meaning, asked_texts
from bot.matching.base import Scored
from bot.matching.scope_signal import MODEL_PATH, ScopeModel, fit

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
# Written for this test, not taken from tests/data (the model was trained on those).
NEAR_MISSES = (
    ("how many mg of ibuprofen can my 7 year old have for a sore back", "pain-medication"),
    ("where can I buy a good heat pack in Melbourne on a Sunday", "heat-treatment"),
    (
        "my dog keeps limping on his back leg after he had a cold, what should I do",
        "back-pain-when-sick",
    ),
)
IN_SCOPE = (
    ("why does my back ache so much when I have the flu", "back-pain-when-sick"),
    ("does a hot water bottle actually help a sore back when I'm sick", "heat-treatment"),
    ("is it ok to take paracetamol for the aches when I'm crook", "pain-medication"),
)


@pytest.fixture(scope="module")
def meaning() -> Meaning:
    return Meaning.packaged(load_knowledge(KNOWLEDGE))


def _outside(meaning: Meaning, question: str, entry: str) -> float:
    evidence = Evidence(Scored(entry, 60.0), 40.0, long=False, agree=True)
    outside = meaning.weigh(asked_texts(question), evidence).outside
    assert outside is not None
    return outside


def test_near_misses_look_further_out_of_scope_than_article_questions(meaning: Meaning) -> None:
    near = [_outside(meaning, q, e) for q, e in NEAR_MISSES]
    inside = [_outside(meaning, q, e) for q, e in IN_SCOPE]
    assert min(near) > max(inside), (near, inside)


def test_the_scope_term_lowers_confidence_below_the_bar() -> None:
    bands = Bands(threshold=50.0, scope_weight=0.2)
    sure = Evidence(Scored("x", 60.0), 30.0, long=False, agree=True, outside=0.1)
    doubtful = Evidence(Scored("x", 60.0), 30.0, long=False, agree=True, outside=0.9)
    assert bands.answers(sure)  # 60 - 2
    assert not bands.answers(doubtful)  # 60 - 18


def test_embeddings_are_consulted_only_where_scope_could_tip_the_answer() -> None:
    bands = Bands(threshold=50.0, scope_weight=0.2)
    near_bar = Evidence(Scored("x", 60.0), 30.0, long=False, agree=True)
    far_above = Evidence(Scored("x", 75.0), 30.0, long=False, agree=True)
    below = Evidence(Scored("x", 45.0), 30.0, long=False, agree=True)
    assert bands.undecided(near_bar)
    assert not bands.undecided(far_above)  # even fully out of scope: 75 - 20 >= 50
    assert not bands.undecided(below)  # the term can only lower confidence


def test_the_regression_learns_a_separable_rule_and_is_deterministic() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 5))
    outside = x[:, 0] + 0.5 * x[:, 1] > 0
    weights = fit(x, outside)
    assert np.array_equal(weights, fit(x, outside))
    predicted = ScopeModel(weights).outside_all(x) > 0.5
    assert (predicted == outside).mean() > 0.95


def test_the_shipped_file_is_what_saving_its_weights_writes(tmp_path: Path) -> None:
    """The trainer reproduces the shipped file byte for byte: nothing but the weights (no time
    stamp, as np.savez writes) goes into it."""
    shipped = ScopeModel.load()
    shipped.save(tmp_path / "again.npz")
    assert (tmp_path / "again.npz").read_bytes() == MODEL_PATH.read_bytes()
    assert np.array_equal(ScopeModel.load(tmp_path / "again.npz").weights, shipped.weights)


def test_questions_written_for_training_are_never_a_scored_fold() -> None:
    """A training-only file picked up by the trainers' globs would be held out and scored as
    if a writer had written it for testing."""
    sets = question_sets()
    assert WRITTEN_FOR_TRAINING and not set(WRITTEN_FOR_TRAINING) & set(sets)
    assert set(TRAINING) <= set(WRITTEN_FOR_TRAINING)
    assert any(p.name == "questions_set11.tsv" for p in sets)
