"""Text normalisation shared by the loader and the matchers, so both sides compare alike."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Before accents are folded: "´" decomposes to a space and an accent, so it is mapped first.
_PUNCTUATION = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "—": "--", "–": "--"}
)
_MARKED_TOKEN = re.compile(r"\d+[.,]\d+|[a-z0-9]+|[.!?;\n]+|[,:()]")
_WORD_BYTES = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256)
)
"""Bytes table: a lowercase letter or digit stays, any other byte becomes a space."""


def fold_keeping_apostrophes(text: str) -> str:
    """The one place that decides what a character becomes; every normaliser reads this.

    Accents and compatibility forms are folded ("é" -> "e", full-width "Ａ" -> "a", "…" ->
    "..."), case is folded ("ß" -> "ss"), every apostrophe becomes "'", curly double quotes
    '"', a long dash "--"; any other character outside ASCII becomes a space ("hurt😭myself"
    is two words). ASCII punctuation is kept for the views that read it as markers.
    """
    if text.isascii():
        return text.replace("`", "'").lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_ASCII.sub(" ", plain)


def fold(text: str) -> str:
    """`fold_keeping_apostrophes` with apostrophes joined ("I'm" -> "im"), because people
    type contractions both ways."""
    return fold_keeping_apostrophes(text).replace("'", "")


def normalise(text: str) -> str:
    """Folded words only: punctuation becomes spaces, whitespace collapses ("covid 19").

    `fold` gives ASCII, so a bytes table does what `[^a-z0-9]+` -> " " did, five times
    faster (every phrasing at start-up, every message and each of its parts at match time).
    """
    ascii_text = fold(text).encode("ascii")
    return " ".join(ascii_text.translate(_WORD_BYTES).decode("ascii").split())


def normalise_marked(text: str) -> str:
    """Folded words separated by single spaces, where "." stands for a sentence end and ","
    for a clause break, so a pattern's word gap never runs across them; decimals are kept."""
    out = [
        token if token[0].isalnum() else ("," if token[0] in ",:()" else ".")
        for token in _MARKED_TOKEN.findall(fold(text))
    ]
    return " " + " ".join(out) + " "


class Synonyms:
    """Rewrites whole words/phrases to their canonical form, longest phrase first.

    Built once from a `variant -> canonical` map (both already normalised); `apply` takes
    normalised text. One left-to-right pass over the words, trying the longest phrase that
    starts at each word, so a replacement is never rewritten again.
    """

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._map = {
            normalise(variant): normalise(canonical)
            for variant, canonical in mapping.items()
            if normalise(variant) and normalise(variant) != normalise(canonical)
        }
        lengths: dict[str, set[int]] = defaultdict(set)
        for variant in self._map:
            first, *rest = variant.split()
            lengths[first].add(len(rest) + 1)
        self._starts = {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()}
        """First word of a variant -> how many words the variants starting with it have,
        most first: only phrases of those lengths are looked up ("is" starts none of one)."""

    def __len__(self) -> int:
        return len(self._map)

    def apply(self, normalised_text: str) -> str:
        """Replace every known variant in already-normalised text with its canonical form."""
        words = normalised_text.split()
        starts = self._starts
        if starts.keys().isdisjoint(words):  # most texts: one set operation, no loop
            return normalised_text
        hits = [i for i, w in enumerate(words) if w in starts]
        out: list[str] = []
        done = 0  # words before this index are already in `out`
        for i in hits:
            if i < done:
                continue  # inside a phrase already replaced
            for n in starts[words[i]]:
                if n > len(words) - i:
                    continue
                found = self._map.get(" ".join(words[i : i + n]))
                if found is not None:
                    out.extend(words[done:i])
                    out.append(found)
                    done = i + n
                    break
        out.extend(words[done:])
        return " ".join(out)

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
    when where which while who whom whose will with wont would wouldnt you youre your yours
    yourself yourselves hi hello hey ok okay pls plz u ur r ya whos hows wheres whys whens
    theyre theyve youve weve shes hes yall aint gonna wanna gotta arent werent
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
    wicked massive terrible terribly horrible insane crazy mad super heaps bloody freaking
    damn absolutely completely utterly properly pretty awful awfully mate bro dude
    good may might morning afternoon evening grateful appreciate kindly instantly suddenly
    whatever typical typically
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


@lru_cache(maxsize=1 << 16)
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


@dataclass(frozen=True, slots=True)
class Reach:
    """How far a typed word of some length may be from its correction."""

    distance: Callable[..., int]
    """A rapidfuzz distance (`OSA.distance`, `Indel.distance`)."""
    limit: int
    """The largest distance accepted."""
    lengths: int
    """How many letters longer or shorter than the typed word a correction may be."""


