"""A restart with unchanged knowledge reads the phrasings' compared forms back; an edit to a
phrasing, the synonyms or a damaged record is never served stale.

Each test points YAML_CACHE_DIR at its own folder and caches any number of phrasings, so the
real knowledge base goes through the same path as 50,000 phrasings.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.data import parse_cache
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Entry
from bot.matching import phrasing_cache
from bot.matching.fuzzy import FuzzyMatcher

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
QUESTIONS = (
    "why does my back hurt when i have the flu",
    "who wrote this article",
    "what are cytokines",
    "is a hot bath good for a sore back",
    "how many ibuprofen can i take",
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(parse_cache.ENV, str(folder))
    monkeypatch.setattr(phrasing_cache, "MIN_PHRASINGS", 0)
    return folder


def _answers(matcher: FuzzyMatcher) -> list[object]:
    return [matcher.match(q) for q in QUESTIONS]


def test_a_warm_start_answers_as_a_cold_one(cache: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    cold = FuzzyMatcher(kb)
    assert len(list(cache.glob("*.json"))) == 1
    warm = FuzzyMatcher(kb)
    assert _answers(warm) == _answers(cold)
    assert warm._texts == cold._texts and warm._stems_of == cold._stems_of


def test_an_edited_phrasing_is_never_served_stale(cache: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    FuzzyMatcher(kb)
    entry = kb.entries["article-source"]
    asked = "zorblax quintessence of the writer"
    edited = replace(
        kb, entries={**kb.entries, entry.id: replace(entry, questions=(*entry.questions, asked))}
    )
    matcher = FuzzyMatcher(edited)
    found = matcher.match(asked).match
    assert found is not None and found.id == entry.id


def test_changed_synonyms_are_another_key(cache: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    FuzzyMatcher(kb)
    FuzzyMatcher(replace(kb, synonyms={**kb.synonyms, "zorblax": "back"}))
    assert len(list(cache.glob("*.json"))) == 2


def test_a_damaged_record_is_made_again(cache: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    before = _answers(FuzzyMatcher(kb))
    (record,) = cache.glob("*.json")
    for damaged in ([[1], 2, "three"], ["one", "two", "three"], "text"):
        record.write_text(json.dumps({"key": record.stem, "value": damaged}))
        assert _answers(FuzzyMatcher(kb)) == before


def test_no_cache_when_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parse_cache.ENV, "off")
    monkeypatch.setattr(phrasing_cache, "MIN_PHRASINGS", 0)
    kb = load_knowledge(KNOWLEDGE)
    assert _answers(FuzzyMatcher(kb)) == _answers(FuzzyMatcher(kb))


def test_an_entry_added_is_a_new_record(cache: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    FuzzyMatcher(kb)
    source = next(iter(kb.entries.values())).source
    new = Entry("zorblax", "Zorblax", ("what is zorblax",), "About zorblax.", source)
    matcher = FuzzyMatcher(replace(kb, entries={**kb.entries, new.id: new}))
    found = matcher.match("what is zorblax").match
    assert found is not None and found.id == "zorblax"
