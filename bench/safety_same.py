"""What the emergency detector answers, dumped to compare two trees (a speed change must not
change a byte of it).

`PYTHONHASHSEED=0 PYTHONPATH=TREE python -m bench.safety_same OUT` (run inside TREE) writes the
`python -m bot safety score` report of every emergency and calm file of tests/data on its own and
of all of them together, then per input (every line of tests/data and bot/safety/training, whole
and as its message alone): `detect`, `detect_rules`, `detect_phrases`, the learned detector's
`judge` and `verdict` (floats in full), its flag name and the neighbour score, and last the
logged disagreements. Two trees answer alike when `cmp` finds the two files equal. The hash seed
is fixed because the learned detector adds its features in set order.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.safety import scoring
from bot.safety.emergency import EmergencyDetector

DATA = Path("tests/data")


def _inputs() -> Iterator[str]:
    files = sorted(DATA.glob("*.t*")) + sorted(Path("bot/safety/training").rglob("*.t*"))
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield line
                yield line.split("\t", 1)[-1]


def main(argv: list[str]) -> int:
    scoring.detectors = functools.cache(scoring.detectors)  # build the columns once
    sets = sorted(p for p in DATA.glob("*.t*") if "calm" in p.name or "emergency" in p.name)
    detector = EmergencyDetector().loaded()
    learned = detector.learned
    with Path(argv[0]).open("w", encoding="utf-8") as out:
        for path in sets:
            out.write(scoring.report([path]))
        out.write(scoring.report(sets))
        for text in _inputs():
            row: list[object] = [text, sorted(detector.detect(text))]
            row += [sorted(detector.detect_rules(text)), sorted(detector.detect_phrases(text))]
            if learned is not None:
                judged = learned.judge(text)
                row += [repr(judged), repr(learned.verdict(text)), learned.flag(text)]
                row.append(repr(detector.neighbour_score(text, judged[1])))
            out.write(json.dumps(row) + "\n")
        out.write(json.dumps([repr(d) for d in detector.disagreements]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
