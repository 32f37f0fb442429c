"""Matching at 1k / 10k / 50k phrasings: FuzzyMatcher beside a plain extractOne(WRatio) scan.

The real knowledge base plus synthetic entries (bench.matching.synthetic_kb, seven phrasings
each) is written to YAML, then each matcher is measured in a fresh process, REPEATS times
(the table shows medians): start-up (load the YAML and build), resident memory after
start-up, time per question on first sight for every real question in tests/data/questions.tsv
and questions_set1.tsv, and top-1 on those real questions with the synthetic entries present
(extractOne: its best entry, no threshold; FuzzyMatcher: the answer it gives).

Start-up includes the embeddings the matcher reads (wordllama's packaged weights), loaded on
a thread of their own while the knowledge loads, as the bot does; a question's CPU time is the
whole process's (any thread the embedding library starts included).

FuzzyMatcher starts twice: "cold" with an empty YAML parse cache (a first start, or the first
after an edit: it parses and fills the cache) and "warm" from a cache a first start filled. With
`python -m bench.scale --before DIR`, DIR being a checkout of another commit (e.g. `git
archive main | tar -x -C DIR`), its FuzzyMatcher is measured in the same run, side by side,
and the ratio columns compare against it. `--phrasings 50000` measures only that size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from bench.matching import EVERYDAY, ExtractOne, synthetic_kb
from bot.authoring import evaluate
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.fuzzy import build_matcher

ROOT = Path(__file__).resolve().parent.parent
SETS = ("questions.tsv", "questions_set1.tsv")
SCALES = (0, 1_000, 10_000, 50_000)
"""Phrasings in all; 0 = the real knowledge alone (the top-1 the synthetic ones must keep)."""
PHRASINGS_PER_ENTRY = 7  # six templates and the title
REPEATS = 3


def _phrasings(kb: KnowledgeBase) -> int:
    return sum(len(e.questions) + 1 for e in kb.entries.values())


def _write(
    kb: KnowledgeBase, target: int, folder: Path, words: Sequence[str] | None = None
) -> int:
    """Real knowledge files plus a synthetic.yaml reaching `target` phrasings in all, their
    other words drawn from `words` (bench.matching.synthetic_kb's default when None)."""
    for path in (ROOT / "knowledge").glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    extra = max(0, (target - _phrasings(kb)) // PHRASINGS_PER_ENTRY)
    big = synthetic_kb(kb, extra, words=words)
    items = [
        {"id": e.id, "title": e.title, "questions": list(e.questions), "answer": e.answer}
        | {"source": {"url": e.source.url}}
        for e in big.entries.values()
        if e.id.startswith("synthetic-")
    ]
    if items:
        (folder / "synthetic.yaml").write_text(yaml.safe_dump({"entries": items}))
    return _phrasings(big)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _load_weights() -> None:
    """The embeddings the matcher's meaning terms read, loaded as the bot loads them: once,
    on a thread of their own, while the knowledge loads."""
    from bot.semantic.embeddings import shared_embedder

    shared_embedder().embed(["warm up"])


def measure(kind: str, folder: Path) -> dict[str, Any]:
    """One matcher in this process: start-up, memory, per-question times, top-1."""
    cases = [c for name in SETS for c in evaluate.read_cases(ROOT / "tests" / "data" / name)]
    started, cpu = time.perf_counter(), time.process_time()
    weights = threading.Thread(target=_load_weights) if kind == "fuzzy" else None
    if weights is not None:
        weights.start()
    kb = load_knowledge(folder)
    matcher = build_matcher(kb) if kind == "fuzzy" else ExtractOne(kb)
    if weights is not None:
        weights.join()  # ready to answer with meaning: part of start-up, not of a question
    startup, startup_cpu = time.perf_counter() - started, time.process_time() - cpu
    rss = _rss_mb()
    times: list[float] = []
    match_cpu: list[float] = []
    right = 0
    for case in cases:
        begun, begun_cpu = time.perf_counter_ns(), time.process_time_ns()
        if isinstance(matcher, ExtractOne):
            ranked = matcher.rank(case.question)
            got = ranked[0].id if ranked else None
        else:
            result = matcher.match(case.question)
            got = result.match.id if result.match else None
        times.append((time.perf_counter_ns() - begun) / 1e6)
        match_cpu.append((time.process_time_ns() - begun_cpu) / 1e6)
        right += case.expected is not None and got == case.expected
    inside = sum(c.expected is not None for c in cases)
    ordered, ordered_cpu = sorted(times), sorted(match_cpu)
    at99 = min(len(ordered) - 1, int(len(ordered) * 0.99))
    return {
        "startup": startup,
        "startup_cpu": startup_cpu,
        "rss": rss,
        "mean": statistics.mean(times),
        "p50": statistics.median(times),
        "p99": ordered[at99],
        "cpu_mean": statistics.mean(match_cpu),
        "cpu_p99": ordered_cpu[at99],
        "top1": f"{right / inside:.1%} ({right}/{inside})",
    }


NUMBERS = ("mean", "p50", "p99", "cpu_mean", "cpu_p99", "startup", "startup_cpu", "rss")


def _once(kind: str, folder: Path, code: Path, cache: str) -> dict[str, Any]:
    """One fresh process measuring the matcher of `code` (this checkout or the one compared
    with), always with this file's `measure`, so both are timed the same way."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), kind, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
        env=os.environ | {"YAML_CACHE_DIR": cache, "PYTHONPATH": str(code)},
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _median(kind: str, folder: Path, code: Path, cache: str | None) -> dict[str, Any]:
    """Medians of REPEATS processes; `cache` None: each starts with an empty cache folder."""
    runs = []
    for _ in range(REPEATS):
        with tempfile.TemporaryDirectory() as empty:
            runs.append(_once(kind, folder, code, empty if cache is None else cache))
    middle = {k: statistics.median(r[k] for r in runs) for k in NUMBERS}
    return middle | {
        "top1": runs[0]["top1"],
        "same_top1": all(r["top1"] == runs[0]["top1"] for r in runs),
    }


def _ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}x" if base else "-"


def _row(label: str, phrasings: int, m: dict[str, Any], base: dict[str, Any] | None) -> str:
    return (
        f"| {label} | {phrasings:,} | {m['mean']:.2f} | {m['p50']:.2f} | {m['p99']:.2f} | "
        f"{m['cpu_mean']:.2f} | {m['cpu_p99']:.2f} | "
        f"{m['startup']:.2f} | {m['startup_cpu']:.2f} | {m['rss']:.0f} | {m['top1']} | "
        f"{_ratio(m['cpu_mean'], base['cpu_mean'] if base else None)} | "
        f"{_ratio(m['startup_cpu'], base['startup_cpu'] if base else None)} |"
    )


def run(
    before: Path | None = None,
    words: Sequence[str] | None = None,
    scales: Sequence[int] = SCALES,
) -> str:
    kb = load_knowledge(ROOT / "knowledge")
    compared = "FuzzyMatcher before" if before else "extractOne(WRatio)"
    rows = [
        "| matcher | phrasings | mean ms | p50 ms | p99 ms | CPU mean ms | CPU p99 ms "
        "| start-up s (load + build) | start-up CPU s | RSS MB | top-1 on the real questions "
        f"| CPU mean vs {compared} | start-up CPU vs {compared} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for target in scales:
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
            folder = Path(tmp) / "knowledge"
            folder.mkdir()
            phrasings = _write(kb, target, folder, words)
            measured: list[tuple[str, dict[str, Any]]] = [
                ("extractOne(WRatio)", _median("extract", folder, ROOT, "off"))
            ]
            if before is not None:
                measured.append(("FuzzyMatcher before", _median("fuzzy", folder, before, "off")))
            measured.append(("FuzzyMatcher, cold", _median("fuzzy", folder, ROOT, None)))
            _once("fuzzy", folder, ROOT, cache)  # fills the parse cache
            measured.append(("FuzzyMatcher, warm", _median("fuzzy", folder, ROOT, cache)))
            base = measured[1][1] if before is not None else measured[0][1]
            for label, m in measured:
                shown = label if m["same_top1"] else f"{label} (top-1 varied between runs)"
                rows.append(_row(shown, phrasings, m, None if m is base else base))
    return "\n\n".join(
        [
            "## Matching at scale",
            "Real knowledge plus synthetic entries; each matcher in a fresh process, every "
            f"real question of {' and '.join(SETS)} asked once (first sight); medians of "
            f"{REPEATS} processes. Cold: an empty YAML parse cache (a first start, or the first "
            "after an edit: parsed, then cached); warm: read from the cache a first start filled.",
            "\n".join(rows),
        ]
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout of the commit to compare with")
    parser.add_argument(
        "--everyday",
        action="store_true",
        help="synthetic facts worded with 2,692 everyday words, not 24 (bench.matching.EVERYDAY)",
    )
    parser.add_argument(
        "--phrasings",
        type=int,
        nargs="+",
        default=SCALES,
        help=f"phrasings to measure at (default {' '.join(map(str, SCALES))}; 0: the article)",
    )
    parser.add_argument("kind", nargs="?", choices=("extract", "fuzzy"))
    parser.add_argument("folder", nargs="?", type=Path)
    args = parser.parse_args(argv)
    if args.kind and args.folder:
        print(json.dumps(measure(args.kind, args.folder)))
    else:
        words = EVERYDAY if args.everyday else None
        print(run(args.before.resolve() if args.before else None, words, args.phrasings))


if __name__ == "__main__":
    main(sys.argv[1:])
