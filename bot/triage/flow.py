"""The red-flag check as pure functions over an immutable state.

The dialogue engine stores CheckState between messages and calls these functions; nothing here
touches Telegram or storage. Rules (also documented in knowledge/triage.yaml):

- the first question says who the check is for; questions may be asked only for some people,
  and follow-ups only after "yes" or "not sure" on their question;
- the outcome is the most severe of: the level of every code answered "yes", the "not sure"
  level of every question answered "not sure", and every combination rule that holds;
- the check ends at an emergency, and skips questions that cannot make the outcome more severe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clinical.catalogue import CATALOGUE, Combination
from bot.clinical.levels import Level, most_severe, when_unsure
from bot.triage.model import Answer, Question, Triage

_SAID = ("yes", "unsure")


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
                or not isinstance(item[1], str)
                or not item[1].isidentifier()
            ):
                raise ValueError(f"check state: bad answer {item!r}")
            pairs.append((item[0], item[1]))
        return CheckState(version, question, tuple(pairs))


@dataclass(frozen=True)
class Reason:
    """One thing behind an outcome: a question answered "yes"/"unsure", or a combination."""

    level: Level
    destination: str | None
    question: str | None = None
    answer: Answer = "yes"
    combination: str | None = None


@dataclass(frozen=True)
class Verdict:
    level: Level
    destination: str | None
    reasons: tuple[Reason, ...]
    """The reasons at the outcome's level, combinations first."""


def start(t: Triage) -> CheckState:
    return CheckState(t.version, t.first, ())


def answer(t: Triage, s: CheckState, a: Answer) -> CheckState:
    """Record an answer to the current question and move on (or finish).

    A finished check is returned unchanged; ValueError for an answer the question does not
    take or a state whose question this triage does not have.
    """
    if s.question is None:
        return s
    question = _question(t, s.question)
    if a not in question.answers:
        raise ValueError(f"unknown answer {a!r}; expected one of {', '.join(question.answers)}")
    answers = (*s.answers, (s.question, a))
    return CheckState(s.version, _next(t, answers, t.order.index(s.question)), answers)


def back(t: Triage, s: CheckState) -> CheckState:
    """Undo the last answer; at the first question nothing changes."""
    if not s.answers:
        return s
    last_question, _ = s.answers[-1]
    return CheckState(s.version, last_question, s.answers[:-1])


def verdict(t: Triage, s: CheckState) -> Verdict | None:
    """The outcome with its reasons, or None while the check is still running."""
    if s.question is not None:
        return None
    return _verdict(t, s.answers)


def result(t: Triage, s: CheckState) -> Level | None:
    """The outcome level, or None while the check is still running."""
    v = verdict(t, s)
    return None if v is None else v.level


def who(t: Triage, s: CheckState) -> str | None:
    """The answer to the "who is it for" question, if it has been given."""
    return _who(t, s.answers)


def unsure_emergency(t: Triage, s: CheckState) -> bool:
    """Whether the reply must add: call emergency services if the sign is there or worse.

    True when an emergency question got "not sure" and the outcome is not an emergency.
    """
    v = _verdict(t, s.answers)
    return v.level is not Level.EMERGENCY and any(
        a == "unsure" and _question(t, qid).level is Level.EMERGENCY for qid, a in s.answers
    )


def flags_yes(t: Triage, s: CheckState) -> tuple[str, ...]:
    """Red-flag codes answered "yes" (or chosen), in the order asked."""
    return tuple(c for c in _codes(t, s.answers, ("yes",)) if c in CATALOGUE.red_flags)


def is_current(t: Triage, s: CheckState, question_id: str, step: int) -> bool:
    """Whether a button for (question_id, step) answers the question being asked now.

    A button from an earlier message carries an older step (or another question), so it is
    recognised as stale even if the same question is asked again after "back".
    """
    return s.question is not None and s.question == question_id and step == len(s.answers)


def progress(t: Triage, s: CheckState) -> tuple[int, int]:
    """(question number, most questions this check may still ask in all), for "2 of 8"."""
    number = len(s.answers) if s.question is None else len(s.answers) + 1
    if s.question is None:
        return max(number, 1), max(number, 1)
    position = t.order.index(s.question)
    later = [
        q
        for qid in t.order[position + 1 :]
        if (q := t.questions[qid]).after is None and _for_this_person(t, q, s.answers)
    ]
    if not s.answers:  # "who" not answered yet: the longest path over the choices
        later = [q for qid in t.order[1:] if (q := t.questions[qid]).after is None]
        longest = max(
            (sum(1 for q in later if q.who is None or c in q.who) for c in _choices(t)),
            default=len(later),
        )
        return 1, 1 + longest
    return number, number + len(later)


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
    except (ValueError, KeyError):
        return False
    return replay.question == s.question


def rebase(t: Triage, s: CheckState) -> CheckState | None:
    """The state carried over to this triage's version, or None if it no longer fits."""
    if not is_compatible(t, s):
        return None
    return CheckState(t.version, s.question, s.answers)


