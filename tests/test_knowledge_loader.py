"""Loading knowledge YAML: a good folder loads, and every mistake is reported with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import GOOD_ENTRIES, GOOD_SYNONYMS, write_files

from bot.cli import main
from bot.knowledge.loader import load_knowledge, validate_knowledge
from bot.knowledge.model import DataError, Problem

REAL_TRIAGE = Path(__file__).resolve().parent.parent / "knowledge" / "triage.yaml"


def _entry(**fields: str) -> str:
    """One entry whose lines are: 2 id, 3 title, 4 questions, 5-6 items, 7 answer, 8-9 source."""
    base = {
        "id": "id: tea",
        "title": "title: Tea",
        "questions": "questions:\n      - is tea good\n      - does tea help",
        "answer": "answer: Tea is fine.",
        "source": "source:\n      url: https://example.org",
    }
    base.update(fields)
    body = "\n    ".join(v for v in base.values() if v)
    return f"entries:\n  - {body}\n"


def _problems(tmp_path: Path, files: dict[str, str]) -> list[Problem]:
    return validate_knowledge(write_files(tmp_path / "kb", files))


def test_good_folder_loads_entries_and_synonyms(good_kb_dir: Path) -> None:
    kb = load_knowledge(good_kb_dir)
    assert list(kb.entries) == ["tea", "sleep"]
    tea = kb.entries["tea"]
    assert tea.questions[1] == "does tea have caffeine"
    assert tea.related == ("sleep",)
    assert tea.source.reference == "[1] tea study (example.org)"
    assert kb.entries["sleep"].source.reference is None
    assert kb.synonyms["cuppa"] == "tea"
    assert (tea.file, tea.line) == (str(good_kb_dir / "facts.yaml"), 2)


def test_entries_from_two_files_merge_and_triage_files_are_skipped(tmp_path: Path) -> None:
    second = "entries:\n  - id: coffee\n    title: Coffee\n    questions: [is coffee ok]\n"
    second += "    answer: In moderation.\n    source: {url: 'https://example.org/c'}\n"
    directory = write_files(
        tmp_path / "kb",
        {"a.yaml": GOOD_ENTRIES, "b.yaml": second, "triage.yaml": "triage:\n  anything: 1\n"},
    )
    kb = load_knowledge(directory)
    assert set(kb.entries) == {"tea", "sleep", "coffee"}
    assert not any("triage" in f for f in kb.files)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("entries:\n  - id: tea\n    title: [unclosed\n", 4, "YAML syntax error"),
        (_entry(id="id: Tea Time"), 2, "id 'Tea Time' must be lowercase"),
        (_entry(title=""), 2, "missing the field 'title'"),
        (_entry(answer="answer:"), 7, "field 'answer' of entry 'tea' is empty"),
        (_entry(title="title: 42"), 3, "'title' of entry 'tea' must be text, found a number"),
        (
            _entry(questions="questions: is tea good"),
            4,
            "'questions' of entry 'tea' must be a list",
        ),
        (
            _entry(questions="questions:\n      - is tea good\n      - 7"),
            6,
            "item 2 of 'questions'",
        ),
        (_entry(answer="anwser: Tea is fine."), 7, "unknown field 'anwser' in entry 'tea'"),
        (_entry(answer="answer: " + "x" * 901), 7, "901 characters"),
        (_entry(source="source: https://example.org"), 8, "must have 'url:'"),
        (_entry(source="source:\n      link: https://x.org"), 9, "unknown field 'link'"),
        (_entry(source="source:\n      url: example.org"), 9, "must start with https://"),
        (_entry(answer="answer: a\n    answer: b"), 8, "field 'answer' is given twice"),
        (_entry(answer="answer: a\n    related: [nowhere]"), 8, "no entry has that id"),
        ("facts:\n  - id: tea\n", 1, "unknown top-level key 'facts'"),
        ("", 1, "file is empty"),
        ("entries:\n  - just text\n", 2, "entry 1 must be a set of fields"),
    ],
)
def test_each_mistake_is_reported_with_file_and_line(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    problems = _problems(tmp_path, {"facts.yaml": text})
    assert any(fragment in p.message for p in problems), problems
    hit = next(p for p in problems if fragment in p.message)
    assert (Path(hit.file).name, hit.line) == ("facts.yaml", line)


def test_duplicate_id_names_both_places(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {"a.yaml": _entry(), "b.yaml": _entry()})
    assert len(problems) == 1
    assert problems[0].file.endswith("b.yaml") and problems[0].line == 2
    assert "duplicate id 'tea' (first defined at " in problems[0].message
    assert "a.yaml:2)" in problems[0].message


def test_same_phrasing_under_two_ids_is_reported(tmp_path: Path) -> None:
    other = _entry(id="id: coffee", questions="questions:\n      - Is TEA good?!")
    problems = _problems(tmp_path, {"a.yaml": _entry(), "b.yaml": other})
    assert [(Path(p.file).name, p.line) for p in problems] == [("b.yaml", 5)]
    assert "also listed under 'tea'" in problems[0].message


def test_synonym_listed_under_two_words_is_reported(tmp_path: Path) -> None:
    synonyms = "synonyms:\n  tea: [cuppa]\n  coffee: [cuppa]\n"
    problems = _problems(tmp_path, {"a.yaml": _entry(), "s.yaml": synonyms})
    assert [(Path(p.file).name, p.line) for p in problems] == [("s.yaml", 3)]
    assert "synonym of both 'tea'" in problems[0].message


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    broken = _entry(id="id: Bad Id", answer="answer:")
    with pytest.raises(DataError) as caught:
        load_knowledge(write_files(tmp_path / "kb", {"a.yaml": broken, "b.yaml": "oops: 1\n"}))
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 3
    assert str(caught.value).count("\n") == 2


def test_missing_folder_is_a_problem(tmp_path: Path) -> None:
    problems = validate_knowledge(tmp_path / "absent")
    assert [p.message for p in problems] == ["knowledge folder not found"]


def test_kb_check_exit_codes(
    good_kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "check", str(good_kb_dir)]) == 1  # the bot cannot run without a check
    assert "no triage file" in capsys.readouterr().out
    shutil.copy(REAL_TRIAGE, good_kb_dir / "triage.yaml")
    assert main(["kb", "check", str(good_kb_dir)]) == 0
    assert capsys.readouterr().out.startswith("OK: 2 entries, 5 questions, 4 synonyms")

    bad = write_files(tmp_path / "bad", {"a.yaml": _entry(title="title: 42")})
    assert main(["kb", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad / 'a.yaml'}:3: field 'title' of entry 'tea' must be text" in out


def test_kb_check_reads_knowledge_dir_from_environment(
    good_kb_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(REAL_TRIAGE, good_kb_dir / "triage.yaml")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(good_kb_dir))
    assert main(["kb", "check"]) == 0
    assert "OK" in capsys.readouterr().out


def test_synonyms_file_alone_is_not_enough(tmp_path: Path) -> None:
    directory = write_files(tmp_path / "kb", {"s.yaml": GOOD_SYNONYMS})
    assert [p.message for p in validate_knowledge(directory)] == [
        "no entries found (expected *.yaml files with 'entries:')"
    ]


def test_offers_check_must_be_true_or_false(tmp_path: Path) -> None:
    entry = _entry(title="title: Tea\n    offers_check: maybe")
    problems = _problems(tmp_path, {"a.yaml": entry})
    assert [(p.line, p.message) for p in problems] == [
        (4, "'offers_check' of entry 'tea' must be true or false, found text")
    ]


def test_offers_check_is_read_from_the_entry(tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "kb", {"a.yaml": _entry(title="title: Tea\n    offers_check: true")}
    )
    assert load_knowledge(folder).entries["tea"].offers_check is True
