"""The red-flag check as loaded from knowledge/triage.yaml: immutable and already validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.clinical.levels import Level

Answer = Literal["yes", "no", "unsure"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "unsure")

PLACEHOLDERS = frozenset({"emergency", "nurse_line", "crisis_line"})
"""Names an outcome may use as {name}; filled per region from RegionNumbers."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    flags: tuple[str, ...]
    """Red-flag codes this question screens; all share one level."""
    level: Level
    line: int


@dataclass(frozen=True)
class OutcomeSpec:
    level: Level
    text: str
    action: str
    """What to do and by when; may hold {placeholders}."""


@dataclass(frozen=True)
class Triage:
    questions: Mapping[str, Question]
    order: tuple[str, ...]
    """Question ids in the order they are asked (most severe level first)."""
    outcomes: Mapping[Level, OutcomeSpec]
    version: str
    """Hash of the file's content, so a stored check can tell the file changed."""
    file: str
    unsure_note: str = ""
    """Added to the outcome after "Not sure" on an emergency question; may hold placeholders."""
    revision: str = ""
    """The human version and date written in the file, for admins."""

    @property
    def first(self) -> str:
        return self.order[0]

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError names the id if it does not exist."""
        try:
            return self.questions[question_id]
        except KeyError:
            raise KeyError(f"no triage question {question_id!r}") from None
