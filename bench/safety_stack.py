"""A learned stacker over the safety signals, judged leaving one writer out (issue 10, round 14).

The bot ORs separate signals, each with its own threshold filling a calm-alarm budget: the
learned crisis probability (and one sentence of a long message), the learned medical probability
(a threshold per family), the crisis neighbours and the medical neighbours, and the rules. An OR
of thresholds wastes evidence: a message just under two thresholds at once is not caught, one
barely over one is. The stacker is a logistic regression over the per-message signals the
folds already hold (`features`); `--stack` in `bench.safety_by_writer` judges it:

- for held-out writer i, the stacker is fitted only on the other folds' out-of-fold signals (and
  their buried test's, `bench.safety_by_writer.buried`), never on writer i's;
- its threshold is chosen on those other folds, so that it alarms on as many of their calm,
  question and buried long calm messages as today's learned side (`judge`, at writer i's own
  thresholds from `choose`) does: the same calm-alarm budget, counted the same way;
- the rules are OR-ed in as the bot does (they were written on every set: in-sample), or, with
  `rules_feature`, their hit is one more input (then the stacker can also learn to overrule
  them, and the rules' in-sample hits teach it to trust them: read those figures as such).

Both columns of the table come from this one loop (today's OR and the stacker), so they are
counted alike; today's column matches `evaluate`'s total row.

The signals' own models saw writer i when they scored the other folds (as when `choose` picks
today's thresholds there): the same protocol as the thresholds, not a nested one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.safety.learned import CRISIS_CODES, EVIDENCE_MIN, MEDICAL_FAMILIES, medical_family

from .safety_by_writer import Fold, Scores, Thresholds, judge, threshold

EPSILON = 1e-4
"""Probabilities are clipped to [EPSILON, 1 - EPSILON] before their logit: the model's most
confident calm (1e-6 and less) says no more than 1e-4 does."""
NO_NEIGHBOUR = -0.5
"""The neighbour score of a message whose neighbours were not asked (`gate`): about the calm
messages' lowest."""


def logit(p: float) -> float:
    p = min(1.0 - EPSILON, max(EPSILON, p))
    return math.log(p / (1.0 - p))


FEATURES = (
    "crisis logit",
    "crisis evidence",
    "sentence crisis logit",
    "medical logit",
    "crisis neighbours",
    "medical neighbours",
    "log words",
    *(f"named {f}" for f in MEDICAL_FAMILIES),
)


def features(
    scores: Scores,
    near: float,
    medical: tuple[float, str] | None,
    name: str,
    words: int,
    gate: float | None = None,
) -> list[float]:
    """A message's signals, as the stacker reads them: the learned crisis and medical
    probabilities and the one-sentence crisis probability as logits (a linear model sums
    evidence in log odds), whether the crisis window has the evidence the learned detector asks
    for, the two neighbour scores, the length and the family the flag namer names. With `gate`,
    the neighbour scores are read only when the learned crisis or medical probability reaches
    it (as the bot's cascade would have to, to stay fast), else `NO_NEIGHBOUR`."""
    crisis, emergency, evidence, passing = scores
    asked = gate is None or max(crisis, emergency) >= gate
    family = medical_family(name) if name else ""
    return [
        logit(crisis),
        float(evidence >= EVIDENCE_MIN),
        logit(passing),
        logit(emergency),
        near if asked else NO_NEIGHBOUR,
        (medical[0] if medical else NO_NEIGHBOUR) if asked else NO_NEIGHBOUR,
        math.log(max(1, words)),
        *(float(family == f) for f in MEDICAL_FAMILIES),
    ]


@dataclass(frozen=True)
class Item:
    """One message of a fold (its sets, questions or buried test) with what both detectors need."""

    fold: str
    code: str
    kind: str  # "set", "questions" or "buried"
    message: str
    short: bool
    scores: Scores
    near: float
    name: str
    medical: tuple[float, str] | None
    ruled: bool


