"""`python -m bot safety ...`: look inside the emergency detector.

- `explain "TEXT"`: which rule fired (file:line), which context cue cancelled a hit and why,
  which phrase pattern (file:line) matched and which cue cancelled it (in the message as typed
  and, when spelling changes a word, in standard spelling), what the learned detector says,
  and the final answer.
- `check`: load the rule files and run their examples (what start-up does), print problems.
- `score FILE...`: the per-family table for `code<TAB>message` files (rules / learned / both).
- `disagreements FILE...`: messages (one per line, or `code<TAB>message`) on which the rules
  and the learned detector disagree, for an admin to review and turn into rules or examples.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.safety import rulebook
from bot.safety.spelling import respelt

if TYPE_CHECKING:
    from bot.safety.emergency import EmergencyDetector


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
    lines = [f"rule files see: {rulebook.normalise(text).strip()}"]
    plain = respelt(text)
    if plain is not None:
        lines.append(
            f"rule files also read, in standard spelling: {rulebook.normalise(plain).strip()}"
        )
    for hit in detector.rulebook.hits(text):
        rule = hit.rule
        head = f"rule {rule.source} [{rule.code}: {rule.name}] matched {hit.text.strip()!r}"
        head += " (standard spelling)" if hit.respelt else ""
        if hit.cancelled is None:
            lines.append(f"{head} -> FIRES")
        else:
            cue = hit.cancelled
            lines.append(f"{head} -> cancelled by {cue.category} cue {cue.source}")
    if not any(line.startswith("rule ") for line in lines):
        lines.append("rule files: no rule matched")
    lines += _explain_phrases(detector, text)
    if plain is not None:
        lines += [f"in standard spelling: {line}" for line in _explain_phrases(detector, plain)]
    lines.append(f"phrase rules say: {sorted(detector.detect_phrases(text)) or 'calm'}")
    ruled = detector.detect_rules(text)
    lines.append(f"all rules (phrase rules + rule files): {sorted(ruled) or 'calm'}")
    if detector.learned is not None:
        v = detector.learned.verdict(text)
        lines.append(
            f"learned: crisis {v.crisis:.2f} (threshold {detector.learned.crisis_threshold:.2f}),"
            f" emergency {v.emergency:.2f} (threshold "
            f"{detector.learned.emergency_threshold:.2f}), likeliest {v.code or 'calm'}"
            f" -> {sorted(detector.learned.detect(text)) or 'calm'}"
        )
    if detector.neighbours is not None:
        signal = detector.neighbours
        signal.wait()  # explaining may wait for the embeddings; the bot never does
        found, verdict = detector.learned.judge(text) if detector.learned else (None, None)
        score = None if found else detector.neighbour_score(text, verdict)
        if not signal.ready:
            lines.append("neighbours: embeddings unavailable")
        elif score is None:
            lines.append(
                f"neighbours: not asked (learned alarmed, message too short or crisis under "
                f"the gate {signal.gate:.3f})"
            )
        else:
            fires = "FIRES" if score >= signal.threshold else "calm"
            lines.append(
                f"neighbours: score {score:.3f} (threshold {signal.threshold:.3f},"
                f" gate {signal.gate:.3f}) -> {fires}"
            )
        near = None if found else detector.neighbours_near(text, verdict)
        if signal.ready and near is not None and verdict is not None:
            fires = "FIRES" if signal.alarm(0.0, verdict.emergency, near) else "calm"
            lines.append(
                f"medical neighbours: score {near.medical:.3f} nearest {near.code} (threshold "
                f"{signal.medical_threshold:.3f}, gate {signal.medical_gate:.3f}) -> {fires}"
            )
    lines.append(f"answer: {sorted(detector.detect(text)) or 'calm'}")
    return lines


def _explain_phrases(detector: EmergencyDetector, text: str) -> list[str]:
    """The phrase rules' part: each hit with its file:line and the cue that cancelled it."""
    prepared, hits, concepts = detector.explain_phrases(text)
    cues = detector.phrases.cues
    lines = [f"phrase rules see: {prepared.replace(' | ', ' / ')}"]
    for hit in hits:
        head = f"phrase {hit.source} [{hit.name}] matched {hit.text.strip()!r}"
        if hit.cancelled_by is None:
            lines.append(f"{head} -> counts")
        else:
            cue = cues.get(hit.cancelled_by)
            # The cues not in context.yaml are a usual state's (`rules/baseline.yaml`).
            where = cue.source if cue is not None else detector.phrases.baseline.source
            lines.append(f"{head} -> cancelled by {hit.cancelled_by} cue {where}")
    for code, rule in concepts:
        lines.append(f"concept rule {rule.source} [{code}: {' + '.join(rule.groups)}] met")
    if not hits and not concepts:
        lines.append("phrase rules: nothing matched")
    return lines


def _explain(args: argparse.Namespace) -> int:
    print("\n".join(explain(args.text)))
    return 0


def _check(args: argparse.Namespace) -> int:
    from bot.safety.emergency import CATALOGUE_LEVELS, EmergencyDetector

    try:
        book = rulebook.load(levels=CATALOGUE_LEVELS)
        detector = EmergencyDetector(learned=False)  # runs the phrase rules' examples
        from bot.safety.severity import SeverePainDetector

        SeverePainDetector()
    except rulebook.RulesError as exc:
        print("\n".join(exc.problems))
        return 1
    said = detector.phrases
    patterns = sum(
        len(f.personal) + len(f.nominal) for f in (*said.flags.values(), *said.parts.values())
    )
    print(
        f"rule files: {len(book.rules)} rules for {len(book.flags)} flags, {len(book.cues)} "
        f"cues; phrase rules: {patterns} patterns for {len(said.flags)} flags, "
        f"{sum(map(len, said.rules.values()))} concept rules, {len(said.cues)} cues, "
        f"{len(said.examples)} examples: all examples pass"
    )
    return 0


def _score(args: argparse.Namespace) -> int:
    from bot.safety.scoring import report

    print(report(args.files), end="")
    return 0


def _disagreements(args: argparse.Namespace) -> int:
    from bot.safety.emergency import EmergencyDetector

    detector = EmergencyDetector().loaded()
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
