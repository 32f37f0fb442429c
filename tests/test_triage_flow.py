"""Driving the real red-flag check as a person would: answers in, outcome out.

Vignettes come from the clinical reference (docs/red-flags.md, a copy of shared/red-flags.md):
every row of its Flags table, every combination rule, "not sure" on every emergency question
and each "who is it for" branch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_clinical import reference_levels

from bot.clinical.catalogue import CATALOGUE
from bot.clinical.levels import Level, most_severe
from bot.clinical.regions import REGIONS, numbers_for
from bot.triage import flow
from bot.triage.flow import CheckState
from bot.triage.loader import load_triage
from bot.triage.model import ANSWERS, Answer, Triage
from bot.triage.render import DISCLAIMER, outcome_text, question_text

REAL_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "triage.yaml"
MAX_QUESTIONS = 8
WHO = ("me", "pregnant", "child", "baby", "older")
Reply = Callable[[str], Answer]


@pytest.fixture(scope="module")
def t() -> Triage:
    return load_triage(REAL_FILE)


def run(t: Triage, who: str, reply: Reply) -> CheckState:
    """Say who it is for, then answer question after question until the check ends."""
    s = flow.answer(t, flow.start(t), who)
    for _ in range(len(t.order) + 1):
        if s.question is None:
            return s
        s = flow.answer(t, s, reply(s.question))
    raise AssertionError("the check did not end within as many answers as it has questions")


def person(t: Triage, yes: Iterable[str] = (), unsure: Iterable[str] = ()) -> Reply:
    """Says yes when a question names one of `yes`, not sure for `unsure`, otherwise no."""
    yes_set, unsure_set = set(yes), set(unsure)

    def reply(qid: str) -> Answer:
        codes = set(t.question(qid).flags)
        return "yes" if codes & yes_set else "unsure" if codes & unsure_set else "no"

    return reply


def asked_for(t: Triage, who: str, code: str) -> bool:
    q = t.question(CATALOGUE.flags[code].question)
    return q.who is None or who in q.who


def text_of(t: Triage, s: CheckState, region: str = "AU") -> str:
    v = flow.verdict(t, s)
    assert v is not None
    return outcome_text(
        t,
        v,
        numbers_for(region),
        flow.unsure_emergency(t, s),
        self_harm="self_harm" in flow.flags_yes(t, s),
    )


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# --- every row of the reference's Flags table ----------------------------------------------------

FOLLOW_UP_NEEDS = {"overdose_or_injury": {"self_harm"}}
WHO_FOR = {"pregnant": "pregnant", "infant_fever": "baby"}


@pytest.mark.parametrize(("code", "level"), sorted(reference_levels().items()))
def test_each_flag_alone_gives_its_level(t: Triage, code: str, level: str) -> None:
    who = WHO_FOR.get(code, "me")
    s = run(t, who, person(t, {code} | FOLLOW_UP_NEEDS.get(code, set())))
    assert flow.result(t, s) is Level(level)
    if code != "pregnant":
        assert code in flow.flags_yes(t, s)


@pytest.mark.parametrize(
    "code",
    sorted(c for c, f in CATALOGUE.flags.items() if f.destination == "emergency_department"),
)
def test_cauda_equina_signs_send_to_the_emergency_department(t: Triage, code: str) -> None:
    s = run(t, "me", person(t, {code}))
    assert flow.result(t, s) is Level.EMERGENCY
    first = paragraphs(text_of(t, s, "UK"))[0]
    assert first.startswith("Go to the emergency department now")
    assert "999" in first


@pytest.mark.parametrize("code", sorted(CATALOGUE.codes_at(Level.EMERGENCY)))
def test_an_emergency_ends_the_check_at_once(t: Triage, code: str) -> None:
    who = WHO_FOR.get(code, "me")
    s = run(t, who, person(t, {code} | FOLLOW_UP_NEEDS.get(code, set())))
    last_question, last_answer = s.answers[-1]
    assert code in t.question(last_question).flags and last_answer == "yes"


# --- combination rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("fever", ["fever", "high_fever"])
def test_weak_immunity_with_fever_is_an_emergency(t: Triage, fever: str) -> None:
    s = run(t, "me", person(t, {"infection_risk", fever}))
    assert flow.result(t, s) is Level.EMERGENCY
    text = text_of(t, s)
    assert paragraphs(text)[0].startswith("Call your cancer-care or chemotherapy hotline")
    assert "000" in paragraphs(text)[0]


def test_weak_immunity_without_fever_is_urgent_and_asks_about_fever(t: Triage) -> None:
    s = run(t, "me", person(t, {"infection_risk"}))
    assert flow.result(t, s) is Level.URGENT
    assert ("immune_fever", "no") in s.answers


def test_weak_immunity_unsure_about_fever_is_urgent_now(t: Triage) -> None:
    s = run(t, "me", person(t, {"infection_risk"}, unsure={"fever"}))
    assert flow.result(t, s) is Level.URGENT_NOW
    assert "hotline" in paragraphs(text_of(t, s))[0]


@pytest.mark.parametrize(
    "nerve", ["leg_weakness", "leg_numbness_both", "saddle_numbness", "bladder_bowel"]
)
def test_cancer_with_nerve_signs_is_an_emergency(t: Triage, nerve: str) -> None:
    s = run(t, "me", person(t, {"cancer_history", nerve}))
    assert flow.result(t, s) is Level.EMERGENCY


def test_cancer_with_night_pain_is_urgent_within_24_hours(t: Triage) -> None:
    s = run(t, "me", person(t, {"cancer_history", "night_pain"}))
    assert flow.result(t, s) is Level.URGENT  # cancer alone is already urgent: no more asked
    both = CheckState(
        t.version, None, (("who", "me"), ("urgent_signs", "yes"), ("gp_signs", "yes"))
    )
    v = flow.verdict(t, both)
    assert v is not None and v.level is Level.URGENT
    assert "within 24 hours" in outcome_text(t, v, numbers_for("AU"))


@pytest.mark.parametrize("sign", ["high_fever", "urinary_symptoms"])
def test_pregnancy_with_fever_or_urinary_signs_goes_to_the_maternity_unit(
    t: Triage, sign: str
) -> None:
    s = run(t, "pregnant", person(t, {sign}))
    assert flow.result(t, s) is Level.URGENT
    assert paragraphs(text_of(t, s))[0].startswith("Call your maternity unit or midwife now")


def test_pregnancy_alone_is_not_a_red_flag(t: Triage) -> None:
    s = run(t, "pregnant", person(t))
    assert flow.result(t, s) is Level.GP
    assert "midwife" in text_of(t, s)


def test_two_bullets_of_one_question_do_not_make_a_combination(t: Triage) -> None:
    """One "yes" to a list says one item applies: cancer and severe pain share a question."""
    s = run(t, "me", person(t, {"cancer_history"}))
    v = flow.verdict(t, s)
    assert v is not None and all(r.combination is None for r in v.reasons)


# --- "not sure" ----------------------------------------------------------------------------------


def emergency_questions(t: Triage, who: str) -> list[str]:
    return [
        qid
        for qid in t.order
        if (q := t.question(qid)).level is Level.EMERGENCY
        and q.after is None
        and (q.who is None or who in q.who)
    ]


@pytest.mark.parametrize("who", ["me", "baby"])
def test_not_sure_on_each_emergency_question_is_urgent_now(t: Triage, who: str) -> None:
    for target in emergency_questions(t, who):
        s = run(t, who, lambda qid, target=target: "unsure" if qid == target else "no")
        assert flow.result(t, s) is Level.URGENT_NOW, target
        text = text_of(t, s, "UK")
        assert "999" in text
        assert "in the next few days" not in text
        if target == "cauda_equina":
            assert paragraphs(text)[0].startswith("Go to the emergency department today")
            assert "GP appointment" not in text
        else:
            assert paragraphs(text)[0].startswith("Get advice now: call NHS 111")


def test_not_sure_on_urgent_questions_means_today(t: Triage) -> None:
    for target in ("immune", "urgent_signs"):
        s = run(t, "me", lambda qid, target=target: "unsure" if qid == target else "no")
        assert flow.result(t, s) is Level.URGENT, target
        assert "today" in paragraphs(text_of(t, s))[0]


def test_not_sure_about_self_harm_gets_the_crisis_reply(t: Triage) -> None:
    s = run(t, "me", lambda qid: "unsure" if qid == "self_harm" else "no")
    assert flow.result(t, s) is Level.CRISIS
    assert ("overdose", "no") in s.answers


def test_not_sure_about_an_overdose_is_an_emergency(t: Triage) -> None:
    s = run(t, "me", person(t, {"self_harm"}, unsure={"overdose_or_injury"}))
    assert flow.result(t, s) is Level.EMERGENCY
    text = text_of(t, s)
    assert "000" in paragraphs(text)[0]
    assert "13 11 14" in text


def test_crisis_ends_the_check_after_its_follow_up(t: Triage) -> None:
    s = run(t, "me", person(t, {"self_harm"}))
    assert [qid for qid, _ in s.answers][-2:] == ["self_harm", "overdose"]


# --- who it is for -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_no_red_flags_ends_within_eight_questions(t: Triage, who: str) -> None:
    s = run(t, who, lambda _qid: "no")
    assert len(s.answers) <= MAX_QUESTIONS
    expected = {"pregnant": Level.GP, "baby": Level.URGENT}.get(who, Level.SELFCARE)
    assert flow.result(t, s) is expected


def test_a_baby_gets_baby_questions_and_no_adult_self_care(t: Triage) -> None:
    s = run(t, "baby", lambda _qid: "no")
    asked = [qid for qid, _ in s.answers]
    assert asked[:2] == ["who", "infant_fever"]
    assert "self_harm" not in asked and "cauda_equina" not in asked
    text = text_of(t, s)
    assert "pain relief" not in text and "doctor today" in text.lower()


def test_a_feverish_baby_is_an_emergency_at_the_second_question(t: Triage) -> None:
    s = run(t, "baby", person(t, {"infant_fever"}))
    assert s.answers == (("who", "baby"), ("infant_fever", "yes"))
    assert flow.result(t, s) is Level.EMERGENCY


@pytest.mark.parametrize(
    ("who", "threshold"), [("me", "39 °C"), ("child", "38 °C"), ("older", "38 °C")]
)
def test_fever_threshold_drops_for_children_and_older_people(
    t: Triage, who: str, threshold: str
) -> None:
    s = flow.answer(t, flow.start(t), who)
    while s.question != "urgent_signs":
        s = flow.answer(t, s, "no")
    assert threshold in question_text(t, s)


def test_any_fall_counts_for_older_people(t: Triage) -> None:
    s = flow.answer(t, flow.start(t), "older")
    while s.question != "urgent_signs":
        s = flow.answer(t, s, "no")
    assert "any fall, even a small one" in question_text(t, s)


def test_pregnancy_lowers_the_fever_threshold_and_asks_about_bleeding(t: Triage) -> None:
    s = flow.answer(t, flow.start(t), "pregnant")
    while s.question != "urgent_signs":
        s = flow.answer(t, s, "no")
    text = question_text(t, s)
    assert "38 °C" in text and "contractions" in text


def test_the_who_question_takes_only_its_choices(t: Triage) -> None:
    with pytest.raises(ValueError):
        flow.answer(t, flow.start(t), "yes")
    s = flow.answer(t, flow.start(t), "me")
    with pytest.raises(ValueError):
        flow.answer(t, s, "baby")


# --- properties over any answers -----------------------------------------------------------------

RED_FLAGS = sorted(CATALOGUE.red_flags - {"pregnant", "infant_fever"})


@given(who=st.sampled_from(("me", "child", "older")), flags=st.sets(st.sampled_from(RED_FLAGS)))
def test_outcome_is_never_below_the_most_severe_flag(t: Triage, who: str, flags: set[str]) -> None:
    flags = {f for f in flags if asked_for(t, who, f)}
    if "overdose_or_injury" in flags:
        flags.add("self_harm")
    s = run(t, who, person(t, flags))
    level = flow.result(t, s)
    assert level is not None
    worst = most_severe(CATALOGUE.level(f) for f in flags)
    if Level.CRISIS in {CATALOGUE.level(f) for f in flags} and level is not Level.EMERGENCY:
        assert level is Level.CRISIS
    else:
        assert level.rank >= worst.rank
    assert len(s.answers) <= len(t.order)


@given(who=st.sampled_from(WHO), replies=st.lists(st.sampled_from(ANSWERS), max_size=20))
def test_any_answers_end_with_an_outcome(t: Triage, who: str, replies: list[Answer]) -> None:
    queue = iter(replies)
    s = run(t, who, lambda _qid: next(queue, "no"))
    level = flow.result(t, s)
    assert level is not None
    for qid, a in s.answers[1:]:
        asked = t.question(qid).level
        if a == "yes" and asked is not Level.SELFCARE and level is not Level.CRISIS:
            assert level.rank >= asked.rank
        if a == "unsure" and asked is Level.EMERGENCY:
            assert level.rank >= Level.URGENT_NOW.rank


@given(actions=st.lists(st.sampled_from(ANSWERS) | st.none(), max_size=40))
def test_back_and_forth_never_breaks_the_check(t: Triage, actions: list[Answer | None]) -> None:
    """None stands for pressing "Back"; the first answer is always a "who" choice."""
    s = flow.start(t)
    for action in actions:
        if action is None:
            s = flow.back(t, s)
        elif s.question == t.first:
            s = flow.answer(t, s, "me")
        elif s.question is not None:
            s = flow.answer(t, s, action)
        assert flow.is_compatible(t, s)
        assert (s.question is None) == (flow.result(t, s) is not None)
        number, total = flow.progress(t, s)
        assert 1 <= number <= total <= len(t.order)


# --- state ---------------------------------------------------------------------------------------


def test_back_undoes_the_last_answer(t: Triage) -> None:
    s0 = flow.start(t)
    s1 = flow.answer(t, s0, "me")
    assert flow.back(t, s1) == s0
    assert flow.back(t, s0) == s0
    s2 = flow.answer(t, s1, "yes")
    assert s2.question is None
    assert flow.back(t, s2) == s1


def test_answer_after_the_end_changes_nothing(t: Triage) -> None:
    finished = flow.answer(t, flow.answer(t, flow.start(t), "me"), "yes")
    assert flow.answer(t, finished, "no") == finished


def test_old_buttons_are_not_current(t: Triage) -> None:
    s0 = flow.start(t)
    assert flow.is_current(t, s0, t.first, 0)
    s1 = flow.answer(t, s0, "me")
    assert not flow.is_current(t, s1, t.first, 0)
    assert flow.is_current(t, s1, "cauda_equina", 1)
    assert not flow.is_current(t, s1, "cauda_equina", 0)


def test_question_text_shows_progress(t: Triage) -> None:
    s = flow.answer(t, flow.start(t), "me")
    text = question_text(t, s)
    assert text.startswith(f"Question 2 of {MAX_QUESTIONS}")
    assert t.question("cauda_equina").text in text


@given(replies=st.lists(st.sampled_from(ANSWERS), max_size=12))
def test_state_survives_json(t: Triage, replies: list[Answer]) -> None:
    s = flow.answer(t, flow.start(t), "older")
    for reply in replies:
        if s.question is None:
            break
        s = flow.answer(t, s, reply)
    assert CheckState.from_json(s.to_json()) == s


@pytest.mark.parametrize(
    "junk",
    [
        None,
        [],
        {},
        {"version": 1, "question": None, "answers": []},
        {"version": "v", "question": 3, "answers": []},
        {"version": "v", "question": None, "answers": "yes"},
        {"version": "v", "question": None, "answers": [["nerves", "may be"]]},
        {"version": "v", "question": None, "answers": [["nerves"]]},
    ],
)
def test_junk_state_is_refused(junk: object) -> None:
    with pytest.raises(ValueError):
        CheckState.from_json(junk)


def test_state_from_a_changed_check_is_detected(t: Triage) -> None:
    s = flow.answer(t, flow.answer(t, flow.start(t), "me"), "no")
    reordered = replace(t, order=(t.order[0], *t.order[3:]), version="other")
    assert not flow.is_compatible(reordered, s)
    assert flow.rebase(reordered, s) is None
    moved = flow.rebase(replace(t, version="other"), s)
    assert moved is not None and moved.version == "other" and moved.answers == s.answers


def test_state_naming_an_unknown_question_is_not_compatible(t: Triage) -> None:
    s = CheckState(t.version, "gone", (("also_gone", "no"),))
    assert not flow.is_compatible(t, s)
    with pytest.raises(ValueError):
        flow.answer(t, CheckState(t.version, "gone", ()), "no")


# --- wording: action first, number before the explanation, no disclaimer at the end --------------


@pytest.mark.parametrize("region", sorted(REGIONS))
@pytest.mark.parametrize("level", list(Level))
def test_every_outcome_reads_fully_in_every_region(t: Triage, region: str, level: Level) -> None:
    numbers = numbers_for(region)
    text = outcome_text(t, level, numbers, unsure_emergency=True)
    assert "{" not in text and "}" not in text
    assert not text.endswith(DISCLAIMER)
    if level is Level.CRISIS:
        return
    first = paragraphs(text)[0]
    if level in (Level.EMERGENCY, Level.URGENT_NOW):
        assert numbers.emergency in first or numbers.nurse_advice in first
    assert numbers.emergency in text


@pytest.mark.parametrize("level", [Level.EMERGENCY, Level.CRISIS])
def test_emergency_and_crisis_replies_carry_no_disclaimer(t: Triage, level: Level) -> None:
    text = outcome_text(t, level, numbers_for("AU"))
    assert DISCLAIMER not in text


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_crisis_reply_is_kind_first_then_the_crisis_line_then_danger(
    t: Triage, region: str
) -> None:
    numbers = numbers_for(region)
    s = run(t, "me", person(t, {"self_harm"}))
    kind, line, danger = paragraphs(text_of(t, s, region))
    assert not re.search(r"\d", kind), "kind words come before any number"
    assert "sorry" in kind.lower()
    assert numbers.crisis_call in line
    if numbers.crisis_text is not None:
        assert numbers.crisis_text in line
    assert numbers.emergency not in line.replace(numbers.crisis_call, "")
    assert numbers.emergency in danger and "danger right now" in danger
    text = kind + line + danger
    assert "don't wait" not in text.lower() and "medical emergency" not in text.lower()


@pytest.mark.parametrize("code", sorted(CATALOGUE.codes_at(Level.EMERGENCY)))
def test_emergency_outcome_puts_the_number_before_the_why(t: Triage, code: str) -> None:
    s = run(t, WHO_FOR.get(code, "me"), person(t, {code} | FOLLOW_UP_NEEDS.get(code, set())))
    first, why, *_ = paragraphs(text_of(t, s, "US"))
    assert "911" in first
    assert why.startswith("You said yes to")
    assert "can't diagnose" in why


def test_selfcare_outcome_gives_the_articles_advice(t: Triage) -> None:
    s = run(t, "me", lambda _qid: "no")
    text = text_of(t, s, "NZ").lower()
    for advice in ("rest", "heat pack", "hot water bottle", "sleep", "fluids", "chicken soup"):
        assert advice in text
    assert "gently moving" in text and "other medicines" in text
    assert "0800 611 116" in text
