"""Standard spelling for the safety detectors: dialect, text-speak and disguised words.

The learned detector and the neighbour bank learn from the words their training messages use.
A writer who types "mi nuh waan be here", "a cannae dae this nae mair", "i'm fixin to end it"
or "thinkin abt s*icide" shares few words (and, for the embeddings, few vectors) with them, and
each new writer brings a new mix. Rewriting such words to the standard English the training data
already covers ("i dont want be here", "i cant do this no more", "im going to end it", "thinking
about suicide") lets what was learned from one writer reach the next, without a pattern per
message.

The word map is data (`spelling.tsv`, reviewed like the rule files): Scots, Jamaican Patois,
Southern US and African American English, Irish and Singapore English spellings and text-speak,
from published glossaries, each section naming its sources. Beside it, `glosses.tsv` does the
same for people who code-switch (round 14): mostly English, with the key words in the language
they grew up with, romanised as they text it ("me quiero morir", "mujhe marna hai", "ayoko na
mabuhay" -> "i want to die"; "no siento las piernas" -> "i cant feel my legs"), and that
language's harmless idioms kept harmless ("me muero de hambre" -> "im starving"). A variant is
one to six words, the longest listed read first, so an idiom outranks the word it holds.
Three general rewrites sit beside the maps: letters stretched for emphasis ("sooo tiiired" ->
"soo tiired", never three of a letter in an English word), digits standing for letters inside a
word ("su1c1de"; never a number or a unit like "500mg", "covid19"), and letters hidden behind
asterisks ("s*icide", "k*ll myself"), restored only when exactly one word of `DISGUISED` fits.

Applied to folded text (`bot.text.fold`: lower case ASCII, apostrophes joined) by
`bot.safety.learned.normalise` before it reads words (in training and at run time alike), and
by the neighbour signal to the clauses it looks up (`bot.safety.neighbours.clauses`). The rules
(the rule files and the phrase rules) read a message twice when spelling changes one of its
words (`respelt`): as typed, which is what their patterns and examples were written on, and the
sentences spelling changed in standard spelling, so "thinkin bout hangin myself" or "i wanna
unalive myself" need no pattern of their own; each reading is judged with its own context cues,
and either can alarm. The message in standard spelling is remembered (`folded_standard`): the
rules and the learned detector ask for it in turn.
"""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

from bot.text import fold

