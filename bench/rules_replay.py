"""The rules' first look on each writer, replayed from git history.

Every writer's set in tests/data was committed after it had been scored untouched, and was
tuned on afterwards, so today's rules are in-sample on all of them. The rules as they were
just before a set was first committed (`git log --diff-filter=A`; sets 21-24 first came in
`tests/data/first_look/`) had never seen it: scoring that version's rules alone on the set as
it was committed is honest first-look evidence of how the rules behave on a new writer.

`python -m bench.rules_replay [--refresh]` checks each such version out in a temporary
`git worktree` under /tmp (removed after), runs its rules alone (`EmergencyDetector(learned=
False).detect_rules` from issue 10 on; before that the detector was the rules alone:
`EmergencyDetector().detect`) in a fresh process with that tree's code, and prints per set the
emergencies caught, the self-harm family caught and the calm alarms, then every alarming calm
message with the flag and, where that version can tell, the rule that fired. The results are
kept in `bench/rules_replay.json` (history does not change), so the replay runs once;
`--refresh` runs it again.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / "rules_replay.json"
CRISES = ("self_harm", "overdose_or_injury")

# Runs inside the old tree: the rules alone on each message, with what fired when the version
# can tell (its rule files' uncancelled hits, its phrase rules' uncancelled hits).
_PROBE = r"""
import json, sys
from bot.safety import emergency
try:
    detector = emergency.EmergencyDetector(learned=False)
    rules = detector.detect_rules
except TypeError:  # before issue 10: no learned side, the detector is the rules
    detector = emergency.EmergencyDetector()
    rules = detector.detect


def fired(text):
    out = []
    book = getattr(detector, "rulebook", None)
    try:
        if book is not None:
            out += [f"rule {h.rule.code}:{h.rule.name}" for h in book.hits(text)
                    if h.cancelled is None]
    except Exception as exc:
        out.append(f"rulebook ? {type(exc).__name__}")
    try:
        _, hits, concepts = detector.explain_phrases(text)
        out += [f"phrase {h.name}:{h.source.rsplit('/', 1)[-1]}" for h in hits
                if h.cancelled_by is None]
        out += [f"concept {code}:{rule.source.rsplit('/', 1)[-1]}" for code, rule in concepts]
    except AttributeError:  # before round 3: no way to ask which phrase rule fired
        out.append("phrase rules")
    return out


texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
results = []
for text in texts:
    codes = sorted(rules(text))
    results.append({"codes": codes, "fired": fired(text) if codes else []})
print(json.dumps(results))
"""


@dataclass(frozen=True)
class WriterSet:
    """One writer's emergency and calm files as first committed, and the version before."""

    name: str
    added: str  # the commit that first added the set
    emergency: str  # paths in that commit
    calm: str


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def _first_added(path: str) -> str | None:
    """The commit that first added `path` (oldest), or None."""
    out = _git("log", "--diff-filter=A", "--format=%H", "--", path).split()
    return out[-1] if out else None


def writer_sets() -> list[WriterSet]:
    """Every writer's set in tests/data (holdout*, setN), oldest first."""
    sets: list[WriterSet] = []
    for calm in sorted((ROOT / "tests" / "data").glob("*_calm.tsv")):
        name = calm.name.removesuffix("_calm.tsv")
        if not (name.startswith("holdout") or name.startswith("set")):
            continue  # the developers' context sets are not a writer's first look
        found: tuple[str, str, str] | None = None
        for folder in ("tests/data/first_look", "tests/data"):
            calm_path = f"{folder}/{name}_calm.tsv"
            emergency_path = f"{folder}/{name}_emergency.tsv"
            added = [_first_added(calm_path), _first_added(emergency_path)]
            if all(added):
                # the earlier of the two (they came together in every case so far)
                first = min((str(c) for c in added), key=_when)
                found = (str(first), emergency_path, calm_path)
                break
        if found is not None:
            sets.append(WriterSet(name, *found))
    return sorted(sets, key=lambda s: (_when(s.added), _natural(s)))


def _when(commit: str) -> int:
    return int(_git("log", "-1", "--format=%ct", commit))


def _natural(s: WriterSet) -> tuple[str, int]:
    """set9 before set10."""
    stem = s.name.rstrip("0123456789")
    return stem, int(s.name[len(stem) :] or 0)


def _rows(commit: str, path: str) -> list[tuple[str, str]]:
    """(code, message) rows of a file as committed; an empty code is calm."""
    rows = []
    for line in _git("show", f"{commit}:{path}").splitlines():
        if "\t" in line and not line.startswith("#"):
            code, message = line.split("\t", 1)
            if message.strip():
                rows.append((code.strip(), message))
    return rows