# -- internals -------------------------------------------------------------------------------


def _question(t: Triage, question_id: str) -> Question:
    question = t.questions.get(question_id)
    if question is None:
        raise ValueError(f"the check has no question {question_id!r}")
    return question


def _choices(t: Triage) -> tuple[str, ...]:
    return tuple(c.id for c in t.questions[t.first].choices)


def _who(t: Triage, answers: tuple[tuple[str, Answer], ...]) -> str | None:
    first = t.questions[t.first]
    if first.choices and answers and answers[0][0] == first.id:
        return answers[0][1]
    return None


def _for_this_person(t: Triage, q: Question, answers: tuple[tuple[str, Answer], ...]) -> bool:
    """Asked for this person ("who") and, for a follow-up, after "yes" or "not sure"."""
    who = _who(t, answers)
    if q.who is not None and who is not None and who not in q.who:
        return False
    return q.after is None or any(qid == q.after and a in _SAID for qid, a in answers)


def _next(t: Triage, answers: tuple[tuple[str, Answer], ...], position: int) -> str | None:
    """The next question that applies and could still make the outcome more severe."""
    floor = _verdict(t, answers).level
    if floor is Level.EMERGENCY:
        return None
    for qid in t.order[position + 1 :]:
        q = t.questions[qid]
        if floor is Level.CRISIS and q.after is None:
            continue  # someone in crisis gets the crisis line now, not more back questions
        if _for_this_person(t, q, answers) and _potential(t, q).rank > floor.rank:
            return qid
    return None


def _potential(t: Triage, q: Question) -> Level:
    """The most severe outcome answering this question could lead to (combinations included)."""
    levels = [CATALOGUE.level(c) for c in q.flags]
    levels += [q.unsure or when_unsure(lv) for lv in levels]
    levels += [c.level for c in t.combinations if c.codes & set(q.flags)]
    return most_severe(levels)


def _codes(
    t: Triage, answers: tuple[tuple[str, Answer], ...], said: tuple[Answer, ...]
) -> dict[str, str]:
    """Code -> question, for questions answered with one of `said` (a choice counts as "yes")."""
    codes: dict[str, str] = {}
    for qid, a in answers:
        q = _question(t, qid)
        if q.choices:
            choice = q.choice(a)
            if "yes" in said and choice is not None:
                codes.update(dict.fromkeys(choice.flags, qid))
        elif a in said:
            codes.update(dict.fromkeys(q.flags, qid))
    return codes


def _holds(combo: Combination, codes: dict[str, str]) -> bool:
    """All of its codes, told in at least two questions: "yes" to one question with several
    bullets says one of them applies, not that two of them come together."""
    if not combo.matches(set(codes)):
        return False
    needed = {codes[c] for c in combo.all}
    return any(codes[c] not in needed or len(needed) > 1 for c in combo.any if c in codes) or (
        not combo.any and len(needed) > 1
    )


def _verdict(t: Triage, answers: tuple[tuple[str, Answer], ...]) -> Verdict:
    """Most severe level implied by the answers so far, where to go, and why."""
    reasons: list[Reason] = []
    for qid, a in answers:
        q = _question(t, qid)
        if q.choices:
            choice = q.choice(a)
            if choice is not None and choice.floor is not None:
                reasons.append(Reason(choice.floor, None, qid, a))
            for code in choice.flags if choice else ():
                flag = CATALOGUE.flags[code]
                reasons.append(Reason(flag.level, flag.destination, qid, a))
        elif a == "yes":
            for code in q.flags:
                flag = CATALOGUE.flags[code]
                reasons.append(Reason(flag.level, flag.destination, qid, a))
        elif a == "unsure":
            level = q.unsure or when_unsure(q.level)
            reasons.append(Reason(level, q.unsure_destination, qid, a))
    yes = _codes(t, answers, ("yes",))
    maybe = {**_codes(t, answers, ("unsure",)), **yes}
    for combo in t.combinations:
        if _holds(combo, yes):
            reasons.append(Reason(combo.level, combo.destination, combination=combo.id))
        elif _holds(combo, maybe):
            level = when_unsure(combo.level)
            reasons.append(Reason(level, combo.destination, combination=combo.id, answer="unsure"))
    level = most_severe(r.level for r in reasons)
    top = [r for r in reasons if r.level is level and level is not Level.SELFCARE]
    top.sort(key=lambda r: r.combination is None)
    return Verdict(level, _destination(level, top), tuple(top))


def _destination(level: Level, top: list[Reason]) -> str | None:
    """Where to go. In an emergency a destination holds only if every reason agrees on it
    (breathing trouble with saddle numbness means "call now", not "go to the emergency
    department"); at other levels the first destination wins (pregnancy -> maternity unit).
    """
    destinations = [r.destination for r in top]
    if level is Level.EMERGENCY:
        return destinations[0] if destinations and len(set(destinations)) == 1 else None
    return next((d for d in destinations if d is not None), None)
