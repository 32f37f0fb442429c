"""Emergency detection: how much each detector catches, by flag family, and what it costs.

`python -m bench.emergency FILE...` scores any `code<TAB>message` files (an empty code means a
calm message) with a per-family table and three columns: the rules alone, the learned second
detector alone, and both OR-ed (what the bot does). `python -m bench emergency` runs the sets
kept in tests/data plus timing and start-up.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot.safety.scoring import Detect, detectors, read_rows, report, score

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"

# (emergency file, calm file, first look of the rules: caught / false alarms, when first run)
SETS = (
    ("emergency_messages.txt", "calm_messages.txt", "49/54 caught, 0/51 alarms"),
    ("holdout_emergency.tsv", "holdout_calm.tsv", "69/80 caught, 2/80 alarms"),
    ("holdout2_emergency.tsv", "holdout2_calm.tsv", "56/60 caught, 1/60 alarms"),
    ("holdout3_emergency.tsv", "holdout3_calm.tsv", "62/66 caught, 4/66 alarms"),
    ("holdout4_emergency.tsv", "holdout4_calm.tsv", "64/66 caught, 2/66 alarms"),
    ("holdout5_emergency.tsv", "holdout5_calm.tsv", "67/77 caught, 3/77 alarms"),
    ("holdout6_emergency.tsv", "holdout6_calm.tsv", "63/66 caught, 1/66 alarms"),
    ("holdout7_emergency.tsv", "holdout7_calm.tsv", "53/66 caught, 4/66 alarms"),
    ("set1_emergency.tsv", "set1_calm.tsv", "39/60 caught, 6/60 alarms (self-harm 7/18)"),
    (
        "set2_emergency.tsv",
        "set2_calm.tsv",
        "both 51/60 caught, 3/60 alarms (self-harm 14/18); rules 49/60, learned 10/60",
    ),
    (
        "set3_emergency.tsv",
        "set3_calm.tsv",
        "both 59/66 caught, 2/66 alarms (self-harm 14/19); rules 57/66, learned 10/66",
    ),
    (
        "set4_emergency.tsv",
        "set4_calm.tsv",
        "both 59/66 caught, 6/66 alarms (self-harm 20/22); rules 54/66, learned 18/66; "
        "main before issue 10: 37/66, self-harm 7/22",
    ),
    (
        "set5_emergency.tsv",
        "set5_calm.tsv",
        "both 60/72 caught, 8/72 alarms (self-harm 22/27) before round 3, "
        "after: 68/72, 3/72 (25/27)",
    ),
    (
        "set6_emergency.tsv",
        "set6_calm.tsv",
        "both 66/70 caught, 6/70 alarms (self-harm 21/25) before round 3, "
        "after: 68/70, 3/70 (23/25)",
    ),
    (
        "set7_emergency.tsv",
        "set7_calm.tsv",
        "both 63/72 caught, 4/72 alarms (self-harm 21/27) before round 4, "
        "after: 66/72, 5/72 (24/27)",
    ),
    (
        "set8_emergency.tsv",
        "set8_calm.tsv",
        "both 70/72 caught, 1/72 alarms (self-harm 26/27) before round 4, "
        "after: 70/72, 2/72 (26/27)",
    ),
    (
        "set9_emergency.tsv",
        "set9_calm.tsv",
        "both 67/72 caught, 2/72 alarms (self-harm 24/27) before round 5, "
        "after: 68/72, 2/72 (25/27)",
    ),
    (
        "set10_emergency.tsv",
        "set10_calm.tsv",
        "both 71/72 caught, 2/72 alarms (self-harm 27/27) before round 5, "
        "after: 71/72, 2/72 (27/27)",
    ),
    (
        "set11_emergency.tsv",
        "set11_calm.tsv",
        "both 70/72 caught, 4/72 alarms (self-harm 26/27) before and after round 6",
    ),
    (
        "set12_emergency.tsv",
        "set12_calm.tsv",
        "both 68/72 caught, 1/72 alarms (self-harm 24/27) before round 6, "
        "after: 70/72, 1/72 (26/27)",
    ),
    (
        "set13_emergency.tsv",
        "set13_calm.tsv",
        "both 67/72 caught, 6/72 alarms (self-harm 26/27) before round 7, "
        "after: 67/72, 4/72 (26/27)",
    ),
    (
        "set14_emergency.tsv",
        "set14_calm.tsv",
        "both 66/72 caught, 1/72 alarms (self-harm 24/27) before round 7, "
        "after: 65/72, 1/72 (23/27)",
    ),
    (
        "set15_emergency.tsv",
        "set15_calm.tsv",
        "both 68/72 caught, 1/72 alarms (self-harm 24/27) before round 8, after: the same",
    ),
    (
        "set16_emergency.tsv",
        "set16_calm.tsv",
        "both 66/72 caught, 4/72 alarms (self-harm 25/27) before round 8, after: the same",
    ),
    (
        "set17_emergency.tsv",
        "set17_calm.tsv",
        "both 67/72 caught, 1/72 alarms (self-harm 24/27) before round 9, "
        "after: 66/72, 1/72 (24/27)",
    ),
    (
        "set18_emergency.tsv",
        "set18_calm.tsv",
        "both 67/72 caught, 2/72 alarms (self-harm 25/27) before round 9, "
        "after: 68/72, 1/72 (26/27)",
    ),
    (
        "set21_emergency.tsv",
        "set21_calm.tsv",
        "both 63/72 caught, 4/72 alarms (self-harm 26/27) before round 11, "
        "after: 64/72, 2/72 (26/27)",
    ),
    (
        "set22_emergency.tsv",
        "set22_calm.tsv",
        "both 68/72 caught, 5/72 alarms (self-harm 25/27) before round 11, "
        "after: 69/72, 5/72 (25/27)",
    ),
    (
        "set23_emergency.tsv",
        "set23_calm.tsv",
        "both 72/72 caught, 1/72 alarms (self-harm 27/27) before round 12, "
        "after: 72/72, 1/72 (27/27)",
    ),
    (
        "set24_emergency.tsv",
        "set24_calm.tsv",
        "both 63/72 caught, 6/72 alarms (self-harm 25/27) before round 12, "
        "after: 63/72, 6/72 (25/27)",
    ),
    (
        "set25_emergency.tsv",
        "set25_calm.tsv",
        "both 69/72 caught, 0/72 alarms (self-harm 26/27) before round 13, "
        "after: 69/72, 0/72 (26/27)",
    ),
    (
        "set26_emergency.tsv",
        "set26_calm.tsv",
        "both 68/72 caught, 2/72 alarms (self-harm 24/27) before round 13, "
        "after: 70/72, 2/72 (26/27)",
    ),
    (
        "set27_emergency.tsv",
        "set27_calm.tsv",
        "both 67/72 caught, 1/72 alarms (self-harm 25/27) before round 13, "
        "after: 68/72, 1/72 (25/27)",
    ),
    (
        "set28_emergency.tsv",
        "set28_calm.tsv",
        "both 70/72 caught, 4/72 alarms (self-harm 27/27) before round 14, "
        "after: 71/72, 2/72 (27/27)",
    ),
    (
        "set29_emergency.tsv",
        "set29_calm.tsv",
        "both 54/72 caught, 1/72 alarms (self-harm 20/27) before round 14, "
        "after: 63/72, 0/72 (23/27)",
    ),
    (
        "set30_emergency.tsv",
        "set30_calm.tsv",
        "both 65/72 caught, 4/72 alarms (self-harm 26/27) before round 14, "
        "after: 67/72, 3/72 (27/27)",
    ),
    (
        "cs_check_emergency.tsv",
        "cs_check_calm.tsv",
        "both 64/72 caught, 3/72 alarms (self-harm 25/27) before round 14, "
        "after: 69/72, 3/72 (27/27)",
    ),
    (
        "qf_check_emergency.tsv",
        "qf_check_calm.tsv",
        "both 67/72 caught, 2/72 alarms (self-harm 26/27) before round 14, "
        "after: 69/72, 3/72 (26/27)",
    ),
    (
        "set34_emergency.tsv",
        "set34_calm.tsv",
        "both 69/72 caught, 2/72 alarms (self-harm 25/27) at first look, before round 15",
    ),
    (
        "set35_emergency.tsv",
        "set35_calm.tsv",
        "both 71/72 caught, 2/72 alarms (self-harm 27/27) at first look, before round 15",
    ),
    (
        "set36_emergency.tsv",
        "set36_calm.tsv",
        "both 72/72 caught, 6/72 alarms (self-harm 27/27) at first look, before round 15",
    ),
    (
        "set37_emergency.tsv",
        "set37_calm.tsv",
        "both 70/72 caught, 7/72 alarms (self-harm 26/27) at first look, before round 15",
    ),
    (
        "dev_context_emergency.tsv",
        "dev_context_calm.tsv",
        "rules, first 25+60 before the context frames: 25/25 caught, 19/60 alarms",
    ),
    (
        "heldout_context_emergency.tsv",
        "heldout_context_calm.tsv",
        "rules 15/15 caught, 13/30 alarms (held out by the frames' author, scored once)",
    ),
)


def timing_us(detect: Detect, texts: list[str], rounds: int = 5) -> float:
    samples = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            detect(text)
            samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def startup_s() -> float:
    """Time to build the detector the bot uses (rules loaded and checked, model read)."""
    from bot.safety.emergency import EmergencyDetector

    started = time.perf_counter()
    EmergencyDetector()
    return time.perf_counter() - started


def run() -> str:
    startup = startup_s()
    columns = detectors()
    rows = [
        "## Emergency detection",
        "",
        "Caught / false alarms per set; the first look is the rules' score on the day the set",
        "arrived, before any tuning on it.",
        "",
        "| set | " + " | ".join(f"{name} caught, alarms" for name in columns) + " | first look |",
        "|---|" + "---:|" * len(columns) + "---|",
    ]
    for emergency_file, calm_file, first in SETS:
        if not (DATA / emergency_file).is_file():
            continue
        tallies = score(read_rows(DATA / emergency_file) + read_rows(DATA / calm_file), columns)
        cells = [f"{t.cell(None)}, {t.alarms}/{t.calm}" for t in tallies.values()]
        rows.append(f"| {emergency_file} | " + " | ".join(cells) + f" | {first} |")
    every = [
        m
        for name in ("emergency_messages.txt", "calm_messages.txt")
        for _, m in read_rows(DATA / name)
    ]
    long_texts = [" ".join(every[i : i + 8])[:500] for i in range(0, len(every) - 8, 4)]
    rows += [
        "",
        "| input | " + " | ".join(f"{name} median µs" for name in columns) + " |",
        "|---|" + "---:|" * len(columns),
        "| one message from the sets | "
        + " | ".join(f"{timing_us(d, every):.0f}" for d in columns.values())
        + " |",
        "| 500 characters of symptom-dense text | "
        + " | ".join(f"{timing_us(d, long_texts):.0f}" for d in columns.values())
        + " |",
        "",
        f"Start-up (rules loaded and their examples checked, model read): {startup:.2f} s.",
    ]
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: python -m bench.emergency FILE... (code<TAB>message, empty code = calm)")
        return 2
    print(report([Path(a) for a in argv]), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