def items(fold: Fold, rules: Callable[[str], bool]) -> list[Item]:
    """The fold's messages and its buried test's, with their out-of-fold signals."""
    none: list[tuple[float, str] | None] = [None] * len(fold.rows)
    out = [
        Item(fold.name, code, kind, message, short, s, near, name, medical, rules(message))
        for (code, message), s, short, kind, near, name, medical in zip(
            fold.rows,
            fold.scores,
            fold.short,
            fold.kinds,
            fold.near or [0.0] * len(fold.rows),
            fold.codes or [""] * len(fold.rows),
            fold.medical_near or none,
            strict=True,
        )
    ]
    buried_none: list[tuple[float, str] | None] = [None] * len(fold.buried)
    out += [
        Item(fold.name, code, "buried", message, False, s, near, name, medical, rules(message))
        for (code, message), s, near, name, medical in zip(
            fold.buried,
            fold.buried_scores,
            fold.buried_near or [0.0] * len(fold.buried),
            fold.buried_codes or [""] * len(fold.buried),
            fold.buried_medical_near or buried_none,
            strict=True,
        )
    ]
    return out


def vector(item: Item, setting: Setting) -> list[float]:
    """The stacker's inputs for `item` under `setting`."""
    words = len(item.message.split())
    x = features(item.scores, item.near, item.medical, item.name, words, setting.gate)
    return [*x, float(item.ruled)] if setting.rules_feature else x


@dataclass
class Stacker:
    """A fitted stacker: standardised logistic regression, and its alarm threshold."""

    model: Any
    threshold: float
    names: tuple[str, ...]

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        if not rows:
            return []
        return [float(p) for p in self.model.predict_proba(rows)[:, 1]]

    def weights(self) -> list[tuple[str, float]]:
        """Each input's weight per standard deviation (the scaler folded in)."""
        scaler, lr = self.model[-2], self.model[-1]
        return [
            (name, float(w))
            for name, w, s in zip(self.names, lr.coef_[0], scaler.scale_, strict=True)
            if s > 0
        ]


