"""Detection rules kept as reviewed data (`bot/safety/rules/*.yaml`), checked when loaded.

Each flag lists patterns (regular expressions over normalised text, with a `~N` shorthand for
"up to N words") and the context cues that may cancel a hit (NegEx/ConText categories:
negation, past, hypothetical, general question, idiom, an everyday reason). Word families
(`families.yaml`) are named once and combined: a pattern names one as `{NAME}`, and a rule
with `all: [A, B]` fires when a word of each family appears within `window` words of the
others in one sentence (or one clause), so "means" x "got hold of" covers phrasings no single
pattern lists. Every flag and rule carries
`must_match` / `must_not_match` examples that the loader runs; a bad pattern or a failing
example is reported as `file:line: message` and the detector (so the bot) refuses to start.
The files change by reviewed commit, never by live reload.

Matching is linear in the text: each pattern scans the text once with bounded word gaps, and a
cue is looked for only in a bounded window beside each hit. A message whose spelling
`bot.safety.spelling` changes ("thinkin bout hangin myself", "wanna unalive myself") is read a
second time in standard spelling, its hits judged by the cues of that same reading: the rules
need not spell every dialect and text-speak variant, and their examples are still written as
people type.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.data.prefilter import Prefilter
from bot.safety import baseline, doses, proven
from bot.safety.programs import PROGRAMS, compile_regex
from bot.safety.spelling import respelt
from bot.text import normalise_marked

RULES_DIR = Path(__file__).with_name("rules")
CONTEXT_FILE = "context.yaml"
FAMILIES_FILE = "families.yaml"
CATEGORIES = (
    "negation",
    "past",
    "hypothetical",
    "general",
    "idiom",
    "everyday",
    "animal",
    "resolved",
    "baseline",
)
_FAMILY = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
# Where a clause ends for a clause-scoped cue: a comma, or "and"/"but" before a new subject
# ("had fits as a kid and he's fitting again": the past is the first clause's alone).
_CLAUSE_BREAK = re.compile(
    r" , | (?:and|but|though|although|whereas|yet|so) (?=(?:i|im|ive|id|he|hes|she|shes|they"
    r"|theyre|we|were|my|his|her|their|our|now|today|tonight|this|then|its|it) )"
)
# A change of subject inside one run-on sentence ("..., anyway i ...", "oh and ..."): a cue on
# one side no longer speaks for a hit on the other (as NegEx ends a scope at a new clause).
_TOPIC_SHIFT = re.compile(
    r" (?:anyway|anyways|anyhow|btw|by the way|oh and|also|unrelated but|on another note"
    r"|side note|random but|real talk|but honestly|but tbh|but ngl) "
)
_GAP = re.compile(r"( ?)~(\d+) ")
_WINDOW_CHARS = 80  # how far beside a hit a cue is looked for (bounded: keeps scans linear)


class RulesError(ValueError):
    """A rule file is wrong; `problems` are `file:line: message` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def normalise(text: str) -> str:
    """The rule files' view of `text` (`bot.text.normalise_marked`): words, "." and ","."""
    return normalise_marked(text)


def compile_pattern(pattern: str, *, whole_words: bool = True) -> re.Pattern[str]:
    """`~N` is up to N words (never a "." or ","); a rule's match starts and ends on words
    (a cue's only starts on one: it may end with `$`, the edge of its window). A whole-words
    match includes the space before it (a literal first character lets the scan jump from
    space to space instead of trying every character): `_spans` gives where the words start."""
    body = _GAP.sub(lambda m: f"{m[1]}(?:[a-z0-9]+ ){{0,{m[2]}}}", pattern)
    if whole_words:
        return compile_regex(rf" (?:{body})(?= )")
    return compile_regex(rf"(?<![a-z0-9])(?:{body})")


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """safe_load that records each mapping's line as "__line__"."""


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    value = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    value["__line__"] = node.start_mark.line + 1
    return value


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


