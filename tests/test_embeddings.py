"""The packaged sentence embeddings load offline and give unit vectors that mean something."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.semantic import embeddings
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
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    calls: list[Path] = []
    real_load = embeddings.load_model

    def empty_folder(folder: Path) -> embeddings.Model:
        calls.append(folder)
        return real_load(tmp_path)  # no weights there

    monkeypatch.setattr(embeddings, "load_model", empty_folder)
    embedder = Embedder()
    for _ in range(3):
        with pytest.raises(EmbeddingsUnavailable):
            embedder.embed(["my back hurts"])
    assert len(calls) == 1
    warnings = [r for r in caplog.records if "meaning signals off" in r.getMessage()]
    assert len(warnings) == 1


def test_vectors_are_the_packages_own_bit_for_bit() -> None:
    """Reading the package's files directly and embedding text by text changes no number the
    matcher compares: the package's own batch (padded to the longest text) gives the same."""
    from wordllama import WordLlama

    package = WordLlama.load(
        config=embeddings.CONFIG,
        dim=DIM,
        cache_dir=embeddings.package_folder(),
        disable_download=True,
    )
    texts = [
        "why does my back ache",
        "",
        "I have had the flu for a week, is that normal?",
        "Cytokines: do they make my muscles sore?",
        "my lower back has hurt for three days since the fever started and nothing helps",
        "y r u sick",
    ]
    for batch in (texts[:1], texts[:3], texts):  # a message's few texts, an entry's many
        ours = shared_embedder().embed(batch)
        pooled = np.asarray(package.embed(batch, norm=False), dtype=np.float32)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        theirs = np.divide(pooled, norms, out=np.zeros_like(pooled), where=norms > 0)
        assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("cache", [embeddings.WORD_CACHE, 3])
def test_ids_looked_up_word_by_word_are_the_tokenizers_own(
    monkeypatch: pytest.MonkeyPatch, cache: int
) -> None:
    """Each word is encoded once and a message's asks reuse its words' ids: the ids are those
    of encoding the whole text, whatever its spacing or symbols, and with a cache that keeps
    emptying as well."""
    monkeypatch.setattr(embeddings, "WORD_CACHE", cache)
    model = embeddings.load_model(embeddings.package_folder())
    assert model.by_word
    texts = [
        "I'm 34, flu since Tuesday, my back is killing me. Why does being sick make my back ache?",
        "Why does being sick make my back ache?",
        "two  spaces",
        " leading",
        "trailing ",
        "line\nbreak and\ttab",
        "<s> special </s> <unk>",
        "café naïve 日本語 😀 ...?!",
        "\u2581marked",
        "",
        " ",
    ]
    for text in texts * 2:  # the second time from words already seen
        whole = model.tokenizer.encode(text, add_special_tokens=False).ids
        assert embeddings.token_ids(model, text) == whole