def fit(train: list[Item], setting: Setting, side: str = "any") -> Any:
    """The stacker's model on `train` (every message long enough for the learned detector):
    every emergency against calm (`side` "any"), or one side's against calm ("crisis": the
    self-harm family; "medical": the rest), the other side's emergencies left out."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if side != "any":
        train = [i for i in train if not i.code or (i.code in CRISIS_CODES) == (side == "crisis")]
    rows = [vector(i, setting) for i in train]
    labels = [int(bool(i.code)) for i in train]
    model = make_pipeline(
        *([isotonic(MONOTONE)] if setting.isotonic else []),
        StandardScaler(),
        LogisticRegression(
            C=setting.c, class_weight="balanced" if setting.balanced else None, max_iter=2000
        ),
    )
    weights = [setting.crisis_weight if i.code in CRISIS_CODES else 1.0 for i in train]
    model.fit(rows, labels, logisticregression__sample_weight=weights)
    return model


MONOTONE = (0, 2, 3, 4, 5)
"""The columns of `features` an emergency is likelier the higher they are: the learned and
one-sentence logits and the two neighbour scores."""


def isotonic(columns: Sequence[int]) -> Any:
    """A transformer that replaces each of `columns` by the log odds of an emergency given that
    signal alone, fitted as an isotonic (monotone, saturating) regression on the training rows:
    a sum of those is a naive-Bayes-like vote in which a calm-looking signal costs at most its
    own calibrated odds, never the -9 of a clipped 1e-6 probability."""
    import numpy as np
    from sklearn.base import BaseEstimator, TransformerMixin
    from sklearn.isotonic import IsotonicRegression

    class Isotonic(TransformerMixin, BaseEstimator):
        def __init__(self, columns: Sequence[int] = ()) -> None:
            self.columns = columns

        def fit(self, x: Any, y: Any) -> Isotonic:
            x = np.asarray(x, dtype=float)
            self.models_ = {
                c: IsotonicRegression(out_of_bounds="clip").fit(x[:, c], y) for c in self.columns
            }
            return self

        def transform(self, x: Any) -> Any:
            x = np.array(x, dtype=float)
            for c, model in self.models_.items():
                p = np.clip(model.predict(x[:, c]), 1e-3, 1 - 1e-3)
                x[:, c] = np.log(p / (1 - p))
            return x

    return Isotonic(columns)


@dataclass
class Count:
    """One detector's tally over the held-out folds."""

    emergencies: int = 0
    caught: int = 0
    harm: int = 0
    harm_total: int = 0
    harm_learned: int = 0
    medical: int = 0
    medical_learned: int = 0
    calm: int = 0
    alarms: int = 0
    learned_alarms: int = 0
    questions: int = 0
    question_alarms: int = 0
    long_calm: int = 0
    long_alarms: int = 0
    buried: int = 0
    buried_caught: int = 0
    families: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, item: Item, learned: bool, alarmed: bool) -> None:
        if item.kind == "buried":
            if item.code:
                self.buried += 1
                self.buried_caught += alarmed
            else:
                self.long_calm += 1
                self.long_alarms += alarmed
            return
        if not item.code:
            if item.kind == "questions":
                self.questions += 1
                self.question_alarms += alarmed
            else:
                self.calm += 1
                self.alarms += alarmed
                self.learned_alarms += learned
            return
        self.emergencies += 1
        self.caught += alarmed
        if item.code in CRISIS_CODES:
            self.harm_total += 1
            self.harm += alarmed
            self.harm_learned += learned
            if not learned:
                self.misses.append(f"{item.fold}: LEARNED MISS [{item.code}] {item.message}")
        else:
            self.medical += 1
            self.medical_learned += learned
            counts = self.families.setdefault(medical_family(item.code), [0, 0])
            counts[0] += learned
            counts[1] += 1

    def column(self) -> list[str]:
        return [
            f"{self.caught}/{self.emergencies}",
            f"{self.harm}/{self.harm_total}",
            f"{self.harm_learned}/{self.harm_total}",
            f"{self.medical_learned}/{self.medical}",
            *(f"{n}/{of}" for _, (n, of) in sorted(self.families.items())),
            f"{self.alarms} / {self.learned_alarms} of {self.calm}",
            f"{self.long_alarms} of {self.long_calm}",
            f"{self.question_alarms}/{self.questions}",
            f"{self.buried_caught}/{self.buried}",
        ]


ROWS = (
    "emergencies caught (all)",
    "self-harm family (all)",
    "self-harm family (learned side)",
    "medical (learned side)",
)
TAIL = (
    "calm alarms (all / learned side)",
    "long calm alarms (buried test, all)",
    "question alarms (all)",
    "buried crises caught (all)",
)


@dataclass
class Setting:
    """One stacker recipe: the neighbours' gate (None: always read), the rules as an input, the
    regularisation, balanced classes, and a scale on the calm-alarm budget (1: today's)."""

    gate: float | None = None
    rules_feature: bool = False
    c: float = 1.0
    balanced: bool = False
    scale: float = 1.0
    crisis_weight: float = 1.0
    split: bool = False
    isotonic: bool = False
    inner: int = 0

    def label(self) -> str:
        parts = ["two stackers" if self.split else "one stacker", f"C={self.c:g}"]
        parts += ["balanced"] if self.balanced else []
        parts += ["isotonic per signal"] if self.isotonic else []
        parts += [f"threshold on {self.inner} inner folds"] if self.inner else []
        parts += [f"neighbours gated at {self.gate:g}"] if self.gate is not None else []
        parts += ["rules as input"] if self.rules_feature else []
        parts += [f"budget x{self.scale:g}"] if self.scale != 1.0 else []
        parts += [f"crises weigh {self.crisis_weight:g}"] if self.crisis_weight != 1.0 else []
        return ", ".join(parts)


