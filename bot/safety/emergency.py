"""Spot emergency red flags described in free text, so the bot can interrupt with advice.

Runs on every message, so it is regex-only and linear: the text is normalised once into
clauses, each flag's patterns scan it once, and each hit is judged by a few bounded look-arounds
in its own clause: negation ("no numbness"), a resolved symptom ("the chest pain has gone"), a
hypothetical or a question about a symptom in general ("what does saddle numbness mean?"),
and the distant past ("a fall ten years ago"). Idioms ("this pain is killing me") are removed
before anything is looked for. Data lives in `bot.safety.phrases`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.safety import phrases
from bot.triage.levels import EMERGENCY_FLAGS

_WORD = "[a-z0-9]+"
_NEG_TOKEN = (
    r"(?:no|not|never|without|none|nor|neither|dont|doesnt|didnt|isnt|arent|wasnt|werent|"
    r"havent|hasnt|hadnt|wont|wouldnt|aint|nothing)"
)
# A gap word is any word but a negation, so "chest doesnt hurt" never fits "chest ~3 hurt".
_GAP = re.compile(r" ~(\d) ")
_APOSTROPHES = re.compile(r"['’‘`´]")
_DECIMAL = re.compile(r"(?<=\d)[.,](?=\d)")
_OUT_OF_TEN = re.compile(r"(\d+)\s*/\s*(10|ten)\b")
_SENTENCE_END = re.compile(r"[.!?;\n…]+")
_WORDS = re.compile(_WORD)
_WINDOW_CHARS = 160
_NEGATION_WINDOW = 8
_CONTEXT_WINDOW = 12


def _words(pattern: str) -> re.Pattern[str]:
    """Compile alternatives that must start and end on word boundaries."""
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


def _expand(pattern: str) -> str:
    """Turn the data's " ~N " gap shorthand into a bounded, negation-free word gap."""
    return _GAP.sub(lambda m: f" (?:(?!{_NEG_TOKEN} ){_WORD} ){{0,{m[1]}}}", pattern)


@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int
    question: bool


@dataclass(frozen=True, slots=True)
class Prepared:
    """Normalised text: clauses of single-spaced words joined by " | "."""

    text: str
    clauses: tuple[Clause, ...]

    def clause_at(self, pos: int) -> Clause:
        lo, hi = 0, len(self.clauses) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.clauses[mid].start <= pos:
                lo = mid
            else:
                hi = mid - 1
        return self.clauses[lo]


class TypoFixer:
    """Corrects one-edit misspellings of red-flag keywords ("numbess", "breth").

    Deletion-neighbourhood lookup (as in SymSpell), so the cost per word is a handful of dict
    look-ups. The first letter must match and real words near a keyword are protected.
    """

    def __init__(
        self,
        keywords: Iterable[str],
        protected: Iterable[str],
        short: Mapping[str, str] | None = None,
    ) -> None:
        self._short: Mapping[str, str] = MappingProxyType(dict(short or {}))
        index: dict[str, str] = {}
        known = {k for k in keywords if len(k) >= 5}
        for kw in sorted(known):
            for i in range(len(kw)):
                index.setdefault(kw[:i] + kw[i + 1 :], kw)
        for kw in known:
            index[kw] = kw
        self._index: Mapping[str, str] = MappingProxyType(index)
        self._known = frozenset(known) | frozenset(protected)
        self._first = frozenset(k[0] for k in known)

    def fix(self, word: str) -> str:
        if word in self._short:
            return self._short[word]
        if len(word) < 5 or word in self._known or word[0] not in self._first:
            return word
        hit = self._index.get(word)
        if hit is not None and hit[0] == word[0]:
            return hit
        for i in range(1, len(word)):
            hit = self._index.get(word[:i] + word[i + 1 :])
            if hit is not None and hit[0] == word[0] and abs(len(hit) - len(word)) <= 1:
                return hit
        return word


class TextPreparer:
    """Normalises raw text into clauses; optionally replaces idioms with a neutral word."""

    def __init__(self) -> None:
        self._typos = TypoFixer(phrases.TYPO_KEYWORDS, phrases.TYPO_PROTECTED, phrases.SHORT_TYPOS)
        new_subject = rf"(?:{phrases.NEW_SUBJECT})(?![a-z0-9])"
        self._clause_break = re.compile(
            rf"\s*[,:()\[\]\"“”—–]+\s*(?={new_subject})|\s+-+\s+(?={new_subject})"
            rf"|(?<![a-z0-9])(?:{phrases.CONTRAST})(?![a-z0-9])"
            rf"|(?<![a-z0-9])and (?=(?!and)(?:{phrases.NEW_SUBJECT})(?![a-z0-9]))"
        )
        self._question_start = re.compile(rf"(?:{phrases.QUESTION_STARTS})(?![a-z0-9])")
        self._idioms = _words("|".join(_expand(p) for p in phrases.IDIOMS))

    def prepare(self, text: str, *, idioms: bool) -> Prepared:
        parts: list[str] = []
        clauses: list[Clause] = []
        pos = 0
        for sentence, question in self._sentences(text):
            words_of_sentence = _WORDS.findall(sentence)
            is_question = question or bool(
                words_of_sentence and self._question_start.match(words_of_sentence[0])
            )
            for piece in self._clause_break.split(sentence):
                words = " ".join(self._typos.fix(w) for w in _WORDS.findall(piece))
                if idioms and words:
                    words = self._idioms.sub("idiom", words)
                if not words:
                    continue
                if parts:
                    parts.append(" | ")
                    pos += 3
                parts.append(words)
                clauses.append(Clause(pos, pos + len(words), is_question))
                pos += len(words)
        if not clauses:
            clauses.append(Clause(0, 0, False))
        return Prepared("".join(parts), tuple(clauses))

    @staticmethod
    def _sentences(text: str) -> list[tuple[str, bool]]:
        """Split into (sentence, ends-with-question-mark), after basic normalisation."""
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
        plain = _APOSTROPHES.sub("", plain)
        plain = plain.replace("w/o", " without ").replace("w/", " with ").replace("&", " and ")
        plain = _OUT_OF_TEN.sub(r"\1 out of \2", _DECIMAL.sub("", plain))
        out: list[tuple[str, bool]] = []
        start = 0
        for end in _SENTENCE_END.finditer(plain):
            out.append((plain[start : end.start()], "?" in end.group()))
            start = end.end()
        out.append((plain[start:], False))
        return out


