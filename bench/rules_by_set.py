"""The rules alone (phrase rules + rule files) over every set in tests/data: overdose and
self-harm rows caught, calm rows and questions that alarm. `--save F` keeps each row's codes
(JSON) and `--against F` names the rows whose result changed, to judge a rule change.

    python -m bench.rules_by_set --save before.json
    python -m bench.rules_by_set --against before.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.safety.emergency import EmergencyDetector

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def rows(codes: frozenset[str]) -> list[tuple[str, str, str, str]]:
    """(file, kind, code, text): kind is "emergency", "calm" or "question"."""
    out = []
    for path in sorted([*DATA.glob("*.tsv"), *DATA.glob("*.txt"), *DATA.glob("*/*.tsv")]):
        lines = path.read_text(encoding="utf-8").splitlines()
        question_file = bool(lines) and lines[0].startswith("question\t")
        name = str(path.relative_to(DATA))
        for line in lines[1:] if question_file else lines:
            parts = line.split("\t")
            if question_file:
                if parts[0].strip():
                    out.append((name, "question", "", parts[0]))
                continue
            if len(parts) < 2 or not parts[-1].strip():
                continue
            code = parts[0].strip()
            kind = "emergency" if code in codes else "calm"
            out.append((name, kind, code if kind == "emergency" else "", parts[-1]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--save", type=Path)
    parser.add_argument("--against", type=Path)
    args = parser.parse_args()
    detector = EmergencyDetector()
    found = {}
    table = {"overdose_or_injury": [0, 0], "self_harm": [0, 0], "calm": [0, 0], "question": [0, 0]}
    for name, kind, code, text in rows(frozenset(detector.codes)):
        got = sorted(detector.detect_rules(text))
        found[f"{name}\t{kind}\t{code}\t{text}"] = got
        key = code if kind == "emergency" else kind
        if key in table:
            table[key][1] += 1
            table[key][0] += bool(got) if kind != "emergency" else code in got
    for key, (hit, total) in table.items():
        what = "alarm" if key in ("calm", "question") else "caught"
        print(f"{key:20s} {what} {hit}/{total}")
    if args.save:
        args.save.write_text(json.dumps(found, indent=0), encoding="utf-8")
    if args.against:
        before = json.loads(args.against.read_text(encoding="utf-8"))
        for row, got in found.items():
            if before.get(row) != got:
                print(f"CHANGED {before.get(row)} -> {got}\t{row}")


if __name__ == "__main__":
    main()
