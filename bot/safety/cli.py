"""`python -m bot safety ...`: look inside the emergency detector.

- `explain "TEXT"`: which rule fired (file:line), which context cue cancelled a hit and why,
  what the Python phrase rules and the learned detector say, and the final answer.
- `check`: load the rule files and run their examples (what start-up does), print problems.
- `score FILE...`: the per-family table for `code<TAB>message` files (rules / learned / both).
- `disagreements FILE...`: messages (one per line, or `code<TAB>message`) on which the rules
  and the learned detector disagree, for an admin to review and turn into rules or examples.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.safety import rulebook


def register(sub: Any) -> None:
    parser = sub.add_parser("safety", help="inspect the emergency detector")
    inner = parser.add_subparsers(dest="safety_command", required=True)
    explain = inner.add_parser("explain", help="why a message does or does not alarm")
    explain.add_argument("text")
    explain.set_defaults(func=_explain)
    check = inner.add_parser("check", help="load the rule files and run their examples")
    check.set_defaults(func=_check)
    score = inner.add_parser("score", help="score code<TAB>message files per flag family")
    score.add_argument("files", nargs="+", type=Path)
    score.set_defaults(func=_score)
    disagree = inner.add_parser("disagreements", help="where rules and learned detector differ")
    disagree.add_argument("files", nargs="+", type=Path)
    disagree.set_defaults(func=_disagreements)


def explain(text: str) -> list[str]:
    """Lines telling what each part of the detector did with `text`."""
    from bot.safety.emergency import EmergencyDetector

    detector = EmergencyDetector()
    lines = [f"normalised: {rulebook.normalise(text).strip()}"]
    for hit in detector.rulebook.hits(text):
        rule = hit.rule
        head = f"rule {rule.source} [{rule.code}: {rule.name}] matched {hit.text.strip()!r}"
        if hit.cancelled is None:
            lines.append(f"{head} -> FIRES")
        else:
            cue = hit.cancelled
            lines.append(f"{head} -> cancelled by {cue.category} cue {cue.source}")
    if len(lines) == 1:
        lines.append("rule files: no rule matched")
    ruled = detector.detect_rules(text)
    lines.append(f"all rules (Python phrases + rule files): {sorted(ruled) or 'calm'}")
    if detector.learned is not None:
        v = detector.learned.verdict(text)
        lines.append(
            f"learned: crisis {v.crisis:.2f} (threshold {detector.learned.crisis_threshold:.2f}),"
            f" emergency {v.emergency:.2f} (threshold "
            f"{detector.learned.emergency_threshold:.2f}), likeliest {v.code or 'calm'}"
            f" -> {sorted(detector.learned.detect(text)) or 'calm'}"
        )
    lines.append(f"answer: {sorted(detector.detect(text)) or 'calm'}")
    return lines


def _explain(args: argparse.Namespace) -> int:
    print("\n".join(explain(args.text)))
    return 0


def _check(args: argparse.Namespace) -> int:
    from bot.safety.emergency import CATALOGUE_LEVELS

    try:
        book = rulebook.load(levels=CATALOGUE_LEVELS)
    except rulebook.RulesError as exc:
        print("\n".join(exc.problems))
        return 1
    print(
        f"{len(book.rules)} rules for {len(book.flags)} flags, {len(book.cues)} cues: "
        "all examples pass"
    )
    return 0


def _score(args: argparse.Namespace) -> int:
    from bot.safety.scoring import report

    print(report(args.files), end="")
    return 0


def _disagreements(args: argparse.Namespace) -> int:
    from bot.safety.emergency import EmergencyDetector

    detector = EmergencyDetector()
    for path in args.files:
        for line in path.read_text(encoding="utf-8").splitlines():
            message = line.split("\t", 1)[-1].strip()
            if message:
                detector.detect(message)
    for case in detector.disagreements:
        rules = ",".join(sorted(case.rules)) or "calm"
        learned = ",".join(sorted(case.learned)) or "calm"
        print(f"rules={rules}\tlearned={learned}\t{case.text}")
    return 0