Rank = Callable[[str, str, int, int], "tuple[object, ...] | None"]
"""(typed, known, distance, known's frequency) -> a sort key, lowest wins; None rejects the
candidate. The key must end with `known`, so that ties break the same way every time."""


@dataclass(frozen=True, slots=True)
class SpellingPolicy:
    """What a speller may correct and how: all that differs between two spellers.

    The matcher corrects everyday chat against a large vocabulary (`CHAT_TYPOS`); the
    emergency detector only corrects red-flag keywords, strictly (`bot/safety/emergency.py`).
    """

    reach: Callable[[int], Reach]
    """The scorer and limits for a typed word of this length."""
    rank: Rank
    starts: Callable[[str], Iterable[str]]
    """The first letters a word may be found under; a correction shares one with the typo."""
    shortest: int = 3
    longest: int | None = None
    """Words outside these lengths are only corrected from the listed typos."""
    inflections: bool = True
    """A regular inflection of a known word is that word ("families" -> "family")."""
    squeeze: bool = True
    """A letter typed three times or more counts twice ("sleeeep" -> "sleep")."""
    distance_first: bool = False
    """`rank`'s key opens with the distance: once a candidate is found, a farther one cannot
    win, so the search past it looks no farther (the same winner, fewer candidates)."""


class Speller:
    """Corrects a misspelt word to a known one ("cytokins" -> "cytokines"), built once.

    `vocabulary` maps the words worth correcting to onto how often they are wanted; `common`
    are more words to correct to, rarest of all ("awfull" -> "awful"); `protected` are real
    words that are never corrected nor corrected to ("breast" is not "breath"); `typos` are
    known misspellings fixed as listed, before anything else ("stif" -> "stiff"). Known words
    are left alone. The rest is the `policy`: which lengths are corrected, how far a correction
    may be, and which of several candidates wins.
    """

    def __init__(
        self,
        vocabulary: Mapping[str, int],
        common: Iterable[str] = (),
        *,
        protected: Iterable[str] = (),
        typos: Mapping[str, str] | None = None,
        policy: SpellingPolicy | None = None,
    ) -> None:
        self._policy = policy or CHAT_TYPOS
        freq = {w: 0 for w in common if len(w) >= 2}
        freq.update(vocabulary)
        self._freq = freq
        self._known = frozenset(freq) | frozenset(protected)
        self._typos: Mapping[str, str] = MappingProxyType(dict(typos or {}))
        buckets: dict[tuple[int, str], set[str]] = defaultdict(set)
        for w in freq:
            for letter in self._policy.starts(w):
                buckets[(len(w), letter)].add(w)
        self._buckets = {key: tuple(words) for key, words in buckets.items()}
        """(length, letter) -> the known words of that length filed under that letter."""

    def __contains__(self, word: object) -> bool:
        return word in self._known

    @property
    def policy(self) -> SpellingPolicy:
        return self._policy

    @property
    def typos(self) -> Mapping[str, str]:
        """The listed misspellings (a caller may look short words up here directly)."""
        return self._typos

    def fix(self, word: str) -> str:
        """`word` corrected, or as typed when nothing is close enough."""
        return self.correct(word) or word

    def correct(self, word: str) -> str | None:
        """The known word closest to `word`, or None when nothing is close enough."""
        listed = self._typos.get(word)
        if listed is not None:
            return listed
        if word in self._known:
            return word
        policy = self._policy
        if len(word) < policy.shortest or word.isdigit():
            return None
        if policy.longest is not None and len(word) > policy.longest:
            return None
        if policy.inflections:
            base = self._base_form(word)
            if base is not None:
                return base  # "families" is "family", not a typo of a nearby word ("familiar")
        if policy.squeeze:
            squeezed = _REPEATS.sub(r"\1\1", word)  # "sleeeep" -> "sleep"
            if squeezed != word:
                return self.correct(squeezed)
        return self._closest(word)

    def _base_form(self, word: str) -> str | None:
        """The known word `word` inflects with a regular ending, if any ("families")."""
        for suffix, base in _INFLECTIONS:
            root = word[: len(word) - len(suffix)] + base
            if word.endswith(suffix) and len(root) >= 3 and root in self._known:
                return root
        return None

    def _closest(self, word: str) -> str | None:
        """The best-ranked known word in reach, from the buckets of the word's own length
        out: a word whose length differs by more than the distance allowed cannot be in
        reach, so once a candidate is found (`distance_first`) the farther lengths are not
        searched. Buckets are unordered: a candidate's rank ends with the word itself
        (`Rank`), so the winner never depends on the order candidates are met in."""
        policy = self._policy
        reach = policy.reach(len(word))
        best: tuple[object, ...] | None = None
        found = None
        limit = reach.limit
        letters = set(policy.starts(word))
        n = len(word)
        for length in sorted(range(n - reach.lengths, n + reach.lengths + 1), key=_away(n)):
            if abs(length - n) > limit:
                break
            for letter in letters:
                choices = self._buckets.get((length, letter))
                if not choices:
                    continue
                # A word filed under two letters ranks the same both times.
                hits = process.extract(
                    word, choices, scorer=reach.distance, score_cutoff=limit, limit=None
                )
                for known, distance, _ in hits:
                    if distance > limit:  # farther than a candidate found (`distance_first`)
                        continue
                    rank = policy.rank(word, known, int(distance), self._freq[known])
                    if rank is not None and (best is None or rank < best):
                        best, found = rank, known
                        if policy.distance_first:
                            limit = int(distance)
        return found


