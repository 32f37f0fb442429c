"""The rules read standard spelling too (round 12, issue 10): a crisis typed in dialect or
text-speak is caught by the rules alone without a pattern for each variant, each reading is
judged by its own context cues, and round 12's calm families keep everyday sensations calm.
All messages here are the rule writer's own, not from any set."""

from __future__ import annotations

import pytest

from bot.safety import rulebook
from bot.safety.cli import explain
from bot.safety.emergency import EmergencyDetector
from bot.safety.spelling import respelt


@pytest.fixture(scope="module")
def rules() -> EmergencyDetector:
    return EmergencyDetector(learned=False)


# Each was missed by the rules as typed (main at 9fc0f70): only the standard reading has the
# words their patterns know ("thinking about ending it", "cutting myself").
DIALECT_CRISES = [
    "been thinkin bout endin it all tonite",
    "i keep thinkin abt killin myself",
    "a've been cuttin masel again",
    "thinkin bout the bridge again, nobody wud miss me",
]


@pytest.mark.parametrize("message", DIALECT_CRISES)
def test_a_crisis_in_dialect_or_text_speak_is_caught_by_the_rules_alone(
    rules: EmergencyDetector, message: str
) -> None:
    assert "self_harm" in rules.detect_rules(message)
    as_typed = [h for h in rules.rulebook.hits(message) if not h.respelt and not h.cancelled]
    assert not as_typed  # the standard reading found it


@pytest.mark.parametrize(
    "message",
    [
        # the negation is read in the standard reading too
        "im no thinkin aboot killin masel, just moanin aboot ma back",
        "i wud never hurt masel, dinnae worry",
        # a rule's standard-English wording no longer reads a bus ride as going on living
        "cannae see the point o goin on the bus wi this back",
        "sumthin bout this flu makes me wanna sleep all day",
    ],
)
def test_calm_dialect_stays_calm(rules: EmergencyDetector, message: str) -> None:
    assert rules.detect_rules(message) == frozenset()


def test_a_message_in_standard_spelling_is_read_once() -> None:
    message = "my back aches and I have the flu"
    assert respelt(message) is None
    assert rulebook.forms(message) == (rulebook.normalise(message),)
    assert respelt("wanna unalive myself") == "want to kill myself"


def test_a_long_message_is_read_again_only_where_spelling_changed_it() -> None:
    message = "My back hurts. I have flu. tbh im done w life. Thanks for the article"
    assert respelt(message) == " to be honest im done with life. thanks for the article"


def test_explain_shows_the_standard_reading_and_which_hit_it_gave() -> None:
    lines = explain("thinkin bout hangin masel the nicht")
    assert any(
        line.startswith("rule files also read, in standard spelling: thinking about hanging")
        for line in lines
    )
    assert any("(standard spelling) -> FIRES" in line for line in lines)


# Round 12's calm families (read off set 21 and 22's calm alarms, in-sample there), each beside
# the emergency the same words still report.
CALM_AND_EMERGENCY = [
    (
        "both feet tingled for a moment standing up from the sofa, im fine otherwise",
        "both my legs went numb for a few seconds and now i cant feel them at all",
    ),
    (
        "sat on the concrete step at footy and my bum went numb. it wore off as soon as i stood",
        "my bum went numb this morning and it hasnt worn off",
    ),
    (
        "honestly feels as though ive been hit by a train this week",
        "i was hit by a bus this morning though i feel ok, my neck hurts",
    ),
    (
        "In 2012, I had a bad disc and could not control my bladder. Now everything is fine.",
        "Last year, my legs went numb and I could not pee. It is happening again.",
    ),
]


@pytest.mark.parametrize(("calm", "emergency"), CALM_AND_EMERGENCY)
def test_an_everyday_sensation_is_calm_and_its_emergency_twin_is_not(
    rules: EmergencyDetector, calm: str, emergency: str
) -> None:
    assert rules.detect_rules(calm) == frozenset()
    assert rules.detect_rules(emergency)
