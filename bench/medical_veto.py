"""A learned second opinion on the rules' medical hits, leaving one writer out (issue 10).

The rules' calm alarms on a new writer are mostly a symptom phrase in a message that, read whole,
is not a current emergency: a disabled person's usual numbness, a resolved episode, a grief or
swearing idiom, a question about what a symptom means. The rules are tuned on every set here,
so their calm alarms on a writer they never saw are exactly what they have never seen; a small
model that reads the whole message might generalise better. Under test: a model that may VETO a
rules hit whose codes are all medical (never self-harm or overdose; a message with a crisis code
is never touched).

`python -m bench.medical_veto SCORES` (SCORES: the folds' learned scores, the JSON cache of
`bench.safety_by_writer --cache`, which scores each writer by a model trained without it).

The population: every labelled message of the writers' folds on which a medical rule fires with
no crisis code (`EmergencyDetector(learned=False).detect_rules`), plus the calm and emergency
messages on which a medical phrase rule fires before the context judge cancels it (`open`): more
calm examples of a symptom named but not reported. Labels: emergency (any code) or calm. The
developers' training paraphrases (`bot/safety/training/`) are left out: the learned model always
trains on them, so their learned scores would be in-sample.

Features (`Featuriser`): the fold's learned crisis and medical probabilities (logits),
evidence and in-passing crisis score (`bench.safety_by_writer`'s scores, each writer's from a
model trained without it); how often each context cue family of `rules/phrases/context.yaml`
occurs anywhere in the message (past, resolved, hypothetical, meta, others, present,
disclaimer, the frames...: the rules scope them to the hit's clause, the model sees them all)
and in the clauses that hold a medical pattern's hit (before any cue cancels it); idioms;
questions (in the message, in the hit's clauses); length; whether the hit is in the last
clause; a few word lists written for this (a baseline: "usual", "always", "normal for me",
"chronic"; now: "right now", "suddenly", "getting worse"; resolution; help-seeking:
"ambulance", "what do i do"; figures of speech; questions about meaning; first and third
person); the family of the hit. 91 in all. The model: a standardised logistic regression
(calm = 1, balanced classes, `--strength` its C).

For each held-out writer k, the model is trained on the other writers' population, and its veto
threshold is chosen inside that training set at zero emergencies lost (`thresholds`): each other
writer j's emergency hits are scored by a model trained without k and j, and the threshold is
just above the highest of those scores. The held-out writer's rules hits are then judged: calm
alarms removed, emergencies vetoed (counted as lost even if the learned side would catch them:
an upper bound on losses).

Also judged: the rules' first looks (`bench.rules_replay`, 29 writers): each replayed writer's
first-look medical-only hits (the rules as they were before that writer joined) vetoed by the
same fold's model and threshold (the learned scores found by text in the writer's fold).
`--first-look` also trains on the other writers' first-look hits: the rules' calm alarms on
writers they had not seen, the very thing the veto is for.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import rules_replay
from bench.safety_by_writer import folds
from bot.safety.emergency import ContextJudge, EmergencyDetector, Prepared, TextPreparer, _words
from bot.safety.learned import CRISIS_CODES, medical_family

Scores = tuple[float, float, float, float]

# Context cue families read over the whole message (helpers of other cues left out).
CUES = (
    "negation_cues",
    "pseudo_negations",
    "hypothetical",
    "meta",
    "past",
    "past_lead",
    "past_lead_unless",
    "resolved_later",
    "others",
    "generic_owner",
    "present",
    "reporting",
    "personal_near",
    "interrogative_i",
    "unreal_after",
    "report_if",
    "report_question",
    "hedge_lead",
    "general_frame",
    "frame_fiction",
    "frame_training",
    "frame_settled",
    "frame_reassured",
    "frame_reassured_unless",
    "frame_now",
    "frame_danger",
    "disclaimer",
    "disclaimer_unless",
)

# Word lists written for this module (not from the sets).
WORDS: dict[str, str] = {
    "baseline": r"usual|usually|always|normal for me|my normal|as normal|as usual|every day|"
    r"everyday|all the time|most days|chronic|long term|for years|for ages|my condition|"
    r"diagnosed|my ms|neuropathy|wheelchair|disabled|disability|since birth|since i was born|"
    r"lifelong|nothing new|same as ever|the usual",
    "now": r"now|right now|just now|today|tonight|this morning|suddenly|all of a sudden|"
    r"getting worse|worse and worse|worse|worst|since|started|keeps|still|can t|cant|cannot|"
    r"wont|won t|minutes ago|an hour ago|hours",
    "resolved": r"went away|gone now|fine now|better now|back to normal|passed|wore off|"
    r"cleared up|settled|recovered|was fine|all good|okay now|ok now|turned out",
    "past": r"was|were|had|did|used to|once|last year|years ago|back then|when i was|"
    r"remember|ago|childhood|grandad|grandpa|grandma|nan",
    "help": r"help|please|ambulance|999|000|911|112|emergency|hospital|a and e|a e|er|"
    r"urgent|urgently|scared|terrified|panicking|what do i do|what should i do|should i go|"
    r"do i need",
    "figure": r"lol|haha|lmao|omg|literally|dying of|dying to|killing me|kill me|gonna die|"
    r"could die|as the saying|so to speak|metaphor|joke|joking|kidding|bloody|damn|hell|"
    r"heart attack at|gave me a heart attack|grief|grieving|miss (?:him|her|them)",
    "ask": r"what does|what do|what is|whats|why does|why do|how do|how does|is it normal|"
    r"is that normal|should i worry|what causes|what happens|how long|how can|what if|"
    r"meaning|mean",
    "first": r"i|im|i m|ive|i ve|my|me|myself",
    "third": r"he|she|hes|shes|his|her|him|they|them|their|mum|mom|dad|son|daughter|"
    r"husband|wife|partner|friend|brother|sister|baby|kid|child|dog|cat",
}

FAMILIES = ("cauda equina", "infection", "trauma", "breathing/chest", "collapse")


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


class Featuriser:
    """A message's features for the veto (see the module's docstring)."""

    def __init__(self, detector: EmergencyDetector) -> None:
        cue = detector.phrases.cues
        self._spotted = [
            regex for name, regex in detector._spotter._each if name not in CRISIS_CODES
        ]
        self._book = detector.rulebook
        self._preparer = TextPreparer(detector.phrases)
        self._cues = [_words(cue[name]) for name in CUES]
        self._words = [_words(pattern) for pattern in WORDS.values()]
        self._idioms = self._preparer._idioms

    @property
    def names(self) -> list[str]:
        return [
            "crisis",
            "medical",
            "evidence",
            "passing",
            "words",
            "asked",
            "asked_share",
            "clauses",
            "idioms",
            *CUES,
            *WORDS,
            *FAMILIES,
            "hit_last",
            "hit_asked",
            "hit_share",
            *(f"hit {name}" for name in (*CUES, *WORDS)),
        ]

    def _hit_clauses(self, prep: Prepared, text: str) -> list[int]:
        """The clauses (indices) holding a medical pattern's hit, whatever the context judge
        says of it: the phrase rules' in the prepared text, the rule files' by their words."""
        starts = {m.start() for regex in self._spotted for m in regex.finditer(prep.text)}
        for hit in self._book.hits(text):
            if hit.rule.code not in CRISIS_CODES:
                at = prep.text.find(hit.text)
                if at >= 0:
                    starts.add(at)
        return sorted({prep.clauses.index(prep.clause_at(start)) for start in starts})

    def __call__(self, text: str, scores: Scores, codes: frozenset[str]) -> list[float]:
        prep: Prepared = self._preparer.prepare(text, idioms=False)
        plain = prep.text
        n_words = max(1, len(plain.split()))
        asked = sum(c.question for c in prep.clauses)
        evidence = scores[2] if math.isfinite(scores[2]) else 1.0
        out = [
            _logit(scores[0]),
            _logit(scores[1]),
            evidence,
            _logit(scores[3]),
            math.log(n_words),
            float(asked > 0),
            asked / len(prep.clauses),
            math.log(len(prep.clauses)),
            float(len(self._idioms.findall(plain))),
        ]
        # Counts per 10 words, capped: a long message names more of everything.
        scale = min(1.0, 10 / n_words)
        for regex in (*self._cues, *self._words):
            hits = len(regex.findall(plain))
            out.append(min(3.0, float(hits)) + hits * scale)
        families = {medical_family(c) for c in codes}
        out += [float(f in families) for f in FAMILIES]
        clauses = self._hit_clauses(prep, text) or list(range(len(prep.clauses)))
        out += [
            float(clauses[-1] == len(prep.clauses) - 1),
            float(any(prep.clauses[i].question for i in clauses)),
            len(clauses) / len(prep.clauses),
        ]
        held = " | ".join(plain[prep.clauses[i].start : prep.clauses[i].end] for i in clauses)
        for regex in (*self._cues, *self._words):
            out.append(min(3.0, float(len(regex.findall(held)))))
        return out


@dataclass(frozen=True)
class Case:
    """One message a medical rule fires on (or would before the context judge cancels it)."""

    writer: str
    label: str  # "" for calm
    text: str
    codes: frozenset[str]  # the medical codes (after context; `open`: before)
    source: str  # "today" (a rules hit today), "open" (before context only), "first" (first look)
    x: tuple[float, ...]


class _OpenJudge(ContextJudge):
    """Cancels nothing: the rules' hits before context."""

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
        return None


