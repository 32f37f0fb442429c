"""Score the emergency detector on `code<TAB>message` files, per flag family and per detector.

Used by `python -m bot safety score FILE...` and `python -m bench.emergency FILE...`: three
columns, the rules alone, the learned second detector alone and both OR-ed (what the bot does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.safety.learned import MEDICAL_FAMILIES

# Flag families for the report (the learned detector's, and self-harm); a code in no family is
# reported as "other".
FAMILIES: dict[str, frozenset[str]] = {
    **MEDICAL_FAMILIES,
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
    """Rules only, the learned detector only (crises), both (what the bot uses), and the
    learned detector with its medical verdicts as well (not used by the bot)."""
    from bot.safety.emergency import EmergencyDetector

    columns: dict[str, Detect] = {"rules": EmergencyDetector(learned=False).detect}
    from bot.safety.learned import LearnedDetector

    columns["learned"] = LearnedDetector().detect
    columns["both"] = EmergencyDetector().loaded().detect
    # For information only: the model's medical verdicts too (the bot only logs those).
    columns["learned, all flags"] = LearnedDetector(medical=True).detect
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
