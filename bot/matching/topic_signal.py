"""Which topic a message asks about, learned from how people phrase each topic.

Word matching ranks entries by the words they share with the message; a long, story-first
message or an indirect ask ("I wanted to know whether ...", "kindly advise if ...") shares
words with several entries, and the best two can land a few points apart. A softmax
regression over the message's meaning tells them apart across writers: its input is the
sentence embedding (bot/semantic/embeddings.py) of the message and of its last ask, the same
vectors the ranking's meaning term and the bands already compute. Trained on the knowledge
phrasings, phrasings written for training only and the in-scope questions of the question sets
by `python -m bot.authoring.train_topic`; the weights ship as `topic_model.npz`. Used to
reorder close contenders and the topics offered (bot/matching/fuzzy.py), and to offer a topic
it is sure of that word matching missed; never to answer on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.matching.saved import save_arrays
from bot.semantic.embeddings import DIM

MODEL_PATH = Path(__file__).with_name("topic_model.npz")
FEATURES = 2 * DIM
"""The message and its last ask."""
SCALE = 16.0
"""Unit vectors in 256 dimensions have components near 1/16: scaled to about 1."""
L2 = 0.01
"""Ridge penalty per row. The model's own top-1 leaving each writer out was the same (939-940
of 990) from 0.001 to 0.03; larger values flatten the probabilities the ranking weighs."""
RANK_WEIGHT = 0.3
"""A close contender gains this * 100 points per unit of probability by which the model
finds it likelier than the best entry (chosen leave-one-writer-out, bench/rank_topic.py)."""
RANK_GATE = 100.0 * RANK_WEIGHT
"""The topic is consulted only when the best leads the next by less than this: a lead it
could not overturn (a contender gains at most RANK_WEIGHT * 100) is left alone, and most
messages with a clear lead need no embedding. Leave-one-writer-out, gates of 10 and 20 did a
little worse and none (every message) no better (bench/RANKING.md)."""
RANK_CAP = 5.0
"""A contender the topic moves first scores at most this many points above the best entry's
score: the topic changes which entry leads, not how sure the bands are of it (raised without
a cap, near misses out of scope got confident answers)."""
ORDER_SUGGESTIONS = True
"""When the bot is unsure, the entries it offers are ordered likeliest topic first."""
OFFER_SCORE_WEIGHT = 5.0
"""The entries offered are ordered by the topic signal's probability plus this much per 100
points of word score: the word score leads, and the topic decides between offers less than
about 20 points apart (0: by the topic alone, as until round 8). Chosen leave-one-writer-out
with OFFER_SURE (bench/rank_offers.py, bench/BANDS.md round 9): 110 right first suggestions
of 158 unanswered in-scope messages held out, against 107 by the topic alone."""
OFFER_MEANING_WEIGHT = 0.0
"""The offers' order also adds this much per unit of the message's cosine to each offered
entry's phrasings (their mean, bands.Meaning.closeness): a third opinion where the word score
and the topic signal share one mistake (0: off). Chosen leave-one-writer-out with the two
others (bench/rank_offers.py)."""
OFFER_SURE = 0.5
"""When the bot is unsure and the model gives one topic at least this probability, that topic
is offered first even if word matching did not offer it; never answered with (math.inf: off).
Re-measured leave-one-writer-out beside OFFER_SCORE_WEIGHT (bench/rank_offers.py): 0.5 (most
folds' pick) beat round 6's 0.7 (bench/rank_sure.py)."""
ANSWER_SURE = 0.5
"""When the bot would answer but the model gives at least this probability to a topic word
matching never ranked, it asks instead, offering that topic first (chosen leave-one-writer-out,
bench/rank_sure.py: no right answer was lost down to 0.5; math.inf: off)."""
UNLEARNED = 0.5
"""The topic term's probability for an entry the model never learned (an admin added it since
the model was trained, or another knowledge base): neither confirmed nor doubted, so a new
entry is not held to a bar 50 points stricter than the entries the model knows. Not fitted:
no data has such entries."""
Vector = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float64]


def offer_order(
    scores: Sequence[float],
    likely: Sequence[float],
    weight: float | None = None,
    closeness: Sequence[float] | None = None,
    closeness_weight: float | None = None,
) -> list[int]:
    """The offers' indexes, best first: by topic probability plus `weight` (by default
    OFFER_SCORE_WEIGHT) per 100 points of word score plus `closeness_weight` (by default
    OFFER_MEANING_WEIGHT) times the message's cosine to each entry's phrasings (`closeness`,
    left out when None); ties keep the word ranking's order."""
    w = OFFER_SCORE_WEIGHT if weight is None else weight
    m = OFFER_MEANING_WEIGHT if closeness_weight is None else closeness_weight
    near = closeness if closeness is not None and m else [0.0] * len(scores)
    key = [p + w * s / 100.0 + m * c for s, p, c in zip(scores, likely, near, strict=True)]
    return sorted(range(len(key)), key=lambda k: -key[k])


