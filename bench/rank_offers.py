"""Leave-one-writer-out choice of the order of the topics offered when the bot is unsure.

`python -m bench.rank_offers --cache FILE` (FILE: bench/calibrate_bands.py's evidence, each
set's from a topic model that never saw it). A "Did you mean ...?" offers up to three
entries; they are ordered by the topic signal's probability plus
topic_signal.OFFER_SCORE_WEIGHT per 100 points of word score (plus OFFER_MEANING_WEIGHT times
the message's cosine to each offer's phrasings: `with_closeness`, kept as FILE.closeness.npy),
and a topic the signal gives
topic_signal.OFFER_SURE or more is offered first even if word matching did not offer it. For
each fold (one writer's set) the setting with the most right first suggestions on the other
folds' unanswered in-scope messages (at the bands in use) is scored on the held-out fold.
Figures: bench/BANDS.md.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from pathlib import Path

import numpy as np

from bench.calibrate_bands import (
    Cases,
    answered,
    figures,
    first_offers,
    table,
    with_closeness,
    with_offers,
)
from bot.matching import topic_signal
from bot.matching.bands import CALIBRATED

WEIGHTS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, math.inf)
"""math.inf: the word ranking's order (the topic only offers a sure topic first)."""
SURE = (0.4, 0.5, 0.6, 0.7, 0.8, math.inf)
NEAR = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0)
"""topic_signal.OFFER_MEANING_WEIGHT: the message's cosine to each offer's phrasings."""
Setting = tuple[float, float, float]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args(argv)
    c = with_closeness(Cases.load(args.cache), args.cache)
    unsure = ~answered(c, CALIBRATED) & c.in_scope
    settings = list(itertools.product(WEIGHTS, SURE, NEAR))
    right = {}
    for weight, sure, near in settings:
        first = first_offers(c, 1e9 if math.isinf(weight) else weight, sure, near)
        right[(weight, sure, near)] = unsure & (first == c.expected)
    in_use = (
        topic_signal.OFFER_SCORE_WEIGHT,
        topic_signal.OFFER_SURE,
        topic_signal.OFFER_MEANING_WEIGHT,
    )
    held = np.zeros(len(c.fold), dtype=bool)
    picks = []
    for n in range(len(c.folds)):
        rows = c.fold == n

        def gained(s: Setting, rows: np.ndarray = rows) -> int:
            return int(right[s][~rows].sum())

        pick = max(settings, key=gained)  # the first best: the smaller weights and threshold
        held[rows] = right[pick][rows]
        picks.append(pick)
    print(f"unanswered in-scope messages at the bands in use: {int(unsure.sum())}")
    print("\n| setting (weight, sure, meaning) | right first suggestions |\n|---|---:|")
    for s in settings:
        mark = " (in use)" if s == in_use else ""
        print(f"| {s[0]:g}, {s[1]:g}, {s[2]:g}{mark} | {int(right[s].sum())} |")
    print("\n| held-out set | in use | chosen without the set | pick |\n|---|---:|---:|---|")
    for n, name in enumerate(c.folds):
        rows = c.fold == n
        print(
            f"| {name} | {int(right[in_use][rows].sum())} | {int(held[rows].sum())} "
            f"| {picks[n][0]:g}, {picks[n][1]:g}, {picks[n][2]:g} |"
        )
    print(f"| **pooled** | {int(right[in_use].sum())} | {int(held.sum())} | |")
    best = max(settings, key=lambda s: int(right[s].sum()))
    print(f"\nfitted on every set: weight {best[0]:g}, sure {best[1]:g}, meaning {best[2]:g}")
    chosen = with_offers(c, *best)
    every = np.ones(len(c.fold), dtype=bool)
    answer = answered(chosen, CALIBRATED)
    rows = [figures(chosen, answer, c.fold == n) for n in range(len(c.folds))]
    print(table(chosen, [*rows, figures(chosen, answer, every)]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