def inner(
    train: list[Item], setting: Setting, side: str, writers: list[str]
) -> Callable[[Stacker, list[Item]], list[float]]:
    """How the calm messages a threshold is chosen on are scored: by the stacker fitted on them
    (`setting.inner` 0: in-sample, optimistic for a fitted per-signal calibration), or each by a
    stacker fitted without its writer's group (`setting.inner` groups of the writers, dealt in
    turn), as the held-out writer will be scored."""
    if not setting.inner:
        return lambda fitted, rows: fitted.probabilities([vector(i, setting) for i in rows])
    group = {w: k % setting.inner for k, w in enumerate(writers)}
    scores: dict[int, float] = {}
    for g in range(setting.inner):
        model = Stacker(fit([i for i in train if group[i.fold] != g], setting, side), 0.0, ())
        held = [i for i in train if group[i.fold] == g and not i.code]
        p = model.probabilities([vector(i, setting) for i in held])
        scores.update(zip(map(id, held), p, strict=True))
    return lambda fitted, rows: [scores[id(i)] for i in rows]


def lowo(
    all_folds: list[Fold],
    choose_for: Callable[[list[Fold]], Thresholds],
    rules: Callable[[str], bool],
    settings: Sequence[Setting],
) -> tuple[Count, list[Count], dict[str, list[Item]]]:
    """Today's OR and each stacker setting, every writer left out in turn (module docstring):
    their tallies over the held-out folds, and the folds' items."""
    by_fold = {fold.name: items(fold, rules) for fold in all_folds}
    today = Count()
    counts = [Count() for _ in settings]
    for fold in all_folds:
        others = [f for f in all_folds if f is not fold]
        t = choose_for(others)
        mine = by_fold[fold.name]
        train = [i for f in others for i in by_fold[f.name] if not i.short]
        # Two calm pools, each held to what today's spends on it: the sets' calm and question
        # messages, and the buried test's long calm ones (today's has a budget of its own for
        # one sentence of a long message; one pool let a stacker spend it on long messages).
        pools = [
            [i for i in train if not i.code and i.kind != "buried"],
            [i for i in train if not i.code and i.kind == "buried"],
        ]
        verdicts = [
            [judge(i.scores, i.short, i.near, t, i.name, i.medical) for i in p] for p in pools
        ]
        for item in mine:
            learned = judge(item.scores, item.short, item.near, t, item.name, item.medical)[1]
            today.add(item, learned, learned or item.ruled)
        long = [i for i in mine if not i.short]
        for setting, count in zip(settings, counts, strict=True):
            sides = ("crisis", "medical") if setting.split else ("any",)
            fired: dict[int, bool] = {}
            quiet_pools = pools
            for side in sides:
                fitted = Stacker(fit(train, setting, side), 0.0, ())
                judged = inner(train, setting, side, [f.name for f in others])
                cut = -math.inf
                later = []
                for quiet_pool, said in zip(quiet_pools, verdicts, strict=True):
                    crisis_spent = sum(hurt for hurt, _, _ in said)
                    spent = sum(any_alarm for _, any_alarm, _ in said)
                    allowed = {"crisis": crisis_spent, "medical": spent - crisis_spent}.get(
                        side, spent
                    )
                    quiet = judged(fitted, quiet_pool)
                    # Half a message over: `threshold` rounds the allowed count down.
                    share = (setting.scale * allowed + 0.5) / max(1, len(quiet_pool))
                    cut = max(cut, threshold(quiet, share, -math.inf))
                    later.append((quiet_pool, quiet))
                # The next side spends what is left on the calm messages this one left quiet.
                quiet_pools = [
                    [i for i, q in zip(p, qs, strict=True) if q < cut] for p, qs in later
                ]
                p = fitted.probabilities([vector(i, setting) for i in long])
                for i, q in zip(long, p, strict=True):
                    fired[id(i)] = fired.get(id(i), False) or q >= cut
            for item in mine:
                learned = fired.get(id(item), False)
                ruled = item.ruled and (item.short or not setting.rules_feature)
                count.add(item, learned, learned or ruled)
    return today, counts, by_fold


