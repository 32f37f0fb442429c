"""Leave-one-writer-out measure of offering a topic the model is sure of (topic_signal.OFFER_SURE).

`python -m bench.rank_sure` (several minutes). Each tests/data/questions_setN.tsv is one
writer's fold: the topic model is fitted without it (bench/rank_topic.py) and the bot's replies
to it are recorded for every threshold; for each fold the threshold with the best utility on
the other folds is scored on the held-out one. Figures: bench/RANKING.md.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

from bench.rank_meaning import ROOT, cells, utility
from bot.authoring import evaluate
from bot.authoring.train_topic import DATA, Rows, labelled_rows, model
from bot.knowledge.loader import load_knowledge
from bot.matching import topic_signal
from bot.matching.bands import CALIBRATED, Meaning
from bot.matching.fuzzy import FuzzyMatcher
from bot.matching.topic_signal import TopicModel

THRESHOLDS = (math.inf, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3)
KNOB = "OFFER_SURE"
"""Which threshold: OFFER_SURE, or ANSWER_SURE (`python -m bench.rank_sure ANSWER_SURE`)."""


def replies(
    topic: TopicModel, cases: Sequence[evaluate.Case], thresholds: Sequence[float]
) -> dict[float, list[evaluate.Reply]]:
    """The bot's replies to `cases` with `topic`, for each threshold."""
    kb = load_knowledge(ROOT / "knowledge")
    matcher = FuzzyMatcher(kb, bands=CALIBRATED, meaning=Meaning.packaged(kb, topic=topic))
    saved = getattr(topic_signal, KNOB)
    out = {}
    try:
        for t in thresholds:
            setattr(topic_signal, KNOB, t)
            out[t] = evaluate.run_replies(matcher, cases)
    finally:
        setattr(topic_signal, KNOB, saved)
    return out


def offered_out_of_scope(rows: Sequence[evaluate.Reply]) -> int:
    """Out-of-scope messages given a suggestion."""
    return sum(not r.case.expected and bool(r.result.suggestions) for r in rows)


def main() -> None:
    rows: Rows = labelled_rows()
    runs: dict[str, dict[float, list[evaluate.Reply]]] = {}
    for n, name in enumerate(rows.folds):
        cases = evaluate.read_cases(DATA / name)
        runs[name] = replies(model(rows, without=n), cases, THRESHOLDS)
    print("| held-out set | off | threshold chosen without the set | pick |")
    print("|---|---|---|---|")
    held: list[evaluate.Reply] = []
    for name, run in runs.items():
        pick = max(THRESHOLDS, key=lambda t: sum(utility(runs[o][t]) for o in runs if o != name))
        held += run[pick]
        print(f"| {name} | {cells(run[math.inf])} | {cells(run[pick])} | {pick:g} |")
    off = [r for run in runs.values() for r in run[math.inf]]
    print(f"| **pooled** | {cells(off)} | {cells(held)} | |")
    print()
    print("| threshold (model without the set) | pooled | utility | out of scope offered |")
    print("|---|---|---:|---:|")
    for t in THRESHOLDS:
        pooled = [r for run in runs.values() for r in run[t]]
        offered = offered_out_of_scope(pooled)
        print(f"| {t:g} | {cells(pooled)} | {utility(pooled):.1f} | {offered} |")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        KNOB = sys.argv[1]
    main()
