"""Leave-one-writer-out choice of the meaning term in the ranking (bot/matching/fuzzy.py).

`python -m bench.rank_meaning` (a few minutes). Every question set in tests/data is one
writer's fold (as in bench/calibrate_bands.py). For each setting of MEANING_RANK_WEIGHT and
MEANING_RANK_GATE the bot's replies to every message are recorded; for each fold the setting
with the best utility on the other folds (right answer 1, confirm whose first suggestion is
right 0.5, wrong answer -1) is scored on the held-out fold. Figures: bench/RANKING.md.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from pathlib import Path

from bench.calibrate_bands import question_sets
from bot.authoring import evaluate
from bot.knowledge.loader import load_knowledge
from bot.matching import fuzzy

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3)
GATES = (5.0, math.inf)
Setting = tuple[float, float]
Replies = dict[str, list[evaluate.Reply]]


def replies(sets: Sequence[Path], setting: Setting) -> Replies:
    """The bot's replies to every set with the meaning term set as given."""
    saved = fuzzy.MEANING_RANK_WEIGHT, fuzzy.MEANING_RANK_GATE
    fuzzy.MEANING_RANK_WEIGHT, fuzzy.MEANING_RANK_GATE = setting
    try:
        matcher = fuzzy.build_matcher(load_knowledge(ROOT / "knowledge"))
        return {p.name: evaluate.run_replies(matcher, evaluate.read_cases(p)) for p in sets}
    finally:
        fuzzy.MEANING_RANK_WEIGHT, fuzzy.MEANING_RANK_GATE = saved


def utility(rows: Sequence[evaluate.Reply]) -> float:
    return sum(
        r.right + 0.5 * (r.right_or_first_suggestion and not r.right) - r.wrong for r in rows
    )


def cells(rows: Sequence[evaluate.Reply]) -> str:
    """top-1, top-1 over 25 words, top-1 or first suggestion, wrong, out-of-scope declined."""
    f = evaluate.user_figures(rows)
    long = evaluate.user_figures([r for r in rows if r.words > 25]).top1
    rates = (f.top1, long, f.top1_or_suggestion, f.wrong, f.declined)
    return " / ".join(f"{r.value:.1%}" if r.total else "-" for r in rates)


def main() -> None:
    sets = question_sets()
    runs = {s: replies(sets, s) for s in itertools.product(WEIGHTS, GATES) if s[0] or s[1] == 5}
    off = runs[(0.0, 5.0)]
    chosen = (fuzzy.MEANING_RANK_WEIGHT, fuzzy.MEANING_RANK_GATE)
    print("| held-out set | without meaning | in use (in-sample) | leave-one-writer-out | pick |")
    print("|---|---|---|---|---|")
    held: list[evaluate.Reply] = []
    for name in off:
        pick = max(runs, key=lambda s: sum(utility(runs[s][n]) for n in off if n != name))
        held += runs[pick][name]
        print(
            f"| {name} | {cells(off[name])} | {cells(runs[chosen][name])} | "
            f"{cells(runs[pick][name])} | {pick[0]:g}, gate {pick[1]:g} |"
        )
    everything = [r for rows in off.values() for r in rows]
    used = [r for rows in runs[chosen].values() for r in rows]
    print(f"| **pooled** | {cells(everything)} | {cells(used)} | {cells(held)} | |")


if __name__ == "__main__":
    main()
