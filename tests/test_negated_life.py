"""A negation over living is the wish to die, not a denial: one feature for all its wordings."""

from __future__ import annotations

from bot.safety.learned import NEGATED_LIFE, features, normalise


def test_every_negated_wish_to_live_shares_one_feature() -> None:
    for crisis in (
        "i dont want to be alive anymore",
        "id honestly rather just not wake up tmrw",
        "nothing left to live for",
        "no point living anymore with this pain",
    ):
        assert NEGATED_LIFE in features(normalise(crisis)), crisis


def test_a_denied_crisis_or_a_plain_wish_to_live_has_none() -> None:
    for message in ("im not suicidal, just sore", "i dont want to die", "i want to live"):
        assert NEGATED_LIFE not in features(normalise(message)), message
