"""Where a negation ends (issue 10, round 15): the rules' negation cues end at NegEx's
termination terms and a new clause, and skip NegEx's pseudo-negations and negations that are
the symptom themselves. Messages written from negspacy's published `termination` and `pseudo`
lists (Chapman et al.'s NegEx), not taken from tests/data."""

from __future__ import annotations

import pytest

from bot.safety.emergency import EmergencyDetector
from bot.safety.learned import NEGATED, normalise

# A current symptom after a negated one: the negation must not reach it.
SCOPE_ENDS = [
    "no cough still my lips are going blue",
    "no fever nevertheless her lips have gone a bit blue",
    "no pain just both legs gone numb since this morning",
    "no injury however both my legs are numb and tingling",
    "no fever but now i cant feel my legs",
    "no cough however my lips are turning blue",
    "not dizzy beforehand yet i passed out on the kitchen floor",
    "didnt fall which is weird, but i cant move my legs",
    "no numbness but i hit my head and keep vomiting",
    "nothing helps, i just want to be gone",
]
# Negations that negate nothing, or are the symptom.
PSEUDO = [
    "no change, still havent passed urine since yesterday morning",
    "never had a headache like this, neck stiff and a high fever",
    "not getting enough air, every breath is a battle",
    "not necessarily an emergency but my lips are going blue",
    "not sure whats happening, i cant pee at all since last night",
    "no doubt about it, my chest is crushing and the pain is spreading to my jaw",
    "cant do this no more ive worked out how id do it",
    "not only sick of this flu i know exactly how i would do it",
    "i wont be a burden much longer, ive sorted my will",
    "cant wake her up, shes floppy and hot",
]
# A negation that still covers what it denies: these stay calm.
STILL_NEGATED = [
    "cant say im struggling to breathe, just bunged up",
    "cant say ive noticed any numbness down there, only the backache",
    "no numbness, no weakness, just an achy back from the flu",
    "no chest pain or trouble breathing, only the usual aches",
    "no numbness or tingling in both legs, just a stiff back",
    "no blue lips or gasping, still a stuffy nose though",
    "no numbness in either leg, apart from that my back aches",
    "not suicidal, just fed up with being sick",
    "no plans to hurt myself, just venting about this flu",
    "no rash, no stiff neck, just a headache with the cold",
]


@pytest.fixture(scope="module")
def detector() -> EmergencyDetector:
    return EmergencyDetector(learned=False)


@pytest.mark.parametrize("message", SCOPE_ENDS + PSEUDO)
def test_a_symptom_outside_the_negations_reach_alarms(
    detector: EmergencyDetector, message: str
) -> None:
    assert detector.detect_rules(message), message


@pytest.mark.parametrize("message", STILL_NEGATED)
def test_a_denied_symptom_stays_calm(detector: EmergencyDetector, message: str) -> None:
    assert not detector.detect_rules(message), message


# --- the learned detector's negation marks (`bot.safety.learned.normalise`) -----------------


@pytest.mark.parametrize(
    ("message", "negated", "plain"),
    [
        ("no fever but now i cant feel my legs", "fever", "feel"),
        ("no cough however my lips are turning blue", "cough", "lips"),
        ("nobody cares i just want to die", "cares", "want"),
        ("not dizzy, still my legs gave way", "dizzy", "legs"),
    ],
)
def test_the_learned_marks_end_at_a_termination_term_or_a_new_subject(
    message: str, negated: str, plain: str
) -> None:
    words = normalise(message)
    assert NEGATED + negated in words
    assert plain in words and NEGATED + plain not in words


@pytest.mark.parametrize(
    "message",
    [
        "not only is my back sore, both legs are numb",
        "no doubt my chest is crushing",
        "not to be dramatic but i wet myself",
        "nothing but a burden to everyone",
        "not just fed up, i want to die",
    ],
)
def test_a_pseudo_negation_marks_nothing(message: str) -> None:
    assert not any(w.startswith(NEGATED) for w in normalise(message))


def test_a_negation_still_marks_what_it_denies() -> None:
    assert normalise("not suicidal, just tired")[1] == NEGATED + "suicidal"
    assert NEGATED + "alive" in normalise("i dont really want to be alive")
