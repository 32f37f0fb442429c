"""The third safety signal: a message's nearest labelled neighbours in meaning.

"bought a hose for the car exhaust" shares no word with the crisis messages the linear model
learned from, but its embedding lies near them. Each clause of a message (and the whole message)
is embedded with wordllama's packaged weights (`bot.semantic`) and compared with an exemplar bank
of labelled messages (`neighbour_bank.npz`, built by `python -m bot.safety.train_neighbours`
from tests/data and bot/safety/training): the score is the mean cosine of the K nearest crisis
exemplars minus that of the K nearest others, the most over clauses.

The same embeddings also name medical emergencies said in images ("a cold band round my chest",
"my legs belong to someone else"), which the learned detector's word pieces miss: the medical
score is the mean cosine of the K nearest medical exemplars minus that of the K nearest calm
ones (`medical_nearness`), and an alarm names the flag of the nearest medical exemplar, so the
reply says what to do for that family. That score is summed with the learned medical
probability measured from its flag family's threshold (`Bank.medical_total`). The bank's
"others" hold the calm exemplars, then the medical ones (their codes in `medical_codes`): one
product serves both scores.

A cascade keeps the median message free: the signal is computed only when the rules found nothing
and the learned detector's crisis probability is at least the bank's `gate` or its medical
probability at least `medical_gate` (each chosen out of fold so that the messages the neighbours
would catch pass it); each score alarms only past its own gate. The embeddings are loaded in a
background thread started with the detector; until they are ready, `score` returns None and the
rules + learned verdict stands alone, so the bot never waits for them.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.safety.learned import NEGATIONS
from bot.safety.spelling import standard
from bot.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.semantic.embeddings import Vectors

BANK_PATH = Path(__file__).with_name("neighbour_bank.npz")
K = 3
SCALE = 127.0
"""The bank's int8 vectors are unit vectors times SCALE."""
MEDICAL_WEIGHT = 1.0
"""The learned medical probability's weight beside the medical neighbour score (`medical_score`).
Leaving one writer out (35 folds), the neighbour score alone caught fewer of the medical
emergencies the learned detector misses than lowering its own threshold would for the same calm
alarms (59 against 160 at 5 more calm alarms); their sum caught more than either (200); weights
0.5-1.5 were within noise of each other, so the plain sum."""
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


def medical_nearness(
    queries: Vectors, medical: Vectors, calm: Vectors, codes: Sequence[str], k: int = K
) -> tuple[float, str]:
    """The most, over the query rows, of (mean similarity of the k nearest medical exemplars -
    that of the k nearest calm ones), and the code of the nearest medical exemplar of that row
    (the flag an alarm names). Banks are columns, `codes` the medical columns' codes."""
    import numpy as np

    if not len(queries) or not len(codes):
        return -1.0, ""
    sims = queries @ medical
    near = np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)
    far = np.partition(queries @ calm, -k, axis=1)[:, -k:].mean(axis=1)
    row = int((near - far).argmax())
    return float(near[row] - far[row]), codes[int(sims[row].argmax())]


def medical_score(near: float, emergency: float) -> float:
    """What a medical neighbour alarm is held to: the medical neighbour score plus the learned
    detector's medical probability, so that a message both signals lean towards alarms before
    one only the neighbours (or only the model) half recognise."""
    return near + MEDICAL_WEIGHT * emergency


@dataclass(frozen=True)
class Near:
    """A message's neighbour scores: crisis, medical, and the medical flag it is nearest."""

    crisis: float
    medical: float
    code: str


@dataclass(frozen=True)
class Bank:
    """The exemplar bank as columns (unit vectors) and its thresholds and gates; a bank built
    before the medical exemplars were labelled has no medical codes, so it never alarms
    medically (infinite threshold and gate)."""

    crisis: Any
    others: Any
    threshold: float
    gate: float
    medical_codes: tuple[str, ...] = ()
    medical_threshold: float = math.inf
    medical_gate: float = math.inf
    medical_common: float | None = None
    """The learned medical threshold common to every family that `medical_threshold` was chosen
    beside (None in banks before round 15: the plain sum, `medical_total`)."""

    def medical_total(self, near: float, emergency: float, family: float | None = None) -> float:
        """What the medical neighbours' alarm is held to: `medical_score` on the learned medical
        probability shifted by its family's threshold (`family`, of the flag the flag namer
        gives the message): p + common - family, as far above or under its own family's
        threshold as it is. Leaving one writer out, the plain sum let a family whose learned
        threshold is lower (collapse, infection, trauma at 0.91) count for less than its
        probability means; shifted, +6 medical emergencies on 38 folds, +4 on 35 and +4 on 45,
        at equal calm, long calm and question alarms (bench/RESULTS.md, `--relative`)."""
        if self.medical_common is not None and family is not None:
            emergency += self.medical_common - family
        return medical_score(near, emergency)

    def near(self, queries: Vectors, k: int = K) -> Near:
        """Both scores of the query rows, with one product for the others' columns."""
        import numpy as np

        if not len(queries):
            return Near(-1.0, -1.0, "")

        def top(sims: Any) -> Any:
            return np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)

        others = queries @ self.others
        crisis = float((top(queries @ self.crisis) - top(others)).max())
        n = len(self.medical_codes)
        if not n:
            return Near(crisis, -1.0, "")
        calm, medical = others[:, :-n], others[:, -n:]
        gap = top(medical) - top(calm)
        row = int(gap.argmax())
        return Near(crisis, float(gap[row]), self.medical_codes[int(medical[row].argmax())])


