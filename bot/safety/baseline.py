"""A person's usual state, and a change from it, read from `bot/safety/rules/baseline.yaml`.

The red flags of cauda equina, cord compression and sepsis are new or changed symptoms ("new
onset", "change from baseline"): someone with a spinal injury, MS or neuropathy who says "my
bum's numb, always is" is telling their usual state, and "my usual numbness is spreading" is the
emergency. Both rule engines read the one file: the phrase rules' context judge
(`bot.safety.emergency`) and the rule files (`bot.safety.rulebook`, a `baseline` cue). A baseline
cancels a hit of the flags it names only; a change anywhere in the message keeps every hit.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

BASELINE_FILE = Path(__file__).with_name("rules") / "baseline.yaml"


@dataclass(frozen=True)
class Baseline:
    """The flags a baseline may cancel, and the three patterns (alternations, not compiled:
    each engine compiles them in its own way)."""

    flags: frozenset[str]
    usual: str
    changed: str
    deceased: str
    examples: tuple[tuple[str, str, bool], ...]  # (code, text, must match)
    source: str = BASELINE_FILE.name


def _alternation(data: dict[str, object], key: str, path: Path) -> str:
    items = data.get(key)
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{path.name}: {key} must be a non-empty list of patterns")
    return "|".join(f"(?:{item})" for item in items)


def read(path: Path = BASELINE_FILE) -> Baseline:
    """The file's flags, patterns and examples; a malformed file raises `ValueError`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping")
    flags = data.get("flags")
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise ValueError(f"{path.name}: flags must be a list of flag codes")
    examples: list[tuple[str, str, bool]] = []
    for code, node in (data.get("examples") or {}).items():
        for key, must in (("must_match", True), ("must_not_match", False)):
            examples += [(str(code), str(text), must) for text in (node or {}).get(key) or []]
    return Baseline(
        frozenset(flags),
        _alternation(data, "usual", path),
        _alternation(data, "changed", path),
        _alternation(data, "deceased", path),
        tuple(examples),
        path.name,
    )


@functools.cache
def shipped() -> Baseline:
    """The shipped file, read once (it changes by reviewed commit, as the other rules)."""
    return read()
