"""Leave one writer out: what the semantic crisis head (`bot.safety.semantic`) adds.

`python -m bench.semantic_by_writer [--budget 0.001 ...] [--skip-negated] [--cache F]
[--learned-cache F]` (needs
`.[train]`; the learned side's folds take long, `--learned-cache` keeps them, as in
`bench.safety_by_writer`). The folds are `bench.safety_by_writer`'s (one writer's emergency and
calm sets and question set each; the training files are never held out). For each fold the head
is trained on everything else and scores the fold; its threshold is the lowest that keeps its
alarms on the *other* folds' calm messages (scored out of fold) under `--budget`, so no fold
judges a threshold chosen on it.

Per fold and pooled: the self-harm family (self_harm, overdose_or_injury) caught by the rules,
by the learned side (the linear model and the neighbour bank behind its cascade, as the bot
runs them), by both, and by both with the head OR-ed in; the crises only the head catches; calm
alarms likewise; and the buried-crisis test (`safety_by_writer.buried`). Each budget twice: the
head asked on every message long enough for the learned side, and asked only when the bot's
cascade asks the neighbours (nothing else fired and the learned crisis probability reaches the
neighbours' gate), so it could reuse their embeddings.

The head: a logistic regression on wordllama's unit sentence vectors (`bot.semantic`), crisis
against every other message and each of its windows; a message's score is its highest window's
(`windows`: the whole message, its clauses and its sentences; `--skip-negated` leaves out those
with a negation cue, as the neighbours do).

Round 8 (issue 10, 25 folds, 482 self-harm-family messages, 2,165 calm, 980 questions; not
shipped). The head alone, out of fold, catches 115/481 crises at a 0.1% calm budget, 177 at
0.25%, 229 at 0.5% (negated windows skipped: 116, 147, 191). Beside the rules (in sample), the
crises only the head catches: 2, 3, 7 for 3, 6, 16 more calm alarms (skipped: 2, 2, 4 for 3, 6,
14). At 0.1% with the learned side too (its folds retrained for the writers where the head
acted, at the shipped learned and neighbour thresholds), asked behind the cascade: one crisis
more ("I don't want to kill myself exactly, but if a bus hit me tomorrow I think I would be
relieved", learned 0.718 against 0.72) for one calm alarm more ("been really down, miss my
dad, no thoughts of ending it, just lonely"), and the head trained on everything fired on
"I'm not going to kill myself, just fed up" (0.998): static embeddings ignore "not". Negated
windows skipped, it added nothing. The head mostly re-finds what the learned side catches.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.safety_by_writer import (
    Fold,
    Row,
    choose,
    folds,
    judge,
    neighbour_scores,
    score_folds,
    threshold,
)
from bot.safety.learned import CRISIS_CODES
from bot.safety.neighbours import _CLAUSE as CLAUSE
from bot.safety.neighbours import _negated as negated
from bot.text import fold as fold_text

if TYPE_CHECKING:
    from bot.semantic.embeddings import Vectors
_SENTENCE = re.compile(r"[.!?;\n]+")


def windows(text: str) -> list[str]:
    """The message's windows to score, each once: the whole message, its clauses (split as
    `neighbours` splits them) and its sentences, of two words or more. Unlike the neighbours,
    windows with a negation cue are kept: the head is trained on calm messages' own windows,
    negated ones included ("im not going to hurt myself"), and leaving them out cost catches
    leaving one writer out ("i dont want to be here anymore")."""
    folded = fold_text(text)
    parts = [p.strip() for p in CLAUSE.split(folded) if p and len(p.split()) >= 2]
    parts += [p.strip() for p in _SENTENCE.split(folded) if len(p.split()) >= 2]
    return list(dict.fromkeys([folded, *parts]))


def skipping_negated(text: str) -> list[str]:
    """`windows` without those with a negation cue (`neighbours.clauses`' rule)."""
    return [w for w in windows(text) if not negated(w)]


@dataclass(frozen=True)
class Head:
    """A logistic regression on unit-length embeddings."""

    weights: Any
    bias: float

    def probability(self, vectors: Vectors) -> float:
        """The highest crisis probability over the rows of `vectors` (0 for none)."""
        if not len(vectors):
            return 0.0
        logit = float((vectors @ self.weights).max()) + self.bias
        return 1.0 / (1.0 + math.exp(-logit))


@dataclass
class Embeddings:
    """Unit vectors of texts and of their windows, embedded once (and cached on disk)."""

    index: dict[str, int]
    vectors: Any
    spans: dict[str, list[str]]

    @classmethod
    def of(
        cls, texts: Sequence[str], cut: Callable[[str], list[str]], path: Path | None = None
    ) -> Embeddings:
        import numpy as np

        from bot.semantic.embeddings import shared_embedder

        spans = {t: cut(t) for t in texts}
        wanted = sorted({fold_text(t) for t in texts} | {w for ws in spans.values() for w in ws})
        if path is not None and path.exists():
            with np.load(path) as data:
                known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
            if set(wanted) <= set(known):
                return cls(
                    {t: i for i, t in enumerate(wanted)},
                    np.array([known[t] for t in wanted]),
                    spans,
                )
        vectors = shared_embedder().embed(wanted)
        if path is not None:
            np.savez(path, texts=np.array(wanted), vectors=vectors)
        return cls({t: i for i, t in enumerate(wanted)}, vectors, spans)

    def whole(self, texts: Sequence[str]) -> Any:
        return self.vectors[[self.index[fold_text(t)] for t in texts]]

    def windows(self, text: str) -> Any:
        return self.vectors[[self.index[w] for w in self.spans[text]]]


def fit(rows: Sequence[Row], embeddings: Embeddings, c: float = 1.0) -> Head:
    """The head on `rows`: the crisis messages (self_harm, overdose_or_injury) against every
    other message and each of its windows (all calm or medical too, so a calm clause is calm
    wherever it appears), classes balanced."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    unique = sorted(set(rows))
    crisis = [m for code, m in unique if code in CRISIS_CODES]
    calm = [m for code, m in unique if code not in CRISIS_CODES]
    negatives = [embeddings.whole(calm)] + [embeddings.windows(m) for m in calm]
    x = np.vstack([embeddings.whole(crisis), *negatives])
    y = np.zeros(len(x), dtype=int)
    y[: len(crisis)] = 1
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
    return Head(model.coef_[0].astype(np.float32), float(model.intercept_[0]))


def probabilities(head: Head, messages: Sequence[str], embeddings: Embeddings) -> list[float]:
    """Each message's highest window crisis probability under `head`."""
    return [head.probability(embeddings.windows(m)) for m in messages]


@dataclass
class Column:
    """Counts of one family of messages (crises or calm) by who alarmed."""

    total: int = 0
    rules: int = 0
    learned: int = 0
    both: int = 0
    with_head: int = 0
    head: int = 0
    head_only: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, other: Column) -> None:
        for name in ("total", "rules", "learned", "both", "with_head", "head", "head_only"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples += other.examples

    def count(self, rules: bool, learned: bool, head: bool, message: str) -> None:
        self.total += 1
        self.rules += rules
        self.learned += learned
        self.both += rules or learned
        self.with_head += rules or learned or head
        self.head += head
        if head and not (rules or learned):
            self.head_only += 1
            self.examples.append(message)

    def cells(self) -> str:
        def pct(a: int) -> str:
            return f"{a} ({100 * a / self.total:.1f}%)" if self.total else "-"

        return (
            f"{pct(self.rules)} | {pct(self.learned)} | {pct(self.both)} | {pct(self.with_head)} "
            f"| {self.head_only}"
        )


Heads = dict[str, tuple[list[float], list[float]]]
"""Per fold: its messages' and its buried messages' head probabilities, out of fold."""


def head_scores(
    all_folds: list[Fold], always: list[Row], embeddings: Embeddings, c: float
) -> Heads:
    """Each fold's messages (and buried messages) scored by a head trained without it."""
    out: Heads = {}
    for fold in all_folds:
        rows = always + [r for other in all_folds if other is not fold for r in other.rows]
        head = fit(rows, embeddings, c)
        out[fold.name] = (
            probabilities(head, [m for _, m in fold.rows], embeddings),
            probabilities(head, [m for _, m in fold.buried], embeddings),
        )
    return out


def head_threshold(others: list[Fold], heads: Heads, budget: float) -> float:
    """The lowest head threshold that alarms on at most `budget` of the other folds' calm
    messages long enough for the learned side (their out-of-fold scores)."""
    calm = [
        p
        for fold in others
        for (code, _), p, short in zip(fold.rows, heads[fold.name][0], fold.short, strict=True)
        if not code and not short
    ]
    return threshold(calm, budget, 0.5)


def evaluate(
    all_folds: list[Fold],
    heads: Heads,
    rules: Callable[[str], bool],
    budget: float,
    gated: bool,
    near_budget: float = 0.0125,
) -> list[str]:
    lines = [
        f"Semantic crisis head, leave one writer out: head calm budget {budget:.2%}"
        + (", asked only behind the neighbours' cascade" if gated else ", asked on every message"),
        "",
        "| fold (head threshold) | self-harm: rules | learned side | both | both + head "
        "| only the head | calm alarms: rules | learned side | both | both + head "
        "| only the head |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    crises, calm, questions = Column(), Column(), Column()
    hidden_crises, hidden_calm = Column(), Column()
    cuts = []
    for fold in all_folds:
        others = [other for other in all_folds if other is not fold]
        t = choose(others, rules, 0.03, 0.005, near_budget)
        cut = head_threshold(others, heads, budget)
        cuts.append(cut)
        mine, hers = Column(), Column()
        mine_q = Column()
        probs, buried_probs = heads[fold.name]
        for (code, message), scores, short, kind, near, p in zip(
            fold.rows, fold.scores, fold.short, fold.kinds, fold.near, probs, strict=True
        ):
            hurt, learned, asked = judge(scores, short, near, t)
            ruled = rules(message)
            head = not short and p >= cut and (asked or not gated)
            if code in CRISIS_CODES:
                mine.count(ruled, hurt or learned, head, f"{fold.name}: {message}")
            elif not code:
                (mine_q if kind == "questions" else hers).count(
                    ruled, learned, head, f"{fold.name}: {message}"
                )
        for (code, message), scores, near, p in zip(
            fold.buried, fold.buried_scores, fold.buried_near, buried_probs, strict=True
        ):
            hurt, learned, asked = judge(scores, False, near, t)
            head = p >= cut and (asked or not gated)
            column = hidden_crises if code else hidden_calm
            column.count(rules(message), hurt or learned if code else learned, head, message)
        lines.append(f"| {fold.name} ({cut:.3f}) | {mine.cells()} | {hers.cells()} |")
        crises.add(mine)
        calm.add(hers)
        questions.add(mine_q)
    lines += [
        f"| **pooled** | {crises.cells()} | {calm.cells()} |",
        "",
        f"self-harm family {crises.total}, calm messages {calm.total} (question sets: "
        f"{questions.total}, alarms both {questions.both}, both + head {questions.with_head}); "
        f"median head threshold {sorted(cuts)[len(cuts) // 2]:.3f}",
        f"buried crises ({hidden_crises.total}): both {hidden_crises.both}, both + head "
        f"{hidden_crises.with_head}; long calm ({hidden_calm.total}) alarms: both "
        f"{hidden_calm.both}, both + head {hidden_calm.with_head}",
        "",
        "crises only the head caught:",
        *(f"  {m}" for m in crises.examples),
        "calm alarms only the head raised:",
        *(f"  {m}" for m in calm.examples + questions.examples),
    ]
    return lines


def prepare(
    embeddings_path: Path | None,
    learned_cache: Path | None,
    c: float,
    cut: Callable[[str], list[str]] = windows,
) -> tuple[list[Fold], Heads]:
    """The folds with the learned side's and the head's out-of-fold scores."""
    scored = score_folds("baseline", learned_cache)
    always = folds()[1]
    neighbour_scores(scored, always)
    texts = {m for _, m in always} | {m for f in scored for _, m in f.rows + f.buried}
    embeddings = Embeddings.of(sorted(texts), cut, embeddings_path)
    return scored, head_scores(scored, always, embeddings, c)


def main(argv: Sequence[str]) -> int:
    from bot.safety.emergency import EmergencyDetector

    parser = argparse.ArgumentParser(prog="python -m bench.semantic_by_writer")
    parser.add_argument("--budget", type=float, nargs="+", default=[0.001, 0.0025, 0.005])
    parser.add_argument("--skip-negated", action="store_true", help="as the neighbours do")
    parser.add_argument("--c", type=float, default=3.0, help="the head's inverse regularisation")
    parser.add_argument("--cache", type=Path, help="read or write the embeddings here")
    parser.add_argument("--learned-cache", type=Path, help="safety_by_writer's score cache")
    args = parser.parse_args(argv)
    cut = skipping_negated if args.skip_negated else windows
    scored, heads = prepare(args.cache, args.learned_cache, args.c, cut)
    detect = EmergencyDetector(learned=False).detect
    ruled: dict[str, bool] = {}

    def rules(message: str) -> bool:
        if message not in ruled:
            ruled[message] = bool(detect(message))
        return ruled[message]

    for budget in args.budget:
        for gated in (False, True):
            print("\n".join(evaluate(scored, heads, rules, budget, gated)))
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
