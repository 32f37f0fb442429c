"""Warning-sign word families in the rule files (`bot/safety/rules/families.yaml`), the rules
that combine them, the everyday-reason cue, and past cues scoped to their clause: what a person
in crisis, a person with a present emergency, or an admin editing a rule file would notice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.safety import rulebook
from bot.safety.cli import explain
from bot.safety.emergency import EmergencyDetector
from bot.safety.scoring import read_rows

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def rules() -> EmergencyDetector:
    return EmergencyDetector(learned=False)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rulebook.RULES_DIR, target)
    return target


# Oblique warning signs from the published lists, in words no single old pattern had, each
# beside an everyday message that shares its family words and must stay calm.
PAIRS = [
    # finality x a time limit
    (
        "none of this is going to matter after friday",
        "the rain won't matter after friday, the game is indoors",
    ),
    # arrangements x an end of life
    (
        "rehomed my two cats this week, someone can look after them better than i can",
        "we had to rehome our cat because the landlord says no pets, so sad",
    ),
    (
        "sorted my passwords and my will so my wife doesn't have to, i feel calm about it now",
        "sorted my will with the solicitor after we bought the house, just in case",
    ),
    # means x keeping them back
    (
        "been squirrelling away my sleeping tablets for a month",
        "ive been hiding my sleeping tablets from the grandkids",
    ),
    # means x planning
    (
        "worked out how many of my oxy it would take",
        "looked up how much ibuprofen is safe with food for my back",
    ),
    # a wish not to wake up
    (
        "it would honestly be a relief to go to sleep and never wake up",
        "i hope i dont wake up at 4am again with this cough",
    ),
    # letting an illness end it
    (
        "not taking the antibiotics, let nature take its course. im done",
        "just letting nature take its course with this cold, rest and fluids",
    ),
    # trapped
    ("i cant see any way out except dying", "cant see a way out of this flu except rest"),
    # a negating pronoun negates its own clause only; doubt ("dont know") negates nothing
    ("nobody cares i just want to die", "i dont want to die, just sick of this back"),
    ("idk i dont know i just want to die", "no one wants to die of the flu lol"),
    # slang and self-harm glossaries
    ("thinking about logging off for good", "logged off for the night, back still sore"),
    ("8 months clean from sh and i relapsed tonight", "relapsed on the ciggies this week"),
    # what a family member or a friend said
    ("my son says he doesnt want to live anymore", "my son doesnt want to live at home anymore"),
    # understated: no future, waking a disappointment
    ("honestly i cant see myself being here next year", "i wont make it to christmas lunch"),
    ("every morning im disappointed i woke up", "disappointed i woke up early again"),
    # round 7: passive ideation in chat words, chat goodbyes, self-injury shorthand, carers
    ("idc if i die tbh, death sounds peaceful rn", "im dying for a cuppa, that sounds nice"),
    ("bye guys, its been real. ily all", "bye guys, love you, see you tomorrow"),
    ("i wish i didnt exist", "i wish i didnt exist in this heat, my back is melting lol"),
    ("i shd again last night", "i shd go to the gp about my back"),
    ("did it again last night, arms are a mess", "relapsed on the ciggies, my legs feel awful"),
    (
        "i keep thinking about taking all of dads morphine",
        "i give dad his morphine then take my panadol",
    ),
    (
        "im sitting on the roof of my building rn",
        "sitting on the roof rn watching the sunset with mates",
    ),
    ("gonna od tonight", "overdosed on chicken soup lol, had 3 bowls"),
    (
        "im a carer for my son and some nights i think we would both be better off gone",
        "im a carer for my husband and my back is wrecked from lifting him",
    ),
]


@pytest.mark.parametrize(("crisis", "calm"), PAIRS)
def test_oblique_warning_signs_alarm_and_everyday_twins_do_not(
    rules: EmergencyDetector, crisis: str, calm: str
) -> None:
    assert "self_harm" in rules.detect_rules(crisis)
    assert rules.detect_rules(calm) == frozenset()


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("years ago i had surgery on my aorta, now sudden tearing pain in my back", "aortic"),
        ("she had fits as a little girl and shes fitting again", "seizure"),
        ("had a head injury playing footy yesterday, now vomiting and drowsy", "major_trauma"),
    ],
)
def test_a_past_clause_never_cancels_a_present_sign(
    rules: EmergencyDetector, message: str, code: str
) -> None:
    assert code in rules.detect_rules(message)


@pytest.mark.parametrize(
    "message",
    [
        "had a seizure when i was 4, im 30 now and never had another",
        "my friends son had a seizure last year but hes fine now, could flu trigger one",
        "i tore a muscle in my back at the gym last year",
    ],
)
def test_the_settled_past_still_cancels(rules: EmergencyDetector, message: str) -> None:
    assert rules.detect_rules(message) == frozenset()


@pytest.mark.parametrize(
    "message",
    [
        # a cue before a change of subject does not reach the disclosure after it
        "been reading an article about back pain for my mum, anyway i have her morphine in"
        " the drawer and ive been counting it",
        # "if it doesnt" negates nothing of its own: the next clause is not negated
        "does back pain go away after covid? asking cos if it doesnt i dont see the point of"
        " carrying on",
    ],
)
def test_a_cue_stops_where_its_clause_or_subject_ends(
    rules: EmergencyDetector, message: str
) -> None:
    assert "self_harm" in rules.detect_rules(message)


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("cant breathe through my nose with this cold, back aching too", "breathing"),
        ("my back aches so much with the flu i can barely pick them up, the kids", "leg_weakness"),
    ],
)
def test_everyday_words_for_a_cold_and_the_kids_stay_calm(
    rules: EmergencyDetector, message: str, code: str
) -> None:
    assert code not in rules.detect_rules(message)


def test_explain_names_the_family_rule_that_fired() -> None:
    lines = explain("been squirrelling away my sleeping tablets for a month")
    assert any("[self_harm: means kept back]" in line and "FIRES" in line for line in lines)


def test_explain_names_the_everyday_cue_that_cancelled() -> None:
    lines = explain("ive been hiding my sleeping tablets from the grandkids")
    assert any("cancelled by everyday cue context.yaml:" in line for line in lines)


def test_an_unknown_family_is_reported_with_file_and_line(rules_copy: Path) -> None:
    path = rules_copy / "self_harm.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("all: [MEANS, STOCKPILE]", "all: [MEANS, STOCKPILES]"), "utf-8")
    with pytest.raises(rulebook.RulesError) as err:
        rulebook.load(rules_copy)
    assert "self_harm.yaml:" in str(err.value) and "STOCKPILES" in str(err.value)


def test_a_family_example_that_fails_is_reported(rules_copy: Path) -> None:
    path = rules_copy / "families.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[been stockpiling,", "[been shopping,"), "utf-8")
    with pytest.raises(rulebook.RulesError) as err:
        rulebook.load(rules_copy)
    assert "families.yaml:" in str(err.value)
    assert "has no word of family STOCKPILE: 'been shopping'" in str(err.value)


def _rows(name: str) -> list[tuple[str, str]]:
    return read_rows(DATA / name)


# The rules alone (no learned detector) on the three newest writers' sets: self-harm caught and
# calm alarms, held where the warning-sign families brought them (before: 16/22, 18/27, 14/25
# caught; 0, 2, 3 alarms).
RULES_ALONE = {
    # Round 15 merged (resolved onward, negation scope, baseline, the tracks rule; in sample):
    # floors raised and ceilings lowered to the figures then.
    # Round 9 (in-sample: every set here is dev data now): each set's suicide, self-harm and
    # overdose messages all caught by the rules alone, no calm alarm from the rules. Earlier
    # first looks: writers J/L 18 and 23, N/O 25 and 22, R/S 25 and 17, V/W 22 and 19 (round
    # 7), Z/AA 18 and 17 (round 8), 18 and 19 after round 9's published-list families, held
    # out (their misses unread), then 27 and 27 in-sample; calm alarms 0 and 3 -> 0.
    "set4": (22, 0),
    "set5": (27, 0),
    "set6": (25, 0),
    "set7": (27, 0),
    "set8": (27, 0),
    "set9": (27, 0),
    "set10": (27, 0),
    "set11": (27, 0),
    "set12": (27, 0),
    "set13": (27, 0),
    "set14": (27, 0),
    "set15": (27, 0),
    "set16": (27, 0),
    # Writers AD and AE, first look before and after round 9 (no rule writer saw them): self-harm
    # 22 and 22 of 27 caught by the rules alone after round 9; calm alarms 1 and 0. Round 10's
    # families from the published lists, held out (misses unread): still 22 and 22; after
    # reading them (in-sample, general families): 27 and 27, calm alarms 0 and 0.
    "set17": (27, 0),
    "set18": (27, 0),
    # Writers AL and AM, first look before and after round 11 (no rule writer saw them): 15 and
    # 18 of 27 caught by the rules alone; calm alarms 1 and 3 (the learned detector and the
    # neighbours catch most of the rest). Dev data from round 12 on. Round 12's calm families
    # (pins and needles gone at once, "as though", a lead clause long past), read off these
    # alarms, are in-sample here: calm alarms 1 and 3 -> 0 and 0.
    "set21": (17, 0),
    "set22": (21, 0),
    # Writers AP and AQ, first look before and after round 12 (no rule writer saw them): 21 and
    # 13 of 27 caught by the rules alone; calm alarms 1 and 5 (set 24 writes in metaphor, which
    # the literal rules read as symptoms). Dev data from round 13 on.
    "set23": (23, 0),
    "set24": (15, 1),
    # Writers AT, AU and AV, first look before and after round 13 (no rule writer saw them): 21,
    # 18 and 21 of 27 caught by the rules alone; calm alarms 0, 2 and 1. Dev data from round 14 on.
    "set25": (23, 0),
    "set26": (20, 0),
    "set27": (23, 1),
    # Round 14 (issue 10), the question-and-hedge writers: rules alone 18 and 16 of 27; calm
    # alarms 4 -> 0 on qf_dev (read and tuned on, in-sample) and 2 -> 2 on qf_check (unread).
    "qf_dev": (21, 0),
    "qf_check": (19, 1),
    # Round 14's first look, dev data from round 15 on: writers AW, AX and AY, and the unread
    # code-switching check set, rules alone after round 14 (dose reader and glosses included).
    # Round 15 (issue 10, in-sample): a resolution or long-past marker later in the message
    # scopes back over the hits before it; rules-alone calm alarms set23 1 -> 0, set24 5 -> 1,
    # set26 2 -> 0, qf_check 2 -> 1, set28 1 -> 0, set30 3 -> 0, cs_check 3 -> 1 (the two
    # stories that passed: "sorted itself out in a day, nothing since", "she's totally fine now").
    "set28": (25, 0),
    "set29": (17, 0),
    "set30": (22, 0),
    "cs_check": (20, 1),
    # Writers BC, BD, BE and BF, first look before round 15 (no rule writer saw them): 20, 24, 20
    # and 20 of 27 by the rules alone; calm alarms 2, 1, 4 and 7 (set 37's writer describes a
    # disabled person's usual numbness or catheter, which the rules read as new). Dev data from
    # round 15 on. Round 15's usual state (`rules/baseline.yaml`, read and tuned on these sets:
    # in-sample): calm alarms on set 36 4 -> 3 (the illness of someone who died) and set 37
    # 7 -> 2.
    "set34": (20, 2),
    "set35": (24, 0),
    "set36": (20, 2),
    "set37": (20, 2),
}


@pytest.mark.parametrize("name", sorted(RULES_ALONE))
def test_rules_alone_hold_on_the_newest_sets(rules: EmergencyDetector, name: str) -> None:
    caught_floor, alarm_ceiling = RULES_ALONE[name]
    crises = [
        m for c, m in _rows(f"{name}_emergency.tsv") if c in ("self_harm", "overdose_or_injury")
    ]
    calm = [m for c, m in _rows(f"{name}_calm.tsv") if not c]
    caught = sum(bool(rules.detect_rules(m)) for m in crises)
    alarms = [m for m in calm if rules.detect_rules(m)]
    assert caught >= caught_floor
    assert len(alarms) <= alarm_ceiling, alarms


# Issue 10: a context cue must not cancel a real emergency said by a stoic person. Each crisis
# beside a calm twin that the same cue still cancels.
STOIC_PAIRS = [
    # a hedge is a pseudo-negation, a denial still negates
    (
        "its probably nothing, just a heavy chest and my left arm aches",
        "chest_pain",
        "probably nothing but no chest pain, just a sore back from the flu",
    ),
    # a reassurance speaks for its own and earlier clauses only
    (
        "fell off the roof yesterday, he says his back is fine but he is grey",
        "sepsis_signs",
        "tripped on the step and banged my knee, walking fine",
    ),
    # a past cue in a relative clause is about someone else
    (
        "since yesterday she doesnt seem to know where she is, keeps asking for her mother "
        "who died years ago",
        "confusion",
        "she was confused for a while years ago after an operation",
    ),
    (
        "my nan, who had a stroke years ago, has gone floppy on one side and cant talk",
        "sepsis_signs",
        "my nan had a stroke years ago and went floppy on one side back then",
    ),
    # a recent first fit keeps its clause; a childhood one is still the past
    (
        "had a fit at the pub last night, never had one before, feel fine now",
        "seizure",
        "had a seizure when i was 4, im 30 now and never had another",
    ),
]


# Issue 10, round 14: the same question form asks about something happening now or about a
# red flag in general. A disclaimer anywhere in the message (hypothetically, in general, ahead
# of time, "I'm fine, just curious") makes it general unless the message gives a present time
# or a reading; a hedge or an apology before "is it normal" keeps a report a report; a worry
# frame over a baby's present temperature is a report. Written by the rule writer.
QUESTION_PAIRS = [
    (
        "sorry to bother, is it normal to be grey and clammy and shaking nonstop with the flu? "
        "i feel really wrong",
        "sepsis_signs",
        "is shaking you cant stop one of the sepsis signs? asking hypothetically, im fine, "
        "just curious",
    ),
    (
        "prob nothing but my legs went weak on the stairs just now, is that the flu?",
        "leg_weakness",
        "would it be serious if my legs went weak? mine are fine, i just like to know ahead "
        "of time",
    ),
    (
        "just curious, hypothetically or not, my legs have gone weak since this morning",
        "leg_weakness",
        "asking for future reference, when should legs going weak mean hospital",
    ),
    (
        "probably overthinking but is it normal to not be able to pee since last night?",
        "bladder_bowel",
        "what happens if youre not able to pee for a day? purely hypothetical question",
    ),
    (
        "is it normal to wet yourself without noticing? its happened twice today",
        "bladder_bowel",
        "is it normal to wet yourself without noticing when you have a bad back?",
    ),
    (
        "should i be worried if my 5 week old has a temperature of 38.3?",
        "infant_fever",
        "what should i do if my 6 week old ever got a temperature of 38.5",
    ),
]


@pytest.mark.parametrize(("report", "code", "general"), QUESTION_PAIRS)
def test_a_question_about_now_alarms_and_a_disclaimed_one_does_not(
    rules: EmergencyDetector, report: str, code: str, general: str
) -> None:
    assert code in rules.detect_rules(report)
    assert rules.detect_rules(general) == frozenset()


@pytest.mark.parametrize(("crisis", "code", "calm"), STOIC_PAIRS)
def test_a_stoic_report_keeps_its_emergency(
    rules: EmergencyDetector, crisis: str, code: str, calm: str
) -> None:
    assert code in rules.detect_rules(crisis)
    assert rules.detect_rules(calm) == frozenset()


@pytest.mark.parametrize(
    ("calm", "crisis"),
    [
        ("sitting so long my bum went numb", "my bum went numb this morning and i cant pee"),
        (
            "been sat on the sofa so long my bum has gone numb lol",
            "cant feel my bum or inner thighs since this morning",
        ),
    ],
)
def test_a_bum_numb_from_sitting_is_calm(rules: EmergencyDetector, calm: str, crisis: str) -> None:
    assert rules.detect_rules(calm) == frozenset()
    assert "saddle_numbness" in rules.detect_rules(crisis)
