"""The scope's `unanswerable` patterns, searched only where their literals occur, name exactly
what searching every pattern names."""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.loader import load_knowledge
from bot.matching.named_patterns import NamedPatterns
from bot.text import normalise

ROOT = Path(__file__).resolve().parent.parent


def _every(named: list[tuple[str, re.Pattern[str]]], texts: list[str]) -> list[str]:
    return [n for n, p in named if any(p.search(t) for t in texts)]


def test_the_real_patterns_name_what_a_full_search_names() -> None:
    named = list(load_knowledge(ROOT / "knowledge").scope.unanswerable)
    patterns = NamedPatterns(named)
    texts = [
        normalise(line.split("\t")[0])
        for path in sorted((ROOT / "tests" / "data").glob("questions*.tsv"))
        for line in path.read_text().splitlines()[1:]
    ]
    found = 0
    for text in texts:
        expected = _every(named, [text])
        assert patterns.names([text]) == expected, text
        found += bool(expected)
    assert found > 50  # the check saw real asks the article cannot answer


def test_a_pattern_without_literals_is_always_searched_and_order_kept() -> None:
    named = [
        ("dose", re.compile(r"\bhow (?:many|much)\b")),
        ("any word then ache", re.compile(r"\w+ ache")),
        ("temperature", re.compile(r"\bwhat temperature\b")),
    ]
    patterns = NamedPatterns(named)
    assert patterns.names(["my tooth ache is bad"]) == ["any word then ache"]
    assert patterns.names(["what temperature", "how much tooth ache"]) == [
        "dose",
        "any word then ache",
        "temperature",
    ]
    assert patterns.names(["nothing here"]) == []
    assert NamedPatterns([]).names(["how much"]) == []
