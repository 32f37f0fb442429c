"""The stacker bench (`bench.safety_stack`): a meta-model over the safety signals, judged leaving
one writer out at today's calm-alarm budget (the bench itself is run by hand,
`python -m bench.safety_by_writer --semantic 0.015 --medical-semantic 0.0005 --stack`)."""

from __future__ import annotations

import random

import pytest

from bench.safety_by_writer import Fold, Thresholds
from bench.safety_stack import FEATURES, Setting, features, logit, lowo

pytest.importorskip("sklearn")


def _fold(name: str) -> Fold:
    """A writer whose crises sit just under both thresholds (crisis 0.9, neighbours 0.3), and
    whose calm messages each pass one of them, far from the other."""
    pick = random.Random(name)
    rows: list[tuple[str, str]] = []
    scores: list[tuple[float, float, float, float]] = []
    near: list[float] = []

    def add(code: str, crisis: float, close: float) -> None:
        rows.append((code, f"{name} message {len(rows)} " + "word " * pick.randint(5, 20)))
        scores.append((crisis, 0.001, 1.0, 0.0))
        near.append(close)

    for _ in range(40):
        add("", pick.uniform(0.001, 0.2), pick.uniform(-0.3, 0.05))
    for _ in range(2):
        add("", pick.uniform(0.93, 0.97), pick.uniform(-0.3, -0.1))  # the model alone
        add("", pick.uniform(0.05, 0.15), pick.uniform(0.32, 0.4))  # the neighbours alone
    for _ in range(10):
        add("self_harm", pick.uniform(0.8, 0.88), pick.uniform(0.2, 0.28))
    return Fold(
        name,
        rows,
        ["set"] * len(rows),
        scores=scores,
        short=[False] * len(rows),
        near=near,
    )


def test_a_crisis_just_under_two_thresholds_is_caught_at_no_more_calm_alarms() -> None:
    """Today's OR misses every crisis that is just under both thresholds and alarms on the calm
    messages barely over one; the stacker, fitted and thresholded on the other writers only,
    catches the crises for about as many calm alarms (its threshold spends on the other
    writers' calm messages what today's does there, so one writer's count can differ by one)."""
    folds = [_fold(f"writer{k}") for k in range(4)]
    fixed = Thresholds(crisis=0.9, medical=0.99, near=0.3, gate=0.0)
    today, (stacked,), _ = lowo(folds, lambda others: fixed, lambda message: False, [Setting()])
    assert today.harm_learned == 0
    assert today.alarms == 16
    assert stacked.harm_learned == 40
    assert stacked.alarms <= today.alarms + 2


def test_features_read_probabilities_as_log_odds_and_gate_the_neighbours() -> None:
    x = features((0.5, 0.999999, 1.0, 0.0), 0.2, (0.1, "stiff_neck"), "stiff_neck", 12)
    assert len(x) == len(FEATURES)
    assert x[0] == 0.0  # crisis 0.5: even odds
    assert x[3] == logit(1 - 1e-4)  # clipped: the model's certainty saturates
    assert x[4:6] == [0.2, 0.1]
    gated = features((0.01, 0.02, 1.0, 0.0), 0.2, (0.1, "stiff_neck"), "stiff_neck", 12, 0.05)
    assert gated[4:6] == [-0.5, -0.5]  # the neighbours were not asked
