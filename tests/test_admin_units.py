"""The admin layer's pieces on their own: YAML write-back, grouping, file names, backups."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from chat_driver import KNOWLEDGE_DIR, real_knowledge

from bot.admin import files, review
from bot.admin.stats import format_stats
from bot.admin.yaml_edit import EditError, add_phrasing
from bot.storage.base import UnansweredQuestion

SOURCE = """\
# Header comment: keep me.
entries:
  - id: first   # inline comment
    title: First
    questions:
      # the usual ways people ask
      - how are you
      - "quoted: one"
    answer: >-
      Folded
      answer.
    source:
      url: https://example.org

  # a comment between entries
  - id: second
    title: Second
    questions: [one way, another way,
                a third way]
    answer: Two.
    source: {url: https://example.org}
"""


def _questions(text: str, entry_id: str) -> list[str]:
    data = yaml.safe_load(text)
    return next(e["questions"] for e in data["entries"] if e["id"] == entry_id)


@pytest.mark.parametrize(
    "phrasing",
    ["can I do yoga", "yes", "what about: colons # and hashes", 'say "hi"', "- dash", "123"],
)
def test_a_phrasing_is_added_as_one_line_and_read_back_exactly(phrasing: str) -> None:
    out = add_phrasing(SOURCE, "first", phrasing)
    assert _questions(out, "first") == ["how are you", "quoted: one", phrasing]
    before, after = SOURCE.splitlines(), out.splitlines()
    assert len(after) == len(before) + 1
    assert [line for line in after if line in before] == before


def test_a_flow_style_list_still_keeps_comments_and_other_entries() -> None:
    out = add_phrasing(SOURCE, "second", "a fourth way")
    assert _questions(out, "second") == ["one way", "another way", "a third way", "a fourth way"]
    for comment in ("# Header comment: keep me.", "# inline comment", "# the usual ways"):
        assert comment in out
    assert yaml.safe_load(out)["entries"][0] == yaml.safe_load(SOURCE)["entries"][0]


def test_whitespace_in_a_phrasing_is_tidied() -> None:
    out = add_phrasing(SOURCE, "first", "  can\nI   do yoga  ")
    assert _questions(out, "first")[-1] == "can I do yoga"


@pytest.mark.parametrize(
    ("source", "entry_id", "says"),
    [(SOURCE, "missing", "no entry"), ("synonyms:\n  a: [b]\n", "first", "no 'entries:'")],
)
def test_an_impossible_edit_says_why(source: str, entry_id: str, says: str) -> None:
    with pytest.raises(EditError, match=says):
        add_phrasing(source, entry_id, "anything")


def test_the_real_article_file_takes_a_phrasing_without_other_changes() -> None:
    path = next(p for p in sorted(KNOWLEDGE_DIR.glob("*.yaml")) if "entries:" in p.read_text())
    source = path.read_text(encoding="utf-8")
    entry_id = yaml.safe_load(source)["entries"][0]["id"]
    out = add_phrasing(source, entry_id, "a brand new way to ask")
    assert out.replace("      - a brand new way to ask\n", "", 1) == source


# -- grouping ------------------------------------------------------------------------------
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _rows(*texts: str) -> list[UnansweredQuestion]:
    return [UnansweredQuestion(t, 10.0, NOW - timedelta(minutes=i)) for i, t in enumerate(texts)]


def test_alike_questions_group_and_the_biggest_group_comes_first() -> None:
    rows = _rows(
        "what is the capital of france",
        "can I do yoga with a sore back",
        "Can I do yoga with a sore back?",
        "can i do yoga with my sore back",
        "what's the capital of France",
        "yoga",
    )
    groups = review.group_questions(rows)
    assert [g.count for g in groups] == [3, 2, 1]
    assert "yoga" in groups[0].question and "france" in groups[1].question.lower()
    assert groups[2].texts == ("yoga",)  # one word does not swallow the longer questions
    assert len({g.key for g in groups}) == 3


def test_a_button_key_finds_its_group_even_after_more_questions_arrive() -> None:
    rows = _rows("can I do yoga with a sore back", "Can I do yoga with a sore back?")
    [group] = review.group_questions(rows)
    later = _rows("can i do yoga with my sore back", "what is the capital of france") + rows
    found = review.find_group(later, group.key)
    assert found is not None and found.count == 3
    assert review.find_group(later, "0" * review.KEY_CHARS) is None


def test_review_buttons_fit_telegram_callback_data() -> None:
    knowledge = real_knowledge()
    longest = max(knowledge.kb.entries, key=len)
    group = review.ReviewGroup("a" * review.KEY_CHARS, "q", ("q",), 1, NOW, longest)
    reply = review.render_review([group], knowledge, 1)
    assert all(len(b.data.encode()) <= 64 for row in reply.buttons for b in row)
    assert [b.label[:2] for b in reply.buttons[0]] == ["➕ ", "🚫 ", "✖ "]


# -- files ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [("article.yaml", "article.yaml"), ("Extra.YML", "Extra.yaml"), ("a.b.yaml", "a.b.yaml")],
)
def test_upload_names_map_to_a_yaml_file_in_the_folder(name: str, expected: str) -> None:
    assert files.target_name(name) == expected


@pytest.mark.parametrize(
    "name",
    [None, "", "../x.yaml", "a/b.yaml", "..\\x.yaml", ".hidden.yaml", "x.txt", "x", " .yaml"],
)
def test_unsafe_or_foreign_names_are_refused(name: str | None) -> None:
    with pytest.raises(files.Refused):
        files.target_name(name)


def test_backups_list_newest_first_and_skip_what_a_rollback_replaced(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("one")
    first = files.back_up(tmp_path, "a.yaml", now=NOW)
    (tmp_path / "a.yaml").write_text("two")
    files.back_up(tmp_path, "a.yaml", undone=True, now=NOW + timedelta(seconds=1))
    second = files.back_up(tmp_path, "a.yaml", now=NOW + timedelta(seconds=2))
    fresh = files.back_up(tmp_path, "b.yaml", now=NOW + timedelta(seconds=3))
    assert [b.path for b in files.backups(tmp_path)] == [fresh.path, second.path, first.path]
    assert [b.path for b in files.backups(tmp_path, "a.yaml")] == [second.path, first.path]
    assert files.restored_content(first) == b"one" and files.restored_content(fresh) is None


def test_a_dry_run_reports_problems_at_the_real_path_and_touches_nothing(tmp_path: Path) -> None:
    kdir = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, kdir, ignore=shutil.ignore_patterns(".*"))
    before = {p.name: p.read_bytes() for p in kdir.iterdir()}
    problems = files.dry_run(kdir, {"broken.yaml": b"entries:\n  - id: [oops\n"})
    assert problems and all(p.file.startswith(str(kdir)) for p in problems)
    assert any(p.file == str(kdir / "broken.yaml") and p.line >= 2 for p in problems)
    assert {p.name: p.read_bytes() for p in kdir.iterdir()} == before
    assert files.dry_run(kdir, {}) == []


def test_backups_are_not_read_as_knowledge(tmp_path: Path) -> None:
    kdir = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, kdir, ignore=shutil.ignore_patterns(".*"))
    for path in sorted(kdir.glob("*.yaml")):
        files.back_up(kdir, path.name)  # same ids again, which would clash if read
    assert files.dry_run(kdir, {}) == []


# -- stats ---------------------------------------------------------------------------------
def test_stats_show_shares_levels_and_the_worst_rated_topics() -> None:
    knowledge = real_knowledge()
    topic = next(iter(knowledge.kb.entries.values()))
    stats = {
        "people": 4,
        "questions_asked": 8,
        "questions_answered": 6,
        "outcomes": {"emergency": 1, "gp": 2},
        "feedback": {topic.id: {"up": 3, "down": 2}, "gone-topic": {"up": 0, "down": 1}},
        "unanswered": 2,
    }
    text = format_stats(stats, knowledge, retention_days=30)
    assert "People: 4" in text and "answered 6 (75%)" in text
    assert "emergency: 1" in text and "see a GP: 2" in text and "self-care: 0" in text
    assert "👍 3  👎 3" in text
    assert text.index(topic.title) < text.index("gone-topic")
