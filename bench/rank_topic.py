"""Leave-one-writer-out measure of the topic signal in the ranking (bot/matching/topic_signal.py).

`python -m bench.rank_topic` (several minutes). Each tests/data/questions_setN.tsv is one
writer's fold: the topic model is fitted without it (bot/authoring/train_topic.py; knowledge
phrasings, training phrasings and the other sets always train it) and the bot's replies to it
are recorded for every setting of topic_signal.RANK_WEIGHT and RANK_CAP. For each fold the
setting with the best utility on the other folds (right answer 1, confirm whose first
suggestion is right 0.5, wrong answer -1) is scored on the held-out fold. Beside it: the
replies without the signal, with the shipped model (in-sample), and with the model fitted
without the set at the setting in use. Figures: bench/RANKING.md.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from bench.rank_meaning import ROOT, cells, utility
from bot.authoring import evaluate
from bot.authoring.train_topic import DATA, Rows, labelled_rows, model
from bot.knowledge.loader import load_knowledge
from bot.matching import topic_signal
from bot.matching.bands import CALIBRATED, Meaning
from bot.matching.fuzzy import FuzzyMatcher
from bot.matching.topic_signal import TopicModel

WEIGHTS = (0.0, 0.2, 0.3, 0.5, 1.0)
CAPS = (0.0, 2.0, 5.0, math.inf)
Setting = tuple[float, float]
"""topic_signal.RANK_WEIGHT and RANK_CAP (the gate follows the weight, as in use)."""


def replies(
    topic: TopicModel, cases: Sequence[evaluate.Case], settings: Sequence[Setting]
) -> dict[Setting, list[evaluate.Reply]]:
    """The bot's replies to `cases` with `topic` in the ranking, for each setting."""
    kb = load_knowledge(ROOT / "knowledge")
    matcher = FuzzyMatcher(kb, bands=CALIBRATED, meaning=Meaning.packaged(kb, topic=topic))
    saved = topic_signal.RANK_WEIGHT, topic_signal.RANK_CAP, topic_signal.RANK_GATE
    out = {}
    try:
        for setting in settings:
            topic_signal.RANK_WEIGHT, topic_signal.RANK_CAP = setting
            topic_signal.RANK_GATE = 100.0 * setting[0]
            out[setting] = evaluate.run_replies(matcher, cases)
    finally:
        topic_signal.RANK_WEIGHT, topic_signal.RANK_CAP, topic_signal.RANK_GATE = saved
    return out


def main() -> None:
    rows: Rows = labelled_rows()
    settings = [s for s in itertools.product(WEIGHTS, CAPS) if s[0] or s[1] == 0.0]
    off = (0.0, 0.0)
    chosen = (topic_signal.RANK_WEIGHT, topic_signal.RANK_CAP)
    shipped = TopicModel.load()
    runs: dict[str, dict[Setting, list[evaluate.Reply]]] = {}
    in_sample: dict[str, list[evaluate.Reply]] = {}
    for n, name in enumerate(rows.folds):
        cases = evaluate.read_cases(DATA / name)
        runs[name] = replies(model(rows, without=n), cases, settings)
        in_sample[name] = replies(shipped, cases, [chosen])[chosen]
    print(
        "| held-out set | without topic | in use (in-sample) | model without the set, "
        "setting in use | model and setting without the set | pick |"
    )
    print("|---|---|---|---|---|---|")
    held: list[evaluate.Reply] = []
    for name, run in runs.items():
        pick = max(settings, key=lambda s: sum(utility(runs[o][s]) for o in runs if o != name))
        held += run[pick]
        print(
            f"| {name} | {cells(run[off])} | {cells(in_sample[name])} | {cells(run[chosen])} | "
            f"{cells(run[pick])} | {pick[0]:g}, cap {pick[1]:g} |"
        )
    before = [r for run in runs.values() for r in run[off]]
    used = [r for rows_ in in_sample.values() for r in rows_]
    fixed = [r for run in runs.values() for r in run[chosen]]
    print(f"| **pooled** | {cells(before)} | {cells(used)} | {cells(fixed)} | {cells(held)} | |")
    print()
    print("| setting (leave-one-writer-out model, fixed setting) | pooled | utility |")
    print("|---|---|---:|")
    for s in settings:
        pooled = [r for run in runs.values() for r in run[s]]
        print(f"| {s[0]:g}, cap {s[1]:g} | {cells(pooled)} | {utility(pooled):.1f} |")


if __name__ == "__main__":
    main()
