"""The one red-flag catalogue (bot/clinical/flags.yaml), loaded and checked with file:line errors.

The check, the free-text emergency detector and the replies all read their codes, levels and
plain words from here, so shared/red-flags.md has exactly one counterpart in code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from bot.clinical.levels import Level
from bot.data.problems import DataError, Problem
from bot.data.yaml_lines import LineMap, error_line, error_message, load_with_lines

CATALOGUE_FILE = Path(__file__).with_name("flags.yaml")
DESTINATIONS = frozenset({"emergency_department", "maternity", "cancer_hotline"})
"""Where an outcome may send someone instead of its level's default."""

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_FLAG_KEYS = frozenset({"code", "level", "words", "says", "question", "destination"})
_COMBO_KEYS = frozenset({"id", "all", "any", "level", "destination", "why"})


@dataclass(frozen=True)
class Flag:
    code: str
    level: Level
    """SELFCARE for a modifier (no red flag alone, only in combinations)."""
    words: str
    """What the person notices, in the reference's plain words."""
    says: str
    """Short, for "You mentioned ..."."""
    question: str
    """Id of the check question that screens it."""
    destination: str | None = None


@dataclass(frozen=True)
class Combination:
    id: str
    all: tuple[str, ...]
    any: tuple[str, ...]
    level: Level
    destination: str | None
    why: str

    def matches(self, codes: frozenset[str] | set[str]) -> bool:
        return set(self.all) <= codes and (not self.any or bool(codes & set(self.any)))

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.all) | frozenset(self.any)


@dataclass(frozen=True)
class Catalogue:
    flags: Mapping[str, Flag]
    """Every code, red flags and modifiers, in file order."""
    combinations: tuple[Combination, ...]

    def level(self, code: str) -> Level:
        return self.flags[code].level

    def codes_at(self, *levels: Level) -> frozenset[str]:
        return frozenset(c for c, f in self.flags.items() if f.level in levels)

    @property
    def red_flags(self) -> frozenset[str]:
        """Codes that are a red flag on their own (not modifiers)."""
        return frozenset(c for c, f in self.flags.items() if f.level is not Level.SELFCARE)

    @property
    def interrupting(self) -> frozenset[str]:
        """Codes that interrupt anything when described in free text: emergency and crisis."""
        return self.codes_at(Level.EMERGENCY, Level.CRISIS)

    def says(self, codes: frozenset[str] | set[str] | tuple[str, ...]) -> list[str]:
        """Short plain words for these codes, in catalogue order (unknown codes are skipped)."""
        wanted = set(codes)
        return [f.says for c, f in self.flags.items() if c in wanted]


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read and check the catalogue; DataError lists every problem with file and line."""
    file = str(path)
    problems: list[Problem] = []
    try:
        doc = load_with_lines(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError([Problem(file, 0, f"cannot read the file: {exc.strerror}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(file, error_line(exc), error_message(exc))]) from None
    if not isinstance(doc, LineMap):
        raise DataError([Problem(file, 1, "expected `flags:`, `modifiers:`, `combinations:`")])
    flags: dict[str, Flag] = {}
    for section, modifier in (("flags", False), ("modifiers", True)):
        for item in _items(doc, section, file, problems):
            flag = _flag(item, modifier, file, problems)
            if flag is None:
                continue
            if flag.code in flags:
                problems.append(Problem(file, item.line, f"code `{flag.code}` appears twice"))
                continue
            flags[flag.code] = flag
    combos = [
        c
        for item in _items(doc, "combinations", file, problems)
        if (c := _combination(item, flags, file, problems)) is not None
    ]
    if problems:
        raise DataError(problems)
    return Catalogue(MappingProxyType(flags), tuple(combos))


def _items(doc: LineMap, key: str, file: str, problems: list[Problem]) -> list[LineMap]:
    raw = doc.get(key)
    if not isinstance(raw, list) or not all(isinstance(i, LineMap) for i in raw):
        problems.append(Problem(file, doc.key_lines.get(key, 1), f"`{key}` must be a list"))
        return []
    return list(raw)


def _text(item: LineMap, key: str, file: str, problems: list[Problem]) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        line = item.key_lines.get(key, item.line)
        problems.append(Problem(file, line, f"`{key}` must be non-empty text"))
        return ""
    return " ".join(value.split())


def _flag(item: LineMap, modifier: bool, file: str, problems: list[Problem]) -> Flag | None:
    for key in item:
        if key not in _FLAG_KEYS or (modifier and key in ("level", "destination")):
            problems.append(Problem(file, item.key_lines[key], f"unknown key `{key}`"))
    code = item.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        problems.append(Problem(file, item.line, "`code` must be lower-case letters, _ or digits"))
        return None
    level = Level.SELFCARE if modifier else _level(item, file, problems)
    destination = item.get("destination")
    if destination is not None and destination not in DESTINATIONS:
        line = item.key_lines.get("destination", item.line)
        known = ", ".join(sorted(DESTINATIONS))
        problems.append(Problem(file, line, f"`{code}`: unknown destination (known: {known})"))
    question = _text(item, "question", file, problems)
    return Flag(
        code=code,
        level=level or Level.SELFCARE,
        words=_text(item, "words", file, problems),
        says=_text(item, "says", file, problems),
        question=question,
        destination=destination if isinstance(destination, str) else None,
    )


def _level(item: LineMap, file: str, problems: list[Problem]) -> Level | None:
    raw = item.get("level")
    try:
        level = Level(raw) if isinstance(raw, str) else None
    except ValueError:
        level = None
    if level is None or level is Level.SELFCARE:
        known = ", ".join(lv for lv in Level if lv is not Level.SELFCARE)
        line = item.key_lines.get("level", item.line)
        problems.append(Problem(file, line, f"`level` must be one of {known}"))
        return None
    return level


def _combination(
    item: LineMap, flags: Mapping[str, Flag], file: str, problems: list[Problem]
) -> Combination | None:
    for key in item:
        if key not in _COMBO_KEYS:
            problems.append(Problem(file, item.key_lines[key], f"unknown key `{key}`"))
    cid = item.get("id")
    if not isinstance(cid, str) or not _CODE.match(cid):
        problems.append(Problem(file, item.line, "combination: `id` must be a short name"))
        return None
    codes: dict[str, tuple[str, ...]] = {}
    for key in ("all", "any"):
        raw = item.get(key, [])
        line = item.key_lines.get(key, item.line)
        if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
            problems.append(Problem(file, line, f"combination `{cid}`: `{key}` must list codes"))
            raw = []
        for code in raw:
            if code not in flags:
                problems.append(Problem(file, line, f"combination `{cid}`: unknown code `{code}`"))
        codes[key] = tuple(raw)
    if not codes["all"]:
        problems.append(Problem(file, item.line, f"combination `{cid}`: `all` is empty"))
    level = _level(item, file, problems)
    destination = item.get("destination")
    if destination is not None and destination not in DESTINATIONS:
        line = item.key_lines.get("destination", item.line)
        problems.append(Problem(file, line, f"combination `{cid}`: unknown destination"))
    why = _text(item, "why", file, problems)
    if level is None:
        return None
    return Combination(
        cid,
        codes["all"],
        codes["any"],
        level,
        destination if isinstance(destination, str) else None,
        why,
    )


CATALOGUE = load_catalogue()
"""Loaded once at import: a broken catalogue stops the bot at start, with file and line."""
