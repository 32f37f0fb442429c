"""The learned veto's measurement (`bench.medical_veto`) judges what it says it judges: only
medical hits are candidates, the threshold loses no emergency of the writers it was chosen on,
and the held-out writer is never in its own training."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("sklearn")

from bench.medical_veto import Case, _medical, _train, evaluate, thresholds


def test_a_hit_with_a_crisis_code_is_never_a_candidate() -> None:
    assert _medical(frozenset({"chest_pain", "self_harm"})) == frozenset()
    assert _medical(frozenset({"overdose_or_injury", "confusion"})) == frozenset()
    assert _medical(frozenset({"chest_pain"})) == frozenset({"chest_pain"})


def _cases(seed: int) -> list[Case]:
    """Three writers; calm hits lean one way on the first feature, emergencies the other, with
    overlap, so that some calm hit scores below some emergency."""
    pick = random.Random(seed)
    out = []
    for writer in ("a", "b", "c"):
        for i in range(30):
            label = "chest_pain" if i % 3 else ""
            x = (pick.gauss(1.0 if not label else -1.0, 1.0), pick.gauss(0.0, 1.0))
            out.append(Case(writer, label, f"{writer}{i}", frozenset({"chest_pain"}), "today", x))
    return out


def test_each_threshold_loses_no_emergency_of_the_other_writers() -> None:
    cases = _cases(1)
    chosen = thresholds(cases, 0.3)
    for k, t in chosen.items():
        for j in {"a", "b", "c"} - {k}:
            model = _train([c for c in cases if c.writer not in (k, j)], 0.3)
            mine = [c.x for c in cases if c.writer == j and c.label]
            assert max(model.decision_function(mine)) < t


def test_the_report_counts_every_held_out_hit_once() -> None:
    report = evaluate(_cases(2), 0.3, first_look=False)
    assert "all: calm 30 -> " in report
    assert "emergencies 60 -> " in report
