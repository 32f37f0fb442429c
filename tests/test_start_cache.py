"""What the safety detectors keep between starts (example passes, compiled regex programs):
an admin's changed or broken rule file must still stop the start with `file:line`, however
warm the cache, and a kept program must behave as the pattern compiled afresh."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.safety import phrases, proven, rulebook
from bot.safety.emergency import EmergencyDetector
from bot.safety.programs import Programs


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("YAML_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rulebook.RULES_DIR, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_pass_is_recorded_for_these_files_and_code_only(cache: Path, rules_copy: Path) -> None:
    digest = proven.key("rule files", rules_copy)
    assert not proven.passed(digest)
    rulebook.load(rules_copy)
    assert proven.passed(digest)
    _replace(rules_copy / "overdose.yaml", "swallowed all my sleeping pills", "swallowed all")
    assert proven.key("rule files", rules_copy) != digest


def test_an_example_broken_after_a_recorded_pass_still_stops_the_start(
    cache: Path, rules_copy: Path
) -> None:
    rulebook.load(rules_copy)  # passes, and is recorded
    _replace(
        rules_copy / "overdose.yaml",
        "    - swallowed all my sleeping pills\n",
        "    - swallowed all my sleeping pills\n    - my back hurts a bit\n",
    )
    with pytest.raises(rulebook.RulesError) as caught:
        rulebook.load(rules_copy)
    assert any(
        p.startswith("overdose.yaml:")
        and "must_match example not matched" in p
        and "my back hurts a bit" in p
        for p in caught.value.problems
    )


def test_a_bad_pattern_fails_at_start_with_every_program_kept(
    cache: Path, rules_copy: Path
) -> None:
    rulebook.load(rules_copy)  # every pattern compiled and kept, the examples recorded
    programs = Programs()
    for rule in rulebook.load(rules_copy).rules:
        if rule.regex is not None:
            programs.compile(rule.regex.pattern)
    programs.save()
    _replace(
        rules_copy / "overdose.yaml", "pattern: (?:overdosed|oded|", "pattern: (?:overdosed|(oded|"
    )
    with pytest.raises(rulebook.RulesError) as caught:
        rulebook.load(rules_copy)
    assert any(
        p.startswith("overdose.yaml:") and "bad pattern" in p for p in caught.value.problems
    )


def test_a_kept_program_matches_as_the_pattern_compiled_afresh(cache: Path) -> None:
    pattern = (
        r"(?<![a-z0-9])(?:(?P<personal>cant feel (?:my )?legs)|(?P<nominal>numb(?:ness)?))(?= )"
    )
    first = Programs()
    fresh = first.compile(pattern)
    first.save()
    kept = Programs().compile(pattern)
    assert kept is not fresh
    text = "i cant feel my legs and numbness in my feet "
    for regex in (kept, re.compile(pattern)):
        assert [(m.span(), m.lastgroup) for m in regex.finditer(text)] == [
            (m.span(), m.lastgroup) for m in fresh.finditer(text)
        ]
        assert (regex.pattern, regex.groups, dict(regex.groupindex)) == (
            fresh.pattern,
            fresh.groups,
            dict(fresh.groupindex),
        )


def test_a_damaged_kept_program_is_compiled_again(cache: Path) -> None:
    pattern = r" (?:chest (?:pain|tightness))(?= )"
    first = Programs()
    first.compile(pattern)
    first.save()
    for record in cache.glob("*.json"):
        data = json.loads(record.read_text(encoding="utf-8"))
        data["value"][pattern][-1] = "AAAA"  # a program no longer valid
        record.write_text(json.dumps(data), encoding="utf-8")
    regex = Programs().compile(pattern)
    assert regex.search("bad chest pain now ") is not None
    with pytest.raises(re.error):
        Programs().compile(r" (?:chest (?:pain|tightness)(?= )")


def test_a_changed_phrase_file_with_a_failing_example_is_refused_however_warm_the_cache(
    cache: Path, rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The phrase files' examples, as the bot runs them: a pass is recorded for these files,
    then one file gains an example the rules miss; a kept pass, kept programs, or a damaged
    cache must not let the detector start."""
    monkeypatch.setattr(rulebook, "RULES_DIR", rules_copy)
    monkeypatch.setattr(phrases, "book", lambda: phrases.load(rules_copy / "phrases"))
    EmergencyDetector(learned=False)  # passes: recorded, every program kept
    assert proven.passed(proven.key("phrase examples", rules_copy))
    _replace(
        rules_copy / "phrases" / "collapse.yaml",
        "    - 'my wife is very drowsy and hard to wake'\n",
        "    - 'my wife is very drowsy and hard to wake'\n    - 'my back hurts a bit'\n",
    )
    changed = (rules_copy / "phrases" / "collapse.yaml").read_text(encoding="utf-8")
    line = changed.splitlines().index("    - 'my back hurts a bit'") + 1
    for damaged in (False, True):
        if damaged:  # every kept record unreadable: the examples still run
            for record in cache.glob("*.json"):
                record.write_text("{not json", encoding="utf-8")
        with pytest.raises(rulebook.RulesError) as caught:
            EmergencyDetector(learned=False)
        assert [p for p in caught.value.problems if "my back hurts a bit" in p] == [
            f"phrases/collapse.yaml:{line}: must_match example not matched as confusion: "
            "'my back hurts a bit'"
        ]


def test_a_look_behind_of_varying_width_is_refused_with_its_line(
    cache: Path, rules_copy: Path
) -> None:
    """Caught by the engine's compiler, not its parser: still `file:line`, cold or warm."""
    rulebook.load(rules_copy)  # every program kept
    _replace(
        rules_copy / "overdose.yaml",
        "pattern: (?:overdosed|oded|",
        "pattern: (?<=a|bc)(?:overdosed|oded|",
    )
    for _ in range(2):
        with pytest.raises(rulebook.RulesError) as caught:
            rulebook.load(rules_copy)
        assert any(
            p.startswith("overdose.yaml:") and "look-behind requires fixed-width" in p
            for p in caught.value.problems
        )
