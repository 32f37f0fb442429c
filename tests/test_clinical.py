"""The one red-flag catalogue agrees with the clinical reference and with the check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.clinical.catalogue import CATALOGUE, load_catalogue
from bot.clinical.levels import Level
from bot.knowledge.model import DataError
from bot.safety.emergency import EMERGENCY_FLAGS
from bot.triage.loader import load_triage

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "red-flags.md"
"""A copy of shared/red-flags.md, kept in the repository so CI can read it."""
_ROW = re.compile(r"^\| `([a-z_]+)` \|[^|]*\| ([a-z_]+)")


def reference_levels() -> dict[str, str]:
    """code -> level from the reference's Flags table (the first word of the level column)."""
    rows = [_ROW.match(line) for line in REFERENCE.read_text(encoding="utf-8").splitlines()]
    return {m.group(1): m.group(2) for m in rows if m}


def test_reference_table_is_read() -> None:
    assert len(reference_levels()) >= 30


@pytest.mark.parametrize(("code", "level"), sorted(reference_levels().items()))
def test_every_reference_flag_is_in_the_catalogue_with_its_level(code: str, level: str) -> None:
    assert code in CATALOGUE.flags
    assert CATALOGUE.level(code) is Level(level)


def test_the_catalogue_has_no_red_flag_the_reference_lacks() -> None:
    assert CATALOGUE.red_flags == set(reference_levels())


def test_free_text_interrupts_for_emergency_and_crisis_codes() -> None:
    assert CATALOGUE.level("self_harm") is Level.CRISIS
    assert "self_harm" in EMERGENCY_FLAGS
    assert "high_fever" not in EMERGENCY_FLAGS
    assert CATALOGUE.codes_at(Level.EMERGENCY) <= EMERGENCY_FLAGS


def test_combinations_use_known_codes_and_raise_the_level() -> None:
    by_id = {c.id: c for c in CATALOGUE.combinations}
    assert by_id["immune_fever"].level is Level.EMERGENCY
    assert by_id["pregnancy"].destination == "maternity"
    for combo in CATALOGUE.combinations:
        assert combo.codes <= set(CATALOGUE.flags)


def test_a_broken_catalogue_is_refused_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "flags.yaml"
    path.write_text(
        "flags:\n"
        "  - code: breathing\n"
        "    level: very_bad\n"
        "    words: x\n"
        "    says: x\n"
        "    question: q\n"
        "modifiers: []\n"
        "combinations:\n"
        "  - id: c\n"
        "    all: [nope]\n"
        "    level: urgent\n"
        "    why: y\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_catalogue(path)
    lines = {(p.line, p.message.split(":")[0]) for p in err.value.problems}
    assert any(line == 3 for line, _ in lines), err.value
    assert any(
        line == 10 and "unknown code" in str(p) for p in err.value.problems for line in [p.line]
    )


def test_every_code_is_screened_by_the_question_the_catalogue_names() -> None:
    t = load_triage(ROOT / "knowledge" / "triage.yaml")
    screened = {code: qid for qid, q in t.questions.items() for code in q.flags}
    for code, flag in CATALOGUE.flags.items():
        if flag.level is Level.SELFCARE:
            continue
        assert screened.get(code) == flag.question, code
