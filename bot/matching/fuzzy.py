"""Matches a free-text question to one knowledge entry, and declines questions off the article.

Every phrasing is normalised, rewritten with the synonyms and stemmed once, at build time.
A question goes through the same steps, after chat shorthand is spelt out ("y" -> "why") and
misspelt words are corrected against the knowledge vocabulary and everyday English
("cytokins" -> "cytokines", "hte" -> "the", "awfull" -> "awful"). Each entry sharing a
content word with the question is then scored from four signals, all 0..1:

* coverage: the share of the question's IDF-weighted content words the entry explains; words
  the knowledge base has never seen count against it, so a question about something else that
  shares one word with the article ("where can I get a covid test") scores low;
* overlap: the share of the entry's best phrasing that the question covers;
* rapidfuzz similarity of the content words, and of the whole sentences (stop words kept, so
  "what can I do about it" still carries meaning).

Unknown everyday words ("couch", "purpose") cost little, fillers and politeness ("actually",
"could you tell me") are dropped, and words about the article itself ("what does the article
say about") only count when nothing topical is asked. The cost of declining sits instead on
a curated lexicon, kept as data in the knowledge folder (`scope:`, knowledge/scope.yaml): a
body part, illness or subject the article never discusses ("knee", "diabetes", "insurance",
"dog"), or a goal it cannot answer however on-topic ("how many", "lose weight", "recommend an
app", "is it covid or flu"), costs a fixed penalty, so the bot declines instead of answering
with the nearest fact.

A long message is also read in parts (bot/matching/parts.py): each ask alone and with the
sentence before it, so a story told first (age, days ill, who is ill) does not drown the
question. When the best two entries are within a few points, the one nearer the message in
meaning (static embeddings, bot/semantic/) may move first. At scale, the rarest question
words shortlist the candidate entries.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from rapidfuzz import fuzz, process

from bot import text as text_module
from bot.data.gc_pause import without_gc
from bot.knowledge import model as model_module
from bot.knowledge.model import KnowledgeBase
from bot.matching import negation, phrasing_cache, topic_signal
from bot.matching.bands import (
    CALIBRATED,
    RIVALS,
    Bands,
    Evidence,
    Meaning,
    Reading,
    asked_texts,
)
from bot.matching.base import MatchResult, Scored
from bot.matching.common_words import COMMON_WORDS
from bot.matching.named_patterns import NamedPatterns
from bot.matching.parts import Part, asks_suitability, readings
from bot.text import (
    CHAT_TYPOS,
    GENERIC_WORDS,
    STOP_WORDS,
    Speller,
    Synonyms,
    normalise,
    stem,
)

DEFAULT_THRESHOLD = 46.0
SUGGESTION_FLOOR = 25.0
MAX_SUGGESTIONS = 3
SHORTLIST = 200
"""A word in more entries than this only scores candidates that rarer words found."""
REFERENCE_ENTRIES = 25
"""Word weights (IDF) are those of a knowledge base of at most this many entries.

