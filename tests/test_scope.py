"""knowledge/scope.yaml: what the article does not answer, as data an admin can edit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import GOOD_ENTRIES, write_files

from bot.knowledge.loader import load_knowledge, validate_knowledge
from bot.matching.fuzzy import build_matcher

SCOPE = """\
scope:
  other_subjects: [football, crypto]
  text_speak:
    y: why
  fillers: ['actually', 'could you (?:please )?tell me']
  groups:
    drink: [tea, coffee]
  unanswerable:
    amount:
      - '\\bhow many cups of {drink}\\b'
"""


def test_scope_words_make_the_bot_decline(tmp_path: Path) -> None:
    folder = write_files(tmp_path / "kb", {"facts.yaml": GOOD_ENTRIES, "scope.yaml": SCOPE})
    matcher = build_matcher(load_knowledge(folder))
    assert matcher.match("is green tea healthy").match is not None
    assert matcher.match("is green tea healthy for football players").match is None
    assert matcher.match("how many cups of tea a day is healthy").match is None
    kb = load_knowledge(folder)
    assert kb.scope.expand_text_speak("y is tea good") == "why is tea good"
    assert kb.scope.drop_fillers("could you tell me is tea actually good") == "is tea good"


def test_each_scope_mistake_is_reported_with_file_and_line(tmp_path: Path) -> None:
    broken = """\
        scope:
          other_subjects: football
          colour: [red]
          text_speak:
            y: [why]
          unanswerable:
            amount:
              - '\\bhow (many'
              - '{nowhere} cups'
        """
    folder = write_files(tmp_path / "kb", {"facts.yaml": GOOD_ENTRIES, "scope.yaml": broken})
    shown = [str(p).split("/")[-1] for p in validate_knowledge(folder)]
    assert "scope.yaml:2: 'other_subjects' must be a list like [word, other word]" in shown
    assert "scope.yaml:3: unknown key 'colour' under 'scope'" in shown
    assert "scope.yaml:5: text_speak 'y' must map to a word" in shown
    assert any(s.startswith("scope.yaml:8: 'unanswerable: amount' has a broken") for s in shown)
    assert "scope.yaml:9: 'unanswerable: amount' uses {nowhere}, which is not under 'groups'" in (
        shown
    )


def test_a_second_scope_file_is_refused(tmp_path: Path) -> None:
    files = {"facts.yaml": GOOD_ENTRIES, "a.yaml": SCOPE, "b.yaml": SCOPE}
    problems = validate_knowledge(write_files(tmp_path / "kb", files))
    assert [p.line for p in problems] == [1]
    assert "a second 'scope:'" in problems[0].message and "a.yaml:1" in problems[0].message


def test_a_question_marked_off_topic_declines_alike_messages() -> None:
    kb = load_knowledge(Path(__file__).resolve().parents[1] / "knowledge")
    question = "is a hot water bottle good for growing pains"
    assert build_matcher(kb).match(question).match is not None  # a near miss, answered
    marked = replace(kb, scope=replace(kb.scope, off_topic_questions=(question,)))
    matcher = build_matcher(marked)
    result = matcher.match("would a hot water bottle be good for my growing pains")
    assert result.match is None and result.band == "none"
    assert matcher.match("does a heat pack help my back when I'm sick").match is not None