def features(asked: npt.NDArray[np.float32]) -> Vector:
    """The regression's input: `asked` holds the message's unit vector first and its last
    ask's last (the same row when it has none)."""
    return SCALE * np.concatenate([asked[0], asked[-1]]).astype(np.float64)


def _softmax(z: Matrix) -> Matrix:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def fit(x: Matrix, labels: npt.NDArray[np.int_], classes: int, l2: float = L2) -> Matrix:
    """Weights (bias last row) of an L2-penalised softmax regression, by Nesterov's
    accelerated gradient with a fixed step count: deterministic, and numpy is all it needs."""
    n = len(x)
    x1 = np.hstack([x, np.ones((n, 1))])
    y = np.zeros((n, classes))
    y[np.arange(n), labels] = 1.0
    ridge = np.full((x1.shape[1], 1), l2)
    ridge[-1] = 0.0  # the bias is not penalised
    # The loss's curvature is at most |x|^2 / 2 per row (softmax), so this step is safe.
    step = 1.0 / (float(np.max(np.sum(x1 * x1, axis=1))) / 2.0 + l2)
    w = np.zeros((x1.shape[1], classes))
    ahead = w
    for k in range(1, 401):
        gradient = x1.T @ (_softmax(x1 @ ahead) - y) / n + ridge * ahead
        moved = ahead - step * gradient
        ahead = moved + (k - 1) / (k + 2) * (moved - w)
        w = moved
    return w


@dataclass(frozen=True)
class TopicModel:
    """The fitted weights over the topic ids: a probability per entry for a message."""

    weights: Matrix
    ids: tuple[str, ...]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> TopicModel:
        with np.load(path) as data:
            ids = tuple(str(i) for i in data["ids"])
            return cls(np.asarray(data["weights"], dtype=np.float64), ids)

    def save(self, path: Path = MODEL_PATH) -> None:
        """An .npz whose bytes depend on the weights alone."""
        save_arrays(path, {"weights": self.weights.astype(np.float32), "ids": np.array(self.ids)})

    def probabilities_all(self, x: Matrix) -> Matrix:
        return _softmax(x @ self.weights[:-1] + self.weights[-1])

    @cached_property
    def _index(self) -> dict[str, int]:
        """Each id's column, made once (asked about every message)."""
        return {i: n for n, i in enumerate(self.ids)}

    def probabilities(self, x: Vector, entries: Sequence[str]) -> dict[str, float]:
        """The probability of each of `entries` (0 for an id the model never learned)."""
        p = self.probabilities_all(x[None, :])[0].tolist()  # the same floats as float(p[n])
        if entries is self.ids:  # every learned id, in order: no look-ups
            return dict(zip(self.ids, p, strict=True))
        index = self._index
        return {e: p[index[e]] if e in index else 0.0 for e in entries}
