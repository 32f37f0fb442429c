"""A negated word keeps marked word pieces: a misspelt word under a negation still carries what
its spelling says ("no point in liveing" reads as "no point in living"), and a misspelt denial
("not suicidle") still reads as a denial, never as the crisis word itself."""

from __future__ import annotations

import pytest

from bot.safety.emergency import EmergencyDetector
from bot.safety.learned import features, normalise


@pytest.fixture(scope="module")
def detector() -> EmergencyDetector:
    return EmergencyDetector().loaded()


@pytest.mark.parametrize(
    "message",
    [
        "no point in liveing like this anymore",
        "theres no point liveing with this pain anymore",
        "dont want to keep liveing like this",
        "i rather not exsit anymore",
        "not planing on wakeing up tomorrow",
    ],
)
def test_a_wish_not_to_live_in_misspelt_words_gets_the_crisis_reply(
    detector: EmergencyDetector, message: str
) -> None:
    """No rule knows these spellings; before, the negated misspelling was an unknown word and
    the bot stayed silent on each of them."""
    assert "self_harm" in detector.detect(message)


@pytest.mark.parametrize(
    "message",
    [
        "no numbnes, no tingleing, just a sore back",
        "not suicidle, just need the flu to go away",
        "im not sucidal lol just bored in bed",
        "not feeling sucidal just fed up being sick",
    ],
)
def test_a_misspelt_denial_stays_calm(detector: EmergencyDetector, message: str) -> None:
    assert not detector.detect(message)


def test_a_negated_misspelling_shares_pieces_with_the_negated_word_only() -> None:
    misspelt = {f for f in features(normalise("not sucidal")) if f.startswith("nc:")}
    assert misspelt & features(normalise("not suicidal"))
    assert not misspelt & features(normalise("i feel sucidal"))