def _replay(ref: str, texts: list[str]) -> list[dict[str, object]]:
    """The rules of `ref` on `texts`, in a temporary worktree of `ref` (removed after)."""
    with tempfile.TemporaryDirectory(prefix="rules_replay_") as tmp:
        tree = Path(tmp) / "tree"
        _git("worktree", "add", "--detach", "--quiet", str(tree), ref)
        try:
            texts_file = Path(tmp) / "texts.json"
            texts_file.write_text(json.dumps(texts), encoding="utf-8")
            env = {
                "PYTHONPATH": str(tree),
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "YAML_CACHE_DIR": "off",
                "XDG_CACHE_HOME": str(Path(tmp) / "cache"),
                "HOME": tmp,
            }
            done = subprocess.run(
                [sys.executable, "-c", _PROBE, str(texts_file)],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RuntimeError(f"{ref[:10]}: {done.stderr.strip().splitlines()[-1:]}")
            return list(json.loads(done.stdout.strip().splitlines()[-1]))
        finally:
            _git("worktree", "remove", "--force", str(tree))


def replay() -> dict[str, object]:
    """Each set's rows, labels and the rules' first-look findings, by set name."""
    sets = writer_sets()
    out: dict[str, object] = {}
    by_ref: dict[str, list[WriterSet]] = {}
    for s in sets:
        by_ref.setdefault(_git("rev-parse", f"{s.added}^").strip(), []).append(s)
    for ref, group in by_ref.items():
        rows = {s.name: _rows(s.added, s.emergency) + _rows(s.added, s.calm) for s in group}
        texts = [m for s in group for _, m in rows[s.name]]
        try:
            found = _replay(ref, texts)
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            for s in group:
                out[s.name] = {"ref": ref, "added": s.added, "error": str(exc)}
            print(f"could not replay {[s.name for s in group]}: {exc}", file=sys.stderr)
            continue
        at = 0
        for s in group:
            messages = []
            for code, message in rows[s.name]:
                messages.append({"code": code, "text": message, **found[at]})
                at += 1
            out[s.name] = {
                "ref": ref,
                "added": s.added,
                "date": _git("log", "-1", "--format=%cI", s.added).strip(),
                "messages": messages,
            }
        print(f"replayed {[s.name for s in group]} on {ref[:10]}", file=sys.stderr)
    return out


def load(refresh: bool = False) -> dict[str, dict[str, Any]]:
    """The cached replay (run once; `refresh` runs it again)."""
    if refresh or not CACHE.exists():
        CACHE.write_text(json.dumps(replay(), ensure_ascii=False) + "\n", "utf-8")
    return dict(json.loads(CACHE.read_text(encoding="utf-8")))


def _share(kept: list[bool]) -> str:
    return f"{sum(kept)}/{len(kept)}" if kept else "-"


def table(data: dict[str, dict[str, Any]]) -> str:
    """The per-set first-look table and the alarming calm messages."""
    lines = [
        "## The rules' first look on each writer (replayed from git history)",
        "",
        "The rules alone as they were just before each set was first committed.",
        "",
        "| set | version | emergencies caught | self-harm family | calm alarms |",
        "|---|---|---:|---:|---:|",
    ]
    alarms: list[str] = []
    totals: dict[str, list[bool]] = {"emergency": [], "crisis": [], "calm": []}
    for name, entry in data.items():
        if "error" in entry:
            lines.append(f"| {name} | {str(entry['ref'])[:9]} | not replayed: {entry['error']} |")
            continue
        messages = list(entry["messages"])
        caught = [bool(m["codes"]) for m in messages if m["code"]]
        crisis = [bool(m["codes"]) for m in messages if m["code"] in CRISES]
        calm = [bool(m["codes"]) for m in messages if not m["code"]]
        totals["emergency"] += caught
        totals["crisis"] += crisis
        totals["calm"] += calm
        lines.append(
            f"| {name} | {str(entry['ref'])[:9]} | {_share(caught)} | {_share(crisis)} "
            f"| {_share(calm)} |"
        )
        for m in messages:
            if not m["code"] and m["codes"]:
                why = "; ".join(m["fired"]) or "?"
                alarms.append(f"- {name} [{','.join(m['codes'])}] {m['text']}  ({why})")
    lines.append(
        f"| **all** | | {_share(totals['emergency'])} | {_share(totals['crisis'])} "
        f"| {_share(totals['calm'])} |"
    )
    tail = ["", "Alarming calm messages (flag; what fired):", "", *alarms]
    return "\n".join([*lines, *tail]) + "\n"


def run() -> str:
    """For `python -m bench rules_replay`: the cached table (replayed once if missing)."""
    try:
        return table(load())
    except (OSError, subprocess.CalledProcessError) as exc:  # no git history here
        return f"## The rules' first look, replayed\n\nnot measured: {exc}\n"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", action="store_true", help="replay again (slow)")
    args = parser.parse_args(argv)
    print(table(load(args.refresh)), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