def _medical(codes: frozenset[str]) -> frozenset[str]:
    """The codes when all are medical; empty when a crisis code is among them (never vetoed)."""
    return frozenset() if codes & CRISIS_CODES else codes


def population(scores: dict[str, list[list[float]]]) -> tuple[list[Case], int]:
    """Every writer's medical rules hits today (and hits before context only), and its
    first-look medical hits (`bench.rules_replay`), with features; and how many first-look hits
    today's data no longer has (left out)."""
    rules = EmergencyDetector(learned=False)
    opened = EmergencyDetector(learned=False)
    opened._judge = _OpenJudge(opened.phrases)
    featurise = Featuriser(rules)
    replay = rules_replay.load()
    cases: list[Case] = []
    missing = 0
    for fold in folds()[0]:
        if fold.name not in scores:
            print(f"no learned scores for {fold.name}: left out", file=sys.stderr)
            continue
        by_text: dict[str, Scores] = {}
        for (code, message), s in zip(fold.rows, scores[fold.name], strict=True):
            learned: Scores = (
                s[0],
                s[1],
                s[2] if len(s) > 2 else math.inf,
                s[3] if len(s) > 3 else 0.0,
            )
            by_text[message] = learned
            ruled = rules.detect_rules(message)
            found, source = _medical(ruled), "today"
            if not ruled:
                found, source = _medical(opened.detect_phrases(message) & opened.codes), "open"
            if found:
                x = tuple(featurise(message, learned, found))
                cases.append(Case(fold.name, code, message, found, source, x))
        for m in replay.get(fold.name, {}).get("messages", []):
            found = _medical(frozenset(m["codes"]))
            known = by_text.get(m["text"])
            if found and known is None:
                missing += 1
            elif found and known is not None:
                x = tuple(featurise(m["text"], known, found))
                cases.append(Case(fold.name, m["code"], m["text"], found, "first", x))
    return cases, missing


