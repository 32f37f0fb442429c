"""Text normalisation shared by the loader and the matchers, so both sides compare alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

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
STOP_WORDS = frozenset(
    """
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
    """.split()
)

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
