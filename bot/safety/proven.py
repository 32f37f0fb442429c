"""Which rule examples already passed, so an unchanged detector does not run them again at
every start.

Every `must_match` / `must_not_match` example of the rule files is run when a detector is
built (about 0.4 s of the start). A pass is recorded (`bot.data.parse_cache`) under a digest
of everything the outcome depends on: every file under the rules folder, the code that reads
and applies them (`bot/safety/*.py`, the spelling map the rules also read a message through,
`bot/safety/*.tsv`, `bot/text.py`, `bot/clinical/`, `bot/data/*.py`), and the Python, rapidfuzz
and PyYAML versions. A changed rule, example or line of that code is another
digest, so its examples run again and a failing one still stops the start with `file:line`;
only passes are recorded, never failures. No cache folder means the examples always run.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

import rapidfuzz
import yaml

from bot.data import parse_cache

_BOT = Path(__file__).resolve().parent.parent
_CODE = ("safety/*.py", "safety/*.tsv", "text.py", "clinical/*", "data/*.py")
_FORMAT = "examples-passed-1"


@functools.cache
def _code_digest() -> str:
    digest = hashlib.sha256(f"{sys.version}|{rapidfuzz.__version__}|{yaml.__version__}".encode())
    for path in sorted(p for pattern in _CODE for p in _BOT.glob(pattern) if p.is_file()):
        digest.update(f"\0{path.relative_to(_BOT)}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(what: str, rules: Path) -> str | None:
    """The digest of `what` (which examples) checked against the files under `rules` with
    this code; None when a file cannot be read (then nothing is looked up or recorded)."""
    digest = hashlib.sha256(f"{_FORMAT}|{what}|{_code_digest()}".encode())
    try:
        for path in sorted(p for p in rules.rglob("*") if p.is_file()):
            digest.update(f"\0{path.relative_to(rules)}\0".encode())
            digest.update(path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def passed(digest: str | None) -> bool:
    """Whether the examples under `digest` passed in an earlier run."""
    return digest is not None and parse_cache.read(digest, lambda obj: obj) is True


def record(digest: str | None) -> None:
    """Remember that the examples under `digest` passed."""
    if digest is not None:
        parse_cache.write(digest, True)
