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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
)

# Flag families for the report; a code in no family is reported as "other".
FAMILIES: dict[str, frozenset[str]] = {
    "cauda equina": frozenset(
        {
            "saddle_numbness",
            "bladder_bowel",
            "sexual_dysfunction",
            "leg_numbness_both",
            "leg_weakness",
        }
    ),
    "infection": frozenset({"rash_no_fade", "stiff_neck", "sepsis_signs", "infant_fever"}),
    "trauma": frozenset({"major_trauma"}),
    "breathing/chest": frozenset({"breathing", "chest_pain", "aortic"}),
    "collapse": frozenset({"confusion", "seizure", "fainting"}),
    "self-harm": frozenset({"self_harm", "overdose_or_injury"}),
}

Detect = Callable[[str], frozenset[str]]


def family(code: str) -> str:
    return next((name for name, codes in FAMILIES.items() if code in codes), "other")


def read_rows(path: Path) -> list[tuple[str, str]]:
    """(code, message) pairs; an empty code is a calm message. Lines without a tab are skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            code, message = line.split("\t", 1)
            rows.append((code.strip(), message))
    return rows


@dataclass
class Tally:
    """Per detector: caught emergencies by family, alarms on calm, the misses to read."""

    caught: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    alarms: int = 0
    calm: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)

    def add(self, code: str, message: str, found: frozenset[str]) -> None:
        if not code:
            self.calm += 1
            if found:
                self.alarms += 1
                self.false_alarms.append((",".join(sorted(found)), message))
            return
        name = family(code)
        self.total[name] = self.total.get(name, 0) + 1
        if found:
            self.caught[name] = self.caught.get(name, 0) + 1
        else:
            self.misses.append((code, message))

    def cell(self, name: str | None) -> str:
        if name is None:
            caught, total = sum(self.caught.values()), sum(self.total.values())
        else:
            caught, total = self.caught.get(name, 0), self.total.get(name, 0)
        return f"{caught}/{total}" + (f" ({100 * caught / total:.0f}%)" if total else "")


def detectors() -> dict[str, Detect]:
    """The three columns: rules only, the learned detector only, and both (what the bot uses)."""
    from bot.safety.emergency import EmergencyDetector

    columns: dict[str, Detect] = {"rules": EmergencyDetector(learned=False).detect}
    try:
        from bot.safety.learned import LearnedDetector
    except ImportError:  # before the second detector existed
        return columns
    columns["learned"] = LearnedDetector().detect
    columns["both"] = EmergencyDetector().detect
    return columns


def score(rows: Iterable[tuple[str, str]], columns: dict[str, Detect]) -> dict[str, Tally]:
    tallies = {name: Tally() for name in columns}
    for code, message in rows:
        for name, detect in columns.items():
            tallies[name].add(code, message, detect(message))
    return tallies


def table(tallies: dict[str, Tally]) -> list[str]:
    names = list(tallies)
    rows = [
        "| family | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    any_tally = next(iter(tallies.values()))
    for fam in [*FAMILIES, "other"]:
        if any_tally.total.get(fam):
            rows.append(f"| {fam} | " + " | ".join(t.cell(fam) for t in tallies.values()) + " |")
    rows.append("| **all emergencies** | " + " | ".join(t.cell(None) for t in tallies.values()))
    rows[-1] += " |"
    rows.append(
        "| false alarms on calm | "
        + " | ".join(
            f"{t.alarms}/{t.calm}" + (f" ({100 * t.alarms / t.calm:.1f}%)" if t.calm else "")
            for t in tallies.values()
        )
        + " |"
    )
    return rows


def report(paths: Sequence[Path], *, verbose: bool = True) -> str:
    """The per-family table for `paths` together, then each detector's misses and alarms."""
    rows = [row for path in paths for row in read_rows(path)]
    tallies = score(rows, detectors())
    lines = [f"Scored {len(rows)} messages from {', '.join(p.name for p in paths)}", ""]
    lines += table(tallies)
    if verbose:
        for name, tally in tallies.items():
            lines += ["", f"{name}: missed {len(tally.misses)}"]
            lines += [f"  MISS [{code}] {msg}" for code, msg in tally.misses]
            lines += [f"  ALARM [{codes}] {msg}" for codes, msg in tally.false_alarms]
    return "\n".join(lines) + "\n"


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
    every = [m for name in ("emergency_messages.txt", "calm_messages.txt") for _, m in read_rows(DATA / name)]
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
