"""Crises told about someone else, made from first-person training rows (bot.safety.reported)."""

from __future__ import annotations

import random

from bot.safety.learned import CRISIS_CODES
from bot.safety.reported import (
    CALMS,
    CRISES,
    OUT,
    generated,
    render,
    report,
    third_person,
)


def test_the_shipped_file_is_what_the_script_writes() -> None:
    # The detector trains on the file: an edit by hand (or a training file changed without
    # rerunning `python -m bot.safety.reported`) would make the models unreproducible.
    assert OUT.read_text(encoding="utf-8") == render(generated())


def test_the_speaker_becomes_someone_else_with_the_verb_agreeing() -> None:
    assert third_person("i want to die", "she") == "she wants to die"
    assert third_person("i just wish i could sleep forever", "he") == (
        "he just wishes he could sleep forever"
    )
    assert third_person("im a burden to my family", "they") == "theyre a burden to their family"
    assert third_person("i dont want to be here, leave me", "he") == (
        "he doesnt want to be here, leave him"
    )
    assert third_person("i'm done, i took all my pills", "he", lead="my brother") == (
        "my brother is done, he took all his pills"
    )


def test_crises_and_calm_rows_are_framed_alike_and_keep_their_label() -> None:
    rows = generated()
    crises = [m for c, m in rows if c in CRISIS_CODES]
    calm = [m for c, m in rows if not c]
    assert (len(crises), len(calm)) == (CRISES, CALMS)
    # "Someone else" must not be a crisis word: calm rows are told by the same people.
    for told in (crises, calm):
        assert (
            sum(m.lower().startswith(("my ", "a ", "one ", "our ")) for m in told) > len(told) // 2
        )


def test_a_first_person_crisis_reads_as_reported_speech() -> None:
    pick = random.Random(3)
    told = {report("self_harm", "i want to kill myself tonight", pick) for _ in range(40)}
    assert any("told me" in t or "keeps saying" in t or "said" in t for t in told)
    quoted = [t for t in told if any(q in t for q in ("'", '"', ":"))]
    assert quoted and len(quoted) < len(told) // 2
    assert all("i want to kill myself" not in t for t in told if t not in quoted)
