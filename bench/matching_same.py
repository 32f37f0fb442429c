"""What the matcher answers, dumped to compare two trees (a speed change must not change a byte
of it).

`PYTHONPATH=TREE python -m bench.matching_same OUT` (run inside TREE) writes, for every
distinct text of tests/data (each tab-separated field of every line of every .tsv and .txt
file), with the article alone and again beside 50,000 synthetic phrasings
(bench.scale's knowledge): the answer and its score, the band, the suggestions with their
scores, the second ask's answer, and the evidence the answer/confirm decision sees (meaning,
scope and topic numbers in full). Two trees answer alike when `cmp` finds the two files
equal. Every text is asked once, in file order, in one process per knowledge base, as the bot
would meet them; `--shuffled` asks them in a fixed shuffled order instead (caches must not
change an answer either).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from bench.scale import _write
from bot.knowledge.loader import load_knowledge
from bot.matching.fuzzy import FuzzyMatcher, build_matcher

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SYNTHETIC = 50_000


def texts() -> Iterator[str]:
    """Every distinct field of tests/data, in file order."""
    seen: set[str] = set()
    for path in sorted(DATA.glob("*.t*")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for field in line.split("\t"):
                if field.strip() and field not in seen:
                    seen.add(field)
                    yield field


def _dump(matcher: FuzzyMatcher, asked: list[str], out: IO[str]) -> None:
    for text in asked:
        result = matcher.match(text)
        row: list[object] = [
            text,
            result.band,
            repr(result.match),
            [repr(s) for s in result.suggestions],
            repr(result.also),
            repr(matcher.evidence(text)),
        ]
        out.write(json.dumps(row) + "\n")


def main(argv: list[str]) -> int:
    shuffled = "--shuffled" in argv
    target = Path(next(a for a in argv if not a.startswith("--")))
    asked = list(texts())
    if shuffled:
        random.Random(11).shuffle(asked)
    article = load_knowledge(ROOT / "knowledge")
    with target.open("w", encoding="utf-8") as out:
        out.write("# the article alone\n")
        _dump(build_matcher(article), asked, out)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            phrasings = _write(article, SYNTHETIC, folder)
            out.write(f"# {phrasings} phrasings\n")
            _dump(build_matcher(load_knowledge(folder)), asked, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
