"""The leave-one-writer-out bench: every writer's set is held out once, thresholds honour the
budget (the bench itself trains models and is run by hand, `python -m bench.safety_by_writer`)."""

from __future__ import annotations

from bench.safety_by_writer import (
    DATA,
    FOLDS,
    Fold,
    Thresholds,
    alarms,
    chosen_floor,
    medical_neighbour_alarm,
    near_family_thresholds,
    separating,
    threshold,
    uncorroborated,
)
from bot.safety.learned import Verdict
from bot.safety.train_learned import family_thresholds


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


def test_a_family_no_calm_message_comes_near_gets_a_lower_medical_threshold() -> None:
    """Calm messages the namer calls cauda equina score up to 0.97, so that family keeps the
    common 0.93; infection's highest calm message is 0.80, so infection alarms from 0.85."""
    calm = [(0.97, "leg_numbness_both"), (0.80, "rash_no_fade"), (0.88, "chest_pain")]
    t = family_thresholds(calm, 0.93, floor=0.85, margin=0.01)
    assert t["cauda equina"] == 0.93
    assert t["infection"] == 0.85
    assert t["breathing/chest"] == 0.89
    assert t["trauma"] == 0.85  # no calm message named trauma: the floor
    limits = Thresholds(crisis=0.72, medical=0.93, families=t)
    assert alarms((0.0, 0.86, 0.0, 0.0), limits, "stiff_neck") == (False, True)
    assert alarms((0.0, 0.86, 0.0, 0.0), limits, "saddle_numbness") == (False, False)
    assert alarms((0.0, 0.86, 0.0, 0.0), limits, "") == (False, False)


def test_the_learned_calm_never_overrules_a_crisis_or_a_short_message() -> None:
    """The corroboration veto measured in round 13 (not in the bot): only a medical hit on a
    message long enough for the model, which reads it as calm on both scores, is dropped."""
    calm = Verdict(0.001, 0.001, "calm")
    assert uncorroborated({"leg_weakness"}, calm, 20, 0.02)
    assert not uncorroborated({"leg_weakness"}, calm, 20)  # the default floor: off
    assert not uncorroborated({"self_harm"}, calm, 20, 0.02)
    assert not uncorroborated({"leg_weakness", "self_harm"}, calm, 20, 0.02)
    assert not uncorroborated({"leg_weakness"}, calm, 5, 0.02)  # "no fever but I can't breathe"
    assert not uncorroborated({"leg_weakness"}, None, 20, 0.02)  # too short for the model
    assert not uncorroborated({"leg_weakness"}, Verdict(0.001, 0.2, "leg_weakness"), 20, 0.02)
    assert not uncorroborated({"leg_weakness"}, Verdict(0.2, 0.001, "self_harm"), 20, 0.02)


def test_the_separating_threshold_stops_where_calm_alarms_outweigh_crises() -> None:
    """(neighbour score, learned crisis probability): two crises well apart from the calm
    messages, then a third only reachable by alarming on three calm ones."""
    missed = [(0.30, 0.5), (0.25, 0.4), (0.10, 0.5)]
    calm = [(0.28, 0.1), (0.12, 0.6), (0.11, 0.6), (0.11, 0.45)]
    assert separating(missed, calm, weight=1.0, cap=10) == 0.25
    # The gate hides a calm message under the crises' learned probabilities: not counted.
    assert separating(missed, calm, weight=1.0, cap=0) == 0.25
    # Worth three calm alarms per crisis, the third crisis is bought.
    assert separating(missed, calm, weight=4.0, cap=10) == 0.10
    assert separating(missed, calm, weight=4.0, cap=2) == 0.25  # but not past the cap


def _writer(name: str, calm: list[tuple[float, str]]) -> Fold:
    fold = Fold(name, [("", f"calm {i}") for i in range(len(calm))], ["set"] * len(calm))
    fold.scores = [(0.0, score, 1.0, 0.0) for score, _ in calm]
    fold.short = [False] * len(calm)
    fold.codes = [code for _, code in calm]
    return fold


def test_a_fold_chosen_floor_stops_above_an_idiom_only_one_writer_wrote() -> None:
    """Writer b's injury idiom (0.905, named trauma) is unseen whenever b is left out: a floor
    under it would alarm on b, so the floor stays above it; with no such message, the lowest."""
    a = _writer("a", [(0.70, "major_trauma"), (0.80, "chest_pain")])
    b = _writer("b", [(0.905, "major_trauma")])
    c = _writer("c", [(0.50, "seizure")])
    assert chosen_floor([a, b, c], 0.93) == 0.91
    assert chosen_floor([a, c], 0.93) == 0.85


def test_the_medical_neighbours_family_threshold_sits_above_that_familys_calm() -> None:
    """Round 14's measured option: quiet calm messages whose nearest medical exemplar is chest
    pain reach a sum of 0.96, so chest pain keeps the one threshold (0.97); the highest one
    near a collapse exemplar sums to 0.80, so collapse alarms from 0.85 (margin 0.05)."""
    calm = [
        ((0.0, 0.80, 0.0, 0.0), (0.16, "chest_pain"), "chest_pain"),
        ((0.0, 0.70, 0.0, 0.0), (0.10, "confusion"), "confusion"),
    ]
    limits = Thresholds(crisis=0.72, medical=0.93, medical_near=0.97, medical_gate=0.6)
    limits.near_families = near_family_thresholds(calm, limits, 0.05)
    assert limits.near_for("chest_pain") == 0.97
    assert round(limits.near_for("confusion"), 6) == 0.85
    assert limits.near_for("rash_no_fade") == 0.97  # no calm message near it: the one
    assert medical_neighbour_alarm(limits, 0.75, "", (0.12, "confusion"))
    assert not medical_neighbour_alarm(limits, 0.75, "", (0.12, "chest_pain"))
    assert not medical_neighbour_alarm(limits, 0.55, "", (0.4, "confusion"))  # under the gate


def test_agreement_needs_the_neighbours_to_name_the_flag_namers_family() -> None:
    """Two weak signals alarm together only when they agree on the family: the learned
    probability within the band under its family's threshold, the neighbours past the bar and
    naming that same family."""
    limits = Thresholds(crisis=0.72, medical=0.93, agree_band=0.2, agree_bar=0.05, agree_gate=0.7)
    assert medical_neighbour_alarm(limits, 0.8, "chest_pain", (0.06, "breathing"))
    assert not medical_neighbour_alarm(limits, 0.8, "chest_pain", (0.06, "leg_weakness"))
    assert not medical_neighbour_alarm(limits, 0.8, "chest_pain", (0.04, "breathing"))
    assert not medical_neighbour_alarm(limits, 0.72, "chest_pain", (0.3, "breathing"))  # band
