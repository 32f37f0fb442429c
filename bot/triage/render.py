"""Plain-text wording for check questions and outcomes; adapters add buttons and markup.

Outcome replies put the action and the number first, then why. Emergency and crisis replies
never end on the "not medical advice" line; the crisis reply starts with kind words.
"""

from __future__ import annotations

from types import MappingProxyType

from bot.clinical.catalogue import CATALOGUE
from bot.clinical.levels import Level
from bot.clinical.regions import RegionNumbers
from bot.triage.flow import CheckState, Reason, Verdict, progress, who
from bot.triage.model import Answer, Triage

DISCLAIMER = "This check is not medical advice and does not replace a doctor."

ANSWER_LABELS: MappingProxyType[Answer, str] = MappingProxyType(
    {"yes": "Yes", "no": "No", "unsure": "Not sure"}
)
_NO_DISCLAIMER = frozenset({Level.EMERGENCY, Level.CRISIS})


def question_text(t: Triage, s: CheckState) -> str:
    """The current question headed "Question n of m"; ValueError if the check is finished."""
    if s.question is None:
        raise ValueError("the check is finished; there is no question to show")
    number, total = progress(t, s)
    text = t.question(s.question).text_for(who(t, s))
    return f"Question {number} of {total}\n\n{text}"


def outcome_text(
    t: Triage,
    verdict: Verdict | Level,
    numbers: RegionNumbers,
    unsure_emergency: bool = False,
    *,
    self_harm: bool = False,
    why: str | None = None,
) -> str:
    """The outcome reply: see the module docstring for the order of its parts.

    `self_harm`: the person also said they have thoughts of harming themselves, so an
    emergency reply adds the crisis line. `why` replaces the reasons drawn from the answers.
    """
    v = verdict if isinstance(verdict, Verdict) else Verdict(verdict, None, ())
    spec = t.outcomes[v.level]
    values = numbers.placeholders()
    action = t.destinations.get((v.destination, v.level), spec.action) if v.destination else None
    parts: list[str]
    if v.level is Level.CRISIS:
        parts = [spec.text, spec.action]
    else:
        parts = [action or spec.action, why if why is not None else _why(t, v, spec.text)]
    if v.level is Level.EMERGENCY and self_harm:
        parts.append(t.outcomes[Level.CRISIS].action)
    if unsure_emergency and v.level not in (Level.EMERGENCY, Level.URGENT_NOW):
        parts.append(t.unsure_note)
    if v.level not in _NO_DISCLAIMER:
        parts.append(DISCLAIMER)
    if spec.after:
        parts.append(spec.after)
    return "\n\n".join(p.format_map(values) for p in parts if p)


def alarm_text(t: Triage, codes: frozenset[str], numbers: RegionNumbers) -> tuple[Level, str]:
    """The reply to free text that describes emergency or crisis flags: its level and text.

    Names what the person mentioned (only the detected flags), with the action first.
    """
    emergency = [c for c in codes if CATALOGUE.level(c) is Level.EMERGENCY]
    crisis = any(CATALOGUE.level(c) is Level.CRISIS for c in codes)
    if not emergency:
        return Level.CRISIS, outcome_text(t, Level.CRISIS, numbers)
    destinations = {CATALOGUE.flags[c].destination for c in emergency}
    destination = destinations.pop() if len(destinations) == 1 else None
    said = _join(CATALOGUE.says(frozenset(emergency)))
    why = f"You mentioned {said}. {t.outcomes[Level.EMERGENCY].text}"
    v = Verdict(Level.EMERGENCY, destination, (Reason(Level.EMERGENCY, destination),))
    return Level.EMERGENCY, outcome_text(t, v, numbers, self_harm=crisis, why=why)


def _why(t: Triage, v: Verdict, explanation: str) -> str:
    """What led here, in the question's own words, then the level's explanation."""
    by_id = {c.id: c for c in t.combinations}
    lines: list[str] = []
    for r in v.reasons:
        if r.combination is not None:
            line = by_id[r.combination].why
        elif r.question == t.first:
            choice = t.question(t.first).choice(r.answer)
            line = choice.why if choice is not None else ""
        elif r.question is not None:
            about = t.question(r.question).about
            line = f"You weren't sure about {about}." if r.answer == "unsure" else ""
            line = line or f"You said yes to {about}."
        else:
            continue
        if line not in lines:
            lines.append(line)
    return " ".join([*lines, explanation])


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
