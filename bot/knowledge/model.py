"""The knowledge base as the rest of the bot sees it: immutable, already validated."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

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
    offers_check: bool = False
    """Answering with this entry also offers the red-flag check (a "when to worry" topic)."""
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Scope:
    """What the article does not answer and how people type (`scope:`), compiled once."""

    other_body_parts: frozenset[str] = frozenset()
    other_subjects: frozenset[str] = frozenset()
    treatments_not_covered: frozenset[str] = frozenset()
    young_people: frozenset[str] = frozenset()
    children_medicines: frozenset[str] = frozenset()
    meta_words: frozenset[str] = frozenset()
    fillers: re.Pattern[str] | None = None
    text_speak: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    unanswerable: tuple[tuple[str, re.Pattern[str]], ...] = ()
    off_topic_questions: tuple[str, ...] = ()
    """Whole questions an admin marked off-topic: a message alike to one is declined."""
    file: str = ""
    """The file holding `scope:` ("" when there is none)."""

    def drop_fillers(self, normalised_text: str) -> str:
        """Remove politeness and fillers that never change what is asked."""
        if self.fillers is None:
            return normalised_text
        return self.fillers.sub("", normalised_text).strip()

    def expand_text_speak(self, normalised_text: str) -> str:
        """Spell out chat shorthand word by word ("y r u sick" -> "why are you sick")."""
        words = normalised_text.split()
        return " ".join(map(self.text_speak.get, words, words))


@dataclass(frozen=True)
class KnowledgeBase:
    entries: Mapping[str, Entry]
    synonyms: Mapping[str, str] = field(default_factory=dict)
    scope: Scope = field(default_factory=Scope)
    files: tuple[str, ...] = ()

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)
