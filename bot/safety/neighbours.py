"""The third safety signal: a message's nearest labelled neighbours in meaning.

"bought a hose for the car exhaust" shares no word with the crisis messages the linear model
learned from, but its embedding lies near them. Each clause of a message (and the whole message)
is embedded with wordllama's packaged weights (`bot.semantic`) and compared with an exemplar bank
of labelled messages (`neighbour_bank.npz`, built by `python -m bot.safety.train_neighbours`
from tests/data and bot/safety/training): the score is the mean cosine of the K nearest crisis
exemplars minus that of the K nearest others, the most over clauses.

A cascade keeps the median message free: the signal is computed only when the rules found nothing
and the learned detector's crisis probability is at least the bank's `gate` (chosen out of fold
so that the crisis messages the neighbours would catch pass it). The embeddings are loaded in a
background thread started with the detector; until they are ready, `score` returns None and the
rules + learned verdict stands alone, so the bot never waits for them.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.safety.learned import NEGATIONS
from bot.safety.spelling import standard
from bot.text import fold

if TYPE_CHECKING:
    from bot.semantic.embeddings import Vectors

BANK_PATH = Path(__file__).with_name("neighbour_bank.npz")
K = 3
SCALE = 127.0
"""The bank's int8 vectors are unit vectors times SCALE."""
_CLAUSE = re.compile(r"[.;:!?\n,]+|\b(?:but|and|so|because|cos|coz|then)\b")
_log = logging.getLogger(__name__)


def clauses(text: str) -> list[str]:
    """The whole message and each clause of two words or more, folded and in standard spelling
    (`bot.safety.spelling`: "mi nuh waan be here" is looked up as "i dont want be here"),
    leaving out any with a negation cue: embeddings are blind to "not" ("I'm not going to kill
    myself" lies next to the crisis exemplars), so a negated clause is left to the rules and the
    learned detector. A negation over living ("don't want to be alive", `_negated`) is kept:
    that clause is the crisis. The exemplars stay as written: folding them moved the bank (the
    round-10 test crisis "i'm on the train tracks" fell under its threshold)."""
    folded = standard(fold(text))
    parts = [p.strip() for p in _CLAUSE.split(folded) if p and len(p.split()) >= 2]
    return [p for p in [folded, *parts] if not _negated(p)]


NEGATION_SCOPE = 5
"""How many words after a negation cue it reaches (within its clause), as in `learned`."""
_LIFE = re.compile(
    r"\b(?:alive|exist(?:s|ing|ence)?|(?:to|wanna|gonna) live|live (?:for|like this)"
    r"|(?:worth|point|point in|point of) living|living (?:like this|anymore|any more)"
    r"|(?:want to|wanna|point (?:of|in)|worth|reason to|never) (?:wake|waking)"
    r"|be (?:here|around) (?:anymore|any more|no more|much longer|for long))\b"
)
"""Words of going on living. A negation over them is the wish to die itself ("don't want to
be alive anymore", "never wake up", "nothing to live for", "won't be around"), not a denial of
a crisis the way "not suicidal" is."""


def _negated(clause: str) -> bool:
    """Whether some negation cue in `clause` denies what follows it in its own clause (up to
    `NEGATION_SCOPE` words). A cue over a word of living (`_LIFE`) does not: static embeddings
    are blind to "not" either way, but there the negated words lie near the crisis exemplars
    because the crisis *is* negated life."""
    for part in _CLAUSE.split(clause):
        words = re.findall(r"[a-z]+", part.replace("'", ""))
        for i, word in enumerate(words):
            scope = " ".join(words[i + 1 : i + 1 + NEGATION_SCOPE])
            if word in NEGATIONS and not _LIFE.search(scope):
                return True
    return False


def nearness(queries: Vectors, crisis: Vectors, others: Vectors, k: int = K) -> float:
    """The most, over the query rows, of (mean similarity of the k nearest crisis exemplars -
    that of the k nearest others). Rows are unit length; the banks are columns (256 x n)."""
    import numpy as np

    def top(sims: Any) -> Any:
        return np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)

    if not len(queries):
        return -1.0
    return float((top(queries @ crisis) - top(queries @ others)).max())


@cache
def _bank(path: Path) -> tuple[Any, Any, float, float]:
    import numpy as np

    with np.load(path) as data:
        return (
            np.ascontiguousarray(data["crisis"].T, dtype=np.float32) / SCALE,
            np.ascontiguousarray(data["others"].T, dtype=np.float32) / SCALE,
            float(data["threshold"]),
            float(data["gate"]),
        )


class NeighbourSignal:
    """The exemplar bank and the embedder, loaded off the caller's thread."""

    def __init__(self, path: Path = BANK_PATH, *, background: bool = True) -> None:
        """`background`: start loading now in a daemon thread (else on the first `wait`)."""
        self.path = path
        self._ready = threading.Event()
        self._failed = False
        self._loaded: tuple[Any, Any, float, float] | None = None
        self._embed: Any = None
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._load, name="neighbours", daemon=True)
            self._thread.start()

    def _load(self) -> None:
        try:
            from bot.semantic.embeddings import shared_embedder

            loaded = _bank(self.path)
            embedder = shared_embedder()
            embedder.embed(["warm up"])  # loads the weights once for every user of them
            self._loaded, self._embed = loaded, embedder.embed
        except Exception:  # without the signal the other two still stand
            self._failed = True
            _log.exception("nearest-neighbour signal unavailable")
        finally:
            self._ready.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loaded (loading here if not started); whether the signal is usable."""
        if self._thread is None and not self._ready.is_set():
            self._load()
        self._ready.wait(timeout)
        return self.ready

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and not self._failed

    @property
    def settled(self) -> bool:
        """Whether loading has finished, well or not (nothing more to wait for)."""
        return self._ready.is_set()

    @property
    def threshold(self) -> float:
        return self._settings()[2]

    @property
    def gate(self) -> float:
        return self._settings()[3]

    def _settings(self) -> tuple[Any, Any, float, float]:
        return self._loaded if self._loaded is not None else _bank(self.path)

    def passes_gate(self, crisis: float) -> bool:
        """Whether a learned crisis probability is high enough for the neighbours to look."""
        return crisis >= self.gate

    def score(self, text: str) -> float | None:
        """The neighbour score of `text`, or None while the embeddings are not loaded."""
        if not self.ready or self._loaded is None:
            return None
        crisis, others, _, _ = self._loaded
        return nearness(self._embed(clauses(text)), crisis, others)


def cascade(
    found: bool, short: bool, crisis: float, gate: float, score: Any
) -> tuple[bool, float | None]:
    """The shipped cascade, shared with the leave-one-writer-out bench: (whether the neighbours
    were asked, their score). They are asked only when neither the rules nor the learned
    detector found anything (`found`), the message is long enough for the learned detector and
    its crisis probability reaches `gate`; `score` is called with no argument and may return
    None (not loaded yet)."""
    if found or short or crisis < gate:
        return False, None
    return True, score()
