"""Answer, confirm or decline: how sure the matcher is of its best entry.

A wrong fact given confidently is worse than a "Did you mean ...?" whose first button is right,
so the decision weighs more than the best score: how far ahead of the runner-up it is, whether
the whole message and the question found inside it point at the same entry, and whether the
meaning of the message (static sentence embeddings, bot/semantic/embeddings.py) agrees with
the word match on which of the close entries is meant, and how likely the message asks
something the article does not answer (a learned scope signal, bot/matching/scope_signal.py).
The weights are chosen leave-one-writer-out by bench/calibrate_bands.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from bot.knowledge.model import KnowledgeBase
from bot.matching.base import Scored
from bot.matching.parts import readings
from bot.matching.scope_signal import UNLEARNED_OUTSIDE, ScopeModel, features
from bot.matching.topic_signal import UNLEARNED, TopicModel
from bot.matching.topic_signal import features as topic_features
from bot.semantic.embeddings import EmbeddingsUnavailable, Vectors, shared_embedder


@dataclass(frozen=True)
class Reading:
    """Every reading of one message, scored (bot/matching/parts.py)."""

    ranked: tuple[Scored, ...]
    """Best score per entry over all readings, best first (the first ask's answer first)."""
    whole: tuple[Scored, ...]
    """The whole message read at once."""
    also: Scored | None = None
    """The answer to a second, different ask."""


@dataclass(frozen=True)
class Evidence:
    """What the decision looks at for one message's best entry."""

    top: Scored
    runner_up: float
    """The next contender's score (0 when there is none)."""
    long: bool
    agree: bool
    """The whole message, read at once, also ranks the best entry first."""
    rivals: tuple[str, ...] = ()
    """The runner-ups the best entry is compared with in meaning."""
    meaning: float | None = None
    """How much closer in meaning the message is to the best entry's phrasings than to the
    runner-ups' (cosine difference); None without embeddings."""
    outside: float | None = None
    """How likely the message is out of scope (bot/matching/scope_signal.py); None without
    embeddings."""
    topic: float | None = None
    """The topic signal's probability that the message asks about the best entry
    (bot/matching/topic_signal.py); None without the model or the embeddings."""
    topic_lead: float | None = None
    """That probability less the likeliest other topic's: above 0 when the topic signal and
    word matching agree on the best entry, below when the signal prefers another (-1..1)."""

    @property
    def margin(self) -> float:
        return self.top.score - self.runner_up


MEANING_SPAN = 1.0
"""The most a meaning margin (a difference of cosines) counts for, in practice."""


@dataclass(frozen=True)
class Bands:
    """Confidence = score + margin_weight * min(margin, margin_cap) + meaning_weight * 100 *
    meaning - scope_weight * 100 * outside + topic_weight * 100 * topic - (disagree_penalty
    when the whole message ranks another entry first); answered at or above the threshold for
    the message's length, if the margin is at least the minimum. Without embeddings, meaning
    and topic count as 0 (the topic only ever adds: without it the bar is the strictest)."""

    threshold: float = 46.0
    long_threshold: float = 42.0
    margin_weight: float = 0.0
    margin_cap: float = 20.0
    min_margin: float = 0.0
    long_min_margin: float = 4.0
    meaning_weight: float = 0.0
    disagree_penalty: float = 0.0
    disagree_min_margin: float = 0.0
    """The least margin when the whole message ranks another entry first."""
    scope_weight: float = 0.0
    missing_outside: float = 0.0
    """The out-of-scope likelihood assumed while the embeddings cannot be read (loading, or
    not installed), so the bar does not drop below what score and margin alone need."""
    topic_weight: float = 0.0
    """Points per unit of the topic signal's probability of the best entry."""
    topic_lead_weight: float = 0.0
    """Points per unit of the topic lead (Evidence.topic_lead): agreement between the topic
    signal and word matching on the best entry, beyond how sure the signal is of it."""
    min_score: float = 0.0
    """The least word score answered, however sure the learned signals are: the topic model
    knows topics, not scope, and is as sure of "which brand of probiotic is best" (microbiome)
    as of a question the article answers."""
    agree_topic: float = math.inf
    """Answered below the bar too when the topic signal gives the best entry at least this
    probability (so word matching and the signal agree on it), the message is at most
    `agree_outside` likely out of scope and its word score is at least `agree_score`: the
    two signals agreeing is evidence the sum of their shares undervalues (math.inf: off)."""
    agree_outside: float = 0.0
    agree_score: float = math.inf
    """The least word score the agreement answers (it may be under `min_score`: the topic
    signal alone is as sure of a near miss, not both signals and the scope signal at once)."""

    @property
    def uses_meaning(self) -> bool:
        return not math.isinf(self.agree_topic) or any(
            w != 0.0
            for w in (
                self.meaning_weight,
                self.scope_weight,
                self.topic_weight,
                self.topic_lead_weight,
            )
        )

    def confidence(self, evidence: Evidence) -> float:
        outside = evidence.outside if evidence.outside is not None else self.missing_outside
        return self._confidence(evidence, outside)

    def _confidence(self, evidence: Evidence, outside: float) -> float:
        meaning = evidence.meaning if evidence.meaning is not None else 0.0
        topic = evidence.topic if evidence.topic is not None else 0.0
        lead = evidence.topic_lead if evidence.topic_lead is not None else -1.0
        return (
            evidence.top.score
            + self.margin_weight * min(evidence.margin, self.margin_cap)
            + self.meaning_weight * 100.0 * meaning
            - self.scope_weight * 100.0 * outside
            + self.topic_weight * 100.0 * topic
            + self.topic_lead_weight * 100.0 * (lead + 1.0) / 2.0
            - (0.0 if evidence.agree else self.disagree_penalty)
        )

    def _bar(self, evidence: Evidence) -> tuple[float, float]:
        """The confidence and margin the best entry needs to be answered."""
        bar, gap = (
            (self.long_threshold, self.long_min_margin)
            if evidence.long
            else (self.threshold, self.min_margin)
        )
        return bar, gap if evidence.agree else max(gap, self.disagree_min_margin)

    def answers(self, evidence: Evidence) -> bool:
        """Confident enough to give the best entry's answer."""
        bar, gap = self._bar(evidence)
        sure = evidence.top.score >= self.min_score and self.confidence(evidence) >= bar
        return evidence.margin >= gap and (sure or self.agreed(evidence))

    def agreed(self, evidence: Evidence) -> bool:
        """Word matching and the topic signal agree on the best entry, surely enough, on a
        message the scope signal finds in scope (`agree_topic`)."""
        topic, lead, outside = evidence.topic, evidence.topic_lead, evidence.outside
        return (
            topic is not None
            and lead is not None
            and outside is not None
            and lead > 0.0
            and topic >= self.agree_topic
            and outside <= self.agree_outside
            and evidence.top.score >= self.agree_score
        )

    def undecided(self, evidence: Evidence) -> bool:
        """Meaning (not yet measured) could still tip the decision either way."""
        measured = (evidence.meaning, evidence.outside, evidence.topic, evidence.topic_lead)
        if not self.uses_meaning or any(m is not None for m in measured):
            return False
        bar, gap = self._bar(evidence)
        confidence = self._confidence(evidence, 0.0)  # the most the scope term allows
        reach = abs(self.meaning_weight) * 100.0 * MEANING_SPAN
        # the scope term only lowers confidence, by at most scope_weight * 100; the topic
        # terms only raise it, by at most (topic_weight + topic_lead_weight) * 100
        lift = (abs(self.topic_weight) + abs(self.topic_lead_weight)) * 100.0
        if evidence.margin < gap:
            return False
        least = evidence.top.score >= self.min_score
        surely = bar + reach + abs(self.scope_weight) * 100.0  # answered whatever meaning says
        if evidence.top.score >= self.agree_score and not math.isinf(self.agree_topic):
            return not least or confidence < surely  # the agreement may answer it
        return least and bar - reach - lift <= confidence < surely

    def shifted(self, by: float) -> Bands:
        """Both bars moved by `by` points: stricter (or looser) everywhere alike."""
        if not by:
            return self
        return replace(
            self, threshold=self.threshold + by, long_threshold=self.long_threshold + by
        )


CALIBRATED = Bands(
    threshold=70.0,
    long_threshold=70.0,
    margin_weight=0.25,
    margin_cap=10.0,
    long_min_margin=0.0,
    meaning_weight=0.0,
    disagree_penalty=10.0,
    disagree_min_margin=0.0,
    scope_weight=0.6,
    missing_outside=0.0,
    topic_weight=0.3,
    topic_lead_weight=0.3,
    min_score=40.0,
    agree_topic=0.5,
    agree_outside=0.05,
    agree_score=20.0,
)
"""Fitted by bench/calibrate_bands.py ("agree" family, wrong cost 0.75, confirm credit 0.5,
keeping the floors it lists) on every question set, each set's evidence from a topic model
that never saw it and each writer's scope likelihood from a model without that writer.
Confidence is the score, plus a quarter of the lead over the runner-up (up to 10 points),
plus 30 points times the topic signal's probability of the best entry and 30 points times
its lead over the likeliest other topic (mapped to 0..1: the signal and word matching agree),
less 60 points times the likelihood that the message is out of scope, less 10 when the whole
message ranks another entry first than the question inside it; answered at 70, short or long,
never below a word score of 40 (imposed since round 8) -- or, whatever the sum, when the
topic signal puts the best entry first at 0.5 or more, the scope signal finds the message at
most 0.05 likely out of scope and the word score is 20 or more (round 10: the right entry
first but held back was the largest miss; leaving each writer out top-1 93.8% -> 94.3%, wrong
1.3%, bench/BANDS.md). While the embeddings cannot be read neither model counts: both topic
terms only add and the agreement needs both signals, so the bars are then 70 on score and
lead alone, stricter than before either signal (48 and 44).
"""


def asked_texts(question: str) -> list[str]:
    """What meaning is measured on: the message, then each distinct ask found in it (so the
    last ask, or the message itself, comes last). A clause that may only tell (parts.asks_in:
    no question mark in a message that asks with one) is left out unless every ask tells, so
    "..., and I need to understand why" after the real question does not stand for it."""
    parts = [p for p in readings(question) if p.asked]
    asking = [p for p in parts if not p.tells] or parts  # a clause that only tells, only if all do
    return [question, *dict.fromkeys(p.asked for p in asking)]


_K = TypeVar("_K")
_V = TypeVar("_V")
RIVALS = 2
"""How many runner-ups the best entry is compared with in meaning."""
RECENT_TEXTS = 8
"""Vectors kept of the texts last asked about (one message and its asks): the ranking and the
bands ask about the same message in turn. Kept in memory only, and only this few."""


def _kept(recent: dict[_K, _V], key: _K, value: _V) -> dict[_K, _V]:
    """`recent` with `key` added, as a new dict (never changed in place: safe from any
    thread), emptied first when it holds RECENT_TEXTS already."""
    return {key: value} if len(recent) >= RECENT_TEXTS else recent | {key: value}


class Meaning:
    """Cosine similarity between a message and each entry's phrasings, embedded on demand.

    Only the few close contenders of a message are compared, so with 50,000 phrasings the
    cost stays that of embedding one message and, once each, the phrasings of the entries
    that come up.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        embed: Callable[[Sequence[str]], Vectors],
        scope: ScopeModel | None = None,
        topic: TopicModel | None = None,
    ) -> None:
        self._phrasings = {i: (*e.questions, e.title) for i, e in kb.entries.items()}
        self._embed = embed
        self._scope = scope
        self._topic = topic
        self._vectors: dict[str, Vectors] = {}
        self._centroids: dict[str, Vectors] = {}
        self._recent: dict[str, Vectors] = {}
        self._stacked: dict[tuple[str, ...], Vectors] = {}
        self._likely: dict[tuple[str, ...], dict[str, float]] = {}

    @classmethod
    def packaged(
        cls,
        kb: KnowledgeBase,
        scope: bool | ScopeModel = True,
        topic: bool | TopicModel = True,
    ) -> Meaning:
        """Over wordllama's packaged weights, loaded on first use (about 2 s, once a process),
        with the shipped scope and topic signals unless `scope` or `topic` is False (to train
        them); either may also be another model (to measure one)."""
        embedder = shared_embedder()

        def embed(texts: Sequence[str]) -> Vectors:
            if embedder.loading:  # the detector's background load: answer now without meaning
                raise EmbeddingsUnavailable("still loading")
            return embedder.embed(texts)

        return cls(
            kb,
            embed,
            ScopeModel.load() if scope is True else scope or None,
            TopicModel.load() if topic is True else topic or None,
        )

    def _of(self, entry: str) -> Vectors:
        vectors = self._vectors.get(entry)
        if vectors is None:
            vectors = self._vectors[entry] = self._embed(self._phrasings.get(entry, ()) or ("",))
        return vectors

    def _asked(self, texts: Sequence[str]) -> Vectors:
        """One row per text, each message embedded once although the ranking and then the
        bands ask about it (a vector depends on its text alone, not on the batch)."""
        key = tuple(texts)
        stacked = self._stacked.get(key)
        if stacked is None:
            stacked = self._stack(texts)
            stacked.flags.writeable = False  # shared by every caller asking about `texts`
            self._stacked = _kept(self._stacked, key, stacked)
        return stacked

    def _stack(self, texts: Sequence[str]) -> Vectors:
        recent = self._recent  # replaced, never changed in place: safe from any thread
        missing = [t for t in dict.fromkeys(texts) if t not in recent]
        if len(recent) + len(missing) > RECENT_TEXTS:
            recent = {t: v for t, v in recent.items() if t in texts}
        if missing:
            recent = recent | dict(zip(missing, self._embed(missing), strict=True))
        self._recent = recent
        return np.stack([recent[t] for t in texts])

    def closeness(self, text: str, entries: Sequence[str]) -> dict[str, float] | None:
        """Cosine of `text` to the mean of each entry's phrasings (what they share, less
        sensitive to one odd phrasing than the closest one); None without embeddings."""
        try:
            asked = self._asked([text])[0]
        except EmbeddingsUnavailable:
            return None
        return {entry: float(self._centroid(entry) @ asked) for entry in entries}

    def _centroid(self, entry: str) -> Vectors:
        centroid = self._centroids.get(entry)
        if centroid is None:
            mean = self._of(entry).mean(axis=0)
            norm = float(np.linalg.norm(mean))
            centroid = self._centroids[entry] = mean / norm if norm > 0 else mean
        return centroid

    def _closeness(self, asked: Vectors, top: str, others: Sequence[str]) -> float | None:
        if not others:
            return None

        def closeness(entry: str) -> float:
            return float(np.max(self._of(entry) @ asked.T))

        return closeness(top) - max(closeness(o) for o in others)

    def margin(self, texts: Sequence[str], top: str, others: Sequence[str]) -> float | None:
        """How much closer `texts` (the message and its asks) are to `top` than to `others`;
        None with no rival to compare with, or when the embeddings cannot be loaded."""
        try:
            return self._closeness(self._asked(texts), top, others) if others else None
        except EmbeddingsUnavailable:
            return None

    def topic(
        self, texts: Sequence[str], entries: Sequence[str] | None = None
    ) -> dict[str, float] | None:
        """The topic signal's probability of each of `entries` (by default every topic it
        knows that the knowledge still has: an admin may have removed one since it was
        trained) for `texts` (the message first, its last ask last); None without the model
        or the embeddings."""
        if self._topic is None:
            return None
        if entries is None:
            entries = [i for i in self._topic.ids if i in self._phrasings]
        key = tuple(texts)
        likely = self._likely.get(key)
        if likely is None:  # the ranking, the bands and the offers ask about one message
            try:
                x = topic_features(self._asked(texts))
            except EmbeddingsUnavailable:
                return None
            likely = self._topic.probabilities(x, self._topic.ids)
            self._likely = _kept(self._likely, key, likely)
        return {e: likely.get(e, 0.0) for e in entries}

    def scope_features(self, texts: Sequence[str], top: str) -> npt.NDArray[np.float64] | None:
        """The scope signal's input for `texts` (the message first, its last ask last) and the
        best entry `top`; None when the embeddings cannot be loaded."""
        try:
            return features(self._asked(texts), self._centroid(top))
        except EmbeddingsUnavailable:
            return None

    def weigh(self, texts: Sequence[str], evidence: Evidence) -> Evidence:
        """The evidence with its meaning margin, out-of-scope likelihood and topic probability
        filled in (each left None when it cannot be measured)."""
        try:
            asked = self._asked(texts)
        except EmbeddingsUnavailable:
            return evidence
        top = evidence.top.id
        outside = topic = lead = None
        if self._scope is not None:
            outside = self._scope.outside(features(asked, self._centroid(top)))
        if self._topic is not None and top not in self._topic.ids:
            # an entry added since the models were trained: neither confirmed nor doubted,
            # and the scope signal (which learned the article's scope, not this entry's)
            # counts its base rate
            topic, lead = UNLEARNED, 0.0
            outside = UNLEARNED_OUTSIDE if outside is not None else None
        elif (likely := self.topic(texts)) is not None:
            topic = likely[top]  # the probabilities the ranking already asked for
            lead = topic - max((p for e, p in likely.items() if e != top), default=0.0)
        meaning = self._closeness(asked, top, evidence.rivals)
        return replace(evidence, meaning=meaning, outside=outside, topic=topic, topic_lead=lead)
