"""Reads knowledge/*.yaml into a KnowledgeBase, reporting every problem with file and line.

A file's single top-level key says what it is: `entries` (facts), `synonyms` (word map),
`scope` (what the article does not answer, see bot/knowledge/scope.py) or `triage` (the
red-flag check, loaded elsewhere and skipped here). Messages are written for the
admin who edits the YAML, not for a programmer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from rapidfuzz import process

from bot.data.gc_pause import without_gc
from bot.data.yaml_lines import LineMap, LineSeq, error_line, error_message, load_with_lines
from bot.knowledge.model import DataError, Entry, KnowledgeBase, Problem, Scope, Source
from bot.knowledge.scope import read_scope
from bot.text import normalise

MAX_ANSWER_CHARS = 900
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_FIELDS = ("id", "title", "questions", "answer", "source")
OPTIONAL_FIELDS = ("related", "offers_check")
SOURCE_FIELDS = ("url", "reference")
KNOWN_KINDS = ("entries", "synonyms", "scope", "triage")


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Load and validate every knowledge file; raise DataError listing all problems."""
    kb, problems = _read(Path(directory))
    if problems:
        raise DataError(problems)
    return kb


def validate_knowledge(directory: Path) -> list[Problem]:
    """Every problem in the knowledge files (empty when they load cleanly)."""
    return sorted(_read(Path(directory))[1], key=lambda p: (p.file, p.line, p.message))


@dataclass
class _Where:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class _State:
    """Everything gathered while reading the files of one directory."""

    problems: list[Problem] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    id_at: dict[str, _Where] = field(default_factory=dict)
    phrasing_at: dict[str, tuple[str, str, LineSeq, int]] = field(default_factory=dict)
    """Each normalised question -> its entry's id, file, list and index (its line is looked
    up only when another entry lists it too: 50,000 questions, a handful of clashes)."""
    related: list[tuple[str, str, _Where]] = field(default_factory=list)
    synonyms: dict[str, tuple[str, _Where]] = field(default_factory=dict)
    canonicals: dict[str, _Where] = field(default_factory=dict)
    scope: Scope | None = None
    scope_at: _Where | None = None
    files: list[str] = field(default_factory=list)

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))


@without_gc  # a big knowledge base is a few hundred thousand objects, none in a cycle
def _read(directory: Path) -> tuple[KnowledgeBase, list[Problem]]:
    state = _State()
    if not directory.is_dir():
        state.add(str(directory), 0, "knowledge folder not found")
        return KnowledgeBase(entries={}), state.problems
    paths = sorted(directory.glob("*.yaml"))
    for path in paths:
        _read_file(path, str(directory / path.name), state)
    _check_related(state)
    _check_synonym_chains(state)
    if not state.entries and not state.problems:
        state.add(str(directory), 0, "no entries found (expected *.yaml files with 'entries:')")
    kb = KnowledgeBase(
        entries=MappingProxyType(dict(state.entries)),
        synonyms=MappingProxyType({v: c for v, (c, _) in state.synonyms.items()}),
        scope=state.scope or Scope(),
        files=tuple(state.files),
    )
    return kb, state.problems


