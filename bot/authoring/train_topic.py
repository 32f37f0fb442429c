"""Train the topic signal: `python -m bot.authoring.train_topic`.

Fits bot/matching/topic_signal.py's softmax regression on every knowledge phrasing (and
title), the training-only phrasings of tests/data/train_topic_phrasings.tsv (written for the
topics without seeing any question set), the in-scope rows of the training-only questions
(train_scope.TRAINING) and of every question set in tests/data. Writes
`bot/matching/topic_model.npz`; deterministic, so the same data gives the same bytes. Prints
the model's own top-1 on each questions_setN.tsv (one writer each) with a model fitted
without that set. `python -m bench.rank_topic` measures what it does to replies.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.authoring import evaluate
from bot.authoring.train_scope import TRAINING, question_sets
from bot.knowledge.loader import load_knowledge
from bot.matching.bands import asked_texts
from bot.matching.topic_signal import MODEL_PATH, TopicModel, features, fit
from bot.semantic.embeddings import shared_embedder

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PHRASINGS = DATA / "train_topic_phrasings.tsv"
EXTRA = (PHRASINGS, *TRAINING)
"""Training only, never a fold: phrasings written for the topics, and the in-scope rows of the
questions written for training that the shipped models use (train_scope.TRAINING)."""
WRITER = re.compile(r"questions_set\d+\.tsv")
"""The sets held out one at a time (one writer each); every other row always trains."""


@dataclass(frozen=True)
class Rows:
    """Each text's features, its entry (an index into `ids`) and its fold (-1: always
    training, else the index of its writer's set in `folds`)."""

    x: npt.NDArray[np.float64]
    label: npt.NDArray[np.int_]
    fold: npt.NDArray[np.int_]
    ids: tuple[str, ...]
    folds: tuple[str, ...]


def labelled_rows(
    sets: Sequence[Path] | None = None,
    extra: Sequence[Path] = EXTRA,
    writer: re.Pattern[str] = WRITER,
) -> Rows:
    """Every training text; the sets whose names `writer` matches are folds (by default the
    questions_setN.tsv; bench/calibrate_bands.py makes every set one)."""
    kb = load_knowledge(ROOT / "knowledge")
    ids = tuple(sorted(kb.entries))
    sets = question_sets() if sets is None else sets
    folds = tuple(p.name for p in sets if writer.fullmatch(p.name))
    texts: list[tuple[str, str, int]] = [
        (q, i, -1) for i, e in kb.entries.items() for q in (*e.questions, e.title)
    ]
    for path in (*(p for p in extra if p.is_file()), *sets):
        fold = folds.index(path.name) if path.name in folds else -1
        texts += [(c.question, c.expected, fold) for c in evaluate.read_cases(path) if c.expected]
    asked = [asked_texts(t) for t, _, _ in texts]
    unique = list(dict.fromkeys(t for group in asked for t in group))
    vectors = dict(zip(unique, shared_embedder().embed(unique), strict=True))
    x = np.array([features(np.stack([vectors[t] for t in group])) for group in asked])
    label = np.array([ids.index(i) for _, i, _ in texts])
    return Rows(x, label, np.array([f for _, _, f in texts]), ids, folds)


def model(rows: Rows, without: int | None = None) -> TopicModel:
    """The model fitted on every row, or on all but fold `without`'s."""
    keep = rows.fold != without if without is not None else np.ones(len(rows.fold), bool)
    weights = fit(rows.x[keep], rows.label[keep], len(rows.ids))
    return TopicModel(weights.astype(np.float32).astype(np.float64), rows.ids)


def main(argv: list[str]) -> int:
    rows = labelled_rows()
    print(f"{len(rows.fold)} texts over {len(rows.ids)} topics")
    hits = total = 0
    for n, name in enumerate(rows.folds):
        held = rows.fold == n
        p = model(rows, without=n).probabilities_all(rows.x[held])
        right = int((p.argmax(axis=1) == rows.label[held]).sum())
        hits, total = hits + right, total + int(held.sum())
        print(f"{name}: top-1 alone, leaving its writer out: {right}/{int(held.sum())}")
    print(f"pooled: {hits}/{total} = {hits / total:.1%}")
    model(rows).save(MODEL_PATH)
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
