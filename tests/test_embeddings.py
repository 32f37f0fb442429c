"""The packaged sentence embeddings load offline and give unit vectors that mean something."""

from __future__ import annotations

import numpy as np
import pytest

from bot.semantic.embeddings import DIM, Embedder, EmbeddingsUnavailable, shared_embedder


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


def test_missing_weights_are_reported_once_and_not_retried_per_message(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import wordllama

    calls: list[object] = []

    def broken(*args: object, **kwargs: object) -> None:
        calls.append(kwargs)
        raise FileNotFoundError("l2_supercat_256.safetensors")

    monkeypatch.setattr(wordllama.WordLlama, "load", broken)
    embedder = Embedder()
    for _ in range(3):
        with pytest.raises(EmbeddingsUnavailable):
            embedder.embed(["my back hurts"])
    assert len(calls) == 1
    warnings = [r for r in caplog.records if "meaning signals off" in r.getMessage()]
    assert len(warnings) == 1


def test_vectors_are_the_packages_own_bit_for_bit() -> None:
    """Embedding text by text (the fast path) changes no number the matcher compares."""
    embedder = shared_embedder()
    texts = ["why does my back ache", "", "I have had the flu for a week, is that normal?"]
    ours = embedder.embed(texts)  # a message's few texts: embedded one by one
    pooled = np.asarray(embedder._load().embed(texts, norm=False), dtype=np.float32)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    theirs = np.divide(pooled, norms, out=np.zeros_like(pooled), where=norms > 0)
    assert np.array_equal(ours, theirs)
