"""The phrase rules as reviewed data (`bot/safety/rules/phrases/*.yaml`): what an editor of
those files notices. A bad pattern, an unknown word family, broken YAML or a failing example is
`file:line: message` and the detector (so the bot) will not start; `explain` names the pattern
that fired and the context cue that cancelled a hit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.clinical.catalogue import CATALOGUE
from bot.safety import phrases, rulebook
from bot.safety.emergency import EMERGENCY_FLAGS, EmergencyDetector


@pytest.fixture
def phrases_copy(tmp_path: Path) -> Path:
    target = tmp_path / "phrases"
    shutil.copytree(phrases.PHRASES_DIR, target)
    return target


def _line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of `path` containing `needle`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _replace_line(path: Path, number: int, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_phrase_flag_is_a_catalogue_code_with_examples_both_ways() -> None:
    book = phrases.load(codes=frozenset(CATALOGUE.flags))
    assert set(book.flags) <= EMERGENCY_FLAGS
    covered = set(book.flags) | {"stiff_neck"} | set(rulebook.load().flags)
    assert covered >= EMERGENCY_FLAGS
    for code in [*book.flags, "stiff_neck", "severe_pain"]:
        kinds = {ex.must for ex in book.examples if ex.code == code}
        assert kinds == {True, False}, code


def test_a_code_outside_the_catalogue_is_refused(phrases_copy: Path) -> None:
    path = phrases_copy / "trauma.yaml"
    _replace_line(path, _line_of(path, "major_trauma:"), "major_traumaa:")
    with pytest.raises(rulebook.RulesError) as err:
        phrases.load(phrases_copy, codes=frozenset(CATALOGUE.flags))
    assert "phrases/trauma.yaml:" in str(err.value) and "'major_traumaa'" in str(err.value)


def test_a_bad_pattern_stops_the_detector_with_file_and_line(phrases_copy: Path) -> None:
    path = phrases_copy / "trauma.yaml"
    number = _line_of(path, "    - '(?:rtc|mva")
    _replace_line(path, number, "    - '(?:rtc|mva unclosed'")
    book = phrases.load(phrases_copy)  # patterns are compiled by the engine, once
    with pytest.raises(rulebook.RulesError) as err:
        EmergencyDetector(learned=False, phrase_book=book)
    assert f"phrases/trauma.yaml:{number}: bad pattern" in str(err.value)


def test_an_unknown_word_family_is_reported_where_it_is_used(phrases_copy: Path) -> None:
    path = phrases_copy / "cauda_equina.yaml"
    number = _line_of(path, "{AREA} ~3 {BE}")
    text = path.read_text(encoding="utf-8").splitlines()[number - 1]
    _replace_line(path, number, text.replace("{AREA}", "{AREAS}", 1))
    with pytest.raises(rulebook.RulesError) as err:
        phrases.load(phrases_copy)
    assert f"phrases/cauda_equina.yaml:{number}: unknown word family {{AREAS}}" in str(err.value)


def test_a_failing_example_stops_the_detector_with_file_and_line(phrases_copy: Path) -> None:
    path = phrases_copy / "breathing_chest.yaml"
    number = _line_of(path, "  must_not_match:")  # the first flag's (breathing) list
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(number, "    - 'i literally cannot breathe, lips going blue'")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(rulebook.RulesError) as err:
        EmergencyDetector(learned=False, phrase_book=phrases.load(phrases_copy))
    assert f"phrases/breathing_chest.yaml:{number + 1}: must_not_match example matched as" in (
        str(err.value)
    )


def test_broken_yaml_is_reported_with_its_line(phrases_copy: Path) -> None:
    (phrases_copy / "collapse.yaml").write_text("confusion:\n  personal: [unclosed\n")
    with pytest.raises(rulebook.RulesError) as err:
        phrases.load(phrases_copy)
    assert re.search(r"phrases/collapse\.yaml:\d+: not valid YAML", str(err.value))


def test_explain_names_the_phrase_line_and_the_cue_that_cancelled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli_main(["safety", "explain", "no chest pain, but I can't feel my bum"]) == 0
    out = capsys.readouterr().out
    cancelled = re.search(
        r"phrase phrases/(\w+\.yaml):(\d+) \[chest_pain\] matched 'chest pain' -> cancelled by "
        r"negation_cues cue phrases/context\.yaml:(\d+)",
        out,
    )
    assert cancelled is not None, out
    fired = re.search(r"phrase phrases/(\w+\.yaml):(\d+) \[saddle_numbness\] .* -> counts", out)
    assert fired is not None, out
    # The lines named are the pattern and the cue themselves.
    lines = (phrases.PHRASES_DIR / cancelled[1]).read_text(encoding="utf-8").splitlines()
    assert "CHEST" in lines[int(cancelled[2]) - 1].upper()
    context = (phrases.PHRASES_DIR / "context.yaml").read_text(encoding="utf-8").splitlines()
    assert context[int(cancelled[3]) - 1].lstrip().startswith("negation_cues:")
    assert "answer: ['saddle_numbness']" in out


@pytest.mark.slow
def test_the_bot_refuses_to_start_on_a_broken_phrase_file(tmp_path: Path) -> None:
    """`python -m bot run` on a copy of the package with one bad pattern: exit status 2 and
    the problem as file:line, no traceback."""
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "bot", tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    path = tmp_path / "bot" / "safety" / "rules" / "phrases" / "trauma.yaml"
    number = _line_of(path, "    - '(?:rtc|mva")
    _replace_line(path, number, "    - '(unclosed'")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(tmp_path),
        "KNOWLEDGE_DIR": str(root / "knowledge"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--env-file", os.devnull],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert f"phrases/trauma.yaml:{number}: bad pattern" in done.stderr
    assert "Traceback" not in done.stderr
