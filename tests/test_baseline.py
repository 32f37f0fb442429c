"""A person's usual state is not a red flag; a change from it is (`rules/baseline.yaml`, round 15).

Each calm message tells a usual state in words the rules would read as an emergency; its twin
tells a change from the same state, which must alarm. Written for these tests from the clinical
wording ("new onset", "change from baseline"), not taken from any data set.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.safety import baseline, rulebook
from bot.safety.emergency import EmergencyDetector


@pytest.fixture(scope="module")
def rules() -> EmergencyDetector:
    return EmergencyDetector(learned=False)


USUAL_AND_CHANGED = [
    (
        "my bum is always numb, thats normal for me with my spinal cord injury",
        "my bum is always numb from my injury but today the numbness has spread to my inner "
        "thighs and i cant pee",
        {"saddle_numbness"},
    ),
    (
        "both feet numb from my diabetic neuropathy, been like that for years, nothing has "
        "changed",
        "both feet are numb from my neuropathy as usual, but since lunch both legs are numb up "
        "to the knees",
        {"leg_numbness_both"},
    ),
    (
        "i cant feel when my bladder is full, same as always since my injury",
        "i cant feel when my bladder is full, which is new, and i havent peed since last night",
        {"bladder_bowel"},
    ),
    (
        "my legs are weak as usual with my ms, my neurologist knows, just a cold this week",
        "my legs are always weak with ms but they suddenly gave way and i cant stand at all",
        {"leg_weakness"},
    ),
    (
        "pins and needles in both feet most days from my neuropathy, no change this week",
        "my usual pins and needles in both feet is worse than usual and creeping up my legs",
        {"leg_numbness_both"},
    ),
]


@pytest.mark.parametrize(("usual", "changed", "codes"), USUAL_AND_CHANGED)
def test_a_usual_state_is_calm_and_a_change_from_it_alarms(
    rules: EmergencyDetector, usual: str, changed: str, codes: set[str]
) -> None:
    assert rules.detect_rules(usual) == frozenset()
    assert codes <= rules.detect_rules(changed)


@pytest.mark.parametrize(
    ("message", "code"),
    [
        # The change wins even said of the usual state itself.
        ("my usual numbness is spreading into my other leg", "leg_numbness_both"),
        ("numb down there, which is not normal for me, never had it before", "saddle_numbness"),
        # A normal function told as usual makes the deficit new.
        ("ive lost control of my bladder, ive always been continent", "bladder_bowel"),
        ("hes usually sharp but today he doesnt know who i am", "confusion"),
        # A chronic condition named elsewhere is not a usual state of the flag.
        ("chronic back pain, and now i cant feel my bum or my inner thighs", "saddle_numbness"),
        # A flag the guidance never calls "new" is never cancelled by a usual state.
        ("i always get this crushing chest pain going down my arm, same as usual", "chest_pain"),
    ],
)
def test_a_change_or_an_unlisted_flag_still_alarms(
    rules: EmergencyDetector, message: str, code: str
) -> None:
    assert code in rules.detect_rules(message)


def test_both_engines_read_the_one_file(rules: EmergencyDetector) -> None:
    # The phrase rules alone and the rule files alone each apply the baseline.
    assert rules.detect_phrases("bum s numb, always is, im a wheelchair user") == frozenset()
    assert "saddle_numbness" in rules.detect_phrases("my bum is always numb but its spreading")
    book = rules.rulebook
    assert book.detect("both my legs are numb and tingly, have been for years with my ms") == set()
    assert "leg_numbness_both" in book.detect("both my legs are numb and tingly since breakfast")


def test_the_illness_of_someone_who_died_is_the_past(rules: EmergencyDetector) -> None:
    assert rules.detect_rules("my wife had sepsis years before she died, miss her") == frozenset()
    alarm = "since my wife died of sepsis im scared, and now im shivering uncontrollably, blotchy"
    assert "sepsis_signs" in rules.detect_rules(alarm)


def test_a_broken_baseline_file_stops_the_rules_loading(tmp_path: Path) -> None:
    target = tmp_path / "rules"
    shutil.copytree(rulebook.RULES_DIR, target)
    (target / baseline.BASELINE_FILE.name).write_text("flags: [saddle_numbness]\nusual: []\n")
    with pytest.raises(rulebook.RulesError, match=r"baseline\.yaml: usual"):
        rulebook.load(target)
