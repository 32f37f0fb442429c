"""Spot emergency red flags described in free text, so the bot can interrupt with advice.

Runs on every message, so it is regex-only and linear: the text is normalised once into
clauses, each flag's patterns (one alternation) are searched for, and each hit is judged
by a few bounded look-arounds in its own clause: negation ("no numbness"), a resolved symptom
("the chest pain has gone", "..., fine now"), a hypothetical, fiction or a question about a
symptom in general ("what does saddle numbness mean?", "can flu make your legs weak?"), and the
distant past ("a fall ten years ago", "fainted once in my 20s, never since"). Idioms ("this
pain is killing me") are removed before anything is looked for. A message with dialect or
text-speak words is read twice, as typed and in standard spelling (`bot.safety.spelling`), and
each reading is judged on its own. This module is the engine
only: the patterns, word families, cues and idioms are data in `bot/safety/rules/phrases/`.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from types import MappingProxyType

from rapidfuzz.distance import Indel

from bot.clinical.catalogue import CATALOGUE
from bot.data.prefilter import Prefilter
from bot.safety import phrases, proven, rulebook
from bot.safety.learned import LearnedDetector, Verdict
from bot.safety.neighbours import Near, NeighbourSignal, cascade
from bot.safety.programs import PROGRAMS, compile_regex
from bot.safety.spelling import respelt
from bot.text import Reach, Speller, SpellingPolicy, fold_keeping_apostrophes

EMERGENCY_FLAGS = CATALOGUE.interrupting
"""Codes free text may report: the catalogue's emergency and crisis flags."""

_WORD = "[a-z0-9]+"
# An "'s" after a word: split off ("neck's stiff" -> "neck s stiff") unless a pronoun's.
_POSSESSIVE_S = re.compile(r"(?<=[a-z])'(?=s(?![a-z]))")
_DECIMAL = re.compile(r"(?<=\d)[.,](?=\d)")
_OUT_OF_TEN = re.compile(r"(\d+)\s*/\s*(10|ten)\b")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_WORDS = re.compile(_WORD)
_WINDOW_CHARS = 160
_NEGATION_WINDOW = 8
_CONTEXT_WINDOW = 12
# A relative clause is about someone or something else: neither "keeps asking for her mother
# who died years ago" nor "my nan, who had a stroke years ago, has gone floppy" is the past.
_RELATIVE = re.compile(r"(?:^| )(?:who|whom|whose|which)(?= )")


