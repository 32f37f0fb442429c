"""The knowledge base as the rest of the bot sees it: immutable, already validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, pointing at where an admin must look."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DataError(Exception):
    """Raised with every problem found at once, so an admin fixes them in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Source:
    url: str
    reference: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    questions: tuple[str, ...]
    answer: str
    source: Source
    related: tuple[str, ...] = ()
    offers_check: bool = False
    """Answering with this entry also offers the red-flag check (a "when to worry" topic)."""
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class KnowledgeBase:
    entries: Mapping[str, Entry]
    synonyms: Mapping[str, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)
