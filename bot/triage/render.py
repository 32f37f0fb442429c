"""Plain-text wording for check questions and outcomes; adapters add buttons and markup."""

from __future__ import annotations

from types import MappingProxyType

from bot.clinical.levels import Level
from bot.clinical.regions import RegionNumbers
from bot.triage.flow import CheckState, progress
from bot.triage.model import Answer, Triage

DISCLAIMER = "This check is not medical advice and does not replace a doctor."

ANSWER_LABELS: MappingProxyType[Answer, str] = MappingProxyType(
    {"yes": "Yes", "no": "No", "unsure": "Not sure"}
)


def question_text(t: Triage, s: CheckState) -> str:
    """The current question headed "Question n of m"; ValueError if the check is finished."""
    if s.question is None:
        raise ValueError("the check is finished; there is no question to show")
    number, total = progress(t, s)
    return f"Question {number} of {total}\n\n{t.question(s.question).text}"


def outcome_text(t: Triage, level: Level, numbers: RegionNumbers, unsure_emergency: bool) -> str:
    """Outcome, action with this region's numbers, the "not sure" note if due, disclaimer."""
    spec = t.outcomes[level]
    values = numbers.placeholders()
    parts = [spec.text, spec.action.format_map(values)]
    if unsure_emergency and level is not Level.EMERGENCY:
        parts.append(t.unsure_note.format_map(values))
    parts.append(DISCLAIMER)
    return "\n\n".join(parts)
