"""The packaged sentence embeddings load offline and give unit vectors that mean something."""

from __future__ import annotations

import numpy as np

from bot.semantic.embeddings import DIM, shared_embedder


def test_vectors_are_unit_length_and_empty_text_is_zero() -> None:
    vectors = shared_embedder().embed(["my back aches with the flu", "", "   "])
    assert vectors.shape == (3, DIM)
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-5
    assert not np.isnan(vectors).any()
    assert float(np.linalg.norm(vectors[1])) == 0.0


def test_related_sentences_are_closer_than_unrelated_ones() -> None:
    embedder = shared_embedder()
    near = embedder.similarity(
        "why does my back hurt when i have the flu", "sore back from a cold"
    )
    far = embedder.similarity("why does my back hurt when i have the flu", "best pizza in town")
    assert near > far
