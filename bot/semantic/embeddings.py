"""Static sentence embeddings from the weights that the `wordllama` package ships.

A second, meaning-based signal beside word matching: "saved up my tablets" and "hoarding pills"
share no word but lie close together. The weights (16 MB) and the tokenizer are files inside the
installed package; they are read from there directly (the token table with `safetensors`, the
tokenizer with `tokenizers`, both the package's own dependencies), so nothing is fetched at run
time and the package itself is never imported: importing it pulls in `requests` and its
training code, about 0.5 s of CPU at every start for nothing the bot uses. Embedding a text is
a token lookup and a mean, well under a millisecond, the same numbers as the package's
`embed(texts, norm=False)` bit for bit (tests/test_embeddings.py compares them).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

CONFIG = "l2_supercat"
DIM = 256
PACKAGE = "wordllama"
WEIGHTS = f"weights/{CONFIG}_{DIM}.safetensors"
TOKENIZER = f"tokenizers/{CONFIG}_tokenizer_config.json"
TENSOR = "embedding.weight"
Vectors = npt.NDArray[np.float32]
_log = logging.getLogger(__name__)


class EmbeddingsUnavailable(RuntimeError):
    """The packaged weights could not be loaded (the package is missing or incomplete)."""


class Embedder:
    """Unit-length sentence vectors; the model is loaded once, on first use, under a lock."""

    def __init__(self) -> None:
        self._model: Model | None = None
        self._failed: EmbeddingsUnavailable | None = None
        self._lock = threading.Lock()

    def _load(self) -> Model:
        with self._lock:
            if self._failed is not None:  # tried once and logged; not retried per message
                raise self._failed
            if self._model is None:
                try:
                    self._model = load_model(package_folder())
                except Exception as error:  # any failure means "no weights"
                    self._failed = EmbeddingsUnavailable(f"{PACKAGE} weights not found: {error}")
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
        vectors = _mean_token_vectors(self._load(), texts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts."""
        va, vb = self.embed([a, b])
        return float(va @ vb)


@dataclass(frozen=True)
class Model:
    """The package's token table and tokenizer, all that embedding a text needs."""

    table: Vectors
    tokenizer: Any


def package_folder() -> Path:
    """Where the package's files are, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"{PACKAGE} is not installed")
    return Path(spec.origin).parent


def load_model(folder: Path) -> Model:
    """The table and tokenizer as the package loads them (float32, contiguous; no padding or
    truncation, which only matter to a batch)."""
    from safetensors import safe_open
    from tokenizers import Tokenizer

    with safe_open(str(folder / WEIGHTS), framework="np", device="cpu") as weights:
        table = np.ascontiguousarray(weights.get_tensor(TENSOR).astype(np.float32))
    return Model(table, Tokenizer.from_file(str(folder / TOKENIZER)))


def _mean_token_vectors(model: Model, texts: Sequence[str]) -> Vectors:
    """The package's pooled vectors (the mean of each text's token vectors), computed text by
    text: the same numbers as its `embed(texts, norm=False)`, bit for bit, with none of its
    batch's padding or tokenizer thread pool (whose threads burn CPU beside the caller's)."""
    table = model.table
    last = table.shape[0] - 1
    encode = model.tokenizer.encode
    vectors = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for row, text in enumerate(texts):
        ids = encode(text, add_special_tokens=False).ids
        if ids:
            tokens = table[ids if max(ids) <= last else np.clip(ids, 0, last)]
            np.sum(tokens, axis=0, dtype=np.float32, out=vectors[row])
            vectors[row] /= np.float32(len(ids))
    return vectors


_shared = Embedder()


def shared_embedder() -> Embedder:
    """The process-wide embedder, so the model's 16 MB are loaded once."""
    return _shared
