"""Why the learned side misses a crisis from a writer it never saw: its clauses, scored alone.

`python -m bench.safety_clauses --models DIR --out FILE.json` (needs `.[train]`). Each writer's
fold model of `bench.safety_by_writer` (the shipped recipe trained without that writer) is
trained once and kept in DIR (reused when there), and every message of the fold (and of its
buried test) is scored part by part under each splitting in `SPLITS`: each part's crisis
probability, its word of evidence (`LearnedDetector.evidence`) and its length in words. The
file lets `--policy` replay, without retraining, what scoring each part alone and taking the
most alarming one would do to the bench's figures: `--policy NAME --cache F --write G` writes
G, F's scores with the fourth score (`in_passing`, one part's crisis probability) replaced by
the policy's, for `python -m bench.safety_by_writer --cache G` to judge leaving one writer out
(or `train_neighbours --cache G`); `--judge NAME... --floors T... --cache F` judges each policy
at each floor of the one-part threshold in one process (`bench.safety_by_writer.evaluate`, the
shipped neighbour budgets). F must be the fold scores of the code and data that wrote P.

Round 14 (bench/RESULTS.md): clauses are too short to score alone, spans of 16 words beside the
long messages' sentences hold up ("sentence+span16", shipped as `learned.spans`; the replay
equals the bot's `in_passing` on the fold models).

`--explain` prints, for the learned side's held-out misses listed in a `--learned-misses`
output, each part's crisis probability (what the table of causes in bench/RESULTS.md,
round 14, was read from).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.safety_by_writer import Fold, folds
from bot.safety.learned import SENTENCE_CRISIS, LearnedDetector, normalise

Part = tuple[float, float, int]
"""One part's crisis probability, its evidence and its length in words."""

_SENTENCE = re.compile(r"[.!?;\n]+")
_CLAUSE = re.compile(r"[.;:!?\n,]+|\b(?:but|and|so|because|cos|coz|then)\b", re.IGNORECASE)
Cut = Callable[[str], list[list[str]]]
"""A message's parts, each as normalised words."""


def _pieces(pattern: re.Pattern[str]) -> Cut:
    """Parts cut at `pattern`, each normalised on its own (a negation's scope ends with it)."""
    return lambda text: [words for p in pattern.split(text) if (words := normalise(p))]


def _spans(size: int) -> Cut:
    """Overlapping spans of `size` normalised words, half a span apart (the message's own
    negation scopes kept), for a message longer than one span."""

    def cut(text: str) -> list[list[str]]:
        words = normalise(text)
        if len(words) <= size:
            return [words]
        step = size // 2
        return [words[i : i + size] for i in range(0, len(words) - step, step)]

    return cut


SPLITS: dict[str, Cut] = {
    "sentence": _pieces(_SENTENCE),
    "clause": _pieces(_CLAUSE),
    "span12": _spans(12),
    "span16": _spans(16),
    "span24": _spans(24),
}
"""How a message is cut into parts: at sentence ends (as `learned.sentences`), also at commas
and the conjunctions that join clauses (as `neighbours.clauses`), or in spans of words smaller
than the model's 48-word windows."""


def parts(detector: LearnedDetector, text: str, split: Cut) -> list[Part]:
    """Each part of `text` (as `split` cuts it) scored alone by `detector`."""
    out: list[Part] = []
    for words in split(text):
        verdict = detector.worst(words)[0]
        out.append((verdict.crisis, detector.evidence(words), len(words)))
    return out


