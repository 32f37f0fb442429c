"""The red-flag check as a conversation: buttons, free-text answers, back, cancel, restart.

Button data carries the question id and step it answers (`t:<question>:<step>:<y|n|u>`, or
the choice id for the "who is it for" question), so a press on an old message is recognised
as old and never applied to the current question.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.clinical.levels import Level
from bot.clinical.regions import RegionNumbers
from bot.dialogue import texts
from bot.dialogue.phrases import parse_answer, parse_check_command, simplify
from bot.dialogue.replies import Button, Reply, TriageInfo
from bot.dialogue.state import ConversationState
from bot.dialogue.turn import Turn
from bot.triage import flow, render
from bot.triage.model import Answer, Question, Triage

_CODES: Mapping[str, Answer] = MappingProxyType({"y": "yes", "n": "no", "u": "unsure"})
_LETTERS: Mapping[Answer, str] = MappingProxyType({v: k for k, v in _CODES.items()})


class CheckFlow:
    def __init__(self, triage: Triage, numbers: RegionNumbers) -> None:
        self.triage = triage
        self.numbers = numbers

    # -- entry points --------------------------------------------------------------------
    def start(self, state: ConversationState, intro: str = texts.CHECK_INTRO) -> Turn:
        check = flow.start(self.triage)
        return self._ask(check, state, prefix=intro)

    def cancel(self, state: ConversationState) -> Turn:
        if state.check is None:
            return Turn([Reply(texts.NO_CHECK)], state)
        return Turn([Reply(texts.CHECK_CANCELLED)], state.evolve(check=None))

    def button(self, kind: str, rest: str, state: ConversationState) -> Turn:
        """`ts` start, `tr` restart, `tc` cancel, `tb:<step>` back, `t:<q>:<step>:<a>` answer."""
        if kind in ("ts", "tr"):
            return self.start(state)
        if kind == "tc":
            return self.cancel(state)
        check = self._current(state)
        if check is None:
            if state.check is not None:  # the check file changed under this person's feet
                return self.start(state, intro=texts.CHECK_UPDATED)
            reply = Reply(texts.STALE_BUTTON + " " + texts.NO_CHECK)
            return Turn([reply], state, notice=texts.STALE_BUTTON, stale=True)
        if kind == "tb":
            if rest != str(len(check.answers)):
                return self._stale(check, state)
            return self._ask(flow.back(self.triage, check), state)
        qid, step, letter = _split_answer(rest)
        answer = _CODES.get(letter, letter)
        if step is None or not flow.is_current(self.triage, check, qid, step):
            return self._stale(check, state)
        if answer not in self.triage.question(qid).answers:
            return self._stale(check, state)
        return self._apply(check, answer, state)

    def free_text(self, text: str, state: ConversationState) -> Turn | None:
        """Treat "yep", "nah", "dunno", "back", "cancel" as check input; None if it isn't."""
        command = parse_check_command(text)
        if command == "cancel":
            return self.cancel(state)
        if command == "restart":
            return self.start(state)
        check = self._current(state)
        if check is None:
            return self.start(state, intro=texts.CHECK_UPDATED) if state.check else None
        if command == "back":
            return self._ask(flow.back(self.triage, check), state)
        if check.question is None:
            return None
        question = self.triage.question(check.question)
        answer = _parse_choice(text, question) if question.choices else parse_answer(text)
        if answer is None:
            return None
        return self._apply(check, answer, state)

    def where_we_are(self, state: ConversationState) -> list[Reply]:
        check = self._current(state)
        if check is None or check.question is None:
            return []
        return [self._question_reply(check, prefix=texts.CHECK_STILL_OPEN)]

    # -- internals -----------------------------------------------------------------------
    def _current(self, state: ConversationState) -> flow.CheckState | None:
        """The open check, or None if there is none or it no longer fits the check file."""
        if state.check is None:
            return None
        try:
            check = flow.CheckState.from_json(state.check)
        except ValueError:
            return None
        if not flow.is_compatible(self.triage, check):
            return None
        return check

    def _apply(self, check: flow.CheckState, answer: Answer, state: ConversationState) -> Turn:
        after = flow.answer(self.triage, check, answer)
        verdict = flow.verdict(self.triage, after)
        if verdict is None:
            return self._ask(after, state)
        level = verdict.level
        flags = flow.flags_yes(self.triage, after)
        text = render.outcome_text(
            self.triage,
            verdict,
            self.numbers,
            flow.unsure_emergency(self.triage, after),
            self_harm="self_harm" in flags,
        )
        buttons = ((Button("Start the check again", "tr"),),)
        reply = Reply(
            text,
            buttons,
            triage=TriageInfo(question="", flags=tuple(flags)) if flags else None,
            outcome=str(level),
            emergency=level in (Level.EMERGENCY, Level.CRISIS),
        )
        return Turn([reply], state.evolve(check=None), outcomes=[str(level)])

    def _ask(self, check: flow.CheckState, state: ConversationState, prefix: str = "") -> Turn:
        reply = self._question_reply(check, prefix)
        return Turn([reply], state.evolve(check=check.to_json()))

    def _stale(self, check: flow.CheckState, state: ConversationState) -> Turn:
        reply = self._question_reply(check, prefix=texts.STALE_CHECK_BUTTON)
        return Turn([reply], state, notice=texts.STALE_CHECK_BUTTON, stale=True)

    def _question_reply(self, check: flow.CheckState, prefix: str = "") -> Reply:
        assert check.question is not None
        question = self.triage.question(check.question)
        step = len(check.answers)
        body = render.question_text(self.triage, check)
        text = f"{prefix}\n\n{body}" if prefix else body
        nav = (Button("⬅ Back", f"tb:{step}"),) if step else ()
        rows = (*_answer_rows(question, step), (*nav, Button("✖ Cancel", "tc")))
        return Reply(text, rows, triage=TriageInfo(question.id, tuple(question.flags)))


def _answer_rows(question: Question, step: int) -> tuple[tuple[Button, ...], ...]:
    """Yes / No / Not sure on one row, or one choice per row for "who is it for"."""
    if question.choices:
        return tuple(
            (Button(c.label, f"t:{question.id}:{step}:{c.id}"),) for c in question.choices
        )
    return (
        tuple(
            Button(label, f"t:{question.id}:{step}:{_LETTERS[answer]}")
            for answer, label in render.ANSWER_LABELS.items()
        ),
    )


def _parse_choice(text: str, question: Question) -> Answer | None:
    """A typed choice: its number, its label, or one of its words ("my baby" -> baby)."""
    said = simplify(text)
    for number, choice in enumerate(question.choices, start=1):
        if said in (str(number), choice.id, simplify(choice.label)):
            return choice.id
    words = f" {said} "
    found = {c.id for c in question.choices for w in c.words if f" {simplify(w)} " in words}
    if len(found) > 1:  # "I'm pregnant": the more specific choice beats the first ("me")
        found.discard(question.choices[0].id)
    return found.pop() if len(found) == 1 else None


def _split_answer(rest: str) -> tuple[str, int | None, str]:
    qid, _, tail = rest.partition(":")
    step, _, letter = tail.partition(":")
    return qid, (int(step) if step.isdigit() else None), letter
