"""The triage loader refuses unsound checks and says where each problem is."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.clinical.catalogue import CATALOGUE
from bot.clinical.levels import Level
from bot.knowledge.model import DataError, Problem
from bot.triage.loader import find_triage_file, load_triage

REAL_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "triage.yaml"

HEAD = """\
triage:
  version: "1"
  date: 2026-01-01
  unsure_note: "If it gets worse, call {emergency}."
  questions:
"""
WHO = """\
    - id: who
      text: Who is it for?
      choices:
        - {id: me, label: Me}
        - {id: pregnant, label: Me (pregnant), flags: [pregnant]}
        - {id: baby, label: A baby, floor: urgent, why: Babies are seen today.}
"""
E1 = """\
    - id: infant_fever
      for: [baby]
      flags: [infant_fever]
      text: Baby fever?
    - id: cauda_equina
      for: [me, pregnant]
      flags: [saddle_numbness, bladder_bowel, sexual_dysfunction, leg_numbness_both, leg_weakness]
      unsure_destination: emergency_department
      text: Nerves?
"""
E2 = """\
    - id: sudden
      flags: [breathing, chest_pain, aortic, major_trauma]
      text: Emergency two?
      text_for:
        baby: Baby emergency two?
    - id: very_unwell
      flags: [confusion, seizure, sepsis_signs, rash_no_fade, stiff_neck]
      text: Emergency three?
"""
C1 = """\
    - id: self_harm
      flags: [self_harm]
      text: Crisis?
    - id: overdose
      after: self_harm
      flags: [overdose_or_injury]
      text: Overdose?
"""
U1 = """\
    - id: immune
      flags: [infection_risk]
      text: Immune?
    - id: immune_fever
      after: immune
      flags: [fever]
      text: Fever?
    - id: urgent_signs
      flags: [high_fever, urinary_symptoms, severe_pain, fainting, minor_injury, cancer_history]
      text: Urgent?
"""
G1 = """\
    - id: gp_signs
      flags: [leg_numbness_one, night_pain, weight_loss, persistent, osteoporosis]
      text: GP?
"""
OUTCOMES = """\
  destinations:
    emergency_department:
      emergency: "ED now; {emergency}."
      urgent_now: "ED today; {emergency}."
    cancer_hotline:
      emergency: "Hotline or {emergency}."
      urgent_now: "Hotline or {nurse_line}."
    maternity:
      urgent: "Maternity unit; {nurse_line}."
  outcomes:
    emergency: {text: Emergency., action: "Call {emergency} now."}
    crisis: {text: Kind words., action: "Call {crisis_line}.", after: "Danger: {emergency}."}
    urgent_now: {text: Unsure., action: "Now: {nurse_line}."}
    urgent: {text: Urgent., action: "See a doctor today; {nurse_line}."}
    gp: {text: GP., action: Book a GP appointment in the next few days.}
    selfcare: {text: Self-care., action: Rest and keep warm.}
