"""The red-flag check as pure functions over an immutable state.

The dialogue engine stores CheckState between messages and calls these functions; nothing here
touches Telegram or storage. Rules (also documented in knowledge/triage.yaml):

- the outcome is the most severe level among questions answered "yes" (selfcare if none);
- "not sure" counts one level below the question's own, never below gp (so an emergency
  question answered "not sure" gives at least urgent, plus the "call if it gets worse" note);
- the check ends as soon as no remaining question could make the outcome more severe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from bot.clinical.levels import Level, most_severe
from bot.triage.model import ANSWERS, Answer, Triage

_UNSURE_LEVEL = {
    Level.EMERGENCY: Level.URGENT_NOW,
    Level.CRISIS: Level.CRISIS,
    Level.URGENT_NOW: Level.URGENT,
    Level.URGENT: Level.URGENT,
    Level.GP: Level.GP,
    Level.SELFCARE: Level.SELFCARE,
}


@dataclass(frozen=True)
class CheckState:
    version: str
    """Triage.version the check was started with."""
    question: str | None
    """The question being asked; None once the check is finished."""
    answers: tuple[tuple[str, Answer], ...]

    @property
    def finished(self) -> bool:
        return self.question is None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "question": self.question,
            "answers": [[qid, a] for qid, a in self.answers],
        }

    @staticmethod
    def from_json(raw: object) -> CheckState:
        """Rebuild a stored state; ValueError if it is not one."""
        if not isinstance(raw, dict):
            raise ValueError("check state must be an object")
        version, question, answers = raw.get("version"), raw.get("question"), raw.get("answers")
        if not isinstance(version, str):
            raise ValueError("check state: `version` must be text")
        if question is not None and not isinstance(question, str):
            raise ValueError("check state: `question` must be text or null")
        if not isinstance(answers, list):
            raise ValueError("check state: `answers` must be a list")
        pairs: list[tuple[str, Answer]] = []
        for item in answers:
            if (
                not isinstance(item, list | tuple)
                or len(item) != 2
                or not isinstance(item[0], str)
                or item[1] not in ANSWERS
            ):
                raise ValueError(f"check state: bad answer {item!r}")
            pairs.append((item[0], cast(Answer, item[1])))
        return CheckState(version, question, tuple(pairs))


def start(t: Triage) -> CheckState:
    return CheckState(t.version, t.first, ())


def answer(t: Triage, s: CheckState, a: Answer) -> CheckState:
    """Record an answer to the current question and move on (or finish).

    A finished check is returned unchanged; ValueError for an unknown answer or a state whose
    question this triage does not have.
    """
    if a not in ANSWERS:
        raise ValueError(f"unknown answer {a!r}; expected one of {', '.join(ANSWERS)}")
    if s.question is None:
        return s
    position = _position(t, s.question)
    answers = (*s.answers, (s.question, a))
    floor = _level(t, answers)
    remaining = t.order[position + 1 :]
    highest_left = most_severe([t.questions[q].level for q in remaining])
    if not remaining or floor.rank >= highest_left.rank:
        return CheckState(s.version, None, answers)
    return CheckState(s.version, remaining[0], answers)


def back(t: Triage, s: CheckState) -> CheckState:
    """Undo the last answer; at the first question nothing changes."""
    if not s.answers:
        return s
    last_question, _ = s.answers[-1]
    return CheckState(s.version, last_question, s.answers[:-1])


def result(t: Triage, s: CheckState) -> Level | None:
    """The outcome level, or None while the check is still running."""
    if s.question is not None:
        return None
    return _level(t, s.answers)


def unsure_emergency(t: Triage, s: CheckState) -> bool:
    """Whether the reply must add: call emergency services if the symptom is there or worse.

    True when an emergency question got "not sure" and none got "yes" (then the emergency
    outcome already says to call).
    """
    levels = {(_question_level(t, qid), a) for qid, a in s.answers}
    return (Level.EMERGENCY, "unsure") in levels and (Level.EMERGENCY, "yes") not in levels


def flags_yes(t: Triage, s: CheckState) -> tuple[str, ...]:
    """Red-flag codes of the questions answered "yes", in the order asked."""
    return tuple(code for qid, a in s.answers if a == "yes" for code in t.question(qid).flags)


def is_current(t: Triage, s: CheckState, question_id: str, step: int) -> bool:
    """Whether a button for (question_id, step) answers the question being asked now.

    A button from an earlier message carries an older step (or another question), so it is
    recognised as stale even if the same question is asked again after "back".
    """
    return s.question is not None and s.question == question_id and step == len(s.answers)


def progress(t: Triage, s: CheckState) -> tuple[int, int]:
    """(question number, most questions the check can ask), for "Question 2 of 8"."""
    total = len(t.order)
    number = len(s.answers) if s.question is None else len(s.answers) + 1
    return min(max(number, 1), total), total


def is_compatible(t: Triage, s: CheckState) -> bool:
    """Whether a stored state still fits this triage (it may have been reloaded since).

    Replays the stored answers: they must visit the same questions and end where the state is.
    """
    replay = start(t)
    try:
        for qid, a in s.answers:
            if replay.question != qid:
                return False
            replay = answer(t, replay, a)
    except ValueError:
        return False
    return replay.question == s.question


def rebase(t: Triage, s: CheckState) -> CheckState | None:
    """The state carried over to this triage's version, or None if it no longer fits."""
    if not is_compatible(t, s):
        return None
    return CheckState(t.version, s.question, s.answers)


def _position(t: Triage, question_id: str) -> int:
    try:
        return t.order.index(question_id)
    except ValueError:
        raise ValueError(f"the check has no question {question_id!r}") from None


def _question_level(t: Triage, question_id: str) -> Level:
    question = t.questions.get(question_id)
    if question is None:
        raise ValueError(f"the check has no question {question_id!r}")
    return question.level


def _level(t: Triage, answers: tuple[tuple[str, Answer], ...]) -> Level:
    """Most severe level implied by the answers so far (see the module docstring)."""
    levels: list[Level] = []
    for qid, a in answers:
        level = _question_level(t, qid)
        if a == "yes":
            levels.append(level)
        elif a == "unsure":
            levels.append(_UNSURE_LEVEL[level])
    return most_severe(levels)
