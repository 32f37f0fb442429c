"""The dose reader (`bot.safety.doses`): an overdose told in numbers, not words, alarms; the
label's dose taken properly, a question about the maximum, a supposition and a pack size do
not. Messages written for this file from the NHS and poisons lines' wording."""

from __future__ import annotations

import pytest

from bot.safety import doses
from bot.safety.emergency import EmergencyDetector
from bot.safety.rulebook import normalise


@pytest.fixture(scope="module")
def detector() -> EmergencyDetector:
    return EmergencyDetector().loaded()


@pytest.mark.parametrize(
    "message",
    [
        "8 g of paracetamol since breakfast and my back still hurts",
        "been having 2 panadol every 2 hours plus the cold and flu tabs since yesterday",
        "my 3 year old got into the ibuprofen while i napped, maybe 6 gone",
        "had 10 lemsips today cos this flu is brutal",
        "reckon ive had about eleven grams of panadol over today",
        "took 5 of my zopiclone an hour ago, cant sleep with this back",
        "7am 2x500mg paracetamol, 10am 2x500mg, 1pm 2x500mg, 4pm 2x500mg, 8pm 2x500mg",
        "swallowed half a packet of her temazepam",
        "been on panadol and cold and flu tablets all day, just saw both have paracetamol in",
    ],
)
def test_an_amount_over_the_label_alarms(detector: EmergencyDetector, message: str) -> None:
    assert "overdose_or_injury" in detector.detect(message)


@pytest.mark.parametrize(
    "message",
    [
        "2 panadol every 6 hours, 8 a day max, thats what im doing for my back",
        "how many panadol can i take in a day, is 8 the max",
        "had 2 panadol and a nurofen for my back this morning, feeling better",
        "is 1 g of paracetamol ok for my back",
        "i take 2 panadol every 4 to 6 hours when my back is bad",
        "had a lemsip and 2 panadol today, back a bit better",
        "queued 20 mins at the chemist for panadol, back was killing me",
    ],
)
def test_the_label_dose_and_questions_stay_calm(detector: EmergencyDetector, message: str) -> None:
    assert "overdose_or_injury" not in detector.detect(message)


def test_the_reader_is_named_when_explaining(detector: EmergencyDetector) -> None:
    hits = detector.rulebook.hits("had 10 lemsips today cos of this flu")
    assert any(h.rule.name.startswith("a dose over the label") for h in hits)


def test_a_rate_counts_waking_hours_unless_round_the_clock() -> None:
    """2 tablets every 4 hours is 8 while awake (the label's most) but 12 round the clock."""
    assert not doses.spans(normalise("taking 2 panadol every 4 hours for my back"))
    assert doses.spans(normalise("taking 2 panadol every 4 hours round the clock for 3 days"))


def test_no_medicine_word_means_no_reading() -> None:
    assert doses.spans(normalise("had 40 coffees today and 12 grams of sugar")) == []
