"""The nearest-neighbour signal behind the learned detector, and its cascade."""

from __future__ import annotations

from typing import Any

import pytest

from bot.safety.emergency import EmergencyDetector, describe
from bot.safety.neighbours import (
    Bank,
    Near,
    NeighbourSignal,
    cascade,
    clauses,
    medical_nearness,
)

# Round 9's retrained bank (threshold 0.1038) puts "standing on the railway line now" just
# under it (0.099; the rules catch that one): this crisis only the neighbours catch.
# Round 15: "i'm on the train tracks" was this message until the retrained crisis gate (0.31)
# left it to a rule (self_harm.yaml, "on the tracks or at the edge now").
CRISIS = "parked up at the old quarry, engine running, hose ready"
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


def test_the_medical_score_names_the_flag_of_the_nearest_medical_exemplar() -> None:
    """Two medical exemplars (chest pain, leg weakness) and two calm ones, unit vectors on
    four axes: a message near the chest-pain exemplar scores high and names chest pain."""
    import numpy as np

    medical = np.eye(4, dtype=np.float32)[:, :2]  # columns: chest pain, leg weakness
    calm = np.eye(4, dtype=np.float32)[:, 2:]
    query = np.array([[0.9, 0.1, 0.3, 0.0]], dtype=np.float32)
    score, code = medical_nearness(query, medical, calm, ["chest_pain", "leg_weakness"], k=1)
    assert code == "chest_pain"
    assert score == pytest.approx(0.9 - 0.3)
    calm_query = np.array([[0.1, 0.0, 0.9, 0.0]], dtype=np.float32)
    assert medical_nearness(calm_query, medical, calm, ["chest_pain", "leg_weakness"], k=1)[0] < 0


def test_a_bank_without_medical_labels_never_alarms_medically() -> None:
    """A bank written before the medical exemplars were labelled keeps its crisis score and
    never raises a medical alarm (its medical threshold and gate are infinite)."""
    import numpy as np

    unit = np.eye(4, dtype=np.float32)
    bank = Bank(unit[:, :2], unit[:, 2:], threshold=0.1, gate=0.2)
    near = bank.near(unit[:1], k=1)
    assert near.crisis == pytest.approx(1.0)
    assert near.code == "" and near.medical == -1.0
    assert bank.medical_gate == bank.medical_threshold == float("inf")


def test_the_cascade_also_asks_when_the_medical_probability_reaches_its_gate() -> None:
    def asked() -> float:
        return 1.0

    assert cascade(False, False, 0.05, 0.1, asked, 0.6, 0.5) == (True, 1.0)
    assert cascade(False, False, 0.05, 0.1, asked, 0.4, 0.5) == (False, None)
    assert cascade(True, False, 0.05, 0.1, asked, 0.6, 0.5) == (False, None)


# A chest-pain image the learned detector alone calls calm (medical probability under its family
# threshold); the medical neighbours name it, and its calm twin shares the image's words.
CHEST_IMAGE = "an elephant is sitting on my breastbone and it won't get off"
ZOO_TWIN = "the elephant at the zoo sat down right in front of us, the kids loved it"


def test_a_medical_image_the_learned_detector_misses_is_named_by_the_medical_neighbours(
    detector: EmergencyDetector,
) -> None:
    assert detector.learned is not None
    found, verdict = detector.learned.judge(CHEST_IMAGE)
    assert not found  # the learned detector alone says calm
    assert detector._neighbours(CHEST_IMAGE, verdict) == {"chest_pain"}
    assert "chest_pain" in detector.detect(CHEST_IMAGE)
    assert "chest" in describe({"chest_pain"}).lower()  # the reply names what to act on


def test_its_calm_twin_lies_near_chest_pain_but_the_learned_probability_keeps_it_calm(
    detector: EmergencyDetector,
) -> None:
    assert detector.learned is not None and detector.neighbours is not None
    signal = detector.neighbours
    found, verdict = detector.learned.judge(ZOO_TWIN)
    near = signal.near(ZOO_TWIN)
    assert not found and verdict is not None and near is not None
    assert near.code == "chest_pain" and near.medical > 0.2  # the image alone looks medical
    assert signal.alarm(verdict.crisis, verdict.emergency, near) is None
    assert detector.detect(ZOO_TWIN) == frozenset()


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


@pytest.mark.parametrize(
    "message",
    [
        CRISIS,
        CALM_TWIN,
        CHEST_IMAGE,
        ZOO_TWIN,
        "my back aches, and my legs feel like they belong to someone else since this morning",
    ],
)
def test_the_shipped_bank_scores_as_the_bench_that_chose_its_thresholds(message: str) -> None:
    """The bot's `Bank.near` (one product with the others' columns, split into calm and
    medical) gives the crisis score, medical score and flag that the leave-one-writer-out
    bench's `nearness` and `medical_nearness` give on the same bank: the thresholds chosen
    there mean the same in the bot."""
    import numpy as np

    from bot.safety.neighbours import nearness

    signal = NeighbourSignal(background=False)
    assert signal.wait() and signal._loaded is not None
    bank = signal._loaded
    found = signal.near(message)
    queries = signal._embed(clauses(message))
    n = len(bank.medical_codes)
    assert found is not None and n > 0
    assert found.crisis == pytest.approx(nearness(queries, bank.crisis, bank.others), abs=1e-5)
    medical, code = medical_nearness(
        queries,
        np.ascontiguousarray(bank.others[:, -n:]),
        np.ascontiguousarray(bank.others[:, :-n]),
        bank.medical_codes,
    )
    assert found.medical == pytest.approx(medical, abs=1e-5)
    assert found.code == code


