"""The leave-one-writer-out bench: every writer's set is held out once, thresholds honour the
budget (the bench itself trains models and is run by hand, `python -m bench.safety_by_writer`)."""

from __future__ import annotations

from bench.safety_by_writer import DATA, FOLDS, threshold


def test_every_emergency_and_calm_set_is_some_writers_fold() -> None:
    """A new writer's set left out of FOLDS would silently stay in training, never measured."""
    sets = {
        p.name
        for p in DATA.iterdir()
        if p.suffix in (".tsv", ".txt") and ("emergency" in p.name or "calm" in p.name)
    }
    held = [name for names in FOLDS.values() for name in names]
    assert len(held) == len(set(held))
    assert sets <= set(held)
    assert all((DATA / name).exists() for name in held)


def test_threshold_keeps_calm_alarms_within_the_budget() -> None:
    calm = [i / 100 for i in range(100)]
    t = threshold(calm, 0.03, 0.0)
    assert sum(score >= t for score in calm) == 3
    assert threshold(calm, 0.03, 0.99) == 0.99  # never below the floor
    assert threshold(calm, 0.0, 0.0) > max(calm)
