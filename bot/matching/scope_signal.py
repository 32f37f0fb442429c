"""How likely a message asks something the article does not answer, learned from the data.

Out-of-scope near misses share the article's words ("what dose of ibuprofen for my back",
"where can I buy a wheat bag") and so score high on word matching. A logistic regression over
the message's meaning tells them apart better than any hand-made list did across writers: its
features are the sentence embeddings (bot/semantic/embeddings.py) of the message and of its
last ask, the cosine to the best entry's phrasings, and what the message means beyond that
entry (its embedding less its projection on the entry's mean phrasing). Trained on the
out_of_scope rows of every question set in tests/data and of the training-only questions
(train_scope.TRAINING) against their in-scope rows by `python -m bot.authoring.train_scope`;
the weights ship as `scope_model.npz`. Used as a term in the calibrated bands
(bot/matching/bands.py), never alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.matching.saved import save_arrays
from bot.semantic.embeddings import DIM

MODEL_PATH = Path(__file__).with_name("scope_model.npz")
FEATURES = 3 * DIM + 1
"""The message, its last ask, what it means beyond the entry, and the cosine to the entry."""
L2 = 1.0
"""Ridge penalty of the regression (chosen leave-one-writer-out among 0.1, 1 and 10)."""
UNLEARNED_OUTSIDE = 0.3
"""The out-of-scope likelihood counted for an entry the learned models never saw (an admin's
new entry, another knowledge base; bands.Meaning.weigh): the model learned the article's
scope, so it has no say on a new entry's, and counts about the share of out-of-scope
messages it was trained on (1,068 of 3,513). Not fitted: no data has such entries. With
topic_signal.UNLEARNED, such an entry is answered from a word score of about 57 without a
lead (learned entries: 40 to 80, as the signals say)."""
Vector = npt.NDArray[np.float64]


def features(asked: npt.NDArray[np.float32], centroid: npt.NDArray[np.float32]) -> Vector:
    """The regression's input: `asked` holds the message's unit vector first and its last
    ask's last (the same row when it has none); `centroid` is the best entry's unit mean
    phrasing vector."""
    message = asked[0].astype(np.float64)
    cos = float(message @ centroid)
    beyond = message - cos * centroid.astype(np.float64)
    return np.concatenate([message, asked[-1].astype(np.float64), [cos], beyond])


def fit(
    x: npt.NDArray[np.float64],
    outside: npt.NDArray[np.bool_],
    l2: float = L2,
    start: Vector | None = None,
    steps: int = 12,
) -> Vector:
    """Weights (bias last) of an L2-penalised logistic regression, by Newton's method:
    deterministic, and numpy is all it needs."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    y = outside.astype(np.float64)
    w = np.zeros(x1.shape[1]) if start is None else start.copy()
    ridge = l2 * np.eye(x1.shape[1])
    ridge[-1, -1] = 0.0  # the bias is not penalised
    for _ in range(steps):
        p = _sigmoid(x1 @ w)
        gradient = x1.T @ (p - y) + ridge @ w
        hessian = (x1 * (p * (1 - p))[:, None]).T @ x1 + ridge
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.max(np.abs(step))) < 1e-6:
            break
    return w


_CLIP = 40.0


def _sigmoid(z: Vector) -> Vector:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -_CLIP, _CLIP)))


@dataclass(frozen=True)
class ScopeModel:
    """The fitted weights: probability that a message is out of scope."""

    weights: Vector

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ScopeModel:
        with np.load(path) as data:
            return cls(np.asarray(data["weights"], dtype=np.float64))

    def save(self, path: Path = MODEL_PATH) -> None:
        """An .npz whose bytes depend on the weights alone."""
        save_arrays(path, {"weights": self.weights})

    def outside(self, x: Vector) -> float:
        """`outside_all` for one message: the same float, clipped in Python (numpy's clip
        costs more than the rest for one number)."""
        z = float(x @ self.weights[:-1] + self.weights[-1])
        z = -_CLIP if z < -_CLIP else min(z, _CLIP)
        return float(1.0 / (1.0 + np.exp(-z)))

    def outside_all(self, x: npt.NDArray[np.float64]) -> Vector:
        return _sigmoid(x @ self.weights[:-1] + self.weights[-1])
