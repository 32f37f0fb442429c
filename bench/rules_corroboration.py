"""Should a rules-only medical hit need the learned detector's corroboration? Judged on the
rules' first looks (`bench.rules_replay`), with the learned detector's scores leaving each
writer out (the fold cache of `bench.safety_by_writer`).

The rules' first-look false alarms on new writers are mostly talk of a red flag, not a red flag
now: a past event told as resolved, a figure of speech, someone else, a question about what a
red flag is. The learned detector reads the whole message and is confidently calm on most of
them. The cure under test (`bench.safety_by_writer.uncorroborated`): a rules hit with no
self-harm or overdose code, on a message of 8 words or more, whose worst window's medical
emergency and crisis probabilities (learned) are both below a floor, is not an alarm.

`python -m bench.rules_corroboration CACHE` (CACHE: the folds' scores written by
`python -m bench.safety_by_writer --cache CACHE`). The floor is tuned on the older half of the
replayed writers (the highest that loses no true hit there) and reported on the newer half, and
the other way round. A true hit counts as lost only when no other signal catches it: the
learned detector leaving that writer out (its crisis or medical alarm at the fold's
thresholds). The nearest-neighbour signal is left out (it would only catch more), so the losses
are an upper bound. A self-harm or overdose hit is never dropped by the cure.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import rules_replay
from bench.safety_by_writer import (
    alarms,
    choose,
    folds,
    name_codes,
    score_folds,
    uncorroborated,
)
from bot.safety.learned import CRISIS_CODES, Verdict

GRID = (0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3)


@dataclass(frozen=True)
class RuleHit:
    """One message the first-look rules fired on, with its leave-one-writer-out scores."""

    writer: str
    label: str  # "" for calm
    codes: frozenset[str]  # what the rules found
    medical: float | None  # None: too short for the learned detector (or not found)
    crisis: float | None
    learned: bool  # the learned detector alone alarms (leaving this writer out)
    text: str
    fired: str

    def dropped(self, floor: float) -> bool:
        verdict = None
        if self.medical is not None and self.crisis is not None:
            verdict = Verdict(self.crisis, self.medical, "")
        words = len(self.text.split())
        return not self.learned and uncorroborated(self.codes, verdict, words, floor)


def rule_hits(cache: Path) -> tuple[list[RuleHit], list[str], list[str]]:
    """Every first-look rule hit with its fold's scores; the writers, oldest first; the
    messages whose text today's data no longer has (scored as unknown: never dropped)."""
    replay = rules_replay.load()
    scored = score_folds("baseline", cache)
    name_codes(scored, folds()[1], cache)
    by_name = {fold.name: fold for fold in scored}
    out: list[RuleHit] = []
    missing: list[str] = []
    for writer, entry in replay.items():
        fold = by_name.get(writer)
        if fold is None or "messages" not in entry:
            continue
        t = choose([f for f in scored if f is not fold], lambda _: False, 0.03, 0.005, None)
        index = {
            message: (s, short, name)
            for (_, message), s, short, name in zip(
                fold.rows, fold.scores, fold.short, fold.codes, strict=True
            )
        }
        for m in entry["messages"]:
            if not m["codes"]:
                continue
            known = index.get(m["text"])
            if known is None:
                missing.append(f"{writer}: {m['text']}")
                medical = crisis = None
                learned = False
            else:
                scores, short, name = known
                crisis, medical = (None, None) if short else (scores[0], scores[1])
                learned = not short and alarms(scores, t, name)[1]
            out.append(
                RuleHit(
                    writer,
                    m["code"],
                    frozenset(m["codes"]),
                    medical,
                    crisis,
                    learned,
                    m["text"],
                    "; ".join(m["fired"]),
                )
            )
    return out, list(replay), missing


def _calm(h: RuleHit) -> float:
    """How alarming the learned detector found the message (the larger probability)."""
    return max(h.medical or 0.0, h.crisis or 0.0)


def tally(hits: list[RuleHit], floor: float) -> tuple[int, int, int, int, list[RuleHit]]:
    """(calm alarms, of them dropped, true hits, of them lost, the lost ones)."""
    calm = [h for h in hits if not h.label]
    true = [h for h in hits if h.label]
    lost = [h for h in true if h.dropped(floor)]
    if any(h.label in CRISIS_CODES for h in lost):
        raise AssertionError("the cure dropped a self-harm or overdose hit")
    return len(calm), sum(h.dropped(floor) for h in calm), len(true), len(lost), lost


def tuned(hits: list[RuleHit]) -> float:
    """The highest floor of `GRID` that loses no true hit of `hits`."""
    best = 0.0
    for floor in GRID:
        if tally(hits, floor)[3]:
            break
        best = floor
    return best


def report(cache: Path) -> str:
    hits, writers, missing = rule_hits(cache)
    half = len(writers) // 2
    older, newer = set(writers[:half]), set(writers[half:])
    halves = {
        "older": [h for h in hits if h.writer in older],
        "newer": [h for h in hits if h.writer in newer],
    }
    lines = [
        "## A rules-only medical hit needs the learned detector's corroboration",
        "",
        f"Older half: {', '.join(writers[:half])}; newer half: {', '.join(writers[half:])}.",
        "",
        "| tuned on | floor | reported on | calm alarms dropped | true hits lost |",
        "|---|---:|---|---:|---:|",
    ]
    lost_all: list[RuleHit] = []
    for tune_on, report_on in (("older", "newer"), ("newer", "older")):
        floor = tuned(halves[tune_on])
        calm, dropped, true, lost, which = tally(halves[report_on], floor)
        lost_all += which
        lines.append(f"| {tune_on} | {floor} | {report_on} | {dropped}/{calm} | {lost}/{true} |")
    lines += ["", "Every floor on all writers:", "", "| floor | calm alarms dropped | lost |"]
    lines.append("|---:|---:|---:|")
    for floor in GRID:
        calm, dropped, true, lost, _ = tally(hits, floor)
        lines.append(f"| {floor} | {dropped}/{calm} | {lost}/{true} |")
    lines += [
        "",
        "First-look calm alarms: the larger of the medical and crisis probabilities leaving "
        "the writer out (* the learned detector alarms too; ! a self-harm code, never dropped):",
        "",
    ]
    for h in sorted((h for h in hits if not h.label), key=_calm):
        score = "short" if h.medical is None else f"{_calm(h):.3f}"
        mark = "*" if h.learned else "!" if h.codes & CRISIS_CODES else ""
        lines.append(f"- {score}{mark} {h.writer} [{','.join(sorted(h.codes))}] {h.text}")
    lines += ["", "True hits lost on the reported halves:", ""]
    lines += [f"- {_calm(h):.3f} {h.writer} [{h.label}] {h.text}" for h in lost_all]
    lines += ["", "Emergencies caught by the rules alone nearest the floor:", ""]
    near = sorted((h for h in hits if h.label and not h.learned), key=_calm)[:5]
    lines += [f"- {_calm(h):.3f} {h.writer} [{h.label}] {h.text}" for h in near]
    if missing:
        lines += ["", "Replayed messages today's data no longer has (kept):", "", *missing]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path, help="bench.safety_by_writer's folds' scores")
    args = parser.parse_args(argv)
    print(report(args.cache), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
