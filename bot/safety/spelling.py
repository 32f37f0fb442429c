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
from published glossaries, each section naming its sources. Three general rewrites sit beside it:
letters stretched for emphasis ("sooo tiiired" -> "soo tiired", never three of a letter in an
English word), digits standing for letters inside a word ("su1c1de"; never a number or a unit
like "500mg", "covid19"), and letters hidden behind asterisks ("s*icide", "k*ll myself"),
restored only when exactly one word of `DISGUISED` fits.

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
import re
from pathlib import Path

from bot.text import fold

SPELLING_PATH = Path(__file__).with_name("spelling.tsv")
_WORD = re.compile(r"[a-z0-9]+(?:\*+[a-z0-9]+)*\**|\*+[a-z0-9]+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_LEET = re.compile(r"[a-z]+(?:[013457]+[a-z]+)+")
_LEET_LETTERS = str.maketrans("013457", "oieast")
_VALID = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)?")
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
    """`variant -> standard` from the map file: `variant<TAB>standard` lines, `#` comments.
    A variant is one or two words; the standard is zero (the word is dropped) or more words.
    A malformed line is an error naming its line, not a silent skip."""
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
def _pairs(path: Path = SPELLING_PATH) -> frozenset[str]:
    """The map's two-word spellings ("mi nuh"), read once: `standard` runs on every message."""
    return frozenset(v for v in word_map(path) if " " in v)


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


def standard(folded: str, path: Path = SPELLING_PATH) -> str:
    """`folded` text (`bot.text.fold`) with each word in its standard spelling; everything
    else (spaces, punctuation) kept as it was."""
    words = word_map(path)
    pairs = _pairs(path)
    out: list[str] = []
    end = 0
    matches = list(_WORD.finditer(folded))
    skip = False
    for i, match in enumerate(matches):
        if skip:
            skip = False
            continue
        out.append(folded[end : match.start()])
        word = _unstretched(match.group())
        after = matches[i + 1] if i + 1 < len(matches) else None
        if after is not None and folded[match.end() : after.start()] == " ":
            pair = f"{word} {_unstretched(after.group())}"
            if pair in pairs:
                out.append(words[pair])
                end = after.end()
                skip = True
                continue
        out.append(_standard_word(match.group(), words))
        end = match.end()
    out.append(folded[end:])
    return "".join(out)


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
