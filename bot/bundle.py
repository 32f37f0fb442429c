"""Everything the bot serves from KNOWLEDGE_DIR, built and validated together, swapped whole.

The assembler of knowledge, matcher and check: above all three (not inside one of them),
below the dialogue that reads it and the admin layer that reloads it."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import DataError, KnowledgeBase, Problem
from bot.matching.base import Matcher
from bot.matching.fuzzy import build_matcher
from bot.triage.loader import find_triage_files, load_triage
from bot.triage.model import Triage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Knowledge:
    kb: KnowledgeBase
    matcher: Matcher
    triage: Triage
    version: str
    """Digest of every data file, so a reload can tell whether anything changed."""


def fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_bundle(directory: Path) -> Knowledge:
    """Build everything off to the side; raise DataError with every problem in every file."""
    problems: list[Problem] = []
    kb: KnowledgeBase | None = None
    triage: Triage | None = None
    try:
        kb = load_knowledge(directory)
    except DataError as exc:
        problems.extend(exc.problems)
    triage_files = find_triage_files(directory)
    if not triage_files:
        problems.append(Problem(str(directory), 0, "no triage file (a *.yaml with 'triage:')"))
    for extra in triage_files[1:]:
        problems.append(
            Problem(str(extra), 1, f"a second triage file; the check lives in {triage_files[0]}")
        )
    if triage_files:
        try:
            triage = load_triage(triage_files[0])
        except DataError as exc:
            problems.extend(exc.problems)
    if problems or kb is None or triage is None:
        raise DataError(problems)
    return Knowledge(
        kb=kb, matcher=build_matcher(kb), triage=triage, version=fingerprint(directory)
    )


class KnowledgeHolder:
    """The knowledge currently served. A failed reload leaves the previous one in place."""

    def __init__(self, directory: Path, current: Knowledge) -> None:
        self.directory = directory
        self.current = current

    @classmethod
    def load(cls, directory: Path) -> KnowledgeHolder:
        return cls(directory, load_bundle(directory))

    def reload(self) -> list[Problem]:
        """Swap in the directory's knowledge if valid; return the problems otherwise."""
        try:
            fresh = load_bundle(self.directory)
        except DataError as exc:
            for problem in exc.problems:
                log.error("knowledge reload refused: %s", problem)
            return exc.problems
        if fresh.version != self.current.version:
            log.info("knowledge reloaded (version %s)", fresh.version)
        self.current = fresh
        return []