def _words(pattern: str) -> re.Pattern[str]:
    """Compile alternatives that must start and end on word boundaries."""
    return compile_regex(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int
    question: bool
    sentence: int = 0


def _clause_start(clause: Clause) -> int:
    return clause.start


def _sentence(clause: Clause) -> int:
    return clause.sentence


@dataclass(frozen=True, slots=True)
class Prepared:
    """Normalised text: clauses of single-spaced words joined by " | "."""

    text: str
    clauses: tuple[Clause, ...]

    def clause_after(self, clause: Clause) -> Clause | None:
        """The next clause of the same sentence, if any."""
        i = bisect_right(self.clauses, clause.start, key=_clause_start)
        if i < len(self.clauses) and self.clauses[i].sentence == clause.sentence:
            return self.clauses[i]
        return None

    def sentence_end(self, clause: Clause) -> int:
        """Where the sentence of `clause` ends."""
        end = clause.end
        while (nxt := self.clause_after(clause)) is not None:
            clause, end = nxt, nxt.end
        return end

    def next_sentence(self, clause: Clause, chars: int) -> tuple[str, bool] | None:
        """(its first `chars` characters, whether it asks) of the sentence after `clause`'s."""
        i = bisect_right(self.clauses, clause.sentence, key=_sentence)
        if i >= len(self.clauses):
            return None
        nxt = self.clauses[i]
        return self.text[nxt.start : nxt.start + chars], nxt.question

    def clause_at(self, pos: int) -> Clause:
        lo, hi = 0, len(self.clauses) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.clauses[mid].start <= pos:
                lo = mid
            else:
                hi = mid - 1
        return self.clauses[lo]


_ONE_DELETION_EACH = Reach(Indel.distance, 2, 1)
"""A letter dropped, added or changed, or two neighbours swapped: deleting at most one letter
from each word makes them equal (as in SymSpell)."""


def _keyword_reach(length: int) -> Reach:
    return _ONE_DELETION_EACH


def _first_deletion(typed: str, known: str, distance: int, frequency: int) -> tuple[object, ...]:
    """A dropped letter first, then the correction found by deleting the earliest letter of
    the typed word, a keyword one letter shorter before one of the same length (the order a
    deletion-index lookup finds them in)."""
    if len(known) > len(typed):
        return (0, 0, False, known)
    targets = (
        {known}
        if len(known) < len(typed)
        else {known[:j] + known[j + 1 :] for j in range(len(known))}
    )
    at = next(i for i in range(1, len(typed)) if typed[:i] + typed[i + 1 :] in targets)
    return (1, at, len(known) == len(typed), known)


def _first_letter(word: str) -> tuple[str]:
    return (word[0],)


KEYWORD_TYPOS = SpellingPolicy(
    reach=_keyword_reach,
    rank=_first_deletion,
    starts=_first_letter,
    shortest=5,
    longest=20,
    inflections=False,
    squeeze=False,
)
"""The detector's speller: one-edit misspellings of red-flag keywords ("numbess", "breth")
that keep the first letter, words of 5 to 20 letters; shorter words have too many real
neighbours, so only their listed misspellings are fixed."""


def keyword_speller(book: phrases.PhraseBook) -> Speller:
    """The detector's speller: the book's keywords (5 letters or more), the real words near
    them that are never corrected, and the listed misspellings of short words."""
    keywords = {k: 0 for k in book.typo_keywords if len(k) >= 5}
    return Speller(
        keywords, protected=book.typo_protected, typos=book.short_typos, policy=KEYWORD_TYPOS
    )


_END, _ASKED, _BREAK = "\x01", "\x02", "\x03"
_TOKENS = re.compile(f"[a-z0-9]+|[{_END}{_ASKED}{_BREAK}]")


_FIXED_WORDS = 8192
"""Spelling fixes remembered (each a few dozen bytes)."""


def _mark_sentence_end(m: re.Match[str]) -> str:
    return f" {_ASKED if '?' in m.group() else _END} "


class TextPreparer:
    """Normalises raw text into clauses; optionally replaces idioms with a neutral word."""

    def __init__(self, book: phrases.PhraseBook | None = None) -> None:
        book = book or phrases.book()
        cue = book.cues
        self._speller = keyword_speller(book)
        # A pure function of the word: people reuse words, and an unknown one costs a search.
        self._fix = functools.lru_cache(maxsize=_FIXED_WORDS)(self._speller.fix)
        self._joined_s = book.joined_s
        new_subject = rf"(?:{cue['new_subject']})(?![a-z0-9])"
        self._clause_break = compile_regex(
            rf"[,:()\[\]\"]+\s*(?={new_subject})|\s*--+\s*(?={new_subject})| -+ (?={new_subject})"
            rf"|(?<![a-z0-9])(?:{cue['contrast']})(?![a-z0-9])"
            rf"|(?<![a-z0-9])and (?=(?!and)(?:{cue['new_subject']})(?![a-z0-9]))"
        )
        self._question_start = compile_regex(rf"(?:{cue['question_starts']})$")
        self._idioms = _checked(book.idioms)
        self._idiom_filter = Prefilter([PROGRAMS.literals(self._idioms)])
        self._reassuring = _words(cue["frame_reassured"])

    def prepare(self, text: str, *, idioms: bool) -> Prepared:
        """Clauses of typo-fixed words joined by " | ", each knowing if its sentence asks."""
        clause_texts: list[str] = []
        asks: list[bool] = []
        sentences: list[int] = []
        sentence_first = 0  # index of the sentence's first clause in clause_texts
        words: list[str] = []
        fix, short = self._fix, self._speller.typos
        for token in _TOKENS.findall(self._marked(text)):
            if token not in (_END, _ASKED, _BREAK):
                # Short words are only ever fixed from the known list: skip the call.
                words.append(short.get(token, token) if len(token) < 5 else fix(token))
                continue
            if words:
                clause_texts.append(" ".join(words))
                asks.append(False)
                sentences.append(sentence_first)
                words = []
            if token != _BREAK:
                self._close_sentence(clause_texts, asks, sentence_first, token == _ASKED)
                sentence_first = len(clause_texts)
        if words:
            clause_texts.append(" ".join(words))
            asks.append(False)
            sentences.append(sentence_first)
        self._close_sentence(clause_texts, asks, sentence_first, False)
        if not clause_texts:
            return Prepared("", (Clause(0, 0, False),))
        joined = " | ".join(clause_texts)
        if idioms:
            joined = self._without_idioms(joined)
        clauses: list[Clause] = []
        pos = 0
        for piece, asked, sentence in zip(joined.split(" | "), asks, sentences, strict=True):
            clauses.append(Clause(pos, pos + len(piece), asked, sentence))
            pos += len(piece) + 3
        return Prepared(joined, tuple(clauses))

    def _without_idioms(self, text: str) -> str:
        """Replace each idiom with the word "idiom" (scanning only where one may start), or
        "idiomfine" when it is a reassuring normal finding ("neck moves fine"), so that the
        reassurance frame still sees it."""
        if not self._idiom_filter.possible(text):
            return text  # no idiom's literals: nothing to replace
        out: list[str] = []
        done = pos = 0
        while (m := self._idioms.search(text, pos)) is not None:
            out.append(text[done : m.start()])
            word = "idiomfine" if self._reassuring.search(m[0]) else "idiom"
            # An idiom may span a clause break ("sitting at my desk all day and my bum goes
            # numb"): each clause it covers keeps its place.
            out.append(" | ".join([word] * (m[0].count(" | ") + 1)))
            done = pos = m.end()
        out.append(text[done:])
        return "".join(out)

    def _close_sentence(
        self, clause_texts: list[str], asks: list[bool], first: int, asked: bool
    ) -> None:
        """A sentence asks if it ends with "?" or opens with a question word."""
        if first >= len(clause_texts):
            return
        opener = clause_texts[first].split(" ", 1)[0]
        if asked or self._question_start.match(opener):
            for i in range(first, len(clause_texts)):
                asks[i] = True

    def _split_possessive(self, m: re.Match[str]) -> str:
        """ "neck's" -> "neck s" (so the body part keeps its spelling); "it's" -> "its"."""
        start = m.start()
        word_start = start
        while word_start > 0 and m.string[word_start - 1].isalpha():
            word_start -= 1
        return "" if m.string[word_start:start] in self._joined_s else " "

    def _marked(self, text: str) -> str:
        """Lower-case ASCII with sentence ends and clause breaks replaced by marker tokens."""
        plain = fold_keeping_apostrophes(text)
        plain = _POSSESSIVE_S.sub(self._split_possessive, plain).replace("'", "")
        plain = plain.replace("w/o", " without ").replace("w/", " with ").replace("&", " and ")
        plain = _OUT_OF_TEN.sub(r"\1 out of \2", _DECIMAL.sub("", plain))
        plain = _SENTENCE_END.sub(_mark_sentence_end, plain)
        return self._clause_break.sub(f" {_BREAK} ", plain)


class ContextJudge:
    """Decides whether a pattern hit reports a symptom the person has now."""

    def __init__(self, book: phrases.PhraseBook | None = None) -> None:
        cue = (book or phrases.book()).cues
        self._cue = _words(cue["negation_cues"])
        self._pseudo = _words(cue["pseudo_negations"])
        self._stop = _words(cue["negation_stops"])
        self._resolved = compile_regex(cue["resolved_after"])
        self._hypothetical = _words(cue["hypothetical"])
        self._meta = _words(cue["meta"])
        self._past = _words(cue["past"])
        self._past_lead = compile_regex(f"(?:{cue['past_lead']})")
        self._past_lead_unless = _words(cue["past_lead_unless"])
        self._personal = _words(cue["personal"])
        self._personal_near = _words(cue["personal_near"])
        self._asking = _words(cue["interrogative_i"])
        self._resolved_later = _words(cue["resolved_later"])
        self._resolved_next = compile_regex(cue["resolved_next"])
        self._minor_after = compile_regex(cue["minor_after"])
        self._others = _words(cue["others"])
        self._owner = _words(f"{cue['generic_owner']}|{cue['personal']}")
        self._generic = compile_regex(f"(?:{cue['generic_owner']})$")
        self._present = _words(cue["present"])
        self._reporting = _words(cue["reporting"])
        self._unreal_after = _words(cue["unreal_after"])
        self._report_if = _words(cue["report_if"])
        # A hedge may open the sentence before the question: "sorry to bother, is it normal..."
        self._report_question = compile_regex(
            f"(?:(?:{cue['hedge_lead']}) (?:\\| )?)?(?:{cue['report_question']})"
        )
        self._owner_near = _words(cue["owner_near"])
        self._general_frame = _words(cue["general_frame"])
        self._owned_after = compile_regex(cue["owned_after"])
        self._frames = tuple(
            (name, _words(cue[name]))
            for name in ("frame_fiction", "frame_training", "frame_settled", "frame_reassured")
        )
        self._reassured_unless = _words(cue["frame_reassured_unless"])
        self._frame_now = _words(cue["frame_now"])
        self._frame_danger = _words(cue["frame_danger"])
        self._disclaimer = _words(cue["disclaimer"])
        self._disclaimer_unless = _words(cue["disclaimer_unless"])
        self._resolved_onward = compile_regex(cue["resolved_onward"])
        self._resolved_onward_unless = _words(cue["resolved_onward_unless"])
        self._resolved_onward_danger = _words(cue["resolved_onward_danger"])
        self._resolved_onward_returns = _words(cue["resolved_onward_returns"])
        usual = (book or phrases.book()).baseline
        self._usual_flags = usual.flags
        self._usual = _words(usual.usual)
        self._changed = _words(usual.changed)
        self._deceased = _words(usual.deceased)

    def counts(
        self,
        prep: Prepared,
        start: int,
        end: int,
        *,
        personal: bool,
        floor: int = 0,
        flag: str = "",
    ) -> bool:
        """`floor`: where the look-back stops (the end of an earlier word of the same finding);
        `flag`: the flag (or part) the hit is for."""
        why = self.cancelled_by(prep, start, end, personal=personal, floor=floor, flag=flag)
        return why is None

    def cancelled_by(
        self,
        prep: Prepared,
        start: int,
        end: int,
        *,
        personal: bool,
        floor: int = 0,
        flag: str = "",
    ) -> str | None:
        """The context cue (its name in `rules/phrases/context.yaml`, or `rules/baseline.yaml`)
        that says the hit does not report a present experience, or None when the hit counts."""
        clause = prep.clause_at(start)
        before_words = prep.text[max(clause.start, start - _WINDOW_CHARS, floor) : start].split()
        before = " ".join(before_words[-_CONTEXT_WINDOW:])
        after = prep.text[end : min(clause.end, end + _WINDOW_CHARS // 2)].strip()
        matched = prep.text[start:end]
        if self._negated(" ".join(before_words[-_NEGATION_WINDOW:])):
            return "negation_cues"
        if self._resolved.match(after):
            return "resolved_after"
        if self._past.search(
            f"{_RELATIVE.split(before, 1)[0]} {matched} {_RELATIVE.split(after, 1)[0]}"
        ):
            return "past"
        if self._led_by_past(prep, clause):
            return "past_lead"
        if self._resolved_later.search(after):
            return "resolved_later"
        if self._fine_after(prep, clause):
            return "resolved_next"
        if self._over_later(prep, clause, end):
            return "resolved_onward"
        if self._unreal_after.search(after):
            return "unreal_after"
        if frame := self._framed(prep, clause):
            return frame
        if self._disclaimed(prep):
            return "disclaimer"
        if why := self._usual_or_gone(prep, clause, start, flag):
            return why
        if clause.question and self._owned_by_asker(prep, clause):
            return None
        if self._hypothetical.search(before) and not self._report_if.search(
            f"{before} {matched} {after}"
        ):
            return "hypothetical"
        if self._others.search(before):
            return "others"
        close = " ".join(before_words[-4:])
        # The hit's own words may name the owner: "is it normal to wet yourself?" (round 14).
        if clause.question and self._asks_in_general(f"{close} {matched}"):
            return "generic_owner"
        if personal:
            return None
        if (
            clause.question
            and not self._general_frame.search(before)
            and self._reported_after(prep, clause)
        ):
            return None
        if self._meta.search(f"{before} | {after}") and not self._personal_near.search(
            f"{close} {matched}"
        ):
            return "meta"
        if clause.question and not (
            self._personal.search(self._asking.sub(" ", f"{before} {after}"))
            or self._personal_near.search(close)
            or self._reporting.search(close)
            or self._present.search(f"{before} | {after}")
        ):
            return "personal"  # a question naming a symptom, with no one said to have it
        return None

    def _led_by_past(self, prep: Prepared, clause: Clause) -> bool:
        """ "Before, 5 years back, I had a kidney stone and could not pee.": the clause right
        before the hit's, in its sentence, is only a time long past, and neither the rest of
        the sentence from the hit's clause nor the next sentence says it is happening now."""
        i = bisect_left(prep.clauses, clause.start, key=_clause_start)
        if i == 0 or prep.clauses[i - 1].sentence != clause.sentence:
            return False
        lead = prep.clauses[i - 1]
        if self._past_lead.fullmatch(prep.text, lead.start, lead.end) is None:
            return False
        nxt = prep.next_sentence(clause, _WINDOW_CHARS)
        onward = prep.text[clause.start : prep.sentence_end(clause)]
        return not self._past_lead_unless.search(f"{onward} | {nxt[0] if nxt else ''}")

    def _reported_after(self, prep: Prepared, clause: Clause) -> bool:
        """ "Is it normal for a rash to not fade? It's spreading round my ankles.": a question
        framed as "is it normal / should I worry", followed by a statement about someone."""
        if not self._report_question.match(prep.text, prep.clauses[clause.sentence].start):
            return False
        nxt = prep.next_sentence(clause, _WINDOW_CHARS)
        return nxt is not None and not nxt[1] and self._owner_near.search(nxt[0]) is not None

    def _owned_by_asker(self, prep: Prepared, clause: Clause) -> bool:
        """ "What does it mean if a rash doesn't fade? Because mine doesn't.": the statement
        after a general question says the asker (or someone with them) has it."""
        nxt = prep.next_sentence(clause, _WINDOW_CHARS)
        return nxt is not None and not nxt[1] and self._owned_after.match(nxt[0]) is not None

    def _fine_after(self, prep: Prepared, clause: Clause) -> bool:
        """The next clause says all is well ("..., he's fine") and either ends the sentence or
        is followed only by something minor ("..., that's all settled, now just back ache");
        "..., I'm fine but my back is agony" is not over."""
        nxt = prep.clause_after(clause)
        if nxt is None or self._resolved_next.match(prep.text[nxt.start : nxt.end]) is None:
            return False
        later = prep.clause_after(nxt)
        if later is None:
            return True
        rest = prep.text[later.start : prep.sentence_end(later)]
        return self._minor_after.match(rest) is not None and not (
            self._frame_now.search(rest) or self._frame_danger.search(rest)
        )

    def clause_cancelled_by(self, prep: Prepared, clause: Clause) -> str | None:
        """The cue that says a whole clause does not report something happening now (its past,
        a resolution later, a frame, a disclaimer), judged as a hit on its first word, whose
        reach runs over the rest of the clause; None when it may (round 15: the medical
        neighbours, which read meaning, not words, are held to the same context)."""
        words = prep.text[clause.start : clause.end]
        first = words.find(" ")
        end = clause.end if first < 0 else clause.start + first
        return self.cancelled_by(prep, clause.start, end, personal=True)

    def _over_later(self, prep: Prepared, clause: Clause, end: int) -> bool:
        """ "My chest felt tight on Monday, but it's gone now": a resolution marker after the
        hit, in the rest of its sentence or the next sentence, scopes back over the hit, unless
        something between them (or in the hit's clause before it) or after the marker, to the
        end of the next sentence, says it is not over ("still", "came back", "twice this week",
        "ten minutes ago", "this morning"), or a danger sign lies between ("crushing", "blue and
        floppy"). It never speaks for a later hit: that one's own look onward starts after it
        (round 15, issue 10)."""
        i = bisect_right(prep.clauses, clause.sentence, key=_sentence)
        last = prep.clauses[i] if i < len(prep.clauses) else clause
        marker = self._resolved_onward.search(prep.text, end, prep.sentence_end(last))
        if marker is None:
            return False
        text, unless = prep.text, self._resolved_onward_unless.search
        if unless(text, clause.start, marker.start()):
            return False
        if self._resolved_onward_danger.search(text, clause.start, marker.end()):
            return False
        # After the marker: the rest of its sentence and the next one.
        j = bisect_right(prep.clauses, prep.clause_at(marker.start()).sentence, key=_sentence)
        after = prep.clauses[j] if j < len(prep.clauses) else prep.clause_at(marker.start())
        rest = text[marker.end() : prep.sentence_end(after)]
        return not (self._resolved_onward_returns.search(rest) or self._present.search(rest))

    def _framed(self, prep: Prepared, clause: Clause) -> str | None:
        """The frame in scope of the hit, unless its sentence also says something is happening
        now. Fiction and reassurance frame the whole sentence; a training question or the
        settled past only the hit's clause and the one after it ("had a fit at 6, never again"),
        so "had a heart attack in 2019 and I'm getting the same chest pain again" still alarms.
        A reassurance speaks for its own clause and what came before it, never for a later
        clause: "he says his back is fine but he is grey" is still grey."""
        own = [c for c in prep.clauses if c.sentence == clause.sentence]
        sentence = " | ".join(prep.text[c.start : c.end] for c in own)
        onward = " | ".join(prep.text[c.start : c.end] for c in own if c.start >= clause.start)
        nxt = prep.clause_after(clause)
        near = prep.text[clause.start : (nxt or clause).end]
        # Training and the settled past: the hit's clause and the next one only.
        scope = {"frame_training": near, "frame_settled": near, "frame_reassured": onward}
        name = next(
            (n for n, regex in self._frames if regex.search(scope.get(n, sentence))),
            None,
        )
        if name is None or self._frame_now.search(sentence):
            return None
        if name != "frame_fiction" and self._frame_danger.search(sentence):
            return None
        if name == "frame_reassured" and self._reassured_unless.search(sentence):
            return None
        return name

    def _usual_or_gone(self, prep: Prepared, clause: Clause, start: int, flag: str) -> str | None:
        """ "deceased": the hit's clause says its owner has died ("my wife had sepsis years
        before she died"), a relative clause ("... her mother who died") speaking only for
        itself. "baseline": for a flag the guidance defines as new (`rules/baseline.yaml`), the
        hit's clause, the rest of its sentence or the next sentence says it is the person's
        usual state ("bum's numb, always is"), and nothing in the message says anything changed
        ("..., but now it's spreading"): the change always wins (round 15)."""
        lo, hi = clause.start, clause.end
        for m in _RELATIVE.finditer(prep.text, lo, hi):
            if m.start() >= start:
                hi = m.start()
                break
            lo = m.start()
        if self._deceased.search(prep.text, lo, hi):
            return "deceased"
        if flag not in self._usual_flags:
            return None
        end = prep.sentence_end(clause)
        nxt = bisect_right(prep.clauses, clause.sentence, key=_sentence)
        if nxt < len(prep.clauses):
            end = prep.sentence_end(prep.clauses[nxt])
        if self._usual.search(prep.text, clause.start, end) is None:
            return None
        return None if self._changed.search(prep.text) else "baseline"

    def _disclaimed(self, prep: Prepared) -> bool:
        """ "Asking hypothetically, I'm fine, just curious": the asker says the question is not
        about anything happening now, and nowhere in the message gives a present time or a
        reading. The message, not the sentence, is the scope: the disclaimer often comes after
        the question it speaks for (round 14, issue 10)."""
        return (
            self._disclaimer.search(prep.text) is not None
            and self._disclaimer_unless.search(prep.text) is None
        )

    def _asks_in_general(self, close: str) -> bool:
        """ "can back pain make your legs weak?": the last owner named before is "you"."""
        owners = [m.group() for m in self._owner.finditer(close)]
        return bool(owners) and self._generic.match(owners[-1]) is not None

    def _negated(self, window: str) -> bool:
        window = self._pseudo.sub("x", window)
        cue_end = max((m.end() for m in self._cue.finditer(window)), default=-1)
        stop_end = max((m.end() for m in self._stop.finditer(window)), default=-1)
        # A cue whose last word is a stop ("cant say im") still negates what follows it.
        return cue_end >= stop_end and cue_end >= 0


class PhraseSpotter:
    """Several named pattern sets, each one alternation searched on its own.

    After each hit the search resumes at the next character, so a hit inside another one is
    seen too. A set none of whose literals the text has is not searched (`prefilter`; round 9
    in bench/RESULTS.md: the literals come with the kept programs, so start-up pays no extra
    parse).
    `personal` hits describe an experience outright; `nominal` ones may be talk about a
    symptom in general.
    """

    def __init__(self, named: Mapping[str, phrases.FlagPatterns]) -> None:
        each: list[tuple[str, re.Pattern[str]]] = []
        expanded_by_name: dict[str, tuple[str, ...]] = {}
        sources: dict[str, tuple[phrases.Text, ...]] = {}
        for name, patterns in named.items():
            groups = []
            bodies: list[str] = []
            for kind, alternatives in (
                ("personal", patterns.personal),
                ("nominal", patterns.nominal),
            ):
                if not alternatives:
                    continue
                expanded = list(alternatives)
                groups.append(f"(?P<{kind}>{'|'.join(expanded)})")
                bodies.extend(expanded)
            try:
                regex = _words("|".join(groups))
            except re.error:
                _checked([*patterns.personal, *patterns.nominal])  # names the bad one
                raise
            if regex.groups != len(groups):
                raise ValueError(f"{name}: patterns must not contain capturing groups")
            each.append((name, regex))
            expanded_by_name[name] = tuple(bodies)
            sources[name] = (*patterns.personal, *patterns.nominal)
        self._each = tuple(each)
        self._prefilter = Prefilter([PROGRAMS.literals(regex) for _, regex in each])
        self.sources: Mapping[str, tuple[phrases.Text, ...]] = MappingProxyType(sources)
        self.patterns: Mapping[str, tuple[str, ...]] = MappingProxyType(expanded_by_name)

    def found(self, prep: Prepared, judge: ContextJudge) -> frozenset[str]:
        """The names with at least one hit that `judge` accepts (a set none of whose
        literals the text has is not searched: `prefilter`)."""
        found: set[str] = set()
        possible = self._prefilter.possible(prep.text)
        for i, (name, regex) in enumerate(self._each):
            if i in possible and next(_accepted(prep, judge, regex, name), None) is not None:
                found.add(name)
        return frozenset(found)

    def explain(self, prep: Prepared, judge: ContextJudge) -> list[PhraseHit]:
        """Every hit of every set, with the pattern that made it and the cue that cancelled it
        (slow: each pattern is compiled on its own; for `python -m bot safety explain`)."""
        out = []
        for name, regex in self._each:
            pos = 0
            while (m := regex.search(prep.text, pos)) is not None:
                start = pos = m.start()
                pos += 1
                pattern = next(
                    (p for p in self.sources[name] if _words(p).match(prep.text, start)),
                    None,
                )
                personal = m.lastgroup == "personal"
                why = judge.cancelled_by(prep, start, m.end(), personal=personal, flag=name)
                source = pattern.source if pattern is not None else "?"
                out.append(PhraseHit(name, source, m[0], why))
        return out

    def starts(self, prep: Prepared, judge: ContextJudge, name: str) -> list[int]:
        """Where the accepted hits of one name start (for rules about nearness)."""
        out: list[int] = []
        for each_name, regex in self._each:
            if each_name == name:
                out.extend(_accepted(prep, judge, regex, name))
        return out


def _accepted(
    prep: Prepared, judge: ContextJudge, regex: re.Pattern[str], flag: str
) -> Iterator[int]:
    """Start positions of the pattern's hits for `flag` that the context judge accepts, in
    order (a search resumes one character after each hit, so a hit inside another one is seen
    too)."""
    text = prep.text
    pos = 0
    while (m := regex.search(text, pos)) is not None:
        start = m.start()
        if judge.counts(prep, start, m.end(), personal=m.lastgroup == "personal", flag=flag):
            yield start
        pos = start + 1


@dataclass(frozen=True)
class PhraseHit:
    """For explaining: a phrase set's hit, its pattern's file:line, the cue that cancelled it."""

    name: str
    source: str
    text: str
    cancelled_by: str | None


@dataclass(frozen=True, slots=True)
class Hit:
    """One concept word (or short phrase) found in prepared text."""

    start: int
    end: int
    first_word: int
    last_word: int
    clause: int
    sentence: int


_PARTNERS_PER_GROUP = 3


class ConceptScorer:
    """The co-occurrence layer: a flag fires when one word of each group of one of its rules
    appears near the others (`phrases.Rule`) and the whole finding passes `ContextJudge`.

    One search per group finds its words; each rule then looks, from each hit of its
    first group, at the few nearest hits of the other groups, so the work stays linear.
    """

    def __init__(
        self, groups: Mapping[str, phrases.Text], rules: Mapping[str, tuple[phrases.Rule, ...]]
    ) -> None:
        used = sorted({g for code_rules in rules.values() for r in code_rules for g in r.groups})
        unknown = set(used) - set(groups)
        if unknown:
            raise ValueError(f"rules name unknown concept groups: {sorted(unknown)}")
        each: dict[str, re.Pattern[str]] = {}
        bodies: dict[str, tuple[str]] = {}
        for name in used:
            body = groups[name]
            regex = _checked([groups[name]])
            if regex.groups:
                raise ValueError(f"{name}: concept groups must not contain capturing groups")
            each[name] = regex
            bodies[name] = (body,)
        self._each: Mapping[str, re.Pattern[str]] = MappingProxyType(each)
        self._names = tuple(each)
        self._prefilter = Prefilter([PROGRAMS.literals(regex) for regex in each.values()])
        self.patterns: Mapping[str, tuple[str, ...]] = MappingProxyType(bodies)
        self._rules = rules

    def found(
        self,
        prep: Prepared,
        judge: ContextJudge,
        skip: Iterable[str],
    ) -> set[str]:
        """Codes (other than `skip`) with a rule met by hits that `judge` accepts."""
        skipped = set(skip)
        absent = self._absent(prep)
        hits = _GroupHits(self._each, prep)
        return {
            code
            for code, rules in self._rules.items()
            if code not in skipped
            and any(
                absent.isdisjoint(rule.groups) and self._met(rule, hits, prep, judge, code)
                for rule in rules
            )
        }

    def met(self, prep: Prepared, judge: ContextJudge) -> list[tuple[str, phrases.Rule]]:
        """(code, rule) for every concept rule the text meets (for explaining)."""
        absent = self._absent(prep)
        hits = _GroupHits(self._each, prep)
        return [
            (code, rule)
            for code, rules in self._rules.items()
            for rule in rules
            if absent.isdisjoint(rule.groups) and self._met(rule, hits, prep, judge, code)
        ]

    def _absent(self, prep: Prepared) -> set[str]:
        """The groups none of whose literals the text has (no search would find them): a
        rule naming one is not met, and is skipped before any search."""
        possible = self._prefilter.possible(prep.text)
        return {name for i, name in enumerate(self._names) if i not in possible}

    def _met(
        self,
        rule: phrases.Rule,
        hits: _GroupHits,
        prep: Prepared,
        judge: ContextJudge,
        code: str,
    ) -> bool:
        if any(g not in hits for g in rule.groups):
            return False
        first, *others = rule.groups
        for anchor in hits[first]:
            options = [self._near(anchor, hits[g], rule) for g in others]
            for combo in itertools.product(*options):
                chosen = sorted((anchor, *combo), key=_by_start)
                if self._accepted(chosen, rule, prep, judge, code):
                    return True
        return False

    @staticmethod
    def _near(anchor: Hit, candidates: list[Hit], rule: phrases.Rule) -> list[Hit]:
        """The few hits of one group within the rule's window and scope of `anchor`."""
        lo = bisect_left(candidates, anchor.first_word - rule.window, key=_first_word)
        hi = bisect_right(candidates, anchor.last_word + rule.window, key=_first_word)
        same = [
            h
            for h in candidates[lo:hi]
            if (
                h.clause == anchor.clause
                if rule.scope == "clause"
                else h.sentence == anchor.sentence
            )
        ]
        same.sort(key=lambda h: abs(h.first_word - anchor.first_word))
        return same[:_PARTNERS_PER_GROUP]

    @staticmethod
    def _accepted(
        chosen: list[Hit], rule: phrases.Rule, prep: Prepared, judge: ContextJudge, code: str
    ) -> bool:
        """Distinct words, close enough, each in context reporting a present experience."""
        if chosen[-1].last_word - chosen[0].first_word > rule.window:
            return False
        if any(a.end > b.start for a, b in itertools.pairwise(chosen)):
            return False
        head, *rest = chosen
        if not judge.counts(prep, head.start, head.end, personal=rule.personal, flag=code):
            return False
        return (
            all(
                judge.counts(prep, h.start, h.end, personal=True, floor=prev.end, flag=code)
                for prev, h in itertools.pairwise(chosen)
            )
            if rest
            else True
        )


class _GroupHits:
    """Each concept group's hits in one text, searched for only when a rule asks (a rule
    stops at its first absent group, so most groups of a calm message are never searched)."""

    def __init__(self, regexes: Mapping[str, re.Pattern[str]], prep: Prepared) -> None:
        self._regexes = regexes
        self._prep = prep
        self._found: dict[str, list[Hit]] = {}
        self._word_starts: list[int] | None = None

    def __contains__(self, name: str) -> bool:
        return bool(self[name])

    def __getitem__(self, name: str) -> list[Hit]:
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = self._search(name)
        return found

    def _search(self, name: str) -> list[Hit]:
        prep = self._prep
        text = prep.text
        out: list[Hit] = []
        pos = 0
        while (m := self._regexes[name].search(text, pos)) is not None:
            start = m.start()
            pos = start + 1
            if self._word_starts is None:
                self._word_starts = [w.start() for w in _WORDS.finditer(text)]
            words = self._word_starts
            clause = prep.clause_at(start)
            out.append(
                Hit(
                    start,
                    m.end(),
                    bisect_left(words, start),
                    bisect_left(words, m.end()) - 1,
                    clause.start,
                    clause.sentence,
                )
            )
        return out


def _by_start(hit: Hit) -> int:
    return hit.start


def _first_word(hit: Hit) -> int:
    return hit.first_word


_IDIOM_WORDS = frozenset({"idiom", "idiomfine"})
"""What `TextPreparer` puts in an idiom's place."""

_NECK = "neck_stiff"
_NECK_COMPANION = "neck_companion"
_NECK_ALONE = "neck_alone"
_NECK_COMPANION_WORDS = 20


class EmergencyDetector:
    """Finds emergency-level red flags (and the self-harm crisis) described as present.

    Three sources OR-ed: the phrase rules (`bot/safety/rules/phrases/`, combined by the engine
    here), the rule files in `bot/safety/rules/` (both reviewed data, checked when loaded: a
    broken file or a failing example stops the bot from starting) and, unless
    `learned=False`, the learned second detector at its high-recall thresholds. When the rules
    and the learned detector disagree, the case is kept in `disagreements` for review.
    """

    def __init__(
        self,
        *,
        learned: bool = True,
        phrase_book: phrases.PhraseBook | None = None,
        neighbours: bool | None = None,
    ) -> None:
        """`phrase_book`: other phrase rules than the shipped ones (for checking a change);
        `neighbours`: the nearest-neighbour signal (default: with the learned detector)."""
        self.phrases = phrase_book or phrases.book()
        self._preparer = TextPreparer(self.phrases)
        self._judge = ContextJudge(self.phrases)
        self._spotter = PhraseSpotter({**self.phrases.flags, **self.phrases.parts})
        self._concepts = ConceptScorer(self.phrases.groups, self.phrases.rules)
        both = {**self._spotter.patterns, **self._concepts.patterns}
        if len(both) != len(self._spotter.patterns) + len(self._concepts.patterns):
            raise ValueError("phrase sets and concept groups must have different names")
        # Levels come from the one catalogue; a rule file naming a code it lacks is refused.
        self.rulebook = rulebook.load(levels=CATALOGUE_LEVELS)
        missing = EMERGENCY_FLAGS - set(self.phrases.flags) - {"stiff_neck"}
        missing -= set(self.rulebook.flags)
        if missing:
            raise ValueError(f"no patterns for emergency flags: {sorted(missing)}")
        self.codes = EMERGENCY_FLAGS
        self.learned = LearnedDetector() if learned else None
        self.neighbours: NeighbourSignal | None = None
        self.disagreements: deque[Disagreement] = deque(maxlen=_KEEP_DISAGREEMENTS)
        # The shipped phrase files' examples passed with this code before: not run again.
        digest = None if phrase_book else proven.key("phrase examples", rulebook.RULES_DIR)
        if not proven.passed(digest):
            examples = self.phrases.examples
            problems = failing_examples(examples, self.detect_phrases, EMERGENCY_FLAGS)
            # A usual state and a change from it, through both engines (`rules/baseline.yaml`).
            where = self.phrases.baseline.source
            usual = [phrases.Example(where, *ex) for ex in self.phrases.baseline.examples]
            problems += failing_examples(usual, self.detect_rules, EMERGENCY_FLAGS)
            if problems:
                raise rulebook.RulesError(problems)
            proven.record(digest)
        PROGRAMS.save()
        # The third signal, behind the learned one, started last so that the build does not
        # share its CPU: the embeddings load in a background thread (the bot answers with rules
        # + learned meanwhile; the matcher shares the embedder, loaded once for both).
        if learned if neighbours is None else neighbours and learned:
            self.neighbours = NeighbourSignal()

    def detect(self, text: str) -> frozenset[str]:
        """The emergency codes that `text` describes as happening now; empty for calm text."""
        if not text or not text.strip():
            return frozenset()
        ruled = self.detect_rules(text)
        if self.learned is None:
            return ruled
        found, verdict = self.learned.judge(text)
        learned = found & self.codes
        if not ruled and not learned:  # the cascade: the neighbours only when nothing else fired
            learned = self._neighbours(text, verdict)
        if bool(ruled) != bool(learned):
            self.disagreements.append(Disagreement(text[:_KEEP_CHARS], ruled, learned))
            _log.info("detectors disagree: rules %s, learned %s", sorted(ruled), sorted(learned))
        return ruled or learned

    def loaded(self) -> EmergencyDetector:
        """This detector once its background parts have loaded: offline tools (scoring,
        review) judge as the running bot does after its first seconds; the bot never waits."""
        if self.neighbours is not None:
            self.neighbours.wait()
        return self

    def neighbour_score(self, text: str, verdict: Verdict | None) -> float | None:
        """The nearest-neighbour score when the cascade asks for it (the learned detector found
        nothing and its crisis probability reaches the gate) and the embeddings are loaded;
        otherwise None, and nothing is embedded."""
        signal = self.neighbours
        if signal is None or verdict is None or not signal.ready:
            return None
        return cascade(False, False, verdict.crisis, signal.gate, lambda: signal.score(text))[1]

    def neighbours_near(self, text: str, verdict: Verdict | None) -> Near | None:
        """Both neighbour scores (crisis, medical) when the cascade asks for them (the learned
        detector found nothing and its crisis or medical probability reaches its gate) and the
        embeddings are loaded; otherwise None, and nothing is embedded."""
        signal = self.neighbours
        if signal is None or verdict is None or not signal.ready:
            return None
        return cascade(
            False,
            False,
            verdict.crisis,
            signal.gate,
            lambda: signal.near(text),
            verdict.emergency,
            signal.medical_gate,
        )[1]

    def _neighbours(self, text: str, verdict: Verdict | None) -> frozenset[str]:
        """The crisis code, or the medical flag of the nearest medical exemplar (the reply then
        says what to do for that family), when a neighbour score passes its gate and threshold."""
        near = self.neighbours_near(text, verdict)
        if near is None or verdict is None or self.neighbours is None:
            return frozenset()
        family = self._family_threshold(text, verdict)
        alarm = self.neighbours.alarm(verdict.crisis, verdict.emergency, near, family)
        if alarm is None:
            return frozenset()
        if alarm != "crisis":
            alarm = self._medical_in_context(text, verdict, alarm, family)
            if alarm is None:
                return frozenset()
        return frozenset({verdict.crisis_code if alarm == "crisis" else alarm}) & self.codes

    def _medical_in_context(
        self, text: str, verdict: Verdict, alarm: str, family: float | None
    ) -> str | None:
        """A medical neighbour alarm, asked again of the message without its clauses that the
        rules' context cues set aside (the past, a symptom said to be over, an idiom, a frame):
        "my chest felt tight on Monday, but it's gone now" lies near chest pain in meaning, and
        only the rules read "gone now". It stands only if what is left still alarms (round 15,
        issue 10). A crisis alarm is never asked again: self-harm is not explained away. The
        leave-one-writer-out bench holds its folds' medical neighbours to the same
        (`bench.safety_by_writer.neighbour_scores`)."""
        live = self.live_text(text)
        if live == text:
            return alarm
        if self.neighbours is None or len(live.split()) < 2:
            return None
        near = self.neighbours.near(live)
        if near is None:
            return alarm  # not loaded: cannot happen here (the first look needed them)
        # The flag stays the one the whole message is nearest (the bench keeps it too).
        again = self.neighbours.alarm(0.0, verdict.emergency, near, family)
        return alarm if again is not None else None

    def live_text(self, text: str) -> str:
        """`text` without the clauses the context judge sets aside as a whole and without its
        idioms (`ContextJudge.clause_cancelled_by`), one sentence per remaining clause;
        `text` itself when nothing is set aside."""
        prep = self._preparer.prepare(text, idioms=True)
        kept: list[str] = []
        dropped = False
        for clause in prep.clauses:
            words = prep.text[clause.start : clause.end].split()
            plain = [w for w in words if w not in _IDIOM_WORDS]
            if len(plain) != len(words):
                dropped = True
            if self._judge.clause_cancelled_by(prep, clause) is not None:
                dropped = True
                continue
            if plain:
                kept.append(" ".join(plain))
        return ". ".join(kept) if dropped else text

    def _family_threshold(self, text: str, verdict: Verdict) -> float | None:
        """The learned medical threshold of the flag family the flag namer gives `text`, which
        the medical neighbours measure its medical probability against
        (`neighbours.Bank.medical_total`); None under their gate, where they cannot alarm, or
        when the bank keeps the plain sum (the namer is not run)."""
        if (
            self.learned is None
            or self.neighbours is None
            or not self.neighbours.relative
            or verdict.emergency < self.neighbours.medical_gate
        ):
            return None
        return self.learned.medical_threshold(self.learned.flag(text) or verdict.code)

    def detect_rules(self, text: str) -> frozenset[str]:
        """What the rules alone find (the phrase rules and the rule files)."""
        if not text or not text.strip():
            return frozenset()
        codes = set(self.detect_phrases(text))
        # A family the rule files define is theirs alone (self-harm: one place, with its cues).
        codes -= {code for code, flag in self.rulebook.flags.items() if flag.sole_source}
        codes |= self.rulebook.detect(text)
        return frozenset(codes & self.codes)

    def detect_phrases(self, text: str) -> frozenset[str]:
        """What the phrase rules (`bot/safety/rules/phrases/`) alone find, in the message as
        typed or, when spelling changes a word (`bot.safety.spelling.respelt`: "cant feel ma
        legs"), in standard spelling, each reading judged by its own context cues."""
        codes = self._phrases_in(self._preparer.prepare(text, idioms=True))
        plain = respelt(text)
        if plain is not None:
            codes |= self._phrases_in(self._preparer.prepare(plain, idioms=True))
        return frozenset(codes)

    def _phrases_in(self, prep: Prepared) -> set[str]:
        found = self._spotter.found(prep, self._judge)
        codes = set(found & EMERGENCY_FLAGS)
        # Meningitis-like: a stiff neck with fever or headache, or light hurting the eyes.
        if _NECK_ALONE in found or (
            {_NECK, _NECK_COMPANION} <= found and self._neck_with_companion(prep)
        ):
            codes.add("stiff_neck")
        codes |= self._concepts.found(prep, self._judge, skip=codes)
        return codes

    def explain_phrases(
        self, text: str
    ) -> tuple[str, list[PhraseHit], list[tuple[str, phrases.Rule]]]:
        """(normalised text, every phrase hit, every concept rule met), for explaining."""
        prep = self._preparer.prepare(text, idioms=True)
        return (
            prep.text,
            self._spotter.explain(prep, self._judge),
            self._concepts.met(prep, self._judge),
        )

    def _neck_with_companion(self, prep: Prepared) -> bool:
        """A stiff neck and a fever or headache told together (a few words apart), not a stiff
        neck from sleeping funny in one part of a long message and last week's fever in another.

        Linear: positions become word numbers (one pass), then each neck is compared with the
        nearest companion on either side (a merge of two sorted lists).
        """
        necks = self._spotter.starts(prep, self._judge, _NECK)
        others = self._spotter.starts(prep, self._judge, _NECK_COMPANION)
        return _within_words(prep.text, necks, others, _NECK_COMPANION_WORDS)


@dataclass(frozen=True)
class Disagreement:
    """A message the two detectors judged differently (kept for admins to review)."""

    text: str
    rules: frozenset[str]
    learned: frozenset[str]


CATALOGUE_LEVELS = MappingProxyType({c: str(f.level) for c, f in CATALOGUE.flags.items()})
_KEEP_DISAGREEMENTS = 200
_KEEP_CHARS = 300
_log = logging.getLogger(__name__)


def _within_words(text: str, firsts: list[int], seconds: list[int], words: int) -> bool:
    """Whether some position of `firsts` and some of `seconds` are at most `words` spaces
    apart in `text`; O(len(text) + hits) instead of one count per pair."""
    if not firsts or not seconds:
        return False
    spaces = list(itertools.accumulate(ch == " " for ch in text))
    a = sorted(spaces[p - 1] if p else 0 for p in firsts)
    b = sorted(spaces[p - 1] if p else 0 for p in seconds)
    i = j = 0
    while i < len(a) and j < len(b):
        if abs(a[i] - b[j]) <= words:
            return True
        if a[i] < b[j]:
            i += 1
        else:
            j += 1
    return False


def failing_examples(
    examples: Iterable[phrases.Example],
    detect: Callable[[str], AbstractSet[str]],
    codes: AbstractSet[str],
) -> list[str]:
    """`file:line: message` for each example of a code in `codes` that `detect` gets wrong."""
    problems = []
    for ex in examples:
        if ex.code not in codes:
            continue
        found = ex.code in detect(ex.text)
        if ex.must and not found:
            problems.append(
                f"{ex.source}: must_match example not matched as {ex.code}: {ex.text!r}"
            )
        elif found and not ex.must:
            problems.append(
                f"{ex.source}: must_not_match example matched as {ex.code}: {ex.text!r}"
            )
    return problems


def _checked(patterns: Iterable[phrases.Text], *groups: str) -> re.Pattern[str]:
    """One word-bounded alternation of `patterns`; a bad one is reported as `file:line`."""
    expanded = list(patterns)
    try:
        return _words("|".join(expanded))
    except re.error:
        for pattern, body in zip(patterns, expanded, strict=True):
            try:
                _words(body)
            except re.error as exc:
                raise rulebook.RulesError([f"{pattern.source}: bad pattern: {exc}"]) from None
        raise


def describe(codes: Iterable[str]) -> str:
    """Short plain words for the flags, in the catalogue's order, for the emergency reply."""
    wanted = set(codes)
    unknown = wanted - EMERGENCY_FLAGS
    if unknown:
        raise KeyError(f"unknown emergency codes: {sorted(unknown)}")
    return "; ".join(CATALOGUE.says(wanted))
