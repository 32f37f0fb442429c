"""Standard spelling before the learned safety signals (`bot.safety.spelling`): a writer in
dialect or text-speak is read as the same words the detector learned, and nothing else moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety.learned import normalise
from bot.safety.neighbours import clauses
from bot.safety.spelling import MAX_WORDS, SPELLING_PATH, standard, word_map
from bot.text import fold


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("Mi nuh waan be here", "i dont want be here"),
        ("a cannae dae this nae mair", "a cant do this no more"),
        ("I'm fixin to end it, y'all", "im going to end it, you all"),
        ("wanna kms rn", "want to kms right now"),
        ("i wood be better of dead", "i would be better off dead"),
        ("im sooooo tiiiired", "im soo tiired"),
    ],
)
def test_dialect_and_text_speak_read_as_standard_english(typed: str, plain: str) -> None:
    assert standard(fold(typed)) == plain


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("thinking about s*icide", "thinking about suicide"),
        ("want to k*ll myself", "want to kill myself"),
        ("su1c1de again", "suicide again"),
    ],
)
def test_disguised_words_are_restored(typed: str, plain: str) -> None:
    assert standard(fold(typed)) == plain


@pytest.mark.parametrize(
    "text",
    [
        "took 2 x 500mg at 3pm, covid19 since the 14th",
        "my neck is stiff like wood",
        "nah, i'm fine thanks",
        "d*mn this back",  # no disguised crisis word fits: only the stars go
    ],
)
def test_numbers_units_and_ordinary_words_are_left_alone(text: str) -> None:
    out = standard(fold(text))
    for kept in ("500mg", "3pm", "covid19", "14th", "wood", "nah"):
        assert (kept in out) == (kept in fold(text))
    assert "*" not in out


def test_the_learned_detector_and_the_neighbours_read_dialect_as_its_standard_form() -> None:
    assert normalise("Mi nuh waan live, mi tek di pills dem") == normalise(
        "i dont want live, i take the pills them"
    )
    assert clauses("Ma heid is wrecked")[0] == "my head is wrecked"
    # negation still reaches the words after a dialect negative
    assert "n_want" in normalise("a dinnae want tae be here")


def test_every_map_line_is_a_folded_word_or_pair_and_changes_something() -> None:
    words = word_map()
    assert len(words) > 200
    for variant, plain in words.items():
        assert variant == fold(variant) and variant != plain
        assert 1 <= len(variant.split()) <= MAX_WORDS


def test_a_malformed_map_line_is_refused_with_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "spelling.tsv"
    broken.write_text(
        SPELLING_PATH.read_text(encoding="utf-8") + "one two three four five six seven\tx\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"spelling\.tsv:\d+"):
        word_map(broken)