SPELLING_PATH = Path(__file__).with_name("spelling.tsv")
GLOSSES_PATH = Path(__file__).with_name("glosses.tsv")
MAP_PATHS = (SPELLING_PATH, GLOSSES_PATH)
"""Read together: a variant may be listed in one file only."""
MAX_WORDS = 6
"""The longest variant: "no quiero vivir mas" is one phrase, read before any shorter one."""
_WORD = re.compile(r"[a-z0-9]+(?:\*+[a-z0-9]+)*\**|\*+[a-z0-9]+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_LEET = re.compile(r"[a-z]+(?:[013457]+[a-z]+)+")
_LEET_LETTERS = str.maketrans("013457", "oieast")
_VALID = re.compile(rf"[a-z0-9]+(?: [a-z0-9]+){{0,{MAX_WORDS - 1}}}")
_TARGET = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*|")
DISGUISED = [
    "suicide",
    "suicidal",
    "kill",
    "killing",
    "die",
    "dying",
    "dead",
    "death",
    "myself",
    "overdose",
    "overdosing",
    "cut",
    "cutting",
    "hang",
    "hanging",
    "harm",
    "self",
    "selfharm",
    "noose",
    "pills",
    "end",
]
"""Words people hide behind asterisks; a disguised word is restored only to one of these."""


@functools.cache
def word_map(path: Path = SPELLING_PATH) -> dict[str, str]:
    """`variant -> standard` from one map file: `variant<TAB>standard` lines, `#` comments.
    A variant is one to `MAX_WORDS` words; the standard is zero (the word is dropped) or more
    words. A malformed line is an error naming its line, not a silent skip."""
    out: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        variant, _, standard = line.partition("\t")
        variant, standard = variant.strip(), standard.strip()
        if not _VALID.fullmatch(variant) or not _TARGET.fullmatch(standard) or "\t" not in line:
            raise ValueError(f"{path.name}:{number}: expected 'variant<TAB>standard': {line!r}")
        if variant in out and out[variant] != standard:
            raise ValueError(f"{path.name}:{number}: {variant!r} mapped twice")
        out[variant] = standard
    return out


@functools.cache
def merged(paths: tuple[Path, ...] = MAP_PATHS) -> dict[str, str]:
    """The map files read as one (the spellings, then the code-switching glosses); a variant
    listed in two files is an error naming both, so no file silently overrides another."""
    out: dict[str, str] = {}
    seen: dict[str, Path] = {}
    for path in paths:
        for variant, plain in word_map(path).items():
            if variant in out:
                raise ValueError(f"{variant!r} is listed in {seen[variant].name} and {path.name}")
            out[variant], seen[variant] = plain, path
    return out


@functools.cache
def _phrases(paths: tuple[Path, ...] = MAP_PATHS) -> dict[str, tuple[int, ...]]:
    """first word -> the lengths (longest first) of the map's phrases that start with it, read
    once: `standard` runs on every message, and most words start no phrase."""
    lengths: dict[str, set[int]] = {}
    for variant in merged(paths):
        words = variant.split()
        if len(words) > 1:
            lengths.setdefault(words[0], set()).add(len(words))
    return {first: tuple(sorted(n, reverse=True)) for first, n in lengths.items()}


@functools.lru_cache(maxsize=65536)
def _unstretched(word: str) -> str:
    """Remembered: every message's words pass here two or three times, and words repeat."""
    return _STRETCHED.sub(r"\1\1", word)


def _revealed(word: str) -> str:
    """A word with asterisks for letters, as the one `DISGUISED` word that fits; else the
    word without them."""
    pattern = re.compile(word.replace("*", "."))
    fits = {w for w in DISGUISED if pattern.fullmatch(w)}
    return fits.pop() if len(fits) == 1 else word.replace("*", "")


def _standard_word(word: str, words: dict[str, str]) -> str:
    if "*" in word:
        word = _revealed(word)
    word = _unstretched(word)
    found = words.get(word)
    if found is not None:
        return found
    if _LEET.fullmatch(word):
        plain = word.translate(_LEET_LETTERS)
        return words.get(plain, plain)
    return word


def standard(folded: str, paths: tuple[Path, ...] = MAP_PATHS) -> str:
    """`folded` text (`bot.text.fold`) with each word, or phrase of up to `MAX_WORDS` words
    with single spaces between them (the longest listed first), in its standard spelling;
    everything else (other spaces, punctuation) kept as it was."""
    words = merged(paths)
    phrases = _phrases(paths)
    out: list[str] = []
    end = 0
    matches = list(_WORD.finditer(folded))
    i = 0
    while i < len(matches):
        match = matches[i]
        out.append(folded[end : match.start()])
        word = _unstretched(match.group())
        found = _phrase(folded, matches, i, word, phrases.get(word, ()), words)
        if found is not None:
            length, plain = found
            out.append(plain)
            end = matches[i + length - 1].end()
            i += length
            continue
        out.append(_standard_word(match.group(), words))
        end = match.end()
        i += 1
    out.append(folded[end:])
    return "".join(out)


def _phrase(
    folded: str,
    matches: list[re.Match[str]],
    i: int,
    first: str,
    lengths: tuple[int, ...],
    words: dict[str, str],
) -> tuple[int, str] | None:
    """The longest listed phrase starting at word `i` (its length and standard form), if any:
    its words joined by single spaces, as the map writes them."""
    for length in lengths:
        if i + length > len(matches):
            continue
        run = matches[i : i + length]
        if any(folded[a.end() : b.start()] != " " for a, b in itertools.pairwise(run)):
            continue
        phrase = " ".join([first, *(_unstretched(m.group()) for m in run[1:])])
        plain = words.get(phrase)
        if plain is not None:
            return length, plain
    return None


_REMEMBERED = 1024
"""Messages whose standard spelling is remembered (the detectors read each message in turn)."""


@functools.lru_cache(maxsize=_REMEMBERED)
def folded_standard(text: str) -> str:
    """`standard(fold(text))` of a raw message, remembered: the rules, then the learned
    detector, read the same message in standard spelling."""
    return standard(fold(text))


_SENTENCE_END = re.compile(r"([.!?;\n]+)")


def respelt(text: str) -> str | None:
    """The sentences of a raw message that spelling changes, each with the sentence after it
    (a cue may read the next sentence), in standard spelling (folded); None when spelling
    changes no word (most messages: the rules then read them once). A long message with one
    "tbh" is not read twice whole: its other sentences read the same either way."""
    plain = folded_standard(text)
    typed = fold(text)
    if plain == typed:
        return None
    # Punctuation is kept word for word, so both split into the same sentences.
    read, were = _SENTENCE_END.split(plain), _SENTENCE_END.split(typed)
    if len(read) != len(were):
        return plain
    kept = {j for i in range(0, len(read), 2) if read[i] != were[i] for j in (i, i + 2)}
    return "".join(read[i] + "".join(read[i + 1 : i + 2]) for i in sorted(kept) if i < len(read))
