"""The nearest-neighbour signal behind the learned detector, and its cascade."""

from __future__ import annotations

from typing import Any

import pytest

from bot.safety.emergency import EmergencyDetector
from bot.safety.neighbours import NeighbourSignal, cascade, clauses

# Round 9's retrained bank (threshold 0.1038) puts "standing on the railway line now" just
# under it (0.099; the rules catch that one): this crisis only the neighbours catch.
CRISIS = "i'm on the train tracks"
CALM_TWIN = "walking along the railway line to the next village with my dog"
UNDER_GATE = "my knee has been a bit sore after football on saturday"


@pytest.fixture(scope="module")
def detector() -> EmergencyDetector:
    found = EmergencyDetector()
    assert found.neighbours is not None and found.neighbours.wait(60)
    return found


def test_an_oblique_crisis_the_learned_detector_misses_is_caught_by_the_neighbours(
    detector: EmergencyDetector,
) -> None:
    assert detector.learned is not None
    found, verdict = detector.learned.judge(CRISIS)
    assert not found  # the learned detector alone says calm
    assert detector._neighbours(CRISIS, verdict) == {"self_harm"}
    assert "self_harm" in detector.detect(CRISIS)


def test_its_calm_twin_passes_the_gate_but_does_not_alarm(detector: EmergencyDetector) -> None:
    assert detector.learned is not None and detector.neighbours is not None
    found, verdict = detector.learned.judge(CALM_TWIN)
    assert not found and verdict is not None
    assert detector.neighbours.passes_gate(verdict.crisis)
    score = detector.neighbour_score(CALM_TWIN, verdict)
    assert score is not None and score < detector.neighbours.threshold
    assert detector.detect(CALM_TWIN) == frozenset()


def test_a_message_under_the_gate_never_computes_embeddings(
    detector: EmergencyDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert detector.learned is not None and detector.neighbours is not None
    _, verdict = detector.learned.judge(UNDER_GATE)
    assert verdict is not None and not detector.neighbours.passes_gate(verdict.crisis)

    def embedding(*_: Any) -> None:
        raise AssertionError("embedded a message under the gate")

    monkeypatch.setattr(detector.neighbours, "score", embedding)
    monkeypatch.setattr(detector.neighbours, "_embed", embedding)
    assert detector.detect(UNDER_GATE) == frozenset()
    assert detector.detect("ok") == frozenset()  # too short for the learned model: not asked


def test_before_the_embeddings_load_the_rules_and_learned_verdict_stands() -> None:
    signal = NeighbourSignal(background=False)
    assert not signal.ready
    assert signal.score(CRISIS) is None
    assert signal.wait() and signal.ready


def test_the_cascade_asks_only_when_nothing_else_found_it() -> None:
    def asked() -> float:
        return 1.0

    assert cascade(True, False, 0.9, 0.1, asked) == (False, None)
    assert cascade(False, True, 0.9, 0.1, asked) == (False, None)
    assert cascade(False, False, 0.05, 0.1, asked) == (False, None)
    assert cascade(False, False, 0.5, 0.1, asked) == (True, 1.0)


def test_clauses_split_on_punctuation_and_joining_words() -> None:
    assert clauses("I bought a hose, and the car is ready") == [
        "i bought a hose, and the car is ready",
        "i bought a hose",
        "the car is ready",
    ]


def test_a_negated_wish_to_live_is_looked_up_as_the_crisis_it_is() -> None:
    # The negation is the crisis: skipping these clauses left the neighbours nothing to embed.
    assert clauses("I don't want to be alive anymore")[0] == "i dont want to be alive anymore"
    for crisis in (
        "I don't want to be alive anymore",
        "honestly i dont see the point of waking up tomorrow",
        "there's no reason to live, everyone would cope without me",
        "i never want to wake up again",
        "i wont be around much longer",
    ):
        assert clauses(crisis), crisis


def test_a_denial_or_an_ordinary_negation_is_still_left_out() -> None:
    assert clauses("I'm not suicidal, just sore") == ["just sore"]
    assert clauses("i'm not going to hurt myself") == []
    assert clauses("i dont want to die") == []
    assert clauses("i didnt wake up till noon") == []
    assert clauses("i won't be around this weekend") == []
