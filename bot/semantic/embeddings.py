"""Static sentence embeddings from the weights that the `wordllama` package ships.

A second, meaning-based signal beside word matching: "saved up my tablets" and "hoarding pills"
share no word but lie close together. The weights (16 MB) and the tokenizer are files inside the
installed package; they are loaded from there with downloads disabled, so nothing is fetched at
run time. Embedding a message is a token lookup and a mean, well under a millisecond.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

CONFIG = "l2_supercat"
DIM = 256
Vectors = npt.NDArray[np.float32]
FEW_TEXTS = 4
"""Up to this many texts (a message and its asks) are embedded one by one; more (an entry's
phrasings) go through the package's batch, cheaper per text once there are many."""
_log = logging.getLogger(__name__)


class EmbeddingsUnavailable(RuntimeError):
    """The packaged weights could not be loaded (the package is missing or incomplete)."""


class Embedder:
    """Unit-length sentence vectors; the model is loaded once, on first use, under a lock."""

    def __init__(self) -> None:
        self._model: Any = None
        self._failed: EmbeddingsUnavailable | None = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._failed is not None:  # tried once and logged; not retried per message
                raise self._failed
            if self._model is None:
                try:
                    import wordllama
                    from wordllama import WordLlama
                except ImportError as error:  # pragma: no cover - a broken install
                    raise EmbeddingsUnavailable(f"wordllama is not installed: {error}") from error
                folder = Path(wordllama.__file__).parent
                try:
                    self._model = WordLlama.load(
                        config=CONFIG, dim=DIM, cache_dir=folder, disable_download=True
                    )
                except Exception as error:  # any failure means "no weights"
                    self._failed = EmbeddingsUnavailable(
                        f"wordllama weights not found under {folder}: {error}"
                    )
                    _log.warning("meaning signals off: %s", self._failed)
                    raise self._failed from error
            return self._model

    @property
    def loading(self) -> bool:
        """Another thread is loading the weights right now (a caller on an event loop should
        not wait for it)."""
        return self._model is None and self._failed is None and self._lock.locked()

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One unit-length row per text (an empty text gets a zero row)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        model = self._load()
        vectors = (
            _mean_token_vectors(model, texts)
            if len(texts) <= FEW_TEXTS
            else np.asarray(model.embed(list(texts), norm=False), dtype=np.float32)
        )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts."""
        va, vb = self.embed([a, b])
        return float(va @ vb)


def _mean_token_vectors(model: Any, texts: Sequence[str]) -> Vectors:
    """wordllama's pooled vectors (the mean of each text's token vectors), computed text by
    text: the same numbers as `model.embed(texts, norm=False)`, bit for bit, at about a third
    of the cost for a message's one to four texts (the package pads a batch to its longest
    text and tokenises it on a thread pool, more work than so few texts need)."""
    table = model.embedding
    last = table.shape[0] - 1
    vectors = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for row, text in enumerate(texts):
        ids = model.tokenizer.encode(text, add_special_tokens=False).ids
        if ids:
            tokens = table[ids if max(ids) <= last else np.clip(ids, 0, last)]
            vectors[row] = np.sum(tokens, axis=0, dtype=np.float32) / np.float32(len(ids))
    return vectors


_shared = Embedder()


def shared_embedder() -> Embedder:
    """The process-wide embedder, so the model's 16 MB are loaded once."""
    return _shared
