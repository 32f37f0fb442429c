"""Leave-one-writer-out measure of both learned models at once (topic and scope signals).

`python -m bench.lowo_models [--no-training-only]` (a few minutes). Each
tests/data/questions_setN.tsv is one writer's fold: the topic model (bot/authoring/
train_topic.py) and the scope model (bot/authoring/train_scope.py) are both fitted without it,
on everything else (knowledge phrasings, training-only files, the other sets), and its
messages go through the bot with them at the bands in use (bands.CALIBRATED: only the models
are held out here; bench/calibrate_bands.py holds the bands out). Cells: top-1 / top-1 over 25
words / top-1 or first suggestion / wrong answers / out-of-scope given no direct answer, per
set and pooled (`--misses`: and each wrong answer). Both models train on the training-only
questions the shipped ones use (train_scope.TRAINING); `--written` trains them on every file
written for training (train_scope.WRITTEN_FOR_TRAINING) instead, to measure what it adds.
`--in-sample`: the same table with the shipped models (which saw every set), for comparison.
Figures: bench/BANDS.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.rank_meaning import ROOT, cells, utility
from bot.authoring import evaluate, train_scope, train_topic
from bot.knowledge.loader import load_knowledge
from bot.matching.bands import CALIBRATED, Meaning
from bot.matching.fuzzy import FuzzyMatcher, build_matcher
from bot.matching.scope_signal import ScopeModel
from bot.matching.topic_signal import TopicModel

HEADER = (
    "| held-out set (both models without it) "
    "| top-1 / >25 words / or first suggestion / wrong / declined |"
)


def held_out_models(
    extra: Sequence[Path], cache: Path | None = None
) -> dict[str, tuple[TopicModel, ScopeModel]]:
    """Each questions_setN.tsv's topic and scope models, fitted without its writer and with
    the training-only questions `extra`; kept in (or read from) the folder `cache`."""
    sets = train_scope.question_sets()
    names = [p.name for p in sets if train_topic.WRITER.fullmatch(p.name)]
    saved = [(cache / f"{n}.topic.npz", cache / f"{n}.scope.npz") for n in names] if cache else []
    if saved and all(t.is_file() and s.is_file() for t, s in saved):
        return {
            n: (TopicModel.load(t), ScopeModel.load(s))
            for n, (t, s) in zip(names, saved, strict=True)
        }
    topic_rows = train_topic.labelled_rows(sets, (train_topic.PHRASINGS, *extra))
    scope_rows = train_scope.labelled_rows(sets, extra)
    every = [p.name for p in sets]
    out = {}
    for n, name in enumerate(topic_rows.folds):
        topic = train_topic.model(topic_rows, without=n)
        scope = train_scope.model(scope_rows, without=every.index(name))
        out[name] = (topic, scope)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        for name, (topic, scope) in out.items():
            topic.save(cache / f"{name}.topic.npz")
            scope.save(cache / f"{name}.scope.npz")
    return out


def held_out_replies(
    extra: Sequence[Path], cache: Path | None = None
) -> dict[str, list[evaluate.Reply]]:
    """Each questions_setN.tsv's replies with both models fitted without its writer."""
    kb = load_knowledge(ROOT / "knowledge")
    out = {}
    for name, (topic, scope) in held_out_models(extra, cache).items():
        meaning = Meaning.packaged(kb, scope=scope, topic=topic)
        matcher = FuzzyMatcher(kb, bands=CALIBRATED, meaning=meaning)
        out[name] = evaluate.run_replies(matcher, evaluate.read_cases(train_topic.DATA / name))
    return out


def in_sample_replies() -> dict[str, list[evaluate.Reply]]:
    """Each questions_setN.tsv's replies from the bot as shipped (models and bands)."""
    matcher = build_matcher(load_knowledge(ROOT / "knowledge"))
    sets = [p for p in train_scope.question_sets() if train_topic.WRITER.fullmatch(p.name)]
    return {p.name: evaluate.run_replies(matcher, evaluate.read_cases(p)) for p in sets}


KINDS = ("held back", "offered, not first", "not offered", "wrong topic", "out of scope answered")


def kind(reply: evaluate.Reply) -> str | None:
    """Why a message missed its top-1 (None: right, or out of scope and not answered):
    held back (declined, the right entry offered first), offered but not first, not offered
    at all, answered with another entry, or out of scope and answered."""
    if reply.right or (reply.case.expected is None and reply.answered is None):
        return None
    if reply.answered is not None:
        return KINDS[3] if reply.case.expected else KINDS[4]
    shown = [s.id for s in reply.result.suggestions]
    if shown[:1] == [reply.case.expected]:
        return KINDS[0]
    return KINDS[1] if reply.case.expected in shown else KINDS[2]


def kinds_table(runs: dict[str, list[evaluate.Reply]]) -> str:
    """The misses of each set counted by kind."""
    lines = ["| set | " + " | ".join(KINDS) + " |", "|---|" + "---:|" * len(KINDS)]
    every = [r for rows in runs.values() for r in rows]
    for name, rows in (*runs.items(), ("**pooled**", every)):
        counts = [sum(kind(r) == k for r in rows) for k in KINDS]
        lines.append(f"| {name} | " + " | ".join(map(str, counts)) + " |")
    return "\n".join(lines)


def wrong(runs: dict[str, list[evaluate.Reply]]) -> list[tuple[str, evaluate.Reply]]:
    return [(name, r) for name, rows in runs.items() for r in rows if r.wrong]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--written",
        action="store_true",
        help="both models also trained on train_scope.WRITTEN_FOR_TRAINING",
    )
    parser.add_argument("--misses", action="store_true", help="list every wrong answer")
    parser.add_argument(
        "--in-sample", action="store_true", help="the shipped models, not one per writer"
    )
    parser.add_argument(
        "--models", type=Path, help="keep each fold's models in this folder (or read them)"
    )
    args = parser.parse_args(argv)
    extra = train_scope.WRITTEN_FOR_TRAINING if args.written else train_scope.TRAINING
    runs = in_sample_replies() if args.in_sample else held_out_replies(extra, args.models)
    print(HEADER)
    print("|---|---|")
    for name, rows in runs.items():
        print(f"| {name} | {cells(rows)} |")
    pooled = [r for rows in runs.values() for r in rows]
    print(f"| **pooled** | {cells(pooled)} |")
    print(f"\nutility (right 1, right first suggestion 0.5, wrong -1): {utility(pooled):.1f}")
    print("\nmisses by kind:\n" + kinds_table(runs))
    if args.misses:
        print("\nwrong answers, held out:")
        print("\n".join(f"  {n}: {evaluate.describe_reply(r)}" for n, r in wrong(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
