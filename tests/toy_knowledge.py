"""A knowledge base of a few one-line entries, for the matcher's unit tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.knowledge.model import Entry, KnowledgeBase, Source


def toy_kb(
    questions: Mapping[str, Sequence[str]], synonyms: Mapping[str, str] | None = None
) -> KnowledgeBase:
    """Entries named by their ids, each with its phrasings and the answer "About <id>."."""
    source = Source("https://example.org")
    return KnowledgeBase(
        entries={i: Entry(i, i, tuple(q), f"About {i}.", source) for i, q in questions.items()},
        synonyms=dict(synonyms or {}),
    )