def _read_file(path: Path, shown: str, state: _State) -> None:
    try:
        data = load_with_lines(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        state.add(shown, 1, "file is not UTF-8 text")
        return
    except yaml.YAMLError as error:
        state.add(shown, error_line(error), error_message(error))
        return
    if data is None:
        state.add(shown, 1, "file is empty; expected a top-level 'entries:' or 'synonyms:' key")
        return
    if not isinstance(data, LineMap):
        state.add(shown, 1, "expected a top-level key such as 'entries:' or 'synonyms:'")
        return
    if "triage" in data:
        return  # the red-flag check is loaded by its own module
    unknown = [k for k in data if k not in KNOWN_KINDS]
    for key in unknown:
        state.add(
            shown,
            data.key_lines[key],
            f"unknown top-level key '{key}' (expected 'entries', 'synonyms', 'scope' or 'triage')",
        )
    kinds = [k for k in data if k in KNOWN_KINDS]
    if len(kinds) > 1:
        state.add(shown, 1, "a file must have a single top-level key; split it into two files")
    if unknown or len(kinds) != 1:
        return
    state.files.append(shown)
    if kinds[0] == "entries":
        _read_entries(data["entries"], data.line_of("entries"), shown, state)
    elif kinds[0] == "scope":
        _read_scope_file(data, shown, state)
    else:
        _read_synonyms(data["synonyms"], data.line_of("synonyms"), shown, state)


def _read_scope_file(data: LineMap, shown: str, state: _State) -> None:
    line = data.key_lines["scope"]
    if state.scope_at is not None:
        state.add(shown, line, f"a second 'scope:'; the scope lives in {state.scope_at}")
        return
    state.scope_at = _Where(shown, line)
    scope, problems = read_scope(data["scope"], data.line_of("scope"), shown)
    state.problems.extend(problems)
    state.scope = scope


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return type(value).__name__


def _read_entries(items: Any, line: int, shown: str, state: _State) -> None:
    if not isinstance(items, LineSeq):
        state.add(shown, line, f"'entries' must be a list of entries, found {_describe(items)}")
        return
    for index, item in enumerate(items):
        where = _Where(shown, items.line_of(index))
        if not isinstance(item, LineMap):
            state.add(
                shown,
                where.line,
                f"entry {index + 1} must be a set of fields (id, title, ...), "
                f"found {_describe(item)}",
            )
            continue
        if not _claim_id(item, where, state):
            continue
        entry = _read_entry(item, where, state)
        if entry is not None:
            _register(entry, item, where, state)


def _suggest(name: str, choices: tuple[str, ...]) -> str:
    best = process.extractOne(str(name), choices, score_cutoff=70)
    return f" (did you mean '{best[0]}'?)" if best else ""


def _read_entry(item: LineMap, where: _Where, state: _State) -> Entry | None:
    """Check one entry's fields; return it when every field is usable."""
    label = f"entry '{item['id']}'" if isinstance(item.get("id"), str) else "this entry"
    before = len(state.problems)
    for key, first, again in item.duplicates:
        state.add(where.file, again, f"field '{key}' is given twice in {label} (first at {first})")
    allowed = REQUIRED_FIELDS + OPTIONAL_FIELDS
    for key in item:
        if key not in allowed:
            state.add(
                where.file,
                item.key_lines[key],
                f"unknown field '{key}' in {label}{_suggest(key, allowed)}",
            )
    for key in REQUIRED_FIELDS:
        if key not in item:
            state.add(where.file, where.line, f"{label} is missing the field '{key}'")
    text = _text_checker(item, label, where.file, state)
    entry_id, title, answer = text("id"), text("title"), text("answer")
    if entry_id is not None and not ID_PATTERN.match(entry_id):
        state.add(
            where.file,
            item.line_of("id"),
            f"id '{entry_id}' must be lowercase letters, digits and single dashes "
            "(like 'back-pain-when-sick')",
        )
    if answer is not None and len(answer) > MAX_ANSWER_CHARS:
        state.add(
            where.file,
            item.line_of("answer"),
            f"answer of {label} is {len(answer)} characters; keep it to "
            f"{MAX_ANSWER_CHARS} (split it into two entries if needed)",
        )
    questions = _text_list(item, "questions", label, where.file, state, required=True)
    related = _text_list(item, "related", label, where.file, state, required=False)
    source = _read_source(item, label, where.file, state)
    offers_check = item.get("offers_check", False)
    if not isinstance(offers_check, bool):
        state.add(
            where.file,
            item.line_of("offers_check"),
            f"'offers_check' of {label} must be true or false, found {_describe(offers_check)}",
        )
    if len(state.problems) > before or None in (entry_id, title, answer, questions, source):
        return None
    assert entry_id and title and answer and questions is not None and source
    return Entry(
        id=entry_id,
        title=title,
        questions=tuple(questions),
        answer=answer,
        source=source,
        related=tuple(related or ()),
        offers_check=offers_check is True,
        file=where.file,
        line=where.line,
    )


def _text_checker(
    item: LineMap, label: str, file: str, state: _State
) -> Callable[[str], str | None]:
    """Returns a reader for one required non-empty text field of `item`."""

    def read(key: str) -> str | None:
        if key not in item:
            return None
        value = item[key]
        if value is None or (isinstance(value, str) and not value.strip()):
            state.add(file, item.line_of(key), f"field '{key}' of {label} is empty")
            return None
        if not isinstance(value, str):
            state.add(
                file,
                item.line_of(key),
                f"field '{key}' of {label} must be text, found {_describe(value)}",
            )
            return None
        return value.strip()

    return read


def _text_list(
    item: LineMap, key: str, label: str, file: str, state: _State, *, required: bool
) -> list[str] | None:
    if key not in item:
        return None if required else []
    value = item[key]
    line = item.line_of(key)
    if value is None or value == []:
        if required:
            state.add(file, line, f"field '{key}' of {label} is empty")
            return None
        return []
    if not isinstance(value, LineSeq):
        state.add(file, line, f"field '{key}' of {label} must be a list, found {_describe(value)}")
        return None
    result: list[str] = []
    for index, text in enumerate(value):
        if not isinstance(text, str) or not text.strip():
            found = "an empty item" if not text else _describe(text)
            state.add(
                file,
                value.line_of(index),
                f"item {index + 1} of '{key}' in {label} must be non-empty text, found {found}",
            )
            continue
        result.append(text.strip())
    return result


def _read_source(item: LineMap, label: str, file: str, state: _State) -> Source | None:
    if "source" not in item:
        return None
    value = item["source"]
    line = item.line_of("source")
    if not isinstance(value, LineMap):
        state.add(
            file,
            line,
            f"field 'source' of {label} must have 'url:' (and optionally 'reference:'), "
            f"found {_describe(value)}",
        )
        return None
    for key in value:
        if key not in SOURCE_FIELDS:
            state.add(
                file,
                value.key_lines[key],
                f"unknown field '{key}' in the source of {label}{_suggest(key, SOURCE_FIELDS)}",
            )
    read = _text_checker(value, f"the source of {label}", file, state)
    if "url" not in value:
        state.add(file, line, f"the source of {label} is missing the field 'url'")
    url = read("url")
    reference = read("reference") if "reference" in value else None
    if url is not None and not url.startswith(("http://", "https://")):
        state.add(file, value.line_of("url"), f"source url of {label} must start with https://")
        return None
    return Source(url=url, reference=reference) if url else None


def _claim_id(item: LineMap, where: _Where, state: _State) -> bool:
    """Record the entry's id (even if other fields are wrong); False for a duplicate."""
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        return True
    entry_id = entry_id.strip()
    first = state.id_at.get(entry_id)
    if first is not None:
        state.add(
            where.file,
            item.line_of("id"),
            f"duplicate id '{entry_id}' (first defined at {first})",
        )
        return False
    state.id_at[entry_id] = _Where(where.file, item.line_of("id"))
    return True


def _register(entry: Entry, item: LineMap, where: _Where, state: _State) -> None:
    """Add a valid entry, checking its phrasings against the ones seen before."""
    state.entries[entry.id] = entry
    phrasings: LineSeq = item["questions"]
    seen = state.phrasing_at
    for index, key in enumerate(map(normalise, entry.questions)):
        owner = seen.setdefault(key, (entry.id, where.file, phrasings, index))
        if owner[0] != entry.id:
            first = _Where(owner[1], owner[2].line_of(owner[3]))
            state.add(
                where.file,
                phrasings.line_of(index),
                f"the question '{entry.questions[index]}' is also listed under '{owner[0]}' "
                f"(at {first}); a question can belong to one entry only",
            )
    links: LineSeq | list[Any] = item.get("related") or []
    for index, target in enumerate(entry.related):
        line = links.line_of(index) if isinstance(links, LineSeq) else where.line
        state.related.append((entry.id, target, _Where(where.file, line)))


def _check_related(state: _State) -> None:
    for source_id, target, at in state.related:
        if target == source_id:
            state.add(at.file, at.line, f"entry '{source_id}' lists itself under 'related'")
        elif target not in state.id_at:
            state.add(
                at.file,
                at.line,
                f"entry '{source_id}' is related to '{target}', but no entry has that id"
                + _suggest(target, tuple(state.id_at)),
            )


def _read_synonyms(mapping: Any, line: int, shown: str, state: _State) -> None:
    if not isinstance(mapping, LineMap):
        state.add(
            shown,
            line,
            "'synonyms' must map each word to a list of alternatives "
            f"(like 'sick: [ill, unwell]'), found {_describe(mapping)}",
        )
        return
    for key, first, again in mapping.duplicates:
        state.add(shown, again, f"synonym word '{key}' is given twice (first at line {first})")
    for canonical, variants in mapping.items():
        at = _Where(shown, mapping.key_lines[canonical])
        norm = normalise(str(canonical)) if isinstance(canonical, str) else ""
        if not norm:
            state.add(shown, at.line, f"synonym word {canonical!r} must be a word or phrase")
            continue
        state.canonicals.setdefault(norm, at)
        if not isinstance(variants, LineSeq) or not variants:
            state.add(
                shown,
                mapping.line_of(canonical),
                f"synonyms of '{canonical}' must be a non-empty list like [word, other word], "
                f"found {_describe(variants)}",
            )
            continue
        for index, variant in enumerate(variants):
            _add_synonym(norm, variant, _Where(shown, variants.line_of(index)), state)


def _add_synonym(canonical: str, variant: Any, at: _Where, state: _State) -> None:
    norm = normalise(variant) if isinstance(variant, str) else ""
    if not norm:
        state.add(
            at.file,
            at.line,
            f"synonyms of '{canonical}' must be non-empty text, found {_describe(variant)}",
        )
        return
    if norm == canonical:
        return
    seen = state.synonyms.get(norm)
    if seen is not None and seen[0] != canonical:
        state.add(
            at.file,
            at.line,
            f"'{variant}' is listed as a synonym of both '{seen[0]}' (at {seen[1]}) "
            f"and '{canonical}'; keep one",
        )
        return
    state.synonyms.setdefault(norm, (canonical, at))


def _check_synonym_chains(state: _State) -> None:
    """A word used both as a canonical form and as another word's synonym is ambiguous."""
    for canonical, at in state.canonicals.items():
        seen = state.synonyms.get(canonical)
        if seen is not None:
            state.add(
                at.file,
                at.line,
                f"'{canonical}' has its own synonyms but is itself listed as a synonym of "
                f"'{seen[0]}' (at {seen[1]}); merge its list into '{seen[0]}'",
            )
