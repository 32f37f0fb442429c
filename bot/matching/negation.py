"""Words a message says are absent ("no MSK injury", "it isn't the flu"): no pull toward a topic.

A nurse asks "why does a viral infection give back pain with no MSK injury at all?": "MSK"
reads as "muscles", and counted, it pulls the message toward the entry about aching muscles
when the writer said the opposite. Clinical text mining handles this with NegEx (Chapman et
al., "A simple algorithm for identifying negated findings and diseases in discharge
summaries", J Biomed Inform 2001): a cue opens a scope that runs to the end of its clause, a
terminating word, or at most a few words; some phrases that start like a cue negate nothing
("no idea", "not sure"). The same here, with the cues kept as data below.

Only what negates a thing is read, not what negates a happening: "can't sleep", "won't go
away", "isn't getting better" name what the person has, and in a question the negated words
are often what is asked ("why do places that are not infected hurt?", "why my back and not
elsewhere?"), so a bare "not" before a verb or an adjective opens no scope. "not" opens one
only before a thing ("not a", "not my", "not from", "not due to"), and only in a sentence that
tells: in a question it draws the contrast asked about ("why my back and not my chest?").
The safety detector's cues (bot/safety/rules/phrases/context.yaml) are wider on purpose ("don't",
"won't", "never"): a symptom denied must not raise an alarm, while here a happening denied
("hasn't gone away") is often the very topic asked about.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.text import fold_keeping_apostrophes

SCOPE_WORDS = 5
"""A cue reaches at most this many words (NegEx's window), fewer when its clause ends first."""

NOUN_CUES = ("no", "without", "ruled out", "rule out", "rules out", "free of", "negative for")
"""Cues that negate what follows whatever it is: a determiner ("no fever") or a preposition
("without an injury"), and the NegEx phrases that rule a finding out."""
THING_CUES = (
    "not",
    "isn't",
    "wasn't",
    "aren't",
    "weren't",
    "ain't",
)
"""Cues that negate what follows only when a thing follows (THING_STARTS): "it's not the
muscles", "isn't from lifting"; "not infected", "isn't going away" open no scope."""
THING_STARTS = (
    "a",
    "an",
    "the",
    "my",
    "his",
    "her",
    "their",
    "our",
    "your",
    "any",
    "from",
    "due to",
    "caused by",
    "because of",
    "related to",
    "like",
)
AFTER_CUES = ("ruled out", "was negative", "came back negative", "were negative", "excluded")
"""Cues that negate what comes before them in their clause ("covid was ruled out")."""
NOT_NEGATING = (
    "no idea",
    "no clue",
    "no matter",
    "no longer",
    "no wonder",
    "no doubt",
    "no way",
    "no one",
    "no more",
    "no better",
    "no worse",
    "no change",
    "no improvement",
    "no end",
    "no sleep",
    "no energy",
    "no appetite",
    "no strength",
    "no motivation",
    "not sure",
    "not certain",
    "not only",
    "not just",
    "not a lot",
    "not a bit",
)
"""Phrases that start like a cue and negate nothing the message is about (NegEx's pseudo-
negations): "no idea why", "not sure if", "no better after a week" (the ache persists); and a
faculty lost ("no energy", "no appetite", "no sleep"), which is a symptom the person has."""
ENDS_SCOPE = (
    "but",
    "however",
    "although",
    "though",
    "yet",
    "except",
    "apart",
    "aside",
    "which",
    "who",
    "because",
    "cos",
    "so",
    "and",
    "then",
    "why",
    "how",
    "what",
    "when",
    "where",
    "whether",
    "if",
    "still",
    "now",
    "i",
    "im",
    "ive",
    "is",
    "are",
    "was",
    "does",
    "do",
    "did",
    "can",
    "could",
    "should",
    "would",
    "will",
    "just",
)
"""Words that end a cue's reach before its clause does: a turn ("but"), a new clause ("and
I'm", "which", "why does"), or a new subject ("I")."""


def _alternation(phrases: tuple[str, ...]) -> str:
    ordered = sorted(phrases, key=lambda p: -len(p))
    return "|".join(
        r"\s+".join(re.escape(w).replace("'", "'?") for w in p.split()) for p in ordered
    )


_SENTENCE = re.compile(r"[^.?!\n]+[.?!\n]*")
_CLAUSE = re.compile(r"[^.?!;:,()\n]+")
_WORD = re.compile(r"[a-z0-9']+")
_NOUN_CUE = re.compile(rf"\b(?:{_alternation(NOUN_CUES)})\b")
_THING_CUE = re.compile(
    rf"\b(?:{_alternation(THING_CUES)})\s+(?=(?:{_alternation(THING_STARTS)})\b)"
)
_AFTER_CUE = re.compile(rf"\b(?:{_alternation(AFTER_CUES)})\b")
_NOT_NEGATING = re.compile(rf"\b(?:{_alternation(NOT_NEGATING)})\b")
_ENDS = frozenset(ENDS_SCOPE)
_SPACES = re.compile(r" {2,}")
_LINKING = frozenset({"was", "were", "is", "are", "been", "be", "has", "have", "had", "got"})
"""Between a thing and an after-cue ("covid has been ruled out"): skipped, not an end."""


def _bare(word: str) -> str:
    return word.replace("'", "")


def _forward(clause: str, start: int) -> list[tuple[int, int]]:
    """The spans of the words a cue ending at `start` reaches, in `clause`."""
    spans: list[tuple[int, int]] = []
    for m in _WORD.finditer(clause, start):
        if _bare(m.group()) in _ENDS or len(spans) == SCOPE_WORDS:
            break
        if m.group() in ("no", "not"):  # the next cue opens its own scope
            break
        spans.append(m.span())
    return spans


def _negated(clause: str, asked: bool) -> list[tuple[int, int]]:
    """The spans of the words of one clause that its cues negate; `asked`: its sentence asks
    (ends with "?"), where "not" sets up a contrast that is asked about ("why my back and
    not my chest?", "isn't it the flu?"), not a denial."""
    pseudo = {m.start() for m in _NOT_NEGATING.finditer(clause)}
    spans: list[tuple[int, int]] = []
    things = () if asked else tuple(_THING_CUE.finditer(clause))
    for cue in (*_NOUN_CUE.finditer(clause), *things):
        if cue.start() not in pseudo:
            spans += _forward(clause, cue.end())
    for cue in _AFTER_CUE.finditer(clause):
        before = [m.span() for m in _WORD.finditer(clause, 0, cue.start())]
        kept: list[tuple[int, int]] = []
        for span in reversed(before):
            word = _bare(clause[span[0] : span[1]])
            if word in _LINKING:
                continue
            if word in _ENDS or len(kept) == SCOPE_WORDS:
                break
            kept.append(span)
        spans += kept
    return spans


@lru_cache(maxsize=4096)
def without_negated(text: str) -> str:
    """`text` less the words its negation cues reach: what the message says is there. The
    cues themselves stay; `text` itself when nothing is negated (most messages), else cut
    from its case-folded form outside ASCII (where folding may move the words)."""
    folded = fold_keeping_apostrophes(text)
    if not (_NOUN_CUE.search(folded) or _THING_CUE.search(folded) or _AFTER_CUE.search(folded)):
        return text
    drop: list[tuple[int, int]] = []
    for sentence in _SENTENCE.finditer(folded):
        asked = "?" in sentence.group()
        for clause in _CLAUSE.finditer(sentence.group()):
            at = sentence.start() + clause.start()
            drop += [(at + a, at + b) for a, b in _negated(clause.group(), asked)]
    if not drop:
        return text
    source = text if text.isascii() else folded
    out, at = [], 0
    for a, b in sorted(set(drop)):
        out.append(source[at:a])
        at = b
    out.append(source[at:])
    return _SPACES.sub(" ", "".join(out))