@dataclass(frozen=True)
class Cue:
    category: str
    # "before" (same clause), "after" (same sentence), "sentence" (either side), "around"
    # (the sentence, the hit's own words too), "clause" (the hit's own clause; the rest of
    # the sentence only when the hit's clause has no `present` sign), "onward" (after the
    # hit, to the end of the next sentence, unless a `present` sign lies between) or "usual"
    # (the hit's clause from its start to the end of the sentence: the usual state's,
    # `rules/baseline.yaml`)
    where: str
    regex: re.Pattern[str]
    source: str  # file:line
    unless: re.Pattern[str] | None = None  # a now-report in the sentence that keeps the hit
    # where "clause": a present sign in the hit's own clause ("now", "again") that keeps a
    # cue in another clause of the sentence from cancelling it; where "onward": a sign, from
    # the start of the hit's clause to the cue or after the cue in its sentence, that it is
    # not over ("still", "came back")
    present: re.Pattern[str] | None = None
    # `unless` is looked for in the whole message, not the hit's sentence (a change from a
    # person's usual state, `rules/baseline.yaml`, wins wherever it is said)
    unless_anywhere: bool = False


@dataclass(frozen=True)
class Rule:
    """One pattern, or (`parts`) word families that must all appear near each other."""

    code: str
    name: str
    regex: re.Pattern[str] | None
    source: str
    cancelled_by: frozenset[str]
    parts: tuple[re.Pattern[str], ...] = ()
    window: int = 10  # most words from the first family's match to each other's
    scope: str = "sentence"  # or "clause" or "message": where all the families' words must be
    # a reader (`bot.safety.doses.spans`) that finds the spans itself; `regex` is then its
    # screen: a text it does not match never reaches the reader
    reader: Callable[[str], list[tuple[int, int]]] | None = None

    def spans(self, norm: str, seen: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
        """(start, end) of each match in normalised text; `seen` keeps each family's spans
        for the other rules that name it (one scan per family per message)."""
        if self.reader is not None:
            return [] if self.regex is None or not self.regex.search(norm) else self.reader(norm)
        if self.regex is not None:
            return _spans(self.regex, norm)
        return _together(norm, self.parts, self.window, self.scope, seen)


@dataclass(frozen=True)
class Flag:
    code: str
    level: str
    description: str
    source: str
    sole_source: bool = False  # these rules replace the phrase rules for this flag
    also: tuple[str, ...] = ()  # codes a hit implies too (an overdose: the crisis line as well)


@dataclass(frozen=True)
class Hit:
    rule: Rule
    start: int
    end: int
    text: str
    cancelled: Cue | None = None
    respelt: bool = False  # found in the message's standard spelling (`forms`)


def forms(text: str) -> tuple[str, ...]:
    """The rule files' readings of `text`: as typed and, when `bot.safety.spelling` changes a
    word, in standard spelling too."""
    plain = respelt(text)
    return (normalise(text),) if plain is None else (normalise(text), normalise(plain))


class _Screen:
    """Which rules can match a text at all (`prefilter`): a pattern rule whose pattern, or a
    families rule one of whose families, has none of its literals in the text is skipped."""

    def __init__(self, rules: list[Rule]) -> None:
        self.of = rules
        regexes: dict[int, int] = {}  # id(pattern) -> its index (a family serves many rules)
        needs: list[re.Pattern[str]] = []
        self.rules: list[tuple[Rule, frozenset[int]]] = []
        for rule in rules:
            own = (rule.regex,) if rule.regex is not None else rule.parts
            for regex in own:
                if id(regex) not in regexes:
                    regexes[id(regex)] = len(needs)
                    needs.append(regex)
            self.rules.append((rule, frozenset(regexes[id(r)] for r in own)))
        self.prefilter = Prefilter([PROGRAMS.literals(r) for r in needs])
        users: list[list[int]] = [[] for _ in needs]  # pattern -> the rules that need it
        for at, (_, needed) in enumerate(self.rules):
            for i in needed:
                users[i].append(at)
        self._users = users

    def candidates(self, possible: AbstractSet[int]) -> list[tuple[Rule, frozenset[int]]]:
        """The rules (in order) all of whose patterns may match: looked up from the few
        patterns that may, not tested one by one."""
        users = self._users
        found = sorted({at for i in possible for at in users[i]})
        return [self.rules[at] for at in found if self.rules[at][1] <= possible]


@dataclass
class Rulebook:
    flags: dict[str, Flag] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    _screen: _Screen | None = field(default=None, repr=False, compare=False)

    def hits(self, text: str) -> list[Hit]:
        """Every rule hit in each reading of `text` (`forms`), each with the cue of the same
        reading that cancelled it (or None)."""
        return [hit for i, norm in enumerate(forms(text)) for hit in self._hits(norm, bool(i))]

    def _hits(self, norm: str, respelt: bool = False) -> list[Hit]:
        """Every rule hit in one normalised reading, each with the cue that cancelled it."""
        screen = self._screened()
        possible = screen.prefilter.possible(norm)
        out = []
        seen: dict[int, list[tuple[int, int]]] = {}
        idioms: list[tuple[int, int]] | None = None  # found once a rule has a hit
        for rule, _ in screen.candidates(possible):  # the others' spans would be none
            for start, end in rule.spans(norm, seen):
                if idioms is None:
                    idioms = self._idioms(norm)
                cue = self._cancelling(rule, norm, start, end, idioms)
                out.append(Hit(rule, start, end, norm[start:end], cue, respelt))
        return out

    def _screened(self) -> _Screen:
        """The screen of the current rules (made on first use, again if they were replaced)."""
        screen = self._screen
        if screen is None or screen.of is not self.rules or len(screen.rules) != len(self.rules):
            self._screen = screen = _Screen(self.rules)
        return screen

    def _idioms(self, norm: str) -> list[tuple[int, int]]:
        return [
            span
            for cue in self.cues
            if cue.category == "idiom"
            for span in _spans(cue.regex, norm)
        ]

    def detect(self, text: str) -> frozenset[str]:
        """The codes of every hit no cue cancelled, with the codes they imply."""
        codes = {h.rule.code for h in self.hits(text) if h.cancelled is None}
        return frozenset(codes.union(*(self.flags[c].also for c in codes if c in self.flags)))

    def _cancelling(
        self, rule: Rule, norm: str, start: int, end: int, idioms: list[tuple[int, int]]
    ) -> Cue | None:
        before = norm[max(0, start - _WINDOW_CHARS) : start]
        after = norm[end : end + _WINDOW_CHARS]
        sentence_before = _TOPIC_SHIFT.split(before.rsplit(" . ", 1)[-1])[-1]
        sentence_after = _TOPIC_SHIFT.split(after.split(" . ", 1)[0], maxsplit=1)[0]
        clause_before = sentence_before.rsplit(" , ", 1)[-1]
        # The hit's sentence, single-spaced, so a cue may run across the hit's edges.
        around = _edge(f"{sentence_before.strip()} {norm[start:end]} {sentence_after.strip()}")
        # Each window is made once per hit, not once per cue (a hit is judged by ~30 cues).
        own_clause, after_edge, before_edge = _edge(clause_before), _edge(sentence_after), ""
        clauses: tuple[str, str] | None = None
        in_idiom: bool | None = None  # the same for every idiom cue
        for cue in self.cues:
            if cue.category not in rule.cancelled_by:
                continue
            if cue.category == "idiom":
                if in_idiom is None:
                    in_idiom = any(a < end and start < b for a, b in idioms)
                if in_idiom:
                    return cue
                continue
            search = cue.regex.search
            found: re.Match[str] | bool | None
            if cue.where == "before":
                found = search(own_clause)
            elif cue.where == "after":
                found = search(after_edge)
            elif cue.where == "around":
                found = search(around)
            elif cue.where == "onward":
                found = _over_later(cue, norm, start, end, own_clause)
            elif cue.where == "usual":
                found = search(_edge(f"{clause_before} {norm[start:end]} {sentence_after}"))
            elif cue.where == "clause":
                if clauses is None:
                    clauses = _clauses(sentence_before, norm[start:end], sentence_after)
                own, rest = clauses
                # Another clause's cue counts only when the hit's clause says nothing of now.
                found = search(own) or (
                    (cue.present is None or not cue.present.search(own)) and search(rest)
                )
            else:
                before_edge = before_edge or _edge(sentence_before)
                found = search(before_edge) or search(after_edge)
            if found and not (
                cue.unless is not None
                and cue.unless.search(f" {norm.strip()} " if cue.unless_anywhere else around)
            ):
                return cue
        return None


def _over_later(cue: Cue, norm: str, start: int, end: int, own_clause: str) -> bool:
    """ "Had a seizure once coming off benzos, that was 2019. Nothing since.": a cue after the
    hit, in the rest of its sentence or the next one, that says it is over or long past scopes
    back over the hit, unless a `present` sign lies between them (from the start of the hit's
    clause) or after the cue in its sentence. A later hit looks onward from its own end, so
    the cue never speaks for it (round 15, issue 10)."""
    sentences = norm[end : end + 3 * _WINDOW_CHARS].split(" . ", 2)
    onward = _edge(" . ".join(sentences[:2]))
    found = cue.regex.search(onward)
    if found is None:
        return False
    if cue.present is None:
        return True
    between = f"{own_clause} {norm[start:end]} {onward[: found.start()]}"
    rest = onward[found.end() :].split(" . ", 1)[0]
    return not (cue.present.search(_edge(between)) or cue.present.search(_edge(rest)))


def _clauses(sentence_before: str, hit: str, sentence_after: str) -> tuple[str, str]:
    """(the hit's own clause, the rest of its sentence): a comma, or "and"/"but" before a new
    subject, ends a clause."""
    before = _CLAUSE_BREAK.split(f" {sentence_before.strip()} ")
    after = _CLAUSE_BREAK.split(f" {sentence_after.strip()} ")
    own = f"{before[-1]} {hit} {after[0]}"
    return _edge(own), _edge(" , ".join(before[:-1] + after[1:]))


def _spans(regex: re.Pattern[str], norm: str) -> list[tuple[int, int]]:
    """(start, end) of each whole-words match, without the space `compile_pattern` puts first
    (most patterns find nothing: one search says so without building an iterator)."""
    first = regex.search(norm)
    if first is None:
        return []
    return [(m.start() + 1, m.end()) for m in regex.finditer(norm, first.start())]


def _together(
    norm: str,
    parts: tuple[re.Pattern[str], ...],
    window: int,
    scope: str,
    seen: dict[int, list[tuple[int, int]]],
) -> list[tuple[int, int]]:
    """Spans where a match of every part lies within `window` words of the first part's
    match, in one sentence (or clause, or anywhere in the message). Each other part takes
    its nearest match; a part with no match at all ends the search before the next is
    scanned, so a rare family named first keeps calm messages cheap."""
    found = []
    for part in parts:
        key = id(part)  # not the Pattern: its hash reads its whole compiled program
        if key not in seen:
            seen[key] = _spans(part, norm)
        if not seen[key]:
            return []
        found.append(seen[key])
    breaks = {"message": (), "sentence": (" . ",), "clause": (" . ", " , ")}[scope]
    out = []
    for start, end in found[0]:
        chosen = [(start, end)]
        for others in found[1:]:
            near = [
                (s, e)
                for s, e in others
                if (s >= end or e <= start)
                and _words_between(norm, min(start, s), max(end, e)) <= window
                and not any(b in norm[min(start, s) : max(end, e)] for b in breaks)
            ]
            if not near:
                break
            chosen.append(min(near, key=lambda span: abs(span[0] - start)))
        else:
            out.append((min(s for s, _ in chosen), max(e for _, e in chosen)))
    return out


def _words_between(norm: str, start: int, end: int) -> int:
    return norm.count(" ", start, end)


def _edge(window: str) -> str:
    """A window with exactly one space at each end, so a cue's `^ ` and ` $` both work."""
    return f" {window.strip()} "


def _where(path: Path, node: Mapping[str, Any]) -> str:
    return f"{path.name}:{node.get('__line__', '?')}"


def _strings(node: Mapping[str, Any], key: str) -> list[str]:
    value = node.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{key} must be a string or a list of strings")
    return value


def _compile(
    source: str,
    pattern: object,
    problems: list[str],
    *,
    whole_words: bool = True,
    families: Mapping[str, str] | None = None,
) -> re.Pattern[str] | None:
    if not isinstance(pattern, str) or not pattern.strip():
        problems.append(f"{source}: pattern must be a non-empty string")
        return None
    names = _FAMILY.findall(pattern)
    unknown = [n for n in names if n not in (families or {})]
    if unknown:
        problems.append(f"{source}: unknown word family {{{unknown[0]}}}")
        return None
    if names and families:
        pattern = _FAMILY.sub(lambda m: f"(?:{families[m[1]]})", pattern)
    try:
        return compile_pattern(pattern.strip(), whole_words=whole_words)
    except re.error as exc:
        problems.append(f"{source}: bad pattern: {exc}")
        return None


def _read(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        problems.append(f"{path.name}:{line}: not valid YAML: {exc}")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path.name}:1: expected a mapping")
        return {}
    return data


def _load_cues(path: Path, book: Rulebook, problems: list[str]) -> None:
    for category, entries in _read(path, problems).items():
        if category == "__line__":
            continue
        if category not in CATEGORIES or not isinstance(entries, list):
            problems.append(f"{path.name}: unknown cue category {category!r}")
            continue
        for entry in entries:
            source = _where(path, entry)
            where = entry.get("where", "sentence")
            if where not in ("before", "after", "sentence", "around", "clause", "onward"):
                problems.append(
                    f"{source}: where must be before, after, sentence, around, clause or onward"
                )
                continue
            whole = category == "idiom"
            regex = _compile(source, entry.get("pattern"), problems, whole_words=whole)
            unless = None
            if entry.get("unless") is not None:
                alternatives = _strings(entry, "unless")
                unless = _compile(source, "|".join(f"(?:{a})" for a in alternatives), problems)
                if unless is None:
                    continue
            present = None
            if entry.get("present") is not None:
                present = _compile(source, "|".join(_strings(entry, "present")), problems)
            if regex is not None:
                book.cues.append(Cue(category, where, regex, source, unless, present))


def _load_baseline(path: Path, book: Rulebook, problems: list[str]) -> None:
    """A person's usual state (`rules/baseline.yaml`) as a `baseline` cue of the flags that file
    names: the hit's clause or the rest of its sentence says it is usual, and nothing in the
    message says it changed."""
    try:
        usual = baseline.read(path)
    except (ValueError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: {exc}")
        return
    regex = _compile(path.name, usual.usual, problems, whole_words=False)
    changed = _compile(path.name, usual.changed, problems)
    if regex is None or changed is None:
        return
    book.cues.append(Cue("baseline", "usual", regex, path.name, changed, unless_anywhere=True))
    book.rules[:] = [
        dataclasses.replace(r, cancelled_by=r.cancelled_by | {"baseline"})
        if r.code in usual.flags
        else r
        for r in book.rules
    ]


def _load_families(
    path: Path, problems: list[str]
) -> tuple[dict[str, str], list[tuple[str, str, str, bool]]]:
    """Named word families (pattern text, checked by compiling) and their own examples: a
    family's `must_match` strings must each contain a word of it, `must_not_match` none."""
    families: dict[str, str] = {}
    checks: list[tuple[str, str, str, bool]] = []
    for name, node in _read(path, problems).items():
        if name == "__line__":
            continue
        source = _where(path, node) if isinstance(node, dict) else f"{path.name}:?"
        if not _FAMILY.fullmatch(f"{{{name}}}") or not isinstance(node, dict):
            problems.append(f"{source}: a family is an UPPER_CASE name with a pattern")
            continue
        pattern = node.get("pattern")
        if not isinstance(pattern, str) or not pattern.strip():
            problems.append(f"{source}: pattern must be a non-empty string")
            continue
        try:
            _family_regex(pattern.strip())  # compiled once here, shared by the rules
        except re.error as exc:
            problems.append(f"{source}: bad pattern: {exc}")
            continue
        families[name] = pattern.strip()
        checks += [(source, name, t, True) for t in _strings(node, "must_match")]
        checks += [(source, name, t, False) for t in _strings(node, "must_not_match")]
    return families, checks


def _family_problems(
    families: Mapping[str, str], checks: Iterable[tuple[str, str, str, bool]]
) -> list[str]:
    problems = []
    for source, name, text, must in checks:
        found = _family_regex(families[name]).search(normalise(text)) is not None
        if found != must:
            wanted = "has no word of" if must else "has a word of"
            problems.append(f"{source}: example {wanted} family {name}: {text!r}")
    return problems


@functools.cache
def _family_regex(pattern: str) -> re.Pattern[str]:
    """One compiled pattern per family, shared by every rule naming it."""
    return compile_pattern(pattern)


def _rule(
    code: str,
    node: Mapping[str, Any],
    where: str,
    cancel: frozenset[str],
    families: Mapping[str, str],
    problems: list[str],
) -> Rule | None:
    """A flag's rule: a `pattern`, or families that must all appear (`all`, `window`)."""
    name = str(node.get("name", ""))
    cancelled_by = frozenset(_strings(node, "cancelled_by")) or cancel
    if node.get("reader") == "doses":
        regex = _compile(where, doses.names_pattern(), problems, families=families)
        return (
            None
            if regex is None
            else Rule(code, name, regex, where, cancelled_by, reader=doses.spans)
        )
    if "reader" in node:
        problems.append(f"{where}: unknown reader {node['reader']!r} (known: doses)")
        return None
    if "all" not in node:
        regex = _compile(where, node.get("pattern"), problems, families=families)
        return None if regex is None else Rule(code, name, regex, where, cancelled_by)
    names = _strings(node, "all")
    unknown = [n for n in names if n not in families]
    scope = node.get("scope", "sentence")
    if len(names) < 2 or unknown or scope not in ("message", "sentence", "clause"):
        problems.append(
            f"{where}: `all` needs two or more known families (unknown: {unknown}) and scope"
            " message, sentence or clause"
        )
        return None
    parts = tuple(_family_regex(families[n]) for n in names)
    window = node.get("window", 10)
    if not isinstance(window, int) or window < 1:
        problems.append(f"{where}: window must be a positive number of words")
        return None
    return Rule(code, name, None, where, cancelled_by, parts, window, scope)


def _load_flags(
    path: Path, book: Rulebook, problems: list[str], families: Mapping[str, str]
) -> list[tuple[str, str, str, bool]]:
    """Adds the file's flags and rules; returns its examples as (source, code, text, must)."""
    examples: list[tuple[str, str, str, bool]] = []
    for code, node in _read(path, problems).items():
        if code == "__line__":
            continue
        source = _where(path, node) if isinstance(node, dict) else f"{path.name}:?"
        if not isinstance(node, dict) or not isinstance(node.get("rules"), list):
            problems.append(f"{source}: flag {code!r} needs a list of rules")
            continue
        if code in book.flags:
            problems.append(
                f"{source}: flag {code!r} already defined in {book.flags[code].source}"
            )
            continue
        book.flags[code] = Flag(
            code,
            str(node.get("level", "")),
            str(node.get("description", "")),
            source,
            sole_source=node.get("sole_source") is True,
            also=tuple(_strings(node, "also")),
        )
        cancel = frozenset(_strings(node, "cancelled_by"))
        unknown = cancel - set(CATEGORIES)
        if unknown:
            problems.append(f"{source}: unknown cue categories {sorted(unknown)}")
        for text in _strings(node, "must_match"):
            examples.append((source, code, text, True))
        for text in _strings(node, "must_not_match"):
            examples.append((source, code, text, False))
        for rule in node["rules"]:
            where = _where(path, rule)
            built = _rule(code, rule, where, cancel, families, problems)
            if built is None:
                continue
            book.rules.append(built)
            examples += [(where, code, t, True) for t in _strings(rule, "must_match")]
            examples += [(where, code, t, False) for t in _strings(rule, "must_not_match")]
            if built.reader is not None:
                data = f"{doses.DATA_FILE.name} (via {where})"
                examples += [(data, code, t, must) for t, must in doses.table().examples]
    return examples


def load(directory: Path = RULES_DIR, levels: Mapping[str, str] | None = None) -> Rulebook:
    """Read and check every rule file; raise `RulesError` listing every problem.

    `levels` (code -> level) is the one flag catalogue (`bot.clinical`): the rule files carry
    no levels or descriptions of their own, and a code the catalogue lacks is refused.
    """
    problems: list[str] = []
    book = Rulebook()
    context = directory / CONTEXT_FILE
    if context.is_file():
        _load_cues(context, book, problems)
    families: dict[str, str] = {}
    family_checks: list[tuple[str, str, str, bool]] = []
    if (directory / FAMILIES_FILE).is_file():
        families, family_checks = _load_families(directory / FAMILIES_FILE, problems)
    examples: list[tuple[str, str, str, bool]] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name not in (CONTEXT_FILE, FAMILIES_FILE, baseline.BASELINE_FILE.name):
            try:
                examples += _load_flags(path, book, problems, families)
            except (TypeError, AttributeError) as exc:
                problems.append(f"{path.name}: {exc}")
    if (directory / baseline.BASELINE_FILE.name).is_file():
        _load_baseline(directory / baseline.BASELINE_FILE.name, book, problems)
    if levels is not None:
        for flag in book.flags.values():
            if flag.code not in levels:
                problems.append(f"{flag.source}: {flag.code!r} is not in the flag catalogue")
            else:
                book.flags[flag.code] = dataclasses.replace(flag, level=levels[flag.code])
    if not problems:
        digest = proven.key("rule files", directory)  # unchanged files and code: passed before
        if not proven.passed(digest):
            problems += _family_problems(families, family_checks)
            problems += _failing(book, examples)
            if not problems:
                proven.record(digest)
    if problems:
        raise RulesError(problems)
    book._screened()  # now, not on the first message
    return book


def _failing(book: Rulebook, examples: Iterable[tuple[str, str, str, bool]]) -> list[str]:
    problems = []
    for source, code, text, must in examples:
        found = book.detect(text)
        if must and code not in found:
            problems.append(f"{source}: must_match example not matched as {code}: {text!r}")
        elif not must and code in found:
            problems.append(f"{source}: must_not_match example matched as {code}: {text!r}")
    return problems
