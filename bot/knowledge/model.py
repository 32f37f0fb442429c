"""The knowledge base as the rest of the bot sees it: immutable, already validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.data.problems import DataError, Problem

__all__ = ["DataError", "Entry", "KnowledgeBase", "Problem", "Source"]


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
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class KnowledgeBase:
    entries: Mapping[str, Entry]
    synonyms: Mapping[str, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)
