"""Train the scope signal: `python -m bot.authoring.train_scope`.

Reads every question set in tests/data (each written by one writer) and the training-only
questions (TRAINING), finds each message's best entry with the matcher, and fits
bot/matching/scope_signal.py's logistic regression: the out_of_scope rows against the in-scope
ones (messages with no close entry at all are declined anyway and left out). Writes
`bot/matching/scope_model.npz`; deterministic, so the same data gives the same bytes. Prints
the area under the ROC curve leaving one writer out (the training-only rows always train).
`python -m bench.calibrate_bands` measures what the signal does to the answers, the same way.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.authoring import evaluate
from bot.knowledge.loader import load_knowledge
from bot.matching.bands import Meaning, asked_texts
from bot.matching.fuzzy import FuzzyMatcher
from bot.matching.scope_signal import MODEL_PATH, ScopeModel, fit

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PATTERNS = (
    "questions*.tsv",
    "holdout*_questions.tsv",
    "dev_*questions*.tsv",
    "dev_scope_nearmiss.tsv",
)
"""Every question set: one writer each (tests/data/README.md)."""
WRITTEN_FOR_TRAINING = (DATA / "train_questions_r7.tsv",)
"""Questions written for training only (tests/data/README.md): never a fold that is scored."""
TRAINING: tuple[Path, ...] = ()
"""The training-only questions that train both shipped models (always, in every fold): none.
train_questions_r7.tsv was measured leaving each writer out (`python -m bench.lowo_models
--written`, bench/BANDS.md round 7): neutral pooled, and in-sample it cost floors of
tests/test_eval_set.py, so the shipped models do without it."""


def question_sets() -> list[Path]:
    """The scored sets: every file the PATTERNS match but the training-only ones."""
    found = {p for pattern in PATTERNS for p in DATA.glob(pattern)}
    return sorted(found - set(WRITTEN_FOR_TRAINING))


@dataclass(frozen=True)
class Rows:
    """The messages that have a close entry: the regression's input and label, and the set
    (an index into the sets read; -1 for a training-only file)."""

    x: npt.NDArray[np.float64]
    outside: npt.NDArray[np.bool_]
    fold: npt.NDArray[np.int_]


def labelled_rows(sets: Sequence[Path], training: Sequence[Path] = TRAINING) -> Rows:
    kb = load_knowledge(ROOT / "knowledge")
    matcher = FuzzyMatcher(kb)
    meaning = Meaning.packaged(kb, scope=False, topic=False)
    x, outside, fold = [], [], []
    files = [*((-1, p) for p in training if p.is_file()), *enumerate(sets)]
    for n, path in files:
        for case in evaluate.read_cases(path):
            evidence = matcher.evidence(case.question)  # the entry the bands would weigh
            if evidence is None:
                continue
            row = meaning.scope_features(asked_texts(case.question), evidence.top.id)
            if row is None:
                raise SystemExit("the wordllama embeddings are not installed")
            x.append(row)
            outside.append(case.expected is None)
            fold.append(n)
    return Rows(np.array(x), np.array(outside), np.array(fold))


def auc(score: npt.NDArray[np.float64], positive: npt.NDArray[np.bool_]) -> float:
    """Probability that a positive row scores above a negative one."""
    order = np.argsort(score, kind="stable")
    ranks = np.empty(len(score))
    ranks[order] = np.arange(len(score))
    n1 = int(positive.sum())
    n0 = len(score) - n1
    return float((ranks[positive].sum() - n1 * (n1 - 1) / 2) / (n1 * n0))


def model(rows: Rows, without: int | None = None) -> ScopeModel:
    """The model fitted on every row, or on all but set `without`'s (rounded as shipped)."""
    keep = rows.fold != without if without is not None else np.ones(len(rows.fold), bool)
    return ScopeModel(np.round(fit(rows.x[keep], rows.outside[keep]), 6))


def held_out(rows: Rows) -> npt.NDArray[np.float64]:
    """Each scored row's probability from a model fitted without its writer's set (training-
    only rows: NaN)."""
    p = np.full(len(rows.fold), np.nan)
    for n in np.unique(rows.fold[rows.fold >= 0]):
        held = rows.fold == n
        p[held] = model(rows, without=int(n)).outside_all(rows.x[held])
    return p


def main(argv: list[str]) -> int:
    rows = labelled_rows(question_sets())
    scored = rows.fold >= 0
    print(f"{len(rows.fold)} messages, {int(rows.outside.sum())} out of scope")
    print(f"{int((~scored).sum())} of them from training-only files (never held out)")
    p = held_out(rows)
    print(f"AUC leaving one writer out: {auc(p[scored], rows.outside[scored]):.3f}")
    model(rows).save(MODEL_PATH)
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
