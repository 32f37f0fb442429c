"""Finds the question inside a long message, so the story told first does not drown it.

People write "I'm 34, flu since Tuesday, my back is killing me. Why does being sick make my
back ache?": the ask is one sentence, the rest is context (age, days ill, who is ill). The
matcher scores the whole message and each ask on its own and with the sentence before it
(which often names what "that" or "it" is), then keeps the best reading of each entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^.?!;\n]+[.?!;\n]*")
_QUESTION_WORD = (
    r"(?:what|whats|why|how|hows|when|where|who|which|is|isnt|are|arent|does|doesnt|do|dont"
    r"|can|cant|could|should|shall|will|would|wouldnt|am|did|didnt|has|have|was|were"
    r"|any|tell me|explain|i wonder|i want to know|i would like to know|id like to know)"
)
_ASK_START = re.compile(
    rf"^\W*(?:(?:and|but|so|ok|okay|also|anyway|hi|hey|quick question|please)\W+)*"
    rf"{_QUESTION_WORD}\b",
    re.IGNORECASE,
)
_CLAUSE_ASK = re.compile(
    r"(?:[,:(]\s*|\b(?:and|but|so|or|cos|because|wondering)\s+)(?:(?:also|just|then)\s+)?"
    r"(?=(?:why|how|what|whats|when|where|which|is it|is that|is this|does|do i|do you"
    r"|can|could|should|would|will it|am i)\b)",
    re.IGNORECASE,
)
"""Where an ask starts inside a run-on sentence: "... and by the evening I ached, so why do"."""
_CLAUSE_QUESTION = re.compile(
    r"(?:[,:(]\s*|\b(?:and|but|so|or|cos|because|wondering)\s+)(?:(?:also|just|then|at)\s+)?"
    r"(?=(?:why|how|what|whats|when|where|which|who|is|isnt|are|arent|was|were|does|doesnt"
    r"|do|dont|did|can|cant|could|should|would|will|am|has|have)\b)",
    re.IGNORECASE,
)
"""Where an ask starts in a sentence ending with "?": any question word or auxiliary after a
comma or a joining word (", at what point should I", ", but is feeling unwell a sign")."""
_RELATIVE = re.compile(
    r"^(?:which (?:has|had|is|was|were|made|makes|means|meant|happened|happens)"
    r"|which (?:i|im|ive|we|he|hes|she|shes|they|it|its|my|his|her|the|you)"
    r"|(?:when|where) (?:i|im|ive|we|he|hes|she|shes|they|it|its|my|his|her|the|you))\b",
    re.IGNORECASE,
)
"""A clause that tells, not asks: "..., which has never happened before." (no question mark)."""
_POINTS_BACK = re.compile(r"\b(?:that|this|it|its|there|these|those|they|them)\b", re.IGNORECASE)
"""An ask that points back ("why does that happen?") counts less alone than with what precedes."""
_FILLER_ONLY = re.compile(r"^\W*(?:\w+\W*){0,2}$")
MIN_WORDS = 20
"""Messages shorter than this are read whole: their ask has little story to hide in."""
POINTS_BACK_WITHIN = 4
POINTING_BACK_WEIGHT = 0.85


@dataclass(frozen=True)
class Part:
    text: str
    ask: int | None
    """Which ask of the message this reading is (0 = first), None for the whole message."""
    weight: float = 1.0
    """How much this reading's score counts: less for an ask that points back, read alone."""
    rest: str = ""
    """Its sentence from the first ask on: anything else asked there counts in full."""
    context: str = ""
    """The story read with the ask ("" when read alone): it names things, it asks nothing."""
    asked: str = ""
    """The ask alone (also the text when read alone)."""
    tells: bool = False
    """It may only tell (see asks_in): never taken for the message's first ask."""


def sentences(message: str) -> list[str]:
    """The message cut at sentence ends, each with its punctuation."""
    return [s.strip() for s in _SENTENCE.findall(message) if s.strip()]


def is_ask(sentence: str) -> bool:
    """A question mark, or a sentence that opens like a question ("why does ...")."""
    return sentence.rstrip().endswith("?") or bool(_ASK_START.match(sentence))


def asks_in(sentence: str, marked: bool = False) -> list[tuple[str, str, str, bool]]:
    """Each ask in one sentence: (the text before it, the ask, the sentence from the first
    ask, whether it may only tell).

    An ask may only tell when the message asks with question marks elsewhere and this
    sentence has none ("didnt lift anything, didnt sleep funny.", "Can't do a full
    session."), or when it sets the scene before an ask in the same sentence ("When you're
    ill, what changes ...?"). It is still read (it often names the topic), but it is not
    taken for the message's first ask.
    """
    asked = sentence.rstrip().endswith("?")
    inside = [
        (m.start(), m.end())
        for m in (_CLAUSE_QUESTION if asked else _CLAUSE_ASK).finditer(sentence)
        if m.end() > 0 and (asked or not _RELATIVE.match(sentence[m.end() :]))
    ]
    # A story that ends in a question mark is not itself the ask when an ask opens inside it.
    opens = bool(_ASK_START.match(sentence)) or (asked and not inside)
    scene = bool(inside) and bool(_RELATIVE.match(sentence))
    spans = sorted(([(0, 0)] if opens else []) + inside)
    found: list[tuple[str, str, str, bool]] = []
    for n, (_, begin) in enumerate(spans):
        end = spans[n + 1][0] if n + 1 < len(spans) else len(sentence)
        ask = sentence[begin:end].strip(" ,:(")
        tells = (marked and not asked) or (scene and begin == 0)
        if ask and not _FILLER_ONLY.match(ask):
            found.append((sentence[:begin].strip(" ,:("), ask, sentence[spans[0][1] :], tells))
    return found


def _needs_context(ask: str) -> bool:
    """An ask that points back early ("why does that happen?", "what are they doing to
    me?") means little on its own; one that names its subject first does not ("why do
    vaccines make you feel like that")."""
    return bool(_POINTS_BACK.search(" ".join(ask.split()[:POINTS_BACK_WITHIN])))


def readings(message: str) -> list[Part]:
    """The whole message, then each ask alone, with the text before it and with all of it.

    The whole story before an ask names what a bare ask ("What is it?", "Can you help?")
    is about, while its other words count less than in the whole message (see
    FuzzyMatcher._focused).
    """
    whole = [Part(message, None)]
    if len(message.split()) < MIN_WORDS:
        return whole
    found: list[Part] = []
    previous = ""
    told: list[str] = []
    marked = "?" in message
    for sentence in sentences(message):
        for context, ask, rest, tells in asks_in(sentence, marked):
            n = len({p.ask for p in found})
            before = context or previous
            alone = POINTING_BACK_WEIGHT if before and _needs_context(ask) else 1.0
            found.append(Part(ask, n, alone, rest, asked=ask, tells=tells))
            if before:
                found.append(Part(f"{before} {ask}", n, 1.0, rest, before, ask, tells))
            story = " ".join([*told, context]).strip()
            if story and story != before:  # the whole story told before it ("Can you help?")
                found.append(Part(f"{story} {ask}", n, 1.0, rest, story, ask, tells))
        previous = sentence
        told.append(sentence)
    return whole + found
