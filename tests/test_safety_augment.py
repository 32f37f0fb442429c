"""The learned detector's training-time augmentation (`bot.safety.train_learned.augmented`).

It must keep the shipped model reproducible (the same rows give the same augmented rows), keep
each row's label, and never turn a calm message's negated symptom into a bare one: a calm
"my chest doesn't hurt" reworded into "hurt my chest" and labelled calm would teach the model
that the symptom is calm.
"""

from __future__ import annotations

import random

import pytest

from bot.safety.learned import NEGATIONS, normalise
from bot.safety.train_learned import (
    augmented,
    drop_function_words,
    labelled,
    misspell,
    reorder_clauses,
)

ROWS = [
    ("saddle_numbness", "since this morning i cannot feel the skin when i wipe after the toilet"),
    ("self_harm", "i have been saving up my tablets and i wrote letters for the kids"),
    ("", "my chest doesn't hurt, i am just tired from the flu and my back aches"),
    ("", "is it normal for the back to ache so much with a cold"),
    ("", "how long does the flu last, my whole body is sore and i want to sleep"),
]


def test_the_same_rows_give_the_same_augmented_rows() -> None:
    assert augmented(ROWS) == augmented(list(ROWS))


def test_augmented_rows_keep_the_rows_and_their_labels() -> None:
    out = augmented(ROWS)
    assert out[: len(ROWS)] == ROWS
    assert len(out) > len(ROWS)
    for code, message in out[len(ROWS) :]:
        # a variant or a splice keeps its source row's label: its words come from that row
        sources = [m for c, m in ROWS if c == code]
        assert sources, code
        if code:
            assert any(set(normalise(m)) & set(normalise(message)) for m in sources)


@pytest.mark.parametrize("change", [drop_function_words, reorder_clauses, misspell])
def test_a_negation_and_what_it_negates_stay_together(change: object) -> None:
    """A calm message's variant still reads its symptom negated ("n_hurt"), never bare."""
    message = "my chest doesn't hurt at all, i am just tired"
    for seed in range(30):
        variant = change(message, random.Random(seed))  # type: ignore[operator]
        words = normalise(variant)
        cue = next(i for i, w in enumerate(words) if w in NEGATIONS)
        assert words[cue + 1].startswith("n_"), variant
        assert "hurt" not in words, variant


def test_a_terse_variant_drops_function_words_only() -> None:
    message = "the pain in my back is very bad and i cannot pee since the morning"
    variant = drop_function_words(message, random.Random(0))
    assert len(variant.split()) < len(message.split())
    assert {"pain", "back", "bad", "cannot", "pee", "morning"} <= set(variant.split())


@pytest.mark.slow
def test_every_training_row_is_kept_and_augmentation_about_doubles_the_words() -> None:
    rows = labelled()
    out = augmented(rows)
    assert out[: len(rows)] == rows
    words = sum(len(m.split()) for _, m in rows)
    assert words < sum(len(m.split()) for _, m in out) < 2.5 * words