# Round 15 (issue 10): the medical neighbours are asked again without the clauses the rules'
# context sets aside. A settled past before a current image leaves the image to alarm; a
# symptom said to be gone leaves nothing that does.
PAST_THEN_IMAGE = (
    "had a bad back years ago, fine now. tonight a cold band round my chest and my arm feels heavy"
)
GONE_NOW = "my chest felt tight on Monday, but it's gone now"


def test_a_current_image_after_a_settled_past_still_alarms_through_the_neighbours(
    detector: EmergencyDetector,
) -> None:
    assert detector.learned is not None
    found, verdict = detector.learned.judge(PAST_THEN_IMAGE)
    assert not found  # the learned detector alone says calm
    assert detector.live_text(PAST_THEN_IMAGE) != PAST_THEN_IMAGE  # asked again, without the past
    assert detector._neighbours(PAST_THEN_IMAGE, verdict) == {"chest_pain"}


def test_a_symptom_said_to_be_gone_is_not_a_medical_neighbour_alarm(
    detector: EmergencyDetector,
) -> None:
    assert detector.learned is not None and detector.neighbours is not None
    found, verdict = detector.learned.judge(GONE_NOW)
    near = detector.neighbours.near(GONE_NOW)
    assert not found and verdict is not None and near is not None
    # The whole message lies near chest pain and alarms on its own ...
    assert detector.neighbours.alarm(verdict.crisis, verdict.emergency, near) == "chest_pain"
    # ... but nothing is left once "it's gone now" has set the tight chest aside.
    assert detector._neighbours(GONE_NOW, verdict) == frozenset()
    assert detector.detect(GONE_NOW) == frozenset()


def test_a_family_with_a_lower_learned_threshold_counts_its_probability_from_there() -> None:
    """The medical neighbours' sum shifts the learned probability by its flag family's
    threshold: 0.80 in a family alarming at 0.91 (common 0.93) counts as 0.82, so a message
    just under the sum's threshold alarms when named in that family and not when named in a
    family at the common threshold. A bank from before (no common threshold) keeps the plain
    sum whatever family it is given."""
    import numpy as np

    unit = np.eye(4, dtype=np.float32)
    signal = NeighbourSignal(background=False)
    near = Near(-1.0, 0.19, "confusion")
    for common, alarms in ((0.93, "confusion"), (None, None)):
        bank = Bank(unit[:, :1], unit[:, 1:], 0.1, 0.2, ("confusion",), 1.0, 0.5, common)
        signal._loaded = bank
        assert bank.medical_total(0.19, 0.80, 0.91) == pytest.approx(1.01 if common else 0.99)
        assert signal.alarm(0.0, 0.80, near, 0.91) == alarms
        assert signal.alarm(0.0, 0.80, near, 0.93) is None
        assert signal.alarm(0.0, 0.80, near) is None  # no family known (under the gate): plain
        assert signal.alarm(0.0, 0.45, near, 0.50) is None  # under the medical gate


@pytest.mark.parametrize(
    "message",
    [
        CHEST_IMAGE,
        ZOO_TWIN,
        CALM_TWIN,
        "my back aches, and my legs feel like they belong to someone else since this morning",
        "my nan went down in the shower and hasn't really come round, she's mumbling",
        "my little one is 6 weeks old and feels really hot, should i just give calpol",
    ],
)
def test_the_shipped_medical_alarm_decides_as_the_bench_that_chose_its_threshold(
    detector: EmergencyDetector, message: str
) -> None:
    """The bot's medical neighbour sum (the learned probability shifted by the threshold of the
    family the flag namer names, `Bank.medical_total`) and its alarm are the bench's
    (`Thresholds.total` with `--relative`, `medical_neighbour_alarm`) at the bot's learned
    thresholds and the bank's threshold and gate: the threshold chosen there means the same
    here. The bank's common threshold is the learned detector's (what the shift is from; a bank
    from before round 15 has none and is given the learned one here)."""
    from dataclasses import replace

    from bench.safety_by_writer import Thresholds, medical_neighbour_alarm

    learned, shipped = detector.learned, detector.neighbours
    assert learned is not None and shipped is not None and shipped._loaded is not None
    assert shipped._loaded.medical_common in (None, learned.emergency_threshold)
    bank = replace(shipped._loaded, medical_common=learned.emergency_threshold)
    signal = NeighbourSignal(background=False)
    signal._loaded, signal._embed = bank, shipped._embed
    signal._ready.set()
    found, verdict = learned.judge(message)
    near = signal.near(message)
    assert verdict is not None and near is not None
    name = learned.flag(message) or verdict.code
    bench = Thresholds(
        learned.crisis_threshold,
        learned.emergency_threshold,
        families=dict(learned.family_thresholds),
        medical_near=bank.medical_threshold,
        medical_gate=bank.medical_gate,
        relative=True,
    )
    family = learned.medical_threshold(name)
    assert bank.medical_total(near.medical, verdict.emergency, family) == pytest.approx(
        bench.total(near.medical, verdict.emergency, name)
    )
    alarms = signal.alarm(0.0, verdict.emergency, near, family) == near.code
    assert alarms == medical_neighbour_alarm(
        bench, verdict.emergency, name, (near.medical, near.code)
    )
    rebuilt = shipped._loaded.medical_common is not None  # the bot runs this very sum
    if rebuilt and not found and not detector.detect_rules(message):
        assert (near.code in detector.detect(message)) == alarms
