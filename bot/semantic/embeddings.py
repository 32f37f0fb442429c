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
from dataclasses import dataclass, field
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
        if (norms > 0).all():  # no empty text: the same quotients, without the mask
            vectors /= norms
            return vectors
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts."""
        va, vb = self.embed([a, b])
        return float(va @ vb)


WORD_CACHE = 1 << 15
"""Words whose token ids are kept (memory only; emptied when full)."""
_MARK = "\u2581"
"""The tokenizer's word mark: it stands for a space and opens each word's first token."""
_SPECIAL = ("<unk>", "<s>", "</s>", _MARK)
"""Text the tokenizer reads as one token whatever surrounds it: such a text is encoded whole."""


@dataclass(frozen=True)
class Model:
    """The package's token table and tokenizer, all that embedding a text needs."""

    table: Vectors
    tokenizer: Any
    by_word: bool = False
    """No token spans two words (none has the word mark after a letter), so a text's
    ids are its words' ids one after the other: each word is encoded once and a message's
    readings, which share its words, cost a look-up each."""
    words: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)


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
    tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
    by_word = not any(_MARK in token.lstrip(_MARK) for token in tokenizer.get_vocab())
    return Model(table, tokenizer, by_word)


def token_ids(model: Model, text: str) -> list[int]:
    """The ids `encode(text)` gives, word by word when that is the same (`Model.by_word`):
    words never seen are encoded together in one call, split where a token opens a word."""
    encode = model.tokenizer.encode
    words = text.split(" ")
    if not model.by_word or "" in words or any(s in text for s in _SPECIAL):
        ids: list[int] = encode(text, add_special_tokens=False).ids
        return ids
    known = model.words
    fresh: dict[str, list[int]] = {}
    missing = [w for w in dict.fromkeys(words) if w not in known]
    if missing:
        encoded = encode(" ".join(missing), add_special_tokens=False)
        groups: list[list[int]] = []
        for token, number in zip(encoded.tokens, encoded.ids, strict=True):
            if token.startswith(_MARK) or not groups:
                groups.append([])
            groups[-1].append(number)
        if len(groups) != len(missing):  # not one group a word: never seen, but be sure
            whole: list[int] = encode(text, add_special_tokens=False).ids
            return whole
        fresh = dict(zip(missing, groups, strict=True))
    ids = []
    for word in words:
        got = known.get(word)
        if got is None:
            got = fresh.get(word)
        if got is None:  # another thread emptied the cache meanwhile
            got = encode(word, add_special_tokens=False).ids
        ids.extend(got)
    if fresh:
        if len(known) + len(fresh) > WORD_CACHE:
            known.clear()
        known.update(fresh)
    return ids


def _mean_token_vectors(model: Model, texts: Sequence[str]) -> Vectors:
    """The package's pooled vectors (the mean of each text's token vectors), computed text by
    text: the same numbers as its `embed(texts, norm=False)`, bit for bit, with none of its
    batch's padding or tokenizer thread pool (whose threads burn CPU beside the caller's)."""
    table = model.table
    last = table.shape[0] - 1
    vectors = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    counts = np.ones((len(texts), 1), dtype=np.float32)
    add = np.add.reduce  # what np.sum calls, without its Python wrapper
    for row, text in enumerate(texts):
        ids = token_ids(model, text)
        if ids:
            tokens = table[ids if max(ids) <= last else np.clip(ids, 0, last)]
            add(tokens, axis=0, dtype=np.float32, out=vectors[row])
            counts[row] = len(ids)
    vectors /= counts  # each row by its own count (an empty text's zeros by 1): one call
    return vectors


_shared = Embedder()


def shared_embedder() -> Embedder:
    """The process-wide embedder, so the model's 16 MB are loaded once."""
    return _shared
