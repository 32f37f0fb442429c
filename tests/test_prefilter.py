"""The literal prefilter never skips a pattern that could match (bot/data/prefilter.py).

A skipped search must be one that would have found nothing, or the detector would miss an
emergency; these tests hold that on generated patterns and on every shipped pattern.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.data import prefilter
from bot.data.prefilter import Prefilter, required
from bot.safety import rulebook
from bot.safety.emergency import EmergencyDetector

try:
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python implementation
    _parser = None

DATA = Path(__file__).parent / "data"

_ATOMS = st.sampled_from(["a", "b", "ab", "ba", "abc", " ", "[ab]", "[a-c]", ".", r"\w", "x"])


def _pattern(depth: int = 2) -> st.SearchStrategy[str]:
    """Small regexes over a few letters: sequences, alternations, optional and repeated
    parts, groups and look-arounds (what the rule files are made of)."""
    if depth == 0:
        return _ATOMS
    inner = _pattern(depth - 1)
    return st.one_of(
        _ATOMS,
        st.lists(inner, min_size=1, max_size=4).map("".join),
        st.lists(inner, min_size=2, max_size=4).map(lambda p: f"(?:{'|'.join(p)})"),
        inner.map(lambda p: f"(?:{p})?"),
        inner.map(lambda p: f"(?:{p})+"),
        inner.map(lambda p: f"(?:{p}){{1,2}}"),
        inner.map(lambda p: f"(?<![a-z])(?:{p})(?! )"),
        inner.map(lambda p: f"(?:{p}|)"),
    )


@pytest.mark.skipif(_parser is None, reason="needs CPython's regex parser")
@settings(max_examples=150, deadline=None)
@given(_pattern(), st.text(alphabet="abcx ", max_size=10))
def test_every_match_contains_one_of_the_required_literals(pattern: str, text: str) -> None:
    literals = required(_parser.parse(pattern, 0))
    if literals is None:
        return  # nothing claimed: the pattern is always searched
    for m in re.finditer(pattern, text):
        assert any(lit in m.group() for lit in literals), (pattern, text, literals)


def test_a_word_list_needs_one_of_its_words_and_a_case_blind_pattern_needs_nothing() -> None:
    if _parser is None:
        pytest.skip("needs CPython's regex parser")
    words = required(_parser.parse(r"(?<![a-z])(?:numb|tingly|pins and needles)(?![a-z])", 0))
    assert words == frozenset({"numb", "tingly", "pins and needles"})
    assert required(_parser.parse(r"(?i)numb", 0)) is None
    assert required(_parser.parse(r"[a-z]+", 0)) is None


def test_a_pattern_without_usable_literals_is_always_possible() -> None:
    screen = Prefilter([frozenset({"numb"}), None, frozenset({"a"})])
    assert screen.possible("my legs went numb") >= {0, 1, 2}
    assert screen.possible("all fine") == {1, 2}  # "a" is too short to screen with


@pytest.mark.slow
def test_no_shipped_pattern_is_skipped_where_it_matches() -> None:
    """Every message of the emergency and calm sets: each pattern the screens rule out finds
    nothing there (the rule files' patterns and families, the phrase sets, the concept
    groups)."""
    detector = EmergencyDetector(learned=False)
    messages = [
        line.split("\t", 1)[-1]
        for path in sorted(DATA.glob("*"))
        if path.suffix in (".tsv", ".txt") and ("calm" in path.name or "emergency" in path.name)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    screens = [
        (detector.rulebook._screened().prefilter, _rule_regexes(detector), rulebook.normalise),
        (detector._spotter._prefilter, [r for _, r in detector._spotter._each], None),
        (detector._concepts._prefilter, list(detector._concepts._each.values()), None),
    ]
    skipped = 0
    for message in messages[::15]:
        prepared = detector._preparer.prepare(message, idioms=True).text
        for screen, regexes, view in screens:
            text = view(message) if view is not None else prepared
            possible = screen.possible(text)
            for i, regex in enumerate(regexes):
                if i not in possible:
                    skipped += 1
                    assert regex.search(text) is None, (regex.pattern[:80], text)
    assert skipped > 100 * len(messages[::15])  # the screens do rule most patterns out


def _rule_regexes(detector: EmergencyDetector) -> list[re.Pattern[str]]:
    """The rule files' patterns in the order their screen indexes them."""
    seen: dict[int, re.Pattern[str]] = {}
    for rule in detector.rulebook.rules:
        for regex in (rule.regex,) if rule.regex is not None else rule.parts:
            seen.setdefault(id(regex), regex)
    return list(seen.values())


def test_without_the_scanner_every_pattern_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "ahocorasick", None)
    screen = Prefilter([frozenset({"numb"}), frozenset({"groin"})])
    assert screen.possible("nothing here") == {0, 1}
