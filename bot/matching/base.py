"""What the dialogue needs from a matcher; a fuzzy scan today, an index later."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Scored:
    id: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    question: str
    match: Scored | None
    """The answer to give; None below the threshold or for an off-topic question."""
    suggestions: tuple[Scored, ...] = ()
    """Up to 3 other close topics (runners-up, or the closest ones when there is no match)."""
    also: Scored | None = None
    """The answer to a second, different ask in the same message (also first in suggestions)."""

    @property
    def band(self) -> str:
        """The band: "answer" (confident), "confirm" (unsure, with suggestions) or "none"."""
        if self.match is not None:
            return "answer"
        return "confirm" if self.suggestions else "none"


class Matcher(Protocol):
    def match(self, question: str) -> MatchResult: ...