@cache
def _bank(path: Path) -> Bank:
    import numpy as np

    with np.load(path) as data:
        labelled = "medical_codes" in data.files
        return Bank(
            np.ascontiguousarray(data["crisis"].T, dtype=np.float32) / SCALE,
            np.ascontiguousarray(data["others"].T, dtype=np.float32) / SCALE,
            float(data["threshold"]),
            float(data["gate"]),
            tuple(str(c) for c in data["medical_codes"]) if labelled else (),
            float(data["medical_threshold"]) if labelled else math.inf,
            float(data["medical_gate"]) if labelled else math.inf,
            float(data["medical_common"]) if "medical_common" in data.files else None,
        )


class NeighbourSignal:
    """The exemplar bank and the embedder, loaded off the caller's thread."""

    def __init__(self, path: Path = BANK_PATH, *, background: bool = True) -> None:
        """`background`: start loading now in a daemon thread (else on the first `wait`)."""
        self.path = path
        self._ready = threading.Event()
        self._failed = False
        self._loaded: Bank | None = None
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
        return self._settings().threshold

    @property
    def gate(self) -> float:
        return self._settings().gate

    @property
    def medical_threshold(self) -> float:
        return self._settings().medical_threshold

    @property
    def medical_gate(self) -> float:
        return self._settings().medical_gate

    @property
    def relative(self) -> bool:
        """Whether the bank's medical sum reads a family's threshold (`Bank.medical_total`):
        with the plain sum the flag namer need not run for it."""
        return self._settings().medical_common is not None

    def _settings(self) -> Bank:
        return self._loaded if self._loaded is not None else _bank(self.path)

    def passes_gate(self, crisis: float, emergency: float = 0.0) -> bool:
        """Whether a learned crisis (or medical) probability is high enough for the neighbours
        to look."""
        return crisis >= self.gate or emergency >= self.medical_gate

    def score(self, text: str) -> float | None:
        """The crisis neighbour score of `text`, or None while the embeddings are not loaded."""
        found = self.near(text)
        return None if found is None else found.crisis

    def near(self, text: str) -> Near | None:
        """Both neighbour scores of `text`, or None while the embeddings are not loaded."""
        if not self.ready or self._loaded is None:
            return None
        return self._loaded.near(self._embed(clauses(text)))

    def alarm(
        self, crisis: float, emergency: float, near: Near, family: float | None = None
    ) -> str | None:
        """Which alarm the scores raise: "crisis", the medical code, or None. Each score counts
        only past its own gate (the other gate may be why the neighbours were asked). `family`:
        the learned medical threshold of the message's flag family (`Bank.medical_total`)."""
        bank = self._settings()
        if crisis >= bank.gate and near.crisis >= bank.threshold:
            return "crisis"
        if (
            emergency >= bank.medical_gate
            and bank.medical_total(near.medical, emergency, family) >= bank.medical_threshold
        ):
            return near.code
        return None


def cascade(
    found: bool,
    short: bool,
    crisis: float,
    gate: float,
    score: Any,
    emergency: float = 0.0,
    medical_gate: float = math.inf,
) -> tuple[bool, Any]:
    """The shipped cascade, shared with the leave-one-writer-out bench: (whether the neighbours
    were asked, their score). They are asked only when neither the rules nor the learned
    detector found anything (`found`), the message is long enough for the learned detector and
    its crisis probability reaches `gate` or its medical probability (`emergency`) reaches
    `medical_gate`; `score` is called with no argument and may return None (not loaded yet)."""
    if found or short or (crisis < gate and emergency < medical_gate):
        return False, None
    return True, score()
