"""Text normalisation shared by the loader and the matchers, so both sides compare alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lowercase, strip accents, turn punctuation into spaces and collapse whitespace.

    Apostrophes are dropped rather than spaced ("I'm" -> "im") because people type
    contractions both ways; digits are kept ("covid 19").
    """
    decomposed = unicodedata.normalize("NFKD", text)
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = _APOSTROPHES.sub("", no_marks.casefold())
    return _NON_WORD.sub(" ", lowered).strip()


class Synonyms:
    """Rewrites whole words/phrases to their canonical form, longest phrase first.

    Built once from a `variant -> canonical` map (both already normalised); `apply` takes
    normalised text. One regex pass, so a replacement is never rewritten again.
    """

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._map = {
            normalise(variant): normalise(canonical)
            for variant, canonical in mapping.items()
            if normalise(variant) and normalise(variant) != normalise(canonical)
        }
        variants = sorted(self._map, key=lambda v: (-len(v), v))
        self._pattern = (
            re.compile(r"(?<!\S)(?:" + "|".join(re.escape(v) for v in variants) + r")(?!\S)")
            if variants
            else None
        )

    def __len__(self) -> int:
        return len(self._map)

    def apply(self, normalised_text: str) -> str:
        """Replace every known variant in already-normalised text with its canonical form."""
        if self._pattern is None:
            return normalised_text
        return self._pattern.sub(lambda m: self._map[m.group(0)], normalised_text)

    def canonical(self, text: str) -> str:
        """Normalise raw text and apply the synonyms: the form both sides are compared in."""
        return self.apply(normalise(text))


# Words that carry no topic: question scaffolding, pronouns, auxiliaries, fillers. Contractions
# appear without apostrophes because `normalise` drops them ("im", "dont").
_STOP_WORDS_TEXT = """
    a about above after again all also am an and any anything are as at be because been before
    being below between both but by can cant could couldnt did didnt do does doesnt doing dont
    down during each else even ever every few for from further get gets getting got had hadnt
    has hasnt have havent having he her here hers herself him himself his how i id if im in
    into is isnt it its itself ive just know let lets like me might more most much must my
    myself no nor not now of off on once one only or other our ours ourselves out over own
    please quite rather really same shall she should shouldnt so some something such tell than
    thank thanks that thats the their theirs them themselves then there theres these they this
    those through thing things to too under until up us very was wasnt way we were what whats
    when where which while who whom whose why will with wont would wouldnt you youre your yours
    yourself yourselves hi hello hey ok okay pls plz u ur r ya
    """
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Everyday words that say little about the topic. A matcher ignores them when its knowledge
# does not use them, instead of treating them as signs of an unknown subject.
_GENERIC_WORDS_TEXT = """
    come came comes coming go goes going gone went put puts take takes taking took taken give
    gives gave given make makes made making see sees saw seen seeing look looks looking looked
    find found say says said saying ask asked asking think thinks thought want wants wanted
    need needs needed use used using try tried trying keep kept let seem seems seemed mean
    means meant play plays played catch catches caught become became call called show showed
    bring brought hold held run ran set sit sat leave left guess suppose wonder wondering
    curious explain explained describe told special normal usual usually common actual
    actually real real certain sure possible likely probably perhaps maybe whole total
    totally kind sort type bit lot lots thing stuff way ways role part case question
    questions answer answers reason reasons idea fact facts example someone somebody
    anyone anybody everyone everybody person people folks something everything nothing
    always never often sometimes still already since ago yet almost whenever wherever
    however though although whether around away exactly basically literally simply simple
    plain plainly short quick quickly please yeah yes nah yep hmm lol wow oh ah um so
    """
GENERIC_WORDS = frozenset(_GENERIC_WORDS_TEXT.split())

# (suffix, replacement) tried in order; a rule applies only if a stem of >= 3 letters remains.
_SUFFIXES = (
    ("ations", "at"),
    ("ation", "at"),
    ("nesses", ""),
    ("ness", ""),
    ("ments", ""),
    ("ment", ""),
    ("ities", ""),
    ("ity", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ory", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
    ("ly", ""),
    ("e", ""),
)


def stem(word: str) -> str:
    """A deliberately tiny suffix stripper so 'aches', 'aching' and 'ache' compare equal.

    Applied identically to questions and phrasings, so consistency matters more than
    linguistic accuracy. Digits and short words are left alone.
    """
    for _ in range(2):
        if len(word) <= 3 or word.isdigit():
            return word
        for suffix, replacement in _SUFFIXES:
            if not word.endswith(suffix):
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            base = word[: -len(suffix)] + replacement
            if len(base) >= 3:
                word = base
                break
        else:
            return word
    return word


class Speller:
    """Corrects a misspelt word to a known one ("cytokins" -> "cytokines"), built once.

    Allowed edits grow with word length (Damerau/OSA distance: a swap of two letters is one
    edit): none under 3 letters; up to 5 letters only a swap, a dropped letter or a doubled
    one, because a changed letter in a short word is usually another real word ("test" is
    not "rest"); one edit up to 7 letters, two beyond. Typos keep the first letter (or swap
    the first two). Among equally close words the most frequent wins.
    """

    def __init__(self, frequencies: Mapping[str, int]) -> None:
        self._freq = dict(frequencies)
        self._known = frozenset(frequencies)
        self._by_length: dict[int, tuple[str, ...]] = {}
        ordered = sorted(frequencies, key=lambda w: (-frequencies[w], w))
        for length in {len(w) for w in ordered}:
            self._by_length[length] = tuple(w for w in ordered if len(w) == length)

    def __contains__(self, word: object) -> bool:
        return word in self._known

    def correct(self, word: str) -> str | None:
        """The known word closest to `word`, or None when nothing is close enough."""
        if word in self._known:
            return word
        if len(word) < 3 or word.isdigit():
            return None
        allowed = 1 if len(word) <= 7 else 2
        best: tuple[float, int, str] | None = None
        for length in range(len(word) - allowed, len(word) + allowed + 1):
            choices = self._by_length.get(length, ())
            if not choices:
                continue
            hit = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=allowed)
            if hit is None:
                continue
            if not self._plausible(word, hit[0]):
                continue
            rank = (hit[1], -self._freq[hit[0]], hit[0])
            if best is None or rank < best:
                best = rank
        return best[2] if best else None

    @staticmethod
    def _plausible(typed: str, known: str) -> bool:
        """Typos keep the first letter (or swap the first two) and, in short words, only
        swap or drop letters."""
        if typed[0] != known[0] and sorted(typed[:2]) != sorted(known[:2]):
            return False
        if len(typed) > 5:
            return True
        if len(typed) == len(known) + 1:  # only a doubled letter typed twice ("jabb")
            return any(
                typed[i] == typed[i - 1] and typed[:i] + typed[i + 1 :] == known
                for i in range(1, len(typed))
            )
        return sorted(typed) == sorted(known) or len(known) == len(typed) + 1