def score(models: Path, out: Path, only: Sequence[str] = ()) -> None:
    """Train (or read) each fold's model and write every message's parts under each split
    (`only` those, added to `out` if it exists)."""
    from bot.safety.train_learned import train_grouped, write

    all_folds, always = folds()
    models.mkdir(parents=True, exist_ok=True)
    saved: dict[str, dict[str, list[list[Part]]]] = (
        json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    )
    chosen = {name: SPLITS[name] for name in only or SPLITS}
    started = time.perf_counter()
    for fold in all_folds:
        path = models / f"{fold.name}.json.gz"
        if not path.exists():
            rows = always + [r for other in all_folds if other is not fold for r in other.rows]
            write(train_grouped(rows), path)
        detector = LearnedDetector(path)
        for key, rows in ((fold.name, fold.rows), (f"{fold.name} buried", fold.buried)):
            saved.setdefault(key, {}).update(
                {
                    name: [parts(detector, m, split) for _, m in rows]
                    for name, split in chosen.items()
                }
            )
        print(f"  {fold.name}: ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    out.write_text(json.dumps(saved), encoding="utf-8")


SHIPPED_LONG = 40
"""`learned.LONG_WORDS` as shipped: a longer message's one sentence is scored even if alone."""
Policy = Callable[[list[Part], int], float]
"""A message's one-part crisis score from its parts and its length in words (0.0: none)."""


def _best(min_words: int, long_words: int, min_evidence: float = 0.25) -> Policy:
    def policy(found: list[Part], words: int) -> float:
        if words <= long_words or (len(found) < 2 and words <= SHIPPED_LONG):
            return 0.0
        kept = [c for c, e, n in found if n >= min_words and e >= min_evidence]
        return max(kept, default=0.0)

    return policy


def _either(first: Policy, second: Policy, split: str) -> Policy:
    """The higher of two policies' scores, the second reading `split`'s parts (`_PARTS`)."""

    def policy(found: list[Part], words: int) -> float:
        return max(first(found, words), second(_PARTS[split], words))

    return policy


_PARTS: dict[str, list[Part]] = {}
"""The current message's parts under every split (set by `_fill`, read by `_either`)."""


POLICIES: dict[str, tuple[str, Policy]] = {
    # As shipped: sentences of 4 words or more, in messages of more than 40 words.
    "shipped": ("sentence", _best(4, 40)),
    "sentence-any": ("sentence", _best(4, 0)),
    "sentence-12": ("sentence", _best(4, 12)),
    "sentence-20": ("sentence", _best(4, 20)),
    "clause-40": ("clause", _best(4, 40)),
    "clause-any": ("clause", _best(4, 0)),
    "clause-3-any": ("clause", _best(3, 0)),
    "clause-20": ("clause", _best(4, 20)),
    "clause-12": ("clause", _best(4, 12)),
    "span12": ("span12", _best(4, 0)),
    "span16": ("span16", _best(4, 0)),
    "span24": ("span24", _best(4, 0)),
    "sentence+span16": ("sentence", _either(_best(4, 40), _best(4, 0), "span16")),
    "sentence+span24": ("sentence", _either(_best(4, 40), _best(4, 0), "span24")),
    "sentence+span12": ("sentence", _either(_best(4, 40), _best(4, 0), "span12")),
}


def replay(policy: str, parts_file: Path, cache: Path, out: Path) -> None:
    """`cache` (a `bench.safety_by_writer` scores file) with each message's fourth score from
    `policy`, written to `out`."""
    split, rule = POLICIES[policy]
    found = json.loads(parts_file.read_text(encoding="utf-8"))
    saved = json.loads(cache.read_text(encoding="utf-8"))
    all_folds, _ = folds()
    for fold in all_folds:
        for key, rows in ((fold.name, fold.rows), (f"{fold.name} buried", fold.buried)):
            scores = saved[key]
            for i, ((_, message), mine) in enumerate(zip(rows, found[key][split], strict=True)):
                _PARTS.update({n: [tuple(p) for p in v[i]] for n, v in found[key].items()})
                row = list(scores[i]) + [0.0] * (4 - len(scores[i]))
                row[3] = rule([tuple(p) for p in mine], len(normalise(message)))
                scores[i] = row
    out.write_text(json.dumps(saved), encoding="utf-8")


def judge(
    policies: list[str],
    parts_file: Path,
    cache: Path,
    semantic: float,
    medical: float,
    floors: Sequence[float] = (SENTENCE_CRISIS,),
) -> None:
    """Every policy judged leaving one writer out in one process (`bench.safety_by_writer`'s
    `evaluate`, the neighbours computed once): its table and the learned side's misses."""
    from bench.safety_by_writer import (
        SENTENCE_BUDGET,
        _scores,
        evaluate,
        name_codes,
        neighbour_scores,
        score_folds,
    )

    scored = score_folds("baseline", cache)
    always = folds()[1]
    name_codes(scored, always, cache)
    neighbour_scores(scored, always)
    found = json.loads(parts_file.read_text(encoding="utf-8"))
    for policy in policies:
        split, rule = POLICIES[policy]
        for fold in scored:
            for key, rows, scores in (
                (fold.name, fold.rows, fold.scores),
                (f"{fold.name} buried", fold.buried, fold.buried_scores),
            ):
                for i, ((_, message), mine) in enumerate(
                    zip(rows, found[key][split], strict=True)
                ):
                    _PARTS.update({n: [tuple(p) for p in v[i]] for n, v in found[key].items()})
                    s = list(scores[i])
                    s[3] = rule([tuple(p) for p in mine], len(normalise(message)))
                    scores[i] = _scores(s)
        for floor in floors:
            table, _, learned = evaluate(
                scored,
                policy,
                0.03,
                0.005,
                semantic,
                (SENTENCE_BUDGET, floor),
                medical_semantic=medical,
            )
            print(f"### {policy}, one part alarms from {floor}\n\n{table}\n")
            print("\n".join(learned))
            print()
            sys.stdout.flush()


def explain(parts_file: Path, misses: Path) -> None:
    """Each listed miss's parts (clause split) and their crisis probabilities."""
    found = json.loads(parts_file.read_text(encoding="utf-8"))
    all_folds, _ = folds()
    by_name: dict[str, Fold] = {f.name: f for f in all_folds}
    for line in misses.read_text(encoding="utf-8").splitlines():
        hit = re.match(r"(\S+): LEARNED MISS \[(\w+)\] (.*)", line)
        if not hit:
            continue
        name, code, message = hit.groups()
        fold = by_name[name]
        index = next(i for i, (c, m) in enumerate(fold.rows) if m == message and c == code)
        pieces = [p for p in _CLAUSE.split(message) if normalise(p)]
        shown = " | ".join(
            f"{p.strip()} [{c:.2f}/{e:.2f}]"
            for p, (c, e, _) in zip(pieces, found[name]["clause"][index], strict=True)
        )
        print(f"{name} [{code}] {shown}")


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.safety_clauses")
    parser.add_argument("--models", type=Path, help="keep (and reuse) the fold models here")
    parser.add_argument("--out", type=Path, help="write every message's parts here")
    parser.add_argument("--parts", type=Path, help="a parts file written by --out")
    parser.add_argument("--splits", nargs="+", default=[], choices=sorted(SPLITS))
    parser.add_argument("--policy", choices=sorted(POLICIES))
    parser.add_argument("--cache", type=Path, help="a bench.safety_by_writer scores file")
    parser.add_argument("--write", type=Path, help="where the replayed scores file goes")
    parser.add_argument("--explain", type=Path, help="a --learned-misses output to explain")
    parser.add_argument("--judge", nargs="+", choices=sorted(POLICIES), help="policies to judge")
    parser.add_argument("--floors", type=float, nargs="+", default=[SENTENCE_CRISIS])
    parser.add_argument("--semantic", type=float, default=0.015)
    parser.add_argument("--medical-semantic", type=float, default=0.0005)
    args = parser.parse_args(argv)
    if args.models and args.out:
        score(args.models, args.out, args.splits)
    if args.policy and args.parts and args.cache and args.write:
        replay(args.policy, args.parts, args.cache, args.write)
    if args.judge and args.parts and args.cache:
        judge(
            args.judge, args.parts, args.cache, args.semantic, args.medical_semantic, args.floors
        )
    if args.explain and args.parts:
        explain(args.parts, args.explain)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
