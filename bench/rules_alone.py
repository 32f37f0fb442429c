"""The rules alone (phrase rules and rule files, no learned side), this tree beside an earlier
commit, per labelled file: emergencies caught, suicide/self-harm/overdose caught, calm alarms.

`python -m bench.rules_alone [REF]` (REF defaults to where this branch left main) extracts REF
with `git archive` and scores both trees on this tree's data: every emergency and calm set in
`tests/data`, and the learned side's training-only messages (`bot/safety/training/`, written
for the learned detector by other writers, never used to tune a rule; a set the rules were tuned
on is in-sample, so the training files are where a change of the rules' reading shows). The
messages that moved are listed, so a gain or a new alarm can be read.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.safety_speed import _base_ref, _extract

ROOT = Path(__file__).resolve().parent.parent
CRISES = ("self_harm", "overdose_or_injury")

_PROBE = r"""
import json, sys
from bot.safety.emergency import EmergencyDetector
detector = EmergencyDetector(learned=False)
files = json.loads(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({name: [bool(detector.detect_rules(m)) for _, m in rows]
                  for name, rows in files.items()}))
"""


def _files() -> dict[str, list[tuple[str, str]]]:
    """(code, message) rows of each labelled file; an empty code is calm."""
    paths = [
        p
        for p in sorted((ROOT / "tests" / "data").glob("*"))
        if p.suffix in (".tsv", ".txt") and ("calm" in p.name or "emergency" in p.name)
    ]
    paths += sorted((ROOT / "bot" / "safety" / "training").glob("*.tsv"))
    out: dict[str, list[tuple[str, str]]] = {}
    for path in paths:
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if "\t" in line and not line.startswith("#"):
                code, message = line.split("\t", 1)
                rows.append((code.strip(), message))
        out[f"{path.parent.name}/{path.name}"] = rows
    return out


def _found(tree: Path, files_json: Path) -> dict[str, list[bool]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(files_json)],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "YAML_CACHE_DIR": "off"},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _cells(rows: list[tuple[str, str]], found: list[bool]) -> str:
    emergencies = [f for (code, _), f in zip(rows, found, strict=True) if code]
    crises = [f for (code, _), f in zip(rows, found, strict=True) if code in CRISES]
    calm = [f for (code, _), f in zip(rows, found, strict=True) if not code]
    return " | ".join(
        f"{sum(kept)}/{len(kept)}" if kept else "-" for kept in (emergencies, crises, calm)
    )


def measure(ref: str) -> str:
    files = _files()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _extract(ref, folder)
        files_json = folder / "files.json"
        files_json.write_text(json.dumps(files), encoding="utf-8")
        before = _found(folder / "tree", files_json)
        after = _found(ROOT, files_json)
    rows = [
        f"## Rules alone, before ({ref[:10]}) and after (this tree)",
        "",
        "Emergencies caught, of them suicide / self-harm / overdose caught, calm messages that "
        "alarm; before -> after. Files where nothing moved are left out.",
        "",
        "| file | caught before | self-harm | calm alarms | caught after | self-harm "
        "| calm alarms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    moved: list[str] = []
    for name, labelled in files.items():
        if before[name] == after[name]:
            continue
        rows.append(
            f"| {name} | {_cells(labelled, before[name])} | {_cells(labelled, after[name])} |"
        )
        for (code, message), was, now in zip(labelled, before[name], after[name], strict=True):
            if was != now:
                kind = ("caught" if now else "missed") if code else ("alarm" if now else "calm")
                moved.append(f"- {name}: now {kind} [{code or 'calm'}] {message}")
    unchanged = sum(before[n] == after[n] for n in files)
    rows += ["", f"{unchanged} of {len(files)} files unchanged.", "", *moved]
    return "\n".join(rows) + "\n"


def run() -> str:
    try:
        return measure(_base_ref())
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"## Rules alone\n\nnot measured: {exc}\n"


def main(argv: Sequence[str]) -> int:
    print(measure(argv[0] if argv else _base_ref()), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
