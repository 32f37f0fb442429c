"""Driving the real red-flag check as a person would: answers in, outcome out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clinical.levels import Level, most_severe
from bot.clinical.regions import REGIONS, numbers_for
from bot.triage import flow
from bot.triage.flow import CheckState
from bot.triage.loader import FLAG_LEVELS, load_triage
from bot.triage.model import ANSWERS, Answer, Triage
from bot.triage.render import DISCLAIMER, outcome_text, question_text

REAL_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "triage.yaml"
MAX_QUESTIONS = 8
FLAG_SETS = st.sets(st.sampled_from(sorted(FLAG_LEVELS)))
ANSWER_LISTS = st.lists(st.sampled_from(ANSWERS), max_size=3 * MAX_QUESTIONS)


@pytest.fixture(scope="module")
def t() -> Triage:
    return load_triage(REAL_FILE)


def run(t: Triage, reply: Any) -> CheckState:
    """Answer question after question with reply(question_id) until the check ends."""
    s = flow.start(t)
    for _ in range(len(t.order) + 1):
        if s.question is None:
            return s
        s = flow.answer(t, s, reply(s.question))
    raise AssertionError("the check did not end within as many answers as it has questions")


def person(t: Triage, flags: set[str]) -> Any:
    """Someone who says yes exactly when a question names one of their red flags."""
    return lambda qid: "yes" if flags & set(t.question(qid).flags) else "no"


def emergency_questions(t: Triage) -> list[str]:
    return [q for q in t.order if t.question(q).level is Level.EMERGENCY]


@given(flags=FLAG_SETS)
def test_outcome_is_the_most_severe_red_flag(t: Triage, flags: set[str]) -> None:
    s = run(t, person(t, flags))
    assert flow.result(t, s) is most_severe({FLAG_LEVELS[f] for f in flags})
    assert len(s.answers) <= len(t.order)
    assert not flow.unsure_emergency(t, s)
    assert set(flow.flags_yes(t, s)) <= set(FLAG_LEVELS)


@given(flags=FLAG_SETS.filter(bool))
def test_the_most_severe_flag_is_among_those_reported(t: Triage, flags: set[str]) -> None:
    s = run(t, person(t, flags))
    worst = most_severe({FLAG_LEVELS[f] for f in flags})
    reported = set(flow.flags_yes(t, s))
    assert any(FLAG_LEVELS[f] is worst for f in reported & flags)


@given(replies=ANSWER_LISTS)
def test_any_answers_end_with_an_outcome(t: Triage, replies: list[Answer]) -> None:
    queue = iter(replies)
    s = run(t, lambda _qid: next(queue, "no"))
    level = flow.result(t, s)
    assert level is not None
    for qid, a in s.answers:
        asked = t.question(qid).level
        if a == "yes":
            assert level.rank >= asked.rank
        if a == "unsure" and asked is Level.EMERGENCY:
            assert level.rank >= Level.URGENT_NOW.rank
    asked_ids = {qid for qid, _ in s.answers}
    for skipped in (q for q in t.order if q not in asked_ids):
        assert t.question(skipped).level.rank <= level.rank, "a skipped question could matter"
    if all(a == "no" for _, a in s.answers):
        assert level is Level.SELFCARE


@given(actions=st.lists(st.sampled_from(ANSWERS) | st.none(), max_size=40))
def test_back_and_forth_never_breaks_the_check(t: Triage, actions: list[Answer | None]) -> None:
    """None stands for pressing "Back"."""
    s = flow.start(t)
    for action in actions:
        if action is None:
            s = flow.back(t, s)
        elif s.question is not None:
            s = flow.answer(t, s, action)
        assert flow.is_compatible(t, s)
        assert (s.question is None) == (flow.result(t, s) is not None)
        number, total = flow.progress(t, s)
        assert 1 <= number <= total == len(t.order)


def test_no_red_flags_reaches_selfcare_within_eight_questions(t: Triage) -> None:
    s = run(t, lambda _qid: "no")
    assert flow.result(t, s) is Level.SELFCARE
    assert len(s.answers) <= MAX_QUESTIONS
    assert len(t.order) <= MAX_QUESTIONS


def test_emergency_yes_ends_the_check_at_once(t: Triage) -> None:
    s = flow.answer(t, flow.start(t), "yes")
    assert s.question is None
    assert flow.result(t, s) is Level.EMERGENCY


def test_urgent_yes_skips_the_gp_questions(t: Triage) -> None:
    first_urgent = next(q for q in t.order if t.question(q).level is Level.URGENT)
    s = run(t, lambda qid: "yes" if qid == first_urgent else "no")
    assert flow.result(t, s) is Level.URGENT
    assert s.answers[-1] == (first_urgent, "yes")


@pytest.mark.parametrize("index", range(4))
def test_not_sure_on_an_emergency_question_means_urgent_now(t: Triage, index: int) -> None:
    target = emergency_questions(t)[index]
    s = run(t, lambda qid: "unsure" if qid == target else "no")
    assert flow.result(t, s) is Level.URGENT_NOW
    assert flow.unsure_emergency(t, s)
    uk = numbers_for("UK")
    text = outcome_text(t, Level.URGENT_NOW, uk, flow.unsure_emergency(t, s))
    assert "999" in text
    assert t.unsure_note.format_map(uk.placeholders()) in text


def test_not_sure_on_an_urgent_question_means_today(t: Triage) -> None:
    s = run(t, lambda qid: "unsure" if t.question(qid).level is Level.URGENT else "no")
    assert flow.result(t, s) is Level.URGENT
    assert not flow.unsure_emergency(t, s)


def test_yes_on_self_harm_gives_the_crisis_reply(t: Triage) -> None:
    s = run(t, person(t, {"self_harm"}))
    assert flow.flags_yes(t, s) == ("self_harm",)
    assert flow.result(t, s) is Level.CRISIS
    text = outcome_text(t, Level.CRISIS, numbers_for("AU"), flow.unsure_emergency(t, s))
    assert "000" in text
    assert "13 11 14" in text


def test_back_undoes_the_last_answer(t: Triage) -> None:
    s0 = flow.start(t)
    s1 = flow.answer(t, s0, "no")
    assert flow.back(t, s1) == s0
    assert flow.back(t, s0) == s0
    finished = flow.answer(t, s0, "yes")
    assert flow.back(t, finished) == s0
    assert flow.start(t) == s0


def test_answer_after_the_end_changes_nothing(t: Triage) -> None:
    finished = flow.answer(t, flow.start(t), "yes")
    assert flow.answer(t, finished, "no") == finished


def test_old_buttons_are_not_current(t: Triage) -> None:
    s0 = flow.start(t)
    assert flow.is_current(t, s0, t.first, 0)
    s1 = flow.answer(t, s0, "no")
    assert not flow.is_current(t, s1, t.first, 0)
    assert flow.is_current(t, s1, t.order[1], 1)
    assert not flow.is_current(t, s1, t.order[1], 0)
    s2 = flow.answer(t, s1, "no")
    again = flow.back(t, s2)
    assert not flow.is_current(t, again, t.order[2], 2)
    assert not flow.is_current(t, flow.answer(t, s0, "yes"), t.first, 1)


def test_question_text_shows_progress(t: Triage) -> None:
    s = flow.answer(t, flow.start(t), "no")
    text = question_text(t, s)
    assert text.startswith(f"Question 2 of {len(t.order)}")
    assert t.question(t.order[1]).text in text
    with pytest.raises(ValueError):
        question_text(t, flow.answer(t, flow.start(t), "yes"))


@pytest.mark.parametrize("region", sorted(REGIONS))
@pytest.mark.parametrize("level", list(Level))
def test_every_outcome_reads_fully_in_every_region(t: Triage, region: str, level: Level) -> None:
    numbers = numbers_for(region)
    text = outcome_text(t, level, numbers, unsure_emergency=True)
    assert "{" not in text and "}" not in text
    assert text.endswith(DISCLAIMER)
    if level in (Level.EMERGENCY, Level.URGENT):
        assert numbers.emergency in text


def test_selfcare_outcome_gives_the_articles_advice(t: Triage) -> None:
    text = outcome_text(t, Level.SELFCARE, numbers_for("NZ"), unsure_emergency=False).lower()
    for advice in ("rest", "heat pack", "hot water bottle", "sleep", "fluids", "chicken soup"):
        assert advice in text
    assert "other medicines" in text
    assert "0800 611 116" in text


@given(replies=ANSWER_LISTS)
def test_state_survives_json(t: Triage, replies: list[Answer]) -> None:
    queue = iter(replies)
    s = flow.start(t)
    for _ in range(len(replies)):
        if s.question is None:
            break
        s = flow.answer(t, s, next(queue))
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
        {"version": "v", "question": None, "answers": [["nerves", "maybe"]]},
        {"version": "v", "question": None, "answers": [["nerves"]]},
    ],
)
def test_junk_state_is_refused(junk: object) -> None:
    with pytest.raises(ValueError):
        CheckState.from_json(junk)


def test_state_from_a_changed_check_is_detected(t: Triage) -> None:
    s = flow.answer(t, flow.start(t), "no")
    reordered = replace(t, order=(t.order[1], t.order[0], *t.order[2:]), version="other")
    assert not flow.is_compatible(reordered, s)
    assert flow.rebase(reordered, s) is None
    renamed = replace(t, version="other")
    moved = flow.rebase(renamed, s)
    assert moved is not None and moved.version == "other" and moved.answers == s.answers


def test_state_naming_an_unknown_question_is_not_compatible(t: Triage) -> None:
    s = CheckState(t.version, "gone", (("also_gone", "no"),))
    assert not flow.is_compatible(t, s)
    with pytest.raises(ValueError):
        flow.answer(t, CheckState(t.version, "gone", ()), "no")


def test_shorter_check_still_ends_at_the_right_level(t: Triage) -> None:
    """The rules hold for any check, not only the real file's layout."""
    keep = (t.order[0], t.order[-1])
    small = replace(t, order=keep, questions=MappingProxyType({q: t.question(q) for q in keep}))
    s = run(small, lambda qid: "yes" if qid == keep[-1] else "no")
    assert flow.result(small, s) is Level.GP