def stack(
    all_folds: list[Fold],
    choose_for: Callable[[list[Fold]], Thresholds],
    rules: Callable[[str], bool],
    settings: Sequence[Setting],
) -> str:
    """`lowo` as a markdown table, the weights each stacker learned (fitted on every fold, for
    reading only) and, per setting, the self-harm messages its learned side missed that
    today's caught."""
    today, counts, by_fold = lowo(all_folds, choose_for, rules, settings)
    families = sorted(today.families)
    names = [*ROWS, *(f"medical {f} (learned side)" for f in families), *TAIL]
    header = "| | today's OR | " + " | ".join(s.label() for s in settings) + " |"
    lines = [header, "|---|" + "---:|" * (1 + len(settings))]
    columns = [today.column(), *(c.column() for c in counts)]
    lines += [
        f"| {name} | " + " | ".join(col[k] for col in columns) + " |"
        for k, name in enumerate(names)
    ]
    train = [i for f in all_folds for i in by_fold[f.name] if not i.short]
    for setting in settings:
        names_in = FEATURES + (("rules hit",) if setting.rules_feature else ())
        for side in ("crisis", "medical") if setting.split else ("any",):
            model = fit(train, setting, side)
            weights = Stacker(model, 0.0, names_in).weights()
            lines.append("")
            lines.append(
                f"weights per standard deviation ({setting.label()}, {side} side, fitted on "
                "every fold): "
                + ", ".join(f"{n} {w:+.2f}" for n, w in weights)
                + f", intercept {float(model[-1].intercept_[0]):+.2f}"
            )
    today_missed = set(today.misses)
    for setting, count in zip(settings, counts, strict=True):
        lost = [m for m in count.misses if m not in today_missed]
        gained = [m for m in today.misses if m not in set(count.misses)]
        lines.append("")
        lines.append(
            f"{setting.label()}: self-harm family, learned side: {len(gained)} caught that "
            f"today's missed, {len(lost)} missed that today's caught"
        )
        lines += [f"  - {m}" for m in lost]
    return "\n".join(lines)


def cached_neighbours(all_folds: list[Fold], always: list[Any], path: Path | None) -> None:
    """`neighbour_scores`, read from or written to `path` (they depend on the data only)."""
    from .safety_by_writer import neighbour_scores

    if path is not None and path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        for fold in all_folds:
            near = saved[fold.name]
            fold.near = near["near"]
            fold.medical_near = [(float(s), str(c)) for s, c in near["medical"]]
            fold.buried_near = near["buried near"]
            fold.buried_medical_near = [(float(s), str(c)) for s, c in near["buried medical"]]
        return
    neighbour_scores(all_folds, always)
    if path is not None:
        saved = {
            fold.name: {
                "near": fold.near,
                "medical": fold.medical_near,
                "buried near": fold.buried_near,
                "buried medical": fold.buried_medical_near,
            }
            for fold in all_folds
        }
        path.write_text(json.dumps(saved), encoding="utf-8")


SETTINGS = (
    Setting(),
    Setting(split=True, isotonic=True, inner=6, scale=2.2),
    Setting(isotonic=True, inner=6, crisis_weight=3.0, scale=1.2),
)
"""The recipes `bench.safety_by_writer --stack` judges (bench/RESULTS.md, round 14): one
logistic regression on the logits, thresholds on its own training rows; two stackers (crisis,
medical) on per-signal isotonic log odds, thresholds on inner folds, the budget scaled until
their calm alarms about equal today's; one such stacker with crises weighing three times."""
