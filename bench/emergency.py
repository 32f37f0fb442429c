"""Emergency detection on every message set in tests/data, and what it costs per message."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bot.safety.emergency import EmergencyDetector

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"

# (emergency file, calm file, first look: caught / false alarms, recorded when first run)
SETS = (
    ("emergency_messages.txt", "calm_messages.txt", "49/54 caught, 0/51 alarms"),
    ("holdout_emergency.tsv", "holdout_calm.tsv", "69/80 caught, 2/80 alarms"),
    ("holdout2_emergency.tsv", "holdout2_calm.tsv", "56/60 caught, 1/60 alarms"),
    ("holdout3_emergency.tsv", "holdout3_calm.tsv", "62/66 caught, 4/66 alarms"),
    ("holdout4_emergency.tsv", "holdout4_calm.tsv", "64/66 caught, 2/66 alarms"),
    ("holdout5_emergency.tsv", "holdout5_calm.tsv", "67/77 caught, 3/77 alarms"),
    ("holdout6_emergency.tsv", "holdout6_calm.tsv", "63/66 caught, 1/66 alarms"),
    ("holdout7_emergency.tsv", "holdout7_calm.tsv", "53/66 caught, 4/66 alarms"),
)


def messages(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[1] for line in lines if "\t" in line]


def timing_us(detector: EmergencyDetector, texts: list[str], rounds: int = 5) -> float:
    samples = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            detector.detect(text)
            samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def run() -> str:
    detector = EmergencyDetector()
    rows = [
        "## Emergency detection",
        "",
        "| set | emergencies caught | calm messages alarmed | first look |",
        "|---|---:|---:|---|",
    ]
    for emergency_file, calm_file, first in SETS:
        if not (DATA / emergency_file).is_file():
            continue
        emergencies = messages(emergency_file)
        calm = messages(calm_file)
        caught = sum(bool(detector.detect(m)) for m in emergencies)
        alarms = sum(bool(detector.detect(m)) for m in calm)
        rows.append(
            f"| {emergency_file} | {caught}/{len(emergencies)} | {alarms}/{len(calm)} | {first} |"
        )
    every = messages("emergency_messages.txt") + messages("calm_messages.txt")
    long_texts = [" ".join(every[i : i + 8])[:500] for i in range(0, len(every) - 8, 4)]
    rows += [
        "",
        "| input | median µs per message |",
        "|---|---:|",
        f"| one message from the sets | {timing_us(detector, every):.0f} |",
        f"| 500 characters of symptom-dense text | {timing_us(detector, long_texts):.0f} |",
    ]
    return "\n".join(rows) + "\n"
