"""The phrase rules of the emergency detector, read from `bot/safety/rules/phrases/*.yaml`.

The data (patterns, word families, idioms, context cues, misspellings, examples) lives in those
files, changed by reviewed commit; this module only reads and checks them. Every string keeps
the line it came from, so a problem is `file:line: message` and `python -m bot safety explain`
can say which pattern fired. One file per flag family (`cauda_equina.yaml`, ...), plus
`fragments.yaml` (word families a pattern names as `{NAME}`), `context.yaml` (cues and idioms),
`typos.yaml` and `severe_pain.yaml`. The examples are run by the detectors that use them
(`EmergencyDetector`, `SeverePainDetector`) once built; a failing one stops the bot starting.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from bot.safety import baseline
from bot.safety.rulebook import RULES_DIR, RulesError

PHRASES_DIR = RULES_DIR / "phrases"
_SPECIAL = frozenset({"fragments.yaml", "context.yaml", "typos.yaml", "severe_pain.yaml"})
PARTS = frozenset({"neck_stiff", "neck_companion", "neck_alone"})
"""Pattern sets the engine combines itself (a stiff neck counts with a fever nearby)."""
CUES = [
    "negation_cues",
    "pseudo_negations",
    "negation_stops",
    "resolved_after",
    "hypothetical",
    "meta",
    "past",
    "past_lead",
    "past_lead_unless",
    "resolved_later",
    "resolved_next",
    "minor_after",
    "others",
    "generic_owner",
    "present",
    "reporting",
    "personal",
    "personal_near",
    "interrogative_i",
    "unreal_after",
    "report_if",
    "report_question",
    "hedge_lead",
    "owned_after",
    "owner_near",
    "general_frame",
    "question_starts",
    "contrast",
    "new_subject",
    "gap_negations",
    "frame_fiction",
    "frame_training",
    "frame_settled",
    "frame_reassured",
    "frame_reassured_unless",
    "frame_now",
    "frame_danger",
    "disclaimer",
    "disclaimer_unless",
    "resolved_onward",
    "resolved_onward_unless",
    "resolved_onward_danger",
    "resolved_onward_returns",
]
_FRAGMENT = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_GAP = re.compile(r"(?: |(?<=\)\?))~(\d)(\|?) ")
_WORD = "[a-z0-9]+"
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Text(str):
    """A string from a rule file that knows where it came from."""

    source: str = "?"


@dataclass(frozen=True)
class FlagPatterns:
    personal: tuple[Text, ...] = ()
    nominal: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Rule:
    """Concept groups that must all appear, at most `window` words apart, within one `scope`."""

    groups: tuple[str, ...]
    window: int = 12
    scope: str = "sentence"  # or "clause"
    # True when the words describe an experience by themselves; False when they may be talk
    # about symptoms ("the article lists a stiff neck and fever").
    personal: bool = False
    source: str = "?"


@dataclass(frozen=True)
class Example:
    source: str
    code: str
    text: str
    must: bool


@dataclass(frozen=True)
class PhraseBook:
    flags: Mapping[str, FlagPatterns]
    parts: Mapping[str, FlagPatterns]
    groups: Mapping[str, Text]
    rules: Mapping[str, tuple[Rule, ...]]
    cues: Mapping[str, Text]
    idioms: tuple[Text, ...]
    typo_keywords: tuple[str, ...]
    typo_protected: frozenset[str]
    short_typos: Mapping[str, str]
    joined_s: frozenset[str]
    severe_pain: FlagPatterns
    examples: tuple[Example, ...] = field(default=())
    # A person's usual state and a change from it (`rules/baseline.yaml`, both engines read it;
    # its examples are run through both by `EmergencyDetector`).
    baseline: baseline.Baseline = field(default_factory=baseline.shipped)


def _plain(node: yaml.Node, where: str) -> Any:
    """The node as Python values; strings are `Text` with their file:line."""
    if isinstance(node, yaml.MappingNode):
        return {str(_plain(k, where)): _plain(v, where) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, where) for item in node.value]
    value = node.value
    if node.tag.endswith(":int"):
        return int(value)
    if node.tag.endswith(":bool"):
        return value.lower() in ("true", "yes", "on")
    if node.tag.endswith(":null"):
        return None
    text = Text(value)
    text.source = f"{where}:{node.start_mark.line + 1}"
    return text


def _read(path: Path, problems: list[str]) -> dict[str, Any]:
    where = f"phrases/{path.name}"
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(f"{where}:{mark.line + 1 if mark else '?'}: not valid YAML: {exc}")
        return {}
    data = _plain(node, where) if node is not None else None
    if not isinstance(data, dict):
        problems.append(f"{where}:1: expected a mapping")
        return {}
    return data


class _Reader:
    """Turns the raw file contents into patterns, recording every problem."""

    def __init__(self, fragments: Mapping[str, str], problems: list[str]) -> None:
        self.fragments = fragments
        self.problems = problems
        self.gap_negations = "(?!)"  # set from context.yaml before any pattern with a gap

    def expand_gaps(self, pattern: str) -> str:
        """The " ~N " shorthand as a bounded word gap whose words are never a negation (so
        "chest doesnt hurt" never fits "chest ~3 hurt"); " ~N| " may cross one clause break."""

        def gap(m: re.Match[str]) -> str:
            words = f"(?:(?!(?:{self.gap_negations}) ){_WORD} ){{0,{m[1]}}}"
            lead = " " if m[0].startswith(" ") else ""
            return f"{lead}{words}(?:\\| {words})?" if m[2] else f"{lead}{words}"

        return _GAP.sub(gap, pattern)

    def pattern(self, raw: object, where: str, *, gaps: bool = True) -> Text | None:
        if not isinstance(raw, Text) or not raw.strip():
            self.problems.append(f"{where}: a pattern must be a non-empty string")
            return None
        unknown = [n for n in _FRAGMENT.findall(raw) if n not in self.fragments]
        if unknown:
            self.problems.append(f"{raw.source}: unknown word family {{{unknown[0]}}}")
            return None
        out = Text(_FRAGMENT.sub(lambda m: self.fragments[m[1]], raw))
        if gaps:
            out = Text(self.expand_gaps(out))
        out.source = raw.source  # compiled (and a bad one reported) by the engine
        return out

    def patterns(self, node: object, where: str) -> tuple[Text, ...]:
        if node is None:
            return ()
        if not isinstance(node, list):
            self.problems.append(f"{where}: expected a list of patterns")
            return ()
        found = (self.pattern(p, getattr(p, "source", where)) for p in node)
        return tuple(p for p in found if p is not None)

    def flag(self, node: object, where: str) -> FlagPatterns:
        if not isinstance(node, dict):
            self.problems.append(f"{where}: expected personal and/or nominal patterns")
            return FlagPatterns()
        extra = set(node) - {"personal", "nominal"}
        if extra:
            self.problems.append(f"{where}: unknown keys {sorted(extra)}")
        return FlagPatterns(
            self.patterns(node.get("personal"), where), self.patterns(node.get("nominal"), where)
        )


def _source(node: Mapping[str, Any], where: str) -> str:
    first = next((v for v in node.values() if isinstance(v, Text)), None)
    for value in node.values():
        if isinstance(value, list) and value and isinstance(value[0], Text):
            first = first or value[0]
    return first.source if first is not None else where


def _examples(code: str, node: Mapping[str, Any], where: str) -> list[Example]:
    out = []
    for key, must in (("must_match", True), ("must_not_match", False)):
        for text in node.get(key) or []:
            out.append(Example(getattr(text, "source", where), code, str(text), must))
    return out


def _concept_rules(code: str, node: object, where: str, problems: list[str]) -> list[Rule]:
    rules = []
    for raw in node if isinstance(node, list) else []:
        groups = raw.get("groups") if isinstance(raw, dict) else None
        if not isinstance(groups, list) or not groups:
            problems.append(f"{where}: {code}: each concept rule needs a list of groups")
            continue
        source = getattr(groups[0], "source", where)
        scope = str(raw.get("scope", "sentence"))
        if scope not in ("sentence", "clause"):
            problems.append(f"{source}: scope must be sentence or clause")
        rules.append(
            Rule(
                tuple(str(g) for g in groups),
                int(raw.get("window", 12)),
                scope,
                bool(raw.get("personal", False)),
                source,
            )
        )
    return rules


def load(directory: Path = PHRASES_DIR, codes: frozenset[str] | None = None) -> PhraseBook:
    """Read and check every phrase file; raise `RulesError` listing every problem.

    `codes`: the flag catalogue's codes (a family file naming another code is refused).
    """
    problems: list[str] = []
    raw_fragments = _read(directory / "fragments.yaml", problems).get("fragments") or {}
    reader = _Reader({str(k): str(v) for k, v in raw_fragments.items()}, problems)
    context = _read(directory / "context.yaml", problems)
    cues = context.get("cues") or {}
    for name in set(CUES) - set(cues):
        problems.append(f"phrases/context.yaml: missing cue {name!r}")
    checked_cues = {
        str(k): reader.pattern(v, f"phrases/context.yaml: {k}", gaps=False)
        for k, v in cues.items()
    }
    reader.gap_negations = checked_cues.get("gap_negations") or "(?!)"
    flags: dict[str, FlagPatterns] = {}
    parts: dict[str, FlagPatterns] = {}
    groups: dict[str, Text] = {}
    rules: dict[str, tuple[Rule, ...]] = {}
    examples: list[Example] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name in _SPECIAL:
            continue
        for code, node in _read(path, problems).items():
            where = f"phrases/{path.name}"
            if not isinstance(node, dict):
                problems.append(f"{where}: {code}: expected a mapping")
                continue
            where = _source(node, where)
            if code in flags or (codes is not None and code not in codes):
                problems.append(f"{where}: {code!r} is defined twice or not in the catalogue")
                continue
            flags[code] = reader.flag(
                {k: v for k, v in node.items() if k in ("personal", "nominal")}, where
            )
            for name, part in (node.get("parts") or {}).items():
                if name not in PARTS or name in parts:
                    problems.append(f"{where}: unknown or repeated part {name!r}")
                parts[name] = reader.flag(part, where)
            for name, body in (node.get("groups") or {}).items():
                pattern = reader.pattern(body, where)
                if name in groups:
                    problems.append(f"{getattr(body, 'source', where)}: group {name!r} repeated")
                if pattern is not None:
                    groups[name] = pattern
            rules[code] = tuple(_concept_rules(code, node.get("concepts"), where, problems))
            unknown = set(node) - {"personal", "nominal", "parts", "groups", "concepts"}
            unknown -= {"must_match", "must_not_match"}
            if unknown:
                problems.append(f"{where}: {code}: unknown keys {sorted(unknown)}")
            examples += _examples(code, node, where)
    for code, code_rules in rules.items():
        for rule in code_rules:
            missing = [g for g in rule.groups if g not in groups]
            if missing:
                problems.append(f"{rule.source}: {code}: unknown concept group {missing[0]!r}")
    typos = _read(directory / "typos.yaml", problems)
    severe_node = _read(directory / "severe_pain.yaml", problems).get("severe_pain") or {}
    severe = reader.flag(
        {k: v for k, v in severe_node.items() if k in ("personal", "nominal")},
        "phrases/severe_pain.yaml",
    )
    examples += _examples("severe_pain", severe_node, "phrases/severe_pain.yaml")
    usual = baseline.shipped()
    if problems:
        raise RulesError(problems)
    return PhraseBook(
        flags=MappingProxyType({c: f for c, f in flags.items() if f.personal or f.nominal}),
        parts=MappingProxyType(parts),
        groups=MappingProxyType(groups),
        rules=MappingProxyType({c: r for c, r in rules.items() if r}),
        cues=MappingProxyType({k: v for k, v in checked_cues.items() if v is not None}),
        idioms=reader.patterns(context.get("idioms"), "phrases/context.yaml"),
        typo_keywords=tuple(str(typos.get("keywords", "")).split()),
        typo_protected=frozenset(str(typos.get("protected", "")).split()),
        short_typos=MappingProxyType(
            {str(k): str(v) for k, v in (typos.get("short") or {}).items()}
        ),
        joined_s=frozenset(str(typos.get("joined_s", "")).split()),
        severe_pain=severe,
        examples=tuple(examples),
        baseline=usual,
    )


@functools.cache
def book() -> PhraseBook:
    """The phrase rules, read once (they change by reviewed commit, not live); every flag
    code must be in the one catalogue (`bot/clinical/flags.yaml`)."""
    from bot.clinical.catalogue import CATALOGUE

    return load(codes=frozenset(CATALOGUE.flags))