def _away(n: int) -> Callable[[int], int]:
    return lambda length: abs(length - n)


_ONE_EDIT = Reach(OSA.distance, 1, 1)
_TWO_EDITS = Reach(OSA.distance, 2, 2)


def _chat_reach(length: int) -> Reach:
    """One edit up to 5 letters, two beyond (Damerau/OSA: a swap of two letters is one)."""
    return _ONE_EDIT if length <= 5 else _TWO_EDITS


def _likeliest_edit(
    typed: str, known: str, distance: int, frequency: int
) -> tuple[object, ...] | None:
    """The closest first, then the likeliest kind of edit, then the most frequent word; two
    edits only if the words still look alike (Jaro-Winkler >= 0.9: "artical" -> "article"
    but not "snoring" -> "spring")."""
    kind = _edit_kind(typed, known)
    if kind is None or (distance > 1 and JaroWinkler.similarity(typed, known) < 0.9):
        return None
    return (distance, kind, -frequency, known)


def _chat_starts(word: str) -> tuple[str, ...]:
    """A typo keeps the first letter, swaps the first two, drops a silent first letter or
    sounds alike ("rote" -> "wrote"), so only those buckets need scanning."""
    return (word[0], word[1:2], sound_key(word)[:1])


_REPEATS = re.compile(r"(\w)\1{2,}")
# (ending, what it replaced): "families" <- "family", "kindly" <- "kind", "rubbed" <- "rub".
_INFLECTIONS = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("ily", "y"),
)
_VOWELS = frozenset("aeiouy")
_SILENT_STARTS = ("wr", "wh", "kn", "gn", "ps")


_SOUNDS = (
    ("ph", "f"),
    ("ck", "k"),
    ("wh", "w"),
    ("wr", "r"),
    ("kn", "n"),
    ("ea", "e"),
    ("ou", "u"),
    ("oo", "u"),
    ("ie", "i"),
    ("ei", "i"),
    ("ee", "i"),
    ("ay", "a"),
)
_DOUBLES = re.compile(r"(\w)\1+")


@lru_cache(maxsize=1 << 15)
def sound_key(word: str) -> str:
    """A rough spelling-by-ear key: "hed" and "head", "soop" and "soup", "rote" and "wrote".

    Kept per word: a speller ranks the same known words against many typos."""
    for spelt, sound in _SOUNDS:
        word = word.replace(spelt, sound)
    return _DOUBLES.sub(r"\1", word)


def _edit_kind(typed: str, known: str) -> int | None:
    """How likely a typo turns `known` into `typed`: lower is likelier, None implausible.

    Spelling by ear ranks first, then a dropped, doubled or swapped letter, then the rest.
    """
    if sound_key(typed) == sound_key(known):
        return -1
    same_start = typed[0] == known[0] or sorted(typed[:2]) == sorted(known[:2])
    silent_start = known.startswith(_SILENT_STARTS) and known[1:] == typed[: len(known) - 1]
    if not (same_start or silent_start):
        return None
    if len(typed) > 5:
        return 0 if len(typed) != len(known) else 1
    if len(known) == len(typed) + 1:  # a dropped letter
        return 0
    if len(typed) == len(known) + 1:  # only a letter typed twice ("jabb")
        doubled = any(
            typed[i] == typed[i - 1] and typed[:i] + typed[i + 1 :] == known
            for i in range(1, len(typed))
        )
        return 0 if doubled else None
    if sorted(typed) == sorted(known):  # two letters swapped
        return 0
    changed = [(a, b) for a, b in zip(typed, known, strict=True) if a != b]
    if len(changed) == 1 and set(changed[0]) <= _VOWELS:  # one vowel for another
        return 1
    return None


CHAT_TYPOS = SpellingPolicy(
    reach=_chat_reach, rank=_likeliest_edit, starts=_chat_starts, distance_first=True
)
"""The matcher's speller: everyday typos in chat. Words of 3 letters or more; a short word
only takes the edits people make (a swap, a dropped or doubled letter, one vowel for another);
typos keep the first letter unless they swap the first two or drop a silent one."""
