"""`python -m bot ask` and `kb test|lint` as an admin would run them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_files

from bot.cli import main


def _ask(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["ask", *argv]) == 0
    return capsys.readouterr().out


def test_ask_prints_the_answer(good_kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _ask(capsys, "--dir", str(good_kb_dir), "does green tea have caffeine?")
    assert out.startswith("Tea has some caffeine and is fine in moderation.")


def test_ask_admits_it_does_not_know(
    good_kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _ask(capsys, "--dir", str(good_kb_dir), "who won the football")
    assert "don't know" in out
    assert "caffeine" not in out


def test_ask_json_is_one_object(good_kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _ask(capsys, "--json", "--dir", str(good_kb_dir), "how many hours of kip do I need")
    data = json.loads(out)
    assert data["question"] == "how many hours of kip do I need"
    assert data["match"]["id"] == "sleep"
    assert data["match"]["answer"] == "Most adults need seven to nine hours."
    assert 0 <= data["match"]["score"] <= 100
    assert all(set(s) == {"id", "score"} for s in data["suggestions"])


def test_ask_batch_reads_stdin_and_answers_in_order(
    good_kb_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("is green tea healthy\n\nwhy do we dream\n"))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(good_kb_dir))
    lines = _ask(capsys, "-").splitlines()
    answers = [json.loads(line) for line in lines]
    assert [a["question"] for a in answers] == ["is green tea healthy", "", "why do we dream"]
    assert [a["match"] and a["match"]["id"] for a in answers] == ["tea", None, "sleep"]


def test_ask_with_broken_knowledge_reports_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = write_files(tmp_path / "kb", {"a.yaml": "entries: nope\n"})
    assert main(["ask", "--dir", str(broken), "anything"]) == 1
    assert "a.yaml:1: 'entries' must be a list" in capsys.readouterr().err


@pytest.mark.slow
def test_ask_runs_as_a_program(good_kb_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--dir", str(good_kb_dir), "-"],
        input="is green tea healthy\nwhat is the capital of peru\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["match"]["id"] == "tea"
    assert second["match"] is None


def test_kb_test_reports_rates_and_misses(
    good_kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.tsv"
    questions.write_text(
        "question\texpected_id\tkind\n"
        "is green tea healthy\ttea\tparaphrase\n"
        "why do we drem\tsleep\ttypo\n"
        "why do we dream\ttea\tparaphrase\n"
        "who won the football\t\tout_of_scope\n"
    )
    assert main(["kb", "test", str(questions), "--dir", str(good_kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "in-scope top-1 accuracy: 66.7% (2/3)" in out
    assert "typo accuracy:           100.0% (1/1)" in out
    assert "out-of-scope refused:    100.0% (1/1)" in out
    assert "'why do we dream': wanted tea, got sleep" in out
    assert "| threshold |" in out
    # The figures a user sees, for every message and by length.
    assert "| all | 66.7% (2/3) | 66.7% (2/3) | 25.0% (1/4) | 100.0% (1/1) |" in out
    assert "| <=10 words | 66.7% (2/3) |" in out and "| >25 words | - | - | - | - |" in out
    assert "wrong answers (1):" in out


def test_ask_json_says_which_band(good_kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sure = json.loads(_ask(capsys, "--json", "--dir", str(good_kb_dir), "is green tea healthy"))
    assert sure["band"] == "answer" and sure["match"]["id"] == "tea"
    none = json.loads(_ask(capsys, "--json", "--dir", str(good_kb_dir), "capital of peru"))
    assert none["band"] == "none" and none["match"] is None and none["suggestions"] == []


def test_ask_json_hedges_with_suggestions_best_first(capsys: pytest.CaptureFixture[str]) -> None:
    knowledge = str(Path(__file__).resolve().parents[1] / "knowledge")
    out = _ask(capsys, "--json", "--dir", knowledge, "can a wheat bag help my sore knee")
    data = json.loads(out)
    assert data["band"] == "confirm" and data["match"] is None
    scores = [s["score"] for s in data["suggestions"]]
    assert scores and scores == sorted(scores, reverse=True)


def test_kb_lint_warns_about_thin_entries(
    good_kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "lint", str(good_kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "'sleep' has 2 questions" in out
    assert "'sleep' names no reference" in out
    assert "'tea' names no reference" not in out