def _train(cases: list[Case], strength: float):  # type: ignore[no-untyped-def]
    """A standardised logistic regression, calm = 1 (balanced classes)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=strength, max_iter=5000, class_weight="balanced"),
    )
    model.fit([c.x for c in cases], [int(not c.label) for c in cases])
    return model


def _judged(cases: list[Case]) -> list[Case]:
    """The hits a veto could act on (not the hits before context only)."""
    return [c for c in cases if c.source != "open"]


def thresholds(cases: list[Case], strength: float) -> dict[str, float]:
    """Each writer k's veto threshold, chosen without k at zero emergencies lost: just above the
    highest score of any other writer j's emergency hits by a model trained without k and j
    (one model per pair serves both k and j)."""
    writers = sorted({c.writer for c in cases})
    top = {w: -math.inf for w in writers}
    emergencies = {w: [c.x for c in _judged(cases) if c.writer == w and c.label] for w in writers}
    for i, a in enumerate(writers):
        for b in writers[i + 1 :]:
            model = _train([c for c in cases if c.writer not in (a, b)], strength)
            for k, j in ((a, b), (b, a)):
                if emergencies[j]:
                    top[k] = max(top[k], *model.decision_function(emergencies[j]))
    return {w: t + 1e-9 for w, t in top.items()}


@dataclass
class Tally:
    """Calm alarms and emergencies caught by the rules' medical hits, by family."""

    calm: Counter[str] = field(default_factory=Counter)
    calm_vetoed: Counter[str] = field(default_factory=Counter)
    emergencies: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def add(self, case: Case, vetoed: bool, note: str) -> None:
        family = min(medical_family(c) for c in case.codes)
        (self.emergencies if case.label else self.calm)[family] += 1
        if vetoed:
            (self.lost if case.label else self.calm_vetoed)[family] += 1
            kind = f"LOST [{case.label}]" if case.label else "vetoed calm"
            self.notes.append(f"{kind} {note} {case.text}")

    def lines(self, title: str) -> list[str]:
        out = [
            f"{title}: calm alarms without -> with the veto; emergencies caught without -> with"
        ]
        for family in (*FAMILIES, "all"):
            c, cv, e, lo = (
                sum(t.values()) if family == "all" else t[family]
                for t in (self.calm, self.calm_vetoed, self.emergencies, self.lost)
            )
            out.append(f"  {family}: calm {c} -> {c - cv}; emergencies {e} -> {e - lo}")
        return out + [f"    {n}" for n in self.notes]