"""


def doc(*questions: str, outcomes: str = OUTCOMES, head: str = HEAD) -> str:
    return head + "".join(questions or (WHO, E1, E2, C1, U1, G1)) + outcomes


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth - 1]


def problems_for(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "triage.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_triage(path)
    assert all(p.file == str(path) for p in err.value.problems)
    return err.value.problems


def assert_problem(problems: list[Problem], line: int, words: str) -> None:
    found = [p for p in problems if words in p.message]
    assert found, f"no problem mentioning {words!r} in {[str(p) for p in problems]}"
    assert line in {p.line for p in found}, [str(p) for p in found]


def test_minimal_valid_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "triage.yaml"
    path.write_text(doc(), encoding="utf-8")
    t = load_triage(path)
    assert t.order[:3] == ("who", "infant_fever", "cauda_equina")
    assert t.question("urgent_signs").level is Level.URGENT
    assert t.question("gp_signs").line == line_of(doc(), "id: gp_signs")
    assert t.question("who").choice("baby") is not None
    assert t.question("sudden").text_for("baby") == "Baby emergency two?"
    assert t.question("overdose").after == "self_harm"
    assert set(t.outcomes) == set(Level)


def test_real_file_loads_and_screens_every_code() -> None:
    t = load_triage(REAL_FILE)
    screened = [code for qid in t.order for code in t.question(qid).flags]
    assert sorted(screened) == sorted(CATALOGUE.flags)
    assert "CLINICIAN'S REVIEW" in REAL_FILE.read_text(encoding="utf-8").split("triage:")[0]
    for q in t.questions.values():
        for text in (q.text, *q.texts.values()):
            assert text and len(text) < 700


def test_version_changes_with_content(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(doc(), encoding="utf-8")
    b.write_text(doc().replace("Urgent?", "Urgent now?"), encoding="utf-8")
    assert load_triage(a).version != load_triage(b).version


def test_bad_yaml(tmp_path: Path) -> None:
    text = doc().replace("text: GP?", "text: GP: really?")
    assert_problem(problems_for(tmp_path, text), line_of(text, "GP: really"), "bad YAML")


def test_not_a_triage_file(tmp_path: Path) -> None:
    assert_problem(problems_for(tmp_path, "entries: []\n"), 1, "top-level key `triage:`")


def test_unknown_flag_code(tmp_path: Path) -> None:
    text = doc().replace("weight_loss, persistent", "weight_loss, persistant")
    problems = problems_for(tmp_path, text)
    assert_problem(problems, line_of(text, "persistant"), "unknown flag code")
    assert_problem(problems, line_of(text, "questions:"), "`persistent`")


def test_question_mixing_levels(tmp_path: Path) -> None:
    text = doc().replace("severe_pain, fainting, minor_injury, cancer_history]", "severe_pain]")
    text = text.replace("persistent, osteoporosis]", "persistent, osteoporosis, cancer_history]")
    problems = problems_for(tmp_path, text)
    assert_problem(problems, line_of(text, "osteoporosis, cancer_history"), "mix levels")


def test_code_screened_twice(tmp_path: Path) -> None:
    text = doc().replace("[self_harm]", "[self_harm, chest_pain]")
    assert_problem(problems_for(tmp_path, text), line_of(text, "self_harm, chest"), "already")


def test_questions_out_of_severity_order(tmp_path: Path) -> None:
    text = doc(WHO, E1, E2, C1, G1, U1)
    assert_problem(problems_for(tmp_path, text), line_of(text, "id: immune"), "more severe")


def test_follow_up_must_come_after_its_question(tmp_path: Path) -> None:
    text = doc().replace("after: immune", "after: gp_signs")
    assert_problem(problems_for(tmp_path, text), line_of(text, "after: gp_signs"), "earlier")


def test_for_names_a_choice_of_the_first_question(tmp_path: Path) -> None:
    text = doc().replace("for: [baby]", "for: [babby]")
    problems = problems_for(tmp_path, text)
    assert_problem(problems, line_of(text, "id: infant_fever"), "`babby` is not a choice")


def test_every_destination_an_outcome_can_reach_has_words(tmp_path: Path) -> None:
    text = doc().replace('      urgent: "Maternity unit; {nurse_line}."\n', "")
    problems = problems_for(tmp_path, text)
    assert_problem(problems, line_of(text, "destinations:"), "`maternity` needs an action")


def test_unreachable_question(tmp_path: Path) -> None:
    text = doc(WHO, E1, E2, C1 + "      next: gp_signs\n", U1, G1)
    assert_problem(problems_for(tmp_path, text), line_of(text, "id: immune"), "never asked")


def test_loop(tmp_path: Path) -> None:
    text = doc(WHO, E1, E2, C1, U1, G1 + "      next: sudden\n")
    assert_problem(problems_for(tmp_path, text), line_of(text, "next: sudden"), "loop")


def test_path_ending_without_outcome(tmp_path: Path) -> None:
    text = doc(WHO, E1, E2, C1, U1, G1 + "      next: nowhere\n")
    problems = problems_for(tmp_path, text)
    assert_problem(problems, line_of(text, "next: nowhere"), "without an outcome")


def test_missing_outcome(tmp_path: Path) -> None:
    outcomes = "\n".join(line for line in OUTCOMES.splitlines() if "selfcare" not in line)
    text = doc(outcomes=outcomes + "\n")
    assert_problem(problems_for(tmp_path, text), line_of(text, "outcomes:"), "`selfcare`")


def test_outcome_missing_action(tmp_path: Path) -> None:
    text = doc().replace(
        "{text: GP., action: Book a GP appointment in the next few days.}", "{text: GP.}"
    )
    assert_problem(problems_for(tmp_path, text), line_of(text, "gp: {"), "missing `action`")


def test_missing_question_text(tmp_path: Path) -> None:
    text = doc(WHO, E1, E2, C1, U1.replace("      text: Urgent?\n", ""), G1)
    assert_problem(problems_for(tmp_path, text), line_of(text, "id: urgent_signs"), "missing")


def test_empty_question_text(tmp_path: Path) -> None:
    text = doc().replace("text: Urgent?", 'text: "  "')
    assert_problem(problems_for(tmp_path, text), line_of(text, 'text: "  "'), "non-empty")


def test_duplicate_ids(tmp_path: Path) -> None:
    text = doc(WHO, E1, E2.replace("id: sudden", "id: cauda_equina"), C1, U1, G1)
    problems = problems_for(tmp_path, text)
    assert_problem(problems, line_of(text, "id: cauda_equina", nth=2), "duplicate id")


def test_unknown_placeholder(tmp_path: Path) -> None:
    text = doc().replace("Call {crisis_line}", "Call {police}")
    assert_problem(problems_for(tmp_path, text), line_of(text, "{police}"), "{police}")


def test_placeholder_in_question_text(tmp_path: Path) -> None:
    text = doc().replace("text: GP?", 'text: "GP? call {emergency}"')
    assert_problem(problems_for(tmp_path, text), line_of(text, "GP? call"), "only filled")


def test_unscreened_red_flag(tmp_path: Path) -> None:
    text = doc(WHO, E1, E2, U1, G1)
    assert_problem(problems_for(tmp_path, text), line_of(text, "questions:"), "`self_harm`")


def test_misspelt_key_is_reported(tmp_path: Path) -> None:
    text = doc().replace("      text: Urgent?", "      txt: Urgent?")
    problems = problems_for(tmp_path, text)
    assert_problem(problems, line_of(text, "txt: Urgent?"), "unknown key `txt`")


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    text = doc().replace("      text: GP?", "      text: GP?\n      text: Doctor?")
    assert_problem(problems_for(tmp_path, text), line_of(text, "text: Doctor?"), "twice")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = doc(WHO, E1, E2.replace("id: sudden", "id: cauda_equina"), C1, U1, G1)
    text = text.replace("{crisis_line}", "{x}")
    messages = " ".join(p.message for p in problems_for(tmp_path, text))
    assert "duplicate id" in messages
    assert "{x}" in messages


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        load_triage(tmp_path / "missing.yaml")


def test_find_triage_file_picks_the_triage_file(tmp_path: Path) -> None:
    (tmp_path / "a_entries.yaml").write_text("entries: []\n", encoding="utf-8")
    (tmp_path / "b_check.yaml").write_text(doc(), encoding="utf-8")
    assert find_triage_file(tmp_path) == tmp_path / "b_check.yaml"


def test_find_triage_file_none(tmp_path: Path) -> None:
    (tmp_path / "entries.yaml").write_text("entries: []\n", encoding="utf-8")
    assert find_triage_file(tmp_path) is None


def test_find_triage_file_still_finds_a_broken_one(tmp_path: Path) -> None:
    """A typo must surface as an error, not make the check quietly disappear."""
    (tmp_path / "check.yaml").write_text(doc().replace("GP?", "GP: x?"), encoding="utf-8")
    found = find_triage_file(tmp_path)
    assert found is not None
    with pytest.raises(DataError):
        load_triage(found)