class ContextJudge:
    """Decides whether a pattern hit reports a symptom the person has now."""

    def __init__(self) -> None:
        self._cue = _words(phrases.NEGATION_CUES)
        self._pseudo = _words(phrases.PSEUDO_NEGATIONS)
        self._stop = _words(phrases.NEGATION_STOPS)
        self._resolved = re.compile(phrases.RESOLVED_AFTER)
        self._hypothetical = _words(phrases.HYPOTHETICAL)
        self._meta = _words(phrases.META)
        self._past = _words(phrases.PAST)
        self._personal = _words(phrases.PERSONAL)
        self._asking = _words(phrases.INTERROGATIVE_I)

    def counts(self, prep: Prepared, start: int, end: int, *, personal: bool) -> bool:
        clause = prep.clause_at(start)
        before_words = prep.text[max(clause.start, start - _WINDOW_CHARS) : start].split()
        before = " ".join(before_words[-_CONTEXT_WINDOW:])
        after = prep.text[end : min(clause.end, end + _WINDOW_CHARS // 2)].strip()
        matched = prep.text[start:end]
        if self._negated(" ".join(before_words[-_NEGATION_WINDOW:])):
            return False
        if self._resolved.match(after) or self._past.search(f"{before} {matched} {after}"):
            return False
        if self._hypothetical.search(before):
            return False
        near = " ".join(before_words[-3:]) + " " + matched
        if self._meta.search(f"{before} | {after}") and not self._personal.search(near):
            return False
        if clause.question and not personal:
            return bool(self._personal.search(self._asking.sub(" ", f"{before} {after}")))
        return True

    def _negated(self, window: str) -> bool:
        window = self._pseudo.sub("x", window)
        cue_end = max((m.end() for m in self._cue.finditer(window)), default=-1)
        stop_end = max((m.end() for m in self._stop.finditer(window)), default=-1)
        return cue_end > stop_end


class PhraseSpotter:
    """One flag's patterns in a single regex; `personal` hits describe an experience outright."""

    def __init__(self, patterns: phrases.FlagPatterns) -> None:
        alternatives = []
        if patterns.personal:
            personal = "|".join(_expand(p) for p in patterns.personal)
            alternatives.append(f"(?P<personal>{personal})")
        if patterns.nominal:
            nominal = "|".join(_expand(p) for p in patterns.nominal)
            alternatives.append(f"(?P<nominal>{nominal})")
        self._regex = _words("|".join(alternatives))

    def found(self, prep: Prepared, judge: ContextJudge) -> bool:
        return any(
            judge.counts(prep, m.start(), m.end(), personal=m.lastgroup == "personal")
            for m in self._regex.finditer(prep.text)
        )


class EmergencyDetector:
    """Finds emergency-level red flags (codes of `EMERGENCY_FLAGS`) described as present."""

    def __init__(self) -> None:
        self._preparer = TextPreparer()
        self._judge = ContextJudge()
        self._flags = MappingProxyType(
            {code: PhraseSpotter(p) for code, p in phrases.FLAGS.items()}
        )
        self._neck = PhraseSpotter(phrases.NECK_STIFF)
        self._neck_companion = PhraseSpotter(phrases.NECK_COMPANION)
        self._neck_alone = PhraseSpotter(phrases.NECK_ALONE)
        missing = EMERGENCY_FLAGS - set(self._flags) - {"stiff_neck"}
        if missing:
            raise ValueError(f"no patterns for emergency flags: {sorted(missing)}")

    def detect(self, text: str) -> frozenset[str]:
        """The emergency codes that `text` describes as happening now; empty for calm text."""
        if not text or not text.strip():
            return frozenset()
        prep = self._preparer.prepare(text, idioms=True)
        codes = {code for code, spot in self._flags.items() if spot.found(prep, self._judge)}
        if self._stiff_neck(prep):
            codes.add("stiff_neck")
        return frozenset(codes)

    def _stiff_neck(self, prep: Prepared) -> bool:
        """Meningitis-like: a stiff neck with fever or headache, or light hurting the eyes."""
        if self._neck_alone.found(prep, self._judge):
            return True
        return self._neck.found(prep, self._judge) and self._neck_companion.found(
            prep, self._judge
        )


def describe(codes: Iterable[str]) -> str:
    """Plain words for the flags, in the reference table's order, for the emergency reply."""
    wanted = set(codes)
    unknown = wanted - set(phrases.DESCRIPTIONS)
    if unknown:
        raise KeyError(f"unknown emergency codes: {sorted(unknown)}")
    return "; ".join(text for code, text in phrases.DESCRIPTIONS.items() if code in wanted)