A word's weight is log(1 + n / df), df the entries using it. Past this size n stays here, and
a word in more entries weighs as one in all of them (log 2): a weight then depends on how
many entries use the word, not on how many there are. The range the thresholds and margins
were calibrated in (log 2 to log 26 on the article's 25 entries) holds at 50,000 phrasings,
and facts added about other things leave the weights of the words they do not use alone.
Uncapped, every word the new facts skip grew heavier (log 26 -> log 7,000 for a word of one
entry) and top-1 on the real questions fell from 95.0% to 93.4% (bench/scale.py). The cap is
the article's own size: at 32 (until round 6) a knowledge base grown past 25 entries still
made every word of the article 7-19% heavier (log 26 -> log 33 for one entry), words the
new facts never use included; at 25 the article's weights are the same alone and beside
50,000 phrasings."""
MEANING_RANK_WEIGHT = 0.2
"""A close contender gains this * 100 points per unit of cosine by which the message is
closer in meaning to it than to the best entry; chosen leave-one-writer-out with the gate
and the way an entry is embedded (bench/rank_meaning.py, bench/RANKING.md)."""
MEANING_RANK_GATE = 5.0
"""Meaning reorders the contenders only when the best leads the next by less than this."""
MEANING_CONTENDERS = 6
"""How many of the best entries meaning may reorder (Weights.max_candidates are scored)."""
OFF_TOPIC = "-off-topic-"
"""The decoy entry made of `scope: off_topic_questions`; never a real id (ids start a-z0-9)."""

_AUTHOR = "author"
_BACK = "back"
# A body part named beside the back is a comparison ("why my back and not my shoulders"); beside
# the whole body or a touch, it is where heightened pain is felt ("a light touch on my arm
# hurts", "stubbing my toe is agony, everything hurts"): then it counts as an unknown word only.
_WHOLE_BODY = frozenset({"body", "everything", "everywhere", "places", "whole", "touch"})
# Content words that say what kind of answer is wanted (a reason), not what it is about: they
# help pick between entries but never make a match on their own ("why?").
INTENT_WORDS = frozenset({"why"})

# "dose" opening a message, or before a pronoun or article, is the verb "does" mistyped, not an
# amount of medicine.
_DOES = re.compile(
    r"(?:^dose\b|\bdose (?=(?:my|the|it|its|this|that|a|an|your|you|i|he|she|they|we|her|his"
    r"|their|our|everyone|every|any|long|covid|flu|back|pain|sickness|being)\b))"
)


@dataclass(frozen=True)
class Weights:
    """How the signals combine (relative weights) and how hard unknown words count.

    Defaults were chosen by a grid search over all tests/data/*questions*.tsv sets together
    with the paraphrases in tests/test_matching.py; many nearby settings do as well.
    """

    @property
    def signal_total(self) -> float:
        return self.coverage + self.overlap + self.content_fuzzy + self.text_fuzzy

    coverage: float = 0.45
    overlap: float = 0.25
    content_fuzzy: float = 0.2
    text_fuzzy: float = 0.4
    unknown: float = 0.6
    """Weight of an unknown question word, as a fraction of the rarest known word's IDF."""
    answer_credit: float = 0.5
    """An entry explains a word found only in its answer this much as well as a phrasing."""
    common_unknown: float = 0.15
    """An unknown word that is everyday English ("awful", "yesterday") counts this much."""
    treatment_unknown: float = 2.0
    """A treatment the article does not cover ("physio") counts this much."""
    off_topic_penalty: float = 30.0
    unknown_exponent: float = 0.8
    """The whole score is scaled by (known share of the question) ** this."""
    max_candidates: int = 6
    ask_weight: float = 1.0
    """A reading of one ask inside a long message scores this share of its own score."""
    context_off_topic: float = 0.5
    """Off-topic words in the rest of a long message cost this share of the penalty when the
    ask asks whether something is safe or fine for the person (parts.asks_suitability)."""
    story_off_topic: float = 0.0
    """Off-topic words in the rest of a long message, outside the ask's sentence, cost this
    share of the penalty otherwise: the story says who is ill and what else they do ("he's
    38, usually up at five for the gym", "I'm 61 with type 2 diabetes"), not what is asked."""
    margin: float = 0.0
    long_threshold_offset: float = -4.0
    """Added to the threshold for a long message (story first, then the ask)."""
    long_margin: float = 4.0
    """The margin for a long message."""
    story_unknown: float = 0.2
    """An unknown word in the story before an ask counts this much (an everyday one less)."""
    long_words: int = 25
    """A message of more words than this is long: its score is spread over a story."""
    """A best entry less than this ahead of the next is offered ("Did you mean"), not given."""
    """Off-topic words in the rest of a long message cost this share of the penalty."""


@dataclass(frozen=True)
class Analysis:
    """What the matcher made of a question (exposed for diagnostics and tests)."""

    text: str
    """The question after spelling correction and synonyms, stop words kept."""
    terms: tuple[str, ...]
    """Knowledge stems found in the question."""
    unknown: tuple[str, ...]
    off_topic: tuple[str, ...]
    story_unknown: float = 0.0
    """How much the unknown words of a story told before the ask count in all."""

    @property
    def content(self) -> str:
        return " ".join(self.terms + self.unknown)


@dataclass(frozen=True, slots=True)
class _Phrasing:
    """One phrasing, its words sorted once at build time (token_sort_ratio = ratio of these).

    Slots: 50,000 of them at scale, each read on every match (twice as fast as a named
    tuple's fields on Python 3.11) and smaller than with a __dict__.
    """

    entry: int
    text: str
    content: str
    terms: frozenset[str]
    weight: float


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


_FORM_CODE = (text_module.__file__, model_module.__file__, __file__)
"""The code a phrasing's compared forms are made by (`FuzzyMatcher._phrasing_forms`)."""

_stem = lru_cache(maxsize=1 << 16)(stem)
"""Stems repeat across phrasings (and questions): each word is stemmed once."""


def _content_stems(canonical: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(map(_stem, [w for w in canonical.split() if w not in STOP_WORDS])))


class FuzzyMatcher:
    """Question-to-entry matcher over one KnowledgeBase; immutable once built."""

    @without_gc  # builds one big acyclic structure: the collector would only re-scan it
    def __init__(
        self,
        kb: KnowledgeBase,
        threshold: float = DEFAULT_THRESHOLD,
        suggestion_floor: float = SUGGESTION_FLOOR,
        max_suggestions: int = MAX_SUGGESTIONS,
        weights: Weights | None = None,
        bands: Bands | None = None,
        meaning: Meaning | None = None,
    ) -> None:
        self.kb = kb
        self.threshold = threshold
        self.suggestion_floor = suggestion_floor
        self.max_suggestions = max_suggestions
        self.weights = weights or Weights()
        lexical = Bands(  # score and margin only, as before the bands were calibrated
            threshold=DEFAULT_THRESHOLD,
            long_threshold=DEFAULT_THRESHOLD + self.weights.long_threshold_offset,
            min_margin=self.weights.margin,
            long_min_margin=self.weights.long_margin,
        )
        self.bands = (bands or lexical).shifted(threshold - DEFAULT_THRESHOLD)
        self._meaning = meaning
        self._synonyms = Synonyms(kb.synonyms)
        self._scope = scope = kb.scope
        self._meta_stems = frozenset(stem(w) for w in scope.meta_words)
        entries = tuple(kb.entries.values())
        plain, texts, stems_of = self._phrasing_forms([(*e.questions, e.title) for e in entries])
        answers = [normalise(e.answer) for e in entries]  # for the speller and the vocabularies
        self._ids = tuple(kb.entries)
        if scope.off_topic_questions:  # questions an admin marked off-topic: a decoy entry
            self._ids += (OFF_TOPIC,)
            texts.append([self._canonical(q) for q in scope.off_topic_questions])
            stems_of.append([_content_stems(t) for t in texts[-1]])
            answers.append("")
        topic_words: set[str] = set()
        for group in texts:
            for text in group:
                topic_words.update(text.split())
        self._topic_words = frozenset(topic_words)
        self._phrase_vocab = [frozenset().union(*group) for group in stems_of]
        self._answer_vocab = [
            frozenset(_content_stems(self._synonyms.apply(answer))) - vocab
            for answer, vocab in zip(answers, self._phrase_vocab, strict=True)
        ]
        self._idf = self._compute_idf()
        self._unknown_weight = self.weights.unknown * max(self._idf.values(), default=1.0)
        self._index = self._build_index()
        self._postings: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._texts, self._stems_of = texts, stems_of
        self._by_entry: dict[int, tuple[_Phrasing, ...]] = {}
        """Each entry's phrasings ready to compare, made the first time it is a candidate: at
        50,000 phrasings most entries never are, and making them all cost a fifth of the
        build (a pure function of the entry, so concurrent use only repeats work)."""
        self._speller = Speller(
            self._word_frequencies(kb, plain, answers[: len(entries)]),
            COMMON_WORDS
            | scope.other_body_parts
            | scope.other_subjects
            | scope.treatments_not_covered
            | scope.young_people,
            policy=CHAT_TYPOS,
        )
        self._unanswerable = NamedPatterns(scope.unanswerable)
        self._analyse = lru_cache(maxsize=4096)(self._analyse_uncached)
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)

    # ---- build time -------------------------------------------------------------------------

    def _phrasing_forms(self, groups: list[tuple[str, ...]]) -> phrasing_cache.Forms:
        """Each entry's phrasings normalised, canonical and stemmed (cached across starts)."""

        def make() -> phrasing_cache.Forms:
            plain = [[normalise(q) for q in group] for group in groups]
            canonical = self._canonical_normalised
            texts = [[canonical(q) for q in group] for group in plain]
            return plain, texts, [[_content_stems(t) for t in group] for group in texts]

        fillers = self._scope.fillers
        made_by = (
            unicodedata.unidata_version,
            "" if fillers is None else f"{fillers.flags} {fillers.pattern}",
            json.dumps(list(self.kb.synonyms.items())),
        )
        return phrasing_cache.forms(groups, made_by, _FORM_CODE, make)

    def _canonical(self, text: str) -> str:
        """Normalised, fillers dropped, synonyms applied: how phrasings are compared."""
        return self._canonical_normalised(normalise(text))

    def _canonical_normalised(self, normalised: str) -> str:
        return self._synonyms.apply(self._scope.drop_fillers(normalised))

    def _word_frequencies(
        self, kb: KnowledgeBase, phrasings: Iterable[Iterable[str]], answers: Iterable[str]
    ) -> Mapping[str, int]:
        """Words the speller may correct to: phrasings count most, then synonyms, answers.

        `phrasings` are every entry's questions and title, `answers` every entry's answer,
        all already normalised. Counted at once, each phrasing's words once, by iterators
        that stay in C (a Counter fed word by word is much slower).
        """
        in_phrasings = Counter(chain.from_iterable(map(set, map(str.split, chain(*phrasings)))))
        counts = Counter({w: 3 * n for w, n in in_phrasings.items()})
        counts.update(chain.from_iterable(map(str.split, answers)))
        for variant, canonical in kb.synonyms.items():
            counts.update({w: 2 for w in f"{variant} {canonical}".split()})
        counts.update({w: 5 for w in STOP_WORDS})
        counts.update({w: 1 for w in GENERIC_WORDS})
        for word in self._scope.other_body_parts | self._scope.other_subjects:
            counts.pop(word, None)
        return counts

    def _compute_idf(self) -> dict[str, float]:
        """log(1 + n / df) over the entries, with n at most REFERENCE_ENTRIES (see there)."""
        n = min(max(len(self._ids), 1), REFERENCE_ENTRIES)
        phrase_df = Counter(t for vocab in self._phrase_vocab for t in vocab)
        answer_df = Counter(t for vocab in self._answer_vocab for t in vocab)
        return {
            term: math.log(1.0 + n / min(phrase_df.get(term) or answer_df[term], n))
            for term in phrase_df.keys() | answer_df.keys()
        }

    def _weight(self, stems: Iterable[str]) -> float:
        return sum(self._idf.get(t, 0.0) for t in stems)

    def _phrasings(self, i: int) -> tuple[_Phrasing, ...]:
        """Entry `i`'s phrasings that have a content word, ready to compare."""
        made = self._by_entry.get(i)
        if made is None:
            idf = self._idf
            made = self._by_entry[i] = tuple(
                _Phrasing(
                    i,
                    " ".join(sorted(text.split())),
                    " ".join(sorted(stems)),  # stems are single words
                    frozenset(stems),
                    sum(map(idf.__getitem__, stems)),  # every phrasing stem has a weight
                )
                for text, stems in zip(self._texts[i], self._stems_of[i], strict=True)
                if stems
            )
        return made

    def _build_index(self) -> dict[str, tuple[int, ...]]:
        index: dict[str, list[int]] = defaultdict(list)
        for i, (phrase, answer) in enumerate(
            zip(self._phrase_vocab, self._answer_vocab, strict=True)
        ):
            for term in phrase | answer:
                index[term].append(i)
        return {t: tuple(ids) for t, ids in index.items()}

    # ---- query time -------------------------------------------------------------------------

    def _correct_uncached(self, word: str) -> str:
        scope = self._scope
        if word in self._speller or word in scope.other_body_parts or word in scope.other_subjects:
            return word
        fixed = self._speller.correct(word)
        if fixed is not None:
            return fixed
        for cut in range(3, len(word) - 2):  # two words typed as one: "backpain"
            left, right = word[:cut], word[cut:]
            halves = (left, right)
            if all(h in self._speller and h not in STOP_WORDS for h in halves):
                return f"{left} {right}"
        return word

    def analyse(self, question: str) -> Analysis:
        """The question's content words: known stems, unknown words and off-topic words.
        Words it says are absent ("no MSK injury") are not read (bot/matching/negation.py)."""
        return self._analyse(normalise(negation.without_negated(question)))

    def _analyse_uncached(self, normalised: str) -> Analysis:
        scope = self._scope
        expanded = scope.expand_text_speak(normalised)
        if "dose" in expanded:  # the only word _DOES rewrites
            expanded = _DOES.sub("does ", expanded)
        corrected = " ".join(map(self._correct, expanded.split()))
        text = self._synonyms.apply(scope.drop_fillers(corrected))
        words = text.split()
        about_author = _AUTHOR in words
        near_back = _BACK in words
        whole_body = not _WHOLE_BODY.isdisjoint(words)
        terms: dict[str, None] = {}
        unknown: dict[str, None] = {}
        off_topic: dict[str, None] = {}
        for word in words:
            if word in STOP_WORDS or word.isdigit():
                continue
            root = _stem(word)
            if word in self._topic_words:
                terms[root] = None
                continue
            if word in scope.other_body_parts and (near_back or whole_body):
                if not near_back:
                    unknown[word] = None
                continue
            other = (
                word in scope.other_subjects
                or word in scope.other_body_parts
                or (word in scope.young_people and not scope.children_medicines.isdisjoint(words))
            )
            if about_author and (other or word in scope.treatments_not_covered):
                continue  # "is the author a physio" asks about the article
            if other:
                off_topic[word] = None
            elif root in self._idf and word not in GENERIC_WORDS:
                terms[root] = None  # a word only answers use counts unless it is scaffolding
            elif word not in GENERIC_WORDS:
                unknown[word] = None
        topical = [t for t in terms if t not in INTENT_WORDS and t not in self._meta_stems]
        if topical:
            terms = {t: None for t in terms if t not in self._meta_stems}
            unknown = {u: None for u in unknown if u not in scope.meta_words}
        said = (corrected,) if corrected == expanded else (corrected, expanded)  # most messages
        for name in self._unanswerable.names(said):
            off_topic[name] = None
        return Analysis(text, tuple(terms), tuple(unknown), tuple(off_topic))

    def _focused(self, part: Part) -> Analysis:
        """An ask read with its story: the story's topic words count, its other words less.

        People tell who is ill, their age, job and what they tried before asking; those
        words say nothing about which fact is wanted, so they neither dilute the ask nor,
        when off the article ("my physio friend", "gym bro here"), veto it.
        """
        ask = self.analyse(part.asked or part.text)
        if not part.context:
            return ask
        story = self.analyse(part.context)
        share = self.weights.story_unknown
        return Analysis(
            ask.text,
            tuple(dict.fromkeys(ask.terms + story.terms)),
            ask.unknown,
            ask.off_topic,
            story_unknown=share * len(set(story.unknown) - set(ask.unknown)),
        )

    def rank(self, question: str) -> tuple[Scored, ...]:
        """Every entry sharing a content word with the question, best first (scores 0-100)."""
        return self._read(question, self.analyse(question)).ranked

    def _rank(
        self, analysis: Analysis, lenient: bool, scale_by: float = 1.0, extra_penalty: float = 0.0
    ) -> tuple[Scored, ...]:
        """`lenient` counts treatments the article skips as everyday words: for suggestions."""
        if not set(analysis.terms) - INTENT_WORDS:
            return ()
        w = self.weights
        extra = (
            len(analysis.off_topic)
            + sum(self._unknown_share(u, lenient) for u in analysis.unknown)
            + analysis.story_unknown
        )
        known = self._weight(analysis.terms)
        total = known + self._unknown_weight * extra
        coverage = self._coverage(analysis.terms, total)
        if len(coverage) > w.max_candidates:
            # Ties at the cut go by entry id, not by where the entries sit in the files, so
            # adding facts elsewhere never changes which of two equal candidates is kept.
            ids = self._ids
            keep = heapq.nsmallest(
                w.max_candidates, coverage, key=lambda i: (-coverage[i], ids[i])
            )
            coverage = {i: coverage[i] for i in keep}
        phrasing = self._phrasing_scores(analysis, coverage.keys())
        penalty = w.off_topic_penalty * len(analysis.off_topic) + extra_penalty
        known_share = (known / total) ** w.unknown_exponent
        scale = 100.0 / w.signal_total
        scored = [
            Scored(
                self._ids[i],
                _clamp(
                    scale_by * scale * (w.coverage * cov + phrasing[i]) * known_share - penalty
                ),
            )
            for i, cov in coverage.items()
        ]
        return tuple(sorted(scored, key=_best_first))

    def _unknown_share(self, word: str, lenient: bool) -> float:
        if word in self._scope.treatments_not_covered and not lenient:
            return self.weights.treatment_unknown
        if word in COMMON_WORDS and word not in self._scope.young_people:
            return self.weights.common_unknown
        return 1.0

    def _coverage(self, terms: tuple[str, ...], total: float) -> dict[int, float]:
        """Share of the question's weight each candidate entry explains.

        The rarest words pick the candidates; a word many entries share (more than
        `SHORTLIST` of them) only adds weight to candidates already found, so a question
        costs about the same with 50,000 phrasings as with 300. With the real knowledge base
        (25 entries) no word is that common and every entry sharing a word is scored.
        """
        explained: dict[int, float] = defaultdict(float)
        answer_credit = self.weights.answer_credit
        phrase, answer = self._phrase_vocab, self._answer_vocab
        for term in sorted(terms, key=lambda t: -self._idf[t]):
            weight = self._idf[term]
            postings = self._index.get(term, ())
            if len(postings) > SHORTLIST:
                # Common to many entries: it only scores candidates rarer words found (or,
                # when it is the rarest word asked, the first SHORTLIST entries using it).
                postings = (
                    tuple(i for i in explained if term in phrase[i] or term in answer[i])
                    if explained
                    else postings[:SHORTLIST]
                )
                for i in postings:
                    credit = 1.0 if term in phrase[i] else answer_credit
                    explained[i] += weight * credit
                continue
            # Each entry gains the word's weight once, so the order they gain it in does not
            # change a sum: the entries using it in phrasings, then those in answers only.
            phrased, answered = self._split(term, postings)
            for i in phrased:
                explained[i] += weight
            if answered:
                credited = weight * answer_credit
                for i in answered:
                    explained[i] += credited
        return {i: v / total for i, v in explained.items()} if total else {}

    def _split(
        self, term: str, postings: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The entries using `term` (at most SHORTLIST) split by where: in phrasings, or in
        the answer only. Made the first time the term is asked about (a pure function of the
        index: concurrent use only repeats work)."""
        made = self._postings.get(term)
        if made is None:
            phrase = self._phrase_vocab
            made = self._postings[term] = (
                tuple(i for i in postings if term in phrase[i]),
                tuple(i for i in postings if term not in phrase[i]),
            )
        return made

    def _phrasing_scores(self, analysis: Analysis, candidates: Iterable[int]) -> dict[int, float]:
        """Best combined phrasing overlap and fuzzy similarity per candidate entry.

        Only phrasings sharing a word with the question are compared: the others cannot be
        an entry's best phrasing in practice, and skipping them keeps a match well under 1 ms.
        """
        w = self.weights
        terms = set(analysis.terms)
        pool = [
            p
            for i in sorted(candidates)
            for p in self._phrasings(i)
            if not terms.isdisjoint(p.terms)
        ]
        content = process.extract(
            _sorted_words(analysis.content),
            [p.content for p in pool],
            scorer=fuzz.ratio,
            limit=None,
        )
        whole = {
            k: sim
            for _, sim, k in process.extract(
                _sorted_words(analysis.text), [p.text for p in pool], scorer=fuzz.ratio, limit=None
            )
        }
        weight_of = self._idf.__getitem__
        best: dict[int, float] = defaultdict(float)
        for _, sim, k in content:
            p = pool[k]
            overlap = sum(map(weight_of, p.terms & terms)) / p.weight
            value = w.overlap * overlap + (w.content_fuzzy * sim + w.text_fuzzy * whole[k]) / 100
            if value > best[p.entry]:
                best[p.entry] = value
        return best

    def match(self, question: str) -> MatchResult:
        whole = self.analyse(question)
        reading = self._read(question, whole)
        ranked, also = reading.ranked, reading.also
        if not ranked:  # nothing shares a word, or alike to a question marked off-topic
            return MatchResult(question, None)
        top: Scored | None
        answers = self._decide(question, reading)
        sure = self._sure_unranked(question, ranked) if answers else None
        if sure is not None:  # would answer, but the topic is one word matching missed: ask
            cap = _clamp(min(ranked[0].score, self.threshold - 0.1))
            rest = (Scored(sure, cap), *(Scored(s.id, min(s.score, cap)) for s in ranked))
            top, also = None, None
        elif answers:
            top, rest = ranked[0], ranked[1:]
        elif any(u in self._scope.treatments_not_covered for u in whole.unknown):
            # Declined for a treatment the article skips ("yoga"): still offer what it covers.
            cap = _clamp(self.threshold - 0.1)  # still below the bar, as a decline should be
            rest = tuple(Scored(s.id, min(s.score, cap)) for s in self._rank(whole, True))
            top, also = None, None
        else:
            rest = self._offered_by_topic(question, ranked)
            top, also = None, None
        if also is not None:
            rest = (also, *(s for s in rest if s.id != also.id))
        suggestions = tuple(
            s for s in rest if s.score >= self.suggestion_floor and s.id != OFF_TOPIC
        )
        return MatchResult(question, top, suggestions[: self.max_suggestions], also)

    def evidence(self, question: str) -> Evidence | None:
        """What the answer/confirm decision can see, meaning included when the matcher has
        it (None when no entry is close at all): for calibration and diagnostics."""
        reading = self._read(question, self.analyse(question))
        if not reading.ranked:
            return None
        return self._with_meaning(question, self._evidence(question, reading))

    def _decide(self, question: str, reading: Reading) -> bool:
        """Answer? Meaning is only consulted when it could change the decision."""
        evidence = self._evidence(question, reading)
        if self.bands.undecided(evidence):
            # the meaning margin counts 0 points in bands that do not weigh it: not measured
            evidence = self._with_meaning(question, evidence, self.bands.meaning_weight != 0.0)
        return self.bands.answers(evidence)

    def _evidence(self, question: str, reading: Reading) -> Evidence:
        """The best contender against the runner-up; a second ask's answer is no rival."""
        also = reading.also
        contenders = [s for s in reading.ranked if also is None or s.id != also.id]
        top = contenders[0]
        return Evidence(
            top,
            contenders[1].score if len(contenders) > 1 else 0.0,
            long=len(question.split()) > self.weights.long_words,
            agree=bool(reading.whole) and reading.whole[0].id == top.id,
            rivals=tuple(s.id for s in contenders[1 : 1 + RIVALS]),
        )

    def _with_meaning(self, question: str, evidence: Evidence, margin: bool = True) -> Evidence:
        """The evidence with how much closer in meaning the message (and each ask in it) is
        to the best entry than to its rivals (unless `margin` is False), its out-of-scope
        likelihood and topic probability; unchanged without embeddings."""
        if self._meaning is None:
            return evidence
        return self._meaning.weigh(asked_texts(question), evidence, margin)

    def _read(self, question: str, whole: Analysis) -> Reading:
        """Best score per entry over every reading of the message, and a second ask's answer.

        When a message asks two things the article answers, the first ask is answered and
        the other is returned apart, so the bot can offer it.
        """
        best: dict[str, float] = {}
        whole_ranked: tuple[Scored, ...] = ()
        by_ask: dict[int, Scored] = {}
        for part in readings(question):
            if part.ask is None:
                told = whole if part.text == question else self.analyse(part.text)
                ranked = whole_ranked = self._rank(told, lenient=False)
            else:
                analysis = self._focused(part)
                own = set(analysis.off_topic)
                beside = set(self.analyse(part.rest).off_topic) - own
                elsewhere = len(set(whole.off_topic) - own - beside)
                w = self.weights
                share = w.context_off_topic if asks_suitability(part.asked) else w.story_off_topic
                ranked = self._rank(
                    analysis,
                    lenient=False,
                    scale_by=w.ask_weight * part.weight,
                    extra_penalty=w.off_topic_penalty * (len(beside) + share * elsewhere),
                )
            for s in ranked:
                best[s.id] = max(best.get(s.id, 0.0), s.score)
            if part.ask is not None and not part.tells and ranked:
                seen = by_ask.get(part.ask)
                if seen is None or ranked[0].score > seen.score:
                    by_ask[part.ask] = ranked[0]
        ranked = _sorted_scores(best)
        if ranked and ranked[0].id == OFF_TOPIC:  # alike to a question marked off-topic
            return Reading((), whole_ranked)
        ranked = tuple(s for s in ranked if s.id != OFF_TOPIC)
        ranked = self._by_topic(question, self._by_meaning(question, ranked))
        confident = [
            by_ask[n]
            for n in sorted(by_ask)
            if by_ask[n].score >= self.threshold and by_ask[n].id != OFF_TOPIC
        ]
        if len({s.id for s in confident}) < 2:
            return Reading(ranked, whole_ranked)
        first = next(s for s in ranked if s.id == confident[0].id)
        also = next(s for s in confident if s.id != first.id)
        ranked = (first, *(s for s in ranked if s.id != first.id))
        return Reading(ranked, whole_ranked, also)

    def _by_meaning(self, question: str, ranked: tuple[Scored, ...]) -> tuple[Scored, ...]:
        """When the two best are close, a contender nearer the message in meaning gains.

        Each close contender gains MEANING_RANK_WEIGHT * 100 * how much closer the message
        is in meaning to its phrasings (their mean) than to the best entry's, so it may move
        first; no score falls, so meaning never widens the best entry's lead. A lead of
        MEANING_RANK_GATE points or more is left alone: measured, that cost nothing in
        accuracy and spares most messages an embedding.
        """
        close = ranked[:MEANING_CONTENDERS]
        if (
            self._meaning is None
            or len(close) < 2
            or close[0].score - close[1].score >= MEANING_RANK_GATE
        ):
            return ranked
        cosine = self._meaning.closeness(negation.without_negated(question), [s.id for s in close])
        return ranked if cosine is None else _raised(ranked, cosine, MEANING_RANK_WEIGHT)

    def _by_topic(self, question: str, ranked: tuple[Scored, ...]) -> tuple[Scored, ...]:
        """When the two best are close, a contender the topic signal finds likelier gains
        (bot/matching/topic_signal.py): topic_signal.RANK_WEIGHT * 100 points per unit of
        probability above the best entry's. A lead of topic_signal.RANK_GATE is left alone."""
        close = ranked[:MEANING_CONTENDERS]
        if (
            self._meaning is None
            or len(close) < 2
            or close[0].score - close[1].score >= topic_signal.RANK_GATE
        ):
            return ranked
        likely = self._meaning.topic(asked_texts(question), [s.id for s in close])
        if likely is None:
            return ranked
        return _raised(ranked, likely, topic_signal.RANK_WEIGHT, topic_signal.RANK_CAP)

    def _surest(self, question: str, threshold: float, taken: set[str]) -> str | None:
        """The model's likeliest topic when it reaches `threshold` and is not in `taken`."""
        if self._meaning is None or math.isinf(threshold):
            return None
        likely = self._meaning.topic(asked_texts(question))
        if not likely:
            return None
        sure = max(likely, key=likely.__getitem__)
        return None if likely[sure] < threshold or sure in taken else sure

    def _sure_unranked(self, question: str, ranked: tuple[Scored, ...]) -> str | None:
        """The topic the model gives topic_signal.ANSWER_SURE or more, when word matching
        did not rank it at all; None otherwise."""
        return self._surest(question, topic_signal.ANSWER_SURE, {s.id for s in ranked})

    def _offered_by_topic(self, question: str, ranked: tuple[Scored, ...]) -> tuple[Scored, ...]:
        """Unsure ("Did you mean ...?"): the entries that would be offered, in the order
        topic_signal.offer_order gives (word score and topic; ORDER_SUGGESTIONS); and a
        topic the model gives topic_signal.OFFER_SURE or more first of all, even if word
        matching would not have offered it (it may share no word with the message). One look
        at the model for both."""
        shown = [s for s in ranked if s.score >= self.suggestion_floor and s.id != OFF_TOPIC]
        shown = shown[: self.max_suggestions]
        if self._meaning is None or not shown:
            return ranked
        likely = self._meaning.topic(asked_texts(question))
        if not likely:
            return ranked
        if topic_signal.ORDER_SUGGESTIONS and len(shown) >= 2:
            near = None
            if topic_signal.OFFER_MEANING_WEIGHT:
                cosine = self._meaning.closeness(
                    negation.without_negated(question), [s.id for s in shown]
                )
                near = [cosine[s.id] for s in shown] if cosine is not None else None
            order = topic_signal.offer_order(
                [s.score for s in shown], [likely.get(s.id, 0.0) for s in shown], closeness=near
            )
            shown = [shown[k] for k in order]
            ranked = (*shown, *(s for s in ranked if s not in shown))
        sure = max(likely, key=likely.__getitem__)
        if likely[sure] < topic_signal.OFFER_SURE or any(s.id == sure for s in shown):
            return ranked
        offered = Scored(sure, shown[0].score)  # worded as sure as the best offer, no surer
        return (offered, *(s for s in ranked if s.id != sure))


def _raised(
    ranked: tuple[Scored, ...],
    signal: Mapping[str, float],
    weight: float,
    cap: float = math.inf,
) -> tuple[Scored, ...]:
    """The close contenders (those in `signal`) raised by weight * 100 per unit of signal
    above the best entry's, to at most `cap` points above the best score; no score falls, so
    a signal never widens the best one's lead."""
    best, most = signal[ranked[0].id], ranked[0].score + cap
    raised = {
        s.id: _clamp(max(s.score, min(most, s.score + weight * 100.0 * (signal[s.id] - best))))
        for s in ranked
        if s.id in signal
    }
    return _sorted_scores({s.id: s.score for s in ranked} | raised)


def _sorted_scores(scores: Mapping[str, float]) -> tuple[Scored, ...]:
    return tuple(sorted((Scored(i, v) for i, v in scores.items()), key=_best_first))


def _best_first(scored: Scored) -> tuple[float, str]:
    return (-scored.score, scored.id)


def _clamp(score: float) -> float:
    return round(max(0.0, min(100.0, score)), 1)


def build_matcher(kb: KnowledgeBase, threshold: float = DEFAULT_THRESHOLD) -> FuzzyMatcher:
    """The matcher the bot uses: bands calibrated by bench/calibrate_bands.py."""
    meaning = Meaning.packaged(kb) if CALIBRATED.uses_meaning else None
    return FuzzyMatcher(kb, threshold=threshold, bands=CALIBRATED, meaning=meaning)
