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
_ASK_START = re.compile(
    r"^\W*(?:and |but |so |ok |okay |also |anyway |hi |hey |quick question )*"
    r"(?:what|whats|why|how|hows|when|where|who|which|is|isnt|are|arent|does|doesnt|do|dont"
    r"|can|cant|could|should|shall|will|would|wouldnt|am|did|didnt|has|have|was|were"
    r"|any|tell me|explain|wondering|i wonder|i was wondering|i want to know"
    r"|i would like to know|id like to know|please)\b",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(r"\b(?:that|this|it|its|there|these|those|they|them)\b", re.IGNORECASE)
"""An ask that points back ("why does that happen?") is read only with the sentence before."""
_FILLER_ONLY = re.compile(r"^\W*(?:\w+\W*){0,2}$")
MIN_WORDS = 20
"""Messages shorter than this are read whole."""


@dataclass(frozen=True)
class Part:
    text: str
    ask: int | None
    """Which ask of the message this reading is (0 = first), None for the whole message."""


def sentences(message: str) -> list[str]:
    """The message cut at sentence ends, each with its punctuation."""
    return [s.strip() for s in _SENTENCE.findall(message) if s.strip()]


def is_ask(sentence: str) -> bool:
    """A question mark, or a sentence that opens like a question ("why does ...")."""
    return sentence.rstrip().endswith("?") or bool(_ASK_START.match(sentence))


def readings(message: str) -> list[Part]:
    """The whole message, then each ask alone and with the sentence before it."""
    whole = [Part(message, None)]
    if len(message.split()) < MIN_WORDS:
        return whole
    parts = sentences(message)
    asks = [i for i, s in enumerate(parts) if is_ask(s) and not _FILLER_ONLY.match(s)]
    if len(parts) < 2 or not asks:
        return whole
    found: list[Part] = []
    for n, i in enumerate(asks):
        if i == 0 or not _POINTS_BACK.search(parts[i]):
            found.append(Part(parts[i], n))
        if i > 0:
            found.append(Part(f"{parts[i - 1]} {parts[i]}", n))
    return whole + found