def evaluate(cases: list[Case], strength: float, first_look: bool) -> str:
    """Leave one writer out: each writer's hits judged by a model and threshold fitted on the
    others' (`first_look`: their first-look hits train the model too)."""
    writers = sorted({c.writer for c in cases})
    tallies = {"today": Tally(), "first": Tally()}
    rows = [
        "| writer | threshold | today: calm vetoed | lost | first look: calm vetoed | lost |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    trained = [c for c in cases if first_look or c.source != "first"]
    chosen = thresholds(trained, strength)
    for k in writers:
        model = _train([c for c in trained if c.writer != k], strength)
        t = chosen[k]
        held = [c for c in _judged(cases) if c.writer == k]
        cells = []
        for source in ("today", "first"):
            mine = [c for c in held if c.source == source]
            scores = model.decision_function([c.x for c in mine]) if mine else []
            counts = [0, 0, 0, 0]
            for c, v in zip(mine, scores, strict=True):
                tallies[source].add(c, v > t, f"{k} {v:.2f}>{t:.2f}")
                counts[2 * bool(c.label)] += 1
                counts[2 * bool(c.label) + 1] += v > t
            cells += [f"{counts[1]}/{counts[0]}", f"{counts[3]}/{counts[2]}"]
        rows.append(f"| {k} | {t:.2f} | {' | '.join(cells)} |")
    return "\n".join(
        [
            *rows,
            "",
            *tallies["today"].lines("today's rules"),
            "",
            *tallies["first"].lines("the rules' first looks"),
        ]
    )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.medical_veto")
    parser.add_argument("scores", type=Path, help="bench.safety_by_writer's --cache file")
    parser.add_argument("--strength", type=float, default=0.3, help="the regression's C")
    parser.add_argument(
        "--first-look", action="store_true", help="train on the other writers' first looks too"
    )
    parser.add_argument("--cases", type=Path, help="keep the population's features here")
    args = parser.parse_args(argv)
    if args.cases is not None and args.cases.exists():
        cases, missing = pickle.loads(args.cases.read_bytes())
    else:
        cases, missing = population(json.loads(args.scores.read_text(encoding="utf-8")))
        if args.cases is not None:
            args.cases.write_bytes(pickle.dumps((cases, missing)))
    counts = Counter((c.source, bool(c.label)) for c in cases)
    print(
        "population (emergencies, calm): "
        + "; ".join(
            f"{s} {counts[(s, True)]}, {counts[(s, False)]}" for s in ("today", "open", "first")
        )
        + f"; first-look hits not in today's data (left out): {missing}"
    )
    print(evaluate(cases, args.strength, args.first_look))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
