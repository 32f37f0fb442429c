"""The red-flag check as loaded from knowledge/triage.yaml: immutable and already validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.clinical.catalogue import Combination
from bot.clinical.levels import Level

Answer = str
""""yes", "no", "unsure", or the id of a choice (the "who is it for" question)."""
ANSWERS: tuple[Answer, ...] = ("yes", "no", "unsure")

PLACEHOLDERS = frozenset({"emergency", "nurse_line", "crisis_line"})
"""Names an outcome may use as {name}; filled per region from RegionNumbers."""

_NO_TEXTS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    flags: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    """Free-text words that pick this choice ("my baby" -> baby)."""
    floor: Level | None = None
    """The least outcome for this person (a baby under 3 months is seen today)."""
    why: str = ""
    """Why the floor, for the outcome reply."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    flags: tuple[str, ...]
    """Codes this question screens; all share one level."""
    level: Level
    line: int
    about: str = ""
    """Short words for "You said yes to ...": what the question asks about."""
    choices: tuple[Choice, ...] = ()
    """Non-empty for the "who is it for" question, which has choices instead of yes/no."""
    who: frozenset[str] | None = None
    """Asked only when the first question was answered with one of these choices."""
    after: str | None = None
    """A follow-up: asked only when this question got "yes" or "unsure"."""
    unsure: Level | None = None
    """Level of "not sure" when it differs from the default for the question's level."""
    unsure_destination: str | None = None
    texts: Mapping[str, str] = field(default_factory=lambda: _NO_TEXTS)
    """Other wording per "who" choice."""

    @property
    def answers(self) -> tuple[Answer, ...]:
        return tuple(c.id for c in self.choices) if self.choices else ANSWERS

    def text_for(self, who: str | None) -> str:
        return self.texts.get(who or "", self.text)

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class OutcomeSpec:
    level: Level
    text: str
    """Why (or, for the crisis reply, the kind words that come first)."""
    action: str
    """What to do and by when; may hold {placeholders}."""
    after: str = ""
    """The last line: numbers for if things change."""


@dataclass(frozen=True)
class Triage:
    questions: Mapping[str, Question]
    order: tuple[str, ...]
    """Question ids in the order they may be asked."""
    outcomes: Mapping[Level, OutcomeSpec]
    version: str
    """Hash of the file's content, so a stored check can tell the file changed."""
    file: str
    unsure_note: str = ""
    """Added after "Not sure" on an emergency question; may hold placeholders."""
    revision: str = ""
    """The human version and date written in the file, for admins."""
    destinations: Mapping[tuple[str, Level], str] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """Action text for (destination, level), replacing the level's own action."""
    combinations: tuple[Combination, ...] = ()

    @property
    def first(self) -> str:
        return self.order[0]

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError names the id if it does not exist."""
        try:
            return self.questions[question_id]
        except KeyError:
            raise KeyError(f"no triage question {question_id!r}") from None
